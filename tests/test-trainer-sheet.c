/* test-trainer-sheet.c: a trainer's year as a printable sheet (issue 15)
 *
 * A school of three classes whose hours, trainees, completions and
 * certificates are counted here by hand; the sheet is read back from its
 * PDF with pdftotext, as a person's PDF reader sees it. With
 * TD_TEST_OUTPUT_DIR set, the PDFs are kept there, to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "td-class-figures.h"
#include "td-classes.h"
#include "td-id-number.h"
#include "td-store-private.h"
#include "td-trainer-sheet.h"

typedef struct
{
  char    *path;
  TdStore *store;
  char    *wang;      /* teaches K0 (2024), K1 and K2 (2025) */
  char    *li;        /* teaches one session of K1, and the 70 of K3 */
  char    *zhao;      /* teaches nothing */
} Fixture;

static void
exec (Fixture    *f,
      const char *sql)
{
  g_assert_cmpint (sqlite3_exec (td_store_get_db (f->store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

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

static char *
add_class (Fixture    *f,
           const char *name,
           const char *starts,
           const char *ends,
           double      hours)
{
  g_autoptr(GError) error = NULL;
  TdClassInfo info = {
    .name = name, .category = "unemployed", .starts_on = starts, .ends_on = ends, .planned_hours = hours,
    .status = "finished", .capacity = 30,
  };
  char *uuid = NULL;

  g_assert_true (td_class_insert (f->store, &info, &uuid, &error));
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

static char *
enrol (Fixture    *f,
       const char *class_uuid,
       const char *name,
       int         person)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = g_strdup_printf ("37010219900101%03d", person);
  g_autofree char *id = g_strdup_printf ("%s%c", first, td_id_number_check_digit (first));
  TdEnrolInfo info = { .name = name, .id_number = id, .employment = "unemployed" };
  char *uuid = NULL;

  g_assert_true (td_class_enrol (f->store, class_uuid, &info, &uuid, &error));
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

/* By hand, for 王老师 in 2025:
 *   K1 数控车工培训班, planned 12 h: sessions of 3 h (王 3), 4 h (王 2, 李 2),
 *      5 h (王 5): 王 10 h over 3 sessions. Trainees: 甲 present at all
 *      (12 h, completes, certificate), 乙 at the first two (7 h < 80 % of
 *      12: does not complete), 丙 at none (not a participant): 2 trainees,
 *      1 completed, 1 certificate.
 *   K2 电工培训班, planned 6 h: one session of 6 h (王 6); 丁 and 戊 present:
 *      2 trainees, 2 completed, no certificate.
 *   K0 (2024): a session of 4 h, not counted in 2025.
 * Totals: 2 classes, 4 sessions, 16 h, 4 trainees, 3 completed, 1 certificate. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *k0 = NULL, *k1 = NULL, *k2 = NULL, *k3 = NULL;
  g_autofree char *s0 = NULL, *s1 = NULL, *s2 = NULL, *s3 = NULL, *s4 = NULL;
  g_autofree char *jia = NULL, *yi = NULL, *bing = NULL, *ding = NULL, *wu = NULL;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  f->path = g_build_filename (g_get_user_data_dir (), "trainer-sheet.db", NULL);
  g_unlink (f->path);
  f->store = td_store_open (f->path, &error);
  g_assert_no_error (error);

  exec (f, "UPDATE school SET name = '济南市示范职业学校' WHERE id = 1");
  exec (f, "INSERT INTO trainer (name, kind) VALUES ('王老师', 'full-time'), ('李老师', 'part-time'), "
           "('赵老师', 'full-time')");
  f->wang = query_text (f, "SELECT uuid FROM trainer WHERE name = '王老师'");
  f->li = query_text (f, "SELECT uuid FROM trainer WHERE name = '李老师'");
  f->zhao = query_text (f, "SELECT uuid FROM trainer WHERE name = '赵老师'");

  k0 = add_class (f, "往年班", "2024-12-20", "2024-12-20", 4);
  s0 = add_session (f, k0, "2024-12-20", "08:30", "12:30", 4, f->wang, 4, NULL, 0);

  k1 = add_class (f, "数控车工培训班", "2025-03-03", "2025-03-05", 12);
  s1 = add_session (f, k1, "2025-03-03", "08:30", "11:30", 3, f->wang, 3, NULL, 0);
  s2 = add_session (f, k1, "2025-03-04", "08:30", "12:30", 4, f->wang, 2, f->li, 2);
  s3 = add_session (f, k1, "2025-03-05", "14:00", "19:00", 5, f->wang, 5, NULL, 0);
  jia = enrol (f, k1, "甲", 1);
  yi = enrol (f, k1, "乙", 2);
  bing = enrol (f, k1, "丙", 3);
  mark (f, s1, jia, TD_ATTENDANCE_PRESENT);
  mark (f, s2, jia, TD_ATTENDANCE_PRESENT);
  mark (f, s3, jia, TD_ATTENDANCE_PRESENT);
  mark (f, s1, yi, TD_ATTENDANCE_PRESENT);
  mark (f, s2, yi, TD_ATTENDANCE_PRESENT);
  mark (f, s3, yi, TD_ATTENDANCE_ABSENT);
  mark (f, s1, bing, TD_ATTENDANCE_ABSENT);
  g_assert_true (td_enrolment_set_assessment (f->store, jia, "passed", "skill-level", "四级", "S2025001",
                                              "2025-03-06", &error));
  g_assert_no_error (error);

  k2 = add_class (f, "电工培训班", "2025-06-10", "2025-06-10", 6);
  s4 = add_session (f, k2, "2025-06-10", "08:00", "14:00", 6, f->wang, 6, NULL, 0);
  ding = enrol (f, k2, "丁", 4);
  wu = enrol (f, k2, "戊", 5);
  mark (f, s4, ding, TD_ATTENDANCE_PRESENT);
  mark (f, s4, wu, TD_ATTENDANCE_PRESENT);

  /* 李老师: 70 sessions of K3, more than two pages hold. */
  k3 = add_class (f, "电子商务培训班", "2025-09-01", "2025-11-30", 140);
  for (int i = 0; i < 70; i++)
    {
      g_autofree char *day = g_strdup_printf ("2025-%02d-%02d", 9 + i / 28, 1 + i % 28);
      g_autofree char *s = add_session (f, k3, day, "14:00", "16:00", 2, f->li, 2, NULL, 0);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  g_unlink (f->path);
  g_free (f->path);
  g_free (f->wang);
  g_free (f->li);
  g_free (f->zhao);
}

static char *
pdf_path (const char *name)
{
  const char *dir = g_getenv ("TD_TEST_OUTPUT_DIR");

  return g_build_filename (dir ? dir : g_get_user_data_dir (), name, NULL);
}

/* pdftotext -layout, its runs of spaces made one. */
static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) spaces = g_regex_new ("[ \t]+", 0, 0, NULL);
  g_autofree char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_regex_replace_literal (spaces, out, -1, 0, " ", 0, NULL);
}

static gboolean
have_poppler (void)
{
  g_autofree char *path = g_find_program_in_path ("pdftotext");

  if (path == NULL)
    {
      g_test_skip ("poppler-utils (pdftotext) is not installed");
      return FALSE;
    }
  return TRUE;
}

static void
test_read (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTrainerSheet) sheet = td_trainer_sheet_read (f->store, f->wang, 2025, &error);
  g_autoptr(GPtrArray) results = NULL;
  const TdTrainerSheetClass *k1, *k2;
  TdTrainerYear *wang = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (sheet->school, ==, "济南市示范职业学校");
  g_assert_cmpstr (sheet->trainer, ==, "王老师");
  g_assert_cmpuint (sheet->classes->len, ==, 2);
  g_assert_cmpuint (sheet->sessions->len, ==, 4);
  k1 = g_ptr_array_index (sheet->classes, 0);
  k2 = g_ptr_array_index (sheet->classes, 1);
  g_assert_cmpstr (k1->name, ==, "数控车工培训班");
  g_assert_cmpint (k1->sessions, ==, 3);
  g_assert_cmpfloat (k1->hours, ==, 10);
  g_assert_cmpint (k1->participants, ==, 2);
  g_assert_cmpint (k1->completed, ==, 1);
  g_assert_cmpint (k1->certificates, ==, 1);
  g_assert_cmpstr (k2->name, ==, "电工培训班");
  g_assert_cmpfloat (k2->hours, ==, 6);
  g_assert_cmpint (k2->participants, ==, 2);
  g_assert_cmpint (k2->completed, ==, 2);
  g_assert_cmpint (k2->certificates, ==, 0);
  g_assert_cmpfloat (sheet->hours, ==, 16);
  g_assert_cmpint (sheet->participants, ==, 4);
  g_assert_cmpint (sheet->completed, ==, 3);
  g_assert_cmpint (sheet->certificates, ==, 1);

  /* The same totals as the trainers' results (the CSV, the Overview). */
  results = td_class_trainer_results (f->store, 2025, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < results->len; i++)
    if (g_str_equal (((TdTrainerYear *)g_ptr_array_index (results, i))->trainer_uuid, f->wang))
      wang = g_ptr_array_index (results, i);
  g_assert_nonnull (wang);
  g_assert_cmpfloat (wang->hours, ==, sheet->hours);
  g_assert_cmpint (wang->sessions, ==, sheet->sessions->len);
  g_assert_cmpint (wang->classes, ==, sheet->classes->len);
  g_assert_cmpint (wang->participants, ==, sheet->participants);
  g_assert_cmpint (wang->certificates, ==, sheet->certificates);

  /* 2024: K0 alone. */
  g_clear_pointer (&sheet, td_trainer_sheet_free);
  sheet = td_trainer_sheet_read (f->store, f->wang, 2024, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sheet->sessions->len, ==, 1);
  g_assert_cmpfloat (sheet->hours, ==, 4);

  /* A trainer deleted meanwhile. */
  g_clear_pointer (&sheet, td_trainer_sheet_free);
  sheet = td_trainer_sheet_read (f->store, "0190a8f0-0000-7000-8000-000000000000", 2025, &error);
  g_assert_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_NOT_FOUND);
  g_assert_null (sheet);
}

static void
test_pdf (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTrainerSheet) sheet = NULL;
  g_autofree char *path = pdf_path ("trainer-sheet-wang.pdf");
  g_autofree char *text = NULL;

  if (!have_poppler ())
    return;
  sheet = td_trainer_sheet_read (f->store, f->wang, 2025, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (td_trainer_sheet_count_pages (sheet), ==, 1);
  g_assert_true (td_trainer_sheet_save_pdf (sheet, path, &error));
  g_assert_no_error (error);
  text = pdf_text (path);

  g_assert_nonnull (strstr (text, "Trainer’s Hours and Results, 2025"));
  g_assert_nonnull (strstr (text, "School: 济南市示范职业学校"));
  g_assert_nonnull (strstr (text, "Trainer: 王老师"));
  g_assert_nonnull (strstr (text, "Year: 2025"));
  /* Class, dates, sessions, hours, trainees, completed, certificates. */
  g_assert_nonnull (strstr (text, "数控车工培训班 2025-03-03–2025-03-05 3 10 2 1 1"));
  g_assert_nonnull (strstr (text, "电工培训班 2025-06-10–2025-06-10 1 6 2 2 0"));
  g_assert_nonnull (strstr (text, "Total: 2 classes 4 16 4 3 1"));
  /* Each session, with the hours 王 taught at it (2 of the 4 h session). */
  g_assert_nonnull (strstr (text, "2025-03-03 08:30–11:30 数控车工培训班 3"));
  g_assert_nonnull (strstr (text, "2025-03-04 08:30–12:30 数控车工培训班 2"));
  g_assert_nonnull (strstr (text, "2025-03-05 14:00–19:00 数控车工培训班 5"));
  g_assert_nonnull (strstr (text, "2025-06-10 08:00–14:00 电工培训班 6"));
  g_assert_nonnull (strstr (text, "Total: 4 sessions 16"));
  g_assert_null (strstr (text, "往年班"));
  g_assert_nonnull (strstr (text, "Trainer’s signature:"));
  g_assert_nonnull (strstr (text, "Head of the training office:"));
  g_assert_nonnull (strstr (text, "Page 1 of 1"));
  if (g_getenv ("TD_TEST_OUTPUT_DIR") == NULL)
    g_unlink (path);
}

static void
test_pages (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTrainerSheet) sheet = NULL;
  g_autofree char *path = pdf_path ("trainer-sheet-li.pdf");
  g_autofree char *text = NULL;

  if (!have_poppler ())
    return;
  /* 李: 2 h of K1's second session, 70 × 2 h of K3: 142 h, 71 sessions. */
  sheet = td_trainer_sheet_read (f->store, f->li, 2025, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (sheet->hours, ==, 142);
  g_assert_cmpuint (td_trainer_sheet_count_pages (sheet), ==, 3);
  g_assert_true (td_trainer_sheet_save_pdf (sheet, path, &error));
  g_assert_no_error (error);
  text = pdf_text (path);
  g_assert_nonnull (strstr (text, "Total: 2 classes 71 142 2 1 1"));
  g_assert_nonnull (strstr (text, "Sessions taught (continued)"));
  g_assert_nonnull (strstr (text, "2025-11-14 14:00–16:00 电子商务培训班 2"));
  g_assert_nonnull (strstr (text, "Total: 71 sessions 142"));
  g_assert_nonnull (strstr (text, "Page 1 of 3"));
  g_assert_nonnull (strstr (text, "Page 3 of 3"));
  if (g_getenv ("TD_TEST_OUTPUT_DIR") == NULL)
    g_unlink (path);

  /* 赵 taught nothing: the sheet says so, with its signatures. */
  g_clear_pointer (&sheet, td_trainer_sheet_free);
  g_clear_pointer (&text, g_free);
  sheet = td_trainer_sheet_read (f->store, f->zhao, 2025, &error);
  g_assert_no_error (error);
  g_assert_true (td_trainer_sheet_save_pdf (sheet, path, &error));
  text = pdf_text (path);
  g_assert_nonnull (strstr (text, "No sessions taught in 2025."));
  g_assert_nonnull (strstr (text, "Trainer’s signature:"));
  g_unlink (path);
}

static void
test_unwritable (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTrainerSheet) sheet = td_trainer_sheet_read (f->store, f->wang, 2025, &error);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "no-such-folder", "sheet.pdf", NULL);

  g_assert_no_error (error);
  g_assert_false (td_trainer_sheet_save_pdf (sheet, path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "sheet.pdf"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/trainer-sheet/read", Fixture, NULL, fixture_set_up, test_read, fixture_tear_down);
  g_test_add ("/trainer-sheet/pdf", Fixture, NULL, fixture_set_up, test_pdf, fixture_tear_down);
  g_test_add ("/trainer-sheet/pages", Fixture, NULL, fixture_set_up, test_pages, fixture_tear_down);
  g_test_add ("/trainer-sheet/unwritable", Fixture, NULL, fixture_set_up, test_unwritable, fixture_tear_down);

  return g_test_run ();
}
