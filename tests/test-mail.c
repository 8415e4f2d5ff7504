/* test-mail.c: the revision's mail, built and sent to a real SMTP server
 *
 * The server is aiosmtpd (tests/smtp-server.py) on loopback, started by
 * each test on a port the kernel picks (td_test_smtp_start()), with a
 * certificate made by openssl; it keeps every message it accepts in a
 * spool directory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <gmime/gmime.h>

#include "td-mail.h"
#include "td-test-servers.h"

#define UUID "3f2b8c1e-9d4a-4e6b-8f0c-2a7d5e1b9c44"
#define SCHOOL "测试市第一技工学校"
#define LONG_SCHOOL "测试省测试市测试区人力资源和社会保障局直属第一高级技工学校（测试市技师学院）"
/* One ASCII letter among Chinese: GMime's own encoder split its words
 * with '=' padding, and GMime's decoder then lost "业培训中心". */
#define MIXED_SCHOOL "山东省淄博市工业学校A区分校职业培训中心山东省淄博市工业学校职业培训中心"
#define FROM "office@school.test"
#define TO "rsj@province.test"
#define USER "office@school.test"
#define PASSWORD "AUTHCODE1234"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)

static char *tmp_dir;
static char *cert_file;
static char *key_file;

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

#define FINGERPRINT "3F2A 91C0 7B4E 22D1 0A9F C3E8 5D16 B07A"

static GBytes *
make_signature (void)
{
  static const char json[] = "{\"type\":\"training-desk-signoff\",\"revision\":\"" UUID "\"}";

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
  g_autoptr(GBytes) signature = make_signature ();
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
    .signature = signature,
    .fingerprint = FINGERPRINT,
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

static TdTestSmtp *
server_start (const char *security,
              const char *option)
{
  return td_test_smtp_start (tmp_dir, cert_file, key_file, security, USER, PASSWORD, option, NULL);
}

/* The bytes the server stored as its @n-th message. */
static GBytes *
stored_message (TdTestSmtp *server,
                guint       n)
{
  gsize length;
  char *data = td_test_smtp_message (server, n, &length);

  g_assert_nonnull (data);
  return g_bytes_new_take (data, length);
}

static TdMailSettings *
settings_for (guint16         port,
              TdMailSecurity  security,
              gboolean        trust)
{
  TdMailSettings *settings = td_mail_settings_new ("127.0.0.1", port, security, USER);

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

/* Settings for a port of closed_port()'s, which @socket holds. */
static TdMailSettings *
settings_for_closed_port (gboolean  listen,
                          GSocket **socket)
{
  guint16 port;

  *socket = closed_port (&port, listen);
  return settings_for (port, TD_MAIL_SECURITY_STARTTLS, TRUE);
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
  g_autoptr(GBytes) signature = make_signature ();
  g_autoptr(GBytes) signature_bytes = NULL;
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
  g_assert_nonnull (strstr (raw, "\r\nX-Training-Desk-Revision: " UUID "\r\n"));

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
  g_assert_cmpint (g_mime_multipart_get_count (mixed), ==, 4);

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
  /* The key, and how to check it, in both languages; Chinese first. */
  g_assert_nonnull (strstr (text, "签名密钥指纹：" FINGERPRINT "\n"));
  g_assert_nonnull (strstr (text, "Signing key fingerprint: " FINGERPRINT "\n"));
  g_assert_nonnull (strstr (text, "docs/signing.md"));
  g_assert_cmpint (strstr (text, "签名密钥指纹") - text, <, strstr (text, "Signing key fingerprint") - text);

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

  part = g_mime_multipart_get_part (mixed, 3);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (part), "application", "json"));
  g_assert_true (g_mime_part_is_attachment (GMIME_PART (part)));
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (part)), ==, "signature.json");
  signature_bytes = part_bytes (part);
  assert_bytes_equal (signature_bytes, signature);

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

/* Python's email with policy.default decodes each RFC 2231 section alone:
 * a section cut inside a character gave "…学У.pdf" (issue 10). */
