/* test-window.c: the main window with real widgets, driven through actions
 *
 * Runs under Xvfb inside a session bus (see build-aux/dev). Registered twice
 * by tests/meson.build: in English, and with LANG=zh_CN.UTF-8, where
 * TD_TEST_LANGUAGE=zh_CN makes the translation cases expect Chinese.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-test-ui.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "td-application-private.h"
#include "td-example.h"
#include "td-figures.h"
#include "td-school.h"
#include "td-school-page-private.h"
#include "td-outbox-page.h"
#include "td-window.h"

static const char * const page_names[] = {
  "overview", "school", "programmes", "trainers", "equipment",
  "guarantees", "results", "form", "outbox",
};

static char *
new_db_path (void)
{
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  return g_build_filename (g_get_user_data_dir (), "window.db", NULL);
}

/* Waits (without a clock in the assertion) for the autosave of @field. */
static void
wait_saved (TdSchoolPage  *page,
            TdSchoolField  field,
            const char    *expected)
{
  g_autoptr(TdSchool) school = NULL;
  gint64 give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_object_get (page, "school", &school, NULL);
  while (g_strcmp0 (td_school_get (school, field), expected) != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
test_pages (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(TdStore) store = td_store_open (path, NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  TdWindow *window = td_test_open_window (store, 0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      GtkWidget *page;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", page_names[i]));
      td_test_save_screenshot (GTK_WIDGET (window), page_names[i]);
      g_assert_cmpstr (td_window_get_page (window), ==, page_names[i]);
      page = td_window_get_page_widget (window, page_names[i]);
      g_assert_nonnull (page);
      td_test_iterate (20);
      g_assert_true (gtk_widget_get_mapped (page));
      {
        g_autofree char *last = g_settings_get_string (settings, "last-page");
        g_assert_cmpstr (last, ==, page_names[i]);
      }
    }

  /* Every page is built: none is a placeholder any more. */
  g_assert_true (TD_IS_OUTBOX_PAGE (td_window_get_page_widget (window, "outbox")));

  /* An unknown page is refused by the settings' choices, not shown. */
  g_assert_cmpstr (td_window_get_page (window), ==, "outbox");

  td_test_close_window (window);

  /* The next window opens on the last page. */
  window = td_test_open_window (store, 0, 0);
  g_assert_cmpstr (td_window_get_page (window), ==, "outbox");
  td_test_close_window (window);
}

static guint
find_string (GListModel *model,
             const char *text)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), text) == 0)
        return i;
    }
  g_error ("“%s” is not among the choices", text);
}

static void
type_into (TdSchoolPage  *page,
           TdSchoolField  field,
           const char    *text)
{
  gtk_editable_set_text (GTK_EDITABLE (td_school_page_get_row (page, field)), text);
}

