/* td-receiver-db-web.c: what the web pages read and write
 *
 * The pages read on connections of their own (td-web-site.c), never the
 * writer's: a catalogue being read does not hold up a submission being
 * stored (WAL readers do not wait). The schools' list is one statement;
 * the catalogue keeps the forms it parsed and asks for a submission's form
 * only when a school's latest changed (td-catalogue.c). Every value is a
 * bound parameter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-receiver"

#include "config.h"

#include <sqlite3.h>

#include "td-receiver-db-web.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static gboolean
td_receiver_db_web_fail (sqlite3     *db,
                         const char  *what,
                         GError     **error)
{
  int rc = sqlite3_errcode (db);

  g_set_error (error, TD_RECEIVER_DB_ERROR,
               rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? TD_RECEIVER_DB_ERROR_BUSY : TD_RECEIVER_DB_ERROR_FAILED,
               "The database failed (%s): %s", what, sqlite3_errmsg (db));
  return FALSE;
}

static sqlite3_stmt *
td_receiver_db_web_prepare (sqlite3     *db,
                            const char  *sql,
                            GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      td_receiver_db_web_fail (db, "prepare", error);
      return NULL;
    }
  return stmt;
}

static char *
td_receiver_db_web_text (sqlite3_stmt *stmt,
                         int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

/* A read transaction: what follows sees one state of the database. */
gboolean
td_receiver_db_web_begin (TdReceiverDb  *self,
                          GError       **error)
{
  sqlite3 *db = td_receiver_db_get_sqlite (self);

  if (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return td_receiver_db_web_fail (db, "begin", error);
  return TRUE;
}

void
td_receiver_db_web_end (TdReceiverDb *self)
{
  sqlite3 *db = td_receiver_db_get_sqlite (self);

  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
}

/* Changes by other connections since this one's last look change it. */
gint64
td_receiver_db_web_data_version (TdReceiverDb  *self,
                                 GError       **error)
{
  sqlite3 *db = td_receiver_db_get_sqlite (self);
  g_autoptr(sqlite3_stmt) stmt = td_receiver_db_web_prepare (db, "PRAGMA data_version", error);

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      td_receiver_db_web_fail (db, "data_version", error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

void
td_web_school_free (TdWebSchool *school)
{
  if (school == NULL)
    return;
  g_free (school->name);
  g_free (school->public_key);
  g_free (school->city);
  g_free (school->county);
  g_free (school->first_received_at);
  g_free (school->refused_word);
  g_free (school->refused_reason);
  g_free (school->refused_reason_zh);
  g_free (school->refused_at);
  g_free (school);
}

/**
 * td_receiver_db_web_schools:
 * @campaign: (nullable): only this campaign's submissions
 *
 * Every registered school, in the order added, with its latest submission
 * chosen as td_receiver_db_latest_forms() chooses it, in one read
 * transaction.
 *
 * Returns: (transfer full) (element-type TdWebSchool):
 */
GPtrArray *
td_receiver_db_web_schools (TdReceiverDb  *self,
                            const char    *campaign,
                            GError       **error)
{
  sqlite3 *db = td_receiver_db_get_sqlite (self);
  g_autoptr(sqlite3_stmt) stmt =
    td_receiver_db_web_prepare (db,
                                "SELECT k.id, k.name, k.public_key, p.city, p.county, "
                                "  (SELECT x.id FROM submission x JOIN school kk ON kk.id = x.school_id "
                                "   WHERE x.school_id = k.id AND (?1 IS NULL OR x.campaign = ?1) "
                                "   ORDER BY (x.public_key IS kk.public_key) DESC, x.number DESC, x.id DESC LIMIT 1), "
                                "  (SELECT min (s.received_at) FROM submission s "
                                "   WHERE s.school_id = k.id AND (?1 IS NULL OR s.campaign = ?1)), "
                                "  (SELECT count (*) FROM submission s "
                                "   WHERE s.school_id = k.id AND (?1 IS NULL OR s.campaign = ?1)), "
                                "  r.word, r.reason, r.reason_zh, r.refused_at "
                                "FROM school k LEFT JOIN school_place p ON p.school_id = k.id "
                                "LEFT JOIN refused_message r ON r.id = "
                                "  (SELECT max (rr.id) FROM refused_message rr WHERE rr.school = k.name) "
                                "ORDER BY k.id",
                                error);
  g_autoptr(GPtrArray) schools = g_ptr_array_new_with_free_func ((GDestroyNotify)td_web_school_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, campaign, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdWebSchool *school = g_new0 (TdWebSchool, 1);

      school->school_id = sqlite3_column_int64 (stmt, 0);
      school->name = td_receiver_db_web_text (stmt, 1);
      school->public_key = td_receiver_db_web_text (stmt, 2);
      school->city = td_receiver_db_web_text (stmt, 3);
      school->county = td_receiver_db_web_text (stmt, 4);
      school->latest_id = sqlite3_column_int64 (stmt, 5);
      school->first_received_at = td_receiver_db_web_text (stmt, 6);
      school->n_submissions = sqlite3_column_int64 (stmt, 7);
      school->refused_word = td_receiver_db_web_text (stmt, 8);
      school->refused_reason = td_receiver_db_web_text (stmt, 9);
      school->refused_reason_zh = td_receiver_db_web_text (stmt, 10);
      school->refused_at = td_receiver_db_web_text (stmt, 11);
      g_ptr_array_add (schools, school);
    }
  if (rc != SQLITE_DONE)
    {
      td_receiver_db_web_fail (db, "schools", error);
      return NULL;
    }
  return g_steal_pointer (&schools);
}

void
td_web_submission_free (TdWebSubmission *submission)
{
  if (submission == NULL)
    return;
  g_free (submission->uuid);
  g_free (submission->campaign);
  g_free (submission->signer);
  g_free (submission->signed_at);
  g_free (submission->public_key);
  g_free (submission->received_at);
  g_free (submission->channel);
  g_free (submission->pdf_sha256);
  g_clear_pointer (&submission->form_json, g_bytes_unref);
  g_free (submission);
}

/* Returns: (transfer full) (nullable): the submission, %NULL if none has @id */
TdWebSubmission *
td_receiver_db_web_submission (TdReceiverDb  *self,
                               gint64         id,
                               GError       **error)
{
  sqlite3 *db = td_receiver_db_get_sqlite (self);
  g_autoptr(sqlite3_stmt) stmt =
    td_receiver_db_web_prepare (db,
                                "SELECT uuid, campaign, number, signer, signed_at, public_key, received_at, "
                                "  channel, pdf_sha256, length (pdf), form_json FROM submission WHERE id = ?1",
                                error);
  TdWebSubmission *submission;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      td_receiver_db_web_fail (db, "submission", error);
      return NULL;
    }
  submission = g_new0 (TdWebSubmission, 1);
  submission->id = id;
  submission->uuid = td_receiver_db_web_text (stmt, 0);
  submission->campaign = td_receiver_db_web_text (stmt, 1);
  submission->number = sqlite3_column_int64 (stmt, 2);
  submission->signer = td_receiver_db_web_text (stmt, 3);
  submission->signed_at = td_receiver_db_web_text (stmt, 4);
  submission->public_key = td_receiver_db_web_text (stmt, 5);
  submission->received_at = td_receiver_db_web_text (stmt, 6);
  submission->channel = td_receiver_db_web_text (stmt, 7);
  submission->pdf_sha256 = td_receiver_db_web_text (stmt, 8);
  submission->pdf_size = sqlite3_column_int64 (stmt, 9);
  submission->form_json = g_bytes_new (sqlite3_column_blob (stmt, 10), (gsize)sqlite3_column_bytes (stmt, 10));
  return submission;
}

/* Returns: (transfer full) (nullable): the signed PDF */
GBytes *
td_receiver_db_web_pdf (TdReceiverDb  *self,
                        gint64         id,
                        GError       **error)
{
  sqlite3 *db = td_receiver_db_get_sqlite (self);
  g_autoptr(sqlite3_stmt) stmt = td_receiver_db_web_prepare (db, "SELECT pdf FROM submission WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      td_receiver_db_web_fail (db, "pdf", error);
      return NULL;
    }
  return g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize)sqlite3_column_bytes (stmt, 0));
}

