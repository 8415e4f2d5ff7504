/* test-receiver.c: training-desk-receiver, the upload endpoint, over real HTTP
 *
 * The built receiver is started on a free port of the loopback for each
 * case (td_test_receiver_start()), reached with a libsoup client (or a raw
 * socket), and stopped with SIGTERM, which it must survive with exit status
 * 0. The submissions are real signed revisions made with the core
 * (docs/signing.md); the answers are those of docs/upload-protocol.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "td-canonical-json.h"
#include "td-form-json.h"
#include "td-mail.h"
#include "td-signoff.h"
#include "td-test-servers.h"
#include "td-xlsx.h"
#include "td-test-fixtures.h"

#define PASSPHRASE "校长的口令 2026"
#define SCHOOL_A "济南第一职业中等专业学校"
#define SCHOOL_B "青岛市技师学院"

static char *tmp_dir;
static TdCampaign *campaign;

/* Signed revisions, made by the core */

typedef struct
{
  TdStore   *store;
  TdForm    *form;
  guint      signed_count;
} Signer;

static TdForm *
valid_form (const char *school)
{
  TdForm *form = td_test_valid_form ();

  td_form_set (form, TD_FORM_NAME, school);
  return form;
}

static Signer *
signer_new (const char *school)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = td_test_unique_path (tmp_dir, "school.db");
  Signer *s = g_new0 (Signer, 1);

  s->store = td_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (td_signing_key_create (s->store, PASSPHRASE, TD_KDF_MINIMUM, &error));
  g_assert_no_error (error);
  s->form = valid_form (school);
  return s;
}

static void
signer_free (Signer *s)
{
  g_clear_object (&s->form);
  g_clear_object (&s->store);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Signer, signer_free)

/* A new revision: a field changes each time, and the time goes on. */
static TdRevision *
signer_sign (Signer *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 ("2026-11-25T09:30:00Z", NULL);
  g_autoptr(GDateTime) now = g_date_time_add_minutes (start, (int)s->signed_count);
  g_autofree char *fields = g_strdup_printf ("养老服务、智能制造、电子商务（第%u版）", ++s->signed_count);
  TdRevision *revision;

  td_form_set (s->form, TD_FORM_FIELDS, fields);
  revision = td_signoff_sign (s->store, s->form, campaign, PASSPHRASE, now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (revision);
  return revision;
}

static TdTestUpload *
upload_new (TdRevision *revision)
{
  TdTestUpload *u = g_new0 (TdTestUpload, 1);
  gsize length;
  char *signature = td_revision_dup_signature_json (revision, &length);

  u->form = g_bytes_ref (td_revision_get_form_json (revision));
  u->pdf = g_bytes_ref (td_revision_get_pdf (revision));
  u->signature = g_bytes_new_take (signature, length);
  u->key = g_strdup (td_revision_get_uuid (revision));
  return u;
}

static TdTestUpload *
upload_copy (TdTestUpload *u)
{
  TdTestUpload *copy = g_new0 (TdTestUpload, 1);

  copy->form = g_bytes_ref (u->form);
  copy->pdf = g_bytes_ref (u->pdf);
  copy->signature = g_bytes_ref (u->signature);
  copy->key = g_strdup (u->key);
  return copy;
}

static TdTestUpload *
upload_sign (Signer *s)
{
  g_autoptr(TdRevision) revision = signer_sign (s);

  return upload_new (revision);
}

static void
set_part (GBytes     **part,
          const void  *data,
          gsize        length)
{
  g_bytes_unref (*part);
  *part = g_bytes_new (data, length);
}

static void
set_part_text (GBytes     **part,
               const char  *text)
{
  set_part (part, text, strlen (text));
}

/* signature.json with one string replaced by another */
static void
replace_in_signature (TdTestUpload     *u,
                      const char *old,
                      const char *new)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (u->signature, NULL), g_bytes_get_size (u->signature));
  g_auto(GStrv) pieces = g_strsplit (text, old, -1);
  g_autofree char *changed = g_strjoinv (new, pieces);

  g_assert_cmpuint (g_strv_length (pieces), ==, 2);
  set_part_text (&u->signature, changed);
}

/* A member of signature.json */
static char *
signature_member (TdTestUpload     *u,
                  const char *name)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, g_bytes_get_data (u->signature, NULL), (gssize)g_bytes_get_size (u->signature), &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), name));
}

/* A submission signed outside Training Desk, with a key of its own: the
 * statement may say what the form does not. */
static TdTestUpload *
upload_craft (TdForm     *form,
              const char *statement_campaign,
              const char *statement_signer)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 ("2026-11-26T08:00:00Z", NULL);
  static const char pdf[] = "%PDF-1.4\n% not drawn by Training Desk\n%%EOF\n";
  g_autoptr(GBytes) pdf_bytes = g_bytes_new_static (pdf, sizeof pdf - 1);
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];

  g_assert_true (td_sodium_init (NULL));
  crypto_sign_keypair (pk, sk);
  return td_test_upload_sign (form, statement_campaign, statement_signer, at, pdf_bytes, pk, sk);
}

/* Talking to it */

typedef enum
{
  SEND_NO_FORM = 1 << 0,
  SEND_NO_PDF = 1 << 1,
  SEND_NO_SIGNATURE = 1 << 2,
  SEND_PDF_TWICE = 1 << 3,
  SEND_NO_KEY = 1 << 4,
  SEND_EXPECT_CONTINUE = 1 << 5,
  SEND_CHUNKED = 1 << 6,
  SEND_MANY_PARTS = 1 << 7,
  SEND_EXTRA_PART = 1 << 8,
} SendFlags;

typedef struct
{
  guint       status;
  JsonParser *parser;
  JsonObject *body;
  char       *www_authenticate;
  char       *retry_after;
  GError     *error;
} Response;

static void
response_clear (Response *response)
{
  g_clear_object (&response->parser);
  g_clear_pointer (&response->www_authenticate, g_free);
  g_clear_pointer (&response->retry_after, g_free);
  g_clear_error (&response->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Response, response_clear)

static SoupSession *
new_session (void)
{
  SoupSession *session = soup_session_new ();

  /* Loopback only: no proxy, and none looked up in GSettings. */
  soup_session_set_proxy_resolver (session, NULL);

  soup_session_set_timeout (session, 60);
  return session;
}

static const char *
body_string (Response   *response,
             const char *name)
{
  g_assert_nonnull (response->body);
  return json_object_get_string_member_with_default (response->body, name, NULL);
}

/* Every answer is JSON with a status word and messages in both languages. */
static void
read_response (SoupMessage *msg,
               GBytes      *bytes,
               Response    *response)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  g_autoptr(GError) error = NULL;

  response->status = soup_message_get_status (msg);
  response->www_authenticate = g_strdup (soup_message_headers_get_one (headers, "WWW-Authenticate"));
  response->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "application/json");

  response->parser = json_parser_new ();
  json_parser_load_from_data (response->parser, g_bytes_get_data (bytes, NULL), (gssize)g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (response->parser)));
  response->body = json_node_get_object (json_parser_get_root (response->parser));
}

static void
assert_protocol_answer (Response *response)
{
  g_assert_nonnull (body_string (response, "status"));
  g_assert_nonnull (body_string (response, "message"));
  g_assert_nonnull (body_string (response, "message_zh"));
  g_assert_cmpstr (body_string (response, "message"), !=, "");
  g_assert_cmpstr (body_string (response, "message_zh"), !=, "");
}

static Response
send_message (SoupSession *session,
              SoupMessage *msg)
{
  Response response = { 0, };
  g_autoptr(GBytes) bytes = soup_session_send_and_read (session, msg, NULL, &response.error);

  if (bytes)
    read_response (msg, bytes, &response);
  if (response.error)
    g_test_message ("no answer: %s", response.error->message);
  else
    g_test_message ("%u %s: %s", response.status, body_string (&response, "status") ? body_string (&response, "status") : "",
                    body_string (&response, "message") ? body_string (&response, "message") : "");
  return response;
}

static void
set_bearer (SoupMessage *msg,
            const char  *token)
{
  g_autofree char *authorization = NULL;

  if (token == NULL)
    return;
  authorization = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
}

