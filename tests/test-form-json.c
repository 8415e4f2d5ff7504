/* test-form-json.c: the intent form as a JSON document and a catalogue row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "td-form-json.h"
#include "td-xlsx.h"

static TdForm *
fixture_form (void)
{
  TdForm *form = td_form_new ("shandong-2020", 2023, 2025);

  td_form_set (form, TD_FORM_NAME, "济南第一职业中等专业学校");
  td_form_set (form, TD_FORM_AUTHORITY, "济南市教育局");
  td_form_set (form, TD_FORM_CITY, "济南市");
  td_form_set (form, TD_FORM_COUNTY, "历下区");
  td_form_set (form, TD_FORM_STREET, "文化西路29号");
  td_form_set (form, TD_FORM_POSTAL_CODE, "250014");
  td_form_set (form, TD_FORM_CONTACT_NAME, "陈璟");
  td_form_set (form, TD_FORM_PHONE, "0531-81916531");
  td_form_set (form, TD_FORM_EMAIL, "pxb@jndyzz.edu.cn");
  td_form_set (form, TD_FORM_CATEGORIES, "enterprise-staff,key-groups");
  td_form_set (form, TD_FORM_FIELDS, "养老服务、智能制造、电子商务");
  /* Quotes, a backslash, a line break, an emoji: all kept. */
  td_form_set (form, TD_FORM_CAPACITY, "“双师型”教师2人，占50.0%。\n设备 \"CK6140\" \\ 10台😀");
  td_form_set (form, TD_FORM_RESULTS, "2023—2025年，学校共开展职业培训4期、培训150人次。");
  td_form_set (form, TD_FORM_LEGAL_REPRESENTATIVE, "王建国");
  return form;
}

/* The documented format, member by member (docs/form-json.md). */
static const char fixture_json[] =
  "{\n"
  "  \"schema\" : 1,\n"
  "  \"campaign\" : \"shandong-2020\",\n"
  "  \"name\" : \"济南第一职业中等专业学校\",\n"
  "  \"authority\" : \"济南市教育局\",\n"
  "  \"address\" : {\n"
  "    \"city\" : \"济南市\",\n"
  "    \"county\" : \"历下区\",\n"
  "    \"street\" : \"文化西路29号\"\n"
  "  },\n"
  "  \"postal_code\" : \"250014\",\n"
  "  \"contact\" : {\n"
  "    \"name\" : \"陈璟\",\n"
  "    \"phone\" : \"0531-81916531\",\n"
  "    \"email\" : \"pxb@jndyzz.edu.cn\"\n"
  "  },\n"
  "  \"categories\" : [\n"
  "    \"enterprise-staff\",\n"
  "    \"key-groups\"\n"
  "  ],\n"
  "  \"fields\" : \"养老服务、智能制造、电子商务\",\n"
  "  \"capacity\" : \"“双师型”教师2人，占50.0%。\\n设备 \\\"CK6140\\\" \\\\ 10台😀\",\n"
  "  \"results\" : \"2023—2025年，学校共开展职业培训4期、培训150人次。\",\n"
  "  \"legal_representative\" : \"王建国\",\n"
  "  \"years\" : {\n"
  "    \"first\" : 2023,\n"
  "    \"last\" : 2025\n"
  "  }\n"
  "}\n";

static void
assert_same_form (TdForm *a,
                  TdForm *b)
{
  for (TdFormField f = 0; f < TD_FORM_N_FIELDS; f++)
    g_assert_cmpstr (td_form_get (a, f), ==, td_form_get (b, f));
  g_assert_cmpstr (td_form_get_campaign_id (a), ==, td_form_get_campaign_id (b));
  g_assert_cmpint (td_form_get_first_year (a), ==, td_form_get_first_year (b));
  g_assert_cmpint (td_form_get_last_year (a), ==, td_form_get_last_year (b));
}

/* To JSON, back, to JSON again: the same bytes, the same form. */
static void
test_round_trip (void)
{
  g_autoptr(TdForm) form = fixture_form ();
  g_autoptr(TdForm) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;
  gsize length = 0;

  json = td_form_to_json (form, &length);
  g_assert_cmpuint (length, ==, strlen (json));
  g_assert_cmpstr (json, ==, fixture_json);

  back = td_form_new_from_json (json, length, &error);
  g_assert_no_error (error);
  assert_same_form (form, back);
  again = td_form_to_json (back, NULL);
  g_assert_cmpstr (again, ==, json);
}

