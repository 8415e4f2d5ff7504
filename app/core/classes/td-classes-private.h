/* td-classes-private.h: what the files of app/core/classes share
 *
 * The checks that name a refused value, and the lookups of a row's key by
 * its uuid, are td-classes.c's; td-class-edit.c (changing what exists)
 * uses the same ones so that a refusal reads the same from either.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "td-classes.h"

G_BEGIN_DECLS

extern const char * const td_classes_categories[];
extern const char * const td_classes_modes[];
extern const char * const td_classes_statuses[];
extern const char * const td_classes_employments[];
extern const char * const td_classes_results[];
extern const char * const td_classes_certificates[];

gboolean td_classes_is_blank        (const char              *text);
gboolean td_classes_check_choice    (const char              *value,
                                     const char * const      *choices,
                                     const char              *what,
                                     GError                 **error);
gboolean td_classes_check_key_group (const char              *value,
                                     GError                 **error);
gboolean td_classes_check_time      (const char              *time,
                                     GError                 **error);
gboolean td_classes_check_number    (double                   value,
                                     double                   min,
                                     double                   max,
                                     const char              *what,
                                     GError                 **error);
gboolean td_classes_check_class     (const TdClassInfo       *info,
                                     GError                 **error);
gboolean td_classes_check_session   (const char              *held_on,
                                     const char              *starts_at,
                                     const char              *ends_at,
                                     double                   hours,
                                     const TdSessionTrainer  *trainers,
                                     guint                    n_trainers,
                                     GError                 **error);
gboolean td_classes_lookup_optional (TdStore                 *store,
                                     const char              *table,
                                     const char              *uuid,
                                     gint64                  *id,
                                     GError                 **error);
void     td_classes_bind_id         (sqlite3_stmt            *stmt,
                                     int                      column,
                                     gint64                   id);
void     td_classes_bind_info       (sqlite3_stmt            *stmt,
                                     const TdClassInfo       *info,
                                     gint64                   programme_id,
                                     gint64                   venue_id);

G_END_DECLS
