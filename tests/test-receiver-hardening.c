/* test-receiver-hardening.c: training-desk-receiver against hostile clients (issue 12)
 *
 * The built receiver on a free port of the loopback, as in
 * test-receiver.c, with its limits and time-outs made small (1–2 s) by
 * its options so that each case is short. The clients are raw sockets
 * (silent, dripping, ambiguous framing), TLS sockets that never send a
 * request, and libsoup uploading real signed submissions (made with a
 * key of the test's own, as a province's other clients could). Addresses
 * 127.0.0.2 and up are other clients: the whole of 127/8 is the loopback.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/prctl.h>

#include "td-canonical-json.h"
#include "td-form-json.h"
#include "td-signoff.h"
#include "td-test-fixtures.h"
#include "td-test-servers.h"

#define SCHOOL "济南第一职业中等专业学校"

static char *tmp_dir;
/* TD_RECEIVER_TEST_GATHER for the next start(), or NULL. */
static const char *start_gather;

/* Submissions, signed with a key of the test's own */

static TdTestUpload *upload_new_keyed (const char *signer, gsize pdf_size, guint key);

/* A new revision of the valid form, signed by @signer (the form names
 * 王建国: another signer does not verify, 422) with @pdf_size bytes of PDF. */
static TdTestUpload *
upload_new (const char *signer,
            gsize       pdf_size)
{
  return upload_new_keyed (signer, pdf_size, 0);
}

/* The same, signed with the test's key number @key (0: the school's;
 * another is a key the receiver does not bind to it once it has one). */
static TdTestUpload *
upload_new_keyed (const char *signer,
                  gsize       pdf_size,
                  guint       key)
{
  g_autoptr(TdForm) form = td_test_valid_form ();
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 ("2026-11-26T08:00:00Z", NULL);
  /* One key for the school, as the receiver binds it (issue 10). */
  static unsigned char pks[2][crypto_sign_PUBLICKEYBYTES], sks[2][crypto_sign_SECRETKEYBYTES];
  static gboolean have_key[2];
  char *pdf = g_malloc (MAX (pdf_size, 16));
  g_autoptr(GBytes) pdf_bytes = NULL;

  td_form_set (form, TD_FORM_NAME, SCHOOL);
  memset (pdf, '%', pdf_size);
  memcpy (pdf, "%PDF-1.4\n", MIN (pdf_size, 9));
  pdf_bytes = g_bytes_new_take (pdf, pdf_size);

  g_assert_true (td_sodium_init (NULL));
  g_assert_cmpuint (key, <, 2);
  if (!have_key[key])
    crypto_sign_keypair (pks[key], sks[key]);
  have_key[key] = TRUE;
  return td_test_upload_sign (form, NULL, signer, at, pdf_bytes, pks[key], sks[key]);
}

static gsize
upload_size (TdTestUpload *u)
{
  return g_bytes_get_size (u->form) + g_bytes_get_size (u->pdf) + g_bytes_get_size (u->signature);
}

/* Talking to it with libsoup */

static SoupSession *
new_session (guint timeout)
{
  SoupSession *session = soup_session_new_with_options ("timeout", timeout, "max-conns-per-host", 32,
                                                        "max-conns", 64, NULL);

  soup_session_set_proxy_resolver (session, NULL);
  return session;
}

static SoupMessage *
upload_message (TdTestReceiver *r,
                const char     *token,
                TdTestUpload         *u,
                gboolean        expect_continue)
{
  SoupMultipart *multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autofree char *url = g_strconcat (r->url, "submissions", NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  SoupMessage *msg;
  SoupMessageHeaders *headers;

  soup_multipart_append_form_file (multipart, "form", "form.json", "application/json", u->form);
  soup_multipart_append_form_file (multipart, "pdf", "form.pdf", "application/pdf", u->pdf);
  soup_multipart_append_form_file (multipart, "signature", "signature.json", "application/json", u->signature);
  msg = soup_message_new_from_multipart (url, multipart);
  soup_multipart_free (multipart);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Idempotency-Key", u->key);
  if (expect_continue)
    soup_message_headers_set_expectations (headers, SOUP_EXPECTATION_CONTINUE);
  return msg;
}

typedef struct
{
  guint       status;
  char       *word;
  char       *message;
  GError     *error;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->word, g_free);
  g_clear_pointer (&answer->message, g_free);
  g_clear_error (&answer->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

static void
read_answer (SoupMessage *msg,
             GBytes      *bytes,
             Answer      *answer)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  answer->status = soup_message_get_status (msg);
  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), (gssize)g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  answer->word = g_strdup (json_object_get_string_member_with_default (object, "status", ""));
  answer->message = g_strdup (json_object_get_string_member_with_default (object, "message", ""));
  g_test_message ("%u %s: %s", answer->status, answer->word, answer->message);
}

static Answer
post (SoupSession    *session,
      TdTestReceiver *r,
      const char     *token,
      TdTestUpload         *u,
      gboolean        expect_continue)
{
  g_autoptr(SoupMessage) msg = upload_message (r, token, u, expect_continue);
  Answer answer = { 0, };
  g_autoptr(GBytes) bytes = soup_session_send_and_read (session, msg, NULL, &answer.error);

  if (bytes)
    read_answer (msg, bytes, &answer);
  else
    g_test_message ("no answer: %s", answer.error->message);
  return answer;
}

static void
assert_answer (Answer     *answer,
               guint       status,
               const char *word)
{
  g_assert_no_error (answer->error);
  g_assert_cmpuint (answer->status, ==, status);
  g_assert_cmpstr (answer->word, ==, word);
}

