/* test-store.c: the database file, its refusals, migrations, audit and backups
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdint.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "td-example.h"
#include "td-store-private.h"
#include "td-uuid.h"

static char *
tmp_path (const char *name)
{
  /* G_TEST_OPTION_ISOLATE_DIRS gives every test its own data dir. */
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents, len);
}

/* Runs @sql on @path with the SQLite library directly, as another tool would. */
static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static gint64
query_int (TdStore    *store,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (td_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
query_text (TdStore    *store,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (td_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static TdStore *
open_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  TdStore *store = td_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static const char * const tables[] = {
  "setting", "school", "programme", "trainer", "venue", "equipment", "guarantee",
  "result", "result_trainer", "form_revision", "revision_pdf", "outbox", "outbox_attempt",
  "trainee", "class", "class_session", "session_trainer", "enrolment", "audit_log",
};
/* Tables kept out of the audit log: the signing key (nothing of it is
 * copied anywhere), the sign-off lock, and of classes (docs/classes.md)
 * the identity (its own triggers log changes, not numbers), attendance
 * marks and the hours and totals kept from them. */
static const char * const unaudited_tables[] = {
  "signing_key", "sign_off_lock", "trainee_identity", "attendance", "enrolment_hours", "class_totals",
};

static void
test_create (void)
{
  g_autofree char *dir = tmp_path ("new-folder");
  g_autofree char *path = g_build_filename (dir, "school.db", NULL);
  g_autoptr(TdStore) store = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr(GRegex) uuid_regex = NULL;

  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  store = open_ok (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (td_store_get_path (store), ==, path);
  g_assert_cmpint (td_store_get_schema_version (store), ==, TD_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (store, "PRAGMA application_id"), ==, TD_STORE_APPLICATION_ID);
  g_assert_cmpint (query_int (store, "PRAGMA foreign_keys"), ==, 1);
  journal = query_text (store, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal");

  /* Every record the product needs, each table STRICT. */
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (td_store_get_db (store),
                                           "SELECT strict FROM pragma_table_list WHERE name = ?",
                                           -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, tables[i], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
      sqlite3_finalize (stmt);
    }

  /* The one school row, with a UUID made by SQL: migration 1 makes it,
   * with the random (version 4) default of its time; migration 9 leaves
   * it so (rows keep their keys). */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM school"), ==, 1);
  uuid = query_text (store, "SELECT uuid FROM school");
  uuid_regex = g_regex_new ("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", 0, 0, NULL);
  g_assert_true (g_regex_match (uuid_regex, uuid, 0, NULL));

  /* The school type and the other enumerations are checked by SQLite too. */
  g_assert_cmpint (sqlite3_exec (td_store_get_db (store),
                                 "UPDATE school SET school_type = 'university'", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT_CHECK);
  g_assert_cmpint (sqlite3_exec (td_store_get_db (store),
                                 "UPDATE school SET postal_code = '25001'", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT_CHECK);
}

static void
test_reopen (void)
{
  g_autofree char *path = tmp_path ("reopen.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  TdStore *store;
  gint64 audit;

  store = open_ok (path);
  td_store_set_setting (store, "fte-ratio", "0.25", &error);
  g_assert_no_error (error);
  audit = td_store_count_audit (store, NULL);
  g_assert_finalize_object (store);

  store = open_ok (path);
  value = td_store_dup_setting (store, "fte-ratio");
  g_assert_cmpstr (value, ==, "0.25");
  g_assert_cmpint (td_store_get_schema_version (store), ==, TD_STORE_SCHEMA_VERSION);
  /* Reopening migrates nothing and writes nothing. */
  g_assert_cmpint (td_store_count_audit (store, NULL), ==, audit);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM school"), ==, 1);
  g_assert_finalize_object (store);
}

/* From an empty file (0 bytes, as a user may create one) and from an empty
 * SQLite database, every migration runs, each leaving its version. */
static void
test_migrations_from_empty (void)
{
  g_autofree char *empty = tmp_path ("empty.db");
  g_autofree char *blank = tmp_path ("blank-sqlite.db");
  const char *paths[] = { empty, blank };

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  raw_exec (blank, "PRAGMA user_version = 0; VACUUM;");

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(TdStore) store = open_ok (paths[i]);

      g_assert_cmpint (td_store_get_schema_version (store), ==, TD_STORE_SCHEMA_VERSION);
      for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
        {
          sqlite3_stmt *stmt = NULL;

          sqlite3_prepare_v2 (td_store_get_db (store),
                              "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?",
                              -1, &stmt, NULL);
          sqlite3_bind_text (stmt, 1, tables[t], -1, SQLITE_STATIC);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
          g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
          sqlite3_finalize (stmt);
        }
      for (guint t = 0; t < G_N_ELEMENTS (unaudited_tables); t++)
        {
          g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                                                  "AND name = '%s'", unaudited_tables[t]);

          g_assert_cmpint (query_int (store, sql), ==, 1);
        }
      /* Audit triggers for every table but the log itself. */
      g_assert_cmpint (query_int (store,
                                  "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' "
                                  "AND name GLOB 'td_audit_update_*'"),
                       ==, G_N_ELEMENTS (tables) - 1);
    }
}

/* Opening @path must fail with @code and leave the file as it was. */
static void
assert_refused (const char *path,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(TdStore) store = NULL;
  gboolean is_file = g_file_test (path, G_FILE_TEST_IS_REGULAR);

  if (is_file)
    before = file_checksum (path);

  store = td_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, TD_STORE_ERROR, code);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 20);
  g_test_message ("refused: %s", error->message);

  if (is_file)
    {
      after = file_checksum (path);
      g_assert_cmpstr (before, ==, after);
    }
}

static void
test_refuse_not_sqlite (void)
{
  g_autofree char *path = tmp_path ("notes.db");
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < 200; i++)
    g_string_append (text, "培训记录, not a database\n");
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  assert_refused (path, TD_STORE_ERROR_NOT_A_DATABASE);
}

static void
test_refuse_foreign (void)
{
  g_autofree char *path = tmp_path ("other-app.db");

  raw_exec (path, "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('陈璟');");
  assert_refused (path, TD_STORE_ERROR_FOREIGN_DATABASE);
}

static void
test_refuse_damaged (void)
{
  g_autofree char *path = tmp_path ("damaged.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  TdStore *store;

  store = open_ok (path);
  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *key = g_strdup_printf ("key-%u", i);
      g_autofree char *value = g_strnfill (200, 'x');

      td_store_set_setting (store, key, value, &error);
      g_assert_no_error (error);
    }
  g_assert_finalize_object (store);

  /* Scribble over pages in the middle of the file, keeping the header. */
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 40 * 4096);
  memset (contents + 20 * 4096, 0xA5, 8 * 4096);
  g_assert_true (g_file_set_contents (path, contents, len, NULL));

  assert_refused (path, TD_STORE_ERROR_DAMAGED);
}

/* The note of a clean close (issue 17): a session that writes nothing
 * leaves it as it is (no write at open or at close); the first write drops
 * it before it commits, and the close notes the file as written, all of
 * it there when opened again. */
static void
test_clean_close_note_until_first_write (void)
{
  g_autofree char *path = tmp_path ("note.db");
  g_autofree char *marks = g_build_filename (g_get_user_state_dir (), "training-desk", "clean-closes.ini", NULL);
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL, *value = NULL;
  struct stat marks_before, marks_after, db_after;
  TdStore *store;

  store = open_ok (path);
  g_assert_finalize_object (store);
  {
    g_autoptr(GKeyFile) keys = g_key_file_new ();

    g_assert_true (g_key_file_load_from_file (keys, marks, G_KEY_FILE_NONE, &error));
    first = g_key_file_get_string (keys, "clean", canonical, &error);
    g_assert_no_error (error);
  }

  /* Opened and closed without a write: the notes' file is not touched. */
  g_assert_cmpint (stat (marks, &marks_before), ==, 0);
  store = open_ok (path);
  g_assert_finalize_object (store);
  g_assert_cmpint (stat (marks, &marks_after), ==, 0);
  g_assert_cmpuint (marks_after.st_ino, ==, marks_before.st_ino);
  g_assert_cmpint (marks_after.st_mtim.tv_nsec, ==, marks_before.st_mtim.tv_nsec);
  g_assert_cmpint (marks_after.st_mtim.tv_sec, ==, marks_before.st_mtim.tv_sec);

  /* The first write: the note is gone once it is committed. */
  store = open_ok (path);
  td_store_set_setting (store, "note-test", "写入了", &error);
  g_assert_no_error (error);
  {
    g_autoptr(GKeyFile) keys = g_key_file_new ();

    if (g_key_file_load_from_file (keys, marks, G_KEY_FILE_NONE, NULL))
      g_assert_false (g_key_file_has_key (keys, "clean", canonical, NULL));
  }
  g_assert_finalize_object (store);

  /* Closed: noted again, with the file as it is now… */
  {
    g_autoptr(GKeyFile) keys = g_key_file_new ();
    g_autofree char *noted = NULL, *expected = NULL;

    g_assert_true (g_key_file_load_from_file (keys, marks, G_KEY_FILE_NONE, &error));
    noted = g_key_file_get_string (keys, "clean", canonical, &error);
    g_assert_no_error (error);
    g_assert_cmpint (stat (path, &db_after), ==, 0);
    expected = g_strdup_printf ("%ju:%ju:%jd:%jd.%09ld", (uintmax_t)db_after.st_dev, (uintmax_t)db_after.st_ino,
                                (intmax_t)db_after.st_size, (intmax_t)db_after.st_mtim.tv_sec,
                                (long)db_after.st_mtim.tv_nsec);
    g_assert_cmpstr (noted, ==, expected);
  }
  /* …and what was written is there. */
  store = open_ok (path);
  value = td_store_dup_setting (store, "note-test");
  g_assert_cmpstr (value, ==, "写入了");
  g_assert_finalize_object (store);
}

/* The full check is skipped only for a file exactly as the app closed it;
 * damage that leaves no trace (bit rot) is caught by the daily check, which
 * then writes no backup, so the good ones are kept. */
static void
test_clean_close_and_rot (void)
{
  g_autofree char *path = tmp_path ("rot.db");
  g_autofree char *marks = g_build_filename (g_get_user_state_dir (), "training-desk", "clean-closes.ini", NULL);
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) today = g_date_time_new_local (2026, 11, 25, 9, 0, 0);
  g_autofree char *backup = NULL;
  g_autofree char *made = NULL;
  struct stat before;
  struct timespec times[2];
  TdStore *store;
  int fd;

  store = open_ok (path);
  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *key = g_strdup_printf ("key-%u", i);
      g_autofree char *value = g_strnfill (200, 'x');

      td_store_set_setting (store, key, value, &error);
      g_assert_no_error (error);
    }

  /* While open, the file is not marked clean: a crash means a full check. */
  if (g_key_file_load_from_file (keys, marks, G_KEY_FILE_NONE, NULL))
    g_assert_false (g_key_file_has_key (keys, "clean", canonical, NULL));
  backup = td_store_dup_daily_backup_path (store, today);
  g_assert_finalize_object (store);

  /* Closed cleanly: marked, with the file's signature. */
  g_assert_true (g_key_file_load_from_file (keys, marks, G_KEY_FILE_NONE, &error));
  g_assert_true (g_key_file_has_key (keys, "clean", canonical, NULL));

  /* Rot in place: same inode, same size, the same time put back. */
  g_assert_cmpint (stat (path, &before), ==, 0);
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  {
    g_autofree char *junk = g_malloc (8 * 4096);

    memset (junk, 0xA5, 8 * 4096);
    /* Near the end: the settings' pages, not the schema's. */
    g_assert_cmpint (pwrite (fd, junk, 8 * 4096, before.st_size - 10 * 4096), ==, 8 * 4096);
  }
  close (fd);
  times[0] = before.st_atim;
  times[1] = before.st_mtim;
  g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);

  /* It opens (nothing shows it changed)… */
  store = open_ok (path);
  /* …but today's check finds it, and no backup is written. */
  g_assert_false (td_store_daily_backup (store, today, &made, &error));
  g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_DAMAGED);
  g_assert_null (made);
  g_assert_false (g_file_test (backup, G_FILE_TEST_EXISTS));
  g_assert_finalize_object (store);
}

