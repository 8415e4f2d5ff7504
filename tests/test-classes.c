/* test-classes.c: training classes, rosters, attendance, and the results
 * computed from them (issue 15)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "td-class-edit.h"
#include "td-class-figures.h"
#include "td-classes.h"
#include "td-csv.h"
#include "td-figures.h"
#include "td-id-number.h"
#include "td-store-private.h"
#include "td-trainee.h"
#include "td-xlsx.h"

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
  f->path = g_build_filename (g_get_user_data_dir (), "classes.db", NULL);
  f->store = td_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  g_free (f->path);
}

static gint64
query_int (Fixture    *f,
           const char *sql,
           const char *text)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (td_store_get_db (f->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
exec (Fixture    *f,
      const char *sql)
{
  g_assert_cmpint (sqlite3_exec (td_store_get_db (f->store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

/* The uuid of the row a statement finds. */
static char *
query_text (Fixture    *f,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text;

  g_assert_cmpint (sqlite3_prepare_v2 (td_store_get_db (f->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

/* The totals the triggers keep, recounted from the enrolments and marks:
 * the rows that disagree. */
static gint64
totals_out_of_step (Fixture *f)
{
  return query_int (f,
                    "SELECT count (*) FROM class_totals t JOIN class c ON c.id = t.class_id WHERE "
                    "  t.enrolled != (SELECT count (*) FROM enrolment e WHERE e.class_id = t.class_id) "
                    "  OR t.participants != (SELECT count (*) FROM enrolment e JOIN enrolment_hours h "
                    "     ON h.enrolment_id = e.id WHERE e.class_id = t.class_id AND h.attended > 0) "
                    "  OR abs (t.person_hours - (SELECT coalesce (sum (h.attended), 0) FROM enrolment e "
                    "     JOIN enrolment_hours h ON h.enrolment_id = e.id WHERE e.class_id = t.class_id)) > 1e-9 "
                    "  OR t.completed != (SELECT count (*) FROM enrolment e JOIN enrolment_hours h "
                    "     ON h.enrolment_id = e.id WHERE e.class_id = t.class_id "
                    "     AND h.attended * 100.0 >= c.planned_hours * c.completion_percent - 1e-6) "
                    "  OR t.certificates != (SELECT count (*) FROM enrolment e JOIN enrolment_hours h "
                    "     ON h.enrolment_id = e.id WHERE e.class_id = t.class_id AND h.attended > 0 "
                    "     AND e.certificate_kind != '') "
                    "  OR t.employed != (SELECT count (*) FROM enrolment e JOIN enrolment_hours h "
                    "     ON h.enrolment_id = e.id WHERE e.class_id = t.class_id AND h.attended > 0 "
                    "     AND e.employed_on IS NOT NULL) "
                    "  OR t.veterans != (SELECT count (*) FROM enrolment e JOIN enrolment_hours h "
                    "     ON h.enrolment_id = e.id WHERE e.class_id = t.class_id AND h.attended > 0 "
                    "     AND e.key_group = 'veterans') "
                    "  OR (SELECT count (*) FROM enrolment_hours h WHERE h.attended != "
                    "     (SELECT coalesce (sum (s.hours), 0) FROM attendance a "
                    "      JOIN class_session s ON s.id = a.session_id "
                    "      WHERE a.enrolment_id = h.enrolment_id AND a.status = 0)) > 0",
                    NULL);
}

/* ID numbers */

static void
test_id_numbers (void)
{
  g_autoptr(GError) error = NULL;
  TdIdNumber id;
  g_autofree char *masked = NULL;
  g_autofree char *phone = NULL;

  /* GB 11643's own example; a lowercase x is read as X. */
  g_assert_true (td_id_number_parse (" 11010519491231002x ", &id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (id.number, ==, "11010519491231002X");
  g_assert_cmpstr (id.birth_date, ==, "1949-12-31");
  g_assert_cmpint (id.gender, ==, TD_GENDER_FEMALE);   /* 17th digit 2: even */
  g_assert_cmpstr (id.region, ==, "110105");

  /* Σ digit × weight = 3·7 + 7·9 + 0·10 + 1·5 + 0·8 + 2·4 + 1·2 + 9·1 + 9·6
   * + 0·3 + 0·7 + 3·9 + 0·10 + 7·5 + 1·8 + 2·4 + 3·2 = 246; 246 mod 11 = 4,
   * and "10X98765432"[4] is '8'. */
  g_assert_true (td_id_number_parse ("370102199003071238", &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id.gender, ==, TD_GENDER_MALE);     /* 17th digit 3: odd */
  g_assert_cmpstr (id.birth_date, ==, "1990-03-07");
  g_assert_cmpint (td_id_number_check_digit ("37010219900307123"), ==, '8');

  g_assert_false (td_id_number_parse ("370102199003071237", NULL, &error));
  g_assert_error (error, TD_ID_NUMBER_ERROR, TD_ID_NUMBER_ERROR_CHECK_DIGIT);
  g_assert_nonnull (strstr (error->message, "370102199003071237"));
  g_clear_error (&error);

  g_assert_false (td_id_number_parse ("370102900307123", NULL, &error));
  g_assert_error (error, TD_ID_NUMBER_ERROR, TD_ID_NUMBER_ERROR_LEGACY);
  g_assert_nonnull (strstr (error->message, "15"));
  g_clear_error (&error);

  g_assert_false (td_id_number_parse ("37010219900307123", NULL, &error));
  g_assert_error (error, TD_ID_NUMBER_ERROR, TD_ID_NUMBER_ERROR_LENGTH);
  g_clear_error (&error);

  g_assert_false (td_id_number_parse ("3701021990030712A8", NULL, &error));
  g_assert_error (error, TD_ID_NUMBER_ERROR, TD_ID_NUMBER_ERROR_CHARACTERS);
  g_clear_error (&error);

  /* 30 February, whatever the check digit. */
  g_assert_false (td_id_number_parse ("370102199002301238", NULL, &error));
  g_assert_error (error, TD_ID_NUMBER_ERROR, TD_ID_NUMBER_ERROR_BIRTH_DATE);
  g_clear_error (&error);

  masked = td_id_number_mask ("370102199003071238");
  g_assert_cmpstr (masked, ==, "3701**********1238");
  phone = td_phone_mask ("13800138000");
  g_assert_cmpstr (phone, ==, "138****8000");
}

static void
test_completion_rule (void)
{
  double sum = 0;

  g_assert_true (td_completion_reached (8, 10, 80));    /* exactly 80 % */
  g_assert_false (td_completion_reached (7.5, 10, 80));
  g_assert_false (td_completion_reached (7.99, 10, 80));
  g_assert_true (td_completion_reached (10, 10, 100));
  g_assert_false (td_completion_reached (0, 10, 80));
  /* Ten sessions of 0.1 h do not sum to exactly 1.0: still complete. */
  for (int i = 0; i < 10; i++)
    sum += 0.1;
  g_assert_true (sum != 1.0);
  g_assert_true (td_completion_reached (sum, 1.0, 100));
}

/* The fixture school */

typedef struct
{
  char *venue, *trainer_a, *trainer_b;
  char *k1, *k2, *k3;
  char *s[4];
  char *e1[4];   /* K1: T1..T4 */
  char *e2[2];   /* K2: T1, T5 */
} School;

static void
school_clear (School *s)
{
  g_free (s->venue); g_free (s->trainer_a); g_free (s->trainer_b);
  g_free (s->k1); g_free (s->k2); g_free (s->k3);
  for (guint i = 0; i < 4; i++)
    {
      g_free (s->s[i]);
      g_free (s->e1[i]);
    }
  for (guint i = 0; i < 2; i++)
    g_free (s->e2[i]);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (School, school_clear)

/* Valid numbers for people 1.. (the check digit computed by the code
 * under test is checked against GB 11643's example above). */
static char *
make_id (int n)
{
  g_autofree char *first = g_strdup_printf ("37010219900101%03d", n);

  return g_strdup_printf ("%s%c", first, td_id_number_check_digit (first));
}

static char *
add_class (Fixture    *f,
           const char *name,
           const char *category,
           const char *starts,
           const char *ends,
           double      hours,
           double      fee,
           const char *status,
           const char *venue)
{
  g_autoptr(GError) error = NULL;
  TdClassInfo info = {
    .name = name, .category = category, .starts_on = starts, .ends_on = ends, .planned_hours = hours,
    .fee = fee, .status = status, .venue_uuid = venue, .capacity = 30,
  };
  char *uuid = NULL;

  g_assert_true (td_class_insert (f->store, &info, &uuid, &error));
  g_assert_no_error (error);
  return uuid;
}

static char *
enrol (Fixture    *f,
       const char *class_uuid,
       const char *name,
       int         person,
       const char *key_group)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = make_id (person);
  g_autofree char *phone = g_strdup_printf ("1380013%04d", person);
  TdEnrolInfo info = { .name = name, .id_number = id, .phone = phone, .key_group = key_group,
                       .employment = "unemployed", .employer = "" };
  char *uuid = NULL;

  td_class_enrol (f->store, class_uuid, &info, &uuid, &error);
  g_assert_no_error (error);
  return uuid;
}

static char *
add_session (Fixture    *f,
             const char *class_uuid,
             const char *day,
             const char *from,
             const char *to,
             double      hours,
             const char *t1,
             double      h1,
             const char *t2,
             double      h2)
{
  g_autoptr(GError) error = NULL;
  TdSessionTrainer trainers[2] = { { t1, h1 }, { t2, h2 } };
  char *uuid = NULL;

  g_assert_true (td_class_add_session (f->store, class_uuid, day, from, to, hours, NULL,
                                       trainers, t2 ? 2 : 1, &uuid, &error));
  g_assert_no_error (error);
  return uuid;
}

static void
mark (Fixture      *f,
      const char   *session,
      const char   *enrolment,
      TdAttendance  status)
{
  g_autoptr(GError) error = NULL;
  const char *e[] = { enrolment };

  g_assert_true (td_attendance_record (f->store, session, e, &status, 1, &error));
  g_assert_no_error (error);
}

static void
make_school (Fixture *f,
             School  *s)
{
  g_autoptr(GError) error = NULL;
  const char *P = "p", *A = "a", *E = "e";
  const char *marks[4][3] = {
    { P, P, P },   /* T1: 4 + 4 + 2 = 10 h */
    { P, P, A },   /* T2: 8 h, exactly 80 % */
    { P, E, P },   /* T3: 6 h */
    { A, A, A },   /* T4: never came: not a participant */
  };

  exec (f, "INSERT INTO venue (name, kind, capacity) VALUES ('Room 1', 'classroom', 30);"
           "INSERT INTO trainer (name, kind) VALUES ('Trainer A', 'full-time'), ('Trainer B', 'part-time');"
           /* Typed results: 2025's are replaced by its classes, 2024's kept. */
           "INSERT INTO result (year, category, sessions, participants, hours_per_participant, certificates, employed) "
           "VALUES (2025, 'unemployed', 9, 900, 10, 90, 9), (2024, 'key-groups', 2, 40, 20, 10, 30);"
           "INSERT INTO result_trainer (result_id, trainer_id, hours) "
           "VALUES ((SELECT id FROM result WHERE year = 2025), 1, 100), "
           "       ((SELECT id FROM result WHERE year = 2024), 2, 7);");
  s->venue = query_text (f, "SELECT uuid FROM venue");
  s->trainer_a = query_text (f, "SELECT uuid FROM trainer WHERE name = 'Trainer A'");
  s->trainer_b = query_text (f, "SELECT uuid FROM trainer WHERE name = 'Trainer B'");

  s->k1 = add_class (f, "K1", "unemployed", "2025-03-01", "2025-03-10", 10, 100, "finished", s->venue);
  s->k2 = add_class (f, "K2", "enterprise-staff", "2025-06-01", "2025-06-01", 4, 0, "finished", s->venue);
  s->k3 = add_class (f, "K3", "key-groups", "2025-07-01", "2025-07-01", 4, 0, "planned", s->venue);

  s->s[0] = add_session (f, s->k1, "2025-03-01", "08:00", "12:00", 4, s->trainer_a, 4, NULL, 0);
  s->s[1] = add_session (f, s->k1, "2025-03-02", "08:00", "12:00", 4, s->trainer_a, 2, s->trainer_b, 2);
  s->s[2] = add_session (f, s->k1, "2025-03-03", "08:00", "10:00", 2, s->trainer_b, 2, NULL, 0);
  s->s[3] = add_session (f, s->k2, "2025-06-01", "09:00", "13:00", 4, s->trainer_a, 4, NULL, 0);

  s->e1[0] = enrol (f, s->k1, "T1", 1, NULL);
  s->e1[1] = enrol (f, s->k1, "T2", 2, NULL);
  s->e1[2] = enrol (f, s->k1, "T3", 3, NULL);
  s->e1[3] = enrol (f, s->k1, "T4", 4, NULL);
  s->e2[0] = enrol (f, s->k2, "T1", 1, NULL);        /* the same person again */
  s->e2[1] = enrol (f, s->k2, "T5", 5, "veterans");
  g_free (enrol (f, s->k3, "T6", 6, NULL));          /* a planned class: not counted */

  for (guint t = 0; t < 4; t++)
    for (guint i = 0; i < 3; i++)
      mark (f, s->s[i], s->e1[t], marks[t][i] == P ? TD_ATTENDANCE_PRESENT :
                                  marks[t][i] == A ? TD_ATTENDANCE_ABSENT : TD_ATTENDANCE_EXCUSED);
  mark (f, s->s[3], s->e2[0], TD_ATTENDANCE_PRESENT);
  mark (f, s->s[3], s->e2[1], TD_ATTENDANCE_PRESENT);

  g_assert_true (td_enrolment_set_assessment (f->store, s->e1[0], "passed", "skill-level", "四级",
                                              "S2025-001", "2025-03-15", &error));
  g_assert_true (td_enrolment_set_assessment (f->store, s->e1[1], "passed", "training-completion", "",
                                              "H2025-002", "2025-03-15", &error));
  g_assert_true (td_enrolment_set_assessment (f->store, s->e1[2], "failed", "", "", "", NULL, &error));
  g_assert_true (td_class_set_assessed (f->store, s->k1, "2025-03-15", &error));
  g_assert_true (td_enrolment_set_follow_up (f->store, s->e1[0], "2025-04-01", "Jinan Works", FALSE, &error));
  g_assert_no_error (error);
}

static void
test_school_results (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(School) s = { 0 };
  g_autoptr(GPtrArray) completion = NULL;
  g_autoptr(GPtrArray) trainers = NULL;
  g_autoptr(GArray) years = NULL;
  g_autoptr(TdFigureSet) set = NULL;
  TdClassYear y;
  TdTrainerYear *t;

  make_school (f, &s);

  /* One person in two classes is one trainee. */
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM trainee", NULL), ==, 6);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM enrolment", NULL), ==, 7);

  completion = td_class_completion (f->store, s.k1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (completion->len, ==, 4);
  {
    const double hours[] = { 10, 8, 6, 0 };
    const gboolean done[] = { TRUE, TRUE, FALSE, FALSE };

    for (guint i = 0; i < 4; i++)
      {
        TdCompletion *c = g_ptr_array_index (completion, i);

        g_assert_cmpfloat (c->attended_hours, ==, hours[i]);
        g_assert_cmpint (c->completed, ==, done[i]);
      }
  }

  /* By hand: K1 (unemployed) has participants T1 10 h, T2 8 h, T3 6 h
   * (T4 never came); K2 (enterprise staff) T1 4 h, T5 4 h; K3 is planned. */
  g_assert_true (td_class_figures_year (f->store, 2025, &y, &error));
  g_assert_no_error (error);
  g_assert_cmpint (y.classes, ==, 2);
  g_assert_cmpint (y.enrolled, ==, 6);
  g_assert_cmpint (y.participants, ==, 5);
  g_assert_cmpint (y.completed, ==, 4);
  g_assert_cmpfloat (y.person_hours, ==, 32);
  g_assert_cmpfloat_with_epsilon (y.fte_students, 32.0 / 1200.0, 1e-12);
  g_assert_cmpint (y.by_category[0], ==, 2);
  g_assert_cmpint (y.by_category[1], ==, 0);
  g_assert_cmpint (y.by_category[2], ==, 3);
  g_assert_cmpfloat (y.hours_by_category[0], ==, 8);
  g_assert_cmpfloat (y.hours_by_category[2], ==, 24);
  g_assert_cmpint (y.by_key_group[1], ==, 1);        /* veterans: T5 */
  g_assert_cmpint (y.certificates, ==, 2);
  g_assert_cmpint (y.not_assessed, ==, 2);           /* K2 not assessed yet */
  g_assert_false (y.certificate_rate_known);
  g_assert_true (isnan (y.certificate_rate));
  g_assert_cmpint (y.jobseekers, ==, 3);
  g_assert_cmpint (y.employed, ==, 1);
  g_assert_cmpint (y.not_followed_up, ==, 3);
  g_assert_false (y.employment_rate_known);          /* unknown, not 33.3 % nor 0 */
  g_assert_cmpfloat (y.revenue, ==, 300);
  g_assert_cmpfloat (y.trainer_hours, ==, 14);
  g_assert_cmpuint (y.trainers, ==, 2);

  g_assert_true (td_class_set_assessed (f->store, s.k2, "2025-06-02", &error));
  g_assert_true (td_class_set_followed_up (f->store, s.k1, "2025-09-01", &error));
  g_assert_true (td_class_figures_year (f->store, 2025, &y, &error));
  g_assert_no_error (error);
  g_assert_true (y.certificate_rate_known);
  g_assert_cmpfloat (y.certificate_rate, ==, 40.0);                 /* 2 ÷ 5 */
  g_assert_true (y.employment_rate_known);
  g_assert_cmpfloat_with_epsilon (y.employment_rate, 100.0 / 3.0, 1e-9);  /* 1 ÷ 3 */

  /* The Overview's years: 2025 from classes, 2024 as typed. */
  years = td_figures_by_year (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (years->len, ==, 2);
  g_assert_cmpint (g_array_index (years, TdYearFigures, 0).year, ==, 2025);
  g_assert_true (g_array_index (years, TdYearFigures, 0).from_classes);
  g_assert_cmpint (g_array_index (years, TdYearFigures, 0).participants, ==, 5);
  g_assert_cmpint (g_array_index (years, TdYearFigures, 0).sessions, ==, 2);
  g_assert_cmpfloat (g_array_index (years, TdYearFigures, 0).person_hours, ==, 32);
  g_assert_cmpint (g_array_index (years, TdYearFigures, 1).year, ==, 2024);
  g_assert_false (g_array_index (years, TdYearFigures, 1).from_classes);
  g_assert_cmpint (g_array_index (years, TdYearFigures, 1).participants, ==, 40);

  /* Field 9 over 2023-2025: 2024 typed (40 participants, 800 person-hours)
   * and 2025 from classes (5, 32); 2025's typed 900 are not counted. */
  set = td_figure_set_compute (f->store, 2023, 2025, &error);
  g_assert_no_error (error);
  g_assert_cmpint (set->participants, ==, 45);
  g_assert_cmpfloat (set->person_hours, ==, 832);
  g_assert_cmpint (set->sessions, ==, 4);
  g_assert_cmpint (set->certificates, ==, 12);
  g_assert_cmpint (set->jobseekers, ==, 43);
  g_assert_cmpint (set->employed, ==, 31);
  g_assert_cmpint (set->by_year[0], ==, 0);
  g_assert_cmpint (set->by_year[1], ==, 40);
  g_assert_cmpint (set->by_year[2], ==, 5);
  g_assert_cmpint (set->by_category[0], ==, 2);
  g_assert_cmpint (set->by_category[1], ==, 40);
  g_assert_cmpint (set->by_category[2], ==, 3);

  /* Trainers: A taught 4 + 2 + 4 = 10 h at 3 sessions of K1 and K2, whose
   * participants are 3 + 2 and certificates 2 + 0; B 2 + 2 = 4 h in K1. */
  trainers = td_class_trainer_results (f->store, 2025, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (trainers->len, ==, 2);
  t = g_ptr_array_index (trainers, 0);
  g_assert_cmpstr (t->name, ==, "Trainer A");
  g_assert_cmpfloat (t->hours, ==, 10);
  g_assert_cmpint (t->sessions, ==, 3);
  g_assert_cmpint (t->classes, ==, 2);
  g_assert_cmpint (t->participants, ==, 5);
  g_assert_cmpint (t->certificates, ==, 2);
  t = g_ptr_array_index (trainers, 1);
  g_assert_cmpstr (t->name, ==, "Trainer B");
  g_assert_cmpfloat (t->hours, ==, 4);
  g_assert_cmpint (t->sessions, ==, 2);
  g_assert_cmpint (t->classes, ==, 1);
  g_assert_cmpint (t->participants, ==, 3);

  /* The same as a sheet. */
  {
    g_autofree char *sheet = g_build_filename (g_get_user_data_dir (), "trainers.csv", NULL);
    g_autofree char *csv = NULL;

    g_assert_true (td_class_trainer_sheet_csv (f->store, 2025, sheet, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (sheet, &csv, NULL, NULL));
    g_assert_nonnull (strstr (csv, "Trainer A,2025,10,3,2,5,2"));
    g_assert_nonnull (strstr (csv, "Trainer B,2025,4,2,1,3,2"));
  }

  /* The trainers' hours the Overview lists: from sessions for 2025. */
  {
    g_autoptr(GPtrArray) hours = td_figures_trainer_hours (f->store, 2025, &error);
    g_autoptr(GPtrArray) all = td_figures_trainer_hours (f->store, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (hours->len, ==, 2);
    g_assert_cmpfloat (((TdTrainerHours *)g_ptr_array_index (hours, 0))->hours, ==, 10);
    g_assert_cmpfloat (((TdTrainerHours *)g_ptr_array_index (hours, 1))->hours, ==, 4);
    /* Every year: 2024 typed (B 7 h), 2025 from sessions (A 10 h, B 4 h);
     * 2025's typed 100 h of A are not counted. */
    g_assert_cmpuint (all->len, ==, 2);
    g_assert_cmpstr (((TdTrainerHours *)g_ptr_array_index (all, 0))->name, ==, "Trainer B");
    g_assert_cmpfloat (((TdTrainerHours *)g_ptr_array_index (all, 0))->hours, ==, 11);
    g_assert_cmpfloat (((TdTrainerHours *)g_ptr_array_index (all, 1))->hours, ==, 10);
  }

  {
    int latest = 0;

    exec (f, "DELETE FROM result WHERE year = 2025");
    g_assert_true (td_figures_latest_year (f->store, &latest, &error));
    g_assert_cmpint (latest, ==, 2025);      /* from the classes alone */
    exec (f, "INSERT INTO result (year, category, sessions, participants, hours_per_participant, certificates, "
             "employed) VALUES (2025, 'unemployed', 9, 900, 10, 90, 9)");
  }

  /* A mark changed: T3 came to session 2 after all (6 → 10 h). */
  mark (f, s.s[1], s.e1[2], TD_ATTENDANCE_PRESENT);
  g_assert_true (td_class_figures_year (f->store, 2025, &y, &error));
  g_assert_cmpfloat (y.person_hours, ==, 36);
  g_assert_cmpint (y.completed, ==, 5);
  /* The kept totals agree with the marks, recounted. */
  g_assert_cmpint (totals_out_of_step (f), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM class_totals", NULL), ==, 3);

  /* Written by another tool: session 2 (4 h) deleted, its marks with it.
   * K1: T1 6 h, T2 4 h, T3 6 h, none reaches 8 h; K2 unchanged. */
  exec (f, "DELETE FROM class_session WHERE id = (SELECT id FROM class_session ORDER BY id LIMIT 1 OFFSET 1)");
  g_assert_true (td_class_figures_year (f->store, 2025, &y, &error));
  g_assert_cmpfloat (y.person_hours, ==, 24);
  g_assert_cmpint (y.participants, ==, 5);
  g_assert_cmpint (y.completed, ==, 2);
  g_assert_cmpint (totals_out_of_step (f), ==, 0);
  /* A new rule: 80 % of 7.5 h is 6 h, which T1 and T3 reach. */
  exec (f, "UPDATE class SET planned_hours = 7.5 WHERE name = 'K1'");
  g_assert_true (td_class_figures_year (f->store, 2025, &y, &error));
  g_assert_cmpint (y.completed, ==, 4);
  /* T5 (veterans, in K2) taken off the roster; T1 loses the certificate. */
  exec (f, "DELETE FROM enrolment WHERE id = (SELECT e.id FROM enrolment e JOIN trainee t ON t.id = e.trainee_id "
           "WHERE t.name = 'T5')");
  exec (f, "UPDATE enrolment SET certificate_kind = '', certificate_on = NULL "
           "WHERE certificate_number = 'S2025-001'");
  g_assert_true (td_class_figures_year (f->store, 2025, &y, &error));
  g_assert_no_error (error);
  g_assert_cmpint (y.participants, ==, 4);
  g_assert_cmpint (y.enrolled, ==, 5);
  g_assert_cmpfloat (y.person_hours, ==, 20);
  g_assert_cmpint (y.by_key_group[1], ==, 0);
  g_assert_cmpint (y.certificates, ==, 1);
  g_assert_cmpint (totals_out_of_step (f), ==, 0);
  /* An enrolment does not move to another class. */
  g_assert_cmpint (sqlite3_exec (td_store_get_db (f->store), "UPDATE enrolment SET class_id = class_id + 1",
                                 NULL, NULL, NULL), ==, SQLITE_CONSTRAINT_TRIGGER);
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(School) s = { 0 };
  gint64 audit;
  TdClassInfo bad = { .name = "X", .category = "unemployed", .starts_on = "2025-03-10",
                      .ends_on = "2025-03-01", .planned_hours = 10 };
  TdEnrolInfo legacy = { .name = "Old", .id_number = "370102900307123" };
  const char *e[] = { NULL };
  TdAttendance present = TD_ATTENDANCE_PRESENT;

  make_school (f, &s);
  audit = query_int (f, "SELECT count (*) FROM audit_log", NULL);

  g_assert_false (td_class_insert (f->store, &bad, NULL, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID);
  g_clear_error (&error);
  bad.ends_on = "2025-02-30";
  g_assert_false (td_class_insert (f->store, &bad, NULL, &error));
  g_assert_nonnull (strstr (error->message, "2025-02-30"));
  g_clear_error (&error);

  g_assert_false (td_class_enrol (f->store, s.k1, &legacy, NULL, &error));
  g_assert_error (error, TD_ID_NUMBER_ERROR, TD_ID_NUMBER_ERROR_LEGACY);
  g_clear_error (&error);

  /* T5 is not on K1's roster. */
  e[0] = s.e2[1];
  g_assert_false (td_attendance_record (f->store, s.s[0], e, &present, 1, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (td_enrolment_set_assessment (f->store, s.e1[2], "failed", "skill-level", "", "",
                                               "2025-03-15", &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (td_class_add_session (f->store, s.k1, "2025-03-04", "10:00", "09:00", 1, NULL, NULL, 0,
                                        NULL, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID);
  g_clear_error (&error);

  /* Nothing changed. */
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log", NULL), ==, audit);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM class", NULL), ==, 3);
}

static void
test_conflicts (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autofree char *v = NULL, *w = NULL, *a = NULL, *x = NULL, *y = NULL;
  g_autofree char *sx = NULL, *sy = NULL, *sz = NULL, *sq = NULL;
  guint trainer = 0, venue = 0;
  TdSessionTrainer ta = { NULL, 2 };

  exec (f, "INSERT INTO venue (name, kind, capacity) VALUES ('V', 'classroom', 3), ('W', 'workshop', 0);"
           "INSERT INTO trainer (name, kind) VALUES ('A', 'full-time');");
  v = query_text (f, "SELECT uuid FROM venue WHERE name = 'V'");
  w = query_text (f, "SELECT uuid FROM venue WHERE name = 'W'");
  a = query_text (f, "SELECT uuid FROM trainer");
  ta.trainer_uuid = a;
  x = add_class (f, "X", "unemployed", "2025-05-01", "2025-05-02", 4, 0, "running", v);
  y = add_class (f, "Y", "unemployed", "2025-05-01", "2025-05-02", 4, 0, "running", v);
  g_free (enrol (f, x, "X1", 11, NULL));
  g_free (enrol (f, x, "X2", 12, NULL));
  g_free (enrol (f, y, "Y1", 13, NULL));
  g_free (enrol (f, y, "Y2", 14, NULL));

  /* X 08-10 and Y 09-11 at V (2 + 2 people, 3 seats), both by A; Z 10-12
   * at W by A overlaps Y but only touches X; Q the next day is free. */
  g_assert_true (td_class_add_session (f->store, x, "2025-05-01", "08:00", "10:00", 2, NULL, &ta, 1, &sx, &error));
  g_assert_true (td_class_add_session (f->store, y, "2025-05-01", "09:00", "11:00", 2, NULL, &ta, 1, &sy, &error));
  g_assert_true (td_class_add_session (f->store, x, "2025-05-01", "10:00", "12:00", 2, w, &ta, 1, &sz, &error));
  g_assert_true (td_class_add_session (f->store, y, "2025-05-02", "09:00", "11:00", 2, NULL, &ta, 1, &sq, &error));
  g_assert_no_error (error);

  conflicts = td_class_conflicts (f->store, "2025-01-01", "2025-12-31", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < conflicts->len; i++)
    {
      TdConflict *c = g_ptr_array_index (conflicts, i);

      if (c->kind == TD_CONFLICT_TRAINER_DOUBLE_BOOKED)
        {
          trainer++;
          g_assert_cmpstr (c->name, ==, "A");
          g_assert_true ((g_str_equal (c->session_uuid, sy) && g_str_equal (c->other_session_uuid, sx)) ||
                         (g_str_equal (c->session_uuid, sz) && g_str_equal (c->other_session_uuid, sy)));
        }
      else
        {
          venue++;
          g_assert_cmpstr (c->name, ==, "V");
          g_assert_cmpstr (c->session_uuid, ==, sy);
          g_assert_cmpint (c->people, ==, 4);
          g_assert_cmpint (c->capacity, ==, 3);
        }
    }
  g_assert_cmpuint (trainer, ==, 2);
  g_assert_cmpuint (venue, ==, 1);
}

/* Personal data */

static char *
read_file (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
test_privacy (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(School) s = { 0 };
  g_autofree char *id1 = make_id (1);
  g_autofree char *masked1 = td_id_number_mask (id1);
  g_autofree char *plain = g_build_filename (g_get_user_data_dir (), "masked.csv", NULL);
  g_autofree char *full = g_build_filename (g_get_user_data_dir (), "full.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  TdTraineeHit *hit;
  g_autofree char *t1 = NULL;
  TdEnrolInfo changed = { .name = "T1", .id_number = id1, .phone = "13900000000" };
  TdClassYear before, after;

  make_school (f, &s);

  /* Found by the full number, shown masked. */
  hits = td_trainee_search (f->store, id1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpstr (hit->name, ==, "T1");
  g_assert_cmpstr (hit->id_number_masked, ==, masked1);
  g_assert_cmpstr (hit->phone_masked, ==, "138****0001");
  g_assert_cmpint (hit->enrolments, ==, 2);
  g_assert_cmpstr (hit->birth_date, ==, "1990-01-01");
  t1 = g_strdup (hit->uuid);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = td_trainee_search (f->store, "13800130001", 10, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = td_trainee_search (f->store, "T", 10, &error);
  g_assert_cmpuint (hits->len, ==, 6);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Exported masked unless asked for in full. */
  g_assert_true (td_roster_export (f->store, s.k1, plain, FALSE, &error));
  g_assert_no_error (error);
  text = read_file (plain);
  g_assert_null (strstr (text, id1));
  g_assert_nonnull (strstr (text, masked1));
  g_clear_pointer (&text, g_free);
  g_assert_true (td_roster_export (f->store, s.k1, full, TRUE, &error));
  text = read_file (full);
  g_assert_nonnull (strstr (text, id1));
  g_assert_nonnull (strstr (text, "13800130001"));

  /* A new phone (another class's roster): the audit log says it changed,
   * and never holds a number. */
  g_free (s.k3);
  s.k3 = add_class (f, "K4", "unemployed", "2026-01-05", "2026-01-09", 10, 0, "planned", NULL);
  g_assert_true (td_class_enrol (f->store, s.k3, &changed, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log WHERE field = 'phone' AND new_value = 'changed'",
                              NULL), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log WHERE field = 'id_number' AND new_value = 'set'",
                              NULL), ==, 6);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log WHERE instr (coalesce (old_value, '') || "
                                 "coalesce (new_value, ''), ?) > 0", id1), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log WHERE instr (coalesce (old_value, '') || "
                                 "coalesce (new_value, ''), ?) > 0", "13900000000"), ==, 0);

  /* Removal on request: the counts stay, nothing names T1. */
  g_assert_true (td_class_figures_year (f->store, 2025, &before, &error));
  g_assert_true (td_trainee_remove (f->store, t1, "2026-02-01", &error));
  g_assert_no_error (error);
  g_assert_true (td_class_figures_year (f->store, 2025, &after, &error));
  g_assert_cmpint (after.participants, ==, before.participants);
  g_assert_cmpint (after.participants, ==, 5);
  g_assert_cmpint (after.certificates, ==, 2);
  g_assert_cmpint (after.employed, ==, 1);
  g_assert_cmpfloat (after.person_hours, ==, 32);
  hits = td_trainee_search (f->store, id1, 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = td_trainee_search (f->store, "T1", 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM trainee_identity WHERE id_number = ?", id1), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log WHERE instr (coalesce (old_value, '') || "
                                 "coalesce (new_value, ''), ?) > 0", "\"T1\""), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log WHERE instr (coalesce (old_value, '') || "
                                 "coalesce (new_value, ''), ?) > 0", "Jinan Works"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log WHERE instr (coalesce (old_value, '') || "
                                 "coalesce (new_value, ''), ?) > 0", "S2025-001"), ==, 0);
  /* Others keep theirs. */
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log WHERE instr (new_value, ?) > 0",
                              "\"T2\""), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log WHERE instr (new_value, ?) > 0",
                              "H2025-002"), ==, 1);
}

/* Rosters from files */

static char *
write_gb18030 (const char *name,
               const char *utf8)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *gb = NULL;
  gsize len;
  char *path = g_build_filename (g_get_user_data_dir (), name, NULL);

  gb = g_convert (utf8, -1, "GB18030", "UTF-8", NULL, &len, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, gb, (gssize)len, &error));
  return path;
}

static void
test_roster_import (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *k = NULL, *bad = NULL, *good = NULL, *csv = NULL;
  g_autofree char *id1 = make_id (21), *id2 = make_id (22);
  g_autoptr(GPtrArray) hits = NULL;
  guint n = 0;
  gint64 audit;

  k = add_class (f, "导入班", "key-groups", "2025-09-01", "2025-09-10", 20, 0, "running", NULL);
  audit = query_int (f, "SELECT count (*) FROM audit_log", NULL);

  /* Line 3: a wrong check digit; line 4: a 15-digit number; line 5: the
   * number of line 2 again. */
  csv = g_strdup_printf ("姓名,身份证号,手机,重点人群,就业状态\n"
                         "张三,%s,13800138000,退役军人,失业\n"
                         "李四,370102199003071237,,,\n"
                         "王五,370102900307123,,,\n"
                         "赵六,%s,,,\n", id1, id1);
  bad = write_gb18030 ("bad.csv", csv);
  g_assert_false (td_roster_import (f->store, k, bad, &n, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_IMPORT);
  g_assert_nonnull (strstr (error->message, "3"));
  g_assert_nonnull (strstr (error->message, "370102199003071237"));
  g_assert_nonnull (strstr (error->message, "15"));
  g_assert_null (strstr (error->message, id1));   /* a number already known is masked */
  g_clear_error (&error);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM trainee", NULL), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM enrolment", NULL), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log", NULL), ==, audit);

  g_free (csv);
  csv = g_strdup_printf ("序号,姓名,身份证号码,联系电话,重点人群,工作单位\n"
                         "1,张三,%s,13800138000,退役军人,\n"
                         ",,,,,\n"
                         "2,李四,%s,,高校毕业生,济南某公司\n", id1, id2);
  good = write_gb18030 ("good.csv", csv);
  g_assert_true (td_roster_import (f->store, k, good, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  hits = td_trainee_search (f->store, "张", 10, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((TdTraineeHit *)g_ptr_array_index (hits, 0))->name, ==, "张三");
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM enrolment WHERE key_group = 'veterans'", NULL), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM enrolment WHERE key_group = 'graduates' "
                                 "AND employer = '济南某公司'", NULL), ==, 1);

  /* The same roster as a workbook, into another class. */
  {
    g_autoptr(TdTable) table = td_table_new ();
    g_autofree char *xlsx = g_build_filename (g_get_user_data_dir (), "roster.xlsx", NULL);
    g_autofree char *k2 = add_class (f, "导入二班", "unemployed", "2025-10-01", "2025-10-10", 20, 0, "running", NULL);
    const char *header[] = { "姓名", "身份证号" };
    const char *row1[] = { "张三", id1 };
    const char *row2[] = { "李四", id2 };

    td_table_add_cells (table, 1, header, 2);
    td_table_add_cells (table, 2, row1, 2);
    td_table_add_cells (table, 3, row2, 2);
    g_assert_true (td_xlsx_write (table, xlsx, "花名册", NULL, &error));
    g_assert_no_error (error);
    g_assert_true (td_roster_import (f->store, k2, xlsx, &n, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 2);
    /* The same two people: four enrolments, two trainees. */
    g_assert_cmpint (query_int (f, "SELECT count (*) FROM trainee", NULL), ==, 2);
    g_assert_cmpint (query_int (f, "SELECT count (*) FROM enrolment", NULL), ==, 4);
  }

  /* The same file again: both are on the roster already; nothing changes. */
  g_assert_false (td_roster_import (f->store, k, good, &n, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_IMPORT);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM enrolment", NULL), ==, 4);
}

/* Editing: td-class-edit.c */

/* Rows of the audit log holding @text in clear. */
static gint64
audit_holding (Fixture    *f,
               const char *text)
{
  return query_int (f,
                    "SELECT count (*) FROM audit_log WHERE instr (coalesce (CAST (old_value AS TEXT), ''), ?1) > 0 "
                    "   OR instr (coalesce (CAST (new_value AS TEXT), ''), ?1) > 0",
                    text);
}

static void
assert_no_identity_in_audit (Fixture *f)
{
  for (int person = 1; person <= 6; person++)
    {
      g_autofree char *id = make_id (person);
      g_autofree char *phone = g_strdup_printf ("1380013%04d", person);

      g_assert_cmpint (audit_holding (f, id), ==, 0);
      g_assert_cmpint (audit_holding (f, phone), ==, 0);
    }
}

static void
test_edit_class (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(School) s = { 0 };
  g_autoptr(TdClassRecord) r = NULL;
  TdClassInfo info;
  gint64 audit;

  make_school (f, &s);
  r = td_class_read (f->store, s.k1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->uuid, ==, s.k1);
  g_assert_cmpstr (r->info.name, ==, "K1");
  g_assert_cmpstr (r->info.category, ==, "unemployed");
  g_assert_cmpstr (r->info.venue_uuid, ==, s.venue);
  g_assert_cmpstr (r->info.programme_uuid, ==, "");
  g_assert_cmpstr (r->info.starts_on, ==, "2025-03-01");
  g_assert_cmpfloat (r->info.planned_hours, ==, 10);
  g_assert_cmpfloat (r->info.completion_percent, ==, 80);
  g_assert_cmpint (r->info.capacity, ==, 30);
  g_assert_cmpfloat (r->info.fee, ==, 100);
  g_assert_cmpint (query_int (f, "SELECT completed FROM class_totals JOIN class ON class.id = class_id "
                                 "WHERE uuid = ?", s.k1), ==, 2);

  /* Twice the hours: T1's 10 h are not 80 % of 20 any more. */
  info = r->info;
  info.name = "  K1 第二期 ";
  info.planned_hours = 20;
  info.status = "running";
  audit = query_int (f, "SELECT count (*) FROM audit_log", NULL);
  g_assert_true (td_class_update (f->store, s.k1, &info, &error));
  g_assert_no_error (error);
  g_clear_pointer (&r, td_class_record_free);
  r = td_class_read (f->store, s.k1, &error);
  g_assert_cmpstr (r->info.name, ==, "K1 第二期");
  g_assert_cmpfloat (r->info.planned_hours, ==, 20);
  g_assert_cmpstr (r->info.status, ==, "running");
  g_assert_cmpint (query_int (f, "SELECT completed FROM class_totals JOIN class ON class.id = class_id "
                                 "WHERE uuid = ?", s.k1), ==, 0);
  g_assert_cmpint (totals_out_of_step (f), ==, 0);
  /* Logged field by field: name, planned hours, status. */
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log WHERE table_name = 'class' AND row_uuid = ? "
                                 "AND action = 'update' AND field IN ('name', 'planned_hours', 'status')", s.k1), ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log", NULL), >, audit);

  /* Refused: nothing written. */
  audit = query_int (f, "SELECT count (*) FROM audit_log", NULL);
  info = r->info;
  info.ends_on = "2025-02-01";
  g_assert_false (td_class_update (f->store, s.k1, &info, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2025-02-01"));
  g_clear_error (&error);
  info = r->info;
  info.name = " ";
  g_assert_false (td_class_update (f->store, s.k1, &info, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID);
  g_clear_error (&error);
  info = r->info;
  info.venue_uuid = "no-such-venue";
  g_assert_false (td_class_update (f->store, s.k1, &info, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (td_class_update (f->store, "no-such-class", &r->info, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (td_class_read (f->store, "no-such-class", &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log", NULL), ==, audit);
  assert_no_identity_in_audit (f);
}

static void
test_edit_sessions (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(School) s = { 0 };
  g_autoptr(TdClassSessionRecord) r = NULL;
  g_autoptr(TdClassSessionRecord) deleted = NULL;
  g_autoptr(GPtrArray) trainers = NULL;
  g_autoptr(GPtrArray) choices = NULL;
  g_autofree char *added = NULL;
  TdSessionTrainer both[] = { { NULL, 1 }, { NULL, 2 } };
  TdClassSessionInfo info = { "2025-03-03", "13:00", "16:00", 3, NULL, both, 2 };
  gint64 audit;

  make_school (f, &s);
  both[0].trainer_uuid = s.trainer_a;
  both[1].trainer_uuid = s.trainer_b;

  r = td_class_session_read (f->store, s.s[1], &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->class_uuid, ==, s.k1);
  g_assert_cmpstr (r->held_on, ==, "2025-03-02");
  g_assert_cmpfloat (r->hours, ==, 4);
  g_assert_cmpstr (r->venue_uuid, ==, s.venue);
  g_assert_cmpuint (r->trainers->len, ==, 2);
  g_assert_cmpstr (((TdSessionTrainerHours *)g_ptr_array_index (r->trainers, 0))->name, ==, "Trainer A");
  g_assert_cmpfloat (((TdSessionTrainerHours *)g_ptr_array_index (r->trainers, 0))->hours, ==, 2);
  g_assert_null (r->marks);
  choices = td_class_trainer_choices (f->store, &error);
  g_assert_cmpuint (choices->len, ==, 2);
  g_assert_cmpstr (((TdTrainerChoice *)g_ptr_array_index (choices, 1))->name, ==, "Trainer B");

  /* The third session (2 h, Trainer B) becomes an afternoon of 3 h
   * taught by both: T1 and T3, present, attend an hour more. */
  g_assert_true (td_class_session_update (f->store, s.s[2], &info, &error));
  g_assert_no_error (error);
  trainers = td_class_session_trainers (f->store, s.s[2], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (trainers->len, ==, 2);
  g_assert_cmpstr (((TdSessionTrainerHours *)g_ptr_array_index (trainers, 0))->trainer_uuid, ==, s.trainer_a);
  g_assert_cmpfloat (((TdSessionTrainerHours *)g_ptr_array_index (trainers, 0))->hours, ==, 1);
  g_assert_cmpfloat (((TdSessionTrainerHours *)g_ptr_array_index (trainers, 1))->hours, ==, 2);
  g_assert_cmpfloat (query_int (f, "SELECT h.attended FROM enrolment_hours h JOIN enrolment e "
                                   "ON e.id = h.enrolment_id WHERE e.uuid = ?", s.e1[0]), ==, 11);
  g_assert_cmpint (totals_out_of_step (f), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log WHERE table_name = 'class_session' "
                                 "AND row_uuid = ? AND field = 'hours' AND new_value = 3", s.s[2]), ==, 1);
  /* Trainer B alone again: A's row goes. */
  info.n_trainers = 1;
  both[0] = (TdSessionTrainer) { s.trainer_b, 3 };
  g_assert_true (td_class_session_update (f->store, s.s[2], &info, &error));
  g_clear_pointer (&trainers, g_ptr_array_unref);
  trainers = td_class_session_trainers (f->store, s.s[2], &error);
  g_assert_cmpuint (trainers->len, ==, 1);
  g_assert_cmpstr (((TdSessionTrainerHours *)g_ptr_array_index (trainers, 0))->name, ==, "Trainer B");
  g_assert_cmpfloat (((TdSessionTrainerHours *)g_ptr_array_index (trainers, 0))->hours, ==, 3);

  /* Refusals, nothing written. */
  audit = query_int (f, "SELECT count (*) FROM audit_log", NULL);
  both[0].hours = 5;
  g_assert_false (td_class_session_update (f->store, s.s[2], &info, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID);
  g_clear_error (&error);
  both[0].hours = 3;
  info.ends_at = "12:00";
  g_assert_false (td_class_session_update (f->store, s.s[2], &info, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID);
  g_clear_error (&error);
  info.ends_at = "16:00";
  g_assert_false (td_class_session_update (f->store, "no-such-session", &info, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_NOT_FOUND);
  g_clear_error (&error);
  both[0].trainer_uuid = "no-such-trainer";
  g_assert_false (td_class_session_update (f->store, s.s[2], &info, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_NOT_FOUND);
  g_clear_error (&error);
  both[0].trainer_uuid = s.trainer_b;
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log", NULL), ==, audit);

  /* A new one through the struct. */
  info.held_on = "2025-03-04";
  g_assert_true (td_class_session_add (f->store, s.k1, &info, &added, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM class_session WHERE class_id = "
                                 "(SELECT id FROM class WHERE uuid = ?)", s.k1), ==, 4);

  /* Deleted with its marks and trainers, then put back whole. */
  g_assert_true (td_class_session_delete (f->store, s.s[0], &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (deleted->uuid, ==, s.s[0]);
  g_assert_cmpuint (deleted->marks->len, ==, 4);
  g_assert_cmpuint (deleted->trainers->len, ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM class_session WHERE uuid = ?", s.s[0]), ==, 0);
  g_assert_cmpfloat (query_int (f, "SELECT h.attended FROM enrolment_hours h JOIN enrolment e "
                                   "ON e.id = h.enrolment_id WHERE e.uuid = ?", s.e1[0]), ==, 7);
  g_assert_cmpint (totals_out_of_step (f), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log WHERE table_name = 'class_session' "
                                 "AND row_uuid = ? AND action = 'delete'", s.s[0]), ==, 1);
  g_assert_false (td_class_session_delete (f->store, s.s[0], NULL, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (td_class_session_restore (f->store, deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM attendance a JOIN class_session s ON s.id = a.session_id "
                                 "WHERE s.uuid = ?", s.s[0]), ==, 4);
  g_assert_cmpfloat (query_int (f, "SELECT h.attended FROM enrolment_hours h JOIN enrolment e "
                                   "ON e.id = h.enrolment_id WHERE e.uuid = ?", s.e1[0]), ==, 11);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM session_trainer st JOIN class_session s "
                                 "ON s.id = st.session_id WHERE s.uuid = ?", s.s[0]), ==, 1);
  g_assert_cmpint (totals_out_of_step (f), ==, 0);
  assert_no_identity_in_audit (f);
}

static void
test_edit_outcome (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(School) s = { 0 };
  g_autoptr(TdEnrolmentRecord) r = NULL;
  g_autofree char *id2 = make_id (2);
  g_autofree char *masked2 = td_id_number_mask (id2);
  TdEnrolmentOutcome o = {
    .result = "passed", .certificate_kind = "special-ability", .certificate_level = " 初级 ",
    .certificate_number = "Z-2025-9", .certificate_on = "2025-03-20", .employed_on = "2025-04-02",
    .employed_by = "济南某公司",
  };
  gint64 audit, certificates;

  make_school (f, &s);
  r = td_enrolment_read (f->store, s.e1[1], &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->name, ==, "T2");
  g_assert_cmpstr (r->class_uuid, ==, s.k1);
  g_assert_cmpstr (r->id_number_masked, ==, masked2);
  g_assert_cmpstr (r->phone_masked, ==, "138****0002");
  g_assert_cmpfloat (r->attended_hours, ==, 8);
  g_assert_true (r->completed);
  g_assert_cmpstr (r->outcome.result, ==, "passed");
  g_assert_cmpstr (r->outcome.certificate_kind, ==, "training-completion");
  g_assert_cmpstr (r->outcome.certificate_number, ==, "H2025-002");
  g_assert_null (r->outcome.employed_on);

  /* T3 (6 h, a participant, failed) passes on a second try. */
  certificates = query_int (f, "SELECT certificates FROM class_totals JOIN class ON class.id = class_id "
                               "WHERE uuid = ?", s.k1);
  g_assert_true (td_enrolment_set_outcome (f->store, s.e1[2], &o, &error));
  g_assert_no_error (error);
  g_clear_pointer (&r, td_enrolment_record_free);
  r = td_enrolment_read (f->store, s.e1[2], &error);
  g_assert_cmpstr (r->outcome.result, ==, "passed");
  g_assert_cmpstr (r->outcome.certificate_kind, ==, "special-ability");
  g_assert_cmpstr (r->outcome.certificate_level, ==, "初级");
  g_assert_cmpstr (r->outcome.certificate_number, ==, "Z-2025-9");
  g_assert_cmpstr (r->outcome.certificate_on, ==, "2025-03-20");
  g_assert_cmpstr (r->outcome.employed_on, ==, "2025-04-02");
  g_assert_cmpstr (r->outcome.employed_by, ==, "济南某公司");
  g_assert_false (r->outcome.self_employed);
  g_assert_cmpint (query_int (f, "SELECT certificates FROM class_totals JOIN class ON class.id = class_id "
                                 "WHERE uuid = ?", s.k1), ==, certificates + 1);
  g_assert_cmpint (totals_out_of_step (f), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log WHERE table_name = 'enrolment' "
                                 "AND row_uuid = ? AND field = 'certificate_kind'", s.e1[2]), ==, 1);

  /* Self-employed, no certificate. */
  o = (TdEnrolmentOutcome) { .result = "failed", .employed_on = "2025-05-01", .self_employed = TRUE };
  g_assert_true (td_enrolment_set_outcome (f->store, s.e1[2], &o, &error));
  g_assert_no_error (error);
  g_clear_pointer (&r, td_enrolment_record_free);
  r = td_enrolment_read (f->store, s.e1[2], &error);
  g_assert_cmpstr (r->outcome.certificate_kind, ==, "");
  g_assert_null (r->outcome.certificate_on);
  g_assert_true (r->outcome.self_employed);
  g_assert_cmpstr (r->outcome.employed_by, ==, "");
  g_assert_cmpint (totals_out_of_step (f), ==, 0);

  /* Refusals, each naming what is wrong; nothing written. */
  audit = query_int (f, "SELECT count (*) FROM audit_log", NULL);
  o = (TdEnrolmentOutcome) { .result = "failed", .certificate_kind = "skill-level", .certificate_on = "2025-03-20" };
  g_assert_false (td_enrolment_set_outcome (f->store, s.e1[2], &o, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID);
  g_clear_error (&error);
  o = (TdEnrolmentOutcome) { .result = "passed", .certificate_kind = "skill-level", .certificate_on = "2025-13-01" };
  g_assert_false (td_enrolment_set_outcome (f->store, s.e1[2], &o, &error));
  g_assert_nonnull (strstr (error->message, "2025-13-01"));
  g_clear_error (&error);
  o = (TdEnrolmentOutcome) { .result = "passed", .certificate_kind = "diploma", .certificate_on = "2025-03-01" };
  g_assert_false (td_enrolment_set_outcome (f->store, s.e1[2], &o, &error));
  g_assert_nonnull (strstr (error->message, "diploma"));
  g_clear_error (&error);
  o = (TdEnrolmentOutcome) { .result = "passed", .certificate_number = "N-1" };
  g_assert_false (td_enrolment_set_outcome (f->store, s.e1[2], &o, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID);
  g_clear_error (&error);
  o = (TdEnrolmentOutcome) { .result = "passed", .employed_by = "Somewhere" };
  g_assert_false (td_enrolment_set_outcome (f->store, s.e1[2], &o, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID);
  g_clear_error (&error);
  o = (TdEnrolmentOutcome) { .result = "passed", .employed_on = "2025-05-01", .employed_by = "X", .self_employed = TRUE };
  g_assert_false (td_enrolment_set_outcome (f->store, s.e1[2], &o, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID);
  g_clear_error (&error);
  /* Each refusal names the part to correct, for the dialog to mark. */
  {
    const struct { TdEnrolmentOutcome o; TdOutcomeField field; } refused[] = {
      { { .result = "maybe" }, TD_OUTCOME_FIELD_RESULT },
      { { .result = "failed", .certificate_kind = "skill-level", .certificate_on = "2025-03-20" }, TD_OUTCOME_FIELD_RESULT },
      { { .result = "passed", .certificate_kind = "diploma" }, TD_OUTCOME_FIELD_CERTIFICATE_KIND },
      { { .result = "passed", .certificate_number = "N-1" }, TD_OUTCOME_FIELD_CERTIFICATE_KIND },
      { { .result = "passed", .certificate_kind = "skill-level" }, TD_OUTCOME_FIELD_CERTIFICATE_ON },
      { { .result = "passed", .employed_on = "2025-02-30" }, TD_OUTCOME_FIELD_EMPLOYED_ON },
      { { .result = "passed", .employed_by = "Somewhere" }, TD_OUTCOME_FIELD_EMPLOYED_ON },
      { { .result = "passed", .employed_on = "2025-05-01", .employed_by = "X", .self_employed = TRUE },
        TD_OUTCOME_FIELD_EMPLOYED_BY },
    };
    TdOutcomeField field = TD_OUTCOME_FIELD_NONE;

    for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_assert_false (td_enrolment_check_outcome (&refused[i].o, &field, &error));
        g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID);
        g_assert_cmpint (field, ==, refused[i].field);
        g_clear_error (&error);
      }
    o = (TdEnrolmentOutcome) { .result = "passed", .certificate_kind = "skill-level", .certificate_on = "2025-03-20" };
    g_assert_true (td_enrolment_check_outcome (&o, &field, &error));
    g_assert_no_error (error);
    g_assert_cmpint (field, ==, TD_OUTCOME_FIELD_NONE);
  }
  o = (TdEnrolmentOutcome) { .result = "passed" };
  g_assert_false (td_enrolment_set_outcome (f->store, "no-such-enrolment", &o, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (td_enrolment_read (f->store, "no-such-enrolment", &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log", NULL), ==, audit);
  assert_no_identity_in_audit (f);
}

static gint64
mark_of (Fixture    *f,
         const char *session,
         const char *enrolment)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce ((SELECT a.status FROM attendance a "
                                          "JOIN class_session s ON s.id = a.session_id "
                                          "JOIN enrolment e ON e.id = a.enrolment_id "
                                          "WHERE s.uuid = '%s' AND e.uuid = ?), -1)", session);

  return query_int (f, sql, enrolment);
}

static void
test_attendance_import (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(School) s = { 0 };
  g_autofree char *id1 = make_id (1), *id3 = make_id (3), *id4 = make_id (4), *id5 = make_id (5);
  g_autofree char *masked5 = td_id_number_mask (id5);
  g_autofree char *csv = NULL, *bad = NULL, *good = NULL;
  gint64 audit, marks;
  guint n = 0;

  make_school (f, &s);
  audit = query_int (f, "SELECT count (*) FROM audit_log", NULL);
  marks = query_int (f, "SELECT count (*) FROM attendance", NULL);

  /* Line 2: T5 is K2's; line 3: “?” is no mark; line 4: T3 twice; and a
   * column for a day K1 did not meet. */
  csv = g_strdup_printf ("身份证号,姓名,2025-03-01 08:00,2025-03-02,2025-03-09\n"
                         "%s,T5,出,出,\n"
                         "%s,T4,?,缺,\n"
                         "%s,T3,出,出,\n"
                         "%s,T3,出,出,\n", id5, id4, id3, id3);
  bad = write_gb18030 ("attendance-bad.csv", csv);
  g_assert_false (td_attendance_import (f->store, s.k1, bad, &n, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_IMPORT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "2025-03-09"));
  g_assert_nonnull (strstr (error->message, masked5));
  g_assert_null (strstr (error->message, id5));
  g_assert_nonnull (strstr (error->message, "“?”"));
  g_assert_nonnull (strstr (error->message, "5"));
  g_clear_error (&error);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log", NULL), ==, audit);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM attendance", NULL), ==, marks);
  g_assert_cmpint (mark_of (f, s.s[0], s.e1[3]), ==, TD_ATTENDANCE_ABSENT);

  /* T4 came after all, T3 was excused on the 3rd, T1 (by name, lower-case
   * letters) unchanged where blank. */
  g_free (csv);
  csv = g_strdup_printf ("序号,身份证号,2025-03-01 08:00,2025-03-02,2025-03-03\n"
                         "1,%s,出,P,假\n"
                         "2,%s,√,出勤,\n"
                         "3,%s,,,e\n", id4, id1, id3);
  good = write_gb18030 ("attendance.csv", csv);
  g_assert_true (td_attendance_import (f->store, s.k1, good, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpint (mark_of (f, s.s[0], s.e1[3]), ==, TD_ATTENDANCE_PRESENT);
  g_assert_cmpint (mark_of (f, s.s[1], s.e1[3]), ==, TD_ATTENDANCE_PRESENT);
  g_assert_cmpint (mark_of (f, s.s[2], s.e1[3]), ==, TD_ATTENDANCE_EXCUSED);
  g_assert_cmpint (mark_of (f, s.s[2], s.e1[2]), ==, TD_ATTENDANCE_EXCUSED);
  g_assert_cmpint (mark_of (f, s.s[2], s.e1[0]), ==, TD_ATTENDANCE_PRESENT);
  g_assert_cmpint (totals_out_of_step (f), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT completed FROM class_totals JOIN class ON class.id = class_id "
                                 "WHERE uuid = ?", s.k1), ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count (*) FROM audit_log WHERE table_name = 'class' AND row_uuid = ? "
                                 "AND field = 'attendance' AND json_extract (new_value, '$.imported') = 6", s.k1), ==, 1);
  assert_no_identity_in_audit (f);

  /* A workbook by name; a day K1 met once needs no time. */
  {
    g_autoptr(TdTable) table = td_table_new ();
    g_autofree char *xlsx = g_build_filename (g_get_user_data_dir (), "attendance.xlsx", NULL);
    const char *header[] = { "姓名", "2025-03-03" };
    const char *row1[] = { "T2", "出" };

    td_table_add_cells (table, 1, header, 2);
    td_table_add_cells (table, 2, row1, 2);
    g_assert_true (td_xlsx_write (table, xlsx, "考勤", NULL, &error));
    g_assert_no_error (error);
    g_assert_true (td_attendance_import (f->store, s.k1, xlsx, &n, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 1);
    g_assert_cmpint (mark_of (f, s.s[2], s.e1[1]), ==, TD_ATTENDANCE_PRESENT);
    g_assert_cmpint (totals_out_of_step (f), ==, 0);
  }

  /* No column naming a trainee: refused. */
  g_free (csv);
  g_free (bad);
  csv = g_strdup ("手机,2025-03-01\n13800000000,出\n");
  bad = write_gb18030 ("attendance-no-id.csv", csv);
  g_assert_false (td_attendance_import (f->store, s.k1, bad, &n, &error));
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_IMPORT);
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/classes/id-numbers", test_id_numbers);
  g_test_add_func ("/classes/completion-rule", test_completion_rule);
  g_test_add ("/classes/school-results", Fixture, NULL, fixture_set_up, test_school_results, fixture_tear_down);
  g_test_add ("/classes/bad-input", Fixture, NULL, fixture_set_up, test_bad_input, fixture_tear_down);
  g_test_add ("/classes/conflicts", Fixture, NULL, fixture_set_up, test_conflicts, fixture_tear_down);
  g_test_add ("/classes/privacy", Fixture, NULL, fixture_set_up, test_privacy, fixture_tear_down);
  g_test_add ("/classes/roster-import", Fixture, NULL, fixture_set_up, test_roster_import, fixture_tear_down);
  g_test_add ("/classes/edit-class", Fixture, NULL, fixture_set_up, test_edit_class, fixture_tear_down);
  g_test_add ("/classes/edit-sessions", Fixture, NULL, fixture_set_up, test_edit_sessions, fixture_tear_down);
  g_test_add ("/classes/edit-outcome", Fixture, NULL, fixture_set_up, test_edit_outcome, fixture_tear_down);
  g_test_add ("/classes/attendance-import", Fixture, NULL, fixture_set_up, test_attendance_import, fixture_tear_down);

  return g_test_run ();
}
