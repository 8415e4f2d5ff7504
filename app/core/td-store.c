/* td-store.c: the open Training Desk database
 *
 * One SQLite file holds everything. Opening it refuses, with a message a
 * person can act on and without writing a byte, anything that is not a
 * healthy Training Desk database this version understands, or that another
 * copy of the app has open. Then it migrates the schema (each step in one
 * transaction), keeps the audit triggers in step with the tables, and backs
 * the file up once a day.
 *
 * Its files are never lost to the rest of the process or the desktop:
 * SQLite's locks are open-file-description locks that no foreign close
 * can drop (td-sqlite-locks.c); before every write the path is checked to
 * still name the file that was opened (a stat(): 8 µs on the CI VM, under
 * 3% of the smallest transaction, bench/store-checks; a file replaced,
 * moved or deleted while open refuses all writes from then on, and its log
 * is folded into the file that was open, so no stale -wal is left beside
 * the newcomer); a file not exactly as this app closed it gets a full
 * PRAGMA integrity_check when opened (quick_check misses an index that
 * disagrees with its table); a file the open created is removed again
 * when the open fails; a file that cannot be written can still be opened
 * for reading (td_store_open_for_reading()). See docs/storage.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "td-sqlite-locks.h"
#include "td-store-private.h"

/* SQL fragments substituted into the migrations; code constants, never
 * user text.
 *
 * SQL_UUID is a version 7 UUID (RFC 9562 §5.7; see td-uuid.c for why):
 * the Unix milliseconds of 'now' (exact: SQLite keeps 'now' in whole
 * milliseconds, and round() undoes the double's error), then random bits.
 * In SQL, so that rows inserted by any tool (the sqlite3 shell) get one;
 * 'now' is the same throughout one sqlite3_step(), so both halves of the
 * time agree. Unlike td_uuid7_new() it keeps no order within a
 * millisecond. SQL_UUID_V4 is the random default that schemas 1–8 wrote,
 * kept for migration 9 to find and replace. */
#define SQL_UUID_MS \
  "CAST (round ((julianday ('now') - 2440587.5) * 86400000) AS INTEGER)"
#define SQL_UUID \
  "lower (printf ('%08x-%04x', " SQL_UUID_MS " >> 16, " SQL_UUID_MS " & 65535) || '-7' || " \
  "substr (hex (randomblob (2)), 2) || '-' || " \
  "substr ('89ab', 1 + (abs (random ()) % 4), 1) || " \
  "substr (hex (randomblob (2)), 2) || '-' || hex (randomblob (6)))"
#define SQL_UUID_V4 \
  "lower (hex (randomblob (4)) || '-' || hex (randomblob (2)) || '-4' || " \
  "substr (hex (randomblob (2)), 2) || '-' || " \
  "substr ('89ab', 1 + (abs (random ()) % 4), 1) || " \
  "substr (hex (randomblob (2)), 2) || '-' || hex (randomblob (6)))"
#define SQL_NOW "strftime ('%Y-%m-%dT%H:%M:%fZ', 'now')"

#define MIGRATIONS_PATH RESOURCE_PATH "/core/sql/"

/* Migration N is migrations[N - 1]. Append only. */
static const char * const migrations[] = {
  "0001-initial.sql",
  "0002-sign-off.sql",
  "0003-outbox-attempts.sql",
  "0004-revision-pdf.sql",
  "0005-sign-off-lock-audit.sql",
  "0006-outbox-interrupted.sql",
  "0007-outbox-message.sql",
  "0008-import-choice-maps.sql",
  "0009-uuid-v7.sql",
  "0010-classes.sql",
};
G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == TD_STORE_SCHEMA_VERSION);

G_DEFINE_FINAL_TYPE (TdStore, td_store, G_TYPE_OBJECT)

