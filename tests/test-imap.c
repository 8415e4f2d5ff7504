/* test-imap.c: training-desk-receiver --fetch-imap against a real dovecot
 *
 * Debian's dovecot (dovecot-imapd) is started by the test on free ports of
 * the loopback, with a configuration of its own in a temporary directory:
 * passwd-file authentication, a Maildir there; either no TLS (the receiver
 * allows plain IMAP to the machine itself only, when it offers no
 * STARTTLS) or ssl = required with the run's own certificate (openssl),
 * by STARTTLS and by implicit TLS. Run as root, its login and internal
 * processes are Debian's dovenull and dovecot users, as dovecot insists; run
 * as anyone else, everything is that user. The messages are the app's own:
 * built by td_mail_build_message() from revisions signed by the core, or
 * sent by the app's outbox through the aiosmtpd test server and taken as
 * that server received them; delivered with doveadm save. The receiver is
 * the built binary, its answers read from its output and --list, the flags
 * from doveadm fetch. Skipped only when dovecot is not installed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sodium.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "td-canonical-json.h"
#include "td-form-json.h"
#include "td-credentials.h"
#include "td-mail.h"
#include "td-outbox.h"
#include "td-signoff.h"
#include "td-sync.h"
#include "td-test-fixtures.h"
#include "td-test-monitor.h"
#include "td-test-servers.h"

#define PASSPHRASE "校长的口令 2026"
#define SCHOOL_A "济南第一职业中等专业学校"
#define IMAP_USER "province"
#define IMAP_PASSWORD "邮箱口令 secret"

static char *tmp_dir;
static TdCampaign *campaign;
/* A self-signed certificate for 127.0.0.1, dovecot's and aiosmtpd's. */
static char *cert_file, *key_file;
static char *ca_option;   /* --imap-ca=cert_file */

/* The dovecot */

typedef struct
{
  GSubprocess *process;
  char        *dir;
  char        *config;
  char        *log;
  guint16      port;       /* IMAP: STARTTLS when TLS, else plain */
  guint16      tls_port;   /* IMAPS, when TLS */
} Dovecot;

static guint16
free_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, TRUE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
port_open (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

  return connection != NULL;
}

/* Runs @argv; its stdout, its stderr in @err, its exit status in @status. */
static char *
run (const char * const  *argv,
     const char * const  *env,
     char               **err,
     int                 *status)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL, *errors = NULL;

  for (guint i = 0; env && env[i]; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &errors, &error));
  g_assert_no_error (error);
  *status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  if (err)
    *err = errors;
  else
    g_free (errors);
  return out;
}

static void
dovecot_die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* With a certificate, TLS is required (ssl = required): STARTTLS on
 * d->port, implicit TLS on d->tls_port. */
