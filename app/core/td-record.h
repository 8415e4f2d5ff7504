/* td-record.h: one record (a trainer, a venue, a year's result, …)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "td-record-kind.h"

G_BEGIN_DECLS

/* Looks up the id of the record of @kind_id named @name; 0 when there is
 * none (with @error set), -1 when several have that name. */
typedef gint64 (*TdResolveFunc) (const char  *kind_id,
                                 const char  *name,
                                 gpointer     user_data,
                                 GError     **error);
/* The name of the record of @kind_id with @id, or NULL. */
typedef const char *(*TdNameFunc) (const char *kind_id,
                                   gint64      id,
                                   gpointer    user_data);

#define TD_TYPE_RECORD (td_record_get_type ())
G_DECLARE_FINAL_TYPE (TdRecord, td_record, TD, RECORD, GObject)

TdRecord           *td_record_new         (const TdRecordKind  *kind,
                                           gint64               id,
                                           const char          *uuid,
                                           char               **values);
const TdRecordKind *td_record_get_kind    (TdRecord            *self);
gint64              td_record_get_id      (TdRecord            *self);
const char         *td_record_get_uuid    (TdRecord            *self);
const char         *td_record_get         (TdRecord            *self,
                                           guint                field);
const char * const *td_record_get_values  (TdRecord            *self);
void                td_record_set_values  (TdRecord            *self,
                                           char               **values);
double              td_record_get_number  (TdRecord            *self,
                                           guint                field);
void                td_record_set_id      (TdRecord            *self,
                                           gint64               id);
guint               td_record_get_serial  (TdRecord            *self);
void                td_record_set_serial  (TdRecord            *self,
                                           guint                serial);

gboolean            td_field_parse        (const TdField       *field,
                                           const char          *input,
                                           TdResolveFunc        resolve,
                                           gpointer             user_data,
                                           char               **stored,
                                           GError             **error);
char               *td_field_display      (const TdField       *field,
                                           const char          *stored,
                                           TdNameFunc           name_of,
                                           gpointer             user_data);
char               *td_field_export       (const TdField       *field,
                                           const char          *stored,
                                           TdNameFunc           name_of,
                                           gpointer             user_data);

G_END_DECLS
