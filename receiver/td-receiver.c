/* td-receiver.c: the upload endpoint (docs/upload-protocol.md)
 *
 * A SoupServer on the main loop; connections are accepted, limited and
 * timed by td-connections.c. What can be decided from the headers — the
 * framing (Content-Length and Transfer-Encoding together, or two lengths:
 * 400 and closed), the school's token, a Content-Length over the limit or
 * over what the school's quota leaves — is decided before the body is
 * read, in the early handler.
 *
 * No large body is kept in memory: 24 parallel 30 MiB uploads held 612 MB
 * and kept 426 MB (issue 12). A submission's body goes chunk by chunk, as
 * it arrives, to a file in the database's folder, unlinked as soon as it
 * is made (nothing is left behind, even after a crash), and is checked
 * against the limits as it grows. Only a small body (a Content-Length of
 * at most HOLD_MAX) is held in memory instead, while all the bodies held
 * stay within HOLD_BUDGET: writing, mapping and unmapping a file for each
 * was a third of the receiver's time under 64 clients (issue 17). Past a limit, or once a request is
 * refused, what still comes is read and thrown away (so that a client
 * which did not wait for "100 Continue" can read the answer), and past
 * twice the limit the connection is closed.
 *
 * A submission is read (the file mapped), parsed and verified by one of
 * a few worker threads (as many as processors, 2 to 8) while its message
 * is paused; more wait their turn, their bodies on disk, so memory stays
 * bounded whatever the number of uploads. Each worker has a database
 * connection of its own, to read (a revision stored already is compared,
 * not verified again). What is to be stored goes to one writer thread,
 * the only one to write, which takes every submission waiting (up to
 * STORE_BATCH of them) and stores them in
 * one transaction, each in a savepoint (td_receiver_db_store_batch()):
 * one fsync for several (group commit: at 64 clients one commit a
 * submission was the bottleneck, issue 17). None is answered before its
 * commit returns; one refused in a batch (a key that is not the school's)
 * is undone alone; a batch whose transaction fails is stored again one
 * by one. Checkpoints (the log copied into the database) are made by a
 * thread of their own, not in the writer's commits. What the writer has (waiting and being stored) is bounded
 * (STORE_QUEUE items, STORE_QUEUE_BYTES of bodies, or one): workers wait
 * when it is full, so that the mapped bodies stay bounded too (24
 * parallel 30 MiB uploads). Answers are given on the main loop.
 * The main loop's own database connection only reads (tokens, receipts,
 * a school's stored bytes); in WAL mode it never waits for the writer.
 * Every log line goes through td_receiver_log(), which escapes what a
 * client sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-receiver"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <unistd.h>

#include "td-answer.h"
#include "td-connections.h"
#include "td-intake.h"
#include "td-receiver-db.h"
#include "td-receiver-log.h"
#include "td-receiver.h"
#include "td-submission.h"
#include "td-web-site.h"
#include "td-web.h"

#define REALM "training-desk-receiver"

/* Submissions read and verified at once: as many as processors, within
 * these; the rest wait, on disk. */
#define MIN_WORKERS 2
#define MAX_WORKERS 8

/* A group commit: at most this many submissions. */
#define STORE_BATCH 64

/* Verified submissions handed to the writer and not yet answered, at
 * most: this many, and this many bytes of (mapped) bodies, or one
 * whatever its size. */
#define STORE_QUEUE 128
#define STORE_QUEUE_BYTES (32 * 1024 * 1024)

/* A body of at most this many bytes is held in memory, as long as all
 * those held are within HOLD_BUDGET; the others go to a file. */
#define HOLD_MAX (512 * 1024)
#define HOLD_BUDGET (32 * 1024 * 1024)

/* The bytes of the bodies held in memory now (reserved from their
 * Content-Length; released when the submission is done with). */
static gssize held_total;

static gboolean
td_receiver_hold_reserve (gsize length)
{
  if ((gsize)g_atomic_pointer_add (&held_total, (gssize)length) + length <= HOLD_BUDGET)
    return TRUE;
  g_atomic_pointer_add (&held_total, -(gssize)length);
  return FALSE;
}

static void
td_receiver_hold_release (gsize length)
{
  g_atomic_pointer_add (&held_total, -(gssize)length);
}

/* Room for the multipart framing around the three parts: a Content-Length
 * over what the quota leaves by more than this is refused from the headers. */
#define QUOTA_SLACK (64 * 1024)

struct _TdReceiver
{
  GObject            parent_instance;

  TdReceiverOptions  options;
  char              *database;
  char              *address;
  gint64             max_body;

  TdWebSite         *site;       /* /catalogue and /desk */
  TdReceiverDb      *reader;     /* the main loop's */
  TdReceiverDb      *writer;     /* the writer thread's */
  GAsyncQueue       *readers;    /* TdReceiverDb: the workers', one each */
  guint              n_workers;
  SoupServer        *server;
  TdConnections     *connections;
  GTlsCertificate   *certificate;
  GThreadPool       *workers;
  GThread           *writer_thread;
  GThread           *checkpoint_thread;
  TdReceiverDb      *checkpointer; /* the checkpoint thread's */
  GMutex             checkpoint_lock; /* the two below */
  GCond              checkpoint_cond;
  gboolean           checkpoint_due;
  gboolean           checkpoint_stopping;
  GMutex             store_lock; /* the four below */
  GCond              store_cond;
  GQueue             store_queue; /* Job, verified, to be stored */
  guint              store_jobs;  /* handed to the writer, not finished */
  gsize              store_bytes; /* their bodies' bytes */
  guint              gather;      /* for tests: the first commit waits for this many */
  gboolean           stopping;
  GMainContext      *context;
  char              *spool_dir;  /* where bodies are written as they come */
  guint              in_flight;  /* submissions between pause and answer */
  guint              fail_left;
  guint              drop_left;
};

