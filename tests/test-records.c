/* test-records.c: the six kinds of record in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "td-class-list.h"
#include "td-classes.h"
#include "td-example.h"
#include "td-figures.h"
#include "td-record-list.h"
#include "td-store-private.h"
#include "td-validate.h"

typedef struct
{
  char    *path;
  TdStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  f->path = g_build_filename (g_get_user_data_dir (), "records.db", NULL);
  f->store = td_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  g_free (f->path);
}

static TdRecordList *
list (Fixture    *f,
      const char *kind)
{
  g_autoptr(GError) error = NULL;
  TdRecordList *l = td_record_list_get (f->store, kind, &error);

  g_assert_no_error (error);
  g_assert_nonnull (l);
  return l;
}

static gint64
count_rows (Fixture    *f,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (td_store_get_db (f->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static TdRecord *
add_ok (TdRecordList       *l,
        const char * const *inputs)
{
  g_autoptr(GError) error = NULL;
  int bad = -2;
  TdRecord *record = td_record_list_add (l, inputs, &bad, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpint (bad, ==, -1);
  return record;
}

/* Every kind: add, read back, edit, delete, undo; each write audited. */
static const struct {
  const char *kind;
  const char *inputs[14];
  const char *stored[14];
  guint       edit_field;
  const char *edit_input;
  const char *edit_stored;
} cases[] = {
  { "programmes",
    { "数控加工技能提升", "企业职工技能培训", "智能制造", "企业职工、农民工", "线上线下结合", "40", "30",
      "数控车工", "四级", "是", "1,200元" },
    { "数控加工技能提升", "enterprise-staff", "智能制造", "[\"农民工\",\"企业职工\"]", "blended", "40", "30",
      "数控车工", "四级", "1", "1200" },
    5, "４８", "48" },
  { "trainers",
    { "张伟", "专职", "副高级", "是", "高级技师；车工职业技能等级证书", "数控加工" },
    { "张伟", "full-time", "associate-senior", "1", "高级技师；车工职业技能等级证书", "数控加工" },
    1, "Enterprise expert", "enterprise-expert" },
  { "venues",
    { "数控实训中心", "实训基地", "1,200.5", "60", "文化西路29号" },
    { "数控实训中心", "training-base", "1200.5", "60", "文化西路29号" },
    3, "80", "80" },
  { "guarantees",
    { "职业培训管理办法", "管理制度", "2020年4月28日", "第一条  为规范职业培训……  \r\n第二条  本办法适用于……\n\n" },
    { "职业培训管理办法", "管理制度", "2020-04-28", "第一条  为规范职业培训……\n第二条  本办法适用于……" },
    2, "2021/3/1", "2021-03-01" },
};

static void
test_kind (Fixture       *f,
           gconstpointer  data)
{
  guint i = GPOINTER_TO_UINT (data);
  TdRecordList *l = list (f, cases[i].kind);
  const TdRecordKind *kind = td_record_list_get_kind (l);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdDeletion) deletion = NULL;
  g_autofree char *audit_sql = g_strdup_printf ("SELECT count(*) FROM audit_log WHERE table_name = '%s'", kind->table);
  g_autofree char *rows_sql = g_strdup_printf ("SELECT count(*) FROM %s", kind->table);
  const char *inputs[16] = { NULL };
  TdRecord *record;
  int bad;

  for (guint k = 0; k < kind->n_fields; k++)
    inputs[k] = cases[i].inputs[k] ? cases[i].inputs[k] : "";

  record = add_ok (l, inputs);
  for (guint k = 0; k < kind->n_fields; k++)
    g_assert_cmpstr (td_record_get (record, k), ==, cases[i].stored[k] ? cases[i].stored[k] : "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (l)), ==, 1);
  g_assert_cmpint (count_rows (f, rows_sql), ==, 1);
  g_assert_cmpint (count_rows (f, audit_sql), ==, 1);

  /* Read back from the file: the same values. */
  g_assert_true (td_record_list_reload (l, &error));
  record = g_list_model_get_item (G_LIST_MODEL (l), 0);
  g_object_unref (record);
  for (guint k = 0; k < kind->n_fields; k++)
    g_assert_cmpstr (td_record_get (record, k), ==, cases[i].stored[k] ? cases[i].stored[k] : "");

  /* Edit one field. */
  inputs[cases[i].edit_field] = cases[i].edit_input;
  g_assert_true (td_record_list_update (l, record, inputs, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (td_record_get (record, cases[i].edit_field), ==, cases[i].edit_stored);
  g_assert_cmpint (count_rows (f, audit_sql), ==, 2);

  /* A required field emptied is refused, naming the field, writing nothing. */
  inputs[0] = "";
  g_assert_false (td_record_list_update (l, record, inputs, &bad, &error));
  g_assert_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_REQUIRED);
  g_assert_cmpint (bad, ==, 0);
  g_clear_error (&error);
  g_assert_cmpstr (td_record_get (record, 0), ==, cases[i].stored[0]);
  g_assert_cmpint (count_rows (f, audit_sql), ==, 2);

  /* Delete, then undo: the same row, UUID and values come back. */
  {
    g_autofree char *uuid = g_strdup (td_record_get_uuid (record));
    gint64 id = td_record_get_id (record);

    deletion = td_record_list_delete (l, &record, 1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (l)), ==, 0);
    g_assert_cmpint (count_rows (f, rows_sql), ==, 0);

    g_assert_true (td_record_list_undo_delete (l, deletion, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (l)), ==, 1);
    g_assert_cmpint (count_rows (f, rows_sql), ==, 1);
    record = g_list_model_get_item (G_LIST_MODEL (l), 0);
    g_object_unref (record);
    g_assert_cmpint (td_record_get_id (record), ==, id);
    g_assert_cmpstr (td_record_get_uuid (record), ==, uuid);
    g_assert_cmpstr (td_record_get (record, cases[i].edit_field), ==, cases[i].edit_stored);
  }
  /* insert, update, delete, insert again: all in the log. */
  g_assert_cmpint (count_rows (f, audit_sql), ==, 4);
}

