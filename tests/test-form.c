/* test-form.c: the intent form assembled from records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-example.h"
#include "td-form.h"
#include "td-record-list.h"
#include "td-school.h"
#include "td-validate.h"

typedef struct
{
  TdStore    *store;
  TdCampaign *campaign;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), "form.db", NULL);
  f->store = td_store_open (path, &error);
  g_assert_no_error (error);
  f->campaign = td_campaign_get_builtin ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->campaign);
  g_assert_finalize_object (f->store);
}

static void
add (Fixture            *f,
     const char         *kind,
     const char * const *inputs)
{
  g_autoptr(GError) error = NULL;
  TdRecordList *list = td_record_list_get (f->store, kind, &error);

  g_assert_nonnull (td_record_list_add (list, inputs, NULL, &error));
  g_assert_no_error (error);
}

static void
set_school (Fixture       *f,
            TdSchoolField  field,
            const char    *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdSchool) school = td_school_new (f->store, &error);

  g_assert_true (td_school_set (school, field, value, &error));
  g_assert_no_error (error);
}

/* A small school whose figures can be checked by hand. */
static void
fill_fixture (Fixture *f)
{
  const char *p1[] = { "数控车工培训", "企业职工技能培训", "智能制造", "企业职工", "线下", "40", "30", "", "", "否", "0" };
  const char *p2[] = { "养老护理员培训", "重点人群的就业创业培训", "养老服务", "农民工", "线下", "60", "40", "", "", "是", "0" };
  const char *p3[] = { "网店运营培训", "重点人群的就业创业培训", "电子商务", "高校毕业生", "线上", "24", "50", "", "", "是", "0" };
  const char *t1[] = { "张伟", "专职", "副高级", "是", "", "" };
  const char *t2[] = { "李娜", "专职", "中级", "否", "", "" };
  const char *t3[] = { "王强", "企业专家", "正高级", "是", "", "" };
  const char *t4[] = { "赵敏", "兼职", "无", "否", "", "" };
  const char *v1[] = { "数控实训中心", "实训基地", "800", "60", "" };
  const char *v2[] = { "多媒体教室", "教室", "120", "50", "" };
  const char *v3[] = { "网络学习平台", "线上平台", "0", "500", "" };
  const char *e1[] = { "数控车床", "CK6140", "10", "85000", "数控实训中心", "2019", "在用" };
  const char *e2[] = { "护理模型人", "GD/H110", "20", "3000", "多媒体教室", "2021", "在用" };
  const char *e3[] = { "数控车床", "CK6150", "2", "90000", "数控实训中心", "2022", "闲置" };
  const char *e4[] = { "普通车床", "C6132", "5", "20000", "数控实训中心", "2005", "报废" };
  const char *e5[] = { "护理模型人", "GD/H110", "3", "3000", "多媒体教室", "2021", "维修" };
  const char *g1[] = { "职业培训管理办法", "管理", "2019-03-01", "" };
  const char *g2[] = { "培训质量监控制度", "质量", "2020-01-10", "" };
  const char *r1[] = { "2023", "数控车工培训", "企业职工技能培训", "企业职工", "2", "60", "40", "54", "60", "95", "0", "济南二机床集团", "张伟:40" };
  const char *r2[] = { "2024", "养老护理员培训", "重点人群的就业创业培训", "农民工", "1", "40", "60", "36", "30", "90", "0", "济南市养老服务中心", "李娜:60" };
  const char *r3[] = { "2025", "网店运营培训", "重点人群的就业创业培训", "高校毕业生", "1", "50", "24", "40", "35", "", "0", "", "王强:24" };
  const char *old[] = { "2019", "数控车工培训", "企业职工技能培训", "企业职工", "9", "900", "40", "900", "900", "", "0", "", "" };

  set_school (f, TD_SCHOOL_NAME, "济南第一职业中等专业学校");
  set_school (f, TD_SCHOOL_AUTHORITY, "济南市教育局");
  set_school (f, TD_SCHOOL_TYPE, "secondary-vocational");
  set_school (f, TD_SCHOOL_LEGAL_REPRESENTATIVE, "王建国");
  set_school (f, TD_SCHOOL_CITY, "3701");
  set_school (f, TD_SCHOOL_COUNTY, "370102");
  set_school (f, TD_SCHOOL_STREET, "文化西路29号");
  set_school (f, TD_SCHOOL_POSTAL_CODE, "250014");
  set_school (f, TD_SCHOOL_CONTACT_NAME, "陈璟");
  set_school (f, TD_SCHOOL_PHONE, "0531-81916531");

  add (f, "programmes", p1);
  add (f, "programmes", p2);
  add (f, "programmes", p3);
  add (f, "trainers", t1);
  add (f, "trainers", t2);
  add (f, "trainers", t3);
  add (f, "trainers", t4);
  add (f, "venues", v1);
  add (f, "venues", v2);
  add (f, "venues", v3);
  add (f, "equipment", e1);
  add (f, "equipment", e2);
  add (f, "equipment", e3);
  add (f, "equipment", e4);
  add (f, "equipment", e5);
  add (f, "guarantees", g1);
  add (f, "guarantees", g2);
  add (f, "results", r1);
  add (f, "results", r2);
  add (f, "results", r3);
  add (f, "results", old);
}

