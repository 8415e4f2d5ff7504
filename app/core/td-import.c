/* td-import.c: bringing a CSV or xlsx file into a list of records
 *
 * Three steps, so that a window can show each: the header row is mapped to
 * fields (by Chinese header, English label or column key; the user may
 * change the mapping); every row is judged by the list's own rules and
 * matched on the kind's natural key (the preview: nothing written); and,
 * only if no row has a problem, all rows are written in one transaction.
 *
 * Two things a first import of an office's own sheet runs into (issue 13)
 * are met here rather than refused: rows naming records of another list
 * that is not entered yet (an equipment sheet before its venues) may
 * create them, in the same transaction as the rows (placeholder ids until
 * then); and a choice value the app does not know ("实训室") may be mapped
 * to one it does, remembered in the database per kind, column header and
 * value, so that the next import of the same sheet asks nothing.
 *
 * A CSV file of more than HEAD_ROWS rows is never held: it is read row by
 * row twice, once to check (the preview) and once to write (the commit
 * judges each row again, the list unchanged in between, and refuses a
 * file that now reads differently). What a row costs in between is 16
 * bytes of its key's digest, until duplicates are found by sorting them;
 * only the first rows are kept to show. A million rows once took 812 MiB
 * and 70-85 s; each row's values, a Row and a hash table entry per row
 * were most of it (issue 17).
 *
 * Matching uses hash tables built once per preview, so a file of 100,000
 * rows against a list of 100,000 records is linear, not quadratic; so do
 * headers (a 20 MB header row once took 39 s, each cell compared with each
 * field's names), and a header cell longer than TD_LIMIT_HEADER_TEXT names
 * no field.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "td-import-private.h"
#include "td-limits.h"
#include "td-validate.h"

G_DEFINE_FINAL_TYPE (TdImport, td_import, G_TYPE_OBJECT)
G_DEFINE_QUARK (td-import-error-quark, td_import_error)

static void
td_import_row_clear (gpointer data)
{
  Row *row = data;

  g_clear_object (&row->existing);
}

static void
td_import_problem_clear (gpointer data)
{
  Problem *problem = data;

  g_free (problem->column);
  g_free (problem->message);
}

static void
td_import_missing_clear (gpointer data)
{
  Missing *missing = data;

  g_free (missing->kind_id);
  g_free (missing->name);
}

static void
td_import_unknown_clear (gpointer data)
{
  Unknown *unknown = data;

  g_free (unknown->value);
}

static void
td_import_finalize (GObject *object)
{
  TdImport *self = (TdImport *)object;

  g_clear_object (&self->list);
  g_clear_pointer (&self->table, td_table_free);
  g_clear_pointer (&self->reader, td_row_reader_free);
  g_free (self->file_name);
  g_strfreev (self->headers);
  g_free (self->column_field);
  g_free (self->field_column);
  g_clear_pointer (&self->by_header, g_hash_table_unref);
  g_clear_pointer (&self->by_label, g_hash_table_unref);
  g_clear_pointer (&self->by_column, g_hash_table_unref);
  g_array_unref (self->rows);
  g_array_unref (self->problems);
  g_array_unref (self->seen);
  g_array_unref (self->replaced);
  g_checksum_free (self->checksum);
  g_clear_pointer (&self->existing, g_hash_table_unref);
  g_clear_pointer (&self->several, g_hash_table_unref);
  g_ptr_array_unref (self->values);
  g_string_chunk_free (self->chunk);
  g_array_unref (self->missing);
  g_hash_table_unref (self->missing_index);
  g_array_unref (self->unknown);
  g_hash_table_unref (self->unknown_index);
  g_hash_table_unref (self->choice_map);
  g_hash_table_unref (self->choice_pending);

  G_OBJECT_CLASS (td_import_parent_class)->finalize (object);
}

static void
td_import_class_init (TdImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_import_finalize;
}

static void
td_import_init (TdImport *self)
{
  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (self->rows, td_import_row_clear);
  self->problems = g_array_new (FALSE, TRUE, sizeof (Problem));
  g_array_set_clear_func (self->problems, td_import_problem_clear);
  self->seen = g_array_new (FALSE, FALSE, sizeof (Seen));
  self->replaced = g_array_new (FALSE, FALSE, sizeof (Replaced));
  self->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  self->values = g_ptr_array_new ();
  self->chunk = g_string_chunk_new (64 * 1024);
  self->missing = g_array_new (FALSE, TRUE, sizeof (Missing));
  g_array_set_clear_func (self->missing, td_import_missing_clear);
  self->missing_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->unknown = g_array_new (FALSE, TRUE, sizeof (Unknown));
  g_array_set_clear_func (self->unknown, td_import_unknown_clear);
  self->unknown_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->choice_map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->choice_pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Starts a run (a preview or a commit): no progress, no cancel request.
 * On the caller's thread, before any worker starts. */
