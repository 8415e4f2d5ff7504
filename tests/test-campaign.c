/* test-campaign.c: campaign files, built in and imported
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-campaign.h"

static void
test_builtin (void)
{
  g_autoptr(TdCampaign) campaign = td_campaign_get_builtin ();
  const TdRecipient *r;
  GDate today;

  g_assert_cmpstr (td_campaign_get_id (campaign), ==, "shandong-2020");
  g_assert_cmpstr (td_campaign_get_title (campaign), ==, "可承担和开展的职业培训意向表");
  g_assert_cmpstr (td_campaign_get_notice (campaign), ==, "鲁教职字〔2020〕5号");
  g_assert_cmpstr (td_campaign_get_province (campaign), ==, "37");
  g_assert_cmpint (td_campaign_get_year (campaign), ==, 2020);
  g_assert_cmpstr (td_campaign_get_footnote (campaign), ==, "备注：请认真填写，省教育厅将编制目录并提供至各相关部门。");
  g_assert_null (td_campaign_get_upload_endpoint (campaign));

  /* Technical schools send to the human-resources department, all others
   * to the education department. */
  r = td_campaign_recipient_for (campaign, "technical");
  g_assert_cmpstr (r->email, ==, "yujrst@shandong.cn");
  g_assert_cmpstr (r->postal_address, ==, "济南市历下区解放东路16号1103室");
  for (guint i = 0; i < 3; i++)
    {
      const char *types[] = { "higher-vocational", "secondary-vocational", "undergraduate" };

      r = td_campaign_recipient_for (campaign, types[i]);
      g_assert_cmpstr (r->email, ==, "dxskjcxds@163.com");
      g_assert_cmpint (r->paper_copies, ==, 2);
    }
  g_assert_null (td_campaign_recipient_for (campaign, "kindergarten"));

  /* Deadline 2020-05-15. */
  g_date_set_dmy (&today, 28, 4, 2020);
  g_assert_cmpint (td_campaign_days_left (campaign, &today), ==, 17);
  g_date_set_dmy (&today, 15, 5, 2020);
  g_assert_cmpint (td_campaign_days_left (campaign, &today), ==, 0);
  g_date_set_dmy (&today, 25, 11, 2026);
  g_assert_cmpint (td_campaign_days_left (campaign, &today), <, 0);
}

#define RECIPIENTS \
  "\"recipients\": [{\"school_types\": [\"higher-vocational\", \"secondary-vocational\", \"undergraduate\"]," \
  " \"authority\": \"教育厅\", \"email\": \"a@example.cn\"}," \
  " {\"school_types\": [\"technical\"], \"authority\": \"人社厅\", \"email\": \"b@example.cn\"}]"
#define HEAD "\"schema\": 1, \"title\": \"意向表\", \"notice\": \"X〔2021〕1号\", \"year\": 2021, "

