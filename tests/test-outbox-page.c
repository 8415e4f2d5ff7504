/* test-outbox-page.c: the outbox page, the preferences and sending on
 * after the window closed, with real widgets and the real core
 *
 * Signed revisions are made and queued as the sign-off does; the window's
 * TdSync gets a network monitor of the test's own, offline, so nothing ever
 * leaves the machine: an item with a mail server waits for the network, and
 * one without fails at once, for its settings. The keyring is a
 * gnome-keyring-daemon on a D-Bus of the test's own (td-test-servers.c),
 * where the test also stands in for the desktop's notification server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "td-test-ui.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "td-application.h"
#include "td-credentials.h"
#include "td-outbox.h"
#include "td-outbox-page-private.h"
#include "td-preferences-window-private.h"
#include "td-school.h"
#include "td-signoff.h"
#include "td-sync.h"
#include "td-test-servers.h"
#include "td-test-monitor.h"
#include "td-window.h"
#include "td-test-fixtures.h"

#define PASSPHRASE "校长的口令 2026"
#define RECIPIENT "dxskjcxds@163.com"
#define ENDPOINT "https://upload.example.edu.cn/api"
#define SMTP_USER "office@jndyzz.edu.cn"
#define SMTP_PASSWORD "authcode-163"

/* The keyring's, the mail server's and the certificate's directory. */
static char *tmp_dir;

/* A school with signed revisions */

static TdForm *
valid_form (const char *phone)
{
  TdForm *form = td_test_valid_form ();

  td_form_set (form, TD_FORM_PHONE, phone);
  td_form_set (form, TD_FORM_EMAIL, "office@jndyzz.edu.cn");
  return form;
}

static TdRevision *
sign (TdStore    *store,
      TdCampaign *campaign,
      const char *phone)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdForm) form = valid_form (phone);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  TdRevision *revision;

  if (!td_signing_key_exists (store))
    {
      g_assert_true (td_signing_key_create (store, PASSPHRASE, TD_KDF_MINIMUM, &error));
      g_assert_no_error (error);
    }
  revision = td_signoff_sign (store, form, campaign, PASSPHRASE, now, &error);
  g_assert_no_error (error);
  return revision;
}

static void
set (TdStore    *store,
     const char *key,
     const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (td_store_set_setting (store, key, value, &error));
  g_assert_no_error (error);
}

static TdOutboxItem *
find_item (TdStore       *store,
           gint64         revision_number,
           TdDestination  destination)
{
  g_autoptr(GPtrArray) items = td_outbox_list (store, NULL);

  for (guint i = 0; items && i < items->len; i++)
    {
      TdOutboxItem *item = g_ptr_array_index (items, i);

      if (td_outbox_item_get_revision_number (item) == revision_number &&
          td_outbox_item_get_destination (item) == destination)
        return g_object_ref (item);
    }
  g_assert_not_reached ();
}

static TdOutboxItem *
reload (TdStore      *store,
        TdOutboxItem *item)
{
  g_autoptr(GError) error = NULL;
  TdOutboxItem *fresh = td_outbox_load (store, td_outbox_item_get_id (item), &error);

  g_assert_no_error (error);
  return fresh;
}

/* The window */

static TdOutboxPage *
show_outbox (TdWindow *window)
{
  GtkWidget *page;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "outbox"));
  g_assert_cmpstr (td_window_get_page (window), ==, "outbox");
  page = td_window_get_page_widget (window, "outbox");
  g_assert_true (TD_IS_OUTBOX_PAGE (page));
  return TD_OUTBOX_PAGE (page);
}

/* Light and dark, for people to look at (TD_SCREENSHOT_DIR). */
static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  if (g_getenv ("TD_SCREENSHOT_DIR") == NULL)
    return;
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  td_test_save_screenshot (widget, name);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  td_test_save_screenshot (widget, name);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
}

