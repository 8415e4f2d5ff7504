/* test-sync.c: the outbox delivered to real servers on loopback
 *
 * The SMTP server is aiosmtpd with STARTTLS and AUTH and a certificate made
 * here; the upload endpoint is Training Desk's own receiver; the secrets are
 * in a real gnome-keyring. Each case ends by counting what the servers hold:
 * exactly one message, exactly one stored submission.
 *
 * Only the network monitor is the test's own: the machine's network cannot
 * be switched off and on by a test, so "offline, then online" is told to
 * TdSync by a GNetworkMonitor that says so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <sqlite3.h>

#include "td-credentials.h"
#include "td-mail.h"
#include "td-outbox.h"
#include "td-signoff.h"
#include "td-sync.h"
#include "td-sync-describe.h"
#include "td-test-monitor.h"
#include "td-test-servers.h"
#include "td-test-fixtures.h"
#include "td-upload.h"


#define PASSPHRASE "校长的口令 2026"
#define SMTP_USER "office@jndyzz.edu.cn"
#define SMTP_PASSWORD "authcode-163"
#define RECIPIENT "dxskjcxds@163.com"

/* The fixture: a signed revision, the SMTP server, the mailbox settings. */

static char *tmp_dir;
static char *cert_file, *key_file;

typedef struct
{
  char        *path;
  TdStore     *store;
  TdCampaign  *campaign;
  TdRevision  *revision;
  TdTestMonitor *monitor;
  TdSync      *sync;
  TdTestSmtp  *smtp;
} Fixture;

static TdForm *
valid_form (const char *phone)
{
  TdForm *form = td_test_valid_form ();

  td_form_set (form, TD_FORM_PHONE, phone);
  td_form_set (form, TD_FORM_EMAIL, SMTP_USER);
  return form;
}

static TdRevision *
sign (Fixture    *f,
      const char *phone)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdForm) form = valid_form (phone);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  TdRevision *revision = td_signoff_sign (f->store, form, f->campaign, PASSPHRASE, now, &error);

  g_assert_no_error (error);
  return revision;
}

static void
set (Fixture    *f,
     const char *key,
     const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (td_store_set_setting (f->store, key, value, &error));
  g_assert_no_error (error);
}

static void
set_up_mailbox (Fixture *f)
{
  td_test_use_smtp (f->store, f->smtp->port, cert_file, SMTP_USER, SMTP_PASSWORD);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  static guint n;

  f->path = g_strdup_printf ("%s/sync-%u.db", tmp_dir, ++n);
  f->store = td_store_open (f->path, &error);
  g_assert_no_error (error);
  f->campaign = td_campaign_get_builtin ();
  g_assert_true (td_signing_key_create (f->store, PASSPHRASE, TD_KDF_MINIMUM, &error));
  f->revision = sign (f, "0531-81916531");

  f->smtp = td_test_smtp_start (tmp_dir, cert_file, key_file, "starttls", SMTP_USER, SMTP_PASSWORD, NULL);
  set_up_mailbox (f);

  f->monitor = td_test_monitor_new (TRUE);
  f->sync = td_sync_new (f->store, G_NETWORK_MONITOR (f->monitor));
  /* Tries a few milliseconds apart, not minutes. */
  td_sync_set_retry_delays (f->sync, 50, 400);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  td_sync_stop (f->sync);
  g_assert_finalize_object (f->sync);
  g_assert_finalize_object (f->monitor);
  g_clear_pointer (&f->smtp, td_test_smtp_stop);
  g_assert_finalize_object (f->revision);
  g_assert_finalize_object (f->campaign);
  g_assert_finalize_object (f->store);
  g_free (f->path);
}

/* What `training-desk --sync` does: each due item once. */
static TdSyncSummary
run_due (Fixture *f)
{
  return td_test_sync_run_due (f->sync);
}

static TdOutboxItem *
only_item (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = td_outbox_list (f->store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  return g_object_ref (g_ptr_array_index (items, 0));
}

static void
queue (Fixture    *f,
       TdRevision *revision)
{
  g_autoptr(GError) error = NULL;

  /* A secondary vocational school: the education department's mailbox. */
  g_assert_cmpuint (td_outbox_queue_revision (f->store, revision, f->campaign, "secondary-vocational", &error), ==, 1);
  g_assert_no_error (error);
  /* Queueing again adds nothing. */
  g_assert_cmpuint (td_outbox_queue_revision (f->store, revision, f->campaign, "secondary-vocational", &error), ==, 0);
  td_sync_kick (f->sync);
}

static void
wait_for (Fixture      *f,
          TdOutboxState state)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(TdOutboxItem) item = only_item (f);

      if (td_outbox_item_get_state (item) == state && !td_sync_is_sending (f->sync, td_outbox_item_get_id (item)))
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("The item stayed %s (%s), never %s", td_outbox_state_to_string (td_outbox_item_get_state (item)),
                 td_outbox_item_get_last_error (item), td_outbox_state_to_string (state));
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_smtp_delivered_once (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(TdOutboxItem) item = NULL;
  g_autoptr(TdRevision) revision = NULL;
  g_autoptr(GBytes) kept = NULL;
  g_autofree char *received = NULL, *message_id = NULL;
  TdSyncSummary summary;
  gsize length;

  queue (f, f->revision);
  item = only_item (f);
  g_assert_cmpint (td_outbox_item_get_state (item), ==, TD_OUTBOX_QUEUED);
  g_assert_cmpint (td_outbox_item_get_destination (item), ==, TD_DESTINATION_SMTP);
  g_assert_cmpstr (td_outbox_item_get_recipient (item), ==, RECIPIENT);
  g_assert_cmpuint (td_sync_get_pending (f->sync), ==, 1);

  summary = run_due (f);
  g_assert_cmpuint (summary.delivered, ==, 1);
  g_assert_cmpuint (summary.failed + summary.retrying, ==, 0);

  g_clear_object (&item);
  item = only_item (f);
  g_assert_cmpint (td_outbox_item_get_state (item), ==, TD_OUTBOX_DELIVERED);
  g_assert_cmpuint (td_outbox_item_get_attempts (item), ==, 1);
  g_assert_true (g_str_has_prefix (td_outbox_item_get_receipt (item), "250 2.0.0 Ok: queued as TEST"));
  g_assert_cmpuint (td_sync_get_pending (f->sync), ==, 0);

  /* Exactly one message on the server, the one kept as .eml. */
  g_assert_cmpuint (td_test_smtp_count (f->smtp), ==, 1);
  received = td_test_smtp_message (f->smtp, 1, &length);
  kept = td_outbox_dup_last_message (f->store, item);
  g_assert_nonnull (kept);
  message_id = g_strdup_printf ("<%s@", td_revision_get_uuid (f->revision));
  g_assert_nonnull (g_strstr_len (received, (gssize)length, message_id));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (kept, NULL), (gssize)g_bytes_get_size (kept), message_id));

  /* The revision is delivered: its only destination has it. */
  revision = td_revision_load (f->store, td_revision_get_id (f->revision), NULL);
  g_assert_cmpint (td_revision_get_state (revision), ==, TD_REVISION_DELIVERED);

  /* Nothing is due any more: running again sends nothing. */
  summary = run_due (f);
  g_assert_cmpuint (summary.delivered + summary.failed + summary.retrying, ==, 0);
  g_assert_cmpuint (td_test_smtp_count (f->smtp), ==, 1);
}

