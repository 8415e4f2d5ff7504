/* test-a11y.c: every control a person can act on has a name (issue 13)
 *
 * Opens the window on the example school, shows every page, then the
 * Preferences window, and walks the widget tree: a button, menu button,
 * toggle, switch, check button, activatable list row or entry that is shown
 * and has no name a screen reader could read (its label, a mnemonic label,
 * GTK_ACCESSIBLE_PROPERTY_LABEL, the title of the
 * row it sits in, or its tooltip as a last resort) fails the test, named
 * by its path in the tree. GTK 4.8 reads the ARIA state back only through
 * gtk/gtktestatcontext.h (GTK_A11Y=test, set by tests/meson.build).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-test-ui.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "td-example.h"
#include "td-preferences-window.h"
#include "td-window.h"

static const char * const page_names[] = {
  "overview", "school", "programmes", "trainers", "equipment",
  "guarantees", "results", "form", "outbox",
};

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

/* A label somewhere under @widget with text (a button's own label). */
static gboolean
has_label_child (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) && has_text (gtk_label_get_text (GTK_LABEL (widget))))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (has_label_child (child))
      return TRUE;
  return FALSE;
}

/* The row @widget sits in names it, by its title. */
static gboolean
in_titled_row (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w; w = gtk_widget_get_parent (w))
    if (ADW_IS_PREFERENCES_ROW (w) && has_text (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w))))
      return TRUE;
  return FALSE;
}

static gboolean
is_actionable (GtkWidget *widget)
{
  if (GTK_IS_LIST_BOX_ROW (widget))
    return gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget)) && !ADW_IS_PREFERENCES_ROW (widget)
           && gtk_widget_get_focusable (widget);
  return GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_SWITCH (widget) ||
         GTK_IS_CHECK_BUTTON (widget) || GTK_IS_ENTRY (widget) || GTK_IS_SEARCH_ENTRY (widget) ||
         GTK_IS_TEXT (widget);
}

static guint n_checked;
static GPtrArray *tooltip_only;

static gboolean
is_named (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  /* Not the labelled-by relation: GTK 4.8 sets it, empty, on every button,
   * and reads it back only against an expected value. A button's label
   * child is what it points to, checked below. */
  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL))
    return TRUE;
  /* A menu button's own button is read by the menu button's name (GTK 4.8
   * passes it down); a tooltip is not enough there. */
  if (GTK_IS_TOGGLE_BUTTON (widget) && GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)))
    {
      GtkWidget *menu_button = gtk_widget_get_parent (widget);

      return gtk_test_accessible_has_property (GTK_ACCESSIBLE (menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
             has_text (gtk_menu_button_get_label (GTK_MENU_BUTTON (menu_button)));
    }
  if (has_label_child (widget))
    return TRUE;
  if (GTK_IS_MENU_BUTTON (widget) && has_text (gtk_menu_button_get_label (GTK_MENU_BUTTON (widget))))
    return TRUE;
  if (GTK_IS_ENTRY (widget) || GTK_IS_SEARCH_ENTRY (widget))
    {
      g_autofree char *placeholder = NULL;

      g_object_get (widget, "placeholder-text", &placeholder, NULL);
      if (has_text (placeholder))
        return TRUE;
    }
  if (in_titled_row (widget))
    return TRUE;
  /* The tooltip, as a last resort: GTK 4.8 gives it as the description.
   * Listed, so they can be given a label of their own. */
  if (has_text (gtk_widget_get_tooltip_text (widget)))
    {
      g_ptr_array_add (tooltip_only, g_strdup (gtk_widget_get_tooltip_text (widget)));
      return TRUE;
    }
  return FALSE;
}

static char *
describe (GtkWidget *widget)
{
  GString *path = g_string_new (NULL);

  for (GtkWidget *w = widget; w; w = gtk_widget_get_parent (w))
    {
      g_string_prepend (path, G_OBJECT_TYPE_NAME (w));
      if (has_text (gtk_widget_get_name (w)) && !g_str_equal (gtk_widget_get_name (w), G_OBJECT_TYPE_NAME (w)))
        {
          g_string_prepend_c (path, '#');
          g_string_prepend (path, gtk_widget_get_name (w));
          g_string_prepend_c (path, ' ');
        }
      if (gtk_widget_get_parent (w))
        g_string_prepend (path, " > ");
    }
  if (GTK_IS_ACTIONABLE (widget) && gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)))
    g_string_append_printf (path, " [%s]", gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)));
  return g_string_free (path, FALSE);
}

