/* td-receiver-db.c: the receiver's own database (schools, submissions)
 *
 * One SQLite file in WAL mode, so that the server's readers never wait for
 * its writer, and `--list` or `--add-school` can run beside the server.
 * Every write is one transaction; storing a submission checks for the
 * revision and inserts it in the same one, so two uploads of the same
 * revision at once still store it once; the school's key is checked, or
 * enrolled, in that transaction too, so two first submissions signed by
 * different keys cannot both be taken.
 *
 * The server stores by group commit (td_receiver_db_store_batch()): the
 * submissions waiting are stored in one transaction, each in a savepoint
 * of its own so that one refused or failing is undone alone, with one
 * commit (one fsync of the log, synchronous = FULL) for all; none is
 * answered before that commit returns.
 *
 * The schema is td-receiver-schema.sql (CREATE … IF NOT EXISTS, run at
 * every open); a database of an earlier schema (PRAGMA user_version) is
 * first brought up by td-receiver-upgrade-N.sql, in the same transaction.
 *
 * A connection may be used from any thread, one call at a time.
 *
 * The statements of the upload path (a token looked up, a revision looked
 * up, a submission stored, the transaction and its savepoints) are
 * prepared once a connection and kept (td_receiver_db_cached()): parsing
 * them again for every upload was SQLite's largest share of the main
 * loop's and the writer's time under 64 clients (issue 17).
 *
 * A new database has pages of 16 KiB (SQLite's default is 4 KiB): a 64
 * KiB PDF is then 4 overflow pages and 4 frames of the log, not 16, each
 * written by a call of its own. A database made before keeps its pages
 * (page_size only applies to a database not yet written).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-receiver"

#include "config.h"

#include <gio/gio.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "td-receiver-db.h"
#include "td-revision.h"
#include "td-signing-key.h"

#define SCHEMA_RESOURCE "/io/github/vocedu/TrainingDesk/receiver/td-receiver-schema.sql"
#define UPGRADE_RESOURCE "/io/github/vocedu/TrainingDesk/receiver/td-receiver-upgrade-%d.sql"
#define SCHEMA_VERSION 3

struct _TdReceiverDb
{
  GMutex   lock;
  sqlite3 *db;
  char    *path;
  void   (*wal_func) (gpointer data);
  gpointer wal_data;
  GHashTable *statements; /* SQL (a string constant, not copied) → sqlite3_stmt */
};

G_DEFINE_QUARK (td-receiver-db-error-quark, td_receiver_db_error)

static gboolean
td_receiver_db_set_sqlite_error (TdReceiverDb  *self,
                                 int            rc,
                                 const char    *what,
                                 GError       **error)
{
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    g_set_error (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_BUSY,
                 "The database %s is busy (%s)", self->path, what);
  else
    g_set_error (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_FAILED,
                 "The database %s failed (%s): %s", self->path, what,
                 self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
  return FALSE;
}

static gboolean
td_receiver_db_exec (TdReceiverDb  *self,
                     const char    *sql,
                     GError       **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return td_receiver_db_set_sqlite_error (self, rc, sql, error);
  return TRUE;
}

static sqlite3_stmt *
td_receiver_db_prepare (TdReceiverDb  *self,
                        const char    *sql,
                        GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      td_receiver_db_set_sqlite_error (self, rc, "prepare", error);
      return NULL;
    }
  return stmt;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* A statement of the connection's own, kept prepared: borrowed, and
 * given back (reset, its parameters cleared) by td_receiver_db_release(),
 * which g_autoptr(TdCachedStmt) calls. Resetting a read also ends its read
 * transaction, which would hold back checkpoints. */
typedef sqlite3_stmt TdCachedStmt;

static void
td_receiver_db_release (TdCachedStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdCachedStmt, td_receiver_db_release)

/* @sql must be a string constant: it is the cache's key, not copied. */
static TdCachedStmt *
td_receiver_db_cached (TdReceiverDb  *self,
                       const char    *sql,
                       GError       **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt)
    return stmt;
  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      td_receiver_db_set_sqlite_error (self, rc, "prepare", error);
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer)sql, stmt);
  return stmt;
}

