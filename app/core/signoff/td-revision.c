/* td-revision.c: revisions of the intent form, signed ones frozen and verifiable
 *
 * A revision row holds the canonical form JSON, the PDF, their SHA-256,
 * the signer, the time, the Ed25519 signature over the sign-off statement
 * and the public key (docs/signing.md). Once signed the row is read-only —
 * triggers refuse changes to it (sql/0002-sign-off.sql) — and it is checked
 * again on open and before sending: a row altered in the file, even with
 * the triggers dropped, no longer verifies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-revision"

#include "config.h"

#include <stdlib.h>
#include <sys/mman.h>

#include <glib/gi18n-lib.h>
#include <nettle/sha2.h>
#include <sodium.h>

#include "td-canonical-json.h"
#include "td-form-json.h"
#include "td-record-kind.h"
#include "td-revision-private.h"
#include "td-signing-key.h"
#include "td-store-private.h"
#include "td-store-read.h"

struct _TdRevision
{
  GObject          parent_instance;

  gint64           id;
  char            *uuid;
  char            *campaign;
  gint64           number;
  TdRevisionState  state;
  GBytes          *form_json;
  GBytes          *pdf;
  char            *form_sha256;
  char            *pdf_sha256;
  /* The SHA-256 of @pdf, taken as it was read (td_revision_load()), or NULL. */
  char            *pdf_read_sha256;
  /* Loaded for sending (td_revision_load_for_sending()): @pdf is NULL, the
   * PDF left in revision_pdf's row @pdf_id, read by td_revision_open_pdf(). */
  gint64           pdf_id;
  char            *signer;
  GDateTime       *signed_at;
  GBytes          *signature;
  GBytes          *public_key;
  GDateTime       *created_at;
};

G_DEFINE_FINAL_TYPE (TdRevision, td_revision, G_TYPE_OBJECT)

static void
td_revision_finalize (GObject *object)
{
  TdRevision *self = TD_REVISION (object);

  g_free (self->uuid);
  g_free (self->campaign);
  g_clear_pointer (&self->form_json, g_bytes_unref);
  g_clear_pointer (&self->pdf, g_bytes_unref);
  g_free (self->form_sha256);
  g_free (self->pdf_sha256);
  g_free (self->pdf_read_sha256);
  g_free (self->signer);
  g_clear_pointer (&self->signed_at, g_date_time_unref);
  g_clear_pointer (&self->signature, g_bytes_unref);
  g_clear_pointer (&self->public_key, g_bytes_unref);
  g_clear_pointer (&self->created_at, g_date_time_unref);

  G_OBJECT_CLASS (td_revision_parent_class)->finalize (object);
}

static void
td_revision_class_init (TdRevisionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_revision_finalize;
}

static void
td_revision_init (TdRevision *self)
{
}

static const char * const state_names[] = { "draft", "signed", "sent", "delivered" };

const char *
td_revision_state_to_string (TdRevisionState state)
{
  g_return_val_if_fail (state <= TD_REVISION_DELIVERED, NULL);
  return state_names[state];
}

static TdRevisionState
td_revision_state_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_strcmp0 (text, state_names[i]) == 0)
      return (TdRevisionState)i;
  return TD_REVISION_DRAFT;
}

const char *
td_revision_state_label (TdRevisionState state)
{
  switch (state)
    {
    case TD_REVISION_DRAFT: return _("Draft");
    case TD_REVISION_SIGNED: return _("Signed");
    case TD_REVISION_SENT: return _("Sent");
    case TD_REVISION_DELIVERED: return _("Delivered");
    default: g_return_val_if_reached (NULL);
    }
}

static GBytes *
td_revision_column_bytes (sqlite3_stmt *stmt,
                          int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_bytes_new (sqlite3_column_blob (stmt, column), (gsize)sqlite3_column_bytes (stmt, column));
}

