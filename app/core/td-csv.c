/* td-csv.c: tables of text, and reading and writing them as CSV
 *
 * Reading takes the whole file at once and parses it in place: a cell is
 * never longer than its text in the file, so unquoted text is written over
 * the quotes and the delimiter after it becomes the cell's NUL. A 50 MB
 * file costs 50 MB (twice that while GB18030 is converted) and a pointer
 * per cell, and is read in well under a second.
 *
 * What Excel writes is what is read: UTF-8 with or without a byte order
 * mark, UTF-16 with one ("Unicode text"), and otherwise GB18030, of which
 * GBK and GB2312 (what Chinese Excel writes as "CSV") are subsets. Quoting
 * is RFC 4180's, read leniently: a stray quote inside unquoted text is
 * kept as text, as Excel does.
 *
 * Writing is UTF-8 with a byte order mark (without one, Chinese Excel reads
 * the file as GBK) and CRLF line ends, quoting only the cells that need it.
 *
 * A text cell that a spreadsheet would run as a formula (it starts with
 * = + - @, a tab or a line break: =HYPERLINK(…), =cmd|…) is written with a
 * single quote before it, as OWASP's "CSV injection" advises, so Excel and
 * LibreOffice show it as the text it is. Only text: a column the caller
 * marks numeric keeps its numbers as numbers (-5 stays a number Excel adds
 * up). Reading takes one such quote off again, so what Training Desk
 * exports it imports unchanged: a cell is read as written minus one quote
 * when it is one or more quotes and then one of those characters
 * (docs/limits.md).
 *
 * Every size is bounded (td-limits.h): the file, a row, a cell, the
 * columns, rows and cells. Empty cells beyond the last column read are
 * dropped; a value there refuses the file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-csv"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "td-csv.h"
#include "td-limits.h"

typedef struct
{
  guint line;
  guint first;     /* index of the row's first cell in cells */
  guint n_cells;
} Row;

struct _TdTable
{
  char         *buffer;  /* CSV: the text the cells point into */
  GStringChunk *chunk;   /* cells added by copy */
  GPtrArray    *cells;   /* const char*, every row's, one after another */
  GArray       *rows;    /* Row */
};

G_DEFINE_QUARK (td-table-error-quark, td_table_error)

TdTable *
td_table_new (void)
{
  TdTable *table = g_new0 (TdTable, 1);

  table->cells = g_ptr_array_new ();
  table->rows = g_array_new (FALSE, FALSE, sizeof (Row));
  return table;
}

void
td_table_free (TdTable *table)
{
  if (table == NULL)
    return;
  g_free (table->buffer);
  if (table->chunk)
    g_string_chunk_free (table->chunk);
  g_ptr_array_unref (table->cells);
  g_array_unref (table->rows);
  g_free (table);
}

/* Starts a row: the cells added next are its cells. */
void
td_table_add_row (TdTable *table,
                  guint    line)
{
  Row row = { line, table->cells->len, 0 };

  g_array_append_val (table->rows, row);
}

static inline void
add_cell_static (TdTable    *table,
                 const char *text)
{
  g_ptr_array_add (table->cells, (gpointer)text);
  g_array_index (table->rows, Row, table->rows->len - 1).n_cells++;
}

/* A cell at the end of the last row, copied. */
void
td_table_add_cell (TdTable    *table,
                   const char *text)
{
  g_return_if_fail (table->rows->len > 0);

  if (text == NULL || text[0] == '\0')
    {
      add_cell_static (table, "");
      return;
    }
  if (table->chunk == NULL)
    table->chunk = g_string_chunk_new (64 * 1024);
  add_cell_static (table, g_string_chunk_insert (table->chunk, text));
}

void
td_table_add_cells (TdTable            *table,
                    guint               line,
                    const char * const *cells,
                    guint               n_cells)
{
  td_table_add_row (table, line);
  for (guint i = 0; i < n_cells; i++)
    td_table_add_cell (table, cells[i]);
}

