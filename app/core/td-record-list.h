/* td-record-list.h: every record of one kind, as a list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "td-record.h"
#include "td-store.h"

G_BEGIN_DECLS

typedef struct _TdDeletion TdDeletion;

#define TD_TYPE_RECORD_LIST (td_record_list_get_type ())
G_DECLARE_FINAL_TYPE (TdRecordList, td_record_list, TD, RECORD_LIST, GObject)

TdRecordList       *td_record_list_get          (TdStore             *store,
                                                 const char          *kind_id,
                                                 GError             **error);
const TdRecordKind *td_record_list_get_kind     (TdRecordList        *self);
TdStore            *td_record_list_get_store    (TdRecordList        *self);
gboolean            td_record_list_reload       (TdRecordList        *self,
                                                 GError             **error);

TdRecord           *td_record_list_find         (TdRecordList        *self,
                                                 gint64               id);
const char         *td_record_list_name_of      (TdRecordList        *self,
                                                 gint64               id);
gint64              td_record_list_id_of        (TdRecordList        *self,
                                                 const char          *name);
TdRecord           *td_record_list_find_by_key  (TdRecordList        *self,
                                                 const char * const  *stored);

char              **td_record_list_parse        (TdRecordList        *self,
                                                 const char * const  *inputs,
                                                 int                 *bad_field,
                                                 GError             **error);
char               *td_record_list_display      (TdRecordList        *self,
                                                 TdRecord            *record,
                                                 guint                field);
char               *td_record_list_export       (TdRecordList        *self,
                                                 TdRecord            *record,
                                                 guint                field);

TdRecord           *td_record_list_add          (TdRecordList        *self,
                                                 const char * const  *inputs,
                                                 int                 *bad_field,
                                                 GError             **error);
gboolean            td_record_list_update       (TdRecordList        *self,
                                                 TdRecord            *record,
                                                 const char * const  *inputs,
                                                 int                 *bad_field,
                                                 GError             **error);
TdDeletion         *td_record_list_delete       (TdRecordList        *self,
                                                 TdRecord           **records,
                                                 guint                n_records,
                                                 GError             **error);
gboolean            td_record_list_undo_delete  (TdRecordList        *self,
                                                 TdDeletion          *deletion,
                                                 GError             **error);
void                td_record_lists_reload      (TdStore             *store);
guint               td_deletion_get_count       (TdDeletion          *deletion);
void                td_deletion_free            (TdDeletion          *deletion);

guint               td_record_list_set_query    (TdRecordList        *self,
                                                 const char          *query);
gboolean            td_record_list_matches      (TdRecordList        *self,
                                                 TdRecord            *record);
void                td_record_list_set_only     (TdRecordList        *self,
                                                 GPtrArray           *uuids);
int                 td_record_list_get_only_count (TdRecordList      *self);
void                td_record_list_keep_search_ready (TdRecordList   *self);
gboolean            td_record_list_is_search_ready   (TdRecordList   *self);

double              td_record_list_get_sum      (TdRecordList        *self,
                                                 guint                field);
double              td_record_list_get_sum_product (TdRecordList     *self,
                                                 guint                field,
                                                 guint                times);
guint               td_record_list_count_choice (TdRecordList        *self,
                                                 guint                field,
                                                 const char          *choice_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdDeletion, td_deletion_free)

G_END_DECLS
