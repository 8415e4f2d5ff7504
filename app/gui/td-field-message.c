/* td-field-message.c: the row under a field that says what is wrong with it
 *
 * Used by the school page and the record editor, so a field's message looks
 * and reads the same everywhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-field-message"

#include "config.h"

#include "td-field-message.h"

/**
 * td_field_message_new:
 * @label: (out): the label the message goes in
 *
 * An AdwPreferencesRow, so a preferences group keeps it in its list, right
 * under its field (other children go after the list). Hidden until shown.
 *
 * Returns: (transfer floating): the row
 */
GtkWidget *
td_field_message_new (GtkLabel **label)
{
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *text = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_widget_set_margin_start (text, 12);
  gtk_widget_set_margin_end (text, 12);
  gtk_widget_set_margin_top (text, 6);
  gtk_widget_set_margin_bottom (text, 8);
  gtk_widget_add_css_class (text, "error");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), text);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_add_css_class (row, "field-message");
  gtk_widget_set_visible (row, FALSE);
  *label = GTK_LABEL (text);
  return row;
}

/**
 * td_field_message_show:
 * @field_row: (nullable): the field's row, marked invalid while a message shows
 * @message: (nullable): what is wrong, or %NULL to hide the message
 */
void
td_field_message_show (GtkWidget  *field_row,
                       GtkWidget  *message_row,
                       GtkLabel   *label,
                       const char *message)
{
  gboolean shown = message != NULL;

  gtk_label_set_text (label, shown ? message : "");
  gtk_widget_set_visible (message_row, shown);
  if (field_row == NULL)
    return;
  if (shown)
    gtk_widget_add_css_class (field_row, "error");
  else
    gtk_widget_remove_css_class (field_row, "error");
  /* Screen readers hear the reason with the field. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (field_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, shown ? message : "",
                                  -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (field_row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               shown ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}
