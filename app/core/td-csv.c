/* td-csv.c: tables of text, and reading and writing them as CSV
 *
 * Reading parses the text in place: a cell is never longer than its text
 * in the file, so unquoted text is written over the quotes and the
 * delimiter after it becomes the cell's NUL. td_csv_read_file() takes the
 * whole file at once (a 50 MB file costs 50 MB, twice that while GB18030
 * is converted, and a pointer per cell); TdCsvReader, which the importer
 * uses, reads it a block at a time and gives one row after another, the
 * same rows with the same lines, in memory that does not grow with the
 * file (issue 17: a million rows once took 812 MiB to import).
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
#include "td-read-file.h"

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
td_csv_add_cell_static (TdTable    *table,
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
      td_csv_add_cell_static (table, "");
      return;
    }
  if (table->chunk == NULL)
    table->chunk = g_string_chunk_new (64 * 1024);
  td_csv_add_cell_static (table, g_string_chunk_insert (table->chunk, text));
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
td_csv_count_lines (const char *text,
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
td_csv_decode (char     *data,
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
                       td_csv_count_lines (data, bad));
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
 * within quotes is text, as td_csv_parse() reads it: a one-column file whose
 * first cell holds a tab is not split.) */
static char
td_csv_guess_delimiter (const char *text,
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

/* A cell of @length bytes in @column of the row starting at @line, the
 * @n_cells-th of the file: within the limits, or an error saying which. */
static gboolean
td_csv_check_cell (guint     n_cells,
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
  if (n_cells >= TD_LIMIT_TABLE_CELLS)
    {
      g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT,
                   _("The file has more than %u cells, more than Training Desk imports at once. "
                     "Split it into smaller files."), TD_LIMIT_TABLE_CELLS);
      return FALSE;
    }
  return TRUE;
}

static gboolean
td_csv_check_row_count (guint     n_rows,
                        GError  **error)
{
  if (n_rows < TD_LIMIT_TABLE_ROWS)
    return TRUE;
  g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT,
               _("The file has more than %u rows, more than Training Desk imports at once. "
                 "Split it into smaller files."), TD_LIMIT_TABLE_ROWS);
  return FALSE;
}

/* Parses the row at *@pos in place, up to @end (with a NUL after it),
 * into a new row of @table; *@pos then points past it and *@line is the
 * line after it. @n_cells counts the cells of the whole file so far. */
static gboolean
td_csv_parse_row (TdTable  *table,
                  char    **pos,
                  char     *end,
                  char      delimiter,
                  guint    *line,
                  guint    *n_cells,
                  GError  **error)
{
  char *r = *pos;
  const char *row_start = r;
  guint row_line = *line;

  td_table_add_row (table, *line);
  for (guint column = 0;; column++)
    {
      char *cell = r;
      char *w = r;
      char term;

      if (r < end && *r == '"')
        {
          guint opened = *line;

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
                  (*line)++;
                  continue;
                }
              if (*r == '\n')
                (*line)++;
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
      if (!td_csv_check_cell (*n_cells, row_line, column, w - cell, cell[0] != '\0', error))
        return FALSE;
      /* What td_csv_write() neutralised, as it was. */
      if (column < TD_LIMIT_TABLE_COLUMNS)
        {
          td_csv_add_cell_static (table, cell[0] == '\'' && td_csv_is_formula_like (cell + 1) ? cell + 1 : cell);
          (*n_cells)++;
        }

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
          (*line)++;
        }
      else if (term == '\n')
        {
          r++;
          (*line)++;
        }
      break;
    }

  *pos = r;
  if ((gsize)(r - row_start) > TD_LIMIT_CSV_LINE)
    {
      g_autofree char *size = g_format_size (TD_LIMIT_CSV_LINE);

      g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT,
                   _("Line %u is longer than %s: this is not a table Training Desk imports. "
                     "Is it the right file?"), row_line, size);
      return FALSE;
    }
  return TRUE;
}

/* Parses @table->buffer in place. */
static gboolean
td_csv_parse (TdTable  *table,
              gsize     length,
              GError  **error)
{
  char *r = table->buffer;
  char *const end = r + length;
  const char delimiter = td_csv_guess_delimiter (r, end);
  guint line = 1;
  guint n_cells = 0;

  while (r < end)
    if (!td_csv_check_row_count (table->rows->len, error) ||
        !td_csv_parse_row (table, &r, end, delimiter, &line, &n_cells, error))
      return FALSE;
  return TRUE;
}

