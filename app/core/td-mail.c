/* td-mail.c: a signed revision as an e-mail, and sending it over SMTP
 *
 * The message is built by GMime: headers RFC 2047, file names RFC 2231,
 * every part base64 so the message is 7-bit and its bytes never change on
 * the way. It is deterministic: the Message-ID and the multipart boundary
 * come from the revision's UUID, so the same revision and Date give the same
 * bytes, and a receiver can tell a resend by its Message-ID.
 *
 * libcurl speaks SMTP: TLS always (implicit or STARTTLS, never plain), the
 * certificate verified, AUTH when a user name is set. The server's replies
 * pass through the header callback; the last one before curl returns is the
 * receipt, or the reason of a failure, which the caller sees as a
 * TD_MAIL_ERROR code that says what to do about it.
 *
 * Time: each reply must come within the time-out, and a stalled transfer
 * ends after it; over that, one deadline for the whole exchange (issue 12),
 * so a server slow on each of a dozen replies cannot make it last a dozen
 * time-outs: until the message is out, the exchange may take the time-out
 * plus what was sent at TD_LIMIT_MIN_TRANSFER_RATE (checked by the progress
 * callback), and never more than twice the time-out plus the whole message
 * at that rate (CURLOPT_TIMEOUT_MS).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-mail"

#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>
#include <sodium.h>
#include <string.h>

#include "td-limits.h"
#include "td-mail.h"
#include "td-read-file.h"

#define MESSAGE_ID_DOMAIN "training-desk.vocedu.github.io"
#define SUBJECT_PREFIX "职业培训意向表-"
#define DEFAULT_TIMEOUT 30

/* GMime 3.2 declares no cleanup functions. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMultipart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeTextPart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimePart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeDataWrapper, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeFormatOptions, g_mime_format_options_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InternetAddressList, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InternetAddress, g_object_unref)

G_DEFINE_QUARK (td-mail-error-quark, td_mail_error)

G_DEFINE_BOXED_TYPE (TdMailSettings, td_mail_settings,
                     td_mail_settings_copy, td_mail_settings_free)

static void
td_mail_ensure_gmime (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_mime_init ();
      g_once_init_leave (&done, 1);
    }
}

static void
td_mail_ensure_curl (void)
{
  static gsize done = 0;

  /* curl_global_init() is not thread-safe on every build: once, here. */
  if (g_once_init_enter (&done))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&done, 1);
    }
}

/* Settings */

/**
 * td_mail_settings_new:
 * @port: 0 for the usual port of @security
 * @username: (nullable): %NULL or "" to send without AUTH
 */
TdMailSettings *
td_mail_settings_new (const char     *host,
                      guint16         port,
                      TdMailSecurity  security,
                      const char     *username)
{
  TdMailSettings *settings = g_new0 (TdMailSettings, 1);

  settings->host = g_strdup (host);
  settings->port = port;
  settings->security = security;
  settings->username = g_strdup (username);
  return settings;
}

TdMailSettings *
td_mail_settings_copy (const TdMailSettings *settings)
{
  TdMailSettings *copy;

  g_return_val_if_fail (settings != NULL, NULL);

  copy = g_memdup2 (settings, sizeof *settings);
  copy->host = g_strdup (settings->host);
  copy->username = g_strdup (settings->username);
  copy->ca_file = g_strdup (settings->ca_file);
  return copy;
}

void
td_mail_settings_free (TdMailSettings *settings)
{
  if (settings == NULL)
    return;
  g_free (settings->host);
  g_free (settings->username);
  g_free (settings->ca_file);
  g_free (settings);
}

/**
 * td_mail_settings_get_port:
 *
 * Returns: the port set, or 465 for implicit TLS and 587 for STARTTLS.
 */
guint16
td_mail_settings_get_port (const TdMailSettings *settings)
{
  if (settings->port != 0)
    return settings->port;
  return settings->security == TD_MAIL_SECURITY_IMPLICIT_TLS ? 465 : 587;
}

/* The message */

/**
 * td_mail_message_id:
 *
 * Returns: (transfer full): the Message-ID of a revision's mail, without
 *   the angle brackets: "<uuid>@training-desk.vocedu.github.io".
 */
char *
td_mail_message_id (const char *revision_uuid)
{
  g_autofree char *lower = g_ascii_strdown (revision_uuid, -1);

  return g_strconcat (lower, "@" MESSAGE_ID_DOMAIN, NULL);
}

/* Control characters would break a header line; a school name has none,
 * but a name from a file might. */
static char *
td_mail_one_line (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_c (s, ' ');
      else
        g_string_append_unichar (s, c);
    }
  g_strstrip (s->str);
  return g_string_free (s, FALSE);
}

/**
 * td_mail_subject:
 *
 * Returns: (transfer full): "职业培训意向表-<单位名称>", the subject and, with
 *   an extension, the attachments' names.
 */
char *
td_mail_subject (const char *school_name)
{
  g_autofree char *name = td_mail_one_line (school_name);

  return g_strconcat (SUBJECT_PREFIX, name, NULL);
}

/* The attachment's name, safe on every file system the receiver saves to. */
static char *
td_mail_attachment_name (const char *school_name,
                         const char *extension)
{
  g_autofree char *subject = td_mail_subject (school_name);

  g_strdelimit (subject, "/\\:*?\"<>|", '_');
  return g_strconcat (subject, extension, NULL);
}

static void
td_mail_set_address_error (GError     **error,
                           gboolean     sender,
                           const char  *text)
{
  if (sender)
    g_set_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID,
                 _("The sender’s address “%s” is not an e-mail address. Enter the school’s mailbox in the mailbox settings."),
                 text ? text : "");
  else
    g_set_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID,
                 _("The recipient’s address “%s” is not an e-mail address."),
                 text ? text : "");
}

