/* td-chart.h: a small bar chart drawn by the toolkit, readable aloud
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum
{
  TD_CHART_COUNT,     /* whole numbers: 1,234 */
  TD_CHART_PERCENT,   /* values 0..100, shown as 87% */
} TdChartUnit;

#define TD_TYPE_CHART (td_chart_get_type ())
G_DECLARE_FINAL_TYPE (TdChart, td_chart, TD, CHART, GtkWidget)

GtkWidget  *td_chart_new         (const char         *title,
                                  const char         *unit_label,
                                  TdChartUnit         unit,
                                  gboolean            stacked);
void        td_chart_set_data    (TdChart            *self,
                                  guint               n_groups,
                                  const char * const *group_labels,
                                  guint               n_series,
                                  const char * const *series_labels,
                                  const double       *values);
const char *td_chart_get_summary (TdChart            *self);

char       *td_format_count      (gint64              n);
char       *td_format_decimal    (double              value,
                                  int                 decimals);

G_END_DECLS
