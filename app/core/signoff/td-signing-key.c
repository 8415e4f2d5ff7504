/* td-signing-key.c: the principal's passphrase and the school's signing key
 *
 * The passphrase is kept only as an Argon2id hash; the Ed25519 secret key
 * only sealed (crypto_secretbox) under a key derived from the passphrase
 * with Argon2id and a salt of its own (docs/signing.md). Unlocking checks
 * the hash, then derives the key and opens the box: two Argon2id runs, so
 * it happens in a worker thread, on a copy of the row.
 *
 * Wrong passphrases are counted in the database, so the lock that follows
 * five of them survives quitting the app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-signing-key"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <time.h>

#include "td-signing-key.h"
#include "td-store-private.h"

G_DEFINE_QUARK (td-signoff-error-quark, td_signoff_error)

struct _TdSigningKeyData
{
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  char          passphrase_hash[crypto_pwhash_STRBYTES];
  unsigned char salt[crypto_pwhash_SALTBYTES];
  guint64       opslimit;
  guint64       memlimit;
  unsigned char nonce[crypto_secretbox_NONCEBYTES];
  unsigned char sealed[crypto_secretbox_MACBYTES + crypto_sign_SECRETKEYBYTES];
};

G_STATIC_ASSERT (crypto_pwhash_SALTBYTES == 16);
G_STATIC_ASSERT (crypto_secretbox_NONCEBYTES == 24);
G_STATIC_ASSERT (crypto_secretbox_MACBYTES + crypto_sign_SECRETKEYBYTES == 80);

gboolean
td_sodium_init (GError **error)
{
  static gsize once = 0;
  static gboolean ok;

  if (g_once_init_enter (&once))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&once, 1);
    }
  if (!ok)
    g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_FAILED,
                 _("The cryptography library (libsodium) could not start."));
  return ok;
}

static void
td_signing_key_limits_for (TdKdfStrength  strength,
                           guint64       *opslimit,
                           guint64       *memlimit)
{
  switch (strength)
    {
    case TD_KDF_MINIMUM:
      *opslimit = crypto_pwhash_OPSLIMIT_MIN;
      *memlimit = crypto_pwhash_MEMLIMIT_MIN;
      break;

    case TD_KDF_INTERACTIVE:
    default:
      *opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      *memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
      break;
    }
}

gboolean
td_passphrase_check_strength (const char  *passphrase,
                              GError     **error)
{
  if (passphrase == NULL || !g_utf8_validate (passphrase, -1, NULL) ||
      g_utf8_strlen (passphrase, -1) < TD_PASSPHRASE_MIN_LENGTH)
    {
      g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_WEAK_PASSPHRASE,
                   _("The passphrase must have at least %d characters."), TD_PASSPHRASE_MIN_LENGTH);
      return FALSE;
    }
  return TRUE;
}

/* The key that seals the secret key, from the passphrase. */
static gboolean
td_signing_key_derive_key (const char          *passphrase,
                           const unsigned char  salt[crypto_pwhash_SALTBYTES],
                           guint64              opslimit,
                           guint64              memlimit,
                           unsigned char        key[crypto_secretbox_KEYBYTES],
                           GError             **error)
{
  if (crypto_pwhash (key, crypto_secretbox_KEYBYTES, passphrase, strlen (passphrase), salt,
                     opslimit, (size_t)memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_FAILED,
                   _("Not enough memory to check the passphrase. Close other programs and try again."));
      return FALSE;
    }
  return TRUE;
}