G_DEFINE_FINAL_TYPE (TdReceiver, td_receiver, G_TYPE_OBJECT)

/* What the receiver knows of one request, attached to its message. */
typedef struct
{
  goffset   received;     /* body bytes so far */
  gboolean  refused;      /* answered: the rest of the body is thrown away */
  gboolean  finished;     /* the message is done with, answered or not */
  gboolean  cut;          /* its connection was taken and closed */
  TdAnswer *refusal;
  gint64    school_id;
  char     *school;
  int       fd;           /* the body so far (unlinked), or -1 */
  GByteArray *held;       /* or the body so far, in memory */
  gsize     held_reserved; /* of the budget, for @held */
  gint64    quota_left;   /* bytes the school may still store, or -1 */
} Request;

static void
td_receiver_request_drop_held (Request *request)
{
  if (request->held)
    {
      g_byte_array_unref (request->held);
      request->held = NULL;
      td_receiver_hold_release (request->held_reserved);
      request->held_reserved = 0;
    }
}

static void
td_receiver_request_free (gpointer data)
{
  Request *request = data;

  td_answer_free (request->refusal);
  g_free (request->school);
  if (request->fd >= 0)
    close (request->fd);
  td_receiver_request_drop_held (request);
  g_free (request);
}

static Request *
td_receiver_request_get (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), "td-request");
}

static void
td_receiver_finalize (GObject *object)
{
  TdReceiver *self = TD_RECEIVER (object);

  if (self->connections)
    td_connections_stop (self->connections);
  if (self->server)
    soup_server_disconnect (self->server);
  /* Waits for the workers, then the writer (td_receiver_is_busy() was
   * FALSE already: every job holds a reference, so none is left). */
  if (self->workers)
    g_thread_pool_free (self->workers, FALSE, TRUE);
  if (self->writer_thread)
    {
      g_mutex_lock (&self->store_lock);
      self->stopping = TRUE;
      g_cond_broadcast (&self->store_cond);
      g_mutex_unlock (&self->store_lock);
      g_thread_join (self->writer_thread);
    }
  if (self->checkpoint_thread)
    {
      g_mutex_lock (&self->checkpoint_lock);
      self->checkpoint_stopping = TRUE;
      g_cond_broadcast (&self->checkpoint_cond);
      g_mutex_unlock (&self->checkpoint_lock);
      g_thread_join (self->checkpoint_thread);
    }
  g_clear_pointer (&self->checkpointer, td_receiver_db_close);
  g_clear_pointer (&self->site, td_web_site_free);
  if (self->readers)
    {
      TdReceiverDb *db;

      while ((db = g_async_queue_try_pop (self->readers)))
        td_receiver_db_close (db);
      g_async_queue_unref (self->readers);
    }
  g_mutex_clear (&self->store_lock);
  g_cond_clear (&self->store_cond);
  g_mutex_clear (&self->checkpoint_lock);
  g_cond_clear (&self->checkpoint_cond);
  g_clear_object (&self->connections);
  g_clear_object (&self->server);
  g_clear_object (&self->certificate);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->spool_dir);
  g_clear_pointer (&self->reader, td_receiver_db_close);
  g_clear_pointer (&self->writer, td_receiver_db_close);
  g_free (self->database);
  g_free (self->address);

  G_OBJECT_CLASS (td_receiver_parent_class)->finalize (object);
}

static void
td_receiver_class_init (TdReceiverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_receiver_finalize;
}

static void
td_receiver_init (TdReceiver *self)
{
  g_mutex_init (&self->store_lock);
  g_cond_init (&self->store_cond);
  g_mutex_init (&self->checkpoint_lock);
  g_cond_init (&self->checkpoint_cond);
  g_queue_init (&self->store_queue);
}

/* Answers */

static const char *
td_receiver_remote_host (SoupServerMessage *msg)
{
  const char *host = soup_server_message_get_remote_host (msg);

  return host ? host : "?";
}

static void
td_receiver_log_answer (SoupServerMessage *msg,
                        TdAnswer          *answer)
{
  Request *request = td_receiver_request_get (msg);

  td_receiver_log ("%s %s %s: %u %s (%s)%s%s",
             td_receiver_remote_host (msg),
             soup_server_message_get_method (msg),
             g_uri_get_path (soup_server_message_get_uri (msg)),
             td_answer_get_status (answer), td_answer_get_word (answer),
             td_answer_get_message (answer),
             request && request->school ? " school: " : "",
             request && request->school ? request->school : "");
}

static void
td_receiver_send_answer (SoupServerMessage *msg,
                         TdAnswer          *answer)
{
  td_receiver_log_answer (msg, answer);
  td_answer_apply (answer, msg);
}

static TdAnswer *
td_receiver_too_large (TdReceiver *self)
{
  g_autofree char *zh = g_strdup_printf ("上传内容超过了接收端的大小上限（%" G_GINT64_FORMAT " 字节）。",
                                         self->max_body);

  return td_answer_new_printf (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", zh,
                               "The upload is larger than this receiver takes (%" G_GINT64_FORMAT " bytes).",
                               self->max_body);
}

/* Connections the receiver ends itself */

typedef struct
{
  GIOStream *stream;
  GBytes    *data;
} Cut;

static void
td_receiver_cut_closed_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  Cut *cut = user_data;

  g_io_stream_close_finish (G_IO_STREAM (object), result, NULL);
  g_object_unref (cut->stream);
  g_clear_pointer (&cut->data, g_bytes_unref);
  g_free (cut);
}

static void
td_receiver_cut_written_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  Cut *cut = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  g_io_stream_close_async (cut->stream, G_PRIORITY_DEFAULT, NULL, td_receiver_cut_closed_cb, cut);
}

/* Takes the connection from libsoup and closes it, after writing
 * @last_words (a whole HTTP response) if any. */
