/* td-pdf-file.h: a PDF written to a file whole or not at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* Writes a whole PDF to @stream (td_form_render_write_pdf(),
 * td_trainer_sheet_write_pdf()). */
typedef gboolean (*TdPdfWriteFunc) (gpointer        data,
                                    GOutputStream  *stream,
                                    GCancellable   *cancellable,
                                    GError        **error);

/* A PDF surface writing into a stream: the first write error is kept in
 * @error and stops the writing. */
typedef struct
{
  GOutputStream *stream;
  GCancellable  *cancellable;
  GError        *error;
} TdPdfStream;

cairo_surface_t *td_pdf_stream_surface_new (TdPdfStream *out,
                                            double       width,
                                            double       height,
                                            const char  *title,
                                            const char  *author,
                                            const char  *subject,
                                            GDateTime   *created);
cairo_status_t   td_pdf_stream_finish      (TdPdfStream     *out,
                                            cairo_surface_t *surface,
                                            cairo_status_t   drawn);

gboolean td_pdf_file_save (const char      *path,
                           TdPdfWriteFunc   write,
                           gpointer         data,
                           GError         **error);

G_END_DECLS
