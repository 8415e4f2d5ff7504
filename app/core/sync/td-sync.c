/* td-sync.c: the outbox, delivered in the background
 *
 * TdSync takes the outbox's due items and sends each in a worker thread —
 * mail with td-mail (libcurl), uploads with td-upload (libsoup) — while the
 * main loop stays free. Each item's state is written before the network is
 * touched and its outcome after (td-outbox.c), so a crash loses nothing.
 *
 * When: as soon as an item is queued or made due ("Send Now"), when its
 * retry time comes (exponential backoff with jitter, bounded), and when the
 * network comes back (GNetworkMonitor). Offline, nothing is tried — unless
 * the destination itself is reachable, as a provincial intranet or this
 * machine's loopback may be without a default route.
 *
 * What failed decides what follows: a lost connection, a time-out or a 5xx
 * retries; refused credentials stop that destination until the user enters
 * new ones; a refusal for good (a 4xx, a rejected recipient, a revision that
 * no longer verifies) waits for the user. One item failing holds no other.
 * An item whose tries keep ending with the app (a crash loop) is parked by
 * the outbox before it is tried again, and waits for the user too.
 *
 * A mail message is built once per item, on its first try, and stored
 * (outbox_message) before it is sent: every retry sends those bytes, its
 * Date header and all (docs/mail.md). The worker builds it; the store's
 * thread keeps it, the worker waiting, so it is in the database before
 * the first byte goes out. Uploads need no such care: their parts are the
 * revision's own stored bytes and their multipart boundary is libsoup's,
 * which no receiver reads as content.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "td-credentials.h"
#include "td-form.h"
#include "td-form-json.h"
#include "td-mail.h"
#include "td-revision.h"
#include "td-school.h"
#include "td-signing-key.h"
#include "td-sync.h"
#include "td-upload.h"

/* Offline, the due items are looked at again this often, in case the
 * network monitor missed the network coming back. */
#define OFFLINE_POLL_SECONDS 60

struct _TdSync
{
  GObject          parent_instance;

  TdStore         *store;
  GNetworkMonitor *monitor;
  gulong           network_changed_id;

  guint            base_ms;
  guint            max_ms;

  gboolean         started;
  gboolean         online;
  guint            pending;

  GHashTable      *in_flight;   /* item id (gint64*) → Flight* */
  gboolean         blocked[TD_DESTINATION_HTTPS + 1];
  guint            pump_id;
  guint            timer_id;
  GPtrArray       *runs;        /* RunDue*: td_sync_run_due_async() waiting */
};

G_DEFINE_FINAL_TYPE (TdSync, td_sync, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_MONITOR,
  PROP_PENDING,
  PROP_ONLINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ITEM_CHANGED,
  ITEM_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One item on its way. */
typedef struct
{
  TdSync        *self;          /* weak: the sync outlives its flights (see dispose) */
  TdOutboxItem  *item;
  GCancellable  *cancellable;
  gboolean       user_cancelled;
  gint64         attempt;
} Flight;

/* What the worker needs, none of it the store's. */
typedef struct
{
  /* Read on the store's thread: the settings, where the revision is. */
  char             *store_path;
  TdStore          *store;          /* touched on the store's thread only */
  GMainContext     *context;        /* the store's thread */
  gint64            item_id;
  gint64            revision_id;
  GBytes           *school_key;
  char             *default_from;   /* NULL: the form's e-mail */

  /* Read by the worker, from its own connection: the revision itself (a
   * PDF may be 20 MB: loading and hashing it is no work for the main loop). */
  TdDestination     destination;
  char             *recipient;
  char             *revision_uuid;
  guint             revision_number;
  char             *signer;
  GDateTime        *signed_at;
  char             *school_name;
  GBytes           *form_json;
  GBytes           *pdf;            /* for mail; an upload reads: */
  GInputStream     *pdf_stream;     /* the PDF, checked as it is sent */
  gint64            pdf_length;
  GBytes           *signature_json;
  GBytes           *stored_message; /* built by an earlier try */

  TdMailSettings   *mail;
  char             *from;
  TdUploadSettings  upload;

  /* Results. */
  char             *receipt;
  GBytes           *message;
} Job;

typedef struct
{
  GTask         *task;
  GHashTable    *ids;           /* the items this run waits for */
  TdSyncSummary  summary;
} RunDue;

static void td_sync_pump (TdSync *self);

static void
td_sync_job_free (Job *job)
{
  g_free (job->store_path);
  g_clear_object (&job->store);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_pointer (&job->stored_message, g_bytes_unref);
  g_clear_pointer (&job->school_key, g_bytes_unref);
  g_free (job->default_from);
  g_free (job->recipient);
  g_free (job->revision_uuid);
  g_free (job->signer);
  g_clear_pointer (&job->signed_at, g_date_time_unref);
  g_free (job->school_name);
  g_clear_pointer (&job->form_json, g_bytes_unref);
  g_clear_pointer (&job->pdf, g_bytes_unref);
  g_clear_object (&job->pdf_stream);
  g_clear_pointer (&job->signature_json, g_bytes_unref);
  g_clear_pointer (&job->mail, td_mail_settings_free);
  g_free (job->from);
  td_upload_settings_clear (&job->upload);
  g_free (job->receipt);
  g_clear_pointer (&job->message, g_bytes_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, td_sync_job_free)

static void
td_sync_flight_free (Flight *flight)
{
  g_clear_object (&flight->item);
  g_clear_object (&flight->cancellable);
  g_free (flight);
}

static void
td_sync_update_pending (TdSync *self)
{
  guint pending = td_outbox_count_pending (self->store);

  if (pending != self->pending)
    {
      self->pending = pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
}

static void
td_sync_set_online (TdSync   *self,
                    gboolean  online)
{
  if (online != self->online)
    {
      self->online = online;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
    }
}

static gboolean
td_sync_pump_cb (gpointer user_data)
{
  TdSync *self = user_data;

  self->pump_id = 0;
  td_sync_pump (self);
  return G_SOURCE_REMOVE;
}

static void
td_sync_schedule_pump (TdSync *self)
{
  if (self->pump_id == 0)
    self->pump_id = g_idle_add_full (G_PRIORITY_DEFAULT, td_sync_pump_cb, g_object_ref (self), g_object_unref);
}

static gboolean
td_sync_timer_cb (gpointer user_data)
{
  TdSync *self = user_data;

  self->timer_id = 0;
  td_sync_pump (self);
  return G_SOURCE_REMOVE;
}

/* The next look at the outbox: when the next item is due, or offline, a
 * slow poll. */
static void
td_sync_schedule_timer (TdSync   *self,
                        gboolean  waiting_for_network)
{
  g_autoptr(GDateTime) next = NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 ms;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (!self->started)
    return;

  if (waiting_for_network)
    {
      self->timer_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, OFFLINE_POLL_SECONDS, td_sync_timer_cb,
                                                   g_object_ref (self), g_object_unref);
      return;
    }

  next = td_outbox_dup_next_due (self->store);
  if (next == NULL)
    return;
  now = g_date_time_new_now_utc ();
  ms = MAX (0, g_date_time_difference (next, now) / 1000);
  ms = MIN (ms, (gint64)self->max_ms + 1000);
  self->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint)ms + 1, td_sync_timer_cb,
                                       g_object_ref (self), g_object_unref);
}

