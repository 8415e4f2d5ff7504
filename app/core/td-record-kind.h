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
  TD_FIELD_SUMMED   = 1 << 3,   /* summed in the list's footer */
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

typedef struct _TdRecordKind TdRecordKind;

struct _TdRecordKind
{
  const char    *id;          /* "trainers": the command line's KIND */
  const char    *table;       /* "trainer" */
  const char    *title;       /* N_("Trainers") */
  const char    *singular;    /* N_("Trainer") */
  const char    *name_column; /* what names a record: "name", "title" */
  const TdField *fields;
  guint          n_fields;
};

const TdRecordKind  *td_record_kind_lookup       (const char         *id);
const TdRecordKind **td_record_kinds             (guint              *n_kinds);
int                  td_record_kind_field_index  (const TdRecordKind *kind,
                                                  const char         *column);
const TdChoice      *td_field_find_choice        (const TdField      *field,
                                                  const char         *text);
const char          *td_field_choice_label       (const TdField      *field,
                                                  const char         *id);
const char          *td_field_choice_header      (const TdField      *field,
                                                  const char         *id);

G_END_DECLS