static Dovecot *
dovecot_start_tls (const char *cert,
                   const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) config = g_string_new (NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  Dovecot *d = g_new0 (Dovecot, 1);
  g_autofree char *home = NULL, *passwd = NULL, *base = NULL, *state = NULL, *ssl = NULL;
  const char *login_user, *internal_user, *internal_group;
  uid_t mail_uid = getuid ();
  gid_t mail_gid = getgid ();
  g_autofree char *user_name = g_strdup (g_get_user_name ());
  g_autofree char *group_name = NULL;

  d->dir = td_test_unique_path (tmp_dir, "dovecot");
  home = g_build_filename (d->dir, "home", NULL);
  base = g_build_filename (d->dir, "run", NULL);
  state = g_build_filename (d->dir, "state", NULL);
  passwd = g_build_filename (d->dir, "passwd", NULL);
  d->log = g_build_filename (d->dir, "dovecot.log", NULL);
  d->config = g_build_filename (d->dir, "dovecot.conf", NULL);
  g_assert_cmpint (g_mkdir_with_parents (home, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (base, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (state, 0755), ==, 0);

  if (getuid () == 0)
    {
      /* dovecot runs no login or mail process as root. */
      struct passwd *dovecot = getpwnam ("dovecot");

      g_assert_nonnull (dovecot);
      g_assert_nonnull (getpwnam ("dovenull"));
      mail_uid = dovecot->pw_uid;
      mail_gid = dovecot->pw_gid;
      login_user = "dovenull";
      internal_user = internal_group = "dovecot";
      /* Reachable by those users. */
      g_assert_cmpint (g_chmod (tmp_dir, 0755), ==, 0);
      g_assert_cmpint (chown (home, mail_uid, mail_gid), ==, 0);
    }
  else
    {
      struct group *group = getgrgid (getgid ());

      g_assert_nonnull (group);
      group_name = g_strdup (group->gr_name);
      login_user = internal_user = user_name;
      internal_group = group_name;
    }

  {
    g_autofree char *line = g_strdup_printf ("%s:{PLAIN}%s:%u:%u::%s/%s\n", IMAP_USER, IMAP_PASSWORD,
                                             (unsigned)mail_uid, (unsigned)mail_gid, home, IMAP_USER);

    g_assert_true (g_file_set_contents (passwd, line, -1, &error));
    g_assert_no_error (error);
    g_assert_cmpint (g_chmod (passwd, 0644), ==, 0);
  }

  d->port = free_port ();
  d->tls_port = cert ? free_port () : 0;
  ssl = cert
    ? g_strdup_printf ("ssl = required\nssl_cert = <%s\nssl_key = <%s\n", cert, key)
    : g_strdup ("ssl = no\n");
  g_string_append_printf (config,
                          "base_dir = %s\n"
                          "state_dir = %s\n"
                          "instance_name = td-test-imap\n"
                          "log_path = %s\n"
                          "protocols = imap\n"
                          "listen = 127.0.0.1\n"
                          "%s"
                          "disable_plaintext_auth = no\n"
                          "auth_mechanisms = plain login\n"
                          "login_trusted_networks = 127.0.0.0/8\n"
                          "default_login_user = %s\n"
                          "default_internal_user = %s\n"
                          "default_internal_group = %s\n"
                          "first_valid_uid = 0\n"
                          "first_valid_gid = 0\n"
                          "passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%%u %s\n}\n"
                          "userdb {\n  driver = static\n  args = uid=%u gid=%u home=%s/%%u\n}\n"
                          "mail_location = maildir:~/Maildir\n"
                          "service imap-login {\n  chroot =\n"
                          "  inet_listener imap {\n    address = 127.0.0.1\n    port = %u\n  }\n"
                          "  inet_listener imaps {\n    address = 127.0.0.1\n    port = %u\n  }\n}\n"
                          "service anvil {\n  chroot =\n}\n",
                          base, state, d->log, ssl, login_user, internal_user, internal_group, passwd,
                          (unsigned)mail_uid, (unsigned)mail_gid, home, d->port, d->tls_port);
  g_assert_true (g_file_set_contents (d->config, config->str, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (d->config, 0644), ==, 0);

  /* Stopped with the test even when it aborts: else it would keep the
   * test's output open, and meson would wait for it. */
  g_subprocess_launcher_set_child_setup (launcher, dovecot_die_with_parent, NULL, NULL);
  d->process = g_subprocess_launcher_spawn (launcher, &error, "dovecot", "-F", "-c", d->config, NULL);
  g_assert_no_error (error);
  /* Up when it listens: a generous wait, for slow machines. */
  for (guint i = 0; i < 600 && !(port_open (d->port) && (d->tls_port == 0 || port_open (d->tls_port))); i++)
    {
      g_assert_nonnull (g_subprocess_get_identifier (d->process));
      g_usleep (50 * 1000);
    }
  if (!port_open (d->port) || (d->tls_port != 0 && !port_open (d->tls_port)))
    {
      g_autofree char *logged = NULL;

      g_file_get_contents (d->log, &logged, NULL, NULL);
      g_error ("dovecot did not start on port %u: %s", d->port, logged ? logged : "(no log)");
    }
  return d;
}

static Dovecot *
dovecot_start (void)
{
  return dovecot_start_tls (NULL, NULL);
}

static void
dovecot_stop (Dovecot *d)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (d->process, SIGTERM);
  g_subprocess_wait (d->process, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (d->process);
  g_free (d->dir);
  g_free (d->config);
  g_free (d->log);
  g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Dovecot, dovecot_stop)

/* A message delivered into the user's INBOX, as the MTA would. */
static void
dovecot_deliver (Dovecot *d,
                 GBytes  *message)
{
  const char *argv[] = { "doveadm", "-c", d->config, "save", "-u", IMAP_USER, "-m", "INBOX", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate (process, message, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
}

/* "uid flags" lines of the INBOX, as dovecot has them. */
static char *
dovecot_flags (Dovecot *d)
{
  const char *argv[] = { "doveadm", "-c", d->config, "-f", "tab", "fetch", "-u", IMAP_USER, "uid flags",
                         "mailbox", "INBOX", "all", NULL };
  int status;
  char *out = run (argv, NULL, NULL, &status);

  g_assert_cmpint (status, ==, 0);
  return out;
}

/* Signed revisions and their mail */

static GBytes *
mail_of (GBytes     *form,
         GBytes     *pdf,
         GBytes     *signature,
         const char *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) signed_at = g_date_time_new_from_iso8601 ("2026-11-25T09:30:00Z", NULL);
  TdMailSubmission submission = {
    .school_name = SCHOOL_A,
    .from = "office@school.test",
    .recipient = "rsj@province.test",
    .revision_uuid = uuid,
    .revision_number = 1,
    .signer = "王建国",
    .signed_at = signed_at,
    .date = signed_at,
    .pdf = pdf,
    .json = form,
    .signature = signature,
    .fingerprint = "0000 0000 0000 0000 0000 0000 0000 0000",
  };
  GBytes *message = td_mail_build_message (&submission, &error);

  g_assert_no_error (error);
  return message;
}

/* A school's database with its signing key. */
static TdStore *
school_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = td_test_unique_path (tmp_dir, "school.db");
  TdStore *store = td_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (td_signing_key_create (store, PASSPHRASE, TD_KDF_MINIMUM, &error));
  g_assert_no_error (error);
  return store;
}

/* A revision signed by the school's key (the core's sign-off), @phone
 * telling one revision from the next. */
static TdRevision *
school_sign (TdStore    *store,
             const char *phone)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdForm) form = td_test_valid_form ();
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-25T09:30:00Z", NULL);
  TdRevision *revision;

  td_form_set (form, TD_FORM_NAME, SCHOOL_A);
  td_form_set (form, TD_FORM_PHONE, phone);
  revision = td_signoff_sign (store, form, campaign, PASSPHRASE, now, &error);
  g_assert_no_error (error);
  return revision;
}

/* Its mail as td_mail_build_message() makes it. */
static GBytes *
genuine_mail_from (TdStore    *store,
                   const char *phone,
                   char      **uuid)
{
  g_autoptr(TdRevision) revision = school_sign (store, phone);
  g_autoptr(GBytes) signature = NULL;
  gsize length;
  char *text;

  text = td_revision_dup_signature_json (revision, &length);
  signature = g_bytes_new_take (text, length);
  *uuid = g_strdup (td_revision_get_uuid (revision));
  return mail_of (td_revision_get_form_json (revision), td_revision_get_pdf (revision), signature, *uuid);
}

static GBytes *
genuine_mail (char **uuid)
{
  g_autoptr(TdStore) store = school_store ();

  return genuine_mail_from (store, "0531-81916531", uuid);
}

/* The same school's form, signed outside Training Desk by another key. */
static GBytes *
forged_mail (char **uuid)
{
  g_autoptr(TdForm) form = td_test_valid_form ();
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 ("2026-11-26T08:00:00Z", NULL);
  static const char pdf[] = "%PDF-1.4\n% not drawn by Training Desk\n%%EOF\n";
  g_autoptr(GBytes) pdf_bytes = g_bytes_new_static (pdf, sizeof pdf - 1);
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  g_autoptr(TdTestUpload) upload = NULL;

  td_form_set (form, TD_FORM_NAME, SCHOOL_A);
  g_assert_true (td_sodium_init (NULL));
  crypto_sign_keypair (pk, sk);
  upload = td_test_upload_sign (form, NULL, "王建国", at, pdf_bytes, pk, sk);
  *uuid = g_strdup (upload->key);
  return mail_of (upload->form, upload->pdf, upload->signature, *uuid);
}

/* The receiver */

static char *
receiver_fetch (const char  *db,
                const char  *url,
                const char  *password,
                const char  *extra,
                char       **err,
                int         *status)
{
  const char *argv[] = { g_getenv ("TD_TEST_RECEIVER"), "--database", db, "--fetch-imap", url, extra, NULL };
  const char *env[] = { "TD_IMAP_USER", IMAP_USER, "TD_IMAP_PASSWORD", password, NULL };

  return run (argv, env, err, status);
}

static char *
receiver_list (const char *db)
{
  return td_test_receiver_run (db, "--list", NULL);
}

static gboolean
have_dovecot (void)
{
  if (!g_file_test ("/usr/sbin/dovecot", G_FILE_TEST_IS_EXECUTABLE) &&
      g_find_program_in_path ("dovecot") == NULL)
    {
      g_test_skip ("dovecot is not installed (Debian: dovecot-imapd)");
      return FALSE;
    }
  return TRUE;
}

/* A refused run took nothing: no message marked, none stored or refused. */
static void
assert_nothing_taken (Dovecot    *d,
                      const char *db,
                      const char *uuid)
{
  g_autofree char *flags = dovecot_flags (d);
  g_autofree char *listed = receiver_list (db);

  g_assert_null (strstr (flags, "\\Seen"));
  g_assert_null (strstr (listed, uuid));
  g_assert_null (strstr (listed, ";UID="));
}

/* The cases */

static void
test_fetch (void)
{
  g_autoptr(Dovecot) d = NULL;
  g_autofree char *db = td_test_unique_path (tmp_dir, "receiver.db");
  g_autofree char *url = NULL, *genuine_uuid = NULL, *forged_uuid = NULL;
  g_autofree char *out = NULL, *err = NULL, *listed = NULL, *flags = NULL, *listed_before = NULL;
  g_autoptr(GBytes) genuine = NULL, forged = NULL, junk = NULL;
  g_autoptr(GString) large = g_string_new ("From: someone@example.test\r\nSubject: big\r\n\r\n");
  int status;

  if (!have_dovecot ())
    return;
  d = dovecot_start ();
  url = g_strdup_printf ("imap://127.0.0.1:%u/INBOX", d->port);
  g_free (td_test_receiver_add_school (db, SCHOOL_A));

  genuine = genuine_mail (&genuine_uuid);
  forged = forged_mail (&forged_uuid);
  junk = g_bytes_new_static ("From: someone@example.test\r\nSubject: hello\r\n\r\nNot a submission.\r\n", 66);
  dovecot_deliver (d, genuine);   /* UID 1: enrols the key */
  dovecot_deliver (d, forged);    /* UID 2: another key */
  dovecot_deliver (d, junk);      /* UID 3 */

  /* A wrong password: a clear error, nothing taken, nothing marked. */
  out = receiver_fetch (db, url, "wrong", NULL, &err, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "refused the user name or password"));
  g_assert_nonnull (strstr (err, "nothing was taken"));
  listed_before = receiver_list (db);
  g_assert_null (strstr (listed_before, genuine_uuid));
  flags = dovecot_flags (d);
  g_assert_null (strstr (flags, "\\Seen"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&flags, g_free);

  /* The mailbox read. */
  out = receiver_fetch (db, url, IMAP_PASSWORD, NULL, &err, &status);
  g_test_message ("%s%s", out, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, ";UID=1\tstored\t"));
  g_assert_nonnull (strstr (out, ";UID=2\tkey-mismatch\t"));
  g_assert_nonnull (strstr (out, ";UID=3\tbad-request\t"));
  g_assert_nonnull (strstr (err, "1 stored, 0 stored already, 2 refused, 0 to take again"));

  listed = receiver_list (db);
  g_assert_nonnull (strstr (listed, genuine_uuid));
  g_assert_nonnull (strstr (strstr (listed, "# schools"), "\tmail\t1"));
  {
    const char *refused = strstr (listed, "# refused messages");

    g_assert_nonnull (refused);
    g_assert_nonnull (strstr (refused, forged_uuid));
    g_assert_nonnull (strstr (refused, "\tkey-mismatch\t"));
    g_assert_nonnull (strstr (refused, "密钥指纹"));
    g_assert_nonnull (strstr (refused, ";UID=2\t"));
    g_assert_nonnull (strstr (refused, ";UID=3\t"));
  }

  /* Each marked \Seen. */
  flags = dovecot_flags (d);
  g_test_message ("%s", flags);
  for (guint uid = 1; uid <= 3; uid++)
    {
      g_autofree char *line = g_strdup_printf ("\n%u\t\\Seen", uid);

      g_assert_nonnull (strstr (flags, line));
    }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&flags, g_free);

  /* Again, even with every message unseen again: nothing taken twice. */
  {
    const char *argv[] = { "doveadm", "-c", d->config, "flags", "remove", "-u", IMAP_USER, "\\Seen",
                           "mailbox", "INBOX", "all", NULL };

    g_free (run (argv, NULL, NULL, &status));
    g_assert_cmpint (status, ==, 0);
  }
  out = receiver_fetch (db, url, IMAP_PASSWORD, NULL, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "0 stored, 0 stored already, 0 refused, 0 to take again, 3 taken before"));
  g_clear_pointer (&listed_before, g_free);
  listed_before = g_steal_pointer (&listed);
  listed = receiver_list (db);
  g_assert_cmpstr (listed, ==, listed_before);
  flags = dovecot_flags (d);
  g_assert_nonnull (strstr (flags, "\n3\t\\Seen"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* One over the size limit: refused by its RFC822.SIZE, unread. */
  while (large->len < 200000)
    g_string_append (large, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789\r\n");
  {
    g_autoptr(GBytes) bytes = g_bytes_new (large->str, large->len);

    dovecot_deliver (d, bytes);   /* UID 4 */
  }
  out = receiver_fetch (db, url, IMAP_PASSWORD, "--max-body=100000", &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, ";UID=4\ttoo-large\t"));
  g_assert_nonnull (strstr (out, "not downloaded"));
  g_clear_pointer (&listed, g_free);
  listed = receiver_list (db);
  g_assert_nonnull (strstr (strstr (listed, "# refused messages"), ";UID=4\t"));
  g_assert_nonnull (strstr (listed, "未下载"));
}

/* Credentials: never on the command line, never in a file others read. */
static void
test_credentials (void)
{
  g_autofree char *db = td_test_unique_path (tmp_dir, "receiver.db");
  g_autofree char *file = td_test_unique_path (tmp_dir, "credentials");
  const char *in_url[] = { g_getenv ("TD_TEST_RECEIVER"), "--database", db, "--fetch-imap",
                           "imap://province:secret@127.0.0.1:1/INBOX", NULL };
  const char *open_file[] = { g_getenv ("TD_TEST_RECEIVER"), "--database", db, "--fetch-imap",
                              "imap://127.0.0.1:1/INBOX", "--imap-credentials", file, NULL };
  const char *none[] = { g_getenv ("TD_TEST_RECEIVER"), "--database", db, "--fetch-imap",
                         "imap://127.0.0.1:1/INBOX", NULL };
  const char *env[] = { "TD_IMAP_USER", "", NULL };
  g_autofree char *err = NULL;
  int status;

  g_free (run (in_url, NULL, &err, &status));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "no user name or password in the --fetch-imap URL"));
  g_clear_pointer (&err, g_free);

  g_assert_true (g_file_set_contents (file, "user=province\npassword=secret\n", -1, NULL));
  g_assert_cmpint (g_chmod (file, 0640), ==, 0);
  g_free (run (open_file, NULL, &err, &status));
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "can be read by others (mode 0640)"));
  g_assert_nonnull (strstr (err, "chmod 600"));
  g_clear_pointer (&err, g_free);

  g_free (run (none, env, &err, &status));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "TD_IMAP_USER"));
  g_clear_pointer (&err, g_free);

  /* Mode 600: read, and the (closed) port is what fails. */
  g_assert_cmpint (g_chmod (file, 0600), ==, 0);
  g_free (run (open_file, NULL, &err, &status));
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "Cannot connect to the IMAP server"));
  g_clear_pointer (&err, g_free);

  /* Passed by systemd (LoadCredential=): an ACL for the service's user
   * shows as group bits, and is fine there; others' bits are not. */
  {
    g_autofree char *dir = g_path_get_dirname (file);
    const char *systemd[] = { "CREDENTIALS_DIRECTORY", dir, NULL };

    g_assert_cmpint (g_chmod (file, 0640), ==, 0);
    g_free (run (open_file, systemd, &err, &status));
    g_assert_cmpint (status, ==, 1);
    g_assert_nonnull (strstr (err, "Cannot connect to the IMAP server"));
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (g_chmod (file, 0604), ==, 0);
    g_free (run (open_file, systemd, &err, &status));
    g_assert_cmpint (status, ==, 1);
    g_assert_nonnull (strstr (err, "can be read by others (mode 0604)"));
  }
}