static void
wait_for_state (TdStore       *store,
                TdOutboxItem  *item,
                TdOutboxState  state,
                const char    *code)
{
  gint64 give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(TdOutboxItem) fresh = reload (store, item);

      if (td_outbox_item_get_state (fresh) == state && g_strcmp0 (td_outbox_item_get_error_code (fresh), code) == 0)
        return;
      if (g_get_monotonic_time () > give_up)
        g_error ("The item stayed %s (%s)", td_outbox_state_to_string (td_outbox_item_get_state (fresh)),
                 td_outbox_item_get_error_code (fresh));
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
button_shown (TdOutboxPage *page,
              gint64        id,
              const char   *name)
{
  GtkWidget *button = td_outbox_page_get_row_button (page, id, name);

  return gtk_widget_get_visible (button) && gtk_widget_get_visible (gtk_widget_get_parent (button));
}

static gboolean
button_usable (TdOutboxPage *page,
               gint64        id,
               const char   *name)
{
  return button_shown (page, id, name) && gtk_widget_is_sensitive (td_outbox_page_get_row_button (page, id, name));
}

/* Nothing yet: the empty state. Then a sign-off queues for the school's
 * type, and an item without a mail server fails for its settings. */
static void
test_empty_then_signed (void)
{
  g_autoptr(TdStore) store = td_test_open_store ("outbox-empty.db");
  g_autoptr(TdCampaign) campaign = td_campaign_get_builtin ();
  g_autoptr(TdRevision) revision = NULL;
  g_autoptr(TdOutboxItem) item = NULL;
  g_autoptr(TdTestMonitor) monitor = td_test_monitor_new (FALSE);
  g_autoptr(TdSync) sync = td_sync_new (store, G_NETWORK_MONITOR (monitor));
  g_autoptr(GError) error = NULL;
  TdWindow *window;
  TdOutboxPage *page;

  /* A technical school: the human-resources department's mailbox. */
  {
    g_autoptr(TdSchool) school = td_school_new (store, &error);

    g_assert_no_error (error);
    g_assert_true (td_school_set (school, TD_SCHOOL_TYPE, "technical", &error));
    g_assert_no_error (error);
  }

  window = td_test_present_window (td_window_new_for_sync (NULL, sync), 960, 860);
  g_assert_true (td_window_get_sync (window) == sync);
  page = show_outbox (window);
  g_assert_cmpstr (td_outbox_page_get_view (page), ==, "empty");
  g_assert_cmpuint (td_outbox_page_get_n_rows (page), ==, 0);
  g_assert_true (td_outbox_page_get_offline_shown (page));
  screenshot (GTK_WIDGET (window), "outbox-empty");

  revision = sign (store, campaign, "0531-81916531");
  td_window_send_revision (window, revision);
  item = find_item (store, 1, TD_DESTINATION_SMTP);
  g_assert_cmpstr (td_outbox_item_get_recipient (item), ==, "yujrst@shandong.cn");
  g_assert_cmpstr (td_outbox_page_get_view (page), ==, "list");
  g_assert_cmpuint (td_outbox_page_get_n_rows (page), ==, 1);

  /* No mail server: it needs the user, who is sent to Preferences. */
  wait_for_state (store, item, TD_OUTBOX_FAILED, TD_OUTBOX_CODE_SETTINGS);
  td_test_iterate (20);
  g_assert_cmpstr (td_outbox_page_get_row_text (page, td_outbox_item_get_id (item), "state"), ==,
                   td_outbox_state_label (TD_OUTBOX_FAILED));
  g_assert_true (button_usable (page, td_outbox_item_get_id (item), "preferences"));
  g_assert_nonnull (td_outbox_page_get_row_text (page, td_outbox_item_get_id (item), "error"));

  /* Queued once: signing off the same revision again adds nothing. */
  td_window_send_revision (window, revision);
  g_assert_cmpuint (td_outbox_page_get_n_rows (page), ==, 1);

  td_test_close_window (window);
}

/* Items in every state, and the user's hand on them. */
static void
test_items (void)
{
  g_autoptr(TdStore) store = td_test_open_store ("outbox-items.db");
  g_autoptr(TdCampaign) campaign = td_campaign_get_builtin ();
  g_autoptr(TdRevision) first = NULL;
  g_autoptr(TdRevision) second = NULL;
  g_autoptr(TdTestMonitor) monitor = td_test_monitor_new (FALSE);
  g_autoptr(TdSync) sync = NULL;
  g_autoptr(TdOutboxItem) delivered = NULL;
  g_autoptr(TdOutboxItem) retrying = NULL;
  g_autoptr(TdOutboxItem) mail = NULL;
  g_autoptr(TdOutboxItem) upload = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  TdPreferencesWindow *preferences = NULL;
  TdWindow *window;
  TdOutboxPage *page;
  gint64 id;

  /* A mailbox (never reached: the test is offline) and an endpoint. */
  set (store, TD_SETTING_SMTP_HOST, "smtp.163.com");
  set (store, TD_SETTING_SMTP_PORT, "465");
  set (store, TD_SETTING_SMTP_USERNAME, "office@jndyzz.edu.cn");
  set (store, TD_SETTING_HTTPS_ENDPOINT, ENDPOINT);

  first = sign (store, campaign, "0531-81916531");
  second = sign (store, campaign, "13812345678");
  g_assert_cmpuint (td_outbox_queue_revision (store, first, campaign, "secondary-vocational", &error), ==, 2);
  g_assert_cmpuint (td_outbox_queue_revision (store, second, campaign, "secondary-vocational", &error), ==, 2);
  g_assert_no_error (error);

  /* The first revision went by e-mail, its upload waits to retry. */
  {
    static const char eml[] = "Subject: test\r\n\r\nbody\r\n";
    g_autoptr(GBytes) message = g_bytes_new_static (eml, sizeof eml - 1);
    g_autoptr(GDateTime) later = g_date_time_add_minutes (now, 20);
    gint64 attempt;

    delivered = find_item (store, 1, TD_DESTINATION_SMTP);
    attempt = td_outbox_begin_attempt (store, delivered, now, &error);
    g_assert_no_error (error);
    g_assert_true (td_outbox_record_delivered (store, delivered, attempt, "250 2.0.0 Ok: queued as 4ZkQ1x0Lw9z3",
                                               message, now, &error));
    retrying = find_item (store, 1, TD_DESTINATION_HTTPS);
    attempt = td_outbox_begin_attempt (store, retrying, now, &error);
    g_assert_no_error (error);
    g_assert_true (td_outbox_record_retry (store, retrying, attempt,
                                           "Could not connect to upload.example.edu.cn: the connection timed out.",
                                           NULL, now, later, &error));
    g_assert_no_error (error);
  }
  mail = find_item (store, 2, TD_DESTINATION_SMTP);
  upload = find_item (store, 2, TD_DESTINATION_HTTPS);

  sync = td_sync_new (store, G_NETWORK_MONITOR (monitor));
  window = td_test_present_window (td_window_new_for_sync (NULL, sync), 960, 860);
  page = show_outbox (window);
  td_test_iterate (100);

  /* Newest first; offline, the second revision waits, queued. */
  g_assert_cmpstr (td_outbox_page_get_view (page), ==, "list");
  g_assert_cmpuint (td_outbox_page_get_n_rows (page), ==, 4);
  g_assert_true (td_outbox_page_get_offline_shown (page));
  id = td_outbox_item_get_id (mail);
  g_assert_cmpstr (td_outbox_page_get_row_text (page, id, "state"), ==, td_outbox_state_label (TD_OUTBOX_QUEUED));
  if (!td_test_in_chinese ())
    g_assert_cmpstr (td_outbox_page_get_row_text (page, id, "state"), ==, "Queued");
  g_assert_nonnull (strstr (td_outbox_page_get_row_text (page, id, "recipient"), RECIPIENT));
  g_assert_nonnull (strstr (td_outbox_page_get_row_text (page, id, "title"), "2"));
  g_assert_true (button_usable (page, id, "cancel"));
  g_assert_false (button_usable (page, id, "send-now"));
  g_assert_true (button_shown (page, id, "save-message"));
  g_assert_false (button_usable (page, id, "save-message"));
  g_assert_false (button_shown (page, id, "preferences"));
  g_assert_null (td_outbox_page_get_row_text (page, id, "error"));
  g_assert_nonnull (strstr (td_outbox_page_get_row_text (page, td_outbox_item_get_id (upload), "recipient"),
                            ENDPOINT));
  g_assert_false (button_shown (page, td_outbox_item_get_id (upload), "save-message"));

  /* Delivered: the receipt, and the message as sent. */
  id = td_outbox_item_get_id (delivered);
  g_assert_cmpstr (td_outbox_page_get_row_text (page, id, "state"), ==, td_outbox_state_label (TD_OUTBOX_DELIVERED));
  /* In words, with the time; the server's own words as the detail. */
  {
    g_autoptr(TdOutboxItem) fresh = reload (store, delivered);
    g_autoptr(GDateTime) local = g_date_time_to_local (td_outbox_item_get_updated_at (fresh));
    g_autofree char *at = g_date_time_format (local, "%H:%M");
    const char *receipt = td_outbox_page_get_row_text (page, id, "receipt");

    g_test_message ("delivered: %s", receipt);
    g_assert_nonnull (strstr (receipt, at));
    g_assert_nonnull (strstr (receipt, "4ZkQ1x0Lw9z3"));
    g_assert_null (strstr (receipt, "250"));
    g_assert_cmpstr (td_outbox_page_get_row_text (page, id, "detail"), ==, "250 2.0.0 Ok: queued as 4ZkQ1x0Lw9z3");
  }
  g_assert_true (button_usable (page, id, "save-message"));
  g_assert_false (button_usable (page, id, "cancel"));
  g_assert_false (button_usable (page, id, "send-now"));

  /* Waiting to retry: the error in words, the time of the next try. */
  id = td_outbox_item_get_id (retrying);
  g_assert_cmpstr (td_outbox_page_get_row_text (page, id, "state"), ==, td_outbox_state_label (TD_OUTBOX_RETRYING));
  /* In plain words; what the network said, as the detail. */
  g_assert_null (strstr (td_outbox_page_get_row_text (page, id, "error"), "timed out"));
  g_assert_cmpstr (td_outbox_page_get_row_text (page, id, "error"), ==, _("Sending failed. Training Desk will try again."));
  g_assert_nonnull (strstr (td_outbox_page_get_row_text (page, id, "detail"), "timed out"));
  {
    g_autoptr(TdOutboxItem) fresh = reload (store, retrying);
    g_autoptr(GDateTime) local = g_date_time_to_local (td_outbox_item_get_next_attempt_at (fresh));
    g_autofree char *at = g_date_time_format (local, "%H:%M");

    g_assert_nonnull (strstr (td_outbox_page_get_row_text (page, id, "attempts"), at));
  }
  g_assert_true (button_usable (page, id, "send-now"));
  g_assert_true (button_usable (page, id, "cancel"));
  screenshot (GTK_WIDGET (window), "outbox-page");
  /* As narrow as the window goes: the rows still fit, nothing overflows. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 860);
  td_test_iterate (200);
  screenshot (GTK_WIDGET (window), "outbox-page-narrow");
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 860);
  td_test_iterate (100);

  /* Cancelled through the page's action: failed, for that reason. */
  id = td_outbox_item_get_id (mail);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "outbox.cancel", "x", id));
  {
    g_autoptr(TdOutboxItem) fresh = reload (store, mail);

    g_assert_cmpint (td_outbox_item_get_state (fresh), ==, TD_OUTBOX_FAILED);
    g_assert_cmpstr (td_outbox_item_get_error_code (fresh), ==, TD_OUTBOX_CODE_CANCELLED);
  }
  g_assert_false (button_usable (page, id, "cancel"));
  g_assert_true (button_usable (page, id, "send-now"));
  g_assert_false (button_shown (page, id, "preferences"));
  g_assert_cmpstr (td_outbox_page_get_row_text (page, id, "state"), !=, td_outbox_state_label (TD_OUTBOX_QUEUED));

  /* Send Now: queued again at once. Without a mail server it fails for
   * its settings, and the row sends the user to Preferences. */
  set (store, TD_SETTING_SMTP_HOST, "");
  /* Past the 2020 campaign's deadline, Send Now first asks, naming the
   * date; cancelled, nothing is queued. */
  g_setenv ("TRAINING_DESK_TODAY", "2026-12-05", TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "outbox.send-now", "x", id));
  {
    AdwMessageDialog *late = td_outbox_page_get_late_dialog (page);
    g_autoptr(TdOutboxItem) fresh = reload (store, mail);

    g_assert_nonnull (late);
    g_assert_nonnull (strstr (adw_message_dialog_get_body (late), "2020-05-15"));
    g_assert_cmpint (td_outbox_item_get_state (fresh), ==, TD_OUTBOX_FAILED);
    adw_message_dialog_response (late, "cancel");
    gtk_window_destroy (GTK_WINDOW (late));
    td_test_iterate (10);
  }
  g_setenv ("TRAINING_DESK_TODAY", "2020-05-01", TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "outbox.send-now", "x", id));
  g_assert_null (td_outbox_page_get_late_dialog (page));
  {
    g_autoptr(TdOutboxItem) fresh = reload (store, mail);

    g_assert_cmpint (td_outbox_item_get_state (fresh), ==, TD_OUTBOX_QUEUED);
  }
  g_assert_cmpstr (td_outbox_page_get_row_text (page, id, "state"), ==, td_outbox_state_label (TD_OUTBOX_QUEUED));
  wait_for_state (store, mail, TD_OUTBOX_FAILED, TD_OUTBOX_CODE_SETTINGS);
  td_test_iterate (20);
  g_assert_true (button_usable (page, id, "preferences"));
  g_assert_true (button_usable (page, id, "send-now"));
  g_assert_nonnull (td_outbox_page_get_row_text (page, id, "error"));
  screenshot (GTK_WIDGET (window), "outbox-page-attention");

  /* "Open Preferences", the server entered: the item goes again by itself. */
  g_signal_emit_by_name (td_outbox_page_get_row_button (page, id, "preferences"), "clicked");
  preferences = td_test_find_toplevel (TD_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preferences)) == GTK_WINDOW (window));
  {
    GtkWidget *host = td_preferences_window_get_row (preferences, "smtp-host");

    gtk_editable_set_text (GTK_EDITABLE (host), "smtp.163.com");
    td_preferences_window_save (preferences);
  }
  {
    g_autoptr(TdOutboxItem) fresh = reload (store, mail);

    g_assert_cmpint (td_outbox_item_get_state (fresh), ==, TD_OUTBOX_QUEUED);
  }
  td_test_iterate (50);
  g_assert_false (button_shown (page, id, "preferences"));
  g_assert_cmpstr (td_outbox_page_get_row_text (page, id, "state"), ==, td_outbox_state_label (TD_OUTBOX_QUEUED));
  gtk_window_close (GTK_WINDOW (preferences));
  td_test_iterate (50);

  /* Back online with nothing to send: the notice goes. Each waiting item
   * is cancelled first: online, the test would reach the real servers. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "outbox.cancel", "x", id));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "outbox.cancel", "x",
                                             td_outbox_item_get_id (upload)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "outbox.cancel", "x",
                                             td_outbox_item_get_id (retrying)));
  g_assert_cmpuint (td_sync_get_pending (sync), ==, 0);
  td_test_monitor_set_available (monitor, TRUE);
  g_assert_false (td_outbox_page_get_offline_shown (page));

  td_test_close_window (window);
}

static void
wait_idle (TdPreferencesWindow *preferences)
{
  gint64 give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (td_preferences_window_is_busy (preferences))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
apply (TdPreferencesWindow *preferences,
       const char          *name,
       const char          *text)
{
  GtkWidget *row = td_preferences_window_get_row (preferences, name);

  gtk_editable_set_text (GTK_EDITABLE (row), text);
  td_preferences_window_save (preferences);
  wait_idle (preferences);
}

static void
assert_setting (TdStore    *store,
                const char *key,
                const char *expected)
{
  g_autofree char *value = td_store_dup_setting (store, key);

  g_assert_cmpstr (value, ==, expected);
}

/* The settings go into the database, checked; the secrets into the keyring. */
static void
test_preferences (void)
{
  g_autoptr(TdStore) store = td_test_open_store ("preferences.db");
  g_autoptr(TdTestMonitor) monitor = td_test_monitor_new (FALSE);
  g_autoptr(TdSync) sync = td_sync_new (store, G_NETWORK_MONITOR (monitor));
  g_autoptr(GError) error = NULL;
  TdPreferencesWindow *preferences = NULL;
  TdWindow *window;
  gboolean saved = TRUE;

  g_assert_true (td_signing_key_create (store, PASSPHRASE, TD_KDF_MINIMUM, &error));
  g_assert_no_error (error);
  window = td_test_present_window (td_window_new_for_sync (NULL, sync), 960, 860);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL));
  preferences = td_test_find_toplevel (TD_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_object_ref (preferences);
  wait_idle (preferences);
  /* The signing key's fingerprint, to read out on the phone (issue 10). */
  {
    g_autoptr(GBytes) key = td_signing_key_dup_public_key (store, &error);
    g_autofree char *fingerprint = td_signing_key_fingerprint (key);
    GtkWidget *label = td_test_find_named (GTK_WIDGET (preferences), "signing-key-fingerprint");

    g_assert_no_error (error);
    g_assert_nonnull (label);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, fingerprint);
    g_assert_true (gtk_label_get_selectable (GTK_LABEL (label)));
  }
  td_preferences_window_get_secret_status (preferences, "smtp-password", &saved);
  g_assert_false (saved);

  /* Nowhere to keep a password yet: said, nothing stored. */
  apply (preferences, "smtp-password", "authcode-163");
  g_assert_nonnull (td_preferences_window_get_message (preferences, "smtp-password"));
  gtk_editable_set_text (GTK_EDITABLE (td_preferences_window_get_row (preferences, "smtp-password")), "");

  /* The server: trimmed; a URL or a port in it is refused. */
  apply (preferences, "smtp-host", " smtp.163.com ");
  assert_setting (store, TD_SETTING_SMTP_HOST, "smtp.163.com");
  g_assert_null (td_preferences_window_get_message (preferences, "smtp-host"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (td_preferences_window_get_row (preferences, "smtp-host"))),
                   ==, "smtp.163.com");
  apply (preferences, "smtp-host", "smtps://smtp.163.com:465");
  g_assert_nonnull (td_preferences_window_get_message (preferences, "smtp-host"));
  assert_setting (store, TD_SETTING_SMTP_HOST, "smtp.163.com");
  apply (preferences, "smtp-host", "smtp.163.com");
  g_assert_null (td_preferences_window_get_message (preferences, "smtp-host"));

  /* The port: a number from 1 to 65535. */
  apply (preferences, "smtp-port", "70000");
  g_assert_nonnull (td_preferences_window_get_message (preferences, "smtp-port"));
  g_assert_null (td_store_dup_setting (store, TD_SETTING_SMTP_PORT));
  apply (preferences, "smtp-port", "465");
  g_assert_null (td_preferences_window_get_message (preferences, "smtp-port"));
  assert_setting (store, TD_SETTING_SMTP_PORT, "465");

  /* STARTTLS takes its usual port along. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (td_preferences_window_get_row (preferences, "smtp-security")), 1);
  td_preferences_window_save (preferences);
  assert_setting (store, TD_SETTING_SMTP_SECURITY, "starttls");
  assert_setting (store, TD_SETTING_SMTP_PORT, "587");
  adw_combo_row_set_selected (ADW_COMBO_ROW (td_preferences_window_get_row (preferences, "smtp-security")), 0);
  td_preferences_window_save (preferences);
  assert_setting (store, TD_SETTING_SMTP_SECURITY, "tls");
  assert_setting (store, TD_SETTING_SMTP_PORT, "465");

  apply (preferences, "smtp-username", "office@163.com");
  assert_setting (store, TD_SETTING_SMTP_USERNAME, "office@163.com");
  apply (preferences, "smtp-from", "office");
  g_assert_nonnull (td_preferences_window_get_message (preferences, "smtp-from"));
  apply (preferences, "smtp-from", "office@163.com");
  assert_setting (store, TD_SETTING_SMTP_FROM, "office@163.com");

  /* The authorisation code: into the keyring, for that account. */
  apply (preferences, "smtp-password", "authcode-163");
  g_assert_null (td_preferences_window_get_message (preferences, "smtp-password"));
  td_preferences_window_get_secret_status (preferences, "smtp-password", &saved);
  g_assert_true (saved);
  {
    /* Secure memory: freed as such. */
    char *secret = td_credentials_lookup (TD_CREDENTIAL_SMTP, "smtp.163.com", "office@163.com", NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (secret, ==, "authcode-163");
    td_credentials_secret_free (secret);
  }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (td_preferences_window_get_row (preferences, "smtp-password"))),
                   ==, "");
  /* Never in the database. */
  {
    g_autofree char *dump = NULL;
    g_autofree char *path = g_strdup (td_store_get_path (store));
    gsize length;

    g_assert_true (g_file_get_contents (path, &dump, &length, NULL));
    g_assert_null (g_strstr_len (dump, (gssize)length, "authcode-163"));
  }

  /* The endpoint: https:// only; then its token. */
  apply (preferences, "https-endpoint", "http://upload.example.edu.cn/api");
  g_assert_nonnull (td_preferences_window_get_message (preferences, "https-endpoint"));
  g_assert_null (td_store_dup_setting (store, TD_SETTING_HTTPS_ENDPOINT));
  apply (preferences, "https-endpoint", ENDPOINT);
  assert_setting (store, TD_SETTING_HTTPS_ENDPOINT, ENDPOINT);
  apply (preferences, "https-token", "token-of-the-school");
  td_preferences_window_get_secret_status (preferences, "https-token", &saved);
  g_assert_true (saved);
  {
    char *secret = td_credentials_lookup (TD_CREDENTIAL_HTTPS, ENDPOINT, "", NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (secret, ==, "token-of-the-school");
    td_credentials_secret_free (secret);
  }

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (adw_action_row_get_activatable_widget (
                               ADW_ACTION_ROW (td_preferences_window_get_row (preferences, "timeout")))),
                             30);
  td_preferences_window_save (preferences);
  assert_setting (store, TD_SETTING_TIMEOUT, "30");

  gtk_window_set_default_size (GTK_WINDOW (preferences), 640, 980);
  td_test_iterate (100);
  screenshot (GTK_WIDGET (preferences), "preferences");

  /* Shown again as saved. */
  gtk_window_destroy (GTK_WINDOW (preferences));
  g_assert_finalize_object (preferences);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL));
  preferences = NULL;
  preferences = td_test_find_toplevel (TD_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  wait_idle (preferences);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (td_preferences_window_get_row (preferences, "smtp-port"))),
                   ==, "465");
  td_preferences_window_get_secret_status (preferences, "smtp-password", &saved);
  g_assert_true (saved);

  td_test_close_window (window);
}

