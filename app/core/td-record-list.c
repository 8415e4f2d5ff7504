/* td-record-list.c: every record of one kind, as a list model
 *
 * One list per kind and store, loaded once and kept in step with every
 * write made through it. Writes are validated field by field and go in one
 * transaction each. SQL is generated once per kind from the field table:
 * column names are code constants, values are always bound.
 *
 * Search is a substring search over an in-memory copy of what the list
 * shows (casefolded), scanned with memmem(): it finds one- and two-character
 * Chinese words, which a trigram index cannot, and does so in a few
 * milliseconds for 100,000 records (bench/search). That copy is one line
 * per record, made in idle time after a load (once a page asked for it,
 * td_record_list_keep_search_ready()) and, after a write, made again for
 * the records written only: no keystroke waits for the whole of it.
 *
 * Counts and sums of the whole list (the footers') are kept as the list
 * changes, asked for by td_record_list_get_sum() and its kin.
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

static void td_record_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TdRecordList, td_record_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, td_record_list_model_init))

/* The list of @kind_id if it is loaded; never loads it. */
TdRecordList *
td_record_list_peek (TdStore    *store,
                     const char *kind_id)
{
  return g_hash_table_lookup (td_store_get_record_lists (store), kind_id);
}

/* After any write through any list of a store, every list forgets its
 * name index: names may have moved. (The search text knows better: see
 * forget_line() and forget_referrers().) */
void
td_record_list_forget_names (TdStore *store)
{
  guint n_kinds;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);

  for (guint i = 0; i < n_kinds; i++)
    {
      TdRecordList *list = td_record_list_peek (store, kinds[i]->id);

      if (list != NULL)
        g_clear_pointer (&list->by_name, g_hash_table_unref);
    }
}


/* Whether @field of a record holds @id, a record of the kind it refers to. */
static gboolean
td_record_list_refers_to (const TdField *field,
                          const char    *stored,
                          gint64         id)
{
  if (field->type == TD_FIELD_REFERENCE)
    return stored[0] != '\0' && g_ascii_strtoll (stored, NULL, 10) == id;

  /* TEACHING: "trainer id:hours;…" */
  for (const char *p = stored; *p; )
    {
      const char *end = strchr (p, ';');

      if (g_ascii_strtoll (p, NULL, 10) == id)
        return TRUE;
      if (end == NULL)
        break;
      p = end + 1;
    }
  return FALSE;
}

/* The lists that show this kind's records by name (equipment its venue,
 * results their programme and trainers) forget the lines that show
 * @record's name (every line when @record is %NULL). */
void
td_record_list_forget_referrers (TdRecordList *self,
                                 TdRecord     *record)
{
  guint n_kinds;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);

  for (guint k = 0; k < n_kinds; k++)
    {
      TdRecordList *other = td_record_list_peek (self->store, kinds[k]->id);

      if (other == NULL || other == self)
        continue;
      for (guint f = 0; f < kinds[k]->n_fields; f++)
        {
          const TdField *field = &kinds[k]->fields[f];

          if (!(g_strcmp0 (field->reference, self->kind->id) == 0 ||
                (field->type == TD_FIELD_TEACHING && g_str_equal (self->kind->id, "trainers"))))
            continue;
          if (record == NULL)
            {
              td_record_list_search_forget_all (other);
              break;
            }
          for (guint i = 0; i < other->records->len; i++)
            {
              TdRecord *referrer = g_ptr_array_index (other->records, i);

              if (td_record_list_refers_to (field, td_record_get (referrer, f), td_record_get_id (record)))
                {
                  td_record_list_search_forget_line (other, referrer);
                  td_record_list_search_needs_line (other, referrer);
                }
            }
        }
      td_record_list_search_schedule_lines (other);
    }
}

/* A record came into the list. */
void
td_record_list_record_added (TdRecordList *self,
                             TdRecord     *record)
{
  td_record_list_totals_add (self, td_record_get_values (record), 1);
  td_record_list_search_needs_line (self, record);
}

/* A record left the list. */
void
td_record_list_record_removed (TdRecordList *self,
                               TdRecord     *record)
{
  td_record_list_totals_add (self, td_record_get_values (record), -1);
  td_record_list_search_forget_line (self, record);
}

