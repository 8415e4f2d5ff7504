/* td-figures.c: what the records add up to, year by year
 *
 * Every figure the app prints is defined in docs/figures.md and computed
 * here, once: the drafts of fields 8 and 9 format a TdFigureSet's values,
 * the form page lists the same TdFigures as the texts' basis, and the
 * Overview and Results pages read the same counts. The definitions are
 * those an auditor would accept: equipment scrapped or under repair is not
 * training capacity, an online platform's seats are not places in a room,
 * enterprise employees (already employed) are neither in the employment
 * rate's numerator nor its denominator, and the full-time-student
 * equivalent is a whole number of persons at a ratio the text states.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-figures"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "td-class-figures.h"
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
                           "  (SELECT coalesce (sum (area), 0) FROM venue WHERE kind != 'online-platform'), "
                           "  (SELECT coalesce (sum (capacity), 0) FROM venue WHERE kind != 'online-platform'), "
                           "  (SELECT count(*) FROM equipment), "
                           "  (SELECT coalesce (sum (quantity), 0) FROM equipment WHERE state IN ('in-use', 'idle')), "
                           "  (SELECT coalesce (sum (quantity * unit_value), 0) FROM equipment "
                           "     WHERE state IN ('in-use', 'idle')), "
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

/* One count of the kinds' Overview lines as a scalar subquery; @params
 * gets the values it binds, in order. */
static void
td_figures_append_kind_count (GString            *sql,
                              GPtrArray          *params,
                              const TdRecordKind *kind,
                              const TdKindCount  *count)
{
  switch (count->type)
    {
    case TD_COUNT_RECORDS:
      g_string_append_printf (sql, "(SELECT count(*) FROM %s)", kind->table);
      return;
    case TD_COUNT_CHOICE:
      g_string_append_printf (sql, "(SELECT count(*) FROM %s WHERE %s = ?)", kind->table, count->column);
      g_ptr_array_add (params, (gpointer)count->choice);
      return;
    case TD_COUNT_SUM:
      g_string_append_printf (sql, "(SELECT coalesce (sum (%s", count->column);
      if (count->times != NULL)
        g_string_append_printf (sql, " * %s", count->times);
      g_string_append_printf (sql, "), 0) FROM %s", kind->table);
      if (count->only != NULL)
        {
          g_string_append_printf (sql, " WHERE %s %sIN (", count->only, count->except ? "NOT " : "");
          for (guint i = 0; i < TD_KIND_COUNT_MAX_CHOICES && count->in[i] != NULL; i++)
            {
              g_string_append (sql, i > 0 ? ", ?" : "?");
              g_ptr_array_add (params, (gpointer)count->in[i]);
            }
          g_string_append_c (sql, ')');
        }
      g_string_append_c (sql, ')');
      return;
    default:
      g_assert_not_reached ();
    }
}

/* Every count of every kind's Overview line in one statement, made once
 * from the kinds' table: its text is the statement cache's key, so it is
 * kept for the process (interned). */
static const char *
td_figures_kind_counts_sql (GPtrArray **params_out)
{
  static const char *sql;
  static GPtrArray *params;

  if (g_once_init_enter (&sql))
    {
      g_autoptr(GString) s = g_string_new ("SELECT ");
      guint n_kinds = 0;
      const TdRecordKind **kinds = td_record_kinds (&n_kinds);
      gboolean first = TRUE;

      params = g_ptr_array_new ();
      for (guint k = 0; k < n_kinds; k++)
        for (guint c = 0; c < kinds[k]->n_counts; c++)
          {
            if (!first)
              g_string_append (s, ", ");
            first = FALSE;
            td_figures_append_kind_count (s, params, kinds[k], &kinds[k]->counts[c]);
          }
      if (first)
        g_string_append (s, "NULL");
      g_once_init_leave (&sql, g_intern_string (s->str));
    }
  *params_out = params;
  return sql;
}

/**
 * td_figures_kind_counts:
 *
 * What each kind's Overview line says, as its entry of td-record-kind.c
 * describes the counts (TdKindCount): counted by SQLite in one statement,
 * cheap enough for every change.
 *
 * Returns: (transfer full) (element-type utf8 gdouble*): the kind's id ->
 *   its counts, in the entry's order (TD_RECORD_KIND_MAX_COUNTS doubles),
 *   for each kind that has some; %NULL with @error
 */
