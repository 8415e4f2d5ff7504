/* test-campaign.c: campaign files, built in and imported
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "td-campaign.h"
#include "td-school.h"

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
  { "bad-email", "{" HEAD "\"id\": \"x\", \"province\": \"32\", \"deadline\": \"2021-06-30\", "
    "\"recipients\": [{\"school_types\": [\"technical\", \"higher-vocational\", \"secondary-vocational\", \"undergraduate\"], "
    "\"authority\": \"a\", \"email\": \"jiaoyuting at example.cn\"}]}", TD_CAMPAIGN_ERROR_INVALID, "email" },
  { "no-copies", "{" HEAD "\"id\": \"x\", \"province\": \"32\", \"deadline\": \"2021-06-30\", "
    "\"recipients\": [{\"school_types\": [\"technical\", \"higher-vocational\", \"secondary-vocational\", \"undergraduate\"], "
    "\"authority\": \"a\", \"email\": \"b@x.cn\", \"paper_copies\": 0}]}", TD_CAMPAIGN_ERROR_INVALID, "paper_copies" },
  { "huge-copies", "{" HEAD "\"id\": \"x\", \"province\": \"32\", \"deadline\": \"2021-06-30\", "
    "\"recipients\": [{\"school_types\": [\"technical\", \"higher-vocational\", \"secondary-vocational\", \"undergraduate\"], "
    "\"authority\": \"a\", \"email\": \"b@x.cn\", \"paper_copies\": 4294967298}]}", TD_CAMPAIGN_ERROR_INVALID, "paper_copies" },
  { "year-1921", "{\"schema\": 1, \"title\": \"t\", \"notice\": \"n\", \"year\": 1921, \"id\": \"x\", "
    "\"province\": \"32\", \"deadline\": \"2021-06-30\", " RECIPIENTS "}", TD_CAMPAIGN_ERROR_INVALID, "year" },
  { "footnote-number", "{" HEAD "\"id\": \"x\", \"province\": \"32\", \"deadline\": \"2021-06-30\", "
    "\"footnote\": 5, " RECIPIENTS "}", TD_CAMPAIGN_ERROR_INVALID, "footnote" },
  { "contacts-not-people", "{" HEAD "\"id\": \"x\", \"province\": \"32\", \"deadline\": \"2021-06-30\", "
    "\"contacts\": [\"陈璟 0531-81916531\"], " RECIPIENTS "}", TD_CAMPAIGN_ERROR_INVALID, "contacts" },
  { "contact-no-phone", "{" HEAD "\"id\": \"x\", \"province\": \"32\", \"deadline\": \"2021-06-30\", "
    "\"contacts\": [{\"name\": \"陈璟\"}], " RECIPIENTS "}", TD_CAMPAIGN_ERROR_INVALID, "phone" },
};

static void
test_file (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdCampaign) campaign = td_campaign_new_from_data (files[i].json, -1, &error);

  g_autoptr(TdCampaign) without_error = td_campaign_new_from_data (files[i].json, -1, NULL);

  if (files[i].code < 0)
    {
      g_assert_no_error (error);
      g_assert_nonnull (campaign);
      g_assert_nonnull (without_error);
      return;
    }
  g_assert_null (campaign);
  g_assert_error (error, TD_CAMPAIGN_ERROR, files[i].code);
  g_test_message ("%s: %s", files[i].slug, error->message);
  g_assert_nonnull (strstr (error->message, files[i].mentions));
  /* Refused the same when the caller does not ask why. */
  g_assert_null (without_error);
}

/* From a file: what is wrong is said with the file's name. */
static void
test_from_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "campaigns", NULL);
  g_autofree char *good_path = g_build_filename (dir, "jiangsu-2021.json", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "江苏2021.json", NULL);
  g_autoptr(GFile) good = g_file_new_for_path (good_path);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr(GFile) missing = g_file_new_build_filename (dir, "missing.json", NULL);
  g_autoptr(TdCampaign) campaign = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (good_path, files[0].json, -1, NULL));
  g_assert_true (g_file_set_contents (bad_path, files[7].json, -1, NULL));

  campaign = td_campaign_new_from_file (good, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (td_campaign_get_id (campaign), ==, "jiangsu-2021");
  g_assert_cmpstr (td_campaign_get_json (campaign), ==, files[0].json);
  g_clear_object (&campaign);

  campaign = td_campaign_new_from_file (bad, NULL, &error);
  g_assert_null (campaign);
  g_assert_error (error, TD_CAMPAIGN_ERROR, TD_CAMPAIGN_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "“江苏2021.json”: "));
  g_assert_nonnull (strstr (error->message, "deadline"));
  g_clear_error (&error);

  campaign = td_campaign_new_from_file (missing, NULL, &error);
  g_assert_null (campaign);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "missing.json"));
}