/* The receiver, its log kept */

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* td_test_receiver_start(), with standard error written to @log. */
static TdTestReceiver *
start (const char *database,
       const char *log,
       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GUri) uri = NULL;
  TdTestReceiver *r = g_new0 (TdTestReceiver, 1);
  const char *binary = g_getenv ("TD_TEST_RECEIVER");
  const char *extra;
  va_list args;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, g_strdup (binary));
  g_ptr_array_add (argv, g_strdup_printf ("--database=%s", database));
  g_ptr_array_add (argv, g_strdup ("--port=0"));
  va_start (args, log);
  while ((extra = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (extra));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  /* As td_test_receiver_start(): a critical ends it. */
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", "fatal-criticals", TRUE);
  if (start_gather)
    g_subprocess_launcher_setenv (launcher, "TD_RECEIVER_TEST_GATHER", start_gather, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "TD_RECEIVER_TEST_GATHER");
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  r->process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (r->process));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (out), FALSE);
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (out), 1);
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    {
      g_autofree char *said = NULL;

      g_file_get_contents (log, &said, NULL, NULL);
      g_error ("The receiver did not start: %s", said ? said : "");
    }
  r->url = g_strdup (line + strlen ("listening on "));
  uri = g_uri_parse (r->url, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  r->port = (guint16)g_uri_get_port (uri);
  r->database = g_strdup (database);
  return r;
}

/* Raw sockets */

/* A TCP connection from @from (127.0.0.X), that says nothing yet. */
static GSocketConnection *
raw_connect (const char *from,
             guint16     port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_timeout (client, 30);
  g_socket_client_set_enable_proxy (client, FALSE);
  if (from)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (from);
      g_autoptr(GSocketAddress) local = g_inet_socket_address_new (address, 0);

      g_socket_client_set_local_address (client, local);
    }
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

/* Whether the receiver closed @connection: reads until the end (a 30 s
 * socket time-out says it did not). */
static gboolean
closed_by_receiver (GSocketConnection *connection)
{
  g_autoptr(GError) error = NULL;
  char buffer[4096];
  gssize n;

  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   buffer, sizeof buffer, NULL, &error)) > 0)
    ;
  if (error)
    g_test_message ("read: %s", error->message);
  return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

/* Writes @request on @connection and reads the whole answer (the
 * receiver closes after each). */
static char *
exchange (GIOStream  *connection,
          const char *request)
{
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char buffer[4096];
  gssize n;

  g_output_stream_write_all (g_io_stream_get_output_stream (connection), request, strlen (request),
                             NULL, NULL, &error);
  g_assert_no_error (error);
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (connection), buffer, sizeof buffer,
                                   NULL, &error)) > 0)
    g_string_append_len (answer, buffer, n);
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
  return g_string_free (g_steal_pointer (&answer), FALSE);
}

static void
assert_service (GIOStream *connection)
{
  g_autofree char *answer = exchange (connection, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));
  g_assert_nonnull (strstr (answer, "\"training-desk-receiver\""));
}

static gboolean
accept_any_cb (GTlsConnection       *connection,
               GTlsCertificate      *certificate,
               GTlsCertificateFlags  errors,
               gpointer              user_data)
{
  return TRUE;
}

/* A TLS connection, handshake done, that says nothing. */
static GIOStream *
tls_connect (guint16 port)
{
  g_autoptr(GSocketConnection) tcp = raw_connect (NULL, port);
  g_autoptr(GError) error = NULL;
  GIOStream *tls = g_tls_client_connection_new (G_IO_STREAM (tcp), NULL, &error);

  g_assert_no_error (error);
  /* The test's own certificate. */
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_any_cb), NULL);
  g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error);
  g_assert_no_error (error);
  return tls;
}

/* The cases */

typedef struct
{
  char           *db;
  char           *log;
  char           *token;
  TdTestReceiver *r;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->db = td_test_unique_path (tmp_dir, "receiver.db");
  f->log = td_test_unique_path (tmp_dir, "receiver.log");
  f->token = td_test_receiver_add_school (f->db, SCHOOL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->r, td_test_receiver_stop);
  g_free (f->token);
  g_free (f->log);
  g_free (f->db);
}

static char *
read_log (Fixture *f)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (f->log, &text, NULL, NULL));
  return text;
}

/* Hundreds of sockets that never start TLS, and a hundred that finish the
 * handshake and never send a request: a school still uploads. Before,
 * each silent socket held one of GLib's shared threads in its handshake
 * and every other client waited (~45 s for 100). The limits are set high:
 * what is tested is that silence costs no thread. */
static void
test_silent_sockets (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *cert = NULL, *key = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autoptr(GPtrArray) silent = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GTlsDatabase) trusted = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(TdTestUpload) u = upload_new ("王建国", 2000);
  g_autoptr(GError) error = NULL;
  g_auto(Answer) answer = { 0, };

  if (openssl == NULL)
    {
      g_test_skip ("no openssl to make a certificate");
      return;
    }
  td_test_make_certificate (tmp_dir, &cert, &key);
  f->r = start (f->db, f->log, "--tls-certificate", cert, "--tls-key", key,
                "--max-connections", "2000", "--max-connections-per-address", "2000",
                "--handshake-timeout", "60", "--header-timeout", "60", NULL);

  /* 100 handshakes left hanging; 25 under AddressSanitizer, where each
   * costs the test and the receiver some 0.6 s of CPU (the point, that
   * the receiver serves beside them, holds at any count). */
  for (guint i = 0; i < (TD_TEST_HAS_ASAN ? 25 : 100); i++)
    g_ptr_array_add (silent, tls_connect (f->r->port));
  for (guint i = 0; i < 300; i++)
    g_ptr_array_add (silent, raw_connect (NULL, f->r->port));

  trusted = g_tls_file_database_new (cert, &error);
  g_assert_no_error (error);
  /* Well within the 60 s they may stay silent. */
  session = new_session (10);
  soup_session_set_tls_database (session, trusted);
  answer = post (session, f->r, f->token, u, FALSE);
  assert_answer (&answer, SOUP_STATUS_CREATED, "stored");
}

/* Too many connections from one address: the next makes room by closing
 * the address's oldest silent one (a kept-alive connection whose client
 * has gone is silent too, until its header time-out), and is closed at
 * once when all are busy; those open are served, another address is
 * served. At the total, the oldest silent connection makes room. */