GHashTable *
td_figures_kind_counts (TdStore  *store,
                        GError  **error)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GPtrArray *params = NULL;
  const char *sql = td_figures_kind_counts_sql (&params);
  guint n_kinds = 0;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);
  sqlite3_stmt *stmt;
  int rc, column = 0;

  if (!(stmt = td_store_prepare (store, sql, error)))
    return NULL;
  for (guint i = 0; i < params->len; i++)
    sqlite3_bind_text (stmt, i + 1, g_ptr_array_index (params, i), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      td_store_set_error (store, rc, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  for (guint k = 0; k < n_kinds; k++)
    {
      double *values;

      if (kinds[k]->n_counts == 0)
        continue;
      values = g_new0 (double, TD_RECORD_KIND_MAX_COUNTS);
      for (guint c = 0; c < kinds[k]->n_counts; c++)
        values[c] = sqlite3_column_double (stmt, column++);
      g_hash_table_insert (counts, (gpointer)kinds[k]->id, values);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&counts);
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

static gboolean
td_figures_set_fte_hours_cb (TdStore  *store,
                             gpointer  user_data,
                             GError  **error)
{
  return td_store_set_setting (store, TD_FIGURES_FTE_HOURS_SETTING, user_data, error);
}

/* Validated as any number field: what a person types. Written in a
 * transaction of its own, so that the store says "changed": every figure
 * shown at the ratio (the Overview's years, the Results page's footer,
 * the drafted text) is read again at once, not on the next reload. */
gboolean
td_figures_set_fte_hours (TdStore     *store,
                          const char  *input,
                          GError     **error)
{
  static const TdField field = { "fte", NULL, NULL, TD_FIELD_NUMBER, TD_FIELD_REQUIRED, 0, 1, 100000 };
  g_autofree char *stored = NULL;

  if (!td_field_parse (&field, input, NULL, NULL, &stored, error))
    return FALSE;
  return td_store_transaction (store, td_figures_set_fte_hours_cb, stored, error);
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
                           "       sum (r.certificates), "
                           "       sum (CASE WHEN r.category != 'enterprise-staff' THEN r.employed ELSE 0 END), "
                           "       sum (r.revenue), "
                           "       (SELECT coalesce (sum (t.hours), 0) FROM result_trainer t "
                           "          JOIN result x ON x.id = t.result_id WHERE x.year = r.year), "
                           "       (SELECT count (DISTINCT t.trainer_id) FROM result_trainer t "
                           "          JOIN result x ON x.id = t.result_id WHERE x.year = r.year), "
                           "       sum (CASE WHEN r.category != 'enterprise-staff' THEN r.participants ELSE 0 END), "
                           "       sum (CASE WHEN r.category = 'enterprise-staff' "
                           "                 THEN r.participants * r.hours_per_participant ELSE 0 END), "
                           "       sum (CASE WHEN r.category = 'key-groups' "
                           "                 THEN r.participants * r.hours_per_participant ELSE 0 END), "
                           "       sum (CASE WHEN r.category = 'unemployed' "
                           "                 THEN r.participants * r.hours_per_participant ELSE 0 END) "
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
        .jobseekers = sqlite3_column_int64 (stmt, 9),
        .hours_by_category = { sqlite3_column_double (stmt, 10), sqlite3_column_double (stmt, 11),
                               sqlite3_column_double (stmt, 12) },
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
  /* Years that have classes take their results from them (issue 15). */
  if (!td_class_figures_apply (store, years, error))
    return NULL;
  return g_steal_pointer (&years);
}

/**
 * td_figures_latest_year:
 * @year: (out): the latest year with results or classes, or 0 when there
 *   are none
 *
 * Indexed looks (result's year, class's end date): cheap at any size.
 */
gboolean
td_figures_latest_year (TdStore  *store,
                        int      *year,
                        GError  **error)
{
  /* Classes count in the year they end (docs/classes.md); class_ends is
   * read backwards to the first class that is not only planned. */
  sqlite3_stmt *stmt = td_store_prepare (store,
                                         "SELECT max (coalesce ((SELECT max (year) FROM result), 0), "
                                         "  coalesce ((SELECT CAST (substr (max (ends_on), 1, 4) AS INTEGER) "
                                         "               FROM class WHERE status != 'planned'), 0))",
                                         error);
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

  /* Years that have classes count the hours taught at their sessions,
   * the others their typed results' (docs/classes.md). */
  stmt = td_store_prepare (store,
                           "WITH cy AS (SELECT DISTINCT CAST (substr (ends_on, 1, 4) AS INTEGER) AS y "
                           "              FROM class WHERE status != 'planned'), "
                           "h AS (SELECT t.trainer_id, t.hours FROM result_trainer t "
                           "        JOIN result r ON r.id = t.result_id "
                           "       WHERE (?1 = 0 OR r.year = ?1) AND r.year NOT IN (SELECT y FROM cy) "
                           "      UNION ALL "
                           "      SELECT st.trainer_id, st.hours FROM session_trainer st "
                           "        JOIN class_session s ON s.id = st.session_id "
                           "       WHERE (?1 = 0 OR s.held_on BETWEEN printf ('%04d-01-01', ?1) "
                           "                                      AND printf ('%04d-12-31', ?1)) "
                           "         AND CAST (substr (s.held_on, 1, 4) AS INTEGER) IN (SELECT y FROM cy)) "
                           "SELECT tr.id, tr.name, sum (h.hours) AS total FROM h "
                           "JOIN trainer tr ON tr.id = h.trainer_id GROUP BY tr.id ORDER BY total DESC, tr.name",
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

/* Whole persons: the notice converts training into full-time students, and
 * a form that states 1917.6 of them states something no one can count. */
gint64
td_figures_fte_persons (double person_hours,
                        double fte_hours)
{
  if (fte_hours <= 0)
    fte_hours = TD_FIGURES_DEFAULT_FTE_HOURS;
  return (gint64)(person_hours / fte_hours + 0.5);
}

/* "1200", or "1200.5" for a ratio that is not whole. */
char *
td_figures_format_ratio (double fte_hours)
{
  if (fte_hours == (double)(gint64)fte_hours)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)fte_hours);
  return g_strdup_printf ("%.1f", fte_hours);
}

/* The figures (docs/figures.md): which records each counts, as an SQL
 * condition on its kind's table (code constants; ?1 and ?2 are the first
 * and last year). */
#define USABLE "state IN ('in-use', 'idle')"
#define PHYSICAL "kind != 'online-platform'"
/* Typed results count only in years without classes (docs/classes.md). */
#define TYPED "year NOT IN (SELECT CAST (substr (ends_on, 1, 4) AS INTEGER) FROM class WHERE status != 'planned')"
#define YEARS "year BETWEEN ?1 AND ?2 AND " TYPED
#define JOBSEEKERS YEARS " AND category != 'enterprise-staff'"

typedef struct
{
  const char *id;
  const char *label;
  const char *definition;
  const char *kind;
  const char *where;
} TdFigureDef;

static const TdFigureDef figure_defs[] = {
  { "trainers.total", N_("Trainers"), N_("Every trainer recorded, whatever kind."), "trainers", "1" },
  { "trainers.full-time", N_("Full-time trainers"), N_("Trainers recorded as full-time."), "trainers", "kind = 'full-time'" },
  { "trainers.part-time", N_("Part-time trainers"), N_("Trainers recorded as part-time."), "trainers", "kind = 'part-time'" },
  { "trainers.experts", N_("Enterprise experts"), N_("Trainers recorded as enterprise experts."), "trainers", "kind = 'enterprise-expert'" },
  { "trainers.senior-titles", N_("Senior titles"), N_("Trainers with a senior or associate senior title."), "trainers",
    "title IN ('senior', 'associate-senior')" },
  { "trainers.senior", N_("Full senior titles"), N_("Trainers with a full senior title (正高级)."), "trainers", "title = 'senior'" },
  { "trainers.associate-senior", N_("Associate senior titles"), N_("Trainers with an associate senior title (副高级)."),
    "trainers", "title = 'associate-senior'" },
  { "trainers.intermediate", N_("Intermediate titles"), N_("Trainers with an intermediate title."), "trainers",
    "title = 'intermediate'" },
  { "trainers.dual", N_("Dual-qualified trainers"), N_("Trainers marked dual-qualified (双师型)."), "trainers", "dual_qualified" },
  { "trainers.dual-share", N_("Share dual-qualified"), N_("Dual-qualified trainers over all trainers, in per cent, one decimal."),
    "trainers", "dual_qualified" },
  { "equipment.units", N_("Equipment units"),
    N_("Σ quantity of the items in use or idle; scrapped items and items under repair are not counted."),
    "equipment", USABLE },
  { "equipment.kinds", N_("Kinds of equipment"),
    N_("Distinct names among the items in use or idle (records of the same name are one kind)."), "equipment", USABLE },
  { "equipment.value", N_("Equipment value"),
    N_("Σ quantity × unit value of the items in use or idle, in 10,000 yuan, one decimal."), "equipment", USABLE },
  { "venues.physical", N_("Venues"), N_("Venues other than online platforms."), "venues", PHYSICAL },
  { "venues.training-bases", N_("Training bases"), N_("Venues of the kind training base."), "venues", "kind = 'training-base'" },
  { "venues.workshops", N_("Workshops"), N_("Venues of the kind workshop."), "venues", "kind = 'workshop'" },
  { "venues.classrooms", N_("Classrooms"), N_("Venues of the kind classroom."), "venues", "kind = 'classroom'" },
  { "venues.area", N_("Floor area"), N_("Σ area of the venues other than online platforms, m²."), "venues", PHYSICAL },
  { "venues.places", N_("Places"),
    N_("Σ capacity of the venues other than online platforms: people trained at once on site."), "venues", PHYSICAL },
  { "venues.online", N_("Online platforms"), N_("Venues of the kind online platform, stated apart."), "venues",
    "kind = 'online-platform'" },
  { "venues.online-seats", N_("Online seats"),
    N_("Σ capacity of the online platforms: never added to the places on site."), "venues", "kind = 'online-platform'" },
  { "guarantees.count", N_("Rules"), N_("Every guarantee (rule or arrangement) recorded."), "guarantees", "1" },
  { "years.first", N_("First year"), N_("The first year the campaign asks to report (by default, three years before its own)."), NULL, NULL },
  { "years.second", N_("Second year"), N_("The year between the first and the last."), NULL, NULL },
  { "years.last", N_("Last year"), N_("The last year the campaign asks to report (by default, the year before its own)."), NULL, NULL },
  { "results.sessions", N_("Sessions"), N_("Σ sessions of the results of the years reported."), "results", YEARS },
  { "results.participants", N_("Participations"),
    N_("Σ participants of the results of the years reported, per participation (人次)."), "results", YEARS },
  { "results.person-hours", N_("Person-hours"), N_("Σ participants × hours per participant, years reported."), "results", YEARS },
  { "fte.ratio", N_("Hours per full-time student"),
    N_("The school’s ratio: person-hours of training that make one full-time student a year (Overview)."), NULL, NULL },
  { "results.fte", N_("Full-time students"),
    N_("Person-hours ÷ the school’s ratio, rounded to whole persons."), "results", YEARS },
  { "results.enterprise-staff", N_("Enterprise staff trained"),
    N_("Σ participants of the results in the category enterprise staff, years reported."), "results",
    YEARS " AND category = 'enterprise-staff'" },
  { "results.key-groups", N_("Key groups trained"),
    N_("Σ participants of the results in the category key groups, years reported."), "results",
    YEARS " AND category = 'key-groups'" },
  { "results.unemployed", N_("Unemployed trained"),
    N_("Σ participants of the results in the category unemployed, years reported."), "results",
    YEARS " AND category = 'unemployed'" },
  { "results.certificates", N_("Certificates"),
    N_("Σ certificates of the results of the years reported, per participation (人次)."), "results", YEARS },
  { "results.certificate-share", N_("Certificate share"),
    N_("Certificates ÷ participations (both per participation), in per cent, one decimal."), "results", YEARS },
  { "results.jobseekers", N_("Job-seekers trained"),
    N_("Σ participants of key groups and the unemployed (enterprise staff, already employed, excluded)."), "results",
    JOBSEEKERS },
  { "results.employed", N_("Employed after training"),
    N_("Σ employed of the results of key groups and the unemployed; enterprise staff not counted."), "results",
    JOBSEEKERS },
  { "results.employment-rate", N_("Employment rate"),
    N_("Employed after training ÷ job-seekers trained, in per cent, one decimal."), "results", JOBSEEKERS },
  { "results.not-assessed", N_("Not assessed yet"),
    N_("Participations in classes of the years reported whose assessment is not recorded yet."), NULL, NULL },
  { "results.not-followed-up", N_("Not followed up yet"),
    N_("Job-seekers in classes of the years reported whose follow-up is not recorded yet."), NULL, NULL },
  { "results.year-1", N_("Participations, first year"), N_("Σ participants of the results of the first year."), "results",
    "year = ?1 AND " TYPED },
  { "results.year-2", N_("Participations, second year"), N_("Σ participants of the results of the second year."), "results",
    "year = ?1 + 1 AND " TYPED },
  { "results.year-3", N_("Participations, third year"), N_("Σ participants of the results of the third year."), "results",
    "year = ?1 + 2 AND " TYPED },
  { "results.satisfaction", N_("Satisfaction"),
    N_("Mean satisfaction of the results that record it, weighted by participants, per cent."), "results",
    YEARS " AND satisfaction IS NOT NULL" },
};

static void
td_figure_free (TdFigure *figure)
{
  g_free (figure->id);
  g_free (figure->value);
  g_free (figure->label);
  g_free (figure->definition);
  g_free (figure->kind);
  g_free (figure);
}

void
td_figure_set_free (TdFigureSet *set)
{
  g_clear_pointer (&set->figures, g_ptr_array_unref);
  g_free (set);
}

static const char *
td_figures_table_of (const char *kind)
{
  static const char * const tables[][2] = {
    { "trainers", "trainer" }, { "equipment", "equipment" }, { "venues", "venue" },
    { "guarantees", "guarantee" }, { "results", "result" }, { "programmes", "programme" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_str_equal (tables[i][0], kind))
      return tables[i][1];
  g_return_val_if_reached (NULL);
}

/* Runs "SELECT <what> FROM <table> WHERE <where>" with the years bound.
 * The pieces are the constants above, never input. */
static sqlite3_stmt *
td_figures_prepare_where (TdStore     *store,
                          const char  *what,
                          const char  *kind,
                          const char  *where,
                          int          first,
                          int          last,
                          GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s WHERE %s", what, td_figures_table_of (kind), where);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (td_store_get_db (store), sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  if (sqlite3_bind_parameter_count (stmt) >= 1)
    sqlite3_bind_int (stmt, 1, first);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int (stmt, 2, last);
  return stmt;
}

/* A figure's definition; for the results of a range some of whose years
 * are computed from classes, with those years and their classes. */
static char *
td_figures_definition (TdFigureSet       *set,
                       const TdFigureDef *def)
{
  g_autoptr(GString) years = g_string_new (NULL);
  g_autofree char *from_classes = NULL;

  if (set->classes == 0 || g_strcmp0 (def->kind, "results") != 0)
    return g_strdup (_(def->definition));
  for (guint i = 0; i < set->class_years; i++)
    /* Translators: between the years of a list, "2024, 2025" */
    g_string_append_printf (years, "%s%d", i > 0 ? _(", ") : "", set->class_year_list[i]);
  /* Translators: after a figure's definition: "2024, 2025: computed from 24 classes instead of typed results." */
  from_classes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%s: computed from %lld class instead of typed results.",
                                               "%s: computed from %lld classes instead of typed results.",
                                               set->classes),
                                  years->str, (long long)set->classes);
  if (g_str_equal (def->id, "results.employment-rate") && set->not_followed_up > 0)
    /* Translators: why a rate is not given; %lld participations */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s %s Not yet known: %lld job-seeker is in a class not followed up yet.",
                                         "%s %s Not yet known: %lld job-seekers are in classes not followed up yet.",
                                         set->not_followed_up),
                            _(def->definition), from_classes, (long long)set->not_followed_up);
  if (g_str_equal (def->id, "results.certificate-share") && set->not_assessed > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s %s Not yet known: %lld participation is in a class not assessed yet.",
                                         "%s %s Not yet known: %lld participations are in classes not assessed yet.",
                                         set->not_assessed),
                            _(def->definition), from_classes, (long long)set->not_assessed);
  /* Translators: a figure's definition, then the years computed from classes */
  return g_strdup_printf (_("%s %s"), _(def->definition), from_classes);
}