static char *
td_revision_column_text (sqlite3_stmt *stmt,
                         int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

static GDateTime *
td_revision_column_time (sqlite3_stmt *stmt,
                         int           column)
{
  const char *text = (const char *)sqlite3_column_text (stmt, column);

  return text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

/* The PDF is a table of its own (sql/0004-revision-pdf.sql). */
#define SELECT_REVISION \
  "SELECT r.id, r.uuid, r.campaign, r.number, r.state, CAST (r.form_json AS BLOB), p.id, r.json_sha256, " \
  "  r.pdf_sha256, r.signer, r.signed_at, r.signature, r.public_key, r.created_at " \
  "FROM form_revision r LEFT JOIN revision_pdf p ON p.revision_id = r.id "

/* What the PDF is read in: pieces hashed while they are still in the
 * CPU's cache. */
#define TD_REVISION_PDF_PIECE (1024 * 1024)

/* Memory for a PDF of @size bytes, to be freed with free(). A large one in
 * the kernel's 2 MiB pages where it allows them on request (Debian's
 * default): a fresh 20 MiB buffer otherwise takes 5,120 page faults, a
 * sixth of --sync's CPU time (issue 17). */
#define TD_REVISION_HUGE_PAGE (2 * 1024 * 1024)

static guint8 *
td_revision_alloc_pdf (gsize size)
{
  void *data = NULL;

#ifdef MADV_HUGEPAGE
  if (size >= TD_REVISION_HUGE_PAGE && posix_memalign (&data, TD_REVISION_HUGE_PAGE, size) == 0)
    {
      madvise (data, size, MADV_HUGEPAGE);
      return data;
    }
#endif
  data = malloc (size > 0 ? size : 1);
  if (data == NULL)
    g_error ("%s: failed to allocate %" G_GSIZE_FORMAT " bytes", G_STRLOC, size);
  return data;
}

/* The PDF of revision_pdf's row @id, read once into memory of its own: a
 * column's value would be assembled from the overflow pages by SQLite and
 * then copied again (for 20 MiB, two copies and their page faults were a
 * quarter of --sync's CPU time: issue 17). With @sha256, hashed as it is
 * read, so that verifying it before a send takes no second pass over it. */
static int
td_revision_read_pdf (sqlite3  *db,
                      gint64    id,
                      GBytes  **pdf,
                      char    **sha256)
{
  sqlite3_blob *blob = NULL;
  struct sha256_ctx ctx;
  guint8 *data;
  int rc, size;

  rc = sqlite3_blob_open (db, "main", "revision_pdf", "pdf", id, 0, &blob);
  if (rc != SQLITE_OK)
    {
      sqlite3_blob_close (blob);
      return rc;
    }
  size = sqlite3_blob_bytes (blob);
  data = td_revision_alloc_pdf (size > 0 ? (gsize)size : 0);
  sha256_init (&ctx);
  rc = SQLITE_OK;
  for (int offset = 0; offset < size && rc == SQLITE_OK; offset += TD_REVISION_PDF_PIECE)
    {
      int piece = MIN (TD_REVISION_PDF_PIECE, size - offset);

      rc = sqlite3_blob_read (blob, data + offset, piece, offset);
      if (rc == SQLITE_OK && sha256 != NULL)
        sha256_update (&ctx, (size_t)piece, data + offset);
    }
  sqlite3_blob_close (blob);
  if (rc != SQLITE_OK)
    {
      free (data);
      return rc;
    }
  *pdf = g_bytes_new_with_free_func (data, (gsize)MAX (size, 0), free, data);
  if (sha256 != NULL)
    *sha256 = td_revision_sha256_digest_hex (&ctx);
  return SQLITE_OK;
}

static TdRevision *
td_revision_revision_from_row (sqlite3_stmt *stmt)
{
  TdRevision *self = g_object_new (TD_TYPE_REVISION, NULL);

  self->id = sqlite3_column_int64 (stmt, 0);
  self->uuid = td_revision_column_text (stmt, 1);
  self->campaign = td_revision_column_text (stmt, 2);
  self->number = sqlite3_column_int64 (stmt, 3);
  self->state = td_revision_state_from_string ((const char *)sqlite3_column_text (stmt, 4));
  self->form_json = td_revision_column_bytes (stmt, 5);
  if (self->form_json == NULL)
    self->form_json = g_bytes_new (NULL, 0);
  self->form_sha256 = td_revision_column_text (stmt, 7);
  self->pdf_sha256 = td_revision_column_text (stmt, 8);
  self->signer = td_revision_column_text (stmt, 9);
  self->signed_at = td_revision_column_time (stmt, 10);
  self->signature = td_revision_column_bytes (stmt, 11);
  self->public_key = td_revision_column_bytes (stmt, 12);
  self->created_at = td_revision_column_time (stmt, 13);
  return self;
}

static gboolean td_revision_fail_verification (TdRevision  *self,
                                               GError     **error,
                                               const char  *what);

/* What is done with each revision's PDF as it is loaded. */
typedef enum
{
  TD_REVISION_PDF_READ,         /* read into memory */
  TD_REVISION_PDF_READ_HASHED,  /* read, and hashed as it is read */
  TD_REVISION_PDF_LEFT,         /* left in the database, its row noted */
} TdRevisionPdfMode;

/* Binds @text to ?1 when the SQL is about a text (a campaign, which may be
 * NULL), else @number. */
static GPtrArray *
td_revision_query_revisions (TdStore           *store,
                             const char        *sql,
                             gboolean           by_text,
                             const char        *text,
                             gint64             number,
                             TdRevisionPdfMode  pdf_mode,
                             GError           **error)
{
  g_autoptr(GPtrArray) revisions = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (td_store_get_db (store), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  if (by_text)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, number);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdRevision *revision = td_revision_revision_from_row (stmt);

      g_ptr_array_add (revisions, revision);
      if (sqlite3_column_type (stmt, 6) == SQLITE_NULL)
        continue;
      if (pdf_mode == TD_REVISION_PDF_LEFT)
        revision->pdf_id = sqlite3_column_int64 (stmt, 6);
      else if ((rc = td_revision_read_pdf (td_store_get_db (store), sqlite3_column_int64 (stmt, 6), &revision->pdf,
                                           pdf_mode == TD_REVISION_PDF_READ_HASHED ? &revision->pdf_read_sha256
                                                                                   : NULL)) != SQLITE_OK)
        break;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&revisions);
}

static TdRevision *
td_revision_query_one (TdStore           *store,
                       const char        *sql,
                       gboolean           by_text,
                       const char        *text,
                       gint64             number,
                       TdRevisionPdfMode  pdf_mode,
                       GError           **error)
{
  g_autoptr(GPtrArray) revisions = td_revision_query_revisions (store, sql, by_text, text, number, pdf_mode,
                                                                error);

  if (revisions == NULL)
    return NULL;
  if (revisions->len == 0)
    {
      g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_FAILED,
                   _("The form’s revision was not found. It may have been removed."));
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (revisions, 0));
}