/* The one mailbox @text names, or %NULL. */
static char *
td_mail_mailbox_addr (const char *text)
{
  g_autoptr(InternetAddressList) list = NULL;
  InternetAddress *address;
  const char *a;

  if (text != NULL && *text != '\0')
    list = internet_address_list_parse (NULL, text);
  if (list == NULL || internet_address_list_length (list) != 1
      || !INTERNET_ADDRESS_IS_MAILBOX ((address = internet_address_list_get_address (list, 0)))
      || (a = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address))) == NULL
      || strchr (a, '@') == NULL)
    return NULL;
  return g_strdup (a);
}

/* @addr as a message's header writes it: as GMime writes a mailbox
 * without a name, quoted where it must be, its domain in IDNA. */
static char *
td_mail_header_address (const char *addr)
{
  g_autoptr(InternetAddress) mailbox = internet_address_mailbox_new (NULL, addr);

  return internet_address_to_string (mailbox, NULL, TRUE);
}

/* How a reader reads @addr back from the header (@written, set to
 * td_mail_header_address()), or %NULL. */
static char *
td_mail_read_back (const char  *addr,
                   char       **written)
{
  *written = td_mail_header_address (addr);
  return td_mail_mailbox_addr (*written);
}

/**
 * td_mail_normalize_address:
 * @text: an e-mail address as typed
 *
 * The address a message to or from @text carries, as its reader reads it
 * back: "office@163.com。" (a sentence's full stop, as a Chinese input
 * method types it) is "office@163.com", "office@mail.163。com" is
 * "office@mail.163.com". What the preferences keep, so that the sender a
 * message names is the one they show (td_mail_build_message() refuses an
 * address it would change).
 *
 * Returns: (transfer full) (nullable): the address, or %NULL when @text
 *   is not one mailbox
 */
char *
td_mail_normalize_address (const char *text)
{
  g_autofree char *addr = NULL;
  g_autofree char *written = NULL;

  td_mail_ensure_gmime ();
  addr = td_mail_mailbox_addr (text);
  return addr ? td_mail_read_back (addr, &written) : NULL;
}

/* @text's mailbox as the header writes it (td_mail_header_address()). An
 * address the header would not carry as given is refused rather than
 * quietly changed: GMime writes "dept@example。" as "dept@example.", which
 * reads back as "dept@example". Letters' case may differ, as a domain's
 * does in IDNA. */
static gboolean
td_mail_parse_mailbox (const char  *text,
                       gboolean     sender,
                       char       **header_form,
                       GError     **error)
{
  g_autofree char *addr = td_mail_mailbox_addr (text);
  g_autofree char *written = NULL;
  g_autofree char *read_back = NULL;
  g_autofree char *given_folded = NULL;
  g_autofree char *read_folded = NULL;

  if (addr != NULL)
    read_back = td_mail_read_back (addr, &written);
  if (read_back != NULL)
    {
      given_folded = g_utf8_casefold (addr, -1);
      read_folded = g_utf8_casefold (read_back, -1);
    }
  if (read_back == NULL || strcmp (given_folded, read_folded) != 0)
    {
      td_mail_set_address_error (error, sender, text);
      return FALSE;
    }
  *header_form = g_steal_pointer (&written);
  return TRUE;
}

static char *
td_mail_format_time (GDateTime *time)
{
  g_autofree char *offset = g_date_time_format (time, "%:z");

  return g_strdup_printf ("%d年%d月%d日 %02d:%02d（UTC%s）",
                          g_date_time_get_year (time),
                          g_date_time_get_month (time),
                          g_date_time_get_day_of_month (time),
                          g_date_time_get_hour (time),
                          g_date_time_get_minute (time),
                          offset);
}

/* RFC 2047 encoded-words of whole characters, at most 75 characters
 * each, for the Subject. Written here rather than
 * by GMime: GMime 3.2.13 (Debian 12) joins adjacent base64 words before
 * decoding them and loses what follows a word's '=' padding
 * (jstedfast/gmime#133), and its own encoder writes such words and, for a
 * long unbroken token, folds inside one. So a base64 word that another
 * follows holds a multiple of three bytes (no padding); where the
 * characters do not allow that, the word is "Q" encoded. Only the last
 * word may be padded. (The sender's name is one word: see below.) */
#define WORD_B_BYTES 42   /* 56 base64 characters + 12: "=?UTF-8?B?…?=" */
#define WORD_Q_BYTES 21   /* 63 characters of "=XX" + 12 */

static gsize
td_mail_header_word_length (const char *text,
                            gsize       length,
                            gsize       max,
                            gboolean    whole_triples)
{
  gsize best = 0;

  for (const char *p = text; p < text + length;)
    {
      const char *next = g_utf8_next_char (p);
      gsize n = next - text;

      if (n > max)
        break;
      if (!whole_triples || n % 3 == 0)
        best = n;
      p = next;
    }
  return best;
}