static TdTable *
td_csv_read_owned (char    *data,
                   gsize    length,
                   GError **error)
{
  g_autoptr(TdTable) table = td_table_new ();
  gsize text_length = 0;

  table->buffer = td_csv_decode (data, length, &text_length, error);
  if (table->buffer == NULL)
    return NULL;
  if (!td_csv_parse (table, text_length, error))
    return NULL;
  return g_steal_pointer (&table);
}

/**
 * td_csv_read:
 *
 * Returns: (transfer full) (nullable): the rows of @data, in order.
 */
static gboolean
td_csv_check_file_size (guint64   size,
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

  if (!td_csv_check_file_size (length, error))
    return NULL;
  copy = g_malloc (length + 1);

  memcpy (copy, data, length);
  copy[length] = '\0';
  return td_csv_read_owned (copy, length, error);
}

TdTable *
td_csv_read_file (const char  *path,
                  GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  char *data = NULL;
  gsize length = 0;
  GStatBuf st;

  /* Before reading: a file of 10 GB is refused without being read. */
  if (g_stat (path, &st) == 0 && !td_csv_check_file_size (st.st_size, error))
    return NULL;
  /* Ends the data with a NUL, as td_csv_parse() needs; a device or a pipe
   * is refused, and no more than a byte past the limit is read. */
  if (!td_read_file_limited (file, TD_LIMIT_CSV_FILE, &data, &length, NULL, error))
    return NULL;
  if (!td_csv_check_file_size (length, error))
    {
      g_free (data);
      return NULL;
    }
  return td_csv_read_owned (data, length, error);
}

/* Reading a file row by row (TdCsvReader)
 *
 * What td_csv_read_file() does, in bounded memory: the text is read in
 * blocks of READ_BLOCK and a row is parsed in place once the block holds
 * all of it, so what is held at once is a block and the longest row
 * (TD_LIMIT_CSV_LINE at most), whatever the file's size. A million rows
 * of equipment are 85 MB of CSV: held whole, with a pointer per cell, they
 * took 812 MiB through the import (issue 17). The rows, their lines and
 * every message are those td_csv_read_file() gives for the same file.
 */

#define READ_BLOCK (1024 * 1024)

typedef enum
{
  ENCODING_UTF8,
  ENCODING_UTF16LE,
  ENCODING_UTF16BE,
  ENCODING_GB18030,
} Encoding;

struct _TdCsvReader
{
  char          *path;
  GBytes        *contents;   /* a pipe's bytes, read once; NULL for a file */
  Encoding       encoding;
  guint          bom;        /* bytes of byte order mark to pass over */
  goffset        size;       /* of the file */
  GInputStream  *file;
  GInputStream  *stream;     /* file, or its text converted to UTF-8 */
  char          *buffer;     /* text in [start, length), a NUL after it */
  gsize          start;
  gsize          length;
  gsize          capacity;
  guint64        produced;   /* text read so far, all told */
  double         fraction;   /* the largest given */
  gboolean       eof;
  gboolean       first;      /* nothing converted yet */
  char           delimiter;
  guint          line;
  guint          n_rows;
  guint          n_cells;
  TdTable       *row;        /* the last row: its cells point into buffer */
};

/* How many bytes of @data (of @length) may end in the middle of a UTF-8
 * character: the incomplete tail, read again with the next block. */
static gsize
td_csv_utf8_tail (const char *data,
                  gsize       length)
{
  for (gsize back = 1; back <= MIN (length, 3); back++)
    {
      guchar c = data[length - back];

      if ((c & 0xC0) == 0x80)
        continue;
      if (c < 0x80)
        return 0;
      /* A lead byte: does its sequence end within the data? */
      if ((c >= 0xF0 && back < 4) || (c >= 0xE0 && back < 3) || (c >= 0xC0 && back < 2))
        return back;
      return 0;
    }
  return 0;
}

/* Reads the whole file once, before any row: which encoding it is in, as
 * td_csv_decode() judges the whole text, without holding it. */
/* The file from its first byte: opened again, or a pipe's bytes (a
 * pipe is read once, whole, as td_csv_read_file() reads it). */
static GInputStream *
td_csv_reader_input (TdCsvReader  *self,
                     GError      **error)
{
  g_autoptr(GFile) file = NULL;

  if (self->contents != NULL)
    return g_memory_input_stream_new_from_bytes (self->contents);
  file = g_file_new_for_path (self->path);
  return G_INPUT_STREAM (g_file_read (file, NULL, error));
}

/* A pipe (or anything not a regular file) cannot be read twice: its bytes,
 * up to the size limit. */
