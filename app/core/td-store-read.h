/* td-store-read.h: reading on a worker, through a connection of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-store.h"

G_BEGIN_DECLS

/* Runs in the worker with @reader, a read-only connection to the store's
 * file. Returns: (transfer full) (nullable): the result, or %NULL with
 * @error set. */
typedef gpointer (*TdStoreReadFunc) (TdStore       *reader,
                                     gpointer       data,
                                     GCancellable  *cancellable,
                                     GError       **error);

void     td_store_read_async  (TdStore             *store,
                               gpointer             source_object,
                               TdStoreReadFunc      func,
                               gpointer             data,
                               GDestroyNotify       data_free,
                               GDestroyNotify       result_free,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
gpointer td_store_read_finish (GAsyncResult        *result,
                               GError             **error);

G_END_DECLS
