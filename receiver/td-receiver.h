/* td-receiver.h: the upload endpoint (docs/upload-protocol.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What the protocol's version is; GET / says it. */
#define TD_UPLOAD_PROTOCOL_VERSION 1
#define TD_RECEIVER_DEFAULT_MAX_BODY (32 * 1024 * 1024)
#define TD_RECEIVER_DEFAULT_IDLE_TIMEOUT 60
/* Issue 12's limits; docs/upload-protocol.md, "Limits". */
#define TD_RECEIVER_DEFAULT_HANDSHAKE_TIMEOUT 10
#define TD_RECEIVER_DEFAULT_HEADER_TIMEOUT 30
#define TD_RECEIVER_DEFAULT_REQUEST_TIMEOUT 600
#define TD_RECEIVER_DEFAULT_MAX_CONNECTIONS 512
#define TD_RECEIVER_DEFAULT_MAX_PER_ADDRESS 32
#define TD_RECEIVER_DEFAULT_QUOTA (200 * 1024 * 1024)

typedef struct
{
  const char *database;
  const char *address;          /* an IP address: 127.0.0.1, ::, 0.0.0.0 */
  guint       port;             /* 0: any free one */
  const char *tls_certificate;  /* PEM files; both or neither */
  const char *tls_key;
  gint64      max_body;         /* bytes */
  guint       busy_timeout_ms;
  guint       idle_timeout_s;   /* a connection silent this long is closed */
  guint       handshake_timeout_s;  /* from accept: the TLS handshake done */
  guint       header_timeout_s;     /* from accept: the request's headers read */
  guint       request_timeout_s;    /* from accept: the request's body read */
  guint       max_connections;      /* open at once; also the listen backlog */
  guint       max_per_address;      /* open at once from one address */
  gint64      quota;                /* bytes stored per school; 0: none */

  /* The web pages (td-web-site.c, docs/catalogue.md) */
  const char *campaign;             /* nullable: the latest of any campaign */
  GDateTime  *deadline;             /* nullable */
  const char *catalogue_token;      /* nullable: the catalogue is public */

  /* For the client's tests: the first so many submissions answered 503,
   * or stored and then left without an answer; each answer late. */
  guint       fail_first;
  guint       drop_first;
  guint       delay_ms;
} TdReceiverOptions;

#define TD_TYPE_RECEIVER (td_receiver_get_type ())
G_DECLARE_FINAL_TYPE (TdReceiver, td_receiver, TD, RECEIVER, GObject)

TdReceiver *td_receiver_new      (const TdReceiverOptions  *options,
                                  GError                  **error);
gboolean    td_receiver_listen   (TdReceiver               *self,
                                  GError                  **error);
char       *td_receiver_dup_uri  (TdReceiver               *self);
void        td_receiver_stop     (TdReceiver               *self);
gboolean    td_receiver_is_busy  (TdReceiver               *self);

G_END_DECLS
