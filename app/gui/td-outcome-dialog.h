/* td-outcome-dialog.h: what became of a trainee — assessment,
 * certificate, follow-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-store.h"

G_BEGIN_DECLS

#define TD_TYPE_OUTCOME_DIALOG (td_outcome_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TdOutcomeDialog, td_outcome_dialog, TD, OUTCOME_DIALOG, AdwWindow)

TdOutcomeDialog *td_outcome_dialog_new         (TdStore          *store,
                                                GtkWindow        *parent,
                                                const char       *enrolment_uuid,
                                                GError          **error);
void             td_outcome_dialog_set_text    (TdOutcomeDialog  *self,
                                                const char       *field,
                                                const char       *text);
void             td_outcome_dialog_set_choice  (TdOutcomeDialog  *self,
                                                const char       *field,
                                                guint             position);
void             td_outcome_dialog_set_self_employed (TdOutcomeDialog *self,
                                                gboolean          self_employed);
const char      *td_outcome_dialog_get_error   (TdOutcomeDialog  *self);

G_END_DECLS