static void
test_refuse_too_new (void)
{
  g_autofree char *path = tmp_path ("future.db");

  g_assert_finalize_object (open_ok (path));
  raw_exec (path, "PRAGMA user_version = 99;");
  assert_refused (path, TD_STORE_ERROR_TOO_NEW);
}

static void
test_refuse_locked (void)
{
  g_autofree char *path = tmp_path ("shared.db");
  g_autoptr(GError) error = NULL;
  TdStore *first = open_ok (path);

  assert_refused (path, TD_STORE_ERROR_LOCKED);

  /* The first copy goes on working. */
  td_store_set_setting (first, "still", "working", &error);
  g_assert_no_error (error);
  g_assert_finalize_object (first);

  /* Closed, it opens again. */
  g_assert_finalize_object (open_ok (path));
}

static void
test_refuse_locked_other_process (void)
{
  g_autofree char *path = NULL;

  if (g_test_subprocess ())
    {
      /* The child: holds the parent's database open until killed. */
      g_autoptr(TdStore) store G_GNUC_UNUSED = open_ok (g_getenv ("TD_TEST_DATABASE"));

      g_print ("open\n");
      g_usleep (30 * G_USEC_PER_SEC);
      return;
    }

  {
    g_autofree char *argv0 = g_test_build_filename (G_TEST_BUILT, "test-store", NULL);
    const char *argv[] = { argv0, "-p", "/store/refuse/locked-other-process", "--GTestSubprocess", NULL };
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    g_autoptr(GSubprocess) child = NULL;
    g_autoptr(GDataInputStream) out = NULL;
    g_autofree char *line = NULL;
    g_autoptr(GError) error = NULL;

    path = tmp_path ("other-process.db");
    g_assert_finalize_object (open_ok (path));
    g_subprocess_launcher_setenv (launcher, "TD_TEST_DATABASE", path, TRUE);
    child = g_subprocess_launcher_spawnv (launcher, argv, &error);
    g_assert_no_error (error);
    out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
    line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (line);
    g_assert_true (g_str_has_suffix (line, "open"));

    assert_refused (path, TD_STORE_ERROR_LOCKED);

    g_subprocess_force_exit (child);
    g_subprocess_wait (child, NULL, NULL);
  }
  g_assert_finalize_object (open_ok (path));
}

