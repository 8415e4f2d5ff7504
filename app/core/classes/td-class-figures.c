/* td-class-figures.c: the yearly results computed from classes
 *
 * A year that has classes (not merely planned ones) takes its results
 * from them, by the definitions of docs/figures.md ("From classes"); a
 * year with only typed results keeps those, and TdYearFigures says which
 * (from_classes). A class counts in the year it ends. Everything is read
 * from the totals the triggers keep per class (class_totals), never from
 * the enrolments or attendance marks themselves: a large school's year is
 * 1,500 classes, 50,000 enrolments and a million marks, and the recompute
 * must stay under 200 ms (bench/classes-school: reading the enrolments
 * took 190 ms on a loaded machine, the totals a few).
 *
 * Double bookings and full venues are found by sorting a range's
 * sessions and sweeping them, not by joining sessions with each other:
 * 30,000 sessions a year joined pairwise by day cost seconds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-class-figures"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "td-class-figures.h"
#include "td-csv.h"
#include "td-figures.h"
#include "td-store-private.h"

static const char * const td_class_figures_categories[3] = { "enterprise-staff", "key-groups", "unemployed" };

static void
td_class_figures_bind_year (sqlite3_stmt *stmt,
                            int           year)
{
  char first[16], last[16];

  g_snprintf (first, sizeof first, "%04d-01-01", year);
  g_snprintf (last, sizeof last, "%04d-12-31", year);
  sqlite3_bind_text (stmt, 1, first, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, last, -1, SQLITE_TRANSIENT);
}

/**
 * td_class_figures_years:
 *
 * Returns: (transfer full) (element-type int): the years that have
 *   classes (running or finished), newest first.
 */
GArray *
td_class_figures_years (TdStore  *store,
                        GError  **error)
{
  g_autoptr(GArray) years = g_array_new (FALSE, FALSE, sizeof (int));
  sqlite3_stmt *stmt;
  int rc;

  stmt = td_store_prepare (store,
                           "SELECT DISTINCT CAST (substr (ends_on, 1, 4) AS INTEGER) FROM class "
                           "WHERE status != 'planned' ORDER BY 1 DESC",
                           error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int year = sqlite3_column_int (stmt, 0);

      g_array_append_val (years, year);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&years);
}

static int
td_class_figures_category_index (const char *category)
{
  for (int i = 0; i < 3; i++)
    if (g_strcmp0 (category, td_class_figures_categories[i]) == 0)
      return i;
  return -1;
}

/**
 * td_class_figures_year:
 * @figures: (out caller-allocates): the year's results; classes is 0
 *   for a year without classes
 */
