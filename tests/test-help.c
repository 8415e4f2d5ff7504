/* test-help.c: F1 and the Help item open the help at the page shown
 *
 * The help viewer is the desktop's handler of help: URIs (yelp). The test
 * runs with isolated XDG directories, so first there is none: the window
 * must say so. Then a handler of the test's own (a .desktop file whose
 * command writes its URI to a file) receives what F1 asked for, and the
 * page it names must be one of help/C. Registered in English and in
 * Chinese by tests/meson.build.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-test-ui.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "td-application.h"
#include "td-window.h"

static TdStore *
open_store (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  TdStore *store;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), "help.db", NULL);
  store = td_store_open (path, &error);
  g_assert_no_error (error);
  return store;
}

/* A label under @widget whose text is @text. */
static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;
  return FALSE;
}

static gboolean
has_action (GtkWidgetClass *klass,
            const char     *name)
{
  GType owner;
  const char *action;
  const GVariantType *parameter_type;
  const char *property;

  /* GTK 4.8 writes every out argument: none may be NULL. */
  for (guint i = 0; gtk_widget_class_query_action (klass, i, &owner, &action, &parameter_type, &property); i++)
    if (g_strcmp0 (action, name) == 0)
      return TRUE;
  return FALSE;
}

/* Whether the window's own shortcuts bind @accel to @action. */
static gboolean
has_shortcut (GtkWidget  *widget,
              const char *accel,
              const char *action)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      GListModel *shortcuts;

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      shortcuts = G_LIST_MODEL (controller);
      for (guint j = 0; j < g_list_model_get_n_items (shortcuts); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          GtkShortcutAction *what = gtk_shortcut_get_action (shortcut);

          if (g_strcmp0 (trigger, accel) == 0 && GTK_IS_NAMED_ACTION (what)
              && g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (what)), action) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/* The label of the item of @model (or its sections) whose action is @action. */
static char *
menu_label (GMenuModel *model,
            const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *item_action = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (section)
        {
          char *label = menu_label (section, action);
          if (label)
            return label;
        }
      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &item_action)
          && g_strcmp0 (item_action, action) == 0)
        {
          char *label = NULL;
          g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
          return label;
        }
    }
  return NULL;
}

static void
test_action (void)
{
  g_autoptr(TdStore) store = open_store ();
  TdWindow *window = td_test_open_window (store, 0, 0);
  GtkWidget *menu_button;
  g_autofree char *label = NULL;

  /* The action, and F1 bound to it by the window itself. */
  g_assert_true (has_action (GTK_WIDGET_GET_CLASS (window), "win.help"));
  g_assert_true (has_shortcut (GTK_WIDGET (window), "F1", "win.help"));

  /* The main menu's Help item, translated. */
  menu_button = td_test_find_descendant (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (menu_button);
  label = menu_label (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button)), "win.help");
  g_assert_cmpstr (label, ==, td_test_in_chinese () ? "帮助(_L)" : "_Help");

  td_test_close_window (window);
}

/* A GtkShortcutsShortcut titled @title. */
static gboolean
is_shortcut_titled (GtkWidget     *widget,
                    gconstpointer  title)
{
  g_autofree char *its_title = NULL;

  if (!GTK_IS_SHORTCUTS_SHORTCUT (widget))
    return FALSE;
  g_object_get (widget, "title", &its_title, NULL);
  return g_strcmp0 (its_title, title) == 0;
}

/* The GtkShortcutsShortcut under @widget titled @title. */
static GtkWidget *
find_shortcut (GtkWidget  *widget,
               const char *title)
{
  return td_test_find_widget (widget, is_shortcut_titled, title);
}

/* The accelerator the GtkShortcutLabel under @shortcut shows. */
static char *
shown_accelerator (GtkWidget *shortcut)
{
  GtkWidget *label = td_test_find_descendant (shortcut, GTK_TYPE_SHORTCUT_LABEL);

  g_assert_nonnull (label);
  return g_strdup (gtk_shortcut_label_get_accelerator (GTK_SHORTCUT_LABEL (label)));
}

/* The shortcuts window (Ctrl+?, the menu's Keyboard Shortcuts) is built
 * the first time it is asked for, not with the window, and shows the
 * application's accelerators for the actions it names. */
static void
test_shortcuts (void)
{
  g_autoptr(TdApplication) app = td_application_new ();
  g_autoptr(TdStore) store = open_store ();
  g_auto(GStrv) accels = NULL;
  g_autofree char *label = NULL, *backup = NULL, *shortcuts = NULL;
  GtkWindow *overlay;
  TdWindow *window;

  g_application_set_application_id (G_APPLICATION (app), "org.example.TrainingDesk.ShortcutsTest");
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = td_test_present_window (td_window_new (GTK_APPLICATION (app), store), 0, 0);

  g_assert_true (has_action (GTK_WIDGET_GET_CLASS (window), "win.show-shortcuts"));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-shortcuts");
  g_assert_cmpuint (g_strv_length (accels), ==, 1);
  g_assert_cmpstr (accels[0], ==, "<Control>question");
  label = menu_label (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (td_test_find_descendant (GTK_WIDGET (window),
                                                                                                 GTK_TYPE_MENU_BUTTON))),
                      "win.show-shortcuts");
  g_assert_cmpstr (label, ==, td_test_in_chinese () ? "键盘快捷键(_K)" : "_Keyboard Shortcuts");

  /* Not built with the window. */
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-shortcuts", NULL));
  overlay = GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_nonnull (overlay);
  TD_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (overlay)));
  g_assert_true (gtk_window_get_transient_for (overlay) == GTK_WINDOW (window));

  /* Named by action: the application's accelerator. */
  backup = shown_accelerator (find_shortcut (GTK_WIDGET (overlay),
                                             td_test_in_chinese () ? "备份数据库" : "Back Up the Database"));
  g_assert_cmpstr (backup, ==, "<Shift><Control>s");
  shortcuts = shown_accelerator (find_shortcut (GTK_WIDGET (overlay),
                                                td_test_in_chinese () ? "显示快捷键" : "Show Shortcuts"));
  g_assert_cmpstr (shortcuts, ==, "<Control>question");
  td_test_save_screenshot (GTK_WIDGET (overlay), "shortcuts");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  td_test_save_screenshot (GTK_WIDGET (overlay), "shortcuts");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Closed, it is hidden and shown again: still one. */
  gtk_window_close (overlay);
  TD_TEST_WAIT_UNTIL (!gtk_widget_get_mapped (GTK_WIDGET (overlay)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-shortcuts", NULL));
  g_assert_true (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) == GTK_SHORTCUTS_WINDOW (overlay));
  TD_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (overlay)));
  gtk_window_close (overlay);
  TD_TEST_WAIT_UNTIL (!gtk_widget_get_mapped (GTK_WIDGET (overlay)));

  td_test_close_window (window);
}

