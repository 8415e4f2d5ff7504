/* td-record-list-private.h: bulk writes for the core (import)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-record-list.h"

G_BEGIN_DECLS

/* Inside td_store_transaction() only: write already parsed values
 * (td_record_list_parse()). The list itself is not changed: call
 * td_record_list_reload() once the transaction has committed. */
gboolean td_record_list_insert_stored (TdRecordList        *self,
                                       const char * const  *stored,
                                       GError             **error);
gboolean td_record_list_update_stored (TdRecordList        *self,
                                       gint64               id,
                                       const char * const  *stored,
                                       GError             **error);

char   **td_record_list_parse_with    (TdRecordList        *self,
                                       const char * const  *inputs,
                                       TdResolveFunc        resolve,
                                       gpointer             user_data,
                                       int                 *bad_field,
                                       GError             **error);

G_END_DECLS