/* @record is about to take @values (transfer full). */
void
td_record_list_set_values (TdRecordList  *self,
                           TdRecord      *record,
                           char         **values)
{
  td_record_list_totals_add (self, td_record_get_values (record), -1);
  td_record_list_search_forget_line (self, record);
  td_record_set_values (record, values);
  td_record_list_totals_add (self, td_record_get_values (record), 1);
  td_record_list_search_needs_line (self, record);
}

static GType
td_record_list_get_item_type (GListModel *model)
{
  return TD_TYPE_RECORD;
}

static guint
td_record_list_get_n_items (GListModel *model)
{
  return TD_RECORD_LIST (model)->records->len;
}

static gpointer
td_record_list_get_item (GListModel *model,
                         guint       position)
{
  TdRecordList *self = TD_RECORD_LIST (model);

  if (position >= self->records->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->records, position));
}

static void
td_record_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = td_record_list_get_item_type;
  iface->get_n_items = td_record_list_get_n_items;
  iface->get_item = td_record_list_get_item;
}

static void
td_record_list_finalize (GObject *object)
{
  TdRecordList *self = (TdRecordList *)object;

  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->by_name, g_hash_table_unref);
  if (self->search_source != NULL)
    g_source_destroy (self->search_source);
  g_clear_pointer (&self->search_source, g_source_unref);
  g_clear_pointer (&self->search_context, g_main_context_unref);
  g_string_free (self->haystack, TRUE);
  g_clear_pointer (&self->lines, g_array_unref);
  g_clear_pointer (&self->line_of, g_array_unref);
  g_clear_pointer (&self->unlined, g_ptr_array_unref);
  g_clear_pointer (&self->matches, g_array_unref);
  g_clear_pointer (&self->only, g_hash_table_unref);
  g_clear_pointer (&self->totals, g_ptr_array_unref);

  G_OBJECT_CLASS (td_record_list_parent_class)->finalize (object);
}

static void
td_record_list_class_init (TdRecordListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_record_list_finalize;
}

static void
td_record_list_init (TdRecordList *self)
{
  self->records = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->haystack = g_string_new (NULL);
  self->lines = g_array_new (FALSE, FALSE, sizeof (Line));
  self->line_of = g_array_new (FALSE, TRUE, sizeof (guint));
  self->unlined = g_ptr_array_new_with_free_func (g_object_unref);
  self->totals = g_ptr_array_new_with_free_func (td_record_list_totals_free);
}

/* The statements of a kind, made once from its field table. */
static const KindSql *
td_record_list_kind_sql (const TdRecordKind *kind)
{
  static GHashTable *all;
  static GMutex mutex;
  KindSql *sql;

  g_mutex_lock (&mutex);
  if (all == NULL)
    all = g_hash_table_new (NULL, NULL);
  sql = g_hash_table_lookup (all, kind);
  if (sql == NULL)
    {
      g_autoptr(GString) columns = g_string_new (NULL);
      g_autoptr(GString) marks = g_string_new (NULL);
      g_autoptr(GString) sets = g_string_new (NULL);

      sql = g_new0 (KindSql, 1);
      sql->teaching = -1;
      for (guint i = 0; i < kind->n_fields; i++)
        {
          if (kind->fields[i].type == TD_FIELD_TEACHING)
            {
              sql->teaching = i;
              continue;
            }
          g_string_append_printf (columns, "%s%s", columns->len ? ", " : "", kind->fields[i].column);
          g_string_append_printf (marks, "%s?", marks->len ? ", " : "");
          g_string_append_printf (sets, "%s%s = ?", sets->len ? ", " : "", kind->fields[i].column);
          sql->n_columns++;
        }
      /* TEACHING, if any, is the last field: the stored columns are the
       * first n_columns fields, in order. */
      g_assert (sql->teaching < 0 || (guint)sql->teaching == kind->n_fields - 1);

      sql->select_sql = g_strdup_printf ("SELECT id, uuid, %s FROM %s ORDER BY id", columns->str, kind->table);
      sql->insert_sql = g_strdup_printf ("INSERT INTO %s (%s) VALUES (%s) RETURNING id, uuid",
                                         kind->table, columns->str, marks->str);
      sql->insert_with_id_sql = g_strdup_printf ("INSERT INTO %s (id, uuid, %s) VALUES (?, ?, %s)",
                                                 kind->table, columns->str, marks->str);
      sql->update_sql = g_strdup_printf ("UPDATE %s SET %s WHERE id = ?", kind->table, sets->str);
      sql->delete_sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?", kind->table);
      sql->set_uuid_sql = g_strdup_printf ("UPDATE %s SET uuid = ? WHERE id = ?", kind->table);
      /* Rows written by one statement (an import's): at most 999
       * parameters, the least any SQLite has allowed. A kind with a
       * TEACHING field writes its links row by row, so its rows too. */
      sql->insert_rows = sql->teaching < 0 ? CLAMP (999 / sql->n_columns, 1, TD_RECORD_LIST_INSERT_ROWS) : 1;
      if (sql->insert_rows > 1)
        {
          g_autoptr(GString) rows = g_string_new (NULL);

          for (guint r = 0; r < sql->insert_rows; r++)
            g_string_append_printf (rows, "%s(%s)", r ? ", " : "", marks->str);
          sql->insert_rows_sql = g_strdup_printf ("INSERT INTO %s (%s) VALUES %s", kind->table, columns->str,
                                                  rows->str);
        }
      g_hash_table_insert (all, (gpointer)kind, sql);
    }
  g_mutex_unlock (&mutex);
  return sql;
}

