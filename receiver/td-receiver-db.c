/* td-receiver-db.c: the receiver's own database (schools, submissions)
 *
 * One SQLite file in WAL mode, so that the server's readers never wait for
 * its writer, and `--list` or `--add-school` can run beside the server.
 * Every write is one transaction; storing a submission checks for the
 * revision and inserts it in the same one, so two uploads of the same
 * revision at once still store it once.
 *
 * A connection may be used from any thread, one call at a time.
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
#define SCHEMA_VERSION 1

struct _TdReceiverDb
{
  GMutex   lock;
  sqlite3 *db;
  char    *path;
};

G_DEFINE_QUARK (td-receiver-db-error-quark, td_receiver_db_error)

static gboolean
set_sqlite_error (TdReceiverDb  *self,
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
exec (TdReceiverDb  *self,
      const char    *sql,
      GError       **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return set_sqlite_error (self, rc, sql, error);
  return TRUE;
}

static sqlite3_stmt *
prepare (TdReceiverDb  *self,
         const char    *sql,
         GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, "prepare", error);
      return NULL;
    }
  return stmt;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static void
rollback (TdReceiverDb *self)
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
  int rc;

  g_mutex_init (&self->lock);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_FAILED,
                   "Cannot open the database %s: %s", path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_busy_timeout (self->db, (int)busy_timeout_ms);

  if (!exec (self, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;", error))
    return NULL;

  stmt = prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, "user_version", error);
      return NULL;
    }
  if (sqlite3_column_int (stmt, 0) > SCHEMA_VERSION)
    {
      g_set_error (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_FAILED,
                   "The database %s was made by a later receiver (schema %d); this one reads schema %d",
                   path, sqlite3_column_int (stmt, 0), SCHEMA_VERSION);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  schema = g_resources_lookup_data (SCHEMA_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (schema == NULL)
    return NULL;
  sql = g_strndup (g_bytes_get_data (schema, NULL), g_bytes_get_size (schema));
  if (!exec (self, "BEGIN IMMEDIATE", error))
    return NULL;
  if (!exec (self, sql, error) || !exec (self, "COMMIT", error))
    {
      rollback (self);
      return NULL;
    }

  return g_steal_pointer (&self);
}

void
td_receiver_db_close (TdReceiverDb *self)
{
  if (self == NULL)
    return;
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
token_sha256 (const char *token)
{
  return td_sha256_hex (token, strlen (token));
}

/**
 * td_receiver_db_add_school:
 * @replaced: (out): whether the school was there already (its old token
 *   no longer works)
 *
 * Returns: (transfer full): the school's new bearer token: 32 random bytes
 *   in hexadecimal. Only its SHA-256 is stored.
 */
char *
td_receiver_db_add_school (TdReceiverDb  *self,
                           const char    *name,
                           gboolean      *replaced,
                           GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
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
  hash = token_sha256 (token);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return NULL;
  stmt = prepare (self, "SELECT 1 FROM school WHERE name = ?1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, "school", error);
      goto failed;
    }
  *replaced = rc == SQLITE_ROW;
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = prepare (self,
                  "INSERT INTO school (name, token_sha256, created_at) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT (name) DO UPDATE SET token_sha256 = excluded.token_sha256",
                  error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, "add school", error);
      goto failed;
    }
  if (!exec (self, "COMMIT", error))
    goto failed;
  return g_steal_pointer (&token);

failed:
  rollback (self);
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
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT id, name FROM school WHERE token_sha256 = ?1", error);
  g_autofree char *hash = token_sha256 (token);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return FALSE;
  if (rc != SQLITE_ROW)
    return set_sqlite_error (self, rc, "school", error);
  *school_id = sqlite3_column_int64 (stmt, 0);
  *name = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  return TRUE;
}

#define STORED_COLUMNS \
  "s.id, s.uuid, s.school_id, k.name, s.campaign, s.number, s.signer, s.signed_at, s.form_sha256, " \
  "s.pdf_sha256, s.signature_sha256, length (s.pdf), s.receipt, s.received_at "

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

static TdStored *
stored_from_row (sqlite3_stmt *stmt)
{
  TdStored *stored = g_new0 (TdStored, 1);

  stored->id = sqlite3_column_int64 (stmt, 0);
  stored->uuid = column_text (stmt, 1);
  stored->school_id = sqlite3_column_int64 (stmt, 2);
  stored->school = column_text (stmt, 3);
  stored->campaign = column_text (stmt, 4);
  stored->number = sqlite3_column_int64 (stmt, 5);
  stored->signer = column_text (stmt, 6);
  stored->signed_at = column_text (stmt, 7);
  stored->form_sha256 = column_text (stmt, 8);
  stored->pdf_sha256 = column_text (stmt, 9);
  stored->signature_sha256 = column_text (stmt, 10);
  stored->pdf_size = sqlite3_column_int64 (stmt, 11);
  stored->receipt = column_text (stmt, 12);
  stored->received_at = column_text (stmt, 13);
  return stored;
}

