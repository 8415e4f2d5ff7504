/* test-divisions.c: GB/T 2260 divisions as the address fields use them
 *
 * The numbers are hard-coded from resources/divisions/ (china-division
 * 2.7.0): Shandong (37) has 16 cities and 151 county-level divisions. If the
 * data is replaced, these are the lines to review.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "td-divisions.h"

#define SHANDONG              "37"
#define SHANDONG_N_CITIES     16
#define SHANDONG_N_COUNTIES   151

/* The 16 cities of Shandong in file (code) order, with their number of
 * county-level divisions. 3712 (莱芜市) was merged into 济南市 in 2019. */
typedef struct
{
  const char *code;
  const char *name;
  guint       n_counties;
} CityCase;

static const CityCase shandong_cities[] = {
  { "3701", "济南市", 13 },
  { "3702", "青岛市", 10 },
  { "3703", "淄博市",  8 },
  { "3704", "枣庄市",  6 },
  { "3705", "东营市",  7 },
  { "3706", "烟台市", 13 },
  { "3707", "潍坊市", 13 },
  { "3708", "济宁市", 12 },
  { "3709", "泰安市",  6 },
  { "3710", "威海市",  7 },
  { "3711", "日照市",  5 },
  { "3713", "临沂市", 13 },
  { "3714", "德州市", 12 },
  { "3715", "聊城市",  8 },
  { "3716", "滨州市",  7 },
  { "3717", "菏泽市", 11 },
};

static gboolean
is_shandong_city (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (shandong_cities); i++)
    if (g_strcmp0 (shandong_cities[i].code, code) == 0)
      return TRUE;
  return FALSE;
}

/* td_divisions_lookup */

typedef struct
{
  const char *slug;
  const char *code;
  const char *name;    /* NULL: the code is unknown */
  const char *parent;
} LookupCase;

static const LookupCase lookup_cases[] = {
  { "shandong",                 "37",       "山东省", NULL },
  { "jinan",                    "3701",     "济南市", "37" },
  { "lixia",                    "370102",   "历下区", "3701" },
  { "qingdao",                  "3702",     "青岛市", "37" },
  { "heze",                     "3717",     "菏泽市", "37" },
  { "beijing",                  "11",       "北京市", NULL },
  { "beijing-districts",        "1101",     "市辖区", "11" },
  { "dongcheng",                "110101",   "东城区", "1101" },
  { "shijiazhuang",             "1301",     "石家庄市", "13" },
  { "laiwu-merged",             "3712",     NULL,     NULL },
  { "unknown-province",         "99",       NULL,     NULL },
  { "unknown-county",           "379999",   NULL,     NULL },
  { "trailing-garbage",         "3701x",    NULL,     NULL },
  { "leading-space",            " 3701",    NULL,     NULL },
  { "padded-to-6",              "370100",   NULL,     NULL },
  { "empty",                    "",         NULL,     NULL },
  { "null",                     NULL,       NULL,     NULL },
};

static void
test_lookup (gconstpointer data)
{
  const LookupCase *row = data;
  const TdDivision *division = td_divisions_lookup (row->code);

  if (row->name == NULL)
    {
      g_assert_null (division);
      return;
    }

  g_assert_nonnull (division);
  g_assert_cmpstr (division->code, ==, row->code);
  g_assert_cmpstr (division->name, ==, row->name);
  g_assert_cmpstr (division->parent, ==, row->parent);
  /* The same record every time. */
  g_assert_true (td_divisions_lookup (row->code) == division);
}

/* td_divisions_is_child */

typedef struct
{
  const char *slug;
  const char *parent;
  const char *code;
  gboolean    expected;
} IsChildCase;

static const IsChildCase is_child_cases[] = {
  { "city-of-province",           "37",     "3701",   TRUE },
  { "last-city-of-province",      "37",     "3717",   TRUE },
  { "county-of-city",             "3701",   "370102", TRUE },
  { "county-of-other-city",       "3702",   "370102", FALSE },
  { "county-of-province",         "37",     "370102", FALSE },
  { "county-of-other-province",   "13",     "370102", FALSE },
  { "city-of-other-province",     "13",     "3701",   FALSE },
  { "other-province-city",        "37",     "1301",   FALSE },
  { "reversed",                   "370102", "3701",   FALSE },
  { "self",                       "3701",   "3701",   FALSE },
  { "merged-city",                "37",     "3712",   FALSE },
  { "unknown-code",               "37",     "3799",   FALSE },
  { "unknown-parent",             "3799",   "370102", FALSE },
  { "both-unknown",               "99",     "9901",   FALSE },
  { "empty-code",                 "37",     "",       FALSE },
  { "null-code",                  "37",     NULL,     FALSE },
  { "empty-parent",               "",       "3701",   FALSE },
  { "null-parent",                NULL,     "3701",   FALSE },
  { "empty-parent-province",      "",       "37",     FALSE },
  { "both-empty",                 "",       "",       FALSE },
  { "both-null",                  NULL,     NULL,     FALSE },
};