/* Hash, salt, nonce and sealed key for @secret_key under @passphrase. */
static gboolean
td_signing_key_seal (TdSigningKeyData    *data,
                     const char          *passphrase,
                     const unsigned char  secret_key[crypto_sign_SECRETKEYBYTES],
                     GError             **error)
{
  unsigned char key[crypto_secretbox_KEYBYTES];

  if (crypto_pwhash_str_alg (data->passphrase_hash, passphrase, strlen (passphrase),
                             data->opslimit, (size_t)data->memlimit,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_FAILED,
                   _("Not enough memory to check the passphrase. Close other programs and try again."));
      return FALSE;
    }
  randombytes_buf (data->salt, sizeof data->salt);
  randombytes_buf (data->nonce, sizeof data->nonce);
  if (!td_signing_key_derive_key (passphrase, data->salt, data->opslimit, data->memlimit, key, error))
    return FALSE;
  crypto_secretbox_easy (data->sealed, secret_key, crypto_sign_SECRETKEYBYTES, data->nonce, key);
  sodium_memzero (key, sizeof key);
  return TRUE;
}

static gboolean
td_signing_key_write_key (TdStore          *store,
                          TdSigningKeyData *data,
                          GError          **error)
{
  sqlite3_stmt *stmt;

  stmt = td_store_prepare (store,
                           "INSERT INTO signing_key (id, public_key, passphrase_hash, kdf_salt, "
                           "  kdf_opslimit, kdf_memlimit, nonce, sealed_secret_key) "
                           "VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                           "ON CONFLICT (id) DO UPDATE SET public_key = excluded.public_key, "
                           "  passphrase_hash = excluded.passphrase_hash, kdf_salt = excluded.kdf_salt, "
                           "  kdf_opslimit = excluded.kdf_opslimit, kdf_memlimit = excluded.kdf_memlimit, "
                           "  nonce = excluded.nonce, sealed_secret_key = excluded.sealed_secret_key, "
                           "  updated_at = strftime ('%Y-%m-%dT%H:%M:%fZ', 'now')",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, data->public_key, sizeof data->public_key, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, data->passphrase_hash, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 3, data->salt, sizeof data->salt, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64)data->opslimit);
  sqlite3_bind_int64 (stmt, 5, (sqlite3_int64)data->memlimit);
  sqlite3_bind_blob (stmt, 6, data->nonce, sizeof data->nonce, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 7, data->sealed, sizeof data->sealed, SQLITE_STATIC);
  return td_store_step_done (store, stmt, error);
}

static gboolean
td_signing_key_write_key_cb (TdStore  *store,
                             gpointer  user_data,
                             GError  **error)
{
  return td_signing_key_write_key (store, user_data, error);
}

gboolean
td_signing_key_exists (TdStore *store)
{
  sqlite3_stmt *stmt = td_store_prepare (store, "SELECT count(*) FROM signing_key", NULL);
  gboolean exists;

  if (stmt == NULL)
    return FALSE;
  exists = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) > 0;
  sqlite3_reset (stmt);
  return exists;
}

/**
 * td_signing_key_create:
 *
 * Sets the principal's passphrase the first time, and makes the school's
 * key pair. Refused when a passphrase is set already: that one is changed
 * with td_signing_key_change_passphrase(), which keeps the key.
 */
gboolean
td_signing_key_create (TdStore        *store,
                       const char     *passphrase,
                       TdKdfStrength   strength,
                       GError        **error)
{
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  TdSigningKeyData data = { 0 };
  gboolean ok;

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);

  if (!td_sodium_init (error) || !td_passphrase_check_strength (passphrase, error))
    return FALSE;
  if (td_signing_key_exists (store))
    {
      g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_KEY_EXISTS,
                   _("The principal’s passphrase is set already. Change it instead."));
      return FALSE;
    }

  td_signing_key_limits_for (strength, &data.opslimit, &data.memlimit);
  crypto_sign_keypair (data.public_key, secret_key);
  ok = td_signing_key_seal (&data, passphrase, secret_key, error);
  sodium_memzero (secret_key, sizeof secret_key);
  ok = ok && td_store_transaction (store, td_signing_key_write_key_cb, &data, error);
  sodium_memzero (&data, sizeof data);
  return ok;
}