static char *
td_record_list_column_text (sqlite3_stmt  *stmt,
                            int            column,
                            const TdField *field)
{
  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_NULL:
      return g_strdup ("");
    case SQLITE_FLOAT:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        /* As td_field_parse() writes numbers, so equal values are equal text. */
        return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.12g", sqlite3_column_double (stmt, column)));
      }
    default:
      return g_strdup ((const char *)sqlite3_column_text (stmt, column));
    }
}

gint64 *
td_record_list_record_id_key (TdRecord *record)
{
  /* The hash keys point at a copy owned by the record's qdata. */
  gint64 *key = g_object_get_data (G_OBJECT (record), "td-id");

  if (key == NULL)
    {
      key = g_new (gint64, 1);
      *key = td_record_get_id (record);
      g_object_set_data_full (G_OBJECT (record), "td-id", key, g_free);
    }
  return key;
}

void
td_record_list_index_record (TdRecordList *self,
                             TdRecord     *record)
{
  g_hash_table_insert (self->by_id, td_record_list_record_id_key (record), record);
}

static gboolean
td_record_list_load (TdRecordList  *self,
                     GError       **error)
{
  g_autoptr(GHashTable) teaching = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (self->sql->teaching >= 0)
    {
      teaching = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      stmt = td_store_prepare (self->store,
                               "SELECT result_id, group_concat (trainer_id || ':' || "
                               "  printf ('%.12g', hours), ';') "
                               "FROM (SELECT * FROM result_trainer ORDER BY result_id, id) GROUP BY result_id",
                               error);
      if (stmt == NULL)
        return FALSE;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 *key = g_new (gint64, 1);

          *key = sqlite3_column_int64 (stmt, 0);
          g_hash_table_insert (teaching, key, g_strdup ((const char *)sqlite3_column_text (stmt, 1)));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          td_store_set_error (self->store, rc, error);
          return FALSE;
        }
    }

  stmt = td_store_prepare (self->store, self->sql->select_sql, error);
  if (stmt == NULL)
    return FALSE;

  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_ptr_array_set_size (self->records, 0);
  g_hash_table_remove_all (self->by_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char **values = g_new0 (char *, self->kind->n_fields + 1);
      gint64 id = sqlite3_column_int64 (stmt, 0);
      TdRecord *record;

      for (guint i = 0; i < self->sql->n_columns; i++)
        values[i] = td_record_list_column_text (stmt, i + 2, &self->kind->fields[i]);
      if (self->sql->teaching >= 0)
        {
          const char *t = g_hash_table_lookup (teaching, &id);

          values[self->sql->teaching] = g_strdup (t ? t : "");
        }

      record = td_record_new (self->kind, id, (const char *)sqlite3_column_text (stmt, 1), values);
      td_record_set_serial (record, self->next_serial++);
      g_ptr_array_add (self->records, record);
      td_record_list_index_record (self, record);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (self->store, rc, error);
      return FALSE;
    }

  td_record_list_search_forget_all (self);
  /* Made again on first use. */
  g_ptr_array_set_size (self->totals, 0);
  return TRUE;
}