static void
test_assemble_fixture (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdForm) form = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  fill_fixture (f);
  form = td_form_assemble (f->store, f->campaign, 2025, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (td_form_get (form, TD_FORM_NAME), ==, "济南第一职业中等专业学校");
  g_assert_cmpstr (td_form_get (form, TD_FORM_AUTHORITY), ==, "济南市教育局");
  g_assert_cmpstr (td_form_get (form, TD_FORM_CITY), ==, "济南市");
  g_assert_cmpstr (td_form_get (form, TD_FORM_COUNTY), ==, "历下区");
  g_assert_cmpstr (td_form_get (form, TD_FORM_STREET), ==, "文化西路29号");
  g_assert_cmpstr (td_form_get (form, TD_FORM_POSTAL_CODE), ==, "250014");
  g_assert_cmpstr (td_form_get (form, TD_FORM_CONTACT_NAME), ==, "陈璟");
  g_assert_cmpstr (td_form_get (form, TD_FORM_PHONE), ==, "0531-81916531");
  g_assert_cmpstr (td_form_get (form, TD_FORM_LEGAL_REPRESENTATIVE), ==, "王建国");
  g_assert_cmpstr (td_form_get_campaign_id (form), ==, "shandong-2020");

  /* 6: the categories the programmes are in, in the form's order. */
  g_assert_cmpstr (td_form_get (form, TD_FORM_CATEGORIES), ==, "enterprise-staff,key-groups");
  g_assert_true (td_form_has_category (form, "key-groups"));
  g_assert_false (td_form_has_category (form, "unemployed"));
  /* 7: the programmes' fields (one programme each: in name order). */
  g_assert_cmpstr (td_form_get (form, TD_FORM_FIELDS), ==, "养老服务、智能制造、电子商务");

  /* 8 (docs/figures.md): 4 trainers (2 full-time, 1 part-time, 1 expert);
   * 2 senior titles (王强 正高级, 张伟 副高级), 1 intermediate; 2 of 4
   * dual-qualified = 50.0%. Equipment in use or idle only: 10 + 20 + 2 = 32
   * units of 2 names (数控车床 twice is one kind); value (10 × 85,000 +
   * 20 × 3,000 + 2 × 90,000) / 10,000 = 109.0万元; the 5 scrapped lathes and
   * the 3 models under repair are not counted (the old definition said 40
   * units, 4 kinds, 122.9万元). Venues on site: 2, 800 + 120 = 920 m²,
   * 60 + 50 = 110 places; the platform's 500 seats apart, never added. */
  g_assert_cmpstr (td_form_get (form, TD_FORM_CAPACITY), ==,
                   "师资方面，学校现有培训教师4人，其中专职2人、兼职1人、企业专家1人；"
                   "具有高级职称2人（正高级1人、副高级1人）、中级职称1人；“双师型”教师2人，占50.0%。"
                   "设备方面，拥有在用培训设备32台（套），共2种，总值约109.0万元。"
                   "场所方面，拥有培训场所2处（实训基地1处、教室1间），总面积920平方米，可同时容纳110人现场培训；"
                   "另有线上培训平台1个，可同时在线培训500人。"
                   "制度保障方面，制定了《职业培训管理办法》《培训质量监控制度》等2项制度，保障培训规范有序开展。");

  /* 9: 2023–2025 only (2019 is left out): 2 + 1 + 1 = 4 sessions,
   * 60 + 40 + 50 = 150 participations, 60×40 + 40×60 + 50×24 = 6,000
   * person-hours ÷ 1,200 = 5 whole students, the ratio named; certificates
   * 54 + 36 + 40 = 130 of 150 participations = 86.7%; employment over the
   * job-seekers only (the 60 enterprise employees are already employed):
   * (30 + 35) / (40 + 50) = 65 / 90 = 72.2% (the old definition said
   * 125 / 150 = 83.3%); satisfaction weighted over the 100 participants
   * with one: (95×60 + 90×40) / 100 = 93.0. */
  g_assert_cmpstr (td_form_get (form, TD_FORM_RESULTS), ==,
                   "2023—2025年，学校共开展职业培训4期、培训150人次，完成培训量6000人·学时，"
                   "按每生每年1200学时折算，约合5名全日制学生。"
                   "其中企业职工技能培训60人次，重点人群的就业创业培训90人次。"
                   "学员取得职业资格或职业技能等级证书130人次，占培训人次的86.7%；"
                   "重点人群和失业人员参训90人次，培训后实现就业65人次，就业率72.2%（企业在岗职工不计入）。"
                   "分年度看，2023年60人次、2024年40人次、2025年50人次。"
                   "学员满意度平均为93.0%。"
                   "主要培训项目有数控车工培训、网店运营培训、养老护理员培训等。"
                   "先后与济南二机床集团、济南市养老服务中心等单位合作开展培训。");

  /* Complete: nothing to fix. */
  problems = td_form_check (form, f->campaign);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", ((TdFormProblem *)g_ptr_array_index (problems, i))->message);
  g_assert_cmpuint (problems->len, ==, 0);
}

