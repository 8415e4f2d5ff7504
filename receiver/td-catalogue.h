/* td-catalogue.h: the schools' latest forms, in memory, searched
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-form.h"
#include "td-receiver-db-web.h"

G_BEGIN_DECLS

typedef enum
{
  TD_SCHOOL_MISSING,   /* not yet sent */
  TD_SCHOOL_SENT,
  TD_SCHOOL_LATE,      /* sent after the deadline */
  TD_SCHOOL_REFUSED,   /* nothing stored, a message refused */
} TdSchoolState;

typedef struct
{
  TdWebSchool     *school;
  TdWebSubmission *latest;     /* without its form_json; NULL: nothing sent */
  char            *authority;  /* of the latest's form, or NULL */
  char            *fields;
  char            *capacity_excerpt;   /* the start of field 8 */
  char            *results_excerpt;    /* of field 9 */
  const char      *city;       /* as registered, else as the form says; "" */
  const char      *county;
  char            *category_ids;   /* ",a,b," */
  char            *haystack;   /* the searched texts, case-folded */
  char            *fields_folded;
  char            *texts_folded;   /* fields 8 and 9, case-folded */
  TdSchoolState    state;
} TdCatalogueEntry;

typedef struct
{
  const char *text;       /* words, all of which must be found */
  const char *city;
  const char *county;
  const char *category;   /* an id */
  const char *field;
  int         state;      /* a TdSchoolState, or -1 for any (the desk) */
  gboolean    sent_only;  /* the catalogue: schools with a form */
} TdCatalogueQuery;

typedef struct _TdCatalogue TdCatalogue;

TdCatalogue      *td_catalogue_new        (TdReceiverDb       *db,
                                           const char         *campaign,
                                           GDateTime          *deadline);
void              td_catalogue_free       (TdCatalogue        *self);
gboolean          td_catalogue_lock       (TdCatalogue        *self,
                                           GError            **error);
void              td_catalogue_unlock     (TdCatalogue        *self);
GPtrArray        *td_catalogue_search     (TdCatalogue        *self,
                                           const TdCatalogueQuery *query);
TdCatalogueEntry *td_catalogue_find       (TdCatalogue        *self,
                                           gint64              school_id);
GPtrArray        *td_catalogue_cities     (TdCatalogue        *self);
GPtrArray        *td_catalogue_counties   (TdCatalogue        *self,
                                           const char         *city);
TdForm           *td_catalogue_load_form  (TdCatalogue        *self,
                                           TdCatalogueEntry   *entry,
                                           GError            **error);
GBytes           *td_catalogue_pdf        (TdCatalogue        *self,
                                           gint64              submission_id,
                                           GError            **error);
GDateTime        *td_catalogue_get_deadline (TdCatalogue      *self);
const char       *td_catalogue_get_campaign (TdCatalogue      *self);
const char       *td_catalogue_category_name (const char      *id,
                                           gboolean            english);
const char * const *td_catalogue_category_ids (void);
char             *td_catalogue_category_names (TdCatalogueEntry *entry,
                                           gboolean            english);

G_END_DECLS