static void
td_mail_header_append_words (GString    *out,
                             const char *text)
{
  gsize length = strlen (text);
  gsize done = 0;

  while (done < length)
    {
      const char *rest = text + done;
      gsize left = length - done;
      gsize n;
      g_autofree char *word = NULL;

      if (left <= WORD_B_BYTES && g_utf8_validate (rest, left, NULL))
        n = left;
      else
        n = td_mail_header_word_length (rest, left, WORD_B_BYTES, TRUE);
      if (n > 0)
        {
          g_autofree char *b64 = g_base64_encode ((const guchar *)rest, n);

          word = g_strconcat ("=?UTF-8?B?", b64, "?=", NULL);
        }
      else
        {
          GString *q = g_string_new ("=?UTF-8?Q?");

          n = td_mail_header_word_length (rest, left, WORD_Q_BYTES, FALSE);
          for (gsize i = 0; i < n; i++)
            {
              guchar c = rest[i];

              if (g_ascii_isalnum (c))
                g_string_append_c (q, c);
              else
                g_string_append_printf (q, "=%02X", c);
            }
          g_string_append (q, "?=");
          word = g_string_free (q, FALSE);
        }
      g_assert (n > 0);
      /* One word a line: the longest line is "Subject: " and one word. */
      if (done > 0)
        g_string_append (out, "\r\n ");
      g_string_append (out, word);
      done += n;
    }
}

/* The body is for the province's office: Chinese first, then English,
 * whatever the language of the user interface. It names the key's
 * fingerprint, so that it can be checked on the phone with the school. */
static char *
td_mail_body_text (const TdMailSubmission *submission,
                   const char             *school_name,
                   const char             *pdf_name,
                   const char             *json_name)
{
  g_autofree char *signed_at = td_mail_format_time (submission->signed_at);
  g_autofree char *signed_at_iso = NULL;
  g_autofree char *signer = td_mail_one_line (submission->signer);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (submission->signed_at);

  signed_at_iso = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  return g_strdup_printf ("您好：\n"
                          "\n"
                          "%s报送职业培训意向表（第 %u 版），"
                          "由%s于 %s 签署。\n"
                          "\n"
                          "附件：\n"
                          "  %s（已签署的意向表）\n"
                          "  %s（意向表数据，JSON 格式）\n"
                          "  " TD_MAIL_SIGNATURE_NAME "（签署声明与 Ed25519 签名）\n"
                          "\n"
                          "签名密钥指纹：%s\n"
                          "\n"
                          "核验方法：省级接收端导入本邮件即自动核验"
                          "（training-desk-receiver --import-mail 或 --fetch-imap）；"
                          "也可按 docs/signing.md“核验修订”一节手工核验："
                          "两个附件的 SHA-256 与 " TD_MAIL_SIGNATURE_NAME " 中的 form_sha256、pdf_sha256 相同，"
                          "Ed25519 签名有效，且上面的指纹与本校登记的密钥指纹一致（可电话向学校核对）。\n"
                          "\n"
                          "本邮件由“职业培训工作台”发送。"
                          "同一版本重发时邮件的 Message-ID 不变，内容相同。\n"
                          "修订编号：%s\n"
                          "\n"
                          "----\n"
                          "\n"
                          "%s submits its vocational training intent form (revision %u), "
                          "signed by %s at %s.\n"
                          "\n"
                          "Attached: the signed form (PDF), its data (JSON, canonical form) and "
                          TD_MAIL_SIGNATURE_NAME " (the signed statement and its Ed25519 signature).\n"
                          "\n"
                          "Signing key fingerprint: %s\n"
                          "\n"
                          "To verify: import this message into the province's receiver "
                          "(training-desk-receiver --import-mail or --fetch-imap), which checks it; "
                          "or follow docs/signing.md, \"Checking a revision\": the SHA-256 of both "
                          "attachments equal form_sha256 and pdf_sha256 of " TD_MAIL_SIGNATURE_NAME ", "
                          "the Ed25519 signature verifies, and the fingerprint above is the one "
                          "registered for the school (read it out with the school on the phone).\n"
                          "\n"
                          "Sent by Training Desk. A resend of the same revision has the same "
                          "Message-ID and the same content.\n"
                          "Revision: %s\n",
                          school_name, submission->revision_number,
                          signer, signed_at,
                          pdf_name, json_name,
                          submission->fingerprint,
                          submission->revision_uuid,
                          school_name, submission->revision_number,
                          signer, signed_at_iso,
                          submission->fingerprint,
                          submission->revision_uuid);
}

/* RFC 2231 attr-chars: what a parameter value may hold unencoded. */
static gboolean
td_mail_is_attr_char (guchar c)
{
  return g_ascii_isalnum (c) || strchr ("!#$&+-.^_`|~", c) != NULL;
}

/* Content-Disposition with the file name in UTF-8, RFC 2231, written here
 * rather than by GMime: GMime 3.2 picks a charset of its own (GB2312 for
 * Chinese) and cuts the sections inside a character, and Python's email
 * (policy.default) decodes each section alone, so a name cut there is
 * read with a broken character (issue 10). Each section holds whole
 * characters and at most SECTION_LENGTH encoded bytes. */
#define SECTION_LENGTH 60

static char *
td_mail_disposition_value (const char *file_name)
{
  GString *value = g_string_new (" attachment");
  GString *section = g_string_new (NULL);
  guint n = 0;

  for (const char *p = file_name; *p; p = g_utf8_next_char (p))
    {
      const char *next = g_utf8_next_char (p);
      g_autoptr(GString) encoded = g_string_new (NULL);

      for (const char *b = p; b < next; b++)
        if (td_mail_is_attr_char ((guchar)*b))
          g_string_append_c (encoded, *b);
        else
          g_string_append_printf (encoded, "%%%02X", (guchar)*b);
      if (section->len > 0 && section->len + encoded->len > SECTION_LENGTH)
        {
          g_string_append_printf (value, ";\n\tfilename*%u*=%s%s", n, n == 0 ? "UTF-8''" : "", section->str);
          g_string_truncate (section, 0);
          n++;
        }
      g_string_append_len (section, encoded->str, encoded->len);
    }
  g_string_append_printf (value, ";\n\tfilename*%u*=%s%s\n", n, n == 0 ? "UTF-8''" : "", section->str);
  g_string_free (section, TRUE);
  return g_string_free (value, FALSE);
}

