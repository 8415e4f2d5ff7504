/* test-mail.c: the revision's mail, built and sent to a real SMTP server
 *
 * The server is aiosmtpd (tests/smtp-server.py) on loopback, started by
 * each test on a port the kernel picks, with a certificate made here by
 * openssl; it keeps every message it accepts in a spool directory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>

#include "td-mail.h"

#define UUID "3f2b8c1e-9d4a-4e6b-8f0c-2a7d5e1b9c44"
#define SCHOOL "测试市第一技工学校"
#define LONG_SCHOOL "测试省测试市测试区人力资源和社会保障局直属第一高级技工学校（测试市技师学院）"
#define FROM "office@school.test"
#define TO "rsj@province.test"
#define USER "office@school.test"
#define PASSWORD "AUTHCODE1234"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)

static char *tmp_dir;
static char *cert_file;
static char *key_file;
static const char *python;

/* Helpers */

static GBytes *
make_pdf (void)
{
  GByteArray *pdf = g_byte_array_new ();
  static const char head[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
  /* Lines SMTP would change if the bytes went unencoded: a lone dot, a
   * "From ", bare CR and LF. */
  static const char tricky[] = "\r\n.\r\nFrom here\n.\n\r";

  g_byte_array_append (pdf, (const guint8 *) head, sizeof head - 1);
  for (guint i = 0; i < 64 * 1024; i++)
    {
      guint8 b = (i * 7919 + (i >> 8)) & 0xff;

      g_byte_array_append (pdf, &b, 1);
    }
  g_byte_array_append (pdf, (const guint8 *) tricky, sizeof tricky - 1);
  g_byte_array_append (pdf, (const guint8 *) "%%EOF\n", 6);
  return g_byte_array_free_to_bytes (pdf);
}

static GBytes *
make_json (void)
{
  static const char json[] = "{\"school\": \"" SCHOOL "\", \"revision\": 3}\n";

  return g_bytes_new_static (json, sizeof json - 1);
}

static GBytes *
build (const char *school,
       const char *uuid,
       GError    **error)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+08:00");
  g_autoptr(GDateTime) signed_at = g_date_time_new (tz, 2025, 3, 14, 9, 30, 0);
  g_autoptr(GDateTime) date = g_date_time_new (tz, 2025, 3, 14, 10, 0, 0);
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GBytes) json = make_json ();
  TdMailSubmission submission = {
    .school_name = school,
    .from = FROM,
    .recipient = TO,
    .revision_uuid = uuid,
    .revision_number = 3,
    .signer = "张三",
    .signed_at = signed_at,
    .date = date,
    .pdf = pdf,
    .json = json,
  };

  return td_mail_build_message (&submission, error);
}

static GMimeMessage *
parse (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (data, size);
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);

  g_object_unref (parser);
  g_object_unref (stream);
  g_assert_nonnull (message);
  return message;
}

/* GMime 3.2.13 (Debian 12) joins adjacent base64 encoded-words before
 * decoding them, and loses everything after the first one's '=' padding
 * (jstedfast/gmime#133, fixed later). Each word is whole by RFC 2047: decode
 * them one by one, as other readers do. */
static char *
decode_header (GMimeObject *object,
               const char  *name)
{
  GMimeHeader *header = g_mime_header_list_get_header (g_mime_object_get_header_list (object), name);
  g_autofree char *raw = NULL;
  g_auto(GStrv) words = NULL;
  GString *text = g_string_new (NULL);

  g_assert_nonnull (header);
  raw = g_strdup (g_mime_header_get_raw_value (header));
  g_strdelimit (raw, "\r\n\t", ' ');
  words = g_strsplit (g_strstrip (raw), " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      {
        g_autofree char *decoded = g_mime_utils_header_decode_text (NULL, words[i]);

        g_assert_true (g_str_has_prefix (words[i], "=?UTF-8?"));
        g_string_append (text, decoded);
      }
  return g_string_free (text, FALSE);
}

static GBytes *
part_bytes (GMimeObject *object)
{
  GMimeDataWrapper *content = g_mime_part_get_content (GMIME_PART (object));
  GMimeStream *stream = g_mime_stream_mem_new ();
  GByteArray *array;
  GBytes *bytes;

  g_assert_nonnull (content);
  /* Decoded: the bytes as attached. */
  g_assert_cmpint (g_mime_data_wrapper_write_to_stream (content, stream), >=, 0);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  bytes = g_bytes_new (array->data, array->len);
  g_object_unref (stream);
  return bytes;
}