static void
test_connection_caps (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) busy = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *request = g_strdup_printf ("POST /submissions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\nContent-Type: multipart/form-data; "
                                              "boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n", f->token);

  f->r = start (f->db, f->log, "--max-connections", "8", "--max-connections-per-address", "4",
                "--header-timeout", "60", "--request-timeout", "60", NULL);

  for (guint i = 0; i < 4; i++)
    g_ptr_array_add (held, raw_connect ("127.0.0.1", f->r->port));
  {
    g_autoptr(GSocketConnection) fifth = raw_connect ("127.0.0.1", f->r->port);

    assert_service (G_IO_STREAM (fifth));
  }
  g_assert_true (closed_by_receiver (held->pdata[0]));

  /* Four in the middle of their bodies: none can make room. */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocketConnection *connection = raw_connect ("127.0.0.6", f->r->port);

      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request, strlen (request),
                                 NULL, NULL, &error);
      g_assert_no_error (error);
      g_ptr_array_add (busy, connection);
    }
  g_usleep (200 * 1000);  /* their headers read */
  {
    g_autoptr(GSocketConnection) fifth = raw_connect ("127.0.0.6", f->r->port);

    g_assert_true (closed_by_receiver (fifth));
  }
  /* Another address, while this one is at its limit. */
  {
    g_autoptr(GSocketConnection) other = raw_connect ("127.0.0.2", f->r->port);

    assert_service (G_IO_STREAM (other));
  }
  /* The others of the first address are still served. */
  assert_service (G_IO_STREAM (held->pdata[3]));

  /* 2 silent + 4 busy open; two more fill the total, a ninth closes the
   * oldest silent one (the second of 127.0.0.1) and is served. */
  for (guint i = 0; i < 2; i++)
    g_ptr_array_add (others, raw_connect ("127.0.0.3", f->r->port));
  {
    g_autoptr(GSocketConnection) late = raw_connect ("127.0.0.5", f->r->port);

    assert_service (G_IO_STREAM (late));
  }
  g_assert_true (closed_by_receiver (held->pdata[1]));
}

/* Drips @text one byte every 100 ms for at most @max_ms: whether the
 * receiver closed the connection meanwhile. */
static gboolean
drip (GSocketConnection *connection,
      const char        *text,
      guint              max_ms)
{
  GSocket *socket = g_socket_connection_get_socket (connection);

  for (guint ms = 0, i = 0; ms < max_ms; ms += 100)
    {
      char byte = text[i % strlen (text)];
      char buffer[4096];
      gssize n;

      i++;
      if (g_socket_send (socket, &byte, 1, NULL, NULL) < 0)
        return TRUE;
      g_usleep (100 * 1000);
      if (g_socket_condition_check (socket, G_IO_IN | G_IO_HUP | G_IO_ERR) != 0)
        {
          n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);
          if (n <= 0 || g_str_has_prefix (buffer, "HTTP/1.1 "))
            return TRUE;
        }
    }
  return FALSE;
}

/* A slow loris: headers, then a body, a byte at a time, each well within
 * the idle time-out; cut at the header and request time-outs (1 and 2 s;
 * dripped for 10 s at most). */
static void
test_slow_loris (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *request = g_strdup_printf ("POST /submissions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\nContent-Type: multipart/form-data; "
                                              "boundary=b\r\nContent-Length: 100000\r\n\r\n", f->token);
  g_autofree char *log = NULL;

  f->r = start (f->db, f->log, "--header-timeout", "1", "--request-timeout", "2", "--idle-timeout", "60", NULL);

  {
    g_autoptr(GSocketConnection) headers = raw_connect (NULL, f->r->port);

    g_assert_true (drip (headers, "GET / HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 10000));
  }
  {
    g_autoptr(GSocketConnection) body = raw_connect (NULL, f->r->port);
    g_autoptr(GError) error = NULL;

    g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (body)), request, strlen (request),
                               NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (drip (body, "--b\r\n", 10000));
  }
  g_clear_pointer (&f->r, td_test_receiver_stop);
  log = read_log (f);
  g_assert_nonnull (strstr (log, "no request headers within 1 s"));
  g_assert_nonnull (strstr (log, "the request not read whole within 2 s"));
}

/* Bodies: over the limit, refused and not kept; many large ones at once,
 * read from disk within a bound of memory. */
static char *
status_field (GSubprocess *process,
              const char  *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (process));
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], field))
      return g_strstrip (g_strdup (lines[i] + strlen (field)));
  return NULL;
}

typedef struct
{
  guint   pending;
  guint   counts[600];
} Parallel;

static void
parallel_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Parallel *parallel = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes G_GNUC_UNUSED = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  g_assert_no_error (error);
  parallel->counts[MIN (soup_message_get_status (msg), 599)]++;
  parallel->pending--;
}

static guint
count_spool_files (const char *db)
{
  g_autofree char *dir = g_path_get_dirname (db);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (listing)))
    n += g_str_has_prefix (name, ".training-desk-receiver-upload-");
  return n;
}