static const char python_names[] =
  "import email, sys\n"
  "from email import policy\n"
  "m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)\n"
  "print('subject', m['subject'], len(m['subject'].defects))\n"
  "print('from', m['from'].addresses[0].display_name, m['from'].addresses[0].addr_spec, len(m['from'].defects))\n"
  "sys.stdout.flush()\n"
  "for part in m.iter_attachments():\n"
  "    sys.stdout.buffer.write((part.get_content_type() + '\\t' + part.get_filename() + '\\n').encode('utf-8'))\n"
  "    sys.stdout.buffer.write(('defects %d\\n' % len(part['content-disposition'].defects)).encode('utf-8'))\n";

static void
test_build_names_python (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = build (LONG_SCHOOL, UUID, &error);
  g_autofree char *path = g_build_filename (tmp_dir, "long-name.eml", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *argv[] = { "python3", "-c", python_names, path, NULL };
  int status;

  g_assert_no_error (error);
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize)g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("python3: %s", err);
  g_assert_cmpstr (out, ==,
                   "subject 职业培训意向表-" LONG_SCHOOL " 0\n"
                   "from " LONG_SCHOOL " " FROM " 0\n"
                   "application/pdf\t职业培训意向表-" LONG_SCHOOL ".pdf\n"
                   "defects 0\n"
                   "application/json\t职业培训意向表-" LONG_SCHOOL ".json\n"
                   "defects 0\n"
                   "application/json\tsignature.json\n"
                   "defects 0\n");
}

/* The subject and the sender's name, read back by GMime itself (as the
 * receiver and Geary read them) and by Python, whole. */
static void
test_build_subject_mixed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = build (MIXED_SCHOOL, UUID, &error);
  g_autoptr(GMimeMessage) message = NULL;
  InternetAddressList *from;
  const char *data;
  gsize length;

  g_assert_no_error (error);
  message = parse (bytes);
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "职业培训意向表-" MIXED_SCHOOL);
  from = g_mime_message_get_from (message);
  g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (from, 0)), ==, MIXED_SCHOOL);
  /* The subject's lines within RFC 5322's 78 characters. */
  data = g_bytes_get_data (bytes, &length);
  for (const char *line = strstr (data, "\r\nSubject: ") + 2, *end;
       (end = strstr (line, "\r\n")) != NULL; line = end + 2)
    {
      g_assert_cmpint (end - line, <=, 78);
      if (end[2] != ' ')
        break;
    }
}

/* What the preferences keep: the address as the mail carries it. */
static void
test_normalize_address (void)
{
  static const struct { const char *typed, *kept; } cases[] = {
    { "office@163.com", "office@163.com" },
    { "office@163.com。", "office@163.com" },
    { "office@mail.163。com", "office@mail.163.com" },
    { "Office@Example.EDU.cn", "Office@Example.EDU.cn" },
    { "办公室@例子。中国", "办公室@例子.中国" },
    { "office@xn--fsqu00a.xn--fiqs8s", "office@例子.中国" },
    { "学校 <office@163.com>", "office@163.com" },
    { "office", NULL },
    { "", NULL },
    { "a@b.cn, c@d.cn", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *kept = td_mail_normalize_address (cases[i].typed);
      g_autofree char *again = kept ? td_mail_normalize_address (kept) : NULL;

      g_assert_cmpstr (kept, ==, cases[i].kept);
      /* Kept as it is the next time. */
      g_assert_cmpstr (again, ==, kept);
    }
}

static void
test_build_invalid (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new (tz, 2025, 3, 14, 1, 30, 0);
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GBytes) json = make_json ();
  g_autoptr(GBytes) signature = make_signature ();
  TdMailSubmission good = {
    .school_name = SCHOOL, .from = FROM, .recipient = TO, .revision_uuid = UUID,
    .revision_number = 1, .signer = "张三", .signed_at = now, .pdf = pdf, .json = json,
    .signature = signature, .fingerprint = FINGERPRINT,
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

  /* Addresses the header would not carry as given (fuzz-mail found the
   * first): GMime writes an ideographic full stop in a domain as a dot,
   * and a dot at its end reads back without it. Refused, named. */
  s = good;
  s.recipient = "dept@example.edu.cn。";
  g_assert_null (td_mail_build_message (&s, &error));
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "dept@example.edu.cn。"));
  g_assert_nonnull (strstr (error->message, "recipient"));
  g_clear_error (&error);

  s = good;
  s.from = "office@例子。中国";
  g_assert_null (td_mail_build_message (&s, &error));
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "sender"));
  g_clear_error (&error);

  /* A domain's letters in capitals, or outside ASCII, are carried: only
   * their case may change on the way (IDNA). */
  s = good;
  s.recipient = "Dept@EXAMPLE.edu.cn";
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = td_mail_build_message (&s, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "\r\nTo: <Dept@EXAMPLE.edu.cn>\r\n"));
  s.recipient = "dept@Bü.de";
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = td_mail_build_message (&s, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "\r\nTo: <dept@xn--b-eha.de>\r\n"));

  s = good;
  s.revision_uuid = "not-a-uuid";
  g_assert_null (td_mail_build_message (&s, &error));
  g_assert_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID);
  g_clear_error (&error);

  /* No key, no fingerprint: the mail would not say which key signed. */
  s = good;
  s.fingerprint = NULL;
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

