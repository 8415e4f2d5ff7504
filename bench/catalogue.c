/* catalogue.c: the catalogue's search with 11,000 schools (issue 16)
 *
 *   bench-catalogue [--schools N] [--runs N] [--keep DIR]
 *
 * Makes a receiver database of N schools (default 11,000, the national
 * count of vocational schools), each with a submission, starts the real
 * receiver on it, and asks /catalogue for searches a reader makes (one
 * Chinese character, two, a rare word, a city, a category, everything,
 * nothing), each --runs times. Prints, for each: the median time the
 * server took (its Server-Timing: search and page, on the receiver's web
 * thread), the median round trip seen by the client, and the page's size.
 * Then the same run's baselines: GET / (the receiver's cheapest answer),
 * and the design not taken, a LIKE scan of the stored forms' JSON in SQLite
 * for the same words, timed in this process.
 *
 * Signing 11,000 forms for real would take the PDF renderer about half an
 * hour: one submission is signed by the core (the app's test fixture);
 * the others are written straight into the database, each with a form of
 * its own (name, place, fields, texts 300-500 characters, categories), the
 * one real signature and a small placeholder PDF (the pages never read a
 * PDF; the school's page reads its form). Say so next to the figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-catalogue"

#include "config.h"

#include <libsoup/soup.h>
#include <locale.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "td-form-json.h"
#include "td-signoff.h"
#include "td-test-fixtures.h"

static int opt_schools = 11000;
static int opt_runs = 21;
static char *opt_keep;

static const GOptionEntry entries[] = {
  { "schools", 0, 0, G_OPTION_ARG_INT, &opt_schools, "Schools in the catalogue (default 11000)", "N" },
  { "runs", 0, 0, G_OPTION_ARG_INT, &opt_runs, "Requests of each search (default 21)", "N" },
  { "keep", 0, 0, G_OPTION_ARG_FILENAME, &opt_keep, "Make the database in DIR and keep it", "DIR" },
  { NULL }
};

static const char *cities[][4] = {
  { "济南市", "历下区", "章丘区", "平阴县" }, { "青岛市", "市南区", "黄岛区", "胶州市" },
  { "淄博市", "张店区", "博山区", "桓台县" }, { "枣庄市", "市中区", "滕州市", "山亭区" },
  { "东营市", "东营区", "垦利区", "广饶县" }, { "烟台市", "芝罘区", "龙口市", "莱阳市" },
  { "潍坊市", "奎文区", "寿光市", "青州市" }, { "济宁市", "任城区", "曲阜市", "邹城市" },
  { "泰安市", "泰山区", "新泰市", "肥城市" }, { "威海市", "环翠区", "荣成市", "乳山市" },
  { "日照市", "东港区", "莒县", "五莲县" }, { "临沂市", "兰山区", "沂水县", "郯城县" },
  { "德州市", "德城区", "禹城市", "乐陵市" }, { "聊城市", "东昌府区", "临清市", "茌平区" },
  { "滨州市", "滨城区", "邹平市", "博兴县" }, { "菏泽市", "牡丹区", "曹县", "单县" },
};

static const char *kinds[] = { "职业中等专业学校", "技师学院", "职业技术学院", "高级技工学校", "职业教育中心" };
static const char *fields[] = { "养老服务", "智能制造", "电子商务", "数控技术", "汽车维修", "烹饪", "护理",
                                "学前教育", "物流管理", "会计", "园林技术", "计算机应用", "电工", "焊接",
                                "家政服务", "旅游服务", "农业技术", "船舶修造", "化工技术", "建筑施工" };
static const char *phrases[] = {
  "学校现有专职培训教师", "名，其中“双师型”教师", "名，高级职称教师", "名。",
  "建有实训基地", "个，实训工位", "个，设备总值", "万元。", "与本地", "家企业建立校企合作关系，",
  "常年开展岗前培训、岗位技能提升培训和转岗培训。", "近三年共开展各类职业培训", "期，培训",
  "人次，取证率", "%，培训后就业率", "%。", "承担了人社部门下达的就业技能培训任务，",
  "面向退役军人、农村转移劳动力和失业人员开展就业创业培训，", "培训质量得到学员和企业的好评。",
};

static char *
bench_catalogue_text (GRand *rand,
                      guint  target)
{
  GString *text = g_string_new (NULL);

  while (g_utf8_strlen (text->str, -1) < (glong)target)
    {
      g_string_append (text, phrases[g_rand_int_range (rand, 0, G_N_ELEMENTS (phrases))]);
      g_string_append_printf (text, "%d", g_rand_int_range (rand, 1, 900));
    }
  return g_string_free (text, FALSE);
}

static void
bench_catalogue_check (int         rc,
                       sqlite3    *db,
                       const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("%s: %s", what, sqlite3_errmsg (db));
}

/* The database: one real signed submission's parts, N schools. */
static void
bench_catalogue_make (const char *dir,
                      const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *store_path = g_build_filename (dir, "school.db", NULL);
  g_autoptr(TdStore) store = td_store_open (store_path, &error);
  g_autoptr(TdCampaign) campaign = td_campaign_get_builtin ();
  g_autoptr(TdForm) fixture = td_test_valid_form ();
  g_autoptr(TdRevision) revision = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (16);
  g_autofree char *signature = NULL;
  g_autofree char *key = NULL;
  g_autofree char *list_out = NULL;
  const char *argv[] = { BENCH_RECEIVER_PATH, NULL, "--list", NULL };
  g_autofree char *database_option = g_strdup_printf ("--database=%s", path);
  static const char stub_pdf[] = "%PDF-1.4\n% a placeholder of bench/catalogue.c\n%%EOF\n";
  sqlite3 *db;
  sqlite3_stmt *school, *submission;
  gsize signature_length;
  GBytes *public_key;
  gint64 started = g_get_monotonic_time ();

  if (store == NULL || !td_signing_key_create (store, "bench 口令 2026", TD_KDF_MINIMUM, &error))
    g_error ("%s", error->message);
  revision = td_signoff_sign (store, fixture, campaign, "bench 口令 2026", now, &error);
  if (revision == NULL)
    g_error ("%s", error->message);
  signature = td_revision_dup_signature_json (revision, &signature_length);
  public_key = td_revision_get_public_key (revision);
  key = g_base64_encode (g_bytes_get_data (public_key, NULL), g_bytes_get_size (public_key));

  /* The receiver makes its schema. */
  argv[1] = database_option;
  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &list_out, NULL, NULL, &error))
    g_error ("%s", error->message);

  bench_catalogue_check (sqlite3_open (path, &db), db, "open");
  bench_catalogue_check (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), db, "begin");
  bench_catalogue_check (sqlite3_prepare_v2 (db, "INSERT INTO school (name, token_sha256, created_at, public_key, "
                                                 "key_set_at, key_set_by) VALUES (?1, ?2, ?3, ?4, ?3, 'province')",
                                             -1, &school, NULL), db, "school");
  bench_catalogue_check (sqlite3_prepare_v2 (db, "INSERT INTO submission (uuid, school_id, campaign, number, signer, "
                                                 "signed_at, form_json, pdf, signature_json, form_sha256, pdf_sha256, "
                                                 "signature_sha256, public_key, receipt, received_at, channel) VALUES "
                                                 "(?1, ?2, 'shandong-2020', 1, '王建国', ?3, ?4, ?5, ?6, ?7, ?7, ?7, ?8, "
                                                 "?9, ?3, 'upload')",
                                             -1, &submission, NULL), db, "submission");
  for (int i = 0; i < opt_schools; i++)
    {
      const char * const *place = cities[g_rand_int_range (rand, 0, G_N_ELEMENTS (cities))];
      const char *county = place[g_rand_int_range (rand, 1, 4)];
      g_autofree char *name = g_strdup_printf ("%s%s第%d%s", place[0], county, i + 1,
                                               kinds[g_rand_int_range (rand, 0, G_N_ELEMENTS (kinds))]);
      g_autofree char *token = g_strdup_printf ("%064x", i);
      g_autofree char *field_list = g_strdup_printf ("%s、%s、%s", fields[g_rand_int_range (rand, 0, 20)],
                                                     fields[g_rand_int_range (rand, 0, 20)],
                                                     fields[g_rand_int_range (rand, 0, 20)]);
      g_autofree char *capacity = bench_catalogue_text (rand, (guint)g_rand_int_range (rand, 300, 500));
      g_autofree char *results = bench_catalogue_text (rand, (guint)g_rand_int_range (rand, 300, 500));
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *receipt = g_strdup_printf ("TDR-%06d-BENCH", i + 1);
      g_autofree char *json = NULL;
      g_autoptr(TdForm) form = td_form_new_from_json ((const char *)g_bytes_get_data (td_revision_get_form_json (revision), NULL),
                                                      (gssize)g_bytes_get_size (td_revision_get_form_json (revision)),
                                                      &error);
      static const char *category_sets[] = { "enterprise-staff", "key-groups", "unemployed",
                                             "enterprise-staff,key-groups", "key-groups,unemployed",
                                             "enterprise-staff,key-groups,unemployed" };
      gsize json_length;

      if (form == NULL)
        g_error ("%s", error->message);
      td_form_set (form, TD_FORM_NAME, name);
      td_form_set (form, TD_FORM_CITY, place[0]);
      td_form_set (form, TD_FORM_COUNTY, county);
      td_form_set (form, TD_FORM_FIELDS, field_list);
      td_form_set (form, TD_FORM_CAPACITY, capacity);
      td_form_set (form, TD_FORM_RESULTS, results);
      td_form_set (form, TD_FORM_CATEGORIES, category_sets[g_rand_int_range (rand, 0, G_N_ELEMENTS (category_sets))]);
      json = td_form_to_json (form, &json_length);

      sqlite3_bind_text (school, 1, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (school, 2, token, -1, SQLITE_STATIC);
      sqlite3_bind_text (school, 3, "2026-11-01T00:00:00Z", -1, SQLITE_STATIC);
      sqlite3_bind_text (school, 4, key, -1, SQLITE_STATIC);
      bench_catalogue_check (sqlite3_step (school), db, "insert school");
      sqlite3_reset (school);

      sqlite3_bind_text (submission, 1, uuid, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (submission, 2, sqlite3_last_insert_rowid (db));
      sqlite3_bind_text (submission, 3, "2026-11-25T09:30:00Z", -1, SQLITE_STATIC);
      sqlite3_bind_blob (submission, 4, json, (int)json_length, SQLITE_STATIC);
      if (i == 0)
        sqlite3_bind_blob (submission, 5, g_bytes_get_data (td_revision_get_pdf (revision), NULL),
                           (int)g_bytes_get_size (td_revision_get_pdf (revision)), SQLITE_STATIC);
      else
        sqlite3_bind_blob (submission, 5, stub_pdf, sizeof stub_pdf - 1, SQLITE_STATIC);
      sqlite3_bind_blob (submission, 6, signature, (int)signature_length, SQLITE_STATIC);
      sqlite3_bind_text (submission, 7, "0000", -1, SQLITE_STATIC);
      sqlite3_bind_text (submission, 8, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (submission, 9, receipt, -1, SQLITE_STATIC);
      bench_catalogue_check (sqlite3_step (submission), db, "insert submission");
      sqlite3_reset (submission);
    }
  sqlite3_finalize (school);
  sqlite3_finalize (submission);
  bench_catalogue_check (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), db, "commit");
  sqlite3_close (db);
  g_print ("made %d schools, each with a submission, in %.1f s\n", opt_schools,
           (double)(g_get_monotonic_time () - started) / G_USEC_PER_SEC);
}

typedef struct
{
  double server_ms;   /* Server-Timing, or -1 */
  double client_ms;
  gsize  bytes;
  guint  status;
} BenchAnswer;

static BenchAnswer
bench_catalogue_get (SoupSession *session,
                     const char  *url)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  BenchAnswer answer = { -1, 0, 0, 0 };
  gint64 started = g_get_monotonic_time ();
  const char *timing;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  answer.client_ms = (double)(g_get_monotonic_time () - started) / 1000.0;
  if (body == NULL)
    g_error ("%s: %s", url, error->message);
  answer.status = soup_message_get_status (msg);
  answer.bytes = g_bytes_get_size (body);
  timing = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Server-Timing");
  if (timing && strstr (timing, "dur="))
    answer.server_ms = g_ascii_strtod (strstr (timing, "dur=") + 4, NULL);
  return answer;
}

