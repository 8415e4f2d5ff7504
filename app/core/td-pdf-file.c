/* td-pdf-file.c: a PDF written to a file whole or not at all
 *
 * The intent form and the trainer's sheet are saved the same way: into a
 * temporary file beside @path that replaces it only once the PDF is whole
 * and closed (GFile's replace), so a failure halfway leaves the old file
 * as it was, and the error names the file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-pdf-file"

#include "config.h"

#include <glib/gi18n.h>

#include "td-pdf-file.h"

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