void
td_import_run_start (TdImport *self)
{
  g_atomic_int_set (&self->progress, 0);
  g_atomic_int_set (&self->cancel_requested, 0);
  self->progress_base = 0.0;
  self->progress_span = 1.0;
}

/* @done (0 to 1) of the step under way: progress only ever grows. */
void
td_import_report_progress (TdImport *self,
                           double    done)
{
  double fraction = self->progress_base + self->progress_span * CLAMP (done, 0.0, 1.0);
  gint value = (gint)(fraction * PROGRESS_SCALE);

  if (value <= g_atomic_int_get (&self->progress))
    return;
  g_atomic_int_set (&self->progress, value);
  if (self->progress_func != NULL)
    self->progress_func (self, (double)value / PROGRESS_SCALE, self->progress_data);
}

/* Whether to stop: @cancellable cancelled or td_import_cancel() called. */
gboolean
td_import_run_cancelled (TdImport      *self,
                         GCancellable  *cancellable,
                         GError       **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return TRUE;
  if (!g_atomic_int_get (&self->cancel_requested))
    return FALSE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       _("The import was cancelled: nothing was written."));
  return TRUE;
}

/**
 * td_import_set_reload:
 * @reload: whether a commit loads the list again afterwards (the default)
 *
 * A program that exits after the commit (the command line) need not
 * hold every record of the list in memory once more.
 */
void
td_import_set_reload (TdImport *self,
                      gboolean  reload)
{
  g_return_if_fail (TD_IS_IMPORT (self));

  self->no_reload = !reload;
}

/**
 * td_import_set_progress_func:
 * @func: (nullable): called with the fraction done, from 0 to 1, never
 *   smaller than the last, on the thread that runs the work (a worker
 *   thread for the _async() calls)
 *
 * What a preview or commit reports as it goes.
 */
void
td_import_set_progress_func (TdImport             *self,
                             TdImportProgressFunc  func,
                             gpointer              user_data)
{
  g_return_if_fail (TD_IS_IMPORT (self));

  self->progress_func = func;
  self->progress_data = user_data;
}

/* The fraction of the preview or commit under way (or last run) done:
 * may be read from any thread, e.g. by a window's timer. */
double
td_import_get_progress (TdImport *self)
{
  g_return_val_if_fail (TD_IS_IMPORT (self), 0.0);

  return (double)g_atomic_int_get (&self->progress) / PROGRESS_SCALE;
}

/**
 * td_import_cancel:
 *
 * Stops the preview or commit under way, from any thread: a commit rolls
 * its transaction back, so nothing is written, and fails with
 * %G_IO_ERROR_CANCELLED. A commit that has already written is not undone.
 */
void
td_import_cancel (TdImport *self)
{
  g_return_if_fail (TD_IS_IMPORT (self));

  g_atomic_int_set (&self->cancel_requested, 1);
}