/* A school much larger than the form: both drafts stay within 500. */
static void
test_limit_large_school (Fixture       *f,
                         gconstpointer  data)
{
  const TdExampleSize size = { .programmes = 200, .trainers = 2000, .venues = 80, .equipment = 3000,
                               .guarantees = 60, .years = 4, .results_per_year = 400, .seed = 11 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TdForm) form = NULL;

  g_assert_true (td_example_fill (f->store, &size, &error));
  form = td_form_assemble (f->store, f->campaign, td_campaign_get_last_year (f->campaign), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (td_form_count_characters (td_form_get (form, TD_FORM_CAPACITY), -1), <=, TD_FORM_TEXT_LIMIT);
  g_assert_cmpuint (td_form_count_characters (td_form_get (form, TD_FORM_RESULTS), -1), <=, TD_FORM_TEXT_LIMIT);
  /* Long, but not cut: every draft ends a sentence. */
  g_assert_true (g_str_has_suffix (td_form_get (form, TD_FORM_CAPACITY), "。"));
  g_assert_true (g_str_has_suffix (td_form_get (form, TD_FORM_RESULTS), "。"));
  g_assert_cmpuint (td_form_count_characters (td_form_get (form, TD_FORM_RESULTS), -1), >, 300);
}

/* The figures themselves, by hand on the same fixture; every number of
 * both drafted texts is in the basis list; the records behind a figure. */
static void
test_figures_fixture (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdForm) form = NULL;
  g_autoptr(TdFigureSet) set = NULL;
  g_autoptr(GPtrArray) uuids = NULL;
  const TdFigure *figure;

  fill_fixture (f);
  form = td_form_assemble (f->store, f->campaign, 2025, &error);
  g_assert_no_error (error);
  set = td_form_figures (f->store, form, &error);
  g_assert_no_error (error);

  g_assert_cmpint (set->first_year, ==, 2023);
  g_assert_cmpint (set->counts.equipment_items, ==, 5);          /* records, all states */
  g_assert_cmpint (set->counts.equipment_units, ==, 10 + 20 + 2);
  g_assert_cmpfloat (set->counts.equipment_value, ==, 10 * 85000 + 20 * 3000 + 2 * 90000);
  g_assert_cmpint (set->equipment_kinds, ==, 2);
  g_assert_cmpint (set->physical_places, ==, 60 + 50);
  g_assert_cmpint (set->online_seats, ==, 500);
  g_assert_cmpint (set->participants, ==, 60 + 40 + 50);
  g_assert_cmpfloat (set->person_hours, ==, 60 * 40 + 40 * 60 + 50 * 24);
  g_assert_cmpint (set->fte_persons, ==, 5);
  g_assert_cmpint (set->jobseekers, ==, 40 + 50);
  g_assert_cmpint (set->employed, ==, 30 + 35);
  g_assert_cmpstr (td_figure_set_value (set, "results.employment-rate"), ==, "72.2");
  g_assert_cmpstr (td_figure_set_value (set, "results.certificate-share"), ==, "86.7");
  g_assert_cmpstr (td_figure_set_value (set, "equipment.value"), ==, "109.0");
  /* 1,917.6 full-time students are 1918 persons. */
  g_assert_cmpint (td_figures_fte_persons (1917.6 * 1200, 1200), ==, 1918);

  /* Each number the drafts state is one of the basis list's. */
  for (TdFormField field = TD_FORM_CAPACITY; field <= TD_FORM_RESULTS; field++)
    {
      g_autoptr(GPtrArray) numbers = td_figures_numbers_in (td_form_get (form, field));
      g_autoptr(GPtrArray) basis = td_figure_set_match (set, td_form_get (form, field));

      g_assert_cmpuint (numbers->len, >, 5);
      for (guint i = 0; i < numbers->len; i++)
        {
          gboolean found = FALSE;

          for (guint j = 0; j < basis->len && !found; j++)
            found = g_str_equal (((TdFigure *)g_ptr_array_index (basis, j))->value, g_ptr_array_index (numbers, i));
          if (!found)
            g_error ("%s is in the draft but not in its basis", (char *)g_ptr_array_index (numbers, i));
        }
    }

  /* The units count the 3 records in use or idle, not the scrapped lathe
   * nor the model under repair. */
  figure = td_figure_set_lookup (set, "equipment.units");
  g_assert_cmpstr (figure->kind, ==, "equipment");
  g_assert_cmpint (figure->n_records, ==, 3);
  uuids = td_figure_record_uuids (f->store, set, figure, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uuids->len, ==, 3);
  g_clear_pointer (&uuids, g_ptr_array_unref);
  /* The employed: the two results of key groups, not the enterprise one. */
  figure = td_figure_set_lookup (set, "results.employed");
  g_assert_cmpint (figure->n_records, ==, 2);
  uuids = td_figure_record_uuids (f->store, set, figure, &error);
  g_assert_cmpuint (uuids->len, ==, 2);
}

