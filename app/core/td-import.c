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

#include "td-limits.h"
#include "td-import.h"
#include "td-record-list-private.h"
#include "td-store-private.h"
#include "td-validate.h"
#include "td-row-reader.h"

typedef struct
{
  guint           table_row;
  guint           line;
  TdImportAction  action;
  guint           values;       /* 1 + its first value in values; 0 when bad */
  TdRecord       *existing;     /* the record it matches, if any */
  guint           replaced_by;  /* the line of the later row that wins */
} Row;

/* A record a row names that does not exist: created by the commit when
 * the import may create missing records. */
typedef struct
{
  char *kind_id;
  char *name;
} Missing;

/* A choice value the field does not know, with the column it is in. */
typedef struct
{
  guint  field;
  char  *value;
} Unknown;

/* Ids that no record has, standing for the missing records until the
 * commit creates them: PLACEHOLDER_ID - index. */
#define PLACEHOLDER_ID G_MAXINT64
#define MAX_MISSING    100000

/* A good row's key, for finding the rows of the file with the same key
 * without holding the keys: 96 bits of its SHA-256 (two different keys
 * of a million rows share them with a chance of about 10^-17), then its
 * line and what it does. 16 bytes a row: 16 MiB for a million, freed
 * before the commit writes. */
typedef struct
{
  guint32 digest[3];
  guint32 line_action;  /* line << 3 | TdImportAction */
} Seen;

/* A row left out because a later row has its key. */
typedef struct
{
  guint line;
  guint by;
} Replaced;

typedef struct
{
  TdImportProblem public;
  char           *column;
  char           *message;
} Problem;

struct _TdImport
{
  GObject        parent_instance;

  TdRecordList  *list;
  /* The whole file (xlsx, td_import_new_for_table(), a short CSV), or the
   * first HEAD_ROWS rows of a CSV file that is read row by row from
   * reader: what the header is found in and what the window shows. */
  TdTable       *table;
  TdRowReader   *reader;
  double         head_fraction;  /* of the file, the table's rows */
  char          *file_name;

  guint          header_row;     /* in the table */
  guint          n_columns;
  char         **headers;        /* as the file writes them, trimmed */
  int           *column_field;   /* per column: a field, or -1 */
  int           *field_column;   /* per field: a column, or -1 */
  GHashTable    *by_header;      /* Chinese header -> field + 1 */
  GHashTable    *by_label;       /* folded label, either language -> field + 1 */
  GHashTable    *by_column;      /* column key -> field + 1 */

  gboolean       previewed;
  GCancellable  *cancellable;    /* of the commit under way */
  /* Read and written from any thread: the work's progress in
   * PROGRESS_SCALE parts, and td_import_cancel()'s request. */
  gboolean       no_reload;      /* td_import_set_reload (FALSE) */
  gint           progress;
  gint           cancel_requested;
  double         progress_base;  /* of the step under way, in [0, 1] */
  double         progress_span;
  TdImportProgressFunc progress_func;
  gpointer       progress_data;
  GArray        *rows;           /* Row */
  /* The values of the good rows, n_fields + NULL each: fewer and smaller
   * blocks than a GStrv per row, which counts at 100,000 rows. */
  GPtrArray     *values;
  GStringChunk  *chunk;
  GArray        *problems;       /* Problem, at most TD_LIMIT_IMPORT_PROBLEMS */
  guint          n_problems_left_out;
  guint          counts[TD_IMPORT_N_ACTIONS];

  /* Every good row's key (Seen), while checking; then the rows that lose
   * to a later one (Replaced, by line), all the commit needs of them. */
  GArray        *seen;
  GArray        *replaced;
  GChecksum     *checksum;
  /* The records there are, by key (a ref each); keys several share. */
  GHashTable    *existing;
  GHashTable    *several;
  /* What the check found, for the commit to find again: the good rows
   * and a sum over their keys and lines. A file changed in between is
   * refused, not half read. */
  guint          n_good;
  guint64        fold;

  gboolean       create_missing;
  GArray        *missing;        /* Missing, in the file's order */
  GHashTable    *missing_index;  /* "kind\x1fname" -> index + 1 */
  guint          n_created;      /* by the last commit */
  GArray        *unknown;        /* Unknown, in the file's order */
  GHashTable    *unknown_index;  /* "field\x1fvalue" */
  GHashTable    *choice_map;     /* "header\x1fvalue" -> choice id */
  GHashTable    *choice_pending; /* keys of choice_map to save */
};

/* Progress is reported at most this many times a run. */
#define PROGRESS_SCALE 10000
/* Rows between two looks at the cancellable: cheap (an atomic read) and
 * often enough that Cancel answers at once. */
#define CHECK_EVERY 64
/* Rows of a CSV file read up front; a longer file is read row by row,
 * twice (checked, then written), and only these rows are kept to show. */
#define HEAD_ROWS 1000

G_DEFINE_FINAL_TYPE (TdImport, td_import, G_TYPE_OBJECT)
G_DEFINE_QUARK (td-import-error-quark, td_import_error)

static void
row_clear (gpointer data)
{
  Row *row = data;

  g_clear_object (&row->existing);
}

static void
problem_clear (gpointer data)
{
  Problem *problem = data;

  g_free (problem->column);
  g_free (problem->message);
}

static void
missing_clear (gpointer data)
{
  Missing *missing = data;

  g_free (missing->kind_id);
  g_free (missing->name);
}

