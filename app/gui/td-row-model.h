/* td-row-model.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "td-record.h"

G_BEGIN_DECLS

#define TD_TYPE_ROW (td_row_get_type ())
G_DECLARE_FINAL_TYPE (TdRow, td_row, TD, ROW, GObject)

TdRecord   *td_row_get_record (TdRow      *self);

#define TD_TYPE_ROW_MODEL (td_row_model_get_type ())
G_DECLARE_FINAL_TYPE (TdRowModel, td_row_model, TD, ROW_MODEL, GObject)

/* A change of more rows than this is taken as a new list: see td-row-model.c. */
#define TD_ROW_MODEL_BULK 64

TdRowModel *td_row_model_new  (GListModel *records);

G_END_DECLS
