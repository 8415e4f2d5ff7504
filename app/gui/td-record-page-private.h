/* td-record-page-private.h: for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-import-dialog.h"
#include "td-record-editor.h"
#include "td-record-page.h"

G_BEGIN_DECLS

GtkEditable       *td_record_page_get_search_entry (TdRecordPage *self);
GListModel        *td_record_page_get_shown        (TdRecordPage *self);
GtkSelectionModel *td_record_page_get_selection    (TdRecordPage *self);
GtkColumnView     *td_record_page_get_column_view  (TdRecordPage *self);
TdRecordEditor    *td_record_page_get_editor       (TdRecordPage *self);
const char        *td_record_page_get_footer       (TdRecordPage *self);
const char        *td_record_page_get_state        (TdRecordPage *self);
gboolean           td_record_page_is_exporting     (TdRecordPage *self);
void               td_record_page_export_to        (TdRecordPage *self,
                                                    const char   *path);
void               td_record_page_import_from      (TdRecordPage *self,
                                                    const char   *path);
TdImportDialog    *td_record_page_get_import_dialog (TdRecordPage *self);
GtkColumnViewColumn *td_record_page_get_hours_column (TdRecordPage *self);
char              *td_record_page_dup_hours_text   (TdRecordPage *self,
                                                    TdRecord     *record);
char              *td_record_page_dup_cell_text    (TdRecordPage *self,
                                                    TdRecord     *record,
                                                    guint         field);

G_END_DECLS