static void
unknown_clear (gpointer data)
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
  g_array_set_clear_func (self->rows, row_clear);
  self->problems = g_array_new (FALSE, TRUE, sizeof (Problem));
  g_array_set_clear_func (self->problems, problem_clear);
  self->seen = g_array_new (FALSE, FALSE, sizeof (Seen));
  self->replaced = g_array_new (FALSE, FALSE, sizeof (Replaced));
  self->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  self->values = g_ptr_array_new ();
  self->chunk = g_string_chunk_new (64 * 1024);
  self->missing = g_array_new (FALSE, TRUE, sizeof (Missing));
  g_array_set_clear_func (self->missing, missing_clear);
  self->missing_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->unknown = g_array_new (FALSE, TRUE, sizeof (Unknown));
  g_array_set_clear_func (self->unknown, unknown_clear);
  self->unknown_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->choice_map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->choice_pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Starts a run (a preview or a commit): no progress, no cancel request.
 * On the caller's thread, before any worker starts. */
static void
run_start (TdImport *self)
{
  g_atomic_int_set (&self->progress, 0);
  g_atomic_int_set (&self->cancel_requested, 0);
  self->progress_base = 0.0;
  self->progress_span = 1.0;
}

/* @done (0 to 1) of the step under way: progress only ever grows. */
static void
report_progress (TdImport *self,
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
static gboolean
run_cancelled (TdImport      *self,
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
load_choice_map (TdImport  *self,
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
clean_header (const char *text)
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
index_headers (TdImport *self)
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
field_for_header (TdImport   *self,
                  const char *text)
{
  g_autofree char *clean = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *lower = NULL;
  guint by_label, by_column;

  if (strlen (text) > TD_LIMIT_HEADER_TEXT)
    return -1;
  clean = clean_header (text);
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
count_matches (TdImport *self,
               guint     row)
{
  guint n_cells, n = 0;
  const char * const *cells = td_table_get_row (self->table, row, &n_cells);

  for (guint c = 0; c < n_cells; c++)
    if (field_for_header (self, cells[c]) >= 0)
      n++;
  return n;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* Maps each column to the field its header names; the first of two
 * columns naming the same field wins. */
static void
map_columns (TdImport *self)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);
  guint n_cells;
  const char * const *cells = td_table_get_row (self->table, self->header_row, &n_cells);

  /* Trailing empty headers are no columns. */
  while (n_cells > 0 && is_blank (cells[n_cells - 1]))
    n_cells--;

  self->n_columns = n_cells;
  self->headers = g_new0 (char *, n_cells + 1);
  self->column_field = g_new (int, MAX (n_cells, 1));
  self->field_column = g_new (int, kind->n_fields);
  for (guint f = 0; f < kind->n_fields; f++)
    self->field_column[f] = -1;

  for (guint c = 0; c < n_cells; c++)
    {
      int field = field_for_header (self, cells[c]);

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
find_header (TdImport  *self,
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
      matches = count_matches (self, r);
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
  map_columns (self);
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
  index_headers (self);
  if (!find_header (self, error) || !load_choice_map (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* The first HEAD_ROWS rows of the file @path, copied; *@reader is
 * left open on the file when it has more, %NULL when they are all. */
static TdTable *
read_head (const char   *path,
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

      table = read_head (path, &reader, &local_error);
      /* Say which file: a person may be importing several (a
       * workbook's messages name it already). */
      if (table == NULL && local_error->domain == TD_TABLE_ERROR &&
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

      if (column >= n_cells || is_blank (cells[column]))
        continue;
      value = td_normalize_text (cells[column]);
      g_strv_builder_add (builder, value);
      n++;
    }
  return g_strv_builder_end (builder);
}

static void
forget_preview (TdImport *self)
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
  forget_preview (self);
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

static void
add_problem (TdImport   *self,
             guint       line,
             int         field,
             const char *message)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);
  Problem problem = { { line, field, NULL, NULL }, NULL, NULL };
  int column = field >= 0 ? self->field_column[field] : -1;

  /* A file of a million bad rows costs what 10,000 problems cost. */
  if (self->problems->len >= TD_LIMIT_IMPORT_PROBLEMS)
    {
      self->n_problems_left_out++;
      return;
    }

  /* The column as the file names it; the documented header when none. */
  problem.column = g_strdup (column >= 0 ? self->headers[column] :
                             field >= 0 ? kind->fields[field].header : "");
  problem.message = g_strdup (message);
  g_array_append_val (self->problems, problem);
}

static gint64
resolve_cb (const char  *kind_id,
            const char  *name,
            gpointer     user_data,
            GError     **error)
{
  TdImport *self = user_data;
  TdRecordList *other = td_record_list_get (td_record_list_get_store (self->list), kind_id, error);
  gint64 id;

  if (other == NULL)
    return 0;
  id = td_record_list_id_of (other, name);
  if (id == 0)
    {
      g_autofree char *excerpt = td_limit_excerpt (name);
      g_autofree char *key = g_strdup_printf ("%s\x1f%s", kind_id, name);
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->missing_index, key));

      if (index == 0 && self->missing->len < MAX_MISSING)
        {
          Missing missing = { g_strdup (kind_id), g_strdup (name) };

          g_array_append_val (self->missing, missing);
          index = self->missing->len;
          g_hash_table_insert (self->missing_index, g_steal_pointer (&key), GUINT_TO_POINTER (index));
        }
      if (self->create_missing && index > 0)
        return PLACEHOLDER_ID - (index - 1);

      g_set_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_UNKNOWN_CODE,
                   /* Translators: “%s” is a name; then the kind, e.g. "Venues" */
                   _("There is no “%s” among the %s. Add it there first."),
                   excerpt, g_dgettext (GETTEXT_PACKAGE, td_record_list_get_kind (other)->title));
    }
  return id;
}

/* A choice value of @field the kind does not know: noted once, for the
 * mapping step; then what it is mapped to, if anything. */
static const char *
map_choice (TdImport   *self,
            guint       field,
            const char *input)
{
  const TdField *f = &td_record_list_get_kind (self->list)->fields[field];
  g_autofree char *value = td_normalize_text (input);
  g_autofree char *unknown_key = NULL;
  g_autofree char *map_key = NULL;
  const char *choice;

  if (value[0] == '\0' || td_field_find_choice (f, value) != NULL)
    return NULL;

  unknown_key = g_strdup_printf ("%u\x1f%s", field, value);
  if (!g_hash_table_contains (self->unknown_index, unknown_key) && self->unknown->len < MAX_MISSING)
    {
      Unknown unknown = { field, g_strdup (value) };

      g_array_append_val (self->unknown, unknown);
      g_hash_table_add (self->unknown_index, g_steal_pointer (&unknown_key));
    }

  map_key = g_strdup_printf ("%s\x1f%s", self->headers[self->field_column[field]], value);
  choice = g_hash_table_lookup (self->choice_map, map_key);
  /* A mapping to a choice the app no longer has is no mapping. */
  return choice && td_field_find_choice (f, choice) ? choice : NULL;
}

/* After the first refused field, the others of the row: a person fixes
 * the whole row at once. */
static void
judge_rest (TdImport            *self,
            guint                line,
            const char * const  *inputs,
            int                  bad)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);

  for (guint f = bad + 1; f < kind->n_fields; f++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *stored = NULL;

      if (!td_field_parse (&kind->fields[f], inputs[f], resolve_cb, self, &stored, &error))
        add_problem (self, line, f, error->message);
    }
}

static void
add_ambiguity (TdImport *self,
               guint     line,
               guint     n_records)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);
  g_autoptr(GString) columns = g_string_new (NULL);
  g_autofree char *message = NULL;
  int first = -1;

  for (guint f = 0; f < kind->n_fields; f++)
    if (kind->fields[f].flags & TD_FIELD_KEY)
      {
        g_string_append_printf (columns, "%s%s", columns->len ? "、" : "", kind->fields[f].header);
        if (first < 0)
          first = f;
      }
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u records already have the same %s as this row, so it is not "
                                          "clear which one it changes. Make them differ first.",
                                          "%u records already have the same %s as this row, so it is not "
                                          "clear which one it changes. Make them differ first.",
                                          n_records),
                             n_records, columns->str);
  add_problem (self, line, first, message);
}