static void
walk (GtkWidget *widget,
      GPtrArray *unnamed)
{
  if (!gtk_widget_get_visible (widget) || (!GTK_IS_ROOT (widget) && !gtk_widget_get_child_visible (widget)))
    return;
  if (is_actionable (widget))
    {
      n_checked++;
      if (!is_named (widget))
        g_ptr_array_add (unnamed, describe (widget));
    }
  /* A spin button's +/- are read as the spin button's; a text's parts
   * are the text. */
  if (GTK_IS_SPIN_BUTTON (widget) || GTK_IS_TEXT (widget))
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    walk (child, unnamed);
}

static void
assert_all_named (GtkWidget  *root,
                  const char *where)
{
  g_autoptr(GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);

  walk (root, unnamed);
  for (guint i = 0; i < unnamed->len; i++)
    g_test_message ("%s: unnamed: %s", where, (char *)g_ptr_array_index (unnamed, i));
  if (unnamed->len > 0)
    g_test_fail_printf ("%u unnamed controls on %s, the first: %s", unnamed->len, where,
                        (char *)g_ptr_array_index (unnamed, 0));
}

/* The walk can fail: an icon button with nothing else is found, and named
 * by each of the ways a name may be given. */
static void
test_detects_unnamed (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *button = gtk_button_new_from_icon_name ("list-add-symbolic");
  g_autoptr(GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);

  gtk_box_append (GTK_BOX (box), button);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  walk (window, unnamed);
  g_assert_cmpuint (unnamed->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (unnamed, 0), "GtkButton"));

  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, "Add", -1);
  g_assert_true (is_named (button));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_every_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TdStore) store = NULL;
  TdWindow *window;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), "school.db", NULL);
  store = td_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (td_example_fill (store, &td_example_school_size, &error));
  g_assert_no_error (error);

  window = td_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", page_names[i]));
      td_test_iterate (200);
      n_checked = 0;
      assert_all_named (GTK_WIDGET (window), page_names[i]);
      /* The walk reaches the controls: the sidebar's nine rows at least. */
      g_assert_cmpuint (n_checked, >=, G_N_ELEMENTS (page_names));
    }

  /* Preferences, over the window. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL));
  td_test_iterate (200);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

        if (TD_IS_PREFERENCES_WINDOW (toplevel))
          {
            assert_all_named (GTK_WIDGET (toplevel), "preferences");
            gtk_window_destroy (GTK_WINDOW (toplevel));
          }
      }
  }

  for (guint i = 0; i < tooltip_only->len; i++)
    g_test_message ("named by its tooltip only: %s", (char *)g_ptr_array_index (tooltip_only, i));

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  td_test_iterate (50);
  g_assert_finalize_object (window);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("TD_LOCALEDIR");

  if (td_test_in_chinese () && setlocale (LC_ALL, "") == NULL)
    g_error ("The zh_CN.UTF-8 locale is not installed (locale-gen zh_CN.UTF-8).");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  td_test_ui_init ();
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  g_test_add_func ("/a11y/detects-unnamed", test_detects_unnamed);
  g_test_add_func ("/a11y/every-page", test_every_page);

  tooltip_only = g_ptr_array_new_with_free_func (g_free);
  {
    int status = g_test_run ();

    g_ptr_array_unref (tooltip_only);
    return status;
  }
}
