/* classes-school.c: classes at the size of a large school (issue 15)
 *
 *   bench-classes-school [--scale N] [--measure] DB
 *
 * Builds DB (when it does not exist) as the example school with three
 * years of classes: N classes a year (1,500 by default) of 33 trainees and
 * 20 sessions, so 1,500 gives ~3,000,000 attendance marks. Then prints,
 * each the median of repeated runs: trainee searches (full ID number,
 * phone, the start of a name), the recompute of the last year's results,
 * td_figures_by_year(), the trainers' year, a month's conflicts, the time
 * to open the file, and the file's size.
 *
 * The baseline of the same run is the same figures for a school of 1 % of
 * the classes (15 a year), built beside DB as DB-baseline.db: a figure
 * that grows with the data shows as the ratio of the two.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-classes-school"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sys/stat.h>

#include "td-class-figures.h"
#include "td-example.h"
#include "td-example-classes.h"
#include "td-figures.h"
#include "td-store-private.h"
#include "td-trainee.h"

#define LAST_YEAR 2025

typedef struct
{
  double search_id, search_phone, search_name;
  double recompute, by_year, trainers, conflicts, open;
  double size_mib;
  gint64 attendance, enrolments, trainees, classes;
} Figures;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static double
median (double *v,
        guint   n)
{
  qsort (v, n, sizeof *v, (int (*) (const void *, const void *))compare_doubles);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static gint64
count (TdStore    *store,
       const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (sqlite3_prepare_v2 (td_store_get_db (store), sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static char *
text (TdStore    *store,
      const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *t = NULL;

  if (sqlite3_prepare_v2 (td_store_get_db (store), sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    t = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return t;
}

static gboolean
build (const char *path,
       guint       classes_per_year,
       GError    **error)
{
  const TdExampleSize school = { .programmes = 120, .trainers = 400, .venues = 80, .equipment = 2000,
                                 .guarantees = 15, .years = 3, .results_per_year = 100, .seed = 2024 };
  const TdExampleClasses classes = { .years = 3, .last_year = LAST_YEAR, .classes_per_year = classes_per_year,
                                     .trainees_per_class = 33, .sessions_per_class = 20, .returning = 0.1,
                                     .seed = 15 };
  g_autoptr(TdStore) store = td_store_open (path, error);
  gint64 start = g_get_monotonic_time ();

  if (store == NULL)
    return FALSE;
  if (!td_example_fill (store, &school, error) ||
      !td_example_classes_fill (store, &classes, error))
    return FALSE;
  g_print ("built %s (%u classes a year) in %.1f s\n", path, classes_per_year,
           (g_get_monotonic_time () - start) / 1e6);
  return TRUE;
}

#define TIME_MS(expr) \
  ({ gint64 t0 = g_get_monotonic_time (); expr; (g_get_monotonic_time () - t0) / 1000.0; })

static gboolean
measure (const char *path,
         Figures    *f,
         GError    **error)
{
  g_autoptr(TdStore) store = NULL;
  g_autofree char *id_number = NULL, *phone = NULL, *name = NULL;
  double v[51];
  guint n;
  struct stat st;

  /* Opened once before, so that the open below is of a cleanly closed
   * file, as every start but the first after a crash. */
  for (n = 0; n < 5; n++)
    {
      g_clear_object (&store);
      v[n] = TIME_MS (store = td_store_open (path, error));
      if (store == NULL)
        return FALSE;
    }
  f->open = median (v, n);

  f->attendance = count (store, "SELECT count (*) FROM attendance");
  f->enrolments = count (store, "SELECT count (*) FROM enrolment");
  f->trainees = count (store, "SELECT count (*) FROM trainee");
  f->classes = count (store, "SELECT count (*) FROM class");
  id_number = text (store, "SELECT id_number FROM trainee_identity WHERE trainee_id = "
                           "(SELECT max (trainee_id) / 2 FROM trainee_identity)");
  phone = text (store, "SELECT phone FROM trainee_identity WHERE trainee_id = "
                       "(SELECT max (trainee_id) / 3 FROM trainee_identity)");
  name = text (store, "SELECT substr (name, 1, 2) FROM trainee WHERE id = (SELECT max (id) / 4 FROM trainee)");

  for (n = 0; n < 51; n++)
    {
      g_autoptr(GPtrArray) hits = NULL;

      v[n] = TIME_MS (hits = td_trainee_search (store, id_number, 50, error));
      if (hits == NULL || hits->len != 1)
        return FALSE;
    }
  f->search_id = median (v, n);
  for (n = 0; n < 51; n++)
    {
      g_autoptr(GPtrArray) hits = NULL;

      v[n] = TIME_MS (hits = td_trainee_search (store, phone, 50, error));
      if (hits == NULL)
        return FALSE;
    }
  f->search_phone = median (v, n);
  for (n = 0; n < 51; n++)
    {
      g_autoptr(GPtrArray) hits = NULL;

      v[n] = TIME_MS (hits = td_trainee_search (store, name, 50, error));
      if (hits == NULL)
        return FALSE;
    }
  f->search_name = median (v, n);

  for (n = 0; n < 7; n++)
    {
      TdClassYear y;
      gboolean ok;

      v[n] = TIME_MS (ok = td_class_figures_year (store, LAST_YEAR, &y, error));
      if (!ok)
        return FALSE;
    }
  f->recompute = median (v, n);
  for (n = 0; n < 5; n++)
    {
      g_autoptr(GArray) years = NULL;

      v[n] = TIME_MS (years = td_figures_by_year (store, error));
      if (years == NULL)
        return FALSE;
    }
  f->by_year = median (v, n);
  for (n = 0; n < 5; n++)
    {
      g_autoptr(GPtrArray) list = NULL;

      v[n] = TIME_MS (list = td_class_trainer_results (store, LAST_YEAR, error));
      if (list == NULL)
        return FALSE;
    }
  f->trainers = median (v, n);
  for (n = 0; n < 5; n++)
    {
      g_autoptr(GPtrArray) list = NULL;

      v[n] = TIME_MS (list = td_class_conflicts (store, "2025-03-01", "2025-03-31", error));
      if (list == NULL)
        return FALSE;
    }
  f->conflicts = median (v, n);

  g_clear_object (&store);
  f->size_mib = g_stat (path, &st) == 0 ? st.st_size / 1048576.0 : -1;
  return TRUE;
}

