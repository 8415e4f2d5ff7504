/* td-campaign-dialog.h: this year's campaign, started from the current one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"

#include "td-campaign.h"

G_BEGIN_DECLS

#define TD_TYPE_CAMPAIGN_DIALOG (td_campaign_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TdCampaignDialog, td_campaign_dialog, TD, CAMPAIGN_DIALOG, AdwWindow)

TdCampaignDialog *td_campaign_dialog_new            (GtkWindow        *parent,
                                                     TdSession        *session);

/* For tests. */
AdwEntryRow      *td_campaign_dialog_get_email_row  (TdCampaignDialog *self,
                                                     guint             i);
guint             td_campaign_dialog_get_n_recipients (TdCampaignDialog *self);
gboolean          td_campaign_dialog_is_valid       (TdCampaignDialog *self);
void              td_campaign_dialog_set_file       (TdCampaignDialog *self,
                                                     GFile            *file);

G_END_DECLS
