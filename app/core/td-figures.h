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
  gint64  participants;       /* 人次: a person trained twice counts twice */
  double  person_hours;       /* Σ participants × hours per participant */
  double  fte_students;       /* person_hours / the school's ratio (exact) */
  gint64  certificates;       /* per participation (人次) */
  gint64  jobseekers;         /* participants of key groups and the unemployed */
  gint64  employed;           /* of the job-seekers; employees are not counted */
  double  revenue;
  double  trainer_hours;      /* Σ hours of the trainers who taught */
  guint   trainers;           /* how many taught */
  double  hours_by_category[3]; /* person-hours: enterprise-staff, key-groups, unemployed */
  /* Computed from the year's classes (docs/classes.md), not typed; then
   * a rate whose classes are not all assessed / followed up is unknown. */
  gboolean from_classes;
  gboolean certificates_unknown;
  gboolean employment_unknown;
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
  gint64  equipment_items;     /* rows, every state */
  gint64  equipment_units;     /* Σ quantity of usable items (in use, idle) */
  double  equipment_value;     /* Σ quantity × unit value of usable items, yuan */
  gint64  guarantees;
  gint64  results;
} TdCounts;

gboolean   td_figures_counts           (TdStore    *store,
                                        TdCounts   *counts,
                                        GError    **error);
GHashTable *td_figures_kind_counts     (TdStore    *store,
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
gint64     td_figures_fte_persons      (double      person_hours,
                                        double      fte_hours);
char      *td_figures_format_ratio     (double      fte_hours);

/* One figure the drafts print: its value exactly as printed, what it
 * means (docs/figures.md), and which records it counts. */
typedef struct
{
  char   *id;           /* "equipment.units" */
  char   *value;        /* "4371", as the drafts print it */
  char   *label;        /* translated, short */
  char   *definition;   /* translated, one sentence */
  char   *kind;         /* the record kind counted ("equipment"), or NULL */
  gint64  n_records;    /* how many of them */
  /* private */
  const char *where;    /* SQL condition on the kind's table; ?1, ?2 the years */
} TdFigure;

/* Every figure of fields 8 and 9, computed once: the drafts, the form
 * page's basis list and the checks of edited texts all read these. */
typedef struct
{
  int        first_year;
  int        last_year;
  double     fte_hours;
  TdCounts   counts;
  /* Field 8 */
  gint64     senior;              /* 正高级 */
  gint64     associate_senior;    /* 副高级 */
  gint64     intermediate;
  gint64     equipment_kinds;     /* distinct names of usable items */
  gint64     training_bases, workshops, classrooms;
  gint64     physical_venues;
  double     physical_area;
  gint64     physical_places;
  gint64     online_platforms;
  gint64     online_seats;
  /* Field 9, over first_year..last_year */
  gint64     sessions;
  gint64     participants;
  double     person_hours;
  gint64     fte_persons;
  gint64     by_category[3];      /* enterprise-staff, key-groups, unemployed */
  gint64     certificates;
  gint64     jobseekers;
  gint64     employed;
  double     satisfaction;        /* < 0 when none recorded */
  gint64     by_year[3];          /* first_year, +1, +2 (last_year when 3 years) */
  /* Of those years, the ones computed from classes (docs/classes.md). A
   * rate some of whose classes are not assessed or followed up yet is
   * not known: its figure's value is "—" and the drafts do not state it. */
  gint64     classes;
  guint      class_years;
  int        class_year_list[8];
  gint64     not_assessed;
  gint64     not_followed_up;
  GPtrArray *figures;             /* TdFigure */
} TdFigureSet;

TdFigureSet    *td_figure_set_compute  (TdStore     *store,
                                        int          first_year,
                                        int          last_year,
                                        GError     **error);
void            td_figure_set_free     (TdFigureSet *set);
const TdFigure *td_figure_set_lookup   (TdFigureSet *set,
                                        const char  *id);
const char     *td_figure_set_value    (TdFigureSet *set,
                                        const char  *id);
GPtrArray      *td_figure_set_match    (TdFigureSet *set,
                                        const char  *text);
GPtrArray      *td_figures_numbers_in  (const char  *text);
GPtrArray      *td_figure_record_uuids (TdStore        *store,
                                        TdFigureSet    *set,
                                        const TdFigure *figure,
                                        GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdFigureSet, td_figure_set_free)

G_END_DECLS
