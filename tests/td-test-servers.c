/* td-test-servers.c: real servers on loopback for the tests, and a keyring
 *
 * Each server is a real program started here on a port the kernel picks,
 * read back from its first line of output, and stopped by the test: the
 * SMTP server of tests/smtp-server.py (Debian's aiosmtpd) and Training
 * Desk's own upload receiver. The keyring is a gnome-keyring-daemon on a
 * private D-Bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <sys/prctl.h>

#include "td-test-servers.h"

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

void
td_test_keyring_start (const char *dir)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_build_filename (dir, "keyring-home", NULL);
  g_autofree char *data_dir = g_build_filename (home, "data", NULL);
  g_autofree char *runtime_dir = g_build_filename (home, "runtime", NULL);
  g_autofree char *config_dir = g_build_filename (home, "config", NULL);
  GOutputStream *in;
  gint64 deadline;

  g_assert_cmpint (g_mkdir_with_parents (data_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (runtime_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config_dir, 0700), ==, 0);

  /* A bus of our own: the user's session bus is never asked. */
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", g_test_dbus_get_bus_address (bus), TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
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
  if (!g_output_stream_write_all (in, "test", 4, NULL, NULL, &error) ||
      !g_output_stream_close (in, NULL, &error))
    g_error ("Cannot give gnome-keyring-daemon its password: %s", error->message);

  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!name_has_owner (connection, "org.freedesktop.secrets"))
    {
      if (g_get_monotonic_time () > deadline || g_subprocess_get_identifier (keyring) == NULL)
        g_error ("gnome-keyring-daemon did not come up on the test's bus in 10 s: see its messages above.");
      g_usleep (20 * 1000);
    }
  g_dbus_connection_close_sync (connection, NULL, NULL);
}

static void
kill_keyring (void)
{
  g_autoptr(GError) error = NULL;

  if (keyring == NULL)
    return;
  g_subprocess_send_signal (keyring, SIGTERM);
  g_subprocess_wait (keyring, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&keyring);
}

void
td_test_keyring_stop_daemon (void)
{
  kill_keyring ();
  /* Else libsecret would go on with the service it found before. */
  secret_service_disconnect ();
}

void
td_test_keyring_stop (void)
{
  secret_service_disconnect ();
  kill_keyring ();
  /* libsecret keeps references to the bus connection even after
   * secret_service_disconnect(): stop the bus, without the last unref that
   * would wait for them in vain. */
  if (bus)
    g_test_dbus_stop (bus);
}

void
td_test_make_certificate (const char  *dir,
                          char       **cert_file,
                          char       **key_file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) openssl = NULL;

  *cert_file = g_build_filename (dir, "cert.pem", NULL);
  *key_file = g_build_filename (dir, "key.pem", NULL);
  openssl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "openssl", "req", "-x509", "-newkey", "ec",
                              "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                              "-keyout", *key_file, "-out", *cert_file, "-days", "2",
                              "-subj", "/CN=localhost",
                              "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                              NULL);
  if (openssl == NULL || !g_subprocess_wait_check (openssl, NULL, &error))
    g_error ("Cannot make the test certificate with openssl: %s", error->message);
}

static char *
read_first_line (GSubprocess *process)
{
  g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_autoptr(GError) error = NULL;
  char *line;

  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (out), FALSE);
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (out), 1);
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  return line;
}

/* A server started here dies with the test, even when the test aborts:
 * else it would keep the test's output open and meson would wait for it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
python_has_aiosmtpd (const char *candidate)
{
  const char *argv[] = { candidate, "-c", "import aiosmtpd", NULL };
  int status;

  if (!g_spawn_sync (NULL, (char **)argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

/* The one asked for, then Debian's Python, which has aiosmtpd from the
 * package, before any other on PATH (a virtual environment's may lack it). */
static const char *
python (void)
{
  static const char *chosen;
  const char *candidates[] = { g_getenv ("TD_TEST_PYTHON"), "/usr/bin/python3", "python3" };

  for (guint i = 0; i < G_N_ELEMENTS (candidates) && chosen == NULL; i++)
    if (candidates[i] != NULL && python_has_aiosmtpd (candidates[i]))
      chosen = g_intern_string (candidates[i]);
  if (chosen == NULL)
    g_error ("No Python with aiosmtpd, which runs the test's SMTP server: install python3-aiosmtpd "
             "(or set TD_TEST_PYTHON to a Python that has it).");
  return chosen;
}

