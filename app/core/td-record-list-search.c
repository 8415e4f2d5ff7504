/* td-record-list-search.c: finding records by what the list shows of them
 *
 * A substring search over an in-memory copy of what the list shows
 * (casefolded), scanned with memmem(): it finds one- and two-character
 * Chinese words, which a trigram index cannot, in a few milliseconds for
 * 100,000 records (bench/search). One line per record, made in idle time
 * once a page asked for it; a written or deleted record's line is dead
 * until the text is compacted, and only the records written get a new one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* memmem () */
#define G_LOG_DOMAIN "td-record-list"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "td-limits.h"
#include "td-record-list-private.h"
#include "td-store-private.h"
#include "td-validate.h"

/* Appends @text casefolded, as the query is. Most text needs nothing done:
 * Chinese (three-byte UTF-8), digits and lowercase ASCII are appended as
 * they are, without a copy; only texts with ASCII capitals, two-byte
 * letters (Latin, Greek, Cyrillic) or full-width forms are casefolded. */
static void
td_record_list_search_append_folded (GString    *haystack,
                                     const char *text)
{
  for (const guchar *p = (const guchar *)text; *p; p++)
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 0xC0 && *p <= 0xDF) || *p == 0xEF)
      {
        g_autofree char *folded = g_utf8_casefold (text, -1);

        g_string_append (haystack, folded);
        return;
      }
  g_string_append (haystack, text);
}

/* The lists that references name, found once per batch of lines, not
 * once a cell. Only lists already loaded: lines may be made in idle time
 * while a worker thread writes (an import), and loading reads SQLite. */
typedef struct
{
  TdRecordList **lists;
  int           *name;
} Referenced;

static void
td_record_list_search_referenced_init (TdRecordList *self,
                                       Referenced   *ref)
{
  ref->lists = g_new0 (TdRecordList *, self->kind->n_fields);
  ref->name = g_new0 (int, self->kind->n_fields);
  for (guint f = 0; f < self->kind->n_fields; f++)
    if (self->kind->fields[f].type == TD_FIELD_REFERENCE &&
        (ref->lists[f] = td_record_list_peek (self->store, self->kind->fields[f].reference)))
      ref->name[f] = td_record_kind_field_index (ref->lists[f]->kind, ref->lists[f]->kind->name_column);
}

static void
td_record_list_search_referenced_clear (Referenced *ref)
{
  g_free (ref->lists);
  g_free (ref->name);
}

static guint
td_record_list_search_line_index_of (TdRecordList *self,
                                     TdRecord     *record)
{
  guint serial = td_record_get_serial (record);

  return serial < self->line_of->len ? g_array_index (self->line_of, guint, serial) : 0;
}

/* Appends @record's line: what the list shows of it, each field
 * casefolded, the Chinese names of choices too, fields apart. */
