/* td-record-list-writes.c: adding, changing and deleting records, and undo
 *
 * Writes are validated field by field and go in one transaction each; the
 * list, the lists that show its records by name, the search lines and the
 * totals follow once it has committed. A delete notes the references that
 * ON DELETE SET NULL cuts, so that undo puts every link back; above BULK
 * records, deletes and undos change the model in one go.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-record-list"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "td-limits.h"
#include "td-record-list-private.h"
#include "td-store-private.h"
#include "td-validate.h"

static void
td_record_list_writes_bind_values (TdRecordList       *self,
                                   sqlite3_stmt       *stmt,
                                   int                 first,
                                   const char * const *stored)
{
  for (guint i = 0; i < self->sql->n_columns; i++)
    {
      const TdField *field = &self->kind->fields[i];
      const char *value = stored[i];
      int index = first + i;

      if (value[0] == '\0' && field->type != TD_FIELD_TEXT && field->type != TD_FIELD_MULTILINE &&
          field->type != TD_FIELD_CHOICE)
        sqlite3_bind_null (stmt, index);
      else if (field->type == TD_FIELD_INTEGER || field->type == TD_FIELD_BOOLEAN ||
               field->type == TD_FIELD_REFERENCE)
        sqlite3_bind_int64 (stmt, index, g_ascii_strtoll (value, NULL, 10));
      else if (field->type == TD_FIELD_NUMBER)
        sqlite3_bind_double (stmt, index, g_ascii_strtod (value, NULL));
      else
        sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
    }
}

static gboolean
td_record_list_writes_write_teaching (TdRecordList  *self,
                                      gint64         id,
                                      const char    *teaching,
                                      GError       **error)
{
  g_auto(GStrv) items = NULL;
  sqlite3_stmt *stmt;

  if (!(stmt = td_store_prepare (self->store, "DELETE FROM result_trainer WHERE result_id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!td_store_step_done (self->store, stmt, error))
    return FALSE;

  items = g_strsplit (teaching, ";", -1);
  for (guint i = 0; items[i]; i++)
    {
      const char *colon = strchr (items[i], ':');

      if (colon == NULL)
        continue;
      if (!(stmt = td_store_prepare (self->store,
                                     "INSERT INTO result_trainer (result_id, trainer_id, hours) VALUES (?, ?, ?) "
                                     "ON CONFLICT (result_id, trainer_id) DO UPDATE SET hours = hours + excluded.hours",
                                     error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, g_ascii_strtoll (items[i], NULL, 10));
      sqlite3_bind_double (stmt, 3, g_ascii_strtod (colon + 1, NULL));
      if (!td_store_step_done (self->store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Turns a refused write into words a person can act on. */
static void
td_record_list_writes_explain_error (TdRecordList  *self,
                                     GError       **error)
{
  if (error && *error && g_error_matches (*error, TD_STORE_ERROR, TD_STORE_ERROR_CONSTRAINT) &&
      strstr ((*error)->message, "FOREIGN KEY"))
    {
      g_clear_error (error);
      g_set_error_literal (error, TD_STORE_ERROR, TD_STORE_ERROR_CONSTRAINT,
                           _("Other records refer to this one (a result to its programme, or to a "
                             "trainer who taught it). Change or delete those first."));
    }
}

typedef struct
{
  TdRecordList       *list;
  const char * const *stored;
  gint64              id;
  char               *uuid;
} InsertData;

