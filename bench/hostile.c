/* hostile.c: the memory a hostile file costs, against a normal import (issue 12)
 *
 *   bench-hostile make DIR      writes the files below into DIR
 *   bench-hostile import FILE   imports FILE into a new database beside it,
 *                               as `training-desk --import guarantees FILE`
 *                               does, and prints what happened
 *   bench-hostile run DIR [N]   runs `import` on each file N times (3), each
 *                               a process of its own, and prints its peak
 *                               RSS (wait4's ru_maxrss) and wall time, the
 *                               normal 10,000-row import first as baseline
 *
 * The files: a normal workbook and CSV of 10,000 guarantees (4 KB of text
 * a row, as tests/test-import.c's 50 MB file), and the bombs of
 * tests/test-limits.c: a sheet of 300 MB of zeros in one cell, 2 million
 * identical rows deflated a thousand times over, 100,000 rows with a cell
 * in column XFD, 3 million shared strings, a cell of 100 MB, and a CSV
 * whose header row is 20 MB wide. Each bomb must be refused at a peak no
 * higher than the normal import's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-util.h"
#include "td-import.h"
#include "td-store.h"
#include "td-test-bombs.h"
#include "td-xlsx.h"

static const struct
{
  const char *file;
  const char *what;
} files[] = {
  { "normal-10k.xlsx", "normal: 10,000 rows, .xlsx (baseline)" },
  { "normal-10k.csv", "normal: 10,000 rows, CSV" },
  { "declared.xlsx", "sheet of 300 MB of zeros (declared)" },
  { "ratio.xlsx", "2 million rows deflated ~1000x" },
  { "xfd.xlsx", "100,000 rows with a cell in column XFD" },
  { "strings.xlsx", "3 million shared strings" },
  { "cell.xlsx", "one cell of 100 MB" },
  { "wide.csv", "CSV header 20 MB wide" },
};

static void
make_normal (const char *dir)
{
  g_autoptr(TdTable) table = td_table_new ();
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *xlsx = g_build_filename (dir, "normal-10k.xlsx", NULL);
  g_autofree char *csv = g_build_filename (dir, "normal-10k.csv", NULL);
  const char *header[] = { "标题", "类别", "制定日期", "内容" };

  for (guint p = 0; p < 20; p++)
    g_string_append_printf (body, "%s第%u条 为规范职业培训工作，提高培训质量，根据有关规定，结合学校实际，"
                            "制定本条。各部门应当按照“谁主管、谁负责”的原则落实。", p ? "\n" : "", p + 1);
  td_table_add_cells (table, 1, header, 4);
  for (guint n = 0; n < 10000; n++)
    {
      g_autofree char *title = g_strdup_printf ("职业培训制度第%u号", n);
      g_autofree char *date = g_strdup_printf ("2020-%02u-%02u", n % 12 + 1, n % 28 + 1);
      const char *row[] = { title, "管理制度", date, body->str };

      td_table_add_cells (table, n + 2, row, 4);
    }
  if (!td_xlsx_write (table, xlsx, "制度", NULL, &error) || !td_csv_write (table, csv, &error))
    g_error ("%s", error->message);
}

static void
make (const char *dir)
{
  g_autofree char *declared = g_build_filename (dir, "declared.xlsx", NULL);
  g_autofree char *ratio = g_build_filename (dir, "ratio.xlsx", NULL);
  g_autofree char *xfd = g_build_filename (dir, "xfd.xlsx", NULL);
  g_autofree char *strings = g_build_filename (dir, "strings.xlsx", NULL);
  g_autofree char *cell = g_build_filename (dir, "cell.xlsx", NULL);
  g_autofree char *wide = g_build_filename (dir, "wide.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("标题,类别,制定日期,内容");

  g_mkdir_with_parents (dir, 0755);
  make_normal (dir);
  td_test_make_workbook (declared, 9, TD_TEST_SHEET_START "<row r=\"1\"><c r=\"A1\"><v>",
                         "0000000000000000000000000000000000000000000000000000000000000000",
                         300 * 1024 * 1024 / 64, "</v></c></row>" TD_TEST_SHEET_END, NULL, NULL, 0);
  td_test_make_workbook (ratio, 9, TD_TEST_SHEET_START, "<row><c><v>1</v></c></row>", 2000000,
                         TD_TEST_SHEET_END, NULL, NULL, 0);
  td_test_make_workbook (xfd, 9, TD_TEST_SHEET_START, "<row><c r=\"XFD1\"><v>1</v></c></row>", 100000,
                         TD_TEST_SHEET_END, NULL, NULL, 0);
  td_test_make_workbook (strings, 1, TD_TEST_SHEET_START, "<row><c t=\"s\"><v>0</v></c></row>", 1,
                         TD_TEST_SHEET_END, "<sst>", "<si><t>a</t></si>", 3000000);
  td_test_make_workbook (cell, 9, TD_TEST_SHEET_START "<row><c t=\"inlineStr\"><is><t>",
                         "abcdefghijklmnopqrstuvwxyz012345", 100 * 1024 * 1024 / 32,
                         "</t></is></c></row>" TD_TEST_SHEET_END, NULL, NULL, 0);
  while (csv->len < 20 * 1024 * 1024)
    g_string_append (csv, ",xxxxxxxx");
  g_string_append (csv, "\n制度,管理制度,2020-01-01,内容\n");
  if (!g_file_set_contents (wide, csv->str, csv->len, NULL))
    g_error ("cannot write %s", wide);
}

/* As the command line imports: a new database, the file, a commit. */
static int
import (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *db = g_strdup_printf ("%s/bench-%d.db", dir, (int)getpid ());
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autoptr(TdImport) import = NULL;
  TdRecordList *list;

  store = td_store_open (db, &error);
  g_assert_no_error (error);
  list = td_record_list_get (store, "guarantees", &error);
  if ((import = td_import_new (list, path, &error)) && td_import_commit (import, &error))
    g_print ("imported %u rows\n", td_import_get_count (import, TD_IMPORT_NEW));
  else
    g_print ("refused: %.200s\n", error->message);
  g_clear_object (&import);
  g_clear_object (&store);
  for (const char *suffix = ""; suffix; suffix = g_str_equal (suffix, "") ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *file = g_strconcat (db, suffix, NULL);

      g_unlink (file);
    }
  return 0;
}