/* The stored values of the key fields, as one string. */
static char *
key_of (const TdRecordKind *kind,
        const char * const *stored)
{
  GString *key = g_string_new (NULL);

  for (guint f = 0; f < kind->n_fields; f++)
    if (kind->fields[f].flags & TD_FIELD_KEY)
      {
        g_string_append (key, stored[f]);
        g_string_append_c (key, '\x1f');
      }
  return g_string_free (key, FALSE);
}

static const char * const *
row_values (TdImport  *self,
            const Row *row)
{
  if (row->values == 0)
    return NULL;
  return (const char * const *)self->values->pdata + row->values - 1;
}

static void
keep_values (TdImport  *self,
             Row       *row,
             char     **stored)
{
  guint n_fields = td_record_list_get_kind (self->list)->n_fields;

  row->values = self->values->len + 1;
  for (guint f = 0; f < n_fields; f++)
    g_ptr_array_add (self->values, stored[f][0] ? g_string_chunk_insert (self->chunk, stored[f]) : (char *)"");
  g_ptr_array_add (self->values, NULL);
}

static gboolean
values_equal (const char * const *a,
              const char * const *b,
              guint               n)
{
  for (guint i = 0; i < n; i++)
    if (strcmp (a[i], b[i]) != 0)
      return FALSE;
  return TRUE;
}

/* No cell holds more than spaces, as td_table_row_is_blank() says. */
static gboolean
cells_blank (const char * const *cells,
             guint               n_cells)
{
  for (guint i = 0; i < n_cells; i++)
    for (const char *p = cells[i]; *p; p++)
      if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
        return FALSE;
  return TRUE;
}

/* The records there are, by key. Keys that several records share are
 * noted apart: a row with such a key is the one it equals, if any. */
static void
index_existing (TdImport *self)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);
  guint n_records = g_list_model_get_n_items (G_LIST_MODEL (self->list));

  self->existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->several = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  for (guint i = 0; i < n_records; i++)
    {
      TdRecord *record = g_list_model_get_item (G_LIST_MODEL (self->list), i);
      char *key = key_of (kind, td_record_get_values (record));
      TdRecord *first = g_hash_table_lookup (self->existing, key);
      GPtrArray *same;

      if (first == NULL)
        {
          g_hash_table_insert (self->existing, key, record);
          continue;
        }
      if (!(same = g_hash_table_lookup (self->several, key)))
        {
          same = g_ptr_array_new_with_free_func (g_object_unref);
          g_ptr_array_add (same, g_object_ref (first));
          g_hash_table_insert (self->several, g_strdup (key), same);
        }
      g_ptr_array_add (same, record);
      g_free (key);
    }
}

/* Rows of the file, from the first below the header: the table's, or
 * the file's as the reader reads them. */
typedef struct
{
  TdImport           *self;
  guint               r;        /* the row's index in the file */
  const char * const *cells;
  guint               n_cells;
  guint               line;
} Cursor;

