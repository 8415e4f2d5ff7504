/* td-form-page-print.c: the intent form on paper
 *
 * Ctrl+P prints the form with the drawing of the preview and the PDF; once
 * a revision is signed, what is printed is its PDF, byte for byte, as many
 * copies as the campaign asks of the school's type (一式N份).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-form-page"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtkunixprint.h>

#include "td-form-page-private.h"
#include "td-form-render.h"
#include "td-gui-util.h"
#include "td-revision.h"
#include "td-school.h"

static void
td_form_page_print_begin_cb (GtkPrintOperation *operation,
                             GtkPrintContext   *context,
                             TdFormRender      *render)
{
  gtk_print_operation_set_n_pages (operation, td_form_render_count_pages (render));
}

static void
td_form_page_print_draw_page_cb (GtkPrintOperation *operation,
                                 GtkPrintContext   *context,
                                 int                page,
                                 TdFormRender      *render)
{
  td_form_render_page (render, page, gtk_print_context_get_cairo_context (context));
}

/* The sealed paper copies the campaign asks of this school (一式N份,
 * docs/campaign.md `paper_copies`): the print dialog's default. */
static int
td_form_page_print_paper_copies (TdFormPage *self)
{
  TdSchool *school = td_session_get_school (self->session);
  const TdRecipient *recipient =
    school ? td_campaign_recipient_for (self->campaign, td_school_get (school, TD_SCHOOL_TYPE)) : NULL;

  return recipient && recipient->paper_copies > 0 ? recipient->paper_copies : 1;
}

/* What printing starts from, the form or its signed PDF: as many copies
 * as the campaign asks. */
GtkPrintSettings *
td_form_page_create_print_settings (TdFormPage *self)
{
  GtkPrintSettings *settings = gtk_print_settings_new ();

  gtk_print_settings_set_n_copies (settings, td_form_page_print_paper_copies (self));
  return settings;
}

static GtkPageSetup *
td_form_page_print_create_page_setup (void)
{
  GtkPageSetup *setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);

  gtk_page_setup_set_paper_size (setup, a4);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  return setup;
}

/* Printed with the same drawing as the preview and the PDF: A4, the whole
 * page, in points, as many copies as the campaign asks. The operation
 * keeps its renderer. */
static GtkPrintOperation *
td_form_page_print_create_operation (TdFormPage *self)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = td_form_page_print_create_page_setup ();
  g_autoptr(GtkPrintSettings) settings = td_form_page_create_print_settings (self);
  TdFormRender *render;

  gtk_print_operation_set_print_settings (operation, settings);

  td_form_page_flush (self);
  render = td_form_render_new (self->form, self->campaign, NULL);
  g_object_set_data_full (G_OBJECT (operation), "td-render", render, g_object_unref);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, td_campaign_get_title (self->campaign));
  g_signal_connect (operation, "begin-print", G_CALLBACK (td_form_page_print_begin_cb), render);
  g_signal_connect (operation, "draw-page", G_CALLBACK (td_form_page_print_draw_page_cb), render);
  return operation;
}

/* Printing a signed form.
 *
 * What the principal signed is the revision's PDF, byte for byte: printing
 * it again through the renderer could differ (fonts, a later version of
 * the layout), and a sealed paper copy must be what was signed. So, while
 * the form is unchanged since its last signed revision, Ctrl+P sends that
 * PDF itself to the printer (GtkPrintUnixDialog, then a GtkPrintJob whose
 * source is the PDF written to a file of its own). */

/* Returns: (transfer full) (nullable): the signed revision the page's form
 *   still is, or %NULL when none is or the form changed since. */
TdRevision *
td_form_page_dup_signed_revision (TdFormPage *self)
{
  g_autoptr(TdRevision) latest = NULL;
  g_autoptr(TdForm) signed_form = NULL;
  g_autoptr(GPtrArray) changes = NULL;

  td_form_page_flush (self);
  latest = td_revision_load_latest (self->store, td_campaign_get_id (self->campaign), NULL);
  if (latest == NULL || !td_revision_is_signed (latest) ||
      !(signed_form = td_revision_dup_form (latest, NULL)))
    return NULL;
  changes = td_form_diff (signed_form, self->form);
  return changes->len == 0 ? g_steal_pointer (&latest) : NULL;
}

static void
td_form_page_print_remove_file (char *path)
{
  g_unlink (path);
  g_free (path);
}

/**
 * td_form_page_create_print_job:
 *
 * A job that sends @revision's signed PDF, unchanged, to @printer. The PDF
 * is written to a file of its own in the cache, removed with the job.
 *
 * Returns: (transfer full) (nullable)
 */