/* The mappings of choice values saved by earlier imports of this kind. */
static gboolean
td_import_load_choice_map (TdImport  *self,
                           GError   **error)
{
  TdStore *store = td_record_list_get_store (self->list);
  sqlite3_stmt *stmt = td_store_prepare (store,
                                         "SELECT column_header, value, choice FROM import_choice_maps "
                                         "WHERE kind = ?1",
                                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, td_record_list_get_kind (self->list)->id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_replace (self->choice_map,
                          g_strdup_printf ("%s\x1f%s", (const char *)sqlite3_column_text (stmt, 0),
                                           (const char *)sqlite3_column_text (stmt, 1)),
                          g_strdup ((const char *)sqlite3_column_text (stmt, 2)));
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* A header as people write it: "单价（元）", "*名称", " Name ". */
static char *
td_import_clean_header (const char *text)
{
  g_autofree char *normal = td_normalize_text (text);
  GString *s = g_string_new (normal);
  char *open;

  while (s->len && (s->str[0] == '*' || g_str_has_prefix (s->str, "＊")))
    g_string_erase (s, 0, s->str[0] == '*' ? 1 : strlen ("＊"));
  while (s->len && s->str[s->len - 1] == '*')
    g_string_truncate (s, s->len - 1);
  if (g_str_has_suffix (s->str, "＊"))
    g_string_truncate (s, s->len - strlen ("＊"));

  /* A unit or note in brackets after the name. */
  if ((g_str_has_suffix (s->str, ")") && (open = strrchr (s->str, '('))) ||
      (g_str_has_suffix (s->str, "）") && (open = g_strrstr (s->str, "（"))))
    if (open > s->str)
      g_string_truncate (s, open - s->str);
  while (s->len && s->str[s->len - 1] == ' ')
    g_string_truncate (s, s->len - 1);
  return g_string_free (s, FALSE);
}

/* The names each field is known by, once: the first field wins a name. */
static void
td_import_index_headers (TdImport *self)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);

  self->by_header = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_label = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->by_column = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = kind->n_fields; i-- > 0;)
    {
      const TdField *field = &kind->fields[i];

      g_hash_table_replace (self->by_header, (gpointer)field->header, GUINT_TO_POINTER (i + 1));
      g_hash_table_replace (self->by_label, g_utf8_casefold (g_dgettext (GETTEXT_PACKAGE, field->label), -1),
                            GUINT_TO_POINTER (i + 1));
      g_hash_table_replace (self->by_label, g_utf8_casefold (field->label, -1), GUINT_TO_POINTER (i + 1));
      g_hash_table_replace (self->by_column, g_ascii_strdown (field->column, -1), GUINT_TO_POINTER (i + 1));
    }
}

/* The field a header names: by its Chinese header first, then by its
 * label (English or translated, any case) or column key, the first field
 * that has the name. Three lookups, whatever the kind. */
static int
td_import_field_for_header (TdImport   *self,
                            const char *text)
{
  g_autofree char *clean = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *lower = NULL;
  guint by_label, by_column;

  if (strlen (text) > TD_LIMIT_HEADER_TEXT)
    return -1;
  clean = td_import_clean_header (text);
  if (clean[0] == '\0')
    return -1;
  if (g_hash_table_contains (self->by_header, clean))
    return GPOINTER_TO_UINT (g_hash_table_lookup (self->by_header, clean)) - 1;

  folded = g_utf8_casefold (clean, -1);
  lower = g_ascii_strdown (clean, -1);
  by_label = GPOINTER_TO_UINT (g_hash_table_lookup (self->by_label, folded));
  by_column = GPOINTER_TO_UINT (g_hash_table_lookup (self->by_column, lower));
  if (by_label && by_column)
    return MIN (by_label, by_column) - 1;
  return (int)MAX (by_label, by_column) - 1;
}

static guint
td_import_count_matches (TdImport *self,
                         guint     row)
{
  guint n_cells, n = 0;
  const char * const *cells = td_table_get_row (self->table, row, &n_cells);

  for (guint c = 0; c < n_cells; c++)
    if (td_import_field_for_header (self, cells[c]) >= 0)
      n++;
  return n;
}

static gboolean
td_import_is_blank (const char *text)
{
  for (const char *p = text; *p; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* Maps each column to the field its header names; the first of two
 * columns naming the same field wins. */
static void
td_import_map_columns (TdImport *self)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);
  guint n_cells;
  const char * const *cells = td_table_get_row (self->table, self->header_row, &n_cells);

  /* Trailing empty headers are no columns. */
  while (n_cells > 0 && td_import_is_blank (cells[n_cells - 1]))
    n_cells--;

  self->n_columns = n_cells;
  self->headers = g_new0 (char *, n_cells + 1);
  self->column_field = g_new (int, MAX (n_cells, 1));
  self->field_column = g_new (int, kind->n_fields);
  for (guint f = 0; f < kind->n_fields; f++)
    self->field_column[f] = -1;

  for (guint c = 0; c < n_cells; c++)
    {
      int field = td_import_field_for_header (self, cells[c]);

      self->headers[c] = td_normalize_text (cells[c]);
      self->column_field[c] = -1;
      if (field >= 0 && self->field_column[field] < 0)
        {
          self->column_field[c] = field;
          self->field_column[field] = c;
        }
    }
}