static void
test_smtp_wrong_password (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdOutboxItem) item = NULL;
  g_autoptr(TdRevision) second = NULL;
  g_autoptr(GPtrArray) items = NULL;
  TdSyncSummary summary;

  g_assert_true (td_credentials_store (TD_CREDENTIAL_SMTP, "127.0.0.1", SMTP_USER, "wrong", NULL, &error));
  queue (f, f->revision);
  summary = run_due (f);
  g_assert_cmpuint (summary.failed, ==, 1);

  item = only_item (f);
  g_assert_cmpint (td_outbox_item_get_state (item), ==, TD_OUTBOX_FAILED);
  g_assert_cmpstr (td_outbox_item_get_error_code (item), ==, TD_OUTBOX_CODE_AUTH);
  g_assert_nonnull (td_outbox_item_get_last_error (item));
  g_assert_cmpuint (td_test_smtp_count (f->smtp), ==, 0);
  /* The Outbox says it as the mail's refusal of the account. */
  g_assert_cmpstr (td_sync_describe_failure (item), ==,
                   "The mail server refused the account or the authorisation code. Enter them again in Preferences.");

  /* The destination stopped: another revision for it waits, untried. */
  second = sign (f, "13812345678");
  g_assert_cmpuint (td_outbox_queue_revision (f->store, second, f->campaign, "secondary-vocational", &error), ==, 1);
  summary = run_due (f);
  g_assert_cmpuint (summary.retrying, ==, 1);
  items = td_outbox_list (f->store, NULL);
  for (guint i = 0; i < items->len; i++)
    if (td_outbox_item_get_revision_id (g_ptr_array_index (items, i)) == td_revision_get_id (second))
      {
        g_assert_cmpint (td_outbox_item_get_state (g_ptr_array_index (items, i)), ==, TD_OUTBOX_QUEUED);
        g_assert_cmpuint (td_outbox_item_get_attempts (g_ptr_array_index (items, i)), ==, 0);
      }

  /* The right password: both go, once each. */
  g_assert_true (td_credentials_store (TD_CREDENTIAL_SMTP, "127.0.0.1", SMTP_USER, SMTP_PASSWORD, NULL, &error));
  g_assert_true (td_sync_credentials_changed (f->sync, TD_DESTINATION_SMTP, &error));
  summary = run_due (f);
  g_assert_cmpuint (summary.delivered, ==, 2);
  g_assert_cmpuint (td_test_smtp_count (f->smtp), ==, 2);
}

static void
test_smtp_untrusted (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TdOutboxItem) item = NULL;
  TdSyncSummary summary;

  /* Without the test's CA, its certificate is nobody's. */
  set (f, TD_SETTING_SMTP_CA_FILE, "");
  queue (f, f->revision);
  summary = run_due (f);
  g_assert_cmpuint (summary.failed, ==, 1);
  item = only_item (f);
  g_assert_cmpstr (td_outbox_item_get_error_code (item), ==, TD_OUTBOX_CODE_TLS);
  g_assert_cmpuint (td_test_smtp_count (f->smtp), ==, 0);
}

/* The server is down, then back: retried with growing delays, delivered
 * once, by the running scheduler without a click. */
static void
test_smtp_retry (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TdOutboxItem) item = NULL;
  g_autofree char *port = NULL;
  guint16 old_port = f->smtp->port;

  td_test_smtp_stop (f->smtp);
  f->smtp = NULL;
  queue (f, f->revision);
  td_sync_start (f->sync);

  /* Tried and failed, more than once, each waiting longer. */
  while (TRUE)
    {
      g_clear_object (&item);
      item = only_item (f);
      if (td_outbox_item_get_attempts (item) >= 3 && td_outbox_item_get_state (item) == TD_OUTBOX_RETRYING)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_nonnull (td_outbox_item_get_last_error (item));
  g_assert_null (td_outbox_item_get_error_code (item));
  g_assert_nonnull (td_outbox_item_get_next_attempt_at (item));
  g_assert_cmpstr (td_sync_describe_failure (item), ==, "Sending failed. Training Desk will try again.");

  /* Back, on another port: the settings follow it. */
  f->smtp = td_test_smtp_start (tmp_dir, cert_file, key_file, "starttls", SMTP_USER, SMTP_PASSWORD, NULL);
  g_assert_cmpuint (f->smtp->port, !=, 0);
  (void)old_port;
  port = g_strdup_printf ("%u", f->smtp->port);
  set (f, TD_SETTING_SMTP_PORT, port);

  wait_for (f, TD_OUTBOX_DELIVERED);
  g_assert_cmpuint (td_test_smtp_count (f->smtp), ==, 1);
}

static void
test_offline_then_online (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(TdOutboxItem) item = NULL;
  gint64 until;

  td_test_monitor_set_available (f->monitor, FALSE);
  queue (f, f->revision);
  td_sync_start (f->sync);
  td_sync_kick (f->sync);
  g_assert_false (td_sync_get_online (f->sync));

  /* Offline: nothing is tried, nothing is written. */
  until = g_get_monotonic_time () + 500 * 1000;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  item = only_item (f);
  g_assert_cmpuint (td_outbox_item_get_attempts (item), ==, 0);
  g_assert_cmpint (td_outbox_item_get_state (item), ==, TD_OUTBOX_QUEUED);
  g_assert_cmpuint (td_test_smtp_count (f->smtp), ==, 0);

  /* Online: delivered without a click. */
  td_test_monitor_set_available (f->monitor, TRUE);
  g_assert_true (td_sync_get_online (f->sync));
  wait_for (f, TD_OUTBOX_DELIVERED);
  g_assert_cmpuint (td_test_smtp_count (f->smtp), ==, 1);
}

static void
test_cancel_and_send_now (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdOutboxItem) item = NULL;
  TdSyncSummary summary;

  queue (f, f->revision);
  item = only_item (f);
  g_assert_true (td_sync_cancel (f->sync, item, &error));
  g_assert_no_error (error);
  g_assert_cmpint (td_outbox_item_get_state (item), ==, TD_OUTBOX_FAILED);
  g_assert_cmpstr (td_outbox_item_get_error_code (item), ==, TD_OUTBOX_CODE_CANCELLED);
  g_assert_cmpuint (td_sync_get_pending (f->sync), ==, 0);

  summary = run_due (f);
  g_assert_cmpuint (summary.delivered + summary.failed + summary.retrying, ==, 0);
  g_assert_cmpuint (td_test_smtp_count (f->smtp), ==, 0);

  g_assert_true (td_sync_send_now (f->sync, item, &error));
  g_assert_no_error (error);
  summary = run_due (f);
  g_assert_cmpuint (summary.delivered, ==, 1);
  g_assert_cmpuint (td_test_smtp_count (f->smtp), ==, 1);

  /* Delivered: neither cancelled nor sent again. */
  g_clear_object (&item);
  item = only_item (f);
  g_assert_false (td_sync_cancel (f->sync, item, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (td_sync_send_now (f->sync, item, &error));
  g_assert_nonnull (error);
}

/* A revision altered in the file is never sent. */
static void
test_tampered_not_sent (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(TdOutboxItem) item = NULL;
  sqlite3 *db = NULL;
  TdSyncSummary summary;

  queue (f, f->revision);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER form_revision_frozen; "
                                     "UPDATE form_revision SET signer = '李四'", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  summary = run_due (f);
  g_assert_cmpuint (summary.failed, ==, 1);
  item = only_item (f);
  g_assert_cmpstr (td_outbox_item_get_error_code (item), ==, TD_OUTBOX_CODE_VERIFICATION);
  g_assert_nonnull (strstr (td_outbox_item_get_last_error (item), "sign it off again"));
  g_assert_cmpuint (td_test_smtp_count (f->smtp), ==, 0);
}

/* The upload endpoint: the real receiver, maybe behind the fault proxy. */

static guint
receiver_count (const char *database,
                const char *uuid)
{
  g_autofree char *db = g_strdup_printf ("--database=%s", database);
  const char *argv[] = { g_getenv ("TD_TEST_RECEIVER"), db, "--list", NULL };
  g_autofree char *out = td_test_run (argv, NULL);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i]; i++)
    n += strstr (lines[i], uuid) != NULL;
  return n;
}

typedef struct
{
  char           *database;
  TdTestReceiver *receiver;
  char           *token;
  char           *endpoint;
} Upload;

