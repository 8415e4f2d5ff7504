/* td-revisions-dialog.h: the revisions of the form, and what changed between two
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"

#include "td-revision.h"
#include "td-store.h"

G_BEGIN_DECLS

#define TD_TYPE_REVISIONS_DIALOG (td_revisions_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TdRevisionsDialog, td_revisions_dialog, TD, REVISIONS_DIALOG, AdwWindow)

TdRevisionsDialog *td_revisions_dialog_new          (GtkWindow           *parent,
                                                     TdSession           *session);

/* Shared with the sign-off dialog and the window. */
GtkWidget         *td_form_change_row_new           (const TdFormChange  *change);
char               *td_revisions_describe_failures (GPtrArray *failures);

/* For tests. */
guint              td_revisions_dialog_get_n_entries (TdRevisionsDialog  *self);
TdRevision        *td_revisions_dialog_get_revision (TdRevisionsDialog   *self,
                                                     guint                i);
const char        *td_revisions_dialog_get_failure  (TdRevisionsDialog   *self,
                                                     guint                i);
GtkDropDown       *td_revisions_dialog_get_drop_down (TdRevisionsDialog  *self,
                                                     guint                i);
guint              td_revisions_dialog_get_n_changes (TdRevisionsDialog  *self);
void               td_revisions_dialog_save_pdf     (TdRevisionsDialog   *self,
                                                     guint                i,
                                                     GFile               *file,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean           td_revisions_dialog_save_pdf_finish (TdRevisionsDialog *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