static void
test_bad_values (Fixture       *f,
                 gconstpointer  data)
{
  TdRecordList *trainers = list (f, "trainers");
  const char *bad_kind[] = { "李娜", "临时工", "", "否", "", "" };
  const char *bad_bool[] = { "李娜", "兼职", "", "也许", "", "" };
  g_autoptr(GError) error = NULL;
  int bad;

  g_assert_null (td_record_list_add (trainers, bad_kind, &bad, &error));
  g_assert_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_UNKNOWN_CODE);
  g_assert_cmpint (bad, ==, 1);
  g_assert_nonnull (strstr (error->message, "企业专家"));
  g_clear_error (&error);

  g_assert_null (td_record_list_add (trainers, bad_bool, &bad, &error));
  g_assert_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_FORMAT);
  g_assert_cmpint (bad, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (trainers)), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM trainer"), ==, 0);
}

/* Equipment names its venue; results name their programme and trainers. */
static void
test_references (Fixture       *f,
                 gconstpointer  data)
{
  TdRecordList *venues = list (f, "venues");
  TdRecordList *equipment = list (f, "equipment");
  TdRecordList *programmes = list (f, "programmes");
  TdRecordList *trainers = list (f, "trainers");
  TdRecordList *results = list (f, "results");
  const char *venue[] = { "数控实训中心", "实训基地", "800", "60", "" };
  const char *lathe[] = { "数控车床", "CK6140", "12", "85,000", "数控实训中心", "2019", "在用" };
  const char *lost[] = { "数控铣床", "XK714", "2", "120000", "不存在的车间", "2019", "在用" };
  const char *programme[] = { "数控车工培训", "企业职工技能培训", "智能制造", "企业职工", "线下", "40", "30", "", "", "否", "0" };
  const char *zhang[] = { "张伟", "专职", "中级", "是", "", "" };
  const char *li[] = { "李娜", "企业专家", "无", "否", "", "" };
  const char *result[] = { "2024", "数控车工培训", "企业职工技能培训", "企业职工", "2", "60", "40", "55", "50",
                           "96.5", "120000", "济南二机床", "张伟:16；李娜：8" };
  const char *too_many[] = { "2024", "数控车工培训", "企业职工技能培训", "企业职工", "2", "60", "40", "61", "50",
                             "96.5", "120000", "", "" };
  g_autoptr(GError) error = NULL;
  g_autoptr(TdDeletion) deletion = NULL;
  g_autofree char *venue_name = NULL;
  g_autofree char *teaching = NULL;
  TdRecord *v, *item, *r, *p;
  int bad;

  v = add_ok (venues, venue);
  item = add_ok (equipment, lathe);
  venue_name = td_record_list_display (equipment, item, 4);
  g_assert_cmpstr (venue_name, ==, "数控实训中心");
  g_assert_cmpint (g_ascii_strtoll (td_record_get (item, 4), NULL, 10), ==, td_record_get_id (v));

  /* An unknown venue is refused, and says where to add it. */
  g_assert_null (td_record_list_add (equipment, lost, &bad, &error));
  g_assert_cmpint (bad, ==, 4);
  g_assert_nonnull (strstr (error->message, "不存在的车间"));
  g_clear_error (&error);

  /* A result with its programme and trainers (and their hours). */
  p = add_ok (programmes, programme);
  add_ok (trainers, zhang);
  add_ok (trainers, li);
  r = add_ok (results, result);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM result_trainer"), ==, 2);
  g_assert_cmpint (count_rows (f, "SELECT sum(hours) FROM result_trainer"), ==, 24);
  teaching = td_record_list_export (results, r, 12);
  g_assert_cmpstr (teaching, ==, "张伟:16；李娜:8");

  /* The same trainer twice: one entry, the hours added, as stored. */
  {
    g_autofree char *zhang_id = g_strdup_printf ("%" G_GINT64_FORMAT, td_record_list_id_of (trainers, "张伟"));
    g_autofree char *expected = g_strconcat (zhang_id, ":20", NULL);
    const char *inputs[] = { "2024", "", "企业职工技能培训", "", "1", "1", "1", "0", "0", "", "0", "",
                             "张伟:16；张伟：4", NULL };
    g_auto(GStrv) stored = td_record_list_parse (results, inputs, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (stored[12], ==, expected);
  }

  /* Names are looked up by index, which follows a rename. */
  {
    const char *renamed[] = { "数控实训基地", "实训基地", "800", "60", "" };

    g_assert_cmpint (td_record_list_id_of (venues, "数控实训中心"), ==, td_record_get_id (v));
    g_assert_true (td_record_list_update (venues, v, renamed, NULL, &error));
    g_assert_cmpint (td_record_list_id_of (venues, "数控实训中心"), ==, 0);
    g_assert_cmpint (td_record_list_id_of (venues, "数控实训基地"), ==, td_record_get_id (v));
    g_free (venue_name);
    venue_name = td_record_list_display (equipment, item, 4);
    g_assert_cmpstr (venue_name, ==, "数控实训基地");
  }

  /* More certificates than participants: refused. */
  g_assert_null (td_record_list_add (results, too_many, &bad, &error));
  g_assert_cmpint (bad, ==, 7);
  g_clear_error (&error);

  /* A programme with results cannot go: the results would lose it. */
  g_assert_null (td_record_list_delete (programmes, &p, 1, &error));
  g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (programmes)), ==, 1);

  /* A venue can go: its equipment stays, without a venue; undo puts the
   * link back. */
  deletion = td_record_list_delete (venues, &v, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (td_record_get (item, 4), ==, "");
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM equipment WHERE venue_id IS NULL"), ==, 1);
  g_assert_true (td_record_list_undo_delete (venues, deletion, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_ascii_strtoll (td_record_get (item, 4), NULL, 10), ==, td_record_get_id (v));
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM equipment WHERE venue_id IS NOT NULL"), ==, 1);

  /* Deleting a result takes its teaching rows; undo brings them back. */
  g_clear_pointer (&deletion, td_deletion_free);
  deletion = td_record_list_delete (results, &r, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM result_trainer"), ==, 0);
  g_assert_true (td_record_list_undo_delete (results, deletion, &error));
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM result_trainer"), ==, 2);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  TdRecordList *trainers = list (f, "trainers");
  const char *names[][6] = {
    { "张伟", "专职", "中级", "是", "车工高级技师", "数控加工" },
    { "张伟华", "兼职", "无", "否", "", "电子商务" },
    { "李娜", "企业专家", "正高级", "否", "Python 讲师", "跨境电商" },
  };
  TdRecord *records[3];

  for (guint i = 0; i < 3; i++)
    records[i] = add_ok (trainers, names[i]);

  /* No query: everything. */
  g_assert_cmpuint (td_record_list_set_query (trainers, NULL), ==, 3);
  g_assert_true (td_record_list_matches (trainers, records[2]));

  /* Two Chinese characters, which a trigram index cannot find. */
  g_assert_cmpuint (td_record_list_set_query (trainers, "张伟"), ==, 2);
  g_assert_true (td_record_list_matches (trainers, records[0]));
  g_assert_true (td_record_list_matches (trainers, records[1]));
  g_assert_false (td_record_list_matches (trainers, records[2]));

  /* One character; any field, as shown (兼职 is a choice's label). */
  g_assert_cmpuint (td_record_list_set_query (trainers, "兼"), ==, 1);
  g_assert_cmpuint (td_record_list_set_query (trainers, "电"), ==, 2);
  /* Case does not matter; all words must match. */
  g_assert_cmpuint (td_record_list_set_query (trainers, "python"), ==, 1);
  g_assert_cmpuint (td_record_list_set_query (trainers, "张伟 电子"), ==, 1);
  g_assert_true (td_record_list_matches (trainers, records[1]));
  g_assert_cmpuint (td_record_list_set_query (trainers, "张伟 跨境"), ==, 0);

  /* An edit is found at once. */
  {
    const char *renamed[] = { "王芳", "兼职", "无", "否", "", "电子商务" };
    g_autoptr(GError) error = NULL;

    g_assert_true (td_record_list_update (trainers, records[1], renamed, NULL, &error));
    g_assert_cmpuint (td_record_list_set_query (trainers, "张伟"), ==, 1);
    g_assert_cmpuint (td_record_list_set_query (trainers, "王芳"), ==, 1);
  }
}

/* Person-hours, the full-time-student equivalent and trainers' hours. */
static void
test_figures (Fixture       *f,
              gconstpointer  data)
{
  const char *programme[] = { "养老护理", "重点人群的就业创业培训", "养老服务", "农民工", "线下", "40", "30", "", "", "是", "0" };
  const char *zhang[] = { "张伟", "专职", "中级", "是", "", "" };
  const char *li[] = { "李娜", "兼职", "无", "否", "", "" };
  const char *r2023a[] = { "2023", "养老护理", "重点人群的就业创业培训", "农民工", "2", "60", "40", "55", "50", "95", "30000", "", "张伟:16；李娜:8" };
  const char *r2023b[] = { "2023", "", "失业人员再就业培训", "失业人员", "1", "25", "12", "20", "18", "", "0", "", "张伟:12" };
  const char *r2024[] = { "2024", "养老护理", "重点人群的就业创业培训", "退役军人", "1", "30", "20", "30", "30", "99", "0", "", "李娜:20" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) years = NULL;
  g_autoptr(GPtrArray) hours = NULL;
  TdYearFigures *y;
  TdTrainerHours *h;
  int latest = -1;

  /* No results: no latest year. */
  g_assert_true (td_figures_latest_year (f->store, &latest, &error));
  g_assert_no_error (error);
  g_assert_cmpint (latest, ==, 0);

  add_ok (list (f, "programmes"), programme);
  add_ok (list (f, "trainers"), zhang);
  add_ok (list (f, "trainers"), li);
  add_ok (list (f, "results"), r2023a);
  add_ok (list (f, "results"), r2023b);
  add_ok (list (f, "results"), r2024);

  g_assert_true (td_figures_latest_year (f->store, &latest, &error));
  g_assert_cmpint (latest, ==, 2024);

  g_assert_cmpfloat (td_figures_get_fte_hours (f->store), ==, TD_FIGURES_DEFAULT_FTE_HOURS);
  years = td_figures_by_year (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (years->len, ==, 2);

  /* Newest first. 2024: 30 × 20 = 600 person-hours = 0.5 of 1,200. */
  y = &g_array_index (years, TdYearFigures, 0);
  g_assert_cmpint (y->year, ==, 2024);
  g_assert_cmpint (y->participants, ==, 30);
  g_assert_cmpfloat (y->person_hours, ==, 600);
  g_assert_cmpfloat_with_epsilon (y->fte_students, 0.5, 1e-9);
  g_assert_cmpfloat (y->trainer_hours, ==, 20);
  g_assert_cmpuint (y->trainers, ==, 1);

  /* 2023: 60 × 40 + 25 × 12 = 2,700 person-hours = 2.25. */
  y = &g_array_index (years, TdYearFigures, 1);
  g_assert_cmpint (y->year, ==, 2023);
  g_assert_cmpint (y->sessions, ==, 3);
  g_assert_cmpint (y->participants, ==, 85);
  g_assert_cmpfloat (y->person_hours, ==, 2700);
  g_assert_cmpfloat_with_epsilon (y->fte_students, 2.25, 1e-9);
  g_assert_cmpint (y->certificates, ==, 75);
  g_assert_cmpint (y->employed, ==, 68);
  g_assert_cmpfloat (y->revenue, ==, 30000);
  g_assert_cmpfloat (y->trainer_hours, ==, 36);
  g_assert_cmpuint (y->trainers, ==, 2);

  /* Each trainer's hours in 2023, most first; and over all years. */
  hours = td_figures_trainer_hours (f->store, 2023, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hours->len, ==, 2);
  h = g_ptr_array_index (hours, 0);
  g_assert_cmpstr (h->name, ==, "张伟");
  g_assert_cmpfloat (h->hours, ==, 28);
  h = g_ptr_array_index (hours, 1);
  g_assert_cmpstr (h->name, ==, "李娜");
  g_assert_cmpfloat (h->hours, ==, 8);
  g_clear_pointer (&hours, g_ptr_array_unref);
  hours = td_figures_trainer_hours (f->store, 0, &error);
  g_assert_cmpuint (hours->len, ==, 2);
  /* 28 hours each: a tie, in name order. */
  h = g_ptr_array_index (hours, 0);
  g_assert_cmpstr (h->name, ==, "张伟");
  g_assert_cmpfloat (h->hours, ==, 28);
  h = g_ptr_array_index (hours, 1);
  g_assert_cmpstr (h->name, ==, "李娜");
  g_assert_cmpfloat (h->hours, ==, 28);

  /* The school's own ratio, as typed; nonsense refused and not kept. */
  g_assert_true (td_figures_set_fte_hours (f->store, "６００", &error));
  g_assert_no_error (error);
  g_clear_pointer (&years, g_array_unref);
  years = td_figures_by_year (f->store, &error);
  g_assert_cmpfloat_with_epsilon (g_array_index (years, TdYearFigures, 1).fte_students, 4.5, 1e-9);
  g_assert_false (td_figures_set_fte_hours (f->store, "0", &error));
  g_assert_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_FORMAT);
  g_assert_cmpfloat (td_figures_get_fte_hours (f->store), ==, 600);
}

/* The generated school: the same for a seed, and valid by the app's own
 * rules: every field it wrote reads back, through the file form, as itself. */
static void
test_example_school (Fixture       *f,
                     gconstpointer  data)
{
  const TdExampleSize size = { .programmes = 12, .trainers = 40, .venues = 6, .equipment = 150,
                               .guarantees = 5, .years = 3, .results_per_year = 20, .seed = 7 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) years = NULL;
  guint n_kinds;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);

  g_assert_true (td_example_fill (f->store, &size, &error));
  g_assert_no_error (error);

  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM programme"), ==, 12);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM trainer"), ==, 40);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM equipment"), ==, 150);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM result"), ==, 60);
  years = td_figures_by_year (f->store, &error);
  g_assert_cmpuint (years->len, ==, 3);

  /* The Overview's lines, counted from the kinds' table, say what the
   * form counts (td_figures_counts()). */
  {
    g_autoptr(GHashTable) by_kind = td_figures_kind_counts (f->store, &error);
    TdCounts counts;
    const double *v;

    g_assert_no_error (error);
    g_assert_true (td_figures_counts (f->store, &counts, &error));
    g_assert_cmpuint (g_hash_table_size (by_kind), ==, 6);
    v = g_hash_table_lookup (by_kind, TD_RECORD_KIND_PROGRAMMES);
    g_assert_cmpfloat (v[0], ==, 12);
    v = g_hash_table_lookup (by_kind, "trainers");
    g_assert_cmpfloat (v[0], ==, 40);
    g_assert_cmpfloat (v[1], ==, counts.full_time);
    g_assert_cmpfloat (v[2], ==, counts.part_time);
    g_assert_cmpfloat (v[3], ==, counts.experts);
    g_assert_cmpfloat (v[4], ==, counts.dual_qualified);
    g_assert_cmpfloat (v[1] + v[2] + v[3], ==, 40);
    g_assert_cmpfloat (v[4], >, 0);
    v = g_hash_table_lookup (by_kind, "equipment");
    g_assert_cmpfloat (v[0], ==, 150);
    g_assert_cmpfloat (v[1], ==, counts.equipment_units);
    g_assert_cmpfloat_with_epsilon (v[2], counts.equipment_value, 1e-6);
    g_assert_cmpfloat (v[1], >, 0);
    v = g_hash_table_lookup (by_kind, "venues");
    g_assert_cmpfloat (v[0], ==, 6);
    g_assert_cmpfloat_with_epsilon (v[1], counts.venue_area, 1e-6);
    g_assert_cmpfloat (v[2], ==, counts.venue_capacity);
    v = g_hash_table_lookup (by_kind, "guarantees");
    g_assert_cmpfloat (v[0], ==, 5);
    v = g_hash_table_lookup (by_kind, TD_RECORD_KIND_RESULTS);
    g_assert_cmpfloat (v[0], ==, 60);
  }

  for (guint k = 0; k < n_kinds; k++)
    {
      TdRecordList *l = list (f, kinds[k]->id);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (l));

      g_assert_cmpuint (n, >, 0);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(TdRecord) record = g_list_model_get_item (G_LIST_MODEL (l), i);
          g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
          g_auto(GStrv) stored = NULL;
          int bad = -2;

          for (guint fi = 0; fi < kinds[k]->n_fields; fi++)
            g_ptr_array_add (inputs, td_record_list_export (l, record, fi));
          g_ptr_array_add (inputs, NULL);
          stored = td_record_list_parse (l, (const char * const *)inputs->pdata, &bad, &error);
          if (stored == NULL)
            g_error ("%s #%u, field %s: %s", kinds[k]->id, i, kinds[k]->fields[bad].column, error->message);
          for (guint fi = 0; fi < kinds[k]->n_fields; fi++)
            if (g_strcmp0 (stored[fi], td_record_get (record, fi)) != 0)
              g_error ("%s #%u, field %s: stored “%s”, read back as “%s”", kinds[k]->id, i,
                       kinds[k]->fields[fi].column, td_record_get (record, fi), stored[fi]);
        }
    }

  /* The same seed, another file: the same school. */
  {
    g_autofree char *other_path = g_build_filename (g_get_user_data_dir (), "other.db", NULL);
    g_autoptr(TdStore) other = td_store_open (other_path, &error);
    TdRecordList *a = list (f, "trainers");
    TdRecordList *b;

    g_assert_true (td_example_fill (other, &size, &error));
    b = td_record_list_get (other, "trainers", &error);
    for (guint i = 0; i < 40; i++)
      {
        g_autoptr(TdRecord) ra = g_list_model_get_item (G_LIST_MODEL (a), i);
        g_autoptr(TdRecord) rb = g_list_model_get_item (G_LIST_MODEL (b), i);

        g_assert_true (g_strv_equal (td_record_get_values (ra), td_record_get_values (rb)));
      }
  }
}

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *changes)
{
  (*changes)++;
}