/* The header is the row, among the first non-blank ones, that names the
 * most fields: a title row above it ("2024年设备清单") is passed over. */
static gboolean
td_import_find_header (TdImport  *self,
                       GError   **error)
{
  guint best = G_MAXUINT, best_matches = 0, seen = 0;

  for (guint r = 0; r < td_table_get_n_rows (self->table) && seen < 10; r++)
    {
      guint matches;

      if (td_table_row_is_blank (self->table, r))
        continue;
      if (best == G_MAXUINT)
        best = r;
      seen++;
      matches = td_import_count_matches (self, r);
      if (matches > best_matches)
        {
          best = r;
          best_matches = matches;
        }
    }

  if (best == G_MAXUINT)
    {
      g_set_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_EMPTY,
                   _("“%s” is empty: it needs a header row and a row per record."), self->file_name);
      return FALSE;
    }
  self->header_row = best;
  td_import_map_columns (self);
  return TRUE;
}

/**
 * td_import_new_for_table:
 * @table: (transfer full): the rows read from the file
 * @file_name: the file, as messages name it
 *
 * Returns: (transfer full) (nullable): an import of @table into @list,
 *   its columns mapped, nothing judged yet.
 */
TdImport *
td_import_new_for_table (TdRecordList  *list,
                         TdTable       *table,
                         const char    *file_name,
                         GError       **error)
{
  g_autoptr(TdImport) self = g_object_new (TD_TYPE_IMPORT, NULL);

  g_return_val_if_fail (TD_IS_RECORD_LIST (list), NULL);
  g_return_val_if_fail (table != NULL, NULL);

  self->list = g_object_ref (list);
  self->table = table;
  self->file_name = g_strdup (file_name);
  td_import_index_headers (self);
  if (!td_import_find_header (self, error) || !td_import_load_choice_map (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* The first HEAD_ROWS rows of the file @path, copied; *@reader is
 * left open on the file when it has more, %NULL when they are all. */
static TdTable *
td_import_read_head (const char   *path,
                     TdRowReader **reader,
                     GError      **error)
{
  g_autoptr(TdRowReader) file = td_row_reader_new (path, error);
  g_autoptr(TdTable) table = NULL;
  g_autoptr(GError) local_error = NULL;
  const char * const *cells;
  guint n_cells, line;

  if (file == NULL)
    return NULL;
  table = td_table_new ();
  while (td_table_get_n_rows (table) < HEAD_ROWS &&
         td_row_reader_next (file, &cells, &n_cells, &line, &local_error))
    td_table_add_cells (table, line, cells, n_cells);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  /* Is there more? Whether there is is found by reading on. */
  if (td_table_get_n_rows (table) == HEAD_ROWS &&
      td_row_reader_next (file, &cells, &n_cells, &line, &local_error))
    *reader = g_steal_pointer (&file);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&table);
}

/**
 * td_import_new:
 * @path: a .csv or .xlsx file (by its name, in any case; .txt is read as
 *   CSV, for Excel's "Unicode text", and .xlsm as .xlsx)
 *
 * Reads @path and maps its columns.
 *
 * Returns: (transfer full) (nullable): the import, or %NULL with @error
 *   saying why the file cannot be read.
 */
TdImport *
td_import_new (TdRecordList  *list,
               const char    *path,
               GError       **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autoptr(TdRowReader) reader = NULL;
  TdImport *import;
  TdTable *table;

  if (td_row_reader_can_read (path))
    {
      g_autoptr(GError) local_error = NULL;

      table = td_import_read_head (path, &reader, &local_error);
      /* Say which file: a person may be importing several (a
       * workbook's messages name it already). */
      if (table == NULL &&
          (local_error->domain == TD_TABLE_ERROR ||
           g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE)) &&
          !g_str_has_suffix (lower, ".xlsx") && !g_str_has_suffix (lower, ".xlsm"))
        g_prefix_error (&local_error, "%s: ", display);
      if (table == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  else
    {
      g_set_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_FORMAT,
                   _("Cannot import “%s”: only CSV (.csv) and Excel (.xlsx) files can be imported."),
                   display);
      return NULL;
    }
  if (table == NULL)
    return NULL;
  import = td_import_new_for_table (list, table, display, error);
  if (import != NULL && reader != NULL)
    {
      import->head_fraction = td_row_reader_get_fraction (reader);
      import->reader = g_steal_pointer (&reader);
    }
  return import;
}

TdRecordList *
td_import_get_list (TdImport *self)
{
  return self->list;
}

const char *
td_import_get_file_name (TdImport *self)
{
  return self->file_name;
}

/* Where the header row is: the file's line, or the sheet's row. */
guint
td_import_get_header_line (TdImport *self)
{
  return td_table_get_line (self->table, self->header_row);
}

guint
td_import_get_n_columns (TdImport *self)
{
  return self->n_columns;
}

const char *
td_import_get_column_header (TdImport *self,
                             guint     column)
{
  g_return_val_if_fail (column < self->n_columns, NULL);

  return self->headers[column];
}

/* The field @column fills, or -1 when it is ignored. */
int
td_import_get_column_field (TdImport *self,
                            guint     column)
{
  g_return_val_if_fail (column < self->n_columns, -1);

  return self->column_field[column];
}

/* The column that fills @field, or -1 when none does (it is left empty). */
int
td_import_get_field_column (TdImport *self,
                            guint     field)
{
  g_return_val_if_fail (field < td_record_list_get_kind (self->list)->n_fields, -1);

  return self->field_column[field];
}

/**
 * td_import_dup_column_samples:
 * @max_values: how many values at most
 *
 * Returns: (transfer full): the first values @column holds below the
 *   header, blank ones passed over: what a person needs to see to say
 *   which field the column fills.
 */
char **
td_import_dup_column_samples (TdImport *self,
                              guint     column,
                              guint     max_values)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n_rows = td_table_get_n_rows (self->table);
  guint n = 0;

  g_return_val_if_fail (TD_IS_IMPORT (self), NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  for (guint r = self->header_row + 1; r < n_rows && n < max_values; r++)
    {
      guint n_cells;
      const char * const *cells = td_table_get_row (self->table, r, &n_cells);
      g_autofree char *value = NULL;

      if (column >= n_cells || td_import_is_blank (cells[column]))
        continue;
      value = td_normalize_text (cells[column]);
      g_strv_builder_add (builder, value);
      n++;
    }
  return g_strv_builder_end (builder);
}

void
td_import_forget_preview (TdImport *self)
{
  self->previewed = FALSE;
  g_array_set_size (self->rows, 0);
  g_array_set_size (self->problems, 0);
  self->n_problems_left_out = 0;
  /* Freed, not only emptied: a million rows' keys are 16 MiB. */
  g_array_unref (self->seen);
  self->seen = g_array_new (FALSE, FALSE, sizeof (Seen));
  g_array_set_size (self->replaced, 0);
  g_clear_pointer (&self->existing, g_hash_table_unref);
  g_clear_pointer (&self->several, g_hash_table_unref);
  self->n_good = 0;
  self->fold = 0;
  g_ptr_array_set_size (self->values, 0);
  g_string_chunk_clear (self->chunk);
  memset (self->counts, 0, sizeof self->counts);
  g_array_set_size (self->missing, 0);
  g_hash_table_remove_all (self->missing_index);
  g_array_set_size (self->unknown, 0);
  g_hash_table_remove_all (self->unknown_index);
}

/**
 * td_import_set_column_field:
 * @field: a field of the list's kind, or -1 to ignore @column
 *
 * Makes @column fill @field; a column that filled @field before is then
 * ignored. The preview must be made again.
 */
void
td_import_set_column_field (TdImport *self,
                            guint     column,
                            int       field)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);
  int old;

  g_return_if_fail (column < self->n_columns);
  g_return_if_fail (field >= -1 && field < (int)kind->n_fields);

  old = self->column_field[column];
  if (old == field)
    return;
  if (old >= 0)
    self->field_column[old] = -1;
  if (field >= 0)
    {
      if (self->field_column[field] >= 0)
        self->column_field[self->field_column[field]] = -1;
      self->field_column[field] = column;
    }
  self->column_field[column] = field;
  td_import_forget_preview (self);
}