enum {
  RESTORED,
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (td-store-error-quark, td_store_error)

static void td_store_retire (TdStore *self);

static void
td_store_finalize (GObject *object)
{
  TdStore *self = (TdStore *)object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  if (self->db != NULL && g_atomic_int_get (&self->replaced))
    td_store_retire (self);
  if (self->db != NULL && sqlite3_close (self->db) == SQLITE_OK && self->opened &&
      !self->read_only && !g_atomic_int_get (&self->replaced))
    td_store_files_remember_clean_close (self);
  /* Only after SQLite closed: without the lock shim (td-sqlite-locks.c),
   * closing any descriptor of the file would drop SQLite's locks on it. */
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_clear_pointer (&self->record_lists, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->absolute_path, g_free);

  G_OBJECT_CLASS (td_store_parent_class)->finalize (object);
}

/* The record lists loaded from this store (td-record-list.c), one per
 * kind, living as long as the store: a typed table, not object data. */
GHashTable *
td_store_get_record_lists (TdStore *self)
{
  g_return_val_if_fail (TD_IS_STORE (self), NULL);

  if (self->record_lists == NULL)
    self->record_lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  return self->record_lists;
}

static void
td_store_class_init (TdStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = td_store_finalize;

  /**
   * TdStore::restored:
   *
   * The whole content was replaced from a backup: everything read from the
   * store before is stale.
   */
  signals[RESTORED] =
    g_signal_new ("restored",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * TdStore::changed:
   *
   * A transaction was committed (or the content restored): figures read
   * from the store may have changed.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
td_store_finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
td_store_init (TdStore *self)
{
  self->lock_fd = -1;
  self->context = g_main_context_ref_thread_default ();
  self->thread = g_thread_self ();
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, td_store_finalize_statement);
}

char *
td_store_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "training-desk", "training-desk.db", NULL);
}

const char *
td_store_get_path (TdStore *self)
{
  g_return_val_if_fail (TD_IS_STORE (self), NULL);

  return self->path;
}

sqlite3 *
td_store_get_db (TdStore *self)
{
  g_return_val_if_fail (TD_IS_STORE (self), NULL);

  return self->db;
}

void
td_store_set_error_from_db (sqlite3     *db,
                            int          rc,
                            GError     **error)
{
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_CONSTRAINT,
                   _("The database refused the change: %s"), detail);
      break;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_DAMAGED,
                   _("The database file is damaged (%s). Restore it from a backup."), detail);
      break;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_LOCKED,
                   _("The database is busy in another program (%s). Try again in a moment."), detail);
      break;

    case SQLITE_FULL:
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FULL,
                   _("The disk is full: nothing was saved. Free some space and try again."));
      break;

    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_NOT_READABLE,
                   _("The database file cannot be opened or written (%s)."), detail);
      break;

    default:
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED,
                   _("The database reported an error: %s"), detail);
      break;
    }
}

void
td_store_set_replaced_error (TdStore  *self,
                             GError  **error)
{
  g_autofree char *display = g_filename_display_name (self->path);

  g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_REPLACED,
               _("The database file “%s” was replaced, moved or deleted while it was open: nothing was saved. Open it again."),
               display);
}

static void
td_store_set_read_only_error (TdStore  *self,
                              GError  **error)
{
  g_autofree char *display = g_filename_display_name (self->path);

  g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_READ_ONLY,
               _("“%s” is open for reading only: nothing can be saved in it. Check the file’s permissions, or copy it to a folder you can write to."),
               display);
}

/* Whether @error is about the database file as a whole (full, locked,
 * damaged, replaced, not writable) rather than about what one write
 * asked of it (a constraint, a trigger's refusal). */
gboolean
td_store_error_is_the_file (const GError *error)
{
  if (error == NULL || error->domain != TD_STORE_ERROR)
    return FALSE;
  switch ((TdStoreError)error->code)
    {
    case TD_STORE_ERROR_FULL:
    case TD_STORE_ERROR_LOCKED:
    case TD_STORE_ERROR_DAMAGED:
    case TD_STORE_ERROR_REPLACED:
    case TD_STORE_ERROR_READ_ONLY:
    case TD_STORE_ERROR_NOT_READABLE:
      return TRUE;
    default:
      return FALSE;
    }
}

void
td_store_set_error (TdStore  *self,
                    int       rc,
                    GError  **error)
{
  if (rc == SQLITE_CONSTRAINT_COMMITHOOK && g_atomic_int_get (&self->replaced))
    td_store_set_replaced_error (self, error);
  else if (self->read_only && (rc & 0xff) == SQLITE_READONLY)
    td_store_set_read_only_error (self, error);
  else
    td_store_set_error_from_db (self->db, rc, error);
}

/* Every commit of the store's connection, whoever made it (transactions,
 * single statements): a non-zero return turns it into a rollback. */
static int
td_store_commit_hook (void *user_data)
{
  TdStore *self = user_data;

  if (!td_store_files_check_identity (self, NULL))
    return 1;
  /* From the first write on, the file is no longer as it was left: the
   * note goes (durably) before this commit does, so a crash before the
   * next clean close means a full check next time. Not at open: a session
   * that writes nothing (most starts, a look at the figures) leaves the
   * note as it is and pays no fsync at start or at close. */
  if (!self->note_dropped)
    {
      self->note_dropped = TRUE;
      self->left_clean = FALSE;
      td_store_files_set_clean_close (self->path, NULL, TRUE);
    }
  return 0;
}

