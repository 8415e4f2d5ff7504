/* td-connection-test.c: the Test Connection of the Preferences window
 *
 * A test goes the way a real sending goes, so that "it works" means the
 * form will go: the mail test sends a real (short) message through
 * td_mail_send(), to the sender address itself, and is judged by the same
 * TD_MAIL_ERROR codes as the outbox; the upload test asks the endpoint
 * about a revision nobody sent (GET …/submissions/<nil UUID>), which a
 * receiver answers 404 for a school whose token it knows and 401 for a
 * wrong one (docs/upload-protocol.md), without storing anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-connection-test"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "td-connection-test.h"

#define NIL_REVISION "00000000-0000-4000-8000-000000000000"

GBytes *
td_connection_test_message (const char *from)
{
  static const char *days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *zone = g_date_time_format (now, "%z");
  g_autofree char *uuid = g_uuid_string_random ();
  const char *domain = strchr (from, '@');
  /* Both languages: the message is read in the school's own mailbox. */
  const char *body = "这是职业培训工作台的测试邮件：学校邮箱的设置可以发送意向表。无需回复。\r\n"
                     "This is a test message from Training Desk: the school mailbox's settings can send "
                     "the intent form. No reply is needed.\r\n";
  g_autofree char *encoded = g_base64_encode ((const guchar *)body, strlen (body));
  GString *message = g_string_new (NULL);

  g_string_append_printf (message,
                          "From: %s\r\nTo: %s\r\n"
                          "Subject: Training Desk: connection test\r\n"
                          "Date: %s, %02d %s %04d %02d:%02d:%02d %s\r\n"
                          "Message-ID: <test-%s@%s>\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "Content-Transfer-Encoding: base64\r\n\r\n",
                          from, from,
                          days[g_date_time_get_day_of_week (now) - 1], g_date_time_get_day_of_month (now),
                          months[g_date_time_get_month (now) - 1], g_date_time_get_year (now),
                          g_date_time_get_hour (now), g_date_time_get_minute (now), g_date_time_get_second (now),
                          zone, uuid, domain ? domain + 1 : "localhost");
  for (gsize i = 0, n = strlen (encoded); i < n; i += 76)
    {
      g_string_append_len (message, encoded + i, MIN (76, n - i));
      g_string_append (message, "\r\n");
    }
  return g_string_free_to_bytes (message);
}

static void
td_connection_test_smtp_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *reply = td_mail_send_finish (result, &error);

  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reply, g_free);
}

void
td_connection_test_smtp_async (const TdMailSettings *settings,
                               const char           *password,
                               const char           *from,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GBytes) message = NULL;

  g_return_if_fail (settings != NULL && from != NULL);

  g_task_set_source_tag (task, td_connection_test_smtp_async);
  message = td_connection_test_message (from);
  td_mail_send_async (settings, password, from, from, message, cancellable,
                      td_connection_test_smtp_cb, g_steal_pointer (&task));
}

char *
td_connection_test_smtp_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The upload test */

typedef struct
{
  TdUploadSettings  settings;
  char             *token;
} UploadTest;

static void
td_connection_test_upload_test_free (UploadTest *test)
{
  td_upload_settings_clear (&test->settings);
  g_free (test->token);
  g_free (test);
}

typedef struct
{
  GTlsDatabase *extra;
  char         *host;
} Trust;

/* As td-upload.c: a CA of the province's own, besides the system's. */
static gboolean
td_connection_test_accept_certificate_cb (SoupMessage          *message,
                                          GTlsCertificate      *certificate,
                                          GTlsCertificateFlags  errors,
                                          gpointer              user_data)
{
  Trust *trust = user_data;
  g_autoptr(GSocketConnectable) identity = NULL;

  if (trust->extra == NULL)
    return FALSE;
  identity = g_network_address_new (trust->host, 0);
  return g_tls_database_verify_chain (trust->extra, certificate, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                      identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL) == 0;
}

