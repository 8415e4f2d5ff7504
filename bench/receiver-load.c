/* receiver-load.c: training-desk-receiver under concurrent valid uploads (issue 17)
 *
 *   bench-receiver-load [--seconds S] [--repeats R] [--pdf-kib K]
 *                       [--clients 1,8,64] [--no-memory] [--new-connection]
 *                       AFTER BEFORE
 *
 * AFTER and BEFORE are two receiver binaries (this branch's and a
 * baseline's); the same run measures both, in turns (AFTER, BEFORE,
 * BEFORE, AFTER, … at each level), each time on a fresh database in a
 * folder on the disk (the receiver fsyncs its commits: not /dev/shm).
 *
 * Load: C client threads, each with a keep-alive HTTP/1.1 connection of
 * its own, sending one upload after the other as fast as answers come (a
 * closed loop: no think time); a new connection when the receiver closes
 * it after an answer ("Connection: close"), or, with --new-connection,
 * for every upload (each says "Connection: close"). Every upload is a new revision of the valid
 * form (tests/td-test-fixtures.c) with a PDF of --pdf-kib KiB, signed with
 * one school key as Training Desk signs (Ed25519 over the statement of
 * td_signoff_statement()), made before the clock starts; the receiver
 * verifies each and answers 201. Clients connect from 127.0.0.2 and up,
 * 16 an address, so that the receiver's per-address limit (32) is not what
 * is measured. The receiver's log (stderr) goes to /dev/null.
 *
 * Each run: half a second of warm-up, then --seconds counted. Figures: the
 * uploads answered 201 a second in the counted span, and the median and
 * 95th percentile of their latency (request written to answer read).
 * Anything but 201 counts as a failure and is printed. After the run the
 * receiver is stopped and its database must hold as many submissions as
 * it answered 201 (warm-up included).
 *
 * Memory: 24 clients at once each send one 30 MiB upload (a 30 MiB PDF)
 * to a fresh receiver of each binary; once all are answered, the
 * receiver's VmHWM and VmRSS (/proc/PID/status). --memory-only runs only
 * that, for AFTER only, so that whole processes can be compared.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-receiver-load"

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <locale.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "bench-util.h"
#include "td-canonical-json.h"
#include "td-form-json.h"
#include "td-signoff.h"
#include "td-test-fixtures.h"

#define SCHOOL "济南第一职业中等专业学校"
#define BOUNDARY "td-bench-receiver-load"
#define CLIENTS_AN_ADDRESS 16

/* What every upload shares, and what each has of its own. */
static GBytes *form_json;
static char *pdf;
static gsize pdf_size;
static unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
static char *form_hash_cached, *pdf_hash_cached;
static gboolean new_connection;

typedef struct
{
  char  *key;         /* the revision's UUID */
  char  *signature;   /* signature.json */
  gsize  length;
} Signed;

static Signed *
make_signed (void)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 ("2026-11-26T08:00:00Z", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *form_hash = NULL, *pdf_hash = NULL, *statement = NULL, *pk64 = NULL, *sig64 = NULL;
  unsigned char sig[crypto_sign_BYTES];
  gsize statement_length;
  JsonObject *object;
  Signed *s = g_new0 (Signed, 1);

  if (form_hash_cached == NULL)
    form_hash_cached = td_sha256_hex (g_bytes_get_data (form_json, NULL), g_bytes_get_size (form_json));
  if (pdf_hash_cached == NULL)
    pdf_hash_cached = td_sha256_hex (pdf, pdf_size);
  form_hash = g_strdup (form_hash_cached);
  pdf_hash = g_strdup (pdf_hash_cached);
  s->key = g_uuid_string_random ();
  statement = td_signoff_statement (s->key, 1, "shandong-2020", "王建国", at, form_hash, pdf_hash,
                                    &statement_length);
  crypto_sign_detached (sig, NULL, (const unsigned char *)statement, statement_length, sk);
  pk64 = g_base64_encode (pk, sizeof pk);
  sig64 = g_base64_encode (sig, sizeof sig);
  if (!json_parser_load_from_data (parser, statement, (gssize)statement_length, &error))
    g_error ("%s", error->message);
  object = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (object, "public_key", pk64);
  json_object_set_string_member (object, "signature", sig64);
  s->signature = td_canonical_json_from_node (json_parser_get_root (parser), &s->length, &error);
  if (s->signature == NULL)
    g_error ("%s", error->message);
  return s;
}