/* Once the file was replaced: folds the log into the file that was open
 * (which may live on under another name) and empties it, so that the -wal
 * left beside the newcomer holds nothing that could be read into it. */
static void
td_store_retire (TdStore *self)
{
  int rc;

  if (self->retired || self->in_transaction || self->read_only)
    return;
  self->retired = TRUE;
  rc = sqlite3_wal_checkpoint_v2 (self->db, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  if (rc != SQLITE_OK)
    g_message ("Could not empty the log of the replaced %s: %s", self->path, sqlite3_errmsg (self->db));
}

sqlite3_stmt *
td_store_prepare (TdStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TD_IS_STORE (self), NULL);

  if ((stmt = g_hash_table_lookup (self->statements, sql)))
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      td_store_set_error (self, rc, error);
      return NULL;
    }

  g_hash_table_insert (self->statements, (gpointer)sql, stmt);
  return stmt;
}

gboolean
td_store_step_done (TdStore       *self,
                    sqlite3_stmt  *stmt,
                    GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (self, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
td_store_exec_sql (sqlite3     *db,
                   const char  *sql,
                   GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      td_store_set_error_from_db (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
td_store_exec (TdStore     *self,
               const char  *sql,
               GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      td_store_set_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

static gint64
td_store_query_int (sqlite3    *db,
                    const char *sql,
                    int        *rc_out)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = 0;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          value = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  *rc_out = rc;
  return value;
}

int
td_store_get_schema_version (TdStore *self)
{
  int rc;

  g_return_val_if_fail (TD_IS_STORE (self), -1);

  return (int)td_store_query_int (self->db, "PRAGMA user_version", &rc);
}

/* Reads, never writes: are this connection's pages sound? quick_check
 * reads every page; integrity_check also compares every index with its
 * table (a few times slower), for files not as this app left them. */
gboolean
td_store_check_pages (sqlite3     *db,
                      const char  *path,
                      gboolean     integrity,
                      GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, integrity ? "PRAGMA integrity_check" : "PRAGMA quick_check",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW || g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), "ok") != 0)
    {
      g_autofree char *problem = NULL;

      if (rc == SQLITE_ROW)
        problem = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      else
        problem = g_strdup (sqlite3_errstr (rc));
      sqlite3_finalize (stmt);
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_DAMAGED,
                   _("“%s” is damaged (%s). Restore it from a backup."),
                   display, problem);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
td_store_check_connection (sqlite3     *db,
                           const char  *path,
                           gboolean     full_check,
                           GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  gint64 n_objects, app_id, version;
  int rc;

  n_objects = td_store_query_int (db, "SELECT count(*) FROM sqlite_schema", &rc);
  if ((rc & 0xff) == SQLITE_NOTADB)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_NOT_A_DATABASE,
                   _("“%s” is not a Training Desk database: it is not a database at all, perhaps another kind of document, or a file damaged beyond use."),
                   display);
      return FALSE;
    }
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_LOCKED,
                   _("“%s” is being written by another program. Close it there and try again."),
                   display);
      return FALSE;
    }
  if (rc != SQLITE_OK)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_DAMAGED,
                   _("“%s” is damaged and cannot be read (%s). Restore it from a backup."),
                   display, sqlite3_errstr (rc));
      return FALSE;
    }

  app_id = td_store_query_int (db, "PRAGMA application_id", &rc);
  version = td_store_query_int (db, "PRAGMA user_version", &rc);

  /* A fresh, empty file: nothing to check. */
  if (n_objects == 0 && app_id == 0 && version == 0)
    return TRUE;

  if (app_id != TD_STORE_APPLICATION_ID)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FOREIGN_DATABASE,
                   _("“%s” is another program’s database, not one of Training Desk’s."),
                   display);
      return FALSE;
    }

  if (version > TD_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_TOO_NEW,
                   _("“%s” was written by a newer version of Training Desk (schema %d; this version knows up to %d). Update Training Desk to open it."),
                   display, (int)version, TD_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  /* A full check of every page and index: skipped only for a file exactly
   * as this app closed it (the daily backup reads it again, off the main
   * loop). */
  return !full_check || td_store_check_pages (db, path, TRUE, error);
}

