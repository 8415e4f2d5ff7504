/* td-class-figures.h: the yearly results computed from classes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-classes.h"

G_BEGIN_DECLS

/* One year's results from its classes (docs/figures.md, "From classes").
 * A rate whose classes are not all assessed (certificates) or followed
 * up (employment) is unknown: *_known is FALSE and the rate NAN. */
typedef struct
{
  int       year;
  gint64    classes;            /* 期: classes that ended in the year, not planned */
  gint64    enrolled;
  gint64    participants;       /* 人次: enrolments that attended at least once */
  gint64    completed;          /* reached their class's completion rule */
  double    person_hours;       /* Σ hours attended */
  double    fte_students;       /* person_hours ÷ the school's ratio */
  gint64    by_category[3];     /* participants: enterprise-staff, key-groups, unemployed */
  double    hours_by_category[3];
  gint64    by_key_group[TD_N_KEY_GROUPS]; /* participants, in td_key_groups order */
  gint64    certificates;
  gint64    not_assessed;       /* participants of classes not assessed yet */
  gboolean  certificate_rate_known;
  double    certificate_rate;   /* percent */
  gint64    jobseekers;         /* participants of key-groups and unemployed classes */
  gint64    employed;
  gint64    not_followed_up;    /* job-seekers of classes not followed up yet */
  gboolean  employment_rate_known;
  double    employment_rate;    /* percent */
  double    revenue;            /* Σ fee of the participants */
  double    trainer_hours;      /* Σ hours taught at sessions held in the year */
  guint     trainers;
} TdClassYear;

/* What td_class_figures_adjust_range() took from classes, over the
 * years of a range that have them. */
typedef struct
{
  gint64  classes;
  guint   n_years;
  int     years[8];          /* the first n_years of them, oldest first */
  gint64  not_assessed;      /* participants of classes not assessed yet */
  gint64  not_followed_up;   /* job-seekers of classes not followed up yet */
} TdClassRange;

typedef struct
{
  char   *trainer_uuid;
  char   *name;
  int     year;
  double  hours;
  gint64  sessions;
  gint64  classes;
  gint64  participants;   /* of the classes they taught in */
  gint64  certificates;   /* of those participants */
} TdTrainerYear;

typedef enum
{
  TD_CONFLICT_TRAINER_DOUBLE_BOOKED,
  TD_CONFLICT_VENUE_OVER_CAPACITY,
} TdConflictKind;

typedef struct
{
  TdConflictKind  kind;
  char           *session_uuid;
  char           *other_session_uuid;  /* the overlapping one (double booking) */
  char           *name;                /* the trainer or venue */
  char           *held_on;
  char           *starts_at;
  gint64          people;              /* on the rosters at once (capacity) */
  gint64          capacity;
} TdConflict;

GArray    *td_class_figures_years     (TdStore     *store,
                                       GError     **error);
gboolean   td_class_figures_year      (TdStore     *store,
                                       int          year,
                                       TdClassYear *figures,
                                       GError     **error);
gboolean   td_class_figures_apply     (TdStore     *store,
                                       GArray      *years,
                                       GError     **error);
gboolean   td_class_figures_adjust_range (TdStore  *store,
                                       int          first_year,
                                       int          last_year,
                                       double      *sums,
                                       TdClassRange *range,
                                       GError     **error);
GPtrArray *td_class_trainer_results   (TdStore     *store,
                                       int          year,
                                       GError     **error);
void       td_trainer_year_free       (TdTrainerYear *trainer);
gboolean   td_class_trainer_sheet_csv (TdStore     *store,
                                       int          year,
                                       const char  *path,
                                       GError     **error);
GPtrArray *td_class_conflicts         (TdStore     *store,
                                       const char  *from,
                                       const char  *to,
                                       GError     **error);
void       td_conflict_free           (TdConflict  *conflict);

G_END_DECLS
