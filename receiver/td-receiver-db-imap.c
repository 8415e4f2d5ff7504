/* td-receiver-db-imap.c: what --fetch-imap took, in the receiver's database
 *
 * A message taken from a mailbox is recorded (imap_message: mailbox,
 * UIDVALIDITY, UID) in the very transaction that stores or refuses it, so
 * that a crash between the two can neither lose a message nor take it
 * twice. The store and the refusal are td-receiver-db.c's own
 * transactions, shared with uploads; rather than threading an IMAP
 * argument through them, the message being taken is put in a TEMP table of
 * this connection, and TEMP triggers on submission and refused_message
 * copy it into imap_message when either is written. Outside --fetch-imap
 * the TEMP table is empty (or absent) and the triggers write nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-receiver"

#include "config.h"

#include <sqlite3.h>

#include "td-receiver-db-imap.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static const char td_receiver_db_imap_temp_sql[] =
  "CREATE TEMP TABLE IF NOT EXISTS imap_pending ("
  "  mailbox TEXT NOT NULL, uidvalidity INTEGER NOT NULL, uid INTEGER NOT NULL);"
  "CREATE TEMP TRIGGER IF NOT EXISTS imap_taken_stored AFTER INSERT ON main.submission BEGIN"
  "  INSERT OR REPLACE INTO imap_message (mailbox, uidvalidity, uid, outcome, revision, taken_at)"
  "    SELECT mailbox, uidvalidity, uid, 'stored', NEW.uuid, NEW.received_at FROM imap_pending;"
  "END;"
  "CREATE TEMP TRIGGER IF NOT EXISTS imap_taken_refused AFTER INSERT ON main.refused_message BEGIN"
  "  INSERT OR REPLACE INTO imap_message (mailbox, uidvalidity, uid, outcome, revision, taken_at)"
  "    SELECT mailbox, uidvalidity, uid, 'refused', NEW.revision, NEW.refused_at FROM imap_pending;"
  "END;"
  "CREATE TEMP TRIGGER IF NOT EXISTS imap_taken_refused_again AFTER UPDATE ON main.refused_message BEGIN"
  "  INSERT OR REPLACE INTO imap_message (mailbox, uidvalidity, uid, outcome, revision, taken_at)"
  "    SELECT mailbox, uidvalidity, uid, 'refused', NEW.revision, NEW.refused_at FROM imap_pending;"
  "END;";

static gboolean
td_receiver_db_imap_fail (sqlite3     *db,
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
td_receiver_db_imap_prepare (sqlite3     *db,
                             const char  *sql,
                             const char  *mailbox,
                             gint64       uidvalidity,
                             GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      td_receiver_db_imap_fail (db, "prepare", error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, mailbox, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, uidvalidity);
  return stmt;
}

/* Whether the message was taken already (stored, refused or found stored). */
gboolean
td_receiver_db_imap_taken (TdReceiverDb  *self,
                           const char    *mailbox,
                           gint64         uidvalidity,
                           gint64         uid,
                           gboolean      *taken,
                           GError       **error)
{
  sqlite3 *db = td_receiver_db_get_sqlite (self);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = td_receiver_db_imap_prepare (db, "SELECT 1 FROM imap_message WHERE mailbox = ?1 AND uidvalidity = ?2 "
                                      "AND uid = ?3", mailbox, uidvalidity, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 3, uid);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return td_receiver_db_imap_fail (db, "imap_message", error);
  *taken = rc == SQLITE_ROW;
  return TRUE;
}

/* The highest UID taken from the mailbox under @uidvalidity; 0 for none. */
gboolean
td_receiver_db_imap_newest (TdReceiverDb  *self,
                            const char    *mailbox,
                            gint64         uidvalidity,
                            gint64        *uid,
                            GError       **error)
{
  sqlite3 *db = td_receiver_db_get_sqlite (self);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = td_receiver_db_imap_prepare (db, "SELECT ifnull (max (uid), 0) FROM imap_message WHERE mailbox = ?1 "
                                      "AND uidvalidity = ?2", mailbox, uidvalidity, error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return td_receiver_db_imap_fail (db, "imap_message", error);
  *uid = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/**
 * td_receiver_db_imap_begin:
 *
 * Until td_receiver_db_imap_end(), a submission stored or a message
 * refused on this connection is recorded as this message taken, in the
 * same transaction.
 */
gboolean
td_receiver_db_imap_begin (TdReceiverDb  *self,
                           const char    *mailbox,
                           gint64         uidvalidity,
                           gint64         uid,
                           GError       **error)
{
  sqlite3 *db = td_receiver_db_get_sqlite (self);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_exec (db, td_receiver_db_imap_temp_sql, NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec (db, "DELETE FROM temp.imap_pending", NULL, NULL, NULL) != SQLITE_OK)
    return td_receiver_db_imap_fail (db, "imap_pending", error);
  stmt = td_receiver_db_imap_prepare (db, "INSERT INTO temp.imap_pending (mailbox, uidvalidity, uid) "
                                      "VALUES (?1, ?2, ?3)", mailbox, uidvalidity, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 3, uid);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return td_receiver_db_imap_fail (db, "imap_pending", error);
  return TRUE;
}

void
td_receiver_db_imap_end (TdReceiverDb *self)
{
  sqlite3_exec (td_receiver_db_get_sqlite (self), "DELETE FROM temp.imap_pending", NULL, NULL, NULL);
}

/* A message written nowhere else (its revision was stored already): its
 * own transaction, for taking it again changes nothing. */
gboolean
td_receiver_db_imap_record (TdReceiverDb  *self,
                            const char    *mailbox,
                            gint64         uidvalidity,
                            gint64         uid,
                            const char    *outcome,
                            GError       **error)
{
  sqlite3 *db = td_receiver_db_get_sqlite (self);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = td_receiver_format_now ();

  stmt = td_receiver_db_imap_prepare (db, "INSERT OR IGNORE INTO imap_message (mailbox, uidvalidity, uid, outcome, "
                                      "taken_at) VALUES (?1, ?2, ?3, ?4, ?5)", mailbox, uidvalidity, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 3, uid);
  sqlite3_bind_text (stmt, 4, outcome, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return td_receiver_db_imap_fail (db, "imap_message", error);
  return TRUE;
}