/* No handler of help: URIs yet (isolated XDG directories): the window says
 * what to install instead of nothing happening. */
static void
check_no_viewer (TdWindow *window)
{
  const char *message = td_test_in_chinese ()
                        ? "无法打开帮助：请安装帮助查看器“帮助”（yelp 软件包）。"
                        : "The help could not be opened: install the help viewer “Help” (the package yelp).";
  gint64 give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_autoptr(GAppInfo) handler = g_app_info_get_default_for_uri_scheme ("help");

  g_assert_null (handler);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.help", NULL));
  while (!has_label (GTK_WIDGET (window), message))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, FALSE);
    }
  td_test_save_screenshot (GTK_WIDGET (window), "help-no-viewer");
}

/* Installs a handler of help: URIs that writes the URI it is given into
 * @out, and waits until it is the desktop's handler of help:. */
static void
install_viewer (const char *out)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autofree char *path = g_build_filename (dir, "td-test-help-viewer.desktop", NULL);
  g_autofree char *cache = g_build_filename (dir, "mimeinfo.cache", NULL);
  g_autofree char *quoted = g_shell_quote (out);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAppInfo) handler = NULL;
  gint64 give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  text = g_strdup_printf ("[Desktop Entry]\n"
                          "Type=Application\n"
                          "Name=Test Help Viewer\n"
                          "Exec=sh -c 'printf %%s \"$1\" > %s.part && mv %s.part %s' sh %%u\n"
                          "MimeType=x-scheme-handler/help;\n"
                          "NoDisplay=true\n",
                          quoted, quoted, quoted);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  /* As update-desktop-database writes it: GIO finds handlers through it. */
  g_assert_true (g_file_set_contents (cache, "[MIME Cache]\nx-scheme-handler/help=td-test-help-viewer.desktop;\n",
                                      -1, &error));
  g_assert_no_error (error);
  /* GIO notices the new file through its directory monitor. */
  while ((handler = g_app_info_get_default_for_uri_scheme ("help")) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_cmpstr (g_app_info_get_id (handler), ==, "td-test-help-viewer.desktop");
}

/* What F1 asks the viewer for, on @page. */
static char *
help_uri_for (TdWindow   *window,
              const char *page,
              const char *out)
{
  gint64 give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  char *uri = NULL;

  g_unlink (out);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.help", NULL));
  while (!g_file_get_contents (out, &uri, NULL, NULL))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return uri;
}

static void
test_launch (void)
{
  static const struct {
    const char *page;
    const char *topic;
  } expected[] = {
    { "overview", "overview" },
    { "school", "school-profile" },
    { "programmes", "records" },
    { "trainers", "records" },
    { "equipment", "records" },
    { "guarantees", "records" },
    { "results", "records" },
    { "classes", "classes" },
    { "form", "intent-form" },
    { "outbox", "outbox" },
  };
  g_autoptr(TdStore) store = open_store ();
  g_autofree char *out = g_build_filename (g_get_user_cache_dir (), "help-uri", NULL);
  const char *help_dir = g_getenv ("TD_TEST_HELP_DIR");
  TdWindow *window;

  g_assert_nonnull (help_dir);
  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  /* Made before GIO first looks for an application, so that it watches
   * the folder and sees the viewer installed below. */
  {
    g_autofree char *applications = g_build_filename (g_get_user_data_dir (), "applications", NULL);
    g_assert_cmpint (g_mkdir_with_parents (applications, 0700), ==, 0);
  }
  window = td_test_open_window (store, 0, 0);
  check_no_viewer (window);

  install_viewer (out);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *uri = help_uri_for (window, expected[i].page, out);
      g_autofree char *want = g_strdup_printf ("help:io.github.vocedu.TrainingDesk/%s", expected[i].topic);
      g_autofree char *file = g_strdup_printf ("%s.page", expected[i].topic);
      g_autofree char *page = g_build_filename (help_dir, "C", file, NULL);

      g_assert_cmpstr (uri, ==, want);
      /* The topic is a page of the help (its translation is checked by
       * tests/check-help.sh). */
      g_assert_true (g_file_test (page, G_FILE_TEST_IS_REGULAR));
    }

  td_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  td_test_ui_main_init (&argc, &argv);

  /* First: GIO reads the XDG directories of the first test that looks
   * for an application, and keeps them. */
  g_test_add_func ("/help/launch", test_launch);
  g_test_add_func ("/help/action", test_action);
  g_test_add_func ("/help/shortcuts", test_shortcuts);

  return g_test_run ();
}