static void
test_school_profile (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(GError) error = NULL;
  TdStore *store = td_store_open (path, &error);
  TdWindow *window;
  TdSchoolPage *page;
  AdwComboRow *city, *county, *type;
  g_autoptr(TdSchool) school = NULL;

  g_assert_no_error (error);
  window = td_test_open_window (store, 0, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "school"));
  page = TD_SCHOOL_PAGE (td_window_get_page_widget (window, "school"));

  /* Valid input: no message, saved by itself after a pause. */
  type_into (page, TD_SCHOOL_NAME, "山东省济南第一职业中等专业学校");
  g_assert_null (td_school_page_get_message (page, TD_SCHOOL_NAME));
  type_into (page, TD_SCHOOL_AUTHORITY, "济南市教育局");
  type_into (page, TD_SCHOOL_LEGAL_REPRESENTATIVE, "王建国");
  type_into (page, TD_SCHOOL_STREET, "文化西路29号");
  type_into (page, TD_SCHOOL_POSTAL_CODE, "２５００１４");
  type_into (page, TD_SCHOOL_CONTACT_NAME, "陈璟");
  type_into (page, TD_SCHOOL_PHONE, "0531 8191 6531");
  g_assert_null (td_school_page_get_message (page, TD_SCHOOL_PHONE));
  /* Saved by itself, with no flush: the pause is enough. */
  wait_saved (page, TD_SCHOOL_POSTAL_CODE, "250014");
  wait_saved (page, TD_SCHOOL_PHONE, "0531-81916531");

  /* Invalid input: the reason under the field, and nothing written. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 1200);
  type_into (page, TD_SCHOOL_EMAIL, "office@");
  g_assert_nonnull (td_school_page_get_message (page, TD_SCHOOL_EMAIL));
  g_assert_true (gtk_widget_has_css_class (td_school_page_get_row (page, TD_SCHOOL_EMAIL), "error"));
  type_into (page, TD_SCHOOL_POSTAL_CODE, "2500");
  g_assert_nonnull (td_school_page_get_message (page, TD_SCHOOL_POSTAL_CODE));
  if (td_test_in_chinese ())
    g_assert_nonnull (strstr (td_school_page_get_message (page, TD_SCHOOL_POSTAL_CODE), "邮政编码"));
  else
    g_assert_nonnull (strstr (td_school_page_get_message (page, TD_SCHOOL_POSTAL_CODE), "postal code"));
  td_test_iterate (600);
  /* The invalid edit replaced nothing. */
  wait_saved (page, TD_SCHOOL_POSTAL_CODE, "250014");
  td_test_save_screenshot (GTK_WIDGET (window), "school-invalid");

  /* Choices: the type, the city, then the county of that city. */
  type = ADW_COMBO_ROW (td_school_page_get_row (page, TD_SCHOOL_TYPE));
  adw_combo_row_set_selected (type, 3);
  city = ADW_COMBO_ROW (td_school_page_get_row (page, TD_SCHOOL_CITY));
  county = ADW_COMBO_ROW (td_school_page_get_row (page, TD_SCHOOL_COUNTY));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (county)));
  adw_combo_row_set_selected (city, find_string (adw_combo_row_get_model (city), "济南市"));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (county)));
  adw_combo_row_set_selected (county, find_string (adw_combo_row_get_model (county), "历下区"));
  g_assert_null (td_school_page_get_message (page, TD_SCHOOL_COUNTY));

  /* A valid edit still in its pause is saved when the window closes. */
  type_into (page, TD_SCHOOL_EMAIL, "office@jnzz.edu.cn");
  td_test_close_window (window);
  g_assert_finalize_object (store);

  /* Reopened from the file, everything valid is there, nothing else. */
  store = td_store_open (path, &error);
  g_assert_no_error (error);
  school = td_school_new (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (td_school_get (school, TD_SCHOOL_NAME), ==, "山东省济南第一职业中等专业学校");
  g_assert_cmpstr (td_school_get (school, TD_SCHOOL_AUTHORITY), ==, "济南市教育局");
  g_assert_cmpstr (td_school_get (school, TD_SCHOOL_LEGAL_REPRESENTATIVE), ==, "王建国");
  g_assert_cmpstr (td_school_get (school, TD_SCHOOL_TYPE), ==, "technical");
  g_assert_cmpstr (td_school_get (school, TD_SCHOOL_CITY), ==, "3701");
  g_assert_cmpstr (td_school_get (school, TD_SCHOOL_COUNTY), ==, "370102");
  g_assert_cmpstr (td_school_get (school, TD_SCHOOL_STREET), ==, "文化西路29号");
  g_assert_cmpstr (td_school_get (school, TD_SCHOOL_POSTAL_CODE), ==, "250014");
  g_assert_cmpstr (td_school_get (school, TD_SCHOOL_CONTACT_NAME), ==, "陈璟");
  g_assert_cmpstr (td_school_get (school, TD_SCHOOL_PHONE), ==, "0531-81916531");
  g_assert_cmpstr (td_school_get (school, TD_SCHOOL_EMAIL), ==, "office@jnzz.edu.cn");
  g_assert_cmpuint (td_school_count_missing (school), ==, 0);

  /* A new window shows what is stored. */
  window = td_test_open_window (store, 0, 0);
  page = TD_SCHOOL_PAGE (td_window_get_page_widget (window, "school"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (td_school_page_get_row (page, TD_SCHOOL_PHONE))),
                   ==, "0531-81916531");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (td_school_page_get_row (page, TD_SCHOOL_COUNTY))),
                    ==, find_string (adw_combo_row_get_model (ADW_COMBO_ROW (td_school_page_get_row (page, TD_SCHOOL_COUNTY))), "历下区"));
  td_test_close_window (window);
  g_clear_object (&school);
  g_assert_finalize_object (store);
}

/* The focus is in @row, or in a widget inside it. */
static gboolean
focus_in (TdWindow  *window,
          GtkWidget *row)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == row || gtk_widget_is_ancestor (focus, row));
}

static void
wait_focus_in (TdWindow  *window,
               GtkWidget *row)
{
  gint64 give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!focus_in (window, row))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, FALSE);
    }
}

/* Issue 13: after the city, the county; after the county, the street; Tab
 * then goes on to the postal code. A name of digits is refused. */
