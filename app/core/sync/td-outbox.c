/* td-outbox.c: what is to be sent, and what became of it
 *
 * The outbox lives in the database, so nothing is lost to a crash: an
 * item's state is written before any network I/O (sending, with a new
 * attempt row) and "delivered" only once the receiver accepted, with its
 * receipt. An item found "sending" when the app starts was cut off by a
 * crash or kill: it is due again, and the receivers' de-duplication (the
 * revision's UUID as idempotency key and Message-ID) keeps it from being
 * stored twice.
 *
 * But a try that itself takes the app down (a hostile answer once did,
 * every time) would make that a crash loop in the background. So the tries
 * cut off in a row are counted (outbox.interrupted, when the next one
 * begins); at TD_OUTBOX_MAX_INTERRUPTED the item is parked instead of
 * tried: failed, error_code "interrupted", until the user chooses "Send
 * Now", which allows one more try (the same revision, the same key).
 *
 * Each step below is one transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-outbox"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "td-outbox.h"
#include "td-signing-key.h"
#include "td-store-private.h"

struct _TdOutboxItem
{
  GObject        parent_instance;

  gint64         id;
  char          *uuid;
  gint64         revision_id;
  gint64         revision_number;
  TdDestination  destination;
  char          *recipient;
  TdOutboxState  state;
  guint          attempts;
  GDateTime     *next_attempt_at;
  char          *last_error;
  char          *error_code;
  char          *receipt;
  GDateTime     *updated_at;
};

G_DEFINE_FINAL_TYPE (TdOutboxItem, td_outbox_item, G_TYPE_OBJECT)

static void
td_outbox_item_finalize (GObject *object)
{
  TdOutboxItem *self = TD_OUTBOX_ITEM (object);

  g_free (self->uuid);
  g_free (self->recipient);
  g_clear_pointer (&self->next_attempt_at, g_date_time_unref);
  g_free (self->last_error);
  g_free (self->error_code);
  g_free (self->receipt);
  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (td_outbox_item_parent_class)->finalize (object);
}

static void
td_outbox_item_class_init (TdOutboxItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_outbox_item_finalize;
}

static void
td_outbox_item_init (TdOutboxItem *self)
{
}

gint64 td_outbox_item_get_id (TdOutboxItem *self) { return self->id; }
const char *td_outbox_item_get_uuid (TdOutboxItem *self) { return self->uuid; }
gint64 td_outbox_item_get_revision_id (TdOutboxItem *self) { return self->revision_id; }
gint64 td_outbox_item_get_revision_number (TdOutboxItem *self) { return self->revision_number; }
TdDestination td_outbox_item_get_destination (TdOutboxItem *self) { return self->destination; }
const char *td_outbox_item_get_recipient (TdOutboxItem *self) { return self->recipient; }
TdOutboxState td_outbox_item_get_state (TdOutboxItem *self) { return self->state; }
guint td_outbox_item_get_attempts (TdOutboxItem *self) { return self->attempts; }
GDateTime *td_outbox_item_get_next_attempt_at (TdOutboxItem *self) { return self->next_attempt_at; }
const char *td_outbox_item_get_last_error (TdOutboxItem *self) { return self->last_error; }
const char *td_outbox_item_get_error_code (TdOutboxItem *self) { return self->error_code; }
const char *td_outbox_item_get_receipt (TdOutboxItem *self) { return self->receipt; }
GDateTime *td_outbox_item_get_updated_at (TdOutboxItem *self) { return self->updated_at; }

gboolean
td_outbox_item_is_pending (TdOutboxItem *self)
{
  return self->state == TD_OUTBOX_QUEUED || self->state == TD_OUTBOX_SENDING ||
         self->state == TD_OUTBOX_RETRYING;
}

static const char * const state_names[] = { "queued", "sending", "retrying", "delivered", "failed" };
static const char * const destination_names[] = { "smtp", "https" };

const char *
td_outbox_state_to_string (TdOutboxState state)
{
  g_return_val_if_fail (state <= TD_OUTBOX_FAILED, NULL);
  return state_names[state];
}

const char *
td_outbox_state_label (TdOutboxState state)
{
  switch (state)
    {
    case TD_OUTBOX_QUEUED: return _("Queued");
    case TD_OUTBOX_SENDING: return _("Sending");
    case TD_OUTBOX_RETRYING: return _("Waiting to retry");
    case TD_OUTBOX_DELIVERED: return _("Delivered");
    case TD_OUTBOX_FAILED: return _("Needs attention");
    default: g_return_val_if_reached (NULL);
    }
}

const char *
td_destination_to_string (TdDestination destination)
{
  g_return_val_if_fail (destination <= TD_DESTINATION_HTTPS, NULL);
  return destination_names[destination];
}

const char *
td_destination_label (TdDestination destination)
{
  return destination == TD_DESTINATION_SMTP ? _("E-mail") : _("Upload");
}

static guint
td_outbox_index_of (const char * const *names,
                    guint               n,
                    const char         *name)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return i;
  return 0;
}

static char *
td_outbox_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  if (time == NULL)
    return NULL;
  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%fZ");
}

static GDateTime *
td_outbox_column_time (sqlite3_stmt *stmt,
                       int           column)
{
  const char *text = (const char *)sqlite3_column_text (stmt, column);

  return text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

#define SELECT_ITEM \
  "SELECT o.id, o.uuid, o.revision_id, r.number, o.destination, o.recipient, o.state, o.attempts, " \
  "  o.next_attempt_at, o.last_error, o.error_code, o.receipt, o.updated_at " \
  "FROM outbox o JOIN form_revision r ON r.id = o.revision_id "

static TdOutboxItem *
td_outbox_item_from_row (sqlite3_stmt *stmt)
{
  TdOutboxItem *self = g_object_new (TD_TYPE_OUTBOX_ITEM, NULL);

  self->id = sqlite3_column_int64 (stmt, 0);
  self->uuid = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  self->revision_id = sqlite3_column_int64 (stmt, 2);
  self->revision_number = sqlite3_column_int64 (stmt, 3);
  self->destination = td_outbox_index_of (destination_names, G_N_ELEMENTS (destination_names),
                                          (const char *)sqlite3_column_text (stmt, 4));
  self->recipient = g_strdup ((const char *)sqlite3_column_text (stmt, 5));
  self->state = td_outbox_index_of (state_names, G_N_ELEMENTS (state_names), (const char *)sqlite3_column_text (stmt, 6));
  self->attempts = (guint)sqlite3_column_int (stmt, 7);
  self->next_attempt_at = td_outbox_column_time (stmt, 8);
  self->last_error = g_strdup ((const char *)sqlite3_column_text (stmt, 9));
  self->error_code = g_strdup ((const char *)sqlite3_column_text (stmt, 10));
  self->receipt = g_strdup ((const char *)sqlite3_column_text (stmt, 11));
  self->updated_at = td_outbox_column_time (stmt, 12);
  return self;
}

static GPtrArray *
td_outbox_query_items (TdStore     *store,
                       const char  *sql,
                       gint64       id,
                       GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (td_store_get_db (store), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, td_outbox_item_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

TdOutboxItem *
td_outbox_load (TdStore  *store,
                gint64    id,
                GError  **error)
{
  g_autoptr(GPtrArray) items = td_outbox_query_items (store, SELECT_ITEM "WHERE o.id = ?1", id, error);

  if (items == NULL)
    return NULL;
  if (items->len == 0)
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED, _("This item is no longer in the outbox."));
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (items, 0));
}

/**
 * td_outbox_list:
 *
 * Returns: (transfer full) (element-type TdOutboxItem): every item, newest
 *   revision first
 */
