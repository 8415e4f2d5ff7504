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
#include <unistd.h>

#include "td-test-pipe.h"

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
  g_auto(Run) r = { 0 };
  g_autofree char *venues G_GNUC_UNUSED = write_file (f, "venues.csv", VENUES_CSV);

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
  g_auto(Run) r = { 0 };
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
  g_autofree char *path G_GNUC_UNUSED = write_file (f, "bad.csv", bad);
  g_auto(Run) r = { 0 };
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
  g_autofree char *venues G_GNUC_UNUSED = write_file (f, "venues.csv", VENUES_CSV);
  g_autofree char *not_db = write_file (f, "notes.db", "这不是数据库，只是一些笔记。\n");
  g_autofree char *missing_db = g_build_filename (f->dir, "missing.db", NULL);
  g_autofree char *ods = g_build_filename (f->dir, "out.ods", NULL);
  g_auto(Run) r = { 0 };

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
  g_autofree char *venues G_GNUC_UNUSED = write_file (f, "venues.csv", VENUES_CSV);
  g_auto(Run) r = { 0 };

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
  g_auto(Run) r = { 0 };
  gint64 audit;

  run (&r, f, "--database", f->db, "--load-example");
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "300 trainers");
  assert_contains (r.out, "11 results.");
  assert_contains (r.out, "It also has 24 training classes");
  g_assert_cmpint (query (f, "SELECT count(*) FROM trainer"), ==, 300);
  /* Three years: the first typed in, as 11 intakes of 23 to 33
   * trainees (28 ± 28/5), the last two as 24 classes. */
  g_assert_cmpint (query (f, "SELECT count(*) FROM result"), ==, 11);
  g_assert_cmpint (query (f, "SELECT min (participants) >= 23 AND max (participants) <= 33 FROM result"), ==, 1);
  g_assert_cmpint (query (f, "SELECT count(*) FROM class"), ==, 24);
  g_assert_cmpint (query (f, "SELECT count (DISTINCT substr (ends_on, 1, 4)) FROM class"), ==, 2);
  g_assert_cmpint (query (f, "SELECT count(*) FROM result WHERE year IN "
                             "(SELECT CAST (substr (ends_on, 1, 4) AS INTEGER) FROM class)"), ==, 0);

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

#define JIANGSU_CAMPAIGN \
  "{\n  \"schema\": 1,\n  \"id\": \"jiangsu-2021\",\n  \"title\": \"职业培训意向表\",\n" \
  "  \"notice\": \"苏教职〔2021〕3号\",\n  \"province\": \"32\",\n  \"year\": 2021,\n" \
  "  \"deadline\": \"2021-06-30\",\n  \"footnote\": \"备注：请如实填写。\",\n" \
  "  \"recipients\": [\n" \
  "    {\"school_types\": [\"higher-vocational\", \"secondary-vocational\", \"undergraduate\"],\n" \
  "     \"authority\": \"江苏省教育厅\", \"email\": \"zcc@jsjyt.example.cn\", \"paper_copies\": 2},\n" \
  "    {\"school_types\": [\"technical\"], \"authority\": \"江苏省人社厅\", \"email\": \"jn@jsrst.example.cn\"}\n" \
  "  ]\n}\n"

