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
 * milliseconds for 100,000 records (bench/search).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* memmem () */
#define G_LOG_DOMAIN "td-record-list"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "td-record-list-private.h"
#include "td-store-private.h"
#include "td-validate.h"

typedef struct
{
  char *select_sql;
  char *insert_sql;
  char *insert_with_id_sql;
  char *update_sql;
  char *delete_sql;
  char *set_uuid_sql;
  guint n_columns;      /* fields stored in the table (not TEACHING) */
  int   teaching;       /* the TEACHING field's index, or -1 */
} KindSql;

struct _TdRecordList
{
  GObject             parent_instance;

  TdStore            *store;       /* not a reference: the store owns its lists */
  const TdRecordKind *kind;
  const KindSql      *sql;
  GPtrArray          *records;
  GHashTable         *by_id;       /* gint64* -> TdRecord* */
  GHashTable         *by_name;     /* name -> id (-1: several); NULL until asked, dropped on change */
  guint               next_serial;

  /* Search: what each record shows, casefolded, one line per record. */
  GString            *haystack;
  GArray             *offsets;     /* guint, start of each record's line */
  guint               haystack_revision;
  GArray             *matches;     /* guint8 per serial; NULL: no query */
};

struct _TdDeletion
{
  TdRecordList *list;
  GPtrArray    *records;   /* TdRecord*, values as they were */
  GArray       *links;     /* Link: references cut by ON DELETE SET NULL */
};

typedef struct
{
  const TdRecordKind *kind;
  guint               field;
  gint64              id;
  char               *value;
} Link;

/* Above this many records, deletes and undos change the model in one go. */
#define BULK 16

static void td_record_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TdRecordList, td_record_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, td_record_list_model_init))

/* Bumped by every write through any list of a store: a search index built
 * at an older revision may show a renamed venue's old name. */
static guint
store_revision (TdStore *store)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (store), "td-records-revision"));
}

static void
bump_store_revision (TdStore *store)
{
  /* Every list of the store forgets its name index: names may have moved. */
  guint n_kinds;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);

  for (guint i = 0; i < n_kinds; i++)
    {
      g_autofree char *key = g_strconcat ("td-records-", kinds[i]->id, NULL);
      TdRecordList *list = g_object_get_data (G_OBJECT (store), key);

      if (list != NULL)
        g_clear_pointer (&list->by_name, g_hash_table_unref);
    }

  g_object_set_data (G_OBJECT (store), "td-records-revision",
                     GUINT_TO_POINTER (store_revision (store) + 1));
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
  if (self->haystack)
    g_string_free (self->haystack, TRUE);
  g_clear_pointer (&self->offsets, g_array_unref);
  g_clear_pointer (&self->matches, g_array_unref);

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
}

/* The statements of a kind, made once from its field table. */
static const KindSql *
kind_sql (const TdRecordKind *kind)
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
      g_hash_table_insert (all, (gpointer)kind, sql);
    }
  g_mutex_unlock (&mutex);
  return sql;
}

static char *
column_text (sqlite3_stmt  *stmt,
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

static gint64 *
record_id_key (TdRecord *record)
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

static void
index_record (TdRecordList *self,
              TdRecord     *record)
{
  g_hash_table_insert (self->by_id, record_id_key (record), record);
}

static gboolean
load (TdRecordList  *self,
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
        values[i] = column_text (stmt, i + 2, &self->kind->fields[i]);
      if (self->sql->teaching >= 0)
        {
          const char *t = g_hash_table_lookup (teaching, &id);

          values[self->sql->teaching] = g_strdup (t ? t : "");
        }

      record = td_record_new (self->kind, id, (const char *)sqlite3_column_text (stmt, 1), values);
      td_record_set_serial (record, self->next_serial++);
      g_ptr_array_add (self->records, record);
      index_record (self, record);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (self->store, rc, error);
      return FALSE;
    }

  self->haystack_revision = G_MAXUINT;
  return TRUE;
}

