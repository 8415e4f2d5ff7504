/* td-mail.h: a signed revision as an e-mail, and sending it over SMTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TD_MAIL_ERROR (td_mail_error_quark ())

/* What the outbox does about each: see the comments. */
typedef enum
{
  TD_MAIL_ERROR_INVALID,    /* the settings or the message are unusable: fix them, do not retry */
  TD_MAIL_ERROR_AUTH,       /* user name or authorisation code refused: stop the destination, ask for credentials */
  TD_MAIL_ERROR_TLS,        /* certificate not trusted, handshake failed, no STARTTLS: stop, needs the settings */
  TD_MAIL_ERROR_CONNECT,    /* cannot connect, timed out, connection lost: retry */
  TD_MAIL_ERROR_REFUSED,    /* a 5xx for the sender, the recipient or the message: permanent */
  TD_MAIL_ERROR_TEMPORARY,  /* a 4xx: retry */
  TD_MAIL_ERROR_FAILED,     /* anything else (out of memory, a curl without SMTP): retry */
} TdMailError;

typedef enum
{
  TD_MAIL_SECURITY_IMPLICIT_TLS,  /* TLS from the first byte (smtps://, port 465) */
  TD_MAIL_SECURITY_STARTTLS,      /* plain, then STARTTLS, required (port 587) */
} TdMailSecurity;

/* Where a school's mail goes out. The password (authorisation code) is not
 * here: it lives in the keyring (td-credentials.h) and is given to
 * td_mail_send() alone. */
typedef struct
{
  char           *host;
  guint16         port;             /* 0: 465 or 587 by @security */
  TdMailSecurity  security;
  char           *username;         /* NULL or "": no AUTH */
  char           *ca_file;          /* NULL, or a PEM file trusted besides the system's CAs */
  guint           timeout_seconds;  /* each server reply, and the deadline of the whole (td-mail.c); 0: 30 s */
} TdMailSettings;

#define TD_TYPE_MAIL_SETTINGS (td_mail_settings_get_type ())

/* A signed revision to send. Everything is borrowed: nothing is kept after
 * td_mail_build_message() returns. */
typedef struct
{
  const char *school_name;      /* 单位名称: the subject, the body, the file names */
  const char *from;             /* the school's mailbox: "office@example.edu.cn" */
  const char *recipient;        /* the department's mailbox */
  const char *revision_uuid;    /* the Message-ID comes from it */
  guint       revision_number;
  const char *signer;
  GDateTime  *signed_at;
  GDateTime  *date;             /* (nullable): the Date header; NULL for now */
  GBytes     *pdf;              /* the signed form */
  GBytes     *json;             /* the form's data, canonical (form.json) */
  GBytes     *signature;        /* signature.json, the bytes as uploaded */
  const char *fingerprint;      /* td_signing_key_fingerprint() of the key that signed */
} TdMailSubmission;

/* The parts of the message as a receiver finds them (docs/mail.md): by
 * type and file name, never by position. */
#define TD_MAIL_SIGNATURE_NAME "signature.json"
#define TD_MAIL_REVISION_HEADER "X-Training-Desk-Revision"

GQuark          td_mail_error_quark          (void);

GType           td_mail_settings_get_type    (void) G_GNUC_CONST;
TdMailSettings *td_mail_settings_new         (const char            *host,
                                              guint16                port,
                                              TdMailSecurity         security,
                                              const char            *username);
TdMailSettings *td_mail_settings_copy        (const TdMailSettings  *settings);
void            td_mail_settings_free        (TdMailSettings        *settings);
guint16         td_mail_settings_get_port    (const TdMailSettings  *settings);

char           *td_mail_message_id           (const char            *revision_uuid);
char           *td_mail_subject              (const char            *school_name);
char           *td_mail_normalize_address    (const char            *text);
GBytes         *td_mail_build_message        (const TdMailSubmission  *submission,
                                              GError                 **error);

char           *td_mail_send                 (const TdMailSettings  *settings,
                                              const char            *password,
                                              const char            *from,
                                              const char            *recipient,
                                              GBytes                *message,
                                              GCancellable          *cancellable,
                                              GError               **error);
void            td_mail_send_async           (const TdMailSettings  *settings,
                                              const char            *password,
                                              const char            *from,
                                              const char            *recipient,
                                              GBytes                *message,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
char           *td_mail_send_finish          (GAsyncResult          *result,
                                              GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdMailSettings, td_mail_settings_free)

G_END_DECLS