static void
td_record_list_search_append_line (TdRecordList *self,
                                   TdRecord     *record,
                                   Referenced   *ref)
{
  GString *haystack = self->haystack;
  guint serial = td_record_get_serial (record);
  Line line = { haystack->len, serial };

  for (guint f = 0; f < self->kind->n_fields; f++)
    {
      const TdField *field = &self->kind->fields[f];
      const char *stored = td_record_get (record, f);

      switch (field->type)
        {
        case TD_FIELD_TEXT:
        case TD_FIELD_MULTILINE:
        case TD_FIELD_INTEGER:
        case TD_FIELD_NUMBER:
        case TD_FIELD_DATE:
          /* Shown as stored: no copy to make. */
          td_record_list_search_append_folded (haystack, stored);
          break;

        case TD_FIELD_CHOICE:
          if (stored[0] != '\0')
            {
              const char *shown = td_field_choice_label (field, stored);
              const char *header = td_field_choice_header (field, stored);

              td_record_list_search_append_folded (haystack, shown);
              /* The Chinese names of choices too, whatever the language shown. */
              if (g_strcmp0 (shown, header) != 0)
                {
                  g_string_append_c (haystack, '\x1f');
                  td_record_list_search_append_folded (haystack, header);
                }
            }
          break;

        case TD_FIELD_REFERENCE:
          if (stored[0] != '\0' && ref->lists[f] != NULL)
            {
              TdRecord *other = td_record_list_find (ref->lists[f], g_ascii_strtoll (stored, NULL, 10));

              if (other != NULL)
                td_record_list_search_append_folded (haystack, td_record_get (other, ref->name[f]));
            }
          break;

        case TD_FIELD_BOOLEAN:
        case TD_FIELD_CHOICE_SET:
        case TD_FIELD_TEACHING:
        default:
          {
            g_autofree char *text = td_record_list_display (self, record, f);
            g_autofree char *file_form = td_record_list_export (self, record, f);

            td_record_list_search_append_folded (haystack, text);
            if (g_strcmp0 (file_form, text) != 0)
              {
                g_string_append_c (haystack, '\x1f');
                td_record_list_search_append_folded (haystack, file_form);
              }
          }
          break;
        }
      /* A separator no word contains: a match never spans two fields. */
      g_string_append_c (haystack, '\x1f');
    }
  g_string_append_c (haystack, '\n');

  g_array_append_val (self->lines, line);
  if (self->line_of->len <= serial)
    g_array_set_size (self->line_of, MAX (self->next_serial, serial + 1));
  g_array_index (self->line_of, guint, serial) = self->lines->len;
  self->n_live++;
}

static gsize
td_record_list_search_line_length (TdRecordList *self,
                                   guint         index)
{
  guint start = g_array_index (self->lines, Line, index).offset;
  guint end = index + 1 < self->lines->len ? g_array_index (self->lines, Line, index + 1).offset
                                           : self->haystack->len;

  return end - start;
}

void
td_record_list_search_forget_all (TdRecordList *self)
{
  g_string_truncate (self->haystack, 0);
  g_array_set_size (self->lines, 0);
  g_array_set_size (self->line_of, 0);
  g_ptr_array_set_size (self->unlined, 0);
  self->n_live = 0;
  self->dead_bytes = 0;
  self->scan_from = 0;
  self->scan = TRUE;
}

/* @record was written or deleted: its line no longer says what it holds. */
void
td_record_list_search_forget_line (TdRecordList *self,
                                   TdRecord     *record)
{
  guint index = td_record_list_search_line_index_of (self, record);
  Line *line;

  if (index == 0)
    return;
  line = &g_array_index (self->lines, Line, index - 1);
  line->serial = DEAD;
  self->dead_bytes += td_record_list_search_line_length (self, index - 1);
  g_array_index (self->line_of, guint, td_record_get_serial (record)) = 0;
  self->n_live--;
}

/* @record, in the list, is new or written: it needs a line. */
void
td_record_list_search_needs_line (TdRecordList *self,
                                  TdRecord     *record)
{
  /* Many writes and no query (a script adding records): rather than hold
   * them all, look for the records without a line when one is needed. */
  if (self->unlined->len >= MAX (1024, self->records->len))
    {
      g_ptr_array_set_size (self->unlined, 0);
      self->scan = TRUE;
      return;
    }
  g_ptr_array_add (self->unlined, g_object_ref (record));
}

/* Once dead lines are half the text: the live ones, in one copy. */
static void
td_record_list_search_compact_lines (TdRecordList *self)
{
  GString *haystack;
  guint kept = 0;

  if (self->dead_bytes < 64 * 1024 || self->dead_bytes < self->haystack->len / 2)
    return;

  haystack = g_string_sized_new (self->haystack->len - self->dead_bytes + 1);
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line line = g_array_index (self->lines, Line, i);
      gsize length;

      if (line.serial == DEAD)
        continue;
      length = td_record_list_search_line_length (self, i);
      g_string_append_len (haystack, self->haystack->str + line.offset, length);
      line.offset = haystack->len - length;
      g_array_index (self->lines, Line, kept++) = line;
      g_array_index (self->line_of, guint, line.serial) = kept;
    }
  g_debug ("%s: search text compacted, %zu bytes dropped, %u lines kept",
           self->kind->id, self->dead_bytes, kept);
  g_array_set_size (self->lines, kept);
  g_string_free (self->haystack, TRUE);
  self->haystack = haystack;
  self->dead_bytes = 0;
}

