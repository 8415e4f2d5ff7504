/* td-upload.h: a signed revision to the upload endpoint (docs/upload-protocol.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TD_UPLOAD_ERROR (td_upload_error_quark ())

/* What the outbox does about each: see the comments. */
typedef enum
{
  TD_UPLOAD_ERROR_INVALID,    /* the endpoint is not a usable URL: fix the settings */
  TD_UPLOAD_ERROR_AUTH,       /* 401/403: stop the destination, ask for the token */
  TD_UPLOAD_ERROR_TLS,        /* the certificate is not trusted: stop, needs the settings */
  TD_UPLOAD_ERROR_CONNECT,    /* no connection, or it was lost: retry */
  TD_UPLOAD_ERROR_TIMEOUT,    /* the server did not answer in time: retry */
  TD_UPLOAD_ERROR_SERVER,     /* 5xx: retry */
  TD_UPLOAD_ERROR_CONFLICT,   /* 409: this revision's key holds other content there: permanent */
  TD_UPLOAD_ERROR_REFUSED,    /* another 4xx, with the server's message: permanent */
  TD_UPLOAD_ERROR_PROTOCOL,   /* an answer the protocol does not have: retry */
} TdUploadError;

typedef struct
{
  char  *endpoint;          /* https://…/api: POSTs go to <endpoint>/submissions */
  char  *ca_file;           /* NULL, or a PEM file trusted besides the system's CAs */
  guint  timeout_seconds;   /* 0: 60 s; the whole exchange's deadline (td-limits.h) */
} TdUploadSettings;

/* Borrowed for the call. */
typedef struct
{
  const char   *revision_uuid;   /* the Idempotency-Key */
  GBytes       *form_json;
  GBytes       *pdf;             /* or NULL, and the PDF read from: */
  GInputStream *pdf_stream;      /* read once, as it is sent; a read error
                                  * (the PDF no longer matching its
                                  * signature) ends the send with it */
  goffset       pdf_length;      /* what @pdf_stream will give */
  GBytes       *signature_json;
} TdUploadSubmission;

/* Bodies larger than this are sent with `Expect: 100-continue`
 * (docs/upload-protocol.md), as curl does. */
#define TD_UPLOAD_EXPECT_CONTINUE_BYTES (1024 * 1024)

GQuark  td_upload_error_quark   (void);
gboolean td_upload_expects_continue (const TdUploadSubmission *submission);
void    td_upload_settings_clear (TdUploadSettings         *settings);

char   *td_upload_send          (const TdUploadSettings   *settings,
                                 const char               *token,
                                 const TdUploadSubmission *submission,
                                 GCancellable             *cancellable,
                                 GError                  **error);

/* An exchange made ready ahead of the token (td-upload.c). */
typedef struct _TdUploadConnection TdUploadConnection;

TdUploadConnection *td_upload_connection_new         (const TdUploadSettings   *settings,
                                                      GCancellable             *cancellable,
                                                      GError                  **error);
GMainContext       *td_upload_connection_get_context (TdUploadConnection       *self);
gboolean            td_upload_connection_is_settled  (TdUploadConnection       *self);
char               *td_upload_connection_send        (TdUploadConnection       *self,
                                                      const char               *token,
                                                      const TdUploadSubmission *submission,
                                                      GCancellable             *cancellable,
                                                      GError                  **error);
void                td_upload_connection_free        (TdUploadConnection       *self);

gboolean td_upload_error_is_retryable (const GError       *error);
gboolean td_upload_check_endpoint     (const char         *endpoint,
                                       GError            **error);

G_END_DECLS
