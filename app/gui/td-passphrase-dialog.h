/* td-passphrase-dialog.h: the principal sets or changes the passphrase
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-signing-key.h"
#include "td-store.h"

G_BEGIN_DECLS

#define TD_TYPE_PASSPHRASE_DIALOG (td_passphrase_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TdPassphraseDialog, td_passphrase_dialog, TD, PASSPHRASE_DIALOG, AdwWindow)

TdPassphraseDialog *td_passphrase_dialog_new          (GtkWindow          *parent,
                                                       TdStore            *store);

/* Shared with the sign-off dialog's first step. */
char               *td_passphrase_check_new           (const char         *passphrase,
                                                       const char         *repeated);
TdKdfStrength       td_passphrase_kdf_strength        (void);
char               *td_passphrase_describe_wrong      (TdStore            *store);
void                td_passphrase_store_async         (TdStore            *store,
                                                       const char         *old_passphrase,
                                                       const char         *new_passphrase,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
gboolean            td_passphrase_store_finish        (GAsyncResult       *result,
                                                       GError            **error);

/* For tests. */
gboolean            td_passphrase_dialog_is_creating  (TdPassphraseDialog *self);
gboolean            td_passphrase_dialog_is_busy      (TdPassphraseDialog *self);
GtkEditable        *td_passphrase_dialog_get_entry    (TdPassphraseDialog *self,
                                                       guint               i);
const char         *td_passphrase_dialog_get_message  (TdPassphraseDialog *self);

G_END_DECLS
