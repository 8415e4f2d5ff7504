/* td-upload.c: a signed revision to the upload endpoint (docs/upload-protocol.md)
 *
 * One multipart POST of form.json, form.pdf and signature.json, keyed by
 * the revision's UUID, so sending again after a lost answer stores nothing
 * twice: only 201 (stored) and 200 (already stored, byte-identical) mean
 * delivered. Blocking: the outbox calls it from a worker thread, with a
 * session of that thread's own.
 *
 * TLS is verified against the system's authorities; a school on a
 * provincial intranet may trust one more CA certificate, checked here with
 * a database of its own when the system's refuses the server. Plain http://
 * is refused here, for any caller, unless the host is this machine: the
 * bearer token never crosses a network in clear; redirects are not
 * followed, so no server can send it elsewhere.
 *
 * The peer may be hostile (issue 12): a 201 whose body never ended took
 * --sync to 4.2 GB, and an answer dripping a byte every 3 s outlived any
 * per-read time-out. So the exchange runs under one deadline (the
 * time-out, plus what was sent at TD_LIMIT_MIN_TRANSFER_RATE; the answer,
 * once the request is out, within the time-out), kept by a thread that
 * cancels it, and the answer is read as a stream, no further than
 * TD_LIMIT_ANSWER_BODY.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-upload"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "td-canonical-json.h"
#include "td-limits.h"
#include "td-ready-stream.h"
#include "td-upload.h"

G_DEFINE_QUARK (td-upload-error-quark, td_upload_error)

/* As the message about a larger answer says. */
G_STATIC_ASSERT (TD_LIMIT_ANSWER_BODY == 1024 * 1024);

void
td_upload_settings_clear (TdUploadSettings *settings)
{
  g_clear_pointer (&settings->endpoint, g_free);
  g_clear_pointer (&settings->ca_file, g_free);
}

static gsize
td_upload_body_size (const TdUploadSubmission *submission)
{
  gsize pdf_length = submission->pdf ? g_bytes_get_size (submission->pdf) : (gsize)submission->pdf_length;

  return g_bytes_get_size (submission->form_json) + pdf_length + g_bytes_get_size (submission->signature_json);
}

/**
 * td_upload_expects_continue:
 *
 * Whether the upload of @submission is sent with `Expect: 100-continue`:
 * when its parts come to more than %TD_UPLOAD_EXPECT_CONTINUE_BYTES.
 */
gboolean
td_upload_expects_continue (const TdUploadSubmission *submission)
{
  return td_upload_body_size (submission) > TD_UPLOAD_EXPECT_CONTINUE_BYTES;
}