static void
td_record_list_store_restored_cb (TdRecordList *self,
                                  TdStore      *store)
{
  g_autoptr(GError) error = NULL;

  if (!td_record_list_reload (self, &error))
    g_warning ("Could not reload %s after a restore: %s", self->kind->id, error->message);
}

/**
 * td_record_list_get:
 *
 * Returns: (transfer none): the records of @kind_id in @store, loaded on
 *   the first call and kept as long as @store.
 */
TdRecordList *
td_record_list_get (TdStore     *store,
                    const char  *kind_id,
                    GError     **error)
{
  const TdRecordKind *kind;
  TdRecordList *self;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  if ((self = td_record_list_peek (store, kind_id)))
    return self;

  if (!(kind = td_record_kind_lookup (kind_id)))
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED,
                   _("There are no records of the kind “%s”."), kind_id);
      return NULL;
    }

  self = g_object_new (TD_TYPE_RECORD_LIST, NULL);
  self->store = store;
  self->kind = kind;
  self->sql = td_record_list_kind_sql (kind);
  if (!td_record_list_load (self, error))
    {
      g_object_unref (self);
      return NULL;
    }

  g_signal_connect_object (store, "restored", G_CALLBACK (td_record_list_store_restored_cb), self, G_CONNECT_SWAPPED);
  g_hash_table_insert (td_store_get_record_lists (store), g_strdup (kind->id), self);
  return self;
}

const TdRecordKind *
td_record_list_get_kind (TdRecordList *self)
{
  return self->kind;
}

TdStore *
td_record_list_get_store (TdRecordList *self)
{
  return self->store;
}

gboolean
td_record_list_reload (TdRecordList  *self,
                       GError       **error)
{
  guint old = self->records->len;

  if (!td_record_list_load (self, error))
    return FALSE;
  td_record_list_forget_names (self->store);
  td_record_list_search_schedule_lines (self);
  /* Any name may have changed: the lists that show them make their lines anew. */
  td_record_list_forget_referrers (self, NULL);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->records->len);
  return TRUE;
}

TdRecord *
td_record_list_find (TdRecordList *self,
                     gint64        id)
{
  return g_hash_table_lookup (self->by_id, &id);
}

const char *
td_record_list_name_of (TdRecordList *self,
                        gint64        id)
{
  TdRecord *record = td_record_list_find (self, id);
  int name = td_record_kind_field_index (self->kind, self->kind->name_column);

  return record ? td_record_get (record, name) : NULL;
}

/* 0: nobody has that name; -1: several have it. An index built on first
 * use and dropped at any change, so imports resolve names in O(1). */
gint64
td_record_list_id_of (TdRecordList *self,
                      const char   *name)
{
  gint64 *found;

  if (self->by_name == NULL)
    {
      int column = td_record_kind_field_index (self->kind, self->kind->name_column);

      self->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      for (guint i = 0; i < self->records->len; i++)
        {
          TdRecord *record = g_ptr_array_index (self->records, i);
          const char *key = td_record_get (record, column);
          gint64 *id = g_hash_table_lookup (self->by_name, key);

          if (id != NULL)
            *id = -1;
          else
            {
              id = g_new (gint64, 1);
              *id = td_record_get_id (record);
              /* The key lives in the record, which outlives the index. */
              g_hash_table_insert (self->by_name, (char *)key, id);
            }
        }
    }

  found = g_hash_table_lookup (self->by_name, name ? name : "");
  return found ? *found : 0;
}

/* The record whose natural key (TD_FIELD_KEY fields) equals @stored's. */
TdRecord *
td_record_list_find_by_key (TdRecordList       *self,
                            const char * const *stored)
{
  for (guint i = 0; i < self->records->len; i++)
    {
      TdRecord *record = g_ptr_array_index (self->records, i);
      gboolean same = TRUE;

      for (guint f = 0; f < self->kind->n_fields && same; f++)
        if (self->kind->fields[f].flags & TD_FIELD_KEY)
          same = g_strcmp0 (td_record_get (record, f), stored[f]) == 0;
      if (same)
        return record;
    }
  return NULL;
}

