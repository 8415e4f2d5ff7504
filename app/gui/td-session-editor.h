/* td-session-editor.h: a class's session, new or edited, with its trainers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-store.h"

G_BEGIN_DECLS

#define TD_TYPE_SESSION_EDITOR (td_session_editor_get_type ())
G_DECLARE_FINAL_TYPE (TdSessionEditor, td_session_editor, TD, SESSION_EDITOR, AdwWindow)

TdSessionEditor *td_session_editor_new             (TdStore         *store,
                                                    GtkWindow       *parent,
                                                    const char      *class_uuid);
TdSessionEditor *td_session_editor_new_for_session (TdStore         *store,
                                                    GtkWindow       *parent,
                                                    const char      *session_uuid,
                                                    GError         **error);
void             td_session_editor_set_text        (TdSessionEditor *self,
                                                    const char      *field,
                                                    const char      *text);
void             td_session_editor_set_trainer_hours (TdSessionEditor *self,
                                                    guint            index,
                                                    const char      *text);
const char      *td_session_editor_get_error       (TdSessionEditor *self);

G_END_DECLS