static void
td_receiver_cut_connection (SoupServerMessage *msg,
                            TdAnswer          *last_words)
{
  Request *request = td_receiver_request_get (msg);
  Cut *cut;
  GIOStream *stream;

  if (request->cut)
    return;
  request->cut = TRUE;
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;

  cut = g_new0 (Cut, 1);
  cut->stream = stream;
  if (last_words)
    {
      gsize length;
      const void *data;

      cut->data = td_answer_to_http (last_words);
      data = g_bytes_get_data (cut->data, &length);
      g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), data, length,
                                       G_PRIORITY_DEFAULT, NULL, td_receiver_cut_written_cb, cut);
    }
  else
    g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, td_receiver_cut_closed_cb, cut);
}

/* Refusing before the body is read (or while it is). */
static void
td_receiver_refuse (SoupServerMessage *msg,
                    TdAnswer          *refusal)
{
  Request *request = td_receiver_request_get (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  request->refused = TRUE;
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);
  td_answer_add_header (refusal, "Connection", "close");
  td_receiver_send_answer (msg, refusal);
  g_clear_pointer (&request->refusal, td_answer_free);
  request->refusal = refusal;
}

static gint64
td_receiver_drain_limit (TdReceiver *self)
{
  return self->max_body > G_MAXINT64 / 2 ? G_MAXINT64 : 2 * self->max_body;
}

static gboolean
td_receiver_write_all (int         fd,
                       const char *data,
                       gsize       length)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      length -= (gsize)n;
    }
  return TRUE;
}

static int td_receiver_open_spool (TdReceiver *self, GError **error);

/* A chunk as it comes: counted against the limits, then written to the
 * body's file; never kept. */
static void
td_receiver_got_chunk_cb (SoupServerMessage *msg,
                          GBytes            *chunk,
                          TdReceiver        *self)
{
  Request *request = td_receiver_request_get (msg);
  gsize length;
  const char *data = g_bytes_get_data (chunk, &length);

  request->received += (goffset)length;
  if (!request->refused && request->received > self->max_body)
    td_receiver_refuse (msg, td_receiver_too_large (self));
  if (!request->refused && request->quota_left >= 0 && request->received > request->quota_left + QUOTA_SLACK)
    td_receiver_refuse (msg, td_intake_over_quota (self->options.quota, self->options.quota - request->quota_left));
  if (!request->refused && request->held &&
      request->held->len + length > request->held_reserved)
    {
      /* More than its Content-Length said: to a file after all. */
      g_autoptr(GError) error = NULL;

      request->fd = td_receiver_open_spool (self, &error);
      if (request->fd < 0)
        {
          td_receiver_log ("%s", error->message);
          td_receiver_refuse (msg, td_intake_server_error ());
        }
      else if (!td_receiver_write_all (request->fd, (const char *)request->held->data, request->held->len))
        {
          close (request->fd);
          request->fd = -1;
          td_receiver_log ("%s: the upload could not be written to %s", td_receiver_remote_host (msg), self->spool_dir);
          td_receiver_refuse (msg, td_intake_server_error ());
        }
      td_receiver_request_drop_held (request);
    }
  if (!request->refused && request->held)
    g_byte_array_append (request->held, (const guint8 *)data, (guint)length);
  else if (!request->refused && request->fd >= 0 && !td_receiver_write_all (request->fd, data, length))
    {
      int saved = errno;

      td_receiver_log ("%s: the upload could not be written to %s: %s",
                       td_receiver_remote_host (msg), self->spool_dir, g_strerror (saved));
      td_receiver_refuse (msg, td_intake_server_error ());
    }
  if (request->refused && request->fd >= 0)
    {
      close (request->fd);
      request->fd = -1;
    }
  if (request->refused)
    td_receiver_request_drop_held (request);
  if (request->refused && request->received > td_receiver_drain_limit (self))
    td_receiver_cut_connection (msg, request->refusal);
}

static void
td_receiver_finished_cb (SoupServerMessage *msg,
                         TdReceiver        *self)
{
  td_receiver_request_get (msg)->finished = TRUE;
}

/* After libsoup's own handler (and the early handler): libsoup 3.2 reads
 * "Content-Length: -5" as a length of -5, and reading that body would
 * warn. Nothing of such a request is read. */
static void
td_receiver_got_headers_cb (SoupServerMessage *msg,
                            TdReceiver        *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) < 0)
    {
      g_autoptr(TdAnswer) refusal = td_answer_new (SOUP_STATUS_BAD_REQUEST, "bad-request",
                                                   "The Content-Length is not a length.",
                                                   "Content-Length 不是有效的长度。");

      td_receiver_log_answer (msg, refusal);
      td_receiver_cut_connection (msg, refusal);
    }
}

static void
td_receiver_request_started_cb (SoupServer        *server,
                                SoupServerMessage *msg,
                                TdReceiver        *self)
{
  Request *request = g_new0 (Request, 1);

  /* Time-outs are td-connections.c's. No body is kept in memory. */
  request->fd = -1;
  request->quota_left = -1;
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_object_set_data_full (G_OBJECT (msg), "td-request", request, td_receiver_request_free);
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (td_receiver_got_headers_cb), self, 0);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (td_receiver_got_chunk_cb), self, 0);
  g_signal_connect_object (msg, "finished", G_CALLBACK (td_receiver_finished_cb), self, 0);
}

/* Authentication: a bearer token per school */