/**
 * td_import_dup_ignored_columns:
 *
 * Returns: (transfer full): the headers of the columns that fill no field
 */
char **
td_import_dup_ignored_columns (TdImport *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint c = 0; c < self->n_columns; c++)
    if (self->column_field[c] < 0 && self->headers[c][0] != '\0')
      g_strv_builder_add (builder, self->headers[c]);
  return g_strv_builder_end (builder);
}

/* Every required field has a column. */
gboolean
td_import_check_columns (TdImport  *self,
                         GError   **error)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);
  g_autoptr(GString) missing = g_string_new (NULL);
  guint n_missing = 0;

  for (guint f = 0; f < kind->n_fields; f++)
    if ((kind->fields[f].flags & TD_FIELD_REQUIRED) && self->field_column[f] < 0)
      {
        /* Translators: a column's Chinese header, then its English label */
        g_string_append_printf (missing, _("%s%s (%s)"), missing->len ? _(", ") : "",
                                kind->fields[f].header, kind->fields[f].label);
        n_missing++;
      }
  if (n_missing == 0)
    return TRUE;

  g_set_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_MISSING_COLUMN,
               g_dngettext (GETTEXT_PACKAGE,
                            "“%s” has no column %s, which every row needs. Add it to the header "
                            "row (line %u), or choose which column holds it.",
                            "“%s” has no columns %s, which every row needs. Add them to the header "
                            "row (line %u), or choose which columns hold them.",
                            n_missing),
               self->file_name, missing->str, td_import_get_header_line (self));
  return FALSE;
}