/* A server that is not IMAP, or silent: a clear error, in bounded time. */
typedef struct
{
  GSocket    *listener;
  const char *greeting;
  const char *answer;   /* to its first command, then the connection closes */
} Hostile;

static gpointer
hostile_thread (gpointer user_data)
{
  Hostile *h = user_data;
  g_autoptr(GSocket) client = g_socket_accept (h->listener, NULL, NULL);
  char buffer[256];

  if (client == NULL)
    return NULL;
  if (h->greeting)
    g_socket_send (client, h->greeting, strlen (h->greeting), NULL, NULL);
  /* Until the receiver hangs up, or its first command is answered. */
  while (g_socket_receive (client, buffer, sizeof buffer, NULL, NULL) > 0)
    if (h->answer)
      {
        g_socket_send (client, h->answer, strlen (h->answer), NULL, NULL);
        break;
      }
  return NULL;
}

static void
hostile_case_at (const char *address,
                 const char *greeting,
                 const char *answer,
                 const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string (address);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *db = td_test_unique_path (tmp_dir, "receiver.db");
  g_autofree char *url = NULL, *err = NULL;
  Hostile h = { NULL, greeting, answer };
  GThread *thread;
  int status;

  h.listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (h.listener, any, TRUE, &error));
  g_assert_true (g_socket_listen (h.listener, &error));
  bound = g_socket_get_local_address (h.listener, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("imap://%s:%u/INBOX", address,
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  thread = g_thread_new ("hostile", hostile_thread, &h);

  g_free (receiver_fetch (db, url, "secret", "--imap-timeout=2", &err, &status));
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, expected));
  g_thread_join (thread);
  g_object_unref (h.listener);
}

