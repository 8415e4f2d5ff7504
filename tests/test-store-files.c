/* test-store-files.c: the database files against the rest of the desktop
 *
 * What issue 12 found the store losing to its neighbours, each case run
 * as it happened: a file chooser in the app's own process sniffing the
 * files, then another program (the Debian sqlite3 shell) reading or
 * writing them; the file replaced with `mv` while an import runs; a disk
 * that fills up (RLIMIT_FSIZE: the same EFBIG path, no mount needed); a
 * database that cannot be written. Real files, real processes: the
 * training-desk binary and sqlite3 are spawned.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <grp.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "td-sqlite-locks.h"
#include "td-store-private.h"

#define VENUES_CSV \
  "名称,类型,面积,容纳人数,地址\n" \
  "数控实训中心,实训基地,1200,60,文化西路29号\n" \
  "一号教室,教室,80,50,主楼101\n"

static char *
tmp_path (const char *name)
{
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static char *
sibling (const char *path,
         const char *suffix)
{
  return g_strconcat (path, suffix, NULL);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents, len);
}

static const char *
binary (void)
{
  static char *path;

  if (path == NULL)
    {
      const char *env = g_getenv ("TD_TEST_BINARY");

      path = env ? g_strdup (env) : g_test_build_filename (G_TEST_BUILT, "..", "app", "training-desk", NULL);
    }
  return path;
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

static gboolean
set_setting_cb (TdStore  *store,
                gpointer  user_data,
                GError  **error)
{
  const char * const *kv = user_data;

  return td_store_set_setting (store, kv[0], kv[1], error);
}

static void
write_setting (TdStore    *store,
               const char *key,
               const char *value)
{
  g_autoptr(GError) error = NULL;
  const char *kv[] = { key, value };

  g_assert_true (td_store_transaction (store, set_setting_cb, kv, &error));
  g_assert_no_error (error);
}

/* Runs the Debian sqlite3 shell on @path, as a backup tool or a database
 * browser would. Returns its exit status; its stderr in @err. */
static int
run_sqlite3 (const char  *path,
             const char  *sql,
             char       **err)
{
  const char *argv[] = { "sqlite3", path, sql, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("sqlite3 %s: status %d, out: %s", sql, status, out);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* What the rest of the process does to the files: plain open and close,
 * and the GTK file chooser's folder listing (GIO sniffs each file's
 * content type: it opens, reads and closes it). */
static void
touch_from_the_process (const char *path)
{
  g_autofree char *dir_path = g_path_get_dirname (path);
  g_autoptr(GFile) dir = g_file_new_for_path (dir_path);
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const suffixes[] = { "", "-wal", "-shm" };
  GFileInfo *info;
  guint n_listed = 0;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = sibling (path, suffixes[i]);
      int fd;

      g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
      g_assert_cmpint ((fd = g_open (file, O_RDONLY, 0)), >=, 0);
      g_assert_no_errno (close (fd));
      g_assert_cmpint ((fd = g_open (file, O_RDWR, 0)), >=, 0);
      g_assert_no_errno (close (fd));
    }

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE,
                                        G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
  while ((info = g_file_enumerator_next_file (children, NULL, &error)))
    {
      g_test_message ("listed %s: %s", g_file_info_get_name (info), g_file_info_get_content_type (info));
      n_listed++;
      g_object_unref (info);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n_listed, >=, 3);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = sibling (path, suffixes[i]);
      g_autoptr(GFile) file = g_file_new_for_path (name);
      g_autoptr(GFileInfo) file_info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE,
                                                          G_FILE_QUERY_INFO_NONE, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (g_file_info_get_content_type (file_info));
    }
}