static gboolean
td_figures_add (TdStore      *store,
                TdFigureSet  *set,
                const char   *id,
                char         *value,
                GError      **error)
{
  TdFigure *figure = g_new0 (TdFigure, 1);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (figure_defs); i++)
    if (g_str_equal (figure_defs[i].id, id))
      break;
  g_assert (i < G_N_ELEMENTS (figure_defs));

  figure->id = g_strdup (id);
  figure->value = value;
  figure->label = g_strdup (_(figure_defs[i].label));
  figure->definition = td_figures_definition (set, &figure_defs[i]);
  figure->kind = g_strdup (figure_defs[i].kind);
  figure->where = figure_defs[i].where;
  g_ptr_array_add (set->figures, figure);

  if (figure->kind != NULL)
    {
      sqlite3_stmt *stmt = td_figures_prepare_where (store, "count(*)", figure->kind, figure->where,
                                                     set->first_year, set->last_year, error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        figure->n_records = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      if (rc != SQLITE_ROW)
        {
          td_store_set_error (store, rc, error);
          return FALSE;
        }
    }
  return TRUE;
}

#define INT(x) g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)(x))

static char *
td_figures_percent (double part,
                    double whole)
{
  return g_strdup_printf ("%.1f", whole > 0 ? 100.0 * part / whole : 0.0);
}

