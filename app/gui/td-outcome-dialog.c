/* td-outcome-dialog.c: what became of a trainee — assessment,
 * certificate, follow-up
 *
 * Opened from a roster row. The three parts are saved together by
 * td_enrolment_set_outcome() (one transaction): an office enters them
 * from one sheet, and a certificate without a pass, or an employer with
 * no date, is refused as a whole, in the core's words. The trainee is
 * named at the top with the ID number masked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-outcome-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "td-class-edit.h"
#include "td-class-list.h"
#include "td-class-rows.h"
#include "td-outcome-dialog.h"

struct _TdOutcomeDialog
{
  AdwWindow            parent_instance;

  TdStore             *store;
  char                *enrolment_uuid;

  GtkLabel            *error_label;
  AdwPreferencesPage  *page;
  AdwPreferencesGroup *trainee_group;
  AdwComboRow         *result_row;
  AdwComboRow         *certificate_row;
  AdwEntryRow         *level_row;
  AdwEntryRow         *number_row;
  AdwEntryRow         *certificate_on_row;
  AdwEntryRow         *employed_on_row;
  AdwEntryRow         *employer_row;
  GtkSwitch           *self_employed_switch;
};

G_DEFINE_FINAL_TYPE (TdOutcomeDialog, td_outcome_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
td_outcome_dialog_save_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  TdOutcomeDialog *self = TD_OUTCOME_DIALOG (widget);
  g_autofree char *level = td_class_rows_text (self->level_row);
  g_autofree char *number = td_class_rows_text (self->number_row);
  g_autofree char *certificate_on = td_class_rows_text (self->certificate_on_row);
  g_autofree char *employed_on = td_class_rows_text (self->employed_on_row);
  g_autofree char *employer = td_class_rows_text (self->employer_row);
  g_autoptr(GError) error = NULL;
  TdOutcomeField field;
  TdEnrolmentOutcome o;

  td_class_rows_clear (self->error_label, GTK_WIDGET (self->page));
  o = (TdEnrolmentOutcome) {
    .result = td_class_rows_choice_id (self->result_row, td_class_results ()),
    .certificate_kind = td_class_rows_choice_id (self->certificate_row, td_class_certificates ()),
    .certificate_level = level,
    .certificate_number = number,
    .certificate_on = certificate_on[0] != '\0' ? certificate_on : NULL,
    .employed_on = employed_on[0] != '\0' ? employed_on : NULL,
    .employed_by = employer,
    .self_employed = gtk_switch_get_active (self->self_employed_switch),
  };
  /* Checked first to learn which part to mark; a refusal about a choice
   * goes when another is chosen. */
  if (!td_enrolment_check_outcome (&o, &field, &error))
    {
      switch (field)
        {
        case TD_OUTCOME_FIELD_RESULT:
          td_class_rows_refuse_choice (self->error_label, self->result_row, error->message);
          break;
        case TD_OUTCOME_FIELD_CERTIFICATE_KIND:
          td_class_rows_refuse_choice (self->error_label, self->certificate_row, error->message);
          break;
        case TD_OUTCOME_FIELD_CERTIFICATE_ON:
          td_class_rows_refuse (self->error_label, self->certificate_on_row, error->message);
          break;
        case TD_OUTCOME_FIELD_EMPLOYED_ON:
          td_class_rows_refuse (self->error_label, self->employed_on_row, error->message);
          break;
        default:
          /* The switch and the employer: the message says to clear one. */
          td_class_rows_refuse (self->error_label, NULL, error->message);
          break;
        }
      return;
    }
  if (!td_enrolment_set_outcome (self->store, self->enrolment_uuid, &o, &error))
    {
      td_class_rows_refuse (self->error_label, NULL, error->message);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, self->enrolment_uuid);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
td_outcome_dialog_cancel_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

static void
td_outcome_dialog_finalize (GObject *object)
{
  TdOutcomeDialog *self = TD_OUTCOME_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->enrolment_uuid, g_free);

  G_OBJECT_CLASS (td_outcome_dialog_parent_class)->finalize (object);
}

