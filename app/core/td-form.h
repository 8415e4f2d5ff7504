/* td-form.h: the intent form, assembled from the school's records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-campaign.h"
#include "td-figures.h"
#include "td-store.h"

G_BEGIN_DECLS

/* The form's fields, in the order printed (FORM.md). */
typedef enum
{
  TD_FORM_NAME,                 /* 1 单位名称 */
  TD_FORM_AUTHORITY,            /* 2 主管部门 */
  TD_FORM_CITY,                 /* 3 单位地址: 市 (a name) */
  TD_FORM_COUNTY,               /*   县（市）区 (a name) */
  TD_FORM_STREET,               /*   street */
  TD_FORM_POSTAL_CODE,          /* 4 邮政编码 */
  TD_FORM_CONTACT_NAME,         /* 5 联系人 */
  TD_FORM_PHONE,                /*   联系方式 */
  TD_FORM_EMAIL,
  TD_FORM_CATEGORIES,           /* 6 拟承担培训项目类别: ids, comma-separated */
  TD_FORM_FIELDS,               /* 7 主要培训领域 */
  TD_FORM_CAPACITY,             /* 8 培训能力简述 */
  TD_FORM_RESULTS,              /* 9 近三年来主要培训业绩 */
  TD_FORM_LEGAL_REPRESENTATIVE, /* 10 申报单位意见: 法定代表人 */
  TD_FORM_N_FIELDS
} TdFormField;

/* Fields 8 and 9: each character counts one, as on the form
 * (td_form_count_characters()). */
#define TD_FORM_TEXT_LIMIT 500

typedef struct
{
  TdFormField  field;
  char        *message;
} TdFormProblem;

#define TD_TYPE_FORM (td_form_get_type ())
G_DECLARE_FINAL_TYPE (TdForm, td_form, TD, FORM, GObject)

TdForm     *td_form_new             (const char  *campaign_id,
                                     int          first_year,
                                     int          last_year);
TdForm     *td_form_assemble        (TdStore     *store,
                                     TdCampaign  *campaign,
                                     int          last_year,
                                     GError     **error);
const char *td_form_get             (TdForm      *self,
                                     TdFormField  field);
void        td_form_set             (TdForm      *self,
                                     TdFormField  field,
                                     const char  *value);
const char *td_form_get_campaign_id (TdForm      *self);
void        td_form_set_opinion     (TdForm      *self,
                                     const char  *text,
                                     const char  *date);
const char *td_form_get_opinion     (TdForm      *self);
const char *td_form_get_opinion_date (TdForm     *self);
int         td_form_get_first_year  (TdForm      *self);
int         td_form_get_last_year   (TdForm      *self);
gboolean    td_form_has_category    (TdForm      *self,
                                     const char  *category);

guint       td_form_count_characters (const char *text,
                                      gssize      length);

char       *td_form_draft_capacity  (TdStore     *store,
                                     GError     **error);
char       *td_form_draft_results   (TdStore     *store,
                                     int          first_year,
                                     int          last_year,
                                     GError     **error);

TdForm     *td_form_load            (TdStore     *store,
                                     TdCampaign  *campaign,
                                     int          last_year,
                                     GError     **error);
gboolean    td_form_is_edited       (TdForm      *self,
                                     TdFormField  field);
gboolean    td_form_is_stale        (TdForm      *self,
                                     TdFormField  field);
gboolean    td_form_save_edit       (TdStore     *store,
                                     TdForm      *form,
                                     TdFormField  field,
                                     const char  *value,
                                     GError     **error);
gboolean    td_form_redraft         (TdStore     *store,
                                     TdForm      *form,
                                     TdFormField  field,
                                     GError     **error);
gint64      td_form_records_revision (TdStore    *store);

TdFigureSet *td_form_figures         (TdStore     *store,
                                     TdForm      *form,
                                     GError     **error);
GPtrArray  *td_form_unsupported_numbers (TdStore     *store,
                                         TdForm      *form,
                                         TdFigureSet *set,
                                         TdFormField  field,
                                         GError     **error);

GPtrArray  *td_form_check           (TdForm      *self,
                                     TdCampaign  *campaign);
void        td_form_problem_free    (TdFormProblem *problem);

G_END_DECLS