TdRevision *
td_revision_load (TdStore  *store,
                  gint64    id,
                  GError  **error)
{
  return td_revision_query_one (store, SELECT_REVISION "WHERE r.id = ?1", FALSE, NULL, id,
                                TD_REVISION_PDF_READ_HASHED, error);
}

/**
 * td_revision_load_for_sending:
 * @reader: a connection of the calling thread's own
 *
 * The revision without its PDF's bytes: they stay in the database until
 * td_revision_open_pdf() reads them, as they are sent. td_revision_verify()
 * then checks everything but the PDF's hash, which the stream checks when
 * it has read the PDF, before the last of it is served.
 */
TdRevision *
td_revision_load_for_sending (TdStore  *reader,
                              gint64    id,
                              GError  **error)
{
  return td_revision_query_one (reader, SELECT_REVISION "WHERE r.id = ?1", FALSE, NULL, id,
                                TD_REVISION_PDF_LEFT, error);
}

/**
 * td_revision_open_pdf:
 * @reader: the connection the revision was loaded with
 *   (td_revision_load_for_sending())
 *
 * Returns: (transfer full): a #TdRevisionPdfStream of the PDF, whose reads
 *   fail with %TD_SIGNOFF_ERROR_VERIFICATION before its end if it no longer
 *   matches the signed SHA-256; %NULL with @error set if it has no PDF or
 *   the row cannot be read
 */
