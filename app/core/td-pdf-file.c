/* td-pdf-file.c: a PDF written to a file whole or not at all
 *
 * The intent form and the trainer's sheet are saved the same way: into a
 * temporary file beside @path that replaces it only once the PDF is whole
 * and closed (GFile's replace), so a failure halfway leaves the old file
 * as it was, and the error names the file. Both are drawn on a cairo PDF
 * surface writing into a GOutputStream, with the same metadata.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-pdf-file"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>

#include "td-pdf-file.h"

static cairo_status_t
td_pdf_file_write_cb (void                *user_data,
                      const unsigned char *data,
                      unsigned int         length)
{
  TdPdfStream *out = user_data;

  if (out->error)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (out->stream, data, length, NULL, out->cancellable, &out->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

/**
 * td_pdf_stream_surface_new:
 * @author: (nullable): the school, or "" or NULL for none
 * @subject: (nullable)
 *
 * A PDF surface of one page size writing into @out's stream, with its
 * title, author, subject, "Training Desk" as creator and @created as its
 * dates.
 */
cairo_surface_t *
td_pdf_stream_surface_new (TdPdfStream *out,
                           double       width,
                           double       height,
                           const char  *title,
                           const char  *author,
                           const char  *subject,
                           GDateTime   *created)
{
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (td_pdf_file_write_cb, out, width, height);
  g_autofree char *date = g_date_time_format (created, "%Y-%m-%dT%H:%M:%S%:z");

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  if (author != NULL && author[0] != '\0')
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, author);
  if (subject != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, subject);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Training Desk");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_MOD_DATE, date);
  return surface;
}

/**
 * td_pdf_stream_finish:
 * @drawn: the drawing context's status, taken before it was destroyed
 *
 * Finishes and frees @surface. Returns the first failure: @drawn's, else
 * the surface's; a failed write leaves its error in @out's.
 */
cairo_status_t
td_pdf_stream_finish (TdPdfStream     *out,
                      cairo_surface_t *surface,
                      cairo_status_t   drawn)
{
  cairo_status_t status = drawn;

  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  return status;
}

/**
 * td_pdf_file_save:
 * @write: writes the PDF to a stream
 *
 * Writes the PDF @write makes to @path, replacing it only once it is whole.
 */
gboolean
td_pdf_file_save (const char      *path,
                  TdPdfWriteFunc   write,
                  gpointer         data,
                  GError         **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (write != NULL, FALSE);

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, &local_error);
  if (stream == NULL ||
      !write (data, G_OUTPUT_STREAM (stream), NULL, &local_error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &local_error))
    {
      g_autofree char *display = g_filename_display_name (path);

      /* Closing unfinished leaves the old file (if any) in place. */
      if (stream)
        {
          g_autoptr(GCancellable) cancelled = g_cancellable_new ();

          g_cancellable_cancel (cancelled);
          g_output_stream_close (G_OUTPUT_STREAM (stream), cancelled, NULL);
        }
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not write “%s”: %s"), display, local_error->message);
      return FALSE;
    }
  return TRUE;
}
