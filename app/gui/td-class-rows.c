/* td-class-rows.c: what the classes' dialogs do with their rows alike
 *
 * The session, enrolment and outcome dialogs (and the class editor's
 * ways, which they follow) fill combo rows from a TdChoice table, read
 * numbers typed in entry rows, and refuse in one place: the message
 * above the rows, the row marked and focused, the message read aloud;
 * the message goes as soon as the marked row is edited.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-class-rows"

#include "config.h"

#include <glib/gi18n.h>

#include "td-class-rows.h"

void
td_class_rows_fill_choices (AdwComboRow    *row,
                            const TdChoice *choices)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; choices[i].id != NULL; i++)
    gtk_string_list_append (list, g_dgettext (GETTEXT_PACKAGE, choices[i].label));
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
}

void
td_class_rows_select (AdwComboRow    *row,
                      const TdChoice *choices,
                      const char     *id)
{
  for (guint i = 0; choices[i].id != NULL; i++)
    if (g_strcmp0 (choices[i].id, id) == 0)
      adw_combo_row_set_selected (row, i);
}

const char *
td_class_rows_choice_id (AdwComboRow    *row,
                         const TdChoice *choices)
{
  guint i = adw_combo_row_get_selected (row);

  return i == GTK_INVALID_LIST_POSITION ? choices[0].id : choices[i].id;
}

/* What is typed, without the spaces around it. */
char *
td_class_rows_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

void
td_class_rows_set_number (AdwEntryRow *row,
                          double       value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  gtk_editable_set_text (GTK_EDITABLE (row), g_ascii_formatd (text, sizeof text, "%g", value));
}

static void
td_class_rows_hide (GtkLabel *error_label)
{
  gtk_widget_set_visible (GTK_WIDGET (error_label), FALSE);
  gtk_label_set_text (error_label, "");
  gtk_accessible_reset_property (GTK_ACCESSIBLE (error_label), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void td_class_rows_marked_changed_cb (GtkWidget *row,
                                             GtkLabel  *error_label);
static void td_class_rows_unwatch (GtkWidget *row,
                                   GtkLabel  *error_label);

static void
td_class_rows_marked_chosen_cb (GtkWidget  *row,
                                GParamSpec *pspec,
                                GtkLabel   *error_label)
{
  td_class_rows_marked_changed_cb (row, error_label);
}

/* The marked row is being corrected: its message has had its say. */
static void
td_class_rows_marked_changed_cb (GtkWidget *row,
                                 GtkLabel  *error_label)
{
  td_class_rows_unwatch (row, error_label);
  gtk_widget_remove_css_class (row, "error");
  td_class_rows_hide (error_label);
}

/* Stops listening for the marked row's correction. */
static void
td_class_rows_unwatch (GtkWidget *row,
                       GtkLabel  *error_label)
{
  g_signal_handlers_disconnect_by_func (row, td_class_rows_marked_changed_cb, error_label);
  g_signal_handlers_disconnect_by_func (row, td_class_rows_marked_chosen_cb, error_label);
}

/* Marks @row (an entry or a combo row) until it is changed. */
static void
td_class_rows_mark (GtkLabel  *error_label,
                    GtkWidget *row)
{
  gtk_widget_add_css_class (row, "error");
  gtk_widget_grab_focus (row);
  td_class_rows_unwatch (row, error_label);
  if (ADW_IS_COMBO_ROW (row))
    g_signal_connect_object (row, "notify::selected", G_CALLBACK (td_class_rows_marked_chosen_cb), error_label, 0);
  else
    g_signal_connect_object (row, "changed", G_CALLBACK (td_class_rows_marked_changed_cb), error_label, 0);
}

/* Says @message above the rows and, when it is about @row, marks it and
 * puts the keyboard there; editing that row takes the message away. */
void
td_class_rows_refuse (GtkLabel    *error_label,
                      AdwEntryRow *row,
                      const char  *message)
{
  gtk_label_set_text (error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (error_label), TRUE);
  if (row != NULL)
    td_class_rows_mark (error_label, GTK_WIDGET (row));
  gtk_accessible_update_property (GTK_ACCESSIBLE (error_label), GTK_ACCESSIBLE_PROPERTY_LABEL, message, -1);
}

/* As td_class_rows_refuse(), for a message about a choice: choosing
 * again takes it away. */
void
td_class_rows_refuse_choice (GtkLabel    *error_label,
                             AdwComboRow *row,
                             const char  *message)
{
  td_class_rows_refuse (error_label, NULL, message);
  td_class_rows_mark (error_label, GTK_WIDGET (row));
}

/* A number ≥ 0 from @row; blank is @blank. FALSE (and refused) if not. */
gboolean
td_class_rows_number (GtkLabel    *error_label,
                      AdwEntryRow *row,
                      double       blank,
                      double      *value)
{
  g_autofree char *text = td_class_rows_text (row);
  char *end = NULL;

  if (text[0] == '\0')
    {
      *value = blank;
      return TRUE;
    }
  *value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !(*value >= 0))
    {
      /* Translators: a row's title, then what was typed in it */
      g_autofree char *message = g_strdup_printf (_("%s: “%s” is not a number of zero or more."),
                                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), text);

      td_class_rows_refuse (error_label, row, message);
      return FALSE;
    }
  return TRUE;
}

static void
td_class_rows_unmark (GtkWidget *widget,
                      GtkLabel  *error_label)
{
  if (ADW_IS_ENTRY_ROW (widget) || ADW_IS_COMBO_ROW (widget))
    {
      gtk_widget_remove_css_class (widget, "error");
      td_class_rows_unwatch (widget, error_label);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    td_class_rows_unmark (child, error_label);
}

/* Hides the message and unmarks every entry row under @container. */
void
td_class_rows_clear (GtkLabel  *error_label,
                     GtkWidget *container)
{
  td_class_rows_unmark (container, error_label);
  td_class_rows_hide (error_label);
}

const char *
td_class_rows_get_error (GtkLabel *error_label)
{
  return gtk_widget_get_visible (GTK_WIDGET (error_label)) ? gtk_label_get_text (error_label) : NULL;
}