static GMimePart *
td_mail_attachment_new (const char *type,
                        const char *subtype,
                        const char *file_name,
                        GBytes     *bytes)
{
  GMimePart *part = g_mime_part_new_with_type (type, subtype);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer (data, size);
  g_autoptr(GMimeDataWrapper) content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  GMimeContentType *content_type = g_mime_object_get_content_type (GMIME_OBJECT (part));
  GMimeParam *name;

  g_mime_part_set_content (part, content);
  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_BASE64);
  /* Sets Content-Disposition's filename (RFC 2231, as the format options
   * say) and Content-Type's name, which older clients (Outlook, Foxmail)
   * read only as RFC 2047: give them that. */
  g_mime_part_set_filename (part, file_name);
  name = g_mime_param_list_get_parameter (g_mime_content_type_get_parameters (content_type), "name");
  if (name != NULL)
    g_mime_param_set_encoding_method (name, GMIME_PARAM_ENCODING_METHOD_RFC2047);
  /* ...and Content-Disposition's filename as this file writes it. */
  {
    GMimeHeader *header = g_mime_header_list_get_header (g_mime_object_get_header_list (GMIME_OBJECT (part)),
                                                         "Content-Disposition");
    g_autofree char *value = td_mail_disposition_value (file_name);

    g_assert (header != NULL);
    g_mime_header_set_raw_value (header, value);
  }
  return part;
}

/**
 * td_mail_build_message:
 *
 * Builds the mail of a signed revision: From the school's mailbox, To the
 * recipient, the subject "职业培训意向表-<单位名称>", a short Chinese body,
 * the PDF, the JSON and signature.json attached, Message-ID and
 * X-Training-Desk-Revision from the revision's UUID (docs/mail.md).
 *
 * Returns: (transfer full): the message, CRLF line ends, ready for SMTP
 *   and to keep as a .eml file; %NULL with a %TD_MAIL_ERROR.
 */
GBytes *
td_mail_build_message (const TdMailSubmission  *submission,
                       GError                 **error)
{
  g_autofree char *school_name = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *pdf_name = NULL;
  g_autofree char *json_name = NULL;
  g_autofree char *text = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *boundary = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GString) head = g_string_new (NULL);
  g_autofree char *from_address = NULL;
  g_autofree char *name_b64 = NULL;
  g_autofree char *to_address = NULL;
  g_autofree char *date = NULL;
  g_autoptr(GMimeMultipart) mixed = NULL;
  g_autoptr(GMimeTextPart) body = NULL;
  g_autoptr(GMimeStream) text_stream = NULL;
  g_autoptr(GMimeDataWrapper) text_content = NULL;
  g_autoptr(GMimePart) pdf = NULL;
  g_autoptr(GMimePart) json = NULL;
  g_autoptr(GMimePart) signature = NULL;
  g_autofree char *revision = NULL;
  g_autoptr(GMimeFormatOptions) options = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  GByteArray *array;

  g_return_val_if_fail (submission != NULL, NULL);
  g_return_val_if_fail (submission->signed_at != NULL, NULL);
  g_return_val_if_fail (submission->signer != NULL, NULL);
  g_return_val_if_fail (submission->pdf != NULL && submission->json != NULL, NULL);
  g_return_val_if_fail (submission->signature != NULL, NULL);

  td_mail_ensure_gmime ();

  if (!td_mail_parse_mailbox (submission->from, TRUE, &from_address, error)
      || !td_mail_parse_mailbox (submission->recipient, FALSE, &to_address, error))
    return NULL;
  if (submission->revision_uuid == NULL || !g_uuid_string_is_valid (submission->revision_uuid))
    {
      g_set_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID,
                   _("The revision’s identifier “%s” is not a UUID."),
                   submission->revision_uuid ? submission->revision_uuid : "");
      return NULL;
    }
  if (submission->fingerprint == NULL || *submission->fingerprint == '\0')
    {
      g_set_error_literal (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID,
                           _("The school’s signing key is missing: the mail cannot name its fingerprint."));
      return NULL;
    }
  school_name = td_mail_one_line (submission->school_name ? submission->school_name : "");
  if (*school_name == '\0')
    {
      g_set_error_literal (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID,
                           _("The school has no name: enter it in the school’s profile."));
      return NULL;
    }

  subject = td_mail_subject (school_name);
  pdf_name = td_mail_attachment_name (school_name, ".pdf");
  json_name = td_mail_attachment_name (school_name, ".json");
  text = td_mail_body_text (submission, school_name, pdf_name, json_name);
  message_id = td_mail_message_id (submission->revision_uuid);
  /* Base64 lines never hold a '-', so this never occurs in a part. */
  boundary = g_strconcat ("=-training-desk-", submission->revision_uuid, NULL);

  /* The message's own headers are written here (see td_mail_header_append_words()),
   * the parts below them by GMime. */
  /* The name in one encoded-word, however long (a line stays far below
   * RFC 5322's 998): Python's email keeps the blank between two words of
   * a display name as a space, inside the school's name. */
  name_b64 = g_base64_encode ((const guchar *)school_name, strlen (school_name));
  g_string_append_printf (head, "From: =?UTF-8?B?%s?=\r\n <%s>\r\n", name_b64, from_address);
  g_string_append_printf (head, "To: <%s>\r\n", to_address);
  g_string_append (head, "Subject: ");
  td_mail_header_append_words (head, subject);
  if (submission->date == NULL)
    now = g_date_time_new_now_local ();
  date = g_mime_utils_header_format_date (submission->date ? submission->date : now);
  revision = g_ascii_strdown (submission->revision_uuid, -1);
  g_string_append_printf (head, "\r\nDate: %s\r\nMessage-Id: <%s>\r\n%s: %s\r\nMIME-Version: 1.0\r\n",
                          date, message_id, TD_MAIL_REVISION_HEADER, revision);

  mixed = g_mime_multipart_new_with_subtype ("mixed");
  g_mime_multipart_set_boundary (mixed, boundary);

  /* The text as it is, UTF-8: g_mime_text_part_set_text() would pick a
   * "best" charset of its own. */
  body = g_mime_text_part_new_with_subtype ("plain");
  text_stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  text_content = g_mime_data_wrapper_new_with_stream (text_stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (GMIME_PART (body), text_content);
  g_mime_text_part_set_charset (body, "utf-8");
  g_mime_part_set_content_encoding (GMIME_PART (body), GMIME_CONTENT_ENCODING_BASE64);
  g_mime_multipart_add (mixed, GMIME_OBJECT (body));

  pdf = td_mail_attachment_new ("application", "pdf", pdf_name, submission->pdf);
  g_mime_multipart_add (mixed, GMIME_OBJECT (pdf));
  json = td_mail_attachment_new ("application", "json", json_name, submission->json);
  g_mime_multipart_add (mixed, GMIME_OBJECT (json));
  signature = td_mail_attachment_new ("application", "json", TD_MAIL_SIGNATURE_NAME, submission->signature);
  g_mime_multipart_add (mixed, GMIME_OBJECT (signature));

  options = g_mime_format_options_new ();
  g_mime_format_options_set_newline_format (options, GMIME_NEWLINE_FORMAT_DOS);
  g_mime_format_options_set_param_encoding_method (options, GMIME_PARAM_ENCODING_METHOD_RFC2231);

  stream = g_mime_stream_mem_new ();
  if (g_mime_stream_write (stream, head->str, head->len) < 0
      || g_mime_object_write_to_stream (GMIME_OBJECT (mixed), options, stream) < 0)
    {
      g_set_error_literal (error, TD_MAIL_ERROR, TD_MAIL_ERROR_FAILED,
                           _("The message could not be put together."));
      return NULL;
    }
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  return g_bytes_new (array->data, array->len);
}