static gboolean
cursor_start (TdImport  *self,
              Cursor    *cursor,
              GError   **error)
{
  cursor->self = self;
  cursor->r = self->header_row;
  if (self->reader == NULL)
    return TRUE;
  if (!td_row_reader_rewind (self->reader, error))
    return FALSE;
  for (guint r = 0; r <= self->header_row; r++)
    if (!td_row_reader_next (self->reader, &cursor->cells, &cursor->n_cells, &cursor->line, error))
      {
        if (error == NULL || *error == NULL)
          g_set_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_CHANGED,
                       _("“%s” changed while it was being imported, so nothing was imported. "
                         "Import it again."), self->file_name);
        return FALSE;
      }
  return TRUE;
}

/* The next row; %FALSE at the end, or with @error set. */
static gboolean
cursor_next (Cursor  *cursor,
             GError **error)
{
  TdImport *self = cursor->self;

  cursor->r++;
  if (self->reader != NULL)
    return td_row_reader_next (self->reader, &cursor->cells, &cursor->n_cells, &cursor->line, error);
  if (cursor->r >= td_table_get_n_rows (self->table))
    return FALSE;
  cursor->cells = td_table_get_row (self->table, cursor->r, &cursor->n_cells);
  cursor->line = td_table_get_line (self->table, cursor->r);
  return TRUE;
}

static double
cursor_fraction (Cursor *cursor)
{
  TdImport *self = cursor->self;
  guint n_rows = td_table_get_n_rows (self->table);

  if (self->reader != NULL)
    return td_row_reader_get_fraction (self->reader);
  return n_rows > 0 ? (double)cursor->r / n_rows : 1.0;
}

/* What a good row stores and does. */
typedef struct
{
  char           **stored;
  char            *key;
  TdRecord        *existing;  /* not a ref: self->existing holds one */
  TdImportAction   action;
} Judged;

static void
judged_clear (Judged *judged)
{
  g_clear_pointer (&judged->stored, g_strfreev);
  g_clear_pointer (&judged->key, g_free);
}

/* Judges the row under @cursor by the list's rules and matches it with
 * the records there are; %FALSE for a bad row, its problems added when
 * @note. */
static gboolean
judge_row (TdImport    *self,
           Cursor      *cursor,
           gboolean     note,
           const char **inputs,
           Judged      *out)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);
  g_autoptr(GError) local_error = NULL;
  GPtrArray *same;
  int bad = -1;

  for (guint f = 0; f < kind->n_fields; f++)
    {
      int c = self->field_column[f];

      inputs[f] = c >= 0 && (guint)c < cursor->n_cells ? cursor->cells[c] : "";
      if (c >= 0 && kind->fields[f].type == TD_FIELD_CHOICE)
        {
          const char *mapped = map_choice (self, f, inputs[f]);

          if (mapped)
            inputs[f] = mapped;
        }
    }

  out->stored = td_record_list_parse_with (self->list, inputs, resolve_cb, self, &bad, &local_error);
  if (out->stored == NULL)
    {
      if (note)
        {
          add_problem (self, cursor->line, bad, local_error->message);
          if (bad >= 0)
            judge_rest (self, cursor->line, inputs, bad);
        }
      return FALSE;
    }

  out->key = key_of (kind, (const char * const *)out->stored);
  out->existing = g_hash_table_lookup (self->existing, out->key);
  if ((same = g_hash_table_lookup (self->several, out->key)))
    {
      out->existing = NULL;
      for (guint i = 0; i < same->len && out->existing == NULL; i++)
        if (values_equal ((const char * const *)out->stored,
                          td_record_get_values (g_ptr_array_index (same, i)), kind->n_fields))
          out->existing = g_ptr_array_index (same, i);
      if (out->existing == NULL)
        {
          /* Which of them would it change? Better to ask than guess. */
          if (note)
            add_ambiguity (self, cursor->line, same->len);
          judged_clear (out);
          return FALSE;
        }
    }

  if (out->existing == NULL)
    out->action = TD_IMPORT_NEW;
  else
    out->action = values_equal ((const char * const *)out->stored, td_record_get_values (out->existing),
                                kind->n_fields)
      ? TD_IMPORT_UNCHANGED : TD_IMPORT_UPDATE;
  return TRUE;
}

/* The first 96 bits of the SHA-256 of @key. */
static void
digest_key (TdImport   *self,
            const char *key,
            guint32    *digest)
{
  guint8 sum[32];
  gsize length = sizeof sum;

  g_checksum_reset (self->checksum);
  g_checksum_update (self->checksum, (const guchar *)key, -1);
  g_checksum_get_digest (self->checksum, sum, &length);
  memcpy (digest, sum, 3 * sizeof (guint32));
}

/* What the commit checks the file against: every good row, in order. */
static void
fold_row (TdImport      *self,
          const guint32 *digest,
          guint          line)
{
  self->fold = self->fold * 1099511628211u + ((guint64)digest[0] << 32 | digest[1]) + line;
  self->n_good++;
}

static inline gboolean
seen_less (const Seen *x,
           const Seen *y)
{
  for (guint i = 0; i < 3; i++)
    if (x->digest[i] != y->digest[i])
      return x->digest[i] < y->digest[i];
  return x->line_action < y->line_action;
}

static inline void
seen_swap (Seen *x,
           Seen *y)
{
  Seen t = *x;

  *x = *y;
  *y = t;
}

/* Sorts in place: qsort() would take as much again (16 MiB a million
 * rows) for its merge. No two entries are equal (their lines differ) and
 * digests are as good as random, so a quicksort's pivots are good; the
 * smaller side is sorted first, so the stack stays shallow. */
