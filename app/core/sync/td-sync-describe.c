/* td-sync-describe.c: network errors in plain words
 *
 * What went wrong, in the UI's language, for a person: one sentence saying
 * what happened and what to do; the technical text (the server's reply,
 * curl's or libsoup's message, in English) is the error's message, shown
 * apart (an expander, "Technical detail"). Keyed on the codes of td-mail
 * and td-upload, which say what to do.
 *
 * One table for the Outbox and for Preferences' Test Connection: the two
 * said the same failures in two places (issue 14). Each code has the
 * Outbox's sentence, which says what Training Desk does next and where to
 * mend it, and the test's, which points at the field in front of the
 * reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "td-credentials.h"
#include "td-mail.h"
#include "td-sync-describe.h"
#include "td-upload.h"

typedef struct
{
  int         code;      /* -1: any other */
  const char *sending;   /* N_() */
  const char *testing;   /* N_() */
} TdSyncSentence;

static const TdSyncSentence mail_sentences[] = {
  { TD_MAIL_ERROR_INVALID,
    N_("The school’s mailbox settings are incomplete or wrong. Check them in Preferences."),
    N_("The mailbox settings cannot be used: check the server, the port and the addresses.") },
  { TD_MAIL_ERROR_AUTH,
    N_("The mail server refused the account or the authorisation code. Enter them again in Preferences."),
    N_("The mailbox refused the account or the authorisation code. Check both: a 163.com mailbox "
       "takes its authorisation code here, not the login password.") },
  { TD_MAIL_ERROR_TLS,
    N_("The mail server’s certificate is not trusted, so nothing was sent. Check the server and the CA certificate in Preferences."),
    N_("No secure connection could be made with the mail server: check Security and the port "
       "(SSL/TLS with 465, STARTTLS with 587), or the server’s certificate is not trusted.") },
  { TD_MAIL_ERROR_CONNECT,
    N_("The mail server could not be reached. Training Desk will try again."),
    N_("The mail server could not be reached: check the server name and the port, and that this "
       "computer is online.") },
  { TD_MAIL_ERROR_REFUSED,
    N_("The mail server refused the message. Check the recipient and the sender address."),
    N_("The mail server refused the message: the sender address must be the mailbox’s own.") },
  { TD_MAIL_ERROR_TEMPORARY,
    N_("The mail server asked to try later. Training Desk will try again."),
    N_("The mail server is busy and asks to try later: test again in a few minutes.") },
  { -1,
    N_("Sending the mail failed. Training Desk will try again."),
    N_("The mail could not be sent, for a reason the server did not explain: test again, and "
       "see the details if it fails again.") },
};

static const TdSyncSentence upload_sentences[] = {
  { TD_UPLOAD_ERROR_INVALID,
    N_("The upload endpoint is not a usable address. Check it in Preferences."),
    N_("The upload address cannot be used: enter its https:// address.") },
  { TD_UPLOAD_ERROR_AUTH,
    N_("The receiver refused the school’s token. Enter the token the province gave the school in Preferences."),
    N_("The upload endpoint refused the token: enter the token the province gave the school.") },
  { TD_UPLOAD_ERROR_TLS,
    N_("The receiver’s certificate is not trusted, so nothing was sent. Check the endpoint and the CA certificate in Preferences."),
    N_("The upload endpoint’s certificate is not trusted: if the province runs it on an intranet, "
       "choose its CA certificate.") },
  { TD_UPLOAD_ERROR_CONNECT,
    N_("The receiver could not be reached. Training Desk will try again."),
    N_("The upload endpoint could not be reached: check the address, and that this computer is "
       "online.") },
  { TD_UPLOAD_ERROR_TIMEOUT,
    N_("The receiver did not answer in time. Training Desk will try again."),
    N_("The upload endpoint did not answer in time: test again later, or allow it more time "
       "under Connection.") },
  { TD_UPLOAD_ERROR_SERVER,
    N_("The receiver had a problem of its own. Training Desk will try again."),
    N_("The upload endpoint has a fault of its own: test again later.") },
  { TD_UPLOAD_ERROR_CONFLICT,
    N_("The receiver holds other content for this revision. Ask the province."),
    N_("The address answers, but not as the province’s upload endpoint: check the address.") },
  { TD_UPLOAD_ERROR_REFUSED,
    N_("The receiver refused the form. Its reason is shown below."),
    N_("The address answers, but not as the province’s upload endpoint: check the address.") },
  { -1,
    N_("The receiver’s answer was not understood. Training Desk will try again."),
    N_("The address answers, but not as the province’s upload endpoint: check the address.") },
};

