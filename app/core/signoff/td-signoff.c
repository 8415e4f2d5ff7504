/* td-signoff.c: the principal signs off a revision of the intent form
 *
 * Signing, as docs/signing.md describes it: the form's canonical JSON and
 * its hash; the PDF drawn from that very JSON with 已签发, the signer, the
 * time and the hash in its signature cell; the statement over both hashes
 * and the revision's identity, signed with the school's Ed25519 key; all
 * of it stored in one transaction as a new, read-only revision.
 *
 * What is slow — Argon2id (twice) and drawing the PDF — runs in a worker
 * thread on copies; the store is read before and written after, on the
 * thread that owns it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-signoff"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "td-canonical-json.h"
#include "td-form-json.h"
#include "td-form-render.h"
#include "td-signoff.h"
#include "td-store-private.h"
#include "td-uuid.h"

/* Everything the worker needs, none of it the store's. */
typedef struct
{
  TdSigningKeyData *key;
  TdCampaign       *campaign;
  char             *passphrase;
  GDateTime        *now;
  char             *uuid;
  gint64            number;
  char             *campaign_id;
  char             *signer;
  char             *form_json;
  gsize             form_json_length;

  /* Results of the worker. */
  gboolean          wrong_passphrase;
  GBytes           *pdf;
  char             *form_sha256;
  char             *pdf_sha256;
  unsigned char     signature[crypto_sign_BYTES];
} Job;

static void
td_signoff_job_free (Job *job)
{
  g_clear_pointer (&job->key, td_signing_key_data_free);
  g_clear_object (&job->campaign);
  if (job->passphrase)
    {
      sodium_memzero (job->passphrase, strlen (job->passphrase));
      g_free (job->passphrase);
    }
  g_clear_pointer (&job->now, g_date_time_unref);
  g_free (job->uuid);
  g_free (job->campaign_id);
  g_free (job->signer);
  g_free (job->form_json);
  g_clear_pointer (&job->pdf, g_bytes_unref);
  g_free (job->form_sha256);
  g_free (job->pdf_sha256);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, td_signoff_job_free)

/* The form's canonical JSON with its opinion (申报单位意见) dated @date,
 * "2026-12-05": the opinion is given on the day of sign-off. */
static char *
td_signoff_form_json_dated (TdForm      *form,
                            const char  *date,
                            gsize       *length,
                            GError     **error)
{
  g_autoptr(JsonNode) node = td_form_to_json_node (form);
  JsonObject *root = json_node_get_object (node);

  if (date && json_object_has_member (root, "opinion"))
    json_object_set_string_member (json_object_get_object_member (root, "opinion"), "date", date);
  return td_canonical_json_from_node (node, length, error);
}

/**
 * td_signoff_can_sign:
 *
 * Whether @form can be signed now: a passphrase is set, sign-off is not
 * locked, the form has no error, and it differs from the newest signed
 * revision. The error says what stands in the way.
 */
gboolean
td_signoff_can_sign (TdStore     *store,
                     TdForm      *form,
                     TdCampaign  *campaign,
                     GDateTime   *now,
                     GError     **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TdRevision) latest = NULL;
  g_autoptr(GBytes) school_key = NULL;

  if (!td_signing_key_exists (store))
    {
      g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_NO_KEY,
                   _("The principal has not set a passphrase yet. Set one before signing off."));
      return FALSE;
    }
  if (!td_signing_key_check_lock (store, now, error))
    return FALSE;

  problems = td_form_check (form, campaign);
  if (problems->len > 0)
    {
      g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_FORM_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The form has %u error. Correct it before signing off.",
                                "The form has %u errors. Correct them before signing off.",
                                problems->len),
                   problems->len);
      return FALSE;
    }

  /* The same form again is refused — unless the signed one no longer
   * verifies: then signing it again is the way out. */
  latest = td_revision_load_latest (store, td_form_get_campaign_id (form), NULL);
  if (td_signing_key_exists (store))
    school_key = td_signing_key_dup_public_key (store, NULL);
  if (latest && td_revision_is_signed (latest) && td_revision_verify (latest, school_key, NULL))
    {
      GBytes *signed_json = td_revision_get_form_json (latest);
      g_autoptr(TdForm) signed_form = td_form_new_from_json (g_bytes_get_data (signed_json, NULL),
                                                             (gssize)g_bytes_get_size (signed_json), NULL);
      /* Signed again another day, the opinion's date alone would differ. */
      g_autofree char *json = td_signoff_form_json_dated (form, signed_form ? td_form_get_opinion_date (signed_form) : NULL,
                                                          NULL, NULL);

      if (json && strlen (json) == g_bytes_get_size (signed_json) &&
          memcmp (json, g_bytes_get_data (signed_json, NULL), strlen (json)) == 0)
        {
          g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_UNCHANGED,
                       _("Nothing changed since revision %lld was signed off."),
                       (long long)td_revision_get_number (latest));
          return FALSE;
        }
    }
  return TRUE;
}