gboolean
td_class_figures_year (TdStore      *store,
                       int           year,
                       TdClassYear  *figures,
                       GError      **error)
{
  TdClassYear y = { .year = year };
  double fte = td_figures_get_fte_hours (store);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);
  g_return_val_if_fail (figures != NULL, FALSE);

  /* Per class, from the totals the triggers keep (sql/0010-classes.sql). */
  stmt = td_store_prepare (store,
                           "SELECT c.category, sum (t.enrolled), sum (t.participants), sum (t.completed), "
                           "  sum (t.person_hours), sum (t.certificates), "
                           "  sum (CASE WHEN c.assessed_on IS NULL THEN t.participants ELSE 0 END), "
                           "  sum (t.employed), "
                           "  sum (CASE WHEN c.followed_up_on IS NULL THEN t.participants ELSE 0 END), "
                           "  sum (c.fee * t.participants), "
                           "  sum (t.graduates), sum (t.veterans), sum (t.migrant_workers), sum (t.laid_off), "
                           "  sum (t.registered_poor), sum (t.disabled) "
                           "FROM class c JOIN class_totals t ON t.class_id = c.id "
                           "WHERE c.ends_on BETWEEN ?1 AND ?2 AND c.status != 'planned' "
                           "GROUP BY c.category",
                           error);
  if (stmt == NULL)
    return FALSE;
  td_class_figures_bind_year (stmt, year);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int category = td_class_figures_category_index ((const char *)sqlite3_column_text (stmt, 0));
      gint64 participants = sqlite3_column_int64 (stmt, 2);
      double hours = sqlite3_column_double (stmt, 4);

      y.enrolled += sqlite3_column_int64 (stmt, 1);
      y.participants += participants;
      y.completed += sqlite3_column_int64 (stmt, 3);
      y.person_hours += hours;
      y.certificates += sqlite3_column_int64 (stmt, 5);
      y.not_assessed += sqlite3_column_int64 (stmt, 6);
      y.revenue += sqlite3_column_double (stmt, 9);
      if (category >= 0)
        {
          y.by_category[category] += participants;
          y.hours_by_category[category] += hours;
        }
      /* Enterprise employees are employed already: not job-seekers. */
      if (category > 0)
        {
          y.jobseekers += participants;
          y.employed += sqlite3_column_int64 (stmt, 7);
          y.not_followed_up += sqlite3_column_int64 (stmt, 8);
        }
      for (int i = 0; i < TD_N_KEY_GROUPS; i++)
        y.by_key_group[i] += sqlite3_column_int64 (stmt, 10 + i);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return FALSE;
    }

  stmt = td_store_prepare (store,
                           "SELECT (SELECT count (*) FROM class WHERE ends_on BETWEEN ?1 AND ?2 "
                           "          AND status != 'planned'), "
                           "  coalesce (sum (st.hours), 0), count (DISTINCT st.trainer_id) "
                           "FROM class_session s JOIN session_trainer st ON st.session_id = s.id "
                           "WHERE s.held_on BETWEEN ?1 AND ?2",
                           error);
  if (stmt == NULL)
    return FALSE;
  td_class_figures_bind_year (stmt, year);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      y.classes = sqlite3_column_int64 (stmt, 0);
      y.trainer_hours = sqlite3_column_double (stmt, 1);
      y.trainers = (guint)sqlite3_column_int (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      td_store_set_error (store, rc, error);
      return FALSE;
    }

  y.fte_students = y.person_hours / fte;
  y.certificate_rate_known = y.participants > 0 && y.not_assessed == 0;
  y.certificate_rate = y.certificate_rate_known ? 100.0 * y.certificates / y.participants : NAN;
  y.employment_rate_known = y.jobseekers > 0 && y.not_followed_up == 0;
  y.employment_rate = y.employment_rate_known ? 100.0 * y.employed / y.jobseekers : NAN;
  *figures = y;
  return TRUE;
}

static int
td_class_figures_compare_years (gconstpointer a,
                                gconstpointer b)
{
  return ((const TdYearFigures *)b)->year - ((const TdYearFigures *)a)->year;
}

/**
 * td_class_figures_apply:
 * @years: (element-type TdYearFigures): td_figures_by_year()'s years
 *
 * Replaces the typed results of every year that has classes with the
 * results computed from them, adding years that have only classes, and
 * marks them from_classes.
 */
gboolean
td_class_figures_apply (TdStore  *store,
                        GArray   *years,
                        GError  **error)
{
  g_autoptr(GArray) class_years = td_class_figures_years (store, error);

  if (class_years == NULL)
    return FALSE;
  for (guint i = 0; i < class_years->len; i++)
    {
      TdClassYear c;
      TdYearFigures *y = NULL;

      if (!td_class_figures_year (store, g_array_index (class_years, int, i), &c, error))
        return FALSE;
      for (guint j = 0; j < years->len && y == NULL; j++)
        if (g_array_index (years, TdYearFigures, j).year == c.year)
          y = &g_array_index (years, TdYearFigures, j);
      if (y == NULL)
        {
          g_array_set_size (years, years->len + 1);
          y = &g_array_index (years, TdYearFigures, years->len - 1);
        }
      *y = (TdYearFigures) {
        .year = c.year,
        .sessions = c.classes,
        .participants = c.participants,
        .person_hours = c.person_hours,
        .fte_students = c.fte_students,
        .certificates = c.certificates,
        .jobseekers = c.jobseekers,
        .employed = c.employed,
        .revenue = c.revenue,
        .trainer_hours = c.trainer_hours,
        .trainers = c.trainers,
        .hours_by_category = { c.hours_by_category[0], c.hours_by_category[1], c.hours_by_category[2] },
        .from_classes = TRUE,
        .certificates_unknown = !c.certificate_rate_known,
        .employment_unknown = !c.employment_rate_known,
      };
    }
  g_array_sort (years, td_class_figures_compare_years);
  return TRUE;
}

