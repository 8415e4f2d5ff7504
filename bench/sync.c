/* sync.c: the outbox's sender against the main loop (issue 6)
 *
 *   bench-sync [--rounds N] [--back-rounds N] [--size MIB] [--keep]
 *
 * Goals: "While a 20 MB upload runs, the main loop never stalls over
 * 16 ms; time from 'network back' to 'delivered' for a queued form on
 * loopback."
 *
 * Everything is real but the network monitor: a store with a signing key
 * (TD_KDF_MINIMUM), a form signed off with td_signoff_sign() (so its PDF is
 * the one Training Desk draws), Training Desk's own receiver on loopback
 * (its own database, a token made with --add-school), and the token in a
 * gnome-keyring-daemon of the benchmark's own on a private D-Bus
 * (td_test_keyring_start() of tests/td-test-servers.c). Each upload is a new
 * revision — a new UUID, signed with the school's key — so the receiver
 * stores every one (201); the receipts are checked to be all different and
 * the receiver's --list to hold them all.
 *
 * 1. Main loop during a large upload. The large revision's form.pdf is the
 *    drawn PDF followed by --size MiB of padding in PDF comment lines, then
 *    again "startxref N %%EOF" with the first cross-reference's offset, so it
 *    is still a PDF a reader opens (checked with pdfinfo when there is one);
 *    its SHA-256s and Ed25519 signature are computed as td-signoff does and
 *    td_revision_verify() passes on it. A probe, a 1 ms GLib timeout on the
 *    main loop, notes every gap between two of its runs. Each round, the
 *    order alternating:
 *      sync    the item queued (td_outbox_queue, HTTPS) and sent by TdSync
 *              with td_sync_run_due_async(), as the app does: from the call
 *              to its callback;
 *      main    the same kind of revision sent with td_upload_send() called
 *              from a main-loop callback, what the app would do without a
 *              worker thread: from the call to its return.
 *    The gaps counted are those overlapping that span. A gap is also placed
 *    against TdSync's steps: the one holding the item's first
 *    "item-changed" (written "sending": the revision loaded and verified
 *    on the main loop before that) is "prepare", the one holding
 *    "item-finished" (the outcome written) is "record".
 *
 * 2. "Network back" → "delivered". A fake GNetworkMonitor (TdTestMonitor
 *    of tests/td-test-monitor.c, as the sync tests use) says offline; a
 *    normal-size revision is queued and TdSync started; after 150 ms (it
 *    looked, found no network, wrote nothing), the monitor says the network
 *    is back, and the time is taken until TdSync emits "item-finished" with
 *    the item delivered. Baseline:
 *    td_upload_send() of the same kind of revision (what the network and the
 *    receiver cost alone), the order alternating.
 *
 * 3. TdSync's steps timed alone, to say where the gaps come from: on the
 *    main loop, before a transfer, td_revision_load() and
 *    td_revision_verify() (its prepare_job()); after it,
 *    td_outbox_record_delivered() (its record_outcome()), each with a new
 *    revision of each size; in the worker, the keyring look-up.
 *
 * One uncounted warm-up of each first. Figures in milliseconds
 * (CLOCK_MONOTONIC), medians over the rounds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-sync"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <glib-unix.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "bench-util.h"
#include "td-credentials.h"
#include "td-outbox.h"
#include "td-signoff.h"
#include "td-store-private.h"
#include "td-sync.h"
#include "td-test-monitor.h"
#include "td-test-servers.h"
#include "td-upload.h"
#include "td-test-fixtures.h"

/* The goal: a frame at 60 Hz. */
#define GOAL_GAP_MS 16.0
#define PROBE_INTERVAL_MS 1

#define PASSPHRASE "校长的口令 2026"
#define SCHOOL "济南第一职业中等专业学校"

static int rounds = 7;
static int back_rounds = 15;
static double size_mib = 20.0;
static gboolean keep;
static gboolean vs_curl_mode;
/* The receiver over HTTPS, as a school sends (http:// is for loopback
 * tries only): a certificate of the run's own, trusted by the school's CA
 * setting (beside the system's authorities) and by curl's --cacert (a file
 * of the system's authorities and it). */
static gboolean tls;
/* Debian's bundle of the system's authorities (ca-certificates), which
 * GnuTLS reads as the system trust and curl as its default. */
#define BENCH_SYSTEM_CAS "/etc/ssl/certs/ca-certificates.crt"
static gboolean hold;

extern char **environ;

/* Makes the outbox item due again, as if just queued (--vs-curl). */
#define VS_RESET_SQL \
  "DELETE FROM outbox_attempt; UPDATE outbox SET state = 'queued', next_attempt_at = NULL, attempts = 0, interrupted = 0, " \
  "last_error = NULL, receipt = NULL"

/* The probe: a 1 ms timeout on the main loop, noting each gap between two
 * of its runs — and when the gap began, to place it. */

typedef struct
{
  guint   id;
  gint64  last;
  GArray *gaps;     /* double, ms */
  GArray *starts;   /* gint64, µs: when each gap began */
} Probe;

static gboolean
probe_tick_cb (gpointer user_data)
{
  Probe *probe = user_data;
  gint64 now = g_get_monotonic_time ();

  bench_samples_add (probe->gaps, (now - probe->last) / 1000.0);
  g_array_append_val (probe->starts, probe->last);
  probe->last = now;
  return G_SOURCE_CONTINUE;
}

static void
probe_start (Probe *probe)
{
  probe->gaps = bench_samples_new ();
  probe->starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  probe->last = g_get_monotonic_time ();
  probe->id = g_timeout_add (PROBE_INTERVAL_MS, probe_tick_cb, probe);
}

static void
probe_stop (Probe *probe)
{
  g_clear_handle_id (&probe->id, g_source_remove);
}

static void
probe_clear (Probe *probe)
{
  probe_stop (probe);
  g_clear_pointer (&probe->gaps, g_array_unref);
  g_clear_pointer (&probe->starts, g_array_unref);
}

/* What one timed operation gave. */
typedef struct
{
  double      wall_ms;
  double      max_gap;
  double      p99_gap;
  guint       over;       /* gaps > GOAL_GAP_MS */
  guint       ticks;      /* gaps counted */
  const char *where;      /* which step the longest gap held */
  double      prepare_gap;  /* the gap holding TdSync's "sending" */
  double      record_gap;   /* the gap holding its "item-finished" */
} Figures;

/* Events of TdSync's round, for placing the longest gap. */
typedef struct
{
  gint64 sending;     /* first "item-changed": written "sending" */
  gint64 finished;    /* "item-finished": the outcome written */
} Steps;

/* The gaps overlapping [@from, @to]. */
static void
probe_figures (Probe       *probe,
               gint64       from,
               gint64       to,
               const Steps *steps,
               Figures     *figures)
{
  g_autoptr(GArray) gaps = bench_samples_new ();
  gint64 max_start = 0;
  double max_gap = -1;

  for (guint i = 0; i < probe->gaps->len; i++)
    {
      double gap = g_array_index (probe->gaps, double, i);
      gint64 start = g_array_index (probe->starts, gint64, i);
      gint64 end = start + (gint64)(gap * 1000);

      if (end < from || start > to)
        continue;
      bench_samples_add (gaps, gap);
      if (gap > max_gap)
        {
          max_gap = gap;
          max_start = start;
        }
    }
  figures->wall_ms = (to - from) / 1000.0;
  figures->max_gap = bench_max (gaps);
  figures->p99_gap = bench_percentile (gaps, 99);
  figures->over = bench_count_over (gaps, GOAL_GAP_MS);
  figures->ticks = gaps->len;
  figures->where = "";
  figures->prepare_gap = figures->record_gap = NAN;
  for (guint i = 0; steps && i < probe->gaps->len; i++)
    {
      double gap = g_array_index (probe->gaps, double, i);
      gint64 start = g_array_index (probe->starts, gint64, i);
      gint64 end = start + (gint64)(gap * 1000);

      if (steps->sending >= start && steps->sending <= end)
        figures->prepare_gap = gap;
      if (steps->finished >= start && steps->finished <= end)
        figures->record_gap = gap;
    }
  if (steps)
    {
      gint64 max_end = max_start + (gint64)(max_gap * 1000);

      if (steps->sending >= max_start && steps->sending <= max_end)
        figures->where = "prepare";
      else if (steps->finished >= max_start && steps->finished <= max_end)
        figures->where = "record";
      else
        figures->where = "transfer";
    }
}

