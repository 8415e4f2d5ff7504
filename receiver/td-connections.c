/* td-connections.c: the receiver's own accepting, with limits and deadlines
 *
 * libsoup 3.2 gives a server no deadline before a request starts and no
 * limit on connections: its listener does the TLS handshake as soon as it
 * accepts, and glib-networking runs every handshake in a thread of GLib's
 * shared GTask pool, blocked until the client speaks. 100 sockets that
 * never started TLS so held every thread, and every other client waited
 * ~45 s; 4,200 kept the receiver down for 6 minutes (issue 12).
 *
 * So the receiver accepts itself (a GSocketService with a backlog as large
 * as its connection limit) and hands each connection to the SoupServer
 * (soup_server_accept_iostream()) once it is worth it:
 *
 * - a connection over its address's limit or over the total, when no
 *   silent one can make room, is closed at once; at either limit, the
 *   oldest connection (of that address, or of all) that has not yet sent
 *   its request's headers is closed to make room (a normal client sends
 *   them at once, silent sockets never do);
 * - under HTTPS, the handshake starts only when the client has sent its
 *   first bytes (no thread for a socket that says nothing) and must end
 *   within the handshake time-out;
 * - deadlines counted from accept: the request's headers within the
 *   header time-out, its whole body within the request time-out. The
 *   idle time-out (GSocket's) bounds each single wait as before.
 *
 * A connection handed to libsoup is followed by its client address (the
 * GSocketAddress given to libsoup, which keeps that very object) and a
 * weak reference on its stream; a deadline shuts its socket down, and
 * libsoup, reading nothing more, drops it.
 *
 * Keep-alive: every answer says "Connection: close" and libsoup closes the
 * connection after it, except the answers the receiver keeps open
 * (td_connections_keep_open(): an upload stored, its body read whole).
 * Then the next request on the connection has deadlines of its own,
 * counted from the end of the one before, and the connection, waiting for
 * its headers, is silent again: closed after the header time-out, or
 * sooner to make room. A new connection for each upload was a fifth of
 * the main loop's time under 64 clients, and keep-alive gave 1.37× the
 * uploads a second (issue 17). libsoup 3.2 keeps a connection open only
 * when it has a listener of its own: it is given one that no client can
 * reach (td_connections_unreachable_listener(); if it cannot be made, every
 * connection carries one request, as before).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-receiver"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>

#include "td-connections.h"
#include "td-receiver-log.h"

typedef enum
{
  PHASE_FIRST_BYTES,  /* HTTPS: accepted, nothing received yet */
  PHASE_HANDSHAKE,    /* HTTPS: the TLS handshake under way */
  PHASE_HEADERS,      /* with libsoup, waiting for the request's headers */
  PHASE_BODY,         /* headers read, the body coming */
  PHASE_ANSWER,       /* the whole request read: no deadline */
} Phase;

typedef struct _Conn Conn;

struct _TdConnections
{
  GObject             parent_instance;

  SoupServer         *server;
  GTlsCertificate    *certificate;
  TdConnectionLimits  limits;

  GSocketService     *service;
  GInetAddress       *address;
  guint16             port;
  gboolean            stopped;

  GQueue              conns;       /* every Conn, oldest first */
  guint               n_open;      /* those not being closed */
  GHashTable         *per_host;    /* host → number open */

  /* Refused connections are counted and logged at most once a second. */
  guint               refused;
  gint64              refused_logged_at;
};

G_DEFINE_FINAL_TYPE (TdConnections, td_connections, G_TYPE_OBJECT)

struct _Conn
{
  TdConnections     *self;
  GList              link;
  guint              refs;
  Phase              phase;
  gboolean           closing;
  gint64             accepted_at;  /* monotonic, µs: or when its latest request began */
  char              *host;