/**
 * td_class_figures_adjust_range:
 * @sums: td_figure_set_compute()'s sums over first_year..last_year, in
 *   its order: classes (期), participants, person-hours, certificates,
 *   job-seekers, employed, satisfaction (left alone), participants by
 *   category (3), participants of each year (3)
 *
 * @range: (out caller-allocates): the classes counted, and how many of
 *   their participants are not assessed or followed up yet
 *
 * For each year of the range that has classes, takes its typed results
 * out of @sums and puts its classes' results in.
 */
gboolean
td_class_figures_adjust_range (TdStore       *store,
                               int            first_year,
                               int            last_year,
                               double        *sums,
                               TdClassRange  *range,
                               GError       **error)
{
  g_autoptr(GArray) class_years = td_class_figures_years (store, error);

  memset (range, 0, sizeof *range);
  if (class_years == NULL)
    return FALSE;
  /* Newest first: oldest first, for the years' list. */
  for (guint i = class_years->len; i-- > 0;)
    {
      int year = g_array_index (class_years, int, i);
      TdClassYear c;
      sqlite3_stmt *stmt;
      int rc;

      if (year < first_year || year > last_year)
        continue;
      if (!td_class_figures_year (store, year, &c, error))
        return FALSE;
      range->classes += c.classes;
      range->not_assessed += c.not_assessed;
      range->not_followed_up += c.not_followed_up;
      if (range->n_years < G_N_ELEMENTS (range->years))
        range->years[range->n_years++] = year;
      stmt = td_store_prepare (store,
                               "SELECT coalesce (sum (sessions), 0), coalesce (sum (participants), 0), "
                               "  coalesce (sum (participants * hours_per_participant), 0), "
                               "  coalesce (sum (certificates), 0), "
                               "  coalesce (sum (CASE WHEN category != 'enterprise-staff' THEN participants END), 0), "
                               "  coalesce (sum (CASE WHEN category != 'enterprise-staff' THEN employed END), 0), "
                               "  coalesce (sum (CASE WHEN category = 'enterprise-staff' THEN participants END), 0), "
                               "  coalesce (sum (CASE WHEN category = 'key-groups' THEN participants END), 0), "
                               "  coalesce (sum (CASE WHEN category = 'unemployed' THEN participants END), 0) "
                               "FROM result WHERE year = ?",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, year);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        {
          td_store_set_error (store, rc, error);
          sqlite3_reset (stmt);
          return FALSE;
        }
      sums[0] += c.classes - sqlite3_column_double (stmt, 0);
      sums[1] += c.participants - sqlite3_column_double (stmt, 1);
      sums[2] += c.person_hours - sqlite3_column_double (stmt, 2);
      sums[3] += c.certificates - sqlite3_column_double (stmt, 3);
      sums[4] += c.jobseekers - sqlite3_column_double (stmt, 4);
      sums[5] += c.employed - sqlite3_column_double (stmt, 5);
      for (int k = 0; k < 3; k++)
        sums[7 + k] += c.by_category[k] - sqlite3_column_double (stmt, 6 + k);
      if (year - first_year < 3)
        sums[10 + year - first_year] += c.participants - sqlite3_column_double (stmt, 1);
      sqlite3_reset (stmt);
    }
  return TRUE;
}

/* Trainers */

void
td_trainer_year_free (TdTrainerYear *trainer)
{
  g_free (trainer->trainer_uuid);
  g_free (trainer->name);
  g_free (trainer);
}

/**
 * td_class_trainer_results:
 *
 * Each trainer's hours taught at the sessions held in @year (the notice
 * counts them in teachers' reviews), with the classes they taught in and
 * those classes' participants and certificates; most hours first.
 *
 * Returns: (transfer full) (element-type TdTrainerYear)
 */
