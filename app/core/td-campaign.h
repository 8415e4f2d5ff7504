/* td-campaign.h: one call for intent forms — who asks, by when, to whom
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-store.h"

G_BEGIN_DECLS

#define TD_CAMPAIGN_ERROR (td_campaign_error_quark ())

typedef enum
{
  TD_CAMPAIGN_ERROR_INVALID,
  TD_CAMPAIGN_ERROR_TOO_NEW,
} TdCampaignError;

#define TD_CAMPAIGN_SCHEMA 1

typedef struct
{
  char  **school_types;
  char   *authority;
  char   *email;
  char   *postal_address;
  int     paper_copies;
} TdRecipient;

#define TD_TYPE_CAMPAIGN (td_campaign_get_type ())
G_DECLARE_FINAL_TYPE (TdCampaign, td_campaign, TD, CAMPAIGN, GObject)

GQuark             td_campaign_error_quark       (void);
TdCampaign        *td_campaign_new_from_data     (const char   *json,
                                                  gssize        length,
                                                  GError      **error);
TdCampaign        *td_campaign_new_from_file     (GFile        *file,
                                                  GCancellable *cancellable,
                                                  GError      **error);
TdCampaign        *td_campaign_get_builtin       (void);
TdCampaign        *td_campaign_load_current      (TdStore      *store,
                                                  GError      **error);
gboolean           td_campaign_make_current      (TdStore      *store,
                                                  TdCampaign   *campaign,
                                                  GError      **error);

const char        *td_campaign_get_id            (TdCampaign   *self);
const char        *td_campaign_get_title         (TdCampaign   *self);
const char        *td_campaign_get_notice        (TdCampaign   *self);
const char        *td_campaign_get_notice_title  (TdCampaign   *self);
const char        *td_campaign_get_province      (TdCampaign   *self);
int                td_campaign_get_year          (TdCampaign   *self);
int                td_campaign_get_first_year    (TdCampaign   *self);
int                td_campaign_get_last_year     (TdCampaign   *self);
void               td_campaign_today             (GDate        *today);
gboolean           td_campaign_is_past           (TdCampaign   *self,
                                                  GDate        *today);
char              *td_campaign_format_deadline   (TdCampaign   *self);
GDate             *td_campaign_get_deadline      (TdCampaign   *self);
int                td_campaign_days_left         (TdCampaign   *self,
                                                  GDate        *today);
char              *td_campaign_describe_deadline (TdCampaign   *self,
                                                  GDate        *today);
const char        *td_campaign_get_footnote      (TdCampaign   *self);
const char        *td_campaign_get_upload_endpoint (TdCampaign *self);
const char        *td_campaign_get_json          (TdCampaign   *self);
const TdRecipient *td_campaign_recipient_for     (TdCampaign   *self,
                                                  const char   *school_type);

/* This year's campaign, started from another (td_campaign_draft_new()):
 * what the office may change before it is built and saved. */
typedef struct
{
  TdCampaign *base;
  int         year;
  char       *notice;            /* 鲁教职字〔2026〕N号 */
  char       *notice_title;      /* NULL or "": none */
  GDate       deadline;
  char       *upload_endpoint;   /* NULL or "": none */
  GPtrArray  *recipients;        /* TdRecipient, as the base's, editable */
} TdCampaignDraft;

TdCampaignDraft   *td_campaign_draft_new         (TdCampaign       *base,
                                                  int               year);
void               td_campaign_draft_free        (TdCampaignDraft  *draft);
TdCampaign        *td_campaign_draft_build       (TdCampaignDraft  *draft,
                                                  GError          **error);
gboolean           td_campaign_save              (TdCampaign       *self,
                                                  GFile            *file,
                                                  GCancellable     *cancellable,
                                                  GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdCampaignDraft, td_campaign_draft_free)

G_END_DECLS