/* One statement without rows (BEGIN, COMMIT, a savepoint), kept prepared. */
static gboolean
td_receiver_db_run (TdReceiverDb  *self,
                    const char    *sql,
                    GError       **error)
{
  g_autoptr(TdCachedStmt) stmt = td_receiver_db_cached (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return td_receiver_db_set_sqlite_error (self, rc, sql, error);
  return TRUE;
}

static void
td_receiver_db_rollback (TdReceiverDb *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

char *
td_receiver_format_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return td_signoff_format_time (now);
}

TdReceiverDb *
td_receiver_db_open (const char  *path,
                     guint        busy_timeout_ms,
                     GError     **error)
{
  g_autoptr(TdReceiverDb) self = g_new0 (TdReceiverDb, 1);
  g_autoptr(GBytes) schema = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;
  int rc, version;

  g_mutex_init (&self->lock);
  self->path = g_strdup (path);
  self->statements = g_hash_table_new (g_str_hash, g_str_equal);

  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_FAILED,
                   "Cannot open the database %s: %s", path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_busy_timeout (self->db, (int)busy_timeout_ms);

  /* Before anything is written: a database made now gets 16 KiB pages,
   * one made before keeps its own. */
  if (!td_receiver_db_exec (self, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;", error))
    return NULL;

  stmt = td_receiver_db_prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      td_receiver_db_set_sqlite_error (self, rc, "user_version", error);
      return NULL;
    }
  version = sqlite3_column_int (stmt, 0);
  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_FAILED,
                   "The database %s was made by a later receiver (schema %d); this one reads schema %d",
                   path, version, SCHEMA_VERSION);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  schema = g_resources_lookup_data (SCHEMA_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (schema == NULL)
    return NULL;
  sql = g_strndup (g_bytes_get_data (schema, NULL), g_bytes_get_size (schema));
  if (!td_receiver_db_exec (self, "BEGIN IMMEDIATE", error))
    return NULL;
  /* 0 is a new database: the schema makes it whole. */
  for (int v = version + 1; version > 0 && v <= SCHEMA_VERSION; v++)
    {
      g_autofree char *name = g_strdup_printf (UPGRADE_RESOURCE, v);
      g_autoptr(GBytes) upgrade = g_resources_lookup_data (name, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      g_autofree char *upgrade_sql = NULL;

      if (upgrade == NULL)
        {
          td_receiver_db_rollback (self);
          return NULL;
        }
      upgrade_sql = g_strndup (g_bytes_get_data (upgrade, NULL), g_bytes_get_size (upgrade));
      if (!td_receiver_db_exec (self, upgrade_sql, error))
        {
          td_receiver_db_rollback (self);
          return NULL;
        }
    }
  if (!td_receiver_db_exec (self, sql, error) || !td_receiver_db_exec (self, "COMMIT", error))
    {
      td_receiver_db_rollback (self);
      return NULL;
    }

  return g_steal_pointer (&self);
}

static int
td_receiver_db_wal_hook_cb (void       *data,
                            sqlite3    *db,
                            const char *name,
                            int         frames)
{
  TdReceiverDb *self = data;

  if (frames >= TD_RECEIVER_DB_CHECKPOINT_FRAMES)
    self->wal_func (self->wal_data);
  return SQLITE_OK;
}

/**
 * td_receiver_db_defer_checkpoints:
 * @func: called (in the committing thread, inside the commit: it must not
 *   use this connection) after a commit that leaves the log at
 *   TD_RECEIVER_DB_CHECKPOINT_FRAMES pages or more
 *
 * This connection's commits no longer copy the log into the database
 * (SQLite's automatic checkpoint, with its fsync of the database, in the
 * commit that passes 1,000 pages): another connection, in another thread,
 * is to call td_receiver_db_checkpoint() when @func says.
 */
void
td_receiver_db_defer_checkpoints (TdReceiverDb *self,
                                  void        (*func) (gpointer data),
                                  gpointer      data)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);

  self->wal_func = func;
  self->wal_data = data;
  /* Replaces the automatic checkpoint's own hook. */
  sqlite3_wal_hook (self->db, td_receiver_db_wal_hook_cb, self);
}

/**
 * td_receiver_db_checkpoint:
 *
 * Copies what it can of the log into the database (a passive checkpoint:
 * it never waits for, nor blocks, the writer or the readers).
 */
gboolean
td_receiver_db_checkpoint (TdReceiverDb  *self,
                           GError       **error)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);
  int rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

  if (rc != SQLITE_OK)
    return td_receiver_db_set_sqlite_error (self, rc, "checkpoint", error);
  return TRUE;
}

void
td_receiver_db_close (TdReceiverDb *self)
{
  if (self == NULL)
    return;
  if (self->statements)
    {
      GHashTableIter iter;
      gpointer stmt;

      g_hash_table_iter_init (&iter, self->statements);
      while (g_hash_table_iter_next (&iter, NULL, &stmt))
        sqlite3_finalize (stmt);
      g_hash_table_unref (self->statements);
    }
  if (self->db)
    sqlite3_close (self->db);
  g_mutex_clear (&self->lock);
  g_free (self->path);
  g_free (self);
}

void
td_stored_free (TdStored *stored)
{
  if (stored == NULL)
    return;
  g_free (stored->uuid);
  g_free (stored->school);
  g_free (stored->campaign);
  g_free (stored->signer);
  g_free (stored->signed_at);
  g_free (stored->form_sha256);
  g_free (stored->pdf_sha256);
  g_free (stored->signature_sha256);
  g_free (stored->receipt);
  g_free (stored->received_at);
  g_free (stored);
}

static char *
td_receiver_db_token_sha256 (const char *token)
{
  return td_sha256_hex (token, strlen (token));
}