/* The opinion given at sign-off: written only once given, read back; a
 * form without it (every revision signed before it) reads as before; a
 * malformed one is refused, naming the member. */
static void
test_opinion (void)
{
  g_autoptr(TdForm) form = fixture_form ();
  g_autoptr(TdForm) back = NULL;
  g_autoptr(TdForm) old = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;
  const char *bad[] = {
    "\"opinion\" : \"同意申报。\",",
    "\"opinion\" : { \"text\" : \"同意申报。\" },",
    "\"opinion\" : { \"text\" : \"同意申报。\", \"date\" : \"2026-13-01\" },",
    "\"opinion\" : { \"text\" : \"同意申报。\", \"date\" : \"5.12.2026\" },",
  };

  old = td_form_new_from_json (fixture_json, -1, &error);
  g_assert_no_error (error);
  g_assert_null (td_form_get_opinion (old));

  td_form_set_opinion (form, "同意申报。", "2026-12-05");
  json = td_form_to_json (form, NULL);
  g_assert_nonnull (strstr (json, "\"opinion\" : {\n    \"text\" : \"同意申报。\",\n    \"date\" : \"2026-12-05\"\n  }"));
  back = td_form_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (td_form_get_opinion (back), ==, "同意申报。");
  g_assert_cmpstr (td_form_get_opinion_date (back), ==, "2026-12-05");
  again = td_form_to_json (back, NULL);
  g_assert_cmpstr (again, ==, json);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *doc = g_strdup (fixture_json);
      g_autofree char *edited = NULL;
      g_autoptr(TdForm) refused = NULL;
      char *at = strstr (doc, "\"years\"");

      at[0] = '\0';
      edited = g_strconcat (doc, bad[i], "\n  ", strstr (fixture_json, "\"years\""), NULL);
      refused = td_form_new_from_json (edited, -1, &error);
      g_assert_null (refused);
      g_assert_error (error, TD_FORM_JSON_ERROR, TD_FORM_JSON_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "opinion"));
      g_clear_error (&error);
    }
}

/* An empty form (nothing ticked, nothing written) survives too. */
static void
test_round_trip_empty (void)
{
  g_autoptr(TdForm) form = td_form_new ("shandong-2020", 2022, 2024);
  g_autoptr(TdForm) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = td_form_to_json (form, NULL);
  g_autofree char *again = NULL;

  g_assert_true (g_regex_match_simple ("\"categories\" : \\[\\s*\\],", json, 0, 0));
  back = td_form_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  assert_same_form (form, back);
  again = td_form_to_json (back, NULL);
  g_assert_cmpstr (again, ==, json);
}

/* Categories in any order come back in the form's; members this version
 * does not know are ignored. */
static void
test_lenient (void)
{
  g_autoptr(JsonNode) root = json_from_string (fixture_json, NULL);
  JsonObject *object = json_node_get_object (root);
  g_autoptr(JsonArray) categories = json_array_new ();
  g_autoptr(TdForm) form = NULL;
  g_autoptr(GError) error = NULL;

  json_array_add_string_element (categories, "unemployed");
  json_array_add_string_element (categories, "enterprise-staff");
  json_object_set_array_member (object, "categories", json_array_ref (categories));
  json_object_set_string_member (object, "signature", "later");
  json_object_set_int_member (json_object_get_object_member (object, "contact"), "fax", 1);

  form = td_form_new_from_json_node (root, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (td_form_get (form, TD_FORM_CATEGORIES), ==, "enterprise-staff,unemployed");
}

/* Replaces (or removes, when @value is NULL) the member at @path. */
static void
mutate (JsonNode   *root,
        const char *path,
        JsonNode   *value)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", 2);
  JsonObject *object = json_node_get_object (root);
  const char *name = parts[0];
  const char *bracket;

  if (parts[1])
    {
      object = json_object_get_object_member (object, parts[0]);
      name = parts[1];
    }
  if ((bracket = strchr (name, '[')))
    {
      g_autofree char *array_name = g_strndup (name, bracket - name);
      JsonArray *old = json_object_get_array_member (object, array_name);
      guint index = (guint)g_ascii_strtoull (bracket + 1, NULL, 10);
      JsonArray *rebuilt = json_array_new ();

      g_assert_nonnull (value);
      for (guint i = 0; i < json_array_get_length (old); i++)
        json_array_add_element (rebuilt, i == index ? value : json_node_copy (json_array_get_element (old, i)));
      json_object_set_array_member (object, array_name, rebuilt);
      return;
    }
  if (value)
    json_object_set_member (object, name, value);
  else
    json_object_remove_member (object, name);
}

