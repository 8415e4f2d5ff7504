/* test-example-classes.c: the example school's classes, and what the
 * figures and the form's text make of a year not followed up yet
 *
 * The example school (td_example_school_size) has its last two years as
 * classes. Their results are recounted here from the enrolments and the
 * attendance marks themselves, not from the totals the triggers keep, and
 * compared with what the app reports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "td-class-figures.h"
#include "td-classes.h"
#include "td-example.h"
#include "td-figures.h"
#include "td-form.h"
#include "td-id-number.h"
#include "td-store-private.h"

/* 24: two years of 12. */
#define CLASSES (td_example_school_size.class_years * td_example_school_size.classes_per_year)

typedef struct
{
  char    *path;
  TdStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  f->path = g_build_filename (g_get_user_data_dir (), "example.db", NULL);
  f->store = td_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (td_example_fill (f->store, &td_example_school_size, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  g_free (f->path);
}

static double
query_double (Fixture    *f,
              const char *sql,
              int         year)
{
  sqlite3_stmt *stmt = NULL;
  double v;

  g_assert_cmpint (sqlite3_prepare_v2 (td_store_get_db (f->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int (stmt, 1, year);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_double (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

static gint64
query_int (Fixture    *f,
           const char *sql,
           int         year)
{
  return (gint64)query_double (f, sql, year);
}

/* Each enrolment of a class ending in year ?1, with the hours its marks
 * say it attended: the marks themselves, not enrolment_hours. */
#define ATTENDED                                                                               \
  "WITH a AS (SELECT e.id, e.certificate_kind, e.employed_on, c.category, c.planned_hours, "   \
  "  c.completion_percent, c.followed_up_on, "                                                  \
  "  (SELECT coalesce (sum (s.hours), 0) FROM attendance m JOIN class_session s "               \
  "     ON s.id = m.session_id WHERE m.enrolment_id = e.id AND m.status = 0) AS hours "         \
  "  FROM enrolment e JOIN class c ON c.id = e.class_id "                                       \
  "  WHERE CAST (substr (c.ends_on, 1, 4) AS INTEGER) = ?1 AND c.status != 'planned') "

static const TdYearFigures *
year_of (GArray *years,
         int     year)
{
  for (guint i = 0; i < years->len; i++)
    if (g_array_index (years, TdYearFigures, i).year == year)
      return &g_array_index (years, TdYearFigures, i);
  g_assert_not_reached ();
}

static void
test_school (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) years = td_figures_by_year (f->store, &error);
  int last, first;
  sqlite3_stmt *stmt = NULL;
  guint n_numbers = 0;

  g_assert_no_error (error);
  /* Three years: the first typed, the last two computed from classes. */
  g_assert_cmpuint (years->len, ==, 3);
  last = g_array_index (years, TdYearFigures, 0).year;
  first = g_array_index (years, TdYearFigures, 2).year;
  g_assert_cmpint (first, ==, last - 2);
  g_assert_false (year_of (years, first)->from_classes);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM result WHERE year = ?1", first), ==,
                   td_example_school_size.results_per_year);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM result WHERE year != ?1", first), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM class", 0), ==, CLASSES);

  for (int year = last - 1; year <= last; year++)
    {
      const TdYearFigures *y = year_of (years, year);
      gint64 participants = query_int (f, ATTENDED "SELECT count (*) FROM a WHERE hours > 0", year);
      double person_hours = query_double (f, ATTENDED "SELECT sum (hours) FROM a", year);
      gint64 certificates = query_int (f, ATTENDED "SELECT count (*) FROM a WHERE hours > 0 "
                                          "AND certificate_kind != ''", year);
      gint64 jobseekers = query_int (f, ATTENDED "SELECT count (*) FROM a WHERE hours > 0 "
                                        "AND category != 'enterprise-staff'", year);
      gint64 employed = query_int (f, ATTENDED "SELECT count (*) FROM a WHERE hours > 0 "
                                      "AND category != 'enterprise-staff' AND employed_on IS NOT NULL", year);
      gint64 unfollowed = query_int (f, ATTENDED "SELECT count (*) FROM a WHERE hours > 0 "
                                        "AND category != 'enterprise-staff' AND followed_up_on IS NULL", year);
      double taught = query_double (f, "SELECT sum (st.hours) FROM session_trainer st JOIN class_session s "
                                       "ON s.id = st.session_id WHERE substr (s.held_on, 1, 4) = CAST (?1 AS TEXT)",
                                    year);
      g_autoptr(GPtrArray) hours = td_figures_trainer_hours (f->store, year, &error);
      TdClassYear c;
      double sum = 0;

      g_test_message ("%d: %" G_GINT64_FORMAT " participants, %.0f person-hours, %" G_GINT64_FORMAT
                      " certificates, %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " employed, %" G_GINT64_FORMAT
                      " not followed up", year, participants, person_hours, certificates, employed, jobseekers,
                      unfollowed);
      g_assert_true (y->from_classes);
      g_assert_cmpint (y->sessions, ==, td_example_school_size.classes_per_year);
      /* A realistic year: hundreds of trainees, most of them present. */
      g_assert_cmpint (participants, >, 250);
      g_assert_cmpint (y->participants, ==, participants);
      g_assert_cmpfloat (fabs (y->person_hours - person_hours), <, 1e-6);
      g_assert_cmpint (y->certificates, ==, certificates);
      g_assert_cmpint (y->jobseekers, ==, jobseekers);
      g_assert_cmpint (y->employed, ==, employed);
      g_assert_true (td_class_figures_year (f->store, year, &c, &error));
      g_assert_cmpint (c.not_followed_up, ==, unfollowed);
      g_assert_cmpint (c.completed, ==,
                       query_int (f, ATTENDED "SELECT count (*) FROM a WHERE hours * 100.0 >= "
                                  "planned_hours * completion_percent - 1e-6", year));
      /* Every class is assessed; the last year's follow-up is under way
       * for some of its classes, so its employment rate is not known. */
      g_assert_false (y->certificates_unknown);
      g_assert_cmpint (y->employment_unknown, ==, year == last);
      g_assert_cmpint (unfollowed > 0, ==, year == last);

      /* Trainers' hours are the sessions' of the year. */
      g_assert_no_error (error);
      for (guint i = 0; i < hours->len; i++)
        sum += ((TdTrainerHours *)g_ptr_array_index (hours, i))->hours;
      g_assert_cmpfloat (sum, >, 0);
      g_assert_cmpfloat (fabs (sum - taught), <, 1e-6);
      g_assert_cmpfloat (fabs (y->trainer_hours - taught), <, 1e-6);
    }

  /* The typed year is of the classes' size and shape, so that the charts
   * show one school: 11 intakes of 23 to 33 trainees (28 ± 28/5), each
   * of 21 to 23 hours a trainee (8 sessions of 3 hours, 88 to 96 % of
   * them attended) against the classes' 24 hours less absences (8 % of
   * the marks); every category in every year, and a few more trainees
   * each year. */
  {
    const TdYearFigures *typed = year_of (years, first);

    g_assert_cmpint (typed->sessions, ==, td_example_school_size.results_per_year);
    g_assert_cmpint (typed->participants, >=, 11 * 23);
    g_assert_cmpint (typed->participants, <=, 11 * 33);
    g_assert_cmpfloat (typed->person_hours, >=, 21.0 * typed->participants);
    g_assert_cmpfloat (typed->person_hours, <=, 23.0 * typed->participants);
    for (int year = first; year <= last; year++)
      {
        const TdYearFigures *y = year_of (years, year);

        g_test_message ("%d: %" G_GINT64_FORMAT " participants, %.1f hours each", year, y->participants,
                        y->person_hours / y->participants);
        g_assert_cmpfloat (y->person_hours / y->participants, >, 20.0);
        g_assert_cmpfloat (y->person_hours / y->participants, <, 24.0);
        for (guint k = 0; k < 3; k++)
          g_assert_cmpfloat (y->hours_by_category[k], >, 0);
        if (year > first)
          g_assert_cmpint (y->participants, >, year_of (years, year - 1)->participants);
      }
  }

  /* The trainees' ID numbers are valid GB 11643 numbers, and their
   * gender and birth date are the numbers'. */
  g_assert_cmpint (sqlite3_prepare_v2 (td_store_get_db (f->store),
                                       "SELECT i.id_number, t.gender, t.birth_date FROM trainee_identity i "
                                       "JOIN trainee t ON t.id = i.trainee_id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TdIdNumber id;

      g_assert_true (td_id_number_parse ((const char *)sqlite3_column_text (stmt, 0), &id, &error));
      g_assert_no_error (error);
      g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 1), ==,
                       id.gender == TD_GENDER_MALE ? "male" : "female");
      g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 2), ==, id.birth_date);
      n_numbers++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n_numbers, >, 400);
}