static void
test_refuse_directory (void)
{
  g_autofree char *path = tmp_path ("a-folder.db");

  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  assert_refused (path, TD_STORE_ERROR_IS_DIRECTORY);
}

/* A device or a pipe given as the database (SQLite said "disk I/O
 * error"; a pipe with no writer could hold the open): refused by name,
 * for each way a database is opened, at once. */
static void
test_refuse_special (void)
{
  g_autofree char *fifo = tmp_path ("a-pipe.db");
  const char *paths[] = { "/dev/zero", "/dev/null", fifo };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TdStore) reading = NULL;

      assert_refused (paths[i], TD_STORE_ERROR_NOT_A_DATABASE);
      reading = td_store_open_for_reading (paths[i], &error);
      g_assert_null (reading);
      g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_NOT_A_DATABASE);
      g_assert_nonnull (strstr (error->message, "not a database file but a device or a pipe"));
      g_clear_error (&error);
      g_assert_false (td_store_check_file (paths[i], &error));
      g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_NOT_A_DATABASE);
    }
  g_unlink (fifo);
}

static void
test_refuse_unreadable (void)
{
  g_autofree char *file = tmp_path ("plain-file");
  g_autofree char *under_file = g_build_filename (file, "school.db", NULL);
  g_autofree char *locked = tmp_path ("no-access.db");

  /* A path that cannot be: its folder is a file. */
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  assert_refused (under_file, TD_STORE_ERROR_NOT_READABLE);

  /* A file without permissions (root reads anything, so only as a user). */
  if (geteuid () == 0)
    {
      g_test_message ("running as root: the permission case cannot be refused");
      return;
    }
  g_assert_finalize_object (open_ok (locked));
  g_assert_cmpint (g_chmod (locked, 0000), ==, 0);
  assert_refused (locked, TD_STORE_ERROR_NOT_READABLE);
  g_chmod (locked, 0600);
}