gboolean
td_upload_error_is_retryable (const GError *error)
{
  if (error == NULL || error->domain != TD_UPLOAD_ERROR)
    return FALSE;
  switch (error->code)
    {
    case TD_UPLOAD_ERROR_CONNECT:
    case TD_UPLOAD_ERROR_TIMEOUT:
    case TD_UPLOAD_ERROR_SERVER:
    case TD_UPLOAD_ERROR_PROTOCOL:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
td_upload_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * td_upload_check_endpoint:
 * @endpoint: an upload endpoint, as the settings or the campaign give it
 *
 * The one rule for where a school's token may go: https:// to any host,
 * http:// only to this machine (localhost, 127.0.0.0/8, ::1), for a
 * receiver run for a try.
 *
 * Returns: %TRUE if @endpoint may be used; else %FALSE with a
 *   %TD_UPLOAD_ERROR_INVALID that says what to enter
 */
gboolean
td_upload_check_endpoint (const char  *endpoint,
                          GError     **error)
{
  g_autoptr(GUri) uri = endpoint ? g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri ? g_uri_get_host (uri) : NULL;

  if (host == NULL || *host == '\0' || (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
    {
      g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_INVALID,
                   _("The upload endpoint “%s” is not an https:// address. Check it in Preferences."),
                   endpoint ? endpoint : "");
      return FALSE;
    }
  if (g_strcmp0 (scheme, "http") == 0 && !td_upload_is_loopback (host))
    {
      g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_INVALID,
                   _("The upload endpoint “%s” is a plain http:// address: the school’s token would cross the "
                     "network unencrypted. Enter its https:// address in Preferences."),
                   endpoint);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GTlsDatabase *extra;
  char         *host;
} Trust;

/* The system refused the certificate: accept it only if the extra CA
 * vouches for it, for this host. */
static gboolean
td_upload_accept_certificate_cb (SoupMessage          *message,
                                 GTlsCertificate      *certificate,
                                 GTlsCertificateFlags  errors,
                                 gpointer              user_data)
{
  Trust *trust = user_data;
  g_autoptr(GSocketConnectable) identity = NULL;
  GTlsCertificateFlags flags;

  if (trust->extra == NULL)
    return FALSE;
  identity = g_network_address_new (trust->host, 0);
  flags = g_tls_database_verify_chain (trust->extra, certificate, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                       identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
  return flags == 0;
}

static char *
td_upload_server_message (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonObject *object;
  const char *chinese, *english;
  gsize length;
  const char *data = body ? g_bytes_get_data (body, &length) : NULL;

  if (data == NULL || !td_json_check_limits (data, length, TD_LIMIT_JSON_DOCUMENT, NULL) ||
      !json_parser_load_from_data (parser, data, (gssize)length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  english = json_object_get_string_member_with_default (object, "message", NULL);
  chinese = json_object_get_string_member_with_default (object, "message_zh", NULL);
  /* The server's own words, in the user's language when it gave them. */
  if (chinese && g_str_has_prefix (g_get_language_names ()[0], "zh"))
    return g_strdup (chinese);
  return g_strdup (english ? english : chinese);
}

static char *
td_upload_receipt_from (GBytes      *body,
                        const char  *uuid,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonObject *object;
  const char *receipt, *revision;
  gsize length;
  const char *data = body ? g_bytes_get_data (body, &length) : NULL;

  if (data == NULL || !td_json_check_limits (data, length, TD_LIMIT_JSON_DOCUMENT, NULL) ||
      !json_parser_load_from_data (parser, data, (gssize)length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)))
    goto bad;
  object = json_node_get_object (root);
  receipt = json_object_get_string_member_with_default (object, "receipt", NULL);
  revision = json_object_get_string_member_with_default (object, "revision", NULL);
  if (receipt == NULL || *receipt == '\0' || g_strcmp0 (revision, uuid) != 0)
    goto bad;
  return g_strdup (receipt);

bad:
  g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_PROTOCOL,
               _("The upload endpoint accepted the form but its answer has no receipt for it. "
                 "Training Desk will ask again."));
  return NULL;
}

static void
td_upload_set_transport_error (GError  *soup_error,
                               GError **error)
{
  if (g_error_matches (soup_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, soup_error->message);
  else if (g_error_matches (soup_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_TIMEOUT,
                 _("The upload endpoint did not answer in time. Training Desk will try again."));
  else if (soup_error->domain == G_TLS_ERROR)
    g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_TLS,
                 _("The upload endpoint’s certificate is not trusted (%s). If the province runs it on "
                   "an intranet, add its CA certificate in Preferences."),
                 soup_error->message);
  else
    g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_CONNECT,
                 _("Could not reach the upload endpoint (%s). Training Desk will try again."),
                 soup_error->message);
}

/* The body: multipart/form-data (RFC 7578) as a stream over the parts'
 * own bytes, and over the PDF's stream when it is read as it is sent.
 * soup_multipart_to_message() copied them all into one growing string
 * first: for a 20 MiB PDF, 14 % of --sync's CPU time and its page faults
 * (issue 17). Here nothing is copied until libsoup writes it to the
 * socket. The boundary is random, as libsoup's; no receiver reads it as
 * content.
 *
 * Pollable and always readable, as GMemoryInputStream: libsoup splices it
 * to the socket on this thread. A part's read error is kept, so that the
 * send ends with it rather than with the lost connection it causes. */
#define TD_TYPE_UPLOAD_BODY (td_upload_body_get_type ())
G_DECLARE_FINAL_TYPE (TdUploadBody, td_upload_body, TD, UPLOAD_BODY, GInputStream)

struct _TdUploadBody
{
  GInputStream  parent_instance;

  GArray       *parts;       /* TdUploadPart, in order */
  guint         part;        /* the one being read */
  gsize         offset;      /* into it, when bytes */
  GError       *error;       /* a part's stream failed: why */
};

/* One of them, bytes or a stream. */
typedef struct
{
  GBytes       *bytes;
  GInputStream *stream;
} TdUploadPart;

G_DEFINE_FINAL_TYPE_WITH_CODE (TdUploadBody, td_upload_body, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM, td_ready_stream_pollable_init))

static void
td_upload_part_clear (gpointer data)
{
  TdUploadPart *part = data;

  g_clear_pointer (&part->bytes, g_bytes_unref);
  g_clear_object (&part->stream);
}

static void
td_upload_body_finalize (GObject *object)
{
  TdUploadBody *self = TD_UPLOAD_BODY (object);

  g_array_unref (self->parts);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (td_upload_body_parent_class)->finalize (object);
}

static gssize
td_upload_body_read (GInputStream  *stream,
                     void          *buffer,
                     gsize          count,
                     GCancellable  *cancellable,
                     GError       **error)
{
  TdUploadBody *self = TD_UPLOAD_BODY (stream);
  gsize done = 0;

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return -1;
    }
  /* As many bytes as asked, across the parts, as GMemoryInputStream gives:
   * a small body then goes out in one write. Part by part, a receiver that
   * answered from the headers and closed met the second write with a
   * broken pipe, and its refusal was lost (/sync/https/expect-continue). */
  while (self->part < self->parts->len && done < count)
    {
      TdUploadPart *part = &g_array_index (self->parts, TdUploadPart, self->part);

      if (part->stream)
        {
          gssize got = g_input_stream_read (part->stream, (guint8 *)buffer + done, count - done, cancellable,
                                            &self->error);

          if (got < 0)
            {
              /* What was read goes first; the error at the next read. */
              if (done > 0)
                return (gssize)done;
              g_propagate_error (error, g_error_copy (self->error));
              return -1;
            }
          if (got > 0)
            {
              done += (gsize)got;
              continue;
            }
        }
      else
        {
          gsize size;
          const guint8 *data = g_bytes_get_data (part->bytes, &size);

          if (self->offset < size)
            {
              gsize length = MIN (count - done, size - self->offset);

              memcpy ((guint8 *)buffer + done, data + self->offset, length);
              self->offset += length;
              done += length;
              continue;
            }
        }
      self->part++;
      self->offset = 0;
    }
  return (gssize)done;
}

static gboolean
td_upload_body_close (GInputStream  *stream,
                      GCancellable  *cancellable,
                      GError       **error)
{
  TdUploadBody *self = TD_UPLOAD_BODY (stream);

  for (guint i = 0; i < self->parts->len; i++)
    if (g_array_index (self->parts, TdUploadPart, i).stream)
      g_input_stream_close (g_array_index (self->parts, TdUploadPart, i).stream, NULL, NULL);
  return TRUE;
}

static void
td_upload_body_class_init (TdUploadBodyClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = td_upload_body_finalize;
  stream_class->read_fn = td_upload_body_read;
  stream_class->close_fn = td_upload_body_close;
}

static void
td_upload_body_init (TdUploadBody *self)
{
  self->parts = g_array_new (FALSE, TRUE, sizeof (TdUploadPart));
  g_array_set_clear_func (self->parts, td_upload_part_clear);
}

/* Takes @bytes, or a reference to @stream. */
static void
td_upload_body_add (TdUploadBody *self,
                    GBytes       *bytes,
                    GInputStream *stream)
{
  TdUploadPart part = { bytes, stream ? g_object_ref (stream) : NULL };

  g_array_append_val (self->parts, part);
}

static void
td_upload_body_add_text (TdUploadBody *self,
                         char         *text)
{
  td_upload_body_add (self, g_bytes_new_take (text, strlen (text)), NULL);
}

static void
td_upload_body_add_part (TdUploadBody *body,
                         const char   *boundary,
                         const char   *name,
                         const char   *filename,
                         const char   *type,
                         GBytes       *content,
                         GInputStream *stream,
                         gsize         stream_length,
                         gsize        *length)
{
  char *head = g_strdup_printf ("--%s\r\n"
                                "Content-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                                "Content-Type: %s\r\n"
                                "\r\n",
                                boundary, name, filename, type);

  *length += strlen (head) + (content ? g_bytes_get_size (content) : stream_length) + 2;
  td_upload_body_add_text (body, head);
  /* Each added with a reference of its own. */
  td_upload_body_add (body, content ? g_bytes_ref (content) : NULL, content ? NULL : stream);
  td_upload_body_add (body, g_bytes_new_static ("\r\n", 2), NULL);
}

static TdUploadBody *
td_upload_body_new (const TdUploadSubmission  *submission,
                    char                     **content_type,
                    gsize                     *length)
{
  TdUploadBody *body = g_object_new (TD_TYPE_UPLOAD_BODY, NULL);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *boundary = NULL;
  char *tail;

  g_strdelimit (uuid, "-", '_');
  boundary = g_strconcat ("td-", uuid, NULL);
  *length = 0;
  td_upload_body_add_part (body, boundary, "form", "form.json", "application/json", submission->form_json, NULL, 0,
                           length);
  td_upload_body_add_part (body, boundary, "pdf", "form.pdf", "application/pdf", submission->pdf,
                           submission->pdf_stream, (gsize)submission->pdf_length, length);
  td_upload_body_add_part (body, boundary, "signature", "signature.json", "application/json",
                           submission->signature_json, NULL, 0, length);
  tail = g_strdup_printf ("--%s--\r\n", boundary);
  *length += strlen (tail);
  td_upload_body_add_text (body, tail);
  *content_type = g_strdup_printf ("%s; boundary=%s", SOUP_FORM_MIME_TYPE_MULTIPART, boundary);
  return body;
}

/* One exchange, blocking on this thread, under one deadline kept by a
 * thread of its own that cancels it when it expires.
 *
 * Blocking, not on the thread's main context: libsoup then writes the
 * body in one loop (GIO splices 8 KiB at a time), where asynchronously
 * each 8 KiB took two iterations of the context, its idle source and a
 * poll() — for 20 MiB, 5,200 polls and a fifth of --sync's CPU time
 * (issue 17). Blocking I/O still ends with the cancellable (GSocket
 * polls it beside the socket), and the session's own time-out bounds any
 * single read or write. */
typedef struct
{
  GCancellable *cancellable;    /* the exchange's: the deadline or the caller cancel it */
  guint         timeout_seconds;
  gint64        started;        /* monotonic µs */
  GMutex        mutex;          /* for what the watch reads: */
  GCond         changed;
  guint64       sent;           /* request body bytes written */
  gint64        answer_due;     /* once the request is out: when the answer must have come; else 0 */
  gboolean      finished;
  gboolean      expired;
  gint          caller_cancelled;  /* atomic */
  GInputStream *stream;
  GByteArray   *body;
  GError       *error;
  gboolean      too_large;
} Exchange;

/* While the request is being written the deadline moves on with what was
 * sent: the time-out, plus what was sent at the slowest rate. */
static gint64
td_upload_sending_deadline (Exchange *exchange)
{
  return exchange->started + (gint64)exchange->timeout_seconds * G_USEC_PER_SEC +
         (gint64)(exchange->sent * G_USEC_PER_SEC / TD_LIMIT_MIN_TRANSFER_RATE);
}

/* The watch: sleeps until the deadline, cancels the exchange if it has
 * come and the exchange has not finished. */
static gpointer
td_upload_watch_thread (gpointer data)
{
  Exchange *exchange = data;
  gboolean expired = FALSE;

  g_mutex_lock (&exchange->mutex);
  while (!exchange->finished)
    {
      gint64 due = exchange->answer_due ? exchange->answer_due : td_upload_sending_deadline (exchange);

      if (g_get_monotonic_time () >= due)
        {
          expired = exchange->expired = TRUE;
          break;
        }
      g_cond_wait_until (&exchange->changed, &exchange->mutex, due);
    }
  g_mutex_unlock (&exchange->mutex);
  /* Outside the lock: the cancellable's handlers run here. */
  if (expired)
    g_cancellable_cancel (exchange->cancellable);
  return NULL;
}

/* The caller cancelled (from its own thread). */
static void
td_upload_caller_cancelled_cb (GCancellable *caller,
                               gpointer      user_data)
{
  Exchange *exchange = user_data;

  g_atomic_int_set (&exchange->caller_cancelled, TRUE);
  g_cancellable_cancel (exchange->cancellable);
}

/* While sending: the deadline moves on with it (read by the watch when it
 * wakes; not woken for it). */
static void
td_upload_wrote_body_data_cb (SoupMessage *message,
                              guint        chunk_size,
                              Exchange    *exchange)
{
  g_mutex_lock (&exchange->mutex);
  exchange->sent += chunk_size;
  g_mutex_unlock (&exchange->mutex);
}

/* The request is out: the whole answer within the time-out. */
static void
td_upload_wrote_body_cb (SoupMessage *message,
                         Exchange    *exchange)
{
  g_mutex_lock (&exchange->mutex);
  exchange->answer_due = g_get_monotonic_time () + (gint64)exchange->timeout_seconds * G_USEC_PER_SEC;
  g_cond_signal (&exchange->changed);
  g_mutex_unlock (&exchange->mutex);
}

/* The answer, never more than the cap: what lies beyond is not read. */
static void
td_upload_read_answer (Exchange *exchange)
{
  g_autofree guint8 *buffer = g_malloc (64 * 1024);

  for (;;)
    {
      gssize got = g_input_stream_read (exchange->stream, buffer, 64 * 1024, exchange->cancellable, &exchange->error);

      if (got <= 0)
        return;
      if (exchange->body->len + (gsize)got > TD_LIMIT_ANSWER_BODY)
        {
          exchange->too_large = TRUE;
          return;
        }
      g_byte_array_append (exchange->body, buffer, (guint)got);
    }
}

/* Sends @message and reads its answer into @exchange->body. */
static void
td_upload_exchange (SoupSession  *session,
                    SoupMessage  *message,
                    Exchange     *exchange,
                    GCancellable *caller)
{
  GThread *watch;
  gulong caller_handler = 0;

  exchange->cancellable = g_cancellable_new ();
  exchange->body = g_byte_array_new ();
  exchange->started = g_get_monotonic_time ();
  g_mutex_init (&exchange->mutex);
  g_cond_init (&exchange->changed);
  watch = g_thread_new ("td-upload-deadline", td_upload_watch_thread, exchange);
  if (caller)
    caller_handler = g_cancellable_connect (caller, G_CALLBACK (td_upload_caller_cancelled_cb), exchange, NULL);
  g_signal_connect (message, "wrote-body-data", G_CALLBACK (td_upload_wrote_body_data_cb), exchange);
  g_signal_connect (message, "wrote-body", G_CALLBACK (td_upload_wrote_body_cb), exchange);

  exchange->stream = soup_session_send (session, message, exchange->cancellable, &exchange->error);
  if (exchange->stream)
    td_upload_read_answer (exchange);

  g_mutex_lock (&exchange->mutex);
  exchange->finished = TRUE;
  g_cond_signal (&exchange->changed);
  g_mutex_unlock (&exchange->mutex);
  g_thread_join (watch);
  if (caller)
    g_cancellable_disconnect (caller, caller_handler);
  g_signal_handlers_disconnect_by_data (message, exchange);
  /* What is left unread is not drained (closing would read it to the end):
   * closed cancelled, it goes with the connection. */
  g_cancellable_cancel (exchange->cancellable);
  if (exchange->stream)
    g_input_stream_close (exchange->stream, exchange->cancellable, NULL);
  g_clear_object (&exchange->stream);
}

static void
td_upload_exchange_clear (Exchange *exchange)
{
  g_clear_object (&exchange->cancellable);
  g_clear_pointer (&exchange->body, g_byte_array_unref);
  g_clear_error (&exchange->error);
  g_mutex_clear (&exchange->mutex);
  g_cond_clear (&exchange->changed);
}

/* An exchange with the endpoint made ready before the token is known:
 * the session, its proxy resolver (GIO loads its module on first use) and
 * TLS set-up, and the connection itself, made while the worker waits for
 * the keyring and checks the revision (issue 17). Only the connection: no
 * request goes out before td_upload_connection_send(), which sends over
 * it once it is made. libsoup takes over a connection still being made
 * only for an asynchronous request, and the send is blocking, so the
 * caller runs the context until the connection is settled (made, failed,
 * or given up after the time-out). A connection that could not be made
 * ends the send with its error, as when the send itself connected: one
 * connection a try, never two. */
struct _TdUploadConnection
{
  GMainContext *context;        /* the thread's default one while this lives */
  SoupSession  *session;
  SoupMessage  *preconnect;     /* for the address, and the certificate check of the handshake */
  GCancellable *cancellable;    /* the preconnection's: cancelled by the caller's, or the deadline */
  GCancellable *caller;
  gulong        caller_handler;
  GSource      *deadline;
  gboolean      settled;
  gboolean      expired;        /* not made within the time-out */
  GError       *error;          /* why it could not be made */
  Trust         trust;
  char         *url;
  guint         timeout_seconds;
};

static void
td_upload_preconnected_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  TdUploadConnection *self = user_data;

  soup_session_preconnect_finish (SOUP_SESSION (source), result, &self->error);
  self->settled = TRUE;
  if (self->deadline)
    g_source_destroy (self->deadline);
  g_clear_pointer (&self->deadline, g_source_unref);
}

static gboolean
td_upload_connecting_expired_cb (gpointer user_data)
{
  TdUploadConnection *self = user_data;

  self->expired = TRUE;
  g_cancellable_cancel (self->cancellable);
  return G_SOURCE_REMOVE;
}

static void
td_upload_connecting_cancelled_cb (GCancellable *caller,
                                   GCancellable *preconnection)
{
  g_cancellable_cancel (preconnection);
}

/**
 * td_upload_connection_new:
 * @cancellable: (nullable): the caller's, which gives up connecting too
 *
 * Checks @settings, readies a session on the calling thread's default
 * context (the global one if none was pushed: then one of its own is
 * pushed here), and starts connecting to the endpoint. The connection
 * advances while that context runs; new, send and free on one thread.
 *
 * Returns: (transfer full) (nullable): the connection, or %NULL with the
 *   reason (the endpoint, the CA certificate file)
 */
TdUploadConnection *
td_upload_connection_new (const TdUploadSettings  *settings,
                          GCancellable            *cancellable,
                          GError                 **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  TdUploadConnection *self;
  GTlsDatabase *extra = NULL;

  g_return_val_if_fail (settings != NULL, NULL);

  if (!td_upload_check_endpoint (settings->endpoint, error))
    return NULL;
  uri = g_uri_parse (settings->endpoint, G_URI_FLAGS_NONE, NULL);
  if (settings->ca_file && *settings->ca_file)
    {
      extra = g_tls_file_database_new (settings->ca_file, &local_error);
      if (extra == NULL)
        {
          g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_TLS,
                       _("The CA certificate file cannot be used: %s"), local_error->message);
          return NULL;
        }
    }

  self = g_new0 (TdUploadConnection, 1);
  self->trust.extra = extra;
  self->trust.host = g_strdup (g_uri_get_host (uri));
  self->url = g_str_has_suffix (settings->endpoint, "/")
                ? g_strconcat (settings->endpoint, "submissions", NULL)
                : g_strconcat (settings->endpoint, "/submissions", NULL);
  self->timeout_seconds = settings->timeout_seconds ? settings->timeout_seconds : 60;
  self->cancellable = g_cancellable_new ();

  /* The session belongs to this thread's context. */
  if (g_main_context_get_thread_default () == NULL)
    self->context = g_main_context_new ();
  else
    self->context = g_main_context_ref_thread_default ();
  g_main_context_push_thread_default (self->context);

  self->session = soup_session_new_with_options ("timeout", self->timeout_seconds,
                                                 "idle-timeout", 5,
                                                 "user-agent", "training-desk/" PACKAGE_VERSION " ",
                                                 NULL);
  self->preconnect = soup_message_new (SOUP_METHOD_POST, self->url);
  if (self->preconnect == NULL)
    {
      g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_INVALID,
                   _("The upload endpoint “%s” is not an https:// address. Check it in Preferences."),
                   settings->endpoint);
      self->settled = TRUE;
      td_upload_connection_free (self);
      return NULL;
    }
  soup_message_add_flags (self->preconnect, SOUP_MESSAGE_NO_REDIRECT);
  g_signal_connect (self->preconnect, "accept-certificate", G_CALLBACK (td_upload_accept_certificate_cb),
                    &self->trust);
  if (cancellable)
    {
      self->caller = g_object_ref (cancellable);
      self->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (td_upload_connecting_cancelled_cb),
                                                    self->cancellable, NULL);
    }
  /* A handshake that drags on is not waited for longer than a send would be. */
  self->deadline = g_timeout_source_new_seconds (self->timeout_seconds);
  g_source_set_callback (self->deadline, td_upload_connecting_expired_cb, self, NULL);
  g_source_attach (self->deadline, self->context);
  soup_session_preconnect_async (self->session, self->preconnect, G_PRIORITY_DEFAULT, self->cancellable,
                                 td_upload_preconnected_cb, self);
  return self;
}