GInputStream *
td_revision_open_pdf (TdRevision  *self,
                      TdStore     *reader,
                      GError     **error)
{
  g_return_val_if_fail (TD_IS_REVISION (self), NULL);

  if (self->pdf_id <= 0 || self->pdf_sha256 == NULL)
    {
      td_revision_fail_verification (self, error, _("part of what was signed is missing."));
      return NULL;
    }
  return td_revision_pdf_stream_new (reader, self->pdf_id, self->pdf_sha256, self->number, error);
}

TdRevision *
td_revision_load_by_uuid (TdStore     *store,
                          const char  *uuid,
                          GError     **error)
{
  return td_revision_query_one (store, SELECT_REVISION "WHERE r.uuid = ?1", TRUE, uuid, 0, TD_REVISION_PDF_READ,
                                error);
}

/**
 * td_revision_list:
 * @campaign: (nullable): only this campaign's, or all
 *
 * Returns: (transfer full) (element-type TdRevision): newest first
 */
GPtrArray *
td_revision_list (TdStore     *store,
                  const char  *campaign,
                  GError     **error)
{
  return td_revision_query_revisions (store,
                                      SELECT_REVISION "WHERE ?1 IS NULL OR r.campaign = ?1 "
                                      "ORDER BY r.campaign, r.number DESC",
                                      TRUE, campaign, 0, TD_REVISION_PDF_READ, error);
}

/* The newest revision of @campaign, or %NULL (and no error) when none. */
TdRevision *
td_revision_load_latest (TdStore     *store,
                         const char  *campaign,
                         GError     **error)
{
  g_autoptr(GPtrArray) revisions = td_revision_query_revisions (store,
                                                                SELECT_REVISION "WHERE r.campaign = ?1 "
                                                                "ORDER BY r.number DESC LIMIT 1",
                                                                TRUE, campaign, 0, TD_REVISION_PDF_READ, error);

  if (revisions == NULL || revisions->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (revisions, 0));
}

gint64
td_revision_next_number (TdStore    *store,
                         const char *campaign)
{
  sqlite3_stmt *stmt = td_store_prepare (store,
                                         "SELECT coalesce (max (number), 0) + 1 FROM form_revision "
                                         "WHERE campaign = ?",
                                         NULL);
  gint64 number = 1;

  if (stmt == NULL)
    return 1;
  sqlite3_bind_text (stmt, 1, campaign, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    number = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return number;
}

gint64 td_revision_get_id (TdRevision *self) { return self->id; }
const char *td_revision_get_uuid (TdRevision *self) { return self->uuid; }
const char *td_revision_get_campaign (TdRevision *self) { return self->campaign; }
gint64 td_revision_get_number (TdRevision *self) { return self->number; }
TdRevisionState td_revision_get_state (TdRevision *self) { return self->state; }
GBytes *td_revision_get_form_json (TdRevision *self) { return self->form_json; }
GBytes *td_revision_get_pdf (TdRevision *self) { return self->pdf; }
const char *td_revision_get_form_sha256 (TdRevision *self) { return self->form_sha256; }
const char *td_revision_get_pdf_sha256 (TdRevision *self) { return self->pdf_sha256; }
const char *td_revision_get_signer (TdRevision *self) { return self->signer; }
GDateTime *td_revision_get_signed_at (TdRevision *self) { return self->signed_at; }
GBytes *td_revision_get_signature (TdRevision *self) { return self->signature; }
GBytes *td_revision_get_public_key (TdRevision *self) { return self->public_key; }
GDateTime *td_revision_get_created_at (TdRevision *self) { return self->created_at; }

gboolean
td_revision_is_signed (TdRevision *self)
{
  return self->state != TD_REVISION_DRAFT;
}

TdForm *
td_revision_dup_form (TdRevision  *self,
                      GError     **error)
{
  gsize length;
  const char *json = g_bytes_get_data (self->form_json, &length);

  return td_form_new_from_json (json ? json : "", (gssize)length, error);
}

/* Hashing and the statement. */

/* nettle's SHA-256: with the CPU's SHA instructions, 20 MiB in 51–55 ms
 * where GLib's took 182–192 ms on a loaded machine (issue 17); a 20 MB PDF
 * is hashed before each send and at each check of the revisions. */
char *
td_revision_sha256_digest_hex (struct sha256_ctx *ctx)
{
  static const char digits[] = "0123456789abcdef";
  guint8 digest[SHA256_DIGEST_SIZE];
  char *hex = g_malloc (2 * SHA256_DIGEST_SIZE + 1);

  sha256_digest (ctx, sizeof digest, digest);
  for (guint i = 0; i < SHA256_DIGEST_SIZE; i++)
    {
      hex[2 * i] = digits[digest[i] >> 4];
      hex[2 * i + 1] = digits[digest[i] & 0xf];
    }
  hex[2 * SHA256_DIGEST_SIZE] = '\0';
  return hex;
}

char *
td_sha256_hex (const void *data,
               gsize       length)
{
  struct sha256_ctx ctx;

  sha256_init (&ctx);
  sha256_update (&ctx, length, data ? data : (const void *)"");
  return td_revision_sha256_digest_hex (&ctx);
}

char *
td_signoff_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static void
td_revision_add_member_string (JsonBuilder *builder,
                               const char  *name,
                               const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value ? value : "");
}