GPtrArray *
td_class_trainer_results (TdStore  *store,
                          int       year,
                          GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)td_trainer_year_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  stmt = td_store_prepare (store,
                           "WITH taught AS ("
                           "  SELECT st.trainer_id, s.class_id, sum (st.hours) AS hours, count (*) AS sessions "
                           "  FROM class_session s JOIN session_trainer st ON st.session_id = s.id "
                           "  WHERE s.held_on BETWEEN ?1 AND ?2 GROUP BY st.trainer_id, s.class_id) "
                           "SELECT tr.uuid, tr.name, sum (t.hours) AS h, sum (t.sessions), count (*), "
                           "  coalesce (sum (c.participants), 0), coalesce (sum (c.certificates), 0) "
                           "FROM taught t JOIN trainer tr ON tr.id = t.trainer_id "
                           "LEFT JOIN class_totals c ON c.class_id = t.class_id "
                           "GROUP BY t.trainer_id ORDER BY h DESC, tr.name",
                           error);
  if (stmt == NULL)
    return NULL;
  td_class_figures_bind_year (stmt, year);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdTrainerYear *t = g_new0 (TdTrainerYear, 1);

      t->trainer_uuid = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      t->name = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      t->year = year;
      t->hours = sqlite3_column_double (stmt, 2);
      t->sessions = sqlite3_column_int64 (stmt, 3);
      t->classes = sqlite3_column_int64 (stmt, 4);
      t->participants = sqlite3_column_int64 (stmt, 5);
      t->certificates = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (list, t);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * td_class_trainer_sheet_csv:
 *
 * Writes td_class_trainer_results() as CSV, one trainer a row.
 */
gboolean
td_class_trainer_sheet_csv (TdStore     *store,
                            int          year,
                            const char  *path,
                            GError     **error)
{
  g_autoptr(GPtrArray) list = td_class_trainer_results (store, year, error);
  g_autoptr(TdTable) table = td_table_new ();
  const char *header[] = {
    _("Trainer"), _("Year"), _("Hours taught"), _("Sessions"), _("Classes"), _("Participants"),
    _("Certificates"),
  };

  if (list == NULL)
    return FALSE;
  td_table_add_cells (table, 1, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < list->len; i++)
    {
      TdTrainerYear *t = g_ptr_array_index (list, i);
      g_autofree char *y = g_strdup_printf ("%d", t->year);
      g_autofree char *h = g_strdup_printf ("%g", t->hours);
      g_autofree char *s = g_strdup_printf ("%" G_GINT64_FORMAT, t->sessions);
      g_autofree char *c = g_strdup_printf ("%" G_GINT64_FORMAT, t->classes);
      g_autofree char *p = g_strdup_printf ("%" G_GINT64_FORMAT, t->participants);
      g_autofree char *k = g_strdup_printf ("%" G_GINT64_FORMAT, t->certificates);
      const char *cells[] = { t->name, y, h, s, c, p, k };

      td_table_add_cells (table, i + 2, cells, G_N_ELEMENTS (cells));
    }
  return td_csv_write (table, path, error);
}

/* Conflicts */

void
td_conflict_free (TdConflict *conflict)
{
  g_free (conflict->session_uuid);
  g_free (conflict->other_session_uuid);
  g_free (conflict->name);
  g_free (conflict->held_on);
  g_free (conflict->starts_at);
  g_free (conflict);
}

typedef struct
{
  gint64  key;        /* trainer or venue */
  char   *name;
  char   *uuid;
  char   *held_on;
  char    starts_at[6];
  char    ends_at[6];
  gint64  people;
  gint64  capacity;
} TdClassFiguresSlot;

static void
td_class_figures_slot_clear (gpointer data)
{
  TdClassFiguresSlot *slot = data;

  g_free (slot->name);
  g_free (slot->uuid);
  g_free (slot->held_on);
}

/* Rows (key, name, uuid, held_on, starts_at, ends_at, people, capacity),
 * ordered by key, day and start. */
static GArray *
td_class_figures_slots (TdStore       *store,
                        sqlite3_stmt  *stmt,
                        const char    *from,
                        const char    *to,
                        GError       **error)
{
  g_autoptr(GArray) slots = g_array_new (FALSE, TRUE, sizeof (TdClassFiguresSlot));
  int rc;

  g_array_set_clear_func (slots, td_class_figures_slot_clear);
  sqlite3_bind_text (stmt, 1, from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, to, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdClassFiguresSlot slot = { 0 };

      slot.key = sqlite3_column_int64 (stmt, 0);
      slot.name = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      slot.uuid = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
      slot.held_on = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
      g_strlcpy (slot.starts_at, (const char *)sqlite3_column_text (stmt, 4), sizeof slot.starts_at);
      g_strlcpy (slot.ends_at, (const char *)sqlite3_column_text (stmt, 5), sizeof slot.ends_at);
      slot.people = sqlite3_column_int64 (stmt, 6);
      slot.capacity = sqlite3_column_int64 (stmt, 7);
      g_array_append_val (slots, slot);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&slots);
}