/* A province is nobody's child. */
static const IsChildCase province_cases[] = {
  /* A province has no parent, and g_strcmp0 (NULL, NULL) == 0: the code
   * answers TRUE, "37 is a child of NULL". No parent chosen is not a parent. */
  { "null-parent-province",       NULL,     "37",     FALSE },
};

static void
test_is_child (gconstpointer data)
{
  const IsChildCase *row = data;

  g_test_message ("row %s: is_child (%s, %s)", row->slug,
                  row->parent ? row->parent : "NULL",
                  row->code ? row->code : "NULL");
  g_assert_cmpint (td_divisions_is_child (row->parent, row->code), ==, row->expected);
}

/* td_divisions_children */

static void
test_shandong_cities (void)
{
  g_autoptr(GPtrArray) cities = td_divisions_children (SHANDONG);

  g_assert_cmpuint (G_N_ELEMENTS (shandong_cities), ==, SHANDONG_N_CITIES);
  g_assert_cmpuint (cities->len, ==, SHANDONG_N_CITIES);

  /* In file order, which is code order. */
  for (guint i = 0; i < cities->len; i++)
    {
      const TdDivision *city = g_ptr_array_index (cities, i);

      g_assert_cmpstr (city->code, ==, shandong_cities[i].code);
      g_assert_cmpstr (city->name, ==, shandong_cities[i].name);
      g_assert_cmpstr (city->parent, ==, SHANDONG);
      g_assert_true (td_divisions_lookup (city->code) == city);
    }
}

static void
test_city_counties (gconstpointer data)
{
  const CityCase *row = data;
  g_autoptr(GPtrArray) counties = td_divisions_children (row->code);

  g_assert_cmpuint (counties->len, ==, row->n_counties);
  for (guint i = 0; i < counties->len; i++)
    {
      const TdDivision *county = g_ptr_array_index (counties, i);
      g_autoptr(GPtrArray) below = td_divisions_children (county->code);

      g_assert_cmpuint (strlen (county->code), ==, 6);
      g_assert_true (g_str_has_prefix (county->code, row->code));
      g_assert_cmpstr (county->parent, ==, row->code);
      g_assert_true (td_divisions_lookup (county->code) == county);
      g_assert_true (td_divisions_is_child (row->code, county->code));
      g_assert_false (td_divisions_is_child (SHANDONG, county->code));
      /* Counties are the bottom level. */
      g_assert_cmpuint (below->len, ==, 0);
    }
}

static void
test_shandong_county_total (void)
{
  g_autoptr(GPtrArray) cities = td_divisions_children (SHANDONG);
  guint total = 0;

  for (guint i = 0; i < cities->len; i++)
    {
      const TdDivision *city = g_ptr_array_index (cities, i);
      g_autoptr(GPtrArray) counties = td_divisions_children (city->code);

      total += counties->len;
    }

  g_assert_cmpuint (total, ==, SHANDONG_N_COUNTIES);
}

/* Independently of td_divisions_children: every 6-digit code 37xxxx that
 * exists has one of the 16 cities as its parent, and there are 151. */
static void
test_shandong_counties_by_code (void)
{
  guint found = 0;

  for (guint n = 370000; n <= 379999; n++)
    {
      char code[8];
      const TdDivision *county;

      g_snprintf (code, sizeof code, "%u", n);
      county = td_divisions_lookup (code);
      if (county == NULL)
        continue;

      found++;
      g_assert_cmpstr (county->code, ==, code);
      g_assert_true (is_shandong_city (county->parent));
      g_assert_true (td_divisions_is_child (county->parent, code));
      g_assert_cmpstr (td_divisions_lookup (county->parent)->parent, ==, SHANDONG);
    }

  g_assert_cmpuint (found, ==, SHANDONG_N_COUNTIES);
}

static void
test_jinan (void)
{
  g_autoptr(GPtrArray) counties = td_divisions_children ("3701");
  const TdDivision *first;

  g_assert_cmpuint (counties->len, >, 0);
  first = g_ptr_array_index (counties, 0);
  g_assert_cmpstr (first->code, ==, "370102");
  g_assert_cmpstr (first->name, ==, "历下区");
  g_assert_cmpstr (first->parent, ==, "3701");
}