/* Runs waiting for this item hear its outcome. */
static void
td_sync_runs_item_done (TdSync       *self,
                        gint64        id,
                        TdOutboxState state)
{
  for (guint i = 0; i < self->runs->len;)
    {
      RunDue *run = g_ptr_array_index (self->runs, i);

      if (g_hash_table_remove (run->ids, &id))
        {
          if (state == TD_OUTBOX_DELIVERED)
            run->summary.delivered++;
          else if (state == TD_OUTBOX_FAILED)
            run->summary.failed++;
          else
            run->summary.retrying++;
        }
      if (g_hash_table_size (run->ids) == 0)
        {
          g_ptr_array_remove_index (self->runs, i);
          g_task_return_pointer (run->task, g_memdup2 (&run->summary, sizeof run->summary), g_free);
          g_object_unref (run->task);
          g_hash_table_unref (run->ids);
          g_free (run);
          continue;
        }
      i++;
    }
}

static void
td_sync_finished (TdSync       *self,
                  TdOutboxItem *item)
{
  TdOutboxState state = td_outbox_item_get_state (item);

  td_sync_update_pending (self);
  g_signal_emit (self, signals[ITEM_CHANGED], 0, td_outbox_item_get_id (item));
  if (state == TD_OUTBOX_DELIVERED || state == TD_OUTBOX_FAILED)
    g_signal_emit (self, signals[ITEM_FINISHED], 0, item);
  td_sync_runs_item_done (self, td_outbox_item_get_id (item), state);
}

/* The delay before the next try after @attempts tries: doubling, bounded,
 * with jitter. */
static GDateTime *
td_sync_next_attempt (TdSync    *self,
                      guint      attempts,
                      GDateTime *now)
{
  double delay = self->base_ms;

  for (guint i = 1; i < attempts && delay < self->max_ms; i++)
    delay *= 2;
  delay = MIN (delay, (double)self->max_ms) * g_random_double_range (0.5, 1.0);
  return g_date_time_add (now, (GTimeSpan)(delay * 1000));
}

/* What an error means for the item: NULL to retry, or why it waits for the
 * user. */
