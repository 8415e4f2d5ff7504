/* td-submission.c: a signed revision as a school uploads it
 *
 * Reading a request (400 when it is not what docs/upload-protocol.md
 * describes) and checking what it holds as docs/signing.md "Checking a
 * revision" says (422 when it does not verify). Every part comes from the
 * network: nothing here trusts a length, a type or a nesting depth.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "td-receiver"

#include "config.h"

#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "td-canonical-json.h"
#include "td-form-json.h"
#include "td-revision.h"
#include "td-signing-key.h"
#include "td-submission.h"

/* The body must have a NUL after its end (soup_message_body_flatten()
 * gives one): libsoup 3.2's soup_multipart_new_from_message() runs
 * strstr() on it (found by fuzz-submission).
 *
 * libsoup makes a header table for each part: a body of nothing but
 * boundaries would take far more memory than its size. */
#define MAX_PARTS 32

void
td_submission_free (TdSubmission *self)
{
  if (self == NULL)
    return;
  g_free (self->revision);
  g_free (self->campaign);
  g_free (self->signer);
  g_free (self->signed_at);
  g_free (self->claimed_form_sha256);
  g_free (self->claimed_pdf_sha256);
  g_free (self->public_key);
  g_clear_pointer (&self->form_json, g_bytes_unref);
  g_clear_pointer (&self->pdf, g_bytes_unref);
  g_clear_pointer (&self->signature_json, g_bytes_unref);
  g_free (self->form_sha256);
  g_free (self->pdf_sha256);
  g_free (self->signature_sha256);
  g_clear_pointer (&self->public_key_bytes, g_bytes_unref);
  g_clear_pointer (&self->signature_bytes, g_bytes_unref);
  g_free (self->statement);
  g_clear_object (&self->form);
  g_free (self);
}

static TdAnswer *
td_submission_bad_request (const char *message_zh,
                           const char *format,
                           ...) G_GNUC_PRINTF (2, 3);

static TdAnswer *
td_submission_bad_request (const char *message_zh,
                           const char *format,
                           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  return td_answer_new (SOUP_STATUS_BAD_REQUEST, "bad-request", message, message_zh);
}

static TdAnswer *
td_submission_unverified (const char *message,
                          const char *message_zh)
{
  return td_answer_new (SOUP_STATUS_UNPROCESSABLE_ENTITY, "unverified", message, message_zh);
}

static gboolean
td_submission_is_lower_hex (const char *text,
                            gsize       length)
{
  if (strlen (text) != length)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
      return FALSE;
  return TRUE;
}

/* Standard base64 with padding (RFC 4648 §4), exactly: g_base64_decode()
 * skips what it does not know, so the text is checked first and must
 * encode back to itself. */
static GBytes *
td_submission_decode_base64 (const char *text,
                             gsize       expected_length)
{
  gsize n = strlen (text), length;
  g_autofree guchar *data = NULL;
  g_autofree char *again = NULL;

  if (n == 0 || n % 4 != 0)
    return NULL;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '+' && text[i] != '/' &&
        !(text[i] == '=' && i >= n - 2))
      return NULL;

  data = g_base64_decode (text, &length);
  if (length != expected_length)
    return NULL;
  again = g_base64_encode (data, length);
  if (!g_str_equal (again, text))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&data), length);
}

static gboolean
td_submission_is_revision_uuid (const char *text)
{
  for (const char *p = text; *p; p++)
    if (g_ascii_isupper (*p))
      return FALSE;
  return g_uuid_string_is_valid (text);
}

/* A string member of signature.json, or a 400 naming it. */
static gboolean
td_submission_get_string (JsonObject  *object,
                          const char  *name,
                          char       **out,
                          TdAnswer   **refusal)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *zh = g_strdup_printf ("signature.json 中缺少字符串成员“%s”，或其类型不对。", name);

      *refusal = td_submission_bad_request (zh, "signature.json has no string member “%s”.", name);
      return FALSE;
    }
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
td_submission_get_int (JsonObject  *object,
                       const char  *name,
                       gint64      *out,
                       TdAnswer   **refusal)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_autofree char *zh = g_strdup_printf ("signature.json 中缺少整数成员“%s”，或其类型不对。", name);

      *refusal = td_submission_bad_request (zh, "signature.json has no integer member “%s”.", name);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