static char *
query_text (Fixture    *f,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    text = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

/* The whole database's content that an import may change, to see that a
 * refused one changed nothing. */
static char *
snapshot (Fixture *f)
{
  g_autofree char *settings = query_text (f, "SELECT group_concat (key || '=' || value, '|') FROM "
                                             "(SELECT key, value FROM setting ORDER BY key)");
  g_autofree char *school = query_text (f, "SELECT province_code || '|' || city_code || '|' || county_code "
                                           "|| '|' || name || '|' || postal_code FROM school");

  return g_strdup_printf ("%s\n%s\n%" G_GINT64_FORMAT, settings ? settings : "", school ? school : "",
                          query (f, "SELECT count(*) FROM audit_log"));
}

/* --import-campaign: a bad file is refused saying what is wrong in it, and
 * changes nothing (a database is not even made for it); a good one is kept
 * in the database as the campaign, and the profile takes its province. */
static void
test_import_campaign (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *good = write_file (f, "jiangsu.json", JIANGSU_CAMPAIGN);
  g_autofree char *not_json G_GNUC_UNUSED = write_file (f, "notes.json", "这不是JSON");
  g_autofree char *bad_deadline = NULL;
  g_autofree char *bad_email = NULL;
  g_autofree char *too_new G_GNUC_UNUSED = write_file (f, "too-new.json", "{\"schema\": 9}");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  g_auto(Run) r = { 0 };
  static const struct { const char *file; const char *mentions; } bad[] = {
    { "notes.json", "not valid JSON" },
    { "deadline.json", "“deadline”" },
    { "email.json", "“email”" },
    { "too-new.json", "Update Training Desk" },
    { "missing.json", "missing.json" },
  };

  text = g_strdup (JIANGSU_CAMPAIGN);
  {
    g_auto(GStrv) by_date = g_strsplit (text, "2021-06-30", -1);
    g_auto(GStrv) by_email = g_strsplit (text, "zcc@jsjyt.example.cn", -1);
    g_autofree char *deadline_text = g_strjoinv ("2021-06-31", by_date);
    g_autofree char *email_text = g_strjoinv ("zcc at jsjyt", by_email);

    bad_deadline = write_file (f, "deadline.json", deadline_text);
    bad_email = write_file (f, "email.json", email_text);
  }

  /* Into no database: none is made for a bad file. */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      run (&r, f, "--database", f->db, "--import-campaign", bad[i].file);
      g_assert_cmpint (r.status, ==, 1);
      g_assert_cmpstr (r.out, ==, "");
      assert_contains (r.err, bad[i].mentions);
      g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
      run_clear (&r);
    }

  /* Into a school's database: nothing changes. */
  run (&r, f, "--database", f->db, "--load-example");
  g_assert_cmpint (r.status, ==, 0);
  before = snapshot (f);
  g_assert_nonnull (strstr (before, "37|3701|"));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *now = NULL;

      run_clear (&r);
      run (&r, f, "--database", f->db, "--import-campaign", bad[i].file);
      g_assert_cmpint (r.status, ==, 1);
      assert_contains (r.err, bad[i].file);
      now = snapshot (f);
      g_assert_cmpstr (now, ==, before);
    }

  run_clear (&r);
  run (&r, f, "--database", f->db, "--import-campaign", "jiangsu.json", "--import-json", "form.json");
  g_assert_cmpint (r.status, ==, 2);

  run_clear (&r);
  run (&r, f, "--database", f->db, "--import-campaign", "jiangsu.json");
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "jiangsu-2021");
  assert_contains (r.out, "2021-06-30");
  g_assert_cmpstr (r.err, ==, "");
  /* Kept as imported, byte for byte; the school now in Jiangsu, its
   * Shandong city gone with its county. */
  g_assert_true (g_file_get_contents (good, &contents, NULL, NULL));
  stored = query_text (f, "SELECT value FROM setting WHERE key = 'campaign'");
  g_assert_cmpstr (stored, ==, contents);
  after = snapshot (f);
  g_assert_nonnull (strstr (after, "\n32|||"));

  /* The form answers it: its rules are the new campaign's. */
  run_clear (&r);
  run (&r, f, "--database", f->db, "--export-json", "form.json");
  g_assert_cmpint (r.status, ==, 1);
  assert_contains (r.err, "The city of the address is missing (field 3)");
}

/* Export the form as JSON, import it into an empty database, export it
 * again: the same bytes. Then a form written differently (other texts,
 * emoji, one category) makes the same round trip. */
