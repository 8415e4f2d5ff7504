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