TdTestSmtp *
td_test_smtp_start (const char *dir,
                    const char *cert_file,
                    const char *key_file,
                    const char *security,
                    const char *user,
                    const char *password,
                    ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *line = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "smtp-server.py", NULL);
  g_autofree char *log = NULL;
  g_autoptr(GError) error = NULL;
  static guint n;
  TdTestSmtp *server = g_new0 (TdTestSmtp, 1);
  const char *extra;
  va_list args;
  guint64 port;

  server->spool = g_strdup_printf ("%s/spool-%u", dir, ++n);
  g_assert_cmpint (g_mkdir_with_parents (server->spool, 0700), ==, 0);

  g_ptr_array_add (argv, g_strdup (python ()));
  g_ptr_array_add (argv, g_strdup (script));
  g_ptr_array_add (argv, g_strdup_printf ("--spool=%s", server->spool));
  g_ptr_array_add (argv, g_strdup_printf ("--cert=%s", cert_file));
  g_ptr_array_add (argv, g_strdup_printf ("--key=%s", key_file));
  g_ptr_array_add (argv, g_strdup_printf ("--security=%s", security));
  g_ptr_array_add (argv, g_strdup_printf ("--user=%s", user));
  g_ptr_array_add (argv, g_strdup_printf ("--password=%s", password));
  va_start (args, password);
  while ((extra = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (extra));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  /* stdin a pipe: the server stops when it closes, even if the test dies.
   * Its messages go to a file: a refused handshake, as tests want, makes
   * aiosmtpd print a traceback. */
  log = g_build_filename (server->spool, "server.log", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);

  line = read_first_line (server->process);
  if (line == NULL || !g_ascii_string_to_unsigned (line, 10, 1, 65535, &port, NULL))
    g_error ("The SMTP server did not start (it printed “%s”): see %s.", line ? line : "", log);
  server->port = (guint16)port;
  g_test_message ("SMTP server (%s) on port %u, its messages in %s", security, server->port, log);
  return server;
}

guint
td_test_smtp_count (TdTestSmtp *server)
{
  g_autoptr(GDir) dir = g_dir_open (server->spool, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    n += g_str_has_suffix (name, ".eml");
  return n;
}

static char *
spool_file (TdTestSmtp *server,
            guint       n,
            const char *extension,
            gsize      *length)
{
  g_autofree char *path = g_strdup_printf ("%s/%u.%s", server->spool, n, extension);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, length, NULL))
    return NULL;
  return contents;
}

char *
td_test_smtp_message (TdTestSmtp *server,
                      guint       n,
                      gsize      *length)
{
  return spool_file (server, n, "eml", length);
}

char *
td_test_smtp_envelope (TdTestSmtp *server,
                       guint       n)
{
  return spool_file (server, n, "envelope", NULL);
}

void
td_test_smtp_stop (TdTestSmtp *server)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_close (g_subprocess_get_stdin_pipe (server->process), NULL, &error);
  g_assert_no_error (error);
  /* It stops cleanly: exit status 0. */
  g_subprocess_wait_check (server->process, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (server->process);
  g_free (server->spool);
  g_free (server);
}

TdTestProxy *
td_test_proxy_start (guint   target,
                     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "fault-proxy.py", NULL);
  TdTestProxy *proxy = g_new0 (TdTestProxy, 1);
  const char *extra;
  va_list args;
  guint64 port;

  g_ptr_array_add (argv, g_strdup (python ()));
  g_ptr_array_add (argv, g_strdup (script));
  g_ptr_array_add (argv, g_strdup_printf ("--target=%u", target));
  va_start (args, target);
  while ((extra = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (extra));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  proxy->process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  line = read_first_line (proxy->process);
  if (line == NULL || !g_ascii_string_to_unsigned (line, 10, 1, 65535, &port, NULL))
    g_error ("The fault proxy did not start (it printed “%s”): see its messages above.", line ? line : "");
  proxy->port = (guint16)port;
  return proxy;
}