  GSocket           *socket;
  GSocketAddress    *remote;
  GSocketConnection *connection;   /* ours until handed over */
  GTlsConnection    *tls;          /* during the handshake */
  GCancellable      *cancellable;
  GSource           *first_bytes;
  guint              deadline;
  GIOStream         *handed;       /* weak: libsoup's */
};

static GQuark conn_quark;

static void td_connections_conn_close (Conn *conn, const char *why);

static Conn *
td_connections_conn_ref (Conn *conn)
{
  conn->refs++;
  return conn;
}

static void
td_connections_conn_unref (Conn *conn)
{
  if (--conn->refs > 0)
    return;
  g_queue_unlink (&conn->self->conns, &conn->link);
  g_clear_handle_id (&conn->deadline, g_source_remove);
  if (conn->first_bytes)
    g_source_destroy (conn->first_bytes);
  g_clear_pointer (&conn->first_bytes, g_source_unref);
  if (conn->remote)
    g_object_set_qdata (G_OBJECT (conn->remote), conn_quark, NULL);
  g_clear_object (&conn->tls);
  g_clear_object (&conn->connection);
  g_clear_object (&conn->cancellable);
  g_clear_object (&conn->remote);
  g_clear_object (&conn->socket);
  g_free (conn->host);
  g_free (conn);
}

/* Counts */

static void
td_connections_count_host (TdConnections *self,
                           const char    *host,
                           int            delta)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_host, host));

  n = (guint)((int)n + delta);
  if (n == 0)
    g_hash_table_remove (self->per_host, host);
  else
    g_hash_table_insert (self->per_host, g_strdup (host), GUINT_TO_POINTER (n));
}

static void
td_connections_note_refused (TdConnections *self)
{
  gint64 now = g_get_monotonic_time ();

  self->refused++;
  if (now - self->refused_logged_at < G_USEC_PER_SEC)
    return;
  td_receiver_log ("%u connection(s) closed at once: over the limit of %u in all or %u from one address",
                   self->refused, self->limits.max_connections, self->limits.max_per_address);
  self->refused = 0;
  self->refused_logged_at = now;
}

/* Deadlines */

static gboolean
td_connections_conn_deadline_cb (gpointer user_data)
{
  Conn *conn = user_data;
  g_autofree char *why = NULL;

  conn->deadline = 0;
  switch (conn->phase)
    {
    case PHASE_FIRST_BYTES:
    case PHASE_HANDSHAKE:
      why = g_strdup_printf ("no TLS handshake within %u s", conn->self->limits.handshake_timeout_s);
      break;
    case PHASE_HEADERS:
      why = g_strdup_printf ("no request headers within %u s", conn->self->limits.header_timeout_s);
      break;
    case PHASE_BODY:
    case PHASE_ANSWER:
    default:
      why = g_strdup_printf ("the request not read whole within %u s", conn->self->limits.request_timeout_s);
      break;
    }
  td_connections_conn_close (conn, why);
  return G_SOURCE_REMOVE;
}

static void
td_connections_conn_set_phase (Conn  *conn,
                               Phase  phase)
{
  const TdConnectionLimits *limits = &conn->self->limits;
  guint seconds;
  gint64 left_ms;

  conn->phase = phase;
  g_clear_handle_id (&conn->deadline, g_source_remove);
  if (conn->closing || phase == PHASE_ANSWER)
    return;

  if (phase == PHASE_FIRST_BYTES || phase == PHASE_HANDSHAKE)
    seconds = MIN (limits->handshake_timeout_s, limits->header_timeout_s);
  else if (phase == PHASE_HEADERS)
    seconds = limits->header_timeout_s;
  else
    seconds = limits->request_timeout_s;

  left_ms = (conn->accepted_at + (gint64)seconds * G_USEC_PER_SEC - g_get_monotonic_time ()) / 1000;
  conn->deadline = g_timeout_add ((guint)CLAMP (left_ms, 0, G_MAXINT), td_connections_conn_deadline_cb, conn);
}

/* Closing */