static gboolean
td_csv_reader_read_pipe (TdCsvReader  *self,
                         GError      **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (self->path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autofree char *block = g_malloc (READ_BLOCK);

  if (in == NULL)
    return FALSE;
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), block, READ_BLOCK, NULL, error);

      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
      if (!td_csv_check_file_size ((guint64)bytes->len + (guint64)n, error))
        return FALSE;
      g_byte_array_append (bytes, (const guint8 *)block, (guint)n);
    }
  self->size = bytes->len;
  self->contents = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
  return TRUE;
}

static gboolean
td_csv_reader_sniff (TdCsvReader  *self,
                     GError      **error)
{
  g_autoptr(GInputStream) in = td_csv_reader_input (self, error);
  g_autofree char *block = g_malloc (READ_BLOCK + 4);
  guchar head[4] = { 0 };
  gsize n_head = 0, carry = 0;
  gboolean utf8 = TRUE, zero = FALSE;

  if (in == NULL)
    return FALSE;
  for (;;)
    {
      gssize n = g_input_stream_read (in, block + carry, READ_BLOCK, NULL, error);
      gsize have, tail;

      if (n < 0)
        return FALSE;
      if (n_head < 4)
        {
          gsize take = MIN ((gsize)n, 4 - n_head);

          memcpy (head + n_head, block + carry, take);
          n_head += take;
          if (n_head >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
            {
              self->encoding = head[0] == 0xFF ? ENCODING_UTF16LE : ENCODING_UTF16BE;
              self->bom = 2;
              return TRUE;
            }
          if (n_head >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
            {
              /* Validated row by row as it is read. */
              self->encoding = ENCODING_UTF8;
              self->bom = 3;
              return TRUE;
            }
        }
      have = carry + n;
      if (memchr (block + carry, '\0', n) != NULL)
        zero = TRUE;
      tail = n > 0 ? td_csv_utf8_tail (block, have) : 0;
      if (utf8 && !zero && !g_utf8_validate_len (block, have - tail, NULL))
        utf8 = FALSE;
      if (n == 0)
        break;
      memmove (block, block + have - tail, tail);
      carry = tail;
    }

  if (zero)
    {
      if (n_head >= 4 && memcmp (head, "PK\003\004", 4) == 0)
        g_set_error_literal (error, TD_TABLE_ERROR, TD_TABLE_ERROR_ENCODING,
                             _("This is an Excel workbook (.xlsx), not a CSV file. "
                               "Give it a name ending in .xlsx and import it again."));
      else if (n_head >= 4 && memcmp (head, "\xD0\xCF\x11\xE0", 4) == 0)
        g_set_error_literal (error, TD_TABLE_ERROR, TD_TABLE_ERROR_ENCODING,
                             _("This is an old Excel workbook (.xls). "
                               "Open it in Excel or WPS and save it as .xlsx or “CSV UTF-8”."));
      else
        g_set_error_literal (error, TD_TABLE_ERROR, TD_TABLE_ERROR_ENCODING,
                             _("This is not a text file. Save the table as .xlsx or “CSV UTF-8”."));
      return FALSE;
    }
  self->encoding = utf8 ? ENCODING_UTF8 : ENCODING_GB18030;
  self->bom = 0;
  return TRUE;
}

/* Opens the file at its first row (again). */
static gboolean
td_csv_reader_open (TdCsvReader  *self,
                    GError      **error)
{
  g_autoptr(GConverter) converter = NULL;

  g_clear_object (&self->stream);
  g_clear_object (&self->file);
  self->file = td_csv_reader_input (self, error);
  if (self->file == NULL)
    return FALSE;
  if (self->bom > 0 && g_input_stream_skip (self->file, self->bom, NULL, error) < 0)
    return FALSE;
  switch (self->encoding)
    {
    case ENCODING_UTF8:
      self->stream = g_object_ref (self->file);
      break;
    case ENCODING_UTF16LE:
    case ENCODING_UTF16BE:
    case ENCODING_GB18030:
      converter = G_CONVERTER (g_charset_converter_new ("UTF-8",
                                                        self->encoding == ENCODING_UTF16LE ? "UTF-16LE" :
                                                        self->encoding == ENCODING_UTF16BE ? "UTF-16BE" : "GB18030",
                                                        error));
      if (converter == NULL)
        return FALSE;
      self->stream = g_converter_input_stream_new (self->file, converter);
      break;
    default:
      g_assert_not_reached ();
    }
  self->start = self->length = 0;
  self->produced = 0;
  self->fraction = 0.0;
  self->buffer[0] = '\0';
  self->eof = FALSE;
  self->first = TRUE;
  self->delimiter = '\0';
  self->line = 1;
  self->n_rows = 0;
  self->n_cells = 0;
  return TRUE;
}

/* A conversion that failed, as td_csv_decode() says it. */
static void
td_csv_reader_encoding_error (TdCsvReader  *self,
                              GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  if (self->encoding == ENCODING_GB18030)
    g_set_error_literal (&local_error, TD_TABLE_ERROR, TD_TABLE_ERROR_ENCODING,
                         _("The file is neither UTF-8 nor GB18030 (GBK) text. "
                           "Save it from Excel or WPS as “CSV UTF-8” and try again."));
  else
    g_set_error (&local_error, TD_TABLE_ERROR, TD_TABLE_ERROR_ENCODING,
                 _("The file says it is UTF-16 text, but it is damaged (%s). "
                   "Save it again as “CSV UTF-8” and try again."),
                 (*error)->message);
  g_clear_error (error);
  g_propagate_error (error, g_steal_pointer (&local_error));
}

/* Reads the next block after what is held (moved to the buffer's start). */
static gboolean
td_csv_reader_fill (TdCsvReader  *self,
                    GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize n;

  if (self->start > 0)
    {
      memmove (self->buffer, self->buffer + self->start, self->length - self->start);
      self->length -= self->start;
      self->start = 0;
    }
  /* Blocks as large as what is held: a long row is scanned a few times,
   * not once a block. */
  if (self->capacity < self->length + MAX (READ_BLOCK, self->length) + 1)
    {
      self->capacity = self->length + MAX (READ_BLOCK, self->length) + 1;
      self->buffer = g_realloc (self->buffer, self->capacity);
    }
  n = g_input_stream_read (self->stream, self->buffer + self->length,
                           self->capacity - self->length - 1, NULL, &local_error);
  if (n < 0)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA) ||
          g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
        td_csv_reader_encoding_error (self, &local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (self->first && n > 0 && self->encoding == ENCODING_GB18030 &&
      self->length + n >= 3 && memcmp (self->buffer, "\xEF\xBB\xBF", 3) == 0)
    {
      /* GB18030 has a byte order mark too (84 31 95 33). */
      memmove (self->buffer, self->buffer + 3, self->length + n - 3);
      n -= 3;
    }
  if (n > 0)
    self->first = FALSE;
  self->length += n;
  self->produced += n;
  self->buffer[self->length] = '\0';
  if (n == 0)
    self->eof = TRUE;
  return TRUE;
}

/* Where the row at @p ends (past its line end), read as td_csv_parse_row() reads
 * it; %NULL when the text held may end within it. */
static const char *
td_csv_row_end (const char *p,
                const char *end,
                char        delimiter)
{
  gboolean cell_start = TRUE;

  while (p < end)
    {
      if (cell_start && *p == '"')
        {
          for (p++;; p++)
            {
              if (p + 1 >= end)
                return NULL;
              if (*p != '"')
                continue;
              if (p[1] != '"')
                break;
              p++;
            }
          p++;
          cell_start = FALSE;
          continue;
        }
      if (*p == '\n')
        return p + 1;
      if (*p == '\r')
        return p + 1 < end ? (p[1] == '\n' ? p + 2 : p + 1) : NULL;
      cell_start = *p == delimiter;
      p++;
    }
  return NULL;
}

/**
 * td_csv_reader_new:
 *
 * Opens @path (UTF-8, UTF-16 or GB18030 CSV, as td_csv_read_file() reads)
 * for reading row by row.
 *
 * Returns: (transfer full) (nullable): the reader, before its first row
 */
TdCsvReader *
td_csv_reader_new (const char  *path,
                   GError     **error)
{
  g_autoptr(TdCsvReader) self = g_new0 (TdCsvReader, 1);
  GStatBuf st;
  gboolean known = g_stat (path, &st) == 0;

  /* A folder or a device (/dev/zero: 256 MiB read before its size was
   * refused) is no table; a file too large is refused unread. */
  if (known && (!td_read_file_check_mode (st.st_mode, error) || !td_csv_check_file_size (st.st_size, error)))
    return NULL;
  self->path = g_strdup (path);
  self->size = known ? st.st_size : 0;
  self->capacity = READ_BLOCK + 1;
  self->buffer = g_malloc (self->capacity);
  self->row = td_table_new ();
  /* A pipe ("--import venues /dev/stdin", a FIFO) is read once. */
  if (known && S_ISFIFO (st.st_mode) && !td_csv_reader_read_pipe (self, error))
    return NULL;
  if (!td_csv_reader_sniff (self, error) || !td_csv_reader_open (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
td_csv_reader_free (TdCsvReader *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->stream);
  g_clear_object (&self->file);
  g_clear_pointer (&self->contents, g_bytes_unref);
  td_table_free (self->row);
  g_free (self->buffer);
  g_free (self->path);
  g_free (self);
}

/* Back before the first row. */
gboolean
td_csv_reader_rewind (TdCsvReader  *self,
                      GError      **error)
{
  return td_csv_reader_open (self, error);
}

/**
 * td_csv_reader_next:
 * @cells: (out) (transfer none): the row's cells, valid until the next call
 * @n_cells: (out): how many
 * @line: (out): the line the row starts at
 *
 * Returns: %TRUE with the next row; %FALSE at the end of the file (@error
 *   unset) or when the file cannot be read (@error set, as
 *   td_csv_read_file() sets it).
 */
gboolean
td_csv_reader_next (TdCsvReader          *self,
                    const char * const  **cells,
                    guint                *n_cells,
                    guint                *line,
                    GError              **error)
{
  const char *end = NULL;
  char *r;
  const char *bad;

  g_return_val_if_fail (self != NULL, FALSE);

  for (;;)
    {
      if (self->delimiter != '\0' && self->start < self->length &&
          (end = td_csv_row_end (self->buffer + self->start, self->buffer + self->length, self->delimiter)))
        break;
      if (self->eof)
        break;
      if (self->length - self->start > TD_LIMIT_CSV_LINE + 2)
        {
          g_autofree char *size = g_format_size (TD_LIMIT_CSV_LINE);

          g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT,
                       _("Line %u is longer than %s: this is not a table Training Desk imports. "
                         "Is it the right file?"), self->line, size);
          return FALSE;
        }
      if (!td_csv_reader_fill (self, error))
        return FALSE;
      /* The first record says what separates cells, as in td_csv_parse(). */
      if (self->delimiter == '\0' &&
          (self->eof || self->length >= READ_BLOCK / 2 || td_csv_row_end (self->buffer, self->buffer + self->length, ',')))
        self->delimiter = td_csv_guess_delimiter (self->buffer, self->buffer + self->length);
    }
  if (self->start >= self->length)
    return FALSE;
  if (end == NULL)
    end = self->buffer + self->length;

  r = self->buffer + self->start;
  if (self->encoding == ENCODING_UTF8 && !g_utf8_validate_len (r, end - r, &bad))
    {
      g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_ENCODING,
                   self->bom > 0
                   ? _("The file says it is UTF-8 text, but line %u is not. "
                       "Save it again as “CSV UTF-8” and try again.")
                   : _("The file changed while it was read (line %u). Import it again."),
                   self->line + td_csv_count_lines (r, bad) - 1);
      return FALSE;
    }
  if (!td_csv_check_row_count (self->n_rows, error))
    return FALSE;

  g_ptr_array_set_size (self->row->cells, 0);
  g_array_set_size (self->row->rows, 0);
  *line = self->line;
  /* A row ending the file has the buffer's NUL after it; any other ends
   * in a line end, which td_csv_parse_row() writes its last NUL over. */
  if (!td_csv_parse_row (self->row, &r, (char *)end, self->delimiter, &self->line, &self->n_cells, error))
    return FALSE;
  self->start = r - self->buffer;
  self->n_rows++;
  *cells = td_table_get_row (self->row, 0, n_cells);
  return TRUE;
}

/* How much of the file has been read, from 0 to 1. */
double
td_csv_reader_get_fraction (TdCsvReader *self)
{
  double read, parsed;

  g_return_val_if_fail (self != NULL, 0.0);

  if (self->size <= 0 || self->produced == 0)
    return self->eof ? 1.0 : 0.0;
  /* Of the file read, the part that the rows so far took (in text,
   * which GB18030 or UTF-16 makes longer or shorter than the file). A
   * converter reads ahead of its text: an estimate, that never falls. */
  read = (double)g_seekable_tell (G_SEEKABLE (self->file)) / self->size;
  parsed = (double)(self->produced - (self->length - self->start)) / self->produced;
  if (self->eof && self->start >= self->length)
    self->fraction = 1.0;
  self->fraction = MAX (self->fraction, CLAMP (read * parsed, 0.0, 1.0));
  return self->fraction;
}

static gboolean
td_csv_needs_quotes (const char *cell)
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
td_csv_is_number (const char *cell)
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
                            !(i < n_numeric && numeric[i] && td_csv_is_number (cell));

      if (i > 0)
        g_string_append_c (out, ',');
      if (!td_csv_needs_quotes (cell))
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
