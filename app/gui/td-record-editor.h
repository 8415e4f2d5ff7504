/* td-record-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-record-list.h"
#include "td-session.h"

G_BEGIN_DECLS

#define TD_TYPE_RECORD_EDITOR (td_record_editor_get_type ())
G_DECLARE_FINAL_TYPE (TdRecordEditor, td_record_editor, TD, RECORD_EDITOR, AdwWindow)

TdRecordEditor *td_record_editor_new        (GtkWindow      *parent,
                                             TdSession      *session,
                                             const char     *kind_id,
                                             TdRecord       *record);
TdRecordList   *td_record_editor_get_list   (TdRecordEditor *self);
TdRecord       *td_record_editor_get_record (TdRecordEditor *self);

G_END_DECLS
