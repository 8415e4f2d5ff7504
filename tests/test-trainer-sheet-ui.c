/* test-trainer-sheet-ui.c: the trainer's sheet, chosen and saved through
 * the dialog the window's menu opens (issue 15)
 *
 * On the example school, whose last two years are classes: the dialog
 * offers those years and their trainers with their figures, and saves the
 * chosen one's sheet, read back with pdftotext (kept in TD_TEST_OUTPUT_DIR
 * when set). Registered in English and in Chinese (TD_TEST_LANGUAGE=zh_CN).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-test-ui.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "td-class-figures.h"
#include "td-example.h"
#include "td-trainer-sheet.h"
#include "td-trainer-sheet-dialog.h"

static TdStore *
open_store (const char *name,
            gboolean    example)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  TdStore *store;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), name, NULL);
  store = td_store_open (path, &error);
  g_assert_no_error (error);
  if (example)
    {
      g_assert_true (td_example_fill (store, &td_example_school_size, &error));
      g_assert_no_error (error);
    }
  return store;
}

static TdTrainerSheetDialog *
open_dialog (TdWindow *window)
{
  TdTrainerSheetDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.trainer-sheet", NULL));
  dialog = td_test_wait_for_toplevel (TD_TYPE_TRAINER_SHEET_DIALOG);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  TD_TEST_WAIT_UNTIL (!td_trainer_sheet_dialog_is_busy (dialog));
  return dialog;
}

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

static void
assert_summary (TdTrainerSheetDialog *dialog,
                const TdTrainerYear  *t)
{
  const char *summary = td_trainer_sheet_dialog_get_summary (dialog);
  g_autofree char *expected = NULL;

  g_test_message ("%s: %s", t->name, summary);
  if (td_test_in_chinese ())
    expected = g_strdup_printf ("学时：%g · 课次：%lld · 培训班：%lld · 学员：%lld · 证书：%lld", t->hours,
                                (long long)t->sessions, (long long)t->classes, (long long)t->participants,
                                (long long)t->certificates);
  else
    expected = g_strdup_printf ("Hours: %g · Sessions: %lld · Classes: %lld · Trainees: %lld · Certificates: %lld",
                                t->hours, (long long)t->sessions, (long long)t->classes,
                                (long long)t->participants, (long long)t->certificates);
  g_assert_cmpstr (summary, ==, expected);
}

static void
test_choose_and_save (void)
{
  g_autoptr(TdStore) store = open_store ("sheet.db", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) years = td_class_figures_years (store, &error);
  g_autoptr(GPtrArray) newest = NULL;
  g_autoptr(GPtrArray) earlier = NULL;
  g_autoptr(TdTrainerSheet) sheet = NULL;
  /* Kept in TD_TEST_OUTPUT_DIR when it is set, to look at. */
  const char *keep = g_getenv ("TD_TEST_OUTPUT_DIR");
  g_autofree char *path = g_build_filename (keep ? keep : g_get_user_data_dir (),
                                            td_test_in_chinese () ? "sheet-zh_CN.pdf" : "sheet.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *text = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *total = NULL;
  g_autofree char *title = NULL;
  const TdTrainerYear *chosen;
  TdTrainerSheetDialog *dialog;
  TdWindow *window;
  int year;

  g_assert_no_error (error);
  g_assert_cmpuint (years->len, ==, 2);
  year = g_array_index (years, int, 0);
  newest = td_class_trainer_results (store, year, &error);
  earlier = td_class_trainer_results (store, year - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (newest->len, >, 1);
  g_assert_cmpuint (earlier->len, >, 1);

  window = td_test_open_window (store, 1280, 800);
  dialog = open_dialog (window);

  /* At first the newest year, and its trainer with the most hours. */
  g_assert_cmpint (td_trainer_sheet_dialog_get_year (dialog), ==, year);
  chosen = g_ptr_array_index (newest, 0);
  g_assert_cmpstr (td_trainer_sheet_dialog_get_trainer (dialog), ==, chosen->trainer_uuid);
  assert_summary (dialog, chosen);
  td_test_save_screenshot (GTK_WIDGET (dialog), "trainer-sheet-dialog");

  /* The year before, and another of its trainers. */
  chosen = g_ptr_array_index (earlier, 1);
  g_assert_true (td_trainer_sheet_dialog_select (dialog, year - 1, chosen->trainer_uuid));
  TD_TEST_WAIT_UNTIL (!td_trainer_sheet_dialog_is_busy (dialog));
  g_assert_cmpint (td_trainer_sheet_dialog_get_year (dialog), ==, year - 1);
  g_assert_cmpstr (td_trainer_sheet_dialog_get_trainer (dialog), ==, chosen->trainer_uuid);
  assert_summary (dialog, chosen);
  g_assert_false (td_trainer_sheet_dialog_select (dialog, year - 5, NULL));

  /* Saved, and read back. */
  td_trainer_sheet_dialog_save (dialog, file);
  g_assert_true (td_trainer_sheet_dialog_is_busy (dialog));
  TD_TEST_WAIT_UNTIL (!td_trainer_sheet_dialog_is_busy (dialog));
  saved = g_strdup_printf (_("Saved “%s”"), td_test_in_chinese () ? "sheet-zh_CN.pdf" : "sheet.pdf");
  g_assert_cmpstr (td_trainer_sheet_dialog_get_message (dialog), ==, saved);
  text = pdf_text (path);
  g_test_message ("%s", text);

  sheet = td_trainer_sheet_read (store, chosen->trainer_uuid, year - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (sheet->hours, ==, chosen->hours);
  g_assert_cmpint (sheet->participants, ==, chosen->participants);
  g_assert_cmpint (sheet->certificates, ==, chosen->certificates);
  g_assert_cmpuint (sheet->sessions->len, ==, chosen->sessions);
  g_assert_nonnull (strstr (text, chosen->name));
  g_assert_nonnull (strstr (text, sheet->school));
  title = g_strdup_printf (td_test_in_chinese () ? "%d年度教师培训工作量与业绩表" : "Trainer’s Hours and Results, %d",
                           year - 1);
  g_assert_nonnull (strstr (text, title));
  /* The totals: classes, sessions, hours, trainees, completed, certificates. */
  if (td_test_in_chinese ())
    total = g_strdup_printf ("合计：%u个培训班 %u %g %lld %lld %lld", sheet->classes->len, sheet->sessions->len,
                             sheet->hours, (long long)sheet->participants, (long long)sheet->completed,
                             (long long)sheet->certificates);
  else
    total = g_strdup_printf ("Total: %u class%s %u %g %lld %lld %lld", sheet->classes->len,
                             sheet->classes->len == 1 ? "" : "es", sheet->sessions->len, sheet->hours,
                             (long long)sheet->participants, (long long)sheet->completed,
                             (long long)sheet->certificates);
  g_assert_nonnull (strstr (text, total));
  g_assert_nonnull (strstr (text, td_test_in_chinese () ? "教师签名：" : "Trainer’s signature:"));
  for (guint i = 0; i < sheet->classes->len; i++)
    g_assert_nonnull (strstr (text, ((TdTrainerSheetClass *)g_ptr_array_index (sheet->classes, i))->name));
  if (keep == NULL)
    g_unlink (path);

  gtk_window_close (GTK_WINDOW (dialog));
  td_test_iterate (20);
  g_assert_null (td_test_find_toplevel (TD_TYPE_TRAINER_SHEET_DIALOG));
  td_test_close_window (window);
}

static gboolean
is_action_button (GtkWidget     *widget,
                  gconstpointer  action)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action)
{
  return td_test_find_widget (widget, is_action_button, action);
}

/* The Overview's list of trainers' hours has a button for the sheet. */
static void
test_from_overview (void)
{
  g_autoptr(TdStore) store = open_store ("overview.db", TRUE);
  TdWindow *window = td_test_open_window (store, 1280, 800);
  GtkWidget *overview;
  GtkWidget *button;
  TdTrainerSheetDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "overview"));
  overview = td_window_get_page_widget (window, "overview");
  TD_TEST_WAIT_UNTIL ((button = find_action_button (overview, "win.trainer-sheet")) != NULL &&
                      gtk_widget_get_mapped (button));
  gtk_widget_activate (button);
  dialog = td_test_wait_for_toplevel (TD_TYPE_TRAINER_SHEET_DIALOG);
  TD_TEST_WAIT_UNTIL (!td_trainer_sheet_dialog_is_busy (dialog));
  g_assert_nonnull (td_trainer_sheet_dialog_get_trainer (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  td_test_iterate (20);
  td_test_close_window (window);
}

/* With no classes, the dialog says where they are added. */
static void
test_no_classes (void)
{
  g_autoptr(TdStore) store = open_store ("empty.db", FALSE);
  TdWindow *window = td_test_open_window (store, 1280, 800);
  TdTrainerSheetDialog *dialog = open_dialog (window);

  g_assert_cmpint (td_trainer_sheet_dialog_get_year (dialog), ==, 0);
  g_assert_null (td_trainer_sheet_dialog_get_trainer (dialog));
  g_assert_null (td_trainer_sheet_dialog_get_summary (dialog));
  td_test_save_screenshot (GTK_WIDGET (dialog), "trainer-sheet-dialog-empty");
  /* Escape closes it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "sheet.close", NULL));
  td_test_iterate (20);
  g_assert_null (td_test_find_toplevel (TD_TYPE_TRAINER_SHEET_DIALOG));
  td_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  td_test_ui_main_init (&argc, &argv);

  g_test_add_func ("/trainer-sheet-ui/choose-and-save", test_choose_and_save);
  g_test_add_func ("/trainer-sheet-ui/no-classes", test_no_classes);
  g_test_add_func ("/trainer-sheet-ui/from-overview", test_from_overview);

  return g_test_run ();
}
