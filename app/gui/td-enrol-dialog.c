/* td-enrol-dialog.c: one trainee put on a class's roster by hand
 *
 * For the trainee who turns up without being on the imported roster:
 * td_class_enrol() (one transaction) finds the person by ID number or
 * adds them. The number is checked by the core (GB 11643's check digit;
 * the 15-digit numbers of before 1999 refused with what to do instead),
 * in its words, and the ID row marked. The dialog is the one place the
 * number is typed in full; once saved, it is shown masked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-enrol-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "td-class-list.h"
#include "td-class-rows.h"
#include "td-classes.h"
#include "td-enrol-dialog.h"
#include "td-id-number.h"

struct _TdEnrolDialog
{
  AdwWindow           parent_instance;

  TdStore            *store;
  char               *class_uuid;

  GtkLabel           *error_label;
  AdwPreferencesPage *page;
  AdwEntryRow        *name_row;
  AdwEntryRow        *id_row;
  AdwEntryRow        *phone_row;
  AdwComboRow        *key_group_row;
  AdwComboRow        *employment_row;
  AdwEntryRow        *employer_row;
};

G_DEFINE_FINAL_TYPE (TdEnrolDialog, td_enrol_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
td_enrol_dialog_save_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  TdEnrolDialog *self = TD_ENROL_DIALOG (widget);
  g_autofree char *name = td_class_rows_text (self->name_row);
  g_autofree char *id = td_class_rows_text (self->id_row);
  g_autofree char *phone = td_class_rows_text (self->phone_row);
  g_autofree char *employer = td_class_rows_text (self->employer_row);
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  TdEnrolInfo info;

  td_class_rows_clear (self->error_label, GTK_WIDGET (self->page));
  if (name[0] == '\0')
    {
      td_class_rows_refuse (self->error_label, self->name_row, _("Give the trainee’s name."));
      return;
    }
  if (id[0] == '\0')
    {
      td_class_rows_refuse (self->error_label, self->id_row,
                            _("Give the trainee’s ID number: it is how the same person is known in every class."));
      return;
    }
  info = (TdEnrolInfo) {
    .name = name, .id_number = id, .phone = phone, .employer = employer,
    .key_group = td_class_rows_choice_id (self->key_group_row, td_class_key_groups ()),
    .employment = td_class_rows_choice_id (self->employment_row, td_class_employments ()),
  };
  if (!td_class_enrol (self->store, self->class_uuid, &info, &uuid, &error))
    {
      AdwEntryRow *row = NULL;

      if (error->domain == TD_ID_NUMBER_ERROR)
        row = self->id_row;
      else if (phone[0] != '\0' && g_error_matches (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID) &&
               strstr (error->message, "****") != NULL)
        row = self->phone_row;
      td_class_rows_refuse (self->error_label, row, error->message);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, uuid, name);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
td_enrol_dialog_cancel_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

static void
td_enrol_dialog_finalize (GObject *object)
{
  TdEnrolDialog *self = TD_ENROL_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->class_uuid, g_free);

  G_OBJECT_CLASS (td_enrol_dialog_parent_class)->finalize (object);
}

static void
td_enrol_dialog_class_init (TdEnrolDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = td_enrol_dialog_finalize;

  /**
   * TdEnrolDialog::saved:
   * @uuid: the enrolment's
   * @name: the trainee's
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-enrol-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TdEnrolDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, TdEnrolDialog, page);
  gtk_widget_class_bind_template_child (widget_class, TdEnrolDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, TdEnrolDialog, id_row);
  gtk_widget_class_bind_template_child (widget_class, TdEnrolDialog, phone_row);
  gtk_widget_class_bind_template_child (widget_class, TdEnrolDialog, key_group_row);
  gtk_widget_class_bind_template_child (widget_class, TdEnrolDialog, employment_row);
  gtk_widget_class_bind_template_child (widget_class, TdEnrolDialog, employer_row);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, td_enrol_dialog_save_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, td_enrol_dialog_cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
td_enrol_dialog_init (TdEnrolDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  td_class_rows_fill_choices (self->key_group_row, td_class_key_groups ());
  td_class_rows_fill_choices (self->employment_row, td_class_employments ());
}

/**
 * td_enrol_dialog_new:
 *
 * Emits ::saved once the trainee is on @class_uuid's roster, and closes.
 */
TdEnrolDialog *
td_enrol_dialog_new (TdStore    *store,
                     GtkWindow  *parent,
                     const char *class_uuid)
{
  TdEnrolDialog *self;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);
  g_return_val_if_fail (class_uuid != NULL, NULL);

  self = g_object_new (TD_TYPE_ENROL_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->class_uuid = g_strdup (class_uuid);
  return self;
}

/* For the tests: "name", "id-number", "phone" or "employer". */
void
td_enrol_dialog_set_text (TdEnrolDialog *self,
                          const char    *field,
                          const char    *text)
{
  AdwEntryRow *row = NULL;

  g_return_if_fail (TD_IS_ENROL_DIALOG (self));

  if (g_str_equal (field, "name"))
    row = self->name_row;
  else if (g_str_equal (field, "id-number"))
    row = self->id_row;
  else if (g_str_equal (field, "phone"))
    row = self->phone_row;
  else if (g_str_equal (field, "employer"))
    row = self->employer_row;
  g_return_if_fail (row != NULL);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* For the tests: "key-group-row" or "employment-row", by position. */
void
td_enrol_dialog_set_choice (TdEnrolDialog *self,
                            const char    *field,
                            guint          position)
{
  g_return_if_fail (TD_IS_ENROL_DIALOG (self));

  adw_combo_row_set_selected (g_str_equal (field, "key-group-row") ? self->key_group_row : self->employment_row,
                              position);
}

const char *
td_enrol_dialog_get_error (TdEnrolDialog *self)
{
  g_return_val_if_fail (TD_IS_ENROL_DIALOG (self), NULL);

  return td_class_rows_get_error (self->error_label);
}
