/* td-store-backup.c: copies of the database, and a copy put back
 *
 * A backup is a self-contained file written through a connection of its
 * own (SQLite's online backup API), so it may run on a worker thread while
 * the store goes on; one is made a day, and the newest
 * TD_STORE_BACKUPS_KEPT are kept. A restore checks the source, keeps the
 * current content, copies the source in (one step, so a failure changes
 * nothing), brings the schema up to date, and then tells the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "td-sqlite-locks.h"
#include "td-store-private.h"

/* Copies the database at @src_path into a new self-contained file at
 * @dest_path, through a connection of its own (so it may run on a worker
 * thread while the store goes on). The copy is written beside the target
 * and renamed into place, so @dest_path is never half written. */
static gboolean
td_store_backup_backup_file (const char  *src_path,
                             const char  *dest_path,
                             GError     **error)
{
  g_autofree char *part = g_strconcat (dest_path, ".part", NULL);
  g_autofree char *display = g_filename_display_name (dest_path);
  sqlite3 *src = NULL, *dest = NULL;
  sqlite3_backup *backup;
  int rc;

  rc = sqlite3_open_v2 (src_path, &src, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    {
      g_unlink (part);
      rc = sqlite3_open_v2 (part, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    }
  if (rc != SQLITE_OK)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED,
                   _("Could not write the backup “%s”: %s."), display, sqlite3_errstr (rc));
      goto out;
    }

  sqlite3_busy_timeout (src, 3000);
  backup = sqlite3_backup_init (dest, "main", src, "main");
  if (backup == NULL)
    rc = sqlite3_errcode (dest);
  else
    {
      rc = sqlite3_backup_step (backup, -1);
      sqlite3_backup_finish (backup);
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED,
                   _("Could not write the backup “%s”: %s."), display,
                   dest ? sqlite3_errmsg (dest) : sqlite3_errstr (rc));
      goto out;
    }

  sqlite3_close_v2 (dest);
  dest = NULL;
  if (g_rename (part, dest_path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED,
                   _("Could not write the backup “%s”: %s."), display, g_strerror (saved_errno));
      rc = SQLITE_ERROR;
    }

out:
  if (dest != NULL)
    sqlite3_close_v2 (dest);
  sqlite3_close_v2 (src);
  if (rc != SQLITE_OK)
    g_unlink (part);
  return rc == SQLITE_OK;
}

gboolean
td_store_backup_to (TdStore     *self,
                    const char  *dest_path,
                    GError     **error)
{
  g_return_val_if_fail (TD_IS_STORE (self), FALSE);

  if (g_strcmp0 (dest_path, self->path) == 0)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED,
                   _("A backup cannot replace the database it is taken from. Choose another file."));
      return FALSE;
    }
  return td_store_backup_backup_file (self->path, dest_path, error);
}

static char *
td_store_backup_dup_stem (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);

  if (g_str_has_suffix (base, ".db"))
    base[strlen (base) - 3] = '\0';
  return g_steal_pointer (&base);
}

char *
td_store_dup_daily_backup_path (TdStore   *self,
                                GDateTime *day)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *stem = td_store_backup_dup_stem (self->path);
  g_autofree char *date = g_date_time_format (day, "%Y-%m-%d");
  g_autofree char *name = g_strdup_printf ("%s-backup-%s.db", stem, date);

  return g_build_filename (dir, name, NULL);
}

static gint
td_store_backup_compare_strings_desc (gconstpointer a,
                                      gconstpointer b)
{
  return -g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

/* Keeps the newest TD_STORE_BACKUPS_KEPT daily backups of this database. */
static void
td_store_backup_prune_daily_backups (const char *db_path)
{
  g_autofree char *dir_path = g_path_get_dirname (db_path);
  g_autofree char *stem = td_store_backup_dup_stem (db_path);
  g_autofree char *prefix = g_strconcat (stem, "-backup-", NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)))
    {
      /* stem-backup-YYYY-MM-DD.db */
      if (g_str_has_prefix (name, prefix) &&
          g_str_has_suffix (name, ".db") &&
          strlen (name) == strlen (prefix) + strlen ("YYYY-MM-DD.db"))
        g_ptr_array_add (names, g_strdup (name));
    }

  g_ptr_array_sort (names, td_store_backup_compare_strings_desc);
  for (guint i = TD_STORE_BACKUPS_KEPT; i < names->len; i++)
    {
      g_autofree char *old = g_build_filename (dir_path, g_ptr_array_index (names, i), NULL);

      if (g_unlink (old) != 0)
        g_warning ("Could not remove old backup %s: %s", old, g_strerror (errno));
    }
}