static void
hostile_case (const char *greeting,
              const char *answer,
              const char *expected)
{
  hostile_case_at ("127.0.0.1", greeting, answer, expected);
}

static void
test_hostile (void)
{
  /* An HTTP server, say: no greeting libcurl takes, so it waits. */
  hostile_case ("HTTP/1.1 400 Bad Request\r\n\r\n", NULL, "did not answer in time (2 s, --imap-timeout)");
  /* Silent. */
  hostile_case (NULL, NULL, "did not answer in time (2 s, --imap-timeout)");
  /* A greeting, then nonsense. */
  hostile_case ("* OK ready\r\n", "HTTP/1.1 400 Bad Request\r\n\r\n", "does not answer as an IMAP server");
}

/* imap:// to another machine without STARTTLS: the password is not sent.
 * 127.0.0.2 is the loopback too (Linux routes 127/8 there), but not an
 * address the receiver takes for the machine itself, so it stands for a
 * remote server that offers no STARTTLS. */
static void
test_no_starttls (void)
{
  g_autoptr(GSocket) probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) other = g_inet_address_new_from_string ("127.0.0.2");
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (other, 0);

  if (probe == NULL || !g_socket_bind (probe, address, TRUE, NULL))
    {
      g_test_skip ("127.0.0.2 is not on the loopback here");
      return;
    }
  g_clear_object (&probe);
  hostile_case_at ("127.0.0.2", "* OK ready\r\n",
                   "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA001 OK done\r\n",
                   "offers no STARTTLS");
}