/* Without the lock: inside td_receiver_db_store()'s transaction too. */
static TdStored *
lookup (TdReceiverDb  *self,
        const char    *uuid,
        GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self,
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
    return stored_from_row (stmt);
  if (rc != SQLITE_DONE)
    set_sqlite_error (self, rc, "submission", error);
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
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return lookup (self, uuid, error);
}

/* "TDR-000042-3F2A9C1B7E4D": the sequence number, and the first 12
 * hexadecimal digits of SHA-256 ("<uuid>:<form_sha256>:<sequence>"). */
static char *
make_receipt (const char *uuid,
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
  g_autoptr(sqlite3_stmt) stmt = prepare (self,
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
      set_sqlite_error (self, rc, "quota", error);
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
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return school_bytes (self, school_id, bytes, error);
}

/* The bytes a submission adds to its school's quota. */
gint64
td_submission_stored_size (TdSubmission *submission)
{
  return (gint64)(g_bytes_get_size (submission->form_json) + g_bytes_get_size (submission->pdf) +
                  g_bytes_get_size (submission->signature_json));
}

/**
 * td_receiver_db_store:
 * @submission: verified
 * @quota: the most bytes the school may have stored, this one included;
 *   0 for no limit (TD_RECEIVER_DB_ERROR_QUOTA past it)
 * @inserted: (out): %TRUE when stored now; %FALSE when the revision was
 *   there already (the caller compares what was stored)
 *
 * Returns: (transfer full): the stored submission, new or earlier
 */
TdStored *
td_receiver_db_store (TdReceiverDb  *self,
                      gint64         school_id,
                      TdSubmission  *submission,
                      gint64         quota,
                      gboolean      *inserted,
                      GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(TdStored) stored = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *receipt = NULL, *now = td_receiver_format_now ();
  gint64 sequence;
  gsize length;
  const void *data;
  int rc;

  *inserted = FALSE;
  if (!exec (self, "BEGIN IMMEDIATE", error))
    return NULL;

  stored = lookup (self, submission->revision, &local_error);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto failed;
    }
  if (stored)
    {
      rollback (self);
      return g_steal_pointer (&stored);
    }

  /* In the same transaction as the insert: two uploads at once cannot
   * both pass. */
  if (quota > 0)
    {
      gint64 used, size = td_submission_stored_size (submission);

      if (!school_bytes (self, school_id, &used, error))
        goto failed;
      if (used + size > quota)
        {
          g_set_error (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_QUOTA,
                       "The school has stored %" G_GINT64_FORMAT " bytes; %" G_GINT64_FORMAT
                       " more would pass its quota of %" G_GINT64_FORMAT " bytes.",
                       used, size, quota);
          goto failed;
        }
    }

  stmt = prepare (self, "SELECT COALESCE (MAX (id), 0) + 1 FROM submission", error);
  if (stmt == NULL)
    goto failed;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, "sequence", error);
      goto failed;
    }
  sequence = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);
  receipt = make_receipt (submission->revision, submission->form_sha256, sequence);

  stmt = prepare (self,
                  "INSERT INTO submission (id, uuid, school_id, campaign, number, signer, signed_at, "
                  "form_json, pdf, signature_json, form_sha256, pdf_sha256, signature_sha256, public_key, "
                  "receipt, received_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                  error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, sequence);
  sqlite3_bind_text (stmt, 2, submission->revision, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, school_id);
  sqlite3_bind_text (stmt, 4, submission->campaign, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, submission->number);
  sqlite3_bind_text (stmt, 6, submission->signer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, submission->signed_at, -1, SQLITE_TRANSIENT);
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
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, "store", error);
      goto failed;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  stored = lookup (self, submission->revision, error);
  if (stored == NULL)
    goto failed;
  if (!exec (self, "COMMIT", error))
    goto failed;
  *inserted = TRUE;
  return g_steal_pointer (&stored);

failed:
  rollback (self);
  return NULL;
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
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(sqlite3_stmt) stmt = prepare (self,
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
    g_ptr_array_add (list, stored_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, "list", error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * td_receiver_db_latest_forms:
 * @campaign: (nullable): only this campaign's
 *
 * The latest revision of each school: the one signed last (then the
 * highest number, then the last received).
 *
 * Returns: (transfer full) (element-type GBytes): their form.json, one a
 *   school, in the order the schools were added
 */
GPtrArray *
td_receiver_db_latest_forms (TdReceiverDb  *self,
                             const char    *campaign,
                             GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(sqlite3_stmt) stmt = prepare (self,
                                          "SELECT s.form_json FROM school k JOIN submission s ON s.id = ("
                                          "  SELECT x.id FROM submission x WHERE x.school_id = k.id "
                                          "  AND (?1 IS NULL OR x.campaign = ?1) "
                                          "  ORDER BY x.signed_at DESC, x.number DESC, x.id DESC LIMIT 1) "
                                          "ORDER BY k.id",
                                          error);
  g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, campaign, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (forms, g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize)sqlite3_column_bytes (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, "latest", error);
      return NULL;
    }
  return g_steal_pointer (&forms);
}
