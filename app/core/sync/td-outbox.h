/* td-outbox.h: what is to be sent, and what became of it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "td-campaign.h"
#include "td-revision.h"
#include "td-store.h"

G_BEGIN_DECLS

typedef enum
{
  TD_OUTBOX_QUEUED,
  TD_OUTBOX_SENDING,
  TD_OUTBOX_RETRYING,
  TD_OUTBOX_DELIVERED,
  TD_OUTBOX_FAILED,
} TdOutboxState;

typedef enum
{
  TD_DESTINATION_SMTP,
  TD_DESTINATION_HTTPS,
} TdDestination;

/* Why an item needs the user (outbox.error_code). */
#define TD_OUTBOX_CODE_AUTH         "auth"
#define TD_OUTBOX_CODE_SETTINGS     "settings"
#define TD_OUTBOX_CODE_TLS          "tls"
#define TD_OUTBOX_CODE_REFUSED      "refused"
#define TD_OUTBOX_CODE_VERIFICATION "verification"
#define TD_OUTBOX_CODE_CANCELLED    "cancelled"
#define TD_OUTBOX_CODE_INTERRUPTED  "interrupted"   /* the app stopped while sending it, too often */

/* Tries of one item cut off in a row (the app crashed or was killed while
 * sending) before it is no longer tried automatically: a try that takes
 * the app down must not become a crash loop in the background. */
#define TD_OUTBOX_MAX_INTERRUPTED   3

/* Settings of the destinations (the setting table; secrets are in the keyring). */
#define TD_SETTING_SMTP_HOST        "sync.smtp.host"
#define TD_SETTING_SMTP_PORT        "sync.smtp.port"
#define TD_SETTING_SMTP_SECURITY    "sync.smtp.security"    /* "tls" (465) or "starttls" (587) */
#define TD_SETTING_SMTP_USERNAME    "sync.smtp.username"
#define TD_SETTING_SMTP_FROM        "sync.smtp.from"
#define TD_SETTING_SMTP_CA_FILE     "sync.smtp.ca-file"
#define TD_SETTING_HTTPS_ENDPOINT   "sync.https.endpoint"   /* else the campaign's */
#define TD_SETTING_HTTPS_CA_FILE    "sync.https.ca-file"
#define TD_SETTING_TIMEOUT          "sync.timeout-seconds"

#define TD_TYPE_OUTBOX_ITEM (td_outbox_item_get_type ())
G_DECLARE_FINAL_TYPE (TdOutboxItem, td_outbox_item, TD, OUTBOX_ITEM, GObject)

gint64         td_outbox_item_get_id              (TdOutboxItem *self);
const char    *td_outbox_item_get_uuid            (TdOutboxItem *self);
gint64         td_outbox_item_get_revision_id     (TdOutboxItem *self);
gint64         td_outbox_item_get_revision_number (TdOutboxItem *self);
TdDestination  td_outbox_item_get_destination     (TdOutboxItem *self);
const char    *td_outbox_item_get_recipient       (TdOutboxItem *self);
TdOutboxState  td_outbox_item_get_state           (TdOutboxItem *self);
guint          td_outbox_item_get_attempts        (TdOutboxItem *self);
GDateTime     *td_outbox_item_get_next_attempt_at (TdOutboxItem *self);
const char    *td_outbox_item_get_last_error      (TdOutboxItem *self);
const char    *td_outbox_item_get_error_code      (TdOutboxItem *self);
const char    *td_outbox_item_get_receipt         (TdOutboxItem *self);
GDateTime     *td_outbox_item_get_updated_at      (TdOutboxItem *self);
gboolean       td_outbox_item_is_pending          (TdOutboxItem *self);

const char    *td_outbox_state_to_string          (TdOutboxState  state);
const char    *td_outbox_state_label              (TdOutboxState  state);
const char    *td_destination_to_string           (TdDestination  destination);
const char    *td_destination_label               (TdDestination  destination);

char          *td_outbox_dup_upload_endpoint      (TdStore       *store,
                                                   TdCampaign    *campaign);
guint          td_outbox_queue_revision           (TdStore       *store,
                                                   TdRevision    *revision,
                                                   TdCampaign    *campaign,
                                                   const char    *school_type,
                                                   GError       **error);
gboolean       td_outbox_queue                    (TdStore       *store,
                                                   TdRevision    *revision,
                                                   TdDestination  destination,
                                                   const char    *recipient,
                                                   GError       **error);

TdOutboxItem  *td_outbox_load                     (TdStore       *store,
                                                   gint64         id,
                                                   GError       **error);
GPtrArray     *td_outbox_list                     (TdStore       *store,
                                                   GError       **error);
GPtrArray     *td_outbox_list_due                 (TdStore       *store,
                                                   GDateTime     *now,
                                                   GError       **error);
GDateTime     *td_outbox_dup_next_due             (TdStore       *store);
guint          td_outbox_count_pending            (TdStore       *store);

/* The life of one try, each step one transaction. */
gint64         td_outbox_begin_attempt            (TdStore       *store,
                                                   TdOutboxItem  *item,
                                                   GDateTime     *now,
                                                   GError       **error);
gboolean       td_outbox_record_delivered         (TdStore       *store,
                                                   TdOutboxItem  *item,
                                                   gint64         attempt,
                                                   const char    *receipt,
                                                   GBytes        *message,
                                                   GDateTime     *now,
                                                   GError       **error);
gboolean       td_outbox_record_retry             (TdStore       *store,
                                                   TdOutboxItem  *item,
                                                   gint64         attempt,
                                                   const char    *error_text,
                                                   GBytes        *message,
                                                   GDateTime     *now,
                                                   GDateTime     *next_attempt_at,
                                                   GError       **error);
gboolean       td_outbox_record_failed            (TdStore       *store,
                                                   TdOutboxItem  *item,
                                                   gint64         attempt,
                                                   const char    *code,
                                                   const char    *error_text,
                                                   GBytes        *message,
                                                   GDateTime     *now,
                                                   GError       **error);

/* The user's hand. */
gboolean       td_outbox_send_now                 (TdStore       *store,
                                                   TdOutboxItem  *item,
                                                   GDateTime     *now,
                                                   GError       **error);
gboolean       td_outbox_cancel                   (TdStore       *store,
                                                   TdOutboxItem  *item,
                                                   GDateTime     *now,
                                                   GError       **error);
gboolean       td_outbox_retry_destination        (TdStore       *store,
                                                   TdDestination  destination,
                                                   GDateTime     *now,
                                                   GError       **error);
gboolean       td_outbox_make_all_due             (TdStore       *store,
                                                   GDateTime     *now,
                                                   GError       **error);
GBytes        *td_outbox_dup_last_message         (TdStore       *store,
                                                   TdOutboxItem  *item);
guint          td_outbox_count_accepted_attempts  (TdStore       *store,
                                                   TdOutboxItem  *item);

/* The mail message built once per item, the same bytes on every try. */
GBytes        *td_outbox_dup_message              (TdStore       *store,
                                                   gint64         item_id);
GBytes        *td_outbox_keep_message             (TdStore       *store,
                                                   gint64         item_id,
                                                   GBytes        *message,
                                                   GError       **error);

/* Destinations set or changed after the newest signed revision was signed. */
guint          td_outbox_count_new_destinations   (TdStore       *store,
                                                   TdCampaign    *campaign,
                                                   const char    *school_type,
                                                   gint64        *revision_number);
guint          td_outbox_queue_new_destinations   (TdStore       *store,
                                                   TdCampaign    *campaign,
                                                   const char    *school_type,
                                                   GError       **error);

G_END_DECLS