static gint64
bench_catalogue_rss_kib (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (process));
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL) || (line = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen ("VmRSS:"), NULL, 10);
}

/* The design not taken: the words looked for in the stored JSON. */
static double
bench_catalogue_like_ms (sqlite3    *db,
                         const char *word)
{
  sqlite3_stmt *stmt;
  g_autofree char *pattern = g_strdup_printf ("%%%s%%", word);
  gint64 started = g_get_monotonic_time ();

  bench_catalogue_check (sqlite3_prepare_v2 (db, "SELECT count (*) FROM submission WHERE form_json LIKE ?1",
                                             -1, &stmt, NULL), db, "like");
  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_STATIC);
  bench_catalogue_check (sqlite3_step (stmt), db, "like");
  sqlite3_finalize (stmt);
  return (double)(g_get_monotonic_time () - started) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— the catalogue's search with 11,000 schools");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *database_option = NULL;
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GSubprocess) receiver = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(SoupSession) session = NULL;
  static const struct { const char *label; const char *query; const char *word; } searches[] = {
    { "one character 船", "q=%E8%88%B9", "船" },
    { "two characters 养老", "q=%E5%85%BB%E8%80%81", "养老" },
    { "a word of text 8/9: 退役军人", "q=%E9%80%80%E5%BD%B9%E5%86%9B%E4%BA%BA", "退役军人" },
    { "a school's number: 第10000", "q=%E7%AC%AC10000", "第10000" },
    { "city 烟台市", "city=%E7%83%9F%E5%8F%B0%E5%B8%82", NULL },
    { "category unemployed + field 护理", "category=unemployed&field=%E6%8A%A4%E7%90%86", NULL },
    { "nothing (all schools, page 1)", "", NULL },
    { "no match: 火星", "q=%E7%81%AB%E6%98%9F", "火星" },
  };
  BenchAnswer cold;
  sqlite3 *db;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || opt_schools < 1 || opt_runs < 1)
    {
      g_printerr ("bench-catalogue: %s\n", error ? error->message : "--schools and --runs from 1");
      return 2;
    }
  if (opt_keep)
    {
      g_mkdir_with_parents (opt_keep, 0700);
      dir = g_strdup (opt_keep);
    }
  else
    dir = g_dir_make_tmp ("bench-catalogue-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "receiver.db", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    bench_catalogue_make (dir, path);

  database_option = g_strdup_printf ("--database=%s", path);
  receiver = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                               BENCH_RECEIVER_PATH, database_option, "--port=0", NULL);
  if (receiver == NULL)
    g_error ("%s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (receiver));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    g_error ("the receiver did not start");
  url = g_strdup (line + strlen ("listening on "));
  session = soup_session_new ();
  soup_session_set_proxy_resolver (session, NULL);
  soup_session_set_timeout (session, 120);

  g_print ("receiver %s, %d schools, %d runs a search; the server's time is its Server-Timing "
           "(search + page), the client's the whole round trip on loopback\n", url, opt_schools, opt_runs);
  {
    g_autofree char *first = g_strconcat (url, "catalogue", NULL);

    cold = bench_catalogue_get (session, first);
    g_print ("first request (reads and parses every school's form): client %.0f ms, receiver RSS %"
             G_GINT64_FORMAT " KiB after\n", cold.client_ms, bench_catalogue_rss_kib (receiver));
  }
  g_print ("%-40s %8s %12s %12s %10s\n", "search", "matches", "server ms", "client ms", "page KB");
  for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
    {
      g_autofree char *target = g_strconcat (url, "catalogue?", searches[s].query, NULL);
      g_autoptr(GArray) server = bench_samples_new ();
      g_autoptr(GArray) client = bench_samples_new ();
      BenchAnswer answer = { 0, };
      g_autoptr(GMatchInfo) info = NULL;
      g_autoptr(GRegex) count = g_regex_new ("id=\"count\">(?:共 )?([0-9]+)", 0, 0, NULL);
      g_autofree char *matches = NULL;

      for (int r = 0; r < opt_runs; r++)
        {
          answer = bench_catalogue_get (session, target);
          if (answer.status != 200 || answer.server_ms < 0)
            g_error ("%s: %u", target, answer.status);
          bench_samples_add (server, answer.server_ms);
          bench_samples_add (client, answer.client_ms);
        }
      {
        /* The count, from one more page. */
        g_autoptr(SoupMessage) msg = soup_message_new ("GET", target);
        g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);
        g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

        if (g_regex_match (count, text, 0, &info))
          matches = g_match_info_fetch (info, 1);
      }
      g_print ("%-40s %8s %12.2f %12.2f %10.1f\n", searches[s].label, matches ? matches : "?",
               bench_median (server), bench_median (client), (double)answer.bytes / 1024.0);
    }

  for (guint e = 0; e < 3; e++)
    {
      static const char *exports[] = { "catalogue/export.csv", "catalogue/export.xlsx",
                                       "catalogue/export.csv?q=%E8%88%B9" };
      g_autofree char *target = g_strconcat (url, exports[e], NULL);
      g_autoptr(GArray) client = bench_samples_new ();
      BenchAnswer answer = { 0, };

      for (int r = 0; r < MIN (opt_runs, 5); r++)
        {
          answer = bench_catalogue_get (session, target);
          if (answer.status != 200)
            g_error ("%s: %u", target, answer.status);
          bench_samples_add (client, answer.client_ms);
        }
      g_print ("%-40s %8s %12s %12.2f %10.1f\n", exports[e], "", "", bench_median (client),
               (double)answer.bytes / 1024.0);
    }
  {
    /* A change (a refused message stored, as --import-mail does): the
     * next request reads the schools again, and no form. */
    g_autofree char *target = g_strconcat (url, "catalogue?q=%E5%85%BB%E8%80%81", NULL);
    g_autoptr(GArray) server = bench_samples_new ();

    bench_catalogue_check (sqlite3_open (path, &db), db, "open");
    for (int r = 0; r < MIN (opt_runs, 5); r++)
      {
        g_autofree char *sql = g_strdup_printf ("INSERT INTO refused_message (sha256, source, school, word, reason, "
                                                "reason_zh, refused_at) VALUES ('bench-%d-%" G_GINT64_FORMAT "', "
                                                "'bench', '-', 'unverified', 'bench', 'bench', '2026-11-26T00:00:00Z')",
                                                r, g_get_real_time ());

        bench_catalogue_check (sqlite3_exec (db, sql, NULL, NULL, NULL), db, "refused");
        bench_samples_add (server, bench_catalogue_get (session, target).server_ms);
      }
    sqlite3_close (db);
    g_print ("%-40s %8s %12.2f\n", "养老 after a change (schools read again)", "", bench_median (server));
  }

  g_print ("\nbaselines, the same run:\n");
  {
    g_autoptr(GArray) client = bench_samples_new ();

    for (int r = 0; r < opt_runs; r++)
      bench_samples_add (client, bench_catalogue_get (session, url).client_ms);
    g_print ("%-52s %12.2f ms (client)\n", "GET / (the receiver's service JSON)", bench_median (client));
  }
  bench_catalogue_check (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), db, "open");
  for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
    if (searches[s].word)
      {
        g_autoptr(GArray) samples = bench_samples_new ();
        g_autofree char *label = g_strdup_printf ("SQLite LIKE over form_json: %s", searches[s].word);

        for (int r = 0; r < MIN (opt_runs, 5); r++)
          bench_samples_add (samples, bench_catalogue_like_ms (db, searches[s].word));
        g_print ("%-52s %12.2f ms\n", label, bench_median (samples));
      }
  sqlite3_close (db);

  g_subprocess_send_signal (receiver, SIGTERM);
  g_subprocess_wait (receiver, NULL, NULL);
  if (opt_keep == NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

      (void)system (cmd);
    }
  return 0;
}
