/* td-classes-page-private.h: what the files of TdClassesPage share
 *
 * td-classes-page.c reads and shows (the list, a class's detail) and
 * adds and deletes classes; td-classes-page-actions.c runs a class
 * (edit it, its sessions, enrol, outcomes, imports and the full export).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-class-edit.h"
#include "td-classes-page.h"
#include "td-session.h"

G_BEGIN_DECLS

struct _TdClassesPage
{
  AdwBin               parent_instance;

  TdSession           *session;
  TdStore             *store;           /* the session's */
  GtkFileChooserNative *chooser;
  AdwToast            *undo_toast;      /* the deleted session's, while shown */
  TdClassSessionRecord *deleted_session; /* what Undo puts back */
  GCancellable        *cancellable;
  gboolean             importing;       /* a file's rows being written on a worker */
  guint                refresh_id;
  gboolean             reading;
  gboolean             again;
  int                  year;            /* 0: the newest with classes */
  GArray              *years;           /* int, newest first */
  GPtrArray           *classes;         /* TdClassSummary of the year */
  gboolean             setting_years;
  guint                n_shown;
  char                *detail_uuid;     /* the class shown, or NULL */
  gboolean             detail_reading;
  GPtrArray           *detail_rows;     /* rows added to the detail's groups */

  AdwToastOverlay     *toast_overlay;
  GtkStack            *view_stack;
  GtkDropDown         *year_dropdown;
  GtkSearchEntry      *search_entry;
  GtkStack            *content_stack;
  GtkListBox          *list_box;
  AdwStatusPage       *empty_status;
  GtkLabel            *detail_title;
  AdwPreferencesPage  *detail_page;
  AdwPreferencesGroup *summary_group;
  AdwPreferencesGroup *conflicts_group;
  AdwPreferencesGroup *sessions_group;
  AdwPreferencesGroup *roster_group;
  AdwPreferencesGroup *attendance_group;
  GtkScrolledWindow   *attendance_scroller;
  GtkWidget           *attendance;       /* TdAttendanceGrid */
};

const char *td_classes_page_current_uuid       (TdClassesPage *self);
void        td_classes_page_actions_class_init (GtkWidgetClass *widget_class);
void        td_classes_page_actions_update     (TdClassesPage *self);
void        td_classes_page_actions_dispose    (TdClassesPage *self);

G_END_DECLS
