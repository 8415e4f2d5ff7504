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

  /* Search: what each record shows, casefolded, one line per record, in
   * the order the lines were made. A record written or deleted has its
   * line dead (skipped, dropped at the next compaction); the records
   * without a live line get one before the next query, or in idle time. */
  GString            *haystack;
  GArray             *lines;       /* Line */
  GArray             *line_of;     /* guint per serial: 1 + its live line; 0: none */
  guint               n_live;      /* records with a live line */
  gsize               dead_bytes;
  GPtrArray          *unlined;     /* TdRecord*: written since, without a line */
  guint               scan_from;   /* where the next scan for records without a line starts */
  gboolean            scan;        /* records may lack a line outside unlined (after a load) */
  GMainContext       *search_context; /* where lines are made in idle time; NULL: not asked */
  GSource            *search_source;
  GArray             *matches;     /* guint8 per serial; NULL: no query */
  GHashTable         *only;        /* UUIDs the list is narrowed to; NULL: all */

  /* Running totals over every record, each made on first use. */
  GPtrArray          *totals;      /* Total */
};

typedef struct
{
  guint offset;
  guint serial;                    /* DEAD: the record was written or deleted since */
} Line;

#define DEAD G_MAXUINT

typedef enum
{
  TOTAL_SUM,                       /* Σ a (numbers; booleans count their yes) */
  TOTAL_PRODUCT,                   /* Σ a × b */
  TOTAL_CHOICES,                   /* how many have each choice of a */
} TotalType;

typedef struct
{
  TotalType type;
  guint     a;
  guint     b;
  double    sum;                   /* in units of 1/TOTAL_SCALE, whole: exact sums */
  guint    *counts;                /* TOTAL_CHOICES: per choice, then one for any other value */
  guint     n_counts;
} Total;

/* Sums are kept as whole numbers of ten-thousandths, which doubles hold
 * exactly up to 2^53: adding and taking away again leaves no residue
 * (¥0.1 + ¥0.2 − ¥0.1 is ¥0.2, not 0.20000000000000004). */
#define TOTAL_SCALE 10000.0

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

/* The list of @kind_id if it is loaded; never loads it. */
static TdRecordList *
peek_list (TdStore    *store,
           const char *kind_id)
{
  return g_hash_table_lookup (td_store_get_record_lists (store), kind_id);
}

/* After any write through any list of a store, every list forgets its
 * name index: names may have moved. (The search text knows better: see
 * forget_line() and forget_referrers().) */
static void
forget_names (TdStore *store)
{
  guint n_kinds;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);

  for (guint i = 0; i < n_kinds; i++)
    {
      TdRecordList *list = peek_list (store, kinds[i]->id);

      if (list != NULL)
        g_clear_pointer (&list->by_name, g_hash_table_unref);
    }
}

static void total_free (gpointer data);
static void search_forget_all (TdRecordList *self);
static void forget_line (TdRecordList *self,
                         TdRecord     *record);
static void schedule_lines (TdRecordList *self);
static void totals_add (TdRecordList       *self,
                        const char * const *values,
                        int                 sign);
static void needs_line (TdRecordList *self,
                        TdRecord     *record);

/* Whether @field of a record holds @id, a record of the kind it refers to. */
static gboolean
refers_to (const TdField *field,
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
static void
forget_referrers (TdRecordList *self,
                  TdRecord     *record)
{
  guint n_kinds;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);

  for (guint k = 0; k < n_kinds; k++)
    {
      TdRecordList *other = peek_list (self->store, kinds[k]->id);

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
              search_forget_all (other);
              break;
            }
          for (guint i = 0; i < other->records->len; i++)
            {
              TdRecord *referrer = g_ptr_array_index (other->records, i);

              if (refers_to (field, td_record_get (referrer, f), td_record_get_id (record)))
                {
                  forget_line (other, referrer);
                  needs_line (other, referrer);
                }
            }
        }
      schedule_lines (other);
    }
}

/* A record came into the list. */
static void
record_added (TdRecordList *self,
              TdRecord     *record)
{
  totals_add (self, td_record_get_values (record), 1);
  needs_line (self, record);
}