/* Sending */

typedef enum
{
  STAGE_CONNECT,  /* resolving, connecting, TLS, the greeting */
  STAGE_HELLO,    /* EHLO, STARTTLS */
  STAGE_AUTH,
  STAGE_MAIL,
  STAGE_RCPT,
  STAGE_DATA,     /* DATA, the content, the final reply */
  STAGE_DONE,     /* QUIT sent (after a refusal, before curl returns) or
                   * curl returned: the reply that matters came before */
} Stage;

typedef struct
{
  const char   *data;
  gsize         size;
  gsize         offset;
  GCancellable *cancellable;
  gint64        started;       /* monotonic µs */
  gint64        timeout_us;
  gboolean      expired;       /* the progress callback ended it at the deadline */
  Stage         stage;
  gboolean      quitting;
  GString      *reply;  /* the last reply line, QUIT's aside */
  char          curl_error[CURL_ERROR_SIZE];
} Transfer;

static size_t
td_mail_read_cb (char   *buffer,
                 size_t  size,
                 size_t  n_items,
                 void   *user_data)
{
  Transfer *t = user_data;
  gsize n = MIN (size * n_items, t->size - t->offset);

  memcpy (buffer, t->data + t->offset, n);
  t->offset += n;
  return n;
}

/* curl hands every reply line of SMTP to the header callback. */
static size_t
td_mail_header_cb (char   *buffer,
                   size_t  size,
                   size_t  n_items,
                   void   *user_data)
{
  Transfer *t = user_data;
  gsize n = size * n_items;

  if (t->quitting || t->stage == STAGE_DONE)
    return n;
  g_string_truncate (t->reply, 0);
  g_string_append_len (t->reply, buffer, n);
  while (t->reply->len > 0 && g_ascii_isspace (t->reply->str[t->reply->len - 1]))
    g_string_truncate (t->reply, t->reply->len - 1);
  return n;
}

/* Only to learn which command a reply answers; nothing is logged (the AUTH
 * lines carry the password). */
static int
td_mail_debug_cb (CURL          *handle,
                  curl_infotype  type,
                  char          *data,
                  size_t         size,
                  void          *user_data)
{
  static const struct { const char *prefix; Stage stage; } commands[] = {
    { "EHLO ", STAGE_HELLO },
    { "HELO ", STAGE_HELLO },
    { "STARTTLS", STAGE_HELLO },
    { "AUTH ", STAGE_AUTH },
    { "MAIL FROM:", STAGE_MAIL },
    { "RCPT TO:", STAGE_RCPT },
    { "DATA", STAGE_DATA },
    { "QUIT", STAGE_DONE },
  };
  Transfer *t = user_data;

  if (type != CURLINFO_HEADER_OUT || t->quitting || t->stage == STAGE_DONE)
    return 0;
  /* The lines that answer an AUTH challenge are no command. */
  if (t->stage == STAGE_AUTH && (size < 10 || g_ascii_strncasecmp (data, "MAIL FROM:", 10) != 0))
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      gsize len = strlen (commands[i].prefix);

      if (size >= len && g_ascii_strncasecmp (data, commands[i].prefix, len) == 0)
        {
          if (commands[i].stage == STAGE_DONE)
            t->quitting = TRUE;
          else
            t->stage = commands[i].stage;
          break;
        }
    }
  return 0;
}