static void
upload_free (Upload *upload)
{
  g_clear_pointer (&upload->receiver, td_test_receiver_stop);
  g_free (upload->database);
  g_free (upload->token);
  g_free (upload->endpoint);
  g_free (upload);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Upload, upload_free)

/* @option: (nullable): one more of the receiver's options */
static Upload *
upload_start_with (const char *tls,
                   const char *option)
{
  Upload *upload = g_new0 (Upload, 1);
  static guint n;

  upload->database = g_strdup_printf ("%s/receiver-%u.db", tmp_dir, ++n);
  upload->token = td_test_receiver_add_school (upload->database, "济南第一职业中等专业学校");
  if (tls)
    {
      g_autofree char *cert = g_strdup_printf ("--tls-certificate=%s", cert_file);
      g_autofree char *key = g_strdup_printf ("--tls-key=%s", key_file);

      upload->receiver = td_test_receiver_start (upload->database, 0, cert, key, option, NULL);
    }
  else
    upload->receiver = td_test_receiver_start (upload->database, 0, option, NULL);
  return upload;
}

static Upload *
upload_start (const char *tls)
{
  return upload_start_with (tls, NULL);
}

/* tests/fault-proxy.py in front of @upload's receiver, faithful, noting
 * each connection in *@log ("connection N" lines). */
static TdTestProxy *
counting_proxy_start (Upload     *upload,
                      const char *name,
                      char      **log)
{
  g_autofree char *option = NULL;

  *log = g_strdup_printf ("%s/%s.log", tmp_dir, name);
  option = g_strdup_printf ("--log=%s", *log);
  return td_test_proxy_start (upload->receiver->port, "--first=0", option, NULL);
}

static char *
proxy_connections (const char *log)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (log, &text, NULL, NULL));
  return text;
}

/* Points the school at @port (the receiver's, or a proxy's), with its token. */
static void
use_endpoint (Fixture    *f,
              Upload     *upload,
              const char *scheme,
              guint16     port)
{
  g_autoptr(GError) error = NULL;

  g_free (upload->endpoint);
  upload->endpoint = g_strdup_printf ("%s://127.0.0.1:%u/", scheme, port);
  set (f, TD_SETTING_HTTPS_ENDPOINT, upload->endpoint);
  g_assert_true (td_credentials_store (TD_CREDENTIAL_HTTPS, upload->endpoint, "", upload->token, NULL, &error));
  g_assert_no_error (error);
}

/* Only the upload: no mailbox for this school. */
static TdOutboxItem *
queue_upload (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = td_store_dup_setting (f->store, TD_SETTING_HTTPS_ENDPOINT);

  g_assert_true (td_outbox_queue (f->store, f->revision, TD_DESTINATION_HTTPS, endpoint, &error));
  g_assert_no_error (error);
  td_sync_kick (f->sync);
  return only_item (f);
}

/* What the receiver stored is the revision's bytes, byte for byte: the
 * body is streamed over the parts' own bytes (issue 17), not built by
 * libsoup, so its framing is ours to get right. */
static void
assert_stored_bytes (Upload     *upload,
                     TdRevision *revision)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GBytes *pdf = td_revision_get_pdf (revision);
  GBytes *json = td_revision_get_form_json (revision);

  g_assert_cmpint (sqlite3_open_v2 (upload->database, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT pdf, form_json FROM submission WHERE uuid = ?", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, td_revision_get_uuid (revision), -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpmem (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0),
                   g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
  g_assert_cmpmem (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1),
                   g_bytes_get_data (json, NULL), g_bytes_get_size (json));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_https_delivered_once (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Upload) upload = upload_start (NULL);
  g_autoptr(TdOutboxItem) item = NULL;
  g_autofree char *receipt = NULL;
  TdSyncSummary summary;
  sqlite3 *db = NULL;

  use_endpoint (f, upload, "http", upload->receiver->port);
  item = queue_upload (f);
  summary = run_due (f);
  g_assert_cmpuint (summary.delivered, ==, 1);
  g_clear_object (&item);
  item = only_item (f);
  g_assert_cmpint (td_outbox_item_get_state (item), ==, TD_OUTBOX_DELIVERED);
  g_assert_nonnull (td_outbox_item_get_receipt (item));
  receipt = g_strdup (td_outbox_item_get_receipt (item));
  g_assert_cmpuint (receiver_count (upload->database, td_revision_get_uuid (f->revision)), ==, 1);
  assert_stored_bytes (upload, f->revision);

  /* The answer lost (the app stopped right after): the item is found
   * "sending" again, sent again, and the receiver keeps one — same receipt. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE outbox SET state = 'sending'", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  summary = run_due (f);
  g_assert_cmpuint (summary.delivered, ==, 1);
  g_clear_object (&item);
  item = only_item (f);
  g_assert_cmpstr (td_outbox_item_get_receipt (item), ==, receipt);
  g_assert_cmpuint (td_outbox_item_get_attempts (item), ==, 2);
  g_assert_cmpuint (receiver_count (upload->database, td_revision_get_uuid (f->revision)), ==, 1);
}

/* Each fault of the first connection, then success: one stored. */
static void
test_https_fault (Fixture       *f,
                  gconstpointer  data)
{
  const char *fault = data;
  g_autoptr(Upload) upload = upload_start (NULL);
  g_autoptr(TdTestProxy) proxy = NULL;
  g_autoptr(TdOutboxItem) item = NULL;

  if (g_str_equal (fault, "--delay=4"))
    set (f, TD_SETTING_TIMEOUT, "1");
  proxy = td_test_proxy_start (upload->receiver->port, fault, NULL);
  use_endpoint (f, upload, "http", proxy->port);
  item = queue_upload (f);
  td_sync_start (f->sync);

  wait_for (f, TD_OUTBOX_DELIVERED);
  g_clear_object (&item);
  item = only_item (f);
  g_assert_cmpuint (td_outbox_item_get_attempts (item), >=, 2);
  g_assert_cmpuint (receiver_count (upload->database, td_revision_get_uuid (f->revision)), ==, 1);

  /* The delayed first request may still reach the receiver: still one. */
  if (g_str_equal (fault, "--delay=4"))
    {
      gint64 until = g_get_monotonic_time () + 4500 * 1000;

      while (g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, FALSE), g_usleep (10000);
      g_assert_cmpuint (receiver_count (upload->database, td_revision_get_uuid (f->revision)), ==, 1);
    }
}

/* The connection is made while the keyring answers and the revision is
 * checked (issue 17), then the POST goes over it: one connection, TLS
 * with the province's CA from the settings, one submission stored. */
static void
test_https_one_connection (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Upload) upload = upload_start ("tls");
  g_autofree char *log = NULL;
  g_autoptr(TdTestProxy) proxy = counting_proxy_start (upload, "one-connection", &log);
  g_autoptr(TdOutboxItem) item = NULL;
  g_autofree char *connections = NULL;
  TdSyncSummary summary;

  set (f, TD_SETTING_HTTPS_CA_FILE, cert_file);
  use_endpoint (f, upload, "https", proxy->port);
  item = queue_upload (f);
  summary = run_due (f);
  g_assert_cmpuint (summary.delivered, ==, 1);
  g_assert_cmpuint (receiver_count (upload->database, td_revision_get_uuid (f->revision)), ==, 1);
  connections = proxy_connections (log);
  g_assert_cmpstr (connections, ==, "connection 1\n");
}

static void
test_https_receiver_restarted (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(Upload) upload = upload_start (NULL);
  g_autoptr(TdOutboxItem) item = NULL;
  guint16 port = upload->receiver->port;
  TdSyncSummary summary;

  use_endpoint (f, upload, "http", port);
  td_test_receiver_stop (upload->receiver);
  upload->receiver = NULL;

  item = queue_upload (f);
  summary = run_due (f);
  g_assert_cmpuint (summary.retrying, ==, 1);
  g_clear_object (&item);
  item = only_item (f);
  g_assert_cmpint (td_outbox_item_get_state (item), ==, TD_OUTBOX_RETRYING);

  /* Back, on the same port, with its database as it was. */
  upload->receiver = td_test_receiver_start (upload->database, port, NULL);
  td_sync_start (f->sync);
  wait_for (f, TD_OUTBOX_DELIVERED);
  g_assert_cmpuint (receiver_count (upload->database, td_revision_get_uuid (f->revision)), ==, 1);
}

