/* td-record-editor-private.h: for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-record-editor.h"

G_BEGIN_DECLS

void        td_record_editor_set_text     (TdRecordEditor *self,
                                           guint           field,
                                           const char     *text);
char       *td_record_editor_get_input    (TdRecordEditor *self,
                                           guint           field);
GtkWidget  *td_record_editor_get_row      (TdRecordEditor *self,
                                           guint           field);
const char *td_record_editor_get_message  (TdRecordEditor *self,
                                           guint           field);
gboolean    td_record_editor_get_can_save (TdRecordEditor *self);

G_END_DECLS
