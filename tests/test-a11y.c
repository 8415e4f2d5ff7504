/* test-a11y.c: every control a person can act on has a name (issue 13)
 *
 * Opens the window on the example school, shows every page, then the
 * Preferences window and the import dialog (a sheet with a missing venue,
 * an unknown state and a bad row: every group it has shown), and walks
 * the widget tree: a button, menu button,
 * toggle, switch, check button, activatable list row or entry that is shown
 * and has no name a screen reader could read (its label, a mnemonic label,
 * GTK_ACCESSIBLE_PROPERTY_LABEL, the title of the
 * row it sits in, or its tooltip as a last resort) fails the test, named
 * by its path in the tree. A control whose tooltip repeats its label is
 * read twice (GTK 4.8 gives the tooltip as the accessible description, and
 * a screen reader reads the name, then the description: "Sign Off, Sign
 * Off the Form"): that fails too, unless the description was set to what
 * the tooltip adds. (A description that is the name is dropped by Orca:
 * an icon button's tooltip and label may be the same.) GTK 4.8 reads the ARIA state back only through
 * gtk/gtktestatcontext.h (GTK_A11Y=test, set by tests/meson.build).
 *
 * Then the same pages at 560 px and in the dark style: nothing wider than
 * the window; and no colour in the style sheet that is not one of
 * libadwaita's named colours (light and dark follow those).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-test-ui.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "td-class-editor.h"
#include "td-enrol-dialog.h"
#include "td-outcome-dialog.h"
#include "td-session-editor.h"
#include "td-classes-page.h"
#include "td-equipment-page.h"
#include "td-example-classes.h"
#include "td-example.h"
#include "td-import-dialog.h"
#include "td-preferences-window.h"
#include "td-record-page-private.h"
#include "td-window.h"

static const char * const page_names[] = {
  "overview", "school", "programmes", "trainers", "equipment",
  "guarantees", "results", "classes", "form", "outbox",
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

/* A label as said aloud, to compare with a tooltip: no mnemonic ("(_S)",
 * "(S)"), no ellipsis, folded case. */
static char *
spoken (const char *text)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *folded = NULL;

  for (const char *p = text; *p; p++)
    {
      if (p[0] == '(' && p[1] && (p[2] == ')' || (p[1] == '_' && p[2] && p[3] == ')')))
        {
          p += p[1] == '_' ? 3 : 2;
          continue;
        }
      if (*p == '_' || (*p == '.' && p[1] == '.'))
        continue;
      if (g_str_has_prefix (p, "…"))
        {
          p += strlen ("…") - 1;
          continue;
        }
      if (*p == '.')
        continue;
      g_string_append_c (s, *p);
    }
  folded = g_utf8_casefold (s->str, -1);
  return g_strstrip (g_steal_pointer (&folded));
}

/* The text of the label a control is named by, or NULL (not a label of
 * the menu it opens). */
static const char *
label_text (GtkWidget *widget)
{
  if (GTK_IS_POPOVER (widget))
    return NULL;
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) && has_text (gtk_label_get_text (GTK_LABEL (widget))))
    return gtk_label_get_text (GTK_LABEL (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      const char *text = label_text (child);

      if (text != NULL)
        return text;
    }
  return NULL;
}

/* Read twice: named by its label, described by a tooltip that says the
 * label again. */
static gboolean
reads_twice (GtkWidget *widget)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);
  const char *label = label_text (widget);
  g_autofree char *differs = NULL;
  g_autofree char *said_label = NULL;
  g_autofree char *said_tooltip = NULL;

  /* GTK 4.8 names a button with a label by that label's text. */
  if (!has_text (tooltip) || label == NULL)
    return FALSE;
  /* The description is the tooltip, unless set to something else. */
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION))
    {
      differs = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                    tooltip);
      if (differs != NULL)
        return FALSE;
    }
  said_label = spoken (label);
  said_tooltip = spoken (tooltip);
  /* The same words twice are said once (Orca drops a description that
   * is the name); more words that start over are not. */
  return *said_label != '\0' && strstr (said_tooltip, said_label) != NULL && !g_str_equal (said_tooltip, said_label);
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

