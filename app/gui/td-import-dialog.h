/* td-import-dialog.h: which column fills which field, and what importing will do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-import.h"

G_BEGIN_DECLS

#define TD_TYPE_IMPORT_DIALOG (td_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TdImportDialog, td_import_dialog, TD, IMPORT_DIALOG, AdwWindow)

TdImportDialog *td_import_dialog_new            (GtkWindow      *parent,
                                                 TdImport       *import);
TdImport       *td_import_dialog_get_import     (TdImportDialog *self);

/* For tests. */
GtkDropDown    *td_import_dialog_get_drop_down  (TdImportDialog *self,
                                                 guint           column);
gboolean        td_import_dialog_is_busy        (TdImportDialog *self);
gboolean        td_import_dialog_get_can_import (TdImportDialog *self);
const char     *td_import_dialog_get_summary    (TdImportDialog *self);
guint           td_import_dialog_get_n_problems_shown (TdImportDialog *self);
GtkSwitch      *td_import_dialog_get_create_switch (TdImportDialog *self);
AdwComboRow    *td_import_dialog_get_choice_row (TdImportDialog *self,
                                                 guint           index);

G_END_DECLS