static const char *
td_sync_classify (const GError *error,
                  gboolean     *stops_destination)
{
  *stops_destination = FALSE;
  if (error->domain == TD_MAIL_ERROR)
    switch (error->code)
      {
      case TD_MAIL_ERROR_AUTH:
        *stops_destination = TRUE;
        return TD_OUTBOX_CODE_AUTH;
      case TD_MAIL_ERROR_TLS:
        *stops_destination = TRUE;
        return TD_OUTBOX_CODE_TLS;
      case TD_MAIL_ERROR_INVALID:
        return TD_OUTBOX_CODE_SETTINGS;
      case TD_MAIL_ERROR_REFUSED:
        return TD_OUTBOX_CODE_REFUSED;
      default:
        return NULL;
      }
  if (error->domain == TD_UPLOAD_ERROR)
    switch (error->code)
      {
      case TD_UPLOAD_ERROR_AUTH:
        *stops_destination = TRUE;
        return TD_OUTBOX_CODE_AUTH;
      case TD_UPLOAD_ERROR_TLS:
        *stops_destination = TRUE;
        return TD_OUTBOX_CODE_TLS;
      case TD_UPLOAD_ERROR_INVALID:
        return TD_OUTBOX_CODE_SETTINGS;
      case TD_UPLOAD_ERROR_CONFLICT:
      case TD_UPLOAD_ERROR_REFUSED:
        return TD_OUTBOX_CODE_REFUSED;
      default:
        return NULL;
      }
  if (error->domain == TD_CREDENTIALS_ERROR)
    {
      *stops_destination = TRUE;
      return TD_OUTBOX_CODE_AUTH;
    }
  /* The revision no longer verifies, or is gone: never sent as it is. */
  if (error->domain == TD_SIGNOFF_ERROR || error->domain == TD_STORE_ERROR)
    return TD_OUTBOX_CODE_VERIFICATION;
  return NULL;
}

static void
td_sync_record_outcome (TdSync  *self,
                        Flight  *flight,
                        Job     *job,
                        GError  *error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) store_error = NULL;
  TdOutboxItem *item = flight->item;
  gboolean ok;

  if (error == NULL)
    ok = td_outbox_record_delivered (self->store, item, flight->attempt, job->receipt, job->message, now,
                                     &store_error);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (flight->user_cancelled)
        ok = td_outbox_record_failed (self->store, item, flight->attempt, TD_OUTBOX_CODE_CANCELLED,
                                      _("Cancelled while sending."), job ? job->message : NULL, now, &store_error);
      else            /* stopped: due again at the next start */
        ok = td_outbox_record_retry (self->store, item, flight->attempt,
                                     _("Interrupted: Training Desk stopped while sending."),
                                     job ? job->message : NULL, now, now, &store_error);
    }
  else
    {
      gboolean stops;
      const char *code = td_sync_classify (error, &stops);

      if (code)
        {
          ok = td_outbox_record_failed (self->store, item, flight->attempt, code, error->message,
                                        job ? job->message : NULL, now, &store_error);
          if (stops)
            self->blocked[td_outbox_item_get_destination (item)] = TRUE;
        }
      else
        {
          g_autoptr(GDateTime) next = td_sync_next_attempt (self, td_outbox_item_get_attempts (item), now);

          ok = td_outbox_record_retry (self->store, item, flight->attempt, error->message,
                                       job ? job->message : NULL, now, next, &store_error);
        }
    }

  if (!ok)
    g_warning ("Could not record what became of outbox item %" G_GINT64_FORMAT ": %s",
               td_outbox_item_get_id (item), store_error->message);
  /* The state as the database has it now (a cancel may have won). */
  {
    g_autoptr(TdOutboxItem) fresh = td_outbox_load (self->store, td_outbox_item_get_id (item), NULL);

    td_sync_finished (self, fresh ? fresh : item);
  }
}

/* The worker. */

/* The revision, from a connection of the worker's own, checked again before
 * anything is sent (docs/signing.md). For an upload, the PDF is left in
 * the database and checked as it is read and sent: its last piece is not
 * sent if it does not match (td-revision-pdf-stream.c). A message is
 * built whole, and kept, so it has the PDF read and checked first. */
static gboolean
td_sync_load_revision (Job     *job,
                       GError **error)
{
  g_autoptr(TdStore) reader = NULL;
  g_autoptr(TdRevision) revision = NULL;
  g_autoptr(TdForm) form = NULL;
  g_autoptr(GError) verify_error = NULL;
  g_autofree char *signature = NULL;
  gsize length;

  if (!(reader = td_store_open_reader (job->store_path, error)))
    return FALSE;
  revision = job->destination == TD_DESTINATION_SMTP ? td_revision_load (reader, job->revision_id, error)
                                                     : td_revision_load_for_sending (reader, job->revision_id, error);
  if (revision == NULL)
    return FALSE;

  if (!td_revision_verify (revision, job->school_key, &verify_error))
    {
      g_set_error_literal (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_VERIFICATION, verify_error->message);
      return FALSE;
    }
  if (!(form = td_revision_dup_form (revision, error)))
    return FALSE;

  job->revision_uuid = g_strdup (td_revision_get_uuid (revision));
  job->revision_number = (guint)td_revision_get_number (revision);
  job->signer = g_strdup (td_revision_get_signer (revision));
  job->signed_at = g_date_time_ref (td_revision_get_signed_at (revision));
  job->school_name = g_strdup (td_form_get (form, TD_FORM_NAME));
  job->form_json = g_bytes_ref (td_revision_get_form_json (revision));
  if (job->destination == TD_DESTINATION_SMTP)
    job->pdf = g_bytes_ref (td_revision_get_pdf (revision));
  else
    {
      job->pdf_stream = td_revision_open_pdf (revision, reader, error);
      if (job->pdf_stream == NULL)
        return FALSE;
      job->pdf_length = td_revision_pdf_stream_get_size (TD_REVISION_PDF_STREAM (job->pdf_stream));
    }
  signature = td_revision_dup_signature_json (revision, &length);
  job->signature_json = g_bytes_new_take (g_steal_pointer (&signature), length);
  if (job->destination == TD_DESTINATION_SMTP)
    job->stored_message = td_outbox_dup_message (reader, job->item_id);

  if (job->destination == TD_DESTINATION_SMTP)
    {
      job->from = g_strdup (job->default_from ? job->default_from : td_form_get (form, TD_FORM_EMAIL));
      if (job->from == NULL || *job->from == '\0')
        {
          g_set_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID,
                       _("The school’s mailbox has no address to send from. Enter it in Preferences."));
          return FALSE;
        }
    }
  return TRUE;
}

