/* td-pdf-file.h: a PDF written to a file whole or not at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Writes a whole PDF to @stream (td_form_render_write_pdf(),
 * td_trainer_sheet_write_pdf()). */
typedef gboolean (*TdPdfWriteFunc) (gpointer        data,
                                    GOutputStream  *stream,
                                    GCancellable   *cancellable,
                                    GError        **error);

gboolean td_pdf_file_save (const char      *path,
                           TdPdfWriteFunc   write,
                           gpointer         data,
                           GError         **error);

G_END_DECLS