/* The message the sending tests send. */
static GBytes *
build_message (void)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = build (SCHOOL, UUID, &error);

  g_assert_no_error (error);
  return bytes;
}

/* Sends @message, which must fail with @code, saying @says: the error,
 * and in @elapsed (unless NULL) how long it took. */
static GError *
send_failing (TdMailSettings *settings,
              const char     *password,
              GBytes         *message,
              int             code,
              const char     *says,
              gint64         *elapsed)
{
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autofree char *receipt = td_mail_send (settings, password, FROM, TO, message, NULL, &error);
  gint64 took = g_get_monotonic_time () - start;

  g_assert_null (receipt);
  g_assert_error (error, TD_MAIL_ERROR, code);
  if (elapsed != NULL)
    g_test_message ("%s (after %.1f s)", error->message, took / 1e6);
  else
    g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, says));
  if (elapsed != NULL)
    *elapsed = took;
  return error;
}

static void
assert_delivered (TdTestSmtp *server,
                  GBytes     *message,
                  const char *receipt)
{
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GBytes) stored_pdf = NULL;
  g_autoptr(GMimeMessage) parsed = NULL;
  g_autofree char *envelope = NULL;

  g_assert_cmpstr (receipt, ==, "250 2.0.0 Ok: queued as TEST0001");
  g_assert_cmpuint (td_test_smtp_count (server), ==, 1);
  stored = stored_message (server, 1);
  /* The very bytes: nothing changed on the way, dots and all. */
  assert_bytes_equal (stored, message);
  parsed = parse (stored);
  g_assert_cmpstr (g_mime_message_get_message_id (parsed), ==, UUID "@training-desk.vocedu.github.io");
  stored_pdf = part_bytes (g_mime_multipart_get_part (GMIME_MULTIPART (g_mime_message_get_mime_part (parsed)), 1));
  assert_bytes_equal (stored_pdf, pdf);
  envelope = td_test_smtp_envelope (server, 1);
  g_assert_cmpstr (envelope, ==, FROM "\n" TO "\n");
}

/* STARTTLS or TLS from the start ("starttls", "implicit"). */
static void
test_send (gconstpointer data)
{
  TdMailSecurity security = g_str_equal (data, "implicit") ? TD_MAIL_SECURITY_IMPLICIT_TLS : TD_MAIL_SECURITY_STARTTLS;
  g_autoptr(TdTestSmtp) server = server_start (data, NULL);
  g_autoptr(TdMailSettings) settings = settings_for (server->port, security, TRUE);
  g_autoptr(GBytes) message = build_message ();
  g_autoptr(GError) error = NULL;
  g_autofree char *receipt = NULL;

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
  g_autoptr(TdTestSmtp) server = server_start ("starttls", NULL);
  g_autoptr(TdMailSettings) settings = settings_for (server->port, TD_MAIL_SECURITY_STARTTLS, TRUE);
  g_autoptr(GBytes) message = build_message ();
  AsyncResult r = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  guint ticks = 0;
  guint tick;

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
  g_autoptr(TdTestSmtp) server = server_start ("starttls", NULL);
  g_autoptr(TdMailSettings) settings = settings_for (server->port, TD_MAIL_SECURITY_STARTTLS, TRUE);
  g_autoptr(GBytes) message = build_message ();
  g_autoptr(GError) error = NULL;

  error = send_failing (settings, "the web password", message, TD_MAIL_ERROR_AUTH, "authorisation code", NULL);
  g_assert_nonnull (strstr (error->message, USER));
  /* The server's own words. */
  g_assert_nonnull (strstr (error->message, "535"));
  g_assert_null (strstr (error->message, "the web password"));
  g_assert_cmpuint (td_test_smtp_count (server), ==, 0);
  g_clear_error (&error);

  /* No code at all: ask for it, without connecting. */
  error = send_failing (settings, NULL, message, TD_MAIL_ERROR_AUTH, USER, NULL);
  g_assert_cmpuint (td_test_smtp_count (server), ==, 0);
  g_clear_error (&error);

  /* No user name, to a server that wants one: 530 is a sign-in matter. */
  g_clear_pointer (&settings->username, g_free);
  error = send_failing (settings, NULL, message, TD_MAIL_ERROR_AUTH, "asks to sign in", NULL);
  g_assert_nonnull (strstr (error->message, "530"));
  g_assert_cmpuint (td_test_smtp_count (server), ==, 0);
}