/* The worker asks the store's thread to keep a message it built, and waits. */
typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean done;
  Job     *job;
  GBytes  *built;
  GBytes  *kept;
  GError  *error;
} TdSyncKeep;

static gboolean
td_sync_keep_message_cb (gpointer user_data)
{
  TdSyncKeep *keep = user_data;
  GBytes *kept;
  GError *error = NULL;

  kept = td_outbox_keep_message (keep->job->store, keep->job->item_id, keep->built, &error);
  g_mutex_lock (&keep->mutex);
  keep->kept = kept;
  keep->error = error;
  keep->done = TRUE;
  g_cond_signal (&keep->cond);
  g_mutex_unlock (&keep->mutex);
  return G_SOURCE_REMOVE;
}

/* The item's message: the one stored by an earlier try, or built now and
 * stored before it is sent (in one transaction; should two tries race, the
 * first stored wins and both send it). */
static GBytes *
td_sync_load_or_build_message (Job                    *job,
                               const TdMailSubmission *submission,
                               GError                **error)
{
  TdSyncKeep keep = { .job = job };

  if (job->stored_message)
    return g_bytes_ref (job->stored_message);

  keep.built = td_mail_build_message (submission, error);
  if (keep.built == NULL)
    return NULL;

  g_mutex_init (&keep.mutex);
  g_cond_init (&keep.cond);
  g_main_context_invoke (job->context, td_sync_keep_message_cb, &keep);
  g_mutex_lock (&keep.mutex);
  while (!keep.done)
    g_cond_wait (&keep.cond, &keep.mutex);
  g_mutex_unlock (&keep.mutex);
  g_mutex_clear (&keep.mutex);
  g_cond_clear (&keep.cond);
  g_bytes_unref (keep.built);

  if (keep.kept == NULL)
    g_propagate_error (error, keep.error);
  return keep.kept;
}

/* What the worker waits for before a request goes out, each on a thread
 * of its own: the password or token, asked of the keyring (over D-Bus:
 * tens of ms), and for an upload the revision read and checked. The worker
 * meanwhile makes the upload's connection, in a context each wakes when
 * done (issue 17). */
typedef struct
{
  GMainContext *wake;           /* woken when done, if not NULL */
  gint          done;           /* atomic */
} TdSyncWaited;

static void
td_sync_waited_done (TdSyncWaited *waited)
{
  g_atomic_int_set (&waited->done, TRUE);
  if (waited->wake)
    g_main_context_wakeup (waited->wake);
}

typedef struct
{
  TdSyncWaited      waited;
  TdCredentialKind  kind;
  const char       *server;
  const char       *user;
  GCancellable     *cancellable;
  char             *secret;
  GError           *error;
} TdSyncLookup;

typedef struct
{
  TdSyncWaited  waited;
  Job          *job;
  gboolean      loaded;
  GError       *error;
} TdSyncCheck;

static gpointer
td_sync_lookup_thread (gpointer data)
{
  TdSyncLookup *lookup = data;

  lookup->secret = td_credentials_lookup (lookup->kind, lookup->server, lookup->user, lookup->cancellable,
                                          &lookup->error);
  td_sync_waited_done (&lookup->waited);
  return NULL;
}

static gpointer
td_sync_check_thread (gpointer data)
{
  TdSyncCheck *check = data;

  check->loaded = td_sync_load_revision (check->job, &check->error);
  td_sync_waited_done (&check->waited);
  return NULL;
}