/* One row of numbers from one statement of constant SQL. */
static gboolean
td_figures_row (TdStore     *store,
                const char  *sql,
                int          first,
                int          last,
                double      *out,
                guint        n,
                GError     **error)
{
  sqlite3_stmt *stmt = td_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, first);
  sqlite3_bind_int (stmt, 2, last);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    for (guint i = 0; i < n; i++)
      out[i] = sqlite3_column_type (stmt, i) == SQLITE_NULL ? -1 : sqlite3_column_double (stmt, i);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      td_store_set_error (store, rc, error);
      return FALSE;
    }
  return TRUE;
}

/**
 * td_figure_set_compute:
 * @first_year: the first year field 9 covers
 * @last_year: the last
 *
 * Every figure of the drafts, by the definitions of docs/figures.md.
 *
 * Returns: (transfer full) (nullable): the figures, or %NULL with @error set
 */
TdFigureSet *
td_figure_set_compute (TdStore  *store,
                       int       first_year,
                       int       last_year,
                       GError  **error)
{
  g_autoptr(TdFigureSet) set = g_new0 (TdFigureSet, 1);
  double a[10], b[14];
  TdClassRange range;
  gboolean ok;

  set->first_year = first_year;
  set->last_year = last_year;
  set->fte_hours = td_figures_get_fte_hours (store);
  set->figures = g_ptr_array_new_with_free_func ((GDestroyNotify)td_figure_free);

  if (!td_figures_counts (store, &set->counts, error) ||
      !td_figures_row (store,
                       "SELECT (SELECT count(*) FROM trainer WHERE title = 'senior'), "
                       "  (SELECT count(*) FROM trainer WHERE title = 'associate-senior'), "
                       "  (SELECT count(*) FROM trainer WHERE title = 'intermediate'), "
                       "  (SELECT count (DISTINCT name) FROM equipment WHERE " USABLE "), "
                       "  (SELECT count(*) FROM venue WHERE kind = 'training-base'), "
                       "  (SELECT count(*) FROM venue WHERE kind = 'workshop'), "
                       "  (SELECT count(*) FROM venue WHERE kind = 'classroom'), "
                       "  (SELECT count(*) FROM venue WHERE kind = 'online-platform'), "
                       "  (SELECT coalesce (sum (capacity), 0) FROM venue WHERE kind = 'online-platform'), "
                       "  ?1 + ?2",
                       0, 0, a, G_N_ELEMENTS (a), error) ||
      !td_figures_row (store,
                       "SELECT coalesce (sum (sessions), 0), coalesce (sum (participants), 0), "
                       "  coalesce (sum (participants * hours_per_participant), 0), "
                       "  coalesce (sum (certificates), 0), "
                       "  coalesce (sum (CASE WHEN category != 'enterprise-staff' THEN participants END), 0), "
                       "  coalesce (sum (CASE WHEN category != 'enterprise-staff' THEN employed END), 0), "
                       "  sum (satisfaction * participants) / sum (CASE WHEN satisfaction IS NULL "
                       "    THEN 0 ELSE participants END), "
                       "  coalesce (sum (CASE WHEN category = 'enterprise-staff' THEN participants END), 0), "
                       "  coalesce (sum (CASE WHEN category = 'key-groups' THEN participants END), 0), "
                       "  coalesce (sum (CASE WHEN category = 'unemployed' THEN participants END), 0), "
                       "  coalesce (sum (CASE WHEN year = ?1 THEN participants END), 0), "
                       "  coalesce (sum (CASE WHEN year = ?1 + 1 THEN participants END), 0), "
                       "  coalesce (sum (CASE WHEN year = ?1 + 2 THEN participants END), 0), 0 "
                       "FROM result WHERE year BETWEEN ?1 AND ?2",
                       first_year, last_year, b, G_N_ELEMENTS (b), error) ||
      !td_class_figures_adjust_range (store, first_year, last_year, b, &range, error))
    return NULL;
  set->classes = range.classes;
  set->class_years = range.n_years;
  memcpy (set->class_year_list, range.years, sizeof set->class_year_list);
  set->not_assessed = range.not_assessed;
  set->not_followed_up = range.not_followed_up;

  set->senior = a[0];
  set->associate_senior = a[1];
  set->intermediate = a[2];
  set->equipment_kinds = a[3];
  set->training_bases = a[4];
  set->workshops = a[5];
  set->classrooms = a[6];
  set->online_platforms = a[7];
  set->online_seats = a[8];
  set->physical_venues = set->counts.venues - set->online_platforms;
  set->physical_area = set->counts.venue_area;
  set->physical_places = set->counts.venue_capacity;

  set->sessions = b[0];
  set->participants = b[1];
  set->person_hours = b[2];
  set->fte_persons = td_figures_fte_persons (set->person_hours, set->fte_hours);
  set->certificates = b[3];
  set->jobseekers = b[4];
  set->employed = b[5];
  set->satisfaction = b[6];
  for (guint i = 0; i < 3; i++)
    {
      set->by_category[i] = b[7 + i];
      set->by_year[i] = b[10 + i];
    }

  {
    const TdCounts *c = &set->counts;
    struct { const char *id; char *value; } values[] = {
      { "trainers.total", INT (c->trainers) },
      { "trainers.full-time", INT (c->full_time) },
      { "trainers.part-time", INT (c->part_time) },
      { "trainers.experts", INT (c->experts) },
      { "trainers.senior-titles", INT (set->senior + set->associate_senior) },
      { "trainers.senior", INT (set->senior) },
      { "trainers.associate-senior", INT (set->associate_senior) },
      { "trainers.intermediate", INT (set->intermediate) },
      { "trainers.dual", INT (c->dual_qualified) },
      { "trainers.dual-share", td_figures_percent (c->dual_qualified, c->trainers) },
      { "equipment.units", INT (c->equipment_units) },
      { "equipment.kinds", INT (set->equipment_kinds) },
      { "equipment.value", g_strdup_printf ("%.1f", c->equipment_value / 10000.0) },
      { "venues.physical", INT (set->physical_venues) },
      { "venues.training-bases", INT (set->training_bases) },
      { "venues.workshops", INT (set->workshops) },
      { "venues.classrooms", INT (set->classrooms) },
      { "venues.area", g_strdup_printf ("%.0f", set->physical_area) },
      { "venues.places", INT (set->physical_places) },
      { "venues.online", INT (set->online_platforms) },
      { "venues.online-seats", INT (set->online_seats) },
      { "guarantees.count", INT (c->guarantees) },
      { "years.first", INT (first_year) },
      { "years.second", INT (first_year + 1) },
      { "years.last", INT (last_year) },
      { "results.sessions", INT (set->sessions) },
      { "results.participants", INT (set->participants) },
      { "results.person-hours", g_strdup_printf ("%.0f", set->person_hours) },
      { "fte.ratio", td_figures_format_ratio (set->fte_hours) },
      { "results.fte", INT (set->fte_persons) },
      { "results.enterprise-staff", INT (set->by_category[0]) },
      { "results.key-groups", INT (set->by_category[1]) },
      { "results.unemployed", INT (set->by_category[2]) },
      { "results.certificates", INT (set->certificates) },
      { "results.certificate-share", set->not_assessed > 0 ? g_strdup ("—")
                                     : td_figures_percent (set->certificates, set->participants) },
      { "results.jobseekers", INT (set->jobseekers) },
      { "results.employed", INT (set->employed) },
      { "results.employment-rate", set->not_followed_up > 0 ? g_strdup ("—")
                                   : td_figures_percent (set->employed, set->jobseekers) },
      { "results.not-assessed", INT (set->not_assessed) },
      { "results.not-followed-up", INT (set->not_followed_up) },
      { "results.year-1", INT (set->by_year[0]) },
      { "results.year-2", INT (set->by_year[1]) },
      { "results.year-3", INT (set->by_year[2]) },
      { "results.satisfaction", g_strdup_printf ("%.1f", MAX (set->satisfaction, 0)) },
    };

    ok = TRUE;
    for (guint i = 0; i < G_N_ELEMENTS (values); i++)
      {
        if (ok)
          ok = td_figures_add (store, set, values[i].id, values[i].value, error);
        else
          g_free (values[i].value);
      }
    if (!ok)
      return NULL;
  }
  return g_steal_pointer (&set);
}