static JsonNode *
int_node (gint64 value)
{
  return json_node_init_int (json_node_alloc (), value);
}

static JsonNode *
string_node (const char *value)
{
  return json_node_init_string (json_node_alloc (), value);
}

static JsonNode *
double_node (double value)
{
  return json_node_init_double (json_node_alloc (), value);
}

static JsonNode *
null_node (void)
{
  return json_node_init_null (json_node_alloc ());
}

static JsonNode *
empty_object_node (void)
{
  g_autoptr(JsonObject) object = json_object_new ();

  return json_node_init_object (json_node_alloc (), object);
}

static JsonNode *
empty_array_node (void)
{
  g_autoptr(JsonArray) array = json_array_new ();

  return json_node_init_array (json_node_alloc (), array);
}

static void
expect_refused (const char *json,
                int         code,
                const char *named)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdForm) form = td_form_new_from_json (json, -1, &error);

  g_assert_null (form);
  g_assert_error (error, TD_FORM_JSON_ERROR, code);
  g_test_message ("%s", error->message);
  if (named && !strstr (error->message, named))
    g_error ("“%s” does not name “%s”", error->message, named);
}

static void
expect_mutation_refused (const char *path,
                         JsonNode   *value,
                         const char *named)
{
  g_autoptr(JsonNode) root = json_from_string (fixture_json, NULL);
  g_autofree char *json = NULL;
  g_autofree char *quoted = g_strdup_printf ("“%s”", named);

  mutate (root, path, value);
  json = json_to_string (root, FALSE);
  expect_refused (json, TD_FORM_JSON_ERROR_INVALID, quoted);
}

/* Every member missing, and every member of a wrong type, is refused with
 * the member named. */
/* JSON-GLib parses recursively: a deep document would exhaust the stack,
 * so it is refused before parsing. */
static void
test_too_deep (void)
{
  g_autofree char *deep = g_strnfill (10000, '[');

  expect_refused (deep, TD_FORM_JSON_ERROR_INVALID, "deeper");
}