/**
 * td_receiver_db_add_school:
 * @public_key: (nullable): the school's Ed25519 public key, base64 (32
 *   bytes): bound to the school now; %NULL keeps the key bound (or none)
 * @replaced: (out): whether the school was there already (its old token
 *   no longer works)
 *
 * Returns: (transfer full): the school's new bearer token: 32 random bytes
 *   in hexadecimal. Only its SHA-256 is stored.
 */
char *
td_receiver_db_add_school (TdReceiverDb  *self,
                           const char    *name,
                           const char    *public_key,
                           gboolean      *replaced,
                           GError       **error)
{
  return td_receiver_db_add_school_full (self, name, public_key, NULL, NULL, TD_ADD_SCHOOL_ANY, replaced, error);
}

/**
 * td_receiver_db_add_school_full:
 * @city: (nullable): where the school is, for the desk (with @county)
 * @mode: whether the school must be new, or known already
 *
 * Makes a school's token (a new one replaces the old) and binds @public_key
 * if given, with where it is, in one transaction.
 *
 * Returns: (transfer full): the token, or %NULL with
 *   TD_RECEIVER_DB_ERROR_EXISTS or _NO_SCHOOL when @mode is not met
 */
char *
td_receiver_db_add_school_full (TdReceiverDb     *self,
                                const char       *name,
                                const char       *public_key,
                                const char       *city,
                                const char       *county,
                                TdAddSchoolMode   mode,
                                gboolean         *replaced,
                                GError          **error)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  unsigned char random[32];
  g_autofree char *token = NULL, *hash = NULL, *now = td_receiver_format_now ();
  int rc;

  if (!td_sodium_init (error))
    return NULL;
  randombytes_buf (random, sizeof random);
  token = g_malloc (2 * sizeof random + 1);
  sodium_bin2hex (token, 2 * sizeof random + 1, random, sizeof random);
  sodium_memzero (random, sizeof random);
  hash = td_receiver_db_token_sha256 (token);

  if (!td_receiver_db_exec (self, "BEGIN IMMEDIATE", error))
    return NULL;
  stmt = td_receiver_db_prepare (self, "SELECT 1 FROM school WHERE name = ?1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      td_receiver_db_set_sqlite_error (self, rc, "school", error);
      goto failed;
    }
  *replaced = rc == SQLITE_ROW;
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (mode == TD_ADD_SCHOOL_NEW && *replaced)
    {
      g_set_error (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_EXISTS,
                   "A school is registered as “%s” already", name);
      goto failed;
    }
  if (mode == TD_ADD_SCHOOL_EXISTING && !*replaced)
    {
      g_set_error (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_NO_SCHOOL,
                   "No school is registered as “%s”", name);
      goto failed;
    }

  stmt = td_receiver_db_prepare (self,
                                 "INSERT INTO school (name, token_sha256, created_at, public_key, key_set_at, key_set_by) "
                                 "VALUES (?1, ?2, ?3, ?4, CASE WHEN ?4 IS NULL THEN NULL ELSE ?3 END, "
                                 "        CASE WHEN ?4 IS NULL THEN NULL ELSE 'province' END) "
                                 "ON CONFLICT (name) DO UPDATE SET token_sha256 = excluded.token_sha256, "
                                 "  public_key = COALESCE (excluded.public_key, public_key), "
                                 "  key_set_at = COALESCE (excluded.key_set_at, key_set_at), "
                                 "  key_set_by = COALESCE (excluded.key_set_by, key_set_by)",
                                 error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, public_key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      td_receiver_db_set_sqlite_error (self, rc, "add school", error);
      goto failed;
    }
  if (city != NULL || county != NULL)
    {
      g_clear_pointer (&stmt, sqlite3_finalize);
      stmt = td_receiver_db_prepare (self,
                                     "INSERT OR REPLACE INTO school_place (school_id, city, county) "
                                     "SELECT id, ?2, ?3 FROM school WHERE name = ?1",
                                     error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, city, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, county, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          td_receiver_db_set_sqlite_error (self, rc, "school place", error);
          goto failed;
        }
    }
  if (!td_receiver_db_exec (self, "COMMIT", error))
    goto failed;
  return g_steal_pointer (&token);

failed:
  td_receiver_db_rollback (self);
  return NULL;
}

/**
 * td_receiver_db_find_school:
 *
 * Returns: %TRUE with @school_id and @name when @token is a school's,
 *   %FALSE without @error when it is no one's
 */
gboolean
td_receiver_db_find_school (TdReceiverDb  *self,
                            const char    *token,
                            gint64        *school_id,
                            char         **name,
                            GError       **error)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);
  g_autoptr(TdCachedStmt) stmt = td_receiver_db_cached (self, "SELECT id, name FROM school WHERE token_sha256 = ?1", error);
  g_autofree char *hash = td_receiver_db_token_sha256 (token);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return FALSE;
  if (rc != SQLITE_ROW)
    return td_receiver_db_set_sqlite_error (self, rc, "school", error);
  *school_id = sqlite3_column_int64 (stmt, 0);
  *name = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  return TRUE;
}