static void
td_sync_send_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  char *secret = NULL;
  TdSyncLookup lookup = { .cancellable = cancellable };
  TdSyncCheck check = { .job = job };
  GThread *looking_up = NULL;
  g_autoptr(GMainContext) context = NULL;
  TdUploadConnection *connection = NULL;
  GError *connection_error = NULL;

  if (job->destination != TD_DESTINATION_SMTP)
    {
      lookup.kind = TD_CREDENTIAL_HTTPS;
      lookup.server = job->upload.endpoint;
      lookup.user = "";
      context = g_main_context_new ();
      g_main_context_push_thread_default (context);
      lookup.waited.wake = check.waited.wake = context;
    }
  else if (job->mail->username && *job->mail->username)
    {
      lookup.kind = TD_CREDENTIAL_SMTP;
      lookup.server = job->mail->host;
      lookup.user = job->mail->username;
    }
  if (lookup.server != NULL)
    looking_up = g_thread_new ("td-sync-keyring", td_sync_lookup_thread, &lookup);

  if (context != NULL)
    {
      GThread *checking = g_thread_new ("td-sync-check", td_sync_check_thread, &check);

      /* Only the connection: the request waits for the token and the check. */
      connection = td_upload_connection_new (&job->upload, cancellable, &connection_error);
      while (!g_atomic_int_get (&check.waited.done) || (looking_up && !g_atomic_int_get (&lookup.waited.done)) ||
             (connection && !td_upload_connection_is_settled (connection)))
        g_main_context_iteration (context, TRUE);
      g_thread_join (checking);
    }
  else
    td_sync_check_thread (&check);
  if (looking_up)
    {
      g_thread_join (looking_up);
      secret = g_steal_pointer (&lookup.secret);
    }

  if (!check.loaded)
    error = g_steal_pointer (&check.error);
  else if (job->destination == TD_DESTINATION_SMTP)
    {
      /* The key the revision was just verified with (td_sync_load_revision). */
      g_autofree char *fingerprint = td_signing_key_fingerprint (job->school_key);
      TdMailSubmission submission = {
        .school_name = job->school_name,
        .from = job->from,
        .recipient = job->recipient,
        .revision_uuid = job->revision_uuid,
        .revision_number = job->revision_number,
        .signer = job->signer,
        .signed_at = job->signed_at,
        .pdf = job->pdf,
        .json = job->form_json,
        .signature = job->signature_json,
        .fingerprint = fingerprint,
      };

      if (job->mail->username && *job->mail->username)
        {
          error = g_steal_pointer (&lookup.error);
          if (secret == NULL && error == NULL)
            g_set_error (&error, TD_CREDENTIALS_ERROR, TD_CREDENTIALS_ERROR_INVALID,
                         _("No password or authorisation code is saved for the mailbox %s. Enter it in Preferences."),
                         job->mail->username);
        }
      if (error == NULL)
        job->message = td_sync_load_or_build_message (job, &submission, &error);
      if (error == NULL)
        job->receipt = td_mail_send (job->mail, secret, job->from, job->recipient, job->message,
                                     cancellable, &error);
    }
  else
    {
      TdUploadSubmission submission = {
        .revision_uuid = job->revision_uuid,
        .form_json = job->form_json,
        .pdf_stream = job->pdf_stream,
        .pdf_length = job->pdf_length,
        .signature_json = job->signature_json,
      };

      error = g_steal_pointer (&lookup.error);
      if (secret == NULL && error == NULL)
        g_set_error (&error, TD_CREDENTIALS_ERROR, TD_CREDENTIALS_ERROR_INVALID,
                     _("No token is saved for the upload endpoint %s. Enter the token the province gave the school in Preferences."),
                     job->upload.endpoint);
      if (error == NULL && connection_error != NULL)
        error = g_steal_pointer (&connection_error);
      if (error == NULL)
        job->receipt = td_upload_connection_send (connection, secret, &submission, cancellable, &error);
    }

  g_clear_error (&lookup.error);
  g_clear_error (&connection_error);
  td_upload_connection_free (connection);
  if (context)
    g_main_context_pop_thread_default (context);
  if (secret)
    td_credentials_secret_free (secret);
  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
td_sync_send_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Flight *flight = user_data;
  TdSync *self = flight->self;
  g_autoptr(GError) error = NULL;
  gint64 id = td_outbox_item_get_id (flight->item);

  g_task_propagate_boolean (G_TASK (result), &error);
  td_sync_record_outcome (self, flight, g_task_get_task_data (G_TASK (result)), error);
  g_hash_table_remove (self->in_flight, &id);
  td_sync_schedule_pump (self);
  g_object_unref (self);
}

/* What the worker needs from the store's thread — the settings, where the
 * revision is —; %NULL and the reason (which waits for the user) when the
 * destination is not set up. */
