/* td-sync-describe.h: network errors in plain words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-outbox.h"

G_BEGIN_DECLS

/* Who reads the sentence, and so what it tells them to do. */
typedef enum
{
  TD_SYNC_DESCRIBE_SENDING,  /* the Outbox: an item sent in the background,
                              * which Training Desk may try again */
  TD_SYNC_DESCRIBE_TESTING,  /* Preferences' Test Connection: the settings
                              * are in front of the reader */
} TdSyncDescribeContext;

const char *td_sync_describe         (const GError          *error,
                                      TdSyncDescribeContext  context);
const char *td_sync_describe_error   (const GError          *error);
const char *td_sync_describe_failure (TdOutboxItem          *item);

G_END_DECLS
