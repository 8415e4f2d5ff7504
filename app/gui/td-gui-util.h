/* td-gui-util.h: file choosers, toasts and errors, one way everywhere
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Called once a file chooser is answered: @file is %NULL when cancelled. */
typedef void (*TdGuiFileCallback) (gpointer  owner,
                                   GFile    *file);

GtkFileChooserNative *td_gui_file_chooser_new     (GtkWidget             *owner,
                                                   const char            *title,
                                                   GtkFileChooserAction   action,
                                                   const char            *accept);
void                  td_gui_file_chooser_add_filter (GtkFileChooserNative *chooser,
                                                   const char            *name,
                                                   const char            *pattern,
                                                   ...) G_GNUC_NULL_TERMINATED;
void                  td_gui_file_chooser_show    (GtkFileChooserNative  *chooser,
                                                   GtkFileChooserNative **slot,
                                                   gpointer               owner,
                                                   TdGuiFileCallback      callback);
void                  td_gui_file_chooser_clear   (GtkFileChooserNative **slot);

void                  td_gui_show_error           (GtkWidget             *widget,
                                                   const char            *heading,
                                                   const GError          *error);
void                  td_gui_toast                (AdwToastOverlay       *overlay,
                                                   const char            *message,
                                                   guint                  timeout);

void                  td_gui_class_close_on_escape (GtkWidgetClass       *widget_class,
                                                   const char            *action_name);

G_END_DECLS