static gboolean
write_then_fail (TdStore  *store,
                 gpointer  user_data,
                 GError  **error)
{
  sqlite3_stmt *stmt;

  if (!td_store_set_setting (store, "half-done", "yes", error))
    return FALSE;

  /* A programme with no name violates a CHECK: the whole transaction goes. */
  stmt = td_store_prepare (store, "INSERT INTO programme (name, category) VALUES ('', 'unemployed')", error);
  g_assert_nonnull (stmt);
  return td_store_step_done (store, stmt, error);
}

static gboolean
write_two (TdStore  *store,
           gpointer  user_data,
           GError  **error)
{
  return td_store_set_setting (store, "a", "1", error) &&
         td_store_set_setting (store, "b", "2", error);
}

static void
test_rollback (void)
{
  g_autofree char *path = tmp_path ("rollback.db");
  g_autoptr(TdStore) store = open_ok (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *half = NULL;
  g_autofree char *b = NULL;
  gint64 audit = td_store_count_audit (store, NULL);

  g_assert_false (td_store_transaction (store, write_then_fail, NULL, &error));
  g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_CONSTRAINT);
  half = td_store_dup_setting (store, "half-done");
  g_assert_null (half);
  g_assert_cmpint (td_store_count_audit (store, NULL), ==, audit);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM programme"), ==, 0);

  /* And the store is usable afterwards. */
  g_clear_error (&error);
  g_assert_true (td_store_transaction (store, write_two, NULL, &error));
  g_assert_no_error (error);
  b = td_store_dup_setting (store, "b");
  g_assert_cmpstr (b, ==, "2");
}