/* Numbers typed over the draft that no figure supports are found; the
 * draft's own (and the figures') are not. */
static void
test_unsupported_numbers (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdForm) form = NULL;
  g_autoptr(TdFigureSet) set = NULL;
  g_autoptr(GPtrArray) numbers = NULL;
  g_autofree char *text = NULL;

  fill_fixture (f);
  form = td_form_load (f->store, f->campaign, 2025, &error);
  set = td_form_figures (f->store, form, &error);
  g_assert_no_error (error);

  numbers = td_form_unsupported_numbers (f->store, form, set, TD_FORM_RESULTS, &error);
  g_assert_cmpuint (numbers->len, ==, 0);
  g_clear_pointer (&numbers, g_ptr_array_unref);

  /* 150 and 72.2 are figures; 98.5 and 3,000 (full-width digits) are not. */
  text = g_strdup ("近三年培训150人次，就业率72.2%，满意度98.5%，培训量超过３,０００人·学时。");
  g_assert_true (td_form_save_edit (f->store, form, TD_FORM_RESULTS, text, &error));
  numbers = td_form_unsupported_numbers (f->store, form, set, TD_FORM_RESULTS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (numbers->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (numbers, 0), ==, "98.5");
  g_assert_cmpstr (g_ptr_array_index (numbers, 1), ==, "3000");
}