static JsonBuilder *
td_revision_statement_builder (const char *revision_uuid,
                               gint64      number,
                               const char *campaign,
                               const char *signer,
                               GDateTime  *signed_at,
                               const char *form_sha256,
                               const char *pdf_sha256)
{
  JsonBuilder *builder = json_builder_new_immutable ();
  g_autofree char *time = signed_at ? td_signoff_format_time (signed_at) : NULL;

  json_builder_begin_object (builder);
  td_revision_add_member_string (builder, "type", TD_SIGNOFF_STATEMENT_TYPE);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, TD_SIGNOFF_STATEMENT_VERSION);
  td_revision_add_member_string (builder, "revision", revision_uuid);
  json_builder_set_member_name (builder, "number");
  json_builder_add_int_value (builder, number);
  td_revision_add_member_string (builder, "campaign", campaign);
  td_revision_add_member_string (builder, "signer", signer);
  td_revision_add_member_string (builder, "signed_at", time);
  td_revision_add_member_string (builder, "form_sha256", form_sha256);
  td_revision_add_member_string (builder, "pdf_sha256", pdf_sha256);
  return builder;
}

/**
 * td_signoff_statement:
 *
 * Returns: (transfer full): the canonical JSON the signature is computed
 *   over (docs/signing.md)
 */
char *
td_signoff_statement (const char *revision_uuid,
                      gint64      number,
                      const char *campaign,
                      const char *signer,
                      GDateTime  *signed_at,
                      const char *form_sha256,
                      const char *pdf_sha256,
                      gsize      *length)
{
  g_autoptr(JsonBuilder) builder = td_revision_statement_builder (revision_uuid, number, campaign, signer,
                                                                  signed_at, form_sha256, pdf_sha256);
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  /* Strings and small integers only: canonicalising cannot fail. */
  return td_canonical_json_from_node (root, length, NULL);
}

char *
td_revision_dup_statement (TdRevision *self,
                           gsize      *length)
{
  return td_signoff_statement (self->uuid, self->number, self->campaign, self->signer,
                               self->signed_at, self->form_sha256, self->pdf_sha256, length);
}

/**
 * td_revision_dup_signature_json:
 *
 * Returns: (transfer full): signature.json, as sent to a receiver: the
 *   statement's members, the public key and the signature in base64
 */
