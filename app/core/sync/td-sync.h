/* td-sync.h: the outbox, delivered in the background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "td-outbox.h"
#include "td-store.h"

G_BEGIN_DECLS

/* Between tries: the first waits this long, each next one twice as long,
 * never more than the maximum; each delay is cut by up to half, at random,
 * so schools that went offline together do not all come back at once. */
#define TD_SYNC_RETRY_BASE_MS  (30 * 1000)
#define TD_SYNC_RETRY_MAX_MS   (60 * 60 * 1000)
/* Items sent at the same time. */
#define TD_SYNC_MAX_IN_FLIGHT  2

typedef struct
{
  guint delivered;
  guint retrying;
  guint failed;
} TdSyncSummary;

#define TD_TYPE_SYNC (td_sync_get_type ())
G_DECLARE_FINAL_TYPE (TdSync, td_sync, TD, SYNC, GObject)

TdSync   *td_sync_new                 (TdStore          *store,
                                       GNetworkMonitor  *monitor);
void      td_sync_set_retry_delays    (TdSync           *self,
                                       guint             base_ms,
                                       guint             max_ms);
void      td_sync_start               (TdSync           *self);
void      td_sync_stop                (TdSync           *self);
void      td_sync_kick                (TdSync           *self);

guint     td_sync_get_pending         (TdSync           *self);
gboolean  td_sync_get_online          (TdSync           *self);
gboolean  td_sync_is_sending          (TdSync           *self,
                                       gint64            item_id);

gboolean  td_sync_send_now            (TdSync           *self,
                                       TdOutboxItem     *item,
                                       GError          **error);
gboolean  td_sync_cancel              (TdSync           *self,
                                       TdOutboxItem     *item,
                                       GError          **error);
gboolean  td_sync_credentials_changed (TdSync           *self,
                                       TdDestination     destination,
                                       GError          **error);

void      td_sync_run_due_async       (TdSync           *self,
                                       GCancellable     *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer          user_data);
gboolean  td_sync_run_due_finish      (TdSync           *self,
                                       GAsyncResult     *result,
                                       TdSyncSummary    *summary,
                                       GError          **error);

G_END_DECLS
