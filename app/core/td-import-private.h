/* td-import-private.h: what the files of TdImport share
 *
 * TdImport is one class over three files: td-import.c (the object, the
 * header mapping, what the window reads of a preview), td-import-stream.c
 * (the two passes over the file's rows and the duplicate-key sort) and
 * td-import-commit.c (the transaction that writes, and the records it
 * creates first). The class was 2,400 lines in one file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-import.h"
#include "td-row-reader.h"
#include "td-record-list-private.h"
#include "td-store-private.h"

G_BEGIN_DECLS

typedef struct
{
  guint           table_row;
  guint           line;
  TdImportAction  action;
  guint           values;       /* 1 + its first value in values; 0 when bad */
  TdRecord       *existing;     /* the record it matches, if any */
  guint           replaced_by;  /* the line of the later row that wins */
} Row;

/* A record a row names that does not exist: created by the commit when
 * the import may create missing records. */
typedef struct
{
  char *kind_id;
  char *name;
} Missing;

/* A choice value the field does not know, with the column it is in. */
typedef struct
{
  guint  field;
  char  *value;
} Unknown;

/* Ids that no record has, standing for the missing records until the
 * commit creates them: PLACEHOLDER_ID - index. */
#define PLACEHOLDER_ID G_MAXINT64
#define MAX_MISSING    100000

/* A good row's key, for finding the rows of the file with the same key
 * without holding the keys: 96 bits of its SHA-256 (two different keys
 * of a million rows share them with a chance of about 10^-17), then its
 * line and what it does. 16 bytes a row: 16 MiB for a million, freed
 * before the commit writes. */
typedef struct
{
  guint32 digest[3];
  guint32 line_action;  /* line << 3 | TdImportAction */
} Seen;

/* A row left out because a later row has its key. */
typedef struct
{
  guint line;
  guint by;
} Replaced;

typedef struct
{
  TdImportProblem public;
  char           *column;
  char           *message;
} Problem;

struct _TdImport
{
  GObject        parent_instance;

  TdRecordList  *list;
  /* The whole file (xlsx, td_import_new_for_table(), a short CSV), or the
   * first HEAD_ROWS rows of a CSV file that is read row by row from
   * reader: what the header is found in and what the window shows. */
  TdTable       *table;
  TdRowReader   *reader;
  double         head_fraction;  /* of the file, the table's rows */
  char          *file_name;

  guint          header_row;     /* in the table */
  guint          n_columns;
  char         **headers;        /* as the file writes them, trimmed */
  int           *column_field;   /* per column: a field, or -1 */
  int           *field_column;   /* per field: a column, or -1 */
  GHashTable    *by_header;      /* Chinese header -> field + 1 */
  GHashTable    *by_label;       /* folded label, either language -> field + 1 */
  GHashTable    *by_column;      /* column key -> field + 1 */

  gboolean       previewed;
  GCancellable  *cancellable;    /* of the commit under way */
  /* Read and written from any thread: the work's progress in
   * PROGRESS_SCALE parts, and td_import_cancel()'s request. */
  gboolean       no_reload;      /* td_import_set_reload (FALSE) */
  gint           progress;
  gint           cancel_requested;
  double         progress_base;  /* of the step under way, in [0, 1] */
  double         progress_span;
  TdImportProgressFunc progress_func;
  gpointer       progress_data;
  GArray        *rows;           /* Row */
  /* The values of the good rows, n_fields + NULL each: fewer and smaller
   * blocks than a GStrv per row, which counts at 100,000 rows. */
  GPtrArray     *values;
  GStringChunk  *chunk;
  GArray        *problems;       /* Problem, at most TD_LIMIT_IMPORT_PROBLEMS */
  guint          n_problems_left_out;
  guint          counts[TD_IMPORT_N_ACTIONS];

  /* Every good row's key (Seen), while checking; then the rows that lose
   * to a later one (Replaced, by line), all the commit needs of them. */
  GArray        *seen;
  GArray        *replaced;
  GChecksum     *checksum;
  /* The records there are, by key (a ref each); keys several share. */
  GHashTable    *existing;
  GHashTable    *several;
  /* What the check found, for the commit to find again: the good rows
   * and a sum over their keys and lines. A file changed in between is
   * refused, not half read. */
  guint          n_good;
  guint64        fold;

  gboolean       create_missing;
  GArray        *missing;        /* Missing, in the file's order */
  GHashTable    *missing_index;  /* "kind\x1fname" -> index + 1 */
  guint          n_created;      /* by the last commit */
  GArray        *unknown;        /* Unknown, in the file's order */
  GHashTable    *unknown_index;  /* "field\x1fvalue" */
  GHashTable    *choice_map;     /* "header\x1fvalue" -> choice id */
  GHashTable    *choice_pending; /* keys of choice_map to save */
};

/* Progress is reported at most this many times a run. */
#define PROGRESS_SCALE 10000
/* Rows between two looks at the cancellable: cheap (an atomic read) and
 * often enough that Cancel answers at once. */
#define CHECK_EVERY 64
/* Rows of a CSV file read up front; a longer file is read row by row,
 * twice (checked, then written), and only these rows are kept to show. */
#define HEAD_ROWS 1000

/* td-import.c */
void     td_import_run_start         (TdImport      *self);
void     td_import_report_progress   (TdImport      *self,
                                      double         done);
gboolean td_import_run_cancelled     (TdImport      *self,
                                      GCancellable  *cancellable,
                                      GError       **error);
void     td_import_forget_preview    (TdImport      *self);
void     td_import_load_references   (TdImport      *self);

/* td-import-stream.c */
gboolean             td_import_stream_judge        (TdImport      *self,
                                                    GCancellable  *cancellable,
                                                    GError       **error);
gboolean             td_import_stream_write_rows   (TdImport      *self,
                                                    const gint64  *ids,
                                                    GError       **error);

G_END_DECLS