static char *
td_store_quote_ident (const char *ident)
{
  g_autoptr(GString) s = g_string_new ("\"");

  for (const char *p = ident; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

typedef struct
{
  char     *name;
  char     *quoted;
  gboolean  may_be_blob;
} Column;

static void
td_store_column_clear (gpointer data)
{
  Column *column = data;

  g_free (column->name);
  g_free (column->quoted);
}

/* A column's value as the audit log keeps it: BLOBs (PDFs, signatures) by
 * their size, so the log stays text and JSON can hold it. */
static void
td_store_append_audit_value (GString      *sql,
                             const char   *row,
                             const Column *column)
{
  if (column->may_be_blob)
    g_string_append_printf (sql,
                            "CASE typeof (%s.%s) WHEN 'blob' THEN printf ('%%d bytes', length (%s.%s)) ELSE %s.%s END",
                            row, column->quoted, row, column->quoted, row, column->quoted);
  else
    g_string_append_printf (sql, "%s.%s", row, column->quoted);
}

static void
td_store_append_json_object (GString    *sql,
                             const char *row,
                             GArray     *columns)
{
  gboolean first = TRUE;

  g_string_append (sql, "json_object (");
  for (guint i = 0; i < columns->len; i++)
    {
      const Column *column = &g_array_index (columns, Column, i);
      char *literal = sqlite3_mprintf ("%Q", column->name);

      g_string_append_printf (sql, "%s%s, ", first ? "" : ", ", literal);
      td_store_append_audit_value (sql, row, column);
      sqlite3_free (literal);
      first = FALSE;
    }
  g_string_append (sql, ")");
}

static gboolean
td_store_is_audited_column (const char *name)
{
  return g_strcmp0 (name, "id") != 0 &&
         g_strcmp0 (name, "uuid") != 0 &&
         g_strcmp0 (name, "created_at") != 0 &&
         g_strcmp0 (name, "updated_at") != 0;
}

/* Makes one trigger @name read @sql (its CREATE statement without the
 * final semicolon, as sqlite_schema keeps it): left alone when it already
 * does, (re)created when not. @existing maps the triggers' names to their
 * text; @wanted collects the names installed. */
static gboolean
td_store_drop_trigger (sqlite3     *db,
                       const char  *name,
                       GError     **error)
{
  g_autofree char *quoted = td_store_quote_ident (name);
  g_autofree char *drop = g_strdup_printf ("DROP TRIGGER %s", quoted);

  return td_store_exec_sql (db, drop, error);
}

static gboolean
td_store_install_trigger (sqlite3     *db,
                          GHashTable  *existing,
                          GHashTable  *wanted,
                          const char  *name,
                          const char  *sql,
                          GError     **error)
{
  const char *now = g_hash_table_lookup (existing, name);

  g_hash_table_add (wanted, g_strdup (name));
  if (now != NULL && g_str_equal (now, sql))
    return TRUE;
  if (now != NULL && !td_store_drop_trigger (db, name, error))
    return FALSE;
  return td_store_exec_sql (db, sql, error);
}

/* The triggers that keep updated_at and the audit log for one table, from
 * the table's columns as they are now: created, or recreated where the
 * columns changed. */
static gboolean
td_store_install_table_triggers (sqlite3     *db,
                                 const char  *table,
                                 GHashTable  *existing,
                                 GHashTable  *wanted,
                                 GError     **error)
{
  g_autoptr(GArray) columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_autoptr(GString) touch = NULL, insert = NULL, delete = NULL, update = NULL;
  g_autofree char *qtable = td_store_quote_ident (table);
  char *ltable = sqlite3_mprintf ("%Q", table);
  sqlite3_stmt *stmt = NULL;
  gboolean has_uuid = FALSE, has_updated_at = FALSE;
  int rc;

  g_array_set_clear_func (columns, td_store_column_clear);

  rc = sqlite3_prepare_v2 (db, "SELECT name, upper (type) FROM pragma_table_info (?)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  while (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *)sqlite3_column_text (stmt, 0);
      const char *type = (const char *)sqlite3_column_text (stmt, 1);
      Column column;

      has_uuid |= g_strcmp0 (name, "uuid") == 0;
      has_updated_at |= g_strcmp0 (name, "updated_at") == 0;
      if (!td_store_is_audited_column (name))
        continue;
      column.name = g_strdup (name);
      column.quoted = td_store_quote_ident (name);
      column.may_be_blob = g_strcmp0 (type, "BLOB") == 0 || g_strcmp0 (type, "ANY") == 0;
      g_array_append_val (columns, column);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      sqlite3_free (ltable);
      td_store_set_error_from_db (db, rc, error);
      return FALSE;
    }

  if (!has_uuid || !has_updated_at)
    {
      sqlite3_free (ltable);
      return TRUE;
    }

  touch = g_string_new (NULL);
  g_string_append_printf (touch,
                          "CREATE TRIGGER \"td_touch_%s\" AFTER UPDATE ON %s "
                          "WHEN NEW.updated_at IS OLD.updated_at BEGIN "
                          "UPDATE %s SET updated_at = %s WHERE id = NEW.id; END",
                          table, qtable, qtable, SQL_NOW);

  insert = g_string_new (NULL);
  g_string_append_printf (insert,
                          "CREATE TRIGGER \"td_audit_insert_%s\" AFTER INSERT ON %s BEGIN "
                          "INSERT INTO audit_log (table_name, row_uuid, action, new_value) "
                          "VALUES (%s, NEW.uuid, 'insert', ",
                          table, qtable, ltable);
  td_store_append_json_object (insert, "NEW", columns);
  g_string_append (insert, "); END");

  delete = g_string_new (NULL);
  g_string_append_printf (delete,
                          "CREATE TRIGGER \"td_audit_delete_%s\" AFTER DELETE ON %s BEGIN "
                          "INSERT INTO audit_log (table_name, row_uuid, action, old_value) "
                          "VALUES (%s, OLD.uuid, 'delete', ",
                          table, qtable, ltable);
  td_store_append_json_object (delete, "OLD", columns);
  g_string_append (delete, "); END");

  update = g_string_new (NULL);
  g_string_append_printf (update, "CREATE TRIGGER \"td_audit_update_%s\" AFTER UPDATE ON %s BEGIN ",
                          table, qtable);
  for (guint i = 0; i < columns->len; i++)
    {
      const Column *column = &g_array_index (columns, Column, i);
      char *lname = sqlite3_mprintf ("%Q", column->name);

      g_string_append_printf (update,
                              "INSERT INTO audit_log (table_name, row_uuid, action, field, old_value, new_value) "
                              "SELECT %s, NEW.uuid, 'update', %s, ",
                              ltable, lname);
      td_store_append_audit_value (update, "OLD", column);
      g_string_append (update, ", ");
      td_store_append_audit_value (update, "NEW", column);
      g_string_append_printf (update, " WHERE OLD.%s IS NOT NEW.%s;\n", column->quoted, column->quoted);
      sqlite3_free (lname);
    }
  g_string_append (update, "END");
  sqlite3_free (ltable);

  {
    const struct { const char *prefix; GString *sql; } triggers[] = {
      { "td_touch_", touch },
      { "td_audit_insert_", insert },
      { "td_audit_delete_", delete },
      { "td_audit_update_", update },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (triggers); i++)
      {
        g_autofree char *name = g_strconcat (triggers[i].prefix, table, NULL);

        if (!td_store_install_trigger (db, existing, wanted, name, triggers[i].sql->str, error))
          return FALSE;
      }
  }
  return TRUE;
}

static gboolean
td_store_install_triggers (sqlite3  *db,
                           GError  **error)
{
  g_autoptr(GHashTable) existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) stale = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer name;
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT type, name, sql FROM sqlite_schema "
                           "WHERE (type = 'trigger' AND (name GLOB 'td_audit_*' OR name GLOB 'td_touch_*')) "
                           "   OR (type = 'table' AND name NOT GLOB 'sqlite_*' AND name != 'audit_log') "
                           "ORDER BY name",
                           -1, &stmt, NULL);
  while (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *type = (const char *)sqlite3_column_text (stmt, 0);
      const char *row_name = (const char *)sqlite3_column_text (stmt, 1);
      const char *sql = (const char *)sqlite3_column_text (stmt, 2);

      if (g_str_equal (type, "trigger"))
        g_hash_table_insert (existing, g_strdup (row_name), g_strdup (sql ? sql : ""));
      else
        g_ptr_array_add (tables, g_strdup (row_name));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      td_store_set_error_from_db (db, rc, error);
      return FALSE;
    }

  for (guint i = 0; i < tables->len; i++)
    if (!td_store_install_table_triggers (db, g_ptr_array_index (tables, i), existing, wanted, error))
      return FALSE;

  /* Those of a table that no longer has a uuid or updated_at column. */
  g_hash_table_iter_init (&iter, existing);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    if (!g_hash_table_contains (wanted, name))
      g_ptr_array_add (stale, name);
  for (guint i = 0; i < stale->len; i++)
    if (!td_store_drop_trigger (db, g_ptr_array_index (stale, i), error))
      return FALSE;
  return TRUE;
}

