/* td-import-commit.c: an import written, in one transaction
 *
 * The choice mappings chosen, the records rows name that do not exist
 * (created first: the rows written then name their ids) and the rows
 * (td-import-stream.c), all in one transaction with a page cache large enough that SQLite
 * need not spill (it halved a 100,000-row import), in a worker thread when
 * asked; the list reloads on its own thread afterwards.
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

/* The mappings chosen for this import, saved with its rows. */
static gboolean
td_import_commit_save_choice_map (TdImport  *self,
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
td_import_commit_create_missing (TdImport  *self,
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

static gboolean
td_import_commit_in_transaction (TdStore   *store,
                                 gpointer   user_data,
                                 GError   **error)
{
  TdImport *self = user_data;
  g_autofree gint64 *ids = NULL;

  if (!td_import_commit_save_choice_map (self, error))
    return FALSE;
  if (self->create_missing && self->missing->len > 0)
    {
      ids = g_new0 (gint64, self->missing->len);
      if (!td_import_commit_create_missing (self, ids, error))
        return FALSE;
    }

  return td_import_stream_write_rows (self, ids, error);
}

static gint64
td_import_commit_query_int (sqlite3    *db,
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
td_import_commit_write_all (TdImport  *self,
                            GError   **error)
{
  TdStore *store = td_record_list_get_store (self->list);
  sqlite3 *db = td_store_get_db (store);
  gint64 cache_size = td_import_commit_query_int (db, "PRAGMA cache_size");
  gint64 temp_store = td_import_commit_query_int (db, "PRAGMA temp_store");
  /* Changing temp_store drops every TEMP table and trigger: only when
   * there are none (the app makes none; a test may). */
  gboolean temp_free = td_import_commit_query_int (db, "SELECT count(*) FROM sqlite_temp_master") == 0;
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
  ok = td_store_transaction (store, td_import_commit_in_transaction, self, error);
  td_store_exec (store, restore_cache, NULL);
  if (temp_free)
    td_store_exec (store, restore_temp, NULL);
  return ok;
}

/* What of a commit may run in a worker thread: the checks and the
 * transaction. *wrote says whether anything was written. */
static gboolean
td_import_commit_write (TdImport      *self,
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
      if (!td_import_stream_judge (self, cancellable, error))
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
  ok = td_import_commit_write_all (self, error);
  self->cancellable = NULL;
  *wrote = ok;
  if (ok)
    td_import_report_progress (self, 1.0);
  if (ok)
    {
      self->n_created = self->create_missing ? self->missing->len : 0;
      g_hash_table_remove_all (self->choice_pending);
    }
  return ok;
}

/* On the list's own thread: the list loads what was written. */
static gboolean
td_import_commit_done (TdImport  *self,
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
  td_import_forget_preview (self);
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

  td_import_run_start (self);
  if (!td_import_commit_write (self, NULL, &wrote, error))
    return FALSE;
  return !wrote || td_import_commit_done (self, error);
}

static void
td_import_commit_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  GError *error = NULL;
  gboolean wrote;

  if (td_import_commit_write (source_object, cancellable, &wrote, &error))
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
  td_import_run_start (self);
  td_import_load_references (self);
  g_task_run_in_thread (task, td_import_commit_thread);
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
  return !wrote || td_import_commit_done (self, error);
}