static void
test_https_untrusted (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Upload) upload = upload_start ("tls");
  g_autoptr(GError) error = NULL;
  g_autoptr(TdOutboxItem) item = NULL;
  TdSyncSummary summary;

  use_endpoint (f, upload, "https", upload->receiver->port);
  item = queue_upload (f);
  summary = run_due (f);
  g_assert_cmpuint (summary.failed, ==, 1);
  g_clear_object (&item);
  item = only_item (f);
  g_assert_cmpstr (td_outbox_item_get_error_code (item), ==, TD_OUTBOX_CODE_TLS);
  g_assert_cmpuint (receiver_count (upload->database, td_revision_get_uuid (f->revision)), ==, 0);

  /* The province's CA, trusted in the settings: delivered. */
  set (f, TD_SETTING_HTTPS_CA_FILE, cert_file);
  g_assert_true (td_sync_credentials_changed (f->sync, TD_DESTINATION_HTTPS, &error));
  summary = run_due (f);
  g_assert_cmpuint (summary.delivered, ==, 1);
  g_assert_cmpuint (receiver_count (upload->database, td_revision_get_uuid (f->revision)), ==, 1);
}

static void
test_https_wrong_token (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Upload) upload = upload_start (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdOutboxItem) item = NULL;
  TdSyncSummary summary;

  use_endpoint (f, upload, "http", upload->receiver->port);
  g_assert_true (td_credentials_store (TD_CREDENTIAL_HTTPS, upload->endpoint, "", "not-the-token", NULL, &error));
  item = queue_upload (f);
  summary = run_due (f);
  g_assert_cmpuint (summary.failed, ==, 1);
  g_clear_object (&item);
  item = only_item (f);
  g_assert_cmpstr (td_outbox_item_get_error_code (item), ==, TD_OUTBOX_CODE_AUTH);
  g_assert_nonnull (strstr (td_outbox_item_get_last_error (item), "token"));
  g_assert_cmpstr (td_sync_describe_failure (item), ==,
                   "The receiver refused the school’s token. Enter the token the province gave the school in Preferences.");
  g_assert_cmpuint (receiver_count (upload->database, td_revision_get_uuid (f->revision)), ==, 0);
}

/* The PDF altered in the file after the revision was queued: it is read
 * and checked as it is sent (issue 17), so the send stops before the
 * PDF's last piece — the receiver never gets a whole body, stores
 * nothing — and the item fails as altered, not as a lost connection to
 * retry. 2.5 MiB: two pieces go out before the check. */
static void
test_https_altered_pdf (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Upload) upload = upload_start (NULL);
  g_autoptr(TdOutboxItem) item = NULL;
  TdSyncSummary summary;
  sqlite3 *db = NULL;

  use_endpoint (f, upload, "http", upload->receiver->port);
  item = queue_upload (f);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER revision_pdf_frozen; "
                                     "UPDATE revision_pdf SET pdf = randomblob (2621440)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  summary = run_due (f);
  g_assert_cmpuint (summary.failed, ==, 1);
  g_clear_object (&item);
  item = only_item (f);
  g_assert_cmpint (td_outbox_item_get_state (item), ==, TD_OUTBOX_FAILED);
  g_assert_cmpstr (td_outbox_item_get_error_code (item), ==, TD_OUTBOX_CODE_VERIFICATION);
  g_assert_nonnull (strstr (td_outbox_item_get_last_error (item), "PDF was altered"));
  g_assert_cmpuint (td_outbox_item_get_attempts (item), ==, 1);
  g_assert_cmpuint (receiver_count (upload->database, td_revision_get_uuid (f->revision)), ==, 0);
}

/* `training-desk --sync` killed with SIGKILL while it sends (the proxy
 * holds the connection), then run again: delivered once — one stored
 * submission, one accepted message. */
static void
test_killed_while_sending (Fixture       *f,
                           gconstpointer  data)
{
  gboolean mail = g_str_equal (data, "smtp");
  g_autoptr(Upload) upload = mail ? NULL : upload_start (NULL);
  g_autoptr(TdTestProxy) proxy = td_test_proxy_start (mail ? f->smtp->port : upload->receiver->port,
                                                      "--delay=3", NULL);
  g_autoptr(TdOutboxItem) item = NULL;
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_strdup_printf ("--database=%s", f->path);
  const char *argv[] = { g_getenv ("TD_TEST_BINARY"), db, "--sync", NULL };
  int status;
  gint64 deadline;

  if (mail)
    {
      g_autofree char *port = g_strdup_printf ("%u", proxy->port);

      set (f, TD_SETTING_SMTP_PORT, port);
      queue (f, f->revision);
    }
  else
    {
      use_endpoint (f, upload, "http", proxy->port);
      g_clear_object (&item);
      item = queue_upload (f);
    }

  /* The app's database is this one: close it for the other process. */
  g_clear_object (&item);
  td_sync_stop (f->sync);
  g_clear_object (&f->sync);
  g_clear_object (&f->revision);
  g_assert_finalize_object (f->store);

  app = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  /* Until it has written "sending". */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  for (;;)
    {
      sqlite3 *raw = NULL;
      sqlite3_stmt *stmt = NULL;
      gboolean sending = FALSE;

      g_assert_cmpint (sqlite3_open_v2 (f->path, &raw, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
      if (sqlite3_prepare_v2 (raw, "SELECT state FROM outbox", -1, &stmt, NULL) == SQLITE_OK &&
          sqlite3_step (stmt) == SQLITE_ROW)
        sending = g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), "sending") == 0;
      sqlite3_finalize (stmt);
      sqlite3_close (raw);
      if (sending)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
  g_usleep (300 * 1000);
  g_subprocess_force_exit (app);
  g_subprocess_wait (app, NULL, NULL);
  g_assert_false (g_subprocess_get_if_exited (app));

  /* Restarted: it resumes the item and delivers it, once. */
  {
    g_autofree char *out G_GNUC_UNUSED = td_test_run (argv, &status);

    g_assert_cmpint (status, ==, 0);
  }
  f->store = td_store_open (f->path, &error);
  g_assert_no_error (error);
  f->revision = td_revision_load (f->store, 1, &error);
  f->sync = td_sync_new (f->store, G_NETWORK_MONITOR (f->monitor));
  item = only_item (f);
  g_assert_cmpint (td_outbox_item_get_state (item), ==, TD_OUTBOX_DELIVERED);
  g_assert_cmpuint (td_outbox_item_get_attempts (item), ==, 2);

  /* The killed one's connection, held by the proxy, goes on late: still one. */
  g_usleep (3500 * 1000);
  if (mail)
    g_assert_cmpuint (td_test_smtp_count (f->smtp), ==, 1);
  else
    g_assert_cmpuint (receiver_count (upload->database, td_revision_get_uuid (f->revision)), ==, 1);
}

/* Hostile endpoints (issue 12): tests/hostile-server.py, which counts the
 * connections it is given. */

typedef struct
{
  GSubprocess *process;
  char        *log;
  guint16      port;
} Hostile;

static void
hostile_stop (Hostile *hostile)
{
  g_output_stream_close (g_subprocess_get_stdin_pipe (hostile->process), NULL, NULL);
  g_subprocess_send_signal (hostile->process, SIGTERM);
  g_subprocess_wait (hostile->process, NULL, NULL);
  g_object_unref (hostile->process);
  g_free (hostile->log);
  g_free (hostile);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Hostile, hostile_stop)

static Hostile *
hostile_start (const char *mode,
               const char *extra)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "hostile-server.py", NULL);
  g_autofree char *mode_arg = g_strdup_printf ("--mode=%s", mode);
  g_autofree char *log_arg = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  Hostile *hostile = g_new0 (Hostile, 1);
  static guint n;
  guint64 port;

  hostile->log = g_strdup_printf ("%s/hostile-%u.log", tmp_dir, ++n);
  log_arg = g_strdup_printf ("--log=%s", hostile->log);
  g_assert_true (g_file_set_contents (hostile->log, "", 0, NULL));
  hostile->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                       "python3", script, mode_arg, log_arg, extra, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (hostile->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_ascii_string_to_unsigned (line, 10, 1, 65535, &port, NULL))
    g_error ("The hostile server did not start (it printed “%s”).", line ? line : "");
  hostile->port = (guint16)port;
  return hostile;
}

