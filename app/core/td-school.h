/* td-school.h: the school profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-store.h"

G_BEGIN_DECLS

typedef enum
{
  TD_SCHOOL_NAME,
  TD_SCHOOL_AUTHORITY,
  TD_SCHOOL_TYPE,
  TD_SCHOOL_LEGAL_REPRESENTATIVE,
  TD_SCHOOL_CITY,
  TD_SCHOOL_COUNTY,
  TD_SCHOOL_STREET,
  TD_SCHOOL_POSTAL_CODE,
  TD_SCHOOL_CONTACT_NAME,
  TD_SCHOOL_PHONE,
  TD_SCHOOL_EMAIL,
  TD_SCHOOL_N_FIELDS
} TdSchoolField;

typedef struct
{
  const char *id;     /* as stored: "technical" */
  const char *label;  /* translatable: N_("Technical school") */
} TdSchoolType;

#define TD_TYPE_SCHOOL (td_school_get_type ())
G_DECLARE_FINAL_TYPE (TdSchool, td_school, TD, SCHOOL, GObject)

TdSchool           *td_school_new               (TdStore        *store,
                                                 GError        **error);
TdStore            *td_school_get_store         (TdSchool       *self);
const char         *td_school_get               (TdSchool       *self,
                                                 TdSchoolField   field);
const char         *td_school_get_province_code (TdSchool       *self);
gboolean            td_school_validate          (TdSchool       *self,
                                                 TdSchoolField   field,
                                                 const char     *input,
                                                 char          **normalized,
                                                 GError        **error);
gboolean            td_school_set               (TdSchool       *self,
                                                 TdSchoolField   field,
                                                 const char     *input,
                                                 GError        **error);
gboolean            td_school_reload            (TdSchool       *self,
                                                 GError        **error);
gboolean            td_school_update_in_transaction (TdSchool           *self,
                                                     const char         *province_code,
                                                     const char * const *values,
                                                     TdSchoolField      *failed_field,
                                                     GError            **error);
guint               td_school_count_missing     (TdSchool       *self);

const char         *td_school_field_key         (TdSchoolField   field);
gboolean            td_school_field_from_key    (const char     *key,
                                                 TdSchoolField  *field);
const TdSchoolType *td_school_types             (guint          *n_types);

G_END_DECLS