static gint64
td_record_list_resolve_cb (const char  *kind_id,
                           const char  *name,
                           gpointer     user_data,
                           GError     **error)
{
  TdRecordList *self = user_data;
  TdRecordList *other = td_record_list_get (self->store, kind_id, error);
  gint64 id;

  if (other == NULL)
    return 0;
  id = td_record_list_id_of (other, name);
  if (id == 0)
    {
      g_autofree char *excerpt = td_limit_excerpt (name);

      g_set_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_UNKNOWN_CODE,
                   /* Translators: “%s” is a name; then the kind, e.g. "Venues" */
                   _("There is no “%s” among the %s. Add it there first."),
                   excerpt, g_dgettext (GETTEXT_PACKAGE, other->kind->title));
    }
  return id;
}

static const char *
td_record_list_name_of_cb (const char *kind_id,
                           gint64      id,
                           gpointer    user_data)
{
  TdRecordList *self = user_data;
  TdRecordList *other = td_record_list_get (self->store, kind_id, NULL);

  return other ? td_record_list_name_of (other, id) : NULL;
}

char *
td_record_list_display (TdRecordList *self,
                        TdRecord     *record,
                        guint         field)
{
  return td_field_display (&self->kind->fields[field], td_record_get (record, field), td_record_list_name_of_cb, self);
}

char *
td_record_list_export (TdRecordList *self,
                       TdRecord     *record,
                       guint         field)
{
  return td_field_export (&self->kind->fields[field], td_record_get (record, field), td_record_list_name_of_cb, self);
}

/* Rules between fields. */
static gboolean
td_record_list_check_record (TdRecordList  *self,
                             char         **stored,
                             int           *bad_field,
                             GError       **error)
{
  if (g_str_equal (self->kind->id, "results"))
    {
      int participants = td_record_kind_field_index (self->kind, "participants");
      int certificates = td_record_kind_field_index (self->kind, "certificates");
      int employed = td_record_kind_field_index (self->kind, "employed");
      gint64 n = g_ascii_strtoll (stored[participants], NULL, 10);

      if (g_ascii_strtoll (stored[certificates], NULL, 10) > n)
        {
          *bad_field = certificates;
          g_set_error_literal (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_FORMAT,
                               _("More certificates than participants."));
          return FALSE;
        }
      if (g_ascii_strtoll (stored[employed], NULL, 10) > n)
        {
          *bad_field = employed;
          g_set_error_literal (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_FORMAT,
                               _("More employed than participants."));
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * td_record_list_parse:
 * @inputs: one input per field, as typed or as a file holds it
 * @bad_field: (out) (optional): the first field refused, or -1
 *
 * Returns: (transfer full) (nullable): the values a record would store, or
 *   %NULL with @error saying why @bad_field was refused.
 */
char **
td_record_list_parse (TdRecordList        *self,
                      const char * const  *inputs,
                      int                 *bad_field,
                      GError             **error)
{
  return td_record_list_parse_with (self, inputs, td_record_list_resolve_cb, self, bad_field, error);
}

/* td_record_list_parse() with names of other records resolved by
 * @resolve: the importer creates missing venues with the rows. */
char **
td_record_list_parse_with (TdRecordList        *self,
                           const char * const  *inputs,
                           TdResolveFunc        resolve,
                           gpointer             user_data,
                           int                 *bad_field,
                           GError             **error)
{
  g_auto(GStrv) stored = g_new0 (char *, self->kind->n_fields + 1);
  int bad = -1;

  for (guint i = 0; i < self->kind->n_fields; i++)
    if (!td_field_parse (&self->kind->fields[i], inputs[i], resolve, user_data, &stored[i], error))
      {
        if (bad_field)
          *bad_field = i;
        return NULL;
      }

  if (!td_record_list_check_record (self, stored, &bad, error))
    {
      if (bad_field)
        *bad_field = bad;
      return NULL;
    }

  if (bad_field)
    *bad_field = -1;
  return g_steal_pointer (&stored);
}

/* After writes that bypassed the lists (an example school, say): every list
 * already loaded reads its records again. */
void
td_record_lists_reload (TdStore *store)
{
  guint n_kinds;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);

  for (guint i = 0; i < n_kinds; i++)
    {
      TdRecordList *self = td_record_list_peek (store, kinds[i]->id);
      g_autoptr(GError) error = NULL;

      if (self != NULL && !td_record_list_reload (self, &error))
        g_warning ("Could not reload %s: %s", kinds[i]->id, error->message);
    }
}
