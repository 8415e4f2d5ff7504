/* td-record-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TD_RECORD_ROW_MAX_COLUMNS 24

/* Where the columns of a list are, shared by its rows: set by the header
 * (TdRecordHeader) from its column titles. A column not shown has width 0. */
typedef struct
{
  guint    n_columns;
  int      x[TD_RECORD_ROW_MAX_COLUMNS];      /* of the text, from the row's left */
  int      width[TD_RECORD_ROW_MAX_COLUMNS];  /* of the text */
  gboolean numeric[TD_RECORD_ROW_MAX_COLUMNS];
  int      text_height;                        /* a line with Latin and Chinese */
  int      text_baseline;
  int      row_width;
  GtkWidget *list;                             /* drawn again when they move */
} TdRecordColumns;

#define TD_TYPE_RECORD_ROW (td_record_row_get_type ())
G_DECLARE_FINAL_TYPE (TdRecordRow, td_record_row, TD, RECORD_ROW, GtkWidget)

GtkWidget  *td_record_row_new       (TdRecordColumns *columns);
void        td_record_row_set_texts (TdRecordRow     *self,
                                     char           **texts,
                                     const char      *label);
const char *td_record_row_get_text  (TdRecordRow     *self,
                                     guint            column);

/* A column view's header as the header of a list of TdRecordRows. */
#define TD_TYPE_RECORD_HEADER (td_record_header_get_type ())
G_DECLARE_FINAL_TYPE (TdRecordHeader, td_record_header, TD, RECORD_HEADER, GtkWidget)

GtkWidget  *td_record_header_new    (GtkColumnView   *column_view,
                                     TdRecordColumns *columns);

G_END_DECLS