static GPtrArray *twice;

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
      else if (reads_twice (widget))
        g_ptr_array_add (twice, describe (widget));
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

  g_ptr_array_set_size (twice, 0);
  walk (root, unnamed);
  for (guint i = 0; i < twice->len; i++)
    g_test_message ("%s: read twice: %s", where, (char *)g_ptr_array_index (twice, i));
  if (twice->len > 0)
    g_test_fail_printf ("%u controls on %s whose tooltip repeats their name, the first: %s", twice->len, where,
                        (char *)g_ptr_array_index (twice, 0));
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

/* A mnemonic button whose tooltip says its label again is found; one
 * whose description says only what the tooltip adds is not. */
static void
test_detects_read_twice (void)
{
  GtkWidget *button = g_object_ref_sink (gtk_button_new_with_mnemonic ("_Sign Off…"));
  GtkWidget *chinese = g_object_ref_sink (gtk_button_new_with_mnemonic ("签发(_S)…"));

  g_assert_false (reads_twice (button));
  gtk_widget_set_tooltip_text (button, "Sign Off the Form (Ctrl+Alt+S)");
  g_assert_true (reads_twice (button));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "Ctrl+Alt+S", -1);
  g_assert_false (reads_twice (button));

  gtk_widget_set_tooltip_text (chinese, "签发意向表 (Ctrl+Alt+S)");
  g_assert_true (reads_twice (chinese));
  /* The import dialog's button, as it was: "Import, Import the Rows". */
  {
    GtkWidget *import = g_object_ref_sink (gtk_button_new_with_mnemonic ("_Import"));

    gtk_widget_set_tooltip_text (import, "Import the Rows (Ctrl+Enter)");
    g_assert_true (reads_twice (import));
    gtk_accessible_update_property (GTK_ACCESSIBLE (import), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "Ctrl+Enter", -1);
    g_assert_false (reads_twice (import));
    g_object_unref (import);
  }
  /* A tooltip that is the name, as icon buttons have, is said once. */
  gtk_widget_set_tooltip_text (chinese, "签发…");
  g_assert_false (reads_twice (chinese));
  g_object_unref (button);
  g_object_unref (chinese);
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
    GtkWidget *preferences = td_test_find_toplevel (TD_TYPE_PREFERENCES_WINDOW);

    g_assert_nonnull (preferences);
    assert_all_named (preferences, "preferences");
    gtk_window_destroy (GTK_WINDOW (preferences));
  }

  for (guint i = 0; i < tooltip_only->len; i++)
    g_test_message ("named by its tooltip only: %s", (char *)g_ptr_array_index (tooltip_only, i));

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  td_test_iterate (50);
  g_assert_finalize_object (window);
}

/* The Classes page with classes in it: its list, a class's detail and
 * the editor (the example school has no classes: test_every_page walks
 * the empty page). */
static void
test_classes (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TdStore) store = NULL;
  TdExampleClasses size = { .years = 1, .last_year = 2025, .classes_per_year = 3, .trainees_per_class = 4,
                            .sessions_per_class = 3, .returning = 0, .seed = 1 };
  TdClassesPage *page;
  TdWindow *window;
  gint64 give_up;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), "classes.db", NULL);
  store = td_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (td_example_fill (store, &td_example_school_size, &error));
  g_assert_no_error (error);
  g_assert_true (td_example_classes_fill (store, &size, &error));
  g_assert_no_error (error);

  window = td_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "classes"));
  page = TD_CLASSES_PAGE (td_window_get_page_widget (window, "classes"));
  give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  td_test_iterate (50);
  while (td_classes_page_is_busy (page) && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (td_classes_page_get_n_shown (page), ==, 3);
  n_checked = 0;
  assert_all_named (GTK_WIDGET (window), "classes list");
  g_assert_cmpuint (n_checked, >=, 3 + 10);

  g_signal_emit_by_name (td_classes_page_get_row (page, 0), "activate");
  td_test_iterate (50);
  while (td_classes_page_is_busy (page) && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (td_classes_page_get_view (page), ==, "detail");
  assert_all_named (GTK_WIDGET (window), "class detail");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "classes.add", NULL));
  {
    TdClassEditor *editor = td_test_wait_for_toplevel (TD_TYPE_CLASS_EDITOR);

    td_test_iterate (100);
    assert_all_named (GTK_WIDGET (editor), "class editor");
    gtk_window_destroy (GTK_WINDOW (editor));
  }

  /* The dialogs that run the class: its editor over the class, a session
   * with the trainers' hours, enrolment, a trainee's outcome. */
  {
    static const char * const actions[] = { "classes.edit", "classes.add-session", "classes.enrol", "classes.edit-outcome" };
    const GType types[] = { TD_TYPE_CLASS_EDITOR, TD_TYPE_SESSION_EDITOR, TD_TYPE_ENROL_DIALOG, TD_TYPE_OUTCOME_DIALOG };
    GtkWidget *roster = td_test_find_descendant (td_classes_page_get_group (page, "roster"), GTK_TYPE_LIST_BOX);
    GtkWidget *trainee = gtk_widget_get_first_child (roster);
    g_autofree char *enrolment = NULL;

    g_assert_true (ADW_IS_ACTION_ROW (trainee));
    enrolment = g_variant_dup_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (trainee)), NULL);
    for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
      {
        GtkWidget *dialog;

        if (i == 3)
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), actions[i], "s", enrolment));
        else
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), actions[i], NULL));
        dialog = td_test_wait_for_toplevel (types[i]);
        td_test_iterate (100);
        assert_all_named (dialog, actions[i]);
        gtk_window_destroy (GTK_WINDOW (dialog));
        td_test_iterate (20);
      }
  }

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  td_test_iterate (50);
  g_assert_finalize_object (window);
}