GPtrArray *
td_outbox_list (TdStore  *store,
                GError  **error)
{
  return td_outbox_query_items (store, SELECT_ITEM "ORDER BY r.number DESC, o.destination, o.recipient", 0, error);
}

/**
 * td_outbox_list_due:
 *
 * The items to try now: queued or retrying ones whose time has come, and
 * those left "sending" by a crash.
 *
 * Returns: (transfer full) (element-type TdOutboxItem): oldest first
 */
GPtrArray *
td_outbox_list_due (TdStore    *store,
                    GDateTime  *now,
                    GError    **error)
{
  g_autoptr(GPtrArray) pending = td_outbox_query_items (store,
                                                        SELECT_ITEM "WHERE o.state IN ('queued', 'sending', 'retrying') "
                                                        "ORDER BY o.id",
                                                        0, error);
  GPtrArray *due;

  if (pending == NULL)
    return NULL;
  due = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < pending->len; i++)
    {
      TdOutboxItem *item = g_ptr_array_index (pending, i);

      if (item->state == TD_OUTBOX_SENDING || item->next_attempt_at == NULL ||
          g_date_time_compare (item->next_attempt_at, now) <= 0)
        g_ptr_array_add (due, g_object_ref (item));
    }
  return due;
}

/* The earliest time an item waits for, or NULL. */
GDateTime *
td_outbox_dup_next_due (TdStore *store)
{
  g_autoptr(GPtrArray) pending = td_outbox_query_items (store,
                                                        SELECT_ITEM "WHERE o.state IN ('queued', 'retrying')",
                                                        0, NULL);
  GDateTime *next = NULL;

  for (guint i = 0; pending && i < pending->len; i++)
    {
      TdOutboxItem *item = g_ptr_array_index (pending, i);

      if (item->next_attempt_at && (next == NULL || g_date_time_compare (item->next_attempt_at, next) < 0))
        {
          g_clear_pointer (&next, g_date_time_unref);
          next = g_date_time_ref (item->next_attempt_at);
        }
    }
  return next;
}

