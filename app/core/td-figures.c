/* td-figures.c: what the records add up to, year by year
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-figures"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "td-figures.h"
#include "td-record.h"
#include "td-store-private.h"
#include "td-validate.h"

/* What the records hold, counted by SQLite: cheap enough for every change,
 * and no list need be loaded for it. */
gboolean
td_figures_counts (TdStore   *store,
                   TdCounts  *counts,
                   GError   **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = td_store_prepare (store,
                           "SELECT (SELECT count(*) FROM programme), "
                           "  (SELECT count(*) FROM trainer), "
                           "  (SELECT count(*) FROM trainer WHERE kind = 'full-time'), "
                           "  (SELECT count(*) FROM trainer WHERE kind = 'part-time'), "
                           "  (SELECT count(*) FROM trainer WHERE kind = 'enterprise-expert'), "
                           "  (SELECT count(*) FROM trainer WHERE dual_qualified), "
                           "  (SELECT count(*) FROM venue), "
                           "  (SELECT coalesce (sum (area), 0) FROM venue), "
                           "  (SELECT coalesce (sum (capacity), 0) FROM venue), "
                           "  (SELECT count(*) FROM equipment), "
                           "  (SELECT coalesce (sum (quantity), 0) FROM equipment), "
                           "  (SELECT coalesce (sum (quantity * unit_value), 0) FROM equipment), "
                           "  (SELECT count(*) FROM guarantee), "
                           "  (SELECT count(*) FROM result)",
                           error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      td_store_set_error (store, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  counts->programmes = sqlite3_column_int64 (stmt, 0);
  counts->trainers = sqlite3_column_int64 (stmt, 1);
  counts->full_time = sqlite3_column_int64 (stmt, 2);
  counts->part_time = sqlite3_column_int64 (stmt, 3);
  counts->experts = sqlite3_column_int64 (stmt, 4);
  counts->dual_qualified = sqlite3_column_int64 (stmt, 5);
  counts->venues = sqlite3_column_int64 (stmt, 6);
  counts->venue_area = sqlite3_column_double (stmt, 7);
  counts->venue_capacity = sqlite3_column_int64 (stmt, 8);
  counts->equipment_items = sqlite3_column_int64 (stmt, 9);
  counts->equipment_units = sqlite3_column_int64 (stmt, 10);
  counts->equipment_value = sqlite3_column_double (stmt, 11);
  counts->guarantees = sqlite3_column_int64 (stmt, 12);
  counts->results = sqlite3_column_int64 (stmt, 13);
  sqlite3_reset (stmt);
  return TRUE;
}

/* Whether any record is kept at all: one indexed look per table. */
gboolean
td_figures_has_records (TdStore *store)
{
  sqlite3_stmt *stmt = td_store_prepare (store,
                                         "SELECT EXISTS (SELECT 1 FROM programme) OR EXISTS (SELECT 1 FROM trainer) "
                                         "OR EXISTS (SELECT 1 FROM venue) OR EXISTS (SELECT 1 FROM equipment) "
                                         "OR EXISTS (SELECT 1 FROM guarantee) OR EXISTS (SELECT 1 FROM result)",
                                         NULL);
  gboolean any = FALSE;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    any = sqlite3_column_int (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return any;
}

double
td_figures_get_fte_hours (TdStore *store)
{
  g_autofree char *value = td_store_dup_setting (store, TD_FIGURES_FTE_HOURS_SETTING);
  double hours = value ? g_ascii_strtod (value, NULL) : 0;

  return hours > 0 ? hours : TD_FIGURES_DEFAULT_FTE_HOURS;
}

/* Validated as any number field: what a person types. */
gboolean
td_figures_set_fte_hours (TdStore     *store,
                          const char  *input,
                          GError     **error)
{
  static const TdField field = { "fte", NULL, NULL, TD_FIELD_NUMBER, TD_FIELD_REQUIRED, 0, 1, 100000 };
  g_autofree char *stored = NULL;

  if (!td_field_parse (&field, input, NULL, NULL, &stored, error))
    return FALSE;
  return td_store_set_setting (store, TD_FIGURES_FTE_HOURS_SETTING, stored, error);
}

/**
 * td_figures_by_year:
 *
 * Returns: (transfer full) (element-type TdYearFigures): one entry per year
 *   with results, newest first.
 */
GArray *
td_figures_by_year (TdStore  *store,
                    GError  **error)
{
  g_autoptr(GArray) years = g_array_new (FALSE, TRUE, sizeof (TdYearFigures));
  double fte = td_figures_get_fte_hours (store);
  sqlite3_stmt *stmt;
  int rc;

  stmt = td_store_prepare (store,
                           "SELECT r.year, sum (r.sessions), sum (r.participants), "
                           "       sum (r.participants * r.hours_per_participant), "
                           "       sum (r.certificates), sum (r.employed), sum (r.revenue), "
                           "       (SELECT coalesce (sum (t.hours), 0) FROM result_trainer t "
                           "          JOIN result x ON x.id = t.result_id WHERE x.year = r.year), "
                           "       (SELECT count (DISTINCT t.trainer_id) FROM result_trainer t "
                           "          JOIN result x ON x.id = t.result_id WHERE x.year = r.year) "
                           "FROM result r GROUP BY r.year ORDER BY r.year DESC",
                           error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdYearFigures y = {
        .year = sqlite3_column_int (stmt, 0),
        .sessions = sqlite3_column_int64 (stmt, 1),
        .participants = sqlite3_column_int64 (stmt, 2),
        .person_hours = sqlite3_column_double (stmt, 3),
        .certificates = sqlite3_column_int64 (stmt, 4),
        .employed = sqlite3_column_int64 (stmt, 5),
        .revenue = sqlite3_column_double (stmt, 6),
        .trainer_hours = sqlite3_column_double (stmt, 7),
        .trainers = sqlite3_column_int (stmt, 8),
      };

      y.fte_students = y.person_hours / fte;
      g_array_append_val (years, y);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&years);
}

/**
 * td_figures_latest_year:
 * @year: (out): the latest year with results, or 0 when there are none
 *
 * One indexed look (result's year is indexed): cheap at any size.
 */
gboolean
td_figures_latest_year (TdStore  *store,
                        int      *year,
                        GError  **error)
{
  sqlite3_stmt *stmt = td_store_prepare (store, "SELECT coalesce (max (year), 0) FROM result", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      td_store_set_error (store, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *year = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

void
td_trainer_hours_free (TdTrainerHours *hours)
{
  g_free (hours->name);
  g_free (hours);
}

/**
 * td_figures_trainer_hours:
 * @year: a year, or 0 for every year
 *
 * Each trainer's training hours (the notice counts them in teachers'
 * performance reviews), most first.
 *
 * Returns: (transfer full) (element-type TdTrainerHours)
 */
GPtrArray *
td_figures_trainer_hours (TdStore  *store,
                          int       year,
                          GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)td_trainer_hours_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = td_store_prepare (store,
                           "SELECT tr.id, tr.name, sum (t.hours) AS h FROM result_trainer t "
                           "JOIN result r ON r.id = t.result_id JOIN trainer tr ON tr.id = t.trainer_id "
                           "WHERE ?1 = 0 OR r.year = ?1 GROUP BY tr.id ORDER BY h DESC, tr.name",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, year);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdTrainerHours *h = g_new0 (TdTrainerHours, 1);

      h->trainer_id = sqlite3_column_int64 (stmt, 0);
      h->name = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      h->year = year;
      h->hours = sqlite3_column_double (stmt, 2);
      g_ptr_array_add (list, h);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}
