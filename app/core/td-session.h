/* td-session.h: one open database and what is made of it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-campaign.h"
#include "td-record-list.h"
#include "td-school.h"
#include "td-store.h"
#include "td-sync.h"

G_BEGIN_DECLS

#define TD_TYPE_SESSION (td_session_get_type ())
G_DECLARE_FINAL_TYPE (TdSession, td_session, TD, SESSION, GObject)

TdSession    *td_session_new                 (TdStore     *store);
TdSession    *td_session_new_for_sync        (TdSync      *sync);
TdStore      *td_session_get_store           (TdSession   *self);
const char   *td_session_get_path            (TdSession   *self);
TdSync       *td_session_get_sync            (TdSession   *self);
TdSchool     *td_session_get_school          (TdSession   *self);
gboolean      td_session_reload_school       (TdSession   *self,
                                              GError     **error);
TdCampaign   *td_session_get_campaign        (TdSession   *self);
TdCampaign   *td_session_load_campaign       (TdSession   *self,
                                              GError     **error);
gboolean      td_session_make_campaign_current (TdSession *self,
                                              TdCampaign  *campaign,
                                              GError     **error);
TdRecordList *td_session_get_records         (TdSession   *self,
                                              const char  *kind_id,
                                              GError     **error);
guint         td_session_get_pending         (TdSession   *self);

G_END_DECLS