/* The fixture. */

typedef struct
{
  char           *dir;
  TdStore        *store;
  TdCampaign     *campaign;
  TdTestMonitor  *monitor;

  GSubprocess    *receiver;
  char           *receiver_db;
  char           *token;
  char           *endpoint;
  char           *ca_file;      /* --tls: the receiver's certificate */
  char           *curl_cas;     /* --tls: the system's authorities and it, for curl */

  unsigned char   secret_key[crypto_sign_SECRETKEYBYTES];
  GBytes         *public_key;
  TdRevision     *base;         /* signed with td_signoff_sign() */
  GBytes         *large_pdf;

  GHashTable     *receipts;
  guint           uploads;
} Bench;

static void receiver_stop (Bench *b);

/* The run under way: any exit before its end (a failure) stops its
 * receiver and keyring and removes its temporary folder (unless --keep),
 * as the end of a run does. */
static Bench *running;

static void
cleanup_at_exit (void)
{
  if (running == NULL)
    return;
  receiver_stop (running);
  /* The bus's own watcher stops it when this process ends. */
  td_test_keyring_stop_daemon ();
  if (keep)
    g_printerr ("Kept %s\n", running->dir);
  else
    td_test_remove_tree (running->dir);
}

static gboolean
hold_end_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static void
fail (const char *what,
      GError     *error)
{
  g_printerr ("bench-sync: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

static TdForm *
valid_form (void)
{
  TdForm *form = td_test_valid_form ();

  td_form_set (form, TD_FORM_NAME, SCHOOL);
  td_form_set (form, TD_FORM_EMAIL, "office@jndyzz.edu.cn");
  return form;
}

/* The drawn PDF, then @target bytes in all: comment lines of padding, and
 * the first cross-reference's offset again, so that a reader looking for
 * the last %%EOF still finds the document. */
static GBytes *
pad_pdf (GBytes *pdf,
         gsize   target)
{
  gsize length;
  const char *data = g_bytes_get_data (pdf, &length);
  g_autoptr(GByteArray) out = g_byte_array_sized_new ((guint)target);
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  g_autofree char *tail = NULL;
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const char *startxref = NULL;
  char line[80];

  /* The last one, near the end; the streams before it hold NUL bytes. */
  for (gsize i = length >= 9 ? length - 9 + 1 : 0; i-- > 0;)
    if (memcmp (data + i, "startxref", 9) == 0)
      {
        startxref = data + i;
        break;
      }
  if (startxref == NULL)
    fail ("the drawn PDF has no startxref", NULL);
  tail = g_strdup_printf ("startxref\n%" G_GUINT64_FORMAT "\n%%%%EOF\n",
                          g_ascii_strtoull (startxref + strlen ("startxref"), NULL, 10));
  if (target < length + strlen (tail) + 2)
    target = length + strlen (tail) + 2;

  g_byte_array_append (out, (const guint8 *)data, (guint)length);
  if (length > 0 && data[length - 1] != '\n')
    g_byte_array_append (out, (const guint8 *)"\n", 1);
  while (out->len + strlen (tail) < target)
    {
      gsize room = target - strlen (tail) - out->len;
      gsize n = MIN (sizeof line, room);

      /* "%" + text + "\n"; a short last line is at least "%\n". */
      if (n < 2)
        {
          g_byte_array_append (out, (const guint8 *)"\n", 1);
          continue;
        }
      line[0] = '%';
      for (gsize i = 1; i < n - 1; i++)
        line[i] = alphabet[g_rand_int_range (rand, 0, 64)];
      line[n - 1] = '\n';
      g_byte_array_append (out, (const guint8 *)line, (guint)n);
    }
  g_byte_array_append (out, (const guint8 *)tail, (guint)strlen (tail));
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

typedef struct
{
  const char *uuid;
  gint64      number;
  const char *campaign;
  const char *form_json;
  gsize       form_json_length;
  GBytes     *pdf;
  const char *form_sha256;
  const char *pdf_sha256;
  const char *signer;
  const char *signed_at;
  const unsigned char *signature;
  GBytes     *public_key;
} Row;

static gboolean
insert_cb (TdStore  *store,
           gpointer  user_data,
           GError  **error)
{
  Row *row = user_data;
  sqlite3_stmt *stmt;

  /* The statements of td-signoff.c's insert_cb. */
  stmt = td_store_prepare (store,
                           "INSERT INTO form_revision (uuid, campaign, number, state, form_json, "
                           "  json_sha256, pdf_sha256, signer, signed_at, signature, public_key) "
                           "VALUES (?1, ?2, ?3, 'signed', ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row->campaign, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, row->number);
  sqlite3_bind_text (stmt, 4, row->form_json, (int)row->form_json_length, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, row->form_sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, row->pdf_sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, row->signer, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, row->signed_at, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 9, row->signature, crypto_sign_BYTES, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 10, g_bytes_get_data (row->public_key, NULL), (int)g_bytes_get_size (row->public_key),
                     SQLITE_STATIC);
  if (!td_store_step_done (store, stmt, error))
    return FALSE;

  stmt = td_store_prepare (store,
                           "INSERT INTO revision_pdf (revision_id, pdf) "
                           "VALUES ((SELECT id FROM form_revision WHERE uuid = ?2), ?1)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob64 (stmt, 1, g_bytes_get_data (row->pdf, NULL), g_bytes_get_size (row->pdf), SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row->uuid, -1, SQLITE_STATIC);
  return td_store_step_done (store, stmt, error);
}

/* A new signed revision of the base form, with @pdf as its form.pdf:
 * hashed, stated and signed as td-signoff.c does, and checked with
 * td_revision_verify() against the school's key. */
static TdRevision *
new_revision (Bench  *b,
              GBytes *pdf)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *pdf_sha256 = NULL, *statement = NULL, *signed_at = NULL;
  unsigned char signature[crypto_sign_BYTES];
  GBytes *form_json = td_revision_get_form_json (b->base);
  GDateTime *time = td_revision_get_signed_at (b->base);
  const char *campaign = td_revision_get_campaign (b->base);
  gint64 number = td_revision_next_number (b->store, campaign);
  gsize statement_length, form_json_length;
  const char *form_json_data = g_bytes_get_data (form_json, &form_json_length);
  TdRevision *revision;
  Row row;

  pdf_sha256 = td_sha256_hex (g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
  /* Signed at the time the drawn PDF shows. */
  statement = td_signoff_statement (uuid, number, campaign, td_revision_get_signer (b->base), time,
                                    td_revision_get_form_sha256 (b->base), pdf_sha256, &statement_length);
  crypto_sign_detached (signature, NULL, (const unsigned char *)statement, statement_length, b->secret_key);
  signed_at = td_signoff_format_time (time);

  row = (Row) {
    .uuid = uuid,
    .number = number,
    .campaign = campaign,
    .form_json = form_json_data,
    .form_json_length = form_json_length,
    .pdf = pdf,
    .form_sha256 = td_revision_get_form_sha256 (b->base),
    .pdf_sha256 = pdf_sha256,
    .signer = td_revision_get_signer (b->base),
    .signed_at = signed_at,
    .signature = signature,
    .public_key = b->public_key,
  };
  if (!td_store_transaction (b->store, insert_cb, &row, &error))
    fail ("storing a signed revision", error);
  revision = td_revision_load_by_uuid (b->store, uuid, &error);
  if (revision == NULL)
    fail ("loading the new revision", error);
  if (!td_revision_verify (revision, b->public_key, &error))
    fail ("the new revision does not verify", error);
  return revision;
}

static void
note_receipt (Bench      *b,
              const char *receipt)
{
  b->uploads++;
  if (receipt == NULL || !g_hash_table_add (b->receipts, g_strdup (receipt)))
    {
      g_printerr ("bench-sync: the receiver gave receipt %s twice: an upload was not stored anew\n",
                  receipt ? receipt : "(none)");
      exit (1);
    }
}

/* The receiver: its first line says where it listens. */

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static char *
receiver_run (const char *binary,
              const char *database,
              const char *option)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_strdup_printf ("--database=%s", database);
  const char *argv[] = { binary, db, option, NULL };
  char *out = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status,
                     &error) ||
      !g_spawn_check_wait_status (status, &error))
    fail (option, error);
  return out;
}

static void
receiver_start (Bench      *b,
                const char *binary)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_strdup_printf ("--database=%s", b->receiver_db);
  g_autofree char *log = g_build_filename (b->dir, "receiver.log", NULL);
  g_autofree char *line = NULL;
  g_autofree char *school = g_strdup_printf ("--add-school=%s", SCHOOL);
  g_autofree char *token = receiver_run (binary, b->receiver_db, school);
  g_autofree char *cert_option = NULL, *key_option = NULL;
  const char *url;

  b->token = g_strdup (g_strstrip (token));

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* It logs each request: to a file, not among the figures. */
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  if (tls)
    {
      g_autofree char *key_file = NULL, *system_cas = NULL, *cert = NULL, *both = NULL;

      td_test_make_certificate (b->dir, &b->ca_file, &key_file);
      cert_option = g_strdup_printf ("--tls-certificate=%s", b->ca_file);
      key_option = g_strdup_printf ("--tls-key=%s", key_file);
      /* curl trusts what the app does: the system's authorities (read
       * whole, as GnuTLS reads them for the app) and the extra CA; its
       * --cacert replaces its bundle, so it gets one file of both. */
      if (!g_file_get_contents (BENCH_SYSTEM_CAS, &system_cas, NULL, &error) ||
          !g_file_get_contents (b->ca_file, &cert, NULL, &error))
        fail ("reading the certificates", error);
      both = g_strconcat (system_cas, cert, NULL);
      b->curl_cas = g_build_filename (b->dir, "system-and-receiver.pem", NULL);
      if (!g_file_set_contents (b->curl_cas, both, -1, &error))
        fail ("writing curl's authorities", error);
    }
  b->receiver = g_subprocess_launcher_spawn (launcher, &error, binary, db, "--port=0", cert_option, key_option, NULL);
  if (b->receiver == NULL)
    fail ("starting the receiver", error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (b->receiver));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (out), FALSE);
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  /* "listening on http://127.0.0.1:PORT/" (https:// with --tls) */
  if (line == NULL || (url = strstr (line, tls ? "https://" : "http://")) == NULL)
    {
      g_printerr ("bench-sync: the receiver did not start (see %s)\n", log);
      exit (1);
    }
  b->endpoint = g_strdup (url);
}