static void
make_uploads (gsize pdf_bytes)
{
  g_autoptr(TdForm) form = td_test_valid_form ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  char *json;

  g_free (pdf);
  g_clear_pointer (&pdf_hash_cached, g_free);
  pdf_size = pdf_bytes;
  pdf = g_malloc (pdf_size);
  memset (pdf, '%', pdf_size);
  memcpy (pdf, "%PDF-1.4\n", 9);
  if (form_json == NULL)
    {
      td_form_set (form, TD_FORM_NAME, SCHOOL);
      node = td_form_to_json_node (form);
      json = td_canonical_json_from_node (node, &length, &error);
      if (json == NULL)
        g_error ("%s", error->message);
      form_json = g_bytes_new_take (json, length);
    }
}

/* One upload as three pieces: headers and what comes before the PDF,
 * the PDF (shared), and what comes after. */
typedef struct
{
  GString *before;
  GString *after;
} Request;

static void
request_build (Request    *r,
               Signed     *s,
               const char *token)
{
  g_autoptr(GString) parts_before = g_string_new (NULL);
  g_autoptr(GString) parts_after = g_string_new (NULL);

  g_string_append_printf (parts_before,
                          "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"form\"; filename=\"form.json\"\r\n"
                          "Content-Type: application/json\r\n\r\n");
  g_string_append_len (parts_before, g_bytes_get_data (form_json, NULL), (gssize)g_bytes_get_size (form_json));
  g_string_append (parts_before,
                   "\r\n--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"pdf\"; filename=\"form.pdf\"\r\n"
                   "Content-Type: application/pdf\r\n\r\n");
  g_string_append (parts_after,
                   "\r\n--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"signature\"; "
                   "filename=\"signature.json\"\r\nContent-Type: application/json\r\n\r\n");
  g_string_append_len (parts_after, s->signature, (gssize)s->length);
  g_string_append (parts_after, "\r\n--" BOUNDARY "--\r\n");

  g_string_truncate (r->before, 0);
  g_string_append_printf (r->before,
                          "POST /submissions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                          "Idempotency-Key: %s\r\nContent-Type: multipart/form-data; boundary=" BOUNDARY "\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n%s\r\n",
                          token, s->key, parts_before->len + pdf_size + parts_after->len,
                          new_connection ? "Connection: close\r\n" : "");
  g_string_append_len (r->before, parts_before->str, (gssize)parts_before->len);
  g_string_assign (r->after, parts_after->str);
}

/* Sockets */

static int
connect_from (guint    client,
              guint16  port)
{
  struct sockaddr_in from = { .sin_family = AF_INET }, to = { .sin_family = AF_INET };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;

  from.sin_addr.s_addr = htonl (0x7f000002u + client / CLIENTS_AN_ADDRESS);
  to.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  to.sin_port = htons (port);
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (bind (fd, (struct sockaddr *)&from, sizeof from) != 0 ||
      connect (fd, (struct sockaddr *)&to, sizeof to) != 0)
    g_error ("connect: %s", g_strerror (errno));
  return fd;
}

static gboolean
send_all (int           fd,
          struct iovec *iov,
          int           n)
{
  while (n > 0)
    {
      ssize_t sent = writev (fd, iov, n);

      if (sent < 0 && errno == EINTR)
        continue;
      if (sent <= 0)
        return FALSE;
      while (n > 0 && (size_t)sent >= iov->iov_len)
        {
          sent -= (ssize_t)iov->iov_len;
          iov++;
          n--;
        }
      if (n > 0)
        {
          iov->iov_base = (char *)iov->iov_base + sent;
          iov->iov_len -= (size_t)sent;
        }
    }
  return TRUE;
}