/* A server that will not take the message, or a client that will not go
 * on with it: an error that says why, and nothing stored. */
typedef struct
{
  const char     *path;
  const char     *server;   /* smtp-server.py's --security */
  const char     *option;   /* one more of its options, or NULL */
  TdMailSecurity  security; /* the client's */
  gboolean        trust;    /* whether the client trusts the server's certificate */
  guint           timeout;  /* seconds, or 0 for settings_for()'s */
  TdMailError     code;
  const char     *says[2];
} Refusal;

static const Refusal refusals[] = {
  { "/mail/send/untrusted/starttls", "starttls", NULL, TD_MAIL_SECURITY_STARTTLS, FALSE, 0,
    TD_MAIL_ERROR_TLS, { "not trusted", "127.0.0.1" } },
  { "/mail/send/untrusted/implicit-tls", "implicit", NULL, TD_MAIL_SECURITY_IMPLICIT_TLS, FALSE, 0,
    TD_MAIL_ERROR_TLS, { "not trusted", "127.0.0.1" } },
  /* TLS from the first byte to a server that greets in plain text. */
  { "/mail/send/wrong-security", "starttls", NULL, TD_MAIL_SECURITY_IMPLICIT_TLS, TRUE, 0,
    TD_MAIL_ERROR_TLS, { "587 uses STARTTLS" } },
  /* STARTTLS to a port that waits for TLS: each side waits for the other. */
  { "/mail/send/starttls-to-implicit", "implicit", NULL, TD_MAIL_SECURITY_STARTTLS, TRUE, 2,
    TD_MAIL_ERROR_CONNECT, { "465 uses TLS from the start" } },
  /* Never in the clear, even with the server willing. */
  { "/mail/send/no-starttls", "plain", NULL, TD_MAIL_SECURITY_STARTTLS, TRUE, 0,
    TD_MAIL_ERROR_TLS, { "does not offer STARTTLS" } },
  { "/mail/send/refused-recipient", "starttls", "--refuse=" TO, TD_MAIL_SECURITY_STARTTLS, TRUE, 0,
    TD_MAIL_ERROR_REFUSED, { "refused the recipient " TO, "550 5.1.1" } },
  { "/mail/send/refused-sender", "starttls", "--refuse-sender=" FROM, TD_MAIL_SECURITY_STARTTLS, TRUE, 0,
    TD_MAIL_ERROR_REFUSED, { "refused the sender " FROM, "553 5.7.1" } },
  { "/mail/send/refused-message", "starttls", "--data=refuse", TD_MAIL_SECURITY_STARTTLS, TRUE, 0,
    TD_MAIL_ERROR_REFUSED, { "refused the message", "554 5.7.1 DT:SPM" } },
  { "/mail/send/temporary", "starttls", "--tempfail=" TO, TD_MAIL_SECURITY_STARTTLS, TRUE, 0,
    TD_MAIL_ERROR_TEMPORARY, { "451 4.3.0" } },
};