/* Made current, a campaign of another province takes the school with it:
 * the profile's province is the campaign's, and a city of the old one goes
 * (it could never pass the form's rule), with its county. */
static void
test_make_current_province (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autoptr(TdSchool) school = NULL;
  g_autoptr(TdCampaign) jiangsu = td_campaign_new_from_data (files[0].json, -1, &error);
  g_autoptr(TdCampaign) shandong = td_campaign_get_builtin ();

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), "province.db", NULL);
  store = td_store_open (path, &error);
  g_assert_no_error (error);
  school = td_school_new (store, &error);
  g_assert_true (td_school_set (school, TD_SCHOOL_CITY, "3701", &error));
  g_assert_true (td_school_set (school, TD_SCHOOL_COUNTY, "370102", &error));
  g_assert_true (td_school_set (school, TD_SCHOOL_STREET, "文化西路29号", &error));
  g_assert_no_error (error);

  /* The same province: the address stays. */
  g_assert_true (td_campaign_make_current (store, shandong, &error));
  g_assert_true (td_school_reload (school, &error));
  g_assert_cmpstr (td_school_get_province_code (school), ==, "37");
  g_assert_cmpstr (td_school_get (school, TD_SCHOOL_CITY), ==, "3701");
  g_assert_cmpstr (td_school_get (school, TD_SCHOOL_COUNTY), ==, "370102");

  g_assert_true (td_campaign_make_current (store, jiangsu, &error));
  g_assert_no_error (error);
  g_assert_true (td_school_reload (school, &error));
  g_assert_cmpstr (td_school_get_province_code (school), ==, "32");
  g_assert_cmpstr (td_school_get (school, TD_SCHOOL_CITY), ==, "");
  g_assert_cmpstr (td_school_get (school, TD_SCHOOL_COUNTY), ==, "");
  g_assert_cmpstr (td_school_get (school, TD_SCHOOL_STREET), ==, "文化西路29号");
  /* And now a city of Jiangsu can be chosen, 南京市. */
  g_assert_true (td_school_set (school, TD_SCHOOL_CITY, "3201", &error));
  g_assert_no_error (error);
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

/* A deep document is refused before JSON-GLib's recursive parser sees it. */
static void
test_too_deep (void)
{
  g_autofree char *deep = g_strnfill (10000, '{');
  g_autoptr(GError) error = NULL;
  g_autoptr(TdCampaign) campaign = td_campaign_new_from_data (deep, -1, &error);

  g_assert_null (campaign);
  g_assert_error (error, TD_CAMPAIGN_ERROR, TD_CAMPAIGN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "deeper"));
}

/* The years reported come from the campaign, never the clock; a 2020
 * campaign on a 2026 day is past. */
static void
test_years_and_deadline (void)
{
  g_autoptr(TdCampaign) builtin = td_campaign_get_builtin ();
  g_autoptr(TdCampaign) own = NULL;
  g_autoptr(GError) error = NULL;
  GDate day;

  g_assert_cmpint (td_campaign_get_first_year (builtin), ==, 2020 - 3);
  g_assert_cmpint (td_campaign_get_last_year (builtin), ==, 2020 - 1);

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 5, 12, 2026);
  g_assert_true (td_campaign_is_past (builtin, &day));
  g_date_set_dmy (&day, 15, 5, 2020);
  g_assert_false (td_campaign_is_past (builtin, &day));
  g_setenv ("TRAINING_DESK_TODAY", "2026-12-05", TRUE);
  g_assert_true (td_campaign_is_past (builtin, NULL));
  g_setenv ("TRAINING_DESK_TODAY", "2020-05-01", TRUE);
  g_assert_false (td_campaign_is_past (builtin, NULL));
  g_unsetenv ("TRAINING_DESK_TODAY");

  own = td_campaign_new_from_data ("{\"schema\":1,\"id\":\"x-2026\",\"title\":\"t\",\"notice\":\"n\","
                                   "\"province\":\"37\",\"year\":2026,\"deadline\":\"2026-06-30\","
                                   "\"years\":{\"first\":2024,\"last\":2025},"
                                   "\"recipients\":[{\"school_types\":[\"technical\",\"higher-vocational\",\"secondary-vocational\",\"undergraduate\"],\"authority\":\"a\",\"email\":\"a@example.org\"}]}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (td_campaign_get_first_year (own), ==, 2024);
  g_assert_cmpint (td_campaign_get_last_year (own), ==, 2025);
  g_clear_object (&own);
  own = td_campaign_new_from_data ("{\"schema\":1,\"id\":\"x-2026\",\"title\":\"t\",\"notice\":\"n\","
                                   "\"province\":\"37\",\"year\":2026,\"deadline\":\"2026-06-30\","
                                   "\"years\":{\"first\":2025,\"last\":2027},"
                                   "\"recipients\":[{\"school_types\":[\"technical\",\"higher-vocational\",\"secondary-vocational\",\"undergraduate\"],\"authority\":\"a\",\"email\":\"a@example.org\"}]}", -1, &error);
  g_assert_null (own);
  g_assert_error (error, TD_CAMPAIGN_ERROR, TD_CAMPAIGN_ERROR_INVALID);
}

