/* td-preferences-window-private.h: for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-outbox.h"
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
/* Keyring calls or tests under way. */
gboolean    td_preferences_window_is_busy     (TdPreferencesWindow *self);
/* As the Save button, and the Test Connection button. */
void        td_preferences_window_save        (TdPreferencesWindow *self);
void        td_preferences_window_test        (TdPreferencesWindow *self);
/* How a test of @destination went, in words, or %NULL (none, or running). */
const char *td_preferences_window_get_test_result (TdPreferencesWindow *self,
                                                   TdDestination        destination,
                                                   gboolean            *passed,
                                                   const char         **detail);
/* "smtp-ca" or "https-ca": as if @path were chosen. */
void        td_preferences_window_set_ca_file (TdPreferencesWindow *self,
                                               const char          *name,
                                               const char          *path);
/* The line that says the keyring may ask for a password of its own. */
gboolean    td_preferences_window_get_keyring_note_shown (TdPreferencesWindow *self);
/* The toast shown last, or %NULL: one at a time, a new one replaces it. */
AdwToast   *td_preferences_window_get_toast   (TdPreferencesWindow *self);

G_END_DECLS
