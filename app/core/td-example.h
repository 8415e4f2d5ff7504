/* td-example.h: a realistic, generated school
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint programmes;
  guint trainers;
  guint venues;
  guint equipment;
  guint guarantees;
  guint years;          /* of results, ending with last year */
  guint results_per_year;
  /* Classes (issue 15) for the last class_years of those years, whose
   * results then come from them: no typed results for those years. With
   * classes, each typed result is one intake of about trainees_per_class
   * trainees and sessions_per_class sessions of three hours, so that the
   * typed years match the years of classes. */
  guint class_years;
  guint classes_per_year;
  guint trainees_per_class;
  guint sessions_per_class;
  guint32 seed;         /* same seed, same school */
} TdExampleSize;

/* The example school a newcomer loads: a few hundred rows a page, three
 * years of results, the last two of them computed from classes. */
extern const TdExampleSize td_example_school_size;

gboolean td_example_fill        (TdStore              *store,
                                 const TdExampleSize  *size,
                                 GError              **error);
void     td_example_fill_async  (TdStore              *store,
                                 const TdExampleSize  *size,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data);
gboolean td_example_fill_finish (TdStore              *store,
                                 GAsyncResult         *result,
                                 GError              **error);

G_END_DECLS
