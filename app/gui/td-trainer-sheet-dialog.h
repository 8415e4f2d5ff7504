/* td-trainer-sheet-dialog.h: choose a trainer and a year, save their sheet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-store.h"

G_BEGIN_DECLS

#define TD_TYPE_TRAINER_SHEET_DIALOG (td_trainer_sheet_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TdTrainerSheetDialog, td_trainer_sheet_dialog, TD, TRAINER_SHEET_DIALOG, AdwWindow)

TdTrainerSheetDialog *td_trainer_sheet_dialog_new        (GtkWindow            *parent,
                                                         TdStore              *store);

/* For tests: what is chosen and shown, and saving without the chooser. */
gboolean              td_trainer_sheet_dialog_is_busy    (TdTrainerSheetDialog *self);
int                   td_trainer_sheet_dialog_get_year   (TdTrainerSheetDialog *self);
const char           *td_trainer_sheet_dialog_get_trainer (TdTrainerSheetDialog *self);
const char           *td_trainer_sheet_dialog_get_summary (TdTrainerSheetDialog *self);
gboolean              td_trainer_sheet_dialog_select     (TdTrainerSheetDialog *self,
                                                         int                   year,
                                                         const char           *trainer_uuid);
void                  td_trainer_sheet_dialog_save       (TdTrainerSheetDialog *self,
                                                         GFile                *file);
const char           *td_trainer_sheet_dialog_get_message (TdTrainerSheetDialog *self);

G_END_DECLS