/* Field 9 over the three years: its figures say which years come from how
 * many classes, and a rate some classes cannot tell is not stated. */
static void
test_form_text (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdFigureSet) set = NULL;
  g_autoptr(GArray) years = td_figures_by_year (f->store, &error);
  g_autofree char *text = NULL;
  g_autofree char *not_followed = NULL;
  g_autofree char *in_classes = NULL;
  const TdFigure *figure;
  int last = g_array_index (years, TdYearFigures, 0).year;
  sqlite3_stmt *stmt = NULL;
  TdClassYear c;

  g_assert_true (td_class_figures_year (f->store, last, &c, &error));
  g_assert_cmpint (c.not_followed_up, >, 0);

  set = td_figure_set_compute (f->store, last - 2, last, &error);
  g_assert_no_error (error);
  g_assert_cmpint (set->classes, ==, CLASSES);
  g_assert_cmpuint (set->class_years, ==, 2);
  g_assert_cmpint (set->not_followed_up, ==, c.not_followed_up);
  g_assert_cmpint (set->not_assessed, ==, 0);
  /* Not a share of some of the job-seekers. */
  g_assert_cmpstr (td_figure_set_value (set, "results.employment-rate"), ==, "—");
  g_assert_cmpstr (td_figure_set_value (set, "results.certificate-share"), !=, "—");
  not_followed = g_strdup_printf ("%" G_GINT64_FORMAT, c.not_followed_up);
  g_assert_cmpstr (td_figure_set_value (set, "results.not-followed-up"), ==, not_followed);

  /* The basis: the years computed, from how many classes; the records
   * listed are the typed results still counted (the first year's). */
  in_classes = g_strdup_printf ("%d, %d: computed from %u classes instead of typed results.", last - 1, last,
                                CLASSES);
  figure = td_figure_set_lookup (set, "results.participants");
  g_test_message ("%s", figure->definition);
  g_assert_nonnull (strstr (figure->definition, in_classes));
  g_assert_cmpint (figure->n_records, ==, td_example_school_size.results_per_year);
  figure = td_figure_set_lookup (set, "results.employment-rate");
  g_test_message ("%s", figure->definition);
  g_assert_nonnull (strstr (figure->definition, "Not yet known:"));
  g_assert_nonnull (strstr (figure->definition, not_followed));
  figure = td_figure_set_lookup (set, "equipment.units");
  g_assert_null (strstr (figure->definition, "classes"));

  /* The drafted text says the rate waits for the follow-up. */
  text = td_form_draft_results (f->store, last - 2, last, &error);
  g_assert_no_error (error);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "尚未完成就业跟踪，就业率待跟踪完成后统计"));
  g_assert_null (strstr (text, "就业率%"));
  {
    g_autofree char *piece = g_strdup_printf ("另有%s人次所在培训班尚未完成就业跟踪", not_followed);

    g_assert_nonnull (strstr (text, piece));
  }
  /* The programmes the classes ran are named: over the two years of
   * classes alone, the one with the most participants first. */
  {
    g_autofree char *programme = NULL;
    g_autofree char *classes_text = td_form_draft_results (f->store, last - 1, last, &error);

    g_assert_cmpint (sqlite3_prepare_v2 (td_store_get_db (f->store),
                                         "SELECT p.name FROM class c JOIN class_totals t ON t.class_id = c.id "
                                         "JOIN programme p ON p.id = c.programme_id GROUP BY p.id "
                                         "ORDER BY sum (t.participants) DESC, p.name LIMIT 1", -1, &stmt, NULL),
                     ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    programme = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    g_assert_no_error (error);
    g_test_message ("%s", classes_text);
    g_assert_nonnull (strstr (classes_text, "主要培训项目有"));
    g_assert_nonnull (strstr (strstr (classes_text, "主要培训项目有"), programme));
  }

  /* Once every class is followed up, the rate is known and stated. */
  g_assert_cmpint (sqlite3_prepare_v2 (td_store_get_db (f->store),
                                       "SELECT uuid FROM class WHERE followed_up_on IS NULL", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  {
    g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);

    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (uuids, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
    sqlite3_finalize (stmt);
    g_assert_cmpuint (uuids->len, >, 0);
    for (guint i = 0; i < uuids->len; i++)
      {
        g_autofree char *date = g_strdup_printf ("%d-12-31", last);

        g_assert_true (td_class_set_followed_up (f->store, g_ptr_array_index (uuids, i), date, &error));
        g_assert_no_error (error);
      }
  }
  g_clear_pointer (&set, td_figure_set_free);
  g_clear_pointer (&text, g_free);
  set = td_figure_set_compute (f->store, last - 2, last, &error);
  g_assert_no_error (error);
  g_assert_cmpint (set->not_followed_up, ==, 0);
  {
    g_autofree char *rate = g_strdup_printf ("%.1f", 100.0 * set->employed / set->jobseekers);
    g_autofree char *piece = g_strdup_printf ("就业率%s%%", rate);

    g_assert_cmpstr (td_figure_set_value (set, "results.employment-rate"), ==, rate);
    text = td_form_draft_results (f->store, last - 2, last, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (text, piece));
    g_assert_null (strstr (text, "尚未完成就业跟踪"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/example-classes/school", Fixture, NULL, fixture_set_up, test_school, fixture_tear_down);
  g_test_add ("/example-classes/form-text", Fixture, NULL, fixture_set_up, test_form_text, fixture_tear_down);

  return g_test_run ();
}