static gboolean
has_problem (GPtrArray   *problems,
             TdFormField  field)
{
  for (guint i = 0; i < problems->len; i++)
    if (((TdFormProblem *)g_ptr_array_index (problems, i))->field == field)
      return TRUE;
  return FALSE;
}

/* Every rule of FORM.md, each failing on its own. */
static void
test_checks (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdForm) form = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *long_text = NULL;
  static const TdFormField required[] = {
    TD_FORM_NAME, TD_FORM_AUTHORITY, TD_FORM_CITY, TD_FORM_COUNTY, TD_FORM_STREET, TD_FORM_POSTAL_CODE,
    TD_FORM_CONTACT_NAME, TD_FORM_PHONE, TD_FORM_CATEGORIES, TD_FORM_FIELDS, TD_FORM_LEGAL_REPRESENTATIVE,
  };

  /* An empty database: every required field is reported, in order. */
  form = td_form_assemble (f->store, f->campaign, 2025, &error);
  g_assert_no_error (error);
  problems = td_form_check (form, f->campaign);
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    g_assert_true (has_problem (problems, required[i]));
  g_assert_false (has_problem (problems, TD_FORM_EMAIL));
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_object (&form);

  fill_fixture (f);
  form = td_form_assemble (f->store, f->campaign, 2025, &error);

#define EXPECT_PROBLEM(field, value)                                \
  G_STMT_START {                                                    \
    g_autofree char *saved_ = g_strdup (td_form_get (form, field)); \
    td_form_set (form, field, value);                               \
    problems = td_form_check (form, f->campaign);                   \
    g_assert_cmpuint (problems->len, ==, 1);                        \
    g_assert_true (has_problem (problems, field));                  \
    g_clear_pointer (&problems, g_ptr_array_unref);                 \
    td_form_set (form, field, saved_);                              \
  } G_STMT_END

  EXPECT_PROBLEM (TD_FORM_CITY, "南京市");          /* not in Shandong */
  EXPECT_PROBLEM (TD_FORM_POSTAL_CODE, "25001");
  EXPECT_PROBLEM (TD_FORM_PHONE, "8191653");
  EXPECT_PROBLEM (TD_FORM_EMAIL, "office@");
  EXPECT_PROBLEM (TD_FORM_CATEGORIES, "");
  long_text = g_strnfill (TD_FORM_TEXT_LIMIT, 'x');
  {
    g_autofree char *over = g_strconcat (long_text, "培", NULL);

    EXPECT_PROBLEM (TD_FORM_CAPACITY, over);
    EXPECT_PROBLEM (TD_FORM_RESULTS, "");
  }