/* How many lines of its log start with @what ("connection", "request"). */
static guint
hostile_count (Hostile    *hostile,
               const char *what)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (hostile->log, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    n += g_str_has_prefix (lines[i], what);
  return n;
}

/* The school's upload endpoint is @endpoint, with a token for it. */
static TdOutboxItem *
queue_upload_to (Fixture    *f,
                 const char *endpoint)
{
  g_autoptr(GError) error = NULL;

  set (f, TD_SETTING_HTTPS_ENDPOINT, endpoint);
  g_assert_true (td_credentials_store (TD_CREDENTIAL_HTTPS, endpoint, "", "a-token-never-to-leak", NULL, &error));
  g_assert_no_error (error);
  return queue_upload (f);
}

/* The test lets go of the database, for `training-desk --sync`. */
static void
close_store (Fixture *f)
{
  td_sync_stop (f->sync);
  g_clear_object (&f->sync);
  g_clear_object (&f->revision);
  g_assert_finalize_object (f->store);
}

static void
reopen_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = td_store_open (f->path, &error);
  g_assert_no_error (error);
  f->revision = td_revision_load (f->store, 1, &error);
  g_assert_no_error (error);
  f->sync = td_sync_new (f->store, G_NETWORK_MONITOR (f->monitor));
}

/* A 201 whose body never ends: `--sync`, its address space bounded to
 * 1 GiB, reads no more than the cap, fails the attempt with a message and
 * exits — no abort, nothing left "sending". */
static void
test_https_endless_answer (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Hostile) hostile = hostile_start ("endless-201", NULL);
  g_autofree char *endpoint = g_strdup_printf ("http://127.0.0.1:%u/", hostile->port);
  g_autofree char *db = g_strdup_printf ("--database=%s", f->path);
  g_autoptr(TdOutboxItem) item = NULL;
  g_autofree char *out = NULL;
  int status;
#if defined(__SANITIZE_ADDRESS__) || TD_TEST_HAS_ASAN
  /* AddressSanitizer reserves terabytes of address space: no rlimit. */
  const char *argv[] = { g_getenv ("TD_TEST_BINARY"), db, "--sync", NULL };
#else
  const char *argv[] = { "prlimit", "--as=1073741824", "--", g_getenv ("TD_TEST_BINARY"), db, "--sync", NULL };
#endif

  set (f, TD_SETTING_TIMEOUT, "30");
  g_clear_object (&item);
  item = queue_upload_to (f, endpoint);
  g_clear_object (&item);
  close_store (f);

  out = td_test_run (argv, &status);
  /* Exited (3: an item waits to be retried), not killed by a signal. */
  g_assert_cmpint (status, ==, 3);
  g_assert_cmpuint (hostile_count (hostile, "request"), ==, 1);

  reopen_store (f);
  item = only_item (f);
  g_assert_cmpint (td_outbox_item_get_state (item), ==, TD_OUTBOX_RETRYING);
  g_assert_cmpuint (td_outbox_item_get_attempts (item), ==, 1);
  g_assert_nonnull (strstr (td_outbox_item_get_last_error (item), "larger than 1 MiB"));
}

/* A large upload asks for "100 Continue" (docs/upload-protocol.md), so a
 * receiver refusing from the headers answers before the body goes out; a
 * small one does not wait for it. The server answers 413 from the head. */
static void
test_https_expect_continue (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Hostile) hostile = hostile_start ("refuse-head", NULL);
  TdUploadSettings settings = {
    .endpoint = g_strdup_printf ("http://127.0.0.1:%u/", hostile->port),
    .timeout_seconds = 30,
  };
  g_autoptr(GBytes) json = g_bytes_new_static ("{}", 2);
  g_autoptr(GBytes) signature = g_bytes_new_static ("{}", 2);
  g_autoptr(GBytes) small_pdf = g_bytes_new_static ("%PDF-1.7\n", 9);
  g_autoptr(GBytes) large_pdf = g_bytes_new_take (g_malloc0 (2 * 1024 * 1024), 2 * 1024 * 1024);
  GBytes *pdfs[] = { small_pdf, large_pdf };
  const char *expected[] = { "expect none", "expect 100-continue" };

  for (guint i = 0; i < G_N_ELEMENTS (pdfs); i++)
    {
      TdUploadSubmission submission = {
        .revision_uuid = td_revision_get_uuid (f->revision),
        .form_json = json,
        .pdf = pdfs[i],
        .signature_json = signature,
      };
      g_autoptr(GError) error = NULL;
      g_autofree char *receipt = NULL;

      g_assert_cmpint (td_upload_expects_continue (&submission), ==, i == 1);
      receipt = td_upload_send (&settings, "a-token", &submission, NULL, &error);
      g_assert_null (receipt);
      g_assert_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_REFUSED);
      g_assert_cmpuint (hostile_count (hostile, expected[i]), ==, 1);
    }
  td_upload_settings_clear (&settings);
}

/* An answer whose JSON body is blanks only (JSON-GLib reads that as a
 * document without a root): a 201 is no receipt, a 502 is the server's
 * trouble; each said plainly, and no critical on the way (the tests make
 * criticals fatal). */
static void
test_https_blank_answer (Fixture       *f,
                         gconstpointer  data)
{
  const struct { const char *mode; int code; const char *words; } cases[] = {
    { "blank-201", TD_UPLOAD_ERROR_PROTOCOL, "no receipt" },
    { "blank-502", TD_UPLOAD_ERROR_SERVER, "502" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Hostile) hostile = hostile_start (cases[i].mode, NULL);
      TdUploadSettings settings = {
        .endpoint = g_strdup_printf ("http://127.0.0.1:%u/", hostile->port),
        .timeout_seconds = 30,
      };
      g_autoptr(GBytes) json = g_bytes_new_static ("{}", 2);
      g_autoptr(GBytes) signature = g_bytes_new_static ("{}", 2);
      g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.7\n", 9);
      TdUploadSubmission submission = {
        .revision_uuid = td_revision_get_uuid (f->revision),
        .form_json = json,
        .pdf = pdf,
        .signature_json = signature,
      };
      g_autoptr(GError) error = NULL;
      g_autofree char *receipt = NULL;

      g_test_message ("%s", cases[i].mode);
      receipt = td_upload_send (&settings, "a-token", &submission, NULL, &error);
      g_assert_null (receipt);
      g_assert_error (error, TD_UPLOAD_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].words));
      g_assert_cmpuint (hostile_count (hostile, "request"), ==, 1);
      td_upload_settings_clear (&settings);
    }
}

/* An answer that comes one byte a second: the attempt ends at the time-out,
 * however long the server would go on. */