static int
td_mail_xferinfo_cb (void       *user_data,
                     curl_off_t  dltotal,
                     curl_off_t  dlnow,
                     curl_off_t  ultotal,
                     curl_off_t  ulnow)
{
  Transfer *t = user_data;

  /* Non-zero aborts the transfer with CURLE_ABORTED_BY_CALLBACK. */
  if (g_cancellable_is_cancelled (t->cancellable))
    return 1;
  /* Until all is sent, the exchange keeps to the slowest rate allowed; the
   * last reply then has the time-out of every reply. */
  if ((gsize) ulnow < t->size &&
      g_get_monotonic_time () > t->started + t->timeout_us + (gint64) ulnow * G_USEC_PER_SEC / TD_LIMIT_MIN_TRANSFER_RATE)
    {
      t->expired = TRUE;
      return 1;
    }
  return 0;
}

static gboolean
td_mail_check_address (const char  *address,
                       gboolean     sender,
                       GError     **error)
{
  gboolean ok = address != NULL && strchr (address, '@') != NULL;

  for (const char *p = address; ok && *p; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || *p == '<' || *p == '>')
      ok = FALSE;
  if (!ok)
    td_mail_set_address_error (error, sender, address);
  return ok;
}

static gboolean
td_mail_check_host (const char  *host,
                    GError     **error)
{
  gboolean ok = host != NULL && *host != '\0';

  for (const char *p = host; ok && *p; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || strchr ("/@?#\\[]", *p) != NULL)
      ok = FALSE;
  /* A colon only in an IPv6 address: not "smtp.163.com:465". */
  if (ok && strchr (host, ':') != NULL && !g_hostname_is_ip_address (host))
    ok = FALSE;
  if (!ok)
    g_set_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID,
                 _("“%s” is not the name of a mail server. Enter it as the mailbox’s provider gives it, such as smtp.163.com."),
                 host ? host : "");
  return ok;
}

/* The CA file is trusted besides the system's CAs: the system's bundle and
 * the file in one blob, which replaces curl's CA file; curl's CA directory,
 * if it has one, stays. */
static gboolean
td_mail_set_ca_file (CURL                  *curl,
                     const TdMailSettings  *settings,
                     GError               **error)
{
  g_autoptr(GFile) ca = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *system = NULL;
  g_autofree char *pem = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *system_file = NULL;
  gsize extra_len;
  struct curl_blob blob;

  if (settings->ca_file == NULL || *settings->ca_file == '\0')
    return TRUE;

  /* Not read without bound: a device, or a large file chosen by mistake,
   * is refused, not taken into memory. */
  ca = g_file_new_for_path (settings->ca_file);
  if (!td_read_file_limited (ca, TD_LIMIT_CA_FILE, &extra, &extra_len, NULL, &local_error)
      || extra_len > TD_LIMIT_CA_FILE || strstr (extra, "-----BEGIN CERTIFICATE-----") == NULL)
    {
      g_set_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_INVALID,
                   _("The CA certificate “%s” cannot be used (%s). Choose a certificate file in PEM format in the mailbox settings."),
                   settings->ca_file,
                   local_error ? local_error->message : _("no certificate in it"));
      return FALSE;
    }

  if (curl_easy_getinfo (curl, CURLINFO_CAINFO, &system_file) == CURLE_OK && system_file != NULL)
    g_file_get_contents (system_file, &system, NULL, NULL);
  pem = g_strconcat (system ? system : "", "\n", extra, NULL);
  blob.data = pem;
  blob.len = strlen (pem);
  blob.flags = CURL_BLOB_COPY;
  /* A TLS backend without blobs: the file alone. */
  if (curl_easy_setopt (curl, CURLOPT_CAINFO_BLOB, &blob) != CURLE_OK)
    curl_easy_setopt (curl, CURLOPT_CAINFO, settings->ca_file);
  return TRUE;
}

static guint
td_mail_reply_code (const Transfer *t,
                    CURL           *curl)
{
  long code = 0;

  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &code);
  if (code < 100 && t->reply->len >= 3
      && g_ascii_isdigit (t->reply->str[0]) && g_ascii_isdigit (t->reply->str[1])
      && g_ascii_isdigit (t->reply->str[2]))
    code = g_ascii_strtoll (t->reply->str, NULL, 10);
  return code >= 100 && code < 600 ? (guint) code : 0;
}

