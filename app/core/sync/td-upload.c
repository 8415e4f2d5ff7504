/* td-upload.c: a signed revision to the upload endpoint (docs/upload-protocol.md)
 *
 * One multipart POST of form.json, form.pdf and signature.json, keyed by
 * the revision's UUID, so sending again after a lost answer stores nothing
 * twice: only 201 (stored) and 200 (already stored, byte-identical) mean
 * delivered. Blocking: the outbox calls it from a worker thread, with a
 * session of that thread's own.
 *
 * TLS is verified against the system's authorities; a school on a
 * provincial intranet may trust one more CA certificate, checked here with
 * a database of its own when the system's refuses the server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-upload"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "td-canonical-json.h"
#include "td-upload.h"

G_DEFINE_QUARK (td-upload-error-quark, td_upload_error)

void
td_upload_settings_clear (TdUploadSettings *settings)
{
  g_clear_pointer (&settings->endpoint, g_free);
  g_clear_pointer (&settings->ca_file, g_free);
}

gboolean
td_upload_error_is_retryable (const GError *error)
{
  if (error == NULL || error->domain != TD_UPLOAD_ERROR)
    return FALSE;
  switch (error->code)
    {
    case TD_UPLOAD_ERROR_CONNECT:
    case TD_UPLOAD_ERROR_TIMEOUT:
    case TD_UPLOAD_ERROR_SERVER:
    case TD_UPLOAD_ERROR_PROTOCOL:
      return TRUE;
    default:
      return FALSE;
    }
}

typedef struct
{
  GTlsDatabase *extra;
  char         *host;
} Trust;

/* The system refused the certificate: accept it only if the extra CA
 * vouches for it, for this host. */
static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Trust *trust = user_data;
  g_autoptr(GSocketConnectable) identity = NULL;
  GTlsCertificateFlags flags;

  if (trust->extra == NULL)
    return FALSE;
  identity = g_network_address_new (trust->host, 0);
  flags = g_tls_database_verify_chain (trust->extra, certificate, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                       identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
  return flags == 0;
}

static char *
server_message (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonObject *object;
  const char *chinese, *english;
  gsize length;
  const char *data = body ? g_bytes_get_data (body, &length) : NULL;

  if (data == NULL || !td_json_nesting_ok (data, length, TD_JSON_MAX_DEPTH) ||
      !json_parser_load_from_data (parser, data, (gssize)length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  english = json_object_get_string_member_with_default (object, "message", NULL);
  chinese = json_object_get_string_member_with_default (object, "message_zh", NULL);
  /* The server's own words, in the user's language when it gave them. */
  if (chinese && g_str_has_prefix (g_get_language_names ()[0], "zh"))
    return g_strdup (chinese);
  return g_strdup (english ? english : chinese);
}

static char *
receipt_from (GBytes      *body,
              const char  *uuid,
              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonObject *object;
  const char *receipt, *revision;
  gsize length;
  const char *data = body ? g_bytes_get_data (body, &length) : NULL;

  if (data == NULL || !td_json_nesting_ok (data, length, TD_JSON_MAX_DEPTH) ||
      !json_parser_load_from_data (parser, data, (gssize)length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)))
    goto bad;
  object = json_node_get_object (root);
  receipt = json_object_get_string_member_with_default (object, "receipt", NULL);
  revision = json_object_get_string_member_with_default (object, "revision", NULL);
  if (receipt == NULL || *receipt == '\0' || g_strcmp0 (revision, uuid) != 0)
    goto bad;
  return g_strdup (receipt);

bad:
  g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_PROTOCOL,
               _("The upload endpoint accepted the form but its answer has no receipt for it. "
                 "Training Desk will ask again."));
  return NULL;
}

static void
set_transport_error (GError  *soup_error,
                     GError **error)
{
  if (g_error_matches (soup_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, soup_error->message);
  else if (g_error_matches (soup_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_TIMEOUT,
                 _("The upload endpoint did not answer in time. Training Desk will try again."));
  else if (soup_error->domain == G_TLS_ERROR)
    g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_TLS,
                 _("The upload endpoint’s certificate is not trusted (%s). If the province runs it on "
                   "an intranet, add its CA certificate in Preferences."),
                 soup_error->message);
  else
    g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_CONNECT,
                 _("Could not reach the upload endpoint (%s). Training Desk will try again."),
                 soup_error->message);
}

/**
 * td_upload_send:
 * @token: the school's bearer token
 *
 * POSTs @submission and waits for the answer. Blocking.
 *
 * Returns: (transfer full): the receiver's receipt, when it stored the
 *   revision now (201) or had it already (200)
 */
