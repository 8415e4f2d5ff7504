/* td-form-page-campaign.c: another campaign for the intent form
 *
 * Import Campaign… reads and checks the file off the main loop and makes
 * it current in one transaction; This Year's Campaign… starts one from the
 * current (td-campaign-dialog.c). Both go through the session
 * (td_session_make_campaign_current()), which reads the school again: the
 * School page follows its "changed", the form page reloads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-form-page"

#include "config.h"

#include <glib/gi18n.h>

#include "td-campaign-dialog.h"
#include "td-form-page-private.h"
#include "td-gui-util.h"

/* This Year's Campaign… */

static void
td_form_page_campaign_saved_cb (TdFormPage *self,
                                TdCampaign *campaign)
{
  g_autofree char *deadline = td_campaign_describe_deadline (campaign, NULL);
  g_autofree char *message = NULL;

  /* The session read the school again (another province, perhaps): the
   * School page follows it. */
  td_form_page_reload (self);
  /* Translators: the campaign's form title, its notice, then "2026-06-30: 3 days left" */
  message = g_strdup_printf (_("Now answering %s (%s), due %s"),
                             td_campaign_get_title (campaign), td_campaign_get_notice (campaign), deadline);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* Opens the dialog that starts this year's campaign from the current one;
 * the page follows once it is saved. Returns it, for tests. */
TdCampaignDialog *
td_form_page_new_campaign (TdFormPage *self)
{
  TdCampaignDialog *dialog;

  td_form_page_flush (self);
  dialog = td_campaign_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->session);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (td_form_page_campaign_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
td_form_page_campaign_new_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  td_form_page_new_campaign (TD_FORM_PAGE (widget));
}

/* Import Campaign… */

static void
td_form_page_campaign_import_thread (GTask        *task,
                                     gpointer      source_object,
                                     gpointer      task_data,
                                     GCancellable *cancellable)
{
  GError *error = NULL;
  TdCampaign *campaign = td_campaign_new_from_file (task_data, cancellable, &error);

  if (campaign != NULL)
    g_task_return_pointer (task, campaign, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
td_form_page_campaign_import_read_cb (GObject      *object,
                                      GAsyncResult *result,
                                      gpointer      user_data)
{
  TdFormPage *self = TD_FORM_PAGE (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(TdCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *deadline = NULL;
  g_autofree char *message = NULL;

  /* The page went away meanwhile: its store may be closing. */
  if (g_cancellable_set_error_if_cancelled (self->cancellable, &error) ||
      !(campaign = g_task_propagate_pointer (G_TASK (result), &error)) ||
      !td_session_make_campaign_current (self->session, campaign, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The campaign may have moved the school to another province: the
   * session read it again, and the School page follows. */
  td_form_page_reload (self);
  deadline = td_campaign_describe_deadline (campaign, NULL);
  /* Translators: the campaign's form title, its notice, then "2021-06-30: 3 days left" */
  message = g_strdup_printf (td_campaign_is_past (campaign, NULL)
                             ? _("Now answering %s (%s), whose deadline has passed: %s")
                             : _("Now answering %s (%s), due %s"),
                             td_campaign_get_title (campaign), td_campaign_get_notice (campaign), deadline);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
  g_task_return_boolean (task, TRUE);
}

static void
td_form_page_campaign_import_done_cb (GObject      *object,
                                      GAsyncResult *result,
                                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!td_form_page_import_campaign_finish (TD_FORM_PAGE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    td_gui_show_error (GTK_WIDGET (object), _("The Campaign Was Not Imported"), error);
}

/* Reads and checks @file off the main loop, then makes it the campaign, in
 * one transaction; a bad file changes nothing. Without @callback, an error
 * is shown to the user. */
void
td_form_page_import_campaign (TdFormPage          *self,
                              GFile               *file,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, callback ? callback : td_form_page_campaign_import_done_cb,
                                      user_data);
  g_autoptr(GTask) read = g_task_new (self, self->cancellable, td_form_page_campaign_import_read_cb, g_steal_pointer (&task));

  g_task_set_source_tag (read, td_form_page_import_campaign);
  g_task_set_task_data (read, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (read, td_form_page_campaign_import_thread);
}

gboolean
td_form_page_import_campaign_finish (TdFormPage    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
td_form_page_campaign_import_chosen_cb (gpointer  owner,
                                        GFile    *file)
{
  TdFormPage *self = owner;

  if (file != NULL)
    td_form_page_import_campaign (self, file, NULL, NULL);
}

static void
td_form_page_campaign_import_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  TdFormPage *self = TD_FORM_PAGE (widget);
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;
  td_form_page_flush (self);

  gtk_file_filter_set_name (json, _("Campaign Files (JSON)"));
  gtk_file_filter_add_suffix (json, "json");
  gtk_file_filter_add_mime_type (json, "application/json");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");

  chooser = td_gui_file_chooser_new (widget, _("Import a Campaign"),
                                     GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), json);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  td_gui_file_chooser_show (chooser, &self->chooser, self, td_form_page_campaign_import_chosen_cb);
}

void
td_form_page_class_add_campaign_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "form.import-campaign", NULL,
                                   td_form_page_campaign_import_action);
  gtk_widget_class_install_action (widget_class, "form.new-campaign", NULL, td_form_page_campaign_new_action);
}