static void
td_connections_conn_close (Conn       *conn,
                           const char *why)
{
  TdConnections *self = conn->self;

  if (conn->closing)
    return;
  conn->closing = TRUE;
  g_queue_unlink (&self->conns, &conn->link);
  g_queue_push_tail_link (&self->conns, &conn->link);
  self->n_open--;
  td_connections_count_host (self, conn->host, -1);
  g_clear_handle_id (&conn->deadline, g_source_remove);
  if (why)
    td_receiver_log ("%s: connection closed: %s", conn->host, why);

  switch (conn->phase)
    {
    case PHASE_FIRST_BYTES:
      g_io_stream_close (G_IO_STREAM (conn->connection), NULL, NULL);
      td_connections_conn_unref (conn);
      break;

    case PHASE_HANDSHAKE:
      /* The handshake's callback drops the connection. */
      g_cancellable_cancel (conn->cancellable);
      g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
      break;

    case PHASE_HEADERS:
    case PHASE_BODY:
    case PHASE_ANSWER:
    default:
      /* libsoup reads the end, drops the stream, and the weak reference
       * drops the connection. */
      if (conn->handed)
        g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
      break;
    }
}

/* Handing over to libsoup */

static void
td_connections_conn_handed_gone_cb (gpointer  user_data,
                                    GObject  *where_the_object_was)
{
  Conn *conn = user_data;

  conn->handed = NULL;
  if (!conn->closing)
    {
      conn->closing = TRUE;
      conn->self->n_open--;
      td_connections_count_host (conn->self, conn->host, -1);
    }
  td_connections_conn_unref (conn);
}

static void
td_connections_conn_hand_over (Conn      *conn,
                               GIOStream *stream)
{
  TdConnections *self = conn->self;
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (conn->socket, NULL);

  conn->handed = stream;
  g_object_weak_ref (G_OBJECT (stream), td_connections_conn_handed_gone_cb, conn);
  g_object_set_qdata (G_OBJECT (conn->remote), conn_quark, conn);
  td_connections_conn_set_phase (conn, PHASE_HEADERS);

  /* libsoup keeps @stream from here: ours are dropped. */
  soup_server_accept_iostream (self->server, stream, local, conn->remote, NULL);
  g_clear_object (&conn->tls);
  g_clear_object (&conn->connection);
}

static void
td_connections_conn_handshake_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  Conn *conn = user_data;
  g_autoptr(TdConnections) self = g_object_ref (conn->self);
  g_autoptr(GError) error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, &error) || conn->closing)
    {
      g_autofree char *why = g_strdup_printf ("TLS handshake failed: %s", error ? error->message : "closed");

      if (!conn->closing)
        td_connections_conn_close (conn, why);
      g_io_stream_close (G_IO_STREAM (conn->tls), NULL, NULL);
      td_connections_conn_unref (conn);  /* the handshake's */
      td_connections_conn_unref (conn);  /* the connection's own */
      g_object_unref (self);
      return;
    }
  /* The connection's own reference goes with the stream (weakly). */
  td_connections_conn_hand_over (conn, G_IO_STREAM (conn->tls));
  td_connections_conn_unref (conn);
  g_object_unref (self);
}

