/* test-signoff.c: the principal's sign-off (docs/signing.md)
 *
 * Fixed vectors for every step (canonical JSON, SHA-256, Ed25519, the
 * statement); the passphrase, wrong tries and the lock across a restart;
 * signing a form and reading the PDF back; the database's triggers; and
 * tampering with each stored part of a signed revision, in the file, with
 * SQLite directly: each is found when the database is opened again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "td-canonical-json.h"
#include "td-form-json.h"
#include "td-signoff.h"
#include "td-test-fixtures.h"

#define PASSPHRASE "校长的口令 2026"

/* Canonical JSON */

static void
assert_canonical (const char *input,
                  const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = td_canonical_json_from_string (input, -1, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, expected);
  g_assert_true (td_canonical_json_check (out, strlen (out), &error));
  g_assert_no_error (error);
}

static void
test_canonical_vectors (void)
{
  g_autoptr(GError) error = NULL;

  /* RFC 8785 §3.2.3: names sorted by UTF-16 code units, so U+1F600 (a
   * surrogate pair) sorts before U+FB33. */
  assert_canonical ("{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\", "
                    "\"1\": \"One\", \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\", "
                    "\"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}",
                    "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\","
                    "\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");

  /* Minimal escapes: only quote, backslash and control characters; '/',
   * Chinese, U+2028 as they are; \u00xx in lower case. */
  assert_canonical ("[\"a\\/b\", \"引号\\\"\\\\\", \"\\u0001\\u001F\\b\\f\\n\\r\\t\", \"\\u2028\"]",
                    "[\"a/b\",\"引号\\\"\\\\\",\"\\u0001\\u001f\\b\\f\\n\\r\\t\",\"\xe2\x80\xa8\"]");

  /* Numbers: integers as written, whole doubles as integers, -0 as 0. */
  assert_canonical ("{\"b\": [1, -2, 9007199254740992, 1.0, -0, 1E2], \"a\": {\"z\": null, \"y\": true, \"x\": false}}",
                    "{\"a\":{\"x\":false,\"y\":true,\"z\":null},\"b\":[1,-2,9007199254740992,1,0,100]}");

  /* What cannot be written exactly is refused. */
  g_assert_null (td_canonical_json_from_string ("[1.5]", -1, NULL, &error));
  g_assert_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_null (td_canonical_json_from_string ("[9007199254740993]", -1, NULL, &error));
  g_assert_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  {
    g_autofree char *deep = g_strnfill (1000000, '[');

    g_assert_null (td_canonical_json_from_string (deep, -1, NULL, &error));
    g_assert_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID);
    g_clear_error (&error);
  }
  g_assert_null (td_canonical_json_from_string ("{\"a\":", -1, NULL, &error));
  g_assert_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID);
  g_clear_error (&error);

  /* Valid but not canonical: white space, order, a name twice. */
  g_assert_false (td_canonical_json_check ("{\"a\": 1}", 8, &error));
  g_assert_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_NOT_CANONICAL);
  g_clear_error (&error);
  g_assert_false (td_canonical_json_check ("{\"b\":1,\"a\":2}", 13, &error));
  g_assert_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_NOT_CANONICAL);
  g_clear_error (&error);
  g_assert_false (td_canonical_json_check ("{\"a\":1,\"a\":2}", 13, &error));
  g_assert_nonnull (error);
}

/* The same form gives the same bytes whatever order its members came in. */
static void
test_canonical_form_stable (void)
{
  static const char reordered[] =
    "{\"years\":{\"last\":2025,\"first\":2023},\"legal_representative\":\"王建国\",\"results\":\"r\","
    "\"capacity\":\"c\",\"fields\":\"f\",\"categories\":[\"key-groups\"],\"contact\":{\"email\":\"\","
    "\"phone\":\"13812345678\",\"name\":\"陈璟\"},\"postal_code\":\"250014\",\"address\":{\"street\":\"s\","
    "\"county\":\"历下区\",\"city\":\"济南市\"},\"authority\":\"a\",\"name\":\"n\",\"campaign\":\"shandong-2020\","
    "\"schema\":1}";
  static const char expected[] =
    "{\"address\":{\"city\":\"济南市\",\"county\":\"历下区\",\"street\":\"s\"},\"authority\":\"a\","
    "\"campaign\":\"shandong-2020\",\"capacity\":\"c\",\"categories\":[\"key-groups\"],"
    "\"contact\":{\"email\":\"\",\"name\":\"陈璟\",\"phone\":\"13812345678\"},\"fields\":\"f\","
    "\"legal_representative\":\"王建国\",\"name\":\"n\",\"postal_code\":\"250014\",\"results\":\"r\","
    "\"schema\":1,\"years\":{\"first\":2023,\"last\":2025}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(TdForm) form = td_form_new_from_json (reordered, -1, &error);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *canonical = NULL;

  g_assert_no_error (error);
  node = td_form_to_json_node (form);
  canonical = td_canonical_json_from_node (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (canonical, ==, expected);
}

static GBytes *
bytes_from_hex (const char *hex)
{
  gsize n = strlen (hex) / 2;
  guint8 *data = g_malloc (n);

  for (gsize i = 0; i < n; i++)
    data[i] = (guint8)(g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]));
  return g_bytes_new_take (data, n);
}