static void
test_audit (void)
{
  g_autofree char *path = tmp_path ("audit.db");
  g_autoptr(TdStore) store = open_ok (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *json = NULL;
  g_autofree char *old_value = NULL;
  g_autofree char *new_value = NULL;
  g_autofree char *deleted = NULL;
  g_autofree char *blob_note = NULL;
  sqlite3 *db = td_store_get_db (store);

  /* Insert: one row, the values as JSON. */
  td_store_set_setting (store, "ratio", "0.25", &error);
  g_assert_no_error (error);
  uuid = query_text (store, "SELECT uuid FROM setting WHERE key = 'ratio'");
  json = query_text (store, "SELECT new_value FROM audit_log WHERE action = 'insert' AND table_name = 'setting'");
  g_assert_cmpstr (json, ==, "{\"key\":\"ratio\",\"value\":\"0.25\"}");
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit_log WHERE table_name = 'setting'"), ==, 1);

  /* Update: one row per changed field, with old and new values, and
   * updated_at moves (but is not itself logged). */
  created = query_text (store, "SELECT updated_at FROM setting WHERE key = 'ratio'");
  g_usleep (5000);
  td_store_set_setting (store, "ratio", "0.5", &error);
  g_assert_no_error (error);
  updated = query_text (store, "SELECT updated_at FROM setting WHERE key = 'ratio'");
  g_assert_cmpstr (created, <, updated);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit_log WHERE action = 'update'"), ==, 1);
  old_value = query_text (store, "SELECT old_value FROM audit_log WHERE action = 'update' AND field = 'value'");
  new_value = query_text (store, "SELECT new_value FROM audit_log WHERE action = 'update' AND field = 'value'");
  g_assert_cmpstr (old_value, ==, "0.25");
  g_assert_cmpstr (new_value, ==, "0.5");
  {
    g_autofree char *row = query_text (store, "SELECT row_uuid FROM audit_log WHERE action = 'update'");
    g_assert_cmpstr (row, ==, uuid);
  }

  /* The same value again changes nothing and logs nothing. */
  td_store_set_setting (store, "ratio", "0.5", &error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit_log WHERE action = 'update'"), ==, 1);

  /* Changes made by any writer, not only the app's code, are logged. */
  g_assert_cmpint (sqlite3_exec (db, "UPDATE school SET name = '济南职业学院', phone = '0531-81916531'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit_log WHERE table_name = 'school' AND action = 'update'"), ==, 2);
  {
    g_autofree char *name = query_text (store, "SELECT new_value FROM audit_log WHERE field = 'name'");
    g_assert_cmpstr (name, ==, "济南职业学院");
  }

  /* Delete: the old values as JSON. */
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM setting WHERE key = 'ratio'", NULL, NULL, NULL), ==, SQLITE_OK);
  deleted = query_text (store, "SELECT old_value FROM audit_log WHERE action = 'delete'");
  g_assert_cmpstr (deleted, ==, "{\"key\":\"ratio\",\"value\":\"0.5\"}");

  /* BLOBs (a form's PDF) are logged by their size. */
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO form_revision (campaign, number) VALUES ('shandong-2020', 1); "
                                 "INSERT INTO revision_pdf (revision_id, pdf) VALUES (last_insert_rowid (), zeroblob (1234))",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  blob_note = query_text (store, "SELECT json_extract (new_value, '$.pdf') FROM audit_log "
                                 "WHERE table_name = 'revision_pdf'");
  g_assert_cmpstr (blob_note, ==, "1234 bytes");
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

static GDateTime *
day (int d)
{
  return g_date_time_new_local (2026, 11, d, 9, 0, 0);
}

static void
test_daily_backup (void)
{
  g_autofree char *path = tmp_path ("daily.db");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(TdStore) store = open_ok (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  td_store_set_setting (store, "marker", "day-one", &error);
  g_assert_no_error (error);

  for (int d = 1; d <= 9; d++)
    {
      g_autoptr(GDateTime) now = day (d);
      g_autofree char *made = NULL;
      g_autofree char *again = NULL;
      g_autofree char *expected = td_store_dup_daily_backup_path (store, now);

      g_assert_true (td_store_daily_backup (store, now, &made, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (made, ==, expected);
      g_assert_true (td_store_check_file (made, &error));
      g_assert_no_error (error);

      /* Once a day only. */
      g_assert_true (td_store_daily_backup (store, now, &again, &error));
      g_assert_null (again);
    }

  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (listing)))
    if (g_str_has_prefix (name, "daily-backup-"))
      g_ptr_array_add (kept, g_strdup (name));
  g_ptr_array_sort (kept, compare_names);
  g_assert_cmpuint (kept->len, ==, TD_STORE_BACKUPS_KEPT);
  g_assert_cmpstr (g_ptr_array_index (kept, 0), >, "daily-backup-2026-11-02.db");
  g_assert_cmpstr (g_ptr_array_index (kept, 0), ==, "daily-backup-2026-11-03.db");
  g_assert_cmpstr (g_ptr_array_index (kept, kept->len - 1), ==, "daily-backup-2026-11-09.db");

  /* A backup is a complete database on its own. */
  {
    g_autofree char *copy = g_build_filename (dir, "daily-backup-2026-11-09.db", NULL);
    g_autofree char *moved = tmp_path ("copy.db");
    g_autoptr(TdStore) reopened = NULL;
    g_autofree char *marker = NULL;

    g_assert_cmpint (g_rename (copy, moved), ==, 0);
    reopened = open_ok (moved);
    marker = td_store_dup_setting (reopened, "marker");
    g_assert_cmpstr (marker, ==, "day-one");
  }
}

static void
backup_async_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  char **made = user_data;
  g_autoptr(GError) error = NULL;

  *made = td_store_daily_backup_finish (TD_STORE (object), result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*made);
}

static void
test_daily_backup_async (void)
{
  g_autofree char *path = tmp_path ("async.db");
  g_autoptr(TdStore) store = open_ok (path);
  g_autofree char *made = NULL;

  td_store_daily_backup_async (store, NULL, backup_async_cb, &made);
  while (made == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_file_test (made, G_FILE_TEST_IS_REGULAR));
  g_assert_true (td_store_check_file (made, NULL));
}

static void
restored_cb (TdStore *store,
             guint   *count)
{
  (*count)++;
}

static void
test_restore (void)
{
  g_autofree char *path = tmp_path ("live.db");
  g_autofree char *backup = tmp_path ("saved.db");
  g_autofree char *junk = tmp_path ("junk.db");
  g_autoptr(TdStore) store = open_ok (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *value = NULL;
  guint restored = 0;

  g_signal_connect (store, "restored", G_CALLBACK (restored_cb), &restored);

  td_store_set_setting (store, "state", "before", &error);
  g_assert_no_error (error);
  g_assert_true (td_store_backup_to (store, backup, &error));
  g_assert_no_error (error);
  td_store_set_setting (store, "state", "after", &error);
  g_assert_no_error (error);

  /* A bad file is refused and nothing changes. */
  g_assert_true (g_file_set_contents (junk, "not a database at all, 不是数据库", -1, NULL));
  g_assert_false (td_store_restore_from (store, junk, &kept, &error));
  g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_NOT_A_DATABASE);
  g_clear_error (&error);
  g_assert_null (kept);
  value = td_store_dup_setting (store, "state");
  g_assert_cmpstr (value, ==, "after");
  g_clear_pointer (&value, g_free);
  g_assert_cmpuint (restored, ==, 0);

  /* Nor can the live file restore itself. */
  g_assert_false (td_store_restore_from (store, path, NULL, &error));
  g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED);
  g_clear_error (&error);

  /* A good one replaces the content, and what was there is kept. */
  g_assert_true (td_store_restore_from (store, backup, &kept, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (restored, ==, 1);
  value = td_store_dup_setting (store, "state");
  g_assert_cmpstr (value, ==, "before");
  g_clear_pointer (&value, g_free);
  g_assert_cmpint (td_store_get_schema_version (store), ==, TD_STORE_SCHEMA_VERSION);

  g_assert_nonnull (kept);
  g_assert_true (g_str_has_prefix (kept, g_get_user_data_dir ()));
  {
    g_autoptr(TdStore) previous = open_ok (kept);

    value = td_store_dup_setting (previous, "state");
    g_assert_cmpstr (value, ==, "after");
  }

  /* The restored store keeps working, audit triggers included. */
  g_clear_pointer (&value, g_free);
  td_store_set_setting (store, "state", "again", &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store,
                              "SELECT count(*) FROM audit_log WHERE new_value = 'again'"), ==, 1);
}

static void
test_check_file (void)
{
  g_autofree char *empty = tmp_path ("zero.db");
  g_autofree char *missing = tmp_path ("missing.db");
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_false (td_store_check_file (empty, &error));
  g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FOREIGN_DATABASE);
  g_clear_error (&error);

  g_assert_false (td_store_check_file (missing, &error));
  g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_NOT_READABLE);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

static char *
raw_text (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* Issue 12, item 2: a file changed behind the app's back is checked in
 * full when opened. An index that disagrees with its table passes
 * quick_check (which reads every page but compares no index with its
 * table) and fails integrity_check. */
static void
test_refuse_index_out_of_step (void)
{
  g_autofree char *path = tmp_path ("index.db");
  g_autofree char *quick = NULL;
  g_autofree char *integrity = NULL;
  TdStore *store = open_ok (path);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *key = g_strdup_printf ("key-%u", i);

      td_store_set_setting (store, key, "value", &error);
      g_assert_no_error (error);
    }
  g_assert_finalize_object (store);

  /* Another tool rewrites the index's definition, not its entries: the
   * entries hold (table_name, row_uuid), the schema says the reverse. */
  raw_exec (path,
            "PRAGMA writable_schema = ON;"
            "UPDATE sqlite_schema SET sql = 'CREATE INDEX audit_log_row ON audit_log (row_uuid, table_name)' "
            "WHERE name = 'audit_log_row';"
            "PRAGMA writable_schema = OFF;");
  quick = raw_text (path, "PRAGMA quick_check");
  integrity = raw_text (path, "PRAGMA integrity_check");
  g_assert_cmpstr (quick, ==, "ok");
  g_assert_cmpstr (integrity, !=, "ok");

  assert_refused (path, TD_STORE_ERROR_DAMAGED);
}

static gboolean
set_key_cb (TdStore  *store,
            gpointer  user_data,
            GError  **error)
{
  return td_store_set_setting (store, user_data, "x", error);
}

typedef struct
{
  const char *from;
  const char *to;
} Rename;

static gboolean
rename_then_write_cb (TdStore  *store,
                      gpointer  user_data,
                      GError  **error)
{
  Rename *r = user_data;

  g_assert_no_errno (g_rename (r->from, r->to));
  return td_store_set_setting (store, "during", "x", error);
}

/* Issue 12, item 2, through the core: once the path names another file
 * (or none), every write is refused, and stays refused when the file comes
 * back; what was saved before is all in the file that was open. */
static void
test_refuse_replaced (void)
{
  g_autofree char *path = tmp_path ("replaced.db");
  g_autofree char *moved = tmp_path ("replaced-moved.db");
  g_autofree char *other = tmp_path ("replaced-other.db");
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *other_sum = NULL;
  g_autofree char *value = NULL;
  g_autoptr(TdStore) store = open_ok (path);
  g_autoptr(GError) error = NULL;
  Rename away = { path, moved };
  struct stat st;

  g_assert_finalize_object (open_ok (other));
  other_sum = file_checksum (other);

  g_assert_true (td_store_transaction (store, set_key_cb, (gpointer)"before", &error));
  g_assert_no_error (error);

  /* Moved away in the middle of a transaction: its commit is refused. */
  g_assert_false (td_store_transaction (store, rename_then_write_cb, &away, &error));
  g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_REPLACED);
  g_assert_nonnull (strstr (error->message, "nothing was saved"));
  g_clear_error (&error);

  /* A single statement outside a transaction: refused too. */
  g_assert_false (td_store_set_setting (store, "single", "x", &error));
  g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_REPLACED);
  g_clear_error (&error);

  /* Another file moved in: refused; the file left as it was. */
  g_assert_no_errno (g_rename (other, path));
  g_assert_false (td_store_transaction (store, set_key_cb, (gpointer)"after", &error));
  g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_REPLACED);
  g_clear_error (&error);
  {
    g_autofree char *now = file_checksum (path);

    g_assert_cmpstr (now, ==, other_sum);
  }
  /* No log of the other file beside it. */
  g_assert_true (stat (wal, &st) != 0 || st.st_size == 0);

  /* The right file back in place: still refused (reopen it). */
  g_assert_no_errno (g_rename (path, other));
  g_assert_no_errno (g_rename (moved, path));
  g_assert_false (td_store_transaction (store, set_key_cb, (gpointer)"back", &error));
  g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_REPLACED);
  g_clear_error (&error);
  g_clear_object (&store);

  /* Reopened: everything saved before the move, nothing after. */
  store = open_ok (path);
  value = td_store_dup_setting (store, "before");
  g_assert_cmpstr (value, ==, "x");
  g_assert_null (td_store_dup_setting (store, "during"));
  g_assert_null (td_store_dup_setting (store, "single"));
  g_assert_null (td_store_dup_setting (store, "after"));
  g_assert_null (td_store_dup_setting (store, "back"));
  g_assert_true (td_store_transaction (store, set_key_cb, (gpointer)"reopened", &error));
  g_assert_no_error (error);
}