static void
seen_sort (Seen  *a,
           gsize  n)
{
  while (n > 16)
    {
      Seen *mid = a + n / 2, *last = a + n - 1;
      Seen pivot;
      gsize i = 0, j = n - 1;

      if (seen_less (mid, a))
        seen_swap (mid, a);
      if (seen_less (last, mid))
        {
          seen_swap (last, mid);
          if (seen_less (mid, a))
            seen_swap (mid, a);
        }
      pivot = *mid;
      for (;;)
        {
          while (seen_less (&a[i], &pivot))
            i++;
          while (seen_less (&pivot, &a[j]))
            j--;
          if (i >= j)
            break;
          seen_swap (&a[i], &a[j]);
          i++;
          j--;
        }
      /* a[0..j] <= pivot <= a[j+1..n-1] */
      if (j + 1 < n - j - 1)
        {
          seen_sort (a, j + 1);
          a += j + 1;
          n -= j + 1;
        }
      else
        {
          seen_sort (a + j + 1, n - j - 1);
          n = j + 1;
        }
    }
  for (gsize i = 1; i < n; i++)
    for (gsize k = i; k > 0 && seen_less (&a[k], &a[k - 1]); k--)
      seen_swap (&a[k], &a[k - 1]);
}

static int
replaced_compare (gconstpointer a,
                  gconstpointer b)
{
  const Replaced *x = a, *y = b;

  return x->line < y->line ? -1 : x->line > y->line;
}

static int
row_line_compare (gconstpointer a,
                  gconstpointer b)
{
  guint line = *(const guint *)a;
  const Row *row = b;

  return line < row->line ? -1 : line > row->line;
}

/* When several rows of the file have the same key, the later row wins:
 * found once every row is checked, by sorting their keys. */
static void
resolve_duplicates (TdImport *self)
{
  seen_sort ((Seen *)self->seen->data, self->seen->len);
  for (guint i = 0; i + 1 < self->seen->len; i++)
    {
      Seen *seen = &g_array_index (self->seen, Seen, i);
      Seen *next = seen + 1;
      Replaced replaced;

      if (memcmp (seen->digest, next->digest, sizeof seen->digest) != 0)
        continue;
      /* The last of the run of equal keys wins. */
      for (guint j = i + 1; j + 1 < self->seen->len &&
           memcmp (next->digest, next[1].digest, sizeof next->digest) == 0; j++)
        next++;
      replaced.line = seen->line_action >> 3;
      replaced.by = next->line_action >> 3;
      self->counts[seen->line_action & 7]--;
      self->counts[TD_IMPORT_REPLACED]++;
      g_array_append_val (self->replaced, replaced);
    }
  g_array_sort (self->replaced, replaced_compare);

  /* The rows kept to show, in the file's order as the lines are. */
  for (guint i = 0; i < self->replaced->len; i++)
    {
      Replaced *replaced = &g_array_index (self->replaced, Replaced, i);
      Row *row = bsearch (&replaced->line, self->rows->data, self->rows->len, sizeof (Row), row_line_compare);

      if (row == NULL)
        continue;
      row->action = TD_IMPORT_REPLACED;
      row->replaced_by = replaced->by;
    }

  g_array_unref (self->seen);
  self->seen = g_array_new (FALSE, FALSE, sizeof (Seen));
}

/* Room for as many keys as the file may have rows, made once: an array
 * doubled as it grows leaves its old copies behind in the heap (a million
 * rows' 16 MiB took 40 MiB so). Room not used costs no memory. */
static void
presize_seen (TdImport *self)
{
  guint n_rows = td_table_get_n_rows (self->table);
  double head = self->reader ? self->head_fraction : 1.0;
  double estimate = head > 0.0 ? n_rows / head : n_rows;

  g_array_unref (self->seen);
  self->seen = g_array_sized_new (FALSE, FALSE, sizeof (Seen),
                                  (guint)MIN (estimate * 1.25 + 1024, TD_LIMIT_TABLE_ROWS + 1));
}