static void
test_hash_and_signature_vectors (void)
{
  /* FIPS 180-2, appendix B.1. */
  g_autofree char *abc = td_sha256_hex ("abc", 3);
  g_autofree char *empty = td_sha256_hex (NULL, 0);
  /* RFC 8032 §7.1, TEST 2: one byte, 0x72. */
  g_autoptr(GBytes) seed = bytes_from_hex ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
  g_autoptr(GBytes) public_key = bytes_from_hex ("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
  g_autoptr(GBytes) signature = bytes_from_hex ("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                                                "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
  g_autoptr(GBytes) made = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (abc, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_cmpstr (empty, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  g_assert_true (td_sodium_init (NULL));
  crypto_sign_seed_keypair (pk, sk, g_bytes_get_data (seed, NULL));
  g_assert_cmpmem (pk, sizeof pk, g_bytes_get_data (public_key, NULL), 32);
  crypto_sign_detached (sig, NULL, (const unsigned char *)"\x72", 1, sk);
  made = g_bytes_new (sig, sizeof sig);
  g_assert_true (g_bytes_equal (made, signature));

  g_assert_true (td_signoff_verify_statement ("\x72", 1, signature, public_key, &error));
  g_assert_no_error (error);
  g_assert_false (td_signoff_verify_statement ("\x73", 1, signature, public_key, &error));
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_VERIFICATION);
}

static void
test_statement_vector (void)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 ("2026-11-25T17:30:05+08:00", NULL);
  gsize length;
  g_autofree char *statement = td_signoff_statement ("0b9d6f1c-3f0e-4c57-9d4e-1a2b3c4d5e6f", 2,
                                                     "shandong-2020", "王建国", at,
                                                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                                                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                                                     &length);

  g_assert_cmpstr (statement, ==,
                   "{\"campaign\":\"shandong-2020\","
                   "\"form_sha256\":\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\","
                   "\"number\":2,"
                   "\"pdf_sha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\","
                   "\"revision\":\"0b9d6f1c-3f0e-4c57-9d4e-1a2b3c4d5e6f\","
                   "\"signed_at\":\"2026-11-25T09:30:05Z\",\"signer\":\"王建国\","
                   "\"type\":\"io.github.vocedu.TrainingDesk.sign-off\",\"version\":1}");
  g_assert_cmpuint (length, ==, strlen (statement));
}

/* A store and a form that passes every check. */

typedef struct
{
  char       *path;
  TdStore    *store;
  TdCampaign *campaign;
  TdForm     *form;
  GDateTime  *now;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  f->path = g_build_filename (g_get_user_data_dir (), "signoff.db", NULL);
  f->store = td_store_open (f->path, &error);
  g_assert_no_error (error);
  f->campaign = td_campaign_get_builtin ();
  f->form = td_test_valid_form ();
  f->now = g_date_time_new_from_iso8601 ("2026-11-25T09:30:00Z", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->form);
  g_assert_finalize_object (f->campaign);
  if (f->store)
    g_assert_finalize_object (f->store);
  g_date_time_unref (f->now);
  g_free (f->path);
}

static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_finalize_object (f->store);
  f->store = td_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
create_key (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (td_signing_key_create (f->store, PASSPHRASE, TD_KDF_MINIMUM, &error));
  g_assert_no_error (error);
}

static TdRevision *
sign (Fixture    *f,
      const char *passphrase,
      GError    **error)
{
  return td_signoff_sign (f->store, f->form, f->campaign, passphrase, f->now, error);
}

/* Whether @needle is anywhere in the database's files. */
static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  const char *paths[] = { path, wal };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_get_contents (paths[i], &contents, &length, NULL) &&
          memmem (contents, length, needle, strlen (needle)))
        return TRUE;
    }
  return FALSE;
}

static void
test_passphrase (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = NULL, key_after = NULL;
  g_autoptr(TdRevision) revision = NULL;

  g_assert_false (td_signing_key_exists (f->store));
  g_assert_null (sign (f, PASSPHRASE, &error));
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_NO_KEY);
  g_clear_error (&error);

  g_assert_false (td_signing_key_create (f->store, "short", TD_KDF_MINIMUM, &error));
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_WEAK_PASSPHRASE);
  g_clear_error (&error);
  g_assert_false (td_signing_key_exists (f->store));

  create_key (f);
  g_assert_true (td_signing_key_exists (f->store));
  g_assert_false (td_signing_key_create (f->store, "another passphrase", TD_KDF_MINIMUM, &error));
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_KEY_EXISTS);
  g_clear_error (&error);

  /* Never in clear: not in the file, not in the audit log. */
  g_assert_false (file_contains (f->path, PASSPHRASE));
  g_assert_false (file_contains (f->path, "校长的口令"));
  g_assert_true (file_contains (f->path, "$argon2id$"));
  g_assert_cmpint (td_store_count_audit (f->store, "signing_key"), ==, 0);

  key = td_signing_key_dup_public_key (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (key), ==, 32);
  revision = sign (f, PASSPHRASE, &error);
  g_assert_no_error (error);

  /* Changing it keeps the key: the earlier revision still verifies. */
  g_assert_false (td_signing_key_change_passphrase (f->store, "wrong passphrase", "新的口令新的口令", f->now, &error));
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);
  g_assert_false (td_signing_key_change_passphrase (f->store, PASSPHRASE, "short", f->now, &error));
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_WEAK_PASSPHRASE);
  g_clear_error (&error);
  g_assert_true (td_signing_key_change_passphrase (f->store, PASSPHRASE, "新的口令新的口令", f->now, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (td_signing_key_get_failures (f->store), ==, 0);

  key_after = td_signing_key_dup_public_key (f->store, &error);
  g_assert_true (g_bytes_equal (key, key_after));
  g_assert_true (td_revision_verify (revision, key_after, &error));
  g_assert_no_error (error);

  td_form_set (f->form, TD_FORM_FIELDS, "养老服务、智能制造");
  g_assert_null (sign (f, PASSPHRASE, &error));
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);
  g_clear_object (&revision);
  revision = sign (f, "新的口令新的口令", &error);
  g_assert_no_error (error);
  g_assert_cmpint (td_revision_get_number (revision), ==, 2);
}