char *
td_revision_dup_signature_json (TdRevision *self,
                                gsize      *length)
{
  g_autoptr(JsonBuilder) builder = td_revision_statement_builder (self->uuid, self->number, self->campaign,
                                                                  self->signer, self->signed_at,
                                                                  self->form_sha256, self->pdf_sha256);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *key = NULL, *signature = NULL;

  g_return_val_if_fail (td_revision_is_signed (self), NULL);

  key = g_base64_encode (g_bytes_get_data (self->public_key, NULL), g_bytes_get_size (self->public_key));
  signature = g_base64_encode (g_bytes_get_data (self->signature, NULL), g_bytes_get_size (self->signature));
  td_revision_add_member_string (builder, "public_key", key);
  td_revision_add_member_string (builder, "signature", signature);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return td_canonical_json_from_node (root, length, NULL);
}

gboolean
td_signoff_verify_statement (const char  *statement,
                             gsize        length,
                             GBytes      *signature,
                             GBytes      *public_key,
                             GError     **error)
{
  if (!td_sodium_init (error))
    return FALSE;
  if (signature == NULL || g_bytes_get_size (signature) != crypto_sign_BYTES ||
      public_key == NULL || g_bytes_get_size (public_key) != crypto_sign_PUBLICKEYBYTES ||
      crypto_sign_verify_detached (g_bytes_get_data (signature, NULL),
                                   (const unsigned char *)statement, length,
                                   g_bytes_get_data (public_key, NULL)) != 0)
    {
      g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_VERIFICATION,
                   _("The signature does not match what was signed."));
      return FALSE;
    }
  return TRUE;
}

static void
td_revision_set_verification_error (GError     **error,
                                    gint64       number,
                                    const char  *what)
{
  g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_VERIFICATION,
               /* Translators: %lld is the revision's number; the second %s says what failed */
               _("Revision %lld no longer matches its signature: %s It will not be sent. "
                 "Check the form and have the principal sign it off again."),
               (long long)number, what);
}

static gboolean
td_revision_fail_verification (TdRevision  *self,
                               GError     **error,
                               const char  *what)
{
  td_revision_set_verification_error (error, self->number, what);
  return FALSE;
}

/* The PDF read by a TdRevisionPdfStream did not match. */
void
td_revision_set_pdf_altered_error (GError **error,
                                   gint64   number)
{
  td_revision_set_verification_error (error, number, _("the PDF was altered (its SHA-256 differs)."));
}

/**
 * td_revision_verify:
 * @school_public_key: (nullable): the school's key, which must have signed;
 *   %NULL when the database has none, which fails the check
 *
 * Checks a signed revision as docs/signing.md says: the form is canonical
 * JSON, both hashes match, the statement verifies with the stored key, the
 * key is the school's, and the form names the same campaign and signer.
 */
gboolean
td_revision_verify (TdRevision  *self,
                    GBytes      *school_public_key,
                    GError     **error)
{
  gsize json_length, pdf_length = 0, statement_length;
  const char *json = g_bytes_get_data (self->form_json, &json_length);
  const void *pdf = self->pdf ? g_bytes_get_data (self->pdf, &pdf_length) : NULL;
  g_autofree char *json_hash = NULL, *pdf_hash = NULL, *statement = NULL;
  g_autoptr(TdForm) form = NULL;

  g_return_val_if_fail (TD_IS_REVISION (self), FALSE);

  if (!td_revision_is_signed (self))
    return TRUE;

  /* Loaded for sending, the PDF is checked as it is read (td_revision_open_pdf()). */
  if ((self->pdf == NULL && self->pdf_id <= 0) || self->signature == NULL || self->public_key == NULL ||
      self->signed_at == NULL || self->form_sha256 == NULL || self->pdf_sha256 == NULL)
    return td_revision_fail_verification (self, error, _("part of what was signed is missing."));

  if (json == NULL || !td_canonical_json_check (json, json_length, NULL))
    return td_revision_fail_verification (self, error, _("the form’s data was altered (it is no longer the document that was signed)."));

  json_hash = td_sha256_hex (json, json_length);
  if (g_strcmp0 (json_hash, self->form_sha256) != 0)
    return td_revision_fail_verification (self, error, _("the form’s data was altered (its SHA-256 differs)."));

  /* Taken as it was read, when it was (td_revision_read_pdf()). */
  if (self->pdf != NULL)
    {
      pdf_hash = self->pdf_read_sha256 ? g_strdup (self->pdf_read_sha256) : td_sha256_hex (pdf, pdf_length);
      if (g_strcmp0 (pdf_hash, self->pdf_sha256) != 0)
        {
          td_revision_set_pdf_altered_error (error, self->number);
          return FALSE;
        }
    }

  statement = td_revision_dup_statement (self, &statement_length);
  if (!td_signoff_verify_statement (statement, statement_length, self->signature, self->public_key, NULL))
    return td_revision_fail_verification (self, error, _("the Ed25519 signature does not verify."));

  /* A key row deleted (or never there) must not turn the check into a skip. */
  if (school_public_key == NULL)
    return td_revision_fail_verification (self, error, _("the school’s signing key is missing from the database, so nothing shows who signed it."));
  if (!g_bytes_equal (school_public_key, self->public_key))
    return td_revision_fail_verification (self, error, _("it was signed with a key that is not the school’s."));

  form = td_revision_dup_form (self, NULL);
  if (form == NULL ||
      g_strcmp0 (td_form_get_campaign_id (form), self->campaign) != 0 ||
      g_strcmp0 (td_form_get (form, TD_FORM_LEGAL_REPRESENTATIVE), self->signer) != 0)
    return td_revision_fail_verification (self, error, _("the form does not name the campaign or signer that signed it."));

  return TRUE;
}

