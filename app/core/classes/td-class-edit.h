/* td-class-edit.h: changing a class after it is made — the class, its
 * sessions and their trainers, an enrolment's outcome, attendance from a
 * file — and reading one of each back for an editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-classes.h"

G_BEGIN_DECLS

/* A class as stored; its strings are owned (td_class_record_free()). */
typedef struct
{
  char        *uuid;
  TdClassInfo  info;
} TdClassRecord;

/* A trainer at a session, with the hours they taught. */
typedef struct
{
  char   *trainer_uuid;
  char   *name;
  double  hours;
} TdSessionTrainerHours;

typedef struct
{
  const char             *held_on;      /* YYYY-MM-DD */
  const char             *starts_at;    /* HH:MM */
  const char             *ends_at;
  double                  hours;
  const char             *venue_uuid;   /* NULL or "": the class's venue */
  const TdSessionTrainer *trainers;
  guint                   n_trainers;
} TdClassSessionInfo;

/* A session as stored, with its trainers; after td_class_session_delete(),
 * its attendance marks too, so that it can be put back. */
typedef struct
{
  char      *uuid;
  char      *class_uuid;
  char      *held_on;
  char      *starts_at;
  char      *ends_at;
  double     hours;
  char      *venue_uuid;     /* "" when none */
  GPtrArray *trainers;       /* TdSessionTrainerHours */
  GPtrArray *marks;          /* TdMark (td-class-list.h), or NULL */
} TdClassSessionRecord;

/* What became of a trainee: the assessment and certificate, and the
 * follow-up. Strings may be NULL for "". */
typedef struct
{
  const char *result;               /* "", passed, failed, absent */
  const char *certificate_kind;     /* "", vocational-qualification, skill-level, special-ability,
                                     * training-completion */
  const char *certificate_level;
  const char *certificate_number;
  const char *certificate_on;       /* required with a certificate */
  const char *employed_on;          /* NULL: not employed (as far as known) */
  const char *employed_by;
  gboolean    self_employed;
} TdEnrolmentOutcome;

/* The part of an outcome a refusal is about (td_enrolment_check_outcome()). */
typedef enum
{
  TD_OUTCOME_FIELD_NONE,
  TD_OUTCOME_FIELD_RESULT,
  TD_OUTCOME_FIELD_CERTIFICATE_KIND,
  TD_OUTCOME_FIELD_CERTIFICATE_ON,
  TD_OUTCOME_FIELD_EMPLOYED_ON,
  TD_OUTCOME_FIELD_EMPLOYED_BY,
} TdOutcomeField;

/* An enrolment as stored; its strings are owned. ID number and phone
 * are masked. */
typedef struct
{
  char               *uuid;
  char               *class_uuid;
  char               *trainee_uuid;
  char               *name;
  char               *id_number_masked;
  char               *phone_masked;
  char               *key_group;
  char               *employment;
  char               *employer;
  double              attended_hours;
  gboolean            completed;
  TdEnrolmentOutcome  outcome;
} TdEnrolmentRecord;

/* A trainer the session editor offers. */
typedef struct
{
  char *uuid;
  char *name;
} TdTrainerChoice;

/* How many rows an attendance file may have. */
#define TD_ATTENDANCE_MAX_ROWS 5000

gboolean              td_class_update               (TdStore                   *store,
                                                     const char                *class_uuid,
                                                     const TdClassInfo         *info,
                                                     GError                   **error);
TdClassRecord        *td_class_read                 (TdStore                   *store,
                                                     const char                *class_uuid,
                                                     GError                   **error);

gboolean              td_class_session_add          (TdStore                   *store,
                                                     const char                *class_uuid,
                                                     const TdClassSessionInfo  *info,
                                                     char                     **uuid,
                                                     GError                   **error);
gboolean              td_class_session_update       (TdStore                   *store,
                                                     const char                *session_uuid,
                                                     const TdClassSessionInfo  *info,
                                                     GError                   **error);
gboolean              td_class_session_delete       (TdStore                   *store,
                                                     const char                *session_uuid,
                                                     TdClassSessionRecord     **deleted,
                                                     GError                   **error);
gboolean              td_class_session_restore      (TdStore                   *store,
                                                     const TdClassSessionRecord *deleted,
                                                     GError                   **error);
TdClassSessionRecord *td_class_session_read         (TdStore                   *store,
                                                     const char                *session_uuid,
                                                     GError                   **error);
GPtrArray            *td_class_session_trainers     (TdStore                   *store,
                                                     const char                *session_uuid,
                                                     GError                   **error);
GPtrArray            *td_class_trainer_choices      (TdStore                   *store,
                                                     GError                   **error);

gboolean              td_enrolment_check_outcome    (const TdEnrolmentOutcome  *outcome,
                                                     TdOutcomeField            *field,
                                                     GError                   **error);
gboolean              td_enrolment_set_outcome      (TdStore                   *store,
                                                     const char                *enrolment_uuid,
                                                     const TdEnrolmentOutcome  *outcome,
                                                     GError                   **error);
TdEnrolmentRecord    *td_enrolment_read             (TdStore                   *store,
                                                     const char                *enrolment_uuid,
                                                     GError                   **error);

gboolean              td_attendance_import          (TdStore                   *store,
                                                     const char                *class_uuid,
                                                     const char                *path,
                                                     guint                     *n_marks,
                                                     GError                   **error);

void                  td_class_record_free          (TdClassRecord             *record);
void                  td_class_session_record_free  (TdClassSessionRecord      *record);
void                  td_session_trainer_hours_free (TdSessionTrainerHours     *trainer);
void                  td_enrolment_record_free      (TdEnrolmentRecord         *record);
void                  td_trainer_choice_free        (TdTrainerChoice           *choice);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdClassRecord, td_class_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdClassSessionRecord, td_class_session_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdEnrolmentRecord, td_enrolment_record_free)

G_END_DECLS