static void
test_lock (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdRevision) revision = NULL;
  g_autoptr(GDateTime) until = NULL;

  create_key (f);

  for (guint i = 1; i < TD_PASSPHRASE_TRIES; i++)
    {
      g_autofree char *left = g_strdup_printf ("%u more wrong", TD_PASSPHRASE_TRIES - i);

      g_assert_null (sign (f, "not the passphrase", &error));
      g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_WRONG_PASSPHRASE);
      g_assert_nonnull (strstr (error->message, left));
      g_clear_error (&error);
      g_assert_cmpuint (td_signing_key_get_failures (f->store), ==, i);
    }

  /* The fifth locks, for 30 seconds. */
  g_assert_null (sign (f, "not the passphrase", &error));
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "30 more seconds"));
  g_clear_error (&error);

  /* Even the right passphrase waits; and quitting does not lift the lock. */
  g_assert_null (sign (f, PASSPHRASE, &error));
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_LOCKED);
  g_clear_error (&error);
  reopen (f);
  g_assert_null (sign (f, PASSPHRASE, &error));
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_LOCKED);
  g_clear_error (&error);
  until = td_signing_key_dup_locked_until (f->store, f->now);
  g_assert_nonnull (until);
  g_assert_cmpint (g_date_time_difference (until, f->now), ==, 30 * G_TIME_SPAN_SECOND);
  g_clear_pointer (&until, g_date_time_unref);

  /* After it, the next wrong one locks for twice as long. */
  {
    GDateTime *later = g_date_time_add_seconds (f->now, 31);

    g_date_time_unref (f->now);
    f->now = later;
  }
  g_assert_null (sign (f, "still not it", &error));
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_LOCKED);
  g_clear_error (&error);
  until = td_signing_key_dup_locked_until (f->store, f->now);
  g_assert_cmpint (g_date_time_difference (until, f->now), ==, 60 * G_TIME_SPAN_SECOND);

  {
    GDateTime *later = g_date_time_add_seconds (f->now, 61);

    g_date_time_unref (f->now);
    f->now = later;
  }
  revision = sign (f, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (revision);
  g_assert_cmpuint (td_signing_key_get_failures (f->store), ==, 0);

  /* Every change of the count and of the lock is in the audit log (six
   * wrong passphrases, then the right one), the last with the lock it
   * lifted and both clocks: a lock lifted by a changed clock shows. */
  g_assert_cmpint (td_store_count_audit (f->store, "sign_off_lock"), ==, 7);
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    g_autofree char *boot_clock = td_signing_key_dup_boot_clock ();
    g_autofree char *boot_id = g_strndup (boot_clock, strcspn (boot_clock, "/"));
    g_autofree char *old_until = NULL;

    g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db,
                                         "SELECT json_extract (old_value, '$.locked_until'), "
                                         "       json_extract (old_value, '$.failures'), "
                                         "       json_extract (new_value, '$.failures'), "
                                         "       json_extract (new_value, '$.locked_until'), "
                                         "       json_extract (new_value, '$.boot_clock') "
                                         "FROM audit_log WHERE table_name = 'sign_off_lock' "
                                         "ORDER BY id DESC LIMIT 1",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_nonnull (sqlite3_column_text (stmt, 0));
    old_until = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
    g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, TD_PASSPHRASE_TRIES + 1);
    g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, 0);
    g_assert_cmpint (sqlite3_column_type (stmt, 3), ==, SQLITE_NULL);
    g_assert_true (g_str_has_prefix ((const char *)sqlite3_column_text (stmt, 4), boot_id));
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    g_assert_cmpuint (strlen (old_until), ==, strlen ("2026-12-05T10:00:00Z"));
  }
}

static char *
run_pdftotext (GBytes *pdf)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "signed.pdf", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  int status;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize)g_bytes_get_size (pdf), &error));
  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static void