static gboolean
td_connections_conn_first_bytes_cb (GSocket      *socket,
                                    GIOCondition  condition,
                                    gpointer      user_data)
{
  Conn *conn = user_data;
  TdConnections *self = conn->self;
  static const char * const protocols[] = { "http/1.1", "http/1.0", NULL };
  g_autoptr(GError) error = NULL;
  GIOStream *tls;

  g_clear_pointer (&conn->first_bytes, g_source_unref);
  /* No certificate database: clients are not asked for certificates, and
   * g_tls_server_connection_new() would load the system's CA bundle for
   * each connection (~170 ms each). libsoup's listener does the same. */
  tls = g_initable_new (g_tls_backend_get_server_connection_type (g_tls_backend_get_default ()),
                        NULL, &error,
                        "base-io-stream", conn->connection,
                        "certificate", self->certificate,
                        "database", NULL,
                        "require-close-notify", FALSE,
                        "advertised-protocols", protocols,
                        NULL);
  if (tls == NULL)
    {
      td_connections_conn_close (conn, error->message);
      return G_SOURCE_REMOVE;
    }
  conn->tls = G_TLS_CONNECTION (tls);
  conn->phase = PHASE_HANDSHAKE;
  g_object_ref (self);
  g_tls_connection_handshake_async (conn->tls, G_PRIORITY_DEFAULT, conn->cancellable,
                                    td_connections_conn_handshake_cb, td_connections_conn_ref (conn));
  return G_SOURCE_REMOVE;
}

/* Accepting */

/* The oldest connection that has sent no request yet (from @host, unless
 * NULL), to make room. */
static Conn *
td_connections_find_silent (TdConnections *self,
                            const char    *host)
{
  for (GList *l = self->conns.head; l; l = l->next)
    {
      Conn *conn = l->data;

      if (conn->closing)
        break;  /* closing ones are at the end */
      if (conn->phase <= PHASE_HEADERS && (host == NULL || g_str_equal (conn->host, host)))
        return conn;
    }
  return NULL;
}

static gboolean
td_connections_incoming_cb (GSocketService    *service,
                            GSocketConnection *connection,
                            GObject           *source_object,
                            gpointer           user_data)
{
  TdConnections *self = user_data;
  GSocket *socket = g_socket_connection_get_socket (connection);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autofree char *host = NULL;
  Conn *conn;

  /* Returning leaves @connection to be closed as its last reference goes. */
  if (self->stopped || !G_IS_INET_SOCKET_ADDRESS (remote))
    return TRUE;
  host = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));

  /* An address at its limit makes room as the total does: its clients'
   * kept-alive connections wait silent for a next request, and one whose
   * client has gone is only seen gone at its header time-out — so 32
   * uploads in 30 s from one address (a school's network behind one NAT)
   * refused the 33rd. */
  if (GPOINTER_TO_UINT (g_hash_table_lookup (self->per_host, host)) >= self->limits.max_per_address)
    {
      Conn *silent = td_connections_find_silent (self, host);

      if (silent == NULL)
        {
          g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
          td_connections_note_refused (self);
          return TRUE;
        }
      td_connections_conn_close (silent, "the address's oldest without a request, closed to make room");
    }
  if (self->n_open >= self->limits.max_connections)
    {
      Conn *silent = td_connections_find_silent (self, NULL);

      if (silent == NULL)
        {
          g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
          td_connections_note_refused (self);
          return TRUE;
        }
      td_connections_conn_close (silent, "the oldest without a request, closed to make room");
    }

  conn = g_new0 (Conn, 1);
  conn->self = self;
  conn->refs = 1;
  conn->link.data = conn;
  conn->accepted_at = g_get_monotonic_time ();
  conn->host = g_steal_pointer (&host);
  conn->socket = g_object_ref (socket);
  conn->remote = g_steal_pointer (&remote);
  conn->connection = g_object_ref (connection);
  conn->cancellable = g_cancellable_new ();
  /* Before the closing ones, which are at the end. */
  {
    GList *l = self->conns.head;

    while (l && !((Conn *)l->data)->closing)
      l = l->next;
    if (l)
      g_queue_insert_before_link (&self->conns, l, &conn->link);
    else
      g_queue_push_tail_link (&self->conns, &conn->link);
  }
  self->n_open++;
  td_connections_count_host (self, conn->host, +1);

  g_socket_set_timeout (socket, self->limits.idle_timeout_s);
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

  if (self->certificate == NULL)
    {
      td_connections_conn_hand_over (conn, G_IO_STREAM (connection));
      return TRUE;
    }

  conn->first_bytes = g_socket_create_source (socket, G_IO_IN, conn->cancellable);
  g_source_set_callback (conn->first_bytes, G_SOURCE_FUNC (td_connections_conn_first_bytes_cb), conn, NULL);
  g_source_attach (conn->first_bytes, NULL);
  td_connections_conn_set_phase (conn, PHASE_FIRST_BYTES);
  return TRUE;
}