static SoupMessage *
upload_message (TdTestReceiver *r,
                const char     *token,
                TdTestUpload         *u,
                SendFlags       flags)
{
  SoupMultipart *multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autofree char *url = g_strconcat (r->url, "submissions", NULL);
  SoupMessage *msg;
  SoupMessageHeaders *headers;

  if (!(flags & SEND_NO_FORM))
    soup_multipart_append_form_file (multipart, "form", "form.json", "application/json", u->form);
  if (!(flags & SEND_NO_PDF))
    soup_multipart_append_form_file (multipart, "pdf", "form.pdf", "application/pdf", u->pdf);
  if (flags & SEND_PDF_TWICE)
    soup_multipart_append_form_file (multipart, "pdf", "form.pdf", "application/pdf", u->pdf);
  if (!(flags & SEND_NO_SIGNATURE))
    soup_multipart_append_form_file (multipart, "signature", "signature.json", "application/json", u->signature);
  if (flags & SEND_EXTRA_PART)
    soup_multipart_append_form_string (multipart, "comment", "a part of a later version");
  for (guint i = 0; (flags & SEND_MANY_PARTS) && i < 100; i++)
    soup_multipart_append_form_string (multipart, "other", "");

  if (flags & SEND_CHUNKED)
    {
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GInputStream) stream = NULL;
      g_autofree char *content_type = NULL;

      msg = soup_message_new (SOUP_METHOD_POST, url);
      headers = soup_message_get_request_headers (msg);
      soup_multipart_to_message (multipart, headers, &body);
      stream = g_memory_input_stream_new_from_bytes (body);
      /* No length: sent chunked. The type is copied: setting the body
       * replaces the header that holds it. */
      content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
      soup_message_set_request_body (msg, content_type, stream, -1);
    }
  else
    msg = soup_message_new_from_multipart (url, multipart);
  soup_multipart_free (multipart);

  set_bearer (msg, token);
  headers = soup_message_get_request_headers (msg);
  if (!(flags & SEND_NO_KEY))
    soup_message_headers_replace (headers, "Idempotency-Key", u->key);
  if (flags & SEND_EXPECT_CONTINUE)
    soup_message_headers_set_expectations (headers, SOUP_EXPECTATION_CONTINUE);
  return msg;
}

static Response
post_with (SoupSession    *session,
           TdTestReceiver *r,
           const char     *token,
           TdTestUpload         *u,
           SendFlags       flags)
{
  g_autoptr(SoupMessage) msg = upload_message (r, token, u, flags);

  return send_message (session, msg);
}

static Response
post (TdTestReceiver *r,
      const char     *token,
      TdTestUpload         *u,
      SendFlags       flags)
{
  g_autoptr(SoupSession) session = new_session ();

  return post_with (session, r, token, u, flags);
}

/* @body as it is, with the token and key of an upload. */
static Response
post_raw (SoupSession    *session,
          TdTestReceiver *r,
          const char     *token,
          const char     *key,
          const char     *content_type,
          GBytes         *body)
{
  g_autofree char *url = g_strconcat (r->url, "submissions", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_POST, url);

  set_bearer (msg, token);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  soup_message_set_request_body_from_bytes (msg, content_type, body);
  return send_message (session, msg);
}

static Response
get (TdTestReceiver *r,
     const char     *token,
     const char     *path)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *url = g_strconcat (r->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);

  set_bearer (msg, token);
  return send_message (session, msg);
}

static void
assert_status (Response   *response,
               guint       status,
               const char *word)
{
  g_assert_no_error (response->error);
  g_assert_cmpuint (response->status, ==, status);
  assert_protocol_answer (response);
  g_assert_cmpstr (body_string (response, "status"), ==, word);
}

/* 201, and what it says: the revision, a receipt, the time. */
static void
assert_stored (Response *response,
               guint     status,
               TdTestUpload   *u)
{
  g_autoptr(GDateTime) at = NULL;

  assert_status (response, status, status == SOUP_STATUS_CREATED ? "stored" : "already-stored");
  g_assert_cmpstr (body_string (response, "revision"), ==, u->key);
  g_assert_true (g_str_has_prefix (body_string (response, "receipt"), "TDR-"));
  at = g_date_time_new_from_iso8601 (body_string (response, "received_at"), NULL);
  g_assert_nonnull (at);
  g_assert_true (g_str_has_suffix (body_string (response, "received_at"), "Z"));
}

static void
assert_alive (TdTestReceiver *r)
{
  g_auto(Response) response = get (r, NULL, "");

  g_assert_no_error (response.error);
  g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (body_string (&response, "service"), ==, "training-desk-receiver");
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  /* --list's first section, the submissions, ends at a blank line. */
  for (const char *p = text; *p && !(p[0] == '\n' && p[1] == '\n'); p++)
    n += *p == '\n';
  return n + (strstr (text, "\n\n") != NULL);
}

/* The cases */

/* Most cases: a receiver's database with one school in it, the school's
 * token and signer, and a first upload signed. Each case starts the
 * receiver, some with options; what still runs at the end is stopped,
 * and must exit with status 0. */
typedef struct
{
  char           *db;
  char           *token;
  Signer         *signer;
  TdTestUpload         *u;
  TdTestReceiver *r;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->db = td_test_unique_path (tmp_dir, "receiver.db");
  f->token = td_test_receiver_add_school (f->db, SCHOOL_A);
  f->signer = signer_new (SCHOOL_A);
  f->u = upload_sign (f->signer);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->r, td_test_receiver_stop);
  g_clear_pointer (&f->u, td_test_upload_free);
  g_clear_pointer (&f->signer, signer_free);
  g_free (f->token);
  g_free (f->db);
}

/* What --list prints: a header line, and a line a submission. */
static guint
count_listed (const char *db)
{
  g_autofree char *listed = td_test_receiver_run (db, "--list", NULL);

  return count_lines (listed);
}

/* @u stored before, as @first says: 200, the same receipt and time. */
static void
assert_already_stored (TdTestReceiver *r,
                       const char     *token,
                       TdTestUpload         *u,
                       Response       *first)
{
  g_auto(Response) again = post (r, token, u, 0);

  assert_stored (&again, SOUP_STATUS_OK, u);
  g_assert_cmpstr (body_string (&again, "receipt"), ==, body_string (first, "receipt"));
  g_assert_cmpstr (body_string (&again, "received_at"), ==, body_string (first, "received_at"));
}

/* What the client may ask afterwards: GET submissions/KEY. */
static Response
get_receipt (TdTestReceiver *r,
             const char     *token,
             const char     *key)
{
  g_autofree char *path = g_strconcat ("submissions/", key, NULL);

  return get (r, token, path);
}