static guint
receiver_count (Bench      *b,
                const char *binary)
{
  g_autofree char *out = receiver_run (binary, b->receiver_db, "--list");
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  guint n = 0;

  /* After the header, one line a submission: its receipt first. */
  for (guint i = 1; lines[i]; i++)
    {
      g_autofree char *receipt = g_strndup (lines[i], strcspn (lines[i], "\t"));

      if (lines[i][0] == '\0')
        continue;
      if (!g_hash_table_contains (b->receipts, receipt))
        {
          g_printerr ("bench-sync: the receiver holds %s, a receipt the benchmark never got\n", receipt);
          exit (1);
        }
      n++;
    }
  return n;
}

static void
receiver_stop (Bench *b)
{
  if (b->receiver == NULL)
    return;
  g_subprocess_send_signal (b->receiver, SIGTERM);
  g_subprocess_wait (b->receiver, NULL, NULL);
  g_clear_object (&b->receiver);
}

/* 1. The main loop during a large upload. */

typedef struct
{
  Bench          *b;
  TdRevision     *revision;
  TdOutboxItem   *finished_item;
  Steps           steps;
  gint64          done_at;
  gboolean        done;
  TdSyncSummary   summary;
  GError         *error;
} SyncRun;

static void
item_changed_cb (TdSync   *sync,
                 gint64    id,
                 SyncRun  *run)
{
  if (run->steps.sending == 0)
    run->steps.sending = g_get_monotonic_time ();
}

static void
item_finished_cb (TdSync       *sync,
                  TdOutboxItem *item,
                  SyncRun      *run)
{
  run->steps.finished = g_get_monotonic_time ();
  g_set_object (&run->finished_item, item);
}

static void
run_due_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SyncRun *run = user_data;

  run->done_at = g_get_monotonic_time ();
  td_sync_run_due_finish (TD_SYNC (source), result, &run->summary, &run->error);
  run->done = TRUE;
}

static void
check_delivered (SyncRun *run)
{
  if (run->error)
    fail ("TdSync", run->error);
  if (run->finished_item == NULL || td_outbox_item_get_state (run->finished_item) != TD_OUTBOX_DELIVERED)
    {
      g_printerr ("bench-sync: TdSync did not deliver the item: %s\n",
                  run->finished_item ? td_outbox_item_get_last_error (run->finished_item) : "no outcome");
      exit (1);
    }
  note_receipt (run->b, td_outbox_item_get_receipt (run->finished_item));
}

static void
queue (Bench      *b,
       TdRevision *revision)
{
  g_autoptr(GError) error = NULL;

  if (!td_outbox_queue (b->store, revision, TD_DESTINATION_HTTPS, b->endpoint, &error))
    fail ("queueing", error);
}

static void
sync_large (Bench   *b,
            Figures *figures)
{
  g_autoptr(TdRevision) revision = new_revision (b, b->large_pdf);
  g_autoptr(TdSync) sync = NULL;
  SyncRun run = { b, revision };
  Probe probe = { 0 };
  gint64 start;

  td_test_monitor_set_available (b->monitor, TRUE);
  sync = td_sync_new (b->store, G_NETWORK_MONITOR (b->monitor));
  g_signal_connect (sync, "item-changed", G_CALLBACK (item_changed_cb), &run);
  g_signal_connect (sync, "item-finished", G_CALLBACK (item_finished_cb), &run);
  queue (b, revision);

  probe_start (&probe);
  bench_wait_ms (20);
  start = g_get_monotonic_time ();
  td_sync_run_due_async (sync, NULL, run_due_cb, &run);
  if (!bench_wait_for (&run.done, 120 * 1000))
    fail ("TdSync took over 2 minutes", NULL);
  bench_wait_ms (5);
  probe_stop (&probe);

  check_delivered (&run);
  if (run.summary.delivered != 1)
    fail ("TdSync's run did not deliver exactly one item", NULL);
  probe_figures (&probe, start, run.done_at, &run.steps, figures);
  probe_clear (&probe);
  g_clear_object (&run.finished_item);
  td_sync_stop (sync);
  g_signal_handlers_disconnect_by_data (sync, &run);
}

