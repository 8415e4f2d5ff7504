/* td-xlsx.h: reading and writing Excel workbooks (.xlsx)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-csv.h"

G_BEGIN_DECLS

TdTable  *td_xlsx_read  (const char      *path,
                         GError         **error);
gboolean  td_xlsx_write (TdTable         *table,
                         const char      *path,
                         const char      *sheet_name,
                         const gboolean  *numeric,
                         GError         **error);

G_END_DECLS
