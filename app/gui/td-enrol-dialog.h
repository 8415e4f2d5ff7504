/* td-enrol-dialog.h: one trainee put on a class's roster by hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-store.h"

G_BEGIN_DECLS

#define TD_TYPE_ENROL_DIALOG (td_enrol_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TdEnrolDialog, td_enrol_dialog, TD, ENROL_DIALOG, AdwWindow)

TdEnrolDialog *td_enrol_dialog_new        (TdStore       *store,
                                           GtkWindow     *parent,
                                           const char    *class_uuid);
void           td_enrol_dialog_set_text   (TdEnrolDialog *self,
                                           const char    *field,
                                           const char    *text);
void           td_enrol_dialog_set_choice (TdEnrolDialog *self,
                                           const char    *field,
                                           guint          position);
const char    *td_enrol_dialog_get_error  (TdEnrolDialog *self);

G_END_DECLS
