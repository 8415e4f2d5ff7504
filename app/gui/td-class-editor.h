/* td-class-editor.h: a class, new or edited, its fields in one dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-store.h"

G_BEGIN_DECLS

#define TD_TYPE_CLASS_EDITOR (td_class_editor_get_type ())
G_DECLARE_FINAL_TYPE (TdClassEditor, td_class_editor, TD, CLASS_EDITOR, AdwWindow)

TdClassEditor *td_class_editor_new        (TdStore       *store,
                                           GtkWindow     *parent);
TdClassEditor *td_class_editor_new_for_class (TdStore     *store,
                                             GtkWindow   *parent,
                                             const char  *class_uuid,
                                             GError     **error);
void           td_class_editor_set_text   (TdClassEditor *self,
                                           const char    *field,
                                           const char    *text);
void           td_class_editor_set_choice (TdClassEditor *self,
                                           const char    *field,
                                           guint          position);
const char    *td_class_editor_get_error  (TdClassEditor *self);

G_END_DECLS
