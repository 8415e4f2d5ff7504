/* td-record-page-private.h: the page's instance, shared by its files, and
 * what tests ask of it
 *
 * td-record-page.c builds the list and its actions; td-record-page-footer.c
 * counts what it shows; td-record-page-io.c imports and exports;
 * td-record-page-hours.c adds the trainers' training hours. One class over
 * files, as gnome-text-editor splits its window, so that no file passes
 * ~1,500 lines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-import.h"
#include "td-import-dialog.h"
#include "td-record-editor.h"
#include "td-record-page.h"
#include "td-record-row.h"
#include "td-search-model.h"
#include "td-row-model.h"

G_BEGIN_DECLS

typedef struct
{
  TdRecordPage *page;
  guint         field;
} TdRecordPageColumn;

struct _TdRecordPage
{
  AdwBin              parent_instance;

  TdSession          *session;
  char               *kind_id;
  TdRecordList       *list;        /* the session's of the kind */
  const TdRecordKind *kind;
  /* The session's store, followed: its commits move the full-time
   * students' basis of the footer and the trainers' hours. */
  GBindingGroup      *session_bindings;
  GSignalGroup       *store_signals;
  gboolean            exporting;
  char               *export_path;
  GtkSortListModel   *sorted;
  TdSearchModel      *shown;
  TdRowModel         *rows;
  GtkMultiSelection  *selection;
  TdRecordPageColumn *columns;
  char               *query;       /* NULL: no search */
  TdDeletion         *deletion;    /* the last one, for Undo */
  AdwToast           *undo_toast;  /* weak */
  TdRecordEditor     *editor;      /* weak */
  GtkFileChooserNative *chooser;
  TdImport           *import;      /* being previewed or committed */
  TdImportDialog     *import_dialog; /* weak */
  gboolean            committing;
  GCancellable       *cancellable;
  char               *footer_text;
  guint               footer_id;
  double              footer_ratio; /* Results: the full-time-student basis the footer states */
  int                 cell_height;

  /* Trainers: each one's training hours in the latest year with results,
   * which the notice counts in performance reviews; read on a worker
   * thread after each change of the store. */
  GtkColumnViewColumn *hours_column;
  GtkSorter          *hours_sorter;
  GHashTable         *hours;        /* gint64* trainer id -> double* hours */
  int                 hours_year;   /* 0: no results yet */
  gboolean            hours_reading;
  gboolean            hours_again;  /* the store changed while they were read */

  GtkWidget          *toolbar;
  GtkWidget          *header;      /* td_record_page_set_header()'s, in the box */
  GtkSearchEntry     *search_entry;
  GtkWidget          *add_button;
  GtkWidget          *delete_button;
  GtkWidget          *menu_button;
  AdwToastOverlay    *toast_overlay;
  GtkStack           *content_stack;
  /* The list: a column view without rows as its header (sorting,
   * resizing, the columns shown), over a list view of TdRecordRows
   * (td-record-row.c). */
  GtkColumnView      *column_view;
  GtkWidget          *header_scrolled;
  GtkWidget          *list_scrolled;
  GtkListView        *list_view;
  TdRecordColumns     row_columns;
  int                 row_fields[TD_RECORD_ROW_MAX_COLUMNS]; /* a column's field; -1: the hours */
  GHashTable         *bound_items;  /* GtkListItem*, bound */
  AdwStatusPage      *empty_status;
  GtkWidget          *empty_add_button;
  AdwStatusPage      *no_results_status;
  GtkWidget          *footer_separator;
  GtkLabel           *footer;

  /* td_record_page_show_only(): the bar saying the list is narrowed. */
  GtkWidget          *only_bar;
  GtkLabel           *only_label;
};

/* Between the files of the page. */
void               td_record_page_actions_update   (TdRecordPage *self);
void               td_record_page_show_error       (TdRecordPage *self,
                                                    const char   *heading,
                                                    const GError *error);
int                td_record_page_cell_height      (TdRecordPage *self);
char              *td_record_page_format_amount    (double        value);
void               td_record_page_footer_init      (TdRecordPage *self);
void               td_record_page_update_footer    (TdRecordPage *self);
void               td_record_page_add_hours_column (TdRecordPage *self);
void               td_record_page_show_rows_again  (TdRecordPage *self);
void               td_record_page_set_column_width (TdRecordPage        *self,
                                                    GtkColumnViewColumn *view_column,
                                                    guint                chars);
void               td_record_page_read_hours       (TdRecordPage *self);
char              *td_record_page_hours_text       (TdRecordPage *self,
                                                    TdRecord     *record);
void               td_record_page_export_action    (GtkWidget    *widget,
                                                    const char   *action_name,
                                                    GVariant     *parameter);
void               td_record_page_import_action    (GtkWidget    *widget,
                                                    const char   *action_name,
                                                    GVariant     *parameter);

/* For tests. */

GtkEditable       *td_record_page_get_search_entry (TdRecordPage *self);
GListModel        *td_record_page_get_shown        (TdRecordPage *self);
GtkSelectionModel *td_record_page_get_selection    (TdRecordPage *self);
GtkColumnView     *td_record_page_get_column_view  (TdRecordPage *self);
GtkListView       *td_record_page_get_list_view    (TdRecordPage *self);
TdRecordEditor    *td_record_page_get_editor       (TdRecordPage *self);
const char        *td_record_page_get_footer       (TdRecordPage *self);
const char        *td_record_page_get_state        (TdRecordPage *self);
gboolean           td_record_page_is_exporting     (TdRecordPage *self);
void               td_record_page_export_to        (TdRecordPage *self,
                                                    const char   *path);
void               td_record_page_import_from      (TdRecordPage *self,
                                                    const char   *path);
TdImportDialog    *td_record_page_get_import_dialog (TdRecordPage *self);
GtkColumnViewColumn *td_record_page_get_hours_column (TdRecordPage *self);
char              *td_record_page_dup_hours_text   (TdRecordPage *self,
                                                    TdRecord     *record);
char              *td_record_page_dup_cell_text    (TdRecordPage *self,
                                                    TdRecord     *record,
                                                    guint         field);

G_END_DECLS