static void
assert_log_beside (const char *path)
{
  g_autofree char *wal = sibling (path, "-wal");
  g_autofree char *shm = sibling (path, "-shm");

  g_assert_true (g_file_test (wal, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (shm, G_FILE_TEST_IS_REGULAR));
}

/* Issue 12, item 1: the file chooser lists the folder, a backup tool reads
 * the database, and the next save must still reach the disk. The child
 * saves, lets the process touch the files, runs sqlite3, saves again and
 * is killed (no clean close); a fresh process finds both saves. */
static void
test_foreign_close_then_reader (void)
{
  g_autofree char *path = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr(TdStore) store = open_ok (g_getenv ("TD_TEST_DATABASE"));
      g_autofree char *err = NULL;

      g_assert_true (td_sqlite_locks_install ());
      write_setting (store, "test.before", "saved before the dialog");
      assert_log_beside (td_store_get_path (store));

      touch_from_the_process (td_store_get_path (store));
      g_assert_cmpint (run_sqlite3 (td_store_get_path (store), "SELECT count(*) FROM setting", &err), ==, 0);

      /* sqlite3 could not take the file for itself: its log stays. */
      assert_log_beside (td_store_get_path (store));

      write_setting (store, "test.after", "saved after the dialog");
      g_print ("committed\n");
      fflush (stdout);
      kill (getpid (), SIGKILL);
      g_assert_not_reached ();
    }

  path = tmp_path ("school.db");
  g_assert_finalize_object (open_ok (path));

  {
    g_autofree char *argv0 = g_test_build_filename (G_TEST_BUILT, "test-store-files", NULL);
    const char *argv[] = { argv0, "-p", "/store-files/foreign-close/reader", "--GTestSubprocess", NULL };
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    g_autoptr(GSubprocess) child = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;

    g_subprocess_launcher_setenv (launcher, "TD_TEST_DATABASE", path, TRUE);
    child = g_subprocess_launcher_spawnv (launcher, argv, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_if_signaled (child));
    g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
    g_assert_nonnull (strstr (out, "committed"));
  }

  {
    g_autoptr(TdStore) store = open_ok (path);
    g_autofree char *before = td_store_dup_setting (store, "test.before");
    g_autofree char *after = td_store_dup_setting (store, "test.after");

    g_assert_cmpstr (before, ==, "saved before the dialog");
    g_assert_cmpstr (after, ==, "saved after the dialog");
  }
}

typedef struct
{
  const char *path;
  int         status;
  char       *err;
} ForeignWrite;

static gboolean
foreign_write_cb (TdStore  *store,
                  gpointer  user_data,
                  GError  **error)
{
  ForeignWrite *w = user_data;

  if (!td_store_set_setting (store, "test.ours", "written by the app", error))
    return FALSE;
  touch_from_the_process (w->path);
  w->status = run_sqlite3 (w->path, "INSERT INTO setting (key, value) VALUES ('test.foreign', 'x')", &w->err);
  return TRUE;
}

/* While the app writes, the files touched by the process, another program
 * that writes is held off (its locks conflict with ours), and a second
 * copy of the app is still refused (its flock() was not dropped either). */
static void
test_foreign_close_then_writer (void)
{
  g_autofree char *path = tmp_path ("school.db");
  g_autoptr(TdStore) store = open_ok (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *foreign = NULL;
  g_autofree char *ours = NULL;
  ForeignWrite w = { path, -1, NULL };

  write_setting (store, "test.first", "1");
  g_assert_true (td_store_transaction (store, foreign_write_cb, &w, &error));
  g_assert_no_error (error);
  g_assert_cmpint (w.status, !=, 0);
  g_assert_nonnull (strstr (w.err, "locked"));
  g_free (w.err);

  g_assert_null (td_store_open (path, &error));
  g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_LOCKED);

  ours = td_store_dup_setting (store, "test.ours");
  foreign = td_store_dup_setting (store, "test.foreign");
  g_assert_cmpstr (ours, ==, "written by the app");
  g_assert_null (foreign);

  /* The shim keeps one descriptor per locked file, no more: the database
   * and its -shm. */
  g_assert_cmpuint (td_sqlite_locks_get_n_files (), ==, 2);
  g_clear_object (&store);
  g_assert_cmpuint (td_sqlite_locks_get_n_files (), ==, 0);
}

typedef struct
{
  int       status;
  char     *out;
  char     *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_wait (Run         *run,
          GSubprocess *child)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8 (child, NULL, NULL, &run->out, &run->err, &error));
  g_assert_no_error (error);
  g_test_message ("exit %d\nout: %s\nerr: %s", g_subprocess_get_status (child), run->out, run->err);
  g_assert_true (g_subprocess_get_if_exited (child));
  run->status = g_subprocess_get_exit_status (child);
}

static GSubprocessLauncher *
cli_launcher (const char *dir)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                             G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  return launcher;
}