static void
print_row (const char *what,
           double      big,
           double      base,
           const char *unit)
{
  g_print ("%-34s %12.3f %12.3f %8.1f×  %s\n", what, big, base, base > 0 ? big / base : 0, unit);
}

int
main (int   argc,
      char *argv[])
{
  int scale = 1500;
  gboolean only_measure = FALSE;
  const GOptionEntry entries[] = {
    { "scale", 0, 0, G_OPTION_ARG_INT, &scale, "Classes a year (1500)", "N" },
    { "measure", 0, 0, G_OPTION_ARG_NONE, &only_measure, "Measure DB only (no baseline, no build)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("DB");
  g_autoptr(GError) error = NULL;
  g_autofree char *baseline = NULL;
  Figures big = { 0 }, base = { 0 };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("%s\n", error ? error->message : "Usage: bench-classes-school [--scale N] [--measure] DB");
      return 2;
    }
  baseline = g_strconcat (argv[1], "-baseline.db", NULL);

  if (!only_measure)
    {
      if (!g_file_test (argv[1], G_FILE_TEST_EXISTS) && !build (argv[1], (guint)scale, &error))
        goto fail;
      if (!g_file_test (baseline, G_FILE_TEST_EXISTS) && !build (baseline, MAX ((guint)scale / 100, 1), &error))
        goto fail;
    }
  if (!measure (argv[1], &big, &error))
    goto fail;
  if (only_measure)
    {
      g_print ("open %.2f ms, search id %.3f ms, recompute %.1f ms\n", big.open, big.search_id, big.recompute);
      return 0;
    }
  if (!measure (baseline, &base, &error))
    goto fail;

  g_print ("%-34s %12s %12s %9s\n", "", "school", "baseline", "ratio");
  print_row ("classes", big.classes, base.classes, "rows");
  print_row ("trainees", big.trainees, base.trainees, "rows");
  print_row ("enrolments", big.enrolments, base.enrolments, "rows");
  print_row ("attendance marks", big.attendance, base.attendance, "rows");
  print_row ("search: full ID number", big.search_id, base.search_id, "ms (median of 51)");
  print_row ("search: phone", big.search_phone, base.search_phone, "ms (median of 51)");
  print_row ("search: start of a name", big.search_name, base.search_name, "ms (median of 51, ≤ 50 hits)");
  print_row ("recompute a year (2025)", big.recompute, base.recompute, "ms (median of 7)");
  print_row ("td_figures_by_year (all years)", big.by_year, base.by_year, "ms (median of 5)");
  print_row ("trainers' year (2025)", big.trainers, base.trainers, "ms (median of 5)");
  print_row ("conflicts, one month", big.conflicts, base.conflicts, "ms (median of 5)");
  print_row ("open (clean close)", big.open, base.open, "ms (median of 5)");
  print_row ("file size", big.size_mib, base.size_mib, "MiB");
  return 0;

fail:
  g_printerr ("bench-classes-school: %s\n", error ? error->message : "failed");
  return 1;
}