static TdAnswer *
td_submission_member_malformed (const char *name,
                                const char *what)
{
  g_autofree char *zh = g_strdup_printf ("signature.json 中的“%s”格式不对。", name);

  return td_submission_bad_request (zh, "signature.json: “%s” is not %s.", name, what);
}

/* The multipart parts the protocol knows; others are left alone, so that
 * a later client may add some. */
typedef enum
{
  PART_FORM,
  PART_PDF,
  PART_SIGNATURE,
  N_PARTS
} Part;

static const char * const part_names[N_PARTS] = { "form", "pdf", "signature" };

/* Whether the body has few enough delimiters ("--" and the boundary) to
 * be read part by part. */
static gboolean
td_submission_count_parts_ok (const char *boundary,
                              GBytes     *body)
{
  g_autofree char *delimiter = NULL;
  gsize length, delimiter_length;
  const char *data = g_bytes_get_data (body, &length);
  const char *end = data + length;
  guint n = 0;

  if (boundary == NULL || *boundary == '\0' || data == NULL)
    return TRUE;   /* libsoup refuses it */
  delimiter = g_strconcat ("--", boundary, NULL);
  delimiter_length = strlen (delimiter);
  for (const char *p = data;
       p < end && (p = memmem (p, (gsize)(end - p), delimiter, delimiter_length));
       p += delimiter_length)
    if (++n > MAX_PARTS + 1)
      return FALSE;
  return TRUE;
}

static gboolean
td_submission_read_parts (const char *content_type,
                          GBytes     *body,
                          GBytes     *parts[N_PARTS],
                          TdAnswer  **refusal)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(GHashTable) params = NULL;
  const char *type;
  SoupMultipart *multipart;

  if (content_type)
    soup_message_headers_replace (headers, "Content-Type", content_type);
  type = soup_message_headers_get_content_type (headers, &params);
  if (type == NULL || g_ascii_strcasecmp (type, "multipart/form-data") != 0)
    {
      *refusal = td_submission_bad_request ("请求不是 multipart/form-data 格式，应包含 form、pdf 和 signature 三个部分。",
                                            "The request is not multipart/form-data with the parts form, pdf and signature.");
      return FALSE;
    }

  if (!td_submission_count_parts_ok (g_hash_table_lookup (params, "boundary"), body))
    {
      *refusal = td_submission_bad_request ("multipart 请求体的部分太多。",
                                            "The multipart body has too many parts (at most %d).", MAX_PARTS);
      return FALSE;
    }

  multipart = soup_multipart_new_from_message (headers, body);
  if (multipart == NULL)
    {
      *refusal = td_submission_bad_request ("无法读取 multipart 请求体（分隔符缺失或格式错误）。",
                                            "The multipart body cannot be read (its boundary is missing or wrong).");
      return FALSE;
    }

  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *part_headers;
      GBytes *part_body;
      g_autofree char *disposition = NULL;
      g_autoptr(GHashTable) disposition_params = NULL;
      const char *name;

      if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body) ||
          !soup_message_headers_get_content_disposition (part_headers, &disposition, &disposition_params) ||
          /* libsoup says TRUE without a disposition for bytes it cannot read */
          disposition == NULL || disposition_params == NULL ||
          g_ascii_strcasecmp (disposition, "form-data") != 0 ||
          (name = g_hash_table_lookup (disposition_params, "name")) == NULL)
        continue;

      for (guint p = 0; p < N_PARTS; p++)
        if (g_str_equal (name, part_names[p]))
          {
            if (parts[p])
              {
                g_autofree char *zh = g_strdup_printf ("“%s”部分出现了不止一次。", name);

                *refusal = td_submission_bad_request (zh, "The part “%s” is there more than once.", name);
                soup_multipart_free (multipart);
                return FALSE;
              }
            parts[p] = g_bytes_ref (part_body);
          }
    }
  soup_multipart_free (multipart);

  for (guint p = 0; p < N_PARTS; p++)
    if (parts[p] == NULL)
      {
        g_autofree char *zh = g_strdup_printf ("缺少“%s”部分。", part_names[p]);

        *refusal = td_submission_bad_request (zh, "The part “%s” is missing.", part_names[p]);
        return FALSE;
      }
  return TRUE;
}