static Job *
td_sync_prepare_job (TdSync        *self,
                     TdOutboxItem  *item,
                     GError       **error)
{
  g_autoptr(Job) job = g_new0 (Job, 1);
  g_autofree char *timeout = td_store_dup_setting (self->store, TD_SETTING_TIMEOUT);

  job->store_path = g_strdup (td_store_get_path (self->store));
  job->store = g_object_ref (self->store);
  job->context = g_main_context_ref_thread_default ();
  job->item_id = td_outbox_item_get_id (item);
  job->revision_id = td_outbox_item_get_revision_id (item);
  job->school_key = td_signing_key_exists (self->store) ? td_signing_key_dup_public_key (self->store, NULL) : NULL;
  job->destination = td_outbox_item_get_destination (item);
  job->recipient = g_strdup (td_outbox_item_get_recipient (item));

  if (job->destination == TD_DESTINATION_SMTP)
    {
      g_autofree char *host = td_store_dup_setting (self->store, TD_SETTING_SMTP_HOST);
      g_autofree char *port = td_store_dup_setting (self->store, TD_SETTING_SMTP_PORT);
      g_autofree char *security = td_store_dup_setting (self->store, TD_SETTING_SMTP_SECURITY);
      g_autofree char *username = td_store_dup_setting (self->store, TD_SETTING_SMTP_USERNAME);
      g_autofree char *from = td_store_dup_setting (self->store, TD_SETTING_SMTP_FROM);

      if (host == NULL || *host == '\0')
        {
          g_set_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID,
                       _("The school’s mailbox is not set up. Enter its SMTP server and account in Preferences."));
          return NULL;
        }
      job->mail = td_mail_settings_new (host, port ? (guint16)g_ascii_strtoull (port, NULL, 10) : 0,
                                        g_strcmp0 (security, "starttls") == 0 ? TD_MAIL_SECURITY_STARTTLS
                                                                              : TD_MAIL_SECURITY_IMPLICIT_TLS,
                                        username);
      job->mail->ca_file = td_store_dup_setting (self->store, TD_SETTING_SMTP_CA_FILE);
      job->mail->timeout_seconds = timeout ? (guint)g_ascii_strtoull (timeout, NULL, 10) : 0;
      job->default_from = from && *from ? g_steal_pointer (&from) : NULL;
    }
  else
    {
      job->upload.endpoint = g_strdup (td_outbox_item_get_recipient (item));
      job->upload.ca_file = td_store_dup_setting (self->store, TD_SETTING_HTTPS_CA_FILE);
      job->upload.timeout_seconds = timeout ? (guint)g_ascii_strtoull (timeout, NULL, 10) : 0;
    }
  return g_steal_pointer (&job);
}

static void
td_sync_launch (TdSync *self,
                Flight *flight)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTask) task = NULL;
  Job *job;

  job = td_sync_prepare_job (self, flight->item, &error);

  /* Written before any network I/O. */
  flight->attempt = td_outbox_begin_attempt (self->store, flight->item, now, job ? &error : NULL);
  if (flight->attempt == 0 && td_outbox_item_get_state (flight->item) == TD_OUTBOX_FAILED)
    {
      gint64 id = td_outbox_item_get_id (flight->item);

      /* Parked: the app stopped while sending it too often (td-outbox.c). */
      g_clear_pointer (&job, td_sync_job_free);
      td_sync_finished (self, flight->item);
      g_hash_table_remove (self->in_flight, &id);
      return;
    }
  if (flight->attempt == 0)
    {
      gint64 id = td_outbox_item_get_id (flight->item);

      if (job)
        g_warning ("Could not start sending outbox item %" G_GINT64_FORMAT ": %s", id, error->message);
      g_clear_pointer (&job, td_sync_job_free);
      g_hash_table_remove (self->in_flight, &id);
      td_sync_update_pending (self);
      return;
    }
  g_signal_emit (self, signals[ITEM_CHANGED], 0, td_outbox_item_get_id (flight->item));

  if (job == NULL)
    {
      gint64 id = td_outbox_item_get_id (flight->item);

      td_sync_record_outcome (self, flight, NULL, error);
      g_hash_table_remove (self->in_flight, &id);
      return;
    }

  task = g_task_new (NULL, flight->cancellable, td_sync_send_cb, flight);
  g_task_set_source_tag (task, td_sync_launch);
  g_task_set_task_data (task, job, (GDestroyNotify)td_sync_job_free);
  g_object_ref (self);          /* for td_sync_send_cb */
  g_task_run_in_thread (task, td_sync_send_thread);
}

/* Offline, a destination may still be reachable (an intranet, loopback). */
static GSocketConnectable *
td_sync_destination_address (TdSync       *self,
                             TdOutboxItem *item)
{
  if (td_outbox_item_get_destination (item) == TD_DESTINATION_HTTPS)
    return g_network_address_parse_uri (td_outbox_item_get_recipient (item), 443, NULL);
  else
    {
      g_autofree char *host = td_store_dup_setting (self->store, TD_SETTING_SMTP_HOST);
      g_autofree char *port = td_store_dup_setting (self->store, TD_SETTING_SMTP_PORT);

      if (host == NULL || *host == '\0')
        return NULL;
      return g_network_address_new (host, port ? (guint16)g_ascii_strtoull (port, NULL, 10) : 465);
    }
}

static void
td_sync_can_reach_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Flight *flight = user_data;
  TdSync *self = flight->self;
  gboolean reachable = g_network_monitor_can_reach_finish (G_NETWORK_MONITOR (source), result, NULL);
  gint64 id = td_outbox_item_get_id (flight->item);

  if (reachable && !g_cancellable_is_cancelled (flight->cancellable))
    td_sync_launch (self, flight);
  else
    {
      /* Not tried: nothing is written; it waits for the network. */
      td_sync_runs_item_done (self, id, td_outbox_item_get_state (flight->item) == TD_OUTBOX_FAILED
                                  ? TD_OUTBOX_RETRYING : td_outbox_item_get_state (flight->item));
      g_hash_table_remove (self->in_flight, &id);
      td_sync_schedule_timer (self, TRUE);
    }
  g_object_unref (self);
}