static char *
td_store_load_migration (guint    version,
                         GError **error)
{
  g_autofree char *path = g_strconcat (MIGRATIONS_PATH, migrations[version - 1], NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GString) sql = NULL;
  char *quoted_v4, *quoted_v7;

  bytes = g_resources_lookup_data (path, 0, error);
  if (bytes == NULL)
    return NULL;

  sql = g_string_new_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  /* The two defaults as SQL string literals, for migration 9 to edit the
   * schema's text with. */
  quoted_v4 = sqlite3_mprintf ("%Q", SQL_UUID_V4);
  quoted_v7 = sqlite3_mprintf ("%Q", SQL_UUID);
  g_string_replace (sql, "@UUID_V4_TEXT@", quoted_v4, 0);
  g_string_replace (sql, "@UUID_TEXT@", quoted_v7, 0);
  sqlite3_free (quoted_v4);
  sqlite3_free (quoted_v7);
  /* Migrations 1-8 write what they always wrote, so that every database,
   * a new one too, reaches version 7 keys the same way: by migration 9. */
  g_string_replace (sql, "@UUID@", version < 9 ? SQL_UUID_V4 : SQL_UUID, 0);
  g_string_replace (sql, "@NOW@", SQL_NOW, 0);
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

/* For tests that need a database as an earlier version made it. */
static guint td_store_target_version = TD_STORE_SCHEMA_VERSION;

void
td_store_set_target_version_for_testing (guint version)
{
  g_return_if_fail (version >= 1 && version <= TD_STORE_SCHEMA_VERSION);

  td_store_target_version = version;
}

/* Brings the schema from its version up to TD_STORE_SCHEMA_VERSION, one
 * migration per transaction, so a failure leaves the last good version.
 * A new database (version 0) is made in one transaction, its generic
 * triggers installed once at the end: it holds no rows for them to keep,
 * a failure leaves it empty to be made again, and SQLite does not parse
 * every trigger again at each ALTER TABLE of the later migrations (most
 * of a new database's cost, and of every test's store). */
gboolean
td_store_migrate (sqlite3  *db,
                  GError  **error)
{
  int rc;
  gint64 version = td_store_query_int (db, "PRAGMA user_version", &rc);
  gboolean new_database = version == 0;

  if (rc != SQLITE_OK)
    {
      td_store_set_error_from_db (db, rc, error);
      return FALSE;
    }

  for (guint v = (guint)version + 1; v <= td_store_target_version; v++)
    {
      g_autofree char *sql = NULL;
      g_autofree char *pragmas = NULL;
      g_autoptr(GError) local_error = NULL;
      gboolean first = !new_database || v == 1;
      gboolean last = !new_database || v == td_store_target_version;

      if (!(sql = td_store_load_migration (v, error)))
        {
          if (!first)
            td_store_exec_sql (db, "ROLLBACK", NULL);
          return FALSE;
        }

      pragmas = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %u;",
                                 TD_STORE_APPLICATION_ID, v);

      if (first && !td_store_exec_sql (db, "BEGIN IMMEDIATE", error))
        return FALSE;

      if (!td_store_exec_sql (db, sql, &local_error) ||
          !td_store_exec_sql (db, pragmas, &local_error) ||
          (last && !td_store_install_triggers (db, &local_error)) ||
          (last && !td_store_exec_sql (db, "COMMIT", &local_error)))
        {
          td_store_exec_sql (db, "ROLLBACK", NULL);
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("Could not upgrade the database to schema %u: "), v);
          return FALSE;
        }

      g_debug ("Migrated to schema %u", v);
    }

  return TRUE;
}