/* The window closed while an item waits: the application keeps the sync,
 * and says what became of it. */
static void
test_sending_after_close (void)
{
  GDBusConnection *server = td_test_notifications_start ();
  g_autoptr(TdStore) store = td_test_open_store ("after-close.db");
  g_autoptr(TdCampaign) campaign = td_campaign_get_builtin ();
  g_autoptr(TdRevision) revision = NULL;
  g_autoptr(TdTestMonitor) monitor = td_test_monitor_new (FALSE);
  g_autoptr(TdApplication) app = td_application_new ();
  g_autoptr(GError) error = NULL;
  TdSync *sync = td_sync_new (store, G_NETWORK_MONITOR (monitor));
  g_autofree char *revision_text = NULL;
  TdWindow *window;
  gint64 give_up;

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  set (store, TD_SETTING_SMTP_HOST, "smtp.163.com");
  revision = sign (store, campaign, "0531-81916531");
  g_assert_cmpuint (td_outbox_queue_revision (store, revision, campaign, "secondary-vocational", &error), ==, 1);

  window = td_test_present_window (td_window_new_for_sync (app, sync), 960, 860);
  g_object_add_weak_pointer (G_OBJECT (sync), (gpointer *)&sync);
  g_object_unref (sync);
  td_test_iterate (50);
  g_assert_cmpuint (td_sync_get_pending (sync), ==, 1);

  /* Closed: the sync, and so the store, stay. */
  td_test_close_window (window);
  g_assert_nonnull (sync);
  give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (td_test_n_notifications () == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_true (td_test_notified (_("Still sending"), "1"));

  /* Its outcome is told, then the application lets go. */
  set (store, TD_SETTING_SMTP_HOST, "");
  td_sync_kick (sync);
  give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (sync != NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  revision_text = g_strdup_printf (_("Revision %d could not be sent by e-mail to %s."), 1, RECIPIENT);
  give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!td_test_notified (_("Form not sent"), revision_text))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, FALSE);
    }

  td_test_notifications_stop (server);
}