static void
assert_bytes_equal (GBytes *a,
                    GBytes *b)
{
  gsize a_size, b_size;
  const guint8 *a_data = g_bytes_get_data (a, &a_size);
  const guint8 *b_data = g_bytes_get_data (b, &b_size);

  g_assert_cmpmem (a_data, a_size, b_data, b_size);
}

/* The server */

typedef struct
{
  GSubprocess *process;
  guint16      port;
  char        *spool;
} Server;

static Server *
server_start (const char *security,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "smtp-server.py", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  static guint n;
  Server *server = g_new0 (Server, 1);
  const char *extra;
  va_list args;
  guint64 port;

  server->spool = g_strdup_printf ("%s/spool-%u", tmp_dir, ++n);
  g_assert_cmpint (g_mkdir (server->spool, 0700), ==, 0);

  g_ptr_array_add (argv, g_strdup (python));
  g_ptr_array_add (argv, g_strdup (script));
  g_ptr_array_add (argv, g_strdup_printf ("--spool=%s", server->spool));
  g_ptr_array_add (argv, g_strdup_printf ("--cert=%s", cert_file));
  g_ptr_array_add (argv, g_strdup_printf ("--key=%s", key_file));
  g_ptr_array_add (argv, g_strdup_printf ("--security=%s", security));
  g_ptr_array_add (argv, g_strdup ("--user=" USER));
  g_ptr_array_add (argv, g_strdup ("--password=" PASSWORD));
  va_start (args, security);
  while ((extra = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (extra));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  /* stdin a pipe: the server stops when it closes, even if we crash.
   * Its messages go to a file: a refused handshake, as the tests want,
   * makes aiosmtpd print a traceback. */
  log = g_build_filename (server->spool, "server.log", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_ascii_string_to_unsigned (line, 10, 1, 65535, &port, NULL))
    g_error ("The SMTP server did not start (it printed “%s”): see %s.",
             line ? line : "", log);
  server->port = port;
  g_test_message ("SMTP server (%s) on port %u, its messages in %s", security, server->port, log);
  return server;
}

static void
server_stop (Server *server)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_close (g_subprocess_get_stdin_pipe (server->process), NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (server->process, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (server->process);
  g_free (server->spool);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_stop)

static guint
spool_count (Server *server)
{
  g_autoptr(GDir) dir = g_dir_open (server->spool, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".eml"))
      n++;
  return n;
}

static GBytes *
spool_message (Server *server,
               guint   n)
{
  g_autofree char *path = g_strdup_printf ("%s/%u.eml", server->spool, n);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, &error);

  g_assert_no_error (error);
  return g_mapped_file_get_bytes (file);
}

