/* td-window-private.h: the window's state, shared by its files
 *
 * td-window.c builds the window and its pages; td-window-actions.c holds
 * what its actions do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-school.h"
#include "td-school-page.h"
#include "td-session.h"
#include "td-window.h"

G_BEGIN_DECLS

struct _TdWindow
{
  AdwApplicationWindow  parent_instance;

  /* The database this window shows: the application owns it, and keeps
   * it sending after the last window on it closed. */
  TdSession            *session;
  /* The session's, for short. */
  TdStore              *store;
  TdSync               *sync;         /* the outbox, sent in the background */
  TdSchool             *school;
  GSignalGroup         *sync_signals;
  GSettings            *settings;
  GCancellable         *cancellable;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar;
  GtkStack             *stack;
  AdwWindowTitle       *content_title;
  AdwWindowTitle       *sidebar_title;
  GtkWidget            *menu_button;
  GtkInfoBar           *verify_bar;
  GtkLabel             *verify_label;
  guint                 verify_id;
  TdSchoolPage         *school_page;
  GtkFileChooserNative *chooser;
  GtkWindow            *preferences;
  char                 *backup_path;
  gboolean              undoing_restore;
};

void       td_window_toast             (TdWindow       *self,
                                        const char     *message);
int        td_window_page_index        (const char     *name);
gboolean   td_window_page_shows_records (const char    *name);
void       td_window_show_page         (TdWindow       *self,
                                        const char     *name,
                                        gboolean        navigate);
GtkWidget *td_window_ensure_page       (TdWindow       *self,
                                        guint           i);
void       td_window_flush_pages       (TdWindow       *self);
void       td_window_class_add_actions (GtkWidgetClass *widget_class);

G_END_DECLS
