/* td-record-list-private.h: bulk writes for the core (import), and what
 * the files of TdRecordList share
 *
 * TdRecordList is one class over four files: td-record-list.c (loading,
 * the list model, parsing), td-record-list-writes.c (writes and undo),
 * td-record-list-search.c (the search lines) and td-record-list-totals.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-record-list.h"
#include "td-store.h"

G_BEGIN_DECLS

/* Inside td_store_transaction() only: write already parsed values
 * (td_record_list_parse()). The list itself is not changed: call
 * td_record_list_reload() once the transaction has committed. */
gboolean td_record_list_insert_stored (TdRecordList        *self,
                                       const char * const  *stored,
                                       GError             **error);
/* @n_rows rows inserted in order, td_record_list_insert_rows() a
 * statement; on failure *failed is the index of the row refused (its
 * error as td_record_list_insert_stored() gives it), or -1 when the
 * failure is not one row's. */
gboolean td_record_list_insert_stored_rows (TdRecordList               *self,
                                            const char * const * const *rows,
                                            guint                       n_rows,
                                            int                        *failed,
                                            GError                    **error);
guint    td_record_list_insert_rows   (TdRecordList        *self);
gboolean td_record_list_update_stored (TdRecordList        *self,
                                       gint64               id,
                                       const char * const  *stored,
                                       GError             **error);

char   **td_record_list_parse_with    (TdRecordList        *self,
                                       const char * const  *inputs,
                                       TdResolveFunc        resolve,
                                       gpointer             user_data,
                                       int                 *bad_field,
                                       GError             **error);
 
/* The files of TdRecordList, and nothing else */

/* Rows an import writes with one statement, at most. */
#define TD_RECORD_LIST_INSERT_ROWS 32

typedef struct
{
  char *select_sql;
  char *insert_sql;
  char *insert_with_id_sql;
  char *update_sql;
  char *delete_sql;
  char *set_uuid_sql;
  char *insert_rows_sql; /* insert_rows rows in one INSERT; NULL when that is 1 */
  guint insert_rows;
  guint n_columns;      /* fields stored in the table (not TEACHING) */
  int   teaching;       /* the TEACHING field's index, or -1 */
} KindSql;

struct _TdRecordList
{
  GObject             parent_instance;

  TdStore            *store;       /* not a reference: the store owns its lists */
  const TdRecordKind *kind;
  const KindSql      *sql;
  GPtrArray          *records;
  GHashTable         *by_id;       /* gint64* -> TdRecord* */
  GHashTable         *by_name;     /* name -> id (-1: several); NULL until asked, dropped on change */
  guint               next_serial;

  /* Search: what each record shows, casefolded, one line per record, in
   * the order the lines were made. A record written or deleted has its
   * line dead (skipped, dropped at the next compaction); the records
   * without a live line get one before the next query, or in idle time. */
  GString            *haystack;
  GArray             *lines;       /* Line */
  GArray             *line_of;     /* guint per serial: 1 + its live line; 0: none */
  guint               n_live;      /* records with a live line */
  gsize               dead_bytes;
  GPtrArray          *unlined;     /* TdRecord*: written since, without a line */
  guint               scan_from;   /* where the next scan for records without a line starts */
  gboolean            scan;        /* records may lack a line outside unlined (after a load) */
  GMainContext       *search_context; /* where lines are made in idle time; NULL: not asked */
  GSource            *search_source;
  GArray             *matches;     /* guint8 per serial; NULL: no query */
  GHashTable         *only;        /* UUIDs the list is narrowed to; NULL: all */

  /* Running totals over every record, each made on first use. */
  GPtrArray          *totals;      /* Total */
};

typedef struct
{
  guint offset;
  guint serial;                    /* DEAD: the record was written or deleted since */
} Line;

#define DEAD G_MAXUINT

typedef enum
{
  TOTAL_SUM,                       /* Σ a (numbers; booleans count their yes) */
  TOTAL_PRODUCT,                   /* Σ a × b */
  TOTAL_CHOICES,                   /* how many have each choice of a */
} TotalType;

typedef struct
{
  TotalType type;
  guint     a;
  guint     b;
  double    sum;                   /* in units of 1/TOTAL_SCALE, whole: exact sums */
  guint    *counts;                /* TOTAL_CHOICES: per choice, then one for any other value */
  guint     n_counts;
} Total;

/* Sums are kept as whole numbers of ten-thousandths, which doubles hold
 * exactly up to 2^53: adding and taking away again leaves no residue
 * (¥0.1 + ¥0.2 − ¥0.1 is ¥0.2, not 0.20000000000000004). */
#define TOTAL_SCALE 10000.0

struct _TdDeletion
{
  TdRecordList *list;
  GPtrArray    *records;   /* TdRecord*, values as they were */
  GArray       *links;     /* Link: references cut by ON DELETE SET NULL */
};

typedef struct
{
  const TdRecordKind *kind;
  guint               field;
  gint64              id;
  char               *value;
} Link;

/* Above this many records, deletes and undos change the model in one go. */
#define BULK 16

/* td-record-list.c */
TdRecordList *td_record_list_peek             (TdStore       *store,
                                               const char    *kind_id);
void          td_record_list_forget_names     (TdStore       *store);
void          td_record_list_forget_referrers (TdRecordList  *self,
                                               TdRecord      *record);
void          td_record_list_record_added     (TdRecordList  *self,
                                               TdRecord      *record);
void          td_record_list_record_removed   (TdRecordList  *self,
                                               TdRecord      *record);
void          td_record_list_set_values       (TdRecordList  *self,
                                               TdRecord      *record,
                                               char         **values);
gint64       *td_record_list_record_id_key    (TdRecord      *record);
void          td_record_list_index_record     (TdRecordList  *self,
                                               TdRecord      *record);

/* td-record-list-search.c */
void          td_record_list_search_forget_all   (TdRecordList *self);
void          td_record_list_search_forget_line  (TdRecordList *self,
                                                  TdRecord     *record);
void          td_record_list_search_needs_line   (TdRecordList *self,
                                                  TdRecord     *record);
void          td_record_list_search_schedule_lines (TdRecordList *self);

/* td-record-list-totals.c */
void          td_record_list_totals_free      (gpointer            data);
void          td_record_list_totals_add       (TdRecordList       *self,
                                               const char * const *values,
                                               int                 sign);

G_END_DECLS