guint
td_outbox_count_pending (TdStore *store)
{
  sqlite3_stmt *stmt = td_store_prepare (store,
                                         "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending', 'retrying')",
                                         NULL);
  guint n = 0;

  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = (guint)sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/* Queueing. */

char *
td_outbox_dup_upload_endpoint (TdStore    *store,
                               TdCampaign *campaign)
{
  g_autofree char *endpoint = td_store_dup_setting (store, TD_SETTING_HTTPS_ENDPOINT);

  if (endpoint && *endpoint)
    return g_steal_pointer (&endpoint);
  if (campaign && td_campaign_get_upload_endpoint (campaign))
    return g_strdup (td_campaign_get_upload_endpoint (campaign));
  return NULL;
}

typedef struct
{
  TdRevision    *revision;
  TdDestination  destination;
  const char    *recipient;
  guint          added;
} Queue;

static gboolean
td_outbox_queue_cb (TdStore  *store,
                    gpointer  user_data,
                    GError  **error)
{
  Queue *queue = user_data;
  sqlite3_stmt *stmt = td_store_prepare (store,
                                         "INSERT INTO outbox (revision_id, destination, recipient, next_attempt_at) "
                                         "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                                         error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = td_outbox_format_time (now);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, td_revision_get_id (queue->revision));
  sqlite3_bind_text (stmt, 2, td_destination_to_string (queue->destination), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, queue->recipient, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, at, -1, SQLITE_TRANSIENT);
  if (!td_store_step_done (store, stmt, error))
    return FALSE;
  queue->added += (guint)sqlite3_changes (td_store_get_db (store));
  return TRUE;
}

/**
 * td_outbox_queue:
 *
 * Puts a signed revision in the outbox for one destination. Queueing it
 * twice for the same destination and recipient adds nothing.
 */
gboolean
td_outbox_queue (TdStore        *store,
                 TdRevision     *revision,
                 TdDestination   destination,
                 const char     *recipient,
                 GError        **error)
{
  Queue queue = { revision, destination, recipient, 0 };

  if (!td_revision_is_signed (revision))
    {
      g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_FAILED,
                   _("Only a signed revision can be sent. Have the principal sign the form off first."));
      return FALSE;
    }
  if (recipient == NULL || *recipient == '\0')
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED, _("The destination has no address."));
      return FALSE;
    }
  return td_store_transaction (store, td_outbox_queue_cb, &queue, error);
}

/**
 * td_outbox_queue_revision:
 * @school_type: the school's type, which decides the department's mailbox
 *
 * Puts a signed revision in the outbox for every destination of the
 * campaign: the mailbox of the department for @school_type, and the upload
 * endpoint when there is one.
 *
 * Returns: how many items were added (0 when they were there already)
 */
guint
td_outbox_queue_revision (TdStore     *store,
                          TdRevision  *revision,
                          TdCampaign  *campaign,
                          const char  *school_type,
                          GError     **error)
{
  const TdRecipient *recipient = td_campaign_recipient_for (campaign, school_type);
  g_autofree char *endpoint = td_outbox_dup_upload_endpoint (store, campaign);
  guint before = 0, after;
  g_autoptr(GPtrArray) items = td_outbox_list (store, NULL);

  for (guint i = 0; items && i < items->len; i++)
    before += td_outbox_item_get_revision_id (g_ptr_array_index (items, i)) == td_revision_get_id (revision);

  if (recipient && recipient->email &&
      !td_outbox_queue (store, revision, TD_DESTINATION_SMTP, recipient->email, error))
    return 0;
  if (endpoint && !td_outbox_queue (store, revision, TD_DESTINATION_HTTPS, endpoint, error))
    return 0;

  g_clear_pointer (&items, g_ptr_array_unref);
  items = td_outbox_list (store, NULL);
  after = 0;
  for (guint i = 0; items && i < items->len; i++)
    after += td_outbox_item_get_revision_id (g_ptr_array_index (items, i)) == td_revision_get_id (revision);
  return after - before;
}

/* One try. */

typedef struct
{
  TdOutboxItem *item;
  gint64        attempt;
  guint         interrupted;   /* begin: tries cut off in a row; parked when too many */
  gboolean      parked;
  const char   *outcome;
  const char   *code;
  const char   *text;
  const char   *receipt;
  GBytes       *message;
  GDateTime    *now;
  GDateTime    *next;
} Step;

