/* td-example-classes.h: generated classes for the example school
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint   years;               /* ending with last_year */
  int     last_year;
  guint   classes_per_year;
  guint   trainees_per_class;
  guint   sessions_per_class;
  double  returning;           /* share of enrolments by people seen before, 0..1 */
  guint32 seed;
} TdExampleClasses;

gboolean td_example_classes_fill (TdStore                 *store,
                                  const TdExampleClasses  *size,
                                  GError                 **error);
gboolean td_example_classes_fill_in_transaction (TdStore                 *store,
                                                 const TdExampleClasses  *size,
                                                 GError                 **error);

G_END_DECLS