/* A record left the list. */
static void
record_removed (TdRecordList *self,
                TdRecord     *record)
{
  totals_add (self, td_record_get_values (record), -1);
  forget_line (self, record);
}

/* @record is about to take @values (transfer full). */
static void
set_values (TdRecordList  *self,
            TdRecord      *record,
            char         **values)
{
  totals_add (self, td_record_get_values (record), -1);
  forget_line (self, record);
  td_record_set_values (record, values);
  totals_add (self, td_record_get_values (record), 1);
  needs_line (self, record);
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
  self->totals = g_ptr_array_new_with_free_func (total_free);
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

  search_forget_all (self);
  /* Made again on first use. */
  g_ptr_array_set_size (self->totals, 0);
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
  const TdRecordKind *kind;
  TdRecordList *self;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  if ((self = peek_list (store, kind_id)))
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

  if (!load (self, error))
    return FALSE;
  forget_names (self->store);
  schedule_lines (self);
  /* Any name may have changed: the lists that show them make their lines anew. */
  forget_referrers (self, NULL);
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
  return td_record_list_parse_with (self, inputs, resolve_cb, self, bad_field, error);
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
  record_added (self, record);
  forget_names (self->store);
  schedule_lines (self);
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
 * results their programme and trainers) show them again, @record's new
 * name found by their search. */
static void
refresh_referrers (TdRecordList *self,
                   TdRecord     *record)
{
  guint n_kinds;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);

  forget_referrers (self, record);
  for (guint k = 0; k < n_kinds; k++)
    {
      TdRecordList *other = peek_list (self->store, kinds[k]->id);
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
  forget_names (self->store);
  {
    int name = td_record_kind_field_index (self->kind, self->kind->name_column);
    gboolean renamed = g_strcmp0 (stored[name], td_record_get (record, name)) != 0;

    set_values (self, record, g_steal_pointer (&stored));
    schedule_lines (self);
    if (renamed)
      refresh_referrers (self, record);
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
      set_values (other, record, values);
      schedule_lines (other);
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
          record_removed (self, records[i]);
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
        record_removed (self, records[i]);
        g_ptr_array_remove_index (self->records, position);
        g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
      }
  apply_links (self, deletion->links, FALSE);
  forget_names (self->store);
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
          record_added (self, record);
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
      record_added (self, record);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
    }
  apply_links (self, deletion->links, TRUE);
  forget_names (self->store);
  schedule_lines (self);
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

/* The lists that references name, found once per batch of lines, not
 * once a cell. Only lists already loaded: lines may be made in idle time
 * while a worker thread writes (an import), and loading reads SQLite. */
typedef struct
{
  TdRecordList **lists;
  int           *name;
} Referenced;

static void
referenced_init (TdRecordList *self,
                 Referenced   *ref)
{
  ref->lists = g_new0 (TdRecordList *, self->kind->n_fields);
  ref->name = g_new0 (int, self->kind->n_fields);
  for (guint f = 0; f < self->kind->n_fields; f++)
    if (self->kind->fields[f].type == TD_FIELD_REFERENCE &&
        (ref->lists[f] = peek_list (self->store, self->kind->fields[f].reference)))
      ref->name[f] = td_record_kind_field_index (ref->lists[f]->kind, ref->lists[f]->kind->name_column);
}

static void
referenced_clear (Referenced *ref)
{
  g_free (ref->lists);
  g_free (ref->name);
}

static guint
line_index_of (TdRecordList *self,
               TdRecord     *record)
{
  guint serial = td_record_get_serial (record);

  return serial < self->line_of->len ? g_array_index (self->line_of, guint, serial) : 0;
}

/* Appends @record's line: what the list shows of it, each field
 * casefolded, the Chinese names of choices too, fields apart. */