static void
test_service (void)
{
  g_autofree char *db = td_test_unique_path (tmp_dir, "receiver.db");
  TdTestReceiver *r = td_test_receiver_start (db, 0, NULL);
  g_auto(Response) response = { 0, };
  g_auto(Response) missing = { 0, };

  response = get (r, NULL, "");
  g_assert_no_error (response.error);
  g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (body_string (&response, "service"), ==, "training-desk-receiver");
  g_assert_cmpint (json_object_get_int_member (response.body, "protocol"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (response.body, "max_body"), ==, 32 * 1024 * 1024);

  missing = get (r, NULL, "elsewhere");
  assert_status (&missing, SOUP_STATUS_NOT_FOUND, "not-found");
  td_test_receiver_stop_with (r, SIGINT);
}

static void
test_stored_then_already (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *other = td_test_receiver_add_school (f->db, SCHOOL_B);
  g_auto(Response) first = { 0, };
  g_auto(Response) receipt = { 0, };
  g_auto(Response) not_found = { 0, };
  g_auto(Response) not_theirs = { 0, };
  g_autofree char *listed = NULL;

  f->r = td_test_receiver_start (f->db, 0, NULL);

  first = post (f->r, f->token, f->u, 0);
  assert_stored (&first, SOUP_STATUS_CREATED, f->u);

  /* The same bytes again: delivered already, the same receipt and time. */
  assert_already_stored (f->r, f->token, f->u, &first);

  /* A part the protocol does not know is left alone. */
  {
    g_auto(Response) extra = post (f->r, f->token, f->u, SEND_EXTRA_PART);

    assert_stored (&extra, SOUP_STATUS_OK, f->u);
  }

  /* The client may confirm. */
  receipt = get_receipt (f->r, f->token, f->u->key);
  assert_status (&receipt, SOUP_STATUS_OK, "stored");
  g_assert_cmpstr (body_string (&receipt, "receipt"), ==, body_string (&first, "receipt"));
  g_assert_cmpstr (body_string (&receipt, "received_at"), ==, body_string (&first, "received_at"));
  not_found = get_receipt (f->r, f->token, "00000000-0000-4000-8000-000000000000");
  assert_status (&not_found, SOUP_STATUS_NOT_FOUND, "not-found");
  /* Another school does not see it. */
  not_theirs = get_receipt (f->r, other, f->u->key);
  assert_status (&not_theirs, SOUP_STATUS_NOT_FOUND, "not-found");

  g_clear_pointer (&f->r, td_test_receiver_stop);

  listed = td_test_receiver_run (f->db, "--list", NULL);
  g_assert_cmpuint (count_lines (listed), ==, 2);
  g_assert_nonnull (strstr (listed, f->u->key));
  g_assert_nonnull (strstr (listed, body_string (&first, "receipt")));
}

static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  TdTestUpload *u = f->u;
  g_autofree char *other = td_test_receiver_add_school (f->db, SCHOOL_B);
  g_autoptr(TdTestUpload) changed = upload_copy (u);
  g_autoptr(TdTestUpload) next = upload_sign (f->signer);
  g_autoptr(TdTestUpload) next_as_first = upload_copy (next);
  g_auto(Response) first = { 0, };
  g_auto(Response) tampered = { 0, };
  g_auto(Response) reused = { 0, };
  g_auto(Response) foreign = { 0, };
  g_auto(Response) still = { 0, };
  g_autofree guint8 *pdf = g_memdup2 (g_bytes_get_data (u->pdf, NULL), g_bytes_get_size (u->pdf));

  f->r = td_test_receiver_start (f->db, 0, NULL);
  first = post (f->r, f->token, u, 0);
  assert_stored (&first, SOUP_STATUS_CREATED, u);

  /* One byte of the PDF changed, the same key. */
  pdf[g_bytes_get_size (u->pdf) / 2] ^= 0x20;
  set_part (&changed->pdf, pdf, g_bytes_get_size (u->pdf));
  tampered = post (f->r, f->token, changed, 0);
  assert_status (&tampered, SOUP_STATUS_CONFLICT, "conflict");

  /* Another revision's parts under the first one's key: the key must be
   * signature.json's revision, so it is changed there too (and no longer
   * verifies, but the key is known: a conflict first). */
  {
    g_free (next_as_first->key);
    next_as_first->key = g_strdup (u->key);
    replace_in_signature (next_as_first, next->key, u->key);
  }
  reused = post (f->r, f->token, next_as_first, 0);
  assert_status (&reused, SOUP_STATUS_CONFLICT, "conflict");

  /* The same bytes from another school. */
  foreign = post (f->r, other, u, 0);
  assert_status (&foreign, SOUP_STATUS_CONFLICT, "conflict");

  /* What was stored is untouched. */
  still = post (f->r, f->token, u, 0);
  assert_stored (&still, SOUP_STATUS_OK, u);
  g_assert_cmpstr (body_string (&still, "receipt"), ==, body_string (&first, "receipt"));
}

