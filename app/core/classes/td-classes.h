/* td-classes.h: training classes, sessions, rosters, attendance,
 * assessment and follow-up (issue 15)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-store.h"

G_BEGIN_DECLS

#define TD_CLASSES_ERROR (td_classes_error_quark ())

typedef enum
{
  TD_CLASSES_ERROR_INVALID,    /* a value the class cannot take */
  TD_CLASSES_ERROR_NOT_FOUND,  /* no such class, session, trainee… */
  TD_CLASSES_ERROR_IMPORT,     /* a roster with bad rows: nothing imported */
} TdClassesError;

typedef enum
{
  TD_ATTENDANCE_PRESENT = 0,
  TD_ATTENDANCE_ABSENT  = 1,
  TD_ATTENDANCE_EXCUSED = 2,
} TdAttendance;

/* The key groups of the notice (重点人群), as stored. */
#define TD_N_KEY_GROUPS 6
extern const char * const td_key_groups[TD_N_KEY_GROUPS];

typedef struct
{
  const char *name;
  const char *programme_uuid;    /* or NULL */
  const char *category;          /* enterprise-staff, key-groups, unemployed */
  const char *key_group;         /* "" or one of td_key_groups */
  const char *mode;              /* offline, online, blended */
  const char *venue_uuid;        /* or NULL */
  const char *starts_on;         /* YYYY-MM-DD */
  const char *ends_on;
  double      planned_hours;
  gint64      capacity;
  double      fee;               /* per trainee, yuan */
  const char *subsidy_source;
  const char *status;            /* planned, running, finished */
  double      completion_percent; /* 0 for the default, 80 */
} TdClassInfo;

typedef struct
{
  const char *trainer_uuid;
  double      hours;
} TdSessionTrainer;

typedef struct
{
  const char *name;
  const char *id_number;         /* validated (GB 11643) */
  const char *phone;             /* or NULL */
  const char *key_group;         /* or NULL */
  const char *employment;        /* or NULL: employed, unemployed, student, other */
  const char *employer;          /* or NULL */
} TdEnrolInfo;

typedef struct
{
  char     *enrolment_uuid;
  char     *trainee_name;
  double    attended_hours;
  gboolean  completed;
} TdCompletion;

GQuark    td_classes_error_quark         (void);

gboolean  td_class_insert                (TdStore                *store,
                                          const TdClassInfo      *info,
                                          char                  **uuid,
                                          GError                **error);
gboolean  td_class_set_status            (TdStore                *store,
                                          const char             *class_uuid,
                                          const char             *status,
                                          GError                **error);
gboolean  td_class_set_assessed          (TdStore                *store,
                                          const char             *class_uuid,
                                          const char             *date,
                                          GError                **error);
gboolean  td_class_set_followed_up       (TdStore                *store,
                                          const char             *class_uuid,
                                          const char             *date,
                                          GError                **error);
gboolean  td_class_delete                (TdStore                *store,
                                          const char             *class_uuid,
                                          GError                **error);

gboolean  td_class_add_session           (TdStore                *store,
                                          const char             *class_uuid,
                                          const char             *held_on,
                                          const char             *starts_at,
                                          const char             *ends_at,
                                          double                  hours,
                                          const char             *venue_uuid,
                                          const TdSessionTrainer *trainers,
                                          guint                   n_trainers,
                                          char                  **uuid,
                                          GError                **error);

gboolean  td_class_enrol                 (TdStore                *store,
                                          const char             *class_uuid,
                                          const TdEnrolInfo      *info,
                                          char                  **enrolment_uuid,
                                          GError                **error);

gboolean  td_attendance_record           (TdStore                *store,
                                          const char             *session_uuid,
                                          const char * const     *enrolment_uuids,
                                          const TdAttendance     *marks,
                                          guint                   n_marks,
                                          GError                **error);
gboolean  td_completion_reached          (double                  attended_hours,
                                          double                  planned_hours,
                                          double                  completion_percent);
GPtrArray *td_class_completion           (TdStore                *store,
                                          const char             *class_uuid,
                                          GError                **error);
void      td_completion_free             (TdCompletion           *completion);

gboolean  td_enrolment_set_assessment    (TdStore                *store,
                                          const char             *enrolment_uuid,
                                          const char             *result,
                                          const char             *certificate_kind,
                                          const char             *certificate_level,
                                          const char             *certificate_number,
                                          const char             *certificate_on,
                                          GError                **error);
gboolean  td_enrolment_set_follow_up     (TdStore                *store,
                                          const char             *enrolment_uuid,
                                          const char             *employed_on,
                                          const char             *employed_by,
                                          gboolean                self_employed,
                                          GError                **error);

/* For the modules of this folder. */
gboolean  td_classes_check_date          (const char             *date,
                                          const char             *what,
                                          GError                **error);
gboolean  td_classes_enrol_in_transaction (TdStore               *store,
                                          gint64                  class_id,
                                          const TdEnrolInfo      *info,
                                          gint64                 *enrolment_id,
                                          GError                **error);
gint64    td_classes_lookup_id           (TdStore                *store,
                                          const char             *table,
                                          const char             *uuid,
                                          GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdCompletion, td_completion_free)

G_END_DECLS