static char *
spool_envelope (Server *server,
                guint   n)
{
  g_autofree char *path = g_strdup_printf ("%s/%u.envelope", server->spool, n);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static TdMailSettings *
settings_for (Server         *server,
              TdMailSecurity  security,
              gboolean        trust)
{
  TdMailSettings *settings = td_mail_settings_new ("127.0.0.1", server ? server->port : 0, security, USER);

  if (trust)
    settings->ca_file = g_strdup (cert_file);
  settings->timeout_seconds = 10;
  return settings;
}

/* A socket bound to a port but not listening: connecting is refused, and
 * no other process can take the port meanwhile. */
static GSocket *
closed_port (guint16 *port,
             gboolean listen)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  if (listen)
    {
      g_socket_listen (socket, &error);
      g_assert_no_error (error);
    }
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

/* Building */

static void
test_build (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = build (SCHOOL, UUID, &error);
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GBytes) json = make_json ();
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GBytes) text_bytes = NULL;
  g_autoptr(GBytes) pdf_bytes = NULL;
  g_autoptr(GBytes) json_bytes = NULL;
  g_autofree char *text = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *raw_lower = NULL;
  InternetAddressList *list;
  InternetAddressMailbox *mailbox;
  GMimeMultipart *mixed;
  GMimeObject *part;
  gsize size;
  const char *data;

  g_assert_no_error (error);
  g_assert_nonnull (bytes);

  /* 7-bit, CRLF only, lines SMTP takes. */
  data = g_bytes_get_data (bytes, &size);
  raw = g_strndup (data, size);
  for (gsize i = 0, line = 0; i < size; i++, line++)
    {
      g_assert_cmpuint ((guint8) data[i], <, 128);
      if (data[i] == '\n')
        {
          g_assert_true (i > 0 && data[i - 1] == '\r');
          line = 0;
        }
      g_assert_cmpuint (line, <=, 998);
    }
  /* The encodings asked for, in the raw message. */
  raw_lower = g_ascii_strdown (raw, -1);
  g_assert_nonnull (strstr (raw_lower, "subject: =?utf-8?b?"));
  g_assert_nonnull (strstr (raw_lower, "filename*0*=utf-8''%e8%81%8c"));
  g_assert_nonnull (strstr (raw_lower, "content-transfer-encoding: base64"));
  g_assert_nonnull (strstr (raw, "Message-Id: <" UUID "@training-desk.vocedu.github.io>"));
  g_assert_nonnull (strstr (raw, "Date: Fri, 14 Mar 2025 10:00:00 +0800"));

  message = parse (bytes);
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "职业培训意向表-" SCHOOL);
  g_assert_cmpstr (g_mime_message_get_message_id (message), ==, UUID "@training-desk.vocedu.github.io");
  date = g_date_time_ref (g_mime_message_get_date (message));
  g_assert_cmpint (g_date_time_to_unix (date), ==, 1741917600);

  list = g_mime_message_get_from (message);
  g_assert_cmpint (internet_address_list_length (list), ==, 1);
  mailbox = INTERNET_ADDRESS_MAILBOX (internet_address_list_get_address (list, 0));
  g_assert_cmpstr (internet_address_mailbox_get_addr (mailbox), ==, FROM);
  g_assert_cmpstr (internet_address_get_name (INTERNET_ADDRESS (mailbox)), ==, SCHOOL);
  list = g_mime_message_get_to (message);
  g_assert_cmpint (internet_address_list_length (list), ==, 1);
  mailbox = INTERNET_ADDRESS_MAILBOX (internet_address_list_get_address (list, 0));
  g_assert_cmpstr (internet_address_mailbox_get_addr (mailbox), ==, TO);

  mixed = GMIME_MULTIPART (g_mime_message_get_mime_part (message));
  g_assert_true (GMIME_IS_MULTIPART (mixed));
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (GMIME_OBJECT (mixed)), "multipart", "mixed"));
  g_assert_cmpint (g_mime_multipart_get_count (mixed), ==, 3);

  /* The body: which school, which revision, signed by whom and when. */
  part = g_mime_multipart_get_part (mixed, 0);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (part), "text", "plain"));
  g_assert_cmpstr (g_mime_object_get_content_type_parameter (part, "charset"), ==, "utf-8");
  text_bytes = part_bytes (part);
  text = g_strndup (g_bytes_get_data (text_bytes, NULL), g_bytes_get_size (text_bytes));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_nonnull (strstr (text, SCHOOL "报送职业培训意向表（第 3 版）"));
  g_assert_nonnull (strstr (text, "由张三于 2025年3月14日 09:30（UTC+08:00） 签署"));
  g_assert_nonnull (strstr (text, "职业培训意向表-" SCHOOL ".pdf"));
  g_assert_nonnull (strstr (text, "职业培训意向表-" SCHOOL ".json"));
  g_assert_nonnull (strstr (text, UUID));

  /* The attachments: names decoded, bytes as given. */
  part = g_mime_multipart_get_part (mixed, 1);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (part), "application", "pdf"));
  g_assert_true (g_mime_part_is_attachment (GMIME_PART (part)));
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (part)), ==, GMIME_CONTENT_ENCODING_BASE64);
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (part)), ==, "职业培训意向表-" SCHOOL ".pdf");
  g_assert_cmpstr (g_mime_object_get_content_type_parameter (part, "name"), ==, "职业培训意向表-" SCHOOL ".pdf");
  pdf_bytes = part_bytes (part);
  assert_bytes_equal (pdf_bytes, pdf);

  part = g_mime_multipart_get_part (mixed, 2);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (part), "application", "json"));
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (part)), ==, GMIME_CONTENT_ENCODING_BASE64);
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (part)), ==, "职业培训意向表-" SCHOOL ".json");
  json_bytes = part_bytes (part);
  assert_bytes_equal (json_bytes, json);

  /* The same revision and date: the same bytes, so a resend is the same mail. */
  again = build (SCHOOL, UUID, &error);
  g_assert_no_error (error);
  assert_bytes_equal (again, bytes);
}