static gboolean
td_store_backup_daily_backup (const char  *db_path,
                              const char  *backup_path,
                              char       **made_path,
                              GError     **error)
{
  if (made_path)
    *made_path = NULL;

  if (g_file_test (backup_path, G_FILE_TEST_EXISTS))
    return TRUE;

  /* A damaged file is not backed up: its copies would push the good ones
   * out of the seven kept. Checked here, off the main loop, every day. */
  {
    sqlite3 *db = NULL;
    gboolean healthy;

    if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
      {
        td_store_set_error_from_db (db, sqlite3_errcode (db), error);
        sqlite3_close_v2 (db);
        return FALSE;
      }
    sqlite3_busy_timeout (db, 3000);
    healthy = td_store_check_pages (db, db_path, FALSE, error);
    sqlite3_close_v2 (db);
    if (!healthy)
      return FALSE;
  }

  if (!td_store_backup_backup_file (db_path, backup_path, error))
    return FALSE;

  td_store_backup_prune_daily_backups (db_path);

  if (made_path)
    *made_path = g_strdup (backup_path);
  return TRUE;
}

/**
 * td_store_daily_backup:
 * @now: today, as the user's clock says
 * @made_path: (out) (optional): the backup written, or %NULL when today's
 *   backup already existed
 *
 * Writes today's backup next to the database unless there is one already,
 * and keeps the last %TD_STORE_BACKUPS_KEPT.
 */
gboolean
td_store_daily_backup (TdStore    *self,
                       GDateTime  *now,
                       char      **made_path,
                       GError    **error)
{
  g_autofree char *backup_path = NULL;

  g_return_val_if_fail (TD_IS_STORE (self), FALSE);

  backup_path = td_store_dup_daily_backup_path (self, now);
  return td_store_backup_daily_backup (self->path, backup_path, made_path, error);
}

typedef struct
{
  char *db_path;
  char *backup_path;
} BackupJob;

static void
td_store_backup_backup_job_free (BackupJob *job)
{
  g_free (job->db_path);
  g_free (job->backup_path);
  g_free (job);
}

static void
td_store_backup_daily_backup_thread (GTask        *task,
                                     gpointer      source_object,
                                     gpointer      task_data,
                                     GCancellable *cancellable)
{
  BackupJob *job = task_data;
  GError *error = NULL;
  char *made = NULL;

  if (td_store_backup_daily_backup (job->db_path, job->backup_path, &made, &error))
    g_task_return_pointer (task, made, g_free);
  else
    g_task_return_error (task, error);
}