static void
test_json_round_trip (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *first = g_build_filename (f->dir, "first.json", NULL);
  g_autofree char *second = g_build_filename (f->dir, "second.json", NULL);
  g_autofree char *third = g_build_filename (f->dir, "third.json", NULL);
  g_autofree char *empty_db = g_build_filename (f->dir, "empty.db", NULL);
  g_autofree char *other_db = g_build_filename (f->dir, "other.db", NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *back = NULL;
  gsize a_length, b_length;
  g_auto(Run) r = { 0 };

  run (&r, f, "--database", f->db, "--load-example");
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  run (&r, f, "--database", f->db, "--export-json", first);
  g_assert_cmpint (r.status, ==, 0);

  g_assert_false (g_file_test (empty_db, G_FILE_TEST_EXISTS));
  run_clear (&r);
  run (&r, f, "--database", empty_db, "--import-json", first);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "Imported the intent form of 济南市泉城职业中等专业学校");
  g_assert_cmpstr (r.err, ==, "");
  /* No records came with it: the texts are the office's. */
  {
    Fixture empty = { f->dir, empty_db };

    g_assert_cmpint (query (&empty, "SELECT count(*) FROM trainer"), ==, 0);
    g_assert_cmpint (query (&empty, "SELECT count(*) FROM setting WHERE key LIKE 'form-edit.%'"), ==, 4);
  }

  run_clear (&r);
  run (&r, f, "--database", empty_db, "--export-json", second);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (first, &a, &a_length, NULL));
  g_assert_true (g_file_get_contents (second, &b, &b_length, NULL));
  g_assert_cmpuint (a_length, ==, b_length);
  g_assert_true (memcmp (a, b, a_length) == 0);

  /* Again, into the same database: nothing new, the same bytes. */
  run_clear (&r);
  run (&r, f, "--database", empty_db, "--import-json", second);
  g_assert_cmpint (r.status, ==, 0);

  /* Another form through another empty database. */
  {
    g_autoptr(GString) s = g_string_new (a);
    g_autoptr(GRegex) capacity = g_regex_new ("\"capacity\" : \"[^\"]*\"", 0, 0, NULL);
    g_autoptr(GRegex) categories = g_regex_new ("\"categories\" : \\[[^]]*\\]", 0, 0, NULL);
    g_autofree char *step = NULL;

    step = g_regex_replace_literal (capacity, s->str, -1, 0,
                                    "\"capacity\" : \"师资👩🏽‍🏫雄厚，“双师型”教师占比高。\\n设备🇨🇳先进：CNC×12。\"", 0, NULL);
    edited = g_regex_replace_literal (categories, step, -1, 0, "\"categories\" : [\n    \"unemployed\"\n  ]", 0, NULL);
    g_assert_cmpstr (edited, !=, a);
  }
  g_assert_true (g_file_set_contents (third, edited, -1, NULL));
  run_clear (&r);
  run (&r, f, "--database", other_db, "--import-json", third);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  run (&r, f, "--database", other_db, "--export-json", "back.json");
  g_assert_cmpint (r.status, ==, 0);
  {
    g_autofree char *path = g_build_filename (f->dir, "back.json", NULL);

    g_assert_true (g_file_get_contents (path, &back, NULL, NULL));
  }
  g_assert_cmpstr (back, ==, edited);
}

/* A form the database cannot take: refused with the member at fault, and
 * nothing written — the school's database as it was, no new one made. */
