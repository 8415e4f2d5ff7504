/* test-session.c: one owner for an open database (issue 14)
 *
 * The session holds the store, the school, the campaign, the record lists
 * and the sending; windows and pages are views of it. Checked here: what
 * is asked for twice is the same object (the record lists, the school the
 * form and School pages show), the campaign is told when it changes, and
 * a session outlives its last window while it sends, then finalizes once
 * the application lets go of it. The sending is offline (a network monitor
 * of the test's own), so nothing leaves the machine; the keyring and the
 * desktop's notification server are the test's own too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "td-test-ui.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "td-application.h"
#include "td-outbox.h"
#include "td-school-page.h"
#include "td-session.h"
#include "td-signoff.h"
#include "td-test-fixtures.h"
#include "td-test-monitor.h"
#include "td-test-servers.h"
#include "td-window.h"

#define PASSPHRASE "校长的口令 2026"
#define SYSTEM_SCHEMAS "/usr/share/glib-2.0/schemas"

static char *tmp_dir;

/* A database, a window */

/* Headless: a record list asked for twice is the same object, and lives
 * as long as the session. */
static void
test_session_records (void)
{
  g_autoptr(TdStore) store = td_test_open_store ("records.db");
  TdSession *session = td_session_new (store);
  g_autoptr(GError) error = NULL;
  TdRecordList *trainers = td_session_get_records (session, "trainers", &error);

  g_assert_no_error (error);
  g_assert_true (TD_IS_RECORD_LIST (trainers));
  g_assert_true (td_session_get_records (session, "trainers", NULL) == trainers);
  g_assert_true (td_session_get_records (session, "programmes", NULL) != (gpointer)trainers);
  g_assert_true (td_record_list_get_store (trainers) == store);
  g_assert_true (td_session_get_store (session) == store);

  g_assert_null (td_session_get_records (session, "no-such-kind", &error));
  g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED);

  g_assert_finalize_object (session);
}

static void
test_session_count_cb (guint *count)
{
  (*count)++;
}

/* Headless: the campaign is read from the database each time, and told
 * only when it is another; one school for the session. */
static void
test_session_campaign (void)
{
  g_autoptr(TdStore) store = td_test_open_store ("campaign.db");
  TdSession *session = td_session_new (store);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdCampaign) first = NULL;
  g_autoptr(TdCampaign) again = NULL;
  g_autoptr(TdCampaign) builtin = td_campaign_get_builtin ();
  TdSchool *school;
  guint notified = 0;

  g_signal_connect_swapped (session, "notify::campaign", G_CALLBACK (test_session_count_cb), &notified);
  g_assert_null (td_session_get_campaign (session));
  first = td_session_load_campaign (session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (td_session_get_campaign (session) == first);
  again = td_session_load_campaign (session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (td_campaign_get_id (again), ==, td_campaign_get_id (first));

  school = td_session_get_school (session);
  g_assert_true (TD_IS_SCHOOL (school));
  g_assert_true (td_session_get_school (session) == school);
  g_assert_true (td_session_make_campaign_current (session, builtin, &error));
  g_assert_no_error (error);
  g_assert_true (td_session_get_school (session) == school);
  g_assert_cmpstr (td_school_get_province_code (school), ==, td_campaign_get_province (builtin));

  /* Nothing sent, nothing pending: the sync is made only when asked for. */
  g_assert_cmpuint (td_session_get_pending (session), ==, 0);

  g_assert_finalize_object (session);
}

/* One TdSchool per database: the form page and the School page see the
 * one the session holds. */
static void
test_session_one_school (void)
{
  g_autoptr(TdStore) store = td_test_open_store ("one-school.db");
  TdWindow *window = td_test_present_window (td_window_new (NULL, store), 0, 0);
  TdSession *session = td_window_get_session (window);
  g_autoptr(TdSchool) shown = NULL;
  g_autoptr(TdSession) form_session = NULL;
  GtkWidget *school_page = td_window_get_page_widget (window, "school");
  GtkWidget *form_page = td_window_get_page_widget (window, "form");

  g_assert_true (TD_IS_SESSION (session));
  g_assert_true (td_window_get_store (window) == td_session_get_store (session));
  g_assert_true (td_window_get_sync (window) == td_session_get_sync (session));
  g_object_get (school_page, "school", &shown, NULL);
  g_assert_true (shown == td_session_get_school (session));
  g_object_get (form_page, "session", &form_session, NULL);
  g_assert_true (form_session == session);

  g_clear_object (&form_session);
  g_clear_object (&shown);
  td_test_close_window (window);
}

static void
test_session_wait_chooser_gone (void)
{
  gint64 give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (td_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, FALSE);
    }
}

/* The file chooser of td-gui-util.c, through Back Up…: cancelled, it lets
 * go (a second Back Up… opens another); accepted, the backup is written
 * where it says. */
static void
test_session_backup_chooser (void)
{
  g_autoptr(TdStore) store = td_test_open_store ("chooser.db");
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "training-desk-%Y-%m-%d.db");
  g_autofree char *backup = g_build_filename (g_get_user_data_dir (), name, NULL);
  g_autoptr(GSettingsSchema) schema =
    g_settings_schema_source_lookup (g_settings_schema_source_get_default (), "org.gtk.gtk4.Settings.FileChooser", TRUE);
  TdWindow *window;
  GtkWidget *dialog;
  gint64 give_up;

  if (schema == NULL)
    {
      g_test_skip ("GTK's file chooser settings are not installed");
      return;
    }

  window = td_test_present_window (td_window_new (NULL, store), 0, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.backup", NULL);
  dialog = td_test_wait_for_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  test_session_wait_chooser_gone ();
  g_assert_false (g_file_test (backup, G_FILE_TEST_EXISTS));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.backup", NULL);
  dialog = td_test_wait_for_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  gtk_widget_activate (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT));
  give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!g_file_test (backup, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  test_session_wait_chooser_gone ();
  td_test_iterate (100);

  td_test_close_window (window);
}

