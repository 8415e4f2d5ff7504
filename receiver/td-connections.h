/* td-connections.h: the receiver's own accepting, with limits and deadlines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  guint max_connections;      /* open at once, in all; also the listen backlog */
  guint max_per_address;      /* open at once from one client address */
  guint handshake_timeout_s;  /* from accept to the end of the TLS handshake */
  guint header_timeout_s;     /* from accept to the request's headers */
  guint request_timeout_s;    /* from accept to the request's whole body */
  guint idle_timeout_s;       /* silence during any one wait */
} TdConnectionLimits;

#define TD_TYPE_CONNECTIONS (td_connections_get_type ())
G_DECLARE_FINAL_TYPE (TdConnections, td_connections, TD, CONNECTIONS, GObject)

TdConnections *td_connections_new     (SoupServer                *server,
                                       GTlsCertificate           *certificate,
                                       const TdConnectionLimits  *limits);
gboolean       td_connections_listen  (TdConnections             *self,
                                       GInetAddress              *address,
                                       guint16                    port,
                                       GError                   **error);
char          *td_connections_dup_uri (TdConnections             *self);
void           td_connections_stop    (TdConnections             *self);

void           td_connections_keep_open (SoupServerMessage       *msg);

G_END_DECLS