static void
td_sync_start_item (TdSync       *self,
                    TdOutboxItem *item)
{
  Flight *flight = g_new0 (Flight, 1);
  gint64 *key = g_new (gint64, 1);
  g_autoptr(GSocketConnectable) address = NULL;

  flight->self = self;
  flight->item = g_object_ref (item);
  flight->cancellable = g_cancellable_new ();
  *key = td_outbox_item_get_id (item);
  g_hash_table_insert (self->in_flight, key, flight);

  if (self->online || (address = td_sync_destination_address (self, item)) == NULL)
    {
      td_sync_launch (self, flight);
      return;
    }
  g_object_ref (self);
  g_network_monitor_can_reach_async (self->monitor, address, flight->cancellable, td_sync_can_reach_cb, flight);
}

/* Starts what is due, as many at a time as allowed. */
static void
td_sync_pump (TdSync *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) due = td_outbox_list_due (self->store, now, NULL);
  gboolean waiting = FALSE;

  for (guint i = 0; due && i < due->len; i++)
    {
      TdOutboxItem *item = g_ptr_array_index (due, i);
      gint64 id = td_outbox_item_get_id (item);

      if (g_hash_table_contains (self->in_flight, &id))
        continue;
      if (self->blocked[td_outbox_item_get_destination (item)])
        {
          td_sync_runs_item_done (self, id, TD_OUTBOX_RETRYING);
          continue;
        }
      if (g_hash_table_size (self->in_flight) >= TD_SYNC_MAX_IN_FLIGHT)
        {
          waiting = TRUE;     /* the next td_sync_pump comes when one lands */
          break;
        }
      td_sync_start_item (self, item);
    }

  td_sync_update_pending (self);
  if (!waiting)
    td_sync_schedule_timer (self, FALSE);
}

static void
td_sync_network_changed_cb (GNetworkMonitor *monitor,
                            gboolean         available,
                            TdSync          *self)
{
  gboolean was_online = self->online;

  td_sync_set_online (self, available);
  if (available && !was_online)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      /* Back online: what waited to retry goes now. */
      g_debug ("The network is back: sending what waits");
      td_outbox_make_all_due (self->store, now, NULL);
      td_sync_schedule_pump (self);
    }
}

static void
td_sync_dispose (GObject *object)
{
  TdSync *self = TD_SYNC (object);

  td_sync_stop (self);
  g_clear_signal_handler (&self->network_changed_id, self->monitor);
  g_clear_handle_id (&self->pump_id, g_source_remove);
  g_clear_handle_id (&self->timer_id, g_source_remove);

  G_OBJECT_CLASS (td_sync_parent_class)->dispose (object);
}

static void
td_sync_finalize (GObject *object)
{
  TdSync *self = TD_SYNC (object);

  g_clear_object (&self->store);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->in_flight, g_hash_table_unref);
  g_clear_pointer (&self->runs, g_ptr_array_unref);

  G_OBJECT_CLASS (td_sync_parent_class)->finalize (object);
}

static void
td_sync_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  TdSync *self = TD_SYNC (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_sync_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  TdSync *self = TD_SYNC (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_MONITOR:
      self->monitor = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_sync_constructed (GObject *object)
{
  TdSync *self = TD_SYNC (object);

  G_OBJECT_CLASS (td_sync_parent_class)->constructed (object);

  if (self->monitor == NULL)
    self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->online = g_network_monitor_get_network_available (self->monitor);
  self->pending = td_outbox_count_pending (self->store);
  self->network_changed_id = g_signal_connect (self->monitor, "network-changed",
                                               G_CALLBACK (td_sync_network_changed_cb), self);
}

static void
td_sync_class_init (TdSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = td_sync_constructed;
  object_class->dispose = td_sync_dispose;
  object_class->finalize = td_sync_finalize;
  object_class->get_property = td_sync_get_property;
  object_class->set_property = td_sync_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL, G_TYPE_NETWORK_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Items queued, sending or waiting to retry. */
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* An item's state changed (its id). */
  signals[ITEM_CHANGED] =
    g_signal_new ("item-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
  /* An item was delivered, or needs the user: worth a notification. */
  signals[ITEM_FINISHED] =
    g_signal_new ("item-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TD_TYPE_OUTBOX_ITEM);
}

static void
td_sync_init (TdSync *self)
{
  self->base_ms = TD_SYNC_RETRY_BASE_MS;
  self->max_ms = TD_SYNC_RETRY_MAX_MS;
  self->in_flight = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)td_sync_flight_free);
  self->runs = g_ptr_array_new ();
}

/**
 * td_sync_new:
 * @monitor: (nullable): the network monitor; the system's when %NULL
 */
TdSync *
td_sync_new (TdStore         *store,
             GNetworkMonitor *monitor)
{
  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  return g_object_new (TD_TYPE_SYNC, "store", store, "monitor", monitor, NULL);
}

void
td_sync_set_retry_delays (TdSync *self,
                          guint   base_ms,
                          guint   max_ms)
{
  g_return_if_fail (TD_IS_SYNC (self));
  g_return_if_fail (base_ms > 0 && max_ms >= base_ms);

  self->base_ms = base_ms;
  self->max_ms = max_ms;
}

/**
 * td_sync_start:
 *
 * Delivers the outbox in the background from now on: what is due at once,
 * the rest when its time comes or the network comes back.
 */
void
td_sync_start (TdSync *self)
{
  g_return_if_fail (TD_IS_SYNC (self));

  if (self->started)
    return;
  self->started = TRUE;
  td_sync_schedule_pump (self);
}

/**
 * td_sync_stop:
 *
 * Stops sending: transfers under way are cut off and their items are due
 * again at the next start.
 */
void
td_sync_stop (TdSync *self)
{
  GHashTableIter iter;
  Flight *flight;

  g_return_if_fail (TD_IS_SYNC (self));

  self->started = FALSE;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->pump_id, g_source_remove);
  g_hash_table_iter_init (&iter, self->in_flight);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&flight))
    g_cancellable_cancel (flight->cancellable);
}