static void
test_school_focus_order (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = td_store_open (path, &error);
  TdWindow *window;
  TdSchoolPage *page;
  GtkWidget *city, *county, *street, *postal_code;
  GtkWidget *city_popover, *county_popover;

  g_assert_no_error (error);
  window = td_test_open_window (store, 0, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "school"));
  page = TD_SCHOOL_PAGE (td_window_get_page_widget (window, "school"));
  city = td_school_page_get_row (page, TD_SCHOOL_CITY);
  county = td_school_page_get_row (page, TD_SCHOOL_COUNTY);
  street = td_school_page_get_row (page, TD_SCHOOL_STREET);
  postal_code = td_school_page_get_row (page, TD_SCHOOL_POSTAL_CODE);
  td_test_iterate (50);

  /* A city chosen in the city's row: the county is next. */
  gtk_widget_grab_focus (city);
  g_assert_true (focus_in (window, city));
  adw_combo_row_set_selected (ADW_COMBO_ROW (city),
                              find_string (adw_combo_row_get_model (ADW_COMBO_ROW (city)), "济南市"));
  wait_focus_in (window, county);

  /* Enter now, as the clerk pressed it: it acts on the focused row (the
   * county opens its list), and the city's list stays closed. */
  city_popover = td_test_find_descendant (city, GTK_TYPE_POPOVER);
  county_popover = td_test_find_descendant (county, GTK_TYPE_POPOVER);
  g_assert_nonnull (city_popover);
  g_assert_nonnull (county_popover);
  g_assert_true (gtk_widget_activate (gtk_root_get_focus (GTK_ROOT (window))));
  td_test_iterate (50);
  g_assert_false (gtk_widget_get_visible (city_popover));
  g_assert_true (gtk_widget_get_visible (county_popover));
  gtk_popover_popdown (GTK_POPOVER (county_popover));
  td_test_iterate (50);
  g_assert_false (gtk_widget_get_visible (county_popover));

  /* The county chosen: the street is next. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (county),
                              find_string (adw_combo_row_get_model (ADW_COMBO_ROW (county)), "历下区"));
  wait_focus_in (window, street);

  /* Tab, as a person presses it: county, street, postal code. */
  gtk_widget_grab_focus (county);
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  g_assert_true (focus_in (window, street));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  g_assert_true (focus_in (window, postal_code));

  /* Digits in a person's name: refused, with the reason. */
  type_into (page, TD_SCHOOL_CONTACT_NAME, "25001");
  g_assert_nonnull (td_school_page_get_message (page, TD_SCHOOL_CONTACT_NAME));
  type_into (page, TD_SCHOOL_CONTACT_NAME, "陈璟");
  g_assert_null (td_school_page_get_message (page, TD_SCHOOL_CONTACT_NAME));

  td_test_close_window (window);
}

static gboolean
is_visible_action_button (GtkWidget     *widget,
                          gconstpointer  action_name)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0;
}

/* The visible button of @action_name under @widget, or NULL. */
static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action_name)
{
  return td_test_find_widget (widget, is_visible_action_button, action_name);
}

static TdWindow *
find_td_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (TD_IS_WINDOW (toplevel))
        return TD_WINDOW (toplevel);
    }
  return NULL;
}

/* A file that is not a database (issue 13): said without "SQLite", with
 * Open Another… and Restore Backup…; restoring puts a backup the
 * application made in its place and opens it, the file kept aside. */
