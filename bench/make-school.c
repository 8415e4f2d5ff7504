/* make-school.c: writes a generated school into a new database
 *
 *   bench-make-school DB [--trainers N] [--equipment N] [--years N] ...
 *   bench-make-school --counts DB
 *
 * The defaults are the large school of the startup benchmark (issue #2).
 * With --classes N, the school also has N classes a year (issue 15) over
 * --class-years years ending with --class-year, with their rosters,
 * sessions and attendance (td-example-classes.c).
 * With --counts, prints the row counts of an existing database instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-make-school"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sys/stat.h>

#include "td-example.h"
#include "td-example-classes.h"
#include "td-store-private.h"

/* Table names are constants: each count is a statement of its own. */
static const struct {
  const char *table;
  const char *sql;
} counts[] = {
  { "programme", "SELECT count(*) FROM programme" },
  { "trainer", "SELECT count(*) FROM trainer" },
  { "venue", "SELECT count(*) FROM venue" },
  { "equipment", "SELECT count(*) FROM equipment" },
  { "guarantee", "SELECT count(*) FROM guarantee" },
  { "result", "SELECT count(*) FROM result" },
  { "result_trainer", "SELECT count(*) FROM result_trainer" },
  { "class", "SELECT count(*) FROM class" },
  { "trainee", "SELECT count(*) FROM trainee" },
  { "enrolment", "SELECT count(*) FROM enrolment" },
  { "attendance", "SELECT count(*) FROM attendance" },
  { "audit_log", "SELECT count(*) FROM audit_log" },
};

static gboolean
print_counts (TdStore  *store,
              GError  **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      sqlite3_stmt *stmt = td_store_prepare (store, counts[i].sql, error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
        {
          td_store_set_error (store, rc, error);
          sqlite3_reset (stmt);
          return FALSE;
        }
      g_print ("%-16s %8" G_GINT64_FORMAT "\n", counts[i].table, (gint64)sqlite3_column_int64 (stmt, 0));
      sqlite3_reset (stmt);
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  /* The large school of issue #2. */
  int programmes = 120, trainers = 2000, venues = 80, equipment = 20000;
  int guarantees = 15, years = 10, results_per_year = 300, seed = 2024;
  int classes = 0, class_years = 3, class_year = 2025;
  gboolean only_counts = FALSE;
  const GOptionEntry entries[] = {
    { "programmes", 0, 0, G_OPTION_ARG_INT, &programmes, "Programmes (120)", "N" },
    { "trainers", 0, 0, G_OPTION_ARG_INT, &trainers, "Trainers (2000)", "N" },
    { "venues", 0, 0, G_OPTION_ARG_INT, &venues, "Venues (80)", "N" },
    { "equipment", 0, 0, G_OPTION_ARG_INT, &equipment, "Equipment items (20000)", "N" },
    { "guarantees", 0, 0, G_OPTION_ARG_INT, &guarantees, "Guarantees (15)", "N" },
    { "years", 0, 0, G_OPTION_ARG_INT, &years, "Years of results, up to last year (10)", "N" },
    { "results-per-year", 0, 0, G_OPTION_ARG_INT, &results_per_year, "Results a year (300)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed: the same seed, the same school (2024)", "N" },
    { "classes", 0, 0, G_OPTION_ARG_INT, &classes, "Classes a year, 33 trainees and 20 sessions each (0)", "N" },
    { "class-years", 0, 0, G_OPTION_ARG_INT, &class_years, "Years of classes (3)", "N" },
    { "class-year", 0, 0, G_OPTION_ARG_INT, &class_year, "The last year of classes (2025)", "YEAR" },
    { "counts", 0, 0, G_OPTION_ARG_NONE, &only_counts, "Only print the row counts of an existing DB", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  TdExampleSize size;
  GStatBuf st;
  gint64 start, opened, filled;

  setlocale (LC_ALL, "");

  context = g_option_context_new ("DB");
  g_option_context_set_summary (context, "Writes a generated school into a new Training Desk database.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (argc != 2)
    {
      g_printerr ("Usage: %s DB [OPTION…]\n", g_get_prgname ());
      return 2;
    }
  if (programmes < 0 || trainers < 0 || venues < 0 || equipment < 0 || guarantees < 0 ||
      years < 0 || results_per_year < 0 || classes < 0 || class_years < 0 ||
      class_year < 1990 || class_year > 2200)
    {
      g_printerr ("Counts cannot be negative.\n");
      return 2;
    }
  if (only_counts)
    {
      if (!g_file_test (argv[1], G_FILE_TEST_IS_REGULAR))
        {
          g_printerr ("%s does not exist.\n", argv[1]);
          return 1;
        }
      if (!(store = td_store_open (argv[1], &error)) || !print_counts (store, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      if (g_stat (argv[1], &st) == 0)
        g_print ("file size        %8.1f MiB\n", st.st_size / (1024.0 * 1024.0));
      return 0;
    }

  /* Adding a second school to a database would make no sense. */
  if (g_file_test (argv[1], G_FILE_TEST_EXISTS))
    {
      g_printerr ("%s exists already: remove it first.\n", argv[1]);
      return 1;
    }

  size = (TdExampleSize) {
    .programmes = programmes,
    .trainers = trainers,
    .venues = venues,
    .equipment = equipment,
    .guarantees = guarantees,
    .years = years,
    .results_per_year = results_per_year,
    .seed = (guint32)seed,
  };

  start = g_get_monotonic_time ();
  if (!(store = td_store_open (argv[1], &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  opened = g_get_monotonic_time ();
  if (!td_example_fill (store, &size, &error) ||
      (classes > 0 &&
       !td_example_classes_fill (store,
                                 &(TdExampleClasses) { .years = (guint)class_years, .last_year = class_year,
                                                       .classes_per_year = (guint)classes,
                                                       .trainees_per_class = 33, .sessions_per_class = 20,
                                                       .returning = 0.1, .seed = (guint32)seed },
                                 &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  filled = g_get_monotonic_time ();

  if (!print_counts (store, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  /* Closing checkpoints the write-ahead log into the file. */
  g_clear_object (&store);

  g_print ("open+migrate     %8.1f ms\n", (opened - start) / 1000.0);
  g_print ("fill             %8.1f ms\n", (filled - opened) / 1000.0);
  if (g_stat (argv[1], &st) == 0)
    g_print ("file size        %8.1f MiB\n", st.st_size / (1024.0 * 1024.0));
  return 0;
}
