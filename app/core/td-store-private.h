/* td-store-private.h: what the core's record modules need of the store,
 * and what the files of TdStore share
 *
 * TdStore is one class over three files: td-store.c (opening, migrating,
 * statements, transactions), td-store-files.c (the file's lock, identity
 * and clean-close note) and td-store-backup.c (backups and restores).
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

/* The files of TdStore, and nothing else */

struct _TdStore
{
  GObject     parent_instance;

  char       *path;
  char       *absolute_path; /* what the identity check stat()s */
  sqlite3    *db;
  int         lock_fd;
  GHashTable *statements;
  GHashTable *record_lists; /* kind id → TdRecordList: td_store_get_record_lists() */
  GMainContext *context;   /* where it was opened: signals are emitted there */
  GThread      *thread;
  dev_t       dev;         /* the file opened: refused to write elsewhere */
  ino_t       ino;
  gint        replaced;    /* atomic: the path names another file now */
  guint       in_transaction : 1;
  guint       opened : 1;
  guint       read_only : 1;
  guint       created : 1;
  guint       retired : 1;
  guint       left_clean : 1;    /* the note said so on open, and no commit since */
  guint       note_dropped : 1;  /* the note's gone: dropped at the first commit */
};

/* td-store.c */
void          td_store_set_error_from_db      (sqlite3     *db,
                                               int          rc,
                                               GError     **error);
void          td_store_set_replaced_error     (TdStore     *self,
                                               GError     **error);
gboolean      td_store_check_pages            (sqlite3     *db,
                                               const char  *path,
                                               gboolean     integrity,
                                               GError     **error);
gboolean      td_store_migrate                (sqlite3     *db,
                                               GError     **error);
gboolean      td_store_configure_connection   (sqlite3     *db,
                                               GError     **error);
void          td_store_emit_restored          (TdStore     *self);

/* td-store-files.c */
gboolean      td_store_files_check_identity   (TdStore     *self,
                                               GError     **error);
gboolean      td_store_files_left_clean       (const char  *path);
void          td_store_files_set_clean_close  (const char  *path,
                                               const char  *signature,
                                               gboolean     durable);
void          td_store_files_remember_clean_close (TdStore *self);
gboolean      td_store_files_refuse_special   (const char  *path,
                                               GError     **error);
gboolean      td_store_files_check_path       (const char  *path,
                                               gboolean    *exists,
                                               GError     **error);
int           td_store_files_take_lock        (const char  *path,
                                               GError     **error);
void          td_store_files_remember_identity (TdStore    *self);
gboolean      td_store_files_cannot_write     (const char  *path);

G_END_DECLS
