/* test-credentials.c: secrets in a real keyring
 *
 * The test runs its own D-Bus session bus (GTestDBus) and its own
 * gnome-keyring-daemon on it, with HOME, XDG_DATA_HOME and XDG_RUNTIME_DIR
 * in a temporary directory: the user's session and keyring are never
 * reached, whatever bus the test was started in. No keyring, no pass: the
 * test fails and says why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "td-credentials.h"

#define SERVER "smtp.163.com"
#define USER "office@163.com"

static char *tmp_dir;
static GTestDBus *bus;
static GSubprocess *keyring;

static gboolean
name_has_owner (GDBusConnection *connection,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

static void
start_keyring (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = g_build_filename (tmp_dir, "data", NULL);
  g_autofree char *runtime_dir = g_build_filename (tmp_dir, "runtime", NULL);
  g_autofree char *config_dir = g_build_filename (tmp_dir, "config", NULL);
  GOutputStream *in;
  gint64 deadline;

  g_assert_cmpint (g_mkdir (data_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (runtime_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (config_dir, 0700), ==, 0);

  /* A bus of our own: the user's session bus is never asked. */
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", g_test_dbus_get_bus_address (bus), TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", tmp_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "GNOME_KEYRING_CONTROL");
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  /* In the foreground, so that it is ours to stop. --unlock reads the
   * login keyring's password from stdin and creates the keyring with it;
   * an empty one makes it prompt (no display: it fails), so a throwaway
   * one. */
  keyring = g_subprocess_launcher_spawn (launcher, &error,
                                         "gnome-keyring-daemon", "--foreground", "--unlock",
                                         "--components=secrets", NULL);
  if (keyring == NULL)
    g_error ("Cannot start gnome-keyring-daemon (%s): install gnome-keyring to run this test.",
             error->message);
  in = g_subprocess_get_stdin_pipe (keyring);
  if (!g_output_stream_write_all (in, "test", 4, NULL, NULL, &error)
      || !g_output_stream_close (in, NULL, &error))
    g_error ("Cannot give gnome-keyring-daemon its password: %s", error->message);

  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                                       | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!name_has_owner (connection, "org.freedesktop.secrets"))
    {
      if (g_get_monotonic_time () > deadline || g_subprocess_get_identifier (keyring) == NULL)
        g_error ("gnome-keyring-daemon did not come up on the test's bus in 10 s: "
                 "see its messages above.");
      g_usleep (20 * 1000);
    }
  g_dbus_connection_close_sync (connection, NULL, NULL);
}

static void
stop_keyring (void)
{
  g_autoptr(GError) error = NULL;

  secret_service_disconnect ();
  if (keyring != NULL)
    {
      g_subprocess_send_signal (keyring, SIGTERM);
      g_subprocess_wait (keyring, NULL, &error);
      g_assert_no_error (error);
      g_clear_object (&keyring);
    }
  /* libsecret keeps references to the bus connection even after
   * secret_service_disconnect(): g_test_dbus_stop() and no unref, since
   * _down() (and so the last unref) would wait for them in vain. */
  g_test_dbus_stop (bus);
}