/**
 * td_receiver_db_find_school_by_name:
 *
 * The school a mailed form names: its 单位名称 as registered, after
 * td_receiver_school_key() on both sides.
 *
 * Returns: %TRUE with @school_id and @registered, %FALSE without @error
 *   when no school of that name is registered
 */
gboolean
td_receiver_db_find_school_by_name (TdReceiverDb  *self,
                                    const char    *name,
                                    gint64        *school_id,
                                    char         **registered,
                                    GError       **error)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);
  g_autoptr(sqlite3_stmt) stmt = td_receiver_db_prepare (self, "SELECT id, name FROM school", error);
  g_autofree char *wanted = td_receiver_school_key (name);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *key = td_receiver_school_key ((const char *)sqlite3_column_text (stmt, 1));

      if (wanted != NULL && g_strcmp0 (key, wanted) == 0)
        {
          *school_id = sqlite3_column_int64 (stmt, 0);
          *registered = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
          return TRUE;
        }
    }
  if (rc != SQLITE_DONE)
    return td_receiver_db_set_sqlite_error (self, rc, "school", error);
  return FALSE;
}

/**
 * td_receiver_db_reset_key:
 *
 * Unbinds the school's key: its next accepted submission enrols one.
 *
 * Returns: %FALSE with TD_RECEIVER_DB_ERROR_NO_SCHOOL when no school has
 *   that name
 */
gboolean
td_receiver_db_reset_key (TdReceiverDb  *self,
                          const char    *name,
                          GError       **error)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!td_receiver_db_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  stmt = td_receiver_db_prepare (self, "UPDATE school SET public_key = NULL, key_set_at = NULL, key_set_by = NULL WHERE name = ?1",
                                 error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      td_receiver_db_set_sqlite_error (self, rc, "reset key", error);
      goto failed;
    }
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_NO_SCHOOL,
                   "No school is registered as “%s” (see --list)", name);
      goto failed;
    }
  if (!td_receiver_db_exec (self, "COMMIT", error))
    goto failed;
  return TRUE;

failed:
  td_receiver_db_rollback (self);
  return FALSE;
}

/* The name as compared: NFC, surrounding blanks gone, runs of blanks one
 * space. Full-width and half-width brackets stay different: they are
 * different names. */
char *
td_receiver_school_key (const char *name)
{
  g_autofree char *nfc = NULL;
  GString *out;
  gboolean blank = FALSE;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return NULL;
  nfc = g_utf8_normalize (name, -1, G_NORMALIZE_NFC);
  out = g_string_new (NULL);
  for (const char *p = nfc; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        blank = TRUE;
      else
        {
          if (blank && out->len > 0)
            g_string_append_c (out, ' ');
          blank = FALSE;
          g_string_append_unichar (out, c);
        }
    }
  return g_string_free (out, FALSE);
}

void
td_school_row_free (TdSchoolRow *row)
{
  if (row == NULL)
    return;
  g_free (row->name);
  g_free (row->public_key);
  g_free (row->key_set_at);
  g_free (row->key_set_by);
  g_free (row);
}

/**
 * td_receiver_db_list_schools:
 *
 * Returns: (transfer full) (element-type TdSchoolRow): every school, in
 *   the order added
 */