static gboolean
td_submission_read_form (TdSubmission  *self,
                         TdAnswer     **refusal)
{
  gsize length;
  const char *data = g_bytes_get_data (self->form_json, &length);
  g_autoptr(GError) error = NULL;

  if (data == NULL)
    {
      *refusal = td_submission_bad_request ("form.json 不是有效的 JSON。", "form.json is not valid JSON.");
      return FALSE;
    }
  if (!td_canonical_json_check (data, length, &error))
    {
      if (g_error_matches (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_NOT_CANONICAL))
        *refusal = td_submission_bad_request ("form.json 不是规范化 JSON（RFC 8785，见 docs/signing.md），不是签发时的原始字节。",
                                              "form.json is not in canonical form (RFC 8785, docs/signing.md): "
                                              "it is not the bytes that were signed.");
      else
        *refusal = td_submission_bad_request ("form.json 不是有效的 JSON。", "form.json is not valid JSON: %s", error->message);
      return FALSE;
    }

  self->form = td_form_new_from_json (data, (gssize)length, &error);
  if (self->form == NULL)
    {
      *refusal = td_submission_bad_request ("form.json 不是意向表文档（见 docs/form-json.md）。",
                                            "form.json is not an intent form (docs/form-json.md): %s", error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
td_submission_read_signature (TdSubmission  *self,
                              TdAnswer     **refusal)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (self->signature_json, &length);
  g_autofree char *signature = NULL;
  g_autoptr(GDateTime) signed_at = NULL;
  g_autofree char *signed_at_again = NULL;
  JsonObject *object;

  if (data == NULL || !td_json_check_limits (data, length, TD_LIMIT_JSON_DOCUMENT, NULL) ||
      !json_parser_load_from_data (parser, data, (gssize)length, &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      *refusal = td_submission_bad_request ("signature.json 不是有效的 JSON 对象。", "signature.json is not a JSON object.");
      return FALSE;
    }
  object = json_node_get_object (json_parser_get_root (parser));

  {
    g_autofree char *type = NULL;
    gint64 version;

    if (!td_submission_get_string (object, "type", &type, refusal) ||
        !td_submission_get_int (object, "version", &version, refusal))
      return FALSE;
    if (!g_str_equal (type, TD_SIGNOFF_STATEMENT_TYPE) || version != TD_SIGNOFF_STATEMENT_VERSION)
      {
        *refusal = td_submission_unverified ("signature.json is a statement of a type or version this receiver does not know.",
                                             "此接收端不认识 signature.json 的声明类型或版本。");
        return FALSE;
      }
  }

  if (!td_submission_get_string (object, "revision", &self->revision, refusal) ||
      !td_submission_get_int (object, "number", &self->number, refusal) ||
      !td_submission_get_string (object, "campaign", &self->campaign, refusal) ||
      !td_submission_get_string (object, "signer", &self->signer, refusal) ||
      !td_submission_get_string (object, "signed_at", &self->signed_at, refusal) ||
      !td_submission_get_string (object, "form_sha256", &self->claimed_form_sha256, refusal) ||
      !td_submission_get_string (object, "pdf_sha256", &self->claimed_pdf_sha256, refusal) ||
      !td_submission_get_string (object, "public_key", &self->public_key, refusal) ||
      !td_submission_get_string (object, "signature", &signature, refusal))
    return FALSE;

  if (!td_submission_is_revision_uuid (self->revision))
    {
      *refusal = td_submission_member_malformed ("revision", "a UUID in lower case");
      return FALSE;
    }
  if (self->number < 1)
    {
      *refusal = td_submission_member_malformed ("number", "a revision number (1, 2, …)");
      return FALSE;
    }
  signed_at = g_date_time_new_from_iso8601 (self->signed_at, NULL);
  if (signed_at)
    signed_at_again = td_signoff_format_time (signed_at);
  if (signed_at_again == NULL || !g_str_equal (signed_at_again, self->signed_at))
    {
      *refusal = td_submission_member_malformed ("signed_at", "a time in UTC written YYYY-MM-DDTHH:MM:SSZ");
      return FALSE;
    }
  if (!td_submission_is_lower_hex (self->claimed_form_sha256, 64))
    {
      *refusal = td_submission_member_malformed ("form_sha256", "64 lower-case hexadecimal digits");
      return FALSE;
    }
  if (!td_submission_is_lower_hex (self->claimed_pdf_sha256, 64))
    {
      *refusal = td_submission_member_malformed ("pdf_sha256", "64 lower-case hexadecimal digits");
      return FALSE;
    }
  self->public_key_bytes = td_submission_decode_base64 (self->public_key, crypto_sign_PUBLICKEYBYTES);
  if (self->public_key_bytes == NULL)
    {
      *refusal = td_submission_member_malformed ("public_key", "an Ed25519 public key (32 bytes) in base64");
      return FALSE;
    }
  self->signature_bytes = td_submission_decode_base64 (signature, crypto_sign_BYTES);
  if (self->signature_bytes == NULL)
    {
      *refusal = td_submission_member_malformed ("signature", "an Ed25519 signature (64 bytes) in base64");
      return FALSE;
    }

  /* The statement is signature.json without these two, in canonical form
   * (docs/signing.md). */
  json_object_remove_member (object, "public_key");
  json_object_remove_member (object, "signature");
  self->statement = td_canonical_json_from_node (json_parser_get_root (parser), &self->statement_length, &error);
  if (self->statement == NULL)
    {
      *refusal = td_submission_bad_request ("signature.json 含有无法规范化的值。",
                                            "signature.json holds values that have no canonical form: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * td_submission_parse:
 * @content_type: (nullable): the request's Content-Type header
 * @idempotency_key: (nullable): its Idempotency-Key header
 * @body: the whole request body
 * @refusal: (out): a 400 (or a 422 for a statement of an unknown
 *   version) when the request is not a submission
 *
 * Reads a request of docs/upload-protocol.md: the three parts, the form a
 * canonical intent form, signature.json complete, and the key its
 * revision. Nothing is verified yet.
 */
TdSubmission *
td_submission_parse (const char  *content_type,
                     const char  *idempotency_key,
                     GBytes      *body,
                     TdAnswer   **refusal)
{
  g_autoptr(TdSubmission) self = NULL;
  GBytes *parts[N_PARTS] = { NULL, };

  if (!td_submission_read_parts (content_type, body, parts, refusal))
    {
      for (guint p = 0; p < N_PARTS; p++)
        g_clear_pointer (&parts[p], g_bytes_unref);
      return NULL;
    }
  self = td_submission_new_from_parts (parts[PART_FORM], parts[PART_PDF], parts[PART_SIGNATURE], refusal);
  for (guint p = 0; p < N_PARTS; p++)
    g_clear_pointer (&parts[p], g_bytes_unref);
  if (self == NULL)
    return NULL;

  if (idempotency_key == NULL || *idempotency_key == '\0')
    {
      *refusal = td_submission_bad_request ("缺少 Idempotency-Key 请求头（应为修订的 UUID）。",
                                            "The Idempotency-Key header (the revision’s UUID) is missing.");
      return NULL;
    }
  if (!g_str_equal (idempotency_key, self->revision))
    {
      *refusal = td_submission_bad_request ("Idempotency-Key 与 signature.json 中的修订 UUID 不一致。",
                                            "The Idempotency-Key (%s) is not the revision of signature.json (%s).",
                                            idempotency_key, self->revision);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * td_submission_new_from_parts:
 * @refusal: (out): a 400 (or a 422 for a statement of an unknown version)
 *
 * The three parts, however they came (an upload's multipart body, a
 * mail's attachments): the form a canonical intent form, signature.json
 * complete, and the key its revision. Nothing is verified yet.
 */
TdSubmission *
td_submission_new_from_parts (GBytes    *form_json,
                              GBytes    *pdf,
                              GBytes    *signature_json,
                              TdAnswer **refusal)
{
  g_autoptr(TdSubmission) self = g_new0 (TdSubmission, 1);
  gsize length;
  const void *data;

  self->form_json = g_bytes_ref (form_json);
  self->pdf = g_bytes_ref (pdf);
  self->signature_json = g_bytes_ref (signature_json);

  if (!td_submission_read_form (self, refusal) || !td_submission_read_signature (self, refusal))
    return NULL;

  /* td_sha256_hex() is nettle's, with the CPU's SHA instructions: a 64
   * KiB PDF hashed by libsodium was a fifth of the receiver's samples
   * under 64 clients (issue 17). */
  data = g_bytes_get_data (self->form_json, &length);
  self->form_sha256 = td_sha256_hex (data, length);
  data = g_bytes_get_data (self->pdf, &length);
  self->pdf_sha256 = td_sha256_hex (data, length);
  data = g_bytes_get_data (self->signature_json, &length);
  self->signature_sha256 = td_sha256_hex (data, length);

  return g_steal_pointer (&self);
}

/**
 * td_submission_verify:
 * @refusal: (out): a 422 saying what does not match
 *
 * docs/signing.md, "Checking a revision": both hashes, the signature over
 * the statement, and the form naming the campaign and signer that signed.
 */
gboolean
td_submission_verify (TdSubmission  *self,
                      TdAnswer     **refusal)
{
  const char *form_signer;

  if (!g_str_equal (self->form_sha256, self->claimed_form_sha256))
    {
      *refusal = td_submission_unverified ("form.json is not the form that was signed: its SHA-256 is not the form_sha256 "
                                           "of signature.json.",
                                           "form.json 不是签发时的表单：其 SHA-256 与 signature.json 中的 form_sha256 不符。");
      return FALSE;
    }
  if (!g_str_equal (self->pdf_sha256, self->claimed_pdf_sha256))
    {
      *refusal = td_submission_unverified ("form.pdf is not the PDF that was signed: its SHA-256 is not the pdf_sha256 "
                                           "of signature.json.",
                                           "form.pdf 不是签发时的 PDF：其 SHA-256 与 signature.json 中的 pdf_sha256 不符。");
      return FALSE;
    }
  if (!td_signoff_verify_statement (self->statement, self->statement_length,
                                    self->signature_bytes, self->public_key_bytes, NULL))
    {
      *refusal = td_submission_unverified ("The Ed25519 signature of signature.json does not verify: what it states is not "
                                           "what was signed. Sign the form off again and send the new revision.",
                                           "signature.json 的 Ed25519 签名验证失败：其内容不是签发时的内容。请重新签发表单并发送新的修订。");
      return FALSE;
    }
  if (g_strcmp0 (td_form_get_campaign_id (self->form), self->campaign) != 0)
    {
      *refusal = td_answer_new_printf (SOUP_STATUS_UNPROCESSABLE_ENTITY, "unverified",
                                       "form.json 所属的征集活动与签发声明中的不一致。",
                                       "form.json answers the campaign “%s” but the statement signs “%s”.",
                                       td_form_get_campaign_id (self->form), self->campaign);
      return FALSE;
    }
  /* The receiver's clock, not the client's word, orders submissions; a
   * time far ahead is a wrong clock or a lie (issue 10). */
  {
    g_autoptr(GDateTime) signed_at = g_date_time_new_from_iso8601 (self->signed_at, NULL);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    if (signed_at == NULL ||
        g_date_time_difference (signed_at, now) > (GTimeSpan)TD_SUBMISSION_MAX_AHEAD_S * G_TIME_SPAN_SECOND)
      {
        g_autofree char *zh = g_strdup_printf ("签发时间 %s 比接收端的时间晚了一天以上：签发电脑的时钟有误。"
                                               "请校正电脑时间后重新签发。", self->signed_at);

        *refusal = td_answer_new_printf (SOUP_STATUS_UNPROCESSABLE_ENTITY, "unverified", zh,
                                         "signed_at (%s) is more than a day after the receiver’s time: the "
                                         "signing computer’s clock is wrong. Correct it and sign the form off again.",
                                         self->signed_at);
        return FALSE;
      }
  }
  form_signer = td_form_get (self->form, TD_FORM_LEGAL_REPRESENTATIVE);
  if (g_strcmp0 (form_signer, self->signer) != 0)
    {
      *refusal = td_answer_new_printf (SOUP_STATUS_UNPROCESSABLE_ENTITY, "unverified",
                                       "form.json 中的法定代表人与签发人不一致。",
                                       "form.json names “%s” as legal representative but the statement was signed by “%s”.",
                                       form_signer, self->signer);
      return FALSE;
    }
  return TRUE;
}
