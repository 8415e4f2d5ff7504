/* fuzz-mail.c: libFuzzer target for the mail of a signed revision
 * (td-mail.c, docs/mail.md)
 *
 * The input is the fields a school controls, cut at NUL bytes: school
 * name, sender, recipient, signer, the PDF, the JSON. The message built
 * from them is parsed back with GMime, and must say what was meant and
 * nothing more: the same eight headers once each (no header forged by a
 * newline in a name), CRLF line ends, the subject and attachment names on
 * one line, the addresses and the Message-ID as given, the attachments
 * byte for byte. And a sender's address as the preferences keep it is kept
 * as it is the next time, and a message carries it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-fuzz"

#include <gmime/gmime.h>
#include <string.h>

#include "td-fuzz.h"
#include "td-mail.h"

/* GMime 3.2 has no autoptr definitions. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InternetAddressList, g_object_unref)

#define REVISION_UUID "0b6a7e2c-3f4d-4f1e-9a53-2d8c1b7e6f90"

enum { SCHOOL, FROM, RECIPIENT, SIGNER, PDF, JSON, N_FIELDS };

static const char * const header_names[] = {
  "From", "To", "Subject", "Date", "Message-Id", "X-Training-Desk-Revision", "MIME-Version", "Content-Type",
};

#define SIGNATURE "{\"revision\":\"" REVISION_UUID "\"}"
#define FINGERPRINT "3F2A 91C0 7B4E 22D1 0A9F C3E8 5D16 B07A"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  td_fuzz_init ();
  g_mime_init ();
  return 0;
}

/* The top header block, as bytes: header lines and folded continuations
 * only, each header once. */
static void
fuzz_mail_check_headers (const char *data,
                         gsize       size)
{
  const char *end = g_strstr_len (data, (gssize)size, "\r\n\r\n");
  guint seen[G_N_ELEMENTS (header_names)] = { 0, };

  g_assert_nonnull (end);
  for (const char *line = data; line < end + 2;)
    {
      const char *eol = g_strstr_len (line, end + 2 - line, "\r\n");
      gboolean known = FALSE;

      g_assert_nonnull (eol);
      for (const char *p = line; p < eol; p++)
        g_assert_true (*p != '\r' && *p != '\n' && *p != '\0');
      if (*line != ' ' && *line != '\t')
        {
          for (guint h = 0; h < G_N_ELEMENTS (header_names); h++)
            {
              gsize n = strlen (header_names[h]);

              if ((gsize)(eol - line) > n && g_ascii_strncasecmp (line, header_names[h], n) == 0 && line[n] == ':')
                {
                  seen[h]++;
                  known = TRUE;
                }
            }
          if (!known)
            g_error ("unexpected header line: %.*s", (int)(eol - line), line);
        }
      line = eol + 2;
    }
  for (guint h = 0; h < G_N_ELEMENTS (header_names); h++)
    g_assert_cmpuint (seen[h], ==, 1);
}

/* Case-folded: GMime may write a domain's letters in another case. */
static char *
fuzz_mail_addr (InternetAddressList *list)
{
  g_assert_cmpint (internet_address_list_length (list), ==, 1);
  return g_utf8_casefold (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (internet_address_list_get_address (list, 0))), -1);
}

