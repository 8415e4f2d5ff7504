/* td-preferences-window-test.c: Test Connection, and network errors in
 * plain words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-preferences-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "td-connection-test.h"
#include "td-credentials.h"
#include "td-mail.h"
#include "td-preferences-window-private.h"
#include "td-preferences-window-state.h"
#include "td-sync-describe.h"
#include "td-upload.h"

/* Network errors in plain words */

/* What went wrong, in the UI's language, for a person: the technical text
 * (libcurl's, the server's, in English) goes under the expander only. The
 * sentences are the core's, the Outbox's too (td-sync-describe.c), worded
 * for the settings in front of the reader. */
static const char *
td_preferences_describe_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return _("The test was stopped.");
  return td_sync_describe (error, TD_SYNC_DESCRIBE_TESTING);
}

/* Test Connection */

static void
td_preferences_window_test_row_set (TdPreferencesWindow *self,
                                    TdDestination        destination,
                                    gboolean             running,
                                    gboolean             passed,
                                    const char          *title,
                                    const char          *detail)
{
  TestRow *t = &self->tests[destination];

  t->running = running;
  t->passed = passed;
  gtk_widget_set_visible (GTK_WIDGET (self->test_group), TRUE);
  gtk_widget_set_visible (t->row, TRUE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (t->row), title);
  gtk_widget_set_visible (t->spinner, running);
  gtk_spinner_set_spinning (GTK_SPINNER (t->spinner), running);
  gtk_widget_set_visible (t->icon, !running);
  gtk_image_set_from_icon_name (GTK_IMAGE (t->icon), passed ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  if (passed)
    {
      gtk_widget_remove_css_class (t->icon, "error");
      gtk_widget_add_css_class (t->icon, "success");
    }
  else
    {
      gtk_widget_remove_css_class (t->icon, "success");
      gtk_widget_add_css_class (t->icon, "error");
    }
  gtk_label_set_text (GTK_LABEL (t->detail), detail ? detail : "");
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (t->row), detail != NULL && *detail != '\0');
}

static void
td_preferences_window_test_update_busy (TdPreferencesWindow *self)
{
  gboolean running = self->tests[0].running || self->tests[1].running;

  gtk_widget_set_visible (self->test_spinner, running);
  gtk_spinner_set_spinning (GTK_SPINNER (self->test_spinner), running);
  gtk_widget_set_sensitive (self->test_button, !running);
}

typedef struct
{
  GWeakRef       self;
  TdDestination  destination;
  char          *from;
} TestCall;

static void
td_preferences_window_test_call_free (TestCall *call)
{
  g_weak_ref_clear (&call->self);
  g_free (call->from);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestCall, td_preferences_window_test_call_free)