static void
store_restored_cb (TdRecordList *self,
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
  g_autofree char *key = g_strconcat ("td-records-", kind_id, NULL);
  const TdRecordKind *kind;
  TdRecordList *self;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  if ((self = g_object_get_data (G_OBJECT (store), key)))
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
  self->sql = kind_sql (kind);
  if (!load (self, error))
    {
      g_object_unref (self);
      return NULL;
    }

  g_signal_connect_object (store, "restored", G_CALLBACK (store_restored_cb), self, G_CONNECT_SWAPPED);
  g_object_set_data_full (G_OBJECT (store), key, self, g_object_unref);
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

  if (!load (self, error))
    return FALSE;
  bump_store_revision (self->store);
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
resolve_cb (const char  *kind_id,
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
    g_set_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_UNKNOWN_CODE,
                 /* Translators: “%s” is a name; then the kind, e.g. "Venues" */
                 _("There is no “%s” among the %s. Add it there first."),
                 name, g_dgettext (GETTEXT_PACKAGE, other->kind->title));
  return id;
}

static const char *
name_of_cb (const char *kind_id,
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
  return td_field_display (&self->kind->fields[field], td_record_get (record, field), name_of_cb, self);
}

char *
td_record_list_export (TdRecordList *self,
                       TdRecord     *record,
                       guint         field)
{
  return td_field_export (&self->kind->fields[field], td_record_get (record, field), name_of_cb, self);
}

/* Rules between fields. */
static gboolean
check_record (TdRecordList  *self,
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
  g_auto(GStrv) stored = g_new0 (char *, self->kind->n_fields + 1);
  int bad = -1;

  for (guint i = 0; i < self->kind->n_fields; i++)
    if (!td_field_parse (&self->kind->fields[i], inputs[i], resolve_cb, self, &stored[i], error))
      {
        if (bad_field)
          *bad_field = i;
        return NULL;
      }

  if (!check_record (self, stored, &bad, error))
    {
      if (bad_field)
        *bad_field = bad;
      return NULL;
    }

  if (bad_field)
    *bad_field = -1;
  return g_steal_pointer (&stored);
}