TdSigningKeyData *
td_signing_key_load (TdStore  *store,
                     GError  **error)
{
  g_autoptr(TdSigningKeyData) data = NULL;
  sqlite3_stmt *stmt;
  gboolean damaged = FALSE;
  int rc;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  if (!td_sodium_init (error))
    return NULL;

  stmt = td_store_prepare (store,
                           "SELECT public_key, passphrase_hash, kdf_salt, kdf_opslimit, kdf_memlimit, "
                           "  nonce, sealed_secret_key FROM signing_key WHERE id = 1",
                           error);
  if (stmt == NULL)
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *hash = (const char *)sqlite3_column_text (stmt, 1);

      data = g_new0 (TdSigningKeyData, 1);
#define COPY_BLOB(col, member) \
      G_STMT_START { \
        if (sqlite3_column_bytes (stmt, col) != (int)sizeof data->member) \
          damaged = TRUE; \
        else \
          memcpy (data->member, sqlite3_column_blob (stmt, col), sizeof data->member); \
      } G_STMT_END
      COPY_BLOB (0, public_key);
      COPY_BLOB (2, salt);
      COPY_BLOB (5, nonce);
      COPY_BLOB (6, sealed);
#undef COPY_BLOB
      if (hash == NULL || strlen (hash) >= sizeof data->passphrase_hash)
        damaged = TRUE;
      else
        g_strlcpy (data->passphrase_hash, hash, sizeof data->passphrase_hash);
      data->opslimit = (guint64)sqlite3_column_int64 (stmt, 3);
      data->memlimit = (guint64)sqlite3_column_int64 (stmt, 4);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  if (data == NULL)
    {
      g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_NO_KEY,
                   _("The principal has not set a passphrase yet. Set one before signing off."));
      return NULL;
    }
  if (damaged)
    {
      g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_DAMAGED_KEY,
                   _("The stored signing key is damaged. Restore the database from a backup."));
      return NULL;
    }
  return g_steal_pointer (&data);
}

void
td_signing_key_data_free (TdSigningKeyData *data)
{
  if (data == NULL)
    return;
  sodium_memzero (data, sizeof *data);
  g_free (data);
}

char *
td_signing_key_fingerprint (GBytes *public_key)
{
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  GString *out;

  if (public_key == NULL || g_bytes_get_size (public_key) != crypto_sign_PUBLICKEYBYTES)
    return NULL;

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, g_bytes_get_data (public_key, NULL), g_bytes_get_size (public_key));
  g_checksum_get_digest (checksum, digest, &digest_len);

  out = g_string_sized_new (TD_FINGERPRINT_LENGTH + 1);
  for (guint i = 0; i < 16; i++)
    {
      if (i > 0 && i % 2 == 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "%02X", digest[i]);
    }
  return g_string_free (out, FALSE);
}

GBytes *
td_signing_key_data_get_public_key (TdSigningKeyData *data)
{
  return g_bytes_new (data->public_key, sizeof data->public_key);
}

GBytes *
td_signing_key_dup_public_key (TdStore  *store,
                               GError  **error)
{
  g_autoptr(TdSigningKeyData) data = td_signing_key_load (store, error);

  return data ? td_signing_key_data_get_public_key (data) : NULL;
}

gboolean
td_signing_key_data_unlock (TdSigningKeyData *data,
                            const char       *passphrase,
                            unsigned char     secret_key[crypto_sign_SECRETKEYBYTES],
                            GError          **error)
{
  unsigned char key[crypto_secretbox_KEYBYTES];
  unsigned char derived_public[crypto_sign_PUBLICKEYBYTES];
  int opened;

  if (passphrase == NULL ||
      crypto_pwhash_str_verify (data->passphrase_hash, passphrase, strlen (passphrase)) != 0)
    {
      g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_WRONG_PASSPHRASE,
                   _("The passphrase is not right."));
      return FALSE;
    }

  if (!td_signing_key_derive_key (passphrase, data->salt, data->opslimit, data->memlimit, key, error))
    return FALSE;
  opened = crypto_secretbox_open_easy (secret_key, data->sealed, sizeof data->sealed, data->nonce, key);
  sodium_memzero (key, sizeof key);

  /* The right passphrase that does not open the key, or a key that is not
   * the stored public key's: the row was altered. */
  if (opened != 0 ||
      crypto_sign_ed25519_sk_to_pk (derived_public, secret_key) != 0 ||
      sodium_memcmp (derived_public, data->public_key, sizeof derived_public) != 0)
    {
      sodium_memzero (secret_key, crypto_sign_SECRETKEYBYTES);
      g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_DAMAGED_KEY,
                   _("The stored signing key is damaged. Restore the database from a backup."));
      return FALSE;
    }
  return TRUE;
}