static const char *
td_sync_describe_pick (const TdSyncSentence  *table,
                       int                    code,
                       TdSyncDescribeContext  context)
{
  const TdSyncSentence *s = table;

  while (s->code != -1 && s->code != code)
    s++;
  return g_dgettext (GETTEXT_PACKAGE, context == TD_SYNC_DESCRIBE_TESTING ? s->testing : s->sending);
}

/**
 * td_sync_describe:
 * @error: an error of td-mail, td-upload or the keyring
 * @context: who reads it
 *
 * Returns: (transfer none): a plain, translated sentence for @error; the
 *   technical detail stays in @error->message
 */
const char *
td_sync_describe (const GError          *error,
                  TdSyncDescribeContext  context)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == TD_MAIL_ERROR)
    return td_sync_describe_pick (mail_sentences, error->code, context);
  if (error->domain == TD_UPLOAD_ERROR)
    return td_sync_describe_pick (upload_sentences, error->code, context);
  if (context == TD_SYNC_DESCRIBE_TESTING)
    return _("The test failed: see the details.");
  if (error->domain == TD_CREDENTIALS_ERROR)
    return _("The password or token could not be read from the keyring. Enter it again in Preferences.");
  return _("Sending failed. Training Desk will try again.");
}

/**
 * td_sync_describe_error:
 *
 * The Outbox's sentence for @error: td_sync_describe() for sending.
 */
const char *
td_sync_describe_error (const GError *error)
{
  return td_sync_describe (error, TD_SYNC_DESCRIBE_SENDING);
}

/* The codes the outbox keeps for the failures that need the user, as the
 * errors of the item's destination. */
static const struct
{
  const char *code;
  int         mail;
  int         upload;
} outbox_codes[] = {
  { TD_OUTBOX_CODE_AUTH, TD_MAIL_ERROR_AUTH, TD_UPLOAD_ERROR_AUTH },
  { TD_OUTBOX_CODE_TLS, TD_MAIL_ERROR_TLS, TD_UPLOAD_ERROR_TLS },
  { TD_OUTBOX_CODE_SETTINGS, TD_MAIL_ERROR_INVALID, TD_UPLOAD_ERROR_INVALID },
  { TD_OUTBOX_CODE_REFUSED, TD_MAIL_ERROR_REFUSED, TD_UPLOAD_ERROR_REFUSED },
};

/**
 * td_sync_describe_failure:
 * @item: an outbox item that failed, or waits to try again
 *
 * The outbox keeps the server's message and, for the failures that need
 * the user, a code: the sentence is the code's. Not a network failure
 * (cancelled, no longer verifying, interrupted): the item's message is
 * the app's own words already.
 *
 * Returns: (transfer none): a plain sentence for @item's last failure
 */
const char *
td_sync_describe_failure (TdOutboxItem *item)
{
  const char *code;
  gboolean mail;

  g_return_val_if_fail (TD_IS_OUTBOX_ITEM (item), NULL);

  code = td_outbox_item_get_error_code (item);
  mail = td_outbox_item_get_destination (item) == TD_DESTINATION_SMTP;
  if (code == NULL)
    /* Waiting to retry: no code says more than that it failed. */
    return _("Sending failed. Training Desk will try again.");
  for (guint i = 0; i < G_N_ELEMENTS (outbox_codes); i++)
    if (g_str_equal (code, outbox_codes[i].code))
      return td_sync_describe_pick (mail ? mail_sentences : upload_sentences,
                                    mail ? outbox_codes[i].mail : outbox_codes[i].upload,
                                    TD_SYNC_DESCRIBE_SENDING);
  return td_outbox_item_get_last_error (item);
}