static void
test_unauthorized (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(Response) none = { 0, };
  g_auto(Response) wrong = { 0, };
  g_auto(Response) receipt = { 0, };
  g_auto(Response) replaced = { 0, };
  g_auto(Response) ok = { 0, };
  g_autofree char *new_token = NULL;

  f->r = td_test_receiver_start (f->db, 0, NULL);

  none = post (f->r, NULL, f->u, 0);
  assert_status (&none, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  g_assert_true (g_str_has_prefix (none.www_authenticate, "Bearer"));

  wrong = post (f->r, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", f->u, 0);
  assert_status (&wrong, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  g_assert_true (g_str_has_prefix (wrong.www_authenticate, "Bearer"));
  g_assert_nonnull (strstr (wrong.www_authenticate, "invalid_token"));

  receipt = get_receipt (f->r, NULL, f->u->key);
  assert_status (&receipt, SOUP_STATUS_UNAUTHORIZED, "unauthorized");

  /* A new token, made while it runs, replaces the old one at once. */
  new_token = td_test_receiver_add_school (f->db, SCHOOL_A);
  g_assert_cmpstr (new_token, !=, f->token);
  replaced = post (f->r, f->token, f->u, 0);
  assert_status (&replaced, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  ok = post (f->r, new_token, f->u, 0);
  assert_stored (&ok, SOUP_STATUS_CREATED, f->u);
}

static void
assert_bad_request (TdTestReceiver *r,
                    const char     *token,
                    TdTestUpload         *u,
                    SendFlags       flags,
                    const char     *in_message)
{
  g_auto(Response) response = post (r, token, u, flags);

  assert_status (&response, SOUP_STATUS_BAD_REQUEST, "bad-request");
  if (in_message)
    g_assert_nonnull (strstr (body_string (&response, "message"), in_message));
}

/* @u with @old replaced by @new in signature.json: refused, saying
 * @in_message. */
static void
assert_bad_signature (TdTestReceiver *r,
                      const char     *token,
                      TdTestUpload         *u,
                      const char     *old,
                      const char     *new,
                      const char     *in_message)
{
  g_autoptr(TdTestUpload) broken = upload_copy (u);

  replace_in_signature (broken, old, new);
  assert_bad_request (r, token, broken, 0, in_message);
}

/* @u with @part (one of its own) made @data, of @length bytes or a
 * string: refused, saying @in_message. */
static void
assert_bad_part (TdTestReceiver  *r,
                 const char      *token,
                 TdTestUpload          *u,
                 GBytes         **part,
                 const void      *data,
                 gssize           length,
                 const char      *in_message)
{
  set_part (part, data, length < 0 ? strlen (data) : (gsize)length);
  assert_bad_request (r, token, u, 0, in_message);
}

static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  TdTestReceiver *r;
  const char *token = f->token;
  TdTestUpload *u = f->u;
  g_autoptr(SoupSession) session = new_session ();
  g_auto(Response) finally = { 0, };

  r = f->r = td_test_receiver_start (f->db, 0, NULL);

  /* Not multipart at all; multipart without a boundary. */
  {
    g_autoptr(GBytes) json = g_bytes_new_static ("{\"form\":{}}", 11);
    g_autoptr(GBytes) no_boundary = g_bytes_new_static ("--x\r\n\r\n--x--\r\n", 15);
    g_auto(Response) not_multipart = { 0, };
    g_auto(Response) without_boundary = { 0, };

    not_multipart = post_raw (session, r, token, u->key, "application/json", json);
    assert_status (&not_multipart, SOUP_STATUS_BAD_REQUEST, "bad-request");
    without_boundary = post_raw (session, r, token, u->key, "multipart/form-data", no_boundary);
    assert_status (&without_boundary, SOUP_STATUS_BAD_REQUEST, "bad-request");
  }

  /* A part missing, or twice; no key. */
  assert_bad_request (r, token, u, SEND_NO_FORM, "“form”");
  assert_bad_request (r, token, u, SEND_NO_PDF, "“pdf”");
  assert_bad_request (r, token, u, SEND_NO_SIGNATURE, "“signature”");
  assert_bad_request (r, token, u, SEND_PDF_TWICE, "“pdf”");
  assert_bad_request (r, token, u, SEND_NO_KEY, "Idempotency-Key");
  assert_bad_request (r, token, u, SEND_MANY_PARTS, "parts");

  /* The key is not the revision: another UUID, or the same in capitals. */
  {
    g_autoptr(TdTestUpload) other_key = upload_copy (u);

    g_free (other_key->key);
    other_key->key = g_uuid_string_random ();
    assert_bad_request (r, token, other_key, 0, "Idempotency-Key");
    g_free (other_key->key);
    other_key->key = g_ascii_strup (u->key, -1);
    assert_bad_request (r, token, other_key, 0, "Idempotency-Key");
  }

  /* form.json as Training Desk writes it for people (indented): the same
   * form, but not the bytes that were signed. */
  {
    g_autoptr(TdTestUpload) pretty = upload_copy (u);
    g_autoptr(GError) error = NULL;
    g_autoptr(TdForm) form = td_form_new_from_json (g_bytes_get_data (u->form, NULL), (gssize)g_bytes_get_size (u->form), &error);
    gsize length;
    g_autofree char *json = NULL;

    g_assert_no_error (error);
    json = td_form_to_json (form, &length);
    assert_bad_part (r, token, pretty, &pretty->form, json, length, "canonical");
  }

  /* Not JSON; JSON but not a form; nested past any stack. The same for
   * signature.json. */
  {
    g_autoptr(TdTestUpload) broken = upload_copy (u);
    g_autoptr(GString) deep = g_string_new (NULL);

    assert_bad_part (r, token, broken, &broken->form, "{\"schema\":1,", -1, "form.json");
    assert_bad_part (r, token, broken, &broken->form, "{\"schema\":1}", -1, "form.json");
    assert_bad_part (r, token, broken, &broken->form, " \r\n", -1, "form.json");
    for (guint i = 0; i < 1000000; i++)
      g_string_append_c (deep, '[');
    assert_bad_part (r, token, broken, &broken->form, deep->str, (gssize)deep->len, "form.json");
  }
  {
    g_autoptr(TdTestUpload) broken = upload_copy (u);
    g_autoptr(GString) deep = g_string_new ("{\"a\":");

    assert_bad_part (r, token, broken, &broken->signature, "not json", -1, "signature.json");
    assert_bad_part (r, token, broken, &broken->signature, "[]", -1, "signature.json");
    /* Blanks only: JSON-GLib reads them as a document without a root
     * (a critical in the receiver, which the tests make fatal). */
    assert_bad_part (r, token, broken, &broken->signature, " \r\n", -1, "signature.json");
    for (guint i = 0; i < 1000000; i++)
      g_string_append (deep, "{\"a\":");
    assert_bad_part (r, token, broken, &broken->signature, deep->str, (gssize)deep->len, "signature.json");
  }

  /* signature.json with a member missing, of the wrong type, or not
   * base64 of the right length. */
  {
    g_autofree char *key = signature_member (u, "public_key");
    g_autofree char *signature = signature_member (u, "signature");

    assert_bad_signature (r, token, u, "\"signer\":", "\"signatory\":", "signer");
    assert_bad_signature (r, token, u, "\"number\":1", "\"number\":\"1\"", "number");
    assert_bad_signature (r, token, u, key, "AAAA", "public_key");
    assert_bad_signature (r, token, u, signature, "!!not base64!!", "signature");
  }

  /* Not UTF-8, in each JSON part. */
  {
    g_autoptr(TdTestUpload) broken = upload_copy (u);
    g_autofree char *form = g_strndup (g_bytes_get_data (u->form, NULL), g_bytes_get_size (u->form));
    g_auto(GStrv) pieces = g_strsplit (form, "王建国", -1);
    g_autofree char *changed = g_strjoinv ("\xff\xfe", pieces);

    assert_bad_part (r, token, broken, &broken->form, changed, -1, "form.json");
    assert_bad_signature (r, token, u, "王建国", "\xff\xfe", "signature.json");
  }

  /* Nothing of this was stored; the real one still goes in. */
  g_assert_cmpuint (count_listed (f->db), ==, 1);
  finally = post (r, token, u, 0);
  assert_stored (&finally, SOUP_STATUS_CREATED, u);
}

static void
assert_unverified (TdTestReceiver *r,
                   const char     *token,
                   TdTestUpload         *u,
                   const char     *in_message)
{
  g_auto(Response) response = post (r, token, u, 0);

  assert_status (&response, SOUP_STATUS_UNPROCESSABLE_ENTITY, "unverified");
  g_assert_nonnull (strstr (body_string (&response, "message"), in_message));
}

static void
test_unverified (Fixture       *f,
                 gconstpointer  data)
{
  TdTestReceiver *r;
  const char *token = f->token;
  TdTestUpload *u = f->u;
  g_auto(Response) finally = { 0, };

  r = f->r = td_test_receiver_start (f->db, 0, NULL);

  /* A byte of the PDF. */
  {
    g_autoptr(TdTestUpload) tampered = upload_copy (u);
    g_autofree guint8 *pdf = g_memdup2 (g_bytes_get_data (u->pdf, NULL), g_bytes_get_size (u->pdf));

    pdf[100] ^= 0x01;
    set_part (&tampered->pdf, pdf, g_bytes_get_size (u->pdf));
    assert_unverified (r, token, tampered, "pdf_sha256");
  }

  /* A bit of the signature, still base64 of 64 bytes. */
  {
    g_autoptr(TdTestUpload) tampered = upload_copy (u);
    g_autofree char *signature = signature_member (u, "signature");
    gsize length;
    g_autofree guchar *raw = g_base64_decode (signature, &length);
    g_autofree char *changed = NULL;

    raw[10] ^= 0x01;
    changed = g_base64_encode (raw, length);
    replace_in_signature (tampered, signature, changed);
    assert_unverified (r, token, tampered, "signature");
  }

  /* Another form, and signature.json's form_sha256 changed to match it:
   * the hash agrees, the signature no longer does. */
  {
    g_autoptr(TdTestUpload) tampered = upload_copy (u);
    g_autoptr(GError) error = NULL;
    g_autoptr(TdForm) form = td_form_new_from_json (g_bytes_get_data (u->form, NULL), (gssize)g_bytes_get_size (u->form), &error);
    g_autoptr(JsonNode) node = NULL;
    g_autofree char *json = NULL, *hash = NULL, *old_hash = signature_member (u, "form_sha256");
    gsize length;

    g_assert_no_error (error);
    td_form_set (form, TD_FORM_CAPACITY, "学校现有培训教师40人。");
    node = td_form_to_json_node (form);
    json = td_canonical_json_from_node (node, &length, &error);
    g_assert_no_error (error);
    hash = td_sha256_hex (json, length);
    set_part (&tampered->form, json, length);
    replace_in_signature (tampered, old_hash, hash);
    assert_unverified (r, token, tampered, "signature");

    /* Without changing the hash: the hash differs. */
    g_clear_pointer (&tampered, td_test_upload_free);
    tampered = upload_copy (u);
    set_part (&tampered->form, json, length);
    assert_unverified (r, token, tampered, "form_sha256");
  }

  /* Signed properly, but the statement names another signer or campaign
   * than the form. */
  {
    TdForm *form = f->signer->form;
    g_autoptr(TdTestUpload) crafted = upload_craft (form, "shandong-2020", "王建国");
    g_autoptr(TdTestUpload) other_signer = upload_craft (form, "shandong-2020", "李四");
    g_autoptr(TdTestUpload) other_campaign = upload_craft (form, "shandong-2021", "王建国");
    g_auto(Response) response = { 0, };

    assert_unverified (r, token, other_signer, "legal representative");
    assert_unverified (r, token, other_campaign, "campaign");
    /* Nothing refused enrolled a key: the real one goes in, and binds the
     * school's key. */
    finally = post (r, token, u, 0);
    assert_stored (&finally, SOUP_STATUS_CREATED, u);
    /* The same, consistent, verifies, but by a key of its own: with the
     * school's token, a form changed and signed by a new key is refused
     * (issue 10), stored nowhere. */
    response = post (r, token, crafted, 0);
    assert_status (&response, SOUP_STATUS_CONFLICT, "key-mismatch");
    g_assert_nonnull (strstr (body_string (&response, "message_zh"), "密钥指纹"));
  }

  g_assert_cmpuint (count_listed (f->db), ==, 2);
}

/* Whether @answer holds a whole response: headers, and as much body as
 * their Content-Length says. (The receiver keeps the connection open after
 * an answer that does not close it.) */
static gboolean
response_complete (GString *answer)
{
  const char *end = g_strstr_len (answer->str, (gssize)answer->len, "\r\n\r\n");
  g_autofree char *head = NULL;
  g_auto(GStrv) lines = NULL;

  if (end == NULL)
    return FALSE;
  head = g_strndup (answer->str, (gsize)(end - answer->str));
  lines = g_strsplit (head, "\r\n", -1);
  for (guint i = 1; lines[i]; i++)
    if (g_ascii_strncasecmp (lines[i], "Content-Length:", 15) == 0)
      return answer->len - (gsize)(end + 4 - answer->str) >= g_ascii_strtoull (lines[i] + 15, NULL, 10);
  return FALSE;
}

/* A plain TCP connection to the receiver, for what no HTTP client sends. */
static GSocketConnection *
raw_connect (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_timeout (client, 30);
  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

/* A raw exchange: what the receiver answers @request, or "" when it
 * closes without an answer. */
static char *
raw_exchange (guint16     port,
              const void *request,
              gsize       length)
{
  g_autoptr(GSocketConnection) connection = raw_connect (port);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) answer = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  /* The receiver may close before it has read everything. */
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request, length,
                             NULL, NULL, NULL);
  g_socket_shutdown (g_socket_connection_get_socket (connection), FALSE, TRUE, NULL);
  while (!response_complete (answer) &&
         (n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   buffer, sizeof buffer, NULL, &error)) > 0)
    g_string_append_len (answer, buffer, n);
  /* Closed or reset, not left waiting. */
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
  return g_string_free (g_steal_pointer (&answer), FALSE);
}

static void
assert_refused_or_closed (const char *answer)
{
  g_test_message ("raw answer: %.12s", answer);
  g_assert_true (*answer == '\0' ||
                 (g_str_has_prefix (answer, "HTTP/1.") && answer[9] == '4'));
}

static void
test_garbage (void)
{
  g_autofree char *db = td_test_unique_path (tmp_dir, "receiver.db");
  g_autofree char *token = td_test_receiver_add_school (db, SCHOOL_A);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261125);
  g_autoptr(TdTestReceiver) r = NULL;
  static const char * const requests[] = {
    "\r\n\r\n",
    "GET\r\n\r\n",
    "HELLO / HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: x/y\r\n\r\n",
    "POST /submissions HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    "POST /submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer TOKEN\r\nContent-Length: -5\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
    "POST /submissions HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551615\r\n\r\n",
    "POST /submissions HTTP/1.1\r\nHost: x\r\nContent-Length: 5x\r\n\r\n",
    "POST /submissions HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nContent-Length: 20\r\n\r\n",
    "POST /submissions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
    "POST /submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \r\nContent-Length: 3\r\n\r\nabc",
    "POST /submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer TOKEN\r\nContent-Type: multipart/form-data; boundary=b\r\n"
      "Idempotency-Key: x\r\nContent-Length: 40\r\n\r\n--b\r\nContent-Disposition: form-data\r\n\r\n",
    "POST /submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer TOKEN\r\nContent-Type: multipart/form-data; boundary=\r\n"
      "Content-Length: 12\r\n\r\n--\r\n--\r\n----",
    "GET /submissions/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /submissions/%00 HTTP/1.1\r\nHost: x\r\n\r\n",
  };

  r = td_test_receiver_start (db, 0, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_auto(GStrv) pieces = g_strsplit (requests[i], "TOKEN", -1);
      g_autofree char *request = g_strjoinv (token, pieces);
      g_autofree char *answer = raw_exchange (r->port, request, strlen (request));

      assert_refused_or_closed (answer);
    }

  /* What libsoup refuses itself, before the receiver sees a request: an
   * HTTP version or a transfer coding it does not know (505, 501). */
  {
    static const char version[] = "GET / HTTP/9.9\r\nHost: x\r\n\r\n";
    static const char coding[] = "POST /submissions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n";
    g_autofree char *answer = raw_exchange (r->port, version, strlen (version));
    g_autofree char *answer2 = raw_exchange (r->port, coding, strlen (coding));

    g_assert_true (*answer == '\0' || g_str_has_prefix (answer, "HTTP/1.0 505"));
    g_assert_true (*answer2 == '\0' || g_str_has_prefix (answer2, "HTTP/1.1 501"));
  }

  /* Random bytes, short and long. */
  for (guint size = 1; size <= 1 << 20; size *= 8)
    {
      g_autofree guint8 *bytes = g_malloc (size + 4);
      g_autofree char *answer = NULL;

      for (guint i = 0; i < size; i++)
        bytes[i] = (guint8)g_rand_int_range (rand, 0, 256);
      memcpy (bytes + size, "\r\n\r\n", 4);
      answer = raw_exchange (r->port, bytes, size + 4);
      assert_refused_or_closed (answer);
    }

  assert_alive (r);
}