static TdAnswer *
td_receiver_authenticate (TdReceiver        *self,
                          SoupServerMessage *msg)
{
  Request *request = td_receiver_request_get (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *token = NULL;
  g_autoptr(GError) error = NULL;
  TdAnswer *refusal;

  if (authorization && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    token = g_strstrip (g_strdup (authorization + 7));

  if (token == NULL || *token == '\0')
    {
      refusal = td_answer_new (SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                               "A school’s token is needed (Authorization: Bearer).",
                               "需要学校的令牌（Authorization: Bearer）。");
      td_answer_add_header (refusal, "WWW-Authenticate", "Bearer realm=\"" REALM "\"");
      return refusal;
    }

  if (td_receiver_db_find_school (self->reader, token, &request->school_id, &request->school, &error))
    return NULL;
  if (error)
    return td_intake_database_trouble (error);

  refusal = td_answer_new (SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                           "This token is not known to the receiver. Ask the province for the school’s token.",
                           "接收端不认识此令牌，请向省里索取本校的令牌。");
  td_answer_add_header (refusal, "WWW-Authenticate", "Bearer realm=\"" REALM "\", error=\"invalid_token\"");
  return refusal;
}

static gboolean
td_receiver_is_submission_post (SoupServerMessage *msg,
                                const char        *path)
{
  return soup_server_message_get_method (msg) == SOUP_METHOD_POST && g_str_equal (path, "/submissions");
}

/* Where the body ends must be clear: a Content-Length beside a
 * Transfer-Encoding, or two different lengths, are how requests are
 * smuggled past a proxy (RFC 9112 §6.3). libsoup 3.2 serves both. */
static gboolean
td_receiver_framing_ambiguous (SoupMessageHeaders *headers)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;
  g_autofree char *length = NULL;
  gboolean coded = FALSE, lengths_differ = FALSE;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      if (g_ascii_strcasecmp (name, "Transfer-Encoding") == 0)
        coded = TRUE;
      else if (g_ascii_strcasecmp (name, "Content-Length") == 0)
        {
          g_autofree char *stripped = g_strstrip (g_strdup (value));

          if (length == NULL)
            length = g_steal_pointer (&stripped);
          else if (!g_str_equal (length, stripped))
            lengths_differ = TRUE;
        }
    }
  return lengths_differ || (coded && length != NULL);
}

/* The file a submission's body is written to as it comes: in the
 * database's folder (not /tmp, which may be memory), unlinked at once. */
static int
td_receiver_open_spool (TdReceiver  *self,
                        GError     **error)
{
  g_autofree char *template = g_build_filename (self->spool_dir, ".training-desk-receiver-upload-XXXXXX", NULL);
  int fd = g_mkstemp_full (template, O_RDWR | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot make a file for an upload in %s: %s", self->spool_dir, g_strerror (saved));
      return -1;
    }
  g_unlink (template);
  return fd;
}

/* What the school's quota leaves, from the headers: -1 for no quota, and
 * none for a revision stored already (answered 200 or 409 as before). */
static TdAnswer *
td_receiver_check_quota (TdReceiver        *self,
                         SoupServerMessage *msg,
                         gboolean           has_length,
                         goffset            length)
{
  Request *request = td_receiver_request_get (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStored) stored = NULL;
  gint64 used;

  if (self->options.quota <= 0)
    return NULL;
  if (key)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (key));

      stored = td_receiver_db_lookup (self->reader, stripped, &error);
      if (error)
        return td_intake_database_trouble (error);
      if (stored)
        return NULL;
    }
  if (!td_receiver_db_school_bytes (self->reader, request->school_id, &used, &error))
    return td_intake_database_trouble (error);
  request->quota_left = MAX (self->options.quota - used, 0);
  if (used >= self->options.quota || (has_length && length > request->quota_left + QUOTA_SLACK))
    return td_intake_over_quota (self->options.quota, used);
  return NULL;
}

static void
td_receiver_early_handler_cb (SoupServer        *server,
                              SoupServerMessage *msg,
                              const char        *path,
                              GHashTable        *query,
                              gpointer           user_data)
{
  TdReceiver *self = user_data;
  Request *request = td_receiver_request_get (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  gboolean has_length = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH;
  goffset length = has_length ? soup_message_headers_get_content_length (headers) : 0;
  g_autoptr(GError) error = NULL;
  TdAnswer *refusal;

  if (td_receiver_framing_ambiguous (headers))
    {
      refusal = td_answer_new (SOUP_STATUS_BAD_REQUEST, "bad-request",
                               "The request has both Content-Length and Transfer-Encoding, or two different "
                               "Content-Length headers: where its body ends is not clear.",
                               "请求同时带有 Content-Length 和 Transfer-Encoding，或带有两个不同的 Content-Length："
                               "无法确定请求体在哪里结束。");
      td_receiver_refuse (msg, refusal);
      /* Nothing of it is read: what follows might be read as another request. */
      td_receiver_cut_connection (msg, request->refusal);
      return;
    }

  if (td_web_site_takes_body (soup_server_message_get_method (msg), path))
    {
      /* A web form: small, its length told, held in memory. */
      if (!has_length)
        refusal = td_answer_new (SOUP_STATUS_LENGTH_REQUIRED, "length-required",
                                 "A form is sent with its Content-Length.",
                                 "表单须带 Content-Length 发送。");
      else if (length > TD_WEB_MAX_FORM)
        refusal = td_answer_new (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
                                 "The form is larger than a desk's form can be.",
                                 "表单超过了工作台表单的大小上限。");
      else if (td_receiver_hold_reserve ((gsize)length))
        {
          request->held = g_byte_array_sized_new ((guint)length + 1);
          request->held_reserved = (gsize)length;
          return;
        }
      else
        refusal = td_intake_server_error ();
      td_receiver_refuse (msg, refusal);
      return;
    }

  if (!td_receiver_is_submission_post (msg, path))
    return;

  refusal = td_receiver_authenticate (self, msg);
  if (refusal == NULL && has_length && length > self->max_body)
    refusal = td_receiver_too_large (self);
  if (refusal == NULL)
    refusal = td_receiver_check_quota (self, msg, has_length, length);
  if (refusal == NULL)
    {
      if (has_length && length <= HOLD_MAX && td_receiver_hold_reserve ((gsize)length))
        {
          /* and a NUL after it */
          request->held = g_byte_array_sized_new ((guint)length + 1);
          request->held_reserved = (gsize)length;
          return;
        }
      request->fd = td_receiver_open_spool (self, &error);
      if (request->fd >= 0)
        return;
      td_receiver_log ("%s", error->message);
      refusal = td_intake_server_error ();
    }

  td_receiver_refuse (msg, refusal);
  /* A client that waits for "100 Continue" gets the answer instead; one
   * that does not would send the body anyway: read up to twice the limit
   * so it can read the answer, close the connection for more. */
  if (has_length && length > td_receiver_drain_limit (self) &&
      !(soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE))
    td_receiver_cut_connection (msg, td_receiver_request_get (msg)->refusal);
}

/* Submissions, in a worker thread */

typedef struct
{
  TdReceiver        *self;
  SoupServerMessage *msg;
  gint64             school_id;
  char              *school;
  char              *content_type;
  char              *key;
  int                fd;         /* the body, unlinked */
  GBytes            *held;       /* or the body, in memory */
  gsize              held_reserved;
  TdSubmission      *submission; /* verified, waiting for the writer */
  gsize              size;       /* its body's bytes */
  TdStoreItem        item;
  TdAnswer          *answer;
} Job;

static void
td_receiver_job_free (Job *job)
{
  g_object_unref (job->msg);
  g_free (job->school);
  g_free (job->content_type);
  g_free (job->key);
  if (job->fd >= 0)
    close (job->fd);
  g_clear_pointer (&job->held, g_bytes_unref);
  td_receiver_hold_release (job->held_reserved);
  td_store_item_clear (&job->item);
  td_submission_free (job->submission);
  td_answer_free (job->answer);
  g_object_unref (job->self);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, td_receiver_job_free)

/* The body, mapped: its pages are the file's, not the heap's. */
static GBytes *
td_receiver_map_body (Job     *job,
                      GError **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) whole = NULL;
  struct stat st;

  if (job->held)
    return g_bytes_ref (job->held);
  /* A NUL after the end (td-submission.c needs one), in the file: a body
   * of whole pages would have none in its mapping. */
  if (fstat (job->fd, &st) != 0 || pwrite (job->fd, "", 1, st.st_size) != 1)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
      return NULL;
    }
  if (st.st_size == 0)
    return g_bytes_new (NULL, 0);
  mapped = g_mapped_file_new_from_fd (job->fd, FALSE, error);
  if (mapped == NULL)
    return NULL;
  whole = g_mapped_file_get_bytes (mapped);
  return g_bytes_new_from_bytes (whole, 0, (gsize)st.st_size);
}

