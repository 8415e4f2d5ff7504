/* test-credentials.c: secrets in a real keyring
 *
 * The test runs its own D-Bus session bus (GTestDBus) and its own
 * gnome-keyring-daemon on it (td_test_keyring_start()), with HOME,
 * XDG_DATA_HOME and XDG_RUNTIME_DIR in a temporary directory: the user's
 * session and keyring are never reached, whatever bus the test was started
 * in. No keyring, no pass: the test fails and says why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "td-credentials.h"
#include "td-test-servers.h"

#define SERVER "smtp.163.com"
#define USER "office@163.com"

static char *tmp_dir;

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
  g_autofree char *keyring_file = g_build_filename (tmp_dir, "keyring-home", "data", "keyrings", "login.keyring", NULL);
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

/* Read ahead (--sync, issue 17): each secret as the keyring had it when
 * td_credentials_prepare() read it, given out once; after that, and for
 * what it did not read, the keyring is asked as before. */
static void
test_prepared (void)
{
  g_autoptr(GError) error = NULL;
  char *secret;

  g_assert_true (td_credentials_store (TD_CREDENTIAL_SMTP, SERVER, USER, "smtp-code", NULL, &error));
  g_assert_true (td_credentials_store (TD_CREDENTIAL_HTTPS, "https://receiver.example/api/", "", "token-A", NULL,
                                       &error));
  g_assert_no_error (error);

  td_credentials_prepare ();
  /* Waits for it to finish: none was read for this one. */
  secret = td_credentials_lookup (TD_CREDENTIAL_SMTP, "smtp.qq.com", USER, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  /* Changed in the keyring after it was read: the first lookup gets what
   * was read, the next the keyring's. */
  g_assert_true (td_credentials_store (TD_CREDENTIAL_HTTPS, "https://receiver.example/api/", "", "token-B", NULL,
                                       &error));
  g_assert_no_error (error);
  secret = td_credentials_lookup (TD_CREDENTIAL_HTTPS, "https://receiver.example/api/", "", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "token-A");
  td_credentials_secret_free (secret);
  secret = td_credentials_lookup (TD_CREDENTIAL_HTTPS, "https://receiver.example/api/", "", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "token-B");
  td_credentials_secret_free (secret);

  /* Kind, server and user still tell them apart. */
  secret = td_credentials_lookup (TD_CREDENTIAL_HTTPS, SERVER, USER, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);
  secret = td_credentials_lookup (TD_CREDENTIAL_SMTP, SERVER, USER, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "smtp-code");
  td_credentials_secret_free (secret);

  /* What was read and not taken is dropped: the keyring's again. */
  g_assert_true (td_credentials_clear (TD_CREDENTIAL_SMTP, SERVER, USER, NULL, &error));
  td_credentials_forget_prepared ();
  td_credentials_prepare ();
  td_credentials_forget_prepared ();
  secret = td_credentials_lookup (TD_CREDENTIAL_SMTP, SERVER, USER, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);
  g_assert_true (td_credentials_clear (TD_CREDENTIAL_HTTPS, "https://receiver.example/api/", "", NULL, &error));
  g_assert_no_error (error);
}

/* Last: stops the keyring. */
static void
test_unavailable (void)
{
  g_autoptr(GError) error = NULL;
  char *secret;

  td_test_keyring_stop_daemon ();

  secret = td_credentials_lookup (TD_CREDENTIAL_SMTP, SERVER, USER, NULL, &error);
  g_assert_null (secret);
  g_assert_error (error, TD_CREDENTIALS_ERROR, TD_CREDENTIALS_ERROR_UNAVAILABLE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "keyring"));
  g_clear_error (&error);

  g_assert_false (td_credentials_store (TD_CREDENTIAL_SMTP, SERVER, USER, "x", NULL, &error));
  g_assert_error (error, TD_CREDENTIALS_ERROR, TD_CREDENTIALS_ERROR_UNAVAILABLE);
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
  td_test_keyring_start (tmp_dir);

  g_test_add_func ("/credentials/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/credentials/invalid", test_invalid);
  g_test_add_func ("/credentials/async", test_async);
  g_test_add_func ("/credentials/prepared", test_prepared);
  g_test_add_func ("/credentials/unavailable", test_unavailable);

  status = g_test_run ();

  td_test_keyring_stop ();
  td_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