/* A real upload with bytes changed or cut short, many times: an answer
 * each time, never the receiver's own trouble, never a crash. */
static void
test_mutations (Fixture       *f,
                gconstpointer  data)
{
  TdTestUpload *u = f->u;
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(GBytes) body = NULL;
  SoupMultipart *multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  const char *content_type;
  guint counts[600] = { 0, };

  soup_multipart_append_form_file (multipart, "form", "form.json", "application/json", u->form);
  soup_multipart_append_form_file (multipart, "pdf", "form.pdf", "application/pdf", u->pdf);
  soup_multipart_append_form_file (multipart, "signature", "signature.json", "application/json", u->signature);
  soup_multipart_to_message (multipart, headers, &body);
  soup_multipart_free (multipart);
  content_type = soup_message_headers_get_one (headers, "Content-Type");

  f->r = td_test_receiver_start (f->db, 0, NULL);

  for (guint i = 0; i < 300; i++)
    {
      gsize length = g_bytes_get_size (body);
      g_autofree guint8 *bytes = g_memdup2 (g_bytes_get_data (body, NULL), length);
      g_autoptr(GBytes) mutated = NULL;
      g_auto(Response) response = { 0, };

      if (i % 4 == 3)
        length = (gsize)g_rand_int_range (rand, 0, (gint32)length);
      else
        /* The JSON parts and the part headers are at the ends. */
        for (guint n = (guint)g_rand_int_range (rand, 1, 9); n > 0; n--)
          {
            gint32 where = g_rand_int_range (rand, 0, 3);
            gsize at = where == 0 ? (gsize)g_rand_int_range (rand, 0, 600)
                       : where == 1 ? length - 1 - (gsize)g_rand_int_range (rand, 0, 600)
                       : (gsize)g_rand_int_range (rand, 0, (gint32)length);

            bytes[at] = (guint8)g_rand_int_range (rand, 0, 256);
          }
      mutated = g_bytes_new (bytes, length);
      response = post_raw (session, f->r, f->token, u->key, content_type, mutated);
      g_assert_no_error (response.error);
      g_assert_true (response.status == SOUP_STATUS_CREATED || response.status == SOUP_STATUS_OK ||
                     response.status == SOUP_STATUS_BAD_REQUEST || response.status == SOUP_STATUS_CONFLICT ||
                     response.status == SOUP_STATUS_UNPROCESSABLE_ENTITY);
      assert_protocol_answer (&response);
      counts[response.status]++;
    }
  g_test_message ("201: %u, 200: %u, 400: %u, 409: %u, 422: %u", counts[201], counts[200], counts[400],
                  counts[409], counts[422]);
  g_assert_cmpuint (counts[400], >, 0);

  assert_alive (f->r);
}

/* A connection that says nothing, or stops halfway, is closed. */
static void
test_idle (void)
{
  g_autofree char *db = td_test_unique_path (tmp_dir, "receiver.db");
  g_autoptr(TdTestReceiver) r = td_test_receiver_start (db, 0, "--idle-timeout", "1", NULL);
  static const char * const starts[] = {
    "",
    "GET / HTTP/1.1\r\nHost: x\r\n",
    "POST /submissions HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n--",
  };

  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    {
      g_autoptr(GTimer) timer = g_timer_new ();
      g_autoptr(GSocketConnection) connection = raw_connect (r->port);
      g_autoptr(GError) error = NULL;
      char buffer[4096];
      gssize n;

      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), starts[i],
                                 strlen (starts[i]), NULL, NULL, &error);
      g_assert_no_error (error);
      /* Whatever it answers, it closes. */
      while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                       buffer, sizeof buffer, NULL, &error)) > 0)
        ;
      g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
      g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 10);
    }

  assert_alive (r);
}

/* 413, or with @may_close (a client that does not wait for "100
 * Continue"), a connection closed before it could read one. */
static void
assert_too_large (SoupSession    *session,
                  TdTestReceiver *r,
                  const char     *token,
                  TdTestUpload         *u,
                  SendFlags       flags,
                  gboolean        may_close)
{
  g_auto(Response) response = post_with (session, r, token, u, flags);

  if (may_close && response.error != NULL)
    return;
  assert_status (&response, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large");
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  TdTestUpload *u = f->u;
  g_autoptr(TdTestUpload) big = upload_copy (u);
  g_autoptr(TdTestUpload) huge = upload_copy (u);
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *limit = NULL;
  gsize size = g_bytes_get_size (u->form) + g_bytes_get_size (u->pdf) + g_bytes_get_size (u->signature);
  gsize max_body = size + 2048;
  g_autofree guint8 *padding = g_malloc0 (5 * max_body);

  /* Just above what a real upload needs. */
  limit = g_strdup_printf ("%" G_GSIZE_FORMAT, max_body);
  f->r = td_test_receiver_start (f->db, 0, "--max-body", limit, NULL);

  /* Over the limit, under twice it: the body is read and thrown away,
   * and the answer read. */
  set_part (&big->pdf, padding, max_body + max_body / 2);
  /* Five times: refused before the body. */
  set_part (&huge->pdf, padding, 5 * max_body);

  assert_too_large (session, f->r, f->token, big, 0, FALSE);
  assert_too_large (session, f->r, f->token, huge, SEND_EXPECT_CONTINUE, FALSE);
  assert_too_large (session, f->r, f->token, big, SEND_CHUNKED, FALSE);
  assert_too_large (session, f->r, f->token, huge, 0, TRUE);
  assert_too_large (session, f->r, f->token, huge, SEND_CHUNKED, TRUE);
  {
    /* 10 GB announced: answered at once. */
    g_autofree char *request = g_strdup_printf ("POST /submissions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                "Authorization: Bearer %s\r\nContent-Length: 10000000000\r\n\r\n"
                                                "--boundary\r\n", f->token);
    g_autofree char *answer = raw_exchange (f->r->port, request, strlen (request));

    g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 413"));
    g_assert_nonnull (strstr (answer, "\"too-large\""));
  }

  /* What fits still goes in, "100 Continue" and all. */
  {
    g_auto(Response) response = post_with (session, f->r, f->token, u, SEND_EXPECT_CONTINUE);

    assert_stored (&response, SOUP_STATUS_CREATED, u);
  }
  assert_alive (f->r);
}

static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  g_auto(Response) first = { 0, };
  g_auto(Response) receipt = { 0, };

  f->r = td_test_receiver_start (f->db, 0, NULL);
  first = post (f->r, f->token, f->u, 0);
  assert_stored (&first, SOUP_STATUS_CREATED, f->u);
  td_test_receiver_stop (f->r);

  f->r = td_test_receiver_start (f->db, 0, NULL);
  assert_already_stored (f->r, f->token, f->u, &first);
  receipt = get_receipt (f->r, f->token, f->u->key);
  assert_status (&receipt, SOUP_STATUS_OK, "stored");
  g_assert_cmpstr (body_string (&receipt, "receipt"), ==, body_string (&first, "receipt"));
}