static void
append_line (TdRecordList *self,
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
          append_folded (haystack, stored);
          break;

        case TD_FIELD_CHOICE:
          if (stored[0] != '\0')
            {
              const char *shown = td_field_choice_label (field, stored);
              const char *header = td_field_choice_header (field, stored);

              append_folded (haystack, shown);
              /* The Chinese names of choices too, whatever the language shown. */
              if (g_strcmp0 (shown, header) != 0)
                {
                  g_string_append_c (haystack, '\x1f');
                  append_folded (haystack, header);
                }
            }
          break;

        case TD_FIELD_REFERENCE:
          if (stored[0] != '\0' && ref->lists[f] != NULL)
            {
              TdRecord *other = td_record_list_find (ref->lists[f], g_ascii_strtoll (stored, NULL, 10));

              if (other != NULL)
                append_folded (haystack, td_record_get (other, ref->name[f]));
            }
          break;

        case TD_FIELD_BOOLEAN:
        case TD_FIELD_CHOICE_SET:
        case TD_FIELD_TEACHING:
        default:
          {
            g_autofree char *text = td_record_list_display (self, record, f);
            g_autofree char *file_form = td_record_list_export (self, record, f);

            append_folded (haystack, text);
            if (g_strcmp0 (file_form, text) != 0)
              {
                g_string_append_c (haystack, '\x1f');
                append_folded (haystack, file_form);
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
line_length (TdRecordList *self,
             guint         index)
{
  guint start = g_array_index (self->lines, Line, index).offset;
  guint end = index + 1 < self->lines->len ? g_array_index (self->lines, Line, index + 1).offset
                                           : self->haystack->len;

  return end - start;
}

static void
search_forget_all (TdRecordList *self)
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
static void
forget_line (TdRecordList *self,
             TdRecord     *record)
{
  guint index = line_index_of (self, record);
  Line *line;

  if (index == 0)
    return;
  line = &g_array_index (self->lines, Line, index - 1);
  line->serial = DEAD;
  self->dead_bytes += line_length (self, index - 1);
  g_array_index (self->line_of, guint, td_record_get_serial (record)) = 0;
  self->n_live--;
}

/* @record, in the list, is new or written: it needs a line. */
static void
needs_line (TdRecordList *self,
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
compact_lines (TdRecordList *self)
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
      length = line_length (self, i);
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
make_lines (TdRecordList *self,
            gint64        deadline)
{
  Referenced ref;
  guint n = 0;
  gboolean done = TRUE;

  if (self->unlined->len == 0 && !self->scan)
    return TRUE;

  referenced_init (self, &ref);
  while (self->unlined->len > 0)
    {
      TdRecord *record = g_ptr_array_index (self->unlined, self->unlined->len - 1);

      /* Still in the list (not deleted since), and not given its line yet. */
      if (td_record_list_find (self, td_record_get_id (record)) == record && line_index_of (self, record) == 0)
        append_line (self, record, &ref);
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
      if (line_index_of (self, record) == 0)
        append_line (self, record, &ref);
      if (deadline > 0 && (++n & 63) == 0 && g_get_monotonic_time () >= deadline)
        {
          done = FALSE;
          goto out;
        }
    }
  self->scan = FALSE;
  self->scan_from = 0;
  compact_lines (self);

out:
  referenced_clear (&ref);
  return done;
}

static gboolean
make_lines_cb (gpointer user_data)
{
  TdRecordList *self = user_data;

  /* A few milliseconds at a time: a frame, or a key, is never kept
   * waiting for long. */
  if (!make_lines (self, g_get_monotonic_time () + 4000))
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&self->search_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

/* Once a page asked for it, the lines missing are made in idle time. */
static void
schedule_lines (TdRecordList *self)
{
  if (self->search_context == NULL || self->search_source != NULL ||
      (self->unlined->len == 0 && !self->scan))
    return;

  self->search_source = g_idle_source_new ();
  g_source_set_priority (self->search_source, G_PRIORITY_LOW);
  g_source_set_callback (self->search_source, make_lines_cb, self, NULL);
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
  schedule_lines (self);
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
line_at (TdRecordList *self,
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

  make_lines (self, 0);
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
          line = line_at (self, hit - start);
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

/* Totals. */

static void
total_free (gpointer data)
{
  Total *total = data;

  g_free (total->counts);
  g_free (total);
}

/* @value in whole ten-thousandths (see TOTAL_SCALE). */
static double
scaled (double value)
{
  double units = value * TOTAL_SCALE;

  return (double)(gint64)(units + (units >= 0 ? 0.5 : -0.5));
}

static void
total_add (TdRecordList       *self,
           Total              *total,
           const char * const *values,
           int                 sign)
{
  switch (total->type)
    {
    case TOTAL_SUM:
      total->sum += sign * scaled (g_ascii_strtod (values[total->a], NULL));
      break;

    case TOTAL_PRODUCT:
      total->sum += sign * scaled (g_ascii_strtod (values[total->a], NULL) *
                                   g_ascii_strtod (values[total->b], NULL));
      break;

    case TOTAL_CHOICES:
      {
        const TdChoice *choices = self->kind->fields[total->a].choices;
        guint c = 0;

        while (choices[c].id != NULL && g_strcmp0 (choices[c].id, values[total->a]) != 0)
          c++;
        total->counts[c] += sign;
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Every total made so far, for a record come (@sign 1) or gone (-1). */
static void
totals_add (TdRecordList       *self,
            const char * const *values,
            int                 sign)
{
  for (guint i = 0; i < self->totals->len; i++)
    total_add (self, g_ptr_array_index (self->totals, i), values, sign);
}

static Total *
get_total (TdRecordList *self,
           TotalType     type,
           guint         a,
           guint         b)
{
  Total *total;

  for (guint i = 0; i < self->totals->len; i++)
    {
      total = g_ptr_array_index (self->totals, i);
      if (total->type == type && total->a == a && total->b == b)
        return total;
    }

  /* Counted once over every record; kept by every change after. */
  total = g_new0 (Total, 1);
  total->type = type;
  total->a = a;
  total->b = b;
  if (type == TOTAL_CHOICES)
    {
      for (const TdChoice *c = self->kind->fields[a].choices; c && c->id; c++)
        total->n_counts++;
      total->counts = g_new0 (guint, ++total->n_counts);
    }
  for (guint i = 0; i < self->records->len; i++)
    total_add (self, total, td_record_get_values (g_ptr_array_index (self->records, i)), 1);
  g_ptr_array_add (self->totals, total);
  return total;
}

/**
 * td_record_list_get_sum:
 * @field: a number field, or a yes/no one (its yeses counted)
 *
 * Returns: the sum of @field over every record, kept as the list changes:
 *   the first call counts, the next ones do not.
 */
double
td_record_list_get_sum (TdRecordList *self,
                        guint         field)
{
  g_return_val_if_fail (TD_IS_RECORD_LIST (self), 0);
  g_return_val_if_fail (field < self->kind->n_fields, 0);

  return get_total (self, TOTAL_SUM, field, 0)->sum / TOTAL_SCALE;
}

/* Σ @field × @times over every record (quantity × unit value), kept so. */
double
td_record_list_get_sum_product (TdRecordList *self,
                                guint         field,
                                guint         times)
{
  g_return_val_if_fail (TD_IS_RECORD_LIST (self), 0);
  g_return_val_if_fail (field < self->kind->n_fields && times < self->kind->n_fields, 0);

  return get_total (self, TOTAL_PRODUCT, field, times)->sum / TOTAL_SCALE;
}

/* How many records have the choice @choice_id in @field, kept so. */
guint
td_record_list_count_choice (TdRecordList *self,
                             guint         field,
                             const char   *choice_id)
{
  Total *total;
  guint c = 0;

  g_return_val_if_fail (TD_IS_RECORD_LIST (self), 0);
  g_return_val_if_fail (field < self->kind->n_fields && self->kind->fields[field].type == TD_FIELD_CHOICE, 0);

  total = get_total (self, TOTAL_CHOICES, field, 0);
  while (c + 1 < total->n_counts && g_strcmp0 (self->kind->fields[field].choices[c].id, choice_id) != 0)
    c++;
  return total->counts[c];
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
      TdRecordList *self = peek_list (store, kinds[i]->id);
      g_autoptr(GError) error = NULL;

      if (self != NULL && !td_record_list_reload (self, &error))
        g_warning ("Could not reload %s: %s", kinds[i]->id, error->message);
    }
}
