/* test-cli.c: training-desk --import and --export, run as a script would
 *
 * The built binary is spawned without a display or a session bus: the
 * command line must never start GTK.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <string.h>

typedef struct
{
  char *dir;
  char *db;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_strdup (g_get_user_data_dir ());
  g_mkdir_with_parents (f->dir, 0700);
  f->db = g_build_filename (f->dir, "cli.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_free (f->dir);
  g_free (f->db);
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

/* Into the test's log, a line at a time: TAP wants each to start with #. */
static void
log_output (const char *what,
            int         status,
            const char *text)
{
  g_auto(GStrv) lines = NULL;

  if (text == NULL)
    {
      g_test_message ("%s %d", what, status);
      return;
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (lines[i][0])
      g_test_message ("%s: %s", what, lines[i]);
}

/* Runs training-desk with @args (NULL-terminated) in the test's folder,
 * in @locale, with no display and no session bus. */
static void
run_in (Run         *run,
        const char  *locale,
        Fixture     *f,
        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  va_list args;
  const char *arg;

  g_ptr_array_add (argv, (char *)binary ());
  va_start (args, f);
  while ((arg = va_arg (args, const char *)))
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
  envp = g_environ_unsetenv (envp, "DBUS_SESSION_BUS_ADDRESS");
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  envp = g_environ_setenv (envp, "LC_ALL", locale, TRUE);

  memset (run, 0, sizeof *run);
  g_assert_true (g_spawn_sync (f->dir, (char **)argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &run->status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (run->status));
  run->status = WEXITSTATUS (run->status);
  log_output ("exit", run->status, NULL);
  log_output ("stdout", 0, run->out);
  log_output ("stderr", 0, run->err);
}

#define run(r, f, ...) run_in ((r), "C.UTF-8", (f), __VA_ARGS__, NULL)

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  return path;
}

static gint64
query (Fixture    *f,
       const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not in:\n%s", needle, haystack);
}

#define VENUES_CSV \
  "\xEF\xBB\xBF名称,类型,面积,容纳人数,地址\r\n" \
  "数控实训中心,实训基地,1200,60,文化西路29号\r\n" \
  "一号教室,教室,80,50,主楼101\r\n"

#define EQUIPMENT_CSV \
  "名称,型号,数量,单价,场所,购置年份,状态\n" \
  "数控车床,CK6140,3,\"85,000\",数控实训中心,2019,在用\n" \
  "\"投影仪 \"\"高亮\"\"\",EB-X51,1,4500,一号教室,2021,闲置\n"

static void
import_venues (Fixture *f)
{
  g_auto(Run) r;
  g_autofree char *venues = write_file (f, "venues.csv", VENUES_CSV);

  run (&r, f, "--database", f->db, "--import", "venues", "venues.csv");
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "new:        2");
  g_assert_cmpstr (r.err, ==, "");
}

/* Import, import again, export both ways, import the exports. */
static void
test_import_export (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *equipment = write_file (f, "equipment.csv", EQUIPMENT_CSV);
  g_autofree char *xlsx = g_build_filename (f->dir, "out.xlsx", NULL);
  g_autofree char *csv = NULL;
  g_auto(Run) r;
  gint64 audit;

  import_venues (f);
  g_assert_cmpint (query (f, "SELECT count(*) FROM venue"), ==, 2);

  /* A relative database path, from the working folder. */
  run (&r, f, "--database", "cli.db", "--import", "equipment", "equipment.csv");
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "Imported equipment.csv into Equipment");
  assert_contains (r.out, "new:        2");
  assert_contains (r.out, "unchanged:  0");
  g_assert_cmpint (query (f, "SELECT count(*) FROM equipment"), ==, 2);
  g_assert_cmpint (query (f, "SELECT unit_value FROM equipment WHERE model = 'CK6140'"), ==, 85000);
  g_assert_cmpint (query (f, "SELECT count(*) FROM equipment e JOIN venue v ON v.id = e.venue_id "
                             "WHERE v.name = '一号教室' AND e.name = '投影仪 \"高亮\"'"), ==, 1);
  audit = query (f, "SELECT count(*) FROM audit_log");

  run_clear (&r);
  run (&r, f, "--database", f->db, "--import", "equipment", equipment);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "new:        0");
  assert_contains (r.out, "unchanged:  2");
  g_assert_cmpint (query (f, "SELECT count(*) FROM audit_log"), ==, audit);

  run_clear (&r);
  run (&r, f, "--database", f->db, "--export", "equipment", "out.xlsx");
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "Exported 2 records to out.xlsx.");
  g_assert_true (g_file_test (xlsx, G_FILE_TEST_IS_REGULAR));

  run_clear (&r);
  run (&r, f, "--database", f->db, "--export", "equipment", "out.csv");
  g_assert_cmpint (r.status, ==, 0);
  csv = g_build_filename (f->dir, "out.csv", NULL);
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
    g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF名称,型号,数量,单价,场所,购置年份,状态\r\n"));
    assert_contains (contents, "数控车床,CK6140,3,85000,数控实训中心,2019,在用\r\n");
  }

  for (guint i = 0; i < 2; i++)
    {
      run_clear (&r);
      run (&r, f, "--database", f->db, "--import", "equipment", i ? "out.csv" : "out.xlsx");
      g_assert_cmpint (r.status, ==, 0);
      assert_contains (r.out, "unchanged:  2");
    }
  g_assert_cmpint (query (f, "SELECT count(*) FROM audit_log"), ==, audit);
}