static const struct {
  const char *slug;
  const char *json;
  int         code;        /* -1: accepted */
  const char *mentions;    /* the message names this */
} files[] = {
  { "jiangsu", "{" HEAD "\"id\": \"jiangsu-2021\", \"province\": \"32\", \"deadline\": \"2021-06-30\", "
    "\"upload_endpoint\": \"https://px.example.cn/upload\", " RECIPIENTS "}", -1, NULL },
  { "not-json", "{ this is not json", TD_CAMPAIGN_ERROR_INVALID, "JSON" },
  { "array", "[1, 2]", TD_CAMPAIGN_ERROR_INVALID, "(root)" },
  { "too-new", "{\"schema\": 2}", TD_CAMPAIGN_ERROR_TOO_NEW, "2" },
  { "no-id", "{" HEAD "\"province\": \"32\", \"deadline\": \"2021-06-30\", " RECIPIENTS "}", TD_CAMPAIGN_ERROR_INVALID, "id" },
  { "bad-id", "{" HEAD "\"id\": \"Jiangsu 2021\", \"province\": \"32\", \"deadline\": \"2021-06-30\", " RECIPIENTS "}",
    TD_CAMPAIGN_ERROR_INVALID, "id" },
  { "bad-province", "{" HEAD "\"id\": \"x\", \"province\": \"99\", \"deadline\": \"2021-06-30\", " RECIPIENTS "}",
    TD_CAMPAIGN_ERROR_INVALID, "province" },
  { "bad-deadline", "{" HEAD "\"id\": \"x\", \"province\": \"32\", \"deadline\": \"2021-02-30\", " RECIPIENTS "}",
    TD_CAMPAIGN_ERROR_INVALID, "deadline" },
  { "year-text", "{\"schema\": 1, \"title\": \"t\", \"notice\": \"n\", \"year\": \"2021\", \"id\": \"x\", "
    "\"province\": \"32\", \"deadline\": \"2021-06-30\", " RECIPIENTS "}", TD_CAMPAIGN_ERROR_INVALID, "year" },
  { "http-endpoint", "{" HEAD "\"id\": \"x\", \"province\": \"32\", \"deadline\": \"2021-06-30\", "
    "\"upload_endpoint\": \"http://px.example.cn\", " RECIPIENTS "}", TD_CAMPAIGN_ERROR_INVALID, "upload_endpoint" },
  { "type-uncovered", "{" HEAD "\"id\": \"x\", \"province\": \"32\", \"deadline\": \"2021-06-30\", "
    "\"recipients\": [{\"school_types\": [\"technical\"], \"authority\": \"人社厅\", \"email\": \"b@example.cn\"}]}",
    TD_CAMPAIGN_ERROR_INVALID, "recipients" },
  { "type-twice", "{" HEAD "\"id\": \"x\", \"province\": \"32\", \"deadline\": \"2021-06-30\", "
    "\"recipients\": [{\"school_types\": [\"technical\", \"technical\"], \"authority\": \"a\", \"email\": \"b@x.cn\"}]}",
    TD_CAMPAIGN_ERROR_INVALID, "school_types" },
  { "unknown-type", "{" HEAD "\"id\": \"x\", \"province\": \"32\", \"deadline\": \"2021-06-30\", "
    "\"recipients\": [{\"school_types\": [\"kindergarten\"], \"authority\": \"a\", \"email\": \"b@x.cn\"}]}",
    TD_CAMPAIGN_ERROR_INVALID, "school_types" },
  { "no-email", "{" HEAD "\"id\": \"x\", \"province\": \"32\", \"deadline\": \"2021-06-30\", "
    "\"recipients\": [{\"school_types\": [\"technical\", \"higher-vocational\", \"secondary-vocational\", \"undergraduate\"], "
    "\"authority\": \"a\"}]}", TD_CAMPAIGN_ERROR_INVALID, "email" },
};

static void
test_file (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdCampaign) campaign = td_campaign_new_from_data (files[i].json, -1, &error);

  if (files[i].code < 0)
    {
      g_assert_no_error (error);
      g_assert_nonnull (campaign);
      return;
    }
  g_assert_null (campaign);
  g_assert_error (error, TD_CAMPAIGN_ERROR, files[i].code);
  g_test_message ("%s: %s", files[i].slug, error->message);
  g_assert_nonnull (strstr (error->message, files[i].mentions));
}

static void
test_current (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autoptr(TdCampaign) current = NULL;
  g_autoptr(TdCampaign) jiangsu = td_campaign_new_from_data (files[0].json, -1, &error);

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), "campaign.db", NULL);
  store = td_store_open (path, &error);
  g_assert_no_error (error);

  /* Nothing imported: the built-in one. */
  current = td_campaign_load_current (store, &error);
  g_assert_cmpstr (td_campaign_get_id (current), ==, "shandong-2020");
  g_clear_object (&current);

  g_assert_true (td_campaign_make_current (store, jiangsu, &error));
  current = td_campaign_load_current (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (td_campaign_get_id (current), ==, "jiangsu-2021");
  g_assert_cmpstr (td_campaign_get_province (current), ==, "32");
  g_assert_cmpstr (td_campaign_get_upload_endpoint (current), ==, "https://px.example.cn/upload");
  g_assert_cmpstr (td_campaign_recipient_for (current, "technical")->email, ==, "b@example.cn");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/campaign/builtin", test_builtin);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_strdup_printf ("/campaign/file/%02u-%s", i, files[i].slug);

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_file);
    }
  g_test_add_func ("/campaign/current", test_current);

  return g_test_run ();
}
