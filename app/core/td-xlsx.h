/* td-xlsx.h: reading and writing Excel workbooks (.xlsx)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-csv.h"

G_BEGIN_DECLS

TdTable  *td_xlsx_read  (const char      *path,
                         GError         **error);
gboolean  td_xlsx_write (TdTable         *table,
                         const char      *path,
                         const char      *sheet_name,
                         const gboolean  *numeric,
                         GError         **error);

/* Reading the first sheet row by row, in bounded memory. */
typedef struct _TdXlsxReader TdXlsxReader;

TdXlsxReader *td_xlsx_reader_new          (const char          *path,
                                           GError             **error);
void          td_xlsx_reader_free         (TdXlsxReader        *reader);
gboolean      td_xlsx_reader_rewind       (TdXlsxReader        *reader,
                                           GError             **error);
gboolean      td_xlsx_reader_next         (TdXlsxReader        *reader,
                                           const char * const **cells,
                                           guint               *n_cells,
                                           guint               *line,
                                           GError             **error);
double        td_xlsx_reader_get_fraction (TdXlsxReader        *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdXlsxReader, td_xlsx_reader_free)

G_END_DECLS