static Job *
td_signoff_prepare (TdStore     *store,
                    TdForm      *form,
                    TdCampaign  *campaign,
                    const char  *passphrase,
                    GDateTime   *now,
                    GError     **error)
{
  g_autoptr(Job) job = g_new0 (Job, 1);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  if (!td_signoff_can_sign (store, form, campaign, now, error) ||
      !(job->key = td_signing_key_load (store, error)))
    return NULL;

  if (!(job->form_json = td_signoff_form_json_dated (form, today, &job->form_json_length, error)))
    return NULL;

  job->campaign = g_object_ref (campaign);
  job->passphrase = g_strdup (passphrase ? passphrase : "");
  job->now = g_date_time_ref (now);
  job->uuid = td_uuid7_new ();
  job->number = td_revision_next_number (store, td_form_get_campaign_id (form));
  job->campaign_id = g_strdup (td_form_get_campaign_id (form));
  job->signer = g_strdup (td_form_get (form, TD_FORM_LEGAL_REPRESENTATIVE));
  return g_steal_pointer (&job);
}

/* The slow part, on nothing but the job: unlock, draw, hash, sign. */
static gboolean
td_signoff_run (Job           *job,
                GCancellable  *cancellable,
                GError       **error)
{
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TdForm) form = NULL;
  g_autoptr(TdFormRender) render = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autofree char *short_hash = NULL, *statement = NULL, *fingerprint = NULL;
  g_autoptr(GBytes) signing_public_key = NULL;
  gsize statement_length;
  TdFormRenderOptions options = { 0 };

  if (!td_signing_key_data_unlock (job->key, job->passphrase, secret_key, &local_error))
    {
      job->wrong_passphrase = g_error_matches (local_error, TD_SIGNOFF_ERROR,
                                               TD_SIGNOFF_ERROR_WRONG_PASSPHRASE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* The PDF shows the form as signed: drawn from the signed bytes. */
  form = td_form_new_from_json (job->form_json, (gssize)job->form_json_length, error);
  if (form == NULL)
    goto fail;
  job->form_sha256 = td_sha256_hex (job->form_json, job->form_json_length);
  short_hash = g_strndup (job->form_sha256, 16);
  options.signer = job->signer;
  options.signed_at = job->now;
  options.hash = short_hash;
  /* The paper copy names the key too (issue 10). */
  signing_public_key = td_signing_key_data_get_public_key (job->key);
  fingerprint = td_signing_key_fingerprint (signing_public_key);
  options.key_fingerprint = fingerprint;
  options.created = job->now;
  render = td_form_render_new (form, job->campaign, &options);
  stream = g_memory_output_stream_new_resizable ();
  if (!td_form_render_write_pdf (render, stream, cancellable, error) ||
      !g_output_stream_close (stream, cancellable, error))
    goto fail;
  job->pdf = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  job->pdf_sha256 = td_sha256_hex (g_bytes_get_data (job->pdf, NULL), g_bytes_get_size (job->pdf));

  statement = td_signoff_statement (job->uuid, job->number, job->campaign_id, job->signer, job->now,
                                    job->form_sha256, job->pdf_sha256, &statement_length);
  crypto_sign_detached (job->signature, NULL, (const unsigned char *)statement, statement_length,
                        secret_key);
  sodium_memzero (secret_key, sizeof secret_key);
  return TRUE;

fail:
  sodium_memzero (secret_key, sizeof secret_key);
  return FALSE;
}

static gboolean
td_signoff_insert_cb (TdStore  *store,
                      gpointer  user_data,
                      GError  **error)
{
  Job *job = user_data;
  g_autoptr(GBytes) public_key = td_signing_key_data_get_public_key (job->key);
  g_autofree char *signed_at = td_signoff_format_time (job->now);
  sqlite3_stmt *stmt;

  stmt = td_store_prepare (store,
                           "INSERT INTO form_revision (uuid, campaign, number, state, form_json, "
                           "  json_sha256, pdf_sha256, signer, signed_at, signature, public_key) "
                           "VALUES (?1, ?2, ?3, 'signed', ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, job->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, job->campaign_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, job->number);
  sqlite3_bind_text (stmt, 4, job->form_json, (int)job->form_json_length, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, job->form_sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, job->pdf_sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, job->signer, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, signed_at, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 9, job->signature, sizeof job->signature, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 10, g_bytes_get_data (public_key, NULL), (int)g_bytes_get_size (public_key),
                     SQLITE_STATIC);
  if (!td_store_step_done (store, stmt, error))
    return FALSE;

  /* The PDF in its own table, written once (sql/0004-revision-pdf.sql). */
  stmt = td_store_prepare (store,
                           "INSERT INTO revision_pdf (revision_id, pdf) "
                           "VALUES ((SELECT id FROM form_revision WHERE uuid = ?2), ?1)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob64 (stmt, 1, g_bytes_get_data (job->pdf, NULL), g_bytes_get_size (job->pdf), SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, job->uuid, -1, SQLITE_STATIC);
  if (!td_store_step_done (store, stmt, error))
    return FALSE;

  /* The right passphrase ends any count of wrong ones, in the same write
   * (logged, with both clocks: sql/0005-sign-off-lock-audit.sql). */
  stmt = td_store_prepare (store,
                           "UPDATE sign_off_lock SET failures = 0, locked_until = NULL, "
                           "  changed_at = strftime ('%Y-%m-%dT%H:%M:%SZ', ?1, 'unixepoch'), boot_clock = ?2 "
                           "WHERE failures <> 0 OR locked_until IS NOT NULL",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_date_time_to_unix (job->now));
  sqlite3_bind_text (stmt, 2, td_signing_key_dup_boot_clock (), -1, g_free);
  return td_store_step_done (store, stmt, error);
}

/* Back on the store's thread: count a wrong passphrase, or store the
 * signed revision. */
static TdRevision *
td_signoff_finish (TdStore  *store,
                   Job      *job,
                   gboolean  ran,
                   GError  **error)
{
  if (!ran)
    {
      if (job->wrong_passphrase)
        {
          g_autoptr(GError) lock_error = NULL;

          td_signing_key_record_attempt (store, FALSE, job->now, NULL);
          /* The fifth wrong one: say it is locked now, not merely wrong. */
          if (!td_signing_key_check_lock (store, job->now, &lock_error))
            {
              g_clear_error (error);
              g_propagate_error (error, g_steal_pointer (&lock_error));
            }
          else
            {
              guint left = TD_PASSPHRASE_TRIES - MIN (td_signing_key_get_failures (store), TD_PASSPHRASE_TRIES);

              g_clear_error (error);
              g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_WRONG_PASSPHRASE,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "The passphrase is not right. %u more wrong try locks sign-off.",
                                        "The passphrase is not right. %u more wrong tries lock sign-off.",
                                        left),
                           left);
            }
        }
      return NULL;
    }

  if (!td_store_transaction (store, td_signoff_insert_cb, job, error))
    return NULL;
  return td_revision_load_by_uuid (store, job->uuid, error);
}

/**
 * td_signoff_sign:
 * @now: the time of signing, printed on the PDF and signed
 *
 * Signs off @form: checks it can be signed (td_signoff_can_sign()), unlocks
 * the key with @passphrase — a wrong one counts towards the lock —, draws
 * the PDF, signs, and stores the new read-only revision. Slow: the GUI uses
 * td_signoff_sign_async().
 *
 * Returns: (transfer full): the signed revision
 */
TdRevision *
td_signoff_sign (TdStore     *store,
                 TdForm      *form,
                 TdCampaign  *campaign,
                 const char  *passphrase,
                 GDateTime   *now,
                 GError     **error)
{
  g_autoptr(Job) job = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ran;
  TdRevision *revision;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);
  g_return_val_if_fail (TD_IS_FORM (form), NULL);

  if (!(job = td_signoff_prepare (store, form, campaign, passphrase, now, error)))
    return NULL;
  ran = td_signoff_run (job, NULL, &local_error);
  revision = td_signoff_finish (store, job, ran, &local_error);
  if (local_error)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return revision;
}

static void
td_signoff_sign_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;

  if (td_signoff_run (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
td_signoff_sign_async (TdStore             *store,
                       TdForm              *form,
                       TdCampaign          *campaign,
                       const char          *passphrase,
                       GDateTime           *now,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  GError *error = NULL;
  Job *job;

  g_task_set_source_tag (task, td_signoff_sign_async);

  if (!(job = td_signoff_prepare (store, form, campaign, passphrase, now, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, job, (GDestroyNotify)td_signoff_job_free);
  g_task_run_in_thread (task, td_signoff_sign_thread);
}

TdRevision *
td_signoff_sign_finish (TdStore       *store,
                        GAsyncResult  *result,
                        GError       **error)
{
  GTask *task = G_TASK (result);
  g_autoptr(GError) local_error = NULL;
  Job *job = g_task_get_task_data (task);
  gboolean ran;
  TdRevision *revision;

  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  ran = g_task_propagate_boolean (task, &local_error);
  if (job == NULL)            /* refused before the worker ran */
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  revision = td_signoff_finish (store, job, ran, &local_error);
  if (local_error)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return revision;
}