/* The try before was cut off: one more in a row. Too many, and the item is
 * parked instead of tried (only when one was just found cut off: after
 * "Send Now", the count stands, and one more crash parks it again). */
static gboolean
td_outbox_count_interrupted (TdStore  *store,
                             Step     *step,
                             GError  **error)
{
  g_autofree char *text = NULL;
  int rc;
  sqlite3_stmt *stmt = td_store_prepare (store,
                                         "UPDATE outbox SET interrupted = interrupted + 1 WHERE id = ?1 "
                                         "RETURNING interrupted",
                                         error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step->item->id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      /* SQLITE_DONE: the item is gone; nothing to count. */
      if (rc != SQLITE_DONE)
        td_store_set_error (store, rc, error);
      sqlite3_reset (stmt);
      return rc == SQLITE_DONE;
    }
  step->interrupted = (guint)sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  if (step->interrupted < TD_OUTBOX_MAX_INTERRUPTED)
    return TRUE;

  text = g_strdup_printf (_("Training Desk stopped while sending this item %u times in a row (a crash, a forced "
                            "quit or a power cut), so it is no longer sent automatically. Choose “Send Now” to "
                            "try once more; if Training Desk stops again, tell whoever looks after this computer."),
                          step->interrupted);
  stmt = td_store_prepare (store,
                           "UPDATE outbox SET state = 'failed', error_code = ?2, last_error = ?3, "
                           "  next_attempt_at = NULL WHERE id = ?1 AND state IN ('queued', 'sending', 'retrying')",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step->item->id);
  sqlite3_bind_text (stmt, 2, TD_OUTBOX_CODE_INTERRUPTED, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
  if (!td_store_step_done (store, stmt, error))
    return FALSE;
  step->parked = TRUE;
  g_free (step->item->last_error);
  step->item->last_error = g_steal_pointer (&text);
  return TRUE;
}

static gboolean
td_outbox_begin_cb (TdStore  *store,
                    gpointer  user_data,
                    GError  **error)
{
  Step *step = user_data;
  g_autofree char *at = td_outbox_format_time (step->now);
  sqlite3_stmt *stmt;

  /* A try cut off by a crash says so, and counts. */
  stmt = td_store_prepare (store,
                           "UPDATE outbox_attempt SET finished_at = ?2, outcome = 'retrying', error = ?3 "
                           "WHERE outbox_id = ?1 AND finished_at IS NULL",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step->item->id);
  sqlite3_bind_text (stmt, 2, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, _("Interrupted: Training Desk stopped while sending."), -1, SQLITE_TRANSIENT);
  if (!td_store_step_done (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (td_store_get_db (store)) > 0 && !td_outbox_count_interrupted (store, step, error))
    return FALSE;
  if (step->parked)
    return TRUE;

  stmt = td_store_prepare (store,
                           "UPDATE outbox SET state = 'sending', attempts = attempts + 1, error_code = NULL "
                           "WHERE id = ?1 AND state IN ('queued', 'sending', 'retrying') "
                           "RETURNING attempts",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step->item->id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED,
                   _("This item was delivered or cancelled meanwhile."));
      return FALSE;
    }
  step->item->attempts = (guint)sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  stmt = td_store_prepare (store,
                           "INSERT INTO outbox_attempt (outbox_id, number, started_at) VALUES (?1, ?2, ?3)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step->item->id);
  sqlite3_bind_int (stmt, 2, (int)step->item->attempts);
  sqlite3_bind_text (stmt, 3, at, -1, SQLITE_TRANSIENT);
  if (!td_store_step_done (store, stmt, error))
    return FALSE;
  step->attempt = sqlite3_last_insert_rowid (td_store_get_db (store));
  return TRUE;
}

/**
 * td_outbox_begin_attempt:
 *
 * Written before any network I/O: the item is "sending", with a new
 * attempt. Unless the tries before were cut off too often in a row (see
 * TD_OUTBOX_MAX_INTERRUPTED): then the item is parked instead, failed with
 * TD_OUTBOX_CODE_INTERRUPTED, and nothing is to be sent.
 *
 * Returns: the attempt's id; 0 when parked (@item says so: failed), or with
 *   @error set
 */
gint64
td_outbox_begin_attempt (TdStore       *store,
                         TdOutboxItem  *item,
                         GDateTime     *now,
                         GError       **error)
{
  Step step = { .item = item, .now = now };

  if (!td_store_transaction (store, td_outbox_begin_cb, &step, error))
    return 0;
  if (step.parked)
    {
      item->state = TD_OUTBOX_FAILED;
      g_free (item->error_code);
      item->error_code = g_strdup (TD_OUTBOX_CODE_INTERRUPTED);
      g_clear_pointer (&item->next_attempt_at, g_date_time_unref);
      return 0;
    }
  item->state = TD_OUTBOX_SENDING;
  return step.attempt;
}

static gboolean
td_outbox_finish_attempt (TdStore  *store,
                          Step     *step,
                          GError  **error)
{
  g_autofree char *at = td_outbox_format_time (step->now);
  sqlite3_stmt *stmt = td_store_prepare (store,
                                         "UPDATE outbox_attempt SET finished_at = ?2, outcome = ?3, error = ?4, "
                                         "  receipt = ?5, message = ?6 WHERE id = ?1",
                                         error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step->attempt);
  sqlite3_bind_text (stmt, 2, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, step->outcome, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, step->text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, step->receipt, -1, SQLITE_TRANSIENT);
  if (step->message)
    sqlite3_bind_blob64 (stmt, 6, g_bytes_get_data (step->message, NULL), g_bytes_get_size (step->message),
                         SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 6);
  if (!td_store_step_done (store, stmt, error))
    return FALSE;

  /* This try ended, however: the tries cut off are no longer in a row. */
  stmt = td_store_prepare (store, "UPDATE outbox SET interrupted = 0 WHERE id = ?1 AND interrupted > 0", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step->item->id);
  return td_store_step_done (store, stmt, error);
}

static gboolean
td_outbox_delivered_cb (TdStore  *store,
                        gpointer  user_data,
                        GError  **error)
{
  Step *step = user_data;
  sqlite3_stmt *stmt;

  if (!td_outbox_finish_attempt (store, step, error))
    return FALSE;

  /* Delivered is the truth, even over a "Cancel" that came too late. */
  stmt = td_store_prepare (store,
                           "UPDATE outbox SET state = 'delivered', receipt = ?2, last_error = NULL, "
                           "  error_code = NULL, next_attempt_at = NULL WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step->item->id);
  sqlite3_bind_text (stmt, 2, step->receipt, -1, SQLITE_TRANSIENT);
  if (!td_store_step_done (store, stmt, error))
    return FALSE;

  /* The revision: sent once one destination has it, delivered once all do. */
  stmt = td_store_prepare (store,
                           "UPDATE form_revision SET state = CASE "
                           "  WHEN NOT EXISTS (SELECT 1 FROM outbox WHERE revision_id = ?1 AND state <> 'delivered') "
                           "  THEN 'delivered' ELSE 'sent' END "
                           "WHERE id = ?1 AND state IN ('signed', 'sent')",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step->item->revision_id);
  return td_store_step_done (store, stmt, error);
}

gboolean
td_outbox_record_delivered (TdStore       *store,
                            TdOutboxItem  *item,
                            gint64         attempt,
                            const char    *receipt,
                            GBytes        *message,
                            GDateTime     *now,
                            GError       **error)
{
  Step step = { .item = item, .attempt = attempt, .outcome = "delivered", .receipt = receipt,
                .message = message, .now = now };

  if (!td_store_transaction (store, td_outbox_delivered_cb, &step, error))
    return FALSE;
  item->state = TD_OUTBOX_DELIVERED;
  g_free (item->receipt);
  item->receipt = g_strdup (receipt);
  g_clear_pointer (&item->last_error, g_free);
  g_clear_pointer (&item->error_code, g_free);
  return TRUE;
}

static gboolean
td_outbox_unsuccessful_cb (TdStore  *store,
                           gpointer  user_data,
                           GError  **error)
{
  Step *step = user_data;
  g_autofree char *next = td_outbox_format_time (step->next);
  sqlite3_stmt *stmt;

  if (!td_outbox_finish_attempt (store, step, error))
    return FALSE;

  /* Only an item still sending: one the user cancelled stays cancelled. */
  stmt = td_store_prepare (store,
                           "UPDATE outbox SET state = ?2, last_error = ?3, error_code = ?4, next_attempt_at = ?5 "
                           "WHERE id = ?1 AND state = 'sending'",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step->item->id);
  sqlite3_bind_text (stmt, 2, step->outcome, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, step->text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, step->code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, next, -1, SQLITE_TRANSIENT);
  return td_store_step_done (store, stmt, error);
}

gboolean
td_outbox_record_retry (TdStore       *store,
                        TdOutboxItem  *item,
                        gint64         attempt,
                        const char    *error_text,
                        GBytes        *message,
                        GDateTime     *now,
                        GDateTime     *next_attempt_at,
                        GError       **error)
{
  Step step = { .item = item, .attempt = attempt, .outcome = "retrying", .text = error_text,
                .message = message, .now = now, .next = next_attempt_at };

  if (!td_store_transaction (store, td_outbox_unsuccessful_cb, &step, error))
    return FALSE;
  if (item->state == TD_OUTBOX_SENDING)
    {
      item->state = TD_OUTBOX_RETRYING;
      g_free (item->last_error);
      item->last_error = g_strdup (error_text);
      g_clear_pointer (&item->next_attempt_at, g_date_time_unref);
      item->next_attempt_at = g_date_time_ref (next_attempt_at);
    }
  return TRUE;
}

gboolean
td_outbox_record_failed (TdStore       *store,
                         TdOutboxItem  *item,
                         gint64         attempt,
                         const char    *code,
                         const char    *error_text,
                         GBytes        *message,
                         GDateTime     *now,
                         GError       **error)
{
  Step step = { .item = item, .attempt = attempt, .outcome = "failed", .code = code, .text = error_text,
                .message = message, .now = now };

  if (!td_store_transaction (store, td_outbox_unsuccessful_cb, &step, error))
    return FALSE;
  if (item->state == TD_OUTBOX_SENDING)
    {
      item->state = TD_OUTBOX_FAILED;
      g_free (item->last_error);
      item->last_error = g_strdup (error_text);
      g_free (item->error_code);
      item->error_code = g_strdup (code);
      g_clear_pointer (&item->next_attempt_at, g_date_time_unref);
    }
  return TRUE;
}

/* The user's hand. */

typedef struct
{
  const char *sql;
  gint64      id;
  const char *text;
  const char *at;
  guint       changed;
} Exec;

static gboolean
td_outbox_exec_cb (TdStore  *store,
                   gpointer  user_data,
                   GError  **error)
{
  Exec *exec = user_data;
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (td_store_get_db (store), exec->sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      td_store_set_error (store, rc, error);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, exec->id);
  sqlite3_bind_text (stmt, 2, exec->text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, exec->at, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return FALSE;
    }
  exec->changed = (guint)sqlite3_changes (td_store_get_db (store));
  return TRUE;
}

static gboolean
td_outbox_reload (TdStore      *store,
                  TdOutboxItem *item)
{
  g_autoptr(TdOutboxItem) fresh = td_outbox_load (store, item->id, NULL);

  if (fresh == NULL)
    return FALSE;
  item->state = fresh->state;
  item->attempts = fresh->attempts;
  g_clear_pointer (&item->next_attempt_at, g_date_time_unref);
  item->next_attempt_at = fresh->next_attempt_at ? g_date_time_ref (fresh->next_attempt_at) : NULL;
  g_free (item->last_error);
  item->last_error = g_strdup (fresh->last_error);
  g_free (item->error_code);
  item->error_code = g_strdup (fresh->error_code);
  g_free (item->receipt);
  item->receipt = g_strdup (fresh->receipt);
  return TRUE;
}

/* Runs @exec on @item in one transaction and reads the item back; when it
 * changed nothing, says why: delivered already, or @otherwise. */
static gboolean
td_outbox_change_item (TdStore       *store,
                       TdOutboxItem  *item,
                       Exec          *exec,
                       const char    *otherwise,
                       GError       **error)
{
  if (!td_store_transaction (store, td_outbox_exec_cb, exec, error))
    return FALSE;
  td_outbox_reload (store, item);
  if (exec->changed == 0)
    {
      g_set_error_literal (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED,
                           item->state == TD_OUTBOX_DELIVERED ? _("This item is delivered already.") : otherwise);
      return FALSE;
    }
  return TRUE;
}

/**
 * td_outbox_send_now:
 *
 * Makes an item due at once: one waiting to retry, or one that needed the
 * user (its error is cleared). Delivered and sending items are left alone.
 */
gboolean
td_outbox_send_now (TdStore       *store,
                    TdOutboxItem  *item,
                    GDateTime     *now,
                    GError       **error)
{
  g_autofree char *at = td_outbox_format_time (now);
  Exec exec = { "UPDATE outbox SET state = CASE state WHEN 'failed' THEN 'queued' ELSE state END, "
                "  next_attempt_at = ?3, error_code = NULL "
                "WHERE id = ?1 AND state IN ('queued', 'retrying', 'failed')",
                item->id, NULL, at, 0 };

  return td_outbox_change_item (store, item, &exec, _("This item is being sent right now."), error);
}

/**
 * td_outbox_cancel:
 *
 * Stops sending an item (it stays in the list, as cancelled). A delivered
 * item cannot be cancelled; one being sent is marked now, and what its
 * receiver answers decides: if it accepted the form meanwhile, the item is
 * delivered after all.
 */
gboolean
td_outbox_cancel (TdStore       *store,
                  TdOutboxItem  *item,
                  GDateTime     *now,
                  GError       **error)
{
  Exec exec = { "UPDATE outbox SET state = 'failed', error_code = 'cancelled', last_error = ?2, "
                "  next_attempt_at = NULL WHERE id = ?1 AND state IN ('queued', 'sending', 'retrying')",
                item->id, _("Cancelled. Choose “Send Now” to send it after all."), NULL, 0 };

  return td_outbox_change_item (store, item, &exec, _("This item is not waiting to be sent."), error);
}

/**
 * td_outbox_retry_destination:
 *
 * After the user fixed a destination's credentials or settings: its items
 * that stopped for that reason are due again.
 */
gboolean
td_outbox_retry_destination (TdStore        *store,
                             TdDestination   destination,
                             GDateTime      *now,
                             GError        **error)
{
  g_autofree char *at = td_outbox_format_time (now);
  Exec exec = { "UPDATE outbox SET state = 'queued', next_attempt_at = ?3, error_code = NULL "
                "WHERE destination = ?2 AND state = 'failed' AND error_code IN ('auth', 'settings', 'tls')",
                0, td_destination_to_string (destination), at, 0 };

  return td_store_transaction (store, td_outbox_exec_cb, &exec, error);
}

/**
 * td_outbox_make_all_due:
 *
 * The network is back: every item waiting to retry is due now.
 */
gboolean
td_outbox_make_all_due (TdStore    *store,
                        GDateTime  *now,
                        GError    **error)
{
  g_autofree char *at = td_outbox_format_time (now);
  Exec exec = { "UPDATE outbox SET next_attempt_at = ?3 "
                "WHERE state IN ('queued', 'retrying') AND (next_attempt_at IS NULL OR next_attempt_at > ?3)",
                0, NULL, at, 0 };

  return td_store_transaction (store, td_outbox_exec_cb, &exec, error);
}

/* The message of the item's last try (mail: the .eml as sent), or NULL. */
GBytes *
td_outbox_dup_last_message (TdStore      *store,
                            TdOutboxItem *item)
{
  sqlite3_stmt *stmt = td_store_prepare (store,
                                         "SELECT message FROM outbox_attempt WHERE outbox_id = ? AND message IS NOT NULL "
                                         "ORDER BY number DESC LIMIT 1",
                                         NULL);
  GBytes *message = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, item->id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    message = g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize)sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);
  return message;
}

guint
td_outbox_count_accepted_attempts (TdStore      *store,
                                   TdOutboxItem *item)
{
  sqlite3_stmt *stmt = td_store_prepare (store,
                                         "SELECT count(*) FROM outbox_attempt WHERE outbox_id = ? AND outcome = 'delivered'",
                                         NULL);
  guint n = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, item->id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = (guint)sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/* The message built once (issue 10). */

/**
 * td_outbox_dup_message:
 * @store: the store, or a reader of it (td_store_open_reader())
 *
 * The mail message built for @item_id on its first try, which every try
 * sends byte for byte, or %NULL when none was built yet.
 */
GBytes *
td_outbox_dup_message (TdStore *store,
                       gint64   item_id)
{
  sqlite3_stmt *stmt = td_store_prepare (store, "SELECT message FROM outbox_message WHERE outbox_id = ?1", NULL);
  GBytes *message = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, item_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    message = g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize)sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);
  return message;
}