static void
td_receiver_give_answer (TdReceiver *self,
                         Job        *job)
{
  Request *request = td_receiver_request_get (job->msg);
  guint status = td_answer_get_status (job->answer);

  if (request->finished)
    {
      td_receiver_log ("%s: the client left before the answer (%u %s)",
                       td_receiver_remote_host (job->msg), status, td_answer_get_word (job->answer));
      return;
    }

  if (self->drop_left > 0 && (status == SOUP_STATUS_CREATED || status == SOUP_STATUS_OK))
    {
      self->drop_left--;
      td_receiver_log ("%s: stored, then closed without an answer (--test-drop-first)",
                       td_receiver_remote_host (job->msg));
      td_receiver_cut_connection (job->msg, NULL);
      return;
    }

  td_receiver_send_answer (job->msg, job->answer);
  /* Its body read whole and stored: the client may send the next one on
   * the same connection. */
  if (status == SOUP_STATUS_CREATED || status == SOUP_STATUS_OK)
    td_connections_keep_open (job->msg);
  soup_server_message_unpause (job->msg);
}

static gboolean
td_receiver_answer_cb (gpointer user_data)
{
  g_autoptr(Job) job = user_data;
  TdReceiver *self = job->self;

  td_receiver_give_answer (self, job);
  self->in_flight--;
  return G_SOURCE_REMOVE;
}

/* The answer, given on the main loop, as late as --test-delay says. */
static void
td_receiver_schedule_answer (TdReceiver *self,
                             Job        *job)
{
  GSource *source;

  source = self->options.delay_ms > 0 ? g_timeout_source_new (self->options.delay_ms) : g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, td_receiver_answer_cb, job, NULL);
  g_source_attach (source, self->context);
  g_source_unref (source);
}

/* The writer thread */

/* Waits for jobs to store; %NULL once stopping with none left. */
static GPtrArray *
td_receiver_take_batch (TdReceiver *self)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->store_lock);
  GPtrArray *batch;

  while ((g_queue_is_empty (&self->store_queue) || self->store_queue.length < self->gather) &&
         !self->stopping)
    g_cond_wait (&self->store_cond, &self->store_lock);
  if (g_queue_is_empty (&self->store_queue))
    return NULL;

  batch = g_ptr_array_new ();
  while (!g_queue_is_empty (&self->store_queue) && batch->len < STORE_BATCH)
    g_ptr_array_add (batch, g_queue_pop_head (&self->store_queue));
  if (self->gather > 0)
    td_receiver_log ("a group commit of %u submissions (TD_RECEIVER_TEST_GATHER)", batch->len);
  self->gather = 0;
  return batch;
}

/* Stores @jobs in one transaction; FALSE with @error when the
 * transaction failed (nothing stored). */
static gboolean
td_receiver_store_jobs (TdReceiver  *self,
                        Job        **jobs,
                        guint        n_jobs,
                        GError     **error)
{
  g_autofree TdStoreItem **items = g_new (TdStoreItem *, n_jobs);

  for (guint i = 0; i < n_jobs; i++)
    items[i] = &jobs[i]->item;
  return td_receiver_db_store_batch (self->writer, items, n_jobs, error);
}

static void
td_receiver_finish_job (TdReceiver *self,
                        Job        *job)
{
  g_clear_pointer (&job->submission, td_submission_free);
  td_store_item_clear (&job->item);

  /* Its body unmapped: room for the workers waiting. */
  g_mutex_lock (&self->store_lock);
  self->store_jobs--;
  self->store_bytes -= job->size;
  g_cond_broadcast (&self->store_cond);
  g_mutex_unlock (&self->store_lock);

  td_receiver_schedule_answer (self, job);
}