static void
test_bodies (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(SoupSession) session = new_session (120);
  g_autoptr(TdTestUpload) big = upload_new ("王建国", 6 * 1024 * 1024);
  g_autoptr(GPtrArray) uploads = g_ptr_array_new_with_free_func ((GDestroyNotify)td_test_upload_free);
  g_autofree char *hwm = NULL;
  g_autofree char *listed = NULL;
  g_auto(GStrv) lines = NULL;
  Parallel parallel = { 0, };
  guint64 kib G_GNUC_UNUSED;

  f->r = start (f->db, f->log, "--max-body", "4194304", NULL);

  /* Over the limit, sent chunked: 413, nothing stored, no file left. */
  {
    g_autoptr(SoupMessage) msg = upload_message (f->r, f->token, big, FALSE);
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GError) error = NULL;
    SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
    SoupMultipart *multipart;

    /* The same multipart, without a length. */
    multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
    soup_multipart_append_form_file (multipart, "form", "form.json", "application/json", big->form);
    soup_multipart_append_form_file (multipart, "pdf", "form.pdf", "application/pdf", big->pdf);
    soup_multipart_append_form_file (multipart, "signature", "signature.json", "application/json", big->signature);
    soup_multipart_to_message (multipart, headers, &body);
    soup_multipart_free (multipart);
    soup_message_headers_remove (headers, "Content-Length");
    {
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (body);
      /* A copy: setting the body replaces the header the string lives in. */
      g_autofree char *content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));

      soup_message_set_request_body (msg, content_type, stream, -1);
    }
    g_bytes_unref (soup_session_send_and_read (session, msg, NULL, &error));
    g_assert_true (error != NULL || soup_message_get_status (msg) == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  }
  g_assert_cmpuint (count_spool_files (f->db), ==, 0);
  td_test_receiver_stop (f->r);

  /* 12 uploads of 20 MiB at once: held in memory, 240 MiB; from disk, a
   * few at a time. */
  f->r = start (f->db, f->log, "--school-quota", "0", NULL);
  for (guint i = 0; i < 12; i++)
    g_ptr_array_add (uploads, upload_new ("王建国", 20 * 1024 * 1024));
  for (guint i = 0; i < uploads->len; i++)
    {
      g_autoptr(SoupMessage) msg = upload_message (f->r, f->token, uploads->pdata[i], FALSE);

      parallel.pending++;
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, parallel_cb, &parallel);
    }
  while (parallel.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (parallel.counts[SOUP_STATUS_CREATED], ==, 12);

  hwm = status_field (f->r->process, "VmHWM:");
  kib = g_ascii_strtoull (hwm, NULL, 10);
  g_test_message ("the receiver's peak resident memory: %s", hwm);
  /* The bound is the plain build's: AddressSanitizer's shadow memory and
   * quarantine add hundreds of MB to the same receiver. */
#if !TD_TEST_HAS_ASAN
  g_assert_cmpuint (kib, <, 160 * 1024);
#endif
  g_assert_cmpuint (count_spool_files (f->db), ==, 0);
  g_clear_pointer (&f->r, td_test_receiver_stop);

  listed = td_test_receiver_run (f->db, "--list", NULL);
  /* A header line and 12 submissions, then the other sections. */
  *strstr (listed, "\n\n") = '\0';
  lines = g_strsplit (listed, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 13);
}

/* Where the body ends is ambiguous: 400, and nothing after it read (the
 * smuggled request is not answered). */
static void
test_framing (Fixture       *f,
              gconstpointer  data)
{
  static const char * const framings[] = {
    "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n0\r\n\r\n",
    "Content-Length: 0\r\nContent-Length: 45\r\n\r\n",
  };

  f->r = start (f->db, f->log, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (framings); i++)
    {
      g_autoptr(GSocketConnection) connection = raw_connect (NULL, f->r->port);
      g_autofree char *request = g_strdup_printf ("POST /submissions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                  "Authorization: Bearer %s\r\n%s"
                                                  "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                                                  f->token, framings[i]);
      g_autofree char *answer = exchange (G_IO_STREAM (connection), request);

      g_test_message ("%s", answer);
      g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 400"));
      g_assert_nonnull (strstr (answer, "Transfer-Encoding"));
      g_assert_null (strstr (answer + 1, "HTTP/1."));
    }
}

/* A signer with a newline and an escape sequence: one log line, escaped. */
static void
test_log_escaped (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TdTestUpload) u = upload_new ("王建国\ntd-receiver-Message: 09:00:00.000: FORGED 201 stored\x1b[2J", 2000);
  g_autoptr(SoupSession) session = new_session (30);
  g_auto(Answer) answer = { 0, };
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  f->r = start (f->db, f->log, NULL);
  answer = post (session, f->r, f->token, u, FALSE);
  assert_answer (&answer, SOUP_STATUS_UNPROCESSABLE_ENTITY, "unverified");
  g_clear_pointer (&f->r, td_test_receiver_stop);

  log = read_log (f);
  g_test_message ("%s", log);
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_assert_false (g_str_has_prefix (lines[i], "FORGED"));
      g_assert_false (g_str_has_prefix (lines[i], "td-receiver-Message: 09:00:00.000"));
      g_assert_null (strchr (lines[i], '\x1b'));
      n += strstr (lines[i], "王建国\\ntd-receiver-Message: 09:00:00.000: FORGED 201 stored\\x1b[2J") != NULL;
    }
  g_assert_cmpuint (n, ==, 1);
}

/* A school over its quota: 507 from the stored bytes, from the headers
 * (before the body), and a revision stored already still answered 200. */
static void
test_quota (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TdTestUpload) first = upload_new ("王建国", 300 * 1024);
  g_autoptr(TdTestUpload) second = upload_new ("王建国", 300 * 1024);
  g_autoptr(TdTestUpload) huge = upload_new ("王建国", 3 * 1024 * 1024);
  g_autoptr(SoupSession) session = new_session (30);
  g_autofree char *quota = g_strdup_printf ("%" G_GSIZE_FORMAT, upload_size (first) + 1000);
  g_autofree char *listed = NULL;
  g_auto(GStrv) lines = NULL;

  f->r = start (f->db, f->log, "--school-quota", quota, NULL);
  {
    g_auto(Answer) stored = post (session, f->r, f->token, first, FALSE);
    g_auto(Answer) over = post (session, f->r, f->token, second, FALSE);
    g_auto(Answer) over_early = post (session, f->r, f->token, huge, TRUE);
    g_auto(Answer) again = post (session, f->r, f->token, first, FALSE);

    assert_answer (&stored, SOUP_STATUS_CREATED, "stored");
    assert_answer (&over, SOUP_STATUS_INSUFFICIENT_STORAGE, "over-quota");
    g_assert_nonnull (strstr (over.message, "quota"));
    assert_answer (&over_early, SOUP_STATUS_INSUFFICIENT_STORAGE, "over-quota");
    assert_answer (&again, SOUP_STATUS_OK, "already-stored");
  }
  g_clear_pointer (&f->r, td_test_receiver_stop);

  listed = td_test_receiver_run (f->db, "--list", NULL);
  /* The submissions' section: a header line and one. */
  *strstr (listed, "\n\n") = '\0';
  lines = g_strsplit (listed, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
}