typedef struct
{
  gint64  item_id;
  GBytes *message;
  GBytes *kept;
} Keep;

static gboolean
td_outbox_keep_cb (TdStore  *store,
                   gpointer  user_data,
                   GError  **error)
{
  Keep *keep = user_data;
  sqlite3_stmt *stmt = td_store_prepare (store,
                                         "INSERT INTO outbox_message (outbox_id, message) VALUES (?1, ?2) "
                                         "ON CONFLICT DO NOTHING",
                                         error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, keep->item_id);
  sqlite3_bind_blob64 (stmt, 2, g_bytes_get_data (keep->message, NULL), g_bytes_get_size (keep->message),
                       SQLITE_STATIC);
  if (!td_store_step_done (store, stmt, error))
    return FALSE;
  keep->kept = td_outbox_dup_message (store, keep->item_id);
  if (keep->kept == NULL)
    {
      g_set_error_literal (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED, _("This item is no longer in the outbox."));
      return FALSE;
    }
  return TRUE;
}

/**
 * td_outbox_keep_message:
 * @message: the message just built for @item_id
 *
 * Stores @message as the one every try of @item_id sends, unless one is
 * stored already: in one transaction, so two tries never keep two.
 *
 * Returns: (transfer full): the stored message — @message's bytes, or the
 *   ones kept before — or %NULL with @error set
 */
