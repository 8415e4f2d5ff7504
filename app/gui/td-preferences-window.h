/* td-preferences-window.h: where the forms are sent, and how
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"
#include "td-sync.h"

G_BEGIN_DECLS

#define TD_TYPE_PREFERENCES_WINDOW (td_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (TdPreferencesWindow, td_preferences_window, TD, PREFERENCES_WINDOW, AdwPreferencesWindow)

TdPreferencesWindow *td_preferences_window_new             (GtkWindow *parent,
                                                            TdSync    *sync);
TdPreferencesWindow *td_preferences_window_new_for_session (GtkWindow *parent,
                                                            TdSession *session);

G_END_DECLS