/**
 * td_revision_verify_all:
 *
 * Checks every signed revision (on open, and before sending).
 *
 * Returns: (transfer full) (element-type GError): one error a revision
 *   that fails, its message naming it; empty when all verify. %NULL with
 *   @error set when they cannot be read.
 */
GPtrArray *
td_revision_verify_all (TdStore  *store,
                        GError  **error)
{
  g_autoptr(GPtrArray) revisions = td_revision_list (store, NULL, error);
  g_autoptr(GPtrArray) failures = NULL;
  g_autoptr(GBytes) key = NULL;

  if (revisions == NULL)
    return NULL;

  failures = g_ptr_array_new_with_free_func ((GDestroyNotify)g_error_free);
  if (td_signing_key_exists (store))
    key = td_signing_key_dup_public_key (store, NULL);

  for (guint i = 0; i < revisions->len; i++)
    {
      TdRevision *revision = g_ptr_array_index (revisions, i);
      GError *local_error = NULL;

      if (td_revision_is_signed (revision) && !td_revision_verify (revision, key, &local_error))
        g_ptr_array_add (failures, local_error);
    }
  return g_steal_pointer (&failures);
}

static gpointer
td_revision_verify_all_read (TdStore       *reader,
                             gpointer       data,
                             GCancellable  *cancellable,
                             GError       **error)
{
  return td_revision_verify_all (reader, error);
}

/**
 * td_revision_verify_all_async:
 *
 * td_revision_verify_all() in a worker thread, on a connection of its own:
 * hashing the PDFs (20 MB each, possibly) is no work for the main loop.
 */