/* What libsoup reads: the request's headers, then its whole body, move a
 * connection to its next deadline. */

static Conn *
td_connections_conn_of_message (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote ? g_object_get_qdata (G_OBJECT (remote), conn_quark) : NULL;
}

static void
td_connections_got_headers_cb (SoupServerMessage *msg,
                               gpointer           user_data)
{
  Conn *conn = td_connections_conn_of_message (msg);

  if (conn && conn->phase < PHASE_BODY)
    td_connections_conn_set_phase (conn, PHASE_BODY);
}

static void
td_connections_got_body_cb (SoupServerMessage *msg,
                            gpointer           user_data)
{
  Conn *conn = td_connections_conn_of_message (msg);

  if (conn)
    td_connections_conn_set_phase (conn, PHASE_ANSWER);
}

static void
td_connections_request_started_cb (SoupServer        *server,
                                   SoupServerMessage *msg,
                                   TdConnections     *self)
{
  /* Said to the client: the connection closes after this answer, unless
   * td_connections_keep_open(). */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  g_signal_connect (msg, "got-headers", G_CALLBACK (td_connections_got_headers_cb), NULL);
  g_signal_connect (msg, "got-body", G_CALLBACK (td_connections_got_body_cb), NULL);
}

/* The answer written, on a connection kept open: the next request's
 * deadlines start now. */
static void
td_connections_answered_cb (SoupServerMessage *msg,
                            gpointer           user_data)
{
  Conn *conn = td_connections_conn_of_message (msg);

  if (conn == NULL || conn->closing || conn->phase != PHASE_ANSWER)
    return;
  conn->accepted_at = g_get_monotonic_time ();
  td_connections_conn_set_phase (conn, PHASE_HEADERS);
}

/**
 * td_connections_keep_open:
 * @msg: a request read whole, being answered
 *
 * The connection stays open after this answer (HTTP/1.1 keep-alive),
 * unless the client said it closes it.
 */
void
td_connections_keep_open (SoupServerMessage *msg)
{
  Conn *conn = td_connections_conn_of_message (msg);

  if (conn == NULL || conn->closing)
    return;
  soup_message_headers_remove (soup_server_message_get_response_headers (msg), "Connection");
  g_signal_connect (msg, "finished", G_CALLBACK (td_connections_answered_cb), NULL);
}

/* The object */

static void
td_connections_dispose (GObject *object)
{
  TdConnections *self = TD_CONNECTIONS (object);

  td_connections_stop (self);
  /* What libsoup still holds: forget it. */
  while (self->conns.head)
    {
      Conn *conn = self->conns.head->data;

      if (conn->handed)
        {
          g_object_weak_unref (G_OBJECT (conn->handed), td_connections_conn_handed_gone_cb, conn);
          conn->handed = NULL;
        }
      conn->refs = 1;
      td_connections_conn_unref (conn);
    }
  if (self->server)
    g_signal_handlers_disconnect_by_data (self->server, self);
  g_clear_object (&self->server);
  g_clear_object (&self->certificate);
  g_clear_object (&self->service);
  g_clear_object (&self->address);

  G_OBJECT_CLASS (td_connections_parent_class)->dispose (object);
}

static void
td_connections_finalize (GObject *object)
{
  TdConnections *self = TD_CONNECTIONS (object);

  g_clear_pointer (&self->per_host, g_hash_table_unref);

  G_OBJECT_CLASS (td_connections_parent_class)->finalize (object);
}

