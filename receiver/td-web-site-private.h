/* td-web-site-private.h: what the site's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-catalogue.h"
#include "td-web-site.h"
#include "td-web.h"

G_BEGIN_DECLS

/* Web requests waiting or being answered at once, at most; more are
 * answered 503 at once. */
#define TD_WEB_SITE_MAX_JOBS 64
/* Threads answering web requests: each may hash a password (Argon2id,
 * 64 MiB), so few. */
#define TD_WEB_SITE_THREADS 2
/* Sessions of the desk, at most; and how long one lasts. */
#define TD_WEB_SITE_MAX_SESSIONS 1024
#define TD_WEB_SESSION_SECONDS (8 * 60 * 60)
/* Failed logins to an account before it is locked, and for how long. */
#define TD_WEB_LOCKOUT_FAILURES 5
#define TD_WEB_LOCKOUT_SECONDS (15 * 60)
#define TD_WEB_MAX_LOCKOUTS 4096

typedef struct
{
  char   *staff;
  char   *csrf;        /* the token every form of the session carries */
  gint64  expires;     /* monotonic, µs */
} TdWebSession;

typedef struct
{
  guint   failures;
  gint64  locked_until; /* monotonic, µs; 0: not locked */
} TdWebLockout;

struct _TdWebSite
{
  TdWebSiteOptions  options;
  char             *database;
  char             *campaign;
  char             *catalogue_token;
  TdCatalogue      *catalogue;
  GMutex            desk_lock;      /* desk_db */
  TdReceiverDb     *desk_db;
  GMutex            session_lock;   /* the two below */
  GHashTable       *sessions;       /* SHA-256 of the cookie, hex → TdWebSession */
  GHashTable       *lockouts;       /* account name → TdWebLockout */
  GThreadPool      *pool;
  GMainContext     *context;
  guint             jobs;           /* main loop only */
  char             *dummy_hash;     /* for unknown accounts: the same work */
  GOnce             dummy_once;
};

typedef struct
{
  TdWebSite   *site;
  const char  *method;
  char        *path;
  GHashTable  *query;     /* name → value */
  GHashTable  *form;      /* a POST's fields, or NULL */
  GHashTable  *cookies;
  TdWebLang    lang;
} TdWebRequest;

const char    *td_web_request_param   (TdWebRequest *request,
                                       const char   *name);
const char    *td_web_request_field   (TdWebRequest *request,
                                       const char   *name);
const char    *td_web_request_cookie  (TdWebRequest *request,
                                       const char   *name);
char          *td_web_cookie          (TdWebSite    *site,
                                       const char   *name,
                                       const char   *value,
                                       const char   *path,
                                       int           max_age);

TdWebResponse *td_web_catalogue_route (TdWebRequest *request);
TdWebResponse *td_web_desk_route      (TdWebRequest *request);
TdWebResponse *td_web_trouble         (TdWebRequest *request,
                                       GError       *error);

G_END_DECLS