static TdConflict *
td_class_figures_conflict (TdConflictKind            kind,
                           const TdClassFiguresSlot *slot,
                           const TdClassFiguresSlot *other)
{
  TdConflict *c = g_new0 (TdConflict, 1);

  c->kind = kind;
  c->session_uuid = g_strdup (slot->uuid);
  c->other_session_uuid = g_strdup (other->uuid);
  c->name = g_strdup (slot->name);
  c->held_on = g_strdup (slot->held_on);
  c->starts_at = g_strdup (slot->starts_at);
  c->capacity = slot->capacity;
  return c;
}

static gboolean
td_class_figures_same_day (const TdClassFiguresSlot *a,
                           const TdClassFiguresSlot *b)
{
  return a->key == b->key && g_str_equal (a->held_on, b->held_on);
}

/**
 * td_class_conflicts:
 * @from: first day, YYYY-MM-DD
 * @to: last day
 *
 * Trainers booked at two sessions that overlap (one entry per pair), and
 * sessions at which a venue holds more people than its capacity (the
 * rosters of every class there at once; venues of capacity 0 are not
 * checked).
 *
 * Returns: (transfer full) (element-type TdConflict)
 */
GPtrArray *
td_class_conflicts (TdStore     *store,
                    const char  *from,
                    const char  *to,
                    GError     **error)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify)td_conflict_free);
  g_autoptr(GArray) trainers = NULL;
  g_autoptr(GArray) venues = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  if (!td_classes_check_date (from, _("first day"), error) ||
      !td_classes_check_date (to, _("last day"), error))
    return NULL;

  stmt = td_store_prepare (store,
                           "SELECT st.trainer_id, tr.name, s.uuid, s.held_on, s.starts_at, s.ends_at, 0, 0 "
                           "FROM class_session s JOIN session_trainer st ON st.session_id = s.id "
                           "JOIN trainer tr ON tr.id = st.trainer_id "
                           "WHERE s.held_on BETWEEN ?1 AND ?2 "
                           "ORDER BY st.trainer_id, s.held_on, s.starts_at, s.id",
                           error);
  if (stmt == NULL || !(trainers = td_class_figures_slots (store, stmt, from, to, error)))
    return NULL;
  for (guint i = 0; i < trainers->len; i++)
    {
      const TdClassFiguresSlot *a = &g_array_index (trainers, TdClassFiguresSlot, i);

      for (guint j = i + 1; j < trainers->len; j++)
        {
          const TdClassFiguresSlot *b = &g_array_index (trainers, TdClassFiguresSlot, j);

          /* Sorted by start: once one starts after a ends, none later overlaps. */
          if (!td_class_figures_same_day (a, b) || strcmp (b->starts_at, a->ends_at) >= 0)
            break;
          g_ptr_array_add (conflicts, td_class_figures_conflict (TD_CONFLICT_TRAINER_DOUBLE_BOOKED, b, a));
        }
    }

  stmt = td_store_prepare (store,
                           "SELECT s.venue_id, v.name, s.uuid, s.held_on, s.starts_at, s.ends_at, "
                           "  (SELECT count (*) FROM enrolment e WHERE e.class_id = s.class_id), v.capacity "
                           "FROM class_session s JOIN venue v ON v.id = s.venue_id "
                           "WHERE s.held_on BETWEEN ?1 AND ?2 AND v.capacity > 0 "
                           "ORDER BY s.venue_id, s.held_on, s.starts_at, s.id",
                           error);
  if (stmt == NULL || !(venues = td_class_figures_slots (store, stmt, from, to, error)))
    return NULL;
  for (guint i = 0; i < venues->len; i++)
    {
      const TdClassFiguresSlot *b = &g_array_index (venues, TdClassFiguresSlot, i);
      const TdClassFiguresSlot *other = b;
      gint64 people = b->people;

      /* Everyone at the venue when this session begins. */
      for (guint j = i; j-- > 0;)
        {
          const TdClassFiguresSlot *a = &g_array_index (venues, TdClassFiguresSlot, j);

          if (!td_class_figures_same_day (a, b))
            break;
          if (strcmp (a->ends_at, b->starts_at) > 0)
            {
              people += a->people;
              other = a;
            }
        }
      if (people > b->capacity)
        {
          TdConflict *c = td_class_figures_conflict (TD_CONFLICT_VENUE_OVER_CAPACITY, b, other);

          c->people = people;
          g_ptr_array_add (conflicts, c);
        }
    }
  return g_steal_pointer (&conflicts);
}