/* Concurrency (issue 17): verified on worker threads, stored by one
 * writer several at a commit. */

/* Every answer closes its connection, and the client may open the next
 * before the receiver has seen the last one close: the per-address limit
 * (32, all of the session's connections) is not what is tested here. */
#define MANY_OPTIONS "--max-connections-per-address", "256"

typedef struct
{
  guint       pending;
  guint       n;
  guint      *statuses;
  char      **words;
  char      **receipts;
  GPtrArray  *acknowledged; /* revisions answered 201, as they came */
  GSubprocess *kill_at_process;
  guint       kill_at;    /* SIGKILL the receiver after this many 201 */
} Many;

typedef struct
{
  Many  *many;
  guint  index;
  char  *key;
} ManyOne;

static void
many_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ManyOne *one = user_data;
  Many *many = one->many;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  many->pending--;
  if (bytes == NULL)
    {
      /* Only when the receiver was killed. */
      g_assert_nonnull (many->kill_at_process);
      g_test_message ("upload %u: no answer: %s", one->index, error->message);
    }
  else
    {
      g_auto(Answer) answer = { 0, };
      g_autoptr(JsonParser) parser = json_parser_new ();

      read_answer (msg, bytes, &answer);
      many->statuses[one->index] = answer.status;
      many->words[one->index] = g_strdup (answer.word);
      if (answer.status == SOUP_STATUS_CREATED)
        {
          g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                                     (gssize)g_bytes_get_size (bytes), NULL));
          many->receipts[one->index] =
            g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                     "receipt"));
          g_ptr_array_add (many->acknowledged, g_strdup (one->key));
          if (many->kill_at_process && many->acknowledged->len == many->kill_at)
            g_subprocess_force_exit (many->kill_at_process);
        }
    }
  g_free (one->key);
  g_free (one);
}

/* Sends @uploads all at once; returns when every one is answered (or
 * failed, the receiver killed). */
static Many *
many_send (TdTestReceiver *r,
           const char     *token,
           GPtrArray      *uploads,
           guint           kill_at)
{
  g_autoptr(SoupSession) session = new_session (120);
  Many *many = g_new0 (Many, 1);

  many->n = uploads->len;
  many->statuses = g_new0 (guint, uploads->len);
  many->words = g_new0 (char *, uploads->len + 1);
  many->receipts = g_new0 (char *, uploads->len + 1);
  many->acknowledged = g_ptr_array_new_with_free_func (g_free);
  many->kill_at = kill_at;
  many->kill_at_process = kill_at > 0 ? r->process : NULL;
  for (guint i = 0; i < uploads->len; i++)
    {
      TdTestUpload *u = uploads->pdata[i];
      g_autoptr(SoupMessage) msg = upload_message (r, token, u, FALSE);
      ManyOne *one = g_new0 (ManyOne, 1);

      one->many = many;
      one->index = i;
      one->key = g_strdup (u->key);
      many->pending++;
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, many_cb, one);
    }
  while (many->pending > 0)
    g_main_context_iteration (NULL, TRUE);
  return many;
}

static void
many_free (Many *many)
{
  g_free (many->statuses);
  for (guint i = 0; i < many->n; i++)
    {
      g_free (many->words[i]);
      g_free (many->receipts[i]);
    }
  g_free (many->words);
  g_free (many->receipts);
  g_ptr_array_unref (many->acknowledged);
  g_free (many);
}

/* The revisions --list shows, and the key bound to the school. */
static GPtrArray *
listed_revisions (const char *db,
                  char      **bound_key)
{
  g_autofree char *listed = td_test_receiver_run (db, "--list", NULL);
  g_auto(GStrv) sections = g_strsplit (listed, "\n\n", -1);
  g_auto(GStrv) lines = g_strsplit (sections[0], "\n", -1);
  GPtrArray *revisions = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 1; lines[i]; i++)
    {
      g_auto(GStrv) columns = g_strsplit (lines[i], "\t", -1);

      if (*lines[i] == '\0')
        continue;
      g_assert_cmpuint (g_strv_length (columns), ==, 9);
      g_ptr_array_add (revisions, g_strdup (columns[7]));
    }
  if (bound_key)
    *bound_key = g_strdup (sections[1]);
  return revisions;
}

static gboolean
str_in (GPtrArray  *array,
        const char *s)
{
  return g_ptr_array_find_with_equal_func (array, s, g_str_equal, NULL);
}

/* 48 uploads at once (the session's 32 connections): every one 201 with
 * a receipt of its own, and each stored exactly once. */
static void
test_concurrent (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) uploads = g_ptr_array_new_with_free_func ((GDestroyNotify)td_test_upload_free);
  g_autoptr(GHashTable) receipts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) stored = NULL;
  Many *many;

  f->r = start (f->db, f->log, MANY_OPTIONS, NULL);
  for (guint i = 0; i < 48; i++)
    g_ptr_array_add (uploads, upload_new ("王建国", 20 * 1024 + i * 1000));
  many = many_send (f->r, f->token, uploads, 0);
  for (guint i = 0; i < uploads->len; i++)
    {
      g_assert_cmpuint (many->statuses[i], ==, SOUP_STATUS_CREATED);
      g_assert_nonnull (many->receipts[i]);
      g_assert_true (g_hash_table_add (receipts, many->receipts[i]));
    }
  g_clear_pointer (&f->r, td_test_receiver_stop);

  stored = listed_revisions (f->db, NULL);
  g_assert_cmpuint (stored->len, ==, uploads->len);
  for (guint i = 0; i < uploads->len; i++)
    g_assert_true (str_in (stored, ((TdTestUpload *)uploads->pdata[i])->key));
  many_free (many);
}