guint
td_table_get_n_rows (TdTable *table)
{
  return table->rows->len;
}

guint
td_table_get_line (TdTable *table,
                   guint    row)
{
  g_return_val_if_fail (row < table->rows->len, 0);

  return g_array_index (table->rows, Row, row).line;
}

/**
 * td_table_get_row:
 * @n_cells: (out): how many cells the row has (rows may differ)
 *
 * Returns: (transfer none) (array length=n_cells): the row's cells
 */
const char * const *
td_table_get_row (TdTable *table,
                  guint    row,
                  guint   *n_cells)
{
  const Row *r;

  g_return_val_if_fail (row < table->rows->len, NULL);

  r = &g_array_index (table->rows, Row, row);
  *n_cells = r->n_cells;
  return (const char * const *)table->cells->pdata + r->first;
}

/* A cell, "" past the end of a short row. */
const char *
td_table_get_cell (TdTable *table,
                   guint    row,
                   guint    column)
{
  guint n_cells;
  const char * const *cells = td_table_get_row (table, row, &n_cells);

  return column < n_cells ? cells[column] : "";
}

/* No cell holds more than spaces: a blank line, or ",,,,," as Excel
 * leaves below the data. */
gboolean
td_table_row_is_blank (TdTable *table,
                       guint    row)
{
  guint n_cells;
  const char * const *cells = td_table_get_row (table, row, &n_cells);

  for (guint i = 0; i < n_cells; i++)
    for (const char *p = cells[i]; *p; p++)
      if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
        return FALSE;
  return TRUE;
}

static guint
count_lines (const char *text,
             const char *end)
{
  guint lines = 1;

  for (const char *p = text; p < end; p++)
    if (*p == '\n')
      lines++;
  return lines;
}

/* Turns @data (@length bytes, with a NUL after them, which is freed) into
 * UTF-8 text without a byte order mark, or fails saying what it is. */
static char *
decode (char     *data,
        gsize     length,
        gsize    *out_length,
        GError  **error)
{
  g_autofree char *owned = data;
  const guchar *u = (const guchar *)data;
  const char *bad = NULL;
  char *utf8;
  gsize written = 0;

  if (length >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
    {
      if (!g_utf8_validate_len (data + 3, length - 3, &bad))
        {
          g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_ENCODING,
                       _("The file says it is UTF-8 text, but line %u is not. "
                         "Save it again as “CSV UTF-8” and try again."),
                       count_lines (data, bad));
          return NULL;
        }
      memmove (data, data + 3, length - 3 + 1);
      *out_length = length - 3;
      return g_steal_pointer (&owned);
    }

  if (length >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
    {
      g_autoptr(GError) local_error = NULL;

      utf8 = g_convert (data + 2, length - 2, "UTF-8", u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE",
                        NULL, &written, &local_error);
      if (utf8 == NULL)
        {
          g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_ENCODING,
                       _("The file says it is UTF-16 text, but it is damaged (%s). "
                         "Save it again as “CSV UTF-8” and try again."),
                       local_error->message);
          return NULL;
        }
      *out_length = written;
      return utf8;
    }

  /* Zeros: a binary file, most likely a workbook with the wrong name. */
  if (memchr (data, '\0', length) != NULL)
    {
      if (length >= 4 && memcmp (data, "PK\003\004", 4) == 0)
        g_set_error_literal (error, TD_TABLE_ERROR, TD_TABLE_ERROR_ENCODING,
                             _("This is an Excel workbook (.xlsx), not a CSV file. "
                               "Give it a name ending in .xlsx and import it again."));
      else if (length >= 4 && memcmp (data, "\xD0\xCF\x11\xE0", 4) == 0)
        g_set_error_literal (error, TD_TABLE_ERROR, TD_TABLE_ERROR_ENCODING,
                             _("This is an old Excel workbook (.xls). "
                               "Open it in Excel or WPS and save it as .xlsx or “CSV UTF-8”."));
      else
        g_set_error_literal (error, TD_TABLE_ERROR, TD_TABLE_ERROR_ENCODING,
                             _("This is not a text file. Save the table as .xlsx or “CSV UTF-8”."));
      return NULL;
    }

  if (g_utf8_validate_len (data, length, NULL))
    {
      *out_length = length;
      return g_steal_pointer (&owned);
    }

  /* Chinese Excel's "CSV (comma delimited)": the system's code page, GBK. */
  utf8 = g_convert (data, length, "UTF-8", "GB18030", NULL, &written, NULL);
  if (utf8 == NULL)
    {
      g_set_error_literal (error, TD_TABLE_ERROR, TD_TABLE_ERROR_ENCODING,
                           _("The file is neither UTF-8 nor GB18030 (GBK) text. "
                             "Save it from Excel or WPS as “CSV UTF-8” and try again."));
      return NULL;
    }
  /* GB18030 has a byte order mark too (84 31 95 33). */
  if (written >= 3 && memcmp (utf8, "\xEF\xBB\xBF", 3) == 0)
    {
      memmove (utf8, utf8 + 3, written - 3 + 1);
      written -= 3;
    }
  *out_length = written;
  return utf8;
}