/* Reads one answer; its status, or 0 when the connection failed. Sets
 * @close when the receiver closes the connection after it. */
static guint
read_answer (int       fd,
             GString  *buffer,
             gboolean *close)
{
  char chunk[16384];
  char *end;
  gsize head, total;
  guint status = 0;
  gint64 length = 0;
  const char *cl;

  while ((end = strstr (buffer->str, "\r\n\r\n")) == NULL)
    {
      ssize_t n = read (fd, chunk, sizeof chunk);

      if (n <= 0)
        return 0;
      g_string_append_len (buffer, chunk, n);
    }
  head = (gsize)(end - buffer->str) + 4;
  if (sscanf (buffer->str, "HTTP/1.%*d %u", &status) != 1)
    return 0;
  cl = g_strstr_len (buffer->str, (gssize)head, "Content-Length: ");
  if (cl)
    length = g_ascii_strtoll (cl + strlen ("Content-Length: "), NULL, 10);
  *close = g_strstr_len (buffer->str, (gssize)head, "Connection: close") != NULL;
  total = head + (gsize)length;
  while (buffer->len < total)
    {
      ssize_t n = read (fd, chunk, sizeof chunk);

      if (n <= 0)
        return 0;
      g_string_append_len (buffer, chunk, n);
    }
  g_string_erase (buffer, 0, (gssize)total);
  return status;
}

/* A run */

typedef struct
{
  guint16       port;
  const char   *token;
  Signed      **pool;
  guint         pool_size;
  gint          next;        /* atomic */
  gint          phase;       /* atomic: 0 warm-up, 1 counted, 2 stop */
  gint          one_each;    /* send one upload, then stop */
  GMutex        lock;
  GArray       *latencies;   /* counted, 201 */
  guint         created;     /* 201, all */
  guint         failed;
  guint         other[600];
  guint         exhausted;
} Run;

typedef struct
{
  Run   *run;
  guint  client;
} Client;

static gpointer
client_thread (gpointer data)
{
  Client *c = data;
  Run *run = c->run;
  Request request = { g_string_new (NULL), g_string_new (NULL) };
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_autoptr(GArray) mine = bench_samples_new ();
  guint created = 0, failed = 0;
  int fd = connect_from (c->client, run->port);

  while (g_atomic_int_get (&run->phase) < 2)
    {
      guint i = (guint)g_atomic_int_add (&run->next, 1);
      struct iovec iov[3];
      gint64 t0, t1;
      gboolean close_after = FALSE, counted;
      guint status;

      if (i >= run->pool_size)
        {
          g_mutex_lock (&run->lock);
          run->exhausted++;
          g_mutex_unlock (&run->lock);
          break;
        }
      request_build (&request, run->pool[i], run->token);
      iov[0] = (struct iovec) { request.before->str, request.before->len };
      iov[1] = (struct iovec) { pdf, pdf_size };
      iov[2] = (struct iovec) { request.after->str, request.after->len };
      counted = g_atomic_int_get (&run->phase) == 1;
      t0 = g_get_monotonic_time ();
      status = send_all (fd, iov, 3) ? read_answer (fd, buffer, &close_after) : 0;
      t1 = g_get_monotonic_time ();
      counted = counted && g_atomic_int_get (&run->phase) == 1;

      if (status == 201)
        {
          created++;
          if (counted)
            bench_samples_add (mine, (double)(t1 - t0) / 1000.0);
        }
      else
        {
          failed++;
          g_mutex_lock (&run->lock);
          run->other[MIN (status, 599)]++;
          g_mutex_unlock (&run->lock);
        }
      if (status == 0 || close_after || new_connection)
        {
          close (fd);
          g_string_truncate (buffer, 0);
          fd = connect_from (c->client, run->port);
        }
      if (run->one_each)
        break;
    }
  close (fd);
  g_string_free (request.before, TRUE);
  g_string_free (request.after, TRUE);

  g_mutex_lock (&run->lock);
  g_array_append_vals (run->latencies, mine->data, mine->len);
  run->created += created;
  run->failed += failed;
  g_mutex_unlock (&run->lock);
  return NULL;
}

