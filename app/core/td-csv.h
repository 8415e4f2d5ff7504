/* td-csv.h: tables of text as files hold them (TdTable), and CSV
 *
 * A TdTable is what td_csv_read() and td_xlsx_read() give the importer,
 * and what the exporter hands td_csv_write() and td_xlsx_write(): rows of
 * text cells, each row with the line (CSV) or row number (xlsx) a person
 * finds it at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TD_TABLE_ERROR (td_table_error_quark ())

typedef enum
{
  TD_TABLE_ERROR_ENCODING,    /* not UTF-8, UTF-16 or GB18030 text */
  TD_TABLE_ERROR_SYNTAX,      /* a quote never closed */
  TD_TABLE_ERROR_NOT_A_TABLE, /* a workbook that cannot be read */
  TD_TABLE_ERROR_LIMIT,       /* beyond a limit of td-limits.h */
} TdTableError;

typedef struct _TdTable TdTable;

GQuark               td_table_error_quark  (void);

TdTable             *td_table_new          (void);
void                 td_table_free         (TdTable             *table);
void                 td_table_add_row      (TdTable             *table,
                                            guint                line);
void                 td_table_add_cell     (TdTable             *table,
                                            const char          *text);
void                 td_table_add_cells    (TdTable             *table,
                                            guint                line,
                                            const char * const  *cells,
                                            guint                n_cells);
guint                td_table_get_n_rows   (TdTable             *table);
guint                td_table_get_line     (TdTable             *table,
                                            guint                row);
const char * const  *td_table_get_row      (TdTable             *table,
                                            guint                row,
                                            guint               *n_cells);
const char          *td_table_get_cell     (TdTable             *table,
                                            guint                row,
                                            guint                column);
gboolean             td_table_row_is_blank (TdTable             *table,
                                            guint                row);

TdTable             *td_csv_read           (const char          *data,
                                            gsize                length,
                                            GError             **error);
TdTable             *td_csv_read_file      (const char          *path,
                                            GError             **error);
void                 td_csv_append_row     (GString             *out,
                                            const char * const  *cells,
                                            guint                n_cells);
gboolean             td_csv_write          (TdTable             *table,
                                            const char          *path,
                                            GError             **error);
gboolean             td_csv_write_full     (TdTable             *table,
                                            const char          *path,
                                            const gboolean      *numeric,
                                            GError             **error);
gboolean             td_csv_is_formula_like (const char         *cell);

/* Reading row by row, in bounded memory. */
typedef struct _TdCsvReader TdCsvReader;

TdCsvReader         *td_csv_reader_new     (const char          *path,
                                            GError             **error);
void                 td_csv_reader_free    (TdCsvReader         *reader);
gboolean             td_csv_reader_rewind  (TdCsvReader         *reader,
                                            GError             **error);
gboolean             td_csv_reader_next    (TdCsvReader         *reader,
                                            const char * const **cells,
                                            guint               *n_cells,
                                            guint               *line,
                                            GError             **error);
double               td_csv_reader_get_fraction (TdCsvReader    *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdTable, td_table_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdCsvReader, td_csv_reader_free)

G_END_DECLS
