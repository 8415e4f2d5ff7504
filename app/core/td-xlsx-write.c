/* td-xlsx-write.c: writing Excel workbooks (.xlsx)
 *
 * libxlsxwriter (1.1.4 and later) in its constant-memory mode: one sheet,
 * a bold header row, text always as text, so that 0531-8888888 or a long
 * code never turns into a number. Reading is in td-xlsx.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-xlsx"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <xlsxwriter.h>

#include "td-limits.h"
#include "td-xlsx.h"

/* Column widths that fit the header and the first rows, in Excel's
 * character units: a Chinese character is two. */
static void
td_xlsx_set_widths (lxw_worksheet *sheet,
                    TdTable       *table)
{
  guint n_columns = 0;
  g_autofree double *widths = NULL;

  for (guint r = 0; r < td_table_get_n_rows (table) && r < 200; r++)
    {
      guint n;

      td_table_get_row (table, r, &n);
      n_columns = MAX (n_columns, n);
    }
  widths = g_new0 (double, n_columns);
  for (guint r = 0; r < td_table_get_n_rows (table) && r < 200; r++)
    for (guint c = 0; c < n_columns; c++)
      {
        const char *cell = td_table_get_cell (table, r, c);
        double width = 0;

        for (const char *p = cell; *p && *p != '\n'; p = g_utf8_next_char (p))
          width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
        widths[c] = MAX (widths[c], width);
      }
  for (guint c = 0; c < n_columns; c++)
    worksheet_set_column (sheet, c, c, CLAMP (widths[c] + 2, 8, 60), NULL);
}

static gboolean
td_xlsx_write_failed (GError      **error,
                      const char   *display,
                      lxw_error     code)
{
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
               _("Could not write “%s”: %s."), display, lxw_strerror (code));
  return FALSE;
}

/**
 * td_xlsx_write:
 * @sheet_name: (nullable): the sheet's name
 * @numeric: (nullable): per column, whether numbers in it are written as
 *   numbers (which Excel can add up); any other cell is text
 *
 * Writes @table to @path, its first row as a bold header, through a
 * temporary file renamed over @path: a failure leaves @path as it was.
 */
gboolean
td_xlsx_write (TdTable         *table,
               const char      *path,
               const char      *sheet_name,
               const gboolean  *numeric,
               GError         **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *tmp = g_strconcat (path, ".XXXXXX", NULL);
  lxw_workbook_options options = { .constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE };
  lxw_workbook *workbook;
  lxw_worksheet *sheet;
  lxw_format *bold;
  lxw_error rc = LXW_NO_ERROR;
  guint n_numeric = 0;
  int fd;

  fd = g_mkstemp (tmp);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not write “%s”: %s."), display, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  workbook = workbook_new_opt (tmp, &options);
  if (workbook == NULL)
    {
      g_unlink (tmp);
      return td_xlsx_write_failed (error, display, LXW_ERROR_CREATING_TMPFILE);
    }
  if (sheet_name && workbook_validate_sheet_name (workbook, sheet_name) != LXW_NO_ERROR)
    sheet_name = NULL;
  sheet = workbook_add_worksheet (workbook, sheet_name);
  bold = workbook_add_format (workbook);
  format_set_bold (bold);
  td_xlsx_set_widths (sheet, table);
  worksheet_freeze_panes (sheet, 1, 0);

  if (numeric)
    {
      guint n = 0;

      if (td_table_get_n_rows (table) > 0)
        td_table_get_row (table, 0, &n);
      n_numeric = n;
    }

  for (guint r = 0; r < td_table_get_n_rows (table) && rc == LXW_NO_ERROR; r++)
    {
      guint n_cells;
      const char * const *cells = td_table_get_row (table, r, &n_cells);

      for (guint c = 0; c < n_cells && rc == LXW_NO_ERROR; c++)
        {
          const char *cell = cells[c];
          char *end = NULL;
          double number;

          if (cell[0] == '\0')
            continue;
          if (r == 0)
            {
              rc = worksheet_write_string (sheet, r, c, cell, bold);
              continue;
            }
          if (c < n_numeric && numeric[c])
            {
              number = g_ascii_strtod (cell, &end);
              if (end != cell && *end == '\0' && isfinite (number))
                {
                  rc = worksheet_write_number (sheet, r, c, number, NULL);
                  continue;
                }
            }
          rc = worksheet_write_string (sheet, r, c, cell, NULL);
        }
    }

  /* Closing writes the file, and frees the workbook whatever happens. */
  if (rc == LXW_NO_ERROR)
    rc = workbook_close (workbook);
  else
    workbook_close (workbook);
  if (rc != LXW_NO_ERROR)
    {
      g_unlink (tmp);
      return td_xlsx_write_failed (error, display, rc);
    }

  g_chmod (tmp, 0644);
  if (g_rename (tmp, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not write “%s”: %s."), display, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}
