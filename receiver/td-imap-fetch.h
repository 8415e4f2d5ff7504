/* td-imap-fetch.h: the province's mailbox read over IMAP (--fetch-imap)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-receiver-db.h"

G_BEGIN_DECLS

#define TD_IMAP_FETCH_ERROR (td_imap_fetch_error_quark ())

typedef enum
{
  TD_IMAP_FETCH_ERROR_USAGE,        /* the URL or the credentials as given */
  TD_IMAP_FETCH_ERROR_CREDENTIALS,  /* the file is unsafe or unreadable */
  TD_IMAP_FETCH_ERROR_LOGIN,        /* the server refused them */
  TD_IMAP_FETCH_ERROR_SERVER,       /* cannot connect, timeouts, not IMAP */
  TD_IMAP_FETCH_ERROR_TLS,          /* untrusted certificate, no STARTTLS */
  TD_IMAP_FETCH_ERROR_MAILBOX,      /* no such mailbox */
  TD_IMAP_FETCH_ERROR_DATABASE,
} TdImapFetchError;

#define TD_IMAP_FETCH_DEFAULT_TIMEOUT 60

typedef struct
{
  const char *url;          /* imaps://host[:port]/MAILBOX, or imap:// (STARTTLS, or loopback) */
  const char *credentials;  /* a file (user=…, password=…), or NULL: TD_IMAP_USER, TD_IMAP_PASSWORD */
  const char *ca_file;      /* nullable: a private CA */
  gint64      max_size;
  gint64      quota;
  guint       timeout_s;
} TdImapFetchOptions;

typedef struct
{
  guint stored;
  guint already_stored;
  guint refused;
  guint failed;     /* left unseen, to take again */
  guint skipped;    /* taken by an earlier run */
} TdImapFetchCounts;

GQuark   td_imap_fetch_error_quark (void);
gboolean td_imap_fetch             (TdReceiverDb             *db,
                                    const TdImapFetchOptions *options,
                                    TdImapFetchCounts        *counts,
                                    GError                  **error);

G_END_DECLS