char *
td_upload_send (const TdUploadSettings    *settings,
                const char                *token,
                const TdUploadSubmission  *submission,
                GCancellable              *cancellable,
                GError                   **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *url = NULL, *authorization = NULL, *text = NULL;
  Trust trust = { NULL, NULL };
  guint status;
  char *receipt = NULL;

  g_return_val_if_fail (settings != NULL && submission != NULL, NULL);

  if (settings->endpoint == NULL ||
      !(uri = g_uri_parse (settings->endpoint, G_URI_FLAGS_NONE, NULL)) ||
      (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "http") != 0) ||
      g_uri_get_host (uri) == NULL)
    {
      g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_INVALID,
                   _("The upload endpoint “%s” is not an https:// address. Check it in Preferences."),
                   settings->endpoint ? settings->endpoint : "");
      return NULL;
    }
  if (settings->ca_file && *settings->ca_file)
    {
      trust.extra = g_tls_file_database_new (settings->ca_file, &local_error);
      if (trust.extra == NULL)
        {
          g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_TLS,
                       _("The CA certificate file cannot be used: %s"), local_error->message);
          return NULL;
        }
    }
  trust.host = g_strdup (g_uri_get_host (uri));

  /* The session belongs to this thread's context. */
  g_main_context_push_thread_default (context);

  session = soup_session_new_with_options ("timeout", settings->timeout_seconds ? settings->timeout_seconds : 60,
                                           "idle-timeout", 5,
                                           "user-agent", "training-desk/" PACKAGE_VERSION " ",
                                           NULL);

  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  soup_multipart_append_form_file (multipart, "form", "form.json", "application/json", submission->form_json);
  soup_multipart_append_form_file (multipart, "pdf", "form.pdf", "application/pdf", submission->pdf);
  soup_multipart_append_form_file (multipart, "signature", "signature.json", "application/json",
                                   submission->signature_json);

  url = g_str_has_suffix (settings->endpoint, "/")
          ? g_strconcat (settings->endpoint, "submissions", NULL)
          : g_strconcat (settings->endpoint, "/submissions", NULL);
  message = soup_message_new_from_multipart (url, multipart);
  if (message == NULL)
    {
      g_main_context_pop_thread_default (context);
      g_free (trust.host);
      g_clear_object (&trust.extra);
      g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_INVALID,
                   _("The upload endpoint “%s” is not an https:// address. Check it in Preferences."),
                   settings->endpoint);
      return NULL;
    }
  authorization = g_strconcat ("Bearer ", token ? token : "", NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Idempotency-Key",
                                submission->revision_uuid);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  g_signal_connect (message, "accept-certificate", G_CALLBACK (accept_certificate_cb), &trust);

  body = soup_session_send_and_read (session, message, cancellable, &local_error);
  status = soup_message_get_status (message);

  g_main_context_pop_thread_default (context);
  g_free (trust.host);
  g_clear_object (&trust.extra);

  if (body == NULL)
    {
      set_transport_error (local_error, error);
      return NULL;
    }

  text = server_message (body);
  switch (status)
    {
    case SOUP_STATUS_CREATED:
    case SOUP_STATUS_OK:
      receipt = receipt_from (body, submission->revision_uuid, error);
      break;

    case SOUP_STATUS_UNAUTHORIZED:
    case SOUP_STATUS_FORBIDDEN:
      g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_AUTH,
                   _("The upload endpoint refused the school’s token (%u %s). Enter the token the province gave "
                     "the school in Preferences."),
                   status, text ? text : soup_message_get_reason_phrase (message));
      break;

    case SOUP_STATUS_CONFLICT:
      g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_CONFLICT,
                   _("The upload endpoint holds a different form under this revision (409: %s). "
                     "It will not be sent again; tell the province."),
                   text ? text : soup_message_get_reason_phrase (message));
      break;

    default:
      if (status >= 500 || status == SOUP_STATUS_REQUEST_TIMEOUT || status == 429)
        g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_SERVER,
                     _("The upload endpoint has a problem of its own (%u %s). Training Desk will try again."),
                     status, text ? text : soup_message_get_reason_phrase (message));
      else if (status >= 400)
        g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_REFUSED,
                     _("The upload endpoint refused the form (%u): %s"),
                     status, text ? text : soup_message_get_reason_phrase (message));
      else
        g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_PROTOCOL,
                     _("The upload endpoint gave an unexpected answer (%u %s). Training Desk will try again."),
                     status, soup_message_get_reason_phrase (message));
    }
  return receipt;
}