/* The lists that rows refer to, loaded here, on the caller's thread, so
 * that a worker thread only ever reads them. */
void
td_import_load_references (TdImport *self)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);
  TdStore *store = td_record_list_get_store (self->list);

  for (guint f = 0; f < kind->n_fields; f++)
    if (kind->fields[f].type == TD_FIELD_REFERENCE)
      td_record_list_get (store, kind->fields[f].reference, NULL);
    else if (kind->fields[f].type == TD_FIELD_TEACHING)
      td_record_list_get (store, "trainers", NULL);
}

/* The rows of the file that hold data (blank ones are passed over). */
guint
td_import_get_n_rows (TdImport *self)
{
  return self->rows->len;
}

static const char * const *
td_import_row_values (TdImport  *self,
                      const Row *row)
{
  if (row->values == 0)
    return NULL;
  return (const char * const *)self->values->pdata + row->values - 1;
}

static Row *
td_import_get_row (TdImport *self,
                   guint     row)
{
  g_return_val_if_fail (row < self->rows->len, NULL);

  return &g_array_index (self->rows, Row, row);
}

guint
td_import_get_row_line (TdImport *self,
                        guint     row)
{
  Row *r = td_import_get_row (self, row);

  return r ? r->line : 0;
}

TdImportAction
td_import_get_row_action (TdImport *self,
                          guint     row)
{
  Row *r = td_import_get_row (self, row);

  return r ? r->action : TD_IMPORT_BAD;
}

/* What the file holds for @field in @row; "" when no column fills it. */
const char *
td_import_get_row_input (TdImport *self,
                         guint     row,
                         guint     field)
{
  Row *r = td_import_get_row (self, row);
  int column;

  g_return_val_if_fail (field < td_record_list_get_kind (self->list)->n_fields, "");

  if (r == NULL || (column = self->field_column[field]) < 0)
    return "";
  return td_table_get_cell (self->table, r->table_row, column);
}

/**
 * td_import_get_row_values:
 *
 * Returns: (transfer none) (nullable): the values @row would store, or
 *   %NULL for a row with problems.
 */
const char * const *
td_import_get_row_values (TdImport *self,
                          guint     row)
{
  Row *r = td_import_get_row (self, row);

  return r ? td_import_row_values (self, r) : NULL;
}

static const char *
td_import_name_of_cb (const char *kind_id,
                      gint64      id,
                      gpointer    user_data)
{
  TdImport *self = user_data;
  TdRecordList *other = td_record_list_get (td_record_list_get_store (self->list), kind_id, NULL);

  return other ? td_record_list_name_of (other, id) : NULL;
}