/* A staff account, new or with a new password: one statement, one
 * transaction. */
gboolean
td_receiver_db_web_add_staff (TdReceiverDb  *self,
                              const char    *name,
                              const char    *password_hash,
                              GError       **error)
{
  sqlite3 *db = td_receiver_db_get_sqlite (self);
  g_autoptr(sqlite3_stmt) stmt =
    td_receiver_db_web_prepare (db,
                                "INSERT INTO staff (name, password_hash, created_at) VALUES (?1, ?2, ?3) "
                                "ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash",
                                error);
  g_autofree char *now = td_receiver_format_now ();

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, password_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return td_receiver_db_web_fail (db, "add staff", error);
  return TRUE;
}

/* Returns: (transfer full) (nullable): the account's password hash, %NULL
 *   without @error when there is no such account */
char *
td_receiver_db_web_staff_hash (TdReceiverDb  *self,
                               const char    *name,
                               GError       **error)
{
  sqlite3 *db = td_receiver_db_get_sqlite (self);
  g_autoptr(sqlite3_stmt) stmt =
    td_receiver_db_web_prepare (db, "SELECT password_hash FROM staff WHERE name = ?1", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return td_receiver_db_web_text (stmt, 0);
  if (rc != SQLITE_DONE)
    td_receiver_db_web_fail (db, "staff", error);
  return NULL;
}
