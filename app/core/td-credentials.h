/* td-credentials.h: secrets in the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TD_CREDENTIALS_ERROR (td_credentials_error_quark ())

typedef enum
{
  TD_CREDENTIALS_ERROR_UNAVAILABLE,  /* no keyring in this session, or it stayed locked */
  TD_CREDENTIALS_ERROR_INVALID,      /* no server, or an empty secret */
} TdCredentialsError;

typedef enum
{
  TD_CREDENTIAL_SMTP,   /* a mailbox's password or authorisation code */
  TD_CREDENTIAL_HTTPS,  /* a bearer token for the upload endpoint */
} TdCredentialKind;

GQuark      td_credentials_error_quark   (void);

/* The secret is found again by kind, server and user ("" when there is no
 * user, as for a bearer token). Storing again replaces it.
 *
 * The _sync functions make blocking D-Bus calls: never on the main loop. */
gboolean    td_credentials_store         (TdCredentialKind      kind,
                                          const char           *server,
                                          const char           *user,
                                          const char           *secret,
                                          GCancellable         *cancellable,
                                          GError              **error);
void        td_credentials_prepare       (void);
void        td_credentials_forget_prepared (void);
char       *td_credentials_lookup        (TdCredentialKind      kind,
                                          const char           *server,
                                          const char           *user,
                                          GCancellable         *cancellable,
                                          GError              **error);
gboolean    td_credentials_clear         (TdCredentialKind      kind,
                                          const char           *server,
                                          const char           *user,
                                          GCancellable         *cancellable,
                                          GError              **error);

void        td_credentials_store_async   (TdCredentialKind      kind,
                                          const char           *server,
                                          const char           *user,
                                          const char           *secret,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean    td_credentials_store_finish  (GAsyncResult         *result,
                                          GError              **error);
void        td_credentials_lookup_async  (TdCredentialKind      kind,
                                          const char           *server,
                                          const char           *user,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
char       *td_credentials_lookup_finish (GAsyncResult         *result,
                                          GError              **error);
void        td_credentials_clear_async   (TdCredentialKind      kind,
                                          const char           *server,
                                          const char           *user,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean    td_credentials_clear_finish  (GAsyncResult         *result,
                                          GError              **error);

void        td_credentials_secret_free   (char                 *secret);

G_END_DECLS