static void
test_import_json_refused (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *exported = g_build_filename (f->dir, "form.json", NULL);
  g_autofree char *fresh_db = g_build_filename (f->dir, "fresh.db", NULL);
  g_autofree char *json = NULL;
  g_autofree char *before = NULL;
  g_auto(Run) r = { 0 };
  struct { const char *name; const char *from; const char *to; const char *mentions; } cases[] = {
    { "postal.json", "\"postal_code\" : \"", "\"postal_code\" : \"9", "postal_code" },
    { "city.json", "\"city\" : \"济南市\"", "\"city\" : \"南京市\"", "“南京市” is not a city of 山东省" },
    { "county.json", "\"county\" : \"", "\"county\" : \"无此", "address.county" },
    { "phone.json", "\"phone\" : \"", "\"phone\" : \"12", "contact.phone" },
    { "campaign.json", "shandong-2020", "jiangsu-2021", "Import that campaign first" },
    { "schema.json", "\"schema\" : 1", "\"schema\" : 7", "later version" },
    { "text.json", "\"results\" : \"", "\"results\" : \"ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ"
      "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ"
      "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ"
      "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ"
      "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ", "results" },
    { "broken.json", "{", "[", "Not a form" },
  };

  run (&r, f, "--database", f->db, "--load-example");
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  run (&r, f, "--database", f->db, "--export-json", exported);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (exported, &json, NULL, NULL));
  before = snapshot (f);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) parts = g_strsplit (json, cases[i].from, 2);
      g_autofree char *bad = NULL;
      g_autofree char *path = NULL;
      g_autofree char *now = NULL;

      g_assert_cmpuint (g_strv_length (parts), ==, 2);
      bad = g_strjoinv (cases[i].to, parts);
      path = write_file (f, cases[i].name, bad);

      run_clear (&r);
      run (&r, f, "--database", f->db, "--import-json", cases[i].name);
      g_assert_cmpint (r.status, ==, 1);
      g_assert_cmpstr (r.out, ==, "");
      assert_contains (r.err, cases[i].name);
      assert_contains (r.err, cases[i].mentions);
      now = snapshot (f);
      g_assert_cmpstr (now, ==, before);

      run_clear (&r);
      run (&r, f, "--database", fresh_db, "--import-json", cases[i].name);
      g_assert_cmpint (r.status, ==, 1);
      assert_contains (r.err, cases[i].mentions);
      g_assert_false (g_file_test (fresh_db, G_FILE_TEST_EXISTS));
    }

  /* /dev/zero behind a name (read without end before) is refused at once;
   * a pipe is read as it comes (here a document that is no form). */
  {
    g_autofree char *placed = write_file (f, "placed.json", "{}");
    g_autofree char *dir = g_path_get_dirname (placed);
    g_autofree char *pipe = g_build_filename (dir, "pipe.json", NULL);
    g_autofree char *zero = g_build_filename (dir, "zero.json", NULL);
    g_autofree char *now = NULL;
    TdTestPipeWriter w = { pipe, "[]" };
    GThread *writer;

    g_assert_cmpint (symlink ("/dev/zero", zero), ==, 0);
    run_clear (&r);
    run (&r, f, "--database", f->db, "--import-json", "zero.json");
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "zero.json");
    assert_contains (r.err, "not a file");
    now = snapshot (f);
    g_assert_cmpstr (now, ==, before);

    g_assert_cmpint (mkfifo (pipe, 0600), ==, 0);
    writer = td_test_pipe_write (&w);
    run_clear (&r);
    run (&r, f, "--database", f->db, "--import-json", "pipe.json");
    g_thread_join (writer);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "pipe.json");
    assert_contains (r.err, "Not a form");
    g_clear_pointer (&now, g_free);
    now = snapshot (f);
    g_assert_cmpstr (now, ==, before);
  }

  /* The profile is written before the texts: refused at a text, the new
   * name written before it is undone with the rest (one transaction). */
  {
    g_auto(GStrv) by_name = g_strsplit (json, "济南市泉城职业中等专业学校", -1);
    g_autofree char *renamed = g_strjoinv ("济南市泉城技师学院", by_name);
    g_auto(GStrv) by_text = g_strsplit (renamed, "\"results\" : \"", 2);
    g_autofree char *long_text = g_strnfill (501, 'x');
    g_autofree char *prefix = g_strconcat ("\"results\" : \"", long_text, NULL);
    g_autofree char *bad = g_strjoinv (prefix, by_text);
    g_autofree char *path G_GNUC_UNUSED = write_file (f, "renamed.json", bad);
    g_autofree char *now = NULL;

    g_assert_cmpuint (g_strv_length (by_name), >=, 2);
    run_clear (&r);
    run (&r, f, "--database", f->db, "--import-json", "renamed.json");
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "results");
    now = snapshot (f);
    g_assert_cmpstr (now, ==, before);
    g_assert_nonnull (strstr (now, "|济南市泉城职业中等专业学校|"));
  }

  run_clear (&r);
  run (&r, f, "--database", f->db, "--import-json", "form.json", "--export-pdf", "x.pdf");
  g_assert_cmpint (r.status, ==, 2);
}