static void
fuzz_mail_check_attachment (GMimeObject *object,
                            const char  *content,
                            const char  *extension)
{
  GMimePart *part = GMIME_PART (object);
  const char *name = g_mime_part_get_filename (part);
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new ();
  GByteArray *array;

  g_assert_nonnull (name);
  g_assert_true (g_str_has_suffix (name, extension));
  for (const char *p = name; *p; p++)
    g_assert_true ((guchar)*p >= 0x20 && *p != 0x7f && !strchr ("/\\:*?\"<>|", *p));
  g_assert_cmpint (g_mime_data_wrapper_write_to_stream (g_mime_part_get_content (part), stream), >=, 0);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  g_assert_cmpuint (array->len, ==, strlen (content));
  g_assert_true (array->len == 0 || memcmp (array->data, content, array->len) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_auto(GStrv) fields = td_fuzz_split (data, size, N_FIELDS);
  g_autoptr(GBytes) pdf = g_bytes_new_static (fields[PDF], strlen (fields[PDF]));
  g_autoptr(GBytes) json = g_bytes_new_static (fields[JSON], strlen (fields[JSON]));
  g_autoptr(GBytes) signature = g_bytes_new_static (SIGNATURE, strlen (SIGNATURE));
  g_autoptr(GDateTime) signed_at = g_date_time_new_utc (2026, 11, 25, 9, 30, 0);
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 11, 25, 10, 0, 0);
  TdMailSubmission submission = {
    .school_name = fields[SCHOOL],
    .from = fields[FROM],
    .recipient = fields[RECIPIENT],
    .revision_uuid = REVISION_UUID,
    .revision_number = 1,
    .signer = fields[SIGNER],
    .signed_at = signed_at,
    .date = date,
    .pdf = pdf,
    .json = json,
    .signature = signature,
    .fingerprint = FINGERPRINT,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message_bytes = td_mail_build_message (&submission, &error);
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *message_id = NULL;
  GMimeMultipart *mixed;
  const char *bytes;
  gsize length;

  /* What the preferences keep of a sender's address (td_mail_normalize_address())
   * is kept as it is the next time, and a message carries it. */
  {
    g_autofree char *kept = td_mail_normalize_address (fields[FROM]);

    if (kept != NULL)
      {
        g_autofree char *again = td_mail_normalize_address (kept);
        TdMailSubmission from_kept = submission;
        g_autoptr(GError) kept_error = NULL;
        g_autoptr(GBytes) kept_message = NULL;

        g_assert_cmpstr (again, ==, kept);
        from_kept.from = kept;
        from_kept.school_name = "学校";
        from_kept.recipient = "rsj@province.test";
        kept_message = td_mail_build_message (&from_kept, &kept_error);
        g_assert_no_error (kept_error);
        g_assert_nonnull (kept_message);
      }
  }

  if (message_bytes == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_error_matches (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID));
      return 0;
    }
  g_assert_no_error (error);

  bytes = g_bytes_get_data (message_bytes, &length);
  for (gsize i = 0; i < length; i++)
    if (bytes[i] == '\n')
      g_assert_true (i > 0 && bytes[i - 1] == '\r');
  fuzz_mail_check_headers (bytes, length);

  stream = g_mime_stream_mem_new_with_buffer (bytes, length);
  parser = g_mime_parser_new_with_stream (stream);
  message = g_mime_parser_construct_message (parser, NULL);
  g_assert_nonnull (message);

  subject = td_mail_subject (fields[SCHOOL]);
  g_assert_null (strpbrk (g_mime_message_get_subject (message), "\r\n"));
  /* Read back whole by GMime itself, whose decoder joins adjacent words
   * (td-mail.c, header_append_words()). */
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, subject);
  {
    InternetAddressList *from = g_mime_message_get_from (message);
    const char *name;

    g_assert_cmpint (internet_address_list_length (from), ==, 1);
    name = internet_address_get_name (internet_address_list_get_address (from, 0));
    g_assert_cmpstr (name, ==, subject + strlen ("职业培训意向表-"));
  }
  message_id = td_mail_message_id (REVISION_UUID);
  g_assert_cmpstr (g_mime_message_get_message_id (message), ==, message_id);
  {
    g_autoptr(InternetAddressList) from = internet_address_list_parse (NULL, fields[FROM]);

    g_autofree char *sent = fuzz_mail_addr (g_mime_message_get_from (message));
    g_autofree char *given = fuzz_mail_addr (from);

    g_assert_cmpstr (sent, ==, given);
  }
  {
    g_autoptr(InternetAddressList) to = internet_address_list_parse (NULL, fields[RECIPIENT]);

    g_autofree char *sent = fuzz_mail_addr (g_mime_message_get_to (message));
    g_autofree char *given = fuzz_mail_addr (to);

    g_assert_cmpstr (sent, ==, given);
  }

  g_assert_true (GMIME_IS_MULTIPART (g_mime_message_get_mime_part (message)));
  mixed = GMIME_MULTIPART (g_mime_message_get_mime_part (message));
  g_assert_cmpint (g_mime_multipart_get_count (mixed), ==, 4);
  fuzz_mail_check_attachment (g_mime_multipart_get_part (mixed, 1), fields[PDF], ".pdf");
  fuzz_mail_check_attachment (g_mime_multipart_get_part (mixed, 2), fields[JSON], ".json");
  fuzz_mail_check_attachment (g_mime_multipart_get_part (mixed, 3), SIGNATURE, "signature.json");
  return 0;
}
