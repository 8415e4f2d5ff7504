/* td-store-read.c: reading on a worker, through a connection of its own
 *
 * Figures over every record, the check of every signed PDF (20 MB each,
 * possibly), the trainers' hours: reads too long for the main loop. Each
 * runs in a worker thread on a read-only connection of its own
 * (td_store_open_reader(); WAL lets it read beside the writer). The task
 * holds the file's path, not the store, nor, unless asked, the widget that
 * wants the result: a page closed meanwhile is not kept alive by its read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-store"

#include "config.h"

#include "td-store-read.h"

typedef struct
{
  char            *path;
  TdStoreReadFunc  func;
  gpointer         data;
  GDestroyNotify   data_free;
  GDestroyNotify   result_free;
} TdStoreRead;

static void
td_store_read_free (gpointer user_data)
{
  TdStoreRead *read = user_data;

  if (read->data_free != NULL)
    g_clear_pointer (&read->data, read->data_free);
  g_free (read->path);
  g_free (read);
}

static void
td_store_read_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  TdStoreRead *read = task_data;
  g_autoptr(TdStore) reader = NULL;
  GError *error = NULL;
  gpointer result;

  if (!(reader = td_store_open_reader (read->path, &error)) ||
      !(result = read->func (reader, read->data, cancellable, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, read->result_free);
}

/**
 * td_store_read_async:
 * @store: the open store whose file is read
 * @source_object: (nullable): the task's source object, held until done
 * @func: what the worker reads, given its own connection
 * @data: (nullable): for @func, freed with @data_free once done
 * @result_free: (nullable): frees @func's result if nobody takes it
 *
 * Runs @func in a worker thread on a read-only connection of its own;
 * td_store_read_finish() gives its result.
 */
void
td_store_read_async (TdStore             *store,
                     gpointer             source_object,
                     TdStoreReadFunc      func,
                     gpointer             data,
                     GDestroyNotify       data_free,
                     GDestroyNotify       result_free,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TdStoreRead *read;

  g_return_if_fail (TD_IS_STORE (store));
  g_return_if_fail (func != NULL);

  read = g_new0 (TdStoreRead, 1);
  read->path = g_strdup (td_store_get_path (store));
  read->func = func;
  read->data = data;
  read->data_free = data_free;
  read->result_free = result_free;

  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, td_store_read_async);
  g_task_set_task_data (task, read, td_store_read_free);
  g_task_run_in_thread (task, td_store_read_thread);
}

/* Returns: (transfer full): what the worker read, or %NULL with @error */
gpointer
td_store_read_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == td_store_read_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
