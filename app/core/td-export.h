/* td-export.h: a list of records as a CSV or xlsx file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-csv.h"
#include "td-record-list.h"

G_BEGIN_DECLS

TdTable  *td_export_table   (TdRecordList  *list,
                             GListModel    *records);
gboolean  td_export_to_file (TdRecordList  *list,
                             GListModel    *records,
                             const char    *path,
                             guint         *n_exported,
                             GError       **error);
void      td_export_to_file_async  (TdRecordList         *list,
                                    GListModel           *records,
                                    const char           *path,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
gboolean  td_export_to_file_finish (TdRecordList         *list,
                                    GAsyncResult         *result,
                                    guint                *n_exported,
                                    GError              **error);

G_END_DECLS
