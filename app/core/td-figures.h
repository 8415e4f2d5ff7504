/* td-figures.h: what the records add up to, year by year
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-store.h"

G_BEGIN_DECLS

/* The notice lets training volume count as full-time students' workload "at
 * a ratio": how many person-hours of training make one full-time student.
 * The default is a year of full-time vocational schooling, about 30 hours a
 * week for 40 weeks; each school sets its own. */
#define TD_FIGURES_DEFAULT_FTE_HOURS 1200.0
#define TD_FIGURES_FTE_HOURS_SETTING "fte-hours-per-student"

typedef struct
{
  int     year;
  gint64  sessions;
  gint64  participants;
  double  person_hours;       /* Σ participants × hours per participant */
  double  fte_students;       /* person_hours / the school's ratio */
  gint64  certificates;
  gint64  employed;
  double  revenue;
  double  trainer_hours;      /* Σ hours of the trainers who taught */
  guint   trainers;           /* how many taught */
} TdYearFigures;

typedef struct
{
  gint64  trainer_id;
  char   *name;
  int     year;
  double  hours;
} TdTrainerHours;

typedef struct
{
  gint64  programmes;
  gint64  trainers;
  gint64  full_time;
  gint64  part_time;
  gint64  experts;
  gint64  dual_qualified;
  gint64  venues;
  double  venue_area;
  gint64  venue_capacity;
  gint64  equipment_items;     /* rows */
  gint64  equipment_units;     /* Σ quantity */
  double  equipment_value;     /* Σ quantity × unit value, yuan */
  gint64  guarantees;
  gint64  results;
} TdCounts;

gboolean   td_figures_counts           (TdStore    *store,
                                        TdCounts   *counts,
                                        GError    **error);
gboolean   td_figures_has_records      (TdStore    *store);
double     td_figures_get_fte_hours    (TdStore    *store);
gboolean   td_figures_set_fte_hours    (TdStore    *store,
                                        const char *input,
                                        GError    **error);
GArray    *td_figures_by_year          (TdStore    *store,
                                        GError    **error);
gboolean   td_figures_latest_year      (TdStore    *store,
                                        int        *year,
                                        GError    **error);
GPtrArray *td_figures_trainer_hours    (TdStore    *store,
                                        int         year,
                                        GError    **error);
void       td_trainer_hours_free       (TdTrainerHours *hours);

G_END_DECLS
