/* td-class-list.h: what the classes' pages show, read in one query each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-record-kind.h"
#include "td-store.h"

G_BEGIN_DECLS

typedef struct
{
  char   *uuid;
  char   *name;
  char   *programme;       /* "" when none */
  char   *venue;           /* "" when none */
  char   *category;
  char   *mode;
  char   *status;
  char   *starts_on;
  char   *ends_on;
  double  planned_hours;
  double  completion_percent;
  gint64  capacity;
  gint64  enrolled;
  gint64  completed;
} TdClassSummary;

typedef struct
{
  char     *enrolment_uuid;
  char     *name;
  char     *id_number;      /* masked: td_id_number_mask() */
  char     *phone;          /* masked: td_phone_mask(), "" when none */
  double    attended_hours;
  gboolean  completed;      /* by the class's rule: td_completion_reached() */
  char     *result;         /* "", passed, failed, absent */
  char     *certificate_kind;   /* "" when none */
  char     *certificate_level;
  char     *employed_on;    /* "" when not (yet) employed */
  gboolean  self_employed;
} TdRosterEntry;

typedef struct
{
  char   *uuid;
  char   *held_on;
  char   *starts_at;
  char   *ends_at;
  double  hours;
  char   *venue;            /* "" when none */
  char   *trainers;         /* names, comma-separated */
} TdSessionSummary;

/* An attendance mark: TdAttendance's values. */
typedef struct
{
  char *enrolment_uuid;
  char *session_uuid;
  int   status;
} TdMark;

/* A programme or a venue the class editor offers. */
typedef struct
{
  char *uuid;
  char *name;
  char *category;   /* a programme's; "" for a venue */
} TdNamedRow;

const TdChoice *td_class_categories      (void);
const TdChoice *td_class_key_groups      (void);
const TdChoice *td_class_modes           (void);
const TdChoice *td_class_statuses        (void);
const TdChoice *td_class_results         (void);
const TdChoice *td_class_certificates    (void);
const TdChoice *td_class_employments     (void);
const char     *td_class_choice_label    (const TdChoice *choices,
                                          const char     *id);

GArray         *td_class_list_years      (TdStore        *store,
                                          GError        **error);
GPtrArray      *td_class_list            (TdStore        *store,
                                          int             year,
                                          GError        **error);
TdClassSummary *td_class_summary         (TdStore        *store,
                                          const char     *class_uuid,
                                          GError        **error);
GPtrArray      *td_class_roster          (TdStore        *store,
                                          const char     *class_uuid,
                                          GError        **error);
GPtrArray      *td_class_sessions        (TdStore        *store,
                                          const char     *class_uuid,
                                          GError        **error);
GPtrArray      *td_class_marks           (TdStore        *store,
                                          const char     *class_uuid,
                                          GError        **error);
GPtrArray      *td_class_programmes      (TdStore        *store,
                                          GError        **error);
GPtrArray      *td_class_venues          (TdStore        *store,
                                          GError        **error);

void            td_class_summary_free    (TdClassSummary   *summary);
void            td_roster_entry_free     (TdRosterEntry    *entry);
void            td_session_summary_free  (TdSessionSummary *session);
void            td_mark_free             (TdMark           *mark);
void            td_named_row_free        (TdNamedRow       *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdClassSummary, td_class_summary_free)

G_END_DECLS