/* An upload endpoint set after signing: the page offers "Send to the New
 * Destination"; pressing it queues exactly one item, without signing
 * again, and the offer goes; pressing again adds nothing (issue 10). */
static void
test_new_destination (void)
{
  g_autoptr(TdStore) store = td_test_open_store ("new-destination.db");
  g_autoptr(TdCampaign) campaign = td_campaign_get_builtin ();
  g_autoptr(TdRevision) revision = NULL;
  g_autoptr(TdTestMonitor) monitor = td_test_monitor_new (FALSE);
  g_autoptr(TdSync) sync = td_sync_new (store, G_NETWORK_MONITOR (monitor));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  TdOutboxPage *page;
  GtkWidget *box;

  revision = sign (store, campaign, "0531-81916531");
  g_assert_cmpuint (td_outbox_queue_revision (store, revision, campaign, "", &error), ==, 0);
  g_assert_no_error (error);
  page = TD_OUTBOX_PAGE (g_object_ref_sink (td_outbox_page_new (sync)));
  box = td_outbox_page_get_new_destination_box (page);
  g_assert_false (gtk_widget_get_visible (box));

  set (store, TD_SETTING_HTTPS_ENDPOINT, "https://upload.example.edu.cn/api");
  td_outbox_page_reload (page);
  g_assert_true (gtk_widget_get_visible (box));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "outbox.send-new-destinations", NULL));
  items = td_outbox_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpint (td_outbox_item_get_destination (g_ptr_array_index (items, 0)), ==, TD_DESTINATION_HTTPS);
  g_assert_cmpint (td_outbox_item_get_revision_id (g_ptr_array_index (items, 0)), ==, td_revision_get_id (revision));
  g_assert_cmpuint (td_outbox_page_get_n_rows (page), ==, 1);
  g_assert_false (gtk_widget_get_visible (box));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "outbox.send-new-destinations", NULL));
  g_clear_pointer (&items, g_ptr_array_unref);
  items = td_outbox_list (store, &error);
  g_assert_cmpuint (items->len, ==, 1);

  td_sync_stop (sync);
  g_assert_finalize_object (page);
}