/* One child: `bench-hostile import FILE`, its peak RSS in KiB and wall ms. */
static void
run_one (const char *self,
         const char *path,
         gint64     *maxrss_kib,
         double     *wall_ms,
         char      **said)
{
  int fds[2];
  gint64 start = g_get_monotonic_time ();
  struct rusage usage;
  int status;
  pid_t pid;
  char buffer[512] = { 0 };
  char drain[4096];
  gsize got = 0;
  ssize_t n;

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      dup2 (fds[1], STDOUT_FILENO);
      close (fds[0]);
      execl (self, self, "import", path, (char *)NULL);
      _exit (127);
    }
  close (fds[1]);
  while (got < sizeof buffer - 1 && (n = read (fds[0], buffer + got, sizeof buffer - 1 - got)) > 0)
    got += n;
  while (read (fds[0], drain, sizeof drain) > 0)
    ;
  close (fds[0]);
  g_assert_cmpint (wait4 (pid, &status, 0, &usage), ==, pid);
  *wall_ms = (g_get_monotonic_time () - start) / 1000.0;
  *maxrss_kib = usage.ru_maxrss;
  g_strchomp (buffer);
  *said = g_strdup (WIFEXITED (status) && WEXITSTATUS (status) == 0 ? buffer : "crashed");
}

static int
run (const char *self,
     const char *dir,
     guint       rounds)
{
  double baseline = 0;

  g_print ("| input | peak RSS (median of %u) | vs normal .xlsx | wall (median) | result |\n", rounds);
  g_print ("|---|---:|---:|---:|---|\n");
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = g_build_filename (dir, files[f].file, NULL);
      g_autoptr(GArray) rss = bench_samples_new ();
      g_autoptr(GArray) wall = bench_samples_new ();
      g_autofree char *said = NULL;

      for (guint r = 0; r < rounds; r++)
        {
          gint64 kib;
          double ms;

          g_free (said);
          run_one (self, path, &kib, &ms, &said);
          bench_samples_add (rss, kib / 1024.0);
          bench_samples_add (wall, ms);
        }
      if (f == 0)
        baseline = bench_median (rss);
      g_print ("| %s | %.1f MiB | %.2f | %.0f ms | %.90s%s |\n", files[f].what, bench_median (rss),
               bench_median (rss) / baseline, bench_median (wall), said, strlen (said) > 90 ? "…" : "");
    }
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  if (argc == 3 && g_str_equal (argv[1], "make"))
    {
      make (argv[2]);
      return 0;
    }
  if (argc == 3 && g_str_equal (argv[1], "import"))
    return import (argv[2]);
  if ((argc == 3 || argc == 4) && g_str_equal (argv[1], "run"))
    {
      g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

      return run (self, argv[2], argc == 4 ? (guint)g_ascii_strtoull (argv[3], NULL, 10) : 3);
    }
  g_printerr ("usage: %s make DIR | import FILE | run DIR [ROUNDS]\n", argv[0]);
  return 2;
}