static void
test_https_dripping_answer (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Hostile) hostile = hostile_start ("drip", "--for=20");
  g_autofree char *endpoint = g_strdup_printf ("http://127.0.0.1:%u/", hostile->port);
  g_autoptr(TdOutboxItem) item = NULL;
  TdSyncSummary summary;

  set (f, TD_SETTING_TIMEOUT, "2");
  item = queue_upload_to (f, endpoint);
  summary = run_due (f);
  g_assert_cmpuint (summary.retrying, ==, 1);
  g_clear_object (&item);
  item = only_item (f);
  g_assert_cmpint (td_outbox_item_get_state (item), ==, TD_OUTBOX_RETRYING);
  /* The time-out's message, not a connection the server closed at last. */
  g_assert_nonnull (strstr (td_outbox_item_get_last_error (item), "did not answer in time"));
}

/* The connection made ahead, then closed by the receiver while the token
 * is still awaited (its header time-out; a keyring asking to be unlocked
 * can take that long): the POST goes over a new connection, and the
 * revision is stored once. */
static void
test_https_closed_while_waiting (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(Upload) upload = upload_start_with ("tls", "--header-timeout=1");
  g_autofree char *log = NULL;
  g_autoptr(TdTestProxy) proxy = counting_proxy_start (upload, "closed-while-waiting", &log);
  g_autofree char *endpoint = g_strdup_printf ("https://127.0.0.1:%u/", proxy->port);
  g_autofree char *signature = NULL, *receipt = NULL, *connections = NULL;
  g_autoptr(GBytes) signature_json = NULL;
  g_autoptr(GError) error = NULL;
  TdUploadConnection *connection;
  TdUploadSubmission submission;
  gsize length;
  gint64 until;

  {
    TdUploadSettings settings = { endpoint, cert_file, 30 };

    connection = td_upload_connection_new (&settings, NULL, &error);
    g_assert_no_error (error);
  }
  while (!td_upload_connection_is_settled (connection))
    g_main_context_iteration (td_upload_connection_get_context (connection), TRUE);
  /* Past the receiver's header time-out, the context running meanwhile. */
  until = g_get_monotonic_time () + 2500 * 1000;
  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (td_upload_connection_get_context (connection), FALSE);
      g_usleep (10 * 1000);
    }

  signature = td_revision_dup_signature_json (f->revision, &length);
  signature_json = g_bytes_new_take (g_steal_pointer (&signature), length);
  submission = (TdUploadSubmission) {
    .revision_uuid = td_revision_get_uuid (f->revision),
    .form_json = td_revision_get_form_json (f->revision),
    .pdf = td_revision_get_pdf (f->revision),
    .signature_json = signature_json,
  };
  receipt = td_upload_connection_send (connection, upload->token, &submission, NULL, &error);
  td_upload_connection_free (connection);
  g_assert_no_error (error);
  g_assert_nonnull (receipt);
  g_assert_cmpuint (receiver_count (upload->database, td_revision_get_uuid (f->revision)), ==, 1);
  connections = proxy_connections (log);
  g_assert_cmpstr (connections, ==, "connection 1\nconnection 2\n");
}

/* A server that takes the connection and never finishes the TLS handshake:
 * the connection made ahead (issue 17) is given up after the time-out, and
 * the send says so without connecting again. */
static void
test_https_stalled_handshake (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(Hostile) hostile = hostile_start ("hold", NULL);
  g_autofree char *endpoint = g_strdup_printf ("https://127.0.0.1:%u/", hostile->port);
  g_autoptr(TdOutboxItem) item = NULL;
  TdSyncSummary summary;

  set (f, TD_SETTING_TIMEOUT, "1");
  item = queue_upload_to (f, endpoint);
  summary = run_due (f);
  g_assert_cmpuint (summary.retrying, ==, 1);
  /* Ended by the first time-out: one connection, not a second try. */
  g_assert_cmpuint (hostile_count (hostile, "connection"), ==, 1);
  g_clear_object (&item);
  item = only_item (f);
  g_assert_cmpint (td_outbox_item_get_state (item), ==, TD_OUTBOX_RETRYING);
  g_assert_nonnull (strstr (td_outbox_item_get_last_error (item), "did not answer in time"));
}

/* `--sync` killed three times while it sends: the item is parked, needs the
 * user, and a fourth run does not touch the network. "Send Now" makes it
 * due again. */
static void
test_crash_loop (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Hostile) hostile = hostile_start ("hold", NULL);
  g_autofree char *endpoint = g_strdup_printf ("http://127.0.0.1:%u/", hostile->port);
  g_autofree char *db = g_strdup_printf ("--database=%s", f->path);
  const char *argv[] = { g_getenv ("TD_TEST_BINARY"), db, "--sync", NULL };
  g_autoptr(TdOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *out = NULL;
  int status;

  /* Long enough that the kill, not the time-out, ends each run. */
  set (f, TD_SETTING_TIMEOUT, "30");
  item = queue_upload_to (f, endpoint);
  g_clear_object (&item);
  close_store (f);

  for (guint run = 1; run <= 3; run++)
    {
      g_autoptr(GSubprocess) app = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
      gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

      g_assert_no_error (error);
      /* Until the server holds its request. */
      while (hostile_count (hostile, "request") < run)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_usleep (20 * 1000);
        }
      g_subprocess_force_exit (app);
      g_subprocess_wait (app, NULL, NULL);
      g_assert_false (g_subprocess_get_if_exited (app));
    }
  g_assert_cmpuint (hostile_count (hostile, "connection"), ==, 3);

  /* The fourth: the item needs the user; nothing sent. */
  out = td_test_run (argv, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpuint (hostile_count (hostile, "connection"), ==, 3);

  reopen_store (f);
  item = only_item (f);
  g_assert_cmpint (td_outbox_item_get_state (item), ==, TD_OUTBOX_FAILED);
  g_assert_cmpstr (td_outbox_item_get_error_code (item), ==, TD_OUTBOX_CODE_INTERRUPTED);
  g_assert_cmpuint (td_outbox_item_get_attempts (item), ==, 3);
  g_assert_nonnull (strstr (td_outbox_item_get_last_error (item), "Send Now"));
  now = g_date_time_new_now_utc ();
  due = td_outbox_list_due (f->store, now, &error);
  g_assert_cmpuint (due->len, ==, 0);

  /* By hand: due again, with the same revision (the same Idempotency-Key). */
  g_assert_true (td_sync_send_now (f->sync, item, &error));
  g_assert_no_error (error);
  g_clear_pointer (&due, g_ptr_array_unref);
  g_clear_pointer (&now, g_date_time_unref);
  now = g_date_time_new_now_utc ();
  due = td_outbox_list_due (f->store, now, &error);
  g_assert_cmpuint (due->len, ==, 1);
  g_assert_cmpstr (td_outbox_item_get_uuid (g_ptr_array_index (due, 0)), ==, td_outbox_item_get_uuid (item));
}

/* A bearer token never goes out in clear: http:// only to this machine. */
static void
test_https_plain_http_refused (Fixture       *f,
                               gconstpointer  data)
{
  const struct { const char *endpoint; gboolean allowed; } cases[] = {
    { "https://upload.example.edu.cn/api", TRUE },
    { "http://127.0.0.1:8080/", TRUE },
    { "http://127.9.8.7/", TRUE },
    { "http://localhost/api", TRUE },
    { "http://[::1]:8080/", TRUE },
    { "http://upload.example.edu.cn/api", FALSE },
    { "http://192.0.2.1/", FALSE },
    { "http://localhost.example.com/", FALSE },
    { "http://127.0.0.1.example.com/", FALSE },
    { "http://127.0.0.1@upload.example.edu.cn/", FALSE },
    { "ftp://upload.example.edu.cn/", FALSE },
    { "upload.example.edu.cn", FALSE },
  };
  g_autoptr(TdOutboxItem) item = NULL;
  TdSyncSummary summary;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (td_upload_check_endpoint (cases[i].endpoint, &error), ==, cases[i].allowed);
      if (cases[i].allowed)
        g_assert_no_error (error);
      else
        g_assert_error (error, TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_INVALID);
    }

  /* The outbox refuses to send there: the settings need the user. */
  set (f, TD_SETTING_TIMEOUT, "2");
  item = queue_upload_to (f, "http://192.0.2.1/api");
  summary = run_due (f);
  g_assert_cmpuint (summary.failed, ==, 1);
  g_clear_object (&item);
  item = only_item (f);
  g_assert_cmpstr (td_outbox_item_get_error_code (item), ==, TD_OUTBOX_CODE_SETTINGS);
  g_assert_nonnull (strstr (td_outbox_item_get_last_error (item), "https://"));
}

