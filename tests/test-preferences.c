/* test-preferences.c: the Preferences window as one form (issue 13)
 *
 * Save checks every field together and writes nothing while one is wrong;
 * Tab goes from field to field (no ✓ button between them); Test Connection
 * tries what is typed against real servers on loopback — the SMTP server
 * of tests/smtp-server.py with STARTTLS and a certificate of the test's own,
 * and the upload receiver — and says the outcome in plain words in the
 * UI's language, the technical text apart. The keyring is a
 * gnome-keyring-daemon of the test's own (td-test-servers.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "td-test-ui.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "td-credentials.h"
#include "td-outbox.h"
#include "td-preferences-window-private.h"
#include "td-sync.h"
#include "td-test-monitor.h"
#include "td-test-servers.h"

#define SMTP_USER "office@example.edu.cn"
#define SMTP_PASSWORD "authcode-2026"

static char *tmp_dir;
static char *cert_file;
static char *key_file;

/* Scrolls every scrolled window under @widget to its end. */
static void
scroll_to_end (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (widget));

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    scroll_to_end (child);
}

/* Light and dark, for people to look at (TD_SCREENSHOT_DIR): the top of
 * the form, then its end (the buttons and the tests' outcomes). */
static void
flag_set (gboolean *flag)
{
  *flag = TRUE;
}

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autofree char *end = g_strconcat (name, "-end", NULL);

  if (g_getenv ("TD_SCREENSHOT_DIR") == NULL)
    return;
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  td_test_save_screenshot (widget, name);
  scroll_to_end (widget);
  td_test_save_screenshot (widget, end);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  td_test_save_screenshot (widget, end);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
}

static TdStore *
new_store (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  TdStore *store = td_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static TdPreferencesWindow *
open_preferences (TdSync *sync)
{
  TdPreferencesWindow *preferences = td_preferences_window_new (NULL, sync);

  gtk_window_present (GTK_WINDOW (preferences));
  while (!gtk_widget_get_mapped (GTK_WIDGET (preferences)))
    g_main_context_iteration (NULL, TRUE);
  return g_object_ref (preferences);
}

static void
close_preferences (TdPreferencesWindow *preferences)
{
  gtk_window_destroy (GTK_WINDOW (preferences));
  td_test_iterate (50);
  g_assert_finalize_object (preferences);
}

static void
wait_idle (TdPreferencesWindow *preferences)
{
  gint64 give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (td_preferences_window_is_busy (preferences))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
type (TdPreferencesWindow *preferences,
      const char          *name,
      const char          *text)
{
  gtk_editable_set_text (GTK_EDITABLE (td_preferences_window_get_row (preferences, name)), text);
}

static char *
setting (TdStore    *store,
         const char *key)
{
  return td_store_dup_setting (store, key);
}

/* The widget that has the focus is @row or inside it. */
static gboolean
focus_in (TdPreferencesWindow *preferences,
          const char          *name)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (preferences));

  return focus != NULL && gtk_widget_is_ancestor (focus, td_preferences_window_get_row (preferences, name));
}