static char *
td_connection_test_upload (UploadTest    *test,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;
  Trust trust = { NULL, NULL };
  guint status;
  char *result = NULL;

  if (!td_upload_check_endpoint (test->settings.endpoint, error))
    return NULL;
  uri = g_uri_parse (test->settings.endpoint, G_URI_FLAGS_NONE, NULL);
  if (test->settings.ca_file && *test->settings.ca_file)
    {
      trust.extra = g_tls_file_database_new (test->settings.ca_file, &local_error);
      if (trust.extra == NULL)
        {
          g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_TLS,
                       _("The CA certificate file cannot be used: %s"), local_error->message);
          return NULL;
        }
    }
  trust.host = g_strdup (g_uri_get_host (uri));

  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("timeout", test->settings.timeout_seconds ? test->settings.timeout_seconds : 60,
                                           "user-agent", "training-desk/" PACKAGE_VERSION " ",
                                           NULL);
  url = g_str_has_suffix (test->settings.endpoint, "/")
          ? g_strconcat (test->settings.endpoint, "submissions/" NIL_REVISION, NULL)
          : g_strconcat (test->settings.endpoint, "/submissions/" NIL_REVISION, NULL);
  message = soup_message_new (SOUP_METHOD_GET, url);
  if (message == NULL)
    {
      g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_INVALID,
                   _("The upload endpoint “%s” is not an https:// address. Check it in Preferences."),
                   test->settings.endpoint);
      goto out;
    }
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  authorization = g_strconcat ("Bearer ", test->token ? test->token : "", NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  g_signal_connect (message, "accept-certificate", G_CALLBACK (td_connection_test_accept_certificate_cb), &trust);

  body = soup_session_send_and_read (session, message, cancellable, &local_error);
  if (body == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_TIMEOUT,
                     _("The upload endpoint did not answer in time (%s)."), local_error->message);
      else if (local_error->domain == G_TLS_ERROR)
        g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_TLS,
                     _("The upload endpoint’s certificate is not trusted (%s)."), local_error->message);
      else
        g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_CONNECT,
                     _("Could not reach the upload endpoint (%s)."), local_error->message);
      goto out;
    }

  status = soup_message_get_status (message);
  /* 404: the receiver knows the token and has no such revision. */
  if (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_OK)
    result = g_strdup_printf ("HTTP %u %s", status, soup_message_get_reason_phrase (message));
  else if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_AUTH,
                 _("The upload endpoint refused the token: HTTP %u %s."), status,
                 soup_message_get_reason_phrase (message));
  else if (status >= 500)
    g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_SERVER,
                 _("The upload endpoint has a fault of its own: HTTP %u %s."), status,
                 soup_message_get_reason_phrase (message));
  else
    g_set_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_PROTOCOL,
                 _("The address answers, but not as a Training Desk upload endpoint: HTTP %u %s."), status,
                 soup_message_get_reason_phrase (message));

out:
  g_clear_object (&session);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  g_free (trust.host);
  g_clear_object (&trust.extra);
  return result;
}

static void
td_connection_test_upload_thread (GTask        *task,
                                  gpointer      source_object,
                                  gpointer      task_data,
                                  GCancellable *cancellable)
{
  GError *error = NULL;
  char *result = td_connection_test_upload (task_data, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, g_free);
}

void
td_connection_test_upload_async (const TdUploadSettings *settings,
                                 const char             *token,
                                 GCancellable           *cancellable,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  UploadTest *test = g_new0 (UploadTest, 1);

  g_return_if_fail (settings != NULL);

  test->settings.endpoint = g_strdup (settings->endpoint);
  test->settings.ca_file = g_strdup (settings->ca_file);
  test->settings.timeout_seconds = settings->timeout_seconds;
  test->token = g_strdup (token);
  g_task_set_source_tag (task, td_connection_test_upload_async);
  g_task_set_task_data (task, test, (GDestroyNotify)td_connection_test_upload_test_free);
  g_task_run_in_thread (task, td_connection_test_upload_thread);
}

char *
td_connection_test_upload_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