/* Rows of @table whose uuid is not a version 7, variant 10 UUID. */
static gint64
count_not_v7 (TdStore    *store,
              const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM \"%s\" WHERE NOT ("
                                          "uuid GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-"
                                          "[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-7[0-9a-f][0-9a-f][0-9a-f]-"
                                          "[89ab][0-9a-f][0-9a-f][0-9a-f]-*' AND length (uuid) = 36)",
                                          table);

  return query_int (store, sql);
}

/* td_uuid7_new(): version 7, variant 10, the time now, and in order even
 * within one millisecond. */
static void
test_uuid7_new (void)
{
  gint64 before = g_get_real_time () / 1000;
  g_autofree char *previous = NULL;

  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *uuid = td_uuid7_new ();

      g_assert_true (g_uuid_string_is_valid (uuid));
      g_assert_cmpint (uuid[14], ==, '7');
      g_assert_nonnull (strchr ("89ab", uuid[19]));
      g_assert_cmpint (td_uuid7_get_ms (uuid), >=, before);
      if (previous)
        g_assert_cmpstr (previous, <, uuid);
      g_free (previous);
      previous = g_steal_pointer (&uuid);
    }
  g_assert_cmpint (td_uuid7_get_ms (previous), <=, g_get_real_time () / 1000 + 5000 / 4096 + 1);
  g_assert_false (td_uuid_is_v7 ("3f2b8c1e-9d4a-4e6b-8f0c-2a7d5e1b9c44"));
  g_assert_cmpint (td_uuid7_get_ms ("3f2b8c1e-9d4a-4e6b-8f0c-2a7d5e1b9c44"), ==, -1);
}

