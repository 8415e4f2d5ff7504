/* td-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-revision.h"
#include "td-session.h"
#include "td-store.h"
#include "td-sync.h"

G_BEGIN_DECLS

#define TD_TYPE_WINDOW (td_window_get_type ())
G_DECLARE_FINAL_TYPE (TdWindow, td_window, TD, WINDOW, AdwApplicationWindow)

TdWindow   *td_window_new                     (gpointer    application,
                                               TdStore    *store);
TdWindow   *td_window_new_for_sync            (gpointer    application,
                                               TdSync     *sync);
TdWindow   *td_window_new_for_session         (gpointer    application,
                                               TdSession  *session);
TdSession  *td_window_get_session             (TdWindow   *self);
TdStore    *td_window_get_store               (TdWindow   *self);
TdSync     *td_window_get_sync                (TdWindow   *self);
void        td_window_send_revision           (TdWindow   *self,
                                               TdRevision *revision);
const char *td_window_get_page                (TdWindow   *self);
GtkWidget  *td_window_get_page_widget         (TdWindow   *self,
                                               const char *name);
void        td_window_quit_after_first_frame  (TdWindow   *self);

G_END_DECLS
