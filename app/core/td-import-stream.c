/* td-import-stream.c: the rows of the file to import, read twice
 *
 * A CSV file longer than HEAD_ROWS rows is never held: the check (the
 * preview) reads it row by row, judging each row and keeping 16 bytes of
 * its key's digest; the duplicates are then found by sorting those in
 * place (qsort() took as much memory again); the commit reads the file a
 * second time, judges each row again and writes it, and refuses a file
 * that now reads differently. A million rows once took 812 MiB and 70-85 s
 * held whole (issue 17).
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

static void
td_import_stream_add_problem (TdImport   *self,
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
td_import_stream_resolve_cb (const char  *kind_id,
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
td_import_stream_map_choice (TdImport   *self,
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
td_import_stream_judge_rest (TdImport            *self,
                             guint                line,
                             const char * const  *inputs,
                             int                  bad)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);

  for (guint f = bad + 1; f < kind->n_fields; f++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *stored = NULL;

      if (!td_field_parse (&kind->fields[f], inputs[f], td_import_stream_resolve_cb, self, &stored, &error))
        td_import_stream_add_problem (self, line, f, error->message);
    }
}

static void
td_import_stream_add_ambiguity (TdImport *self,
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
  td_import_stream_add_problem (self, line, first, message);
}

/* The stored values of the key fields, as one string. */
static char *
td_import_stream_key_of (const TdRecordKind *kind,
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

static void
td_import_stream_keep_values (TdImport  *self,
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
td_import_stream_values_equal (const char * const *a,
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
td_import_stream_cells_blank (const char * const *cells,
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
td_import_stream_index_existing (TdImport *self)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);
  guint n_records = g_list_model_get_n_items (G_LIST_MODEL (self->list));

  self->existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->several = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  for (guint i = 0; i < n_records; i++)
    {
      TdRecord *record = g_list_model_get_item (G_LIST_MODEL (self->list), i);
      char *key = td_import_stream_key_of (kind, td_record_get_values (record));
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
td_import_stream_cursor_start (TdImport  *self,
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
td_import_stream_cursor_next (Cursor  *cursor,
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
td_import_stream_cursor_fraction (Cursor *cursor)
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
td_import_stream_judged_clear (Judged *judged)
{
  g_clear_pointer (&judged->stored, g_strfreev);
  g_clear_pointer (&judged->key, g_free);
}

/* Judges the row under @cursor by the list's rules and matches it with
 * the records there are; %FALSE for a bad row, its problems added when
 * @note. */
static gboolean
td_import_stream_judge_row (TdImport    *self,
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
          const char *mapped = td_import_stream_map_choice (self, f, inputs[f]);

          if (mapped)
            inputs[f] = mapped;
        }
    }

  out->stored = td_record_list_parse_with (self->list, inputs, td_import_stream_resolve_cb, self, &bad, &local_error);
  if (out->stored == NULL)
    {
      if (note)
        {
          td_import_stream_add_problem (self, cursor->line, bad, local_error->message);
          if (bad >= 0)
            td_import_stream_judge_rest (self, cursor->line, inputs, bad);
        }
      return FALSE;
    }

  out->key = td_import_stream_key_of (kind, (const char * const *)out->stored);
  out->existing = g_hash_table_lookup (self->existing, out->key);
  if ((same = g_hash_table_lookup (self->several, out->key)))
    {
      out->existing = NULL;
      for (guint i = 0; i < same->len && out->existing == NULL; i++)
        if (td_import_stream_values_equal ((const char * const *)out->stored,
                                           td_record_get_values (g_ptr_array_index (same, i)), kind->n_fields))
          out->existing = g_ptr_array_index (same, i);
      if (out->existing == NULL)
        {
          /* Which of them would it change? Better to ask than guess. */
          if (note)
            td_import_stream_add_ambiguity (self, cursor->line, same->len);
          td_import_stream_judged_clear (out);
          return FALSE;
        }
    }

  if (out->existing == NULL)
    out->action = TD_IMPORT_NEW;
  else
    out->action = td_import_stream_values_equal ((const char * const *)out->stored, td_record_get_values (out->existing),
                                                 kind->n_fields)
      ? TD_IMPORT_UNCHANGED : TD_IMPORT_UPDATE;
  return TRUE;
}

/* The first 96 bits of the SHA-256 of @key. */
static void
td_import_stream_digest_key (TdImport   *self,
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
td_import_stream_fold_row (TdImport      *self,
                           const guint32 *digest,
                           guint          line)
{
  self->fold = self->fold * 1099511628211u + ((guint64)digest[0] << 32 | digest[1]) + line;
  self->n_good++;
}

static inline gboolean
td_import_stream_seen_less (const Seen *x,
                            const Seen *y)
{
  for (guint i = 0; i < 3; i++)
    if (x->digest[i] != y->digest[i])
      return x->digest[i] < y->digest[i];
  return x->line_action < y->line_action;
}

static inline void
td_import_stream_seen_swap (Seen *x,
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
td_import_stream_seen_sort (Seen  *a,
                            gsize  n)
{
  while (n > 16)
    {
      Seen *mid = a + n / 2, *last = a + n - 1;
      Seen pivot;
      gsize i = 0, j = n - 1;

      if (td_import_stream_seen_less (mid, a))
        td_import_stream_seen_swap (mid, a);
      if (td_import_stream_seen_less (last, mid))
        {
          td_import_stream_seen_swap (last, mid);
          if (td_import_stream_seen_less (mid, a))
            td_import_stream_seen_swap (mid, a);
        }
      pivot = *mid;
      for (;;)
        {
          while (td_import_stream_seen_less (&a[i], &pivot))
            i++;
          while (td_import_stream_seen_less (&pivot, &a[j]))
            j--;
          if (i >= j)
            break;
          td_import_stream_seen_swap (&a[i], &a[j]);
          i++;
          j--;
        }
      /* a[0..j] <= pivot <= a[j+1..n-1] */
      if (j + 1 < n - j - 1)
        {
          td_import_stream_seen_sort (a, j + 1);
          a += j + 1;
          n -= j + 1;
        }
      else
        {
          td_import_stream_seen_sort (a + j + 1, n - j - 1);
          n = j + 1;
        }
    }
  for (gsize i = 1; i < n; i++)
    for (gsize k = i; k > 0 && td_import_stream_seen_less (&a[k], &a[k - 1]); k--)
      td_import_stream_seen_swap (&a[k], &a[k - 1]);
}

static int
td_import_stream_replaced_compare (gconstpointer a,
                                   gconstpointer b)
{
  const Replaced *x = a, *y = b;

  return x->line < y->line ? -1 : x->line > y->line;
}

static int
td_import_stream_row_line_compare (gconstpointer a,
                                   gconstpointer b)
{
  guint line = *(const guint *)a;
  const Row *row = b;

  return line < row->line ? -1 : line > row->line;
}

/* When several rows of the file have the same key, the later row wins:
 * found once every row is checked, by sorting their keys. */
static void
td_import_stream_resolve_duplicates (TdImport *self)
{
  td_import_stream_seen_sort ((Seen *)self->seen->data, self->seen->len);
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
  g_array_sort (self->replaced, td_import_stream_replaced_compare);

  /* The rows kept to show, in the file's order as the lines are. */
  for (guint i = 0; i < self->replaced->len; i++)
    {
      Replaced *replaced = &g_array_index (self->replaced, Replaced, i);
      Row *row = bsearch (&replaced->line, self->rows->data, self->rows->len, sizeof (Row), td_import_stream_row_line_compare);

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
td_import_stream_presize_seen (TdImport *self)
{
  guint n_rows = td_table_get_n_rows (self->table);
  double head = self->reader ? self->head_fraction : 1.0;
  double estimate = head > 0.0 ? n_rows / head : n_rows;

  g_array_unref (self->seen);
  self->seen = g_array_sized_new (FALSE, FALSE, sizeof (Seen),
                                  (guint)MIN (estimate * 1.25 + 1024, TD_LIMIT_TABLE_ROWS + 1));
}

/* td_import_preview(), stopping early when @cancellable is cancelled. */
gboolean
td_import_stream_judge (TdImport      *self,
                        GCancellable  *cancellable,
                        GError       **error)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);
  g_autofree const char **inputs = g_new0 (const char *, kind->n_fields + 1);
  guint n_table_rows = td_table_get_n_rows (self->table);
  g_autoptr(GError) local_error = NULL;
  Cursor cursor;
  guint n = 0;

  td_import_forget_preview (self);
  if (!td_import_check_columns (self, error))
    return FALSE;
  td_import_stream_index_existing (self);
  if (!td_import_stream_cursor_start (self, &cursor, error))
    {
      td_import_forget_preview (self);
      return FALSE;
    }
  td_import_stream_presize_seen (self);

  while (td_import_stream_cursor_next (&cursor, &local_error))
    {
      Judged judged = { NULL, };
      Row row = { cursor.r, cursor.line, TD_IMPORT_BAD };
      gboolean kept = cursor.r < n_table_rows;
      Seen seen;

      if (n++ % CHECK_EVERY == 0)
        {
          if (td_import_run_cancelled (self, cancellable, error))
            {
              td_import_forget_preview (self);
              return FALSE;
            }
          td_import_report_progress (self, td_import_stream_cursor_fraction (&cursor));
        }
      if (td_import_stream_cells_blank (cursor.cells, cursor.n_cells))
        continue;

      if (!td_import_stream_judge_row (self, &cursor, TRUE, inputs, &judged))
        {
          if (kept)
            g_array_append_val (self->rows, row);
          self->counts[TD_IMPORT_BAD]++;
          continue;
        }

      g_assert (cursor.line < (1u << 29));
      td_import_stream_digest_key (self, judged.key, seen.digest);
      seen.line_action = cursor.line << 3 | judged.action;
      g_array_append_val (self->seen, seen);
      td_import_stream_fold_row (self, seen.digest, cursor.line);
      self->counts[judged.action]++;
      if (kept)
        {
          row.action = judged.action;
          row.existing = judged.existing ? g_object_ref (judged.existing) : NULL;
          td_import_stream_keep_values (self, &row, judged.stored);
          g_array_append_val (self->rows, row);
        }
      td_import_stream_judged_clear (&judged);
    }
  if (local_error != NULL)
    {
      td_import_forget_preview (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  td_import_stream_resolve_duplicates (self);
  self->previewed = TRUE;
  td_import_report_progress (self, 1.0);
  return TRUE;
}

/* @values with the placeholders of missing records replaced by their ids;
 * %NULL when there are none. */
static char **
td_import_stream_replace_placeholders (TdImport            *self,
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

/* @failure prefixed with the line of the row it is about, unless it is
 * about the database file as a whole. */
static void
td_import_stream_prefix_line (GError **failure,
                              guint    line)
{
  if (!td_store_error_is_the_file (*failure))
    g_prefix_error (failure, _("Line %u: "), line);
}

/* The new rows waiting to be written together, and their lines. */
typedef struct
{
  GPtrArray *rows;   /* GStrv */
  GArray    *lines;  /* guint */
} Pending;

/* Writes what is pending; on failure @failure says why, prefixed with the
 * line of the row refused when it is one row's. */
static gboolean
td_import_stream_flush (TdImport  *self,
                        Pending   *pending,
                        GError   **failure)
{
  int failed = -1;
  gboolean ok = pending->rows->len == 0 ||
                td_record_list_insert_stored_rows (self->list, (const char * const * const *)pending->rows->pdata,
                                                   pending->rows->len, &failed, failure);

  if (!ok && failed >= 0)
    td_import_stream_prefix_line (failure, g_array_index (pending->lines, guint, failed));
  g_ptr_array_set_size (pending->rows, 0);
  g_array_set_size (pending->lines, 0);
  return ok;
}

/* The file read again, row by row, each judged again (the list is as the
 * check found it) and written unless it is left out for a later row or
 * is already there as it is. New rows are written
 * td_record_list_insert_rows() at a time (td-record-list-writes.c says
 * why), in the file's order, each update after the rows before it. */
gboolean
td_import_stream_write_rows (TdImport      *self,
                             const gint64  *ids,
                             GError       **error)
{
  const TdRecordKind *kind = td_record_list_get_kind (self->list);
  g_autofree const char **inputs = g_new0 (const char *, kind->n_fields + 1);
  guint per = td_record_list_insert_rows (self->list);
  g_autoptr(GPtrArray) pending_rows = g_ptr_array_new_full (per, (GDestroyNotify)g_strfreev);
  g_autoptr(GArray) pending_lines = g_array_sized_new (FALSE, FALSE, sizeof (guint), per);
  Pending pending = { pending_rows, pending_lines };
  guint64 fold = self->fold;
  guint n_good = self->n_good;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) failure = NULL;
  guint next_replaced = 0, n = 0;
  gboolean changed = FALSE;
  Cursor cursor;

  if (!td_import_stream_cursor_start (self, &cursor, error))
    return FALSE;
  self->fold = 0;
  self->n_good = 0;
  while (td_import_stream_cursor_next (&cursor, &local_error))
    {
      Judged judged = { NULL, };
      g_auto(GStrv) replaced = NULL;
      const char * const *values;
      guint32 digest[3];
      gboolean ok = TRUE, flushed = TRUE;

      if (n++ % CHECK_EVERY == 0)
        {
          if (td_import_run_cancelled (self, self->cancellable, &failure))
            break;
          td_import_report_progress (self, td_import_stream_cursor_fraction (&cursor));
        }
      if (td_import_stream_cells_blank (cursor.cells, cursor.n_cells))
        continue;
      if (!td_import_stream_judge_row (self, &cursor, FALSE, inputs, &judged))
        {
          changed = TRUE;
          break;
        }
      td_import_stream_digest_key (self, judged.key, digest);
      td_import_stream_fold_row (self, digest, cursor.line);

      values = (const char * const *)judged.stored;
      if (next_replaced < self->replaced->len &&
          g_array_index (self->replaced, Replaced, next_replaced).line == cursor.line)
        next_replaced++;
      else if (judged.action == TD_IMPORT_NEW || judged.action == TD_IMPORT_UPDATE)
        {
          if (ids && (replaced = td_import_stream_replace_placeholders (self, values, ids)))
            values = (const char * const *)replaced;
          if (judged.action == TD_IMPORT_NEW)
            {
              g_ptr_array_add (pending.rows, replaced ? g_steal_pointer (&replaced) : g_strdupv ((char **)values));
              g_array_append_val (pending.lines, cursor.line);
              if (pending.rows->len == per)
                flushed = td_import_stream_flush (self, &pending, &failure);
            }
          else if ((flushed = td_import_stream_flush (self, &pending, &failure)))
            ok = td_record_list_update_stored (self->list, td_record_get_id (judged.existing), values, &failure);
        }
      td_import_stream_judged_clear (&judged);
      /* The flush's failure already names its row's line. */
      if (!flushed)
        break;
      if (!ok)
        {
          td_import_stream_prefix_line (&failure, cursor.line);
          break;
        }
    }
  if (failure == NULL && local_error == NULL && !changed)
    td_import_stream_flush (self, &pending, &failure);

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

  td_import_run_start (self);
  return td_import_stream_judge (self, NULL, error);
}

static void
td_import_stream_preview_thread (GTask        *task,
                                 gpointer      source_object,
                                 gpointer      task_data,
                                 GCancellable *cancellable)
{
  GError *error = NULL;

  if (td_import_stream_judge (source_object, cancellable, &error))
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
  td_import_run_start (self);
  td_import_load_references (self);
  g_task_run_in_thread (task, td_import_stream_preview_thread);
}

gboolean
td_import_preview_finish (TdImport      *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