gboolean
td_store_configure_connection (sqlite3  *db,
                               GError  **error)
{
  return td_store_exec_sql (db,
                            "PRAGMA journal_mode = WAL;"
                            "PRAGMA synchronous = NORMAL;"
                            "PRAGMA foreign_keys = ON;",
                            error);
}

static gboolean
td_store_open_writable (TdStore  *self,
                        GError  **error)
{
  int rc;

  if ((self->lock_fd = td_store_files_take_lock (self->path, error)) < 0)
    return FALSE;
  td_store_files_remember_identity (self);

  rc = sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    {
      td_store_set_error (self, rc, error);
      return FALSE;
    }
  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 3000);
  sqlite3_commit_hook (self->db, td_store_commit_hook, self);

  self->left_clean = td_store_files_left_clean (self->path);
  if (!td_store_check_connection (self->db, self->path, !self->left_clean, error))
    return FALSE;

  /* The note of the last clean close is dropped at the first commit
   * (td_store_commit_hook). */
  return td_store_configure_connection (self->db, error) && td_store_migrate (self->db, error);
}

/**
 * td_store_open:
 * @path: the database file; created (with its folder) if missing
 *
 * Returns: (transfer full): the open store, or %NULL with @error set and
 *   the file left as it was (a file this call created is removed again).
 */