static GError *
td_mail_send_error (const TdMailSettings *settings,
                    const char           *from,
                    const char           *recipient,
                    const Transfer       *t,
                    Stage                 stage,
                    CURL                 *curl,
                    CURLcode              code)
{
  const char *host = settings->host;
  guint port = td_mail_settings_get_port (settings);
  guint smtp_code = td_mail_reply_code (t, curl);
  /* What the server said, or else what curl knows. */
  const char *detail = t->reply->len > 0 && smtp_code >= 400 ? t->reply->str
                       : *t->curl_error ? t->curl_error
                       : curl_easy_strerror (code);

  if (code == CURLE_ABORTED_BY_CALLBACK && g_cancellable_is_cancelled (t->cancellable))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                _("Sending was cancelled."));
  /* The deadline, as curl's own time-outs say it. */
  if (code == CURLE_ABORTED_BY_CALLBACK && t->expired)
    code = CURLE_OPERATION_TIMEDOUT;

  /* All sent, no verdict: the message may have arrived, and a resend has
   * the same Message-ID. */
  if (stage == STAGE_DATA && t->offset == t->size && smtp_code < 400
      && (code == CURLE_OPERATION_TIMEDOUT || code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR
          || code == CURLE_GOT_NOTHING || code == CURLE_PARTIAL_FILE))
    return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_CONNECT,
                        _("The connection to the mail server %s was lost before it confirmed the message (%s). Try again later."),
                        host, detail);

  switch ((int) code)
    {
    case CURLE_LOGIN_DENIED:
      return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_AUTH,
                          _("The mail server %s refused the user name “%s” or its authorisation code (%s). "
                            "Check both in the mailbox settings: for most mailboxes, such as 163.com or QQ Mail, "
                            "this is the authorisation code for SMTP, not the password of the web mail."),
                          host, settings->username ? settings->username : "", detail);

    case CURLE_COULDNT_RESOLVE_HOST:
      return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_CONNECT,
                          _("Cannot find the mail server “%s”. Check the network connection and the server’s name in the mailbox settings."),
                          host);

    case CURLE_COULDNT_CONNECT:
      return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_CONNECT,
                          _("Cannot connect to the mail server %s on port %u (%s). Check the network connection, the server’s name and the port."),
                          host, port, detail);

    case CURLE_OPERATION_TIMEDOUT:
      return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_CONNECT,
                          _("The mail server %s on port %u did not answer in time. Check the network connection; "
                            "if this persists, check the port and the security: 465 uses TLS from the start, 587 uses STARTTLS."),
                          host, port);

    case CURLE_PEER_FAILED_VERIFICATION:
      return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_TLS,
                          _("The certificate of the mail server %s is not trusted (%s). Check the server’s name; "
                            "on a network with its own certificate authority, choose its CA certificate in the mailbox settings."),
                          host, detail);

    case CURLE_USE_SSL_FAILED:
      return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_TLS,
                          _("The mail server %s on port %u does not offer STARTTLS, and mail is never sent unencrypted. "
                            "Check the port and the security: 465 uses TLS from the start, 587 uses STARTTLS."),
                          host, port);

    case CURLE_SSL_CACERT_BADFILE:
      return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_TLS,
                          _("The certificate of the mail server %s cannot be checked: the certificate authorities "
                            "cannot be read (%s). Install the system’s certificates (the ca-certificates package), "
                            "or check the CA certificate file in the mailbox settings."),
                          host, detail);

    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_TLS,
                          _("A secure connection to the mail server %s on port %u could not be set up (%s). "
                            "Check the port and the security: 465 uses TLS from the start, 587 uses STARTTLS."),
                          host, port, detail);

    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
      return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_FAILED,
                          _("This system’s libcurl cannot send mail (%s)."),
                          detail);

    default:
      break;
    }

  /* The server said no. */
  if (smtp_code == 530 || smtp_code == 534 || smtp_code == 535 || smtp_code == 538)
    return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_AUTH,
                        _("The mail server %s asks to sign in (%s). Enter the mailbox’s user name and authorisation code in the mailbox settings."),
                        host, detail);
  if (smtp_code >= 400 && smtp_code < 500)
    return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_TEMPORARY,
                        _("The mail server %s cannot take the message now (%s). Try again later."),
                        host, detail);
  if (smtp_code >= 500)
    switch (stage)
      {
      case STAGE_MAIL:
        return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_REFUSED,
                            _("The mail server %s refused the sender %s (%s). The sender must be the mailbox signed in with."),
                            host, from, detail);
      case STAGE_RCPT:
        return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_REFUSED,
                            _("The mail server %s refused the recipient %s (%s). Check the recipient’s address."),
                            host, recipient, detail);
      case STAGE_DATA:
        return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_REFUSED,
                            _("The mail server %s refused the message (%s)."),
                            host, detail);
      default:
        return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_REFUSED,
                            _("The mail server %s refused to take mail (%s)."),
                            host, detail);
      }

  switch ((int) code)
    {
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_WEIRD_SERVER_REPLY:
      return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_CONNECT,
                          _("The connection to the mail server %s was lost (%s). Try again later."),
                          host, detail);
    default:
      return g_error_new (TD_MAIL_ERROR, TD_MAIL_ERROR_FAILED,
                          _("Sending to the mail server %s failed (%s)."),
                          host, detail);
    }
}

/**
 * td_mail_send:
 * @settings: where to send
 * @password: (nullable): the authorisation code, when @settings has a user
 * @from: the envelope's sender, a bare address
 * @recipient: the envelope's recipient, a bare address
 * @message: a message from td_mail_build_message()
 *
 * Sends @message over SMTP, blocking: never on the main loop.
 *
 * Returns: (transfer full): the server's last reply, its receipt
 *   ("250 2.0.0 Ok: queued as …"); %NULL with a %TD_MAIL_ERROR, or
 *   %G_IO_ERROR_CANCELLED.
 */