static gint64
raw_count (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static char *
raw_text (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* Issue 12, item 2: `mv other.db school.db` while `--import` runs. The
 * import reads its CSV from a pipe, so the test knows the app has the
 * database open when it replaces it: the import is refused, and the file
 * moved in is left exactly as it was, with no log of the old one beside. */
static void
test_replaced_during_import (void)
{
  g_autofree char *dir = g_strdup (g_get_user_data_dir ());
  g_autofree char *path = tmp_path ("school.db");
  g_autofree char *other = tmp_path ("other.db");
  g_autofree char *fifo = tmp_path ("venues.csv");
  g_autofree char *wal = sibling (path, "-wal");
  g_autofree char *other_sum = NULL;
  g_autofree char *integrity = NULL;
  g_autofree char *mark = NULL;
  g_autoptr(GSubprocessLauncher) launcher = cli_launcher (dir);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };
  struct stat st;
  int fd;

  {
    g_autoptr(TdStore) school = open_ok (path);
    g_autoptr(TdStore) moved_in = open_ok (other);

    /* Enough in the school's log that a stale one would show. */
    for (guint i = 0; i < 50; i++)
      {
        g_autofree char *key = g_strdup_printf ("test.school.%u", i);

        write_setting (school, key, "the school's own");
      }
    write_setting (moved_in, "test.mark", "the file moved in");
  }
  other_sum = file_checksum (other);

  g_assert_no_errno (mkfifo (fifo, 0600));
  child = g_subprocess_launcher_spawn (launcher, &error, binary (), "--database", path,
                                       "--import", "venues", "venues.csv", NULL);
  g_assert_no_error (error);

  /* Opening the pipe waits for the import to open it, after the database. */
  g_assert_cmpint ((fd = g_open (fifo, O_WRONLY, 0)), >=, 0);
  {
    g_autoptr(TdStore) probe = td_store_open (path, &error);

    /* The app holds it: it has opened the database. */
    g_assert_null (probe);
    g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_LOCKED);
    g_clear_error (&error);
  }
  g_assert_no_errno (g_rename (other, path));
  g_assert_cmpint (write (fd, VENUES_CSV, strlen (VENUES_CSV)), ==, (gssize)strlen (VENUES_CSV));
  g_assert_no_errno (close (fd));

  run_wait (&run, child);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "was replaced, moved or deleted while it was open: nothing was saved"));

  /* The file moved in: not a byte changed, and nothing of the school's
   * log would be read into it. */
  {
    g_autofree char *now = file_checksum (path);

    g_assert_cmpstr (now, ==, other_sum);
  }
  g_assert_true (stat (wal, &st) != 0 || st.st_size == 0);
  integrity = raw_text (path, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  mark = raw_text (path, "SELECT value FROM setting WHERE key = 'test.mark'");
  g_assert_cmpstr (mark, ==, "the file moved in");
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM venue"), ==, 0);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM setting WHERE key LIKE 'test.school.%'"), ==, 0);
}

typedef struct
{
  rlim_t limit;
} FsizeLimit;

/* In the child, before exec: files may not grow past the limit, and a
 * write past it fails with EFBIG (as on a full disk) instead of a signal. */
static void
limit_file_size_cb (gpointer user_data)
{
  FsizeLimit *limit = user_data;
  struct rlimit rl = { limit->limit, limit->limit };

  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &rl);
}

/* Issue 12, item 7: --load-example on a full disk left a 0-byte file. Now
 * it leaves nothing, whether the disk fills while the file is made or
 * while the example is written. */
static void
test_load_example_disk_full (void)
{
  g_autofree char *dir = g_strdup (g_get_user_data_dir ());
  /* 0: not even the first page; 64 KiB: the schema but not the school. */
  static const rlim_t limits[] = { 0, 64 * 1024 };

  g_mkdir_with_parents (dir, 0700);
  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      g_autofree char *name = g_strdup_printf ("example-%u.db", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *wal = sibling (path, "-wal");
      g_autofree char *shm = sibling (path, "-shm");
      g_autoptr(GSubprocessLauncher) launcher = cli_launcher (dir);
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(Run) run = { 0 };
      FsizeLimit limit = { limits[i] };

      g_subprocess_launcher_set_child_setup (launcher, limit_file_size_cb, &limit, NULL);
      child = g_subprocess_launcher_spawn (launcher, &error, binary (), "--database", path,
                                           "--load-example", NULL);
      g_assert_no_error (error);
      run_wait (&run, child);
      g_assert_cmpint (run.status, !=, 0);
      g_assert_cmpstr (run.err, !=, "");
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
    }

  /* And with room, the same command makes the school. */
  {
    g_autofree char *path = g_build_filename (dir, "example-room.db", NULL);
    g_autoptr(GSubprocessLauncher) launcher = cli_launcher (dir);
    g_autoptr(GSubprocess) child = NULL;
    g_autoptr(GError) error = NULL;
    g_auto(Run) run = { 0 };

    child = g_subprocess_launcher_spawn (launcher, &error, binary (), "--database", path,
                                         "--load-example", NULL);
    g_assert_no_error (error);
    run_wait (&run, child);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpint (raw_count (path, "SELECT count(*) FROM trainer"), >, 0);
  }
}

/* The user the command runs as: nobody when the test runs as root (CI),
 * for whom file permissions do not apply. */
static void
drop_root_cb (gpointer user_data)
{
  if (geteuid () == 0)
    {
      /* 65534: nobody and nogroup on Debian. */
      if (setgroups (0, NULL) != 0 || setgid (65534) != 0 || setuid (65534) != 0)
        _exit (127);
    }
}