static void
td_connections_class_init (TdConnectionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = td_connections_dispose;
  object_class->finalize = td_connections_finalize;
  conn_quark = g_quark_from_static_string ("td-connection");
}

static void
td_connections_init (TdConnections *self)
{
  self->per_host = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * td_connections_new:
 * @server: the SoupServer, with no listener of its own
 * @certificate: (nullable): for HTTPS
 * @limits: every member more than 0
 */
TdConnections *
td_connections_new (SoupServer               *server,
                    GTlsCertificate          *certificate,
                    const TdConnectionLimits *limits)
{
  TdConnections *self = g_object_new (TD_TYPE_CONNECTIONS, NULL);

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);
  g_return_val_if_fail (limits->max_connections > 0 && limits->max_per_address > 0, NULL);

  self->server = g_object_ref (server);
  self->certificate = certificate ? g_object_ref (certificate) : NULL;
  self->limits = *limits;
  g_signal_connect_object (server, "request-started", G_CALLBACK (td_connections_request_started_cb), self, 0);
  return self;
}

/* libsoup 3.2 keeps a connection open after an answer only when the
 * server has a listener of its own. This one is a Unix socket whose file
 * is removed at once, with the private folder it was made in: nothing can
 * connect to it, and every connection still comes through
 * td_connections_incoming_cb(). */
static gboolean
td_connections_unreachable_listener (TdConnections  *self,
                                     GError        **error)
{
  g_autofree char *dir = g_dir_make_tmp ("training-desk-receiver-XXXXXX", error);
  g_autofree char *path = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  gboolean ok;

  if (dir == NULL)
    return FALSE;
  path = g_build_filename (dir, "none", NULL);
  address = g_unix_socket_address_new (path);
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
  ok = socket != NULL &&
       g_socket_bind (socket, address, FALSE, error) &&
       g_socket_listen (socket, error);
  g_unlink (path);
  g_rmdir (dir);
  return ok && soup_server_listen_socket (self->server, socket, 0, error);
}

gboolean
td_connections_listen (TdConnections  *self,
                       GInetAddress   *address,
                       guint16         port,
                       GError        **error)
{
  g_autoptr(GSocketAddress) wanted = g_inet_socket_address_new (address, port);
  g_autoptr(GSocketAddress) effective = NULL;

  g_return_val_if_fail (self->service == NULL, FALSE);

  {
    g_autoptr(GError) local_error = NULL;

    /* Without it, every connection carries one request, as before. */
    if (!td_connections_unreachable_listener (self, &local_error))
      td_receiver_log ("connections are not kept open: %s", local_error->message);
  }
  self->service = g_socket_service_new ();
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (self->service), (int)MIN (self->limits.max_connections, G_MAXINT));
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), wanted, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, error))
    return FALSE;
  self->address = g_object_ref (address);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (self->service, "incoming", G_CALLBACK (td_connections_incoming_cb), self);
  g_socket_service_start (self->service);
  return TRUE;
}

/**
 * td_connections_dup_uri:
 *
 * Returns: (transfer full) (nullable): where it listens: http://127.0.0.1:8080/
 */
char *
td_connections_dup_uri (TdConnections *self)
{
  g_autofree char *host = NULL;

  if (self->address == NULL)
    return NULL;
  host = g_inet_address_to_string (self->address);
  return g_uri_join (G_URI_FLAGS_NONE, self->certificate ? "https" : "http", NULL, host, self->port, "/",
                     NULL, NULL);
}

/* Stops accepting and closes what has not reached libsoup; what has is
 * libsoup's to close (soup_server_disconnect()). */
void
td_connections_stop (TdConnections *self)
{
  GList *l;

  if (self->stopped)
    return;
  self->stopped = TRUE;
  if (self->service)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    }
  l = self->conns.head;
  while (l)
    {
      Conn *conn = l->data;

      l = l->next;
      if (!conn->closing && conn->phase < PHASE_HEADERS)
        td_connections_conn_close (conn, NULL);
    }
}