static void
test_build_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = build ("A/B\\C:学校\n分校", "0E6A4D10-1111-4222-8333-944455556666", &error);
  g_autoptr(GMimeMessage) message = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *long_subject = NULL;
  GMimeMultipart *mixed;

  g_assert_no_error (error);
  message = parse (bytes);
  /* A line break would end the header: it is a space. */
  subject = decode_header (GMIME_OBJECT (message), "Subject");
  g_assert_cmpstr (subject, ==, "职业培训意向表-A/B\\C:学校 分校");
  /* The Message-ID in lower case, as UUIDs are compared. */
  g_assert_cmpstr (g_mime_message_get_message_id (message), ==,
                   "0e6a4d10-1111-4222-8333-944455556666@training-desk.vocedu.github.io");
  mixed = GMIME_MULTIPART (g_mime_message_get_mime_part (message));
  /* No character a file system refuses. */
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (g_mime_multipart_get_part (mixed, 1))), ==,
                   "职业培训意向表-A_B_C_学校 分校.pdf");
  g_clear_object (&message);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* A long name: the subject in several encoded words, the file names in
   * several RFC 2231 sections. */
  bytes = build (LONG_SCHOOL, UUID, &error);
  g_assert_no_error (error);
  message = parse (bytes);
  long_subject = decode_header (GMIME_OBJECT (message), "Subject");
  g_assert_cmpstr (long_subject, ==, "职业培训意向表-" LONG_SCHOOL);
  mixed = GMIME_MULTIPART (g_mime_message_get_mime_part (message));
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (g_mime_multipart_get_part (mixed, 1))), ==,
                   "职业培训意向表-" LONG_SCHOOL ".pdf");
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (g_mime_multipart_get_part (mixed, 2))), ==,
                   "职业培训意向表-" LONG_SCHOOL ".json");
}

static void
test_build_invalid (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new (tz, 2025, 3, 14, 1, 30, 0);
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GBytes) json = make_json ();
  TdMailSubmission good = {
    .school_name = SCHOOL, .from = FROM, .recipient = TO, .revision_uuid = UUID,
    .revision_number = 1, .signer = "张三", .signed_at = now, .pdf = pdf, .json = json,
  };
  TdMailSubmission s;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  /* Without a date: now. */
  bytes = td_mail_build_message (&good, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);

  s = good;
  s.from = "office at school";
  g_assert_null (td_mail_build_message (&s, &error));
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "office at school"));
  g_clear_error (&error);

  s = good;
  s.recipient = "";
  g_assert_null (td_mail_build_message (&s, &error));
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID);
  g_clear_error (&error);

  s = good;
  s.revision_uuid = "not-a-uuid";
  g_assert_null (td_mail_build_message (&s, &error));
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID);
  g_clear_error (&error);

  s = good;
  s.school_name = " \n ";
  g_assert_null (td_mail_build_message (&s, &error));
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID);
  g_clear_error (&error);
}

/* Sending */

static void
assert_delivered (Server     *server,
                  GBytes     *message,
                  const char *receipt)
{
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GBytes) stored_pdf = NULL;
  g_autoptr(GMimeMessage) parsed = NULL;
  g_autofree char *envelope = NULL;

  g_assert_cmpstr (receipt, ==, "250 2.0.0 Ok: queued as TEST0001");
  g_assert_cmpuint (spool_count (server), ==, 1);
  stored = spool_message (server, 1);
  /* The very bytes: nothing changed on the way, dots and all. */
  assert_bytes_equal (stored, message);
  parsed = parse (stored);
  g_assert_cmpstr (g_mime_message_get_message_id (parsed), ==, UUID "@training-desk.vocedu.github.io");
  stored_pdf = part_bytes (g_mime_multipart_get_part (GMIME_MULTIPART (g_mime_message_get_mime_part (parsed)), 1));
  assert_bytes_equal (stored_pdf, pdf);
  envelope = spool_envelope (server, 1);
  g_assert_cmpstr (envelope, ==, FROM "\n" TO "\n");
}

