/* td-row-reader.c: the rows of a CSV file or an Excel workbook, one by one
 *
 * What the import reads through: the file's kind is told by its name
 * (.csv and .txt as CSV, .xlsx and .xlsm as a workbook), and either way
 * the rows come out one at a time, so a file of a million rows is read
 * in bounded memory, and read again from the start for a second pass.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-row-reader"

#include "config.h"

#include "td-row-reader.h"
#include "td-xlsx.h"

struct _TdRowReader
{
  TdCsvReader  *csv;
  TdXlsxReader *xlsx;
};

static gboolean
td_row_reader_is_workbook (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return g_str_has_suffix (lower, ".xlsx") || g_str_has_suffix (lower, ".xlsm");
}

/* Whether @path names a file of a kind this reads (by its name). */
gboolean
td_row_reader_can_read (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".txt") ||
         td_row_reader_is_workbook (path);
}

TdRowReader *
td_row_reader_new (const char  *path,
                   GError     **error)
{
  g_autoptr(TdRowReader) self = g_new0 (TdRowReader, 1);

  if (td_row_reader_is_workbook (path))
    self->xlsx = td_xlsx_reader_new (path, error);
  else
    self->csv = td_csv_reader_new (path, error);
  if (self->xlsx == NULL && self->csv == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

void
td_row_reader_free (TdRowReader *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->csv, td_csv_reader_free);
  g_clear_pointer (&self->xlsx, td_xlsx_reader_free);
  g_free (self);
}

gboolean
td_row_reader_rewind (TdRowReader  *self,
                      GError      **error)
{
  return self->xlsx ? td_xlsx_reader_rewind (self->xlsx, error)
                    : td_csv_reader_rewind (self->csv, error);
}

gboolean
td_row_reader_next (TdRowReader         *self,
                    const char * const **cells,
                    guint               *n_cells,
                    guint               *line,
                    GError             **error)
{
  return self->xlsx ? td_xlsx_reader_next (self->xlsx, cells, n_cells, line, error)
                    : td_csv_reader_next (self->csv, cells, n_cells, line, error);
}

double
td_row_reader_get_fraction (TdRowReader *self)
{
  return self->xlsx ? td_xlsx_reader_get_fraction (self->xlsx)
                    : td_csv_reader_get_fraction (self->csv);
}