typedef struct
{
  Bench          *b;
  TdRevision     *revision;
  gint64          start;
  gint64          done_at;
  gboolean        done;
} MainRun;

static char *
upload (Bench       *b,
        TdRevision  *revision,
        GError     **error)
{
  TdUploadSettings settings = { b->endpoint, b->ca_file, 0 };
  g_autofree char *signature = NULL;
  g_autoptr(GBytes) signature_json = NULL;
  TdUploadSubmission submission;
  gsize length;

  signature = td_revision_dup_signature_json (revision, &length);
  signature_json = g_bytes_new_take (g_steal_pointer (&signature), length);
  submission = (TdUploadSubmission) {
    .revision_uuid = td_revision_get_uuid (revision),
    .form_json = td_revision_get_form_json (revision),
    .pdf = td_revision_get_pdf (revision),
    .signature_json = signature_json,
  };
  return td_upload_send (&settings, b->token, &submission, NULL, error);
}

/* The upload done on the main loop, as from a button's handler. */
static gboolean
main_upload_cb (gpointer user_data)
{
  MainRun *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *receipt = NULL;

  run->start = g_get_monotonic_time ();
  receipt = upload (run->b, run->revision, &error);
  run->done_at = g_get_monotonic_time ();
  if (receipt == NULL)
    fail ("td_upload_send", error);
  note_receipt (run->b, receipt);
  run->done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
main_large (Bench   *b,
            Figures *figures)
{
  g_autoptr(TdRevision) revision = new_revision (b, b->large_pdf);
  MainRun run = { b, revision };
  Probe probe = { 0 };

  probe_start (&probe);
  bench_wait_ms (20);
  g_idle_add_full (G_PRIORITY_DEFAULT, main_upload_cb, &run, NULL);
  if (!bench_wait_for (&run.done, 120 * 1000))
    fail ("td_upload_send took over 2 minutes", NULL);
  bench_wait_ms (5);
  probe_stop (&probe);
  probe_figures (&probe, run.start, run.done_at, NULL, figures);
  probe_clear (&probe);
}

/* 2. "Network back" → "delivered". */

static double
network_back (Bench   *b,
              double  *max_gap)
{
  g_autoptr(TdRevision) revision = new_revision (b, td_revision_get_pdf (b->base));
  g_autoptr(TdSync) sync = NULL;
  g_autoptr(TdOutboxItem) item = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  SyncRun run = { b, revision };
  Probe probe = { 0 };
  Figures figures;
  gint64 back;

  td_test_monitor_set_available (b->monitor, FALSE);
  sync = td_sync_new (b->store, G_NETWORK_MONITOR (b->monitor));
  g_signal_connect (sync, "item-finished", G_CALLBACK (item_finished_cb), &run);
  queue (b, revision);
  td_sync_start (sync);
  td_sync_kick (sync);
  bench_wait_ms (150);

  /* Offline: looked at, not tried. */
  now = g_date_time_new_now_utc ();
  items = td_outbox_list_due (b->store, now, &error);
  if (items == NULL)
    fail ("listing the outbox", error);
  for (guint i = 0; i < items->len; i++)
    if (td_outbox_item_get_revision_id (g_ptr_array_index (items, i)) == td_revision_get_id (revision))
      item = g_object_ref (g_ptr_array_index (items, i));
  if (item == NULL || td_outbox_item_get_attempts (item) != 0 || td_sync_get_online (sync) ||
      run.finished_item != NULL)
    fail ("offline, TdSync tried to send", NULL);

  probe_start (&probe);
  bench_wait_ms (20);
  back = g_get_monotonic_time ();
  td_test_monitor_set_available (b->monitor, TRUE);
  while (run.finished_item == NULL && g_get_monotonic_time () - back < 60 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  bench_wait_ms (5);
  probe_stop (&probe);

  check_delivered (&run);
  probe_figures (&probe, back, run.steps.finished, NULL, &figures);
  *max_gap = figures.max_gap;
  probe_clear (&probe);
  g_clear_object (&run.finished_item);
  td_sync_stop (sync);
  g_signal_handlers_disconnect_by_data (sync, &run);
  return (run.steps.finished - back) / 1000.0;
}

static double
direct (Bench *b)
{
  g_autoptr(TdRevision) revision = new_revision (b, td_revision_get_pdf (b->base));
  g_autoptr(GError) error = NULL;
  g_autofree char *receipt = NULL;
  gint64 start = g_get_monotonic_time ();
  double ms;

  receipt = upload (b, revision, &error);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  if (receipt == NULL)
    fail ("td_upload_send", error);
  note_receipt (b, receipt);
  return ms;
}

/* Output. */

static void
print_load (const char *when)
{
  g_autofree char *loadavg = NULL;

  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    g_print ("Load average %s: %s", when, loadavg);
}

static void
print_figures (const char    *label,
               const Figures *f)
{
  g_print ("  %-8s %9.1f ms %9.1f ms %8.1f ms %5u %6u   %-9s",
           label, f->wall_ms, f->max_gap, f->p99_gap, f->over, f->ticks, f->where);
  if (isnan (f->prepare_gap))
    g_print ("\n");
  else
    g_print (" %8.1f ms %8.1f ms\n", f->prepare_gap, f->record_gap);
}

static double
median_of (GArray  *figures,
           gsize    offset)
{
  g_autoptr(GArray) samples = bench_samples_new ();

  for (guint i = 0; i < figures->len; i++)
    {
      const Figures *f = &g_array_index (figures, Figures, i);

      bench_samples_add (samples, *(const double *)((const char *)f + offset));
    }
  return bench_median (samples);
}

static double
median_over (GArray *figures)
{
  g_autoptr(GArray) samples = bench_samples_new ();

  for (guint i = 0; i < figures->len; i++)
    bench_samples_add (samples, g_array_index (figures, Figures, i).over);
  return bench_median (samples);
}

static double
median_of_ticks (GArray *figures)
{
  g_autoptr(GArray) samples = bench_samples_new ();

  for (guint i = 0; i < figures->len; i++)
    bench_samples_add (samples, g_array_index (figures, Figures, i).ticks);
  return bench_median (samples);
}

static double
max_of_max (GArray *figures)
{
  double m = 0;

  for (guint i = 0; i < figures->len; i++)
    m = MAX (m, g_array_index (figures, Figures, i).max_gap);
  return m;
}

static void
print_medians (const char *label,
               GArray     *figures)
{
  double prepare = median_of (figures, G_STRUCT_OFFSET (Figures, prepare_gap));

  g_print ("  %-8s %9.1f ms %9.1f ms %8.1f ms %5.1f %6.0f   %-9s",
           label, median_of (figures, G_STRUCT_OFFSET (Figures, wall_ms)),
           median_of (figures, G_STRUCT_OFFSET (Figures, max_gap)),
           median_of (figures, G_STRUCT_OFFSET (Figures, p99_gap)),
           median_over (figures), median_of_ticks (figures), "");
  if (isnan (prepare))
    g_print ("\n");
  else
    g_print (" %8.1f ms %8.1f ms\n", prepare, median_of (figures, G_STRUCT_OFFSET (Figures, record_gap)));
}

/* TdSync's record step alone: td_outbox_record_delivered() of a new
 * revision's item, its attempt begun. */
static double
time_record_delivered (Bench  *b,
                       GBytes *pdf)
{
  g_autoptr(TdRevision) revision = new_revision (b, pdf);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  TdOutboxItem *item = NULL;
  gint64 attempt = 0, t0;

  queue (b, revision);
  now = g_date_time_new_now_utc ();
  items = td_outbox_list_due (b->store, now, &error);
  for (guint i = 0; items && i < items->len; i++)
    if (td_outbox_item_get_revision_id (g_ptr_array_index (items, i)) == td_revision_get_id (revision))
      item = g_ptr_array_index (items, i);
  if (item == NULL || !(attempt = td_outbox_begin_attempt (b->store, item, now, &error)))
    fail ("beginning an attempt", error);
  t0 = g_get_monotonic_time ();
  if (!td_outbox_record_delivered (b->store, item, attempt, "TDR-BENCH", NULL, now, &error))
    fail ("recording a delivery", error);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

/* What TdSync does on the main loop around a transfer, timed alone. */
static void
time_main_loop_steps (Bench      *b,
                      TdRevision *large,
                      TdRevision *normal)
{
  g_autoptr(GArray) load_large = bench_samples_new (), verify_large = bench_samples_new ();
  g_autoptr(GArray) load_normal = bench_samples_new (), verify_normal = bench_samples_new ();
  g_autoptr(GArray) keyring = bench_samples_new ();
  g_autoptr(GArray) record_large = bench_samples_new (), record_normal = bench_samples_new ();
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 1 + rounds; i++)
    {
      struct { TdRevision *revision; GArray *load, *verify; } sizes[] = {
        { large, load_large, verify_large },
        { normal, load_normal, verify_normal },
      };

      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          g_autoptr(TdRevision) loaded = NULL;
          gint64 t0, t1, t2;

          t0 = g_get_monotonic_time ();
          loaded = td_revision_load (b->store, td_revision_get_id (sizes[s].revision), &error);
          t1 = g_get_monotonic_time ();
          if (loaded == NULL || !td_revision_verify (loaded, b->public_key, &error))
            fail ("loading and verifying", error);
          t2 = g_get_monotonic_time ();
          if (i > 0)
            {
              bench_samples_add (sizes[s].load, (t1 - t0) / 1000.0);
              bench_samples_add (sizes[s].verify, (t2 - t1) / 1000.0);
            }
        }
      {
        char *token;
        gint64 t0 = g_get_monotonic_time ();

        token = td_credentials_lookup (TD_CREDENTIAL_HTTPS, b->endpoint, "", NULL, &error);
        if (token == NULL)
          fail ("the keyring look-up", error);
        if (i > 0)
          bench_samples_add (keyring, (g_get_monotonic_time () - t0) / 1000.0);
        td_credentials_secret_free (token);
      }
      {
        double large_ms = time_record_delivered (b, td_revision_get_pdf (large));
        double normal_ms = time_record_delivered (b, td_revision_get_pdf (normal));

        if (i > 0)
          {
            bench_samples_add (record_large, large_ms);
            bench_samples_add (record_normal, normal_ms);
          }
      }
    }

  g_print ("\n3. TdSync's steps timed alone (medians of %d)\n", rounds);
  g_print ("  on the main loop, before the transfer (launch → prepare_job):\n");
  g_print ("    td_revision_load, %.1f MiB revision:   %7.1f ms\n",
           g_bytes_get_size (td_revision_get_pdf (large)) / 1048576.0, bench_median (load_large));
  g_print ("    td_revision_verify, %.1f MiB revision: %7.1f ms\n",
           g_bytes_get_size (td_revision_get_pdf (large)) / 1048576.0, bench_median (verify_large));
  g_print ("    td_revision_load, %.0f KiB revision:    %7.2f ms\n",
           g_bytes_get_size (td_revision_get_pdf (normal)) / 1024.0, bench_median (load_normal));
  g_print ("    td_revision_verify, %.0f KiB revision:  %7.2f ms\n",
           g_bytes_get_size (td_revision_get_pdf (normal)) / 1024.0, bench_median (verify_normal));
  g_print ("  on the main loop, after the transfer (send_cb → record_outcome):\n");
  g_print ("    td_outbox_record_delivered, %.1f MiB revision: %7.1f ms (min %.1f, max %.1f)\n",
           g_bytes_get_size (td_revision_get_pdf (large)) / 1048576.0, bench_median (record_large),
           bench_min (record_large), bench_max (record_large));
  g_print ("    td_outbox_record_delivered, %.0f KiB revision:  %7.2f ms\n",
           g_bytes_get_size (td_revision_get_pdf (normal)) / 1024.0, bench_median (record_normal));
  g_print ("  in the worker: td_credentials_lookup (keyring over D-Bus): %.2f ms\n", bench_median (keyring));
}

/* 4. --vs-curl: `training-desk --sync` against curl (issue 17).
 *
 * The large revision is queued (HTTPS) and the store closed; its three
 * parts are written to files. Then, in turn, each a whole process timed
 * from posix_spawn() to wait4() (wall) with its rusage (CPU):
 *   app   training-desk --database DB --sync
 *   curl  curl -F form=@form.json -F pdf=@form.pdf -F signature=@signature.json
 *         with the same headers, to the same receiver
 * Before each app run (untimed) the item is made due again in the file.
 * The first upload stores the revision (201); every counted one of either
 * is answered 200 already-stored, the receiver reading and comparing the
 * whole body both times. With --hold it then prints two commands that a
 * process timer can run over and over (each resets the item first, the
 * same statement on both sides) and waits for Ctrl+C. */

static char *vs_app_path;
/* --baseline: a second training-desk (main's, say) run in the same rounds,
 * the item made due again before it too. */
static char *vs_baseline_path;
static char *vs_reset_path;
static const char *self_path;

static void
vs_reset_item (const char *store_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = td_store_open (store_path, &error);
  char *message = NULL;

  /* Through a TdStore, which notes the clean close as the app does: the
   * app's next open skips the full check, as after its own close. */
  if (store == NULL ||
      sqlite3_exec (td_store_get_db (store), VS_RESET_SQL, NULL, NULL, &message) != SQLITE_OK)
    {
      g_printerr ("bench-sync: making the item due again: %s\n", message ? message : error ? error->message : "?");
      exit (1);
    }
}

typedef struct
{
  double wall_ms;
  double cpu_ms;
} VsRun;

static VsRun
vs_run (const char * const *argv,
        const char         *expect)
{
  g_autoptr(GString) output = g_string_new (NULL);
  posix_spawn_file_actions_t actions;
  struct rusage usage;
  gint64 start, end;
  int fds[2], status, rc;
  pid_t pid;
  VsRun run;

  if (!g_unix_open_pipe (fds, FD_CLOEXEC, NULL))
    fail ("pipe", NULL);
  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_adddup2 (&actions, fds[1], STDOUT_FILENO);
  start = g_get_monotonic_time ();
  rc = posix_spawn (&pid, argv[0], &actions, NULL, (char * const *)argv, environ);
  posix_spawn_file_actions_destroy (&actions);
  close (fds[1]);
  if (rc != 0)
    {
      g_printerr ("bench-sync: cannot start %s: %s\n", argv[0], g_strerror (rc));
      exit (1);
    }
  for (;;)
    {
      char buf[4096];
      ssize_t n = read (fds[0], buf, sizeof buf);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_string_append_len (output, buf, n);
    }
  close (fds[0]);
  while (wait4 (pid, &status, 0, &usage) < 0)
    if (errno != EINTR)
      fail ("wait4", NULL);
  end = g_get_monotonic_time ();
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0 || strstr (output->str, expect) == NULL)
    {
      g_printerr ("bench-sync: %s failed (status %d) or did not say “%s”: %s\n", argv[0], status, expect,
                  output->str);
      exit (1);
    }
  run.wall_ms = (end - start) / 1000.0;
  run.cpu_ms = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
               (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
  return run;
}

static void
vs_curl (Bench *b)
{
  g_autoptr(TdRevision) large = new_revision (b, b->large_pdf);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) app_wall = bench_samples_new (), app_cpu = bench_samples_new ();
  g_autoptr(GArray) curl_wall = bench_samples_new (), curl_cpu = bench_samples_new ();
  g_autoptr(GArray) wall_ratio = bench_samples_new (), cpu_ratio = bench_samples_new ();
  g_autoptr(GArray) base_wall = bench_samples_new (), base_cpu = bench_samples_new ();
  g_autoptr(GArray) base_ratio = bench_samples_new (), vs_base_wall = bench_samples_new ();
  g_autoptr(GArray) vs_base_cpu = bench_samples_new ();
  g_autofree char *store_path = g_strdup (td_store_get_path (b->store));
  g_autofree char *json_path = g_build_filename (b->dir, "form.json", NULL);
  g_autofree char *pdf_path = g_build_filename (b->dir, "form.pdf", NULL);
  g_autofree char *sig_path = g_build_filename (b->dir, "signature.json", NULL);
  g_autofree char *signature = NULL;
  g_autofree char *curl = g_find_program_in_path ("curl");
  g_autofree char *f_form = NULL, *f_pdf = NULL, *f_sig = NULL, *auth = NULL, *key = NULL, *url = NULL;
  gsize signature_length;

  if (curl == NULL)
    fail ("--vs-curl needs curl (apt-get install curl)", NULL);
  queue (b, large);
  signature = td_revision_dup_signature_json (large, &signature_length);
  if (!g_file_set_contents (json_path, g_bytes_get_data (td_revision_get_form_json (large), NULL),
                            (gssize)g_bytes_get_size (td_revision_get_form_json (large)), &error) ||
      !g_file_set_contents (pdf_path, g_bytes_get_data (b->large_pdf, NULL),
                            (gssize)g_bytes_get_size (b->large_pdf), &error) ||
      !g_file_set_contents (sig_path, signature, (gssize)signature_length, &error))
    fail ("writing the parts", error);
  /* The app opens the file alone. */
  g_clear_object (&b->store);

  f_form = g_strdup_printf ("form=@%s;type=application/json", json_path);
  f_pdf = g_strdup_printf ("pdf=@%s;type=application/pdf", pdf_path);
  f_sig = g_strdup_printf ("signature=@%s;type=application/json", sig_path);
  auth = g_strdup_printf ("Authorization: Bearer %s", b->token);
  key = g_strdup_printf ("Idempotency-Key: %s", td_revision_get_uuid (large));
  url = g_str_has_suffix (b->endpoint, "/") ? g_strconcat (b->endpoint, "submissions", NULL)
                                            : g_strconcat (b->endpoint, "/submissions", NULL);
  {
    const char *app_argv[] = { vs_app_path, "--database", store_path, "--sync", NULL };
    const char *base_argv[] = { vs_baseline_path, "--database", store_path, "--sync", NULL };
    const char *curl_argv[] = { curl, "-sS", "-H", auth, "-H", key, "-H", "Accept: application/json",
                                "-F", f_form, "-F", f_pdf, "-F", f_sig, url,
                                tls ? "--cacert" : NULL, b->curl_cas, NULL };

    g_print ("\n4. `training-desk --sync` of a %.1f MiB revision against curl sending the same bytes, "
             "%d rounds after one warm-up of each, the order alternating; whole processes\n",
             g_bytes_get_size (b->large_pdf) / 1048576.0, rounds);
    g_print ("   app:  %s --database %s --sync\n", vs_app_path, store_path);
    g_print ("   curl: curl -sS -H 'Authorization: Bearer …' -H '%s' -H 'Accept: application/json' "
             "-F '%s' -F '%s' -F '%s' %s%s%s\n\n", key, f_form, f_pdf, f_sig, url,
             tls ? " --cacert " : "", tls ? b->curl_cas : "");
    if (vs_baseline_path != NULL)
      g_print ("   baseline: %s --database %s --sync (after the app in even rounds, before it in odd ones)\n\n",
               vs_baseline_path, store_path);
    for (int i = 0; i <= rounds; i++)
      {
        VsRun a, c, base = { 0 };

        if (vs_baseline_path != NULL && i % 2 == 1)
          {
            vs_reset_item (store_path);
            base = vs_run (base_argv, "delivered");
          }

        if (i % 2 == 0)
          {
            vs_reset_item (store_path);
            a = vs_run (app_argv, "delivered");
            c = vs_run (curl_argv, i == 0 ? "\"status\"" : "already-stored");
          }
        else
          {
            c = vs_run (curl_argv, "already-stored");
            vs_reset_item (store_path);
            a = vs_run (app_argv, "delivered");
          }
        if (vs_baseline_path != NULL && i % 2 == 0)
          {
            vs_reset_item (store_path);
            base = vs_run (base_argv, "delivered");
          }
        if (i == 0)
          {
            g_print ("  warm-up  app %7.1f ms (CPU %6.1f)  curl %7.1f ms (CPU %6.1f)\n",
                     a.wall_ms, a.cpu_ms, c.wall_ms, c.cpu_ms);
            continue;
          }
        bench_samples_add (app_wall, a.wall_ms);
        bench_samples_add (app_cpu, a.cpu_ms);
        bench_samples_add (curl_wall, c.wall_ms);
        bench_samples_add (curl_cpu, c.cpu_ms);
        bench_samples_add (wall_ratio, a.wall_ms / c.wall_ms);
        bench_samples_add (cpu_ratio, a.cpu_ms / c.cpu_ms);
        g_print ("  %2d       app %7.1f ms (CPU %6.1f)  curl %7.1f ms (CPU %6.1f)  wall %.2f×  CPU %.2f×\n", i,
                 a.wall_ms, a.cpu_ms, c.wall_ms, c.cpu_ms, a.wall_ms / c.wall_ms, a.cpu_ms / c.cpu_ms);
        if (vs_baseline_path != NULL)
          {
            bench_samples_add (base_wall, base.wall_ms);
            bench_samples_add (base_cpu, base.cpu_ms);
            bench_samples_add (base_ratio, base.wall_ms / c.wall_ms);
            bench_samples_add (vs_base_wall, a.wall_ms / base.wall_ms);
            bench_samples_add (vs_base_cpu, a.cpu_ms / base.cpu_ms);
            g_print ("           baseline %7.1f ms (CPU %6.1f)  wall %.2f× curl; app / baseline: wall %.2f×  CPU %.2f×\n",
                     base.wall_ms, base.cpu_ms, base.wall_ms / c.wall_ms, a.wall_ms / base.wall_ms,
                     a.cpu_ms / base.cpu_ms);
          }
      }
    g_print ("\n  medians: app wall %.1f ms, CPU %.1f ms; curl wall %.1f ms, CPU %.1f ms\n",
             bench_median (app_wall), bench_median (app_cpu), bench_median (curl_wall), bench_median (curl_cpu));
    g_print ("  ratio app / curl, median of the pairs: wall %.2f× (min %.2f, max %.2f), CPU %.2f× "
             "(min %.2f, max %.2f); goal wall ≤ 1.2×: %s\n",
             bench_median (wall_ratio), bench_min (wall_ratio), bench_max (wall_ratio),
             bench_median (cpu_ratio), bench_min (cpu_ratio), bench_max (cpu_ratio),
             bench_median (wall_ratio) <= 1.2 ? "met" : "MISSED");
    if (vs_baseline_path != NULL)
      g_print ("  baseline: wall %.1f ms, CPU %.1f ms; baseline / curl wall %.2f×; app / baseline, median of the "
               "pairs: wall %.2f× (min %.2f, max %.2f), CPU %.2f× (min %.2f, max %.2f)\n",
               bench_median (base_wall), bench_median (base_cpu), bench_median (base_ratio),
               bench_median (vs_base_wall), bench_min (vs_base_wall), bench_max (vs_base_wall),
               bench_median (vs_base_cpu), bench_min (vs_base_cpu), bench_max (vs_base_cpu));
    print_load ("after part 4");

    if (hold)
      {
        g_autofree char *app_sh = g_build_filename (b->dir, "app.sh", NULL);
        g_autofree char *curl_sh = g_build_filename (b->dir, "curl.sh", NULL);
        g_autofree char *reset = g_strdup_printf ("'%s' --reset '%s'", self_path, store_path);
        g_autofree char *app_text = g_strdup_printf ("%s && exec '%s' --database '%s' --sync\n",
                                                     reset, vs_app_path, store_path);
        g_autofree char *cacert = tls ? g_strdup_printf (" --cacert '%s'", b->curl_cas) : g_strdup ("");
        g_autofree char *curl_text = g_strdup_printf ("%s && exec '%s' -sS -H '%s' -H '%s' -H 'Accept: application/json' "
                                                      "-F '%s' -F '%s' -F '%s' '%s'%s\n",
                                                      reset, curl, auth, key, f_form, f_pdf, f_sig, url, cacert);
        g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
        guint on_int, on_term;

        if (!g_file_set_contents (app_sh, app_text, -1, &error) ||
            !g_file_set_contents (curl_sh, curl_text, -1, &error))
          fail ("writing the scripts", error);
        g_print ("\nHolding the receiver and the keyring; in another shell, with these variables:\n"
                 "  export DBUS_SESSION_BUS_ADDRESS='%s' XDG_STATE_HOME='%s' GSETTINGS_BACKEND=memory "
                 "GIO_USE_PROXY_RESOLVER=dummy LC_ALL=C.UTF-8\n"
                 "  A: sh %s\n  B: sh %s\n(each makes the item due again first, with `bench-sync --reset`)\n"
                 "Ctrl+C ends.\n",
                 g_getenv ("DBUS_SESSION_BUS_ADDRESS"), g_getenv ("XDG_STATE_HOME"), app_sh, curl_sh);
        /* A handler for the whole process, not sigwait() in this thread:
         * GLib's worker threads do not block the signals, and one of them
         * would take it and end the process without cleaning up. */
        on_int = g_unix_signal_add (SIGINT, hold_end_cb, loop);
        on_term = g_unix_signal_add (SIGTERM, hold_end_cb, loop);
        g_main_loop_run (loop);
        g_source_remove (on_int);
        g_source_remove (on_term);
      }
  }
}