/* This year's campaign from the built-in one: built, saved, imported back
 * unchanged; its years follow its year; a past deadline is seen. */
static void
test_draft (void)
{
  g_autoptr(TdCampaign) builtin = td_campaign_get_builtin ();
  g_autoptr(TdCampaignDraft) draft = td_campaign_draft_new (builtin, 2026);
  g_autoptr(TdCampaign) built = NULL;
  g_autoptr(TdCampaign) back = NULL;
  g_autoptr(TdCampaign) current = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  /* In the test's own data directory: a fixed name in /tmp is shared with
   * every other run on the machine (another branch's newer schema). */
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "shandong-2026.json", NULL);
  g_autofree char *db = g_build_filename (g_get_user_data_dir (), "draft.db", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GDate day;
  TdRecipient *technical;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  g_assert_cmpstr (draft->notice, ==, "鲁教职字〔2026〕5号");
  g_free (draft->notice);
  draft->notice = g_strdup ("鲁教职字〔2026〕12号");
  g_date_set_dmy (&draft->deadline, 30, G_DATE_JUNE, 2026);
  draft->upload_endpoint = g_strdup ("https://forms.example.org/upload");
  technical = g_ptr_array_index (draft->recipients, 1);
  g_free (technical->email);
  technical->email = g_strdup ("jineng@example.org");
  technical->paper_copies = 3;

  built = td_campaign_draft_build (draft, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (td_campaign_get_id (built), ==, "shandong-2026");
  g_assert_cmpint (td_campaign_get_year (built), ==, 2026);
  /* The years follow the new year: 2023–2025, not 2017–2019. */
  g_assert_cmpint (td_campaign_get_first_year (built), ==, 2023);
  g_assert_cmpint (td_campaign_get_last_year (built), ==, 2025);
  g_assert_null (strstr (td_campaign_get_json (built), "contacts"));
  g_assert_null (strstr (td_campaign_get_json (built), "81916531"));

  g_assert_true (td_campaign_save (built, file, NULL, &error));
  g_assert_no_error (error);
  back = td_campaign_new_from_file (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (td_campaign_get_json (back), ==, td_campaign_get_json (built));
  g_assert_cmpstr (td_campaign_get_notice (back), ==, "鲁教职字〔2026〕12号");
  g_assert_cmpstr (td_campaign_get_upload_endpoint (back), ==, "https://forms.example.org/upload");
  g_assert_cmpstr (td_campaign_recipient_for (back, "technical")->email, ==, "jineng@example.org");
  g_assert_cmpint (td_campaign_recipient_for (back, "technical")->paper_copies, ==, 3);
  g_assert_cmpstr (td_campaign_recipient_for (back, "secondary-vocational")->email, ==, "dxskjcxds@163.com");

  store = td_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (td_campaign_make_current (store, back, &error));
  current = td_campaign_load_current (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (td_campaign_get_id (current), ==, "shandong-2026");
  g_assert_cmpint (td_campaign_get_last_year (current), ==, 2025);

  /* Past on 2026-12-05, not on 2026-06-30. */
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 5, 12, 2026);
  g_assert_true (td_campaign_is_past (back, &day));
  g_date_set_dmy (&day, 30, 6, 2026);
  g_assert_false (td_campaign_is_past (back, &day));

  /* A mailbox that is no address is refused as an import would be. */
  g_free (technical->email);
  technical->email = g_strdup ("not a mailbox");
  g_clear_object (&built);
  built = td_campaign_draft_build (draft, &error);
  g_assert_null (built);
  g_assert_error (error, TD_CAMPAIGN_ERROR, TD_CAMPAIGN_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/campaign/builtin", test_builtin);
  g_test_add_func ("/campaign/years-and-deadline", test_years_and_deadline);
  g_test_add_func ("/campaign/too-deep", test_too_deep);
  g_test_add_func ("/campaign/draft", test_draft);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_strdup_printf ("/campaign/file/%02u-%s", i, files[i].slug);

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_file);
    }
  g_test_add_func ("/campaign/current", test_current);
  g_test_add_func ("/campaign/from-file", test_from_file);
  g_test_add_func ("/campaign/make-current-province", test_make_current_province);

  return g_test_run ();
}