static void
td_outcome_dialog_class_init (TdOutcomeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = td_outcome_dialog_finalize;

  /**
   * TdOutcomeDialog::saved:
   * @uuid: the enrolment's
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-outcome-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TdOutcomeDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, TdOutcomeDialog, page);
  gtk_widget_class_bind_template_child (widget_class, TdOutcomeDialog, trainee_group);
  gtk_widget_class_bind_template_child (widget_class, TdOutcomeDialog, result_row);
  gtk_widget_class_bind_template_child (widget_class, TdOutcomeDialog, certificate_row);
  gtk_widget_class_bind_template_child (widget_class, TdOutcomeDialog, level_row);
  gtk_widget_class_bind_template_child (widget_class, TdOutcomeDialog, number_row);
  gtk_widget_class_bind_template_child (widget_class, TdOutcomeDialog, certificate_on_row);
  gtk_widget_class_bind_template_child (widget_class, TdOutcomeDialog, employed_on_row);
  gtk_widget_class_bind_template_child (widget_class, TdOutcomeDialog, employer_row);
  gtk_widget_class_bind_template_child (widget_class, TdOutcomeDialog, self_employed_switch);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, td_outcome_dialog_save_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, td_outcome_dialog_cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
td_outcome_dialog_init (TdOutcomeDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  td_class_rows_fill_choices (self->result_row, td_class_results ());
  td_class_rows_fill_choices (self->certificate_row, td_class_certificates ());
}

/**
 * td_outcome_dialog_new:
 *
 * Returns: (nullable): the dialog over the enrolment's outcome as stored;
 *   NULL, and @error set, when it cannot be read. Emits ::saved once
 *   written, and closes.
 */
TdOutcomeDialog *
td_outcome_dialog_new (TdStore     *store,
                       GtkWindow   *parent,
                       const char  *enrolment_uuid,
                       GError     **error)
{
  g_autoptr(TdEnrolmentRecord) r = NULL;
  g_autofree char *who = NULL;
  TdOutcomeDialog *self;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  if (!(r = td_enrolment_read (store, enrolment_uuid, error)))
    return NULL;
  self = g_object_new (TD_TYPE_OUTCOME_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->enrolment_uuid = g_strdup (enrolment_uuid);

  adw_preferences_group_set_title (self->trainee_group, r->name[0] ? r->name : _("Removed on request"));
  /* Translators: a masked ID number */
  who = g_strdup_printf (_("ID %s"), r->id_number_masked);
  adw_preferences_group_set_description (self->trainee_group, r->id_number_masked[0] ? who : NULL);

  td_class_rows_select (self->result_row, td_class_results (), r->outcome.result);
  td_class_rows_select (self->certificate_row, td_class_certificates (), r->outcome.certificate_kind);
  gtk_editable_set_text (GTK_EDITABLE (self->level_row), r->outcome.certificate_level);
  gtk_editable_set_text (GTK_EDITABLE (self->number_row), r->outcome.certificate_number);
  gtk_editable_set_text (GTK_EDITABLE (self->certificate_on_row),
                         r->outcome.certificate_on ? r->outcome.certificate_on : "");
  gtk_editable_set_text (GTK_EDITABLE (self->employed_on_row), r->outcome.employed_on ? r->outcome.employed_on : "");
  gtk_editable_set_text (GTK_EDITABLE (self->employer_row), r->outcome.employed_by);
  gtk_switch_set_active (self->self_employed_switch, r->outcome.self_employed);
  return self;
}

/* For the tests: "level", "number", "certificate-on", "employed-on" or
 * "employer". */
void
td_outcome_dialog_set_text (TdOutcomeDialog *self,
                            const char      *field,
                            const char      *text)
{
  struct { const char *field; AdwEntryRow *row; } rows[] = {
    { "level", self->level_row }, { "number", self->number_row },
    { "certificate-on", self->certificate_on_row }, { "employed-on", self->employed_on_row },
    { "employer", self->employer_row },
  };

  g_return_if_fail (TD_IS_OUTCOME_DIALOG (self));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_str_equal (rows[i].field, field))
      gtk_editable_set_text (GTK_EDITABLE (rows[i].row), text);
}

/* For the tests: "result-row" or "certificate-row", by position. */
void
td_outcome_dialog_set_choice (TdOutcomeDialog *self,
                              const char      *field,
                              guint            position)
{
  g_return_if_fail (TD_IS_OUTCOME_DIALOG (self));

  adw_combo_row_set_selected (g_str_equal (field, "result-row") ? self->result_row : self->certificate_row,
                              position);
}

void
td_outcome_dialog_set_self_employed (TdOutcomeDialog *self,
                                     gboolean         self_employed)
{
  g_return_if_fail (TD_IS_OUTCOME_DIALOG (self));

  gtk_switch_set_active (self->self_employed_switch, self_employed);
}

const char *
td_outcome_dialog_get_error (TdOutcomeDialog *self)
{
  g_return_val_if_fail (TD_IS_OUTCOME_DIALOG (self), NULL);

  return td_class_rows_get_error (self->error_label);
}