/* Every table's uuid default makes version 7 UUIDs: the example school's
 * rows of every kind, and rows inserted later sort after earlier ones. */
static void
test_uuid7_rows (void)
{
  g_autofree char *path = tmp_path ("v7.db");
  g_autoptr(TdStore) store = open_ok (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL, *second = NULL;
  gint64 now = g_get_real_time () / 1000;
  static const char * const filled[] = {
    "programme", "trainer", "venue", "equipment", "guarantee", "result", "result_trainer",
  };

  g_assert_true (td_example_fill (store, &td_example_school_size, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (filled); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"", filled[i]);

      g_assert_cmpint (query_int (store, sql), >, 0);
      g_assert_cmpint (count_not_v7 (store, filled[i]), ==, 0);
    }
  /* The tables the example leaves empty have the same default. */
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM pragma_table_info ('%s') "
                                              "WHERE name = 'uuid' AND dflt_value NOT LIKE '%%julianday%%'",
                                              tables[i]);

      g_assert_cmpint (query_int (store, sql), ==, 0);
    }

  /* Later rows sort after, across a millisecond. */
  g_assert_true (td_store_exec (store, "INSERT INTO setting (key) VALUES ('first')", &error));
  g_usleep (3000);
  g_assert_true (td_store_exec (store, "INSERT INTO setting (key) VALUES ('second')", &error));
  g_assert_no_error (error);
  first = query_text (store, "SELECT uuid FROM setting WHERE key = 'first'");
  second = query_text (store, "SELECT uuid FROM setting WHERE key = 'second'");
  g_assert_cmpstr (first, <, second);
  g_assert_cmpint (td_uuid7_get_ms (first), >=, now - 1000);
  g_assert_cmpint (td_uuid7_get_ms (second), >, td_uuid7_get_ms (first));
  g_assert_cmpint (count_not_v7 (store, "setting"), ==, 0);
}