/* The receiver */

typedef struct
{
  GSubprocess *process;
  char        *dir;
  char        *database;
  char        *token;
  guint16      port;
} Receiver;

static Receiver *
receiver_start (const char *binary)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) add = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL, *token = NULL, *database_arg = NULL;
  Receiver *r = g_new0 (Receiver, 1);

  /* Beside the build, on the disk. */
  r->dir = g_dir_make_tmp ("bench-receiver-load-XXXXXX", &error);
  g_assert_no_error (error);
  r->database = g_build_filename (r->dir, "receiver.db", NULL);
  database_arg = g_strdup_printf ("--database=%s", r->database);

  add = g_subprocess_launcher_spawn (launcher, &error, binary, database_arg, "--add-school=" SCHOOL, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (add, NULL, NULL, &token, NULL, &error);
  g_assert_no_error (error);
  r->token = g_strstrip (g_steal_pointer (&token));

  r->process = g_subprocess_launcher_spawn (launcher, &error, binary, database_arg, "--port=0",
                                            "--school-quota=0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (r->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, "listening on http://127.0.0.1:"))
    g_error ("%s did not start", binary);
  r->port = (guint16)atoi (line + strlen ("listening on http://127.0.0.1:"));
  return r;
}

static gint64
receiver_status_kib (Receiver   *r,
                     const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (r->process));
  g_autofree char *status = NULL;
  const char *at;

  if (!g_file_get_contents (path, &status, NULL, NULL) || (at = strstr (status, field)) == NULL)
    return -1;
  return g_ascii_strtoll (at + strlen (field), NULL, 10);
}

/* The receiver's CPU time so far (user and system), in seconds. */
static double
receiver_cpu_s (Receiver *r)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (r->process));
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after = strrchr (stat, ')')) == NULL)
    return -1;
  /* After "pid (comm)": state is field 3; utime and stime are 14 and 15. */
  fields = g_strsplit (after + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return -1;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / (double)sysconf (_SC_CLK_TCK);
}