/* Undo after the id was reused; many at once; renames seen by referrers. */
static void
test_undo_and_bulk (Fixture       *f,
                    gconstpointer  data)
{
  TdRecordList *trainers = list (f, "trainers");
  TdRecordList *venues = list (f, "venues");
  TdRecordList *equipment = list (f, "equipment");
  g_autoptr(GError) error = NULL;
  g_autoptr(TdDeletion) deletion = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  TdRecord *last, *added;
  guint changes = 0;

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *name = g_strdup_printf ("教师%02u", i);
      const char *inputs[] = { name, "专职", "中级", "否", "", "" };

      g_ptr_array_add (all, add_ok (trainers, inputs));
    }

  /* Delete the last, add another (SQLite gives it the same id), undo. */
  last = g_ptr_array_index (all, 49);
  uuid = g_strdup (td_record_get_uuid (last));
  deletion = td_record_list_delete (trainers, &last, 1, &error);
  g_assert_no_error (error);
  {
    const char *inputs[] = { "新来的", "兼职", "无", "否", "", "" };

    added = add_ok (trainers, inputs);
  }
  g_assert_true (td_record_list_undo_delete (trainers, deletion, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (trainers)), ==, 51);
  g_assert_cmpint (td_record_get_id (last), !=, td_record_get_id (added));
  g_assert_cmpstr (td_record_get_uuid (last), ==, uuid);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM trainer"), ==, 51);
  g_assert_true (td_record_list_find (trainers, td_record_get_id (last)) == last);
  g_clear_pointer (&deletion, td_deletion_free);

  /* Fifty at once: one change for the views, and back in id order. */
  g_signal_connect (trainers, "items-changed", G_CALLBACK (count_changes_cb), &changes);
  deletion = td_record_list_delete (trainers, (TdRecord **)all->pdata, 49, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (trainers)), ==, 2);
  g_assert_true (td_record_list_undo_delete (trainers, deletion, &error));
  g_assert_cmpuint (changes, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (trainers)), ==, 51);
  for (guint i = 1; i < 51; i++)
    {
      g_autoptr(TdRecord) a = g_list_model_get_item (G_LIST_MODEL (trainers), i - 1);
      g_autoptr(TdRecord) b = g_list_model_get_item (G_LIST_MODEL (trainers), i);

      g_assert_cmpint (td_record_get_id (a), <, td_record_get_id (b));
    }
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM trainer"), ==, 51);

  /* A venue renamed: the equipment list shows it again. */
  {
    const char *venue[] = { "一号车间", "车间", "100", "20", "" };
    const char *renamed[] = { "二号车间", "车间", "100", "20", "" };
    const char *item[] = { "台钻", "Z4116", "2", "1200", "一号车间", "2020", "在用" };
    TdRecord *v = add_ok (venues, venue);
    TdRecord *e = add_ok (equipment, item);
    g_autofree char *shown = NULL;

    changes = 0;
    g_signal_connect (equipment, "items-changed", G_CALLBACK (count_changes_cb), &changes);
    g_assert_true (td_record_list_update (venues, v, renamed, NULL, &error));
    g_assert_cmpuint (changes, ==, 1);
    shown = td_record_list_display (equipment, e, 4);
    g_assert_cmpstr (shown, ==, "二号车间");
  }
}