test_sign (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdRevision) revision = NULL, second = NULL;
  g_autoptr(GBytes) key = NULL;
  g_autoptr(TdForm) signed_form = NULL;
  g_autofree char *json_hash = NULL, *pdf_hash = NULL, *statement = NULL, *signature_json = NULL;
  g_autofree char *text = NULL, *short_hash = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  gsize length;
  JsonObject *object;

  create_key (f);
  revision = sign (f, PASSPHRASE, &error);
  g_assert_no_error (error);

  g_assert_cmpint (td_revision_get_number (revision), ==, 1);
  g_assert_cmpint (td_revision_get_state (revision), ==, TD_REVISION_SIGNED);
  g_assert_true (g_uuid_string_is_valid (td_revision_get_uuid (revision)));
  g_assert_cmpstr (td_revision_get_signer (revision), ==, "王建国");
  g_assert_cmpint (g_date_time_compare (td_revision_get_signed_at (revision), f->now), ==, 0);

  /* The stored form is the canonical JSON of the form, hashed. */
  {
    gsize n;
    const char *json = g_bytes_get_data (td_revision_get_form_json (revision), &n);

    g_assert_true (td_canonical_json_check (json, n, &error));
    json_hash = td_sha256_hex (json, n);
    g_assert_cmpstr (json_hash, ==, td_revision_get_form_sha256 (revision));
    g_assert_nonnull (g_strstr_len (json, (gssize)n, "\"legal_representative\":\"王建国\""));
  }
  pdf_hash = td_sha256_hex (g_bytes_get_data (td_revision_get_pdf (revision), NULL),
                            g_bytes_get_size (td_revision_get_pdf (revision)));
  g_assert_cmpstr (pdf_hash, ==, td_revision_get_pdf_sha256 (revision));
  g_assert_true (g_str_has_prefix (g_bytes_get_data (td_revision_get_pdf (revision), NULL), "%PDF-"));

  /* The signature is over the statement, with the school's key. */
  key = td_signing_key_dup_public_key (f->store, &error);
  g_assert_true (g_bytes_equal (key, td_revision_get_public_key (revision)));
  statement = td_revision_dup_statement (revision, &length);
  g_assert_true (td_signoff_verify_statement (statement, length, td_revision_get_signature (revision), key, &error));
  g_assert_no_error (error);
  g_assert_true (td_revision_verify (revision, key, &error));
  g_assert_no_error (error);

  /* signature.json: the statement's members, the key and the signature. */
  signature_json = td_revision_dup_signature_json (revision, &length);
  g_assert_true (td_canonical_json_check (signature_json, length, &error));
  g_assert_true (json_parser_load_from_data (parser, signature_json, (gssize)length, &error));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "revision"), ==, td_revision_get_uuid (revision));
  g_assert_cmpstr (json_object_get_string_member (object, "form_sha256"), ==, json_hash);
  g_assert_cmpstr (json_object_get_string_member (object, "signed_at"), ==, "2026-11-25T09:30:00Z");
  {
    gsize n;
    g_autofree guchar *sig = g_base64_decode (json_object_get_string_member (object, "signature"), &n);

    g_assert_cmpmem (sig, n, g_bytes_get_data (td_revision_get_signature (revision), NULL), 64);
  }

  /* The PDF says it is signed: 已签发, the signer, the hash's first 16
   * digits, the day. */
  text = run_pdftotext (td_revision_get_pdf (revision));
  short_hash = g_strndup (json_hash, 16);
  g_assert_nonnull (strstr (text, "已签发"));
  g_assert_nonnull (strstr (text, "王建国"));
  g_assert_nonnull (strstr (text, short_hash));
  /* And the key's fingerprint beside 校验码 (issue 10). */
  {
    g_autofree char *fingerprint = td_signing_key_fingerprint (td_revision_get_public_key (revision));

    g_assert_nonnull (strstr (text, "密钥指纹"));
    g_assert_nonnull (strstr (text, fingerprint));
  }
  g_assert_nonnull (strstr (text, "济南第一职业中等专业学校"));

  /* Signing the same form again is refused; a change makes revision 2. */
  g_assert_null (sign (f, PASSPHRASE, &error));
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_UNCHANGED);
  g_clear_error (&error);

  td_form_set (f->form, TD_FORM_PHONE, "13812345678");
  second = sign (f, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (td_revision_get_number (second), ==, 2);
  g_assert_cmpstr (td_revision_get_uuid (second), !=, td_revision_get_uuid (revision));

  /* What changed, field by field. */
  {
    g_autoptr(TdForm) a = td_revision_dup_form (revision, &error);
    g_autoptr(TdForm) b = td_revision_dup_form (second, &error);
    TdFormChange *change;

    changes = td_form_diff (a, b);
    g_assert_cmpuint (changes->len, ==, 1);
    change = g_ptr_array_index (changes, 0);
    g_assert_cmpint (change->field, ==, TD_FORM_PHONE);
    g_assert_cmpstr (change->old_value, ==, "0531-81916531");
    g_assert_cmpstr (change->new_value, ==, "13812345678");
    g_clear_pointer (&changes, g_ptr_array_unref);
    changes = td_form_diff (NULL, b);
    g_assert_cmpuint (changes->len, ==, TD_FORM_N_FIELDS);
    change = g_ptr_array_index (changes, TD_FORM_CATEGORIES);
    g_assert_cmpstr (change->new_value, ==, "企业职工技能培训、重点人群的就业创业培训");
  }

  /* Both verify, in the database as it is. */
  failures = td_revision_verify_all (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (failures->len, ==, 0);

  signed_form = td_revision_dup_form (second, &error);
  g_assert_cmpstr (td_form_get (signed_form, TD_FORM_PHONE), ==, "13812345678");
}

/* The opinion (申报单位意见) confirmed at sign-off is signed with the form,
 * dated the day of sign-off, and printed in the signed PDF; the same form
 * and opinion another day is no new revision. */
static void
test_opinion (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdRevision) revision = NULL;
  g_autoptr(TdForm) signed_form = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  gsize n;
  const char *json;

  create_key (f);
  /* The dialog's date is its own day: signing dates it, not the caller. */
  td_form_set_opinion (f->form, "同意申报，请予审核。", "2020-01-01");
  revision = sign (f, PASSPHRASE, &error);
  g_assert_no_error (error);

  json = g_bytes_get_data (td_revision_get_form_json (revision), &n);
  g_assert_nonnull (g_strstr_len (json, (gssize)n,
                                  "\"opinion\":{\"date\":\"2026-11-25\",\"text\":\"同意申报，请予审核。\"}"));
  signed_form = td_revision_dup_form (revision, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (td_form_get_opinion (signed_form), ==, "同意申报，请予审核。");
  g_assert_cmpstr (td_form_get_opinion_date (signed_form), ==, "2026-11-25");

  text = run_pdftotext (td_revision_get_pdf (revision));
  g_assert_nonnull (strstr (text, "同意申报，请予审核。"));
  g_assert_nonnull (strstr (text, "2026年11月25日"));

  /* A day later, nothing else changed: refused as unchanged. */
  g_date_time_unref (f->now);
  f->now = g_date_time_new_from_iso8601 ("2026-11-26T09:30:00Z", NULL);
  g_assert_null (sign (f, PASSPHRASE, &error));
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_UNCHANGED);
  g_clear_error (&error);

  failures = td_revision_verify_all (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (failures->len, ==, 0);
}

static void
test_invalid_form (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) revisions = NULL;

  create_key (f);
  td_form_set (f->form, TD_FORM_POSTAL_CODE, "2500");
  td_form_set (f->form, TD_FORM_RESULTS, "");
  g_assert_null (sign (f, PASSPHRASE, &error));
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_FORM_INVALID);
  g_assert_nonnull (strstr (error->message, "2 errors"));

  /* Nothing stored, and a refused form is not a wrong passphrase. */
  revisions = td_revision_list (f->store, NULL, NULL);
  g_assert_cmpuint (revisions->len, ==, 0);
  g_assert_cmpuint (td_signing_key_get_failures (f->store), ==, 0);
}