static void
td_receiver_store_batch (TdReceiver *self,
                         GPtrArray  *batch)
{
  Job **jobs = (Job **)batch->pdata;
  g_autoptr(GError) error = NULL;

  if (!td_receiver_store_jobs (self, jobs, batch->len, &error))
    {
      td_receiver_log ("a group commit of %u submissions failed: %s", batch->len, error->message);
      /* One by one: a submission that fails the transaction fails alone. */
      for (guint i = 0; i < batch->len; i++)
        {
          g_autoptr(GError) alone = NULL;

          if (batch->len > 1 && td_receiver_store_jobs (self, &jobs[i], 1, &alone))
            jobs[i]->answer = td_intake_store_answer (self->writer, &jobs[i]->item, jobs[i]->school);
          else
            jobs[i]->answer = td_intake_database_trouble (alone ? alone : error);
          td_receiver_finish_job (self, jobs[i]);
        }
      return;
    }
  for (guint i = 0; i < batch->len; i++)
    {
      jobs[i]->answer = td_intake_store_answer (self->writer, &jobs[i]->item, jobs[i]->school);
      td_receiver_finish_job (self, jobs[i]);
    }
}

static gpointer
td_receiver_writer_thread (gpointer data)
{
  TdReceiver *self = data;
  GPtrArray *batch;

  while ((batch = td_receiver_take_batch (self)))
    {
      td_receiver_store_batch (self, batch);
      g_ptr_array_unref (batch);
    }
  return NULL;
}

/* Checkpoints, in a thread of their own: in the writer's commit, one
 * checkpoint (the log copied into the database and the database synced)
 * every 1,000 pages held up every submission waiting for it (issue 17). */

/* In the writer thread, inside its commit: only says a checkpoint is due. */
static void
td_receiver_checkpoint_due_cb (gpointer data)
{
  TdReceiver *self = data;

  g_mutex_lock (&self->checkpoint_lock);
  self->checkpoint_due = TRUE;
  g_cond_signal (&self->checkpoint_cond);
  g_mutex_unlock (&self->checkpoint_lock);
}

static gpointer
td_receiver_checkpoint_thread (gpointer data)
{
  TdReceiver *self = data;

  for (;;)
    {
      g_autoptr(GError) error = NULL;

      g_mutex_lock (&self->checkpoint_lock);
      while (!self->checkpoint_due && !self->checkpoint_stopping)
        g_cond_wait (&self->checkpoint_cond, &self->checkpoint_lock);
      if (!self->checkpoint_due)
        {
          g_mutex_unlock (&self->checkpoint_lock);
          return NULL;
        }
      self->checkpoint_due = FALSE;
      g_mutex_unlock (&self->checkpoint_lock);

      /* Passive: it never blocks the writer; what it could not copy is
       * copied next time. */
      if (!td_receiver_db_checkpoint (self->checkpointer, &error))
        td_receiver_log ("%s", error->message);
    }
}

/* A worker hands a verified submission to the writer; waits while the
 * queue is full. */
static void
td_receiver_queue_store (TdReceiver *self,
                         Job        *job)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&self->store_lock);

  while (self->store_jobs > 0 &&
         (self->store_jobs >= STORE_QUEUE || self->store_bytes + job->size > STORE_QUEUE_BYTES))
    g_cond_wait (&self->store_cond, &self->store_lock);
  g_queue_push_tail (&self->store_queue, job);
  self->store_jobs++;
  self->store_bytes += job->size;
  g_cond_broadcast (&self->store_cond);
}

/* Submissions, in a worker thread */

/* Read, parsed and checked; the answer when known without storing,
 * %NULL when @job->submission is to be stored. */
static TdAnswer *
td_receiver_check (TdReceiver *self,
                   Job        *job)
{
  g_autoptr(TdSubmission) submission = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = td_receiver_map_body (job, &error);
  TdReceiverDb *reader;
  TdAnswer *refusal = NULL;

  if (body == NULL)
    {
      td_receiver_log ("an upload could not be read back: %s", error->message);
      return td_intake_server_error ();
    }
  submission = td_submission_parse (job->content_type, job->key, body, &refusal);
  if (submission == NULL)
    return refusal;

  reader = g_async_queue_pop (self->readers);
  refusal = td_intake_check (reader, job->school_id, job->school, submission, TD_INTAKE_UPLOAD);
  g_async_queue_push (self->readers, reader);
  if (refusal)
    return refusal;

  job->size = g_bytes_get_size (body);
  job->submission = g_steal_pointer (&submission);
  job->item.school_id = job->school_id;
  job->item.submission = job->submission;
  job->item.channel = TD_INTAKE_UPLOAD;
  job->item.quota = self->options.quota;
  return NULL;
}

static void
td_receiver_submit_worker (gpointer data,
                           gpointer user_data)
{
  Job *job = data;
  TdReceiver *self = job->self;

  job->answer = td_receiver_check (self, job);
  /* The body's file is no longer needed: the submission holds its mapping. */
  if (job->fd >= 0)
    {
      close (job->fd);
      job->fd = -1;
    }
  if (job->answer)
    td_receiver_schedule_answer (self, job);
  else
    td_receiver_queue_store (self, job);
}