static gint64
count_stored (const char *database)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (sqlite3_open_v2 (database, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT COUNT (*) FROM submission", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* Stops it; returns the submissions its database holds. */
static gint64
receiver_stop (Receiver *r)
{
  gint64 stored;

  g_subprocess_send_signal (r->process, SIGTERM);
  g_subprocess_wait (r->process, NULL, NULL);
  g_object_unref (r->process);
  stored = count_stored (r->database);
  for (const char *suffix = ""; suffix; suffix = g_str_equal (suffix, "") ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *file = g_strconcat (r->database, suffix, NULL);

      g_unlink (file);
    }
  g_rmdir (r->dir);
  g_free (r->dir);
  g_free (r->database);
  g_free (r->token);
  g_free (r);
  return stored;
}

typedef struct
{
  double per_second;
  double median;
  double p95;
  double cpu_ms;      /* the receiver's CPU a stored upload */
  guint  failed;
} Figures;

static Figures
run_level (const char *binary,
           const char *label,
           guint       clients,
           double      seconds,
           Signed    **pool,
           guint       pool_size)
{
  Receiver *r = receiver_start (binary);
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autofree Client *each = g_new0 (Client, clients);
  Run run = { 0, };
  Figures f = { 0, };
  gint64 stored;

  run.port = r->port;
  run.token = r->token;
  run.pool = pool;
  run.pool_size = pool_size;
  run.latencies = bench_samples_new ();
  g_mutex_init (&run.lock);

  for (guint i = 0; i < clients; i++)
    {
      each[i] = (Client) { &run, i };
      g_ptr_array_add (threads, g_thread_new ("client", client_thread, &each[i]));
    }
  g_usleep (G_USEC_PER_SEC / 2);
  g_atomic_int_set (&run.phase, 1);
  g_usleep ((gulong)(seconds * G_USEC_PER_SEC));
  g_atomic_int_set (&run.phase, 2);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);

  f.cpu_ms = 1000.0 * receiver_cpu_s (r) / MAX (run.created, 1);
  f.per_second = run.latencies->len / seconds;
  f.median = bench_median (run.latencies);
  f.p95 = bench_percentile (run.latencies, 95);
  f.failed = run.failed;
  g_print ("%-6s %3u clients: %7.1f uploads/s  median %7.1f ms  p95 %7.1f ms  receiver CPU %.2f ms an upload  "
           "(%u counted, %u stored in all, %u failed)\n",
           label, clients, f.per_second, f.median, f.p95, f.cpu_ms, run.latencies->len, run.created, run.failed);
  for (guint s = 0; s < G_N_ELEMENTS (run.other); s++)
    if (run.other[s])
      g_print ("         answered %u: %u times\n", s, run.other[s]);
  if (run.exhausted)
    g_print ("         the %u prepared uploads ran out: raise the pool (--pool)\n", pool_size);

  stored = receiver_stop (r);
  if (stored != (gint64)run.created)
    g_print ("         the database holds %" G_GINT64_FORMAT " submissions, %u answered 201!\n",
             stored, run.created);
  g_array_unref (run.latencies);
  g_mutex_clear (&run.lock);
  return f;
}

static void
run_memory (const char *binary,
            const char *label)
{
  Receiver *r = receiver_start (binary);
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  Signed *pool[24];
  Client each[24];
  Run run = { 0, };

  for (guint i = 0; i < 24; i++)
    pool[i] = make_signed ();
  run.port = r->port;
  run.token = r->token;
  run.pool = pool;
  run.pool_size = 24;
  run.one_each = TRUE;
  run.latencies = bench_samples_new ();
  g_mutex_init (&run.lock);
  for (guint i = 0; i < 24; i++)
    {
      each[i] = (Client) { &run, i };
      g_ptr_array_add (threads, g_thread_new ("client", client_thread, &each[i]));
    }
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
  g_print ("%-6s 24 parallel 30 MiB uploads: %u answered 201, %u not; receiver peak RSS %4" G_GINT64_FORMAT
           " MiB, RSS after %4" G_GINT64_FORMAT " MiB\n",
           label, run.created, run.failed, receiver_status_kib (r, "VmHWM:") / 1024,
           receiver_status_kib (r, "VmRSS:") / 1024);
  receiver_stop (r);
  for (guint i = 0; i < 24; i++)
    {
      g_free (pool[i]->key);
      g_free (pool[i]->signature);
      g_free (pool[i]);
    }
  g_array_unref (run.latencies);
  g_mutex_clear (&run.lock);
}

int
main (int   argc,
      char *argv[])
{
  double seconds = 3;
  int repeats = 2, pdf_kib = 64, pool_size = 12000;
  gboolean no_memory = FALSE, memory_only = FALSE;
  g_autofree char *levels = g_strdup ("1,8,64");
  GOptionEntry entries[] = {
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds, "Counted seconds of each run (3)", "S" },
    { "repeats", 'r', 0, G_OPTION_ARG_INT, &repeats, "Runs of each binary at each level (2)", "N" },
    { "pdf-kib", 0, 0, G_OPTION_ARG_INT, &pdf_kib, "The PDF's size in KiB (64)", "K" },
    { "pool", 0, 0, G_OPTION_ARG_INT, &pool_size, "Uploads prepared (12000): more than a run sends", "N" },
    { "clients", 'c', 0, G_OPTION_ARG_STRING, &levels, "Concurrent clients, comma-separated (1,8,64)", "LIST" },
    { "no-memory", 0, 0, G_OPTION_ARG_NONE, &no_memory, "Skip the 24 × 30 MiB memory run", NULL },
    { "new-connection", 0, 0, G_OPTION_ARG_NONE, &new_connection,
      "A new connection for every upload, even where the receiver would keep it open", NULL },
    { "memory-only", 0, 0, G_OPTION_ARG_NONE, &memory_only,
      "Only the 24 × 30 MiB run, of AFTER only (to time the whole process from outside)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("AFTER BEFORE");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) counts = NULL;
  g_autofree Signed **pool = NULL;
  const char *binaries[2], *labels[2] = { "after", "before" };

  setlocale (LC_ALL, "");
  signal (SIGPIPE, SIG_IGN);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 3)
    {
      g_printerr ("%s\n", error ? error->message : "Two receiver binaries: AFTER BEFORE");
      return 2;
    }
  binaries[0] = argv[1];
  binaries[1] = argv[2];
  if (sodium_init () < 0)
    return 1;
  crypto_sign_keypair (pk, sk);

  if (memory_only)
    {
      make_uploads (30 * 1024 * 1024 - 64 * 1024);
      run_memory (binaries[0], labels[0]);
      return 0;
    }

  make_uploads ((gsize)pdf_kib * 1024);
  pool = g_new (Signed *, pool_size);
  for (int i = 0; i < pool_size; i++)
    pool[i] = make_signed ();

  g_print ("uploads of %d KiB (PDF), %.1f s counted a run, %d runs each, %s; load average at start: ", pdf_kib,
           seconds, repeats, new_connection ? "a new connection each" : "connections kept open where the receiver allows");
  {
    g_autofree char *load = NULL;

    if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
      g_print ("%s", load);
  }

  counts = g_strsplit (levels, ",", -1);
  for (guint l = 0; counts[l]; l++)
    {
      guint clients = (guint)atoi (counts[l]);
      GArray *per_second[2] = { bench_samples_new (), bench_samples_new () };
      GArray *median[2] = { bench_samples_new (), bench_samples_new () };
      GArray *p95[2] = { bench_samples_new (), bench_samples_new () };
      GArray *cpu[2] = { bench_samples_new (), bench_samples_new () };

      for (int rep = 0; rep < repeats; rep++)
        for (int k = 0; k < 2; k++)
          {
            int b = rep % 2 == 0 ? k : 1 - k;
            Figures f = run_level (binaries[b], labels[b], clients, seconds, pool, (guint)pool_size);

            bench_samples_add (per_second[b], f.per_second);
            bench_samples_add (median[b], f.median);
            bench_samples_add (p95[b], f.p95);
            bench_samples_add (cpu[b], f.cpu_ms);
          }
      g_print ("== %3u clients, medians of %d runs: after %.1f/s (median %.1f ms, p95 %.1f ms, CPU %.2f ms), "
               "before %.1f/s (median %.1f ms, p95 %.1f ms, CPU %.2f ms); after/before: uploads/s %.2f×, "
               "median latency %.2f×, CPU an upload %.2f×\n",
               clients, repeats, bench_median (per_second[0]), bench_median (median[0]), bench_median (p95[0]),
               bench_median (cpu[0]),
               bench_median (per_second[1]), bench_median (median[1]), bench_median (p95[1]), bench_median (cpu[1]),
               bench_median (per_second[0]) / bench_median (per_second[1]),
               bench_median (median[0]) / bench_median (median[1]),
               bench_median (cpu[0]) / bench_median (cpu[1]));
      for (int b = 0; b < 2; b++)
        {
          g_array_unref (per_second[b]);
          g_array_unref (median[b]);
          g_array_unref (p95[b]);
          g_array_unref (cpu[b]);
        }
    }

  if (!no_memory)
    {
      make_uploads (30 * 1024 * 1024 - 64 * 1024);
      run_memory (binaries[0], labels[0]);
      run_memory (binaries[1], labels[1]);
    }
  return 0;
}