TdStore *
td_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(TdStore) self = NULL;
  gboolean exists = FALSE;

  g_return_val_if_fail (path != NULL, NULL);

  td_sqlite_locks_install ();

  if (!td_store_files_check_path (path, &exists, error))
    return NULL;

  self = g_object_new (TD_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->created = !exists;

  if (!td_store_open_writable (self, error))
    {
      /* Disk full, say, on the first pages: leave nothing rather than an
       * empty or half-made file. Closed first, so the lock is ours till
       * the file is gone. */
      g_autofree char *created = self->created && self->lock_fd >= 0 ? g_strdup (path) : NULL;

      g_clear_object (&self);
      if (created != NULL)
        td_store_remove_files (created);
      return NULL;
    }

  self->opened = TRUE;
  return g_steal_pointer (&self);
}

/**
 * td_store_was_created:
 *
 * Whether td_store_open() created the file (it did not exist before).
 */
gboolean
td_store_was_created (TdStore *self)
{
  g_return_val_if_fail (TD_IS_STORE (self), FALSE);

  return self->created;
}

static gboolean
td_store_open_read_only (TdStore  *self,
                         GError  **error)
{
  g_autofree char *display = g_filename_display_name (self->path);
  g_autofree char *uri = NULL;
  g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);
  g_autofree char *dir = g_path_get_dirname (self->path);
  int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
  int rc;

  self->lock_fd = open (self->path, O_RDONLY | O_CLOEXEC);
  if (self->lock_fd < 0 || flock (self->lock_fd, LOCK_SH | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EWOULDBLOCK)
        g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_LOCKED,
                     _("“%s” is already open in another copy of Training Desk. Close it there first."),
                     display);
      else
        g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_NOT_READABLE,
                     _("Cannot open “%s”: %s."), display, g_strerror (saved_errno));
      return FALSE;
    }
  td_store_files_remember_identity (self);

  /* In a folder it cannot write, SQLite cannot make the -wal and -shm a
   * WAL file is read through. A file closed cleanly has no log: then it is
   * read as it is, as an immutable file (no other copy of the app can
   * hold it for writing: our shared lock). With a log left beside it,
   * SQLite reads that through the -shm if it can, or refuses. */
  uri = g_filename_to_uri (self->path, NULL, NULL);
  if (uri != NULL && access (dir, W_OK) != 0 && !g_file_test (wal, G_FILE_TEST_EXISTS))
    {
      g_autofree char *immutable = g_strconcat (uri, "?immutable=1", NULL);

      g_free (uri);
      uri = g_steal_pointer (&immutable);
    }
  rc = sqlite3_open_v2 (uri != NULL ? uri : self->path, &self->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      td_store_set_error_from_db (self->db, rc, error);
      return FALSE;
    }
  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 3000);

  if (!td_store_check_connection (self->db, self->path, !td_store_files_left_clean (self->path), error))
    return FALSE;
  if (td_store_query_int (self->db, "PRAGMA user_version", &rc) != TD_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_READ_ONLY,
                   _("“%s” must be brought up to this version of Training Desk, but it cannot be written. Check the file’s permissions."),
                   display);
      return FALSE;
    }
  return td_store_exec_sql (self->db, "PRAGMA foreign_keys = ON", error);
}

/**
 * td_store_open_for_reading:
 * @path: an existing database file
 *
 * For commands that only read (an export): td_store_open(), or, when the
 * file or its folder cannot be written (permissions, a read-only file
 * system), the file opened read-only, unchanged. Then every write is
 * refused with %TD_STORE_ERROR_READ_ONLY.
 *
 * Returns: (transfer full)
 */