typedef struct
{
  guint     pending;
  Response  responses[2];
} Race;

static void
race_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Race *race = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  Response *response = g_object_get_data (G_OBJECT (msg), "response");
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &response->error);

  if (bytes)
    read_response (msg, bytes, response);
  race->pending--;
}

/* The same revision twice at once: stored once. */
static void
test_race (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(SoupSession) session = new_session ();
  Race race = { 2, };
  Response *created, *already;

  f->r = td_test_receiver_start (f->db, 0, NULL);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SoupMessage) msg = upload_message (f->r, f->token, f->u, 0);

      g_object_set_data (G_OBJECT (msg), "response", &race.responses[i]);
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, race_cb, &race);
    }
  while (race.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  created = race.responses[0].status == SOUP_STATUS_CREATED ? &race.responses[0] : &race.responses[1];
  already = created == &race.responses[0] ? &race.responses[1] : &race.responses[0];
  assert_stored (created, SOUP_STATUS_CREATED, f->u);
  assert_stored (already, SOUP_STATUS_OK, f->u);
  g_assert_cmpstr (body_string (created, "receipt"), ==, body_string (already, "receipt"));
  response_clear (&race.responses[0]);
  response_clear (&race.responses[1]);
  g_clear_pointer (&f->r, td_test_receiver_stop);

  g_assert_cmpuint (count_listed (f->db), ==, 2);
}