static void
td_receiver_start_submission (TdReceiver        *self,
                              SoupServerMessage *msg)
{
  Request *request = td_receiver_request_get (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  Job *job;

  if (self->fail_left > 0)
    {
      g_autoptr(TdAnswer) busy = td_answer_new (SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
                                                "The receiver is busy (--test-fail-first). Try again in a moment.",
                                                "接收端正忙，请稍后重试。");

      self->fail_left--;
      td_answer_add_header (busy, "Retry-After", "1");
      td_receiver_send_answer (msg, busy);
      return;
    }
  if (request->fd < 0 && request->held == NULL)
    {
      g_autoptr(TdAnswer) trouble = td_intake_server_error ();

      td_receiver_send_answer (msg, trouble);
      return;
    }

  job = g_new0 (Job, 1);
  job->self = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->school_id = request->school_id;
  job->school = g_strdup (request->school);
  job->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  job->key = g_strdup (soup_message_headers_get_one (headers, "Idempotency-Key"));
  if (job->key)
    g_strstrip (job->key);
  job->fd = request->fd;
  request->fd = -1;
  if (request->held)
    {
      guint length = request->held->len;
      g_autoptr(GBytes) whole = NULL;

      /* A NUL after the end: td-submission.c needs one. */
      g_byte_array_append (request->held, (const guint8 *)"", 1);
      whole = g_byte_array_free_to_bytes (g_steal_pointer (&request->held));
      job->held = g_bytes_new_from_bytes (whole, 0, length);
      job->held_reserved = request->held_reserved;
      request->held_reserved = 0;
    }

  soup_server_message_pause (msg);
  self->in_flight++;
  g_thread_pool_push (self->workers, job, NULL);
}

/* Other requests, on the main loop */

static void
td_receiver_answer_service (TdReceiver        *self,
                            SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize length;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "service");
  json_builder_add_string_value (builder, "training-desk-receiver");
  json_builder_set_member_name (builder, "protocol");
  json_builder_add_int_value (builder, TD_UPLOAD_PROTOCOL_VERSION);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "max_body");
  json_builder_add_int_value (builder, self->max_body);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, length);
}

static void
td_receiver_answer_receipt (TdReceiver        *self,
                            SoupServerMessage *msg,
                            const char        *uuid)
{
  Request *request = td_receiver_request_get (msg);
  g_autoptr(TdAnswer) refusal = td_receiver_authenticate (self, msg);
  g_autoptr(TdStored) stored = NULL;
  g_autoptr(GError) error = NULL;

  if (refusal)
    {
      td_receiver_send_answer (msg, refusal);
      return;
    }

  stored = td_receiver_db_lookup (self->reader, uuid, &error);
  if (error)
    {
      g_autoptr(TdAnswer) trouble = td_intake_database_trouble (error);

      td_receiver_send_answer (msg, trouble);
    }
  else if (stored == NULL || stored->school_id != request->school_id)
    {
      g_autoptr(TdAnswer) not_found = td_answer_new (SOUP_STATUS_NOT_FOUND, "not-found",
                                                     "No submission of this revision was received from this school.",
                                                     "未收到本校此修订的提交。");

      td_receiver_send_answer (msg, not_found);
    }
  else
    {
      g_autoptr(TdAnswer) receipt = td_intake_stored_answer (stored, SOUP_STATUS_OK, "stored");

      td_receiver_send_answer (msg, receipt);
    }
}

static void
td_receiver_answer_method_not_allowed (SoupServerMessage *msg,
                                       const char        *allow)
{
  g_autoptr(TdAnswer) refusal = td_answer_new (SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                                               "This address does not take this method.",
                                               "此地址不支持该请求方法。");

  td_answer_add_header (refusal, "Allow", allow);
  td_receiver_send_answer (msg, refusal);
}

static void
td_receiver_handler_cb (SoupServer        *server,
                        SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query,
                        gpointer           user_data)
{
  TdReceiver *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  gboolean get = method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD;

  if (td_web_site_handles (path))
    {
      Request *request = td_receiver_request_get (msg);

      /* A form refused from its headers is answered already. */
      if (request->refused)
        return;
      td_web_site_handle (self->site, msg, path, query,
                          request->held ? request->held->data : NULL,
                          request->held ? request->held->len : 0);
    }
  else if (g_str_equal (path, "/"))
    {
      if (get)
        td_receiver_answer_service (self, msg);
      else
        td_receiver_answer_method_not_allowed (msg, "GET, HEAD");
    }
  else if (g_str_equal (path, "/submissions"))
    {
      if (td_receiver_is_submission_post (msg, path))
        td_receiver_start_submission (self, msg);
      else
        td_receiver_answer_method_not_allowed (msg, "POST");
    }
  else if (g_str_has_prefix (path, "/submissions/") && strchr (path + strlen ("/submissions/"), '/') == NULL)
    {
      if (get)
        td_receiver_answer_receipt (self, msg, path + strlen ("/submissions/"));
      else
        td_receiver_answer_method_not_allowed (msg, "GET, HEAD");
    }
  else
    {
      g_autoptr(TdAnswer) not_found = td_answer_new (SOUP_STATUS_NOT_FOUND, "not-found",
                                                     "There is nothing at this address. Uploads go to /submissions.",
                                                     "此地址没有内容，上传请发送到 /submissions。");

      td_receiver_send_answer (msg, not_found);
    }
}

/* The receiver */

/**
 * td_receiver_new:
 *
 * Opens the database (a connection for the main loop, one for each
 * worker, one for the writer) and makes the server; td_receiver_listen()
 * starts it.
 */
