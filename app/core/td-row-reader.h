/* td-row-reader.h: the rows of a CSV file or an Excel workbook, one by one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-csv.h"

G_BEGIN_DECLS

typedef struct _TdRowReader TdRowReader;

gboolean     td_row_reader_can_read     (const char          *path);
TdRowReader *td_row_reader_new          (const char          *path,
                                         GError             **error);
void         td_row_reader_free         (TdRowReader         *reader);
gboolean     td_row_reader_rewind       (TdRowReader         *reader,
                                         GError             **error);
gboolean     td_row_reader_next         (TdRowReader         *reader,
                                         const char * const **cells,
                                         guint               *n_cells,
                                         guint               *line,
                                         GError             **error);
double       td_row_reader_get_fraction (TdRowReader         *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdRowReader, td_row_reader_free)

G_END_DECLS
