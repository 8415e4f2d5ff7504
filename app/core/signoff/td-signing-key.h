/* td-signing-key.h: the principal's passphrase and the school's signing key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <sodium.h>

#include "td-store.h"

G_BEGIN_DECLS

#define TD_SIGNOFF_ERROR (td_signoff_error_quark ())

typedef enum
{
  TD_SIGNOFF_ERROR_NO_KEY,            /* no passphrase set yet */
  TD_SIGNOFF_ERROR_KEY_EXISTS,        /* the passphrase is set already */
  TD_SIGNOFF_ERROR_WEAK_PASSPHRASE,   /* too short */
  TD_SIGNOFF_ERROR_WRONG_PASSPHRASE,
  TD_SIGNOFF_ERROR_LOCKED,            /* too many wrong passphrases: wait */
  TD_SIGNOFF_ERROR_DAMAGED_KEY,       /* the stored key cannot be read */
  TD_SIGNOFF_ERROR_FORM_INVALID,      /* the form has errors */
  TD_SIGNOFF_ERROR_UNCHANGED,         /* the form is signed already as it is */
  TD_SIGNOFF_ERROR_VERIFICATION,      /* a signed revision does not verify */
  TD_SIGNOFF_ERROR_FAILED,
} TdSignoffError;

/* How hard deriving a key from the passphrase is. Tests use the minimum. */
typedef enum
{
  TD_KDF_INTERACTIVE,   /* libsodium's interactive limits: 64 MiB, ~0.1 s */
  TD_KDF_MINIMUM,       /* the least libsodium allows: for tests only */
} TdKdfStrength;

/* Passphrases shorter than this are refused (characters, not bytes). */
#define TD_PASSPHRASE_MIN_LENGTH 8
/* Wrong passphrases in a row before sign-off locks. */
#define TD_PASSPHRASE_TRIES 5
#define TD_LOCK_FIRST_SECONDS 30
#define TD_LOCK_MAX_SECONDS   (24 * 60 * 60)

/* The stored key, read in one go, so the slow part (Argon2id) can run in a
 * worker thread without the store. */
typedef struct _TdSigningKeyData TdSigningKeyData;

GQuark            td_signoff_error_quark          (void);

/* The key's fingerprint, the same everywhere it is shown (Preferences, the
 * signed PDF beside 校验码, the mail's body, the receiver's --list): the first
 * 16 bytes of SHA-256 over the 32-byte raw Ed25519 public key, as 8 groups of
 * 4 upper-case hexadecimal digits joined by spaces ("3F2A 91C0 …"), short
 * enough to read out on the phone. NULL when @public_key is not 32 bytes. */
#define TD_FINGERPRINT_LENGTH 39
char             *td_signing_key_fingerprint      (GBytes           *public_key);
gboolean          td_sodium_init                  (GError          **error);

gboolean          td_signing_key_exists           (TdStore          *store);
gboolean          td_signing_key_create           (TdStore          *store,
                                                   const char       *passphrase,
                                                   TdKdfStrength     strength,
                                                   GError          **error);
gboolean          td_signing_key_change_passphrase (TdStore         *store,
                                                   const char       *old_passphrase,
                                                   const char       *new_passphrase,
                                                   GDateTime        *now,
                                                   GError          **error);
/* The same, with the slow part (Argon2id) in a worker thread on copies:
 * the store is read before and written after, on its own thread. */
void              td_signing_key_create_async     (TdStore          *store,
                                                   const char       *passphrase,
                                                   TdKdfStrength     strength,
                                                   GCancellable     *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer          user_data);
gboolean          td_signing_key_create_finish    (TdStore          *store,
                                                   GAsyncResult     *result,
                                                   GError          **error);
void              td_signing_key_change_passphrase_async (TdStore   *store,
                                                   const char       *old_passphrase,
                                                   const char       *new_passphrase,
                                                   GDateTime        *now,
                                                   GCancellable     *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer          user_data);
gboolean          td_signing_key_change_passphrase_finish (TdStore  *store,
                                                   GAsyncResult     *result,
                                                   GError          **error);
GBytes           *td_signing_key_dup_public_key   (TdStore          *store,
                                                   GError          **error);
gboolean          td_passphrase_check_strength    (const char       *passphrase,
                                                   GError          **error);

/* The lock: wrong passphrases in a row, and until when sign-off waits. */
gboolean          td_signing_key_check_lock       (TdStore          *store,
                                                   GDateTime        *now,
                                                   GError          **error);
GDateTime        *td_signing_key_dup_locked_until (TdStore          *store,
                                                   GDateTime        *now);
guint             td_signing_key_get_failures     (TdStore          *store);
char             *td_signing_key_dup_boot_clock   (void);
gboolean          td_signing_key_record_attempt   (TdStore          *store,
                                                   gboolean          right,
                                                   GDateTime        *now,
                                                   GError          **error);

TdSigningKeyData *td_signing_key_load             (TdStore          *store,
                                                   GError          **error);
void              td_signing_key_data_free        (TdSigningKeyData *data);
GBytes           *td_signing_key_data_get_public_key (TdSigningKeyData *data);
/* Slow (Argon2id, twice): call it off the main loop. Fills @secret_key,
 * which the caller wipes with sodium_memzero() when done. */
gboolean          td_signing_key_data_unlock      (TdSigningKeyData *data,
                                                   const char       *passphrase,
                                                   unsigned char     secret_key[crypto_sign_SECRETKEYBYTES],
                                                   GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdSigningKeyData, td_signing_key_data_free)

G_END_DECLS