TdReceiver *
td_receiver_new (const TdReceiverOptions  *options,
                 GError                  **error)
{
  g_autoptr(TdReceiver) self = g_object_new (TD_TYPE_RECEIVER, NULL);
  g_autofree char *server_header = g_strdup_printf ("training-desk-receiver/%s ", PACKAGE_VERSION);
  g_autofree char *absolute = NULL;
  TdConnectionLimits limits;

  self->options = *options;
  self->database = g_strdup (options->database);
  self->address = g_strdup (options->address ? options->address : "127.0.0.1");
  self->options.database = self->database;
  self->options.address = self->address;
  self->options.tls_certificate = self->options.tls_key = NULL;
  self->max_body = options->max_body > 0 ? options->max_body : TD_RECEIVER_DEFAULT_MAX_BODY;
  if (self->options.idle_timeout_s == 0)
    self->options.idle_timeout_s = TD_RECEIVER_DEFAULT_IDLE_TIMEOUT;
  if (self->options.handshake_timeout_s == 0)
    self->options.handshake_timeout_s = TD_RECEIVER_DEFAULT_HANDSHAKE_TIMEOUT;
  if (self->options.header_timeout_s == 0)
    self->options.header_timeout_s = TD_RECEIVER_DEFAULT_HEADER_TIMEOUT;
  if (self->options.request_timeout_s == 0)
    self->options.request_timeout_s = TD_RECEIVER_DEFAULT_REQUEST_TIMEOUT;
  if (self->options.max_connections == 0)
    self->options.max_connections = TD_RECEIVER_DEFAULT_MAX_CONNECTIONS;
  if (self->options.max_per_address == 0)
    self->options.max_per_address = TD_RECEIVER_DEFAULT_MAX_PER_ADDRESS;
  self->fail_left = options->fail_first;
  /* For tests: the first group commit waits until this many submissions
   * are verified and waiting, so that they are stored in one transaction
   * (tests/test-receiver-hardening.c). */
  if (g_getenv ("TD_RECEIVER_TEST_GATHER"))
    self->gather = (guint)MIN (g_ascii_strtoull (g_getenv ("TD_RECEIVER_TEST_GATHER"), NULL, 10), STORE_BATCH);
  self->drop_left = options->drop_first;

  if ((options->tls_certificate == NULL) != (options->tls_key == NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "HTTPS needs both --tls-certificate and --tls-key");
      return NULL;
    }
  if (options->tls_certificate)
    {
      self->certificate = g_tls_certificate_new_from_files (options->tls_certificate, options->tls_key, error);
      if (self->certificate == NULL)
        return NULL;
    }

  self->writer = td_receiver_db_open (options->database, options->busy_timeout_ms, error);
  if (self->writer == NULL)
    return NULL;
  self->reader = td_receiver_db_open (options->database, options->busy_timeout_ms, error);
  if (self->reader == NULL)
    return NULL;
  self->n_workers = CLAMP (g_get_num_processors (), MIN_WORKERS, MAX_WORKERS);
  self->readers = g_async_queue_new ();
  for (guint i = 0; i < self->n_workers; i++)
    {
      TdReceiverDb *db = td_receiver_db_open (options->database, options->busy_timeout_ms, error);

      if (db == NULL)
        return NULL;
      g_async_queue_push (self->readers, db);
    }

  /* Bodies are written beside the database. */
  absolute = g_canonicalize_filename (options->database, NULL);
  self->spool_dir = g_path_get_dirname (absolute);
  self->context = g_main_context_ref_thread_default ();
  self->workers = g_thread_pool_new (td_receiver_submit_worker, NULL, (int)self->n_workers, FALSE, error);
  if (self->workers == NULL)
    return NULL;
  self->writer_thread = g_thread_try_new ("td-receiver-writer", td_receiver_writer_thread, self, error);
  if (self->writer_thread == NULL)
    return NULL;
  self->checkpointer = td_receiver_db_open (options->database, options->busy_timeout_ms, error);
  if (self->checkpointer == NULL)
    return NULL;
  self->checkpoint_thread = g_thread_try_new ("td-receiver-checkpoint", td_receiver_checkpoint_thread, self, error);
  if (self->checkpoint_thread == NULL)
    return NULL;
  td_receiver_db_defer_checkpoints (self->writer, td_receiver_checkpoint_due_cb, self);

  {
    TdWebSiteOptions web = {
      .database = options->database,
      .busy_timeout_ms = options->busy_timeout_ms,
      .campaign = options->campaign,
      .deadline = options->deadline,
      .catalogue_token = options->catalogue_token,
      .tls = self->certificate != NULL,
    };

    self->site = td_web_site_new (&web, error);
    if (self->site == NULL)
      return NULL;
  }
  self->options.campaign = self->options.catalogue_token = NULL;
  self->options.deadline = NULL;

  /* No TLS certificate: td-connections.c does the handshake, and hands
   * libsoup a TLS stream. */
  self->server = soup_server_new ("server-header", server_header, NULL);
  g_signal_connect_object (self->server, "request-started", G_CALLBACK (td_receiver_request_started_cb), self, 0);
  soup_server_add_early_handler (self->server, NULL, td_receiver_early_handler_cb, self, NULL);
  soup_server_add_handler (self->server, NULL, td_receiver_handler_cb, self, NULL);

  limits = (TdConnectionLimits) {
    .max_connections = self->options.max_connections,
    .max_per_address = self->options.max_per_address,
    .handshake_timeout_s = self->options.handshake_timeout_s,
    .header_timeout_s = self->options.header_timeout_s,
    .request_timeout_s = self->options.request_timeout_s,
    .idle_timeout_s = self->options.idle_timeout_s,
  };
  self->connections = td_connections_new (self->server, self->certificate, &limits);

  return g_steal_pointer (&self);
}

gboolean
td_receiver_listen (TdReceiver  *self,
                    GError     **error)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (self->address);

  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address (127.0.0.1, 0.0.0.0, ::1, ::)", self->address);
      return FALSE;
    }
  return td_connections_listen (self->connections, address, (guint16)self->options.port, error);
}

/**
 * td_receiver_dup_uri:
 *
 * Returns: (transfer full): where it listens: http://127.0.0.1:8080/
 */
char *
td_receiver_dup_uri (TdReceiver *self)
{
  return td_connections_dup_uri (self->connections);
}

/* Stops listening and drops the connections; submissions being stored
 * are stored still (td_receiver_is_busy() until then). */
void
td_receiver_stop (TdReceiver *self)
{
  td_connections_stop (self->connections);
  soup_server_disconnect (self->server);
}

gboolean
td_receiver_is_busy (TdReceiver *self)
{
  return self->in_flight > 0 || (self->site && td_web_site_is_busy (self->site));
}