void
td_test_proxy_stop (TdTestProxy *proxy)
{
  g_output_stream_close (g_subprocess_get_stdin_pipe (proxy->process), NULL, NULL);
  g_subprocess_send_signal (proxy->process, SIGTERM);
  g_subprocess_wait (proxy->process, NULL, NULL);
  g_object_unref (proxy->process);
  g_free (proxy);
}

static const char *
receiver_binary (void)
{
  static char *path;

  if (path == NULL)
    {
      const char *env = g_getenv ("TD_TEST_RECEIVER");

      /* Outside `meson test`: the one built next to the tests. */
      path = env ? g_strdup (env)
                 : g_test_build_filename (G_TEST_BUILT, "..", "receiver", "training-desk-receiver", NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        g_error ("No receiver at %s: build it, and run the tests with `meson test`.", path);
    }
  return path;
}

TdTestReceiver *
td_test_receiver_start (const char *database,
                        guint       port,
                        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GUri) uri = NULL;
  TdTestReceiver *receiver = g_new0 (TdTestReceiver, 1);
  const char *extra;
  va_list args;

  g_ptr_array_add (argv, g_strdup (receiver_binary ()));
  g_ptr_array_add (argv, g_strdup_printf ("--database=%s", database));
  g_ptr_array_add (argv, g_strdup_printf ("--port=%u", port));
  va_start (args, port);
  while ((extra = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (extra));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* Its warnings are how it reports what it refused; a critical is a bug
   * (a NULL where the code expected none), which ends it and the test. */
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", "fatal-criticals", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  receiver->process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);

  /* One line when it is ready: "listening on http://127.0.0.1:PORT/". */
  line = read_first_line (receiver->process);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    g_error ("The receiver did not start (it printed “%s”): see its messages above.", line ? line : "");
  receiver->url = g_strdup (line + strlen ("listening on "));
  uri = g_uri_parse (receiver->url, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/");
  g_assert_cmpint (g_uri_get_port (uri), >, 0);
  if (port != 0)
    g_assert_cmpint (g_uri_get_port (uri), ==, port);
  receiver->port = (guint16)g_uri_get_port (uri);
  receiver->database = g_strdup (database);
  return receiver;
}

void
td_test_receiver_stop_with (TdTestReceiver *receiver,
                            int             signal_number)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (receiver->process, signal_number);
  g_subprocess_wait_check (receiver->process, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (receiver->process);
  g_free (receiver->database);
  g_free (receiver->url);
  g_free (receiver);
}

void
td_test_receiver_stop (TdTestReceiver *receiver)
{
  td_test_receiver_stop_with (receiver, SIGTERM);
}

char *
td_test_receiver_run (const char *database,
                      ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, g_strdup (receiver_binary ()));
  g_ptr_array_add (argv, g_strdup_printf ("--database=%s", database));
  va_start (args, database);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  return td_test_run ((const char * const *)argv->pdata, NULL);
}

char *
td_test_receiver_add_school (const char *database,
                             const char *name)
{
  g_autofree char *school = g_strdup_printf ("--add-school=%s", name);
  g_autofree char *out = td_test_receiver_run (database, school, NULL);
  char *token = g_strstrip (g_strdup (out));

  /* 32 random bytes, in hex. */
  g_assert_cmpuint (strlen (token), ==, 64);
  return token;
}

char *
td_test_run (const char * const *argv,
             int                *status)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int wait_status;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &wait_status, &error))
    g_error ("Cannot run %s: %s", argv[0], error->message);
  if (status)
    *status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  else if (!g_spawn_check_wait_status (wait_status, &error))
    g_error ("%s failed: %s", argv[0], error->message);
  return out;
}

char *
td_test_servers_init (int         *argc,
                      char      ***argv,
                      const char  *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("%s-XXXXXX", name);
  char *dir;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  return dir;
}

int
td_test_servers_finish (int   status,
                        char *dir)
{
  if (status == 0)
    td_test_remove_tree (dir);
  g_free (dir);
  return status;
}

void
td_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        td_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}