/* A mail server that accepts the connection, then stalls or drips: the
 * attempt ends at the time-out. */
static void
test_smtp_stalled (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Hostile) hostile = hostile_start (data, "--for=20");
  g_autofree char *port = g_strdup_printf ("%u", hostile->port);
  g_autoptr(TdOutboxItem) item = NULL;
  TdSyncSummary summary;

  set (f, TD_SETTING_SMTP_PORT, port);
  set (f, TD_SETTING_TIMEOUT, "2");
  queue (f, f->revision);
  summary = run_due (f);
  g_assert_cmpuint (summary.retrying, ==, 1);
  item = only_item (f);
  g_assert_cmpuint (hostile_count (hostile, "connection"), ==, 1);
  g_assert_nonnull (strstr (td_outbox_item_get_last_error (item), "did not answer in time"));
}

/* A mail server slow on every command, each reply within the time-out:
 * the exchange as a whole ends at the time-out (and what was sent at the
 * slowest rate), not at ten times it. */
static void
test_smtp_slow_replies (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(TdOutboxItem) item = NULL;
  TdSyncSummary summary;

  td_test_smtp_stop (f->smtp);
  f->smtp = td_test_smtp_start (tmp_dir, cert_file, key_file, "starttls", SMTP_USER, SMTP_PASSWORD,
                                "--reply-delay=1.5", NULL);
  set_up_mailbox (f);
  set (f, TD_SETTING_TIMEOUT, "2");
  queue (f, f->revision);
  summary = run_due (f);
  g_assert_cmpuint (summary.retrying, ==, 1);
  item = only_item (f);
  g_assert_cmpint (td_outbox_item_get_state (item), ==, TD_OUTBOX_RETRYING);
  g_assert_nonnull (strstr (td_outbox_item_get_last_error (item), "did not answer in time"));
}

/* The first try reaches the server, which stores the message and drops the
 * connection before its reply: the client cannot know, and tries again.
 * The retry sends the message built for the first try, byte for byte —
 * Date and all — the one kept in the outbox (issue 10). The tries are at
 * least a second apart, so a rebuilt message would carry another Date. */