static void
update_ok (TdRecordList       *l,
           TdRecord           *record,
           const char * const *inputs)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (td_record_list_update (l, record, inputs, NULL, &error));
  g_assert_no_error (error);
}

/* The search text is made a line per record, in idle time once asked,
 * and after a write for the records written only; what the lists show of
 * other kinds (a venue's name) follows their writes. */
static void
test_search_lines (Fixture       *f,
                   gconstpointer  data)
{
  TdRecordList *venues = list (f, "venues");
  TdRecordList *equipment = list (f, "equipment");
  TdRecordList *trainers = list (f, "trainers");
  const char *venue[] = { "数控实训中心", "实训基地", "800", "60", "" };
  const char *renamed[] = { "智能制造车间", "车间", "800", "60", "" };
  const char *lathe[] = { "数控车床", "CK6140", "12", "85000", "数控实训中心", "2019", "在用" };
  const char *drill[] = { "台钻", "Z4116", "2", "1200", "数控实训中心", "2020", "闲置" };
  const char *bench[] = { "钳工台", "QT-1", "10", "800", "", "2018", "在用" };
  const char *milled[] = { "数控铣床", "XK714", "12", "85000", "数控实训中心", "2019", "在用" };
  g_autoptr(GError) error = NULL;
  g_autoptr(TdDeletion) deletion = NULL;
  TdRecord *v, *items[3];

  v = add_ok (venues, venue);
  items[0] = add_ok (equipment, lathe);
  items[1] = add_ok (equipment, drill);
  items[2] = add_ok (equipment, bench);

  /* Made in idle time once a page asks: the first query finds it made. */
  td_record_list_reload (equipment, &error);
  g_assert_no_error (error);
  g_assert_false (td_record_list_is_search_ready (equipment));
  td_record_list_keep_search_ready (equipment);
  while (!td_record_list_is_search_ready (equipment))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (td_record_list_set_query (equipment, "数控实训"), ==, 2);
  g_assert_cmpuint (td_record_list_set_query (equipment, "闲置"), ==, 1);

  /* Read again: the records are new objects. */
  for (guint i = 0; i < 3; i++)
    {
      items[i] = g_list_model_get_item (G_LIST_MODEL (equipment), i);
      g_object_unref (items[i]);
    }

  /* A record written: its line only, made by the next query. */
  update_ok (equipment, items[0], milled);
  g_assert_false (td_record_list_is_search_ready (equipment));
  g_assert_cmpuint (td_record_list_set_query (equipment, "车床"), ==, 0);
  g_assert_true (td_record_list_is_search_ready (equipment));
  g_assert_cmpuint (td_record_list_set_query (equipment, "铣床"), ==, 1);
  g_assert_true (td_record_list_matches (equipment, items[0]));
  g_assert_cmpuint (td_record_list_set_query (equipment, "数控"), ==, 2);

  /* The venue renamed: the items there are found by its new name only. */
  update_ok (venues, v, renamed);
  g_assert_cmpuint (td_record_list_set_query (equipment, "数控实训"), ==, 0);
  g_assert_cmpuint (td_record_list_set_query (equipment, "智能制造"), ==, 2);
  g_assert_false (td_record_list_matches (equipment, items[2]));

  /* The venue deleted: its items lose it; undone, they have it again. */
  deletion = td_record_list_delete (venues, &v, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (td_record_list_set_query (equipment, "智能制造"), ==, 0);
  g_assert_true (td_record_list_undo_delete (venues, deletion, &error));
  g_assert_no_error (error);
  g_clear_pointer (&deletion, td_deletion_free);
  g_assert_cmpuint (td_record_list_set_query (equipment, "智能制造"), ==, 2);

  /* An item deleted is not found, and found again once undone. */
  deletion = td_record_list_delete (equipment, &items[1], 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (td_record_list_set_query (equipment, "台钻"), ==, 0);
  g_assert_cmpuint (td_record_list_set_query (equipment, "智能制造"), ==, 1);
  g_assert_true (td_record_list_undo_delete (equipment, deletion, &error));
  g_assert_cmpuint (td_record_list_set_query (equipment, "台钻"), ==, 1);
  g_assert_cmpuint (td_record_list_set_query (equipment, NULL), ==, 3);

  /* Many writes: dead lines are dropped now and then, and the search
   * stays right. */
  {
    const char *teacher[] = { "张伟", "专职", "中级", "是", "", "数控加工" };
    TdRecord *zhang = add_ok (trainers, teacher);
    g_autofree char *long_text = g_strnfill (150, 'x');

    for (guint i = 0; i < 40; i++)
      {
        g_autofree char *name = g_strdup_printf ("教师%02u", i);
        const char *inputs[] = { name, "兼职", "无", "否", long_text, "电工" };

        add_ok (trainers, inputs);
      }
    for (guint i = 0; i < 600; i++)
      {
        g_autofree char *qualification = g_strdup_printf ("%s第%u版", long_text, i);
        const char *inputs[] = { "张伟", "专职", "中级", "是", qualification, "数控加工" };

        update_ok (trainers, zhang, inputs);
        /* Each query makes the new line, the old one dead. */
        g_assert_cmpuint (td_record_list_set_query (trainers, "电工"), ==, 40);
      }
    g_assert_cmpuint (td_record_list_set_query (trainers, "第599版"), ==, 1);
    g_assert_cmpuint (td_record_list_set_query (trainers, "第598版"), ==, 0);
    g_assert_cmpuint (td_record_list_set_query (trainers, "教师"), ==, 40);
    g_assert_cmpuint (td_record_list_set_query (trainers, "xxx"), ==, 41);
  }

  /* Many records added without a query between: all found after. */
  for (guint i = 0; i < 1100; i++)
    {
      g_autofree char *name = g_strdup_printf ("教室%04u", i);
      const char *inputs[] = { name, "教室", "60", "40", "" };

      add_ok (venues, inputs);
    }
  g_assert_cmpuint (td_record_list_set_query (venues, "教室"), ==, 1100);
  g_assert_cmpuint (td_record_list_set_query (venues, "教室1099"), ==, 1);
  g_assert_true (td_record_list_is_search_ready (venues));
}

/* The totals the footers show, kept as the list changes: exact, whatever
 * the order of the writes. */
static void
test_totals (Fixture       *f,
             gconstpointer  data)
{
  TdRecordList *equipment = list (f, "equipment");
  TdRecordList *trainers = list (f, "trainers");
  const TdRecordKind *kind = td_record_list_get_kind (equipment);
  int quantity = td_record_kind_field_index (kind, "quantity");
  int value = td_record_kind_field_index (kind, "unit_value");
  int trainer_kind = td_record_kind_field_index (td_record_list_get_kind (trainers), "kind");
  int dual = td_record_kind_field_index (td_record_list_get_kind (trainers), "dual_qualified");
  const char *a[] = { "万用表", "VC890", "3", "0.1", "", "2020", "在用" };
  const char *b[] = { "示波器", "DS1102", "2", "0.2", "", "2021", "在用" };
  const char *c[] = { "钳工台", "QT-1", "10", "1,200.55", "", "2018", "在用" };
  const char *c2[] = { "钳工台", "QT-1", "7", "1,200.55", "", "2018", "在用" };
  const char *zhang[] = { "张伟", "专职", "中级", "是", "", "" };
  const char *li[] = { "李娜", "兼职", "无", "是", "", "" };
  const char *wang[] = { "王强", "企业专家", "无", "否", "", "" };
  g_autoptr(GError) error = NULL;
  g_autoptr(TdDeletion) deletion = NULL;
  TdRecord *ra, *rb, *rc, *rl;

  /* Asked before any record: nothing; then kept by each write. */
  g_assert_cmpfloat (td_record_list_get_sum (equipment, quantity), ==, 0);
  g_assert_cmpfloat (td_record_list_get_sum_product (equipment, quantity, value), ==, 0);
  ra = add_ok (equipment, a);
  rb = add_ok (equipment, b);
  rc = add_ok (equipment, c);
  g_assert_cmpfloat (td_record_list_get_sum (equipment, quantity), ==, 15);
  /* 0.3 + 0.4 + 12,005.5 */
  g_assert_cmpfloat (td_record_list_get_sum_product (equipment, quantity, value), ==, 12006.2);
  g_assert_cmpfloat (td_record_list_get_sum (equipment, value), ==, 1200.85);

  update_ok (equipment, rc, c2);
  g_assert_cmpfloat (td_record_list_get_sum (equipment, quantity), ==, 12);
  g_assert_cmpfloat (td_record_list_get_sum_product (equipment, quantity, value), ==, 8404.55);

  /* Gone, and back: the same sums to the last fen. */
  deletion = td_record_list_delete (equipment, &rb, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (td_record_list_get_sum_product (equipment, quantity, value), ==, 8404.15);
  g_assert_true (td_record_list_undo_delete (equipment, deletion, &error));
  g_clear_pointer (&deletion, td_deletion_free);
  g_assert_cmpfloat (td_record_list_get_sum_product (equipment, quantity, value), ==, 8404.55);
  deletion = td_record_list_delete (equipment, &ra, 1, &error);
  g_assert_cmpfloat (td_record_list_get_sum_product (equipment, quantity, value), ==, 8404.25);
  g_assert_cmpfloat (td_record_list_get_sum (equipment, quantity), ==, 9);
  g_clear_pointer (&deletion, td_deletion_free);

  /* Read again from the database: the same. */
  g_assert_true (td_record_list_reload (equipment, &error));
  g_assert_cmpfloat (td_record_list_get_sum_product (equipment, quantity, value), ==, 8404.25);

  /* Trainers by kind, and the dual-qualified counted. */
  add_ok (trainers, zhang);
  rl = add_ok (trainers, li);
  g_assert_cmpuint (td_record_list_count_choice (trainers, trainer_kind, "full-time"), ==, 1);
  g_assert_cmpuint (td_record_list_count_choice (trainers, trainer_kind, "part-time"), ==, 1);
  g_assert_cmpuint (td_record_list_count_choice (trainers, trainer_kind, "enterprise-expert"), ==, 0);
  g_assert_cmpfloat (td_record_list_get_sum (trainers, dual), ==, 2);
  add_ok (trainers, wang);
  update_ok (trainers, rl, (const char *[]) { "李娜", "企业专家", "无", "否", "", "" });
  g_assert_cmpuint (td_record_list_count_choice (trainers, trainer_kind, "part-time"), ==, 0);
  g_assert_cmpuint (td_record_list_count_choice (trainers, trainer_kind, "enterprise-expert"), ==, 2);
  g_assert_cmpfloat (td_record_list_get_sum (trainers, dual), ==, 1);
}

/* A text of the kind table: there, and translated (the Chinese is not the
 * English msgid), unless the Chinese locale is missing. */
static void
assert_translated (const TdRecordKind *kind,
                   const char         *what,
                   const char         *msgid,
                   gboolean            chinese)
{
  if (msgid == NULL || msgid[0] == '\0')
    g_error ("%s: no %s", kind->id, what);
  if (chinese && g_strcmp0 (g_dgettext (GETTEXT_PACKAGE, msgid), msgid) == 0)
    g_error ("%s: the %s “%s” is not translated", kind->id, what, msgid);
}

static void
assert_plural (const TdRecordKind *kind,
               const char         *what,
               const TdPlural     *plural,
               gboolean            chinese)
{
  assert_translated (kind, what, plural->one, chinese);
  g_assert_nonnull (strstr (plural->one, "%s"));
  if (plural->other != NULL)
    {
      g_assert_nonnull (strstr (plural->other, "%s"));
      if (chinese)
        g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, plural->one, plural->other, 2), !=, plural->other);
    }
}

static void
assert_column (const TdRecordKind *kind,
               const char         *column)
{
  if (column == NULL || td_record_kind_field_index (kind, column) < 0)
    g_error ("%s: the footer names “%s”, no field of the kind", kind->id, column ? column : "(null)");
}

/* Adding a kind is adding its entry (td-record-kind.c): each has every
 * text the interface shows, translated, and a footer and an Overview line
 * that name only what it has. */
static void
test_kind_table (void)
{
  const char *localedir = g_getenv ("TD_LOCALEDIR");
  g_autofree char *old_locale = g_strdup (setlocale (LC_ALL, NULL));
  gboolean chinese = setlocale (LC_ALL, "zh_CN.UTF-8") != NULL;
  guint n = 0;
  const TdRecordKind **kinds = td_record_kinds (&n);
  g_autoptr(GHashTable) pages = g_hash_table_new (g_str_hash, g_str_equal);

  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  if (!chinese)
    g_test_message ("The zh_CN.UTF-8 locale is not installed: translations not checked");

  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      const TdRecordKind *kind = kinds[i];

      g_assert_true (td_record_kind_lookup (kind->id) == kind);
      g_assert_cmpuint (kind->n_fields, >, 0);
      g_assert_cmpint (td_record_kind_field_index (kind, kind->name_column), >=, 0);
      assert_translated (kind, "title", kind->title, chinese);
      assert_translated (kind, "singular", kind->singular, chinese);
      assert_translated (kind, "label", kind->label, chinese);
      assert_translated (kind, "empty title", kind->empty_title, chinese);
      assert_translated (kind, "empty description", kind->empty_description, chinese);
      assert_translated (kind, "add label", kind->add_label, chinese);
      g_assert_nonnull (strchr (kind->add_label, '_'));
      assert_translated (kind, "add tooltip", kind->add_tooltip, chinese);
      assert_translated (kind, "search placeholder", kind->search_placeholder, chinese);
      assert_translated (kind, "new title", kind->new_title, chinese);
      assert_translated (kind, "edit title", kind->edit_title, chinese);
      assert_plural (kind, "count", &kind->count, chinese);
      assert_plural (kind, "deletion", &kind->deleted, chinese);
      g_assert_nonnull (kind->icon_name);
      g_assert_true (g_str_has_suffix (kind->icon_name, "-symbolic"));
      if (kind->page_title != NULL)
        assert_translated (kind, "page title", kind->page_title, chinese);

      /* A shared page is another kind's, listed before it. */
      if (kind->page != NULL)
        g_assert_true (g_hash_table_contains (pages, kind->page));
      g_hash_table_add (pages, (gpointer)kind->id);

      for (const TdFooterFigure *f = kind->figures; f != NULL && f->column != NULL; f++)
        {
          int column = td_record_kind_field_index (kind, f->column);

          assert_column (kind, f->column);
          assert_plural (kind, "footer figure", &f->text, chinese);
          switch (f->type)
            {
            case TD_FOOTER_SUM:
              g_assert_true (kind->fields[column].type == TD_FIELD_INTEGER ||
                             kind->fields[column].type == TD_FIELD_NUMBER ||
                             kind->fields[column].type == TD_FIELD_BOOLEAN);
              break;
            case TD_FOOTER_PRODUCT:
            case TD_FOOTER_FTE:
              assert_column (kind, f->times);
              break;
            case TD_FOOTER_CHOICE:
              g_assert_nonnull (td_field_find_choice (&kind->fields[column], f->choice));
              break;
            default:
              g_assert_not_reached ();
            }
        }
      if (kind->hours_after != NULL)
        assert_column (kind, kind->hours_after);

      /* On the Overview when its entry has counts, each of its own columns. */
      g_assert_cmpuint (kind->n_counts, <=, TD_RECORD_KIND_MAX_COUNTS);
      if (kind->n_counts > 0)
        {
          assert_plural (kind, "Overview line", &kind->overview, chinese);
          g_assert_cmpint (kind->counts[0].type, ==, TD_COUNT_RECORDS);
        }
      for (guint c = 0; c < kind->n_counts; c++)
        {
          const TdKindCount *count = &kind->counts[c];

          if (count->type == TD_COUNT_RECORDS)
            continue;
          assert_column (kind, count->column);
          if (count->type == TD_COUNT_CHOICE)
            g_assert_nonnull (td_field_find_choice (&kind->fields[td_record_kind_field_index (kind, count->column)],
                                                    count->choice));
          if (count->times != NULL)
            assert_column (kind, count->times);
          if (count->only != NULL)
            {
              int only = td_record_kind_field_index (kind, count->only);

              assert_column (kind, count->only);
              g_assert_nonnull (count->in[0]);
              for (guint j = 0; j < TD_KIND_COUNT_MAX_CHOICES && count->in[j] != NULL; j++)
                g_assert_nonnull (td_field_find_choice (&kind->fields[only], count->in[j]));
            }
        }
    }

  setlocale (LC_ALL, old_locale);
}