/* Something became due (queued, "Send Now"): look now. */
void
td_sync_kick (TdSync *self)
{
  g_return_if_fail (TD_IS_SYNC (self));

  td_sync_update_pending (self);
  if (self->started)
    td_sync_schedule_pump (self);
}

guint
td_sync_get_pending (TdSync *self)
{
  g_return_val_if_fail (TD_IS_SYNC (self), 0);
  return self->pending;
}

gboolean
td_sync_get_online (TdSync *self)
{
  g_return_val_if_fail (TD_IS_SYNC (self), FALSE);
  return self->online;
}

gboolean
td_sync_is_sending (TdSync *self,
                    gint64  item_id)
{
  return g_hash_table_contains (self->in_flight, &item_id);
}

gboolean
td_sync_send_now (TdSync        *self,
                  TdOutboxItem  *item,
                  GError       **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (!td_outbox_send_now (self->store, item, now, error))
    return FALSE;
  /* The user asks: the destination is tried again even if it stopped. */
  self->blocked[td_outbox_item_get_destination (item)] = FALSE;
  g_signal_emit (self, signals[ITEM_CHANGED], 0, td_outbox_item_get_id (item));
  td_sync_kick (self);
  return TRUE;
}

gboolean
td_sync_cancel (TdSync        *self,
                TdOutboxItem  *item,
                GError       **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 id = td_outbox_item_get_id (item);
  Flight *flight = g_hash_table_lookup (self->in_flight, &id);

  if (!td_outbox_cancel (self->store, item, now, error))
    return FALSE;
  if (flight)
    {
      flight->user_cancelled = TRUE;
      g_cancellable_cancel (flight->cancellable);
    }
  else
    td_sync_runs_item_done (self, id, TD_OUTBOX_FAILED);
  td_sync_update_pending (self);
  g_signal_emit (self, signals[ITEM_CHANGED], 0, id);
  return TRUE;
}

/**
 * td_sync_credentials_changed:
 *
 * The user entered new credentials or settings for @destination: its
 * items that stopped for them are tried again.
 */
gboolean
td_sync_credentials_changed (TdSync         *self,
                             TdDestination   destination,
                             GError        **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  self->blocked[destination] = FALSE;
  if (!td_outbox_retry_destination (self->store, destination, now, error))
    return FALSE;
  td_sync_kick (self);
  return TRUE;
}

/**
 * td_sync_run_due_async:
 *
 * Sends what is due now, once each — what `training-desk --sync` does —
 * and completes when every one of them was delivered, failed, or is left
 * waiting for a retry.
 */
void
td_sync_run_due_async (TdSync              *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) due = td_outbox_list_due (self->store, now, &error);
  RunDue *run;

  run = g_new0 (RunDue, 1);
  run->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (run->task, td_sync_run_due_async);
  if (due == NULL)
    {
      g_task_return_error (run->task, g_steal_pointer (&error));
      g_object_unref (run->task);
      g_free (run);
      return;
    }
  if (due->len == 0)
    {
      g_task_return_pointer (run->task, g_new0 (TdSyncSummary, 1), g_free);
      g_object_unref (run->task);
      g_free (run);
      return;
    }

  run->ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < due->len; i++)
    {
      gint64 *id = g_new (gint64, 1);

      *id = td_outbox_item_get_id (g_ptr_array_index (due, i));
      g_hash_table_add (run->ids, id);
    }
  g_ptr_array_add (self->runs, run);
  td_sync_schedule_pump (self);
}

gboolean
td_sync_run_due_finish (TdSync         *self,
                        GAsyncResult   *result,
                        TdSyncSummary  *summary,
                        GError        **error)
{
  g_autofree TdSyncSummary *got = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  got = g_task_propagate_pointer (G_TASK (result), error);
  if (got == NULL)
    return FALSE;
  if (summary)
    *summary = *got;
  return TRUE;
}
