/* td-results-charts.h: the three-year figures as three small charts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-figures.h"
#include "td-session.h"

G_BEGIN_DECLS

#define TD_RESULTS_CHARTS_YEARS 3

/* What the charts show, read off the main loop by the figures API. */
typedef struct
{
  guint   n_years;
  int     years[TD_RESULTS_CHARTS_YEARS];             /* oldest first */
  gint64  by_category[TD_RESULTS_CHARTS_YEARS][3];    /* person-times: enterprise staff, key groups, unemployed */
  double  person_hours[TD_RESULTS_CHARTS_YEARS];
  double  hours_by_category[TD_RESULTS_CHARTS_YEARS][3];  /* the same categories */
  gint64  participants[TD_RESULTS_CHARTS_YEARS];
  gint64  certificates[TD_RESULTS_CHARTS_YEARS];
  gint64  jobseekers[TD_RESULTS_CHARTS_YEARS];
  gint64  employed[TD_RESULTS_CHARTS_YEARS];
  /* Where each year's figures come from (docs/classes.md) */
  gboolean from_classes[TD_RESULTS_CHARTS_YEARS];
  gint64   classes[TD_RESULTS_CHARTS_YEARS];
  gboolean certificates_unknown[TD_RESULTS_CHARTS_YEARS];
  gboolean employment_unknown[TD_RESULTS_CHARTS_YEARS];
} TdChartFigures;

typedef enum
{
  TD_RESULTS_CHART_PARTICIPANTS,
  TD_RESULTS_CHART_PERSON_HOURS,
  TD_RESULTS_CHART_RATES,
  TD_RESULTS_N_CHARTS
} TdResultsChart;

#define TD_TYPE_RESULTS_CHARTS (td_results_charts_get_type ())
G_DECLARE_FINAL_TYPE (TdResultsCharts, td_results_charts, TD, RESULTS_CHARTS, GtkWidget)

gboolean   td_chart_figures_compute           (TdStore              *reader,
                                               GArray               *years,
                                               TdChartFigures       *figures,
                                               GError              **error);

char      *td_year_figures_source             (const TdYearFigures  *year);
const char *td_year_figures_certificates_unknown (void);
const char *td_year_figures_employment_unknown (void);

GtkWidget *td_results_charts_new              (GtkOrientation        orientation);
GtkWidget *td_results_charts_new_for_session  (TdSession            *session);
void       td_results_charts_set_figures      (TdResultsCharts      *self,
                                               const TdChartFigures *figures);
GtkWidget *td_results_charts_get_chart        (TdResultsCharts      *self,
                                               TdResultsChart        chart);
gboolean   td_results_charts_is_busy          (TdResultsCharts      *self);
const char *td_results_charts_get_sources     (TdResultsCharts      *self);

G_END_DECLS
