/* td-record-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-record-list.h"
#include "td-session.h"

G_BEGIN_DECLS

#define TD_TYPE_RECORD_PAGE (td_record_page_get_type ())
G_DECLARE_FINAL_TYPE (TdRecordPage, td_record_page, TD, RECORD_PAGE, AdwBin)

GtkWidget    *td_record_page_new          (TdSession    *session,
                                           const char   *kind_id);
TdRecordList *td_record_page_get_list     (TdRecordPage *self);
void          td_record_page_show_only    (TdRecordPage *self,
                                           GPtrArray    *uuids,
                                           const char   *label);
gboolean      td_record_page_is_showing_only (TdRecordPage *self);
void          td_record_page_set_header   (TdRecordPage *self,
                                           GtkWidget    *header);

G_END_DECLS