static void
bind_values (TdRecordList       *self,
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
write_teaching (TdRecordList  *self,
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
explain_error (TdRecordList  *self,
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
insert_in_transaction (TdStore   *store,
                       gpointer   user_data,
                       GError   **error)
{
  InsertData *data = user_data;
  TdRecordList *self = data->list;
  sqlite3_stmt *stmt = td_store_prepare (store, self->sql->insert_sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_values (self, stmt, 1, data->stored);
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
    return write_teaching (self, data->id, data->stored[self->sql->teaching], error);
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
  if (!td_store_transaction (self->store, insert_in_transaction, &data, error))
    {
      explain_error (self, error);
      g_free (data.uuid);
      return NULL;
    }

  record = td_record_new (self->kind, data.id, data.uuid, g_steal_pointer (&stored));
  g_free (data.uuid);
  td_record_set_serial (record, self->next_serial++);
  g_ptr_array_add (self->records, record);
  index_record (self, record);
  bump_store_revision (self->store);
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
update_in_transaction (TdStore   *store,
                       gpointer   user_data,
                       GError   **error)
{
  UpdateData *data = user_data;
  TdRecordList *self = data->list;
  sqlite3_stmt *stmt = td_store_prepare (store, self->sql->update_sql, error);

  if (stmt == NULL)
    return FALSE;
  bind_values (self, stmt, 1, data->stored);
  sqlite3_bind_int64 (stmt, self->sql->n_columns + 1, data->id);
  if (!td_store_step_done (store, stmt, error))
    return FALSE;

  if (self->sql->teaching >= 0)
    return write_teaching (self, data->id, data->stored[self->sql->teaching], error);
  return TRUE;
}

/* The lists that show this kind's records by name (equipment its venue,
 * results their programme and trainers) show them again. */
static void
refresh_referrers (TdRecordList *self)
{
  guint n_kinds;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);

  for (guint k = 0; k < n_kinds; k++)
    {
      g_autofree char *key = g_strconcat ("td-records-", kinds[k]->id, NULL);
      TdRecordList *other = g_object_get_data (G_OBJECT (self->store), key);
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
find_position (TdRecordList *self,
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
  if (!td_store_transaction (self->store, update_in_transaction, &data, error))
    {
      explain_error (self, error);
      return FALSE;
    }

  /* The name index points into the old values: drop it first. */
  bump_store_revision (self->store);
  {
    int name = td_record_kind_field_index (self->kind, self->kind->name_column);
    gboolean renamed = g_strcmp0 (stored[name], td_record_get (record, name)) != 0;

    td_record_set_values (record, g_steal_pointer (&stored));
    if (renamed)
      refresh_referrers (self);
  }
  if (find_position (self, record, &position))
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
link_clear (gpointer data)
{
  g_free (((Link *)data)->value);
}

/* Before deleting, notes every reference that ON DELETE SET NULL will cut,
 * so undoing puts it back (equipment keeps its venue). */
static gboolean
collect_links (DeleteData  *data,
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
delete_in_transaction (TdStore   *store,
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
apply_links (TdRecordList *self,
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
      td_record_set_values (record, values);
      if (find_position (other, record, &position))
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
  g_array_set_clear_func (data.links, link_clear);

  if (!collect_links (&data, error) ||
      !td_store_transaction (self->store, delete_in_transaction, &data, error))
    {
      explain_error (self, error);
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
          g_hash_table_remove (self->by_id, record_id_key (records[i]));
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

        if (!find_position (self, records[i], &position))
          continue;
        g_hash_table_remove (self->by_id, record_id_key (records[i]));
        g_ptr_array_remove_index (self->records, position);
        g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
      }
  apply_links (self, deletion->links, FALSE);
  bump_store_revision (self->store);
  return deletion;
}

static gint
compare_by_id (gconstpointer a,
               gconstpointer b)
{
  gint64 ia = td_record_get_id (*(TdRecord **)a);
  gint64 ib = td_record_get_id (*(TdRecord **)b);

  return ia < ib ? -1 : ia > ib;
}

static gboolean
undo_in_transaction (TdStore   *store,
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
      bind_values (self, stmt, 3, td_record_get_values (record));
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
          bind_values (self, stmt, 1, td_record_get_values (record));
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
          !write_teaching (self, td_record_get_id (record), td_record_get (record, self->sql->teaching), error))
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

  if (!td_store_transaction (self->store, undo_in_transaction, deletion, error))
    return FALSE;

  if (deletion->records->len > BULK)
    {
      guint old_len = self->records->len;

      for (guint i = 0; i < deletion->records->len; i++)
        {
          TdRecord *record = g_ptr_array_index (deletion->records, i);

          g_ptr_array_add (self->records, g_object_ref (record));
          index_record (self, record);
        }
      /* Back in their places: the list is in id order. */
      g_ptr_array_sort (self->records, compare_by_id);
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
      index_record (self, record);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
    }
  apply_links (self, deletion->links, TRUE);
  bump_store_revision (self->store);
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

/* Appends @text casefolded, as the query is. Most text needs nothing done:
 * Chinese (three-byte UTF-8), digits and lowercase ASCII are appended as
 * they are, without a copy; only texts with ASCII capitals, two-byte
 * letters (Latin, Greek, Cyrillic) or full-width forms are casefolded. */
static void
append_folded (GString    *haystack,
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

static void
build_haystack (TdRecordList *self)
{
  g_autofree TdRecordList **referenced = NULL;
  g_autofree int *referenced_name = NULL;

  if (self->haystack != NULL && self->haystack_revision == store_revision (self->store))
    return;

  if (self->haystack == NULL)
    {
      self->haystack = g_string_sized_new (64 * self->records->len + 1);
      self->offsets = g_array_new (FALSE, FALSE, sizeof (guint));
    }
  g_string_truncate (self->haystack, 0);
  g_array_set_size (self->offsets, 0);

  /* The lists that references name, found once, not once a cell. */
  referenced = g_new0 (TdRecordList *, self->kind->n_fields);
  referenced_name = g_new0 (int, self->kind->n_fields);
  for (guint f = 0; f < self->kind->n_fields; f++)
    if (self->kind->fields[f].type == TD_FIELD_REFERENCE &&
        (referenced[f] = td_record_list_get (self->store, self->kind->fields[f].reference, NULL)))
      referenced_name[f] = td_record_kind_field_index (referenced[f]->kind, referenced[f]->kind->name_column);

  for (guint i = 0; i < self->records->len; i++)
    {
      TdRecord *record = g_ptr_array_index (self->records, i);
      guint offset = self->haystack->len;

      g_array_append_val (self->offsets, offset);
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
              append_folded (self->haystack, stored);
              break;

            case TD_FIELD_CHOICE:
              if (stored[0] != '\0')
                {
                  const char *shown = td_field_choice_label (field, stored);
                  const char *header = td_field_choice_header (field, stored);

                  append_folded (self->haystack, shown);
                  /* The Chinese names of choices too, whatever the language shown. */
                  if (g_strcmp0 (shown, header) != 0)
                    {
                      g_string_append_c (self->haystack, '\x1f');
                      append_folded (self->haystack, header);
                    }
                }
              break;

            case TD_FIELD_REFERENCE:
              if (stored[0] != '\0' && referenced[f] != NULL)
                {
                  TdRecord *other = td_record_list_find (referenced[f], g_ascii_strtoll (stored, NULL, 10));

                  if (other != NULL)
                    append_folded (self->haystack, td_record_get (other, referenced_name[f]));
                }
              break;

            case TD_FIELD_BOOLEAN:
            case TD_FIELD_CHOICE_SET:
            case TD_FIELD_TEACHING:
            default:
              {
                g_autofree char *text = td_record_list_display (self, record, f);
                g_autofree char *file_form = td_record_list_export (self, record, f);

                append_folded (self->haystack, text);
                if (g_strcmp0 (file_form, text) != 0)
                  {
                    g_string_append_c (self->haystack, '\x1f');
                    append_folded (self->haystack, file_form);
                  }
              }
              break;
            }
          /* A separator no word contains: a match never spans two fields. */
          g_string_append_c (self->haystack, '\x1f');
        }
      g_string_append_c (self->haystack, '\n');
    }
  self->haystack_revision = store_revision (self->store);
}

/* The record whose line holds @offset. */
static guint
line_of (TdRecordList *self,
         gsize         offset)
{
  guint lo = 0, hi = self->offsets->len;

  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (self->offsets, guint, mid) <= offset)
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

  build_haystack (self);
  self->matches = g_array_sized_new (FALSE, TRUE, 1, self->next_serial);
  g_array_set_size (self->matches, self->next_serial);
  hits = g_array_sized_new (FALSE, TRUE, 1, self->records->len);
  g_array_set_size (hits, self->records->len);

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
          line = line_of (self, hit - start);
          g_array_index (hits, guint8, line)++;
          /* On to the next record: one hit per word and record. */
          p = line + 1 < self->offsets->len ? start + g_array_index (self->offsets, guint, line + 1) : end;
        }
    }

  for (guint i = 0; i < self->records->len; i++)
    if (g_array_index (hits, guint8, i) == n_words)
      {
        TdRecord *record = g_ptr_array_index (self->records, i);

        g_array_index (self->matches, guint8, td_record_get_serial (record)) = 1;
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

  if (self->matches == NULL)
    return TRUE;
  return serial < self->matches->len && g_array_index (self->matches, guint8, serial);
}

gboolean
td_record_list_insert_stored (TdRecordList        *self,
                              const char * const  *stored,
                              GError             **error)
{
  InsertData data = { self, stored, 0, NULL };
  gboolean ok = insert_in_transaction (self->store, &data, error);

  g_free (data.uuid);
  if (!ok)
    explain_error (self, error);
  return ok;
}

gboolean
td_record_list_update_stored (TdRecordList        *self,
                              gint64               id,
                              const char * const  *stored,
                              GError             **error)
{
  UpdateData data = { self, id, stored };
  gboolean ok = update_in_transaction (self->store, &data, error);

  if (!ok)
    explain_error (self, error);
  return ok;
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
      g_autofree char *key = g_strconcat ("td-records-", kinds[i]->id, NULL);
      TdRecordList *self = g_object_get_data (G_OBJECT (store), key);
      g_autoptr(GError) error = NULL;

      if (self != NULL && !td_record_list_reload (self, &error))
        g_warning ("Could not reload %s: %s", kinds[i]->id, error->message);
    }
}