static void
test_whole_form (void)
{
  g_autoptr(TdStore) store = new_store ("form.db");
  g_autoptr(TdTestMonitor) monitor = td_test_monitor_new (FALSE);
  g_autoptr(TdSync) sync = td_sync_new (store, G_NETWORK_MONITOR (monitor));
  TdPreferencesWindow *preferences = open_preferences (sync);
  g_autofree char *host = NULL;
  g_autofree char *port = NULL;
  gboolean refused_dismissed = FALSE;

  wait_idle (preferences);

  /* Tab from the server goes to the port, not to a ✓ button. */
  gtk_widget_grab_focus (td_preferences_window_get_row (preferences, "smtp-host"));
  g_assert_true (focus_in (preferences, "smtp-host"));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (preferences), GTK_DIR_TAB_FORWARD));
  g_assert_true (focus_in (preferences, "smtp-port"));

  /* Three wrong fields, one right: each says why, nothing is written. */
  type (preferences, "smtp-host", "smtps://smtp.163.com:465");
  type (preferences, "smtp-port", "70000");
  type (preferences, "smtp-username", SMTP_USER);
  type (preferences, "smtp-from", "office");
  g_assert_null (setting (store, TD_SETTING_SMTP_USERNAME));
  td_preferences_window_save (preferences);
  wait_idle (preferences);
  g_assert_nonnull (td_preferences_window_get_message (preferences, "smtp-host"));
  g_assert_nonnull (td_preferences_window_get_message (preferences, "smtp-port"));
  g_assert_nonnull (td_preferences_window_get_message (preferences, "smtp-from"));
  g_assert_null (td_preferences_window_get_message (preferences, "smtp-username"));
  g_assert_null (setting (store, TD_SETTING_SMTP_USERNAME));
  g_assert_null (setting (store, TD_SETTING_SMTP_HOST));
  /* The first wrong field has the focus. */
  g_assert_true (focus_in (preferences, "smtp-host"));
  g_assert_cmpstr (adw_toast_get_title (td_preferences_window_get_toast (preferences)), ==,
                   _("Nothing was saved: correct the fields marked, then save again."));
  g_signal_connect_swapped (td_preferences_window_get_toast (preferences), "dismissed",
                            G_CALLBACK (flag_set), &refused_dismissed);
  screenshot (GTK_WIDGET (preferences), "preferences-errors");

  /* A password about to go to an empty keyring: the desktop's own
   * question is said beforehand. */
  g_assert_false (td_preferences_window_get_keyring_note_shown (preferences));
  type (preferences, "smtp-password", SMTP_PASSWORD);
  g_assert_true (td_preferences_window_get_keyring_note_shown (preferences));

  /* All right: all written at once, the password into the keyring. */
  type (preferences, "smtp-host", " 127.0.0.1 ");
  type (preferences, "smtp-port", "587");
  /* The sentence's full stop a Chinese input method types after it: kept
   * as the mail will carry it (td_mail_normalize_address()). */
  type (preferences, "smtp-from", SMTP_USER "。");
  adw_combo_row_set_selected (ADW_COMBO_ROW (td_preferences_window_get_row (preferences, "smtp-security")), 1);
  td_preferences_window_save (preferences);
  g_assert_true (refused_dismissed);
  wait_idle (preferences);
  host = setting (store, TD_SETTING_SMTP_HOST);
  port = setting (store, TD_SETTING_SMTP_PORT);
  g_assert_cmpstr (host, ==, "127.0.0.1");
  g_assert_cmpstr (port, ==, "587");
  {
    g_autofree char *from = setting (store, TD_SETTING_SMTP_FROM);
    g_autofree char *security = setting (store, TD_SETTING_SMTP_SECURITY);
    g_autoptr(GError) error = NULL;
    char *secret = td_credentials_lookup (TD_CREDENTIAL_SMTP, "127.0.0.1", SMTP_USER, NULL, &error);

    g_assert_cmpstr (from, ==, SMTP_USER);
    g_assert_cmpstr (security, ==, "starttls");
    g_assert_no_error (error);
    g_assert_cmpstr (secret, ==, SMTP_PASSWORD);
    td_credentials_secret_free (secret);
  }
  g_assert_null (td_preferences_window_get_message (preferences, "smtp-host"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (td_preferences_window_get_row (preferences, "smtp-host"))),
                   ==, "127.0.0.1");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (td_preferences_window_get_row (preferences, "smtp-from"))),
                   ==, SMTP_USER);
  /* "Saved" replaced "Nothing was saved" at once (dismissed by the Save,
   * above), not after it timed out. */
  g_assert_cmpstr (adw_toast_get_title (td_preferences_window_get_toast (preferences)), ==, _("Saved"));
  gtk_widget_grab_focus (td_preferences_window_get_row (preferences, "smtp-from"));
  wait_idle (preferences);
  screenshot (GTK_WIDGET (preferences), "preferences-saved");
  g_assert_false (td_preferences_window_get_keyring_note_shown (preferences));

  /* A half-typed change is not written by leaving the field. */
  type (preferences, "smtp-host", "smtp.16");
  gtk_widget_grab_focus (td_preferences_window_get_row (preferences, "smtp-port"));
  td_test_iterate (50);
  g_clear_pointer (&host, g_free);
  host = setting (store, TD_SETTING_SMTP_HOST);
  g_assert_cmpstr (host, ==, "127.0.0.1");

  close_preferences (preferences);
}

/* The outcome: plain words in the UI's language, the detail apart. */
static const char *
wait_result (TdPreferencesWindow *preferences,
             TdDestination        destination,
             gboolean            *passed,
             const char         **detail)
{
  gint64 give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  const char *title;

  wait_idle (preferences);
  while ((title = td_preferences_window_get_test_result (preferences, destination, passed, detail)) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, FALSE);
    }
  return title;
}