static TdRevision *
test_session_sign (TdStore    *store,
                   TdCampaign *campaign)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdForm) form = td_test_valid_form ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  TdRevision *revision;

  td_form_set (form, TD_FORM_PHONE, "0531-81916531");
  td_form_set (form, TD_FORM_EMAIL, "office@jndyzz.edu.cn");
  g_assert_true (td_signing_key_create (store, PASSPHRASE, TD_KDF_MINIMUM, &error));
  g_assert_no_error (error);
  revision = td_signoff_sign (store, form, campaign, PASSPHRASE, now, &error);
  g_assert_no_error (error);
  return revision;
}

static void
test_session_wait_finalized (gpointer *pointer)
{
  gint64 give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (*pointer != NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Closing the last window leaves the session, still sending, with the
 * application; once nothing is pending it lets go and the session is
 * finalized. A session with nothing to send goes with its window. */
static void
test_session_outlives_window (void)
{
  GDBusConnection *server = td_test_notifications_start ();
  g_autoptr(TdStore) store = td_test_open_store ("outlives.db");
  g_autoptr(TdCampaign) campaign = td_campaign_get_builtin ();
  g_autoptr(TdRevision) revision = NULL;
  g_autoptr(TdTestMonitor) monitor = td_test_monitor_new (FALSE);
  g_autoptr(TdApplication) app = td_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TdSync) sync = td_sync_new (store, G_NETWORK_MONITOR (monitor));
  TdSession *session = td_session_new_for_sync (sync);
  TdWindow *window;

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_assert_true (td_store_set_setting (store, TD_SETTING_SMTP_HOST, "smtp.163.com", &error));
  revision = test_session_sign (store, campaign);
  g_assert_cmpuint (td_outbox_queue_revision (store, revision, campaign, "secondary-vocational", &error), ==, 1);
  g_assert_no_error (error);

  window = td_test_present_window (td_window_new_for_session (app, session), 0, 0);
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *)&session);
  g_object_unref (session);
  g_clear_object (&sync);
  td_test_iterate (50);
  g_assert_cmpuint (td_session_get_pending (session), ==, 1);

  /* The last window closed: the application keeps the session. */
  td_test_close_window (window);
  g_assert_nonnull (session);
  while (!td_test_notified (_("Still sending"), NULL))
    g_main_context_iteration (NULL, TRUE);

  /* Nothing left to send (it fails, for its settings): let go. */
  g_assert_true (td_store_set_setting (store, TD_SETTING_SMTP_HOST, "", &error));
  td_sync_kick (td_session_get_sync (session));
  test_session_wait_finalized ((gpointer *)&session);

  /* A window on the same database again: a session of its own, which
   * the application lets go with the window, nothing being pending. */
  {
    TdSession *again = td_session_new (store);

    window = td_test_present_window (td_window_new_for_session (app, again), 0, 0);
    td_test_close_window (window);
    g_assert_finalize_object (again);
  }

  td_test_notifications_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("TD_LOCALEDIR");
  g_autofree char *display = NULL;
  int status;

  if (td_test_in_chinese () && setlocale (LC_ALL, "") == NULL)
    g_error ("The zh_CN.UTF-8 locale is not installed (locale-gen zh_CN.UTF-8).");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* Before the built-in campaign's deadline. */
  g_setenv ("TRAINING_DESK_TODAY", "2020-05-01", TRUE);

  /* A keyring, and a session bus, of the test's own: before GTK. */
  tmp_dir = g_dir_make_tmp ("test-session-XXXXXX", NULL);
  display = g_strdup (g_getenv ("DISPLAY"));
  td_test_keyring_start (tmp_dir);
  /* GTestDBus unsets it: Xvfb's again. */
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  /* GTK's file chooser keeps its settings in GTK's schemas, which the
   * isolated data directories hide (the backend is in memory: nothing is
   * written). */
  if (g_file_test (SYSTEM_SCHEMAS "/gschemas.compiled", G_FILE_TEST_EXISTS))
    {
      const char *dir = g_getenv ("GSETTINGS_SCHEMA_DIR");
      g_autofree char *dirs = dir ? g_strconcat (dir, G_SEARCHPATH_SEPARATOR_S, SYSTEM_SCHEMAS, NULL)
                                  : g_strdup (SYSTEM_SCHEMAS);

      g_setenv ("GSETTINGS_SCHEMA_DIR", dirs, TRUE);
    }
  td_test_ui_init ();

  g_test_add_func ("/session/records", test_session_records);
  g_test_add_func ("/session/campaign", test_session_campaign);
  g_test_add_func ("/session/one-school", test_session_one_school);
  g_test_add_func ("/session/backup-chooser", test_session_backup_chooser);
  g_test_add_func ("/session/outlives-window", test_session_outlives_window);

  status = g_test_run ();

  td_test_keyring_stop ();
  td_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