static void
test_malformed (void)
{
  static const char * const strings[] = {
    "campaign", "name", "authority", "address.city", "address.county", "address.street", "postal_code",
    "contact.name", "contact.phone", "contact.email", "fields", "capacity", "results", "legal_representative",
  };
  static const char * const objects[] = { "address", "contact", "years" };
  static const char * const ints[] = { "schema", "years.first", "years.last" };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      expect_mutation_refused (strings[i], NULL, strings[i]);
      expect_mutation_refused (strings[i], int_node (42), strings[i]);
      expect_mutation_refused (strings[i], null_node (), strings[i]);
      expect_mutation_refused (strings[i], json_node_init_boolean (json_node_alloc (), TRUE), strings[i]);
      expect_mutation_refused (strings[i], empty_object_node (), strings[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      expect_mutation_refused (objects[i], NULL, objects[i]);
      expect_mutation_refused (objects[i], string_node ("济南市"), objects[i]);
      expect_mutation_refused (objects[i], empty_array_node (), objects[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    {
      expect_mutation_refused (ints[i], NULL, ints[i]);
      expect_mutation_refused (ints[i], string_node ("2025"), ints[i]);
      expect_mutation_refused (ints[i], double_node (2025.5), ints[i]);
      expect_mutation_refused (ints[i], int_node (G_GINT64_CONSTANT (1) << 40), ints[i]);
    }

  expect_mutation_refused ("categories", NULL, "categories");
  expect_mutation_refused ("categories", string_node ("enterprise-staff"), "categories");
  expect_mutation_refused ("categories[1]", int_node (1), "categories[1]");
  expect_mutation_refused ("categories[1]", string_node ("retirees"), "categories[1]");
  expect_mutation_refused ("categories[1]", string_node ("enterprise-staff"), "categories[1]");
  expect_mutation_refused ("years.first", int_node (2026), "years");
  expect_mutation_refused ("schema", int_node (0), "schema");

  /* Not a form at all. */
  expect_refused ("", TD_FORM_JSON_ERROR_INVALID, NULL);
  expect_refused ("{ \"schema\": 1, ", TD_FORM_JSON_ERROR_INVALID, NULL);
  expect_refused ("[1, 2]", TD_FORM_JSON_ERROR_INVALID, NULL);
  expect_refused ("\"form\"", TD_FORM_JSON_ERROR_INVALID, NULL);
  expect_refused ("{}", TD_FORM_JSON_ERROR_INVALID, "“schema”");
}

/* A later schema is refused as such: the user needs a newer app. */
static void
test_too_new (void)
{
  g_autoptr(JsonNode) root = json_from_string (fixture_json, NULL);
  g_autofree char *json = NULL;

  mutate (root, "schema", int_node (TD_FORM_JSON_SCHEMA + 1));
  json = json_to_string (root, FALSE);
  expect_refused (json, TD_FORM_JSON_ERROR_TOO_NEW, "“schema”");
}

static const char * const fixture_row[] = {
  "济南第一职业中等专业学校", "济南市教育局", "济南市历下区文化西路29号", "250014", "陈璟",
  "0531-81916531；pxb@jndyzz.edu.cn", "企业职工技能培训、重点人群的就业创业培训", "养老服务、智能制造、电子商务",
  "“双师型”教师2人，占50.0%。\n设备 \"CK6140\" \\ 10台😀", "2023—2025年，学校共开展职业培训4期、培训150人次。",
};

/* The catalogue row: the form's fields in printed order, as CSV and xlsx. */
static void
test_catalogue (void)
{
  g_autoptr(TdForm) form = fixture_form ();
  g_auto(GStrv) row = td_form_catalogue_row (form);
  g_autoptr(GError) error = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *xlsx_path = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(TdTable) read_back = NULL;
  gsize length;

  g_assert_cmpuint (g_strv_length (row), ==, TD_FORM_CATALOGUE_N_COLUMNS);
  g_assert_cmpuint (g_strv_length ((char **)td_form_catalogue_headers ()), ==, TD_FORM_CATALOGUE_N_COLUMNS);
  for (guint i = 0; i < TD_FORM_CATALOGUE_N_COLUMNS; i++)
    g_assert_cmpstr (row[i], ==, fixture_row[i]);

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  csv_path = g_build_filename (g_get_user_data_dir (), "catalogue.csv", NULL);
  g_assert_true (td_form_write_catalogue (form, csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, &length, &error));
  g_assert_cmpstr (csv, ==,
                   "\xEF\xBB\xBF"
                   "单位名称,主管部门,单位地址,邮政编码,联系人,联系方式,拟承担培训项目类别,主要培训领域,"
                   "培训能力简述,近三年来主要培训业绩\r\n"
                   "济南第一职业中等专业学校,济南市教育局,济南市历下区文化西路29号,250014,陈璟,"
                   "0531-81916531；pxb@jndyzz.edu.cn,企业职工技能培训、重点人群的就业创业培训,"
                   "养老服务、智能制造、电子商务,"
                   "\"“双师型”教师2人，占50.0%。\n设备 \"\"CK6140\"\" \\ 10台😀\","
                   "2023—2025年，学校共开展职业培训4期、培训150人次。\r\n");

  /* CSV and xlsx read back: the same cells. */
  read_back = td_csv_read (csv, length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (td_table_get_n_rows (read_back), ==, 2);
  for (guint i = 0; i < TD_FORM_CATALOGUE_N_COLUMNS; i++)
    {
      g_assert_cmpstr (td_table_get_cell (read_back, 0, i), ==, td_form_catalogue_headers ()[i]);
      g_assert_cmpstr (td_table_get_cell (read_back, 1, i), ==, fixture_row[i]);
    }
  g_clear_pointer (&read_back, td_table_free);

  xlsx_path = g_build_filename (g_get_user_data_dir (), "catalogue.XLSX", NULL);
  g_assert_true (td_form_write_catalogue (form, xlsx_path, &error));
  g_assert_no_error (error);
  read_back = td_xlsx_read (xlsx_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (td_table_get_n_rows (read_back), ==, 2);
  for (guint i = 0; i < TD_FORM_CATALOGUE_N_COLUMNS; i++)
    {
      g_assert_cmpstr (td_table_get_cell (read_back, 0, i), ==, td_form_catalogue_headers ()[i]);
      g_assert_cmpstr (td_table_get_cell (read_back, 1, i), ==, fixture_row[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/form-json/round-trip", test_round_trip);
  g_test_add_func ("/form-json/round-trip-empty", test_round_trip_empty);
  g_test_add_func ("/form-json/opinion", test_opinion);
  g_test_add_func ("/form-json/lenient", test_lenient);
  g_test_add_func ("/form-json/malformed", test_malformed);
  g_test_add_func ("/form-json/too-deep", test_too_deep);
  g_test_add_func ("/form-json/too-new", test_too_new);
  g_test_add_func ("/form-json/catalogue", test_catalogue);

  return g_test_run ();
}