/* The import dialog, with every group it can show: the missing venue to
 * create, the state to map, a row with a problem (its Save List… button),
 * the columns and the first rows. Named, and read once. */
static void
test_import_dialog (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(TdStore) store = NULL;
  GtkWidget *equipment;
  TdRecordPage *page;
  TdImportDialog *dialog = NULL;
  TdWindow *window;
  gint64 give_up;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), "import.db", NULL);
  store = td_store_open (path, &error);
  g_assert_no_error (error);
  csv = g_build_filename (g_get_user_data_dir (), "equipment.csv", NULL);
  g_assert_true (g_file_set_contents (csv,
                                      "名称,型号,数量,单价,场所,购置年份,状态\r\n"
                                      "数控车床,CK6140,3,85000,数控实训中心,2019,使用中\r\n"
                                      "台钻,Z4116,很多,3000,数控实训中心,2021,闲置\r\n",
                                      -1, &error));
  g_assert_no_error (error);

  window = td_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "equipment"));
  equipment = td_window_get_page_widget (window, "equipment");
  td_equipment_page_show_kind (TD_EQUIPMENT_PAGE (equipment), "equipment");
  page = TD_RECORD_PAGE (td_equipment_page_get_records_page (TD_EQUIPMENT_PAGE (equipment), "equipment"));
  td_test_iterate (100);

  td_record_page_import_from (page, csv);
  give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!((dialog = td_record_page_get_import_dialog (page)) != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog)) &&
           !td_import_dialog_is_busy (dialog) && td_import_dialog_get_summary (dialog) != NULL))
    {
      if (g_get_monotonic_time () > give_up)
        g_error ("The import dialog's preview did not come");
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  td_test_iterate (100);
  /* What the walk is to reach: the fixes and the problems shown. */
  g_assert_nonnull (td_import_dialog_get_create_switch (dialog));
  g_assert_nonnull (td_import_dialog_get_choice_row (dialog, 0));
  g_assert_cmpuint (td_import_dialog_get_n_problems_shown (dialog), >=, 1);

  n_checked = 0;
  assert_all_named (GTK_WIDGET (dialog), "import dialog");
  /* Cancel, Import, the switch, Save List… and the seven columns' drop-downs
   * (the choice's combo row is named by its title, as preferences rows are). */
  g_test_message ("import dialog: %u controls checked", n_checked);
  g_assert_cmpuint (n_checked, >=, 11);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.cancel", NULL));
  td_test_iterate (100);
  g_assert_null (td_record_page_get_import_dialog (page));

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  td_test_iterate (50);
  g_assert_finalize_object (window);
}

/* Every shown widget inside the window's width (scrolled content may be
 * taller, and wider only in a table that scrolls sideways); the overlay scrollbars' sliders grow over the
 * edge when hovered, and a header bar's frame reaches a pixel past it. */
