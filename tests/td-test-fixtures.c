/* td-test-fixtures.c: data the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>

#include "td-canonical-json.h"
#include "td-credentials.h"
#include "td-form-json.h"
#include "td-outbox.h"
#include "td-revision.h"
#include "td-signing-key.h"
#include "td-signoff.h"
#include "td-test-fixtures.h"

char *
td_test_unique_path (const char *dir,
                     const char *name)
{
  static guint serial;
  g_autofree char *unique = g_strdup_printf ("%u-%s", ++serial, name);

  return g_build_filename (dir, unique, NULL);
}

void
td_test_upload_free (TdTestUpload *upload)
{
  g_clear_pointer (&upload->form, g_bytes_unref);
  g_clear_pointer (&upload->pdf, g_bytes_unref);
  g_clear_pointer (&upload->signature, g_bytes_unref);
  g_free (upload->key);
  g_free (upload);
}

TdTestUpload *
td_test_upload_sign (TdForm              *form,
                     const char          *campaign_id,
                     const char          *signer,
                     GDateTime           *at,
                     GBytes              *pdf,
                     const unsigned char *public_key,
                     const unsigned char *secret_key)
{
  TdTestUpload *upload = g_new0 (TdTestUpload, 1);
  g_autoptr(JsonNode) node = td_form_to_json_node (form);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  unsigned char sig[crypto_sign_BYTES];
  g_autofree char *form_json = NULL, *form_hash = NULL, *pdf_hash = NULL, *statement = NULL;
  g_autofree char *pk64 = NULL, *sig64 = NULL;
  JsonObject *object;
  gsize form_length, statement_length, signature_length, pdf_length;
  const char *pdf_data = g_bytes_get_data (pdf, &pdf_length);
  char *signature;

  form_json = td_canonical_json_from_node (node, &form_length, &error);
  g_assert_no_error (error);
  form_hash = td_sha256_hex (form_json, form_length);
  pdf_hash = td_sha256_hex (pdf_data, pdf_length);
  upload->key = g_uuid_string_random ();
  statement = td_signoff_statement (upload->key, 1,
                                    campaign_id ? campaign_id : td_form_get_campaign_id (form), signer, at,
                                    form_hash, pdf_hash, &statement_length);

  g_assert_true (td_sodium_init (NULL));
  crypto_sign_detached (sig, NULL, (const unsigned char *)statement, statement_length, secret_key);
  pk64 = g_base64_encode (public_key, crypto_sign_PUBLICKEYBYTES);
  sig64 = g_base64_encode (sig, sizeof sig);

  json_parser_load_from_data (parser, statement, (gssize)statement_length, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (object, "public_key", pk64);
  json_object_set_string_member (object, "signature", sig64);
  signature = td_canonical_json_from_node (json_parser_get_root (parser), &signature_length, &error);
  g_assert_no_error (error);

  upload->form = g_bytes_new (form_json, form_length);
  upload->pdf = g_bytes_ref (pdf);
  upload->signature = g_bytes_new_take (signature, signature_length);
  return upload;
}

TdForm *
td_test_valid_form (void)
{
  TdForm *form = td_form_new ("shandong-2020", 2023, 2025);

  td_form_set (form, TD_FORM_NAME, "济南第一职业中等专业学校");
  td_form_set (form, TD_FORM_AUTHORITY, "济南市教育局");
  td_form_set (form, TD_FORM_CITY, "济南市");
  td_form_set (form, TD_FORM_COUNTY, "历下区");
  td_form_set (form, TD_FORM_STREET, "文化西路29号");
  td_form_set (form, TD_FORM_POSTAL_CODE, "250014");
  td_form_set (form, TD_FORM_CONTACT_NAME, "陈璟");
  td_form_set (form, TD_FORM_PHONE, "0531-81916531");
  td_form_set (form, TD_FORM_EMAIL, "pxb@jndyzz.edu.cn");
  td_form_set (form, TD_FORM_CATEGORIES, "enterprise-staff,key-groups");
  td_form_set (form, TD_FORM_FIELDS, "养老服务、智能制造、电子商务");
  td_form_set (form, TD_FORM_CAPACITY, "学校现有培训教师4人，其中“双师型”教师2人。");
  td_form_set (form, TD_FORM_RESULTS, "2023—2025年，学校共开展职业培训4期、培训150人次。");
  td_form_set (form, TD_FORM_LEGAL_REPRESENTATIVE, "王建国");
  return form;
}

static void
set (TdStore    *store,
     const char *key,
     const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (td_store_set_setting (store, key, value, &error));
  g_assert_no_error (error);
}

void
td_test_use_smtp (TdStore    *store,
                  guint16     port,
                  const char *ca_file,
                  const char *user,
                  const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = g_strdup_printf ("%u", port);

  set (store, TD_SETTING_SMTP_HOST, "127.0.0.1");
  set (store, TD_SETTING_SMTP_PORT, port_text);
  set (store, TD_SETTING_SMTP_SECURITY, "starttls");
  set (store, TD_SETTING_SMTP_USERNAME, user);
  set (store, TD_SETTING_SMTP_CA_FILE, ca_file);
  /* AddressSanitizer slows the client's TLS several times over: the
   * cases that test the time-out set their own. */
  set (store, TD_SETTING_TIMEOUT, TD_TEST_HAS_ASAN ? "30" : "5");
  g_assert_true (td_credentials_store (TD_CREDENTIAL_SMTP, "127.0.0.1", user, password, NULL, &error));
  g_assert_no_error (error);
}

static void
run_due_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  TdSyncSummary *summary = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (td_sync_run_due_finish (TD_SYNC (source), result, summary, &error));
  g_assert_no_error (error);
  summary->delivered += 1000;   /* done */
}

TdSyncSummary
td_test_sync_run_due (TdSync *sync)
{
  TdSyncSummary summary = { 0 };

  td_sync_run_due_async (sync, NULL, run_due_cb, &summary);
  while (summary.delivered < 1000)
    g_main_context_iteration (NULL, TRUE);
  summary.delivered -= 1000;
  return summary;
}

TdStore *
td_test_open_store (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  TdStore *store;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), name, NULL);
  store = td_store_open (path, &error);
  g_assert_no_error (error);
  return store;
}