static char *
table_dump (TdStore    *store,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (td_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        g_string_append_printf (out, "%s|", sqlite3_column_text (stmt, c));
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

/* A database that schema 8 made: migration 9 keeps every row, its UUID
 * and its audit, and the file stays usable by the plain sqlite3 shell. */
/* A new database is made in one transaction, its generic triggers
 * installed once (td_store_migrate()): it must come out as one migrated a
 * version at a time, each in its own transaction, does. */
static void
test_migrations_new_as_stepwise (void)
{
  g_autofree char *new_path = tmp_path ("new.db");
  g_autofree char *stepwise_path = tmp_path ("stepwise.db");
  const char *schema_sql = "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name";
  const char *rows_sql = "SELECT (SELECT count(*) FROM school), (SELECT count(*) FROM audit_log), "
                         "(SELECT group_concat (name) FROM pragma_table_info ('school'))";
  g_autofree char *new_schema = NULL, *new_rows = NULL, *stepwise_schema = NULL, *stepwise_rows = NULL;
  g_autoptr(TdStore) store = open_ok (new_path);
  gint64 n_triggers;

  new_schema = table_dump (store, schema_sql);
  new_rows = table_dump (store, rows_sql);
  n_triggers = query_int (store, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name GLOB 'td_*'");
  g_clear_object (&store);

  for (guint v = 1; v <= TD_STORE_SCHEMA_VERSION; v++)
    {
      td_store_set_target_version_for_testing (v);
      store = open_ok (stepwise_path);
      td_store_set_target_version_for_testing (TD_STORE_SCHEMA_VERSION);
      g_assert_cmpint (td_store_get_schema_version (store), ==, v);
      g_clear_object (&store);
    }
  store = open_ok (stepwise_path);
  stepwise_schema = table_dump (store, schema_sql);
  stepwise_rows = table_dump (store, rows_sql);

  g_assert_cmpint (n_triggers, >=, 4 * 10);
  g_assert_cmpstr (new_schema, ==, stepwise_schema);
  g_assert_cmpstr (new_rows, ==, stepwise_rows);
}

static void
test_migration_uuid7 (void)
{
  g_autofree char *path = tmp_path ("v8.db");
  g_autoptr(TdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *venues = NULL, *equipment = NULL, *audit = NULL, *schema = NULL;
  g_autofree char *venues_after = NULL, *equipment_after = NULL, *audit_after = NULL, *schema_after = NULL;
  g_autofree char *check = NULL, *shell = NULL, *shell_uuid = NULL;
  const char *schema_sql = "SELECT type, name, tbl_name FROM sqlite_schema "
                           "WHERE name NOT GLOB 'td_*' ORDER BY name";
  gint64 n_triggers;

  td_store_set_target_version_for_testing (8);
  store = open_ok (path);
  td_store_set_target_version_for_testing (TD_STORE_SCHEMA_VERSION);
  g_assert_cmpint (td_store_get_schema_version (store), ==, 8);
  g_assert_true (td_store_exec (store,
                                "INSERT INTO venue (name, kind) VALUES ('实训楼 A', 'workshop'), ('教室 101', 'classroom');"
                                "INSERT INTO equipment (name, venue_id) VALUES ('数控车床', 1), ('万用表', 2);"
                                "UPDATE equipment SET quantity = 3 WHERE name = '万用表';",
                                &error));
  g_assert_no_error (error);
  /* Schema 8 made random (version 4) UUIDs. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM venue WHERE substr (uuid, 15, 1) = '4'"), ==, 2);
  venues = table_dump (store, "SELECT * FROM venue ORDER BY id");
  equipment = table_dump (store, "SELECT * FROM equipment ORDER BY id");
  audit = table_dump (store, "SELECT * FROM audit_log ORDER BY id");
  schema = table_dump (store, schema_sql);
  n_triggers = query_int (store, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'");
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit_log"), >=, 5);
  g_clear_object (&store);

  /* Migration 9 alone: later ones add tables of their own. */
  td_store_set_target_version_for_testing (9);
  store = open_ok (path);
  td_store_set_target_version_for_testing (TD_STORE_SCHEMA_VERSION);
  g_assert_cmpint (td_store_get_schema_version (store), ==, 9);
  check = query_text (store, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
  g_assert_null (query_text (store, "SELECT * FROM pragma_foreign_key_check"));
  venues_after = table_dump (store, "SELECT * FROM venue ORDER BY id");
  equipment_after = table_dump (store, "SELECT * FROM equipment ORDER BY id");
  audit_after = table_dump (store, "SELECT * FROM audit_log ORDER BY id");
  schema_after = table_dump (store, schema_sql);
  g_assert_cmpstr (venues_after, ==, venues);
  g_assert_cmpstr (equipment_after, ==, equipment);
  g_assert_cmpstr (audit_after, ==, audit);
  g_assert_cmpstr (schema_after, ==, schema);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"), ==, n_triggers);
  /* No table keeps the old default. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%''-4''%'"), ==, 0);

  /* New rows: version 7, audited, foreign keys still enforced. */
  g_assert_true (td_store_exec (store, "INSERT INTO venue (name, kind) VALUES ('新场所', 'classroom')", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_not_v7 (store, "venue"), ==, 2);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit_log WHERE row_uuid = "
                                     "(SELECT uuid FROM venue WHERE name = '新场所')"), ==, 1);
  g_assert_false (td_store_exec (store, "INSERT INTO equipment (name, venue_id) VALUES ('x', 99)", NULL));
  g_clear_object (&store);

  /* The plain sqlite3 shell inserts into it, and gets a version 7 key. */
  shell = g_find_program_in_path ("sqlite3");
  if (shell == NULL)
    {
      g_test_skip ("no sqlite3 shell");
      return;
    }
  {
    const char *argv[] = { shell, path,
                           "INSERT INTO venue (name, kind) VALUES ('外部工具', 'workshop');"
                           "SELECT uuid FROM venue WHERE name = '外部工具';", NULL };
    g_autofree char *out = NULL, *err = NULL;
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (err, ==, "");
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_strstrip (out);
    g_assert_true (td_uuid_is_v7 (out));
  }
  store = open_ok (path);
  shell_uuid = query_text (store, "SELECT row_uuid FROM audit_log ORDER BY id DESC LIMIT 1");
  g_assert_true (td_uuid_is_v7 (shell_uuid));
  g_assert_cmpint (count_not_v7 (store, "venue"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/create", test_create);
  g_test_add_func ("/store/reopen", test_reopen);
  g_test_add_func ("/store/migrations-from-empty", test_migrations_from_empty);
  g_test_add_func ("/store/migrations-new-as-stepwise", test_migrations_new_as_stepwise);
  g_test_add_func ("/store/refuse/not-sqlite", test_refuse_not_sqlite);
  g_test_add_func ("/store/refuse/foreign", test_refuse_foreign);
  g_test_add_func ("/store/refuse/damaged", test_refuse_damaged);
  g_test_add_func ("/store/refuse/too-new", test_refuse_too_new);
  g_test_add_func ("/store/clean-close-and-rot", test_clean_close_and_rot);
  g_test_add_func ("/store/clean-close-note-until-first-write", test_clean_close_note_until_first_write);
  g_test_add_func ("/store/refuse/locked", test_refuse_locked);
  g_test_add_func ("/store/refuse/locked-other-process", test_refuse_locked_other_process);
  g_test_add_func ("/store/refuse/directory", test_refuse_directory);
  g_test_add_func ("/store/refuse/special", test_refuse_special);
  g_test_add_func ("/store/refuse/unreadable", test_refuse_unreadable);
  g_test_add_func ("/store/rollback", test_rollback);
  g_test_add_func ("/store/audit", test_audit);
  g_test_add_func ("/store/daily-backup", test_daily_backup);
  g_test_add_func ("/store/daily-backup-async", test_daily_backup_async);
  g_test_add_func ("/store/restore", test_restore);
  g_test_add_func ("/store/check-file", test_check_file);
  g_test_add_func ("/store/refuse/index-out-of-step", test_refuse_index_out_of_step);
  g_test_add_func ("/store/refuse/replaced", test_refuse_replaced);
  g_test_add_func ("/store/uuid7/new", test_uuid7_new);
  g_test_add_func ("/store/uuid7/rows", test_uuid7_rows);
  g_test_add_func ("/store/uuid7/migration", test_migration_uuid7);

  return g_test_run ();
}