/* Excel's "Unicode text" separates with tabs: a first record with tabs
 * and no comma outside quoted cells is read that way. (A tab or a comma
 * within quotes is text, as parse() reads it: a one-column file whose
 * first cell holds a tab is not split.) */
static char
guess_delimiter (const char *text,
                 const char *end)
{
  gboolean tab = FALSE;
  gboolean quoted = FALSE;
  gboolean cell_start = TRUE;

  for (const char *p = text; p < end; p++)
    {
      if (quoted)
        {
          if (*p == '"')
            {
              if (p + 1 < end && p[1] == '"')
                p++;
              else
                quoted = FALSE;
            }
          continue;
        }
      if (*p == '\n' || *p == '\r')
        break;
      if (*p == '"' && cell_start)
        {
          quoted = TRUE;
          cell_start = FALSE;
          continue;
        }
      if (*p == ',')
        return ',';
      cell_start = *p == '\t';
      if (*p == '\t')
        tab = TRUE;
    }
  return tab ? '\t' : ',';
}

/* A cell of @length bytes in @column of the row starting at @line: within
 * the limits, or an error saying which. */
static gboolean
check_cell (TdTable  *table,
            guint     line,
            guint     column,
            gsize     length,
            gboolean  has_value,
            GError  **error)
{
  if (length > TD_LIMIT_CELL_TEXT)
    {
      g_autofree char *size = g_format_size (TD_LIMIT_CELL_TEXT);

      g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT,
                   _("Line %u: a cell holds more than %s of text, more than a spreadsheet cell can "
                     "hold. Is this the right file?"), line, size);
      return FALSE;
    }
  if (column >= TD_LIMIT_TABLE_COLUMNS && has_value)
    {
      g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT,
                   _("Line %u has a value in column %u, beyond the %u columns Training Desk reads. "
                     "Delete what lies to the right of the list and import it again."),
                   line, column + 1, TD_LIMIT_TABLE_COLUMNS);
      return FALSE;
    }
  if (table->cells->len >= TD_LIMIT_TABLE_CELLS)
    {
      g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT,
                   _("The file has more than %u cells, more than Training Desk imports at once. "
                     "Split it into smaller files."), TD_LIMIT_TABLE_CELLS);
      return FALSE;
    }
  return TRUE;
}