static void
test_send_starttls (void)
{
  g_autoptr(Server) server = server_start ("starttls", NULL);
  g_autoptr(TdMailSettings) settings = settings_for (server, TD_MAIL_SECURITY_STARTTLS, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build (SCHOOL, UUID, &error);
  g_autofree char *receipt = NULL;

  g_assert_no_error (error);
  receipt = td_mail_send (settings, PASSWORD, FROM, TO, message, NULL, &error);
  g_assert_no_error (error);
  assert_delivered (server, message, receipt);
}

static void
test_send_implicit_tls (void)
{
  g_autoptr(Server) server = server_start ("implicit", NULL);
  g_autoptr(TdMailSettings) settings = settings_for (server, TD_MAIL_SECURITY_IMPLICIT_TLS, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build (SCHOOL, UUID, &error);
  g_autofree char *receipt = NULL;

  g_assert_no_error (error);
  receipt = td_mail_send (settings, PASSWORD, FROM, TO, message, NULL, &error);
  g_assert_no_error (error);
  assert_delivered (server, message, receipt);
}

typedef struct
{
  GMainLoop *loop;
  char      *receipt;
  GError    *error;
} AsyncResult;

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncResult *r = user_data;

  g_assert_null (source);
  r->receipt = td_mail_send_finish (result, &r->error);
  g_main_loop_quit (r->loop);
}

static gboolean
tick_cb (gpointer user_data)
{
  guint *ticks = user_data;

  (*ticks)++;
  return G_SOURCE_CONTINUE;
}

static void
test_send_async (void)
{
  g_autoptr(Server) server = server_start ("starttls", NULL);
  g_autoptr(TdMailSettings) settings = settings_for (server, TD_MAIL_SECURITY_STARTTLS, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build (SCHOOL, UUID, &error);
  AsyncResult r = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  guint ticks = 0;
  guint tick;

  g_assert_no_error (error);
  /* The main loop runs while the mail goes out. */
  tick = g_timeout_add (5, tick_cb, &ticks);
  td_mail_send_async (settings, PASSWORD, FROM, TO, message, NULL, send_cb, &r);
  /* The task holds copies: the caller's are free to go. */
  g_clear_pointer (&settings, td_mail_settings_free);
  g_main_loop_run (r.loop);
  g_source_remove (tick);

  g_assert_no_error (r.error);
  g_assert_cmpuint (ticks, >, 0);
  assert_delivered (server, message, r.receipt);
  g_free (r.receipt);
  g_main_loop_unref (r.loop);
}

static void
test_send_wrong_password (void)
{
  g_autoptr(Server) server = server_start ("starttls", NULL);
  g_autoptr(TdMailSettings) settings = settings_for (server, TD_MAIL_SECURITY_STARTTLS, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build (SCHOOL, UUID, &error);
  g_autofree char *receipt = NULL;

  g_assert_no_error (error);
  receipt = td_mail_send (settings, "the web password", FROM, TO, message, NULL, &error);
  g_assert_null (receipt);
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_AUTH);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "authorisation code"));
  g_assert_nonnull (strstr (error->message, USER));
  /* The server's own words. */
  g_assert_nonnull (strstr (error->message, "535"));
  g_assert_null (strstr (error->message, "the web password"));
  g_assert_cmpuint (spool_count (server), ==, 0);
  g_clear_error (&error);

  /* No code at all: ask for it, without connecting. */
  receipt = td_mail_send (settings, NULL, FROM, TO, message, NULL, &error);
  g_assert_null (receipt);
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, USER));
  g_assert_cmpuint (spool_count (server), ==, 0);
  g_clear_error (&error);

  /* No user name, to a server that wants one: 530 is a sign-in matter. */
  g_clear_pointer (&settings->username, g_free);
  receipt = td_mail_send (settings, NULL, FROM, TO, message, NULL, &error);
  g_assert_null (receipt);
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_AUTH);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "asks to sign in"));
  g_assert_nonnull (strstr (error->message, "530"));
  g_assert_cmpuint (spool_count (server), ==, 0);
}

static void
test_send_untrusted (gconstpointer data)
{
  const char *security = data;
  TdMailSecurity s = g_str_equal (security, "implicit") ? TD_MAIL_SECURITY_IMPLICIT_TLS : TD_MAIL_SECURITY_STARTTLS;
  g_autoptr(Server) server = server_start (security, NULL);
  g_autoptr(TdMailSettings) settings = settings_for (server, s, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build (SCHOOL, UUID, &error);
  g_autofree char *receipt = NULL;

  g_assert_no_error (error);
  receipt = td_mail_send (settings, PASSWORD, FROM, TO, message, NULL, &error);
  g_assert_null (receipt);
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_TLS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "not trusted"));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_cmpuint (spool_count (server), ==, 0);
}

static void
test_send_wrong_security (void)
{
  g_autoptr(Server) server = server_start ("starttls", NULL);
  /* TLS from the first byte to a server that greets in plain text. */
  g_autoptr(TdMailSettings) settings = settings_for (server, TD_MAIL_SECURITY_IMPLICIT_TLS, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build (SCHOOL, UUID, &error);
  g_autofree char *receipt = NULL;

  g_assert_no_error (error);
  receipt = td_mail_send (settings, PASSWORD, FROM, TO, message, NULL, &error);
  g_assert_null (receipt);
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_TLS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "587 uses STARTTLS"));
  g_assert_cmpuint (spool_count (server), ==, 0);
}