/* The lock. */

static GDateTime *
td_signing_key_parse_time (const char *text)
{
  return text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

GDateTime *
td_signing_key_dup_locked_until (TdStore   *store,
                                 GDateTime *now)
{
  sqlite3_stmt *stmt = td_store_prepare (store, "SELECT locked_until FROM sign_off_lock WHERE id = 1", NULL);
  g_autoptr(GDateTime) until = NULL;

  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    until = td_signing_key_parse_time ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (until && g_date_time_compare (until, now) > 0)
    return g_steal_pointer (&until);
  return NULL;
}

guint
td_signing_key_get_failures (TdStore *store)
{
  sqlite3_stmt *stmt = td_store_prepare (store, "SELECT failures FROM sign_off_lock WHERE id = 1", NULL);
  guint failures = 0;

  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    failures = (guint)sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return failures;
}

gboolean
td_signing_key_check_lock (TdStore    *store,
                           GDateTime  *now,
                           GError    **error)
{
  g_autoptr(GDateTime) until = td_signing_key_dup_locked_until (store, now);
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *when = NULL;
  GTimeSpan wait;

  if (until == NULL)
    return TRUE;

  wait = g_date_time_difference (until, now);
  local = g_date_time_to_local (until);
  when = g_date_time_format (local, "%H:%M:%S");
  if (wait < 120 * G_TIME_SPAN_SECOND)
    g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_LOCKED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "Too many wrong passphrases. Sign-off is locked for %d more second (until %s).",
                              "Too many wrong passphrases. Sign-off is locked for %d more seconds (until %s).",
                              (gulong)((wait + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND)),
                 (int)((wait + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND), when);
  else
    g_set_error (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_LOCKED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "Too many wrong passphrases. Sign-off is locked for %d more minute (until %s).",
                              "Too many wrong passphrases. Sign-off is locked for %d more minutes (until %s).",
                              (gulong)((wait + G_TIME_SPAN_MINUTE - 1) / G_TIME_SPAN_MINUTE)),
                 (int)((wait + G_TIME_SPAN_MINUTE - 1) / G_TIME_SPAN_MINUTE), when);
  return FALSE;
}

/**
 * td_signing_key_dup_boot_clock:
 *
 * The machine's boot clock as "BOOT-ID/SECONDS": the kernel's id of this
 * boot and the seconds since it (CLOCK_BOOTTIME, which counts suspend and
 * which no setting of the wall clock moves). Kept beside each change of
 * the sign-off lock, so the audit log shows how much time really passed
 * between locking and lifting.
 */
char *
td_signing_key_dup_boot_clock (void)
{
  g_autofree char *boot_id = NULL;
  struct timespec ts = { 0 };

  if (g_file_get_contents ("/proc/sys/kernel/random/boot_id", &boot_id, NULL, NULL))
    g_strstrip (boot_id);
  clock_gettime (CLOCK_BOOTTIME, &ts);
  return g_strdup_printf ("%s/%lld.%03ld", boot_id ? boot_id : "unknown",
                          (long long)ts.tv_sec, ts.tv_nsec / 1000000);
}

static char *
td_signing_key_format_time (GDateTime *now)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (now);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

typedef struct
{
  gboolean   right;
  GDateTime *now;
} Attempt;

