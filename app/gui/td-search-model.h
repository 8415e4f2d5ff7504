/* td-search-model.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "td-record-list.h"

G_BEGIN_DECLS

#define TD_TYPE_SEARCH_MODEL (td_search_model_get_type ())
G_DECLARE_FINAL_TYPE (TdSearchModel, td_search_model, TD, SEARCH_MODEL, GObject)

TdSearchModel *td_search_model_new      (GListModel      *source,
                                         TdRecordList    *list);
void           td_search_model_refilter (TdSearchModel   *self,
                                         GtkFilterChange  change);
TdRecord      *td_search_model_peek     (TdSearchModel   *self,
                                         guint            position);

G_END_DECLS
