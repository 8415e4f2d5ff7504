/* make-seeds.c: writes the generated part of the fuzzers' seed corpora
 *
 * Seeds must be inputs the readers accept, so that the fuzzer starts deep
 * inside them: a signed upload, a form, a workbook are easiest made by the
 * code that makes them for real. Run once when a format changes:
 *   build-asan/tests/fuzz/fuzz-make-seeds tests/fuzz/corpus
 * (the rest of the corpora are copies of docs/templates and app/core/data;
 * see docs/fuzzing.md). The output does not depend on the clock; the keys
 * and UUIDs are fixed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-fuzz"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sodium.h>
#include <string.h>

#include "td-canonical-json.h"
#include "td-csv.h"
#include "td-form-json.h"
#include "td-revision.h"
#include "td-test-fixtures.h"
#include "td-xlsx.h"

#define REVISION_UUID "0b6a7e2c-3f4d-4f1e-9a53-2d8c1b7e6f90"

static const char *corpus;

static void
write_seed (const char *target,
            const char *name,
            const void *data,
            gsize       length)
{
  g_autofree char *dir = g_build_filename (corpus, target, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0755);
  g_file_set_contents (path, data, (gssize)length, &error);
  g_assert_no_error (error);
}

static char *
form_json (TdForm *form,
           gsize  *length)
{
  g_autoptr(JsonNode) node = td_form_to_json_node (form);
  g_autoptr(GError) error = NULL;
  char *json = td_canonical_json_from_node (node, length, &error);

  g_assert_no_error (error);
  return json;
}

/* A submission as test-receiver crafts one, with a key from a fixed seed. */
static void
seed_submission (TdForm *form)
{
  static const char pdf[] = "%PDF-1.4\n% not drawn by Training Desk\n%%EOF\n";
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 ("2026-11-26T08:00:00Z", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  unsigned char seed[crypto_sign_SEEDBYTES] = { 42, };
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
  g_autofree char *json = NULL, *form_hash = NULL, *pdf_hash = NULL, *statement = NULL;
  g_autofree char *pk64 = NULL, *sig64 = NULL, *signature = NULL;
  gsize form_length, statement_length, signature_length;
  SoupMultipart *multipart;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) form_bytes = NULL, pdf_bytes = NULL, signature_bytes = NULL;
  g_autoptr(GString) seed_text = g_string_new (NULL);
  JsonObject *object;

  json = form_json (form, &form_length);
  form_hash = td_sha256_hex (json, form_length);
  pdf_hash = td_sha256_hex (pdf, sizeof pdf - 1);
  statement = td_signoff_statement (REVISION_UUID, 1, td_form_get_campaign_id (form),
                                    td_form_get (form, TD_FORM_LEGAL_REPRESENTATIVE), at,
                                    form_hash, pdf_hash, &statement_length);
  g_assert_true (sodium_init () >= 0);
  crypto_sign_seed_keypair (pk, sk, seed);
  crypto_sign_detached (sig, NULL, (const unsigned char *)statement, statement_length, sk);
  pk64 = g_base64_encode (pk, sizeof pk);
  sig64 = g_base64_encode (sig, sizeof sig);

  json_parser_load_from_data (parser, statement, (gssize)statement_length, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (object, "public_key", pk64);
  json_object_set_string_member (object, "signature", sig64);
  signature = td_canonical_json_from_node (json_parser_get_root (parser), &signature_length, &error);
  g_assert_no_error (error);
  write_seed ("canonical-json", "signature.json", signature, signature_length);
  write_seed ("canonical-json", "statement.json", statement, statement_length);

  form_bytes = g_bytes_new (json, form_length);
  pdf_bytes = g_bytes_new_static (pdf, sizeof pdf - 1);
  signature_bytes = g_bytes_new (signature, signature_length);
  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  soup_multipart_append_form_file (multipart, "form", "form.json", "application/json", form_bytes);
  soup_multipart_append_form_file (multipart, "pdf", "form.pdf", "application/pdf", pdf_bytes);
  soup_multipart_append_form_file (multipart, "signature", "signature.json", "application/json", signature_bytes);
  soup_multipart_to_message (multipart, headers, &body);
  soup_multipart_free (multipart);

  /* The format of fuzz-submission.c: key, Content-Type, body. The
   * boundary is libsoup's random one: fix it. */
  {
    g_autoptr(GHashTable) params = NULL;
    const char *boundary;
    g_autofree char *text = NULL;
    g_auto(GStrv) pieces = NULL;
    g_autofree char *fixed = NULL;

    soup_message_headers_get_content_type (headers, &params);
    boundary = g_hash_table_lookup (params, "boundary");
    text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    pieces = g_strsplit (text, boundary, -1);
    fixed = g_strjoinv ("td-fuzz-boundary", pieces);
    g_string_append_printf (seed_text, "%s\nmultipart/form-data; boundary=td-fuzz-boundary\n%s", REVISION_UUID, fixed);
  }
  write_seed ("submission", "valid-upload", seed_text->str, seed_text->len);
}

static void
seed_mail (TdForm *form)
{
  static const char pdf[] = "%PDF-1.4\n%%EOF\n";
  g_autofree char *json = NULL;
  g_autoptr(GString) s = g_string_new (NULL);
  gsize length;

  json = form_json (form, &length);
#define FIELD(text) g_string_append_len (s, text, sizeof text)
  FIELD ("济南市第一职业中等专业学校");
  FIELD ("office@jn1zz.edu.cn");
  FIELD ("zhiyejiaoyu@sd.gov.cn");
  FIELD ("张建国");
  FIELD (pdf);
  g_string_append_len (s, json, (gssize)length);
  write_seed ("mail", "valid", s->str, s->len);

  g_string_truncate (s, 0);
  FIELD ("School \"One\" <evil>\r\nBcc: all@example.org");
  FIELD ("\"Office, One\" <office@example.edu.cn>");
  FIELD ("dept@example.gov.cn");
  FIELD ("Zhang\nSan");
  FIELD ("%PDF");
  g_string_append (s, "{}");
  write_seed ("mail", "names-with-newlines", s->str, s->len);
#undef FIELD
}

static void
seed_xlsx (const char *templates)
{
  g_autoptr(GDir) dir = g_dir_open (templates, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *csv = g_build_filename (templates, name, NULL);
      g_autofree char *base = g_strndup (name, strlen (name) - 4);
      g_autofree char *xlsx_name = g_strconcat (base, ".xlsx", NULL);
      g_autofree char *xlsx = g_build_filename (corpus, "xlsx", xlsx_name, NULL);
      g_autoptr(TdTable) table = NULL;
      g_autofree char *out_dir = g_build_filename (corpus, "xlsx", NULL);
      g_autoptr(GError) error = NULL;

      if (!g_str_has_suffix (name, ".csv"))
        continue;
      table = td_csv_read_file (csv, &error);
      g_assert_no_error (error);
      g_mkdir_with_parents (out_dir, 0755);
      td_xlsx_write (table, xlsx, base, NULL, &error);
      g_assert_no_error (error);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(TdForm) form = NULL;
  g_autofree char *json = NULL;
  gsize length;

  if (argc != 3)
    {
      g_printerr ("usage: %s CORPUS-DIR DOCS-TEMPLATES-DIR\n", argv[0]);
      return 2;
    }
  corpus = argv[1];

  form = td_test_valid_form ();
  json = form_json (form, &length);
  write_seed ("form-json", "valid-form.json", json, length);
  write_seed ("canonical-json", "form.json", json, length);

  seed_submission (form);
  seed_mail (form);
  seed_xlsx (argv[2]);
  return 0;
}