/**
 * td_import_dup_row_display:
 *
 * Returns: (transfer full): @field of @row as a list shows it; what the
 *   file holds for a row with problems.
 */
char *
td_import_dup_row_display (TdImport *self,
                           guint     row,
                           guint     field)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);
  Row *r = td_import_get_row (self, row);

  g_return_val_if_fail (field < kind->n_fields, NULL);

  if (r == NULL)
    return g_strdup ("");
  if (r->values == 0)
    return g_strdup (td_import_get_row_input (self, row, field));
  return td_field_display (&kind->fields[field], td_import_row_values (self, r)[field], td_import_name_of_cb, self);
}

/* For a %TD_IMPORT_REPLACED row, the line of the row that wins. */
guint
td_import_get_replaced_by (TdImport *self,
                           guint     row)
{
  Row *r = td_import_get_row (self, row);

  return r ? r->replaced_by : 0;
}

guint
td_import_get_count (TdImport       *self,
                     TdImportAction  action)
{
  g_return_val_if_fail (action < TD_IMPORT_N_ACTIONS, 0);

  return self->counts[action];
}

/* Each refused field of each row, in the file's order. */
guint
td_import_get_n_problems (TdImport *self)
{
  return self->problems->len;
}

/* Problems found beyond TD_LIMIT_IMPORT_PROBLEMS: counted, not listed. */
guint
td_import_get_n_problems_left_out (TdImport *self)
{
  g_return_val_if_fail (TD_IS_IMPORT (self), 0);

  return self->n_problems_left_out;
}

/* The rows left out because a later row has the same key, of the whole
 * file (td_import_get_n_rows() has only the first rows of a long one). */
guint
td_import_get_n_replaced (TdImport *self)
{
  g_return_val_if_fail (TD_IS_IMPORT (self), 0);

  return self->replaced->len;
}

/**
 * td_import_get_replaced:
 * @by: (out): the line of the later row that wins
 *
 * Returns: the line of the @index-th row left out, in the file's order
 */
guint
td_import_get_replaced (TdImport *self,
                        guint     index,
                        guint    *by)
{
  const Replaced *replaced;

  g_return_val_if_fail (TD_IS_IMPORT (self), 0);
  g_return_val_if_fail (index < self->replaced->len, 0);

  replaced = &g_array_index (self->replaced, Replaced, index);
  if (by)
    *by = replaced->by;
  return replaced->line;
}

const TdImportProblem *
td_import_get_problem (TdImport *self,
                       guint     index)
{
  Problem *problem;

  g_return_val_if_fail (index < self->problems->len, NULL);

  problem = &g_array_index (self->problems, Problem, index);
  problem->public.column = problem->column;
  problem->public.message = problem->message;
  return &problem->public;
}

/**
 * td_import_set_create_missing:
 *
 * Whether the commit creates the records that rows name and that do not
 * exist (td_import_get_n_missing()), in its transaction, before the rows.
 * The preview must be made again.
 */
void
td_import_set_create_missing (TdImport *self,
                              gboolean  create)
{
  g_return_if_fail (TD_IS_IMPORT (self));

  if (self->create_missing == !!create)
    return;
  self->create_missing = !!create;
  td_import_forget_preview (self);
}

gboolean
td_import_get_create_missing (TdImport *self)
{
  g_return_val_if_fail (TD_IS_IMPORT (self), FALSE);

  return self->create_missing;
}

/* The records rows name that do not exist, found by the preview. */
guint
td_import_get_n_missing (TdImport *self)
{
  g_return_val_if_fail (TD_IS_IMPORT (self), 0);

  return self->missing->len;
}

/**
 * td_import_get_missing:
 * @kind_id: (out) (optional): the kind of record, e.g. "venues"
 *
 * Returns: (transfer none): the name of a missing record
 */
const char *
td_import_get_missing (TdImport    *self,
                       guint        index,
                       const char **kind_id)
{
  Missing *missing;

  g_return_val_if_fail (TD_IS_IMPORT (self), NULL);
  g_return_val_if_fail (index < self->missing->len, NULL);

  missing = &g_array_index (self->missing, Missing, index);
  if (kind_id)
    *kind_id = missing->kind_id;
  return missing->name;
}