static void
test_connection_smtp (void)
{
  g_autoptr(TdStore) store = new_store ("test-smtp.db");
  g_autoptr(TdTestMonitor) monitor = td_test_monitor_new (FALSE);
  g_autoptr(TdSync) sync = td_sync_new (store, G_NETWORK_MONITOR (monitor));
  g_autoptr(TdTestSmtp) smtp = td_test_smtp_start (tmp_dir, cert_file, key_file, "starttls", SMTP_USER,
                                                   SMTP_PASSWORD, NULL);
  g_autofree char *port = g_strdup_printf ("%u", smtp->port);
  TdPreferencesWindow *preferences = open_preferences (sync);
  const char *title, *detail = NULL;
  gboolean passed = FALSE;
  guint before = td_test_smtp_count (smtp);

  wait_idle (preferences);
  /* Typed, not saved: the test tries what is on the screen. */
  type (preferences, "smtp-host", "127.0.0.1");
  adw_combo_row_set_selected (ADW_COMBO_ROW (td_preferences_window_get_row (preferences, "smtp-security")), 1);
  type (preferences, "smtp-port", port);
  type (preferences, "smtp-username", SMTP_USER);
  type (preferences, "smtp-from", SMTP_USER);
  type (preferences, "smtp-password", SMTP_PASSWORD);
  /* No keyring, no Save: the file is chosen as the Choose button would. */
  {
    GtkWidget *row = td_preferences_window_get_row (preferences, "smtp-ca");

    g_assert_nonnull (row);
  }
  td_preferences_window_set_ca_file (preferences, "smtp-ca", cert_file);

  td_preferences_window_test (preferences);
  title = wait_result (preferences, TD_DESTINATION_SMTP, &passed, &detail);
  g_assert_true (passed);
  g_assert_nonnull (strstr (title, SMTP_USER));
  g_assert_cmpuint (td_test_smtp_count (smtp), ==, before + 1);
  {
    g_autofree char *envelope = td_test_smtp_envelope (smtp, before + 1);

    g_assert_nonnull (strstr (envelope, SMTP_USER));
  }
  /* Nothing saved by a test. */
  g_assert_null (td_store_dup_setting (store, TD_SETTING_SMTP_HOST));
  screenshot (GTK_WIDGET (preferences), "preferences-test-passed");

  /* A wrong authorisation code: said as such, in the UI's language; the
   * server's own words only in the details. */
  type (preferences, "smtp-password", "wrong-code");
  td_preferences_window_test (preferences);
  title = wait_result (preferences, TD_DESTINATION_SMTP, &passed, &detail);
  g_assert_false (passed);
  g_assert_cmpstr (title, ==, _("The mailbox refused the account or the authorisation code. Check both: a 163.com "
                                "mailbox takes its authorisation code here, not the login password."));
  g_assert_nonnull (detail);
  g_assert_cmpstr (detail, !=, "");
  if (td_test_in_chinese ())
    {
      /* No English sentence in a Chinese window's outcome. */
      g_assert_null (strstr (title, "the "));
      g_assert_null (strstr (title, "Failed"));
    }
  screenshot (GTK_WIDGET (preferences), "preferences-test-failed");

  /* Nobody listening: "cannot be reached", not libcurl's text. */
  td_test_smtp_stop (g_steal_pointer (&smtp));
  td_preferences_window_test (preferences);
  title = wait_result (preferences, TD_DESTINATION_SMTP, &passed, &detail);
  g_assert_false (passed);
  g_assert_cmpstr (title, ==, _("The mail server could not be reached: check the server name and the port, and "
                                "that this computer is online."));
  g_assert_null (strstr (title, "port " ));

  close_preferences (preferences);
}

static void
test_connection_upload (void)
{
  g_autoptr(TdStore) store = new_store ("test-upload.db");
  g_autoptr(TdTestMonitor) monitor = td_test_monitor_new (FALSE);
  g_autoptr(TdSync) sync = td_sync_new (store, G_NETWORK_MONITOR (monitor));
  g_autofree char *database = g_build_filename (tmp_dir, "receiver.db", NULL);
  g_autofree char *token = td_test_receiver_add_school (database, "济南第一职业中等专业学校");
  g_autoptr(TdTestReceiver) receiver = td_test_receiver_start (database, 0, NULL);
  TdPreferencesWindow *preferences = open_preferences (sync);
  const char *title, *detail = NULL;
  gboolean passed = FALSE;

  wait_idle (preferences);
  type (preferences, "https-endpoint", receiver->url);
  type (preferences, "https-token", token);
  td_preferences_window_test (preferences);
  title = wait_result (preferences, TD_DESTINATION_HTTPS, &passed, &detail);
  g_assert_true (passed);
  g_assert_cmpstr (title, ==, _("The upload endpoint works: it answered and accepted the token."));
  /* No mailbox typed: no mail test. */
  g_assert_null (td_preferences_window_get_test_result (preferences, TD_DESTINATION_SMTP, NULL, NULL));

  type (preferences, "https-token", "not-the-token");
  td_preferences_window_test (preferences);
  title = wait_result (preferences, TD_DESTINATION_HTTPS, &passed, &detail);
  g_assert_false (passed);
  g_assert_cmpstr (title, ==, _("The upload endpoint refused the token: enter the token the province gave the "
                                "school."));
  g_assert_nonnull (strstr (detail, "401"));

  close_preferences (preferences);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *display = NULL;
  int status;

  td_test_ui_test_init (&argc, &argv);

  tmp_dir = g_dir_make_tmp ("test-preferences-XXXXXX", NULL);
  display = g_strdup (g_getenv ("DISPLAY"));
  td_test_keyring_start (tmp_dir);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  td_test_make_certificate (tmp_dir, &cert_file, &key_file);

  td_test_ui_init ();

  g_test_add_func ("/preferences/whole-form", test_whole_form);
  g_test_add_func ("/preferences/test-connection/smtp", test_connection_smtp);
  g_test_add_func ("/preferences/test-connection/upload", test_connection_upload);

  status = g_test_run ();

  td_test_keyring_stop ();
  td_test_remove_tree (tmp_dir);
  g_free (cert_file);
  g_free (key_file);
  g_free (tmp_dir);
  return status;
}