/* Its database locked by someone else: 503, to be retried. */
static void
test_busy (Fixture       *f,
           gconstpointer  data)
{
  g_auto(Response) busy = { 0, };
  g_auto(Response) stored = { 0, };
  sqlite3 *other = NULL;

  f->r = td_test_receiver_start (f->db, 0, "--busy-timeout", "100", NULL);
  g_assert_cmpint (sqlite3_open (f->db, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);

  busy = post (f->r, f->token, f->u, 0);
  assert_status (&busy, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy");
  g_assert_nonnull (busy.retry_after);

  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  stored = post (f->r, f->token, f->u, 0);
  assert_stored (&stored, SOUP_STATUS_CREATED, f->u);
}

/* What the client's tests use: 503 first, an answer lost, a slow one. */
static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  const char *token = f->token;
  TdTestUpload *u = f->u;
  g_autoptr(TdTestUpload) v = upload_sign (f->signer);
  g_autoptr(TdTestUpload) w = upload_sign (f->signer);

  f->r = td_test_receiver_start (f->db, 0, "--test-fail-first", "1", NULL);
  {
    g_auto(Response) failed = post (f->r, token, u, 0);
    g_auto(Response) stored = post (f->r, token, u, 0);

    assert_status (&failed, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy");
    assert_stored (&stored, SOUP_STATUS_CREATED, u);
  }
  td_test_receiver_stop (f->r);

  /* Stored, but the answer never came: the retry is told so. */
  f->r = td_test_receiver_start (f->db, 0, "--test-drop-first", "1", NULL);
  {
    g_auto(Response) dropped = post (f->r, token, v, 0);
    g_auto(Response) receipt = get_receipt (f->r, token, v->key);
    g_auto(Response) again = post (f->r, token, v, 0);

    g_assert_nonnull (dropped.error);
    assert_status (&receipt, SOUP_STATUS_OK, "stored");
    assert_stored (&again, SOUP_STATUS_OK, v);
    g_assert_cmpstr (body_string (&again, "receipt"), ==, body_string (&receipt, "receipt"));
  }
  td_test_receiver_stop (f->r);

  /* Slower than the client waits. */
  f->r = td_test_receiver_start (f->db, 0, "--test-delay", "2500", NULL);
  {
    g_autoptr(SoupSession) impatient = new_session ();
    g_auto(Response) timed_out = { 0, };
    g_auto(Response) again = { 0, };

    soup_session_set_timeout (impatient, 1);
    timed_out = post_with (impatient, f->r, token, w, 0);
    g_assert_error (timed_out.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    again = post (f->r, token, w, 0);
    assert_stored (&again, SOUP_STATUS_OK, w);
  }
}

/* The mail td-mail.c builds for @u, written to @path. */
static void
write_mail (TdTestUpload     *u,
            const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) signed_at = g_date_time_new_from_iso8601 ("2026-11-25T09:30:00Z", NULL);
  TdMailSubmission submission = {
    .school_name = SCHOOL_A,
    .from = "office@school.test",
    .recipient = "rsj@province.test",
    .revision_uuid = u->key,
    .revision_number = 1,
    .signer = "王建国",
    .signed_at = signed_at,
    .date = signed_at,
    .pdf = u->pdf,
    .json = u->form,
    .signature = u->signature,
    .fingerprint = "0000 0000 0000 0000 0000 0000 0000 0000",
  };
  g_autoptr(GBytes) message = td_mail_build_message (&submission, &error);

  g_assert_no_error (error);
  g_file_set_contents (path, g_bytes_get_data (message, NULL), (gssize)g_bytes_get_size (message), &error);
  g_assert_no_error (error);
}

/* Mailed submissions from a Maildir (issue 10): verified and stored like
 * uploads, the key bound, a forged one refused with its reason in --list,
 * the same revision by mail and by upload stored once, --reset-key. */
static void
test_import_mail (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *maildir = td_test_unique_path (tmp_dir, "Maildir");
  g_autofree char *new_dir = g_build_filename (maildir, "new", NULL);
  g_autofree char *cur_dir = g_build_filename (maildir, "cur", NULL);
  g_autofree char *genuine = g_build_filename (new_dir, "1.eml", NULL);
  g_autofree char *forged = g_build_filename (cur_dir, "2.eml", NULL);
  g_autofree char *stray = td_test_unique_path (tmp_dir, "stray.eml");
  g_autoptr(TdTestUpload) crafted = upload_craft (f->signer->form, "shandong-2020", "王建国");
  g_autofree char *imported = NULL, *listed = NULL, *again = NULL, *after_reset = NULL, *refused = NULL;
  g_auto(Response) uploaded = { 0, };

  g_assert_cmpint (g_mkdir_with_parents (new_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (cur_dir, 0700), ==, 0);
  write_mail (f->u, genuine);
  write_mail (crafted, forged);
  g_assert_true (g_file_set_contents (stray, "From: x@y\r\n\r\nhello\r\n", -1, NULL));

  /* new/ before cur/: the genuine one enrols the school's key, the forged
   * one (the same school, the same form, another key) is refused. */
  imported = td_test_receiver_run (f->db, "--import-mail", maildir, NULL);
  g_assert_nonnull (strstr (imported, "1.eml\tstored\t"));
  g_assert_nonnull (strstr (imported, "2.eml\tkey-mismatch\t"));
  g_free (td_test_receiver_run (f->db, "--import-mail", stray, NULL));

  listed = td_test_receiver_run (f->db, "--list", NULL);
  g_assert_cmpuint (count_listed (f->db), ==, 2);
  g_assert_nonnull (strstr (listed, f->u->key));
  refused = g_strdup (strstr (listed, "# refused messages"));
  g_assert_nonnull (refused);
  g_assert_nonnull (strstr (refused, "2.eml"));
  g_assert_nonnull (strstr (refused, crafted->key));
  g_assert_nonnull (strstr (refused, "\tkey-mismatch\t"));
  g_assert_nonnull (strstr (refused, "密钥指纹"));
  g_assert_nonnull (strstr (refused, "stray.eml"));
  g_assert_nonnull (strstr (strstr (listed, "# schools"), "\tmail\t1"));

  /* The same revision by upload: stored once. */
  f->r = td_test_receiver_start (f->db, 0, NULL);
  uploaded = post (f->r, f->token, f->u, 0);
  assert_stored (&uploaded, SOUP_STATUS_OK, f->u);
  g_clear_pointer (&f->r, td_test_receiver_stop);

  /* Again: nothing new. */
  again = td_test_receiver_run (f->db, "--import-mail", maildir, NULL);
  g_assert_nonnull (strstr (again, "1.eml\talready-stored\t"));
  g_assert_nonnull (strstr (again, "2.eml\tkey-mismatch\t"));

  /* The school reinstalled: the province resets its key, the next one is
   * taken and bound. */
  g_free (td_test_receiver_run (f->db, "--reset-key", SCHOOL_A, NULL));
  after_reset = td_test_receiver_run (f->db, "--import-mail", forged, NULL);
  g_assert_nonnull (strstr (after_reset, "2.eml\tstored\t"));
  g_assert_cmpuint (count_listed (f->db), ==, 3);
}

/* A form naming another school than its token's: refused (issue 10). */
static void
test_wrong_school (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *other = td_test_receiver_add_school (f->db, SCHOOL_B);
  g_auto(Response) response = { 0, };

  f->r = td_test_receiver_start (f->db, 0, NULL);
  response = post (f->r, other, f->u, 0);
  assert_status (&response, SOUP_STATUS_CONFLICT, "wrong-school");
  g_assert_nonnull (strstr (body_string (&response, "message_zh"), SCHOOL_B));
  g_clear_pointer (&f->r, td_test_receiver_stop);
  g_assert_cmpuint (count_listed (f->db), ==, 1);
}

/* --add-school NAME --key KEY (issue 10): the canonical key is bound and
 * shown by its fingerprint; anything else refused with a message; a
 * submission signed by another key then refused 409 key-mismatch. */
static void
add_school_with_key (const char *db,
                     const char *key,
                     int         expected_status,
                     char      **out,
                     char      **err)
{
  g_autofree char *key_arg = g_strdup_printf ("--key=%s", key);
  g_autofree char *db_arg = g_strdup_printf ("--database=%s", db);
  const char *argv[] = { g_getenv ("TD_TEST_RECEIVER"), db_arg, "--add-school", SCHOOL_A, key_arg, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_test_message ("--key %s", key);
  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, expected_status);
}

static void
test_add_school_key (Fixture       *f,
                     gconstpointer  data)
{
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  g_autofree char *other = NULL, *listed = NULL, *fingerprint = NULL, *token = NULL;
  g_autofree char *non_canonical = NULL, *short_key = NULL, *unpadded = NULL;
  g_autofree char *own_token = NULL, *own_key = signature_member (f->u, "public_key");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GBytes) pk_bytes = NULL;
  g_auto(Response) refused = { 0, };
  g_auto(Response) taken = { 0, };

  g_assert_true (td_sodium_init (NULL));
  crypto_sign_keypair (pk, sk);
  other = g_base64_encode (pk, sizeof pk);
  pk_bytes = g_bytes_new (pk, sizeof pk);
  fingerprint = td_signing_key_fingerprint (pk_bytes);

  /* Refused: without its padding; with the unused low bits of its last
   * character set (decodes alike, not canonical); 16 bytes; not base64. */
  unpadded = g_strndup (other, 43);
  non_canonical = g_strdup (other);
  non_canonical[42] = non_canonical[42] == 'A' ? 'B' : (non_canonical[42] == 'Q' ? 'R' : 'z');
  g_assert_cmpstr (non_canonical, !=, other);
  short_key = g_base64_encode (pk, 16);
  {
    const char *bad[] = { unpadded, non_canonical, short_key, "not base64 at all!" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        add_school_with_key (f->db, bad[i], 2, &out, &err);
        g_assert_nonnull (strstr (err, "--key needs an Ed25519 public key, 32 bytes in base64"));
        g_assert_cmpstr (out, ==, "");
        g_clear_pointer (&out, g_free);
        g_clear_pointer (&err, g_free);
      }
  }
  /* Nothing changed: no key bound. */
  listed = td_test_receiver_run (f->db, "--list", NULL);
  g_assert_nonnull (strstr (listed, "\t(none yet)\t"));
  g_clear_pointer (&listed, g_free);

  /* The canonical key: bound, shown by its fingerprint. */
  add_school_with_key (f->db, other, 0, &out, &err);
  token = g_strstrip (g_strdup (out));
  g_assert_cmpuint (strlen (token), ==, 64);
  g_assert_nonnull (strstr (err, fingerprint));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  listed = td_test_receiver_run (f->db, "--list", NULL);
  {
    g_autofree char *row = g_strdup_printf ("%s\t%s\t", SCHOOL_A, fingerprint);

    g_assert_nonnull (strstr (listed, row));
    g_assert_nonnull (strstr (listed, "\tprovince\t"));
  }

  /* The school's own key is not the one bound: 409 key-mismatch, nothing
   * stored. */
  f->r = td_test_receiver_start (f->db, 0, NULL);
  refused = post (f->r, token, f->u, 0);
  assert_status (&refused, 409, "key-mismatch");
  g_clear_pointer (&f->r, td_test_receiver_stop);
  g_assert_cmpuint (count_listed (f->db), ==, 1);

  /* Bound to its own key: taken. */
  add_school_with_key (f->db, own_key, 0, &out, &err);
  own_token = g_strstrip (g_strdup (out));
  f->r = td_test_receiver_start (f->db, 0, NULL);
  taken = post (f->r, own_token, f->u, 0);
  assert_stored (&taken, SOUP_STATUS_CREATED, f->u);
}

/* The schema of the first receiver (issue 6), as it was (git show
 * 1878347:receiver/td-receiver-schema.sql, comments left out). */
static const char schema_1_sql[] =
  "CREATE TABLE IF NOT EXISTS school (\n"
  "  id          INTEGER PRIMARY KEY,\n"
  "  name        TEXT NOT NULL UNIQUE,\n"
  "  token_sha256 TEXT NOT NULL UNIQUE,\n"
  "  created_at  TEXT NOT NULL\n"
  ");\n"
  "CREATE TABLE IF NOT EXISTS submission (\n"
  "  id               INTEGER PRIMARY KEY,\n"
  "  uuid             TEXT NOT NULL UNIQUE,\n"
  "  school_id        INTEGER NOT NULL REFERENCES school (id),\n"
  "  campaign         TEXT NOT NULL,\n"
  "  number           INTEGER NOT NULL,\n"
  "  signer           TEXT NOT NULL,\n"
  "  signed_at        TEXT NOT NULL,\n"
  "  form_json        BLOB NOT NULL,\n"
  "  pdf              BLOB NOT NULL,\n"
  "  signature_json   BLOB NOT NULL,\n"
  "  form_sha256      TEXT NOT NULL,\n"
  "  pdf_sha256       TEXT NOT NULL,\n"
  "  signature_sha256 TEXT NOT NULL,\n"
  "  public_key       TEXT NOT NULL,\n"
  "  receipt          TEXT NOT NULL UNIQUE,\n"
  "  received_at      TEXT NOT NULL\n"
  ");\n"
  "CREATE INDEX IF NOT EXISTS submission_by_school ON submission (school_id, campaign, signed_at);\n"
  "CREATE TRIGGER IF NOT EXISTS submission_frozen\n"
  "BEFORE UPDATE ON submission\n"
  "BEGIN\n"
  "  SELECT RAISE (ABORT, 'a stored submission does not change');\n"
  "END;\n"
  "CREATE TRIGGER IF NOT EXISTS submission_kept\n"
  "BEFORE DELETE ON submission\n"
  "BEGIN\n"
  "  SELECT RAISE (ABORT, 'a stored submission is not deleted');\n"
  "END;\n"
  "PRAGMA user_version = 1;\n";

/* A database of schema 1, with a school and a submission, opened by this
 * receiver: brought to the current schema in place, nothing lost. */
static void
test_upgrade (void)
{
  g_autofree char *db = td_test_unique_path (tmp_dir, "receiver-schema-1.db");
  g_autofree char *listed = NULL, *token = NULL;
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  static const char uuid[] = "0193a7c2-0000-7000-8000-000000000001";

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, schema_1_sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle,
                                 "INSERT INTO school (id, name, token_sha256, created_at) VALUES "
                                 "(1, '" SCHOOL_A "', 'aaaa', '2026-11-01T08:00:00Z');"
                                 "INSERT INTO submission (id, uuid, school_id, campaign, number, signer, signed_at, "
                                 "form_json, pdf, signature_json, form_sha256, pdf_sha256, signature_sha256, "
                                 "public_key, receipt, received_at) VALUES (1, '0193a7c2-0000-7000-8000-000000000001', "
                                 "1, 'shandong-2020', 1, '王建国', '2026-11-25T09:30:00Z', x'7b7d', x'255044462d', "
                                 "x'7b7d', 'f', 'p', 's', 'key', 'R-000001', '2026-11-25T09:31:00Z');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);

  listed = td_test_receiver_run (db, "--list", NULL);
  g_test_message ("%s", listed);
  g_assert_nonnull (strstr (listed, uuid));
  g_assert_nonnull (strstr (listed, "R-000001\t2026-11-25T09:31:00Z\t" SCHOOL_A "\tshandong-2020\t1\t王建国"));
  g_assert_nonnull (strstr (strstr (listed, "# schools"), SCHOOL_A "\t(none yet)\t-\t-\t1"));

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 3);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT channel, public_key FROM submission WHERE uuid = ?1 "
                                       "AND (SELECT count(*) FROM refused_message) = 0 "
                                       "AND (SELECT count(*) FROM imap_message) = 0", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, "upload");
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 1), ==, "key");
  sqlite3_finalize (stmt);
  sqlite3_close (handle);

  /* And it works on: a school added beside the old one. */
  token = td_test_receiver_add_school (db, SCHOOL_B);
  g_assert_cmpuint (strlen (token), ==, 64);
}