static void
test_not_a_database (void)
{
  g_autoptr(TdApplication) app = td_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "dead-end", NULL);
  g_autofree char *good = g_build_filename (dir, "school.db", NULL);
  g_autofree char *backup = g_build_filename (dir, "school-backup.db", NULL);
  g_autofree char *bad = g_build_filename (dir, "notes.db", NULL);
  g_autoptr(TdStore) failed = NULL;
  GtkWidget *dead_end;
  TdWindow *window;

  g_mkdir_with_parents (dir, 0700);
  /* A real backup, made by the application from a real school. */
  {
    g_autoptr(TdStore) store = td_store_open (good, &error);
    g_autoptr(TdSchool) school = NULL;

    g_assert_no_error (error);
    school = td_school_new (store, &error);
    g_assert_no_error (error);
    g_assert_true (td_school_set (school, TD_SCHOOL_NAME, "济南第一职业中等专业学校", &error));
    g_assert_true (td_store_backup_to (store, backup, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_file_set_contents (bad, "Minutes of the meeting, not a database.\n", -1, &error));

  failed = td_store_open (bad, &error);
  g_assert_null (failed);
  g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_NOT_A_DATABASE);
  g_assert_null (strstr (error->message, "SQLite"));

  g_application_set_application_id (G_APPLICATION (app), "org.example.TrainingDesk.DeadEndTest");
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  dead_end = g_object_ref (td_application_show_open_error (app, bad, error));
  g_assert_nonnull (find_action_button (dead_end, "dead-end.open-another"));
  g_assert_nonnull (find_action_button (dead_end, "dead-end.restore-backup"));
  td_test_save_screenshot (dead_end, "not-a-database");
  g_clear_error (&error);

  /* Another file that is not one either: still here, saying so. */
  g_assert_true (gtk_widget_activate_action (dead_end, "dead-end.open-file", "s", bad));
  g_assert_null (find_td_window ());

  /* The backup: restored in the file's place, and opened. */
  g_assert_true (gtk_widget_activate_action (dead_end, "dead-end.restore-from", "s", backup));
  window = find_td_window ();
  g_assert_nonnull (window);
  g_assert_cmpstr (td_store_get_path (td_window_get_store (window)), ==, bad);
  {
    g_autoptr(TdSchool) school = td_school_new (td_window_get_store (window), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (td_school_get (school, TD_SCHOOL_NAME), ==, "济南第一职业中等专业学校");
  }
  /* The file that could not be opened is kept, unchanged. */
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    const char *name;
    gboolean kept = FALSE;

    while ((name = g_dir_read_name (listing)))
      if (g_str_has_prefix (name, "notes.db.unreadable-"))
        {
          g_autofree char *path = g_build_filename (dir, name, NULL);
          g_autofree char *contents = NULL;

          g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
          g_assert_cmpstr (contents, ==, "Minutes of the meeting, not a database.\n");
          kept = TRUE;
        }
    g_assert_true (kept);
  }
  td_test_iterate (50);
  g_assert_finalize_object (dead_end);
  td_test_close_window (window);
}

static void
test_restore_reloads_page (void)
{
  g_autofree char *path = new_db_path ();
  g_autofree char *backup = g_build_filename (g_get_user_data_dir (), "kept.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = td_store_open (path, &error);
  TdWindow *window = td_test_open_window (store, 0, 0);
  TdSchoolPage *page = TD_SCHOOL_PAGE (td_window_get_page_widget (window, "school"));
  GtkEditable *name = GTK_EDITABLE (td_school_page_get_row (page, TD_SCHOOL_NAME));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "school");
  gtk_editable_set_text (name, "第一名称");
  td_school_page_flush (page);
  g_assert_true (td_store_backup_to (store, backup, &error));
  gtk_editable_set_text (name, "第二名称");
  td_school_page_flush (page);

  /* Through the window's action (the toast's Undo), off the main loop. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-restore", "s", backup));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (page)) && gtk_widget_is_sensitive (GTK_WIDGET (page)));
  wait_saved (page, TD_SCHOOL_NAME, "第一名称");
  g_assert_cmpstr (gtk_editable_get_text (name), ==, "第一名称");
  while (!gtk_widget_is_sensitive (GTK_WIDGET (page)))
    g_main_context_iteration (NULL, TRUE);

  /* A file that is no database is refused, and nothing changes. */
  {
    g_autofree char *junk = g_build_filename (g_get_user_data_dir (), "junk.db", NULL);

    g_assert_true (g_file_set_contents (junk, "no database", -1, NULL));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-restore", "s", junk));
    while (!gtk_widget_is_sensitive (GTK_WIDGET (page)))
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpstr (gtk_editable_get_text (name), ==, "第一名称");
  }
  td_test_close_window (window);
}

