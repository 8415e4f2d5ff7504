/* td-web-site.h: the province's web pages: /catalogue and /desk
 * (docs/catalogue.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  const char *database;
  guint       busy_timeout_ms;
  const char *campaign;          /* nullable: the latest of any */
  GDateTime  *deadline;          /* nullable */
  const char *catalogue_token;   /* nullable: the catalogue is public */
  gboolean    tls;               /* served over HTTPS: cookies are Secure */
} TdWebSiteOptions;

typedef struct _TdWebSite TdWebSite;

TdWebSite *td_web_site_new          (const TdWebSiteOptions *options,
                                     GError                **error);
void       td_web_site_free         (TdWebSite              *self);
gboolean   td_web_site_handles      (const char             *path);
gboolean   td_web_site_takes_body   (const char             *method,
                                     const char             *path);
void       td_web_site_handle       (TdWebSite              *self,
                                     SoupServerMessage      *msg,
                                     const char             *path,
                                     GHashTable             *query,
                                     const guint8           *body,
                                     gsize                   body_length);
gboolean   td_web_site_is_busy      (TdWebSite              *self);

char      *td_web_hash_password     (const char             *password,
                                     GError                **error);

G_END_DECLS