static char *
tool_output (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

/* --export-pdf subsets the fonts to the form; where it cannot (here: no
 * folder for the subsets), it embeds the whole faces: the same text, a
 * bigger file, never a failure. */
static void
test_export_pdf_fonts (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *subset = g_build_filename (f->dir, "subset.pdf", NULL);
  g_autofree char *whole = g_build_filename (f->dir, "whole.pdf", NULL);
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  const char *paths[] = { subset, whole };
  char *texts[2] = { NULL, NULL };   /* g_autofree would free only the first */
  gint64 sizes[2];
  g_auto(Run) r = { 0 };

  run (&r, f, "--database", f->db, "--load-example");
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  run (&r, f, "--database", f->db, "--export-pdf", subset);
  g_assert_cmpint (r.status, ==, 0);

  g_setenv ("TMPDIR", "/nonexistent/td-test", TRUE);
  run_clear (&r);
  run (&r, f, "--database", f->db, "--export-pdf", whole);
  g_unsetenv ("TMPDIR");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");

  for (guint i = 0; i < 2; i++)
    {
      GStatBuf buf;

      g_assert_cmpint (g_stat (paths[i], &buf), ==, 0);
      sizes[i] = buf.st_size;
    }
  g_test_message ("PDF: %" G_GINT64_FORMAT " bytes subset, %" G_GINT64_FORMAT " with the whole faces",
                  sizes[0], sizes[1]);
  g_assert_cmpint (sizes[0], <, sizes[1]);

  if (pdftotext == NULL)
    {
      g_test_message ("poppler-utils is not installed: the PDFs are not read back");
      return;
    }
  for (guint i = 0; i < 2; i++)
    {
      const char *fonts_argv[] = { "pdffonts", paths[i], NULL };
      const char *text_argv[] = { "pdftotext", "-enc", "UTF-8", paths[i], "-", NULL };
      g_autofree char *fonts = tool_output (fonts_argv);
      g_auto(GStrv) lines = g_strsplit (fonts, "\n", -1);
      guint cjk = 0;

      g_test_message ("%s", fonts);
      /* name type encoding emb sub uni object ID: three Noto CJK faces, embedded, with ToUnicode. */
      for (guint l = 2; lines[l]; l++)
        if (g_regex_match_simple ("^\\S+\\+Noto(Sans|Serif)CJK\\S+\\s.*\\syes\\s+yes\\s+yes\\s+\\d+\\s+\\d+$", lines[l], 0, 0))
          cjk++;
      g_assert_cmpuint (cjk, ==, 3);
      texts[i] = tool_output (text_argv);
      assert_contains (texts[i], "济南市泉城职业中等专业学校");
      assert_contains (texts[i], "可承担和开展的职业培训意向表");
    }
  g_assert_cmpstr (texts[0], ==, texts[1]);
  g_free (texts[0]);
  g_free (texts[1]);
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
  g_test_add ("/cli/export-pdf-fonts", Fixture, NULL, fixture_set_up, test_export_pdf_fonts, fixture_tear_down);
  g_test_add ("/cli/import-campaign", Fixture, NULL, fixture_set_up, test_import_campaign, fixture_tear_down);
  g_test_add ("/cli/json-round-trip", Fixture, NULL, fixture_set_up, test_json_round_trip, fixture_tear_down);
  g_test_add ("/cli/import-json-refused", Fixture, NULL, fixture_set_up, test_import_json_refused, fixture_tear_down);

  return g_test_run ();
}