/* td_import_preview(), stopping early when @cancellable is cancelled. */
static gboolean
judge (TdImport      *self,
       GCancellable  *cancellable,
       GError       **error)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);
  g_autofree const char **inputs = g_new0 (const char *, kind->n_fields + 1);
  guint n_table_rows = td_table_get_n_rows (self->table);
  g_autoptr(GError) local_error = NULL;
  Cursor cursor;
  guint n = 0;

  forget_preview (self);
  if (!td_import_check_columns (self, error))
    return FALSE;
  index_existing (self);
  if (!cursor_start (self, &cursor, error))
    {
      forget_preview (self);
      return FALSE;
    }
  presize_seen (self);

  while (cursor_next (&cursor, &local_error))
    {
      Judged judged = { NULL, };
      Row row = { cursor.r, cursor.line, TD_IMPORT_BAD };
      gboolean kept = cursor.r < n_table_rows;
      Seen seen;

      if (n++ % CHECK_EVERY == 0)
        {
          if (run_cancelled (self, cancellable, error))
            {
              forget_preview (self);
              return FALSE;
            }
          report_progress (self, cursor_fraction (&cursor));
        }
      if (cells_blank (cursor.cells, cursor.n_cells))
        continue;

      if (!judge_row (self, &cursor, TRUE, inputs, &judged))
        {
          if (kept)
            g_array_append_val (self->rows, row);
          self->counts[TD_IMPORT_BAD]++;
          continue;
        }

      g_assert (cursor.line < (1u << 29));
      digest_key (self, judged.key, seen.digest);
      seen.line_action = cursor.line << 3 | judged.action;
      g_array_append_val (self->seen, seen);
      fold_row (self, seen.digest, cursor.line);
      self->counts[judged.action]++;
      if (kept)
        {
          row.action = judged.action;
          row.existing = judged.existing ? g_object_ref (judged.existing) : NULL;
          keep_values (self, &row, judged.stored);
          g_array_append_val (self->rows, row);
        }
      judged_clear (&judged);
    }
  if (local_error != NULL)
    {
      forget_preview (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  resolve_duplicates (self);
  self->previewed = TRUE;
  report_progress (self, 1.0);
  return TRUE;
}

/**
 * td_import_preview:
 *
 * Judges every row and matches it to the records there are, writing
 * nothing. Fails only when a required field has no column; rows with
 * problems are counted as %TD_IMPORT_BAD and listed as problems.
 */
gboolean
td_import_preview (TdImport  *self,
                   GError   **error)
{
  g_return_val_if_fail (TD_IS_IMPORT (self), FALSE);

  run_start (self);
  return judge (self, NULL, error);
}

/* The lists that rows refer to, loaded here, on the caller's thread, so
 * that a worker thread only ever reads them. */
static void
load_references (TdImport *self)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);
  TdStore *store = td_record_list_get_store (self->list);

  for (guint f = 0; f < kind->n_fields; f++)
    if (kind->fields[f].type == TD_FIELD_REFERENCE)
      td_record_list_get (store, kind->fields[f].reference, NULL);
    else if (kind->fields[f].type == TD_FIELD_TEACHING)
      td_record_list_get (store, "trainers", NULL);
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;

  if (judge (source_object, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * td_import_preview_async:
 *
 * td_import_preview() in a worker thread. Until it completes, nothing
 * else may use the store (the import dialog is modal).
 */
void
td_import_preview_async (TdImport            *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TD_IS_IMPORT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, td_import_preview_async);
  run_start (self);
  load_references (self);
  g_task_run_in_thread (task, preview_thread);
}

gboolean
td_import_preview_finish (TdImport      *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The rows of the file that hold data (blank ones are passed over). */
guint
td_import_get_n_rows (TdImport *self)
{
  return self->rows->len;
}

static Row *
get_row (TdImport *self,
         guint     row)
{
  g_return_val_if_fail (row < self->rows->len, NULL);

  return &g_array_index (self->rows, Row, row);
}

guint
td_import_get_row_line (TdImport *self,
                        guint     row)
{
  Row *r = get_row (self, row);

  return r ? r->line : 0;
}

TdImportAction
td_import_get_row_action (TdImport *self,
                          guint     row)
{
  Row *r = get_row (self, row);

  return r ? r->action : TD_IMPORT_BAD;
}

/* What the file holds for @field in @row; "" when no column fills it. */
const char *
td_import_get_row_input (TdImport *self,
                         guint     row,
                         guint     field)
{
  Row *r = get_row (self, row);
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
  Row *r = get_row (self, row);

  return r ? row_values (self, r) : NULL;
}

static const char *
name_of_cb (const char *kind_id,
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
  Row *r = get_row (self, row);

  g_return_val_if_fail (field < kind->n_fields, NULL);

  if (r == NULL)
    return g_strdup ("");
  if (r->values == 0)
    return g_strdup (td_import_get_row_input (self, row, field));
  return td_field_display (&kind->fields[field], row_values (self, r)[field], name_of_cb, self);
}

/* For a %TD_IMPORT_REPLACED row, the line of the row that wins. */
guint
td_import_get_replaced_by (TdImport *self,
                           guint     row)
{
  Row *r = get_row (self, row);

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

/* The mappings chosen for this import, saved with its rows. */
static gboolean
save_choice_map (TdImport  *self,
                 GError   **error)
{
  TdStore *store = td_record_list_get_store (self->list);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->choice_pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *choice = g_hash_table_lookup (self->choice_map, key);
      g_auto(GStrv) parts = g_strsplit (key, "\x1f", 2);
      sqlite3_stmt *stmt;

      stmt = choice
        ? td_store_prepare (store,
                            "INSERT INTO import_choice_maps (kind, column_header, value, choice) "
                            "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (kind, column_header, value) "
                            "DO UPDATE SET choice = excluded.choice",
                            error)
        : td_store_prepare (store,
                            "DELETE FROM import_choice_maps "
                            "WHERE kind = ?1 AND column_header = ?2 AND value = ?3",
                            error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, td_record_list_get_kind (self->list)->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, parts[0], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, parts[1], -1, SQLITE_TRANSIENT);
      if (choice)
        sqlite3_bind_text (stmt, 4, choice, -1, SQLITE_TRANSIENT);
      if (!td_store_step_done (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* The missing records, each with its name and, for a required choice
 * (a venue's type), the first choice: a person corrects it afterwards. */
static gboolean
create_missing (TdImport  *self,
                gint64    *ids,
                GError   **error)
{
  TdStore *store = td_record_list_get_store (self->list);

  for (guint i = 0; i < self->missing->len; i++)
    {
      Missing *missing = &g_array_index (self->missing, Missing, i);
      TdRecordList *other = td_record_list_get (store, missing->kind_id, error);
      const TdRecordKind *kind;
      g_autofree const char **inputs = NULL;
      g_auto(GStrv) stored = NULL;

      if (other == NULL)
        return FALSE;
      kind = td_record_list_get_kind (other);
      inputs = g_new0 (const char *, kind->n_fields + 1);
      for (guint f = 0; f < kind->n_fields; f++)
        {
          const TdField *field = &kind->fields[f];

          inputs[f] = "";
          if (g_strcmp0 (field->column, kind->name_column) == 0)
            inputs[f] = missing->name;
          else if ((field->flags & TD_FIELD_REQUIRED) && field->type == TD_FIELD_CHOICE &&
                   field->fallback == NULL)
            inputs[f] = field->choices[0].id;
        }
      stored = td_record_list_parse (other, inputs, NULL, error);
      if (stored == NULL || !td_record_list_insert_stored (other, (const char * const *)stored, error))
        {
          g_prefix_error (error, _("Creating “%s”: "), missing->name);
          return FALSE;
        }
      ids[i] = sqlite3_last_insert_rowid (td_store_get_db (store));
    }
  return TRUE;
}

/* @values with the placeholders of missing records replaced by their ids;
 * %NULL when there are none. */
static char **
replace_placeholders (TdImport            *self,
                      const char * const  *values,
                      const gint64        *ids)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);
  char **copy = NULL;

  for (guint f = 0; f < kind->n_fields; f++)
    {
      gint64 id;

      if (kind->fields[f].type != TD_FIELD_REFERENCE || values[f][0] == '\0')
        continue;
      id = g_ascii_strtoll (values[f], NULL, 10);
      if (id <= PLACEHOLDER_ID - (gint64)self->missing->len)
        continue;
      if (copy == NULL)
        copy = g_strdupv ((char **)values);
      g_free (copy[f]);
      copy[f] = g_strdup_printf ("%" G_GINT64_FORMAT, ids[PLACEHOLDER_ID - id]);
    }
  return copy;
}

/* The file read again, row by row, each judged again (the list is as the
 * check found it) and written unless it is left out for a later row or
 * is already there as it is. */
static gboolean
write_rows (TdImport      *self,
            const gint64  *ids,
            GError       **error)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);
  g_autofree const char **inputs = g_new0 (const char *, kind->n_fields + 1);
  guint64 fold = self->fold;
  guint n_good = self->n_good;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) failure = NULL;
  guint next_replaced = 0, n = 0;
  gboolean changed = FALSE;
  Cursor cursor;

  if (!cursor_start (self, &cursor, error))
    return FALSE;
  self->fold = 0;
  self->n_good = 0;
  while (cursor_next (&cursor, &local_error))
    {
      Judged judged = { NULL, };
      g_auto(GStrv) replaced = NULL;
      const char * const *values;
      guint32 digest[3];
      gboolean ok = TRUE;

      if (n++ % CHECK_EVERY == 0)
        {
          if (run_cancelled (self, self->cancellable, &failure))
            break;
          report_progress (self, cursor_fraction (&cursor));
        }
      if (cells_blank (cursor.cells, cursor.n_cells))
        continue;
      if (!judge_row (self, &cursor, FALSE, inputs, &judged))
        {
          changed = TRUE;
          break;
        }
      digest_key (self, judged.key, digest);
      fold_row (self, digest, cursor.line);

      values = (const char * const *)judged.stored;
      if (next_replaced < self->replaced->len &&
          g_array_index (self->replaced, Replaced, next_replaced).line == cursor.line)
        next_replaced++;
      else if (judged.action == TD_IMPORT_NEW || judged.action == TD_IMPORT_UPDATE)
        {
          if (ids && (replaced = replace_placeholders (self, values, ids)))
            values = (const char * const *)replaced;
          if (judged.action == TD_IMPORT_NEW)
            ok = td_record_list_insert_stored (self->list, values, &failure);
          else
            ok = td_record_list_update_stored (self->list, td_record_get_id (judged.existing), values, &failure);
        }
      judged_clear (&judged);
      if (!ok)
        {
          g_prefix_error (&failure, _("Line %u: "), cursor.line);
          break;
        }
    }

  if (failure == NULL && local_error != NULL)
    failure = g_steal_pointer (&local_error);
  if (failure == NULL &&
      (changed || fold != self->fold || n_good != self->n_good || next_replaced != self->replaced->len))
    g_set_error (&failure, TD_IMPORT_ERROR, TD_IMPORT_ERROR_CHANGED,
                 _("“%s” changed while it was being imported, so nothing was imported. "
                   "Import it again."), self->file_name);
  /* What the check found stays as it was: the preview still stands. */
  self->fold = fold;
  self->n_good = n_good;
  if (failure == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&failure));
  return FALSE;
}

static gboolean
commit_in_transaction (TdStore   *store,
                       gpointer   user_data,
                       GError   **error)
{
  TdImport *self = user_data;
  g_autofree gint64 *ids = NULL;

  if (!save_choice_map (self, error))
    return FALSE;
  if (self->create_missing && self->missing->len > 0)
    {
      ids = g_new0 (gint64, self->missing->len);
      if (!create_missing (self, ids, error))
        return FALSE;
    }

  return write_rows (self, ids, error);
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = 0;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* One transaction, with a page cache large enough that SQLite need not
 * spill pages to the write-ahead log before the commit (each spilled page
 * is written twice): this halved the time a 100,000-row import took. With
 * time-ordered keys (migration 9) inserts append to every index, so the
 * pages a row touches are the last ones of each: 32 MiB holds what a
 * transaction of any size keeps rewriting, and the memory an import takes
 * no longer grows with the cache (it was 128 MiB). */
static gboolean
write_all (TdImport  *self,
           GError   **error)
{
  TdStore *store = td_record_list_get_store (self->list);
  sqlite3 *db = td_store_get_db (store);
  gint64 cache_size = query_int (db, "PRAGMA cache_size");
  gint64 temp_store = query_int (db, "PRAGMA temp_store");
  /* Changing temp_store drops every TEMP table and trigger: only when
   * there are none (the app makes none; a test may). */
  gboolean temp_free = query_int (db, "SELECT count(*) FROM sqlite_temp_master") == 0;
  g_autofree char *restore_cache = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, cache_size);
  g_autofree char *restore_temp = g_strdup_printf ("PRAGMA temp_store = %" G_GINT64_FORMAT, temp_store);
  gboolean ok;

  /* In KiB when negative: at most 32 MiB, taken only as pages are used.
   * Each row's INSERT (its triggers, its foreign key) keeps a statement
   * journal of the pages it changes; once one statement's outgrew 64 KiB
   * it went to a temporary file for the rest of the transaction, and a
   * million rows wrote 10 KiB each to it (3.2 GB for 300,000 rows, a
   * write() call per page). In memory it is emptied after each row. */
  td_store_exec (store, "PRAGMA cache_size = -32768", NULL);
  if (temp_free)
    td_store_exec (store, "PRAGMA temp_store = MEMORY", NULL);
  ok = td_store_transaction (store, commit_in_transaction, self, error);
  td_store_exec (store, restore_cache, NULL);
  if (temp_free)
    td_store_exec (store, restore_temp, NULL);
  return ok;
}

/* What of a commit may run in a worker thread: the checks and the
 * transaction. *wrote says whether anything was written. */
static gboolean
commit_write (TdImport      *self,
              GCancellable  *cancellable,
              gboolean      *wrote,
              GError       **error)
{
  gboolean ok;

  *wrote = FALSE;
  /* Checking every row is about a fifth of a commit that has to. */
  if (!self->previewed)
    {
      self->progress_span = 0.2;
      if (!judge (self, cancellable, error))
        return FALSE;
      self->progress_base = 0.2;
      self->progress_span = 0.8;
    }

  if (self->counts[TD_IMPORT_BAD] > 0)
    {
      guint n = self->counts[TD_IMPORT_BAD];

      g_set_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_BAD_ROWS,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u row of “%s” has problems, so nothing was imported. "
                                "Correct it and import the file again.",
                                "%u rows of “%s” have problems, so nothing was imported. "
                                "Correct them and import the file again.",
                                n),
                   n, self->file_name);
      return FALSE;
    }

  if (self->counts[TD_IMPORT_NEW] == 0 && self->counts[TD_IMPORT_UPDATE] == 0 &&
      g_hash_table_size (self->choice_pending) == 0)
    return TRUE;

  self->cancellable = cancellable;
  ok = write_all (self, error);
  self->cancellable = NULL;
  *wrote = ok;
  if (ok)
    report_progress (self, 1.0);
  if (ok)
    {
      self->n_created = self->create_missing ? self->missing->len : 0;
      g_hash_table_remove_all (self->choice_pending);
    }
  return ok;
}