static gboolean
td_signing_key_record_attempt_cb (TdStore  *store,
                                  gpointer  user_data,
                                  GError  **error)
{
  Attempt *attempt = user_data;
  sqlite3_stmt *stmt;
  guint failures = attempt->right ? 0 : td_signing_key_get_failures (store) + 1;
  g_autofree char *until = NULL;

  /* The fifth wrong passphrase locks for 30 s; each further one doubles it. */
  if (failures >= TD_PASSPHRASE_TRIES)
    {
      guint doublings = MIN (failures - TD_PASSPHRASE_TRIES, 16);
      gint64 seconds = MIN ((gint64)TD_LOCK_FIRST_SECONDS << doublings, TD_LOCK_MAX_SECONDS);
      g_autoptr(GDateTime) end = g_date_time_add_seconds (attempt->now, (double)seconds);
      g_autoptr(GDateTime) utc = g_date_time_to_utc (end);

      until = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
    }

  stmt = td_store_prepare (store,
                           "INSERT INTO sign_off_lock (id, failures, locked_until, changed_at, boot_clock) "
                           "VALUES (1, ?1, ?2, ?3, ?4) "
                           "ON CONFLICT (id) DO UPDATE SET failures = excluded.failures, "
                           "  locked_until = excluded.locked_until, changed_at = excluded.changed_at, "
                           "  boot_clock = excluded.boot_clock",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, (int)failures);
  sqlite3_bind_text (stmt, 2, until, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, td_signing_key_format_time (attempt->now), -1, g_free);
  sqlite3_bind_text (stmt, 4, td_signing_key_dup_boot_clock (), -1, g_free);
  return td_store_step_done (store, stmt, error);
}

/**
 * td_signing_key_record_attempt:
 * @right: whether the passphrase was right
 *
 * Counts a wrong passphrase (locking sign-off from the fifth in a row), or
 * resets the count after the right one.
 */
gboolean
td_signing_key_record_attempt (TdStore    *store,
                               gboolean    right,
                               GDateTime  *now,
                               GError    **error)
{
  Attempt attempt = { right, now };

  if (right && td_signing_key_get_failures (store) == 0)
    return TRUE;
  return td_store_transaction (store, td_signing_key_record_attempt_cb, &attempt, error);
}

/**
 * td_signing_key_change_passphrase:
 *
 * Opens the secret key with @old_passphrase and seals it again under
 * @new_passphrase: the key pair, and every signature made with it, stay
 * valid. A wrong @old_passphrase counts towards the lock. Slow (Argon2id).
 */