/* Gives every record of the list a live line: the ones written since
 * first, then (after a load) the rest, in the list's order. With
 * @deadline (monotonic time), stops when it passes.
 *
 * Returns: whether every record has its line. */
static gboolean
td_record_list_search_make_lines (TdRecordList *self,
                                  gint64        deadline)
{
  Referenced ref;
  guint n = 0;
  gboolean done = TRUE;

  if (self->unlined->len == 0 && !self->scan)
    return TRUE;

  td_record_list_search_referenced_init (self, &ref);
  while (self->unlined->len > 0)
    {
      TdRecord *record = g_ptr_array_index (self->unlined, self->unlined->len - 1);

      /* Still in the list (not deleted since), and not given its line yet. */
      if (td_record_list_find (self, td_record_get_id (record)) == record && td_record_list_search_line_index_of (self, record) == 0)
        td_record_list_search_append_line (self, record, &ref);
      g_ptr_array_set_size (self->unlined, self->unlined->len - 1);
      if (deadline > 0 && (++n & 63) == 0 && g_get_monotonic_time () >= deadline)
        {
          done = FALSE;
          goto out;
        }
    }

  /* After a load, every record lacks its line. Positions may move between
   * two rounds of idle time (a deletion): the scan goes round until every
   * record has one; those that have one are passed over. */
  while (self->scan && self->n_live < self->records->len)
    {
      TdRecord *record;

      if (self->scan_from >= self->records->len)
        self->scan_from = 0;
      record = g_ptr_array_index (self->records, self->scan_from++);
      if (td_record_list_search_line_index_of (self, record) == 0)
        td_record_list_search_append_line (self, record, &ref);
      if (deadline > 0 && (++n & 63) == 0 && g_get_monotonic_time () >= deadline)
        {
          done = FALSE;
          goto out;
        }
    }
  self->scan = FALSE;
  self->scan_from = 0;
  td_record_list_search_compact_lines (self);

out:
  td_record_list_search_referenced_clear (&ref);
  return done;
}

