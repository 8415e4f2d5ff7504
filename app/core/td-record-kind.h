/* td-record-kind.h: what each kind of record holds, once, for every use
 *
 * One table of fields per kind drives the list pages, the edit dialogs,
 * validation, import, export and the command line, so they cannot drift.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TD_FIELD_TEXT,          /* one line */
  TD_FIELD_MULTILINE,     /* paragraphs kept */
  TD_FIELD_INTEGER,
  TD_FIELD_NUMBER,        /* decimals: hours, area, yuan */
  TD_FIELD_BOOLEAN,       /* 是 / 否 */
  TD_FIELD_CHOICE,        /* one of choices */
  TD_FIELD_CHOICE_SET,    /* any of choices; stored as a JSON array of ids */
  TD_FIELD_DATE,          /* YYYY-MM-DD */
  TD_FIELD_REFERENCE,     /* another record, by its name */
  TD_FIELD_TEACHING,      /* results: trainers and their hours, "张伟:16；李娜:8" */
} TdFieldType;

typedef enum
{
  TD_FIELD_REQUIRED = 1 << 0,
  TD_FIELD_KEY      = 1 << 1,   /* part of the natural key: an import matches on it */
  TD_FIELD_LISTED   = 1 << 2,   /* a column of the list page */
} TdFieldFlags;

typedef struct
{
  const char *id;       /* as stored */
  const char *label;    /* N_(): the interface */
  const char *header;   /* Chinese, as in files: fixed, whatever the locale */
} TdChoice;

typedef struct
{
  const char     *column;     /* SQL column, and the field's key everywhere */
  const char     *label;      /* N_(): the interface and English file headers */
  const char     *header;     /* Chinese file header: the documented format */
  TdFieldType     type;
  TdFieldFlags    flags;
  guint           max_chars;  /* TEXT, MULTILINE */
  double          min;        /* INTEGER, NUMBER */
  double          max;
  const TdChoice *choices;    /* CHOICE, CHOICE_SET: ends with { NULL } */
  const char     *reference;  /* REFERENCE: the kind's id */
  const char     *unit;       /* N_(): shown after numbers, "yuan", "m²" */
  const char     *fallback;   /* stored when left empty (a CHOICE's default) */
} TdField;

/* A text that depends on a number: the msgid and its plural, for
 * g_dngettext(); @other NULL: the same text whatever the number (_()). */
typedef struct
{
  const char *one;
  const char *other;
} TdPlural;

/* Marks a plural pair in a table for xgettext (po/meson.build and
 * tests/check-translations.sh pass --keyword=TD_NP_:1,2). */
#define TD_NP_(one, other) { one, other }

typedef enum
{
  TD_FOOTER_SUM,      /* Σ column (a yes/no column: its yeses) */
  TD_FOOTER_PRODUCT,  /* Σ column × times (quantity × unit value) */
  TD_FOOTER_CHOICE,   /* how many records hold the choice @choice in column */
  TD_FOOTER_FTE,      /* Σ column × times as full-time students, at the
                       * school's ratio, which the text states second */
} TdFooterFigureType;

/* One figure of a list's footer, after the count of records. */
typedef struct
{
  TdFooterFigureType  type;
  const char         *column;
  const char         *times;   /* PRODUCT, FTE */
  const char         *choice;  /* CHOICE: the choice's id */
  TdPlural            text;    /* "%s participant": the figure formatted */
} TdFooterFigure;

typedef enum
{
  TD_COUNT_RECORDS,   /* how many records */
  TD_COUNT_CHOICE,    /* how many hold the choice @choice in column */
  TD_COUNT_SUM,       /* Σ column, or Σ column × times (a yes/no column:
                       * its yeses) */
} TdKindCountType;

#define TD_KIND_COUNT_MAX_CHOICES 3

/* One count of a kind's Overview line, counted by SQLite from the kind's
 * own table (td_figures_kind_counts()): a kind on the Overview needs its
 * entry here and nothing else. */
typedef struct
{
  TdKindCountType  type;
  const char      *column;
  const char      *times;    /* SUM */
  const char      *choice;   /* CHOICE: the choice's id */
  /* SUM: only over the records whose @only column holds one of the
   * choices @in (or, with @except, none of them): the usable items, the
   * venues on site. */
  const char      *only;
  const char      *in[TD_KIND_COUNT_MAX_CHOICES];
  gboolean         except;
} TdKindCount;

#define TD_RECORD_KIND_MAX_COUNTS 5

typedef struct _TdRecordKind TdRecordKind;

/* Everything a kind of record is, in one entry: adding a kind is adding
 * an entry and its fields. Texts are N_() (TdPlural: TD_NP_()). */
struct _TdRecordKind
{
  const char    *id;          /* "trainers": the command line's KIND */
  const char    *table;       /* "trainer" */
  const char    *title;       /* N_("Trainers") */
  const char    *singular;    /* N_("Trainer") */
  const char    *name_column; /* what names a record: "name", "title" */
  const TdField *fields;
  guint          n_fields;

  /* How the interface shows it. */
  const char    *label;       /* N_("trainers"): in a sentence */
  const char    *icon_name;
  const char    *page;        /* the sidebar page that lists it, when it
                               * shares another kind's; NULL: its own */
  const char    *page_title;  /* N_(): the sidebar's name of a page the
                               * kinds after it share; NULL: the title */
  const char    *empty_title;
  const char    *empty_description;
  const char    *add_label;   /* the empty page's button, with a mnemonic */
  const char    *add_tooltip;
  const char    *search_placeholder;
  const char    *new_title;   /* the editor's, adding a record */
  const char    *edit_title;
  TdPlural       count;       /* "%s trainer": the footer's count */
  TdPlural       deleted;     /* "Deleted %s trainer": the toast's */
  const TdFooterFigure *figures; /* the footer's, after the count; ends
                                 * with a NULL column; NULL: none */
  const char    *hours_after; /* the list shows each trainer's training
                               * hours of the latest year after this column */
  gboolean       charts;      /* the yearly figures' charts above the list */

  /* The Overview's line of it: @overview formatted with @counts, the
   * first of which is how many there are; with no counts, the kind is not
   * on the Overview. */
  TdPlural       overview;
  TdKindCount    counts[TD_RECORD_KIND_MAX_COUNTS];
  guint          n_counts;
};

/* The kinds that code outside the table depends on by name: the yearly
 * figures and the form's categories are the results' and programmes'. */
#define TD_RECORD_KIND_RESULTS    "results"
#define TD_RECORD_KIND_PROGRAMMES "programmes"

const TdRecordKind  *td_record_kind_lookup       (const char         *id);
const TdRecordKind **td_record_kinds             (guint              *n_kinds);
int                  td_record_kind_field_index  (const TdRecordKind *kind,
                                                  const char         *column);
const TdChoice      *td_training_categories      (void);
const TdChoice      *td_training_modes           (void);
const TdChoice      *td_target_groups            (void);
const TdChoice      *td_field_find_choice        (const TdField      *field,
                                                  const char         *text);
const char          *td_field_choice_label       (const TdField      *field,
                                                  const char         *id);
const char          *td_field_choice_header      (const TdField      *field,
                                                  const char         *id);
const char          *td_record_kind_get_page     (const TdRecordKind *kind);
gboolean             td_kind_count_is_amount     (const TdRecordKind *kind,
                                                  const TdKindCount  *count);
const char          *td_plural_get               (const TdPlural     *plural,
                                                  gulong              n);
char                *td_plural_format            (const TdPlural     *plural,
                                                  gulong              n,
                                                  ...);

G_END_DECLS