/**
 * td_upload_connection_is_settled:
 *
 * Returns: %TRUE once the connection is made, or failed, or was given up
 *   (after the time-out, or the caller's cancellable): the send may start
 */
gboolean
td_upload_connection_is_settled (TdUploadConnection *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->settled;
}

/**
 * td_upload_connection_get_context:
 *
 * Returns: (transfer none): the context the connection advances in, to
 *   run (g_main_context_iteration()) while waiting, or to wake
 *   (g_main_context_wakeup(), from any thread)
 */
GMainContext *
td_upload_connection_get_context (TdUploadConnection *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->context;
}

void
td_upload_connection_free (TdUploadConnection *self)
{
  if (self == NULL)
    return;

  if (self->caller)
    g_cancellable_disconnect (self->caller, self->caller_handler);
  g_clear_object (&self->caller);
  g_cancellable_cancel (self->cancellable);
  /* Its callback runs before this goes (cancelled, it comes soon). */
  while (!self->settled)
    g_main_context_iteration (self->context, TRUE);
  g_clear_object (&self->preconnect);
  g_clear_object (&self->session);
  /* Let the session's last sources run before the context goes. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  g_main_context_unref (self->context);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_free (self->trust.host);
  g_clear_object (&self->trust.extra);
  g_free (self->url);
  g_free (self);
}

/**
 * td_upload_send:
 * @token: the school's bearer token
 *
 * POSTs @submission and waits for the answer. Blocking.
 *
 * Returns: (transfer full): the receiver's receipt, when it stored the
 *   revision now (201) or had it already (200)
 */
char *
td_upload_send (const TdUploadSettings    *settings,
                const char                *token,
                const TdUploadSubmission  *submission,
                GCancellable              *cancellable,
                GError                   **error)
{
  TdUploadConnection *connection;
  char *receipt;

  g_return_val_if_fail (settings != NULL && submission != NULL, NULL);

  connection = td_upload_connection_new (settings, cancellable, error);
  if (connection == NULL)
    return NULL;
  while (!td_upload_connection_is_settled (connection))
    g_main_context_iteration (td_upload_connection_get_context (connection), TRUE);
  receipt = td_upload_connection_send (connection, token, submission, cancellable, error);
  td_upload_connection_free (connection);
  return receipt;
}

/**
 * td_upload_connection_send:
 * @token: the school's bearer token
 *
 * POSTs @submission over @self and waits for the answer. Blocking. Once.
 *
 * Returns: (transfer full): the receiver's receipt, when it stored the
 *   revision now (201) or had it already (200)
 */
char *
td_upload_connection_send (TdUploadConnection        *self,
                           const char                *token,
                           const TdUploadSubmission  *submission,
                           GCancellable              *cancellable,
                           GError                   **error)
{
  g_autoptr(TdUploadBody) request_body = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *authorization = NULL, *text = NULL, *content_type = NULL;
  gsize body_length;
  Exchange exchange = { 0, };
  guint status;
  char *receipt = NULL;

  g_return_val_if_fail (self != NULL && submission != NULL, NULL);
  g_return_val_if_fail ((submission->pdf != NULL) != (submission->pdf_stream != NULL), NULL);

  /* The connection could not be made: why, as the send would say it. */
  if (self->caller && g_cancellable_is_cancelled (self->caller))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Sending was cancelled."));
      return NULL;
    }
  if (self->expired)
    {
      g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_TIMEOUT,
                   _("The upload endpoint did not answer in time. Training Desk will try again."));
      return NULL;
    }
  if (self->error)
    {
      td_upload_set_transport_error (self->error, error);
      return NULL;
    }

  exchange.timeout_seconds = self->timeout_seconds;
  /* The same address the preconnection parsed. */
  message = soup_message_new (SOUP_METHOD_POST, self->url);
  request_body = td_upload_body_new (submission, &content_type, &body_length);
  soup_message_set_request_body (message, content_type, G_INPUT_STREAM (request_body), (gssize)body_length);
  /* A redirect could lead the token elsewhere, or to plain http://. The
   * POST is idempotent by its key (docs/upload-protocol.md): libsoup may
   * send it over the connection made ahead, open and idle, where it opens
   * a new one for any other POST. (It still never sends a POST twice.) */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_IDEMPOTENT);
  authorization = g_strconcat ("Bearer ", token ? token : "", NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Idempotency-Key",
                                submission->revision_uuid);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  /* docs/upload-protocol.md: the receiver may refuse (401, 409, 413) from
   * the headers, before a 20 MB body goes out. Only for a large body, as
   * curl does: libsoup 3 waits for "100 Continue" until the time-out and
   * never sends the body without it, so a small upload through a proxy or
   * server that ignores the expectation would stall for nothing. */
  if (td_upload_expects_continue (submission))
    soup_message_headers_set_expectations (soup_message_get_request_headers (message), SOUP_EXPECTATION_CONTINUE);
  /* A new connection, if the one made ahead failed, is checked alike. */
  g_signal_connect (message, "accept-certificate", G_CALLBACK (td_upload_accept_certificate_cb), &self->trust);

  td_upload_exchange (self->session, message, &exchange, cancellable);
  status = soup_message_get_status (message);

  if (g_atomic_int_get (&exchange.caller_cancelled))
    {
      td_upload_exchange_clear (&exchange);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Sending was cancelled."));
      return NULL;
    }
  /* The body could not be read to its end: the PDF no longer matches its
   * signature, say. Said as it is, not as the connection it broke. */
  if (request_body->error)
    {
      td_upload_exchange_clear (&exchange);
      g_propagate_error (error, g_error_copy (request_body->error));
      return NULL;
    }
  if (exchange.expired)
    {
      td_upload_exchange_clear (&exchange);
      g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_TIMEOUT,
                   _("The upload endpoint did not answer in time. Training Desk will try again."));
      return NULL;
    }
  if (exchange.error)
    {
      td_upload_set_transport_error (exchange.error, error);
      td_upload_exchange_clear (&exchange);
      return NULL;
    }
  if (exchange.too_large && (status == SOUP_STATUS_CREATED || status == SOUP_STATUS_OK))
    {
      td_upload_exchange_clear (&exchange);
      g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_PROTOCOL,
                   _("The upload endpoint’s answer is larger than 1 MiB, more than any receipt: Training Desk "
                     "stopped reading it. It will ask again; if this persists, tell the province."));
      return NULL;
    }
  /* Another status says enough alone: a page too large is not read. */
  if (!exchange.too_large)
    body = g_byte_array_free_to_bytes (g_steal_pointer (&exchange.body));
  td_upload_exchange_clear (&exchange);

  text = td_upload_server_message (body);
  switch (status)
    {
    case SOUP_STATUS_CREATED:
    case SOUP_STATUS_OK:
      receipt = td_upload_receipt_from (body, submission->revision_uuid, error);
      break;

    case SOUP_STATUS_UNAUTHORIZED:
    case SOUP_STATUS_FORBIDDEN:
      g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_AUTH,
                   _("The upload endpoint refused the school’s token (%u %s). Enter the token the province gave "
                     "the school in Preferences."),
                   status, text ? text : soup_message_get_reason_phrase (message));
      break;

    case SOUP_STATUS_CONFLICT:
      g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_CONFLICT,
                   _("The upload endpoint holds a different form under this revision (409: %s). "
                     "It will not be sent again; tell the province."),
                   text ? text : soup_message_get_reason_phrase (message));
      break;

    default:
      if (status >= 500 || status == SOUP_STATUS_REQUEST_TIMEOUT || status == 429)
        g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_SERVER,
                     _("The upload endpoint has a problem of its own (%u %s). Training Desk will try again."),
                     status, text ? text : soup_message_get_reason_phrase (message));
      else if (status >= 400)
        g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_REFUSED,
                     _("The upload endpoint refused the form (%u): %s"),
                     status, text ? text : soup_message_get_reason_phrase (message));
      else
        g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_PROTOCOL,
                     _("The upload endpoint gave an unexpected answer (%u %s). Training Desk will try again."),
                     status, soup_message_get_reason_phrase (message));
    }
  return receipt;
}