GBytes *
td_outbox_keep_message (TdStore  *store,
                        gint64    item_id,
                        GBytes   *message,
                        GError  **error)
{
  Keep keep = { item_id, message, NULL };

  g_return_val_if_fail (TD_IS_STORE (store), NULL);
  g_return_val_if_fail (message != NULL, NULL);

  if (!td_store_transaction (store, td_outbox_keep_cb, &keep, error))
    {
      g_clear_pointer (&keep.kept, g_bytes_unref);
      return NULL;
    }
  return keep.kept;
}

/* Destinations follow the form (issue 10). */

/* The newest signed revision of @campaign, or NULL (no error) when none. */
static TdRevision *
td_outbox_load_latest_signed (TdStore     *store,
                              TdCampaign  *campaign,
                              GError     **error)
{
  sqlite3_stmt *stmt = td_store_prepare (store,
                                         "SELECT id FROM form_revision WHERE campaign = ?1 AND state <> 'draft' "
                                         "ORDER BY number DESC LIMIT 1",
                                         error);
  gint64 id = 0;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, td_campaign_get_id (campaign), -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id > 0 ? td_revision_load (store, id, error) : NULL;
}

static gboolean
td_outbox_has_item (TdStore       *store,
                    gint64         revision_id,
                    TdDestination  destination,
                    const char    *recipient)
{
  sqlite3_stmt *stmt = td_store_prepare (store,
                                         "SELECT 1 FROM outbox WHERE revision_id = ?1 AND destination = ?2 "
                                         "AND recipient = ?3",
                                         NULL);
  gboolean found;

  if (stmt == NULL)
    return TRUE;    /* unknown: offer nothing */
  sqlite3_bind_int64 (stmt, 1, revision_id);
  sqlite3_bind_text (stmt, 2, td_destination_to_string (destination), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, recipient, -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

/**
 * td_outbox_count_new_destinations:
 * @school_type: the school's type, which decides the department's mailbox
 * @revision_number: (out) (optional): the revision they are for, or 0
 *
 * Counts the destinations the newest signed revision of @campaign should
 * go to now — the department's mailbox for @school_type, the upload
 * endpoint of the settings or the campaign — that are not in the outbox
 * for it: set or changed after it was signed. Each destination once: one
 * queued, delivered, failed or cancelled for it is never offered again.
 *
 * Returns: how many would td_outbox_queue_new_destinations() add
 */
guint
td_outbox_count_new_destinations (TdStore    *store,
                                  TdCampaign *campaign,
                                  const char *school_type,
                                  gint64     *revision_number)
{
  g_autoptr(TdRevision) revision = NULL;
  g_autofree char *endpoint = NULL;
  const TdRecipient *recipient;
  guint n = 0;

  g_return_val_if_fail (TD_IS_STORE (store), 0);
  g_return_val_if_fail (TD_IS_CAMPAIGN (campaign), 0);

  if (revision_number)
    *revision_number = 0;
  revision = td_outbox_load_latest_signed (store, campaign, NULL);
  if (revision == NULL)
    return 0;
  recipient = td_campaign_recipient_for (campaign, school_type ? school_type : "");
  endpoint = td_outbox_dup_upload_endpoint (store, campaign);
  if (recipient && recipient->email && *recipient->email &&
      !td_outbox_has_item (store, td_revision_get_id (revision), TD_DESTINATION_SMTP, recipient->email))
    n++;
  if (endpoint && *endpoint && !td_outbox_has_item (store, td_revision_get_id (revision), TD_DESTINATION_HTTPS, endpoint))
    n++;
  if (revision_number && n > 0)
    *revision_number = td_revision_get_number (revision);
  return n;
}

/**
 * td_outbox_queue_new_destinations:
 *
 * Puts the newest signed revision of @campaign in the outbox for the
 * destinations it is not there for yet (see
 * td_outbox_count_new_destinations()), without signing again. The outbox's
 * UNIQUE (revision, destination, recipient) keeps it from being added
 * twice, so nothing is ever sent twice to the same destination.
 *
 * Returns: how many items were added (0 when none was missing)
 */
guint
td_outbox_queue_new_destinations (TdStore     *store,
                                  TdCampaign  *campaign,
                                  const char  *school_type,
                                  GError     **error)
{
  g_autoptr(TdRevision) revision = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TD_IS_STORE (store), 0);
  g_return_val_if_fail (TD_IS_CAMPAIGN (campaign), 0);

  revision = td_outbox_load_latest_signed (store, campaign, &local_error);
  if (revision == NULL)
    {
      if (local_error)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }
  return td_outbox_queue_revision (store, revision, campaign, school_type ? school_type : "", error);
}