/* One table of groups: a class's key groups are the programmes' first
 * target groups, with their texts, under the classes' ids. */
static void
test_key_groups (void)
{
  const TdChoice *groups = td_target_groups ();
  const TdChoice *keys = td_class_key_groups ();
  guint n = 0;

  g_assert_cmpstr (keys[0].id, ==, "");
  for (guint i = 0; i < TD_N_KEY_GROUPS; i++)
    {
      g_assert_cmpstr (keys[i + 1].id, ==, td_key_groups[i]);
      g_assert_cmpstr (keys[i + 1].label, ==, groups[i].label);
      g_assert_cmpstr (keys[i + 1].header, ==, groups[i].header);
    }
  g_assert_null (keys[TD_N_KEY_GROUPS + 1].id);
  g_assert_cmpstr (keys[1].header, ==, "高校毕业生");
  g_assert_cmpstr (keys[TD_N_KEY_GROUPS].id, ==, "disabled");
  g_assert_cmpstr (keys[TD_N_KEY_GROUPS].header, ==, "残疾人");
  /* The unemployed and employees follow: groups, not key groups. */
  while (groups[n].id != NULL)
    n++;
  g_assert_cmpuint (n, ==, TD_N_KEY_GROUPS + 2);
  g_assert_cmpstr (groups[TD_N_KEY_GROUPS].id, ==, "失业人员");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/records/kind/%s", cases[i].kind);

      g_test_add (path, Fixture, GUINT_TO_POINTER (i), fixture_set_up, test_kind, fixture_tear_down);
    }
  g_test_add ("/records/bad-values", Fixture, NULL, fixture_set_up, test_bad_values, fixture_tear_down);
  g_test_add ("/records/references", Fixture, NULL, fixture_set_up, test_references, fixture_tear_down);
  g_test_add ("/records/search", Fixture, NULL, fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/records/figures", Fixture, NULL, fixture_set_up, test_figures, fixture_tear_down);
  g_test_add ("/records/example-school", Fixture, NULL, fixture_set_up, test_example_school, fixture_tear_down);
  g_test_add ("/records/undo-and-bulk", Fixture, NULL, fixture_set_up, test_undo_and_bulk, fixture_tear_down);
  g_test_add ("/records/search-lines", Fixture, NULL, fixture_set_up, test_search_lines, fixture_tear_down);
  g_test_add ("/records/totals", Fixture, NULL, fixture_set_up, test_totals, fixture_tear_down);
  g_test_add_func ("/records/kind-table", test_kind_table);
  g_test_add_func ("/records/key-groups", test_key_groups);

  return g_test_run ();
}