/* On the list's own thread: the list loads what was written. */
static gboolean
commit_done (TdImport  *self,
             GError   **error)
{
  guint counts[TD_IMPORT_N_ACTIONS];
  g_autoptr(GPtrArray) created = g_ptr_array_new ();

  /* The lists that got records, for them to load them. */
  if (self->n_created > 0)
    for (guint i = 0; i < self->missing->len; i++)
      {
        const char *kind_id = g_array_index (self->missing, Missing, i).kind_id;
        TdRecordList *other = td_record_list_get (td_record_list_get_store (self->list), kind_id, NULL);

        if (other && !g_ptr_array_find (created, other, NULL))
          g_ptr_array_add (created, other);
      }
  for (guint i = 0; i < created->len; i++)
    if (!td_record_list_reload (g_ptr_array_index (created, i), error))
      return FALSE;

  /* The rows' copies go before the list loads them again (a large import
   * would hold both); the counts stay, for a summary. */
  memcpy (counts, self->counts, sizeof counts);
  forget_preview (self);
  memcpy (self->counts, counts, sizeof counts);
  return self->no_reload || td_record_list_reload (self->list, error);
}

/**
 * td_import_commit:
 *
 * Writes every new and changed row in one transaction, after a preview
 * (made now if there was none), then loads the list again. Refused,
 * writing nothing, when a row has a problem. Rows the database already
 * holds as they are write nothing.
 */