static void
test_example_school (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = td_store_open (path, &error);
  TdWindow *window = td_test_open_window (store, 0, 0);
  GtkWidget *overview;
  GtkStack *stack;
  TdCounts counts = { 0 };
  g_autoptr(TdSchool) school = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "overview"));
  overview = td_window_get_page_widget (window, "overview");
  stack = GTK_STACK (adw_bin_get_child (ADW_BIN (overview)));

  /* An empty database: the welcome, which offers the example. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "welcome");
  td_test_save_screenshot (GTK_WIDGET (window), "overview-welcome");

  g_assert_true (gtk_widget_activate_action (overview, "overview.load-example", NULL));
  while (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "figures") != 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (td_figures_counts (store, &counts, &error));
  g_assert_cmpint (counts.trainers, ==, td_example_school_size.trainers);
  g_assert_cmpint (counts.equipment_items, ==, td_example_school_size.equipment);
  /* Typed results for the years before the classes' (their results are computed). */
  g_assert_cmpint (counts.results, ==, (td_example_school_size.years - td_example_school_size.class_years) *
                                       td_example_school_size.results_per_year);
  /* The profile came along, and the school page shows it. */
  school = td_school_new (store, &error);
  g_assert_cmpstr (td_school_get (school, TD_SCHOOL_NAME), !=, "");
  {
    TdSchoolPage *page = TD_SCHOOL_PAGE (td_window_get_page_widget (window, "school"));

    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (td_school_page_get_row (page, TD_SCHOOL_NAME))),
                     ==, td_school_get (school, TD_SCHOOL_NAME));
  }
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 1300);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "overview");
  td_test_save_screenshot (GTK_WIDGET (window), "overview-example");
  td_test_close_window (window);
}

static void
test_translated (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(TdStore) store = td_store_open (path, NULL);
  TdWindow *window = td_test_open_window (store, 0, 0);

  if (td_test_in_chinese ())
    {
      g_assert_cmpstr (_("School"), ==, "学校信息");
      g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "window.db — 职业培训工作台");
      g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Technical school"), ==, "技工院校");
    }
  else
    {
      g_assert_cmpstr (_("School"), ==, "School");
      g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "window.db — Training Desk");
    }
  td_test_close_window (window);
}

/* The extras module cannot be loaded (td-extras.c): a dialog says why
 * over the window, in the user's language, and its Close ends the process
 * with status 1 (in a subprocess here). */
static void
test_extras_failed (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *path = new_db_path ();
      g_autoptr(GError) error = NULL;
      g_autoptr(TdStore) store = td_store_open (path, &error);
      TdWindow *window = td_test_open_window (store, 0, 0);
      const char *why = td_test_in_chinese ()
                          ? "无法从 /usr/lib/training-desk/libtraining-desk-extras.so 载入职业培训工作台的邮件、PDF 文件和电子表格组件（libxlsxwriter.so.1: cannot open shared object file）。请重新安装职业培训工作台，才能通过邮件发送、生成 PDF 文件或读写电子表格。"
                          : "Training Desk could not load its part for mail, PDF files and spreadsheets from "
                            "/usr/lib/training-desk/libtraining-desk-extras.so (libxlsxwriter.so.1: cannot open shared "
                            "object file). Reinstall Training Desk to send by mail, make PDF files or read and write "
                            "spreadsheets.";
      g_autoptr(GError) failed = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, why);
      AdwMessageDialog *dialog;

      g_assert_no_error (error);
      td_application_say_extras_failed (failed);
      /* Said once, whoever comes next. */
      td_application_say_extras_failed (failed);
      dialog = td_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
      td_test_iterate (100);
      g_assert_cmpuint (td_test_count_toplevels (ADW_TYPE_MESSAGE_DIALOG), ==, 1);
      g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == NULL ||
                     gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
      g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (dialog), why));
      if (td_test_in_chinese ())
        {
          g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "职业培训工作台的一个组件无法载入");
          g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "职业培训工作台现在关闭"));
        }
      else
        {
          g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "A Part of Training Desk Cannot Be Loaded");
          g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Training Desk closes now"));
        }
      td_test_iterate (100);
      td_test_save_screenshot (GTK_WIDGET (dialog), "extras-failed");
      /* Every check above held: the exit that follows is Close's, not a
       * failed assertion's (both end the subprocess with an error). */
      g_print ("extras-failed: the dialog as expected\n");
      adw_message_dialog_response (dialog, "close");
      g_assert_not_reached ();
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout ("*extras-failed: the dialog as expected*");
  g_test_trap_assert_stderr ("*libtraining-desk-extras.so*");
  g_test_trap_assert_stderr_unmatched ("*ERROR*");
}

int
main (int   argc,
      char *argv[])
{
  td_test_ui_main_init (&argc, &argv);

  g_test_add_func ("/window/pages", test_pages);
  g_test_add_func ("/window/school-profile", test_school_profile);
  g_test_add_func ("/window/school-focus-order", test_school_focus_order);
  g_test_add_func ("/window/not-a-database", test_not_a_database);
  g_test_add_func ("/window/restore-reloads-page", test_restore_reloads_page);
  g_test_add_func ("/window/example-school", test_example_school);
  g_test_add_func ("/window/translated", test_translated);
  g_test_add_func ("/window/extras-failed", test_extras_failed);

  return g_test_run ();
}