const TdFigure *
td_figure_set_lookup (TdFigureSet *set,
                      const char  *id)
{
  for (guint i = 0; i < set->figures->len; i++)
    {
      const TdFigure *figure = g_ptr_array_index (set->figures, i);

      if (g_str_equal (figure->id, id))
        return figure;
    }
  return NULL;
}

/* The value as the drafts print it. */
const char *
td_figure_set_value (TdFigureSet *set,
                     const char  *id)
{
  const TdFigure *figure = td_figure_set_lookup (set, id);

  g_return_val_if_fail (figure != NULL, "");
  return figure->value;
}

/**
 * td_figures_numbers_in:
 * @text: a text of the form
 *
 * The numbers written in @text, in order, as ASCII ("４，３７１" is
 * "4371"): runs of digits with at most one decimal point, thousands
 * separators dropped.
 *
 * Returns: (transfer full) (element-type utf8)
 */
GPtrArray *
td_figures_numbers_in (const char *text)
{
  GPtrArray *numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) number = g_string_new (NULL);
  gboolean point = FALSE;

  for (const char *p = text ? text : ""; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int digit = g_unichar_digit_value (c);

      if (digit >= 0 && (c < 0x80 || (c >= 0xFF10 && c <= 0xFF19)))
        {
          g_string_append_c (number, '0' + digit);
          continue;
        }
      if (number->len > 0 && (c == '.' || c == 0xFF0E || c == ',' || c == 0xFF0C))
        {
          gunichar next = g_utf8_get_char (g_utf8_next_char (p));

          if (g_unichar_digit_value (next) >= 0 && (next < 0x80 || (next >= 0xFF10 && next <= 0xFF19)))
            {
              if (c == '.' || c == 0xFF0E)
                {
                  if (point)
                    goto end;
                  point = TRUE;
                  g_string_append_c (number, '.');
                }
              continue;
            }
        }
    end:
      if (number->len > 0)
        g_ptr_array_add (numbers, g_strdup (number->str));
      g_string_truncate (number, 0);
      point = FALSE;
      if (c == 0)
        break;
    }
  return numbers;
}