char *
td_mail_send (const TdMailSettings  *settings,
              const char            *password,
              const char            *from,
              const char            *recipient,
              GBytes                *message,
              GCancellable          *cancellable,
              GError               **error)
{
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autofree char *url = NULL;
  g_autofree char *mail_from = NULL;
  g_autofree char *rcpt = NULL;
  struct curl_slist *recipients = NULL;
  gboolean auth;
  guint timeout;
  Transfer t = { 0, };
  CURL *curl;
  GError *local_error = NULL;

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!td_mail_check_host (settings->host, error)
      || !td_mail_check_address (from, TRUE, error)
      || !td_mail_check_address (recipient, FALSE, error))
    return NULL;
  auth = settings->username != NULL && *settings->username != '\0';
  if (auth && (password == NULL || *password == '\0'))
    {
      g_set_error (error, TD_MAIL_ERROR, TD_MAIL_ERROR_AUTH,
                   _("Enter the authorisation code of the mailbox %s."),
                   settings->username);
      return NULL;
    }

  td_mail_ensure_curl ();
  curl = curl_easy_init ();
  if (curl == NULL)
    {
      g_set_error_literal (error, TD_MAIL_ERROR, TD_MAIL_ERROR_FAILED,
                           _("Sending could not start: out of memory."));
      return NULL;
    }

  t.data = g_bytes_get_data (message, &t.size);
  t.cancellable = cancellable;
  t.stage = STAGE_CONNECT;
  t.reply = reply;
  t.started = g_get_monotonic_time ();

  url = g_strdup_printf ("%s://%s%s%s:%u",
                         settings->security == TD_MAIL_SECURITY_IMPLICIT_TLS ? "smtps" : "smtp",
                         strchr (settings->host, ':') ? "[" : "",
                         settings->host,
                         strchr (settings->host, ':') ? "]" : "",
                         td_mail_settings_get_port (settings));
  mail_from = g_strconcat ("<", from, ">", NULL);
  rcpt = g_strconcat ("<", recipient, ">", NULL);
  recipients = curl_slist_append (recipients, rcpt);
  timeout = settings->timeout_seconds ? settings->timeout_seconds : DEFAULT_TIMEOUT;
  t.timeout_us = (gint64) timeout * G_USEC_PER_SEC;

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  /* Never plain: STARTTLS is required, not tried. */
  curl_easy_setopt (curl, CURLOPT_USE_SSL, (long) CURLUSESSL_ALL);
  curl_easy_setopt (curl, CURLOPT_SSLVERSION, (long) CURL_SSLVERSION_TLSv1_2);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (auth)
    {
      curl_easy_setopt (curl, CURLOPT_USERNAME, settings->username);
      curl_easy_setopt (curl, CURLOPT_PASSWORD, password);
    }
  curl_easy_setopt (curl, CURLOPT_MAIL_FROM, mail_from);
  curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t) t.size);
  curl_easy_setopt (curl, CURLOPT_READFUNCTION, td_mail_read_cb);
  curl_easy_setopt (curl, CURLOPT_READDATA, &t);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, td_mail_header_cb);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, &t);
  /* Verbose only so that td_mail_debug_cb sees the commands; it prints nothing. */
  curl_easy_setopt (curl, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt (curl, CURLOPT_DEBUGFUNCTION, td_mail_debug_cb);
  curl_easy_setopt (curl, CURLOPT_DEBUGDATA, &t);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, td_mail_xferinfo_cb);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, t.curl_error);
  /* From a worker thread: no SIGALRM for time-outs. */
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, (long) timeout);
  curl_easy_setopt (curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, (long) timeout);
  /* A transfer that stalls (under 1 byte/s for the time-out) ends. */
  curl_easy_setopt (curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt (curl, CURLOPT_LOW_SPEED_TIME, (long) timeout);
  /* The whole exchange, whatever the server does (see the top). */
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS,
                    (long) (2 * timeout * 1000 + (guint64) t.size * 1000 / TD_LIMIT_MIN_TRANSFER_RATE));

  if (td_mail_set_ca_file (curl, settings, &local_error))
    {
      CURLcode code = curl_easy_perform (curl);
      Stage stage = t.stage;
      t.stage = STAGE_DONE;
      if (code != CURLE_OK)
        local_error = td_mail_send_error (settings, from, recipient, &t, stage, curl, code);
    }

  /* Sends QUIT on the cached connection; its reply is ignored. */
  curl_easy_cleanup (curl);
  curl_slist_free_all (recipients);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_strdup (reply->str);
}

typedef struct
{
  TdMailSettings *settings;
  char           *password;
  char           *from;
  char           *recipient;
  GBytes         *message;
} SendData;

static void
td_mail_send_data_free (SendData *data)
{
  td_mail_settings_free (data->settings);
  if (data->password != NULL)
    {
      sodium_memzero (data->password, strlen (data->password));
      g_free (data->password);
    }
  g_free (data->from);
  g_free (data->recipient);
  g_bytes_unref (data->message);
  g_free (data);
}

static void
td_mail_send_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SendData *data = task_data;
  GError *error = NULL;
  char *receipt;

  receipt = td_mail_send (data->settings, data->password, data->from, data->recipient,
                          data->message, cancellable, &error);
  if (receipt == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, receipt, g_free);
}

/**
 * td_mail_send_async:
 *
 * td_mail_send() on a worker thread. @cancellable aborts the transfer
 * (within a second: curl looks at it between its steps).
 */
void
td_mail_send_async (const TdMailSettings *settings,
                    const char           *password,
                    const char           *from,
                    const char           *recipient,
                    GBytes               *message,
                    GCancellable         *cancellable,
                    GAsyncReadyCallback   callback,
                    gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *data;

  g_return_if_fail (settings != NULL);
  g_return_if_fail (message != NULL);

  td_mail_ensure_curl ();

  data = g_new0 (SendData, 1);
  data->settings = td_mail_settings_copy (settings);
  data->password = g_strdup (password);
  data->from = g_strdup (from);
  data->recipient = g_strdup (recipient);
  data->message = g_bytes_ref (message);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, td_mail_send_async);
  g_task_set_task_data (task, data, (GDestroyNotify) td_mail_send_data_free);
  g_task_run_in_thread (task, td_mail_send_thread);
}

/**
 * td_mail_send_finish:
 *
 * Returns: (transfer full): the server's receipt, or %NULL with the error.
 */
char *
td_mail_send_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == td_mail_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