GPtrArray *
td_receiver_db_list_schools (TdReceiverDb  *self,
                             GError       **error)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);
  g_autoptr(sqlite3_stmt) stmt = td_receiver_db_prepare (self,
                                                         "SELECT k.name, k.public_key, k.key_set_at, k.key_set_by, "
                                                         "  (SELECT COUNT (*) FROM submission s WHERE s.school_id = k.id) "
                                                         "FROM school k ORDER BY k.id",
                                                         error);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)td_school_row_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdSchoolRow *row = g_new0 (TdSchoolRow, 1);

      row->name = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      row->public_key = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      row->key_set_at = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
      row->key_set_by = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
      row->submissions = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (list, row);
    }
  if (rc != SQLITE_DONE)
    {
      td_receiver_db_set_sqlite_error (self, rc, "schools", error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

void
td_refused_free (TdRefused *refused)
{
  if (refused == NULL)
    return;
  g_free (refused->sha256);
  g_free (refused->source);
  g_free (refused->message_id);
  g_free (refused->revision);
  g_free (refused->school);
  g_free (refused->word);
  g_free (refused->reason);
  g_free (refused->reason_zh);
  g_free (refused->refused_at);
  g_free (refused);
}

/**
 * td_receiver_db_refuse:
 *
 * Records a message not stored, and why: one row a message (@refused's
 * sha256); the same message refused again updates its row.
 */
gboolean
td_receiver_db_refuse (TdReceiverDb     *self,
                       const TdRefused  *refused,
                       GError          **error)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = td_receiver_format_now ();
  int rc;

  if (!td_receiver_db_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  stmt = td_receiver_db_prepare (self,
                                 "INSERT INTO refused_message (sha256, source, message_id, revision, school, word, reason, "
                                 "  reason_zh, refused_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                                 "ON CONFLICT (sha256) DO UPDATE SET source = excluded.source, word = excluded.word, "
                                 "  reason = excluded.reason, reason_zh = excluded.reason_zh, refused_at = excluded.refused_at, "
                                 "  school = excluded.school, revision = excluded.revision, message_id = excluded.message_id",
                                 error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, refused->sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, refused->source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, refused->message_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, refused->revision, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, refused->school, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, refused->word, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, refused->reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, refused->reason_zh, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, now, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      td_receiver_db_set_sqlite_error (self, rc, "refused", error);
      goto failed;
    }
  if (!td_receiver_db_exec (self, "COMMIT", error))
    goto failed;
  return TRUE;

failed:
  td_receiver_db_rollback (self);
  return FALSE;
}

/**
 * td_receiver_db_list_refused:
 *
 * Returns: (transfer full) (element-type TdRefused): the messages refused,
 *   in the order first refused
 */
GPtrArray *
td_receiver_db_list_refused (TdReceiverDb  *self,
                             GError       **error)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);
  g_autoptr(sqlite3_stmt) stmt = td_receiver_db_prepare (self,
                                                         "SELECT sha256, source, message_id, revision, school, word, reason, "
                                                         "  reason_zh, refused_at FROM refused_message ORDER BY id",
                                                         error);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)td_refused_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdRefused *r = g_new0 (TdRefused, 1);

      r->sha256 = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      r->source = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      r->message_id = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
      r->revision = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
      r->school = g_strdup ((const char *)sqlite3_column_text (stmt, 4));
      r->word = g_strdup ((const char *)sqlite3_column_text (stmt, 5));
      r->reason = g_strdup ((const char *)sqlite3_column_text (stmt, 6));
      r->reason_zh = g_strdup ((const char *)sqlite3_column_text (stmt, 7));
      r->refused_at = g_strdup ((const char *)sqlite3_column_text (stmt, 8));
      g_ptr_array_add (list, r);
    }
  if (rc != SQLITE_DONE)
    {
      td_receiver_db_set_sqlite_error (self, rc, "refused", error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

#define STORED_COLUMNS \
  "s.id, s.uuid, s.school_id, k.name, s.campaign, s.number, s.signer, s.signed_at, s.form_sha256, " \
  "s.pdf_sha256, s.signature_sha256, length (s.pdf), s.receipt, s.received_at "

static char *
td_receiver_db_column_text (sqlite3_stmt *stmt,
                            int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

static TdStored *
td_receiver_db_stored_from_row (sqlite3_stmt *stmt)
{
  TdStored *stored = g_new0 (TdStored, 1);

  stored->id = sqlite3_column_int64 (stmt, 0);
  stored->uuid = td_receiver_db_column_text (stmt, 1);
  stored->school_id = sqlite3_column_int64 (stmt, 2);
  stored->school = td_receiver_db_column_text (stmt, 3);
  stored->campaign = td_receiver_db_column_text (stmt, 4);
  stored->number = sqlite3_column_int64 (stmt, 5);
  stored->signer = td_receiver_db_column_text (stmt, 6);
  stored->signed_at = td_receiver_db_column_text (stmt, 7);
  stored->form_sha256 = td_receiver_db_column_text (stmt, 8);
  stored->pdf_sha256 = td_receiver_db_column_text (stmt, 9);
  stored->signature_sha256 = td_receiver_db_column_text (stmt, 10);
  stored->pdf_size = sqlite3_column_int64 (stmt, 11);
  stored->receipt = td_receiver_db_column_text (stmt, 12);
  stored->received_at = td_receiver_db_column_text (stmt, 13);
  return stored;
}

/* Without the lock: inside td_receiver_db_store()'s transaction too. */
static TdStored *
lookup (TdReceiverDb  *self,
        const char    *uuid,
        GError       **error)
{
  g_autoptr(TdCachedStmt) stmt = td_receiver_db_cached (self,
                                                        "SELECT " STORED_COLUMNS
                                                        "FROM submission s JOIN school k ON k.id = s.school_id "
                                                        "WHERE s.uuid = ?1",
                                                        error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return td_receiver_db_stored_from_row (stmt);
  if (rc != SQLITE_DONE)
    td_receiver_db_set_sqlite_error (self, rc, "submission", error);
  return NULL;
}

/**
 * td_receiver_db_lookup:
 *
 * Returns: (transfer full) (nullable): the submission of revision @uuid;
 *   %NULL without @error when there is none
 */
TdStored *
td_receiver_db_lookup (TdReceiverDb  *self,
                       const char    *uuid,
                       GError       **error)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);

  return lookup (self, uuid, error);
}

/* "TDR-000042-3F2A9C1B7E4D": the sequence number, and the first 12
 * hexadecimal digits of SHA-256 ("<uuid>:<form_sha256>:<sequence>"). */
static char *
td_receiver_db_make_receipt (const char *uuid,
                             const char *form_sha256,
                             gint64      sequence)
{
  g_autofree char *input = g_strdup_printf ("%s:%s:%" G_GINT64_FORMAT, uuid, form_sha256, sequence);
  g_autofree char *hash = td_sha256_hex (input, strlen (input));
  g_autofree char *upper = g_ascii_strup (hash, 12);

  return g_strdup_printf ("TDR-%06" G_GINT64_FORMAT "-%s", sequence, upper);
}

/* What a school has stored: the three parts of each submission, the
 * measure of its quota. length() of a blob reads only its header. */
static gboolean
school_bytes (TdReceiverDb  *self,
              gint64         school_id,
              gint64        *bytes,
              GError       **error)
{
  g_autoptr(TdCachedStmt) stmt = td_receiver_db_cached (self,
                                                        "SELECT COALESCE (SUM (length (form_json) + length (pdf) + "
                                                        "length (signature_json)), 0) FROM submission WHERE school_id = ?1",
                                                        error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, school_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      td_receiver_db_set_sqlite_error (self, rc, "quota", error);
      return FALSE;
    }
  *bytes = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gboolean
td_receiver_db_school_bytes (TdReceiverDb  *self,
                             gint64         school_id,
                             gint64        *bytes,
                             GError       **error)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);

  return school_bytes (self, school_id, bytes, error);
}

/* The bytes a submission adds to its school's quota. */
gint64
td_submission_stored_size (TdSubmission *submission)
{
  return (gint64)(g_bytes_get_size (submission->form_json) + g_bytes_get_size (submission->pdf) +
                  g_bytes_get_size (submission->signature_json));
}

/* The revision looked up, the school's key checked or enrolled, the quota
 * checked and the row inserted, inside a transaction (or savepoint) the
 * caller holds; on failure, what was done is the caller's to roll back. */
static TdStored *
td_receiver_db_store_in_transaction (TdReceiverDb  *self,
                                     gint64         school_id,
                                     TdSubmission  *submission,
                                     const char    *channel,
                                     gint64         quota,
                                     gboolean      *inserted,
                                     GError       **error)
{
  g_autoptr(TdStored) stored = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *receipt = NULL, *now = td_receiver_format_now ();
  gint64 sequence;
  gsize length;
  const void *data;
  int rc;

  *inserted = FALSE;
  stored = lookup (self, submission->revision, &local_error);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (stored)
    return g_steal_pointer (&stored);

  {
    g_autoptr(TdCachedStmt) stmt = td_receiver_db_cached (self, "SELECT public_key FROM school WHERE id = ?1", error);
    g_autoptr(GBytes) bound = NULL;
    gboolean none_bound;

    if (stmt == NULL)
      return NULL;
    sqlite3_bind_int64 (stmt, 1, school_id);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW)
      {
        td_receiver_db_set_sqlite_error (self, rc, "school key", error);
        return NULL;
      }
    none_bound = sqlite3_column_type (stmt, 0) == SQLITE_NULL;
    if (!none_bound)
      bound = td_receiver_decode_key ((const char *)sqlite3_column_text (stmt, 0));
    if (!none_bound && (bound == NULL || !g_bytes_equal (bound, submission->public_key_bytes)))
      {
        g_autofree char *fingerprint = td_signing_key_fingerprint (bound);

        g_set_error (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_KEY_MISMATCH,
                     "%s", fingerprint ? fingerprint : "?");
        return NULL;
      }
    if (none_bound)
      {
        g_autoptr(TdCachedStmt) enrol = NULL;

        td_receiver_db_release (g_steal_pointer (&stmt));
        enrol = td_receiver_db_cached (self, "UPDATE school SET public_key = ?2, key_set_at = ?3, key_set_by = ?4 WHERE id = ?1",
                                       error);
        if (enrol == NULL)
          return NULL;
        sqlite3_bind_int64 (enrol, 1, school_id);
        sqlite3_bind_text (enrol, 2, submission->public_key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (enrol, 3, now, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (enrol, 4, channel, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step (enrol);
        if (rc != SQLITE_DONE)
          {
            td_receiver_db_set_sqlite_error (self, rc, "enrol key", error);
            return NULL;
          }
      }
  }

  /* In the same transaction as the insert: two uploads at once cannot
   * both pass. */
  if (quota > 0)
    {
      gint64 used, size = td_submission_stored_size (submission);

      if (!school_bytes (self, school_id, &used, error))
        return NULL;
      if (used + size > quota)
        {
          g_set_error (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_QUOTA,
                       "The school has stored %" G_GINT64_FORMAT " bytes; %" G_GINT64_FORMAT
                       " more would pass its quota of %" G_GINT64_FORMAT " bytes.",
                       used, size, quota);
          return NULL;
        }
    }

  {
    g_autoptr(TdCachedStmt) stmt = td_receiver_db_cached (self, "SELECT COALESCE (MAX (id), 0) + 1 FROM submission", error);

    if (stmt == NULL)
      return NULL;
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW)
      {
        td_receiver_db_set_sqlite_error (self, rc, "sequence", error);
        return NULL;
      }
    sequence = sqlite3_column_int64 (stmt, 0);
  }
  receipt = td_receiver_db_make_receipt (submission->revision, submission->form_sha256, sequence);

  {
    g_autoptr(TdCachedStmt) stmt = td_receiver_db_cached (self,
                                                          "INSERT INTO submission (id, uuid, school_id, campaign, number, signer, signed_at, "
                                                          "form_json, pdf, signature_json, form_sha256, pdf_sha256, signature_sha256, public_key, "
                                                          "receipt, received_at, channel) "
                                                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                                                          error);

    if (stmt == NULL)
      return NULL;
    sqlite3_bind_int64 (stmt, 1, sequence);
    sqlite3_bind_text (stmt, 2, submission->revision, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 3, school_id);
    sqlite3_bind_text (stmt, 4, submission->campaign, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 5, submission->number);
    sqlite3_bind_text (stmt, 6, submission->signer, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 7, submission->signed_at, -1, SQLITE_TRANSIENT);
    /* Static: the bindings are cleared when the statement is given back. */
    data = g_bytes_get_data (submission->form_json, &length);
    sqlite3_bind_blob64 (stmt, 8, data ? data : "", length, SQLITE_STATIC);
    data = g_bytes_get_data (submission->pdf, &length);
    sqlite3_bind_blob64 (stmt, 9, data ? data : "", length, SQLITE_STATIC);
    data = g_bytes_get_data (submission->signature_json, &length);
    sqlite3_bind_blob64 (stmt, 10, data ? data : "", length, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 11, submission->form_sha256, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 12, submission->pdf_sha256, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 13, submission->signature_sha256, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 14, submission->public_key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 15, receipt, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 16, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 17, channel, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_DONE)
      {
        td_receiver_db_set_sqlite_error (self, rc, "store", error);
        return NULL;
      }
  }

  stored = lookup (self, submission->revision, error);
  if (stored == NULL)
    return NULL;
  *inserted = TRUE;
  return g_steal_pointer (&stored);
}

/**
 * td_receiver_db_store:
 * @submission: verified
 * @channel: "upload" or "mail"
 * @quota: the most bytes the school may have stored, this one included;
 *   0 for no limit (TD_RECEIVER_DB_ERROR_QUOTA past it)
 * @inserted: (out): %TRUE when stored now; %FALSE when the revision was
 *   there already (the caller compares what was stored)
 *
 * The school's key is checked in the same transaction: none bound, the
 * submission's is bound (enrolled) with it; another bound, nothing is
 * stored (TD_RECEIVER_DB_ERROR_KEY_MISMATCH, its message the bound key's
 * fingerprint).
 *
 * Returns: (transfer full): the stored submission, new or earlier
 */
TdStored *
td_receiver_db_store (TdReceiverDb  *self,
                      gint64         school_id,
                      TdSubmission  *submission,
                      const char    *channel,
                      gint64         quota,
                      gboolean      *inserted,
                      GError       **error)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);
  g_autoptr(TdStored) stored = NULL;

  *inserted = FALSE;
  if (!td_receiver_db_exec (self, "BEGIN IMMEDIATE", error))
    return NULL;
  stored = td_receiver_db_store_in_transaction (self, school_id, submission, channel, quota, inserted, error);
  if (stored == NULL)
    {
      *inserted = FALSE;
      td_receiver_db_rollback (self);
      return NULL;
    }
  if (!*inserted)
    {
      td_receiver_db_rollback (self);
      return g_steal_pointer (&stored);
    }
  if (!td_receiver_db_exec (self, "COMMIT", error))
    {
      *inserted = FALSE;
      td_receiver_db_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&stored);
}