gboolean
td_import_commit (TdImport  *self,
                  GError   **error)
{
  gboolean wrote;

  g_return_val_if_fail (TD_IS_IMPORT (self), FALSE);

  run_start (self);
  if (!commit_write (self, NULL, &wrote, error))
    return FALSE;
  return !wrote || commit_done (self, error);
}

static void
commit_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  gboolean wrote;

  if (commit_write (source_object, cancellable, &wrote, &error))
    g_task_return_int (task, wrote);
  else
    g_task_return_error (task, error);
}

/**
 * td_import_commit_async:
 *
 * td_import_commit() with its transaction in a worker thread. Until it
 * completes, nothing else may use the store (the import dialog is modal).
 * Cancelling rolls the transaction back: nothing is written.
 */
void
td_import_commit_async (TdImport            *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TD_IS_IMPORT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, td_import_commit_async);
  /* Cancelled after the commit, it has still written: say so. */
  g_task_set_check_cancellable (task, FALSE);
  run_start (self);
  load_references (self);
  g_task_run_in_thread (task, commit_thread);
}

/**
 * td_import_commit_finish:
 *
 * Loads the list again, here: call it on the thread the list belongs to.
 */
gboolean
td_import_commit_finish (TdImport      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  gssize wrote;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  wrote = g_task_propagate_int (G_TASK (result), error);
  if (wrote < 0)
    return FALSE;
  return !wrote || commit_done (self, error);
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
  forget_preview (self);
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
choice_key (TdImport   *self,
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

  key = choice_key (self, field, value);
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

  if ((key = choice_key (self, field, value)) == NULL)
    return;
  if (choice)
    g_hash_table_replace (self->choice_map, g_strdup (key), g_strdup (choice->id));
  else
    g_hash_table_remove (self->choice_map, key);
  g_hash_table_add (self->choice_pending, key);
  forget_preview (self);
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