/* Every bad row on stderr as FILE:LINE: COLUMN: reason, a non-zero exit,
 * and the database as it was. */
static void
test_bad_file (Fixture       *f,
               gconstpointer  data)
{
  const char *bad =
    "名称,型号,数量,单价,场所,购置年份,状态\n"
    "数控车床,CK6140,3,85000,数控实训中心,2019,在用\n"
    "台钻,Z4116,2,1200,不存在的场所,2020,在用\n"
    "\"投影仪\n高亮\",EB-X51,1,4500,一号教室,2021,闲置\n"
    "万用表,UT61E,十,300,一号教室,2021,在用\n";
  g_autofree char *path = write_file (f, "bad.csv", bad);
  g_auto(Run) r;
  gint64 audit;

  import_venues (f);
  audit = query (f, "SELECT count(*) FROM audit_log");

  run (&r, f, "--database", f->db, "--import", "equipment", "bad.csv");
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  assert_contains (r.err, "bad.csv:3: 场所: ");
  assert_contains (r.err, "不存在的场所");
  assert_contains (r.err, "bad.csv:6: 数量: ");
  assert_contains (r.err, "2 rows have problems, so nothing was imported");
  g_assert_cmpint (query (f, "SELECT count(*) FROM equipment"), ==, 0);
  g_assert_cmpint (query (f, "SELECT count(*) FROM audit_log"), ==, audit);
}

/* Mistakes a person makes, each with a message and its exit status. */
static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *venues = write_file (f, "venues.csv", VENUES_CSV);
  g_autofree char *not_db = write_file (f, "notes.db", "这不是数据库，只是一些笔记。\n");
  g_autofree char *missing_db = g_build_filename (f->dir, "missing.db", NULL);
  g_autofree char *ods = g_build_filename (f->dir, "out.ods", NULL);
  g_auto(Run) r;

  run (&r, f, "--database", f->db, "--import", "teachers", "venues.csv");
  g_assert_cmpint (r.status, ==, 1);
  assert_contains (r.err, "“teachers”");
  assert_contains (r.err, "programmes, trainers, equipment, venues, guarantees, results");

  run_clear (&r);
  run (&r, f, "--database", f->db, "--import", "venues");
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "Usage: training-desk [--database DB] --import KIND FILE");

  run_clear (&r);
  run (&r, f, "--database", f->db, "--import", "venues", "venues.csv", "more.csv");
  g_assert_cmpint (r.status, ==, 2);

  run_clear (&r);
  run (&r, f, "--database", f->db, "--import", "venues", "--export", "venues", "venues.csv");
  g_assert_cmpint (r.status, ==, 2);

  run_clear (&r);
  run (&r, f, "--database", f->db, "stray.csv");
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "stray.csv");

  run_clear (&r);
  run (&r, f, "--database", f->db, "--import", "venues", "nowhere.csv");
  g_assert_cmpint (r.status, ==, 1);
  assert_contains (r.err, "nowhere.csv");

  run_clear (&r);
  run (&r, f, "--database", not_db, "--import", "venues", "venues.csv");
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.err, !=, "");
  g_assert_cmpstr (r.out, ==, "");

  /* An export never makes a database on the way. */
  run_clear (&r);
  run (&r, f, "--database", missing_db, "--export", "venues", "venues-out.csv");
  g_assert_cmpint (r.status, ==, 1);
  assert_contains (r.err, "missing.db");
  g_assert_false (g_file_test (missing_db, G_FILE_TEST_EXISTS));

  run_clear (&r);
  import_venues (f);
  run (&r, f, "--database", f->db, "--export", "venues", "out.ods");
  g_assert_cmpint (r.status, ==, 1);
  assert_contains (r.err, ".csv or .xlsx");
  g_assert_false (g_file_test (ods, G_FILE_TEST_EXISTS));
}