/* Uploads stored in one transaction (TD_RECEIVER_TEST_GATHER makes the
 * first commit wait for all of them): the key checks see one another.
 * A school without a key, two first submissions signed by different
 * keys: one enrols its key (201), the other is refused (409
 * key-mismatch), whichever is first in the batch. Then, the key bound,
 * three signed by it and one by the other, in one batch: the one 409,
 * the three 201, stored. */
static void
test_batch_keys (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func ((GDestroyNotify)td_test_upload_free);
  g_autoptr(GPtrArray) second = g_ptr_array_new_with_free_func ((GDestroyNotify)td_test_upload_free);
  g_autoptr(GPtrArray) stored = NULL;
  g_autofree char *log = NULL;
  g_autofree char *schools = NULL;
  Many *many;
  guint winner, loser;

  g_ptr_array_add (first, upload_new_keyed ("王建国", 4000, 0));
  g_ptr_array_add (first, upload_new_keyed ("王建国", 4000, 1));
  start_gather = "2";
  f->r = start (f->db, f->log, MANY_OPTIONS, NULL);
  start_gather = NULL;
  many = many_send (f->r, f->token, first, 0);
  g_assert_true ((many->statuses[0] == SOUP_STATUS_CREATED && many->statuses[1] == SOUP_STATUS_CONFLICT) ||
                 (many->statuses[1] == SOUP_STATUS_CREATED && many->statuses[0] == SOUP_STATUS_CONFLICT));
  winner = many->statuses[0] == SOUP_STATUS_CREATED ? 0 : 1;
  loser = 1 - winner;
  g_assert_cmpstr (many->words[loser], ==, "key-mismatch");
  many_free (many);
  g_clear_pointer (&f->r, td_test_receiver_stop);

  log = read_log (f);
  g_assert_nonnull (strstr (log, "a group commit of 2 submissions"));
  stored = listed_revisions (f->db, &schools);
  g_assert_cmpuint (stored->len, ==, 1);
  g_assert_cmpstr (stored->pdata[0], ==, ((TdTestUpload *)first->pdata[winner])->key);
  g_clear_pointer (&stored, g_ptr_array_unref);

  /* The key bound is the winner's: three of it and one of the other. */
  for (guint i = 0; i < 4; i++)
    g_ptr_array_add (second, upload_new_keyed ("王建国", 4000 + i, i == 2 ? loser : winner));
  start_gather = "4";
  f->r = start (f->db, f->log, MANY_OPTIONS, NULL);
  start_gather = NULL;
  many = many_send (f->r, f->token, second, 0);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpuint (many->statuses[i], ==, i == 2 ? SOUP_STATUS_CONFLICT : SOUP_STATUS_CREATED);
      g_assert_cmpstr (many->words[i], ==, i == 2 ? "key-mismatch" : "stored");
    }
  many_free (many);
  g_clear_pointer (&f->r, td_test_receiver_stop);

  g_clear_pointer (&log, g_free);
  log = read_log (f);
  g_assert_nonnull (strstr (log, "a group commit of 4 submissions"));
  stored = listed_revisions (f->db, NULL);
  g_assert_cmpuint (stored->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_true (str_in (stored, ((TdTestUpload *)second->pdata[i])->key) == (i != 2));
}

/* The receiver killed (SIGKILL) while uploads come: every upload it
 * answered 201 is in the database (an answer only after its commit). */
static void
test_killed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) uploads = g_ptr_array_new_with_free_func ((GDestroyNotify)td_test_upload_free);
  g_autoptr(GPtrArray) stored = NULL;
  Many *many;

  f->r = start (f->db, f->log, MANY_OPTIONS, NULL);
  for (guint i = 0; i < 64; i++)
    g_ptr_array_add (uploads, upload_new ("王建国", 30 * 1024));
  many = many_send (f->r, f->token, uploads, 12);
  g_test_message ("%u acknowledged before the receiver was killed", many->acknowledged->len);
  g_assert_cmpuint (many->acknowledged->len, >=, 12);
  g_subprocess_wait (f->r->process, NULL, NULL);
  g_assert_false (g_subprocess_get_if_exited (f->r->process));
  /* Not td_test_receiver_stop(): it is dead already. */
  g_object_unref (f->r->process);
  g_free (f->r->database);
  g_free (f->r->url);
  g_clear_pointer (&f->r, g_free);

  stored = listed_revisions (f->db, NULL);
  g_test_message ("%u stored", stored->len);
  for (guint i = 0; i < many->acknowledged->len; i++)
    g_assert_true (str_in (stored, many->acknowledged->pdata[i]));
  many_free (many);
}

/* A chunked upload past the limit: 413, and the receiver never held it:
 * its peak memory stays under the limit it refused. */
static void
test_oversize_streamed (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(SoupSession) session = new_session (120);
  g_autoptr(TdTestUpload) big = upload_new ("王建国", 64 * 1024 * 1024);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hwm = NULL;
  SoupMessageHeaders *headers;
  SoupMultipart *multipart;

  f->r = start (f->db, f->log, "--max-body", "50331648", NULL);
  msg = upload_message (f->r, f->token, big, FALSE);
  headers = soup_message_get_request_headers (msg);
  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  soup_multipart_append_form_file (multipart, "form", "form.json", "application/json", big->form);
  soup_multipart_append_form_file (multipart, "pdf", "form.pdf", "application/pdf", big->pdf);
  soup_multipart_append_form_file (multipart, "signature", "signature.json", "application/json", big->signature);
  soup_multipart_to_message (multipart, headers, &body);
  soup_multipart_free (multipart);
  soup_message_headers_remove (headers, "Content-Length");
  {
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (body);
    g_autofree char *content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));

    soup_message_set_request_body (msg, content_type, stream, -1);
  }
  g_bytes_unref (soup_session_send_and_read (session, msg, NULL, &error));
  g_assert_true (error != NULL || soup_message_get_status (msg) == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  if (error == NULL)
    g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);

  hwm = status_field (f->r->process, "VmHWM:");
  g_test_message ("the receiver's peak resident memory: %s", hwm);