gboolean
td_signing_key_change_passphrase (TdStore     *store,
                                  const char  *old_passphrase,
                                  const char  *new_passphrase,
                                  GDateTime   *now,
                                  GError     **error)
{
  g_autoptr(TdSigningKeyData) data = NULL;
  g_autoptr(GError) local_error = NULL;
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  gboolean ok;

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);

  if (!td_passphrase_check_strength (new_passphrase, error) ||
      !td_signing_key_check_lock (store, now, error) ||
      !(data = td_signing_key_load (store, error)))
    return FALSE;

  if (!td_signing_key_data_unlock (data, old_passphrase, secret_key, &local_error))
    {
      if (g_error_matches (local_error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_WRONG_PASSPHRASE))
        td_signing_key_record_attempt (store, FALSE, now, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  ok = td_signing_key_seal (data, new_passphrase, secret_key, error);
  sodium_memzero (secret_key, sizeof secret_key);
  ok = ok && td_store_transaction (store, td_signing_key_write_key_cb, data, error);
  if (ok)
    td_signing_key_record_attempt (store, TRUE, now, NULL);
  return ok;
}

/* The same, asynchronously: Argon2id in a worker thread on a copy of the
 * key, the store used only here, on its thread. */

typedef struct
{
  TdSigningKeyData *data;
  char             *old_passphrase;   /* NULL: creating */
  char             *new_passphrase;
  GDateTime        *now;
  gboolean          wrong;
} KeyJob;

static void
td_signing_key_wipe (char *s)
{
  if (s)
    {
      sodium_memzero (s, strlen (s));
      g_free (s);
    }
}

static void
td_signing_key_key_job_free (KeyJob *job)
{
  g_clear_pointer (&job->data, td_signing_key_data_free);
  td_signing_key_wipe (job->old_passphrase);
  td_signing_key_wipe (job->new_passphrase);
  g_clear_pointer (&job->now, g_date_time_unref);
  g_free (job);
}

static void
td_signing_key_key_thread (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  KeyJob *job = task_data;
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  GError *error = NULL;
  gboolean ok;

  if (job->old_passphrase == NULL)
    {
      crypto_sign_keypair (job->data->public_key, secret_key);
      ok = td_signing_key_seal (job->data, job->new_passphrase, secret_key, &error);
    }
  else if ((ok = td_signing_key_data_unlock (job->data, job->old_passphrase, secret_key, &error)))
    ok = td_signing_key_seal (job->data, job->new_passphrase, secret_key, &error);
  else
    job->wrong = g_error_matches (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_WRONG_PASSPHRASE);
  sodium_memzero (secret_key, sizeof secret_key);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
td_signing_key_create_async (TdStore             *store,
                             const char          *passphrase,
                             TdKdfStrength        strength,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  GError *error = NULL;
  KeyJob *job;

  g_task_set_source_tag (task, td_signing_key_create_async);
  /* Once started it finishes: a half-made key is worse than waiting. */
  g_task_set_return_on_cancel (task, FALSE);

  if (!td_sodium_init (&error) || !td_passphrase_check_strength (passphrase, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (td_signing_key_exists (store))
    {
      g_task_return_new_error (task, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_KEY_EXISTS,
                               _("The principal’s passphrase is set already. Change it instead."));
      return;
    }

  job = g_new0 (KeyJob, 1);
  job->data = g_new0 (TdSigningKeyData, 1);
  td_signing_key_limits_for (strength, &job->data->opslimit, &job->data->memlimit);
  job->new_passphrase = g_strdup (passphrase);
  g_task_set_task_data (task, job, (GDestroyNotify)td_signing_key_key_job_free);
  g_task_run_in_thread (task, td_signing_key_key_thread);
}

gboolean
td_signing_key_create_finish (TdStore       *store,
                              GAsyncResult  *result,
                              GError       **error)
{
  KeyJob *job = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  return td_store_transaction (store, td_signing_key_write_key_cb, job->data, error);
}

void
td_signing_key_change_passphrase_async (TdStore             *store,
                                        const char          *old_passphrase,
                                        const char          *new_passphrase,
                                        GDateTime           *now,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  GError *error = NULL;
  KeyJob *job;
  TdSigningKeyData *data;

  g_task_set_source_tag (task, td_signing_key_change_passphrase_async);
  g_task_set_return_on_cancel (task, FALSE);

  if (!td_passphrase_check_strength (new_passphrase, &error) ||
      !td_signing_key_check_lock (store, now, &error) ||
      !(data = td_signing_key_load (store, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  job = g_new0 (KeyJob, 1);
  job->data = data;
  job->old_passphrase = g_strdup (old_passphrase ? old_passphrase : "");
  job->new_passphrase = g_strdup (new_passphrase);
  job->now = g_date_time_ref (now);
  g_task_set_task_data (task, job, (GDestroyNotify)td_signing_key_key_job_free);
  g_task_run_in_thread (task, td_signing_key_key_thread);
}

gboolean
td_signing_key_change_passphrase_finish (TdStore       *store,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  KeyJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), &local_error))
    {
      /* A wrong current passphrase counts towards the lock. */
      if (job && job->wrong)
        td_signing_key_record_attempt (store, FALSE, job->now, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!td_store_transaction (store, td_signing_key_write_key_cb, job->data, error))
    return FALSE;
  td_signing_key_record_attempt (store, TRUE, job->now, NULL);
  return TRUE;
}