static void
test_send_no_starttls (void)
{
  g_autoptr(Server) server = server_start ("plain", NULL);
  g_autoptr(TdMailSettings) settings = settings_for (server, TD_MAIL_SECURITY_STARTTLS, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build (SCHOOL, UUID, &error);
  g_autofree char *receipt = NULL;

  g_assert_no_error (error);
  receipt = td_mail_send (settings, PASSWORD, FROM, TO, message, NULL, &error);
  g_assert_null (receipt);
  /* Never in the clear, even with the server willing. */
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_TLS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "does not offer STARTTLS"));
  g_assert_cmpuint (spool_count (server), ==, 0);
}

static void
test_send_not_listening (void)
{
  guint16 port;
  g_autoptr(GSocket) socket = closed_port (&port, FALSE);
  g_autoptr(TdMailSettings) settings = settings_for (NULL, TD_MAIL_SECURITY_STARTTLS, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build (SCHOOL, UUID, &error);
  g_autofree char *receipt = NULL;
  g_autofree char *port_text = g_strdup_printf ("port %u", port);

  settings->port = port;
  receipt = td_mail_send (settings, PASSWORD, FROM, TO, message, NULL, &error);
  g_assert_null (receipt);
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_CONNECT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Cannot connect"));
  g_assert_nonnull (strstr (error->message, port_text));
}

static void
test_send_refused_recipient (void)
{
  g_autoptr(Server) server = server_start ("starttls", "--refuse=" TO, NULL);
  g_autoptr(TdMailSettings) settings = settings_for (server, TD_MAIL_SECURITY_STARTTLS, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build (SCHOOL, UUID, &error);
  g_autofree char *receipt = NULL;

  g_assert_no_error (error);
  receipt = td_mail_send (settings, PASSWORD, FROM, TO, message, NULL, &error);
  g_assert_null (receipt);
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_REFUSED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "refused the recipient " TO));
  g_assert_nonnull (strstr (error->message, "550 5.1.1"));
  g_assert_cmpuint (spool_count (server), ==, 0);
}

static void
test_send_temporary (void)
{
  g_autoptr(Server) server = server_start ("starttls", "--tempfail=" TO, NULL);
  g_autoptr(TdMailSettings) settings = settings_for (server, TD_MAIL_SECURITY_STARTTLS, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build (SCHOOL, UUID, &error);
  g_autofree char *receipt = NULL;

  g_assert_no_error (error);
  receipt = td_mail_send (settings, PASSWORD, FROM, TO, message, NULL, &error);
  g_assert_null (receipt);
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_TEMPORARY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "451 4.3.0"));
  g_assert_cmpuint (spool_count (server), ==, 0);
}

static void
test_send_refused_sender (void)
{
  g_autoptr(Server) server = server_start ("starttls", "--refuse-sender=" FROM, NULL);
  g_autoptr(TdMailSettings) settings = settings_for (server, TD_MAIL_SECURITY_STARTTLS, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build (SCHOOL, UUID, &error);
  g_autofree char *receipt = NULL;

  g_assert_no_error (error);
  receipt = td_mail_send (settings, PASSWORD, FROM, TO, message, NULL, &error);
  g_assert_null (receipt);
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_REFUSED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "refused the sender " FROM));
  g_assert_nonnull (strstr (error->message, "553 5.7.1"));
  g_assert_cmpuint (spool_count (server), ==, 0);
}

static void
test_send_refused_message (void)
{
  g_autoptr(Server) server = server_start ("starttls", "--data=refuse", NULL);
  g_autoptr(TdMailSettings) settings = settings_for (server, TD_MAIL_SECURITY_STARTTLS, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build (SCHOOL, UUID, &error);
  g_autofree char *receipt = NULL;

  g_assert_no_error (error);
  receipt = td_mail_send (settings, PASSWORD, FROM, TO, message, NULL, &error);
  g_assert_null (receipt);
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_REFUSED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "refused the message"));
  g_assert_nonnull (strstr (error->message, "554 5.7.1 DT:SPM"));
  g_assert_cmpuint (spool_count (server), ==, 0);
}

