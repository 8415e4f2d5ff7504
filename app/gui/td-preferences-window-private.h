/* td-preferences-window-private.h: for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-preferences-window.h"

G_BEGIN_DECLS

/* The rows by name: "smtp-host", "smtp-port", "smtp-security",
 * "smtp-username", "smtp-from", "smtp-password", "smtp-ca", "https-endpoint",
 * "https-token", "https-ca", "timeout". */
GtkWidget  *td_preferences_window_get_row     (TdPreferencesWindow *self,
                                               const char          *name);
/* What is wrong with the row's input, or %NULL. */
const char *td_preferences_window_get_message (TdPreferencesWindow *self,
                                               const char          *name);
/* "smtp-password" or "https-token": what the keyring holds, in words,
 * and whether a secret is saved. */
const char *td_preferences_window_get_secret_status (TdPreferencesWindow *self,
                                                     const char          *name,
                                                     gboolean            *saved);
/* Keyring calls under way. */
gboolean    td_preferences_window_is_busy     (TdPreferencesWindow *self);

G_END_DECLS
