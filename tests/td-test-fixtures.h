/* td-test-fixtures.h: data the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-form.h"
#include "td-store.h"
#include "td-sync.h"

G_BEGIN_DECLS

/* Built with AddressSanitizer, which slows TLS several times over. gcc
 * says __SANITIZE_ADDRESS__, clang (older ones) only __has_feature. */
#if defined(__SANITIZE_ADDRESS__)
# define TD_TEST_HAS_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define TD_TEST_HAS_ASAN 1
# endif
#endif
#ifndef TD_TEST_HAS_ASAN
# define TD_TEST_HAS_ASAN 0
#endif

/* @name, made unique under @dir (a serial number before it). */
/* A store of the test's own, NAME in its data folder (made if need be). */
TdStore *td_test_open_store (const char *name);
char   *td_test_unique_path (const char *dir,
                             const char *name);

/* What is uploaded, or mailed: the three parts and the revision's key. */
typedef struct
{
  GBytes *form;
  GBytes *pdf;
  GBytes *signature;
  char   *key;
} TdTestUpload;

void          td_test_upload_free (TdTestUpload        *upload);
/* @form signed outside Training Desk, as revision 1 with a new random
 * key: @signer's statement at @at for @campaign_id (NULL: the form's)
 * over @form's canonical JSON and @pdf, signed with the Ed25519 key pair
 * @public_key, @secret_key. The statement may say what the form does not. */
TdTestUpload *td_test_upload_sign (TdForm              *form,
                                   const char          *campaign_id,
                                   const char          *signer,
                                   GDateTime           *at,
                                   GBytes              *pdf,
                                   const unsigned char *public_key,
                                   const unsigned char *secret_key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdTestUpload, td_test_upload_free)

/* A form of the 2020 Shandong campaign that passes every check. */
TdForm *td_test_valid_form (void);

/* The school's mailbox: the SMTP server on loopback at @port, STARTTLS
 * with @ca_file trusted, AUTH as @user; the password in the keyring
 * (td_test_keyring_start() first). */
void    td_test_use_smtp   (TdStore    *store,
                            guint16     port,
                            const char *ca_file,
                            const char *user,
                            const char *password);

/* What `training-desk --sync` does: each due item once. */
TdSyncSummary td_test_sync_run_due (TdSync *sync);

G_END_DECLS