/* TLS as the province's server has it: required, by a certificate the
 * receiver must be told to trust. */
static void
test_tls (void)
{
  g_autoptr(Dovecot) d = NULL;
  g_autoptr(TdStore) school = NULL;
  g_autofree char *db = td_test_unique_path (tmp_dir, "receiver.db");
  g_autofree char *imaps = NULL, *starttls = NULL, *missing = NULL, *first = NULL, *second = NULL;
  g_autofree char *logged = NULL, *flags = NULL, *listed = NULL;
  g_autoptr(GBytes) message = NULL;
  g_auto(GStrv) lines = NULL;
  guint logins = 0, auth_failed = 0, untrusted = 0;
  int status;

  if (!have_dovecot ())
    return;
  d = dovecot_start_tls (cert_file, key_file);
  imaps = g_strdup_printf ("imaps://127.0.0.1:%u/INBOX", d->tls_port);
  starttls = g_strdup_printf ("imap://127.0.0.1:%u/INBOX", d->port);
  missing = g_strdup_printf ("imaps://127.0.0.1:%u/Nowhere", d->tls_port);
  g_free (td_test_receiver_add_school (db, SCHOOL_A));
  school = school_store ();
  message = genuine_mail_from (school, "0531-81916531", &first);
  dovecot_deliver (d, message);   /* UID 1 */

  /* Not told to trust the certificate: refused before any password, by
   * implicit TLS and by STARTTLS alike, and nothing taken. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *out = NULL, *err = NULL;

      out = receiver_fetch (db, i == 0 ? imaps : starttls, IMAP_PASSWORD, NULL, &err, &status);
      g_test_message ("%s", err);
      g_assert_cmpint (status, ==, 1);
      g_assert_cmpstr (out, ==, "");
      g_assert_nonnull (strstr (err, "presented a certificate this machine does not trust"));
      g_assert_nonnull (strstr (err, "nothing was taken"));
      g_assert_nonnull (strstr (err, "--imap-ca FILE"));
      assert_nothing_taken (d, db, first);
    }

  /* Trusted, but the wrong password; then a mailbox the user lacks. */
  {
    g_autofree char *out = NULL, *err = NULL;

    out = receiver_fetch (db, imaps, "wrong", ca_option, &err, &status);
    g_assert_cmpint (status, ==, 1);
    g_assert_nonnull (strstr (err, "refused the user name or password"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    out = receiver_fetch (db, missing, IMAP_PASSWORD, ca_option, &err, &status);
    g_test_message ("%s", err);
    g_assert_cmpint (status, ==, 1);
    g_assert_nonnull (strstr (err, "has no mailbox “Nowhere” that this user can read"));
    assert_nothing_taken (d, db, first);
  }

  /* Trusted: taken over implicit TLS. */
  {
    g_autofree char *out = receiver_fetch (db, imaps, IMAP_PASSWORD, ca_option, NULL, &status);

    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, ";UID=1\tstored\t"));
    g_assert_true (g_str_has_prefix (out, "imaps://127.0.0.1:"));
  }

  /* And over STARTTLS, the next revision. */
  g_clear_pointer (&message, g_bytes_unref);
  message = genuine_mail_from (school, "0531-81916532", &second);
  dovecot_deliver (d, message);   /* UID 2 */
  {
    g_autofree char *out = receiver_fetch (db, starttls, IMAP_PASSWORD, ca_option, NULL, &status);

    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, ";UID=2\tstored\t"));
    g_assert_null (strstr (out, ";UID=1\t"));
  }
  listed = receiver_list (db);
  g_assert_nonnull (strstr (listed, first));
  g_assert_nonnull (strstr (listed, second));
  flags = dovecot_flags (d);
  g_assert_nonnull (strstr (flags, "\n1\t\\Seen"));
  g_assert_nonnull (strstr (flags, "\n2\t\\Seen"));

  /* Every login dovecot took was over TLS (its log says "TLS"; a plain
   * one on loopback would say "secured"). */
  g_assert_true (g_file_get_contents (d->log, &logged, NULL, NULL));
  lines = g_strsplit (logged, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (strstr (lines[i], "imap-login: Info: Login: user=<" IMAP_USER ">") != NULL)
      {
        g_assert_nonnull (strstr (lines[i], ", TLS"));
        logins++;
      }
  /* The mailbox missing, then each fetch that took something. */
  g_assert_cmpuint (logins, ==, 3);
  /* No password reached it but over TLS: the one refused is the wrong one
   * (the untrusted runs never authenticated). */
  for (guint i = 0; lines[i]; i++)
    if (strstr (lines[i], "auth failed") != NULL)
      {
        g_assert_nonnull (strstr (lines[i], ", TLS"));
        auth_failed++;
      }
  g_assert_cmpuint (auth_failed, ==, 1);
  /* The receiver ended the untrusted handshakes itself, by implicit TLS
   * and by STARTTLS. */
  for (guint i = 0; lines[i]; i++)
    untrusted += strstr (lines[i], "alert unknown ca") != NULL && strstr (lines[i], "no auth attempts") != NULL;
  g_assert_cmpuint (untrusted, ==, 2);
}