void
td_revision_verify_all_async (TdStore             *store,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  td_store_read_async (store, store, td_revision_verify_all_read, NULL, NULL,
                       (GDestroyNotify)g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
td_revision_verify_all_finish (TdStore       *store,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return td_store_read_finish (result, error);
}

typedef struct
{
  TdRevision      *revision;
  TdRevisionState  state;
} SetState;

static gboolean
td_revision_set_state_cb (TdStore  *store,
                          gpointer  user_data,
                          GError  **error)
{
  SetState *set = user_data;
  sqlite3_stmt *stmt = td_store_prepare (store, "UPDATE form_revision SET state = ?2 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, set->revision->id);
  sqlite3_bind_text (stmt, 2, td_revision_state_to_string (set->state), -1, SQLITE_STATIC);
  return td_store_step_done (store, stmt, error);
}

/**
 * td_revision_set_state:
 *
 * Moves a signed revision on (signed → sent → delivered). The database
 * refuses any other change of a signed revision.
 */
gboolean
td_revision_set_state (TdStore          *store,
                       TdRevision       *self,
                       TdRevisionState   state,
                       GError          **error)
{
  SetState set = { self, state };

  if (state == self->state)
    return TRUE;
  if (!td_store_transaction (store, td_revision_set_state_cb, &set, error))
    return FALSE;
  self->state = state;
  return TRUE;
}

/* Differences, field by field. */

const char *
td_form_field_label (TdFormField field)
{
  switch (field)
    {
    case TD_FORM_NAME: return _("School name (1)");
    case TD_FORM_AUTHORITY: return _("Supervising authority (2)");
    case TD_FORM_CITY: return _("Address: city (3)");
    case TD_FORM_COUNTY: return _("Address: county or district (3)");
    case TD_FORM_STREET: return _("Address: street (3)");
    case TD_FORM_POSTAL_CODE: return _("Postal code (4)");
    case TD_FORM_CONTACT_NAME: return _("Contact person (5)");
    case TD_FORM_PHONE: return _("Phone (5)");
    case TD_FORM_EMAIL: return _("E-mail (5)");
    case TD_FORM_CATEGORIES: return _("Categories of training (6)");
    case TD_FORM_FIELDS: return _("Main training fields (7)");
    case TD_FORM_CAPACITY: return _("Training capacity (8)");
    case TD_FORM_RESULTS: return _("Results of the last three years (9)");
    case TD_FORM_LEGAL_REPRESENTATIVE: return _("Legal representative (10)");
    case TD_FORM_N_FIELDS:
    default: g_return_val_if_reached (NULL);
    }
}

/* Categories by their names, as the form prints them. */
static char *
td_revision_printed_value (TdForm      *form,
                           TdFormField  field)
{
  const char *value = td_form_get (form, field);

  if (field == TD_FORM_CATEGORIES)
    {
      const TdRecordKind *kind = td_record_kind_lookup ("programmes");
      const TdChoice *choices = kind->fields[td_record_kind_field_index (kind, "category")].choices;
      g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
      g_auto(GStrv) list = NULL;

      for (const TdChoice *c = choices; c->id; c++)
        if (td_form_has_category (form, c->id))
          g_strv_builder_add (names, c->header);
      list = g_strv_builder_end (names);
      return g_strjoinv ("、", list);
    }
  return g_strdup (value ? value : "");
}

void
td_form_change_free (TdFormChange *change)
{
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
}

/**
 * td_form_diff:
 * @old_form: (nullable): the earlier revision; %NULL: every filled field is new
 *
 * Returns: (transfer full) (element-type TdFormChange): the fields that
 *   differ, in the form's order
 */
GPtrArray *
td_form_diff (TdForm *old_form,
              TdForm *new_form)
{
  GPtrArray *changes = g_ptr_array_new_with_free_func ((GDestroyNotify)td_form_change_free);

  for (TdFormField f = 0; f < TD_FORM_N_FIELDS; f++)
    {
      g_autofree char *before = old_form ? td_revision_printed_value (old_form, f) : g_strdup ("");
      g_autofree char *after = td_revision_printed_value (new_form, f);

      if (!g_str_equal (before, after))
        {
          TdFormChange *change = g_new0 (TdFormChange, 1);

          change->field = f;
          change->label = td_form_field_label (f);
          change->old_value = g_steal_pointer (&before);
          change->new_value = g_steal_pointer (&after);
          g_ptr_array_add (changes, change);
        }
    }

  /* The years field 9 covers are part of it too. */
  if (old_form &&
      (td_form_get_first_year (old_form) != td_form_get_first_year (new_form) ||
       td_form_get_last_year (old_form) != td_form_get_last_year (new_form)))
    {
      TdFormChange *change = g_new0 (TdFormChange, 1);

      change->field = TD_FORM_RESULTS;
      change->label = _("Years covered by field 9");
      change->old_value = g_strdup_printf ("%d–%d", td_form_get_first_year (old_form), td_form_get_last_year (old_form));
      change->new_value = g_strdup_printf ("%d–%d", td_form_get_first_year (new_form), td_form_get_last_year (new_form));
      g_ptr_array_add (changes, change);
    }
  return changes;
}