/* pdfinfo, when there is one, reads the padded PDF as a PDF. */
static void
check_pdf (Bench *b)
{
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  g_autofree char *path = g_build_filename (b->dir, "large.pdf", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (pdfinfo == NULL)
    {
      g_print ("(no pdfinfo: the padded PDF was not opened)\n");
      return;
    }
  if (!g_file_set_contents (path, g_bytes_get_data (b->large_pdf, NULL), (gssize)g_bytes_get_size (b->large_pdf),
                            &error))
    fail ("writing the padded PDF", error);
  {
    const char *argv[] = { pdfinfo, path, NULL };

    if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status,
                       &error) || !g_spawn_check_wait_status (status, NULL))
      {
        g_printerr ("bench-sync: pdfinfo cannot read the padded PDF %s\n", path);
        exit (1);
      }
  }
  {
    const char *pages = strstr (out, "Pages:");

    g_print ("pdfinfo reads the padded PDF: %.*s\n", pages ? (int)strcspn (pages, "\n") : 2,
             pages ? pages : "ok");
  }
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "rounds", 'n', 0, G_OPTION_ARG_INT, &rounds, "Counted rounds with the large upload (7)", "N" },
    { "back-rounds", 0, 0, G_OPTION_ARG_INT, &back_rounds, "Counted rounds of “network back” (15)", "N" },
    { "size", 0, 0, G_OPTION_ARG_DOUBLE, &size_mib, "Size of the large form.pdf in MiB (20)", "MIB" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the temporary folder", NULL },
    { "tls", 0, 0, G_OPTION_ARG_NONE, &tls,
      "The receiver over HTTPS, with a certificate of the run's own (as a school sends)", NULL },
    { "vs-curl", 0, 0, G_OPTION_ARG_NONE, &vs_curl_mode,
      "Only `training-desk --sync` of the large revision against curl, whole processes", NULL },
    { "hold", 0, 0, G_OPTION_ARG_NONE, &hold, "With --vs-curl: then print two commands to time and wait", NULL },
    { "app", 0, 0, G_OPTION_ARG_FILENAME, &vs_app_path, "training-desk to run (--vs-curl)", "PATH" },
    { "baseline", 0, 0, G_OPTION_ARG_FILENAME, &vs_baseline_path,
      "With --vs-curl: a second training-desk run in the same rounds (main's, say)", "PATH" },
    { "reset", 0, 0, G_OPTION_ARG_FILENAME, &vs_reset_path, "Make the outbox items of DB due again, and exit", "DB" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdForm) form = NULL;
  g_autoptr(TdSigningKeyData) key = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GArray) sync_figures = g_array_new (FALSE, FALSE, sizeof (Figures));
  g_autoptr(GArray) main_figures = g_array_new (FALSE, FALSE, sizeof (Figures));
  g_autoptr(GArray) back_times = bench_samples_new ();
  g_autoptr(GArray) back_gaps = bench_samples_new ();
  g_autoptr(GArray) direct_times = bench_samples_new ();
  g_autoptr(TdRevision) large = NULL;
  g_autofree char *store_path = NULL, *state_dir = NULL;
  const char *receiver_binary;
  Bench bench = { 0 }, *b = &bench;
  guint stored;

  setlocale (LC_ALL, "");
  self_path = argv[0];
  /* The build's schemas lack GNOME's proxy settings (as in the tests). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", FALSE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "The main loop while the outbox sends a large form, and the time from "
                                "“network back” to “delivered”, against td_upload_send() alone.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (rounds < 1 || back_rounds < 1 || size_mib <= 0 || size_mib > 30)
    {
      g_printerr ("Usage: %s [--rounds N] [--back-rounds N] [--size MIB (at most 30)]\n", g_get_prgname ());
      return 2;
    }
  if (vs_reset_path != NULL)
    {
      vs_reset_item (vs_reset_path);
      return 0;
    }
  receiver_binary = g_getenv ("TD_TEST_RECEIVER");
  if (receiver_binary == NULL)
    receiver_binary = BENCH_RECEIVER_PATH;
  if (!td_sodium_init (&error))
    fail ("libsodium", error);

  b->dir = g_dir_make_tmp ("bench-sync-XXXXXX", &error);
  if (b->dir == NULL)
    fail ("a temporary folder", error);
  running = b;
  atexit (cleanup_at_exit);
  /* The store's notes of clean closes: ours, not the user's. */
  state_dir = g_build_filename (b->dir, "state", NULL);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);

  /* A keyring of our own on a D-Bus of our own. */
  td_test_keyring_start (b->dir);

  /* The school: a key, a form signed off. */
  store_path = g_build_filename (b->dir, "school.db", NULL);
  b->store = td_store_open (store_path, &error);
  if (b->store == NULL)
    fail ("opening the store", error);
  b->campaign = td_campaign_get_builtin ();
  if (!td_signing_key_create (b->store, PASSPHRASE, TD_KDF_MINIMUM, &error))
    fail ("making the signing key", error);
  form = valid_form ();
  now = g_date_time_new_now_utc ();
  b->base = td_signoff_sign (b->store, form, b->campaign, PASSPHRASE, now, &error);
  if (b->base == NULL)
    fail ("signing off", error);
  key = td_signing_key_load (b->store, &error);
  if (key == NULL || !td_signing_key_data_unlock (key, PASSPHRASE, b->secret_key, &error))
    fail ("unlocking the signing key", error);
  b->public_key = td_signing_key_data_get_public_key (key);
  b->large_pdf = pad_pdf (td_revision_get_pdf (b->base), (gsize)(size_mib * 1048576));
  b->receipts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  b->monitor = td_test_monitor_new (TRUE);

  /* The province's receiver, and the school's token in the keyring. */
  b->receiver_db = g_build_filename (b->dir, "receiver.db", NULL);
  receiver_start (b, receiver_binary);
  if ((tls && !td_store_set_setting (b->store, TD_SETTING_HTTPS_CA_FILE, b->ca_file, &error)) ||
      !td_store_set_setting (b->store, TD_SETTING_HTTPS_ENDPOINT, b->endpoint, &error) ||
      !td_credentials_store (TD_CREDENTIAL_HTTPS, b->endpoint, "", b->token, NULL, &error))
    fail ("setting up the upload endpoint", error);

  g_print ("Receiver: %s (training-desk-receiver, %s on loopback, its own SQLite file)\n", b->endpoint,
           tls ? "HTTPS with a certificate of this run's own" : "HTTP");
  g_print ("Normal revision: form.pdf %" G_GSIZE_FORMAT " bytes (drawn by td_signoff_sign), form.json %"
           G_GSIZE_FORMAT " bytes\n",
           g_bytes_get_size (td_revision_get_pdf (b->base)), g_bytes_get_size (td_revision_get_form_json (b->base)));
  g_print ("Large revision: form.pdf %" G_GSIZE_FORMAT " bytes (%.2f MiB: the drawn PDF and padding in PDF comments)\n",
           g_bytes_get_size (b->large_pdf), g_bytes_get_size (b->large_pdf) / 1048576.0);
  check_pdf (b);
  print_load ("at the start");

  if (vs_curl_mode)
    {
      if (vs_app_path == NULL)
        vs_app_path = g_strdup (BENCH_APP_PATH);
      vs_curl (b);
      receiver_stop (b);
      goto done;
    }

  /* 1. */
  g_print ("\n1. Main loop during a %.1f MiB upload: %d rounds after one warm-up, the order alternating\n",
           g_bytes_get_size (b->large_pdf) / 1048576.0, rounds);
  g_print ("   probe: a %d ms GLib timeout on the main loop; gaps between its runs that overlap the upload\n",
           PROBE_INTERVAL_MS);
  g_print ("   sync = TdSync (td_sync_run_due_async: call → callback); main = td_upload_send() on the main loop\n\n");
  g_print ("  round    %9s    %9s    %8s    %5s %6s   %-9s %11s %11s\n", "wall", "max gap", "p99 gap", ">16ms",
           "gaps", "longest", "prepare gap", "record gap");
  for (int i = 0; i <= rounds; i++)
    {
      Figures s, m;
      gboolean sync_first = i % 2 == 0;

      if (sync_first)
        {
          sync_large (b, &s);
          main_large (b, &m);
        }
      else
        {
          main_large (b, &m);
          sync_large (b, &s);
        }
      if (i == 0)
        g_print ("  warm-up (not counted)\n");
      else
        {
          g_array_append_val (sync_figures, s);
          g_array_append_val (main_figures, m);
          g_print ("  %d (%s first)\n", i, sync_first ? "sync" : "main");
        }
      print_figures ("sync", &s);
      print_figures ("main", &m);
    }
  g_print ("  medians\n");
  print_medians ("sync", sync_figures);
  print_medians ("main", main_figures);
  g_print ("  largest gap of all rounds: sync %.1f ms, main %.1f ms\n",
           max_of_max (sync_figures), max_of_max (main_figures));
  g_print ("  Ratio of median wall times, sync / main: %.2f\n",
           median_of (sync_figures, G_STRUCT_OFFSET (Figures, wall_ms)) /
           median_of (main_figures, G_STRUCT_OFFSET (Figures, wall_ms)));
  g_print ("  Ratio of median max gaps, sync / main: %.3f; sync's median max gap against the %.0f ms goal: %.2f×\n",
           median_of (sync_figures, G_STRUCT_OFFSET (Figures, max_gap)) /
           median_of (main_figures, G_STRUCT_OFFSET (Figures, max_gap)),
           GOAL_GAP_MS, median_of (sync_figures, G_STRUCT_OFFSET (Figures, max_gap)) / GOAL_GAP_MS);
  g_print ("  Goal (no gap over %.0f ms while the upload runs): %s\n", GOAL_GAP_MS,
           max_of_max (sync_figures) <= GOAL_GAP_MS ? "met in every round" : "MISSED");
  print_load ("after part 1");

  /* 2. */
  g_print ("\n2. “Network back” → “delivered”, a %" G_GSIZE_FORMAT "-byte form.pdf: %d rounds after one warm-up, "
           "the order alternating\n",
           g_bytes_get_size (td_revision_get_pdf (b->base)), back_rounds);
  g_print ("   back = the fake monitor says online → TdSync's item-finished (delivered); "
           "direct = td_upload_send() alone\n\n");
  g_print ("  round  %10s  %10s  %s\n", "back", "direct", "max main-loop gap during back");
  for (int i = 0; i <= back_rounds; i++)
    {
      double t_back, t_direct, gap;

      if (i % 2 == 0)
        {
          t_back = network_back (b, &gap);
          t_direct = direct (b);
        }
      else
        {
          t_direct = direct (b);
          t_back = network_back (b, &gap);
        }
      if (i == 0)
        g_print ("  warm-up %7.1f ms  %7.1f ms  %.1f ms (not counted)\n", t_back, t_direct, gap);
      else
        {
          bench_samples_add (back_times, t_back);
          bench_samples_add (direct_times, t_direct);
          bench_samples_add (back_gaps, gap);
          g_print ("  %2d    %7.1f ms  %7.1f ms  %.1f ms\n", i, t_back, t_direct, gap);
        }
    }
  g_print ("\n  medians: back %.1f ms (min %.1f, max %.1f), direct %.1f ms (min %.1f, max %.1f); "
           "ratio back / direct %.2f; overhead %.1f ms\n",
           bench_median (back_times), bench_min (back_times), bench_max (back_times),
           bench_median (direct_times), bench_min (direct_times), bench_max (direct_times),
           bench_median (back_times) / bench_median (direct_times),
           bench_median (back_times) - bench_median (direct_times));
  g_print ("  median max main-loop gap during back: %.1f ms (largest %.1f ms)\n",
           bench_median (back_gaps), bench_max (back_gaps));
  print_load ("after part 2");

  /* 3. */
  large = new_revision (b, b->large_pdf);
  time_main_loop_steps (b, large, b->base);

  stored = receiver_count (b, receiver_binary);
  g_print ("\nThe receiver stored %u submissions for %u uploads, every receipt different.\n", stored, b->uploads);
  print_load ("at the end");
  if (stored != b->uploads)
    {
      g_printerr ("bench-sync: the receiver holds %u submissions, not %u\n", stored, b->uploads);
      return 1;
    }

  receiver_stop (b);
done:
  running = NULL;
  sodium_memzero (b->secret_key, sizeof b->secret_key);
  g_clear_object (&b->base);
  g_clear_object (&large);
  g_clear_object (&b->monitor);
  g_clear_object (&b->campaign);
  g_clear_object (&b->store);
  td_test_keyring_stop ();
  if (keep)
    g_print ("Kept %s\n", b->dir);
  else
    td_test_remove_tree (b->dir);
  return 0;
}
