/* td-signoff-dialog.h: the principal reviews the form as it will be sent, and signs it off
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"
#include "td-store.h"

G_BEGIN_DECLS

/* The opinion (申报单位意见), in characters as the form counts them. */
#define TD_SIGNOFF_OPINION_LIMIT 100

#define TD_TYPE_SIGNOFF_DIALOG (td_signoff_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TdSignoffDialog, td_signoff_dialog, TD, SIGNOFF_DIALOG, AdwWindow)

TdSignoffDialog *td_signoff_dialog_new                  (GtkWindow       *parent,
                                                         TdSession       *session);

/* For tests. */
const char      *td_signoff_dialog_get_step             (TdSignoffDialog *self);
gboolean         td_signoff_dialog_is_busy              (TdSignoffDialog *self);
gboolean         td_signoff_dialog_get_can_sign         (TdSignoffDialog *self);
GtkEditable     *td_signoff_dialog_get_entry            (TdSignoffDialog *self,
                                                         guint            i);
const char      *td_signoff_dialog_get_message          (TdSignoffDialog *self);
guint            td_signoff_dialog_get_n_preview_pages  (TdSignoffDialog *self);
const char      *td_signoff_dialog_get_changes_title    (TdSignoffDialog *self);
guint            td_signoff_dialog_get_n_changes        (TdSignoffDialog *self);
guint            td_signoff_dialog_get_n_problems       (TdSignoffDialog *self);
gboolean         td_signoff_dialog_is_past              (TdSignoffDialog *self);
GtkCheckButton  *td_signoff_dialog_get_late_check       (TdSignoffDialog *self);
guint            td_signoff_dialog_get_n_unsupported    (TdSignoffDialog *self);
const char      *td_signoff_dialog_get_key_text         (TdSignoffDialog *self);
const char      *td_signoff_dialog_get_opinion_message  (TdSignoffDialog *self);
AdwEntryRow     *td_signoff_dialog_get_opinion_row      (TdSignoffDialog *self);

G_END_DECLS