#undef EXPECT_PROBLEM

  /* Exactly 500 is fine. */
  td_form_set (form, TD_FORM_CAPACITY, long_text);
  problems = td_form_check (form, f->campaign);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_edits (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdForm) form = NULL;
  g_autofree char *drafted = NULL;
  g_autofree char *too_long = NULL;
  const char *t5[] = { "孙丽", "专职", "中级", "是", "", "" };

  fill_fixture (f);
  form = td_form_load (f->store, f->campaign, 2025, &error);
  g_assert_no_error (error);
  drafted = g_strdup (td_form_get (form, TD_FORM_CAPACITY));
  g_assert_false (td_form_is_edited (form, TD_FORM_CAPACITY));

  /* The office's words are kept, across a reload. */
  g_assert_true (td_form_save_edit (f->store, form, TD_FORM_CAPACITY, "学校师资力量雄厚。", &error));
  g_assert_no_error (error);
  g_clear_object (&form);
  form = td_form_load (f->store, f->campaign, 2025, &error);
  g_assert_cmpstr (td_form_get (form, TD_FORM_CAPACITY), ==, "学校师资力量雄厚。");
  g_assert_true (td_form_is_edited (form, TD_FORM_CAPACITY));
  g_assert_false (td_form_is_stale (form, TD_FORM_CAPACITY));
  g_assert_false (td_form_is_edited (form, TD_FORM_RESULTS));

  /* A record changes: the edited text may be out of date, and says so. */
  add (f, "trainers", t5);
  g_clear_object (&form);
  form = td_form_load (f->store, f->campaign, 2025, &error);
  g_assert_true (td_form_is_stale (form, TD_FORM_CAPACITY));
  g_assert_false (td_form_is_stale (form, TD_FORM_RESULTS));

  /* Over the limit: refused with the count, nothing kept. */
  too_long = g_strnfill (TD_FORM_TEXT_LIMIT + 20, 'x');
  g_assert_false (td_form_save_edit (f->store, form, TD_FORM_CAPACITY, too_long, &error));
  g_assert_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "520"));
  g_clear_error (&error);
  g_assert_cmpstr (td_form_get (form, TD_FORM_CAPACITY), ==, "学校师资力量雄厚。");

  /* Redraft: the records' figures again (now five trainers). */
  g_assert_true (td_form_redraft (f->store, form, TD_FORM_CAPACITY, &error));
  g_assert_no_error (error);
  g_assert_false (td_form_is_edited (form, TD_FORM_CAPACITY));
  g_assert_true (g_str_has_prefix (td_form_get (form, TD_FORM_CAPACITY), "师资方面，学校现有培训教师5人"));
  g_clear_object (&form);
  form = td_form_load (f->store, f->campaign, 2025, &error);
  g_assert_false (td_form_is_edited (form, TD_FORM_CAPACITY));
  g_assert_cmpstr (td_form_get (form, TD_FORM_CAPACITY), !=, drafted);
}

/* td_form_count_characters: as a person counts on the paper form. */

typedef struct
{
  const char *slug;
  const char *text;
  guint       expected;
} CountCase;

static const CountCase count_cases[] = {
  { "null",              NULL,                                              0 },
  { "empty",             "",                                                0 },
  { "ascii",             "ISO-9001",                                        8 },
  { "chinese",           "济南市泉城职业中等专业学校",                      13 },
  { "mixed",             "CNC数控车床 x12，合格率98.5%。",                  21 },
  { "fullwidth",         "（２０２０）",                                    6 },
  { "line-breaks",       "第一行\n第二行\r\n第三行",                        11 },
  { "emoji",             "\U0001F600",                                      1 },
  /* thumbs up + skin tone modifier */
  { "skin-tone",         "\U0001F44D\U0001F3FD",                            1 },
  /* man ZWJ woman ZWJ girl */
  { "zwj-family",        "\U0001F468\u200D\U0001F469\u200D\U0001F467",      1 },
  /* woman, medium skin tone, ZWJ wrench: a mechanic */
  { "zwj-skin-tone",     "\U0001F469\U0001F3FD\u200D\U0001F527",            1 },
  /* regional indicators C N, then U S: two flags */
  { "flags",             "\U0001F1E8\U0001F1F3\U0001F1FA\U0001F1F8",        2 },
  /* black flag + tag letters g b s c t + cancel tag: Scotland */
  { "tag-flag",          "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", 1 },
  { "keycap",            "1\uFE0F\u20E3",                                   1 },
  { "variation",         "\u2764\uFE0F",                                    1 },
  { "combining",         "e\u0301",                                         1 },
  { "all-mixed",         "培训👩🏽‍🔧ISO-9001，🇨🇳 👍🏽！",                  16 },
};

