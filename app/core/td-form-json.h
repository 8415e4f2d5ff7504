/* td-form-json.h: the intent form as a JSON document, and as a catalogue row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "td-csv.h"
#include "td-form.h"

G_BEGIN_DECLS

/* The version of docs/form-json.md this code writes and reads. */
#define TD_FORM_JSON_SCHEMA 1

#define TD_FORM_JSON_ERROR (td_form_json_error_quark ())

typedef enum
{
  TD_FORM_JSON_ERROR_INVALID,   /* not JSON, or a member missing or of the wrong type */
  TD_FORM_JSON_ERROR_TOO_NEW,   /* a later schema than this version reads */
  TD_FORM_JSON_ERROR_OTHER_CAMPAIGN, /* importing: it answers another campaign than the database's */
  TD_FORM_JSON_ERROR_REFUSED,   /* importing: a value the school profile or the form refuses */
} TdFormJsonError;

GQuark              td_form_json_error_quark  (void);

JsonNode           *td_form_to_json_node      (TdForm       *form);
char               *td_form_to_json           (TdForm       *form,
                                               gsize        *length);
TdForm             *td_form_new_from_json     (const char   *json,
                                               gssize        length,
                                               GError      **error);
TdForm             *td_form_new_from_json_node (JsonNode    *node,
                                                GError     **error);
TdForm             *td_form_import_json       (TdStore      *store,
                                               TdCampaign   *campaign,
                                               const char   *json,
                                               gssize        length,
                                               GError      **error);

/* The province's catalogue: one row a school, the form's fields in order. */
#define TD_FORM_CATALOGUE_N_COLUMNS 10

const char * const *td_form_catalogue_headers (void);
char              **td_form_catalogue_row     (TdForm       *form);
TdTable            *td_form_catalogue_table   (TdForm       *form);
gboolean            td_form_write_catalogue   (TdForm       *form,
                                               const char   *path,
                                               GError      **error);

G_END_DECLS