static void
test_catalogue (void)
{
  g_autofree char *db = td_test_unique_path (tmp_dir, "receiver.db");
  g_autofree char *csv = td_test_unique_path (tmp_dir, "catalogue.csv");
  g_autofree char *xlsx = td_test_unique_path (tmp_dir, "catalogue.xlsx");
  g_autofree char *empty = td_test_unique_path (tmp_dir, "empty.csv");
  g_autofree char *token_a = td_test_receiver_add_school (db, SCHOOL_A);
  g_autofree char *token_b = td_test_receiver_add_school (db, SCHOOL_B);
  g_autofree char *token_c = td_test_receiver_add_school (db, "尚未提交的学校");
  g_autoptr(Signer) a = signer_new (SCHOOL_A);
  g_autoptr(Signer) b = signer_new (SCHOOL_B);
  g_autoptr(TdTestUpload) a1 = upload_sign (a);
  g_autoptr(TdTestUpload) b1 = upload_sign (b);
  g_autoptr(TdTestUpload) a2 = NULL;
  g_autofree char *a_fields = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTable) table = NULL;
  g_autoptr(TdTable) sheet = NULL;
  g_autoptr(TdForm) b_form = NULL;
  g_auto(GStrv) b_row = NULL;
  const char * const *headers = td_form_catalogue_headers ();
  TdTestReceiver *r;

  td_form_set (a->form, TD_FORM_CONTACT_NAME, "李老师");
  a2 = upload_sign (a);
  a_fields = g_strdup (td_form_get (a->form, TD_FORM_FIELDS));

  r = td_test_receiver_start (db, 0, NULL);
  {
    g_auto(Response) r1 = post (r, token_a, a1, 0);
    g_auto(Response) r2 = post (r, token_b, b1, 0);
    g_auto(Response) r3 = post (r, token_a, a2, 0);

    assert_stored (&r1, SOUP_STATUS_CREATED, a1);
    assert_stored (&r2, SOUP_STATUS_CREATED, b1);
    assert_stored (&r3, SOUP_STATUS_CREATED, a2);
  }
  /* Exported while it runs. */
  g_free (td_test_receiver_run (db, "--export-catalogue", csv, NULL));
  td_test_receiver_stop (r);
  g_free (td_test_receiver_run (db, "--export-catalogue", xlsx, NULL));
  g_free (td_test_receiver_run (db, "--export-catalogue", empty, "--campaign", "shandong-2099", NULL));

  /* One row a school that sent something, its latest revision, the form's
   * printed order. */
  table = td_csv_read_file (csv, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (td_table_get_n_rows (table), ==, 3);
  for (guint c = 0; c < TD_FORM_CATALOGUE_N_COLUMNS; c++)
    g_assert_cmpstr (td_table_get_cell (table, 0, c), ==, headers[c]);
  g_assert_cmpstr (td_table_get_cell (table, 1, 0), ==, SCHOOL_A);
  g_assert_cmpstr (td_table_get_cell (table, 1, 4), ==, "李老师");
  g_assert_cmpstr (td_table_get_cell (table, 1, 7), ==, a_fields);
  g_assert_cmpstr (td_table_get_cell (table, 2, 0), ==, SCHOOL_B);
  b_form = td_form_new_from_json (g_bytes_get_data (b1->form, NULL), (gssize)g_bytes_get_size (b1->form), &error);
  g_assert_no_error (error);
  b_row = td_form_catalogue_row (b_form);
  for (guint c = 0; c < TD_FORM_CATALOGUE_N_COLUMNS; c++)
    g_assert_cmpstr (td_table_get_cell (table, 2, c), ==, b_row[c]);

  sheet = td_xlsx_read (xlsx, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (td_table_get_n_rows (sheet), ==, 3);
  for (guint row = 0; row < 3; row++)
    for (guint c = 0; c < TD_FORM_CATALOGUE_N_COLUMNS; c++)
      g_assert_cmpstr (td_table_get_cell (sheet, row, c), ==, td_table_get_cell (table, row, c));

  g_clear_pointer (&table, td_table_free);
  table = td_csv_read_file (empty, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (td_table_get_n_rows (table), ==, 1);

  g_assert_cmpuint (count_listed (db), ==, 4);
  (void)token_c;
}

/* HTTPS with a certificate the test makes; the client trusts it alone. */
static void
test_https (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) trusted = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupSession) untrusting = NULL;

  if (openssl == NULL)
    {
      g_test_skip ("no openssl to make a certificate");
      return;
    }
  td_test_make_certificate (tmp_dir, &cert, &key);
  f->r = td_test_receiver_start (f->db, 0, "--tls-certificate", cert, "--tls-key", key, NULL);
  g_assert_true (g_str_has_prefix (f->r->url, "https://127.0.0.1:"));

  trusted = g_tls_file_database_new (cert, &error);
  g_assert_no_error (error);
  session = new_session ();
  soup_session_set_tls_database (session, trusted);
  {
    g_auto(Response) stored = post_with (session, f->r, f->token, f->u, 0);
    g_auto(Response) again = post_with (session, f->r, f->token, f->u, 0);

    assert_stored (&stored, SOUP_STATUS_CREATED, f->u);
    assert_stored (&again, SOUP_STATUS_OK, f->u);
  }

  /* Not trusted by the system's certificates. */
  untrusting = new_session ();
  {
    g_auto(Response) refused = post_with (untrusting, f->r, f->token, f->u, 0);

    g_assert_error (refused.error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  }
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

  tmp_dir = td_test_servers_init (&argc, &argv, "test-receiver");
  campaign = td_campaign_get_builtin ();

  g_test_add_func ("/receiver/service", test_service);
  add_case ("/receiver/stored-then-already", test_stored_then_already);
  add_case ("/receiver/conflict", test_conflict);
  add_case ("/receiver/import-mail", test_import_mail);
  add_case ("/receiver/wrong-school", test_wrong_school);
  add_case ("/receiver/add-school-key", test_add_school_key);
  g_test_add_func ("/receiver/upgrade", test_upgrade);
  add_case ("/receiver/unauthorized", test_unauthorized);
  add_case ("/receiver/malformed", test_malformed);
  add_case ("/receiver/unverified", test_unverified);
  g_test_add_func ("/receiver/garbage", test_garbage);
  g_test_add_func ("/receiver/idle", test_idle);
  add_case ("/receiver/mutations", test_mutations);
  add_case ("/receiver/too-large", test_too_large);
  add_case ("/receiver/restart", test_restart);
  add_case ("/receiver/race", test_race);
  add_case ("/receiver/busy", test_busy);
  add_case ("/receiver/faults", test_faults);
  g_test_add_func ("/receiver/catalogue", test_catalogue);
  add_case ("/receiver/https", test_https);

  status = g_test_run ();

  g_object_unref (campaign);
  return td_test_servers_finish (status, g_steal_pointer (&tmp_dir));
}
