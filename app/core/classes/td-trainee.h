/* td-trainee.h: trainees, their protected identity, and rosters in files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-store.h"

G_BEGIN_DECLS

/* How many rows a roster file may have: far above any class. */
#define TD_ROSTER_MAX_ROWS 5000
/* Problems listed in an import's message; the rest are counted. */
#define TD_ROSTER_PROBLEMS_LISTED 20
#define TD_TRAINEE_SEARCH_MAX 200

typedef struct
{
  char   *uuid;
  char   *name;
  char   *id_number_masked;   /* 3701**********1234 */
  char   *phone_masked;       /* 138****5678, or "" */
  char   *gender;             /* female, male */
  char   *birth_date;
  gint64  enrolments;         /* classes attended, every year */
} TdTraineeHit;

GPtrArray *td_trainee_search   (TdStore     *store,
                                const char  *query,
                                guint        limit,
                                GError     **error);
void       td_trainee_hit_free (TdTraineeHit *hit);
gboolean   td_trainee_remove   (TdStore     *store,
                                const char  *trainee_uuid,
                                const char  *today,
                                GError     **error);
gboolean   td_roster_import    (TdStore     *store,
                                const char  *class_uuid,
                                const char  *path,
                                guint       *n_enrolled,
                                GError     **error);
gboolean   td_roster_export    (TdStore     *store,
                                const char  *class_uuid,
                                const char  *path,
                                gboolean     full_identity,
                                GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdTraineeHit, td_trainee_hit_free)

G_END_DECLS