static void
assert_code_order (GPtrArray  *children,
                   const char *parent)
{
  for (guint i = 0; i < children->len; i++)
    {
      const TdDivision *child = g_ptr_array_index (children, i);

      g_assert_cmpstr (child->parent, ==, parent);
      g_assert_true (g_str_has_prefix (child->code, parent));
      if (i > 0)
        {
          const TdDivision *previous = g_ptr_array_index (children, i - 1);

          g_assert_cmpint (strcmp (previous->code, child->code), <, 0);
        }
    }
}

/* File order is code order, for every province and city in the data. */
static void
test_children_code_order (void)
{
  guint n_provinces = 0;

  for (guint p = 10; p <= 99; p++)
    {
      char code[4];
      g_autoptr(GPtrArray) cities = NULL;

      g_snprintf (code, sizeof code, "%u", p);
      if (td_divisions_lookup (code) == NULL)
        continue;

      n_provinces++;
      cities = td_divisions_children (code);
      g_assert_cmpuint (cities->len, >, 0);
      assert_code_order (cities, code);
      for (guint i = 0; i < cities->len; i++)
        {
          const TdDivision *city = g_ptr_array_index (cities, i);
          g_autoptr(GPtrArray) counties = td_divisions_children (city->code);

          assert_code_order (counties, city->code);
        }
    }

  /* 31 provincial-level divisions of the mainland. */
  g_assert_cmpuint (n_provinces, ==, 31);
}

typedef struct
{
  const char *slug;
  const char *code;
} UnknownCase;

static const UnknownCase no_children_cases[] = {
  { "unknown-province",   "99" },
  { "merged-city",        "3712" },
  { "unknown-county",     "379999" },
  { "county",             "370102" },
  { "garbage",            "abc" },
  { "empty",              "" },
  { "null",               NULL },
};

static void
test_no_children (gconstpointer data)
{
  const UnknownCase *row = data;
  g_autoptr(GPtrArray) children = NULL;

  g_test_message ("row %s: children (%s)", row->slug, row->code ? row->code : "NULL");
  children = td_divisions_children (row->code);
  g_assert_nonnull (children);
  g_assert_cmpuint (children->len, ==, 0);
}

/* td_divisions_children is "(transfer container)": the array is the
 * caller's to change, and changing it changes no later answer. */
static void
test_children_container_is_callers (void)
{
  g_autoptr(GPtrArray) second = NULL;
  const TdDivision *first;

  {
    g_autoptr(GPtrArray) mine = td_divisions_children ("3701");

    g_assert_cmpuint (mine->len, ==, 13);
    g_ptr_array_remove_index (mine, 0);
  }

  second = td_divisions_children ("3701");
  g_assert_cmpuint (second->len, ==, 13);
  first = g_ptr_array_index (second, 0);
  g_assert_cmpstr (first->code, ==, "370102");
}

/* Registration: one test case per row, "/divisions/<table>/<index>-<slug>". */

#define ADD_ROWS(prefix, table, name_field, func)                             \
  G_STMT_START {                                                              \
    for (guint i_ = 0; i_ < G_N_ELEMENTS (table); i_++)                       \
      {                                                                       \
        g_autofree char *path_ = g_strdup_printf ("%s/%03u-%s", prefix, i_,   \
                                                  (table)[i_].name_field);    \
        g_test_add_data_func (path_, &(table)[i_], func);                     \
      }                                                                       \
  } G_STMT_END

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  ADD_ROWS ("/divisions/lookup", lookup_cases, slug, test_lookup);
  ADD_ROWS ("/divisions/is-child", is_child_cases, slug, test_is_child);
  ADD_ROWS ("/divisions/no-children", no_children_cases, slug, test_no_children);
  ADD_ROWS ("/divisions/shandong/counties", shandong_cities, code, test_city_counties);
  g_test_add_func ("/divisions/shandong/cities", test_shandong_cities);
  g_test_add_func ("/divisions/shandong/county-total", test_shandong_county_total);
  g_test_add_func ("/divisions/shandong/counties-by-code", test_shandong_counties_by_code);
  g_test_add_func ("/divisions/shandong/jinan", test_jinan);
  g_test_add_func ("/divisions/children-code-order", test_children_code_order);

  ADD_ROWS ("/divisions/is-child/province", province_cases, slug, test_is_child);
  g_test_add_func ("/divisions/children-container-is-callers", test_children_container_is_callers);

  return g_test_run ();
}