/* Issue 12, item 7: a database that cannot be written refused even
 * --export. Now it is read as it is, unchanged, and only a write is
 * refused, saying to check the permissions. */
static void
test_read_only_database (void)
{
  g_autofree char *dir = g_build_filename (g_get_tmp_dir (), "td-read-only-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *sum = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  g_autofree char *venues = NULL;
  g_autofree char *exe = NULL;

  g_assert_nonnull (g_mkdtemp (dir));
  path = g_build_filename (dir, "school.db", NULL);
  venues = g_build_filename (dir, "venues.csv", NULL);
  wal = sibling (path, "-wal");
  shm = sibling (path, "-shm");
  /* Where the export goes: the only place the command may write. */
  out_dir = g_build_filename (dir, "out", NULL);
  g_assert_no_errno (g_mkdir (out_dir, 0777));
  g_assert_no_errno (g_chmod (out_dir, 0777));
  csv_path = g_build_filename (out_dir, "venues.csv", NULL);
  /* The command runs as nobody when the test runs as root: a copy of it
   * where nobody can reach it (the build may be under /root). The core is
   * linked in statically; the resources are compiled in. */
  exe = g_build_filename (dir, "training-desk", NULL);
  {
    g_autofree char *bytes = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (binary (), &bytes, &length, NULL));
    g_assert_true (g_file_set_contents (exe, bytes, (gssize)length, NULL));
    g_assert_no_errno (g_chmod (exe, 0755));
  }

  {
    g_autoptr(TdStore) store = open_ok (path);
    g_autoptr(GSubprocessLauncher) launcher = cli_launcher (dir);
    g_autoptr(GSubprocess) child = NULL;
    g_autoptr(GError) error = NULL;
    g_auto(Run) run = { 0 };

    g_assert_true (g_file_set_contents (venues, VENUES_CSV, -1, NULL));
    g_clear_object (&store);
    child = g_subprocess_launcher_spawn (launcher, &error, binary (), "--database", path,
                                         "--import", "venues", venues, NULL);
    g_assert_no_error (error);
    run_wait (&run, child);
    g_assert_cmpint (run.status, ==, 0);
  }
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_no_errno (g_chmod (path, 0444));
  g_assert_no_errno (g_chmod (dir, 0555));
  sum = file_checksum (path);

  /* --export reads it. */
  {
    g_autoptr(GSubprocessLauncher) launcher = cli_launcher (out_dir);
    g_autoptr(GSubprocess) child = NULL;
    g_autoptr(GError) error = NULL;
    g_auto(Run) run = { 0 };

    g_subprocess_launcher_set_child_setup (launcher, drop_root_cb, NULL, NULL);
    child = g_subprocess_launcher_spawn (launcher, &error, exe, "--database", path,
                                         "--export", "venues", csv_path, NULL);
    g_assert_no_error (error);
    run_wait (&run, child);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
    g_assert_nonnull (strstr (csv, "数控实训中心"));
    g_assert_nonnull (strstr (csv, "一号教室"));
  }

  /* --import is refused, saying why. */
  {
    g_autoptr(GSubprocessLauncher) launcher = cli_launcher (out_dir);
    g_autoptr(GSubprocess) child = NULL;
    g_autoptr(GError) error = NULL;
    g_auto(Run) run = { 0 };

    g_subprocess_launcher_set_child_setup (launcher, drop_root_cb, NULL, NULL);
    child = g_subprocess_launcher_spawn (launcher, &error, exe, "--database", path,
                                         "--import", "venues", csv_path, NULL);
    g_assert_no_error (error);
    run_wait (&run, child);
    g_assert_cmpint (run.status, !=, 0);
    g_assert_nonnull (strstr (run.err, "Check the file’s permissions"));
  }

  /* Not a byte written, nothing made beside it. */
  {
    g_autofree char *now = file_checksum (path);

    g_assert_cmpstr (now, ==, sum);
  }
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));

  g_assert_no_errno (g_chmod (dir, 0700));
  g_assert_no_errno (g_chmod (path, 0600));
  g_assert_no_errno (g_unlink (csv_path));
  g_assert_no_errno (g_rmdir (out_dir));
  g_assert_no_errno (g_unlink (venues));
  g_assert_no_errno (g_unlink (path));
  g_assert_no_errno (g_unlink (exe));
  g_assert_no_errno (g_rmdir (dir));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store-files/foreign-close/reader", test_foreign_close_then_reader);
  g_test_add_func ("/store-files/foreign-close/writer", test_foreign_close_then_writer);
  g_test_add_func ("/store-files/replaced-during-import", test_replaced_during_import);
  g_test_add_func ("/store-files/load-example-disk-full", test_load_example_disk_full);
  g_test_add_func ("/store-files/read-only", test_read_only_database);

  return g_test_run ();
}