static void
test_count (gconstpointer data)
{
  const CountCase *row = data;

  g_assert_cmpuint (td_form_count_characters (row->text, -1), ==, row->expected);
  /* The length in bytes is honoured: the same without the terminating nul. */
  if (row->text)
    {
      g_autofree char *padded = g_strconcat (row->text, "溢出", NULL);

      g_assert_cmpuint (td_form_count_characters (padded, strlen (row->text)), ==, row->expected);
    }
}

/* 500 characters of Chinese, ASCII and emoji of every kind: 250 + 100 +
 * 150, far more code points than 500. */
static char *
mixed_text (guint emoji)
{
  static const char * const kinds[] = {
    "\U0001F44D\U0001F3FD", "\U0001F468\u200D\U0001F469\u200D\U0001F467", "\U0001F1E8\U0001F1F3", "\U0001F600",
    "1\uFE0F\u20E3",
  };
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < 50; i++)
    g_string_append (text, "数控实训室");                  /* 5 × 50 = 250 */
  for (guint i = 0; i < 10; i++)
    g_string_append (text, "CNC 9001:X");                  /* 10 × 10 = 100 */
  for (guint i = 0; i < emoji; i++)
    g_string_append (text, kinds[i % G_N_ELEMENTS (kinds)]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The limit in td_form_check() and td_form_save_edit() counts the same way:
 * exactly 500 mixed characters pass, 501 are refused with their count. */
static void
test_limit_mixed (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *at_limit = mixed_text (150);
  g_autofree char *over = mixed_text (151);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdForm) form = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  g_assert_cmpuint (td_form_count_characters (at_limit, -1), ==, TD_FORM_TEXT_LIMIT);
  g_assert_cmpuint (g_utf8_strlen (at_limit, -1), ==, 250 + 100 + 30 * (2 + 5 + 2 + 1 + 3));
  g_assert_cmpuint (td_form_count_characters (over, -1), ==, TD_FORM_TEXT_LIMIT + 1);

  fill_fixture (f);
  form = td_form_load (f->store, f->campaign, 2025, &error);
  g_assert_no_error (error);

  g_assert_true (td_form_save_edit (f->store, form, TD_FORM_RESULTS, at_limit, &error));
  g_assert_no_error (error);
  problems = td_form_check (form, f->campaign);
  g_assert_false (has_problem (problems, TD_FORM_RESULTS));
  g_clear_pointer (&problems, g_ptr_array_unref);

  g_assert_false (td_form_save_edit (f->store, form, TD_FORM_RESULTS, over, &error));
  g_assert_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "501"));
  g_clear_error (&error);
  g_assert_cmpstr (td_form_get (form, TD_FORM_RESULTS), ==, at_limit);

  /* Set some other way (an import), it is a problem of the form, counted. */
  td_form_set (form, TD_FORM_RESULTS, over);
  problems = td_form_check (form, f->campaign);
  g_assert_true (has_problem (problems, TD_FORM_RESULTS));
  for (guint i = 0; i < problems->len; i++)
    {
      TdFormProblem *p = g_ptr_array_index (problems, i);

      if (p->field == TD_FORM_RESULTS)
        g_assert_nonnull (strstr (p->message, "501"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/form/assemble-fixture", Fixture, NULL, fixture_set_up, test_assemble_fixture, fixture_tear_down);
  g_test_add ("/form/limit-large-school", Fixture, NULL, fixture_set_up, test_limit_large_school, fixture_tear_down);
  g_test_add ("/form/figures-fixture", Fixture, NULL, fixture_set_up, test_figures_fixture, fixture_tear_down);
  g_test_add ("/form/unsupported-numbers", Fixture, NULL, fixture_set_up, test_unsupported_numbers, fixture_tear_down);
  g_test_add ("/form/checks", Fixture, NULL, fixture_set_up, test_checks, fixture_tear_down);
  g_test_add ("/form/edits", Fixture, NULL, fixture_set_up, test_edits, fixture_tear_down);
  g_test_add ("/form/limit-mixed", Fixture, NULL, fixture_set_up, test_limit_mixed, fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (count_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/form/count/%s", count_cases[i].slug);

      g_test_add_data_func (path, &count_cases[i], test_count);
    }

  return g_test_run ();
}