static void
sign_async_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  TdRevision **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = td_signoff_sign_finish (TD_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_sign_async (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TdRevision) revision = NULL;
  g_autoptr(GError) error = NULL;

  create_key (f);
  td_signoff_sign_async (f->store, f->form, f->campaign, PASSPHRASE, f->now, NULL, sign_async_cb, &revision);
  while (revision == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* The worker thread lets go of the task (and so of the store) just after
   * the callback ran. */
  while (G_OBJECT (f->store)->ref_count > 1)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  {
    g_autoptr(GBytes) school_key = td_signing_key_dup_public_key (f->store, NULL);

    g_assert_true (td_revision_verify (revision, school_key, &error));
  }
  g_assert_no_error (error);
}

static void
bool_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* Setting and changing the passphrase off the main loop: Argon2id in a
 * thread, the store written here. */
static void
test_passphrase_async (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TdRevision) revision = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  td_signing_key_create_async (f->store, PASSPHRASE, TD_KDF_MINIMUM, NULL, bool_cb, &result);
  g_assert_true (td_signing_key_create_finish (f->store, wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (td_signing_key_exists (f->store));
  g_clear_object (&result);

  td_signing_key_create_async (f->store, PASSPHRASE, TD_KDF_MINIMUM, NULL, bool_cb, &result);
  g_assert_false (td_signing_key_create_finish (f->store, wait_result (&result), &error));
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_KEY_EXISTS);
  g_clear_error (&error);
  g_clear_object (&result);

  td_signing_key_change_passphrase_async (f->store, "wrong passphrase", "新的口令新的口令", now, NULL, bool_cb, &result);
  g_assert_false (td_signing_key_change_passphrase_finish (f->store, wait_result (&result), &error));
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_WRONG_PASSPHRASE);
  g_assert_cmpuint (td_signing_key_get_failures (f->store), ==, 1);
  g_clear_error (&error);
  g_clear_object (&result);

  td_signing_key_change_passphrase_async (f->store, PASSPHRASE, "新的口令新的口令", now, NULL, bool_cb, &result);
  g_assert_true (td_signing_key_change_passphrase_finish (f->store, wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (td_signing_key_get_failures (f->store), ==, 0);
  g_clear_object (&result);

  revision = sign (f, "新的口令新的口令", &error);
  g_assert_no_error (error);
  while (G_OBJECT (f->store)->ref_count > 1)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* A signed revision altered in the file can be signed again as it was. */
static void
test_resign_after_tamper (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdRevision) revision = NULL, again = NULL;
  sqlite3 *db = NULL;

  create_key (f);
  revision = sign (f, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER revision_pdf_frozen; "
                                     "UPDATE revision_pdf SET pdf = CAST (x'20' || substr (pdf, 2) AS BLOB)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  again = sign (f, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (td_revision_get_number (again), ==, 2);
  {
    g_autoptr(GBytes) school_key = td_signing_key_dup_public_key (f->store, NULL);

    g_assert_true (td_revision_verify (again, school_key, &error));
  }
}

/* The database itself refuses changes to a signed revision. */

static void
raw_exec (const char *path,
          const char *sql,
          int         expected_rc,
          const char *expected_message)
{
  sqlite3 *db = NULL;
  char *message = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, sql, NULL, NULL, &message);
  if (rc != expected_rc)
    g_error ("%s: %d %s", sql, rc, message ? message : "");
  if (expected_message)
    g_assert_cmpstr (message, ==, expected_message);
  sqlite3_free (message);
  sqlite3_close (db);
}

static void
test_triggers (Fixture       *f,
               gconstpointer  data)
{
  static const char * const refused[] = {
    "UPDATE form_revision SET signer = '李四'",
    "UPDATE form_revision SET form_json = json_set (form_json, '$.name', '别的学校')",
    "UPDATE revision_pdf SET pdf = zeroblob (10)",
    "DELETE FROM revision_pdf",
    "UPDATE form_revision SET json_sha256 = 'x'",
    "UPDATE form_revision SET signature = NULL",
    "UPDATE form_revision SET number = 7",
    "UPDATE form_revision SET uuid = 'another'",
    "UPDATE form_revision SET state = 'draft'",
    "DELETE FROM form_revision",
  };
  g_autoptr(TdRevision) revision = NULL, reloaded = NULL;
  g_autoptr(GError) error = NULL;

  create_key (f);
  revision = sign (f, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_clear_object (&f->store);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    raw_exec (f->path, refused[i], SQLITE_CONSTRAINT, NULL);
  raw_exec (f->path, "UPDATE form_revision SET signer = '李四'", SQLITE_CONSTRAINT,
            "a signed revision cannot be changed");

  /* A signed revision with parts missing cannot even be inserted. */
  raw_exec (f->path,
            "INSERT INTO form_revision (campaign, number, state, form_json) VALUES ('shandong-2020', 9, 'signed', '{}')",
            SQLITE_CONSTRAINT, NULL);

  /* Moving it on is allowed; back, not. */
  f->store = td_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (td_revision_set_state (f->store, revision, TD_REVISION_SENT, &error));
  g_assert_no_error (error);
  g_assert_false (td_revision_set_state (f->store, revision, TD_REVISION_SIGNED, &error));
  g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_true (td_revision_set_state (f->store, revision, TD_REVISION_DELIVERED, &error));
  reloaded = td_revision_load (f->store, td_revision_get_id (revision), &error);
  g_assert_cmpint (td_revision_get_state (reloaded), ==, TD_REVISION_DELIVERED);
  {
    g_autoptr(GBytes) school_key = td_signing_key_dup_public_key (f->store, NULL);

    g_assert_true (td_revision_verify (reloaded, school_key, &error));
  }
  g_assert_no_error (error);
}

/* Tampering, in the file, with the triggers dropped: found on open. */

typedef struct
{
  const char *what;
  const char *sql;
  const char *message;    /* part of the error */
} Tamper;

static const Tamper tampers[] = {
  { "form", "UPDATE form_revision SET form_json = replace (form_json, '4期', '40期')", "its SHA-256 differs" },
  { "form, not canonical", "UPDATE form_revision SET form_json = form_json || ' '", "no longer the document" },
  { "form and its hash", "UPDATE form_revision SET form_json = replace (form_json, '4期', '40期'); "
                         "UPDATE form_revision SET json_sha256 = lower (hex (sha256 (form_json)))", "signature does not verify" },
  { "pdf", "UPDATE revision_pdf SET pdf = CAST (x'20' || substr (pdf, 2) AS BLOB)", "PDF was altered" },
  { "pdf and its hash", "UPDATE revision_pdf SET pdf = CAST (pdf || x'0a' AS BLOB); "
                        "UPDATE form_revision SET pdf_sha256 = 'PDFHASH'", "signature does not verify" },
  { "form hash", "UPDATE form_revision SET json_sha256 = '0000' || substr (json_sha256, 5)", "SHA-256 differs" },
  { "signer", "UPDATE form_revision SET signer = '李四'", "signature does not verify" },
  { "time", "UPDATE form_revision SET signed_at = '2026-11-26T09:30:00Z'", "signature does not verify" },
  { "number", "UPDATE form_revision SET number = 5", "signature does not verify" },
  { "uuid", "UPDATE form_revision SET uuid = '00000000-0000-4000-8000-000000000000'", "signature does not verify" },
  { "signature", "UPDATE form_revision SET signature = zeroblob (64)", "signature does not verify" },
  { "key", "UPDATE form_revision SET public_key = zeroblob (32)", "signature does not verify" },
  { "missing pdf", "DELETE FROM revision_pdf", "missing" },
  /* Without the school's key, nothing says who signed: a failure, not a skip. */
  { "missing school key", "DELETE FROM signing_key", "signing key is missing" },
  /* The school's key replaced (another key pair in the row): the revision's
   * key is no longer the school's (issue 10). */
  { "replaced school key", "UPDATE signing_key SET public_key = randomblob (32)", "not the school" },
};

static void
test_tamper (Fixture       *f,
             gconstpointer  data)
{
  const Tamper *tamper = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdRevision) revision = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  g_autofree char *sql = NULL;
  GError *failure;

  create_key (f);
  revision = sign (f, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_clear_object (&f->store);

  /* SQLite has no sha256(): computed here, the way an attacker would. */
  if (strstr (tamper->sql, "PDFHASH"))
    {
      GBytes *pdf = td_revision_get_pdf (revision);
      g_autoptr(GByteArray) changed = g_byte_array_new ();
      g_autofree char *hash = NULL;
      g_autoptr(GString) s = g_string_new (tamper->sql);

      g_byte_array_append (changed, g_bytes_get_data (pdf, NULL), (guint)g_bytes_get_size (pdf));
      g_byte_array_append (changed, (const guint8 *)"\n", 1);
      hash = td_sha256_hex (changed->data, changed->len);
      g_string_replace (s, "PDFHASH", hash, 0);
      sql = g_string_free (g_steal_pointer (&s), FALSE);
    }
  else if (strstr (tamper->sql, "sha256 (form_json)"))
    {
      gsize n;
      const char *json = g_bytes_get_data (td_revision_get_form_json (revision), &n);
      g_autoptr(GString) changed = g_string_new_len (json, (gssize)n);
      g_autofree char *hash = NULL;

      g_string_replace (changed, "4期", "40期", 0);
      hash = td_sha256_hex (changed->str, changed->len);
      sql = g_strdup_printf ("UPDATE form_revision SET form_json = replace (form_json, '4期', '40期'), "
                             "json_sha256 = '%s'", hash);
    }
  else
    sql = g_strdup (tamper->sql);

  raw_exec (f->path,
            "DROP TRIGGER form_revision_frozen; DROP TRIGGER form_revision_frozen_delete; "
            "DROP TRIGGER revision_pdf_frozen; DROP TRIGGER revision_pdf_frozen_delete;",
            SQLITE_OK, NULL);
  raw_exec (f->path, sql, SQLITE_OK, NULL);

  f->store = td_store_open (f->path, &error);
  g_assert_no_error (error);
  failures = td_revision_verify_all (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (failures->len, ==, 1);
  failure = g_ptr_array_index (failures, 0);
  g_assert_error (failure, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_VERIFICATION);
  if (!strstr (failure->message, tamper->message))
    g_error ("%s: “%s” does not say “%s”", tamper->what, failure->message, tamper->message);
  g_assert_nonnull (strstr (failure->message, "sign it off again"));

  /* Loaded for sending, the PDF left in the file: the same failure, from
   * the check or from reading the PDF as it is sent (issue 17). */
  {
    g_autoptr(TdRevision) sending = td_revision_load_for_sending (f->store, td_revision_get_id (revision), &error);
    g_autoptr(GBytes) key = td_signing_key_dup_public_key (f->store, NULL);
    g_autoptr(GInputStream) pdf = NULL;
    g_autoptr(GError) send_error = NULL;

    g_assert_no_error (error);
    if (td_revision_verify (sending, key, &send_error) &&
        (pdf = td_revision_open_pdf (sending, f->store, &send_error)) != NULL)
      {
        g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();

        g_assert_cmpint (g_output_stream_splice (sink, pdf, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &send_error),
                         ==, -1);
      }
    g_assert_error (send_error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_VERIFICATION);
    if (!strstr (send_error->message, tamper->message))
      g_error ("%s, sending: “%s” does not say “%s”", tamper->what, send_error->message, tamper->message);
  }
}

/* The SHA-256 of revision_pdf's only row, read back. */
static char *
stored_pdf_sha256 (const char *path,
                   GBytes    **pdf)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *hash;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT pdf FROM revision_pdf", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  hash = td_sha256_hex (sqlite3_column_blob (stmt, 0), (gsize)sqlite3_column_bytes (stmt, 0));
  *pdf = g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize)sqlite3_column_bytes (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return hash;
}

/* Reads @stream to its end or its error, in 8 KiB reads as libsoup does. */
static GBytes *
read_stream (GInputStream  *stream,
             GError       **error)
{
  g_autoptr(GByteArray) read = g_byte_array_new ();
  guint8 buffer[8192];
  gssize got;

  while ((got = g_input_stream_read (stream, buffer, sizeof buffer, NULL, error)) > 0)
    g_byte_array_append (read, buffer, (guint)got);
  return g_byte_array_free_to_bytes (g_steal_pointer (&read));
}

/* A PDF of several 1 MiB pieces, read as it is sent: whole and checked
 * when it matches; when one byte of its last piece differs, the read fails
 * before any of that piece is given out (issue 17). */
static void
test_pdf_stream (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdRevision) revision = NULL;
  g_autoptr(TdRevision) sending = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GBytes) read = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *sql = NULL;
  const gsize size = 3 * 1024 * 1024 + 123457;

  create_key (f);
  revision = sign (f, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_clear_object (&f->store);

  /* A larger PDF, and the hash it has: the signature no longer covers it,
   * which the stream does not check (td_revision_verify() does). */
  sql = g_strdup_printf ("DROP TRIGGER form_revision_frozen; DROP TRIGGER revision_pdf_frozen; "
                         "UPDATE revision_pdf SET pdf = randomblob (%" G_GSIZE_FORMAT ");", size);
  raw_exec (f->path, sql, SQLITE_OK, NULL);
  hash = stored_pdf_sha256 (f->path, &stored);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE form_revision SET pdf_sha256 = '%s'", hash);
  raw_exec (f->path, sql, SQLITE_OK, NULL);

  f->store = td_store_open (f->path, &error);
  g_assert_no_error (error);
  sending = td_revision_load_for_sending (f->store, td_revision_get_id (revision), &error);
  g_assert_no_error (error);
  g_assert_null (td_revision_get_pdf (sending));
  stream = td_revision_open_pdf (sending, f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (td_revision_pdf_stream_get_size (TD_REVISION_PDF_STREAM (stream)), ==, size);
  g_assert_false (td_revision_pdf_stream_is_verified (TD_REVISION_PDF_STREAM (stream)));
  read = read_stream (stream, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (read, stored));
  g_assert_true (td_revision_pdf_stream_is_verified (TD_REVISION_PDF_STREAM (stream)));
  g_assert_null (td_revision_pdf_stream_get_error (TD_REVISION_PDF_STREAM (stream)));
  g_clear_object (&stream);
  g_clear_pointer (&read, g_bytes_unref);

  /* One byte of the last piece changed, the hash left. */
  raw_exec (f->path, "UPDATE revision_pdf SET pdf = CAST (substr (pdf, 1, length (pdf) - 1) || "
                     "CASE WHEN substr (pdf, -1) = x'00' THEN x'01' ELSE x'00' END AS BLOB)",
            SQLITE_OK, NULL);
  stream = td_revision_open_pdf (sending, f->store, &error);
  g_assert_no_error (error);
  read = read_stream (stream, &error);
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_VERIFICATION);
  g_assert_nonnull (strstr (error->message, "PDF was altered"));
  /* Three whole pieces out, none of the last. */
  g_assert_cmpuint (g_bytes_get_size (read), ==, 3 * 1024 * 1024);
  g_assert_false (td_revision_pdf_stream_is_verified (TD_REVISION_PDF_STREAM (stream)));
  g_assert_nonnull (td_revision_pdf_stream_get_error (TD_REVISION_PDF_STREAM (stream)));
  /* And again: a stream that failed keeps failing. */
  g_clear_error (&error);
  g_assert_cmpint (g_input_stream_read (stream, (char[16]){ 0 }, 16, NULL, &error), ==, -1);
  g_assert_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_VERIFICATION);
}

/* Another key (someone's own) signing a revision it put in the file. */
static void
test_foreign_key (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdRevision) revision = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
  g_autofree char *statement = NULL, *sql = NULL, *hex_pk = NULL, *hex_sig = NULL;
  gsize length;

  create_key (f);
  revision = sign (f, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_clear_object (&f->store);

  crypto_sign_keypair (pk, sk);
  statement = td_revision_dup_statement (revision, &length);
  crypto_sign_detached (sig, NULL, (const unsigned char *)statement, length, sk);
  hex_pk = g_malloc (2 * sizeof pk + 1);
  hex_sig = g_malloc (2 * sizeof sig + 1);
  sodium_bin2hex (hex_pk, 2 * sizeof pk + 1, pk, sizeof pk);
  sodium_bin2hex (hex_sig, 2 * sizeof sig + 1, sig, sizeof sig);
  sql = g_strdup_printf ("DROP TRIGGER form_revision_frozen; "
                         "UPDATE form_revision SET public_key = x'%s', signature = x'%s'", hex_pk, hex_sig);
  raw_exec (f->path, sql, SQLITE_OK, NULL);

  f->store = td_store_open (f->path, &error);
  failures = td_revision_verify_all (f->store, &error);
  g_assert_cmpuint (failures->len, ==, 1);
  g_assert_nonnull (strstr (((GError *)g_ptr_array_index (failures, 0))->message, "not the school’s"));
}

/* The fingerprint against a value computed outside (Python's hashlib:
 * sha256(bytes(range(32))), first 16 bytes, groups of two bytes). */
static void
test_fingerprint_vector (void)
{
  guint8 raw[32];
  g_autoptr(GBytes) key = NULL;
  g_autoptr(GBytes) short_key = NULL;
  g_autofree char *fingerprint = NULL;

  for (guint i = 0; i < sizeof raw; i++)
    raw[i] = i;
  key = g_bytes_new (raw, sizeof raw);
  fingerprint = td_signing_key_fingerprint (key);
  g_assert_cmpstr (fingerprint, ==, "630D CD29 66C4 3366 9112 5448 BBB2 5B4F");
  g_assert_cmpuint (strlen (fingerprint), ==, TD_FINGERPRINT_LENGTH);

  short_key = g_bytes_new (raw, 31);
  g_assert_null (td_signing_key_fingerprint (short_key));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/signoff/canonical/vectors", test_canonical_vectors);
  g_test_add_func ("/signoff/fingerprint/vector", test_fingerprint_vector);
  g_test_add_func ("/signoff/canonical/form-stable", test_canonical_form_stable);
  g_test_add_func ("/signoff/vectors/hash-and-signature", test_hash_and_signature_vectors);
  g_test_add_func ("/signoff/vectors/statement", test_statement_vector);
  g_test_add ("/signoff/passphrase", Fixture, NULL, fixture_set_up, test_passphrase, fixture_tear_down);
  g_test_add ("/signoff/passphrase-async", Fixture, NULL, fixture_set_up, test_passphrase_async, fixture_tear_down);
  g_test_add ("/signoff/resign-after-tamper", Fixture, NULL, fixture_set_up, test_resign_after_tamper, fixture_tear_down);
  g_test_add ("/signoff/lock", Fixture, NULL, fixture_set_up, test_lock, fixture_tear_down);
  g_test_add ("/signoff/sign", Fixture, NULL, fixture_set_up, test_sign, fixture_tear_down);
  g_test_add ("/signoff/opinion", Fixture, NULL, fixture_set_up, test_opinion, fixture_tear_down);
  g_test_add ("/signoff/sign-async", Fixture, NULL, fixture_set_up, test_sign_async, fixture_tear_down);
  g_test_add ("/signoff/invalid-form", Fixture, NULL, fixture_set_up, test_invalid_form, fixture_tear_down);
  g_test_add ("/signoff/triggers", Fixture, NULL, fixture_set_up, test_triggers, fixture_tear_down);
  g_test_add ("/signoff/foreign-key", Fixture, NULL, fixture_set_up, test_foreign_key, fixture_tear_down);
  g_test_add ("/signoff/pdf-stream", Fixture, NULL, fixture_set_up, test_pdf_stream, fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (tampers); i++)
    {
      g_autofree char *path = g_strdup_printf ("/signoff/tamper/%s", tampers[i].what);

      g_test_add (path, Fixture, &tampers[i], fixture_set_up, test_tamper, fixture_tear_down);
    }

  return g_test_run ();
}