/* The school's database sending its signed revision the app's way. */
typedef struct
{
  TdStore       *store;
  TdRevision    *revision;
  TdTestMonitor *monitor;
  TdSync        *sync;
} School;

static void
school_free (School *school)
{
  td_sync_stop (school->sync);
  g_assert_finalize_object (school->sync);
  g_assert_finalize_object (school->monitor);
  g_assert_finalize_object (school->revision);
  g_assert_finalize_object (school->store);
  g_free (school);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (School, school_free)

#define SMTP_USER "office@jndyzz.edu.cn"
#define SMTP_PASSWORD "authcode-163"

/* The mail the app really sent (its outbox, TdSync, libcurl, STARTTLS and
 * AUTH to aiosmtpd), exactly as the SMTP server received it, is what the
 * province's mailbox holds; the same revision then also uploaded. */
static void
test_sent_by_the_app (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Dovecot) d = NULL;
  g_autoptr(TdTestSmtp) smtp = NULL;
  g_autoptr(TdTestReceiver) receiver = NULL;
  g_autoptr(School) school = g_new0 (School, 1);
  g_autofree char *db = td_test_unique_path (tmp_dir, "receiver.db");
  g_autofree char *url = NULL, *out = NULL, *listed = NULL, *received = NULL, *token = NULL, *endpoint = NULL;
  g_autofree char *receipt = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_auto(GStrv) lines = NULL;
  const char *uuid;
  TdSyncSummary summary;
  guint mentions = 0, uploads = 0;
  gsize length;
  int status;

  if (!have_dovecot ())
    return;
  school->store = school_store ();
  school->revision = school_sign (school->store, "0531-81916531");
  uuid = td_revision_get_uuid (school->revision);
  school->monitor = td_test_monitor_new (TRUE);
  school->sync = td_sync_new (school->store, G_NETWORK_MONITOR (school->monitor));
  smtp = td_test_smtp_start (tmp_dir, cert_file, key_file, "starttls", SMTP_USER, SMTP_PASSWORD, NULL);
  td_test_use_smtp (school->store, smtp->port, cert_file, SMTP_USER, SMTP_PASSWORD);

  /* Sent by mail only: the built-in campaign has no upload endpoint. */
  g_assert_cmpuint (td_outbox_queue_revision (school->store, school->revision, campaign, "secondary-vocational",
                                              &error), ==, 1);
  g_assert_no_error (error);
  summary = td_test_sync_run_due (school->sync);
  g_assert_cmpuint (summary.delivered, ==, 1);
  g_assert_cmpuint (td_test_smtp_count (smtp), ==, 1);
  received = td_test_smtp_message (smtp, 1, &length);
  message = g_bytes_new (received, length);

  /* Those bytes in the province's mailbox, read over TLS. */
  d = dovecot_start_tls (cert_file, key_file);
  dovecot_deliver (d, message);
  url = g_strdup_printf ("imaps://127.0.0.1:%u/INBOX", d->tls_port);
  token = td_test_receiver_add_school (db, SCHOOL_A);
  out = receiver_fetch (db, url, IMAP_PASSWORD, ca_option, NULL, &status);
  g_test_message ("%s", out);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, ";UID=1\tstored\t"));
  g_assert_nonnull (strstr (out, "The receipt is "));
  receipt = g_strndup (strstr (out, "The receipt is ") + strlen ("The receipt is "),
                       strcspn (strstr (out, "The receipt is ") + strlen ("The receipt is "), ". \n"));
  g_assert_cmpuint (strlen (receipt), >, 0);
  listed = receiver_list (db);
  g_assert_nonnull (strstr (listed, uuid));
  g_assert_nonnull (strstr (strstr (listed, "# schools"), "\tmail\t1"));

  /* The same revision uploaded: the receiver keeps the one it has. */
  receiver = td_test_receiver_start (db, 0, NULL);
  endpoint = g_strdup_printf ("http://127.0.0.1:%u/", receiver->port);
  g_assert_true (td_store_set_setting (school->store, TD_SETTING_HTTPS_ENDPOINT, endpoint, &error));
  g_assert_true (td_credentials_store (TD_CREDENTIAL_HTTPS, endpoint, "", token, NULL, &error));
  g_assert_true (td_outbox_queue (school->store, school->revision, TD_DESTINATION_HTTPS, endpoint, &error));
  g_assert_no_error (error);
  summary = td_test_sync_run_due (school->sync);
  g_assert_cmpuint (summary.delivered, ==, 1);
  g_assert_cmpuint (summary.failed + summary.retrying, ==, 0);
  td_test_receiver_stop (g_steal_pointer (&receiver));
  items = td_outbox_list (school->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      TdOutboxItem *item = g_ptr_array_index (items, i);

      g_assert_cmpint (td_outbox_item_get_state (item), ==, TD_OUTBOX_DELIVERED);
      if (td_outbox_item_get_destination (item) == TD_DESTINATION_HTTPS)
        {
          /* The receipt of the mail it has already. */
          g_test_message ("upload: %s", td_outbox_item_get_receipt (item));
          g_assert_nonnull (strstr (td_outbox_item_get_receipt (item), receipt));
          uploads++;
        }
    }
  g_assert_cmpuint (uploads, ==, 1);

  g_clear_pointer (&listed, g_free);
  listed = receiver_list (db);
  lines = g_strsplit (listed, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    mentions += strstr (lines[i], uuid) != NULL;
  g_assert_cmpuint (mentions, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_dir = td_test_servers_init (&argc, &argv, "test-imap");
  campaign = td_campaign_get_builtin ();
  td_test_make_certificate (tmp_dir, &cert_file, &key_file);
  ca_option = g_strdup_printf ("--imap-ca=%s", cert_file);
  /* The school's SMTP password (/imap/sent-by-the-app), as test-sync. */
  td_test_keyring_start (tmp_dir);

  g_test_add_func ("/imap/fetch", test_fetch);
  g_test_add_func ("/imap/credentials", test_credentials);
  g_test_add_func ("/imap/hostile", test_hostile);
  g_test_add_func ("/imap/no-starttls-refused", test_no_starttls);
  g_test_add_func ("/imap/tls", test_tls);
  g_test_add_func ("/imap/sent-by-the-app", test_sent_by_the_app);

  status = g_test_run ();
  td_test_keyring_stop ();
  g_object_unref (campaign);
  g_free (cert_file);
  g_free (key_file);
  g_free (ca_option);
  return td_test_servers_finish (status, g_steal_pointer (&tmp_dir));
}
