/* td-record-page-io.c: a record page's import and export
 *
 * The core does the work (td-import.h, td-export.h), off the main loop;
 * the import's column mapping and preview are TdImportDialog's. Here: the
 * file choosers, and the toasts that say how it went.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-record-page"

#include "config.h"

#include <glib/gi18n.h>

#include "td-chart.h"
#include "td-export.h"
#include "td-import.h"
#include "td-record-page-private.h"

static void
td_record_page_add_file_filters (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) xlsx = gtk_file_filter_new ();

  gtk_file_filter_set_name (all, _("Spreadsheets (.xlsx, .csv)"));
  gtk_file_filter_add_pattern (all, "*.[xX][lL][sS][xX]");
  gtk_file_filter_add_pattern (all, "*.[cC][sS][vV]");
  gtk_file_filter_set_name (xlsx, _("Excel workbooks (.xlsx)"));
  gtk_file_filter_add_pattern (xlsx, "*.[xX][lL][sS][xX]");
  gtk_file_filter_set_name (csv, _("CSV files (.csv)"));
  gtk_file_filter_add_pattern (csv, "*.[cC][sS][vV]");
  gtk_file_chooser_add_filter (chooser, all);
  gtk_file_chooser_add_filter (chooser, xlsx);
  gtk_file_chooser_add_filter (chooser, csv);
}

static GtkFileChooserNative *
td_record_page_new_chooser (TdRecordPage         *self,
                            const char           *title,
                            GtkFileChooserAction  action,
                            const char           *accept)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         action, accept, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  td_record_page_add_file_filters (GTK_FILE_CHOOSER (chooser));
  return chooser;
}

static void
td_record_page_toast (TdRecordPage *self,
                      const char   *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static char *
td_record_page_path_of (GtkFileChooserNative *chooser,
                        int                   response)
{
  g_autoptr(GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return NULL;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  return file ? g_file_get_path (file) : NULL;
}

static void
td_record_page_export_response_cb (TdRecordPage         *self,
                                   int                   response,
                                   GtkFileChooserNative *chooser)
{
  g_autofree char *path = td_record_page_path_of (chooser, response);

  g_clear_object (&self->chooser);
  td_record_page_actions_update (self);
  if (path != NULL)
    td_record_page_export_to (self, path);
}

static void
td_record_page_export_done_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(TdRecordPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *display = NULL;
  guint n = 0;

  self->exporting = FALSE;
  td_record_page_actions_update (self);
  if (!td_export_to_file_finish (TD_RECORD_LIST (object), result, &n, &error))
    {
      td_record_page_show_error (self, _("Could Not Export"), error);
      return;
    }
  display = g_filename_display_basename (self->export_path);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u row to “%s”",
                                          "Exported %u rows to “%s”", n),
                             n, display);
  td_record_page_toast (self, message);
}

/* What the list shows, as it is sorted: copied now, written to @path off
 * the main loop (a 100,000-row workbook takes a second). */
void
td_record_page_export_to (TdRecordPage *self,
                          const char   *path)
{
  g_return_if_fail (TD_IS_RECORD_PAGE (self));

  if (self->exporting)
    return;
  self->exporting = TRUE;
  g_free (self->export_path);
  self->export_path = g_strdup (path);
  td_record_page_actions_update (self);
  td_export_to_file_async (self->list, G_LIST_MODEL (self->shown), path, NULL,
                           td_record_page_export_done_cb, g_object_ref (self));
}

gboolean
td_record_page_is_exporting (TdRecordPage *self)
{
  return self->exporting;
}

void
td_record_page_export_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  TdRecordPage *self = TD_RECORD_PAGE (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = g_strdup_printf ("%s-%s.xlsx", g_dgettext (GETTEXT_PACKAGE, self->kind->title), date);

  if (self->chooser != NULL)
    return;
  self->chooser = td_record_page_new_chooser (self, _("Export the List"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (td_record_page_export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
  td_record_page_actions_update (self);
}

static void
td_record_page_import_finished (TdRecordPage *self)
{
  self->committing = FALSE;
  g_clear_object (&self->import);
  /* The dialog shows the commit's progress until it ends. */
  if (self->import_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->import_dialog));
  td_record_page_actions_update (self);
}

static void
td_record_page_commit_done_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(TdRecordPage) self = user_data;
  TdImport *import = TD_IMPORT (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!td_import_commit_finish (import, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        td_record_page_show_error (self, _("Could Not Import"), error);
      td_record_page_import_finished (self);
      return;
    }

  {
    g_autofree char *added = td_format_count (td_import_get_count (import, TD_IMPORT_NEW));
    g_autofree char *updated = td_format_count (td_import_get_count (import, TD_IMPORT_UPDATE));

    /* Translators: after an import: new records, then records changed */
    message = g_strdup_printf (_("Imported: %s new, %s updated"), added, updated);
  }
  td_record_page_toast (self, message);
  td_record_page_import_finished (self);
}

/* Import pressed in the dialog: every row, in one transaction, off the
 * main loop; the toast says how it went. */
static void
td_record_page_import_commit_cb (TdRecordPage   *self,
                                 TdImportDialog *dialog)
{
  if (self->import == NULL)
    return;
  self->committing = TRUE;
  td_import_commit_async (self->import, self->cancellable, td_record_page_commit_done_cb, g_object_ref (self));
}

static void
td_record_page_import_dialog_destroy_cb (TdRecordPage   *self,
                                         TdImportDialog *dialog)
{
  g_clear_weak_pointer (&self->import_dialog);
  if (!self->committing)
    td_record_page_import_finished (self);
}

static void
td_record_page_import_response_cb (TdRecordPage         *self,
                                   int                   response,
                                   GtkFileChooserNative *chooser)
{
  g_autofree char *path = td_record_page_path_of (chooser, response);

  g_clear_object (&self->chooser);
  td_record_page_actions_update (self);
  if (path != NULL)
    td_record_page_import_from (self, path);
}

/* Reads @path and asks which column fills which field, with a preview;
 * the user commits from there. */
void
td_record_page_import_from (TdRecordPage *self,
                            const char   *path)
{
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TdImportDialog *dialog;

  g_return_if_fail (TD_IS_RECORD_PAGE (self));

  if (self->import != NULL)
    return;
  self->import = td_import_new (self->list, path, &error);
  if (self->import == NULL)
    {
      td_record_page_show_error (self, _("Could Not Import"), error);
      td_record_page_import_finished (self);
      return;
    }
  td_record_page_actions_update (self);

  dialog = td_import_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->import);
  g_signal_connect_object (dialog, "commit", G_CALLBACK (td_record_page_import_commit_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (td_record_page_import_dialog_destroy_cb), self, G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->import_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

TdImportDialog *
td_record_page_get_import_dialog (TdRecordPage *self)
{
  g_return_val_if_fail (TD_IS_RECORD_PAGE (self), NULL);

  return self->import_dialog;
}

void
td_record_page_import_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  TdRecordPage *self = TD_RECORD_PAGE (widget);

  if (self->chooser != NULL || self->import != NULL)
    return;
  self->chooser = td_record_page_new_chooser (self, _("Import a Spreadsheet"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"));
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (td_record_page_import_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
  td_record_page_actions_update (self);
}

