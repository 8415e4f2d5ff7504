/* fuzz-campaign.c: libFuzzer target for campaign files (td-campaign.c,
 * docs/campaign.md)
 *
 * A campaign read from any bytes answers every question the app asks it
 * (deadline, recipients) without a critical, in text that is UTF-8.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-fuzz"

#include "td-campaign.h"
#include "td-fuzz.h"
#include "td-school.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  td_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdCampaign) campaign = td_campaign_new_from_data ((const char *)data, (gssize)size, &error);
  g_autoptr(GDate) today = NULL;
  g_autofree char *deadline = NULL;
  const TdSchoolType *types;
  guint n_types;

  if (campaign == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_no_error (error);

  g_assert_nonnull (td_campaign_get_id (campaign));
  g_assert_true (g_utf8_validate (td_campaign_get_title (campaign), -1, NULL));
  g_assert_nonnull (td_campaign_get_notice (campaign));
  g_assert_nonnull (td_campaign_get_province (campaign));
  g_assert_nonnull (td_campaign_get_json (campaign));
  g_assert_true (g_date_valid (td_campaign_get_deadline (campaign)));
  (void) td_campaign_get_footnote (campaign);
  (void) td_campaign_get_upload_endpoint (campaign);
  (void) td_campaign_get_year (campaign);

  today = g_date_new_dmy (1, G_DATE_JANUARY, 2021);
  (void) td_campaign_days_left (campaign, today);
  deadline = td_campaign_describe_deadline (campaign, today);
  g_assert_true (g_utf8_validate (deadline, -1, NULL));

  types = td_school_types (&n_types);
  for (guint i = 0; i < n_types; i++)
    {
      const TdRecipient *recipient = td_campaign_recipient_for (campaign, types[i].id);

      if (recipient)
        g_assert_cmpint (recipient->paper_copies, >=, 0);
    }
  return 0;
}
