/* td-connection-test.h: does the school's mailbox, or its upload endpoint,
 * answer with these settings? For the Preferences window's Test button.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "td-mail.h"
#include "td-upload.h"

G_BEGIN_DECLS

/* Sends a short test message from @from to @from itself through the
 * mailbox: the server, the login and the sender address are what a real
 * sending needs. Errors are TD_MAIL_ERROR's. Returns the server's last
 * reply on success. */
void     td_connection_test_smtp_async    (const TdMailSettings  *settings,
                                           const char            *password,
                                           const char            *from,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data);
char    *td_connection_test_smtp_finish   (GAsyncResult          *result,
                                           GError               **error);

/* Asks the endpoint about a revision that does not exist, with @token: a
 * "not found" proves the address, the certificate and the token. Errors are
 * TD_UPLOAD_ERROR's. Returns the HTTP status line on success. */
void     td_connection_test_upload_async  (const TdUploadSettings *settings,
                                           const char             *token,
                                           GCancellable           *cancellable,
                                           GAsyncReadyCallback     callback,
                                           gpointer                user_data);
char    *td_connection_test_upload_finish (GAsyncResult           *result,
                                           GError                **error);

/* The test message (exposed for tests). */
GBytes  *td_connection_test_message       (const char             *from);

G_END_DECLS