/* In Chinese where the user's locale is Chinese. */
static void
test_chinese (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *venues = write_file (f, "venues.csv", VENUES_CSV);
  g_auto(Run) r;

  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
    {
      g_test_skip ("The zh_CN.UTF-8 locale is not installed");
      return;
    }
  setlocale (LC_ALL, "C.UTF-8");

  run_in (&r, "zh_CN.UTF-8", f, "--database", f->db, "--import", "venues", "venues.csv", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "场所");
  g_assert_null (strstr (r.out, "Imported"));

  run_clear (&r);
  run_in (&r, "zh_CN.UTF-8", f, "--database", f->db, "--export", "venues", "x.ods", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_null (strstr (r.err, "Cannot export"));
}

/* --load-example, then the intent form written three ways; an incomplete
 * form is refused, naming what is missing, and nothing is written. */
static void
test_example_and_form (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (f->dir, "form.pdf", NULL);
  g_autofree char *json = g_build_filename (f->dir, "form.json", NULL);
  g_autofree char *row = g_build_filename (f->dir, "row.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(Run) r;
  gint64 audit;

  run (&r, f, "--database", f->db, "--load-example");
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "300 trainers");
  g_assert_cmpint (query (f, "SELECT count(*) FROM trainer"), ==, 300);
  g_assert_cmpint (query (f, "SELECT count(*) FROM result"), ==, 360);

  /* Only into an empty database. */
  audit = query (f, "SELECT count(*) FROM audit_log");
  run_clear (&r);
  run (&r, f, "--database", f->db, "--load-example");
  g_assert_cmpint (r.status, ==, 1);
  assert_contains (r.err, "empty");
  g_assert_cmpint (query (f, "SELECT count(*) FROM audit_log"), ==, audit);

  run_clear (&r);
  run (&r, f, "--database", f->db, "--export-pdf", pdf, "--export-json", json, "--export-row", row);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (pdf, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (json, &contents, NULL, NULL));
  assert_contains (contents, "shandong-2020");
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (row, &contents, NULL, NULL));
  assert_contains (contents, "单位名称");
  g_clear_pointer (&contents, g_free);

  /* Incomplete: refused with what is missing; no file written. */
  {
    sqlite3 *db = NULL;
    g_autofree char *pdf2 = g_build_filename (f->dir, "incomplete.pdf", NULL);

    g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE school SET phone = '', postal_code = ''", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);

    run_clear (&r);
    run (&r, f, "--database", f->db, "--export-pdf", pdf2);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "2 things to do first");
    assert_contains (r.err, "field 4");
    assert_contains (r.err, "field 5");
    g_assert_false (g_file_test (pdf2, G_FILE_TEST_EXISTS));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/cli/import-export", Fixture, NULL, fixture_set_up, test_import_export, fixture_tear_down);
  g_test_add ("/cli/bad-file", Fixture, NULL, fixture_set_up, test_bad_file, fixture_tear_down);
  g_test_add ("/cli/errors", Fixture, NULL, fixture_set_up, test_errors, fixture_tear_down);
  g_test_add ("/cli/chinese", Fixture, NULL, fixture_set_up, test_chinese, fixture_tear_down);
  g_test_add ("/cli/example-and-form", Fixture, NULL, fixture_set_up, test_example_and_form, fixture_tear_down);

  return g_test_run ();
}