void
td_store_item_clear (TdStoreItem *item)
{
  g_clear_pointer (&item->stored, td_stored_free);
  g_clear_error (&item->error);
  item->inserted = FALSE;
  item->used = 0;
}

/* One item of a batch in a savepoint of its own: its failure is undone
 * alone. FALSE when the savepoint itself could not be made or undone:
 * the whole transaction is then in doubt. */
static gboolean
td_receiver_db_store_item (TdReceiverDb  *self,
                           TdStoreItem   *item,
                           GError       **error)
{
  td_store_item_clear (item);
  if (!td_receiver_db_run (self, "SAVEPOINT td_item", error))
    return FALSE;
  item->stored = td_receiver_db_store_in_transaction (self, item->school_id, item->submission, item->channel, item->quota,
                                                      &item->inserted, &item->error);
  if (item->stored == NULL)
    {
      item->inserted = FALSE;
      if (!td_receiver_db_run (self, "ROLLBACK TO td_item", error))
        return FALSE;
      /* What the school has stored, for a 507's figures, as this
       * transaction sees it. */
      if (g_error_matches (item->error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_QUOTA) &&
          !school_bytes (self, item->school_id, &item->used, error))
        return FALSE;
    }
  return td_receiver_db_run (self, "RELEASE td_item", error);
}