static char *
find_overflow (GtkWidget *root,
               GtkWidget *widget,
               int        width)
{
  graphene_rect_t bounds;

  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget) ||
      !gtk_widget_get_mapped (widget) || GTK_IS_SCROLLBAR (widget))
    return NULL;
  if (widget != root && gtk_widget_get_width (widget) > 0 &&
      gtk_widget_compute_bounds (widget, root, &bounds) &&
      (bounds.origin.x < -2 || bounds.origin.x + bounds.size.width > width + 2))
    return g_strdup_printf ("%s at x %.0f, %.0f wide", describe (widget), bounds.origin.x, bounds.size.width);
  /* A table scrolls sideways inside its own frame: reachable, not cut. */
  if (GTK_IS_SCROLLED_WINDOW (widget))
    {
      GtkPolicyType h;

      gtk_scrolled_window_get_policy (GTK_SCROLLED_WINDOW (widget), &h, NULL);
      if (h != GTK_POLICY_NEVER)
        return NULL;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      char *found = find_overflow (root, child, width);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* At 560 px, in the dark style: every page fits the window. */
static void
test_narrow_dark (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TdStore) store = NULL;
  AdwStyleManager *manager = adw_style_manager_get_default ();
  TdWindow *window;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), "narrow.db", NULL);
  store = td_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (td_example_fill (store, &td_example_school_size, &error));
  g_assert_no_error (error);

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  window = td_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      int width, minimum = 0;
      g_autofree char *overflow = NULL;
      g_autofree char *name = g_strdup_printf ("narrow-%s", page_names[i]);

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", page_names[i]));
      td_test_iterate (300);
      width = gtk_widget_get_width (GTK_WIDGET (window));
      g_assert_cmpint (width, <=, 560);
      gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      g_test_message ("%s: window %d px, its minimum %d px", page_names[i], width, minimum);
      g_assert_cmpint (minimum, <=, width);
      overflow = find_overflow (GTK_WIDGET (window), GTK_WIDGET (window), width);
      if (overflow != NULL)
        g_test_fail_printf ("%s at %d px: wider than the window: %s", page_names[i], width, overflow);
      td_test_save_screenshot (GTK_WIDGET (window), name);
    }

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  td_test_iterate (50);
  g_assert_finalize_object (window);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
}

/* Colours only by libadwaita's names (@accent_color, @success_color…) and
 * currentColor: a "#fff" or "rgb()" is right in one style and wrong in the
 * other. */
static void
test_named_colours (void)
{
  g_autoptr(GBytes) css = g_resources_lookup_data (RESOURCE_PATH "/style.css", 0, NULL);
  g_autoptr(GRegex) literal = g_regex_new ("#[0-9a-fA-F]{3,8}\\b|\\b(rgba?|hsla?)\\s*\\(|"
                                           ":[^;{}]*\\b(white|black|red|green|blue|gray|grey|yellow|orange)\\b",
                                           0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GRegex) comments = g_regex_new ("/\\*.*?\\*/", G_REGEX_DOTALL, 0, NULL);
  g_autofree char *text = NULL;

  g_assert_nonnull (css);
  /* Comments may say what they like. */
  text = g_regex_replace_literal (comments, g_bytes_get_data (css, NULL), g_bytes_get_size (css), 0, "", 0, NULL);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "@success_color"));
  if (g_regex_match (literal, text, 0, &match))
    {
      g_autofree char *found = g_match_info_fetch (match, 0);

      g_test_fail_printf ("style.css has a colour of its own: %s", found);
    }

  /* The check can fail. */
  g_clear_pointer (&match, g_match_info_free);
  g_assert_true (g_regex_match (literal, "label { color: #3584e4; }", 0, NULL));
  g_assert_true (g_regex_match (literal, "label { background: rgba(0, 0, 0, 0.1); }", 0, NULL));
  g_assert_false (g_regex_match (literal, "label { color: alpha(@success_color, 0.12); }", 0, NULL));
}

int
main (int   argc,
      char *argv[])
{
  td_test_ui_main_init (&argc, &argv);

  g_test_add_func ("/a11y/detects-unnamed", test_detects_unnamed);
  g_test_add_func ("/a11y/detects-read-twice", test_detects_read_twice);
  g_test_add_func ("/a11y/every-page", test_every_page);
  g_test_add_func ("/a11y/classes", test_classes);
  g_test_add_func ("/a11y/import-dialog", test_import_dialog);
  g_test_add_func ("/a11y/narrow-dark", test_narrow_dark);
  g_test_add_func ("/a11y/named-colours", test_named_colours);

  tooltip_only = g_ptr_array_new_with_free_func (g_free);
  twice = g_ptr_array_new_with_free_func (g_free);
  {
    int status = g_test_run ();

    g_ptr_array_unref (tooltip_only);
    g_ptr_array_unref (twice);
    return status;
  }
}