static void
test_send_refused (gconstpointer data)
{
  const Refusal *refusal = data;
  g_autoptr(TdTestSmtp) server = server_start (refusal->server, refusal->option);
  g_autoptr(TdMailSettings) settings = settings_for (server->port, refusal->security, refusal->trust);
  g_autoptr(GBytes) message = build_message ();
  g_autoptr(GError) error = NULL;

  if (refusal->timeout != 0)
    settings->timeout_seconds = refusal->timeout;
  error = send_failing (settings, PASSWORD, message, refusal->code, refusal->says[0], NULL);
  if (refusal->says[1] != NULL)
    g_assert_nonnull (strstr (error->message, refusal->says[1]));
  g_assert_cmpuint (td_test_smtp_count (server), ==, 0);
}

static void
test_send_not_listening (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(TdMailSettings) settings = settings_for_closed_port (FALSE, &socket);
  g_autoptr(GBytes) message = build_message ();
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = g_strdup_printf ("port %u", settings->port);

  error = send_failing (settings, PASSWORD, message, TD_MAIL_ERROR_CONNECT, "Cannot connect", NULL);
  g_assert_nonnull (strstr (error->message, port_text));
}

/* Stored, but not confirmed: "drop" hangs up, "slow" answers after
 * settings->timeout_seconds. Worth another try, as a dropped connection:
 * the receiver tells the two apart by Message-ID. */
static void
test_send_unconfirmed (gconstpointer data)
{
  gboolean slow = g_str_equal (data, "--data=slow");
  g_autoptr(TdTestSmtp) server = server_start ("starttls", data);
  g_autoptr(TdMailSettings) settings = settings_for (server->port, TD_MAIL_SECURITY_STARTTLS, TRUE);
  g_autoptr(GBytes) message = build_message ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) stored = NULL;
  gint64 elapsed;

  if (slow)
    settings->timeout_seconds = 2;
  error = send_failing (settings, PASSWORD, message, TD_MAIL_ERROR_CONNECT, "before it confirmed the message", &elapsed);
  g_assert_cmpuint (td_test_smtp_count (server), ==, 1);
  if (slow)
    g_assert_cmpint (elapsed, <, 10 * G_USEC_PER_SEC);
  else
    {
      stored = stored_message (server, 1);
      assert_bytes_equal (stored, message);
    }
}

static void
test_send_timeout (void)
{
  /* Listening, never answering: the connection is made, no greeting comes. */
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(TdMailSettings) settings = settings_for_closed_port (TRUE, &socket);
  g_autoptr(GBytes) message = build_message ();
  g_autoptr(GError) error = NULL;
  gint64 elapsed;

  settings->timeout_seconds = 2;
  error = send_failing (settings, PASSWORD, message, TD_MAIL_ERROR_CONNECT, "did not answer in time", &elapsed);
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
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(TdMailSettings) settings = settings_for_closed_port (TRUE, &socket);
  g_autoptr(GBytes) message = build_message ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncResult r = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

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

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_mime_init ();

  tmp_dir = g_dir_make_tmp ("test-mail-XXXXXX", &error);
  g_assert_no_error (error);
  td_test_make_certificate (tmp_dir, &cert_file, &key_file);

  g_test_add_func ("/mail/build", test_build);
  g_test_add_func ("/mail/build/names", test_build_names);
  g_test_add_func ("/mail/build/names/python", test_build_names_python);
  g_test_add_func ("/mail/build/subject/mixed", test_build_subject_mixed);
  g_test_add_func ("/mail/build/invalid", test_build_invalid);
  g_test_add_func ("/mail/normalize-address", test_normalize_address);
  g_test_add_data_func ("/mail/send/starttls", "starttls", test_send);
  g_test_add_data_func ("/mail/send/implicit-tls", "implicit", test_send);
  g_test_add_func ("/mail/send/async", test_send_async);
  g_test_add_func ("/mail/send/wrong-password", test_send_wrong_password);
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    g_test_add_data_func (refusals[i].path, &refusals[i], test_send_refused);
  g_test_add_func ("/mail/send/not-listening", test_send_not_listening);
  g_test_add_data_func ("/mail/send/dropped", "--data=drop", test_send_unconfirmed);
  g_test_add_data_func ("/mail/send/slow", "--data=slow", test_send_unconfirmed);
  g_test_add_func ("/mail/send/timeout", test_send_timeout);
  g_test_add_func ("/mail/send/cancel", test_send_cancel);
  g_test_add_func ("/mail/send/invalid", test_send_invalid);

  status = g_test_run ();

  td_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (cert_file);
  g_free (key_file);
  g_mime_shutdown ();
  return status;
}
