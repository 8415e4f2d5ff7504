/* td-import.h: bringing a CSV or xlsx file into a list of records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-csv.h"
#include "td-record-list.h"

G_BEGIN_DECLS

#define TD_IMPORT_ERROR (td_import_error_quark ())

typedef enum
{
  TD_IMPORT_ERROR_FORMAT,          /* neither .csv nor .xlsx */
  TD_IMPORT_ERROR_EMPTY,           /* no header row */
  TD_IMPORT_ERROR_MISSING_COLUMN,  /* a required field has no column */
  TD_IMPORT_ERROR_BAD_ROWS,        /* commit refused: some rows have problems */
  TD_IMPORT_ERROR_CHANGED,         /* the file changed between check and commit */
} TdImportError;

/* What committing does with a row. */
typedef enum
{
  TD_IMPORT_NEW,        /* no record has its key: added */
  TD_IMPORT_UPDATE,     /* a record has its key: changed to the row's values */
  TD_IMPORT_UNCHANGED,  /* a record has its key and these very values */
  TD_IMPORT_REPLACED,   /* a later row of the file has the same key and wins */
  TD_IMPORT_BAD,        /* refused: see the problems */
} TdImportAction;

#define TD_IMPORT_N_ACTIONS (TD_IMPORT_BAD + 1)

typedef struct
{
  guint       line;     /* the file's line (CSV) or the sheet's row (xlsx) */
  int         field;    /* the field refused */
  const char *column;   /* its column's header as the file writes it */
  const char *message;  /* why, in the user's language */
} TdImportProblem;

#define TD_TYPE_IMPORT (td_import_get_type ())
G_DECLARE_FINAL_TYPE (TdImport, td_import, TD, IMPORT, GObject)

typedef void (*TdImportProgressFunc) (TdImport *import,
                                      double    fraction,
                                      gpointer  user_data);

GQuark                 td_import_error_quark         (void);

TdImport              *td_import_new                 (TdRecordList   *list,
                                                      const char     *path,
                                                      GError        **error);
TdImport              *td_import_new_for_table       (TdRecordList   *list,
                                                      TdTable        *table,
                                                      const char     *file_name,
                                                      GError        **error);
TdRecordList          *td_import_get_list            (TdImport       *self);
const char            *td_import_get_file_name       (TdImport       *self);

/* The columns, and the field each one fills. */
guint                  td_import_get_header_line     (TdImport       *self);
guint                  td_import_get_n_columns       (TdImport       *self);
const char            *td_import_get_column_header   (TdImport       *self,
                                                      guint           column);
int                    td_import_get_column_field    (TdImport       *self,
                                                      guint           column);
int                    td_import_get_field_column    (TdImport       *self,
                                                      guint           field);
void                   td_import_set_column_field    (TdImport       *self,
                                                      guint           column,
                                                      int             field);
char                 **td_import_dup_ignored_columns (TdImport       *self);
char                 **td_import_dup_column_samples  (TdImport       *self,
                                                      guint           column,
                                                      guint           max_values);
gboolean               td_import_check_columns       (TdImport       *self,
                                                      GError        **error);

/* Every row judged: nothing is written. */
gboolean               td_import_preview             (TdImport       *self,
                                                      GError        **error);
void                   td_import_preview_async       (TdImport            *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean               td_import_preview_finish      (TdImport       *self,
                                                      GAsyncResult   *result,
                                                      GError        **error);
guint                  td_import_get_n_rows          (TdImport       *self);
guint                  td_import_get_row_line        (TdImport       *self,
                                                      guint           row);
TdImportAction         td_import_get_row_action      (TdImport       *self,
                                                      guint           row);
const char            *td_import_get_row_input       (TdImport       *self,
                                                      guint           row,
                                                      guint           field);
const char * const    *td_import_get_row_values      (TdImport       *self,
                                                      guint           row);
char                  *td_import_dup_row_display     (TdImport       *self,
                                                      guint           row,
                                                      guint           field);
guint                  td_import_get_replaced_by     (TdImport       *self,
                                                      guint           row);
guint                  td_import_get_count           (TdImport       *self,
                                                      TdImportAction  action);
guint                  td_import_get_n_problems      (TdImport       *self);
guint                  td_import_get_n_problems_left_out (TdImport   *self);
guint                  td_import_get_n_replaced      (TdImport       *self);
guint                  td_import_get_replaced        (TdImport       *self,
                                                      guint           index,
                                                      guint          *by);
const TdImportProblem *td_import_get_problem         (TdImport       *self,
                                                      guint           index);

/* All rows in one transaction, or none. */
gboolean               td_import_commit              (TdImport       *self,
                                                      GError        **error);
void                   td_import_commit_async        (TdImport            *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean               td_import_commit_finish       (TdImport       *self,
                                                      GAsyncResult   *result,
                                                      GError        **error);

/* Records that rows name and that do not exist (venues of equipment). */
void                   td_import_set_create_missing  (TdImport       *self,
                                                      gboolean        create);
gboolean               td_import_get_create_missing  (TdImport       *self);
guint                  td_import_get_n_missing       (TdImport       *self);
const char            *td_import_get_missing         (TdImport       *self,
                                                      guint           index,
                                                      const char    **kind_id);
guint                  td_import_get_n_created       (TdImport       *self);

/* Choice values the app does not know, mapped to one it does. */
guint                  td_import_get_n_unknown_choices (TdImport     *self);
const char            *td_import_get_unknown_choice  (TdImport       *self,
                                                      guint           index,
                                                      guint          *field);
const char            *td_import_get_choice_mapping  (TdImport       *self,
                                                      guint           field,
                                                      const char     *value);
void                   td_import_set_choice_mapping  (TdImport       *self,
                                                      guint           field,
                                                      const char     *value,
                                                      const char     *choice_id);

/* How far a preview or commit has got, and stopping it (any thread). */
void                   td_import_set_progress_func   (TdImport             *self,
                                                      TdImportProgressFunc  func,
                                                      gpointer              user_data);
double                 td_import_get_progress        (TdImport       *self);
void                   td_import_set_reload          (TdImport       *self,
                                                      gboolean        reload);
void                   td_import_cancel              (TdImport       *self);

gboolean               td_import_save_problems       (TdImport       *self,
                                                      const char     *path,
                                                      GError        **error);

G_END_DECLS