/* Parses @table->buffer in place. */
static gboolean
parse (TdTable  *table,
       gsize     length,
       GError  **error)
{
  char *r = table->buffer;
  char *const end = r + length;
  const char delimiter = guess_delimiter (r, end);
  guint line = 1;

  while (r < end)
    {
      const char *row_start = r;
      guint row_line = line;
      guint column = 0;

      if (table->rows->len >= TD_LIMIT_TABLE_ROWS)
        {
          g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT,
                       _("The file has more than %u rows, more than Training Desk imports at once. "
                         "Split it into smaller files."), TD_LIMIT_TABLE_ROWS);
          return FALSE;
        }
      td_table_add_row (table, line);

      for (;; column++)
        {
          char *cell = r;
          char *w = r;
          char term;

          if (r < end && *r == '"')
            {
              guint opened = line;

              r++;
              for (;;)
                {
                  if (r == end)
                    {
                      g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_SYNTAX,
                                   _("Line %u: a quoted cell starts here but its closing quote (\") "
                                     "is missing."), opened);
                      return FALSE;
                    }
                  if (*r == '"')
                    {
                      if (r + 1 < end && r[1] == '"')
                        {
                          *w++ = '"';
                          r += 2;
                          continue;
                        }
                      r++;
                      break;
                    }
                  if (*r == '\r')
                    {
                      /* New lines within a cell are kept as "\n". */
                      if (r + 1 < end && r[1] == '\n')
                        r++;
                      *w++ = '\n';
                      r++;
                      line++;
                      continue;
                    }
                  if (*r == '\n')
                    line++;
                  *w++ = *r++;
                }
            }

          /* Unquoted text, or what follows a closing quote (kept). */
          if (w == r)
            {
              while (r < end && *r != delimiter && *r != '\n' && *r != '\r')
                r++;
              w = r;
            }
          else
            while (r < end && *r != delimiter && *r != '\n' && *r != '\r')
              *w++ = *r++;

          term = r < end ? *r : '\0';
          /* w <= r, and the buffer has a NUL after its end. */
          *w = '\0';
          if (!check_cell (table, row_line, column, w - cell, cell[0] != '\0', error))
            return FALSE;
          /* What td_csv_write() neutralised, as it was. */
          if (column < TD_LIMIT_TABLE_COLUMNS)
            add_cell_static (table, cell[0] == '\'' && td_csv_is_formula_like (cell + 1) ? cell + 1 : cell);

          if (term == delimiter)
            {
              r++;
              continue;
            }
          if (term == '\r')
            {
              r++;
              if (r < end && *r == '\n')
                r++;
              line++;
            }
          else if (term == '\n')
            {
              r++;
              line++;
            }
          break;
        }

      if ((gsize)(r - row_start) > TD_LIMIT_CSV_LINE)
        {
          g_autofree char *size = g_format_size (TD_LIMIT_CSV_LINE);

          g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT,
                       _("Line %u is longer than %s: this is not a table Training Desk imports. "
                         "Is it the right file?"), row_line, size);
          return FALSE;
        }
    }
  return TRUE;
}

static TdTable *
read_owned (char    *data,
            gsize    length,
            GError **error)
{
  g_autoptr(TdTable) table = td_table_new ();
  gsize text_length = 0;

  table->buffer = decode (data, length, &text_length, error);
  if (table->buffer == NULL)
    return NULL;
  if (!parse (table, text_length, error))
    return NULL;
  return g_steal_pointer (&table);
}

/**
 * td_csv_read:
 *
 * Returns: (transfer full) (nullable): the rows of @data, in order.
 */
static gboolean
check_file_size (guint64   size,
                 GError  **error)
{
  g_autofree char *limit = NULL;

  if (size <= TD_LIMIT_CSV_FILE)
    return TRUE;
  limit = g_format_size (TD_LIMIT_CSV_FILE);
  g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT,
               _("The file is larger than %s, more than Training Desk imports at once. "
                 "Split it into smaller files."), limit);
  return FALSE;
}

TdTable *
td_csv_read (const char  *data,
             gsize        length,
             GError     **error)
{
  char *copy;

  if (!check_file_size (length, error))
    return NULL;
  copy = g_malloc (length + 1);

  memcpy (copy, data, length);
  copy[length] = '\0';
  return read_owned (copy, length, error);
}

