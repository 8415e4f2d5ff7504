/* td-application-private.h: for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-application.h"

G_BEGIN_DECLS

/* The window that says @path cannot be opened, with Open Another… and
 * Restore Backup… ("dead-end.open-another", "dead-end.restore-backup"; and
 * "dead-end.open-file", "dead-end.restore-from" with a path, as after the
 * file chooser). */
GtkWidget *td_application_show_open_error (TdApplication *self,
                                           const char    *path,
                                           const GError  *error);

/* The extras module cannot be loaded: a dialog says why, and its Close
 * ends the process. From any thread; returns at once. */
void       td_application_say_extras_failed (const GError *error);

G_END_DECLS