#if !TD_TEST_HAS_ASAN
  g_assert_cmpuint (g_ascii_strtoull (hwm, NULL, 10), <, 48 * 1024);
#endif
  g_assert_cmpuint (count_spool_files (f->db), ==, 0);
}

/* PRAGMA page_size of the database at @db. */
static int
page_size (const char *db)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  int size;

  g_assert_cmpint (sqlite3_open_v2 (db, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "PRAGMA page_size", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  size = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return size;
}

/* Uploads to the receiver at @f->db, one after the other on each
 * connection's statements (prepared once, issue 17): stored, stored
 * again (200), the other key refused (409, the statement given back in
 * the middle of its transaction), stored after that; then every one is
 * listed, its PDF whole. */
static void
store_one_by_one (Fixture *f)
{
  g_autoptr(SoupSession) session = new_session (30);
  g_autoptr(TdTestUpload) a = upload_new ("王建国", 64 * 1024);
  g_autoptr(TdTestUpload) b = upload_new ("王建国", 200 * 1024);
  g_autoptr(TdTestUpload) other = upload_new_keyed ("王建国", 3000, 1);
  g_autoptr(TdTestUpload) c = upload_new ("王建国", 5000);
  g_autoptr(GPtrArray) stored = NULL;
  g_auto(Answer) first = { 0, };
  g_auto(Answer) second = { 0, };
  g_auto(Answer) again = { 0, };
  g_auto(Answer) refused = { 0, };
  g_auto(Answer) third = { 0, };
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;

  f->r = start (f->db, f->log, NULL);
  first = post (session, f->r, f->token, a, FALSE);
  assert_answer (&first, SOUP_STATUS_CREATED, "stored");
  second = post (session, f->r, f->token, b, FALSE);
  assert_answer (&second, SOUP_STATUS_CREATED, "stored");
  again = post (session, f->r, f->token, a, FALSE);
  assert_answer (&again, SOUP_STATUS_OK, "already-stored");
  refused = post (session, f->r, f->token, other, FALSE);
  assert_answer (&refused, SOUP_STATUS_CONFLICT, "key-mismatch");
  third = post (session, f->r, f->token, c, FALSE);
  assert_answer (&third, SOUP_STATUS_CREATED, "stored");
  g_clear_pointer (&f->r, td_test_receiver_stop);

  stored = listed_revisions (f->db, NULL);
  g_assert_cmpuint (stored->len, ==, 3);
  g_assert_true (str_in (stored, a->key) && str_in (stored, b->key) && str_in (stored, c->key));
  g_assert_false (str_in (stored, other->key));
  g_assert_cmpint (sqlite3_open_v2 (f->db, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT pdf FROM submission WHERE uuid = ?1", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, b->key, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_bytes (stmt, 0), ==, (int)g_bytes_get_size (b->pdf));
  g_assert_cmpmem (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0),
                   g_bytes_get_data (b->pdf, NULL), g_bytes_get_size (b->pdf));
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
}

/* A database the receiver makes has 16 KiB pages (issue 17: a 64 KiB
 * PDF in 4 pages of the log, not 16), and stores into them. */
static void
test_new_pages (Fixture       *f,
                gconstpointer  data)
{
  g_assert_cmpint (page_size (f->db), ==, 16384);
  store_one_by_one (f);
  g_assert_cmpint (page_size (f->db), ==, 16384);
}

/* A database made before, with SQLite's 4 KiB pages, keeps them, and
 * the receiver stores into it as into a new one. */
static void
test_old_pages (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *old = td_test_unique_path (tmp_dir, "receiver-4k.db");
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open (old, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; "
                                 "CREATE TABLE made_before (x)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);
  g_assert_cmpint (page_size (old), ==, 4096);

  g_free (f->db);
  g_free (f->token);
  f->db = g_steal_pointer (&old);
  f->token = td_test_receiver_add_school (f->db, SCHOOL);
  g_assert_cmpint (page_size (f->db), ==, 4096);
  store_one_by_one (f);
  g_assert_cmpint (page_size (f->db), ==, 4096);
}

/* Keep-alive (issue 17) */

/* An upload as a client writes it, on a connection of the test's own. */
static char *
raw_upload (TdTestUpload *u,
            const char   *token,
            gsize        *length)
{
  g_autoptr(GString) body = g_string_new (NULL);
  GString *request = g_string_new (NULL);
  const struct { const char *name, *file, *type; GBytes *bytes; } parts[] = {
    { "form", "form.json", "application/json", u->form },
    { "pdf", "form.pdf", "application/pdf", u->pdf },
    { "signature", "signature.json", "application/json", u->signature },
  };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_string_append_printf (body, "--b\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                              "Content-Type: %s\r\n\r\n", parts[i].name, parts[i].file, parts[i].type);
      g_string_append_len (body, g_bytes_get_data (parts[i].bytes, NULL), (gssize)g_bytes_get_size (parts[i].bytes));
      g_string_append (body, "\r\n");
    }
  g_string_append (body, "--b--\r\n");
  g_string_append_printf (request, "POST /submissions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                          "Idempotency-Key: %s\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", token, u->key, body->len);
  g_string_append_len (request, body->str, (gssize)body->len);
  *length = request->len;
  return g_string_free (request, FALSE);
}

/* One answer read from @connection, head and body, and no more: the
 * connection may stay open after it. */
static char *
read_one_answer (GIOStream *connection)
{
  GInputStream *in = g_io_stream_get_input_stream (connection);
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *end, *length;
  gsize want;
  char c;

  /* A byte at a time: nothing of what may follow is read. */
  while ((end = strstr (answer->str, "\r\n\r\n")) == NULL)
    {
      g_assert_cmpint (g_input_stream_read (in, &c, 1, NULL, &error), ==, 1);
      g_string_append_c (answer, c);
    }
  length = g_strstr_len (answer->str, -1, "Content-Length: ");
  g_assert_nonnull (length);
  want = (gsize)(end - answer->str) + 4 + (gsize)g_ascii_strtoull (length + strlen ("Content-Length: "), NULL, 10);
  while (answer->len < want)
    {
      g_assert_cmpint (g_input_stream_read (in, &c, 1, NULL, &error), ==, 1);
      g_string_append_c (answer, c);
    }
  g_assert_no_error (error);
  return g_string_free (g_steal_pointer (&answer), FALSE);
}

static char *
send_on (GIOStream  *connection,
         const char *request,
         gsize       length)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (connection), request, length, NULL, NULL, &error);
  g_assert_no_error (error);
  return read_one_answer (connection);
}

/* Uploads stored are answered without "Connection: close": the next one
 * comes on the same connection, and is stored; any other answer (one
 * refused, a page) still closes it. A connection kept open and silent is
 * closed by the header time-out, counted from its last answer. */
static void
test_keep_alive (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TdTestUpload) a = upload_new ("王建国", 64 * 1024);
  g_autoptr(TdTestUpload) b = upload_new ("王建国", 3000);
  g_autoptr(TdTestUpload) unsigned_by_signer = upload_new ("李四", 3000);
  g_autoptr(GPtrArray) stored = NULL;
  g_autofree char *log = NULL;
  gsize length;

  f->r = start (f->db, f->log, "--header-timeout", "2", "--idle-timeout", "60", NULL);
  {
    g_autoptr(GSocketConnection) connection = raw_connect (NULL, f->r->port);
    g_autofree char *upload_a = raw_upload (a, f->token, &length);
    g_autofree char *first = send_on (G_IO_STREAM (connection), upload_a, length);
    g_autofree char *again = send_on (G_IO_STREAM (connection), upload_a, length);
    g_autofree char *upload_b = raw_upload (b, f->token, &length);
    g_autofree char *second = send_on (G_IO_STREAM (connection), upload_b, length);
    g_autofree char *page = send_on (G_IO_STREAM (connection), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                                     strlen ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));

    g_assert_true (g_str_has_prefix (first, "HTTP/1.1 201"));
    g_assert_null (strstr (first, "Connection: close"));
    g_assert_true (g_str_has_prefix (again, "HTTP/1.1 200"));
    g_assert_nonnull (strstr (again, "already-stored"));
    g_assert_true (g_str_has_prefix (second, "HTTP/1.1 201"));
    g_assert_true (g_str_has_prefix (page, "HTTP/1.1 200"));
    g_assert_nonnull (strstr (page, "Connection: close"));
    g_assert_true (closed_by_receiver (connection));
  }
  {
    g_autoptr(GSocketConnection) connection = raw_connect (NULL, f->r->port);
    g_autofree char *upload = raw_upload (unsigned_by_signer, f->token, &length);
    g_autofree char *refused = send_on (G_IO_STREAM (connection), upload, length);

    g_assert_true (g_str_has_prefix (refused, "HTTP/1.1 422"));
    g_assert_nonnull (strstr (refused, "Connection: close"));
    g_assert_true (closed_by_receiver (connection));
  }
  {
    g_autoptr(GSocketConnection) connection = raw_connect (NULL, f->r->port);
    g_autoptr(TdTestUpload) c = upload_new ("王建国", 3000);
    g_autofree char *upload_c = raw_upload (c, f->token, &length);
    g_autofree char *answer = send_on (G_IO_STREAM (connection), upload_c, length);
    gint64 answered_at = g_get_monotonic_time ();

    g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 201"));
    /* Silent after it: closed by the header time-out (2 s), well before
     * the idle one (60 s). */
    g_assert_true (closed_by_receiver (connection));
    g_assert_cmpint (g_get_monotonic_time () - answered_at, <, 30 * G_USEC_PER_SEC);
  }
  g_clear_pointer (&f->r, td_test_receiver_stop);

  log = read_log (f);
  g_assert_nonnull (strstr (log, "no request headers within 2 s"));
  stored = listed_revisions (f->db, NULL);
  g_assert_cmpuint (stored->len, ==, 3);
  g_assert_true (str_in (stored, a->key) && str_in (stored, b->key));
  g_assert_false (str_in (stored, unsigned_by_signer->key));
}

static void
add_case (const char *path,
          void      (*test) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, test, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_dir = td_test_servers_init (&argc, &argv, "test-receiver-hardening");

  add_case ("/receiver-hardening/silent-sockets", test_silent_sockets);
  add_case ("/receiver-hardening/connection-caps", test_connection_caps);
  add_case ("/receiver-hardening/slow-loris", test_slow_loris);
  add_case ("/receiver-hardening/bodies", test_bodies);
  add_case ("/receiver-hardening/framing", test_framing);
  add_case ("/receiver-hardening/log-escaped", test_log_escaped);
  add_case ("/receiver-hardening/quota", test_quota);
  add_case ("/receiver-hardening/concurrent", test_concurrent);
  add_case ("/receiver-hardening/batch-keys", test_batch_keys);
  add_case ("/receiver-hardening/killed", test_killed);
  add_case ("/receiver-hardening/oversize-streamed", test_oversize_streamed);
  add_case ("/receiver-hardening/new-pages", test_new_pages);
  add_case ("/receiver-hardening/old-pages", test_old_pages);
  add_case ("/receiver-hardening/keep-alive", test_keep_alive);

  status = g_test_run ();

  return td_test_servers_finish (status, g_steal_pointer (&tmp_dir));
}
