/* td-store-private.h: what the core's record modules need of the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "td-store.h"

G_BEGIN_DECLS

/* A statement prepared once per store and reset after each use. The SQL
 * must be a string constant of the caller: it is the cache key. */
sqlite3_stmt *td_store_prepare     (TdStore     *self,
                                    const char  *sql,
                                    GError     **error);
/* Steps a statement to completion (SQLITE_DONE) and resets it. */
gboolean      td_store_step_done   (TdStore       *self,
                                    sqlite3_stmt  *stmt,
                                    GError       **error);
gboolean      td_store_exec        (TdStore     *self,
                                    const char  *sql,
                                    GError     **error);
void          td_store_set_error   (TdStore     *self,
                                    int          rc,
                                    GError     **error);
sqlite3      *td_store_get_db      (TdStore     *self);
/* kind id → TdRecordList (td-record-list.c's, owned by the store). */
GHashTable   *td_store_get_record_lists (TdStore *self);
/* Tests only: stop migrating at @version, to make a database as an
 * earlier version of the app left it. */
void          td_store_set_target_version_for_testing (guint version);

G_END_DECLS