static void
test_send_dropped (void)
{
  g_autoptr(Server) server = server_start ("starttls", "--data=drop", NULL);
  g_autoptr(TdMailSettings) settings = settings_for (server, TD_MAIL_SECURITY_STARTTLS, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build (SCHOOL, UUID, &error);
  g_autoptr(GBytes) stored = NULL;
  g_autofree char *receipt = NULL;

  g_assert_no_error (error);
  receipt = td_mail_send (settings, PASSWORD, FROM, TO, message, NULL, &error);
  g_assert_null (receipt);
  /* Worth another try: the receiver tells the two apart by Message-ID. */
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_CONNECT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "before it confirmed the message"));
  g_assert_cmpuint (spool_count (server), ==, 1);
  stored = spool_message (server, 1);
  assert_bytes_equal (stored, message);
}

static void
test_send_slow (void)
{
  g_autoptr(Server) server = server_start ("starttls", "--data=slow", NULL);
  g_autoptr(TdMailSettings) settings = settings_for (server, TD_MAIL_SECURITY_STARTTLS, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build (SCHOOL, UUID, &error);
  g_autofree char *receipt = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  g_assert_no_error (error);
  settings->timeout_seconds = 2;
  receipt = td_mail_send (settings, PASSWORD, FROM, TO, message, NULL, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_null (receipt);
  /* Stored, but not confirmed in time: as a dropped connection. */
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_CONNECT);
  g_test_message ("%s (after %.1f s)", error->message, elapsed / 1e6);
  g_assert_nonnull (strstr (error->message, "before it confirmed the message"));
  g_assert_cmpint (elapsed, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (spool_count (server), ==, 1);
}

static void
test_send_starttls_to_implicit (void)
{
  g_autoptr(Server) server = server_start ("implicit", NULL);
  /* STARTTLS to a port that waits for TLS: each side waits for the other. */
  g_autoptr(TdMailSettings) settings = settings_for (server, TD_MAIL_SECURITY_STARTTLS, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build (SCHOOL, UUID, &error);
  g_autofree char *receipt = NULL;

  g_assert_no_error (error);
  settings->timeout_seconds = 2;
  receipt = td_mail_send (settings, PASSWORD, FROM, TO, message, NULL, &error);
  g_assert_null (receipt);
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_CONNECT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "465 uses TLS from the start"));
  g_assert_cmpuint (spool_count (server), ==, 0);
}

static void
test_send_timeout (void)
{
  guint16 port;
  /* Listening, never answering: the connection is made, no greeting comes. */
  g_autoptr(GSocket) socket = closed_port (&port, TRUE);
  g_autoptr(TdMailSettings) settings = settings_for (NULL, TD_MAIL_SECURITY_STARTTLS, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build (SCHOOL, UUID, &error);
  g_autofree char *receipt = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  settings->port = port;
  settings->timeout_seconds = 2;
  receipt = td_mail_send (settings, PASSWORD, FROM, TO, message, NULL, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_null (receipt);
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_CONNECT);
  g_test_message ("%s (after %.1f s)", error->message, elapsed / 1e6);
  g_assert_nonnull (strstr (error->message, "did not answer in time"));
  g_assert_cmpint (elapsed, >=, 1.9 * G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <, 6 * G_USEC_PER_SEC);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_send_cancel (void)
{
  guint16 port;
  g_autoptr(GSocket) socket = closed_port (&port, TRUE);
  g_autoptr(TdMailSettings) settings = settings_for (NULL, TD_MAIL_SECURITY_STARTTLS, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = build (SCHOOL, UUID, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncResult r = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  settings->port = port;
  settings->timeout_seconds = 60;
  td_mail_send_async (settings, PASSWORD, FROM, TO, message, cancellable, send_cb, &r);
  g_timeout_add (200, cancel_cb, cancellable);
  g_main_loop_run (r.loop);
  elapsed = g_get_monotonic_time () - start;

  g_assert_null (r.receipt);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_test_message ("cancelled after %.2f s", elapsed / 1e6);
  /* curl looks at the cancellable at least once a second. */
  g_assert_cmpint (elapsed, <, 3 * G_USEC_PER_SEC);
  g_clear_error (&r.error);
  g_main_loop_unref (r.loop);

  /* Cancelled before: not even a connection. */
  {
    g_autofree char *receipt = td_mail_send (settings, PASSWORD, FROM, TO, message, cancellable, &error);

    g_assert_null (receipt);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

static void
test_send_invalid (void)
{
  g_autoptr(TdMailSettings) settings = td_mail_settings_new ("smtp.163.com:465", 0, TD_MAIL_SECURITY_IMPLICIT_TLS, USER);
  g_autoptr(GBytes) message = g_bytes_new_static ("x", 1);
  char *receipt;
  GError *error = NULL;

  g_assert_cmpuint (td_mail_settings_get_port (settings), ==, 465);
  settings->security = TD_MAIL_SECURITY_STARTTLS;
  g_assert_cmpuint (td_mail_settings_get_port (settings), ==, 587);

  receipt = td_mail_send (settings, PASSWORD, FROM, TO, message, NULL, &error);
  g_assert_null (receipt);
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "smtp.163.com:465"));
  g_clear_error (&error);

  g_free (settings->host);
  settings->host = g_strdup ("127.0.0.1");
  receipt = td_mail_send (settings, PASSWORD, "School <" FROM ">", TO, message, NULL, &error);
  g_assert_null (receipt);
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID);
  g_clear_error (&error);

  settings->ca_file = g_build_filename (tmp_dir, "missing.pem", NULL);
  receipt = td_mail_send (settings, PASSWORD, FROM, TO, message, NULL, &error);
  g_assert_null (receipt);
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "missing.pem"));
  g_clear_error (&error);
}

/* Set-up */

static gboolean
python_has_aiosmtpd (const char *candidate)
{
  const char *argv[] = { candidate, "-c", "import aiosmtpd", NULL };
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

static void
make_certificate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) openssl = NULL;

  cert_file = g_build_filename (tmp_dir, "cert.pem", NULL);
  key_file = g_build_filename (tmp_dir, "key.pem", NULL);
  openssl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "openssl", "req", "-x509", "-newkey", "ec",
                              "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                              "-keyout", key_file, "-out", cert_file, "-days", "2",
                              "-subj", "/CN=localhost",
                              "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                              NULL);
  if (openssl == NULL || !g_subprocess_wait_check (openssl, NULL, &error))
    g_error ("Cannot make the test certificate with openssl: %s", error->message);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
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
  const char *candidates[] = { g_getenv ("TD_TEST_PYTHON"), "/usr/bin/python3", "python3" };
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_mime_init ();

  for (guint i = 0; i < G_N_ELEMENTS (candidates) && python == NULL; i++)
    if (candidates[i] != NULL && python_has_aiosmtpd (candidates[i]))
      python = candidates[i];
  if (python == NULL)
    g_error ("No Python with aiosmtpd, which runs the test's SMTP server: install python3-aiosmtpd "
             "(or set TD_TEST_PYTHON to a Python that has it).");

  tmp_dir = g_dir_make_tmp ("test-mail-XXXXXX", &error);
  g_assert_no_error (error);
  make_certificate ();

  g_test_add_func ("/mail/build", test_build);
  g_test_add_func ("/mail/build/names", test_build_names);
  g_test_add_func ("/mail/build/invalid", test_build_invalid);
  g_test_add_func ("/mail/send/starttls", test_send_starttls);
  g_test_add_func ("/mail/send/implicit-tls", test_send_implicit_tls);
  g_test_add_func ("/mail/send/async", test_send_async);
  g_test_add_func ("/mail/send/wrong-password", test_send_wrong_password);
  g_test_add_data_func ("/mail/send/untrusted/starttls", "starttls", test_send_untrusted);
  g_test_add_data_func ("/mail/send/untrusted/implicit-tls", "implicit", test_send_untrusted);
  g_test_add_func ("/mail/send/wrong-security", test_send_wrong_security);
  g_test_add_func ("/mail/send/starttls-to-implicit", test_send_starttls_to_implicit);
  g_test_add_func ("/mail/send/no-starttls", test_send_no_starttls);
  g_test_add_func ("/mail/send/not-listening", test_send_not_listening);
  g_test_add_func ("/mail/send/refused-recipient", test_send_refused_recipient);
  g_test_add_func ("/mail/send/refused-sender", test_send_refused_sender);
  g_test_add_func ("/mail/send/refused-message", test_send_refused_message);
  g_test_add_func ("/mail/send/temporary", test_send_temporary);
  g_test_add_func ("/mail/send/dropped", test_send_dropped);
  g_test_add_func ("/mail/send/slow", test_send_slow);
  g_test_add_func ("/mail/send/timeout", test_send_timeout);
  g_test_add_func ("/mail/send/cancel", test_send_cancel);
  g_test_add_func ("/mail/send/invalid", test_send_invalid);

  status = g_test_run ();

  remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (cert_file);
  g_free (key_file);
  g_mime_shutdown ();
  return status;
}