static void
test_smtp_retry_same_bytes (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(TdOutboxItem) item = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autofree char *first = NULL, *second = NULL;
  gsize first_length, second_length;

  td_test_smtp_stop (f->smtp);
  f->smtp = td_test_smtp_start (tmp_dir, cert_file, key_file, "starttls", SMTP_USER, SMTP_PASSWORD,
                                "--data=drop", NULL);
  set_up_mailbox (f);
  td_sync_set_retry_delays (f->sync, 2400, 2400);
  queue (f, f->revision);
  td_sync_start (f->sync);

  while (td_test_smtp_count (f->smtp) < 2)
    g_main_context_iteration (NULL, TRUE);
  td_sync_stop (f->sync);
  while (TRUE)
    {
      g_clear_object (&item);
      item = only_item (f);
      if (!td_sync_is_sending (f->sync, td_outbox_item_get_id (item)))
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (td_outbox_item_get_attempts (item), >=, 2);

  first = td_test_smtp_message (f->smtp, 1, &first_length);
  second = td_test_smtp_message (f->smtp, 2, &second_length);
  g_assert_nonnull (g_strstr_len (first, (gssize)first_length, "Date: "));
  g_assert_cmpmem (first, first_length, second, second_length);

  /* The bytes kept in the outbox are the ones sent. */
  stored = td_outbox_dup_message (f->store, td_outbox_item_get_id (item));
  g_assert_nonnull (stored);
  g_assert_cmpmem (g_bytes_get_data (stored, NULL), g_bytes_get_size (stored), first, first_length);
}

/* An upload endpoint set after signing: the newest signed revision is
 * offered to it, queued once without signing again, and delivered; asking
 * again adds nothing (issue 10). */
static void
test_new_destination (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Upload) upload = upload_start (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  gint64 number = -1;

  queue (f, f->revision);
  g_assert_cmpuint (td_outbox_count_new_destinations (f->store, f->campaign, "secondary-vocational", &number), ==, 0);
  g_assert_cmpint (number, ==, 0);

  use_endpoint (f, upload, "http", upload->receiver->port);
  g_assert_cmpuint (td_outbox_count_new_destinations (f->store, f->campaign, "secondary-vocational", &number), ==, 1);
  g_assert_cmpint (number, ==, td_revision_get_number (f->revision));
  g_assert_cmpuint (td_outbox_queue_new_destinations (f->store, f->campaign, "secondary-vocational", &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (td_outbox_count_new_destinations (f->store, f->campaign, "secondary-vocational", NULL), ==, 0);
  g_assert_cmpuint (td_outbox_queue_new_destinations (f->store, f->campaign, "secondary-vocational", &error), ==, 0);
  g_assert_no_error (error);

  items = td_outbox_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  td_sync_kick (f->sync);
  run_due (f);
  g_assert_cmpuint (receiver_count (upload->database, td_revision_get_uuid (f->revision)), ==, 1);
  g_assert_cmpuint (td_test_smtp_count (f->smtp), ==, 1);
  /* Delivered everywhere: still nothing new to offer. */
  g_assert_cmpuint (td_outbox_count_new_destinations (f->store, f->campaign, "secondary-vocational", NULL), ==, 0);
}

/* Every network error has a plain sentence, the detail kept apart. */
static void
test_describe_error (void)
{
  for (int code = TD_MAIL_ERROR_INVALID; code <= TD_MAIL_ERROR_FAILED; code++)
    {
      g_autoptr(GError) error = g_error_new_literal (TD_MAIL_ERROR, code, "550 5.1.1 User unknown");
      const char *text = td_sync_describe_error (error);

      g_assert_nonnull (text);
      g_assert_null (strstr (text, "550"));
    }
  for (int code = TD_UPLOAD_ERROR_INVALID; code <= TD_UPLOAD_ERROR_PROTOCOL; code++)
    {
      g_autoptr(GError) error = g_error_new_literal (TD_UPLOAD_ERROR, code, "HTTP 401");

      g_assert_nonnull (td_sync_describe_error (error));
    }
  {
    g_autoptr(GError) auth = g_error_new_literal (TD_MAIL_ERROR, TD_MAIL_ERROR_AUTH, "535");
    g_autoptr(GError) connect = g_error_new_literal (TD_MAIL_ERROR, TD_MAIL_ERROR_CONNECT, "x");

    g_assert_nonnull (strstr (td_sync_describe_error (auth), "Preferences"));
    g_assert_cmpstr (td_sync_describe_error (auth), !=, td_sync_describe_error (connect));
  }
}

/* The core's one table of sentences (td-sync-describe.c) serves the
 * Outbox and Preferences' Test Connection: each code has both, in plain
 * words, translated, and neither repeats the server's. */
static void
test_describe_contexts (void)
{
  const char *localedir = g_getenv ("TD_LOCALEDIR");
  g_autofree char *old_locale = g_strdup (setlocale (LC_ALL, NULL));
  gboolean chinese;
  const struct { GQuark domain; int first, last; } domains[] = {
    { TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID, TD_MAIL_ERROR_FAILED },
    { TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_INVALID, TD_UPLOAD_ERROR_PROTOCOL },
  };

  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  for (guint language = 0; language < 2; language++)
    {
      chinese = language == 1 && setlocale (LC_ALL, "zh_CN.UTF-8") != NULL;
      if (language == 1 && !chinese)
        {
          g_test_message ("The zh_CN.UTF-8 locale is not installed: translations not checked");
          break;
        }
      for (guint d = 0; d < G_N_ELEMENTS (domains); d++)
        for (int code = domains[d].first; code <= domains[d].last; code++)
          {
            g_autoptr(GError) error = g_error_new_literal (domains[d].domain, code, "HTTP 401 / 535 5.7.8");
            const char *sending = td_sync_describe (error, TD_SYNC_DESCRIBE_SENDING);
            const char *testing = td_sync_describe (error, TD_SYNC_DESCRIBE_TESTING);

            g_assert_nonnull (sending);
            g_assert_nonnull (testing);
            g_assert_cmpstr (sending, ==, td_sync_describe_error (error));
            g_assert_null (strstr (sending, "401"));
            g_assert_null (strstr (testing, "535"));
            /* The mail's sentences differ by reader, code by code. */
            if (domains[d].domain == TD_MAIL_ERROR)
              g_assert_cmpstr (sending, !=, testing);
            /* Translated: no ASCII sentence left in Chinese. */
            if (chinese)
              {
                g_assert_false (g_str_is_ascii (sending));
                g_assert_false (g_str_is_ascii (testing));
              }
          }
    }
  setlocale (LC_ALL, old_locale);

  {
    g_autoptr(GError) auth = g_error_new_literal (TD_MAIL_ERROR, TD_MAIL_ERROR_AUTH, "535");
    g_autoptr(GError) token = g_error_new_literal (TD_UPLOAD_ERROR, TD_UPLOAD_ERROR_AUTH, "HTTP 401");
    g_autoptr(GError) keyring = g_error_new_literal (TD_CREDENTIALS_ERROR, 0, "no secret service");
    g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

    g_assert_cmpstr (td_sync_describe (auth, TD_SYNC_DESCRIBE_SENDING), ==,
                     "The mail server refused the account or the authorisation code. Enter them again in Preferences.");
    g_assert_nonnull (strstr (td_sync_describe (auth, TD_SYNC_DESCRIBE_TESTING), "163.com"));
    g_assert_nonnull (strstr (td_sync_describe (token, TD_SYNC_DESCRIBE_SENDING), "in Preferences"));
    g_assert_cmpstr (td_sync_describe (token, TD_SYNC_DESCRIBE_TESTING), ==,
                     "The upload endpoint refused the token: enter the token the province gave the school.");
    g_assert_nonnull (strstr (td_sync_describe (keyring, TD_SYNC_DESCRIBE_SENDING), "keyring"));
    g_assert_cmpstr (td_sync_describe (keyring, TD_SYNC_DESCRIBE_TESTING), ==, "The test failed: see the details.");
    g_assert_cmpstr (td_sync_describe (other, TD_SYNC_DESCRIBE_SENDING), ==,
                     "Sending failed. Training Desk will try again.");
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  tmp_dir = g_dir_make_tmp ("test-sync-XXXXXX", NULL);
  td_test_make_certificate (tmp_dir, &cert_file, &key_file);
  td_test_keyring_start (tmp_dir);

  g_test_add ("/sync/smtp/delivered-once", Fixture, NULL, fixture_set_up, test_smtp_delivered_once, fixture_tear_down);
  g_test_add ("/sync/smtp/wrong-password", Fixture, NULL, fixture_set_up, test_smtp_wrong_password, fixture_tear_down);
  g_test_add ("/sync/smtp/untrusted-certificate", Fixture, NULL, fixture_set_up, test_smtp_untrusted, fixture_tear_down);
  g_test_add ("/sync/smtp/retry-until-back", Fixture, NULL, fixture_set_up, test_smtp_retry, fixture_tear_down);
  g_test_add ("/sync/offline-then-online", Fixture, NULL, fixture_set_up, test_offline_then_online, fixture_tear_down);
  g_test_add ("/sync/cancel-and-send-now", Fixture, NULL, fixture_set_up, test_cancel_and_send_now, fixture_tear_down);
  g_test_add ("/sync/tampered-not-sent", Fixture, NULL, fixture_set_up, test_tampered_not_sent, fixture_tear_down);
  g_test_add ("/sync/https/delivered-once", Fixture, NULL, fixture_set_up, test_https_delivered_once, fixture_tear_down);
  g_test_add ("/sync/https/expect-continue", Fixture, NULL, fixture_set_up, test_https_expect_continue, fixture_tear_down);
  g_test_add ("/sync/https/dropped-mid-upload", Fixture, "--drop-after=2000", fixture_set_up, test_https_fault, fixture_tear_down);
  g_test_add ("/sync/https/500-then-success", Fixture, "--status-500", fixture_set_up, test_https_fault, fixture_tear_down);
  g_test_add ("/sync/https/slower-than-time-out", Fixture, "--delay=4", fixture_set_up, test_https_fault, fixture_tear_down);
  g_test_add ("/sync/https/one-connection", Fixture, NULL, fixture_set_up, test_https_one_connection, fixture_tear_down);
  g_test_add ("/sync/https/receiver-restarted", Fixture, NULL, fixture_set_up, test_https_receiver_restarted, fixture_tear_down);
  g_test_add ("/sync/https/untrusted-certificate", Fixture, NULL, fixture_set_up, test_https_untrusted, fixture_tear_down);
  g_test_add ("/sync/https/wrong-token", Fixture, NULL, fixture_set_up, test_https_wrong_token, fixture_tear_down);
  g_test_add ("/sync/https/altered-pdf", Fixture, NULL, fixture_set_up, test_https_altered_pdf, fixture_tear_down);
  g_test_add ("/sync/https/killed-while-sending", Fixture, "https", fixture_set_up, test_killed_while_sending, fixture_tear_down);
  g_test_add ("/sync/smtp/killed-while-sending", Fixture, "smtp", fixture_set_up, test_killed_while_sending, fixture_tear_down);
  g_test_add ("/sync/https/closed-while-waiting", Fixture, NULL, fixture_set_up, test_https_closed_while_waiting, fixture_tear_down);
  g_test_add ("/sync/https/stalled-handshake", Fixture, NULL, fixture_set_up, test_https_stalled_handshake, fixture_tear_down);
  g_test_add ("/sync/https/endless-answer", Fixture, NULL, fixture_set_up, test_https_endless_answer, fixture_tear_down);
  g_test_add ("/sync/https/blank-answer", Fixture, NULL, fixture_set_up, test_https_blank_answer, fixture_tear_down);
  g_test_add ("/sync/https/dripping-answer", Fixture, NULL, fixture_set_up, test_https_dripping_answer, fixture_tear_down);
  g_test_add ("/sync/https/plain-http-refused", Fixture, NULL, fixture_set_up, test_https_plain_http_refused, fixture_tear_down);
  g_test_add ("/sync/crash-loop-parked", Fixture, NULL, fixture_set_up, test_crash_loop, fixture_tear_down);
  g_test_add ("/sync/smtp/stalled-server", Fixture, "smtp-stall", fixture_set_up, test_smtp_stalled, fixture_tear_down);
  g_test_add ("/sync/smtp/dripping-server", Fixture, "smtp-drip", fixture_set_up, test_smtp_stalled, fixture_tear_down);
  g_test_add ("/sync/smtp/retry-same-bytes", Fixture, NULL, fixture_set_up, test_smtp_retry_same_bytes, fixture_tear_down);
  g_test_add ("/sync/new-destination", Fixture, NULL, fixture_set_up, test_new_destination, fixture_tear_down);
  g_test_add_func ("/sync/describe-error", test_describe_error);
  g_test_add_func ("/sync/describe-contexts", test_describe_contexts);
  g_test_add ("/sync/smtp/slow-replies", Fixture, NULL, fixture_set_up, test_smtp_slow_replies, fixture_tear_down);

  status = g_test_run ();

  td_test_keyring_stop ();
  td_test_remove_tree (tmp_dir);
  return status;
}