static guint
count_items (void)
{
  g_autoptr(GError) error = NULL;
  static const SecretSchema schema = {
    "io.github.vocedu.TrainingDesk.Credential", SECRET_SCHEMA_NONE,
    { { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
  };
  GList *items;
  guint n;

  items = secret_password_search_sync (&schema, SECRET_SEARCH_ALL, NULL, &error, NULL);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);
  return n;
}

static void
test_store_lookup_clear (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *keyring_file = g_build_filename (tmp_dir, "data", "keyrings", "login.keyring", NULL);
  char *secret;

  /* Nothing yet: no secret, no error. */
  secret = td_credentials_lookup (TD_CREDENTIAL_SMTP, SERVER, USER, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  g_assert_true (td_credentials_store (TD_CREDENTIAL_SMTP, SERVER, USER, "ABCDEFGHIJKLMNOP", NULL, &error));
  g_assert_no_error (error);
  /* In the test's keyring, under its temporary directory. */
  g_assert_true (g_file_test (keyring_file, G_FILE_TEST_IS_REGULAR));

  secret = td_credentials_lookup (TD_CREDENTIAL_SMTP, SERVER, USER, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "ABCDEFGHIJKLMNOP");
  td_credentials_secret_free (secret);
  g_assert_cmpuint (count_items (), ==, 1);

  /* Storing again replaces: still one item. */
  g_assert_true (td_credentials_store (TD_CREDENTIAL_SMTP, SERVER, USER, "新的授权码-2", NULL, &error));
  g_assert_no_error (error);
  secret = td_credentials_lookup (TD_CREDENTIAL_SMTP, SERVER, USER, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "新的授权码-2");
  td_credentials_secret_free (secret);
  g_assert_cmpuint (count_items (), ==, 1);

  /* Kind, server and user each tell secrets apart. */
  g_assert_true (td_credentials_store (TD_CREDENTIAL_HTTPS, SERVER, USER, "token-1", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (td_credentials_store (TD_CREDENTIAL_SMTP, "smtp.qq.com", USER, "qq-code", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (td_credentials_store (TD_CREDENTIAL_SMTP, SERVER, "other@163.com", "other-code", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (), ==, 4);
  secret = td_credentials_lookup (TD_CREDENTIAL_SMTP, SERVER, USER, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "新的授权码-2");
  td_credentials_secret_free (secret);
  secret = td_credentials_lookup (TD_CREDENTIAL_HTTPS, SERVER, USER, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "token-1");
  td_credentials_secret_free (secret);

  /* Cleared: gone, the others stay; clearing again is no error. */
  g_assert_true (td_credentials_clear (TD_CREDENTIAL_SMTP, SERVER, USER, NULL, &error));
  g_assert_no_error (error);
  secret = td_credentials_lookup (TD_CREDENTIAL_SMTP, SERVER, USER, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);
  g_assert_cmpuint (count_items (), ==, 3);
  g_assert_true (td_credentials_clear (TD_CREDENTIAL_SMTP, SERVER, USER, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 3; i++)
    {
      static const struct { TdCredentialKind kind; const char *server, *user; } rest[] = {
        { TD_CREDENTIAL_HTTPS, SERVER, USER },
        { TD_CREDENTIAL_SMTP, "smtp.qq.com", USER },
        { TD_CREDENTIAL_SMTP, SERVER, "other@163.com" },
      };

      g_assert_true (td_credentials_clear (rest[i].kind, rest[i].server, rest[i].user, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (count_items (), ==, 0);
}

static void
test_invalid (void)
{
  GError *error = NULL;

  g_assert_false (td_credentials_store (TD_CREDENTIAL_SMTP, SERVER, USER, "", NULL, &error));
  g_assert_error (error, TD_CREDENTIALS_ERROR, TD_CREDENTIALS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (td_credentials_store (TD_CREDENTIAL_SMTP, "", USER, "x", NULL, &error));
  g_assert_error (error, TD_CREDENTIALS_ERROR, TD_CREDENTIALS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (td_credentials_lookup (TD_CREDENTIAL_SMTP, NULL, USER, NULL, &error));
  g_assert_error (error, TD_CREDENTIALS_ERROR, TD_CREDENTIALS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (count_items (), ==, 0);
}

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  char      *secret;
  GError    *error;
} Result;

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Result *r = user_data;

  r->ok = td_credentials_store_finish (result, &r->error);
  g_main_loop_quit (r->loop);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *r = user_data;

  r->secret = td_credentials_lookup_finish (result, &r->error);
  g_main_loop_quit (r->loop);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Result *r = user_data;

  r->ok = td_credentials_clear_finish (result, &r->error);
  g_main_loop_quit (r->loop);
}

static void
test_async (void)
{
  Result r = { g_main_loop_new (NULL, FALSE), FALSE, NULL, NULL };

  /* A bearer token has no user. */
  td_credentials_store_async (TD_CREDENTIAL_HTTPS, "upload.example.gov.cn", NULL, "bearer-xyz", NULL, store_cb, &r);
  g_main_loop_run (r.loop);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);

  td_credentials_lookup_async (TD_CREDENTIAL_HTTPS, "upload.example.gov.cn", "", NULL, lookup_cb, &r);
  g_main_loop_run (r.loop);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.secret, ==, "bearer-xyz");
  g_clear_pointer (&r.secret, td_credentials_secret_free);

  td_credentials_store_async (TD_CREDENTIAL_HTTPS, "upload.example.gov.cn", NULL, "bearer-2", NULL, store_cb, &r);
  g_main_loop_run (r.loop);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_cmpuint (count_items (), ==, 1);

  td_credentials_lookup_async (TD_CREDENTIAL_HTTPS, "upload.example.gov.cn", NULL, NULL, lookup_cb, &r);
  g_main_loop_run (r.loop);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.secret, ==, "bearer-2");
  g_clear_pointer (&r.secret, td_credentials_secret_free);

  r.ok = FALSE;
  td_credentials_clear_async (TD_CREDENTIAL_HTTPS, "upload.example.gov.cn", NULL, NULL, clear_cb, &r);
  g_main_loop_run (r.loop);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);

  td_credentials_lookup_async (TD_CREDENTIAL_HTTPS, "upload.example.gov.cn", NULL, NULL, lookup_cb, &r);
  g_main_loop_run (r.loop);
  g_assert_no_error (r.error);
  g_assert_null (r.secret);

  /* Refused before any D-Bus call. */
  td_credentials_store_async (TD_CREDENTIAL_SMTP, SERVER, USER, NULL, NULL, store_cb, &r);
  g_main_loop_run (r.loop);
  g_assert_error (r.error, TD_CREDENTIALS_ERROR, TD_CREDENTIALS_ERROR_INVALID);
  g_assert_false (r.ok);
  g_clear_error (&r.error);

  g_main_loop_unref (r.loop);
}

/* Last: stops the keyring. */
static void
test_unavailable (void)
{
  g_autoptr(GError) error = NULL;
  char *secret;

  g_subprocess_send_signal (keyring, SIGTERM);
  g_subprocess_wait (keyring, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&keyring);
  secret_service_disconnect ();

  secret = td_credentials_lookup (TD_CREDENTIAL_SMTP, SERVER, USER, NULL, &error);
  g_assert_null (secret);
  g_assert_error (error, TD_CREDENTIALS_ERROR, TD_CREDENTIALS_ERROR_UNAVAILABLE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "keyring"));
  g_clear_error (&error);

  g_assert_false (td_credentials_store (TD_CREDENTIAL_SMTP, SERVER, USER, "x", NULL, &error));
  g_assert_error (error, TD_CREDENTIALS_ERROR, TD_CREDENTIALS_ERROR_UNAVAILABLE);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("test-credentials-XXXXXX", &error);
  g_assert_no_error (error);
  start_keyring ();

  g_test_add_func ("/credentials/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/credentials/invalid", test_invalid);
  g_test_add_func ("/credentials/async", test_async);
  g_test_add_func ("/credentials/unavailable", test_unavailable);

  status = g_test_run ();

  stop_keyring ();
  remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