TdTable *
td_csv_read_file (const char  *path,
                  GError     **error)
{
  char *data = NULL;
  gsize length = 0;
  GStatBuf st;

  /* Before reading: a file of 10 GB is refused without being read. */
  if (g_stat (path, &st) == 0 && !check_file_size (st.st_size, error))
    return NULL;
  /* g_file_get_contents() ends the data with a NUL, as parse() needs. */
  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  if (!check_file_size (length, error))
    {
      g_free (data);
      return NULL;
    }
  return read_owned (data, length, error);
}

static gboolean
needs_quotes (const char *cell)
{
  for (const char *p = cell; *p; p++)
    if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r' || *p == '\t')
      return TRUE;
  /* Spaces at either end survive Excel only within quotes. */
  return cell[0] == ' ' || (cell[0] && cell[strlen (cell) - 1] == ' ');
}

/**
 * td_csv_is_formula_like:
 *
 * Whether a spreadsheet opening a CSV file would take @cell, or @cell
 * after single quotes, for a formula: it starts with = + - @, a tab, a
 * carriage return or a line feed (OWASP's list, and the line feed that a
 * quoted carriage return is read as). td_csv_write() puts a quote before
 * such a text cell; td_csv_read() takes one off.
 */
gboolean
td_csv_is_formula_like (const char *cell)
{
  while (*cell == '\'')
    cell++;
  return *cell != '\0' && strchr ("=+-@\t\r\n", *cell) != NULL;
}

/* A number as a numeric column holds it: g_ascii_strtod() reads it whole. */
static gboolean
is_number (const char *cell)
{
  char *end = NULL;
  double d = g_ascii_strtod (cell, &end);

  return end != cell && *end == '\0' && isfinite (d);
}

static void
append_row (GString            *out,
            const char * const *cells,
            guint               n_cells,
            const gboolean     *numeric,
            guint               n_numeric)
{
  for (guint i = 0; i < n_cells; i++)
    {
      const char *cell = cells[i] ? cells[i] : "";
      gboolean neutralise = td_csv_is_formula_like (cell) &&
                            !(i < n_numeric && numeric[i] && is_number (cell));

      if (i > 0)
        g_string_append_c (out, ',');
      if (!needs_quotes (cell))
        {
          if (neutralise)
            g_string_append_c (out, '\'');
          g_string_append (out, cell);
          continue;
        }
      g_string_append_c (out, '"');
      if (neutralise)
        g_string_append_c (out, '\'');
      for (const char *p = cell; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append (out, "\r\n");
}

/* One row, every cell text (a formula-like one neutralised). */
void
td_csv_append_row (GString            *out,
                   const char * const *cells,
                   guint               n_cells)
{
  append_row (out, cells, n_cells, NULL, 0);
}

/**
 * td_csv_write_full:
 * @numeric: (nullable): per column of the first row, whether the column
 *   holds numbers: a number there is written as it is, -5 included; any
 *   other cell is text, and neutralised when a spreadsheet would take it
 *   for a formula
 *
 * Writes @table to @path as UTF-8 with a byte order mark and CRLF line
 * ends, through a temporary file renamed over @path: a reader never sees
 * half a file, and a failure leaves @path as it was.
 */
gboolean
td_csv_write_full (TdTable         *table,
                   const char      *path,
                   const gboolean  *numeric,
                   GError         **error)
{
  g_autoptr(GString) out = g_string_sized_new (64 * 1024);
  guint n_numeric = 0;

  if (numeric && table->rows->len > 0)
    td_table_get_row (table, 0, &n_numeric);

  g_string_append (out, "\xEF\xBB\xBF");
  for (guint i = 0; i < table->rows->len; i++)
    {
      guint n_cells;
      const char * const *cells = td_table_get_row (table, i, &n_cells);

      /* The header row is text whatever its column holds. */
      append_row (out, cells, n_cells, numeric, i == 0 ? 0 : n_numeric);
    }
  return g_file_set_contents_full (path, out->str, out->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

/**
 * td_csv_write:
 *
 * td_csv_write_full() with every cell text.
 */
gboolean
td_csv_write (TdTable     *table,
              const char  *path,
              GError     **error)
{
  return td_csv_write_full (table, path, NULL, error);
}