static void
td_preferences_window_test_done (TestCall     *call,
                                 const char   *reply,
                                 const GError *error)
{
  g_autoptr(TdPreferencesWindow) self = g_weak_ref_get (&call->self);
  g_autofree char *title = NULL;

  if (self == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  self->busy--;
  if (error != NULL)
    td_preferences_window_test_row_set (self, call->destination, FALSE, FALSE, td_preferences_describe_error (error), error->message);
  else
    {
      if (call->destination == TD_DESTINATION_SMTP)
        /* Translators: the sender address, which the test message was sent to */
        title = g_strdup_printf (_("The mailbox works: a test message was sent to %s."), call->from);
      else
        title = g_strdup (_("The upload endpoint works: it answered and accepted the token."));
      td_preferences_window_test_row_set (self, call->destination, FALSE, TRUE, title, reply);
    }
  td_preferences_window_test_update_busy (self);
}

static void
td_preferences_window_test_smtp_cb (GObject      *object,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(TestCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = td_connection_test_smtp_finish (result, &error);

  td_preferences_window_test_done (call, reply, error);
}

static void
td_preferences_window_test_upload_cb (GObject      *object,
                                      GAsyncResult *result,
                                      gpointer      user_data)
{
  g_autoptr(TestCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = td_connection_test_upload_finish (result, &error);

  td_preferences_window_test_done (call, reply, error);
}

static TestCall *
td_preferences_window_test_call_new (TdPreferencesWindow *self,
                                     TdDestination        destination)
{
  TestCall *call = g_new0 (TestCall, 1);

  g_weak_ref_init (&call->self, self);
  call->destination = destination;
  self->busy++;
  return call;
}

/* With the secret typed, or else the one saved for the form's server. */
static void
td_preferences_window_test_start (TdPreferencesWindow *self,
                                  TdDestination        destination,
                                  const char          *secret)
{
  g_autofree char *timeout = td_preferences_window_form_value (self, F_TIMEOUT);
  guint seconds = (guint)g_ascii_strtoull (timeout, NULL, 10);
  TestCall *call = td_preferences_window_test_call_new (self, destination);

  if (destination == TD_DESTINATION_SMTP)
    {
      g_autofree char *host = td_preferences_window_form_value (self, F_SMTP_HOST);
      g_autofree char *port = td_preferences_window_form_value (self, F_SMTP_PORT);
      g_autofree char *security = td_preferences_window_form_value (self, F_SMTP_SECURITY);
      g_autofree char *username = td_preferences_window_form_value (self, F_SMTP_USERNAME);
      g_autofree char *from = td_preferences_window_form_value (self, F_SMTP_FROM);
      g_autofree char *ca = td_preferences_window_form_value (self, F_SMTP_CA);
      g_autoptr(TdMailSettings) settings =
        td_mail_settings_new (host, (guint16)g_ascii_strtoull (port, NULL, 10),
                              g_str_equal (security, "starttls") ? TD_MAIL_SECURITY_STARTTLS
                                                                 : TD_MAIL_SECURITY_IMPLICIT_TLS,
                              username);

      settings->ca_file = *ca ? g_strdup (ca) : NULL;
      settings->timeout_seconds = seconds;
      call->from = g_strdup (*from ? from : username);
      td_preferences_window_test_row_set (self, destination, TRUE, FALSE, _("Testing the mailbox…"), NULL);
      td_connection_test_smtp_async (settings, secret, call->from, self->test_cancellable, td_preferences_window_test_smtp_cb, call);
    }
  else
    {
      g_autofree char *ca = td_preferences_window_form_value (self, F_HTTPS_CA);
      TdUploadSettings settings = { td_preferences_window_form_endpoint (self), *ca ? g_strdup (ca) : NULL, seconds };

      td_preferences_window_test_row_set (self, destination, TRUE, FALSE, _("Testing the upload endpoint…"), NULL);
      td_connection_test_upload_async (&settings, secret, self->test_cancellable, td_preferences_window_test_upload_cb, call);
      td_upload_settings_clear (&settings);
    }
  td_preferences_window_test_update_busy (self);
}

static void
td_preferences_window_test_lookup_cb (GObject      *object,
                                      GAsyncResult *result,
                                      gpointer      user_data)
{
  g_autoptr(KeyringCall) call = user_data;
  g_autoptr(TdPreferencesWindow) self = td_preferences_window_keyring_call_dup_window (call);
  char *secret = td_credentials_lookup_finish (result, NULL);

  call->secret = secret;
  if (self != NULL)
    td_preferences_window_test_start (self, td_preferences_window_field_destination (call->id), secret);
}

void
td_preferences_window_test_clicked_cb (TdPreferencesWindow *self)
{
  g_autofree char *host = NULL;
  g_autofree char *from = NULL;
  g_autofree char *username = NULL;
  g_autofree char *endpoint = NULL;
  gboolean any = FALSE;

  if (!td_preferences_window_check_form (self, FALSE))
    return;

  host = td_preferences_window_form_value (self, F_SMTP_HOST);
  from = td_preferences_window_form_value (self, F_SMTP_FROM);
  username = td_preferences_window_form_value (self, F_SMTP_USERNAME);
  endpoint = td_preferences_window_form_endpoint (self);

  for (guint d = 0; d < 2; d++)
    gtk_widget_set_visible (self->tests[d].row, FALSE);

  if (*host != '\0')
    {
      any = TRUE;
      if (*from == '\0' && strchr (username, '@') == NULL)
        td_preferences_window_test_row_set (self, TD_DESTINATION_SMTP, FALSE, FALSE,
                                            _("Enter the sender address: the test message is sent to it."), NULL);
      else
        {
          const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->fields[F_SMTP_PASSWORD].row));
          TdCredentialKind kind;
          g_autofree char *server = NULL;
          g_autofree char *user = NULL;
          const char *missing = NULL;

          if (*typed == '\0' && td_preferences_window_secret_target (self, F_SMTP_PASSWORD, &kind, &server, &user, &missing))
            td_credentials_lookup_async (kind, server, user, self->cancellable, td_preferences_window_test_lookup_cb,
                                         td_preferences_window_keyring_call_new (self, F_SMTP_PASSWORD, server, user));
          else
            td_preferences_window_test_start (self, TD_DESTINATION_SMTP, typed);
        }
    }
  if (endpoint != NULL)
    {
      const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->fields[F_HTTPS_TOKEN].row));

      any = TRUE;
      if (*typed == '\0')
        td_credentials_lookup_async (TD_CREDENTIAL_HTTPS, endpoint, "", self->cancellable, td_preferences_window_test_lookup_cb,
                                     td_preferences_window_keyring_call_new (self, F_HTTPS_TOKEN, endpoint, ""));
      else
        td_preferences_window_test_start (self, TD_DESTINATION_HTTPS, typed);
    }
  if (!any)
    td_preferences_window_toast (self, _("Enter the school mailbox or an upload endpoint first: there is nothing to test."));
}
