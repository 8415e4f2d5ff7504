/* td-sqlite-locks.h: SQLite's file locks, kept whatever else the process opens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Installs the lock shim in SQLite's unix VFS. Idempotent; also run by a
 * constructor when the program starts, before any connection can exist.
 * Returns whether the shim is in place. */
gboolean td_sqlite_locks_install         (void);
/* How many files the process holds locks on through the shim (tests). */
guint    td_sqlite_locks_get_n_files     (void);

G_END_DECLS