void
td_store_daily_backup_async (TdStore             *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  BackupJob *job;

  g_return_if_fail (TD_IS_STORE (self));

  job = g_new0 (BackupJob, 1);
  job->db_path = g_strdup (self->path);
  job->backup_path = td_store_dup_daily_backup_path (self, now);

  /* The task holds the paths, not the store: closing the window closes the
   * database at once (and notes it closed cleanly), backup or not. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, td_store_daily_backup_async);
  g_task_set_task_data (task, job, (GDestroyNotify)td_store_backup_backup_job_free);
  g_task_run_in_thread (task, td_store_backup_daily_backup_thread);
}

/**
 * td_store_daily_backup_finish:
 *
 * Returns: (transfer full) (nullable): the backup written, or %NULL (without
 *   an error) when today's backup already existed.
 */
char *
td_store_daily_backup_finish (TdStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
td_store_backup_backup_to_thread (GTask        *task,
                                  gpointer      source_object,
                                  gpointer      task_data,
                                  GCancellable *cancellable)
{
  BackupJob *job = task_data;
  GError *error = NULL;

  if (td_store_backup_backup_file (job->db_path, job->backup_path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
td_store_backup_to_async (TdStore             *self,
                          const char          *dest_path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BackupJob *job;

  g_return_if_fail (TD_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, td_store_backup_to_async);

  if (g_strcmp0 (dest_path, self->path) == 0)
    {
      g_task_return_new_error (task, TD_STORE_ERROR, TD_STORE_ERROR_FAILED,
                               _("A backup cannot replace the database it is taken from. Choose another file."));
      return;
    }

  job = g_new0 (BackupJob, 1);
  job->db_path = g_strdup (self->path);
  job->backup_path = g_strdup (dest_path);
  g_task_set_task_data (task, job, (GDestroyNotify)td_store_backup_backup_job_free);
  g_task_run_in_thread (task, td_store_backup_backup_to_thread);
}

gboolean
td_store_backup_to_finish (TdStore       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Everything a restore does but telling the main thread: checks the
 * source, keeps the current content, copies the source in (one step, so a
 * failure changes nothing) and brings the schema up to date. Uses only the
 * store's connection, which SQLite serialises: may run on a worker thread
 * while the user interface stays idle. */
static gboolean
td_store_backup_restore_content (TdStore     *self,
                                 const char  *source_path,
                                 char       **kept_path,
                                 GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *dir = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *name = NULL;
  g_autofree char *kept = NULL;
  sqlite3 *src = NULL;
  sqlite3_backup *backup;
  int rc;

  if (g_strcmp0 (source_path, self->path) == 0)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED,
                   _("This is the database that is open now. Choose a backup file."));
      return FALSE;
    }

  if (!td_store_check_file (source_path, error))
    return FALSE;
  if (!td_store_files_check_identity (self, error))
    return FALSE;

  dir = g_path_get_dirname (self->path);
  stem = td_store_backup_dup_stem (self->path);
  stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  name = g_strdup_printf ("%s-before-restore-%s.db", stem, stamp);
  kept = g_build_filename (dir, name, NULL);
  if (!td_store_backup_backup_file (self->path, kept, error))
    return FALSE;

  rc = sqlite3_open_v2 (source_path, &src, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    {
      backup = sqlite3_backup_init (self->db, "main", src, "main");
      if (backup == NULL)
        rc = sqlite3_errcode (self->db);
      else
        {
          rc = sqlite3_backup_step (backup, -1);
          sqlite3_backup_finish (backup);
          if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
        }
    }
  if (rc != SQLITE_OK)
    {
      g_autofree char *display = g_filename_display_name (source_path);

      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED,
                   _("Could not restore from “%s”: %s. Nothing was changed."),
                   display, sqlite3_errmsg (self->db));
      sqlite3_close_v2 (src);
      return FALSE;
    }
  sqlite3_close_v2 (src);

  if (!td_store_configure_connection (self->db, error) || !td_store_migrate (self->db, error))
    return FALSE;

  if (kept_path)
    *kept_path = g_steal_pointer (&kept);
  return TRUE;
}

/**
 * td_store_restore_from:
 * @source_path: a backup (or another Training Desk database)
 * @kept_path: (out) (optional): where the content replaced was kept
 *
 * Checks @source_path, keeps the current content as a backup, then replaces
 * the content with @source_path's in one step and brings its schema up to
 * date. Emits #TdStore::restored.
 */
gboolean
td_store_restore_from (TdStore     *self,
                       const char  *source_path,
                       char       **kept_path,
                       GError     **error)
{
  g_return_val_if_fail (TD_IS_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (!td_store_backup_restore_content (self, source_path, kept_path, error))
    return FALSE;
  td_store_emit_restored (self);
  return TRUE;
}

static void
td_store_backup_restore_thread (GTask        *task,
                                gpointer      source_object,
                                gpointer      task_data,
                                GCancellable *cancellable)
{
  GError *error = NULL;
  char *kept = NULL;

  if (td_store_backup_restore_content (source_object, task_data, &kept, &error))
    g_task_return_pointer (task, kept, g_free);
  else
    g_task_return_error (task, error);
}

static void
td_store_backup_restore_thread_done_cb (GObject      *object,
                                        GAsyncResult *result,
                                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *kept = g_task_propagate_pointer (G_TASK (result), &error);

  if (kept == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Whoever listens learns of it before the caller's callback runs. */
  td_store_emit_restored (TD_STORE (object));
  g_task_return_pointer (task, kept, g_free);
}

/**
 * td_store_restore_async:
 *
 * td_store_restore_from() on a worker thread. The store must not be used
 * until @callback runs; #TdStore::restored is emitted just before it.
 */
void
td_store_restore_async (TdStore             *self,
                        const char          *source_path,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  g_autoptr(GTask) worker = NULL;

  g_return_if_fail (TD_IS_STORE (self));
  g_return_if_fail (!self->in_transaction);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, td_store_restore_async);

  /* Not cancellable once begun: the copy is one step either way. */
  worker = g_task_new (self, NULL, td_store_backup_restore_thread_done_cb, task);
  g_task_set_task_data (worker, g_strdup (source_path), g_free);
  g_task_run_in_thread (worker, td_store_backup_restore_thread);
}

/**
 * td_store_restore_finish:
 * @kept_path: (out) (optional): where the content replaced was kept
 */
gboolean
td_store_restore_finish (TdStore       *self,
                         GAsyncResult  *result,
                         char         **kept_path,
                         GError       **error)
{
  char *kept;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  kept = g_task_propagate_pointer (G_TASK (result), error);
  if (kept == NULL)
    return FALSE;
  if (kept_path)
    *kept_path = kept;
  else
    g_free (kept);
  return TRUE;
}

/**
 * td_store_replace_file:
 * @path: a file that cannot be opened as a database (not one, damaged)
 * @source_path: a backup made by Training Desk
 * @kept_path: (out) (optional): where the file at @path was moved
 *
 * For a file that cannot be opened, so there is no store to restore into
 * (issue 13): checks @source_path, moves the file at @path aside (kept,
 * never deleted, with what SQLite kept beside it), then copies the backup
 * to @path. On failure the file is put back.
 */
gboolean
td_store_replace_file (const char  *path,
                       const char  *source_path,
                       char       **kept_path,
                       GError     **error)
{
  static const char * const companions[] = { "", "-wal", "-shm", "-journal" };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *kept = g_strdup_printf ("%s.unreadable-%s", path, stamp);
  gboolean moved[G_N_ELEMENTS (companions)] = { FALSE, };

  g_return_val_if_fail (path != NULL && source_path != NULL, FALSE);

  if (g_strcmp0 (path, source_path) == 0)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED,
                   _("This is the file that cannot be opened. Choose a backup file."));
      return FALSE;
    }
  if (!td_store_check_file (source_path, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *from = g_strconcat (path, companions[i], NULL);
      g_autofree char *to = g_strconcat (kept, companions[i], NULL);

      if (!g_file_test (from, G_FILE_TEST_EXISTS))
        continue;
      if (g_rename (from, to) != 0)
        {
          int saved_errno = errno;
          g_autofree char *display = g_filename_display_name (path);

          g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED,
                       _("“%s” could not be moved aside to make room for the backup: %s. Nothing was changed."),
                       display, g_strerror (saved_errno));
          goto undo;
        }
      moved[i] = TRUE;
    }

  if (td_store_backup_backup_file (source_path, path, error))
    {
      if (kept_path)
        *kept_path = moved[0] ? g_steal_pointer (&kept) : NULL;
      return TRUE;
    }

undo:
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    if (moved[i])
      {
        g_autofree char *from = g_strconcat (kept, companions[i], NULL);
        g_autofree char *to = g_strconcat (path, companions[i], NULL);

        g_rename (from, to);
      }
  return FALSE;
}