static gboolean
td_record_list_writes_insert_in_transaction (TdStore   *store,
                                             gpointer   user_data,
                                             GError   **error)
{
  InsertData *data = user_data;
  TdRecordList *self = data->list;
  sqlite3_stmt *stmt = td_store_prepare (store, self->sql->insert_sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  td_record_list_writes_bind_values (self, stmt, 1, data->stored);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      td_store_set_error (store, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  data->id = sqlite3_column_int64 (stmt, 0);
  data->uuid = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  if (!td_store_step_done (store, stmt, error))
    return FALSE;

  if (self->sql->teaching >= 0)
    return td_record_list_writes_write_teaching (self, data->id, data->stored[self->sql->teaching], error);
  return TRUE;
}

/**
 * td_record_list_add:
 *
 * Returns: (transfer none) (nullable): the new record, or %NULL with
 *   @bad_field and @error saying what was refused; nothing is written then.
 */
TdRecord *
td_record_list_add (TdRecordList        *self,
                    const char * const  *inputs,
                    int                 *bad_field,
                    GError             **error)
{
  g_auto(GStrv) stored = td_record_list_parse (self, inputs, bad_field, error);
  InsertData data = { self, NULL, 0, NULL };
  TdRecord *record;

  if (stored == NULL)
    return NULL;

  data.stored = (const char * const *)stored;
  if (!td_store_transaction (self->store, td_record_list_writes_insert_in_transaction, &data, error))
    {
      td_record_list_writes_explain_error (self, error);
      g_free (data.uuid);
      return NULL;
    }

  record = td_record_new (self->kind, data.id, data.uuid, g_steal_pointer (&stored));
  g_free (data.uuid);
  td_record_set_serial (record, self->next_serial++);
  g_ptr_array_add (self->records, record);
  td_record_list_index_record (self, record);
  td_record_list_record_added (self, record);
  td_record_list_forget_names (self->store);
  td_record_list_search_schedule_lines (self);
  g_list_model_items_changed (G_LIST_MODEL (self), self->records->len - 1, 0, 1);
  return record;
}

typedef struct
{
  TdRecordList       *list;
  gint64              id;
  const char * const *stored;
} UpdateData;

static gboolean
td_record_list_writes_update_in_transaction (TdStore   *store,
                                             gpointer   user_data,
                                             GError   **error)
{
  UpdateData *data = user_data;
  TdRecordList *self = data->list;
  sqlite3_stmt *stmt = td_store_prepare (store, self->sql->update_sql, error);

  if (stmt == NULL)
    return FALSE;
  td_record_list_writes_bind_values (self, stmt, 1, data->stored);
  sqlite3_bind_int64 (stmt, self->sql->n_columns + 1, data->id);
  if (!td_store_step_done (store, stmt, error))
    return FALSE;

  if (self->sql->teaching >= 0)
    return td_record_list_writes_write_teaching (self, data->id, data->stored[self->sql->teaching], error);
  return TRUE;
}

/* The lists that show this kind's records by name (equipment its venue,
 * results their programme and trainers) show them again, @record's new
 * name found by their search. */
static void
td_record_list_writes_refresh_referrers (TdRecordList *self,
                                         TdRecord     *record)
{
  guint n_kinds;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);

  td_record_list_forget_referrers (self, record);
  for (guint k = 0; k < n_kinds; k++)
    {
      TdRecordList *other = td_record_list_peek (self->store, kinds[k]->id);
      gboolean refers = FALSE;

      if (other == NULL || other == self)
        continue;
      for (guint f = 0; f < kinds[k]->n_fields; f++)
        refers |= g_strcmp0 (kinds[k]->fields[f].reference, self->kind->id) == 0 ||
                  (kinds[k]->fields[f].type == TD_FIELD_TEACHING && g_str_equal (self->kind->id, "trainers"));
      if (refers && other->records->len > 0)
        g_list_model_items_changed (G_LIST_MODEL (other), 0, other->records->len, other->records->len);
    }
}

static gboolean
td_record_list_writes_find_position (TdRecordList *self,
                                     TdRecord     *record,
                                     guint        *position)
{
  return g_ptr_array_find (self->records, record, position);
}

gboolean
td_record_list_update (TdRecordList        *self,
                       TdRecord            *record,
                       const char * const  *inputs,
                       int                 *bad_field,
                       GError             **error)
{
  g_auto(GStrv) stored = td_record_list_parse (self, inputs, bad_field, error);
  UpdateData data = { self, td_record_get_id (record), NULL };
  guint position;

  if (stored == NULL)
    return FALSE;
  if (g_strv_equal ((const char * const *)stored, td_record_get_values (record)))
    return TRUE;

  data.stored = (const char * const *)stored;
  if (!td_store_transaction (self->store, td_record_list_writes_update_in_transaction, &data, error))
    {
      td_record_list_writes_explain_error (self, error);
      return FALSE;
    }

  /* The name index points into the old values: drop it first. */
  td_record_list_forget_names (self->store);
  {
    int name = td_record_kind_field_index (self->kind, self->kind->name_column);
    gboolean renamed = g_strcmp0 (stored[name], td_record_get (record, name)) != 0;

    td_record_list_set_values (self, record, g_steal_pointer (&stored));
    td_record_list_search_schedule_lines (self);
    if (renamed)
      td_record_list_writes_refresh_referrers (self, record);
  }
  if (td_record_list_writes_find_position (self, record, &position))
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
  return TRUE;
}

typedef struct
{
  TdRecordList  *list;
  TdRecord     **records;
  guint          n_records;
  GArray        *links;
} DeleteData;

static void
td_record_list_writes_link_clear (gpointer data)
{
  g_free (((Link *)data)->value);
}

/* Before deleting, notes every reference that ON DELETE SET NULL will cut,
 * so undoing puts it back (equipment keeps its venue). */
static gboolean
td_record_list_writes_collect_links (DeleteData  *data,
                                     GError     **error)
{
  TdRecordList *self = data->list;
  guint n_kinds;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char **id_texts = g_new0 (char *, data->n_records + 1);

  for (guint i = 0; i < data->n_records; i++)
    {
      id_texts[i] = g_strdup_printf ("%" G_GINT64_FORMAT, td_record_get_id (data->records[i]));
      g_hash_table_add (ids, id_texts[i]);
    }

  for (guint k = 0; k < n_kinds; k++)
    for (guint f = 0; f < kinds[k]->n_fields; f++)
      {
        const TdField *field = &kinds[k]->fields[f];
        TdRecordList *other;

        if (field->type != TD_FIELD_REFERENCE || g_strcmp0 (field->reference, self->kind->id) != 0)
          continue;
        if (!(other = td_record_list_get (self->store, kinds[k]->id, error)))
          goto out;
        for (guint r = 0; r < other->records->len; r++)
          {
            TdRecord *record = g_ptr_array_index (other->records, r);

            if (g_hash_table_contains (ids, td_record_get (record, f)))
              {
                Link link = { kinds[k], f, td_record_get_id (record), g_strdup (td_record_get (record, f)) };

                g_array_append_val (data->links, link);
              }
          }
      }

out:
  for (guint i = 0; i < data->n_records; i++)
    g_free (id_texts[i]);
  return error == NULL || *error == NULL;
}

static gboolean
td_record_list_writes_delete_in_transaction (TdStore   *store,
                                             gpointer   user_data,
                                             GError   **error)
{
  DeleteData *data = user_data;
  TdRecordList *self = data->list;

  for (guint i = 0; i < data->n_records; i++)
    {
      sqlite3_stmt *stmt = td_store_prepare (store, self->sql->delete_sql, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, td_record_get_id (data->records[i]));
      if (!td_store_step_done (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Shows, in the lists holding them, links as the database now has them. */
static void
td_record_list_writes_apply_links (TdRecordList *self,
                                   GArray       *links,
                                   gboolean      restore)
{
  for (guint i = 0; i < links->len; i++)
    {
      Link *link = &g_array_index (links, Link, i);
      TdRecordList *other = td_record_list_get (self->store, link->kind->id, NULL);
      TdRecord *record = other ? td_record_list_find (other, link->id) : NULL;
      guint position;
      char **values;

      if (record == NULL)
        continue;
      g_clear_pointer (&other->by_name, g_hash_table_unref);
      values = g_strdupv ((char **)td_record_get_values (record));
      g_free (values[link->field]);
      values[link->field] = g_strdup (restore ? link->value : "");
      td_record_list_set_values (other, record, values);
      td_record_list_search_schedule_lines (other);
      if (td_record_list_writes_find_position (other, record, &position))
        g_list_model_items_changed (G_LIST_MODEL (other), position, 1, 1);
    }
}

/**
 * td_record_list_delete:
 *
 * Deletes @records in one transaction. A record that others must keep
 * (a programme with results) is refused, and nothing is deleted.
 *
 * Returns: (transfer full) (nullable): what td_record_list_undo_delete()
 *   needs to put them back.
 */
TdDeletion *
td_record_list_delete (TdRecordList  *self,
                       TdRecord     **records,
                       guint          n_records,
                       GError       **error)
{
  DeleteData data = { self, records, n_records, NULL };
  TdDeletion *deletion;

  data.links = g_array_new (FALSE, TRUE, sizeof (Link));
  g_array_set_clear_func (data.links, td_record_list_writes_link_clear);

  if (!td_record_list_writes_collect_links (&data, error) ||
      !td_store_transaction (self->store, td_record_list_writes_delete_in_transaction, &data, error))
    {
      td_record_list_writes_explain_error (self, error);
      g_array_unref (data.links);
      return NULL;
    }

  g_clear_pointer (&self->by_name, g_hash_table_unref);
  deletion = g_new0 (TdDeletion, 1);
  deletion->list = self;
  deletion->records = g_ptr_array_new_with_free_func (g_object_unref);
  deletion->links = data.links;

  for (guint i = 0; i < n_records; i++)
    g_ptr_array_add (deletion->records, g_object_ref (records[i]));

  if (n_records > BULK)
    {
      /* Many at once: one pass, one change for the views. */
      g_autoptr(GHashTable) gone = g_hash_table_new (NULL, NULL);
      guint old_len = self->records->len, kept = 0;

      for (guint i = 0; i < n_records; i++)
        {
          g_hash_table_add (gone, records[i]);
          g_hash_table_remove (self->by_id, td_record_list_record_id_key (records[i]));
          td_record_list_record_removed (self, records[i]);
        }
      for (guint i = 0; i < old_len; i++)
        {
          TdRecord *record = g_ptr_array_index (self->records, i);

          if (g_hash_table_contains (gone, record))
            g_object_unref (record);
          else
            self->records->pdata[kept++] = record;
        }
      self->records->len = kept;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, kept);
    }
  else
    for (guint i = 0; i < n_records; i++)
      {
        guint position;

        if (!td_record_list_writes_find_position (self, records[i], &position))
          continue;
        g_hash_table_remove (self->by_id, td_record_list_record_id_key (records[i]));
        td_record_list_record_removed (self, records[i]);
        g_ptr_array_remove_index (self->records, position);
        g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
      }
  td_record_list_writes_apply_links (self, deletion->links, FALSE);
  td_record_list_forget_names (self->store);
  return deletion;
}

static gint
td_record_list_writes_compare_by_id (gconstpointer a,
                                     gconstpointer b)
{
  gint64 ia = td_record_get_id (*(TdRecord **)a);
  gint64 ib = td_record_get_id (*(TdRecord **)b);

  return ia < ib ? -1 : ia > ib;
}

static gboolean
td_record_list_writes_undo_in_transaction (TdStore   *store,
                                           gpointer   user_data,
                                           GError   **error)
{
  TdDeletion *deletion = user_data;
  TdRecordList *self = deletion->list;

  for (guint i = 0; i < deletion->records->len; i++)
    {
      TdRecord *record = g_ptr_array_index (deletion->records, i);
      sqlite3_stmt *stmt = td_store_prepare (store, self->sql->insert_with_id_sql, error);

      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, td_record_get_id (record));
      sqlite3_bind_text (stmt, 2, td_record_get_uuid (record), -1, SQLITE_TRANSIENT);
      td_record_list_writes_bind_values (self, stmt, 3, td_record_get_values (record));
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        {
          /* A record added since took the id (SQLite reuses the highest):
           * back under a new id, with its own UUID. */
          gint64 old_id = td_record_get_id (record);
          g_autofree char *old_text = g_strdup_printf ("%" G_GINT64_FORMAT, old_id);
          g_autofree char *new_text = NULL;

          if (!(stmt = td_store_prepare (store, self->sql->insert_sql, error)))
            return FALSE;
          td_record_list_writes_bind_values (self, stmt, 1, td_record_get_values (record));
          rc = sqlite3_step (stmt);
          if (rc != SQLITE_ROW)
            {
              td_store_set_error (store, rc, error);
              sqlite3_reset (stmt);
              return FALSE;
            }
          td_record_set_id (record, sqlite3_column_int64 (stmt, 0));
          sqlite3_reset (stmt);
          /* The insert made a UUID of its own: the record keeps its own. */
          if (!(stmt = td_store_prepare (store, self->sql->set_uuid_sql, error)))
            return FALSE;
          sqlite3_bind_text (stmt, 1, td_record_get_uuid (record), -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 2, td_record_get_id (record));
          if (!td_store_step_done (store, stmt, error))
            return FALSE;
          new_text = g_strdup_printf ("%" G_GINT64_FORMAT, td_record_get_id (record));
          for (guint l = 0; l < deletion->links->len; l++)
            {
              Link *link = &g_array_index (deletion->links, Link, l);

              if (g_str_equal (link->value, old_text))
                {
                  g_free (link->value);
                  link->value = g_strdup (new_text);
                }
            }
        }
      else if (rc != SQLITE_DONE)
        {
          td_store_set_error (store, rc, error);
          return FALSE;
        }
      if (self->sql->teaching >= 0 &&
          !td_record_list_writes_write_teaching (self, td_record_get_id (record), td_record_get (record, self->sql->teaching), error))
        return FALSE;
    }

  for (guint i = 0; i < deletion->links->len; i++)
    {
      Link *link = &g_array_index (deletion->links, Link, i);
      g_autofree char *sql = g_strdup_printf ("UPDATE %s SET %s = ? WHERE id = ?",
                                              link->kind->table, link->kind->fields[link->field].column);
      sqlite3_stmt *stmt = NULL;
      int rc;

      /* Rare (undoing a delete that cut links): not worth a cached statement. */
      rc = sqlite3_prepare_v2 (td_store_get_db (store), sql, -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_bind_int64 (stmt, 1, g_ascii_strtoll (link->value, NULL, 10));
          sqlite3_bind_int64 (stmt, 2, link->id);
          rc = sqlite3_step (stmt);
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        {
          td_store_set_error (store, rc, error);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * td_record_list_undo_delete:
 *
 * Puts deleted records back as they were: same ids, UUIDs, values and
 * links, in one transaction.
 */
gboolean
td_record_list_undo_delete (TdRecordList  *self,
                            TdDeletion    *deletion,
                            GError       **error)
{
  g_return_val_if_fail (deletion->list == self, FALSE);

  if (!td_store_transaction (self->store, td_record_list_writes_undo_in_transaction, deletion, error))
    return FALSE;

  if (deletion->records->len > BULK)
    {
      guint old_len = self->records->len;

      for (guint i = 0; i < deletion->records->len; i++)
        {
          TdRecord *record = g_ptr_array_index (deletion->records, i);

          g_ptr_array_add (self->records, g_object_ref (record));
          td_record_list_index_record (self, record);
          td_record_list_record_added (self, record);
        }
      /* Back in their places: the list is in id order. */
      g_ptr_array_sort (self->records, td_record_list_writes_compare_by_id);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->records->len);
    }
  else
  for (guint i = 0; i < deletion->records->len; i++)
    {
      TdRecord *record = g_ptr_array_index (deletion->records, i);
      guint position = self->records->len;

      /* Back in its place: the list is in id order. */
      while (position > 0 &&
             td_record_get_id (g_ptr_array_index (self->records, position - 1)) > td_record_get_id (record))
        position--;
      g_ptr_array_insert (self->records, position, g_object_ref (record));
      td_record_list_index_record (self, record);
      td_record_list_record_added (self, record);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
    }
  td_record_list_writes_apply_links (self, deletion->links, TRUE);
  td_record_list_forget_names (self->store);
  td_record_list_search_schedule_lines (self);
  return TRUE;
}

guint
td_deletion_get_count (TdDeletion *deletion)
{
  return deletion->records->len;
}

void
td_deletion_free (TdDeletion *deletion)
{
  if (deletion == NULL)
    return;
  g_ptr_array_unref (deletion->records);
  g_array_unref (deletion->links);
  g_free (deletion);
}

gboolean
td_record_list_insert_stored (TdRecordList        *self,
                              const char * const  *stored,
                              GError             **error)
{
  InsertData data = { self, stored, 0, NULL };
  gboolean ok = td_record_list_writes_insert_in_transaction (self->store, &data, error);

  g_free (data.uuid);
  if (!ok)
    td_record_list_writes_explain_error (self, error);
  return ok;
}

/* How many rows td_record_list_insert_stored_rows() writes with one
 * statement. */
guint
td_record_list_insert_rows (TdRecordList *self)
{
  g_return_val_if_fail (TD_IS_RECORD_LIST (self), 1);

  return self->sql->insert_rows;
}

/* Within a transaction each statement that may fail halfway (one with
 * triggers or foreign keys: every table's) keeps a journal of the pages it
 * changes, to undo only itself: a row inserted alone copies the last page
 * of the table and of each of its indexes and of the audit log's. One
 * statement for many rows copies each page once. A statement refused is
 * undone whole (the tables' constraints and triggers abort, none fails
 * or ignores), and its rows are written again one by one: the first
 * refused is the one reported, with the error it gets alone. */
gboolean
td_record_list_insert_stored_rows (TdRecordList               *self,
                                   const char * const * const *rows,
                                   guint                       n_rows,
                                   int                        *failed,
                                   GError                    **error)
{
  guint per = self->sql->insert_rows;
  guint done = 0;

  g_return_val_if_fail (TD_IS_RECORD_LIST (self), FALSE);
  g_return_val_if_fail (failed != NULL, FALSE);

  *failed = -1;
  for (; per > 1 && n_rows - done >= per; done += per)
    {
      sqlite3_stmt *stmt = td_store_prepare (self->store, self->sql->insert_rows_sql, error);
      g_autoptr(GError) local_error = NULL;

      if (stmt == NULL)
        return FALSE;
      for (guint r = 0; r < per; r++)
        td_record_list_writes_bind_values (self, stmt, 1 + r * self->sql->n_columns, rows[done + r]);
      if (td_store_step_done (self->store, stmt, &local_error))
        continue;
      /* An error that ended the transaction (the disk full, the file
       * replaced) is not a row's: there is nothing left to try again in. */
      if (sqlite3_get_autocommit (td_store_get_db (self->store)))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      for (guint r = 0; r < per; r++)
        if (!td_record_list_insert_stored (self, rows[done + r], error))
          {
            *failed = done + r;
            return FALSE;
          }
    }
  for (; done < n_rows; done++)
    if (!td_record_list_insert_stored (self, rows[done], error))
      {
        *failed = done;
        return FALSE;
      }
  return TRUE;
}

gboolean
td_record_list_update_stored (TdRecordList        *self,
                              gint64               id,
                              const char * const  *stored,
                              GError             **error)
{
  UpdateData data = { self, id, stored };
  gboolean ok = td_record_list_writes_update_in_transaction (self->store, &data, error);

  if (!ok)
    td_record_list_writes_explain_error (self, error);
  return ok;
}