/* Sent for real, to a mail server on loopback: the delivered row says when
 * and the server's reference in the UI's language, and keeps the server's
 * own answer as the detail (issue 13). */
static void
test_delivered (void)
{
  g_autoptr(TdStore) store = td_test_open_store ("outbox-delivered.db");
  g_autoptr(TdCampaign) campaign = td_campaign_get_builtin ();
  g_autoptr(TdRevision) revision = NULL;
  g_autoptr(TdTestMonitor) monitor = td_test_monitor_new (TRUE);
  g_autoptr(TdSync) sync = NULL;
  g_autoptr(TdOutboxItem) item = NULL;
  g_autoptr(TdOutboxItem) fresh = NULL;
  g_autoptr(TdTestSmtp) smtp = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *port = NULL;
  g_autofree char *at = NULL;
  g_autofree char *day = NULL;
  const char *receipt;
  TdWindow *window;
  TdOutboxPage *page;
  gint64 give_up;

  td_test_make_certificate (tmp_dir, &cert_file, &key_file);
  smtp = td_test_smtp_start (tmp_dir, cert_file, key_file, "starttls", SMTP_USER, SMTP_PASSWORD, NULL);
  port = g_strdup_printf ("%u", smtp->port);
  set (store, TD_SETTING_SMTP_HOST, "127.0.0.1");
  set (store, TD_SETTING_SMTP_PORT, port);
  set (store, TD_SETTING_SMTP_SECURITY, "starttls");
  set (store, TD_SETTING_SMTP_USERNAME, SMTP_USER);
  set (store, TD_SETTING_SMTP_CA_FILE, cert_file);
  set (store, TD_SETTING_TIMEOUT, "60");
  g_assert_true (td_credentials_store (TD_CREDENTIAL_SMTP, "127.0.0.1", SMTP_USER, SMTP_PASSWORD, NULL, &error));
  g_assert_no_error (error);

  revision = sign (store, campaign, "0531-81916531");
  g_assert_cmpuint (td_outbox_queue_revision (store, revision, campaign, "secondary-vocational", &error), ==, 1);
  g_assert_no_error (error);
  item = find_item (store, 1, TD_DESTINATION_SMTP);

  sync = td_sync_new (store, G_NETWORK_MONITOR (monitor));
  window = td_test_present_window (td_window_new_for_sync (NULL, sync), 960, 860);
  page = show_outbox (window);
  g_object_ref (page);
  give_up = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (g_strcmp0 (td_outbox_page_get_row_text (page, td_outbox_item_get_id (item), "state"),
                    td_outbox_state_label (TD_OUTBOX_DELIVERED)) != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  td_test_iterate (100);
  g_assert_cmpuint (td_test_smtp_count (smtp), ==, 1);

  fresh = reload (store, item);
  g_assert_cmpint (td_outbox_item_get_state (fresh), ==, TD_OUTBOX_DELIVERED);
  local = g_date_time_to_local (td_outbox_item_get_updated_at (fresh));
  at = g_date_time_format (local, "%H:%M");
  receipt = td_outbox_page_get_row_text (page, td_outbox_item_get_id (item), "receipt");
  g_test_message ("receipt: %s", receipt);
  /* When, and the server's reference, in the window's language. */
  g_assert_nonnull (strstr (receipt, at));
  g_assert_nonnull (strstr (receipt, "TEST0001"));
  g_assert_null (strstr (receipt, "250"));
  if (td_test_in_chinese ())
    {
      day = g_date_time_format (local, "%Y年%-m月%-d日");
      g_assert_true (g_str_has_prefix (receipt, "邮件服务器已于"));
    }
  else
    {
      day = g_date_time_format (local, "%-d %B %Y");
      g_assert_true (g_str_has_prefix (receipt, "The mail server accepted it on"));
    }
  g_assert_nonnull (strstr (receipt, day));
  /* The server's answer itself, for whoever asks. */
  g_assert_cmpstr (td_outbox_page_get_row_text (page, td_outbox_item_get_id (item), "detail"), ==,
                   td_outbox_item_get_receipt (fresh));
  g_assert_true (g_str_has_prefix (td_outbox_item_get_receipt (fresh), "250 "));
  g_assert_null (td_outbox_page_get_row_text (page, td_outbox_item_get_id (item), "error"));
  screenshot (GTK_WIDGET (window), "outbox-delivered");

  td_test_close_window (window);
  td_sync_stop (sync);
  g_assert_finalize_object (page);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *display = NULL;
  int status;

  td_test_ui_test_init (&argc, &argv);
  /* Before the built-in campaign's deadline, but where a test says. */
  g_setenv ("TRAINING_DESK_TODAY", "2020-05-01", TRUE);

  /* A keyring, and a session bus, of the test's own: before GTK. */
  tmp_dir = g_dir_make_tmp ("test-outbox-page-XXXXXX", NULL);
  display = g_strdup (g_getenv ("DISPLAY"));
  td_test_keyring_start (tmp_dir);
  /* GTestDBus unsets it (against D-Bus's X11 autolaunch): Xvfb's again. */
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);

  td_test_ui_init ();
  td_test_ui_load_style ();

  g_test_add_func ("/outbox-page/empty-then-signed", test_empty_then_signed);
  g_test_add_func ("/outbox-page/items", test_items);
  g_test_add_func ("/outbox-page/preferences", test_preferences);
  g_test_add_func ("/outbox-page/sending-after-close", test_sending_after_close);
  g_test_add_func ("/outbox-page/new-destination", test_new_destination);
  g_test_add_func ("/outbox-page/delivered", test_delivered);

  status = g_test_run ();

  td_test_keyring_stop ();
  td_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