GtkPrintJob *
td_form_page_create_print_job (TdFormPage        *self,
                               TdRevision        *revision,
                               GtkPrinter        *printer,
                               GtkPrintSettings  *settings,
                               GtkPageSetup      *setup,
                               GError           **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "training-desk", "printing", NULL);
  g_autofree char *name = g_strdup_printf ("%s.pdf", td_revision_get_uuid (revision));
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *title = NULL;
  g_autoptr(GtkPrintJob) job = NULL;
  GBytes *pdf = td_revision_get_pdf (revision);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }
  if (!g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize)g_bytes_get_size (pdf), error))
    return NULL;

  /* Translators: the form's title, then a revision's number */
  title = g_strdup_printf (_("%s, revision %lld (signed)"), td_campaign_get_title (self->campaign),
                           (long long)td_revision_get_number (revision));
  job = gtk_print_job_new (title, printer, settings, setup);
  g_object_set_data_full (G_OBJECT (job), "td-path", g_strdup (path), (GDestroyNotify)td_form_page_print_remove_file);
  if (!gtk_print_job_set_source_file (job, path, error))
    return NULL;
  return g_steal_pointer (&job);
}

static void
td_form_page_print_job_done_cb (GtkPrintJob  *job,
                                gpointer      user_data,
                                const GError *error)
{
  g_autoptr(TdFormPage) self = user_data;

  if (error != NULL && gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    td_gui_show_error (GTK_WIDGET (self), _("Printing Failed"), error);
}

static void
td_form_page_print_dialog_response_cb (GtkDialog  *dialog,
                                       int         response,
                                       TdFormPage *self)
{
  GtkPrintUnixDialog *print_dialog = GTK_PRINT_UNIX_DIALOG (dialog);
  TdRevision *revision = g_object_get_data (G_OBJECT (dialog), "td-revision");
  GtkPrinter *printer = gtk_print_unix_dialog_get_selected_printer (print_dialog);
  g_autoptr(GtkPrintSettings) settings = gtk_print_unix_dialog_get_settings (print_dialog);
  g_autoptr(GtkPrintJob) job = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_OK && printer != NULL)
    {
      if (!gtk_printer_accepts_pdf (printer))
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                     _("The printer “%s” does not take PDF files, and the signed form is one. "
                       "Choose another printer, or save the revision’s PDF from Revisions and print it from a PDF viewer."),
                     gtk_printer_get_name (printer));
      else if ((job = td_form_page_create_print_job (self, revision, printer, settings,
                                                     gtk_print_unix_dialog_get_page_setup (print_dialog), &error)))
        gtk_print_job_send (job, td_form_page_print_job_done_cb, g_object_ref (self), NULL);
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (error != NULL)
    td_gui_show_error (GTK_WIDGET (self), _("Printing Failed"), error);
}

static void
td_form_page_print_signed (TdFormPage *self,
                           TdRevision *revision)
{
  g_autoptr(GtkPrintSettings) settings = td_form_page_create_print_settings (self);
  g_autoptr(GtkPageSetup) setup = td_form_page_print_create_page_setup ();
  /* Translators: a revision's number */
  g_autofree char *title = g_strdup_printf (_("Print Signed Revision %lld"), (long long)td_revision_get_number (revision));
  GtkWidget *dialog = gtk_print_unix_dialog_new (title, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));

  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_print_unix_dialog_set_settings (GTK_PRINT_UNIX_DIALOG (dialog), settings);
  gtk_print_unix_dialog_set_page_setup (GTK_PRINT_UNIX_DIALOG (dialog), setup);
  gtk_print_unix_dialog_set_embed_page_setup (GTK_PRINT_UNIX_DIALOG (dialog), FALSE);
  g_object_set_data_full (G_OBJECT (dialog), "td-revision", g_object_ref (revision), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (td_form_page_print_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
td_form_page_print_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  TdFormPage *self = TD_FORM_PAGE (widget);
  g_autoptr(TdRevision) signed_revision = td_form_page_dup_signed_revision (self);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;

  if (signed_revision != NULL)
    {
      td_form_page_print_signed (self, signed_revision);
      return;
    }
  operation = td_form_page_print_create_operation (self);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (gtk_widget_get_root (widget)), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    td_gui_show_error (GTK_WIDGET (self), _("Printing Failed"), error);
}

/* The print operation of Ctrl+P, run without its dialog into a PDF file:
 * what the printer would be sent. */
gboolean
td_form_page_print_to_file (TdFormPage  *self,
                            const char  *path,
                            GError     **error)
{
  g_autoptr(GtkPrintOperation) operation = td_form_page_print_create_operation (self);
  GtkPrintOperationResult result;

  gtk_print_operation_set_export_filename (operation, path);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT,
                                    GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    return FALSE;
  if (result != GTK_PRINT_OPERATION_RESULT_APPLY)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Printing was cancelled."));
      return FALSE;
    }
  return TRUE;
}

void
td_form_page_class_add_print_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "form.print", NULL, td_form_page_print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "form.print", NULL);
}
