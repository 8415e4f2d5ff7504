/* td-trainer-sheet.h: a trainer's year, printable for the performance review
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "td-store.h"

G_BEGIN_DECLS

typedef struct
{
  char   *name;
  char   *starts_on;
  char   *ends_on;
  gint64  sessions;       /* the trainer's, held in the year */
  double  hours;          /* the trainer's, at those sessions */
  gint64  participants;   /* of the class (人次: attended at least once) */
  gint64  completed;      /* reached the class's completion rule */
  gint64  certificates;
} TdTrainerSheetClass;

typedef struct
{
  char   *held_on;
  char   *starts_at;
  char   *ends_at;
  char   *class_name;
  double  hours;          /* the trainer's */
} TdTrainerSheetSession;

/* What the sheet prints, read once (td_trainer_sheet_read()); the totals
 * are those of td_class_trainer_results() for the trainer. */
typedef struct
{
  char      *school;
  char      *trainer;
  int        year;
  GPtrArray *classes;     /* TdTrainerSheetClass, by first session */
  GPtrArray *sessions;    /* TdTrainerSheetSession, by day and time */
  double     hours;
  gint64     participants;
  gint64     completed;
  gint64     certificates;
  GDateTime *created;     /* the PDF's date: now, unless set */
} TdTrainerSheet;

TdTrainerSheet *td_trainer_sheet_read      (TdStore         *store,
                                            const char      *trainer_uuid,
                                            int              year,
                                            GError         **error);
void            td_trainer_sheet_free      (TdTrainerSheet  *sheet);
guint           td_trainer_sheet_count_pages (TdTrainerSheet *sheet);
gboolean        td_trainer_sheet_write_pdf (TdTrainerSheet  *sheet,
                                            GOutputStream   *stream,
                                            GCancellable    *cancellable,
                                            GError         **error);
gboolean        td_trainer_sheet_save_pdf  (TdTrainerSheet  *sheet,
                                            const char      *path,
                                            GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdTrainerSheet, td_trainer_sheet_free)

G_END_DECLS