/**
 * td_receiver_db_store_batch:
 * @items: (array length=n_items): verified submissions, in the order they
 *   are to be stored
 *
 * Group commit: every item is stored as td_receiver_db_store() would, in
 * that order, each in a savepoint of its own, and all in one transaction:
 * one commit (one fsync of the log) for all. An item refused (its key,
 * its quota) or failing is undone alone and says why in its @error; the
 * items before it are visible to those after it (a first submission's
 * key, enrolled, is the key the next one of the same school is checked
 * against). Nothing is durable, and no outcome final, before this
 * returns %TRUE.
 *
 * Returns: %FALSE when the transaction itself failed: nothing of it is
 *   stored, and the items' outcomes are to be thrown away
 */
gboolean
td_receiver_db_store_batch (TdReceiverDb  *self,
                            TdStoreItem  **items,
                            guint          n_items,
                            GError       **error)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);

  if (!td_receiver_db_run (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint i = 0; i < n_items; i++)
    if (!td_receiver_db_store_item (self, items[i], error))
      goto failed;
  if (!td_receiver_db_run (self, "COMMIT", error))
    goto failed;
  return TRUE;

failed:
  td_receiver_db_rollback (self);
  for (guint i = 0; i < n_items; i++)
    td_store_item_clear (items[i]);
  return FALSE;
}