/* How many missing records the last commit created. */
guint
td_import_get_n_created (TdImport *self)
{
  g_return_val_if_fail (TD_IS_IMPORT (self), 0);

  return self->n_created;
}

/* The choice values the file holds that their field does not know, mapped
 * or not, found by the preview. */
guint
td_import_get_n_unknown_choices (TdImport *self)
{
  g_return_val_if_fail (TD_IS_IMPORT (self), 0);

  return self->unknown->len;
}

/**
 * td_import_get_unknown_choice:
 * @field: (out): the field
 *
 * Returns: (transfer none): the value, as the file holds it (trimmed)
 */
const char *
td_import_get_unknown_choice (TdImport *self,
                              guint     index,
                              guint    *field)
{
  Unknown *unknown;

  g_return_val_if_fail (TD_IS_IMPORT (self), NULL);
  g_return_val_if_fail (index < self->unknown->len, NULL);

  unknown = &g_array_index (self->unknown, Unknown, index);
  *field = unknown->field;
  return unknown->value;
}

static char *
td_import_choice_key (TdImport   *self,
                      guint       field,
                      const char *value)
{
  int column = self->field_column[field];
  g_autofree char *normal = td_normalize_text (value);

  if (column < 0)
    return NULL;
  return g_strdup_printf ("%s\x1f%s", self->headers[column], normal);
}

/**
 * td_import_get_choice_mapping:
 *
 * Returns: (transfer none) (nullable): the choice id @value of @field is
 *   mapped to, by this import or a earlier one of the same column header
 */
const char *
td_import_get_choice_mapping (TdImport   *self,
                              guint       field,
                              const char *value)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (TD_IS_IMPORT (self), NULL);
  g_return_val_if_fail (field < td_record_list_get_kind (self->list)->n_fields, NULL);

  key = td_import_choice_key (self, field, value);
  return key ? g_hash_table_lookup (self->choice_map, key) : NULL;
}

/**
 * td_import_set_choice_mapping:
 * @choice_id: (nullable): a choice of @field, or %NULL to forget
 *
 * Reads @value in @field's column as @choice_id: from now on, and in later
 * imports of a file with the same column header once the commit has saved
 * it. The preview must be made again.
 */
void
td_import_set_choice_mapping (TdImport   *self,
                              guint       field,
                              const char *value,
                              const char *choice_id)
{
  const TdRecordKind *kind;
  const TdChoice *choice = NULL;
  char *key;

  g_return_if_fail (TD_IS_IMPORT (self));
  kind = td_record_list_get_kind (self->list);
  g_return_if_fail (field < kind->n_fields && kind->fields[field].type == TD_FIELD_CHOICE);
  g_return_if_fail (choice_id == NULL ||
                    (choice = td_field_find_choice (&kind->fields[field], choice_id)) != NULL);

  if ((key = td_import_choice_key (self, field, value)) == NULL)
    return;
  if (choice)
    g_hash_table_replace (self->choice_map, g_strdup (key), g_strdup (choice->id));
  else
    g_hash_table_remove (self->choice_map, key);
  g_hash_table_add (self->choice_pending, key);
  td_import_forget_preview (self);
}

/**
 * td_import_save_problems:
 * @path: a .csv file
 *
 * Writes the problems as a CSV file, one a line: the line of the file,
 * the column, the reason. Cells a spreadsheet would run as formulas are
 * neutralised, as in every CSV file the app writes.
 */
gboolean
td_import_save_problems (TdImport    *self,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(TdTable) table = td_table_new ();
  const char *header[] = {
    /* Translators: headers of the saved list of an import's problems */
    C_("import problems", "Line"), C_("import problems", "Column"), C_("import problems", "Problem"),
  };

  g_return_val_if_fail (TD_IS_IMPORT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  td_table_add_cells (table, 1, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < self->problems->len; i++)
    {
      const TdImportProblem *problem = td_import_get_problem (self, i);
      g_autofree char *line = g_strdup_printf ("%u", problem->line);
      const char *cells[] = { line, problem->column, problem->message };

      td_table_add_cells (table, i + 2, cells, G_N_ELEMENTS (cells));
    }
  return td_csv_write (table, path, error);
}