/**
 * td_figure_set_match:
 * @text: a text of the form
 *
 * The figures whose printed value @text states, in the set's order, each
 * once.
 *
 * Returns: (transfer container) (element-type TdFigure)
 */
GPtrArray *
td_figure_set_match (TdFigureSet *set,
                     const char  *text)
{
  g_autoptr(GPtrArray) numbers = td_figures_numbers_in (text);
  GPtrArray *matched = g_ptr_array_new ();

  for (guint i = 0; i < set->figures->len; i++)
    {
      TdFigure *figure = g_ptr_array_index (set->figures, i);

      if (g_ptr_array_find_with_equal_func (numbers, figure->value, g_str_equal, NULL))
        g_ptr_array_add (matched, figure);
    }
  return matched;
}

/**
 * td_figure_record_uuids:
 *
 * The records @figure counts, for the record page to show them.
 *
 * Returns: (transfer full) (element-type utf8): their UUIDs
 */
GPtrArray *
td_figure_record_uuids (TdStore         *store,
                        TdFigureSet     *set,
                        const TdFigure  *figure,
                        GError         **error)
{
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (figure->kind == NULL)
    return g_steal_pointer (&uuids);
  stmt = td_figures_prepare_where (store, "uuid", figure->kind, figure->where, set->first_year, set->last_year, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (uuids, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&uuids);
}