/**
 * td_receiver_db_list:
 * @campaign: (nullable): only this campaign's
 *
 * Returns: (transfer full) (element-type TdStored): every submission, in
 *   the order received
 */
GPtrArray *
td_receiver_db_list (TdReceiverDb  *self,
                     const char    *campaign,
                     GError       **error)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);
  g_autoptr(sqlite3_stmt) stmt = td_receiver_db_prepare (self,
                                                         "SELECT " STORED_COLUMNS
                                                         "FROM submission s JOIN school k ON k.id = s.school_id "
                                                         "WHERE ?1 IS NULL OR s.campaign = ?1 ORDER BY s.id",
                                                         error);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)td_stored_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, campaign, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, td_receiver_db_stored_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      td_receiver_db_set_sqlite_error (self, rc, "list", error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

void
td_latest_free (TdLatest *latest)
{
  if (latest == NULL)
    return;
  g_free (latest->school);
  g_bytes_unref (latest->form_json);
  g_free (latest);
}

/**
 * td_receiver_db_latest_forms:
 * @campaign: (nullable): only this campaign's
 *
 * The latest revision of each school, by what the receiver knows itself
 * (issue 10), never by the client's signed_at: a revision signed by the
 * school's bound key before one signed by an earlier key (a school that
 * reinstalled starts its numbers again), then the highest revision number,
 * then the last received.
 *
 * Returns: (transfer full) (element-type TdLatest): the school's
 *   registered name and the revision's form.json, one a school, in the
 *   order the schools were added
 */
GPtrArray *
td_receiver_db_latest_forms (TdReceiverDb  *self,
                             const char    *campaign,
                             GError       **error)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->lock);
  g_autoptr(sqlite3_stmt) stmt = td_receiver_db_prepare (self,
                                                         "SELECT k.name, s.form_json FROM school k JOIN submission s ON s.id = ("
                                                         "  SELECT x.id FROM submission x JOIN school kk ON kk.id = x.school_id "
                                                         "  WHERE x.school_id = k.id AND (?1 IS NULL OR x.campaign = ?1) "
                                                         "  ORDER BY (x.public_key IS kk.public_key) DESC, x.number DESC, x.id DESC "
                                                         "  LIMIT 1) "
                                                         "ORDER BY k.id",
                                                         error);
  g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func ((GDestroyNotify)td_latest_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, campaign, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdLatest *latest = g_new0 (TdLatest, 1);

      latest->school = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      latest->form_json = g_bytes_new (sqlite3_column_blob (stmt, 1), (gsize)sqlite3_column_bytes (stmt, 1));
      g_ptr_array_add (forms, latest);
    }
  if (rc != SQLITE_DONE)
    {
      td_receiver_db_set_sqlite_error (self, rc, "latest", error);
      return NULL;
    }
  return g_steal_pointer (&forms);
}

/* A base64 Ed25519 public key, as signature.json and --key give it. */
GBytes *
td_receiver_decode_key (const char *base64)
{
  g_autofree guchar *raw = NULL;
  gsize length = 0;

  if (base64 == NULL || *base64 == '\0' || strlen (base64) != 44 || base64[43] != '=')
    return NULL;
  for (const char *p = base64; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      return NULL;
  raw = g_base64_decode (base64, &length);
  if (length != crypto_sign_PUBLICKEYBYTES)
    return NULL;
  return g_bytes_new (raw, length);
}

/* For td-receiver-db-imap.c, which adds its record to this connection's
 * transactions: used, as the rest, one call at a time. */
sqlite3 *
td_receiver_db_get_sqlite (TdReceiverDb *self)
{
  return self->db;
}