TdStore *
td_store_open_for_reading (const char  *path,
                           GError     **error)
{
  g_autoptr(TdStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!td_store_files_refuse_special (path, error))
    return NULL;
  if (!td_store_files_cannot_write (path))
    return td_store_open (path, error);

  td_sqlite_locks_install ();
  self = g_object_new (TD_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->read_only = TRUE;
  if (!td_store_open_read_only (self, error))
    return NULL;
  self->opened = TRUE;
  return g_steal_pointer (&self);
}

/**
 * td_store_is_read_only:
 */
gboolean
td_store_is_read_only (TdStore *self)
{
  g_return_val_if_fail (TD_IS_STORE (self), FALSE);

  return self->read_only;
}

/**
 * td_store_open_reader:
 * @path: the file of an open store (td_store_get_path())
 *
 * A second, read-only connection to that file, for a worker thread to
 * read figures while the store goes on (WAL lets readers and the writer
 * work side by side). Use it from one thread at a time (it may be handed
 * from one thread to another, as SQLite allows); it writes nothing and
 * takes no lock.
 *
 * Returns: (transfer full)
 */
TdStore *
td_store_open_reader (const char  *path,
                      GError     **error)
{
  g_autoptr(TdStore) reader = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  reader = g_object_new (TD_TYPE_STORE, NULL);
  reader->path = g_strdup (path);
  rc = sqlite3_open_v2 (path, &reader->db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      td_store_set_error_from_db (reader->db, rc, error);
      return NULL;
    }
  sqlite3_extended_result_codes (reader->db, TRUE);
  sqlite3_busy_timeout (reader->db, 3000);
  return g_steal_pointer (&reader);
}

/**
 * td_store_check_file:
 *
 * Checks, without changing it, that @path is a healthy Training Desk
 * database this version can open (e.g. before restoring from it).
 */
gboolean
td_store_check_file (const char  *path,
                     GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  sqlite3 *db = NULL;
  gboolean ret;
  int rc;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_IS_DIRECTORY,
                   _("“%s” is a folder, not a database file."), display);
      return FALSE;
    }
  if (!td_store_files_refuse_special (path, error))
    return FALSE;
  if (access (path, R_OK) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_NOT_READABLE,
                   _("Cannot read “%s”: %s."), display, g_strerror (saved_errno));
      return FALSE;
    }

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      td_store_set_error_from_db (db, rc, error);
      sqlite3_close_v2 (db);
      return FALSE;
    }
  ret = td_store_check_connection (db, path, TRUE, error);
  if (ret && td_store_query_int (db, "PRAGMA user_version", &rc) == 0)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FOREIGN_DATABASE,
                   _("“%s” is empty: there is nothing to restore from it."), display);
      ret = FALSE;
    }
  sqlite3_close_v2 (db);
  return ret;
}

static gboolean
td_store_emit_changed_cb (gpointer user_data)
{
  g_signal_emit (user_data, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* Listeners (widgets among them) hear of a change in the thread that
 * opened the store, even when a worker thread made it. */
static void
td_store_emit_changed (TdStore *self)
{
  if (g_thread_self () == self->thread)
    g_signal_emit (self, signals[CHANGED], 0);
  else
    g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, td_store_emit_changed_cb,
                                g_object_ref (self), g_object_unref);
}

gboolean
td_store_transaction (TdStore      *self,
                      TdStoreFunc   func,
                      gpointer      user_data,
                      GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TD_IS_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (self->read_only)
    {
      td_store_set_read_only_error (self, error);
      return FALSE;
    }
  /* Checked again by the commit hook, for a file replaced meanwhile. */
  if (!td_store_files_check_identity (self, error))
    {
      td_store_retire (self);
      return FALSE;
    }

  if (!td_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  self->in_transaction = TRUE;
  if (!func (self, user_data, &local_error) ||
      !td_store_exec (self, "COMMIT", &local_error))
    {
      td_store_exec (self, "ROLLBACK", NULL);
      self->in_transaction = FALSE;
      /* A refusal by the commit hook reads as a constraint: say why. */
      if (g_atomic_int_get (&self->replaced))
        {
          g_clear_error (&local_error);
          td_store_set_replaced_error (self, &local_error);
          td_store_retire (self);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  self->in_transaction = FALSE;
  td_store_emit_changed (self);
  return TRUE;
}

char *
td_store_dup_setting (TdStore    *self,
                      const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (TD_IS_STORE (self), NULL);

  if (!(stmt = td_store_prepare (self, "SELECT value FROM setting WHERE key = ?", NULL)))
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
td_store_set_setting (TdStore     *self,
                      const char  *key,
                      const char  *value,
                      GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TD_IS_STORE (self), FALSE);

  if (!(stmt = td_store_prepare (self,
                                 "INSERT INTO setting (key, value) VALUES (?, ?) "
                                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                 error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return td_store_step_done (self, stmt, error);
}

gint64
td_store_count_audit (TdStore    *self,
                      const char *table_name)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (TD_IS_STORE (self), -1);

  if (!(stmt = td_store_prepare (self,
                                 "SELECT count(*) FROM audit_log WHERE ?1 IS NULL OR table_name = ?1",
                                 NULL)))
    return -1;
  sqlite3_bind_text (stmt, 1, table_name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

/* On the main thread, once a restore replaced the content. */
void
td_store_emit_restored (TdStore *self)
{
  /* The statements cached were prepared against the old content. */
  g_hash_table_remove_all (self->statements);
  g_signal_emit (self, signals[RESTORED], 0);
  g_signal_emit (self, signals[CHANGED], 0);
}