static gboolean
td_record_list_search_make_lines_cb (gpointer user_data)
{
  TdRecordList *self = user_data;

  /* A few milliseconds at a time: a frame, or a key, is never kept
   * waiting for long. */
  if (!td_record_list_search_make_lines (self, g_get_monotonic_time () + 4000))
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&self->search_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

/* Once a page asked for it, the lines missing are made in idle time. */
void
td_record_list_search_schedule_lines (TdRecordList *self)
{
  if (self->search_context == NULL || self->search_source != NULL ||
      (self->unlined->len == 0 && !self->scan))
    return;

  self->search_source = g_idle_source_new ();
  g_source_set_priority (self->search_source, G_PRIORITY_LOW);
  g_source_set_callback (self->search_source, td_record_list_search_make_lines_cb, self, NULL);
  g_source_set_static_name (self->search_source, "[td] search lines");
  g_source_attach (self->search_source, self->search_context);
}

/**
 * td_record_list_keep_search_ready:
 *
 * From now on, the search text is made in idle time of the thread-default
 * main context, after each load and each write, so that the first query
 * need not make it. Referenced lists are loaded now, so that making it
 * never reads the database. For a page that shows the list; without it,
 * the first query makes what is missing.
 */
void
td_record_list_keep_search_ready (TdRecordList *self)
{
  g_return_if_fail (TD_IS_RECORD_LIST (self));

  if (self->search_context != NULL)
    return;

  for (guint f = 0; f < self->kind->n_fields; f++)
    if (self->kind->fields[f].type == TD_FIELD_REFERENCE)
      td_record_list_get (self->store, self->kind->fields[f].reference, NULL);
    else if (self->kind->fields[f].type == TD_FIELD_TEACHING)
      td_record_list_get (self->store, "trainers", NULL);

  self->search_context = g_main_context_ref_thread_default ();
  td_record_list_search_schedule_lines (self);
}

/* Whether the next query finds every line made (for tests and benchmarks). */
gboolean
td_record_list_is_search_ready (TdRecordList *self)
{
  g_return_val_if_fail (TD_IS_RECORD_LIST (self), FALSE);

  return self->unlined->len == 0 && !self->scan;
}

/* The line that holds @offset. */
static guint
td_record_list_search_line_at (TdRecordList *self,
                               gsize         offset)
{
  guint lo = 0, hi = self->lines->len;

  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (self->lines, Line, mid).offset <= offset)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

/**
 * td_record_list_set_query:
 * @query: (nullable): words that must all appear, in any field; %NULL or
 *   blank for every record
 *
 * Returns: how many records match.
 */
guint
td_record_list_set_query (TdRecordList *self,
                          const char   *query)
{
  g_autofree char *normalized = td_normalize_text (query);
  g_autofree char *folded = g_utf8_casefold (normalized, -1);
  g_auto(GStrv) words = g_strsplit (folded, " ", -1);
  guint n_words = MIN (g_strv_length (words), 255);
  g_autoptr(GArray) hits = NULL;
  guint count = 0;

  g_clear_pointer (&self->matches, g_array_unref);
  if (folded[0] == '\0')
    return self->records->len;

  td_record_list_search_make_lines (self, 0);
  self->matches = g_array_sized_new (FALSE, TRUE, 1, self->next_serial);
  g_array_set_size (self->matches, self->next_serial);
  hits = g_array_sized_new (FALSE, TRUE, 1, self->lines->len);
  g_array_set_size (hits, self->lines->len);

  for (guint w = 0; w < n_words; w++)
    {
      const char *start = self->haystack->str;
      const char *end = start + self->haystack->len;
      gsize len = strlen (words[w]);
      const char *p = start;

      while (p < end)
        {
          const char *hit = memmem (p, end - p, words[w], len);
          guint line;

          if (hit == NULL)
            break;
          line = td_record_list_search_line_at (self, hit - start);
          g_array_index (hits, guint8, line)++;
          /* On to the next line: one hit per word and line. */
          p = line + 1 < self->lines->len ? start + g_array_index (self->lines, Line, line + 1).offset : end;
        }
    }

  for (guint i = 0; i < self->lines->len; i++)
    if (g_array_index (hits, guint8, i) == n_words)
      {
        guint serial = g_array_index (self->lines, Line, i).serial;

        if (serial == DEAD)
          continue;
        g_array_index (self->matches, guint8, serial) = 1;
        count++;
      }
  return count;
}

/* Whether @record matches the last query (every record without one). */
gboolean
td_record_list_matches (TdRecordList *self,
                        TdRecord     *record)
{
  guint serial = td_record_get_serial (record);

  if (self->only != NULL && !g_hash_table_contains (self->only, td_record_get_uuid (record)))
    return FALSE;
  if (self->matches == NULL)
    return TRUE;
  return serial < self->matches->len && g_array_index (self->matches, guint8, serial);
}

/**
 * td_record_list_set_only:
 * @uuids: (nullable) (element-type utf8): the records to keep, or %NULL
 *   for all
 *
 * Narrows what td_record_list_matches() accepts to @uuids, on top of the
 * query: the form page's basis list shows exactly the records a figure
 * counts (docs/figures.md).
 */
void
td_record_list_set_only (TdRecordList *self,
                         GPtrArray    *uuids)
{
  g_return_if_fail (TD_IS_RECORD_LIST (self));

  g_clear_pointer (&self->only, g_hash_table_unref);
  if (uuids == NULL)
    return;
  self->only = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < uuids->len; i++)
    g_hash_table_add (self->only, g_strdup (g_ptr_array_index (uuids, i)));
}

/* How many records td_record_list_set_only() kept; -1: not narrowed. */
int
td_record_list_get_only_count (TdRecordList *self)
{
  g_return_val_if_fail (TD_IS_RECORD_LIST (self), -1);

  return self->only != NULL ? (int)g_hash_table_size (self->only) : -1;
}
