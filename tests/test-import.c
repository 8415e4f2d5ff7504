/* test-import.c: CSV and xlsx files in and out of the record lists
 *
 * Every file is written by the test itself, into its own data folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "td-csv.h"
#include "td-example.h"
#include "td-export.h"
#include "td-import.h"
#include "td-limits.h"
#include "td-store-private.h"
#include "td-test-fixtures.h"
#include "td-validate.h"
#include "td-xlsx.h"

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
  f->path = g_build_filename (g_get_user_data_dir (), "import.db", NULL);
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

static gint64
count_audit (Fixture *f)
{
  return count_rows (f, "SELECT count(*) FROM audit_log");
}

/* @name in the test's data folder, holding @length bytes of @data. */
static char *
write_file (const char *name,
            const char *data,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_user_data_dir (), name, NULL);

  g_assert_true (g_file_set_contents (path, data, length, &error));
  g_assert_no_error (error);
  return path;
}

static TdImport *
open_import (Fixture    *f,
             const char *kind,
             const char *path)
{
  g_autoptr(GError) error = NULL;
  TdImport *import = td_import_new (list (f, kind), path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (import);
  return import;
}

static TdImport *
preview (Fixture    *f,
         const char *kind,
         const char *path)
{
  g_autoptr(GError) error = NULL;
  TdImport *import = open_import (f, kind, path);

  g_assert_true (td_import_preview (import, &error));
  g_assert_no_error (error);
  return import;
}

static void
assert_counts (TdImport *import,
               guint     new_rows,
               guint     updated,
               guint     unchanged,
               guint     replaced,
               guint     bad)
{
  g_assert_cmpuint (td_import_get_count (import, TD_IMPORT_NEW), ==, new_rows);
  g_assert_cmpuint (td_import_get_count (import, TD_IMPORT_UPDATE), ==, updated);
  g_assert_cmpuint (td_import_get_count (import, TD_IMPORT_UNCHANGED), ==, unchanged);
  g_assert_cmpuint (td_import_get_count (import, TD_IMPORT_REPLACED), ==, replaced);
  g_assert_cmpuint (td_import_get_count (import, TD_IMPORT_BAD), ==, bad);
}

static void
commit_ok (TdImport *import)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (td_import_commit (import, &error));
  g_assert_no_error (error);
}

/* The record of @kind whose name (or title, or first field) is @name. */
static TdRecord *
find (Fixture    *f,
      const char *kind,
      const char *name)
{
  TdRecordList *l = list (f, kind);
  gint64 id = td_record_list_id_of (l, name);

  g_assert_cmpint (id, >, 0);
  return td_record_list_find (l, id);
}

static const char *
value (TdRecord   *record,
       const char *column)
{
  int field = td_record_kind_field_index (td_record_get_kind (record), column);

  g_assert_cmpint (field, >=, 0);
  return td_record_get (record, field);
}

#define TRAINERS_CSV \
  "姓名,类别,职称,双师型,资格证书,培训领域\n" \
  "张伟,专职,副高级,是,高级技师；车工职业技能等级证书,数控加工\n" \
  "李娜,企业专家,中级,否,电工（高级）,电气自动化\n"

/* Chinese Excel's "CSV (comma delimited)" is in the system code page. */
static void
test_gb18030 (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  g_autofree char *gb = g_convert (TRAINERS_CSV, -1, "GB18030", "UTF-8", NULL, &length, &error);
  g_autofree char *path = NULL;
  g_autoptr(TdImport) import = NULL;
  TdRecord *zhang;

  g_assert_no_error (error);
  g_assert_false (g_utf8_validate (gb, length, NULL));
  path = write_file ("trainers-gbk.csv", gb, length);

  import = preview (f, "trainers", path);
  assert_counts (import, 2, 0, 0, 0, 0);
  commit_ok (import);

  zhang = find (f, "trainers", "张伟");
  g_assert_cmpstr (value (zhang, "kind"), ==, "full-time");
  g_assert_cmpstr (value (zhang, "title"), ==, "associate-senior");
  g_assert_cmpstr (value (zhang, "dual_qualified"), ==, "1");
  g_assert_cmpstr (value (zhang, "qualifications"), ==, "高级技师；车工职业技能等级证书");
  g_assert_cmpstr (value (find (f, "trainers", "李娜"), "kind"), ==, "enterprise-expert");

  /* GB18030's own byte order mark is no part of the first header. */
  {
    g_autofree char *with_bom = g_convert ("\xEF\xBB\xBF" TRAINERS_CSV, -1, "GB18030", "UTF-8",
                                           NULL, &length, &error);
    g_autoptr(TdTable) table = td_csv_read (with_bom, length, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (td_table_get_cell (table, 0, 0), ==, "姓名");
  }
}

/* UTF-8 with a byte order mark and CRLF (Excel's "CSV UTF-8"), and
 * without either: the same records. */
static void
test_bom_crlf (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GString) crlf = g_string_new ("\xEF\xBB\xBF" TRAINERS_CSV);
  g_autofree char *path = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(TdImport) import = NULL;
  g_autoptr(TdImport) again = NULL;

  g_string_replace (crlf, "\n", "\r\n", 0);
  path = write_file ("trainers-bom.csv", crlf->str, crlf->len);
  import = preview (f, "trainers", path);
  assert_counts (import, 2, 0, 0, 0, 0);
  /* The BOM is not part of the first header. */
  g_assert_cmpstr (td_import_get_column_header (import, 0), ==, "姓名");
  g_assert_cmpint (td_import_get_column_field (import, 0), ==, 0);
  g_assert_cmpuint (td_import_get_row_line (import, 1), ==, 3);
  /* No CR left at the ends of the last column. */
  g_assert_cmpstr (td_import_get_row_input (import, 0, 5), ==, "数控加工");
  commit_ok (import);

  plain = write_file ("trainers-plain.csv", TRAINERS_CSV, -1);
  again = preview (f, "trainers", plain);
  assert_counts (again, 0, 0, 2, 0, 0);
}

/* RFC 4180: commas, doubled quotes and new lines within quotes; a row
 * is reported at the line it starts on. */
static void
test_quotes (Fixture       *f,
             gconstpointer  data)
{
  const char *csv =
    "标题,类别,制定日期,内容\r\n"
    "\"培训管理办法, 第二版\",管理制度,2020年4月28日,\"第一条 为规范培训……\r\n"
    "第二条 本办法所称\"\"培训\"\"，指……\r\n"
    "\r\n"
    "第三条 附则\"\r\n"
    "\"经费\"\"使用\"\"细则\",财务,2021/3/1,短\r\n"
    "师资管理规定,人事,20220105,\r\n";
  g_autofree char *path = write_file ("guarantees.csv", csv, -1);
  g_autoptr(TdImport) import = preview (f, "guarantees", path);
  TdRecord *record;

  assert_counts (import, 3, 0, 0, 0, 0);
  g_assert_cmpuint (td_import_get_row_line (import, 0), ==, 2);
  g_assert_cmpuint (td_import_get_row_line (import, 1), ==, 6);
  g_assert_cmpuint (td_import_get_row_line (import, 2), ==, 7);
  commit_ok (import);

  record = find (f, "guarantees", "培训管理办法, 第二版");
  g_assert_cmpstr (value (record, "adopted_on"), ==, "2020-04-28");
  /* Paragraphs kept (CRLF within the cell read as one new line). */
  g_assert_cmpstr (value (record, "body"), ==,
                   "第一条 为规范培训……\n第二条 本办法所称\"培训\"，指……\n\n第三条 附则");
  record = find (f, "guarantees", "经费\"使用\"细则");
  g_assert_cmpstr (value (record, "adopted_on"), ==, "2021-03-01");
  g_assert_cmpstr (value (find (f, "guarantees", "师资管理规定"), "adopted_on"), ==, "2022-01-05");
}

/* No new line at the end of the file: the last row counts. Blank lines
 * and Excel's ",,,,," rows are passed over. */
static void
test_truncated_last_line (Fixture       *f,
                          gconstpointer  data)
{
  const char *csv =
    "名称,类型,面积,容纳人数,地址\n"
    "数控实训中心,实训基地,\"1,200.5\",60,文化西路29号\n"
    "\n"
    ",,,,\n"
    "一号教室,教室,80,50,主楼101";
  g_autofree char *path = write_file ("venues.csv", csv, -1);
  g_autoptr(TdImport) import = preview (f, "venues", path);

  g_assert_cmpuint (td_import_get_n_rows (import), ==, 2);
  g_assert_cmpuint (td_import_get_row_line (import, 1), ==, 5);
  commit_ok (import);
  g_assert_cmpstr (value (find (f, "venues", "一号教室"), "address"), ==, "主楼101");
  g_assert_cmpstr (value (find (f, "venues", "数控实训中心"), "area"), ==, "1200.5");
}

/* A quote never closed: the line where it opened, and no rows. */
static void
test_unterminated_quote (Fixture       *f,
                         gconstpointer  data)
{
  const char *csv =
    "名称,类型\n"
    "一号教室,教室\n"
    "\"二号教室,教室\n"
    "三号教室,教室\n";
  g_autofree char *path = write_file ("broken.csv", csv, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdImport) import = td_import_new (list (f, "venues"), path, &error);

  g_assert_null (import);
  g_assert_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, " 3"));
}

/* Neither UTF-8 nor GB18030; a workbook saved under a .csv name. */
static void
test_bad_encoding (Fixture       *f,
                   gconstpointer  data)
{
  const char latin[] = "名称,类型\n\xFF\xFE\xFF,教室\n";
  const char zip[] = "PK\003\004\0\0\0\0";
  g_autofree char *path = write_file ("latin.csv", latin + 0, sizeof latin - 1);
  g_autofree char *zip_path = write_file ("workbook.csv", zip, sizeof zip - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTable) table = NULL;

  table = td_csv_read_file (path, &error);
  g_assert_null (table);
  g_assert_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_ENCODING);
  g_clear_error (&error);

  table = td_csv_read_file (zip_path, &error);
  g_assert_null (table);
  g_assert_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, ".xlsx"));
}

/* UTF-16 with a byte order mark (Excel's "Unicode text"), tab-separated. */
static void
test_utf16 (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  g_autofree char *utf16 = g_convert ("\xEF\xBB\xBF名称\t类型\r\n一号教室\t教室\r\n", -1,
                                      "UTF-16LE", "UTF-8", NULL, &length, &error);
  g_autoptr(TdTable) table = NULL;

  g_assert_no_error (error);
  table = td_csv_read (utf16, length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (td_table_get_n_rows (table), ==, 2);
  g_assert_cmpstr (td_table_get_cell (table, 0, 0), ==, "名称");
  g_assert_cmpstr (td_table_get_cell (table, 1, 1), ==, "教室");
}

/* A 50 MB file: guarantees with long texts, every one quoted over many
 * lines. It is read and imported whole; how fast is bench's business.
 * Under AddressSanitizer 8 MB: still some 2,000 rows, read in eight of
 * the reader's 1 MiB blocks with rows cut across each, for a sixth of
 * the time (that run checks memory safety; the gcc run, the size). */
static void
test_large_file (Fixture       *f,
                 gconstpointer  data)
{
  const gsize size = (TD_TEST_HAS_ASAN ? 8 : 50) * 1024 * 1024;
  g_autoptr(GString) csv = g_string_sized_new (size + 1024 * 1024);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autoptr(TdImport) import = NULL;
  guint n = 0, kept;

  /* About 4 KiB of text a row, in paragraphs. */
  for (guint p = 0; p < 20; p++)
    g_string_append_printf (body, "%s第%u条 为规范职业培训工作，提高培训质量，根据有关规定，结合学校实际，"
                            "制定本条。各部门应当按照\"\"谁主管、谁负责\"\"的原则落实。",
                            p ? "\n" : "", p + 1);

  g_string_append (csv, "\xEF\xBB\xBF标题,类别,制定日期,内容\r\n");
  while (csv->len < size)
    {
      g_string_append_printf (csv, "职业培训制度第%u号,管理制度,2020-%02u-%02u,\"%s\"\r\n",
                              n, n % 12 + 1, n % 28 + 1, body->str);
      n++;
    }
  path = write_file ("large.csv", csv->str, csv->len);
  g_string_truncate (csv, 0);

  import = preview (f, "guarantees", path);
  /* Read row by row: only the first rows are kept to show. */
  g_assert_cmpuint (td_import_get_n_rows (import), >, 100);
  g_assert_cmpuint (td_import_get_n_rows (import), <, n);
  assert_counts (import, n, 0, 0, 0, 0);
  /* Each row starts 20 lines after the one before it. */
  kept = td_import_get_n_rows (import);
  g_assert_cmpuint (td_import_get_row_line (import, kept - 1), ==, 2 + (kept - 1) * 20);
  commit_ok (import);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee"), ==, n);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee WHERE length (body) > 1000"), ==, n);
}

static void
add_venues (Fixture *f)
{
  const char *csv =
    "名称,类型,面积,容纳人数,地址\n"
    "数控实训中心,实训基地,1200,60,文化西路29号\n"
    "一号教室,教室,80,50,主楼101\n";
  g_autofree char *path = write_file ("venues.csv", csv, -1);
  g_autoptr(TdImport) import = preview (f, "venues", path);

  commit_ok (import);
}

/* One bad row in the middle (two bad cells), another after a quoted
 * multi-line cell: each problem named by line, column and reason, and
 * nothing written at all. */
static void
test_bad_row (Fixture       *f,
              gconstpointer  data)
{
  const char *csv =
    "名称,型号,数量,单价（元）,场所,购置年份,状态\n"
    "数控车床,CK6140,3,\"85,000\",数控实训中心,2019,在用\n"
    "台钻,Z4116,2,1200,不存在的场所,2020,坏了\n"
    "\"投影仪\n(高亮)\",EB-X51,1,4500,一号教室,2021,闲置\n"
    "万用表,UT61E,十,300,一号教室,2021,在用\n"
    "示波器,DS1102,2,3200,,1890,在用\n";
  g_autofree char *path = NULL;
  g_autoptr(TdImport) import = NULL;
  g_autoptr(GError) error = NULL;
  const TdImportProblem *problem;
  gint64 audit;

  add_venues (f);
  audit = count_audit (f);
  path = write_file ("equipment-bad.csv", csv, -1);
  import = preview (f, "equipment", path);

  g_assert_cmpuint (td_import_get_n_rows (import), ==, 5);
  assert_counts (import, 2, 0, 0, 0, 3);
  g_assert_cmpuint (td_import_get_n_problems (import), ==, 4);

  problem = td_import_get_problem (import, 0);
  g_assert_cmpuint (problem->line, ==, 3);
  g_assert_cmpstr (problem->column, ==, "场所");
  g_assert_nonnull (strstr (problem->message, "不存在的场所"));
  problem = td_import_get_problem (import, 1);
  g_assert_cmpuint (problem->line, ==, 3);
  g_assert_cmpstr (problem->column, ==, "状态");
  g_assert_nonnull (strstr (problem->message, "坏了"));
  g_assert_nonnull (strstr (problem->message, "在用、闲置、维修、报废"));
  problem = td_import_get_problem (import, 2);
  g_assert_cmpuint (problem->line, ==, 6);
  g_assert_cmpstr (problem->column, ==, "数量");
  g_assert_cmpint (problem->field, ==, 2);
  problem = td_import_get_problem (import, 3);
  g_assert_cmpuint (problem->line, ==, 7);
  g_assert_cmpstr (problem->column, ==, "购置年份");
  g_assert_nonnull (strstr (problem->message, "1900"));

  g_assert_cmpint (td_import_get_row_action (import, 1), ==, TD_IMPORT_BAD);
  g_assert_null (td_import_get_row_values (import, 1));
  g_assert_nonnull (td_import_get_row_values (import, 0));

  g_assert_false (td_import_commit (import, &error));
  g_assert_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_BAD_ROWS);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM equipment"), ==, 0);
  g_assert_cmpint (count_audit (f), ==, audit);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list (f, "equipment"))), ==, 0);
}

/* Unknown columns are reported and left out; a missing required one
 * refuses the file before any row is judged. */
static void
test_headers (Fixture       *f,
              gconstpointer  data)
{
  const char *unknown =
    "序号,姓名,类别,备注,,职称\n"
    "1,张伟,专职,外聘,,中级\n";
  const char *missing =
    "姓名,职称\n"
    "张伟,中级\n";
  g_autofree char *path = write_file ("unknown.csv", unknown, -1);
  g_autofree char *missing_path = write_file ("missing.csv", missing, -1);
  g_autoptr(TdImport) import = preview (f, "trainers", path);
  g_autoptr(TdImport) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ignored = td_import_dup_ignored_columns (import);
  const char *expected[] = { "序号", "备注", NULL };

  g_assert_true (g_strv_equal ((const char * const *)ignored, expected));
  g_assert_cmpint (td_import_get_field_column (import, 0), ==, 1);
  g_assert_cmpint (td_import_get_field_column (import, 3), ==, -1);
  assert_counts (import, 1, 0, 0, 0, 0);

  refused = open_import (f, "trainers", missing_path);
  g_assert_false (td_import_preview (refused, &error));
  g_assert_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_MISSING_COLUMN);
  g_assert_nonnull (strstr (error->message, "类别"));
  g_assert_cmpuint (td_import_get_n_rows (refused), ==, 0);
  g_clear_error (&error);
  g_assert_false (td_import_commit (refused, &error));
  g_assert_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_MISSING_COLUMN);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM trainer"), ==, 0);
}

/* English labels in any case, column keys, units and stars around the
 * Chinese ones, and a title row above the header. */
static void
test_english_headers (Fixture       *f,
                      gconstpointer  data)
{
  const char *english =
    "NAME,kind,Title,Dual-qualified,qualifications,Fields Taught\n"
    "Zhang Wei,Full-time,Senior,yes,,CNC\n";
  const char *decorated =
    "2024年场所清单,,,,\n"
    "*名称,类型*,面积（m²）,容纳人数(人),address\n"
    "一号教室,教室,80,50,主楼101\n";
  g_autofree char *path = write_file ("english.csv", english, -1);
  g_autofree char *decorated_path = write_file ("decorated.csv", decorated, -1);
  g_autoptr(TdImport) import = preview (f, "trainers", path);
  g_autoptr(TdImport) venues = NULL;
  g_auto(GStrv) ignored = td_import_dup_ignored_columns (import);

  g_assert_cmpuint (g_strv_length (ignored), ==, 0);
  assert_counts (import, 1, 0, 0, 0, 0);
  commit_ok (import);
  g_assert_cmpstr (value (find (f, "trainers", "Zhang Wei"), "title"), ==, "senior");
  g_assert_cmpstr (value (find (f, "trainers", "Zhang Wei"), "dual_qualified"), ==, "1");

  venues = preview (f, "venues", decorated_path);
  g_assert_cmpuint (td_import_get_header_line (venues), ==, 2);
  for (guint c = 0; c < 5; c++)
    g_assert_cmpint (td_import_get_column_field (venues, c), ==, c);
  assert_counts (venues, 1, 0, 0, 0, 0);
  g_assert_cmpuint (td_import_get_row_line (venues, 0), ==, 3);
}

/* The first values of a column, blank ones passed over, at most as many
 * as asked: what the mapping step shows under each header. */
static void
test_column_samples (Fixture       *f,
                     gconstpointer  data)
{
  const char *csv =
    "名称,Remarks,场所\n"
    "万用表,,一号车间\n"
    "\n"
    "示波器,  ,\n"
    "钳工台,外借,二号车间\n"
    "台钻,报修,三号车间\n"
    "砂轮机,闲置,四号车间\n";
  g_autofree char *path = write_file ("samples.csv", csv, -1);
  g_autoptr(TdImport) import = open_import (f, "equipment", path);
  g_auto(GStrv) remarks = td_import_dup_column_samples (import, 1, 2);
  g_auto(GStrv) venues = td_import_dup_column_samples (import, 2, 10);

  g_assert_cmpuint (td_import_get_n_columns (import), ==, 3);
  g_assert_cmpint (td_import_get_column_field (import, 1), ==, -1);
  g_assert_cmpuint (g_strv_length (remarks), ==, 2);
  g_assert_cmpstr (remarks[0], ==, "外借");
  g_assert_cmpstr (remarks[1], ==, "报修");
  g_assert_cmpuint (g_strv_length (venues), ==, 4);
  g_assert_cmpstr (venues[3], ==, "四号车间");
}

/* A window lets the user say which column fills which field. */
static void
test_mapping (Fixture       *f,
              gconstpointer  data)
{
  const char *csv =
    "教师,类型,职称\n"
    "张伟,专职,中级\n";
  g_autofree char *path = write_file ("mapping.csv", csv, -1);
  g_autoptr(TdImport) import = open_import (f, "trainers", path);
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;

  /* What each column holds, for the user to see. */
  {
    g_auto(GStrv) samples = td_import_dup_column_samples (import, 0, 3);

    g_assert_cmpuint (g_strv_length (samples), ==, 1);
    g_assert_cmpstr (samples[0], ==, "张伟");
  }

  /* Neither 教师 nor 类型 is a trainer's header. */
  g_assert_false (td_import_preview (import, &error));
  g_assert_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_MISSING_COLUMN);
  g_clear_error (&error);

  td_import_set_column_field (import, 0, 0);
  td_import_set_column_field (import, 1, 1);
  g_assert_cmpint (td_import_get_field_column (import, 1), ==, 1);
  g_assert_true (td_import_preview (import, &error));
  assert_counts (import, 1, 0, 0, 0, 0);
  g_assert_cmpstr (td_import_get_row_values (import, 0)[1], ==, "full-time");
  shown = td_import_dup_row_display (import, 0, 1);
  g_assert_cmpstr (shown, !=, "");

  /* A field moved to another column leaves the first one ignored. */
  td_import_set_column_field (import, 2, 1);
  g_assert_cmpint (td_import_get_column_field (import, 1), ==, -1);
  g_assert_cmpint (td_import_get_column_field (import, 2), ==, 1);
  g_assert_true (td_import_preview (import, &error));
  assert_counts (import, 0, 0, 0, 0, 1);
  td_import_set_column_field (import, 2, 2);
  td_import_set_column_field (import, 1, 1);
  g_assert_true (td_import_preview (import, &error));
  assert_counts (import, 1, 0, 0, 0, 0);
  commit_ok (import);
  g_assert_cmpstr (value (find (f, "trainers", "张伟"), "title"), ==, "intermediate");
}

/* The same file twice: the second time every row is unchanged and
 * nothing at all is written. A changed file updates, and a key twice in
 * one file keeps the later row. */
static void
test_twice (Fixture       *f,
            gconstpointer  data)
{
  const char *changed =
    "姓名,类别,职称,双师型,资格证书,培训领域\n"
    "张伟,专职,正高级,是,高级技师；车工职业技能等级证书,数控加工\n"
    "王芳,兼职,初级,否,,烹饪\n"
    "王芳,兼职,中级,否,,烹饪\n"
    "李娜,企业专家,中级,否,电工（高级）,电气自动化\n";
  g_autofree char *path = write_file ("trainers.csv", TRAINERS_CSV, -1);
  g_autofree char *changed_path = write_file ("trainers-changed.csv", changed, -1);
  g_autoptr(TdImport) first = preview (f, "trainers", path);
  g_autoptr(TdImport) second = NULL;
  g_autoptr(TdImport) third = NULL;
  gint64 audit;

  commit_ok (first);
  audit = count_audit (f);
  g_assert_cmpint (audit, >=, 2);

  second = preview (f, "trainers", path);
  assert_counts (second, 0, 0, 2, 0, 0);
  commit_ok (second);
  g_assert_cmpint (count_audit (f), ==, audit);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM trainer"), ==, 2);

  third = preview (f, "trainers", changed_path);
  assert_counts (third, 1, 1, 1, 1, 0);
  g_assert_cmpint (td_import_get_row_action (third, 1), ==, TD_IMPORT_REPLACED);
  g_assert_cmpuint (td_import_get_replaced_by (third, 1), ==, 4);
  commit_ok (third);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM trainer"), ==, 3);
  g_assert_cmpstr (value (find (f, "trainers", "王芳"), "title"), ==, "intermediate");
  g_assert_cmpstr (value (find (f, "trainers", "张伟"), "title"), ==, "senior");
  /* One insert, one changed field. */
  g_assert_cmpint (count_audit (f), ==, audit + 2);
}

/* References resolve against the database: equipment to venues by name,
 * results to programmes, and their trainers with hours. */
static void
test_references (Fixture       *f,
                 gconstpointer  data)
{
  const char *equipment =
    "名称,型号,数量,单价,场所,购置年份,状态\n"
    "数控车床,CK6140,3,85000,数控实训中心,2019,在用\n"
    "数控车床,CK6140,1,85000,一号教室,2019,在用\n";
  const char *programmes =
    "名称,类别,培训领域,培训对象,培训方式,学时,每期人数,证书名称,证书等级,可享受补贴,收费\n"
    "数控加工技能提升,企业职工技能培训,智能制造,企业职工、农民工,线上线下结合,40,30,数控车工,四级,是,\"1,200元\"\n";
  const char *results =
    "年度,培训项目,类别,培训对象,期数,培训人数,人均学时,取证人数,就业人数,满意度,收入,合作企业,授课教师\n"
    "2024,数控加工技能提升,企业职工技能培训,企业职工,2,60,40,50,58,96.5%,72000,华东机床厂,张伟:16；李娜:8\n";
  g_autofree char *equipment_path = write_file ("equipment.csv", equipment, -1);
  g_autofree char *programmes_path = write_file ("programmes.csv", programmes, -1);
  g_autofree char *results_path = write_file ("results.csv", results, -1);
  g_autofree char *trainers_path = write_file ("trainers.csv", TRAINERS_CSV, -1);
  g_autoptr(TdImport) before = preview (f, "equipment", equipment_path);
  g_autoptr(TdImport) after = NULL;
  g_autoptr(TdImport) import = NULL;
  TdRecordList *l;
  TdRecord *result;
  g_autofree char *teaching = NULL;

  /* Before the venues: every row refused, saying what to add first. */
  assert_counts (before, 0, 0, 0, 0, 2);
  g_assert_nonnull (strstr (td_import_get_problem (before, 0)->message, "数控实训中心"));

  add_venues (f);
  after = preview (f, "equipment", equipment_path);
  /* Same name and model, another venue: another item. */
  assert_counts (after, 2, 0, 0, 0, 0);
  commit_ok (after);
  l = list (f, "equipment");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (l)), ==, 2);

  import = preview (f, "programmes", programmes_path);
  commit_ok (import);
  g_clear_object (&import);
  import = preview (f, "trainers", trainers_path);
  commit_ok (import);
  g_clear_object (&import);
  import = preview (f, "results", results_path);
  assert_counts (import, 1, 0, 0, 0, 0);
  commit_ok (import);

  l = list (f, "results");
  result = g_list_model_get_item (G_LIST_MODEL (l), 0);
  g_object_unref (result);
  g_assert_cmpstr (value (result, "satisfaction"), ==, "96.5");
  teaching = td_record_list_export (l, result, td_record_kind_field_index (td_record_get_kind (result), "teaching"));
  g_assert_cmpstr (teaching, ==, "张伟:16；李娜:8");
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM result_trainer"), ==, 2);
}

/* Issue 13: an equipment sheet before its venues. The venues it names are
 * listed by the preview, then created with the rows, in one transaction. */
static void
test_create_missing (Fixture       *f,
                     gconstpointer  data)
{
  const char *csv =
    "名称,型号,数量,单价,场所,购置年份,状态\n"
    "数控车床,CK6140,3,85000,数控实训中心,2019,在用\n"
    "钳工台,QT-1,10,1200,钳工车间,2020,在用\n"
    "台钻,Z4116,2,3000,数控实训中心,2021,闲置\n";
  g_autofree char *path = write_file ("missing.csv", csv, -1);
  g_autoptr(TdImport) import = preview (f, "equipment", path);
  g_autoptr(GError) error = NULL;
  TdRecordList *venues = list (f, "venues");
  TdRecordList *equipment = list (f, "equipment");
  const char *kind_id = NULL;

  /* Refused as before, but the missing venues are listed, once each. */
  assert_counts (import, 0, 0, 0, 0, 3);
  g_assert_cmpuint (td_import_get_n_missing (import), ==, 2);
  g_assert_cmpstr (td_import_get_missing (import, 0, &kind_id), ==, "数控实训中心");
  g_assert_cmpstr (kind_id, ==, "venues");
  g_assert_cmpstr (td_import_get_missing (import, 1, NULL), ==, "钳工车间");
  g_assert_false (td_import_commit (import, &error));
  g_assert_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_BAD_ROWS);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM venue"), ==, 0);

  td_import_set_create_missing (import, TRUE);
  g_assert_true (td_import_preview (import, &error));
  g_assert_no_error (error);
  assert_counts (import, 3, 0, 0, 0, 0);
  commit_ok (import);
  g_assert_cmpuint (td_import_get_n_created (import), ==, 2);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (venues)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (equipment)), ==, 3);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM equipment e JOIN venue v ON v.id = e.venue_id "
                                  "WHERE v.name = '数控实训中心'"), ==, 2);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM equipment e JOIN venue v ON v.id = e.venue_id "
                                  "WHERE v.name = '钳工车间' AND e.name = '钳工台'"), ==, 1);
}

/* A row that fails while written (here a trigger refuses it) takes the
 * venues created before it back with it: neither venues nor rows. */
static void
test_create_missing_rollback (Fixture       *f,
                              gconstpointer  data)
{
  const char *csv =
    "名称,型号,数量,单价,场所,购置年份,状态\n"
    "数控车床,CK6140,3,85000,数控实训中心,2019,在用\n"
    "坏设备,X,1,1,钳工车间,2020,在用\n";
  g_autofree char *path = write_file ("missing-bad.csv", csv, -1);
  g_autoptr(TdImport) import = preview (f, "equipment", path);
  g_autoptr(GError) error = NULL;

  g_assert_true (td_store_exec (f->store,
                                "CREATE TEMP TRIGGER refuse BEFORE INSERT ON equipment "
                                "WHEN NEW.name = '坏设备' BEGIN SELECT RAISE (ABORT, 'refused'); END",
                                &error));
  g_assert_no_error (error);
  td_import_set_create_missing (import, TRUE);
  g_assert_true (td_import_preview (import, &error));
  assert_counts (import, 2, 0, 0, 0, 0);
  g_assert_false (td_import_commit (import, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM venue"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM equipment"), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list (f, "venues"))), ==, 0);
}

/* 实训室 is no venue type the app knows: mapped once to 实训基地, and the
 * next import of a sheet with the same header needs no question. */
static void
test_choice_mapping (Fixture       *f,
                     gconstpointer  data)
{
  const char *csv =
    "名称,类型,面积,容纳人数,地址\n"
    "数控实训中心,实训室,600,40,实训楼一层\n"
    "一号教室,教室,80,50,教学楼201\n";
  const char *csv2 =
    "名称,类型,面积,容纳人数,地址\n"
    "钳工实训室,实训室,200,30,实训楼二层\n";
  g_autofree char *path = write_file ("venues-office.csv", csv, -1);
  g_autofree char *path2 = write_file ("venues-office-2.csv", csv2, -1);
  g_autofree char *problems = g_build_filename (g_get_user_data_dir (), "problems.csv", NULL);
  g_autofree char *saved = NULL;
  g_autoptr(TdImport) import = preview (f, "venues", path);
  g_autoptr(TdImport) again = NULL;
  g_autoptr(GError) error = NULL;
  TdRecordList *venues = list (f, "venues");
  int kind = td_record_kind_field_index (td_record_list_get_kind (venues), "kind");
  guint field = 0;
  TdRecord *record;

  assert_counts (import, 1, 0, 0, 0, 1);
  g_assert_cmpuint (td_import_get_n_unknown_choices (import), ==, 1);
  g_assert_cmpstr (td_import_get_unknown_choice (import, 0, &field), ==, "实训室");
  g_assert_cmpint (field, ==, kind);
  g_assert_null (td_import_get_choice_mapping (import, field, "实训室"));

  /* The problems, as a file a person can keep (a formula neutralised). */
  g_assert_true (td_import_save_problems (import, problems, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (problems, &saved, NULL, &error));
  g_assert_nonnull (strstr (saved, "2,类型,"));
  g_assert_nonnull (strstr (saved, "实训室"));

  td_import_set_choice_mapping (import, field, "实训室", "training-base");
  g_assert_true (td_import_preview (import, &error));
  assert_counts (import, 2, 0, 0, 0, 0);
  /* Still listed, with what it now reads as. */
  g_assert_cmpuint (td_import_get_n_unknown_choices (import), ==, 1);
  g_assert_cmpstr (td_import_get_choice_mapping (import, field, "实训室"), ==, "training-base");
  commit_ok (import);
  record = td_record_list_find_by_key (venues, (const char * const[]) { "数控实训中心", "", "", "", "", NULL });
  g_assert_nonnull (record);
  g_assert_cmpstr (value (record, "kind"), ==, "training-base");
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM import_choice_maps WHERE kind = 'venues' "
                                  "AND column_header = '类型' AND value = '实训室' "
                                  "AND choice = 'training-base'"), ==, 1);

  /* A new import of the same sheet: no question. */
  again = preview (f, "venues", path2);
  assert_counts (again, 1, 0, 0, 0, 0);
  commit_ok (again);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (venues)), ==, 3);
}

/* Writing CSV: BOM, CRLF, quotes only where needed. */
static void
test_csv_write (Fixture       *f,
                gconstpointer  data)
{
  const char *cells[] = { "plain", "a,b", "say \"hi\"", "two\nlines", " padded", "", "0531-8888888" };
  g_autoptr(TdTable) table = td_table_new ();
  g_autoptr(TdTable) back = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "out.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  td_table_add_cells (table, 1, cells, G_N_ELEMENTS (cells));
  g_assert_true (td_csv_write (table, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==,
                   "\xEF\xBB\xBFplain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",,0531-8888888\r\n");

  back = td_csv_read_file (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    g_assert_cmpstr (td_table_get_cell (back, 0, i), ==, cells[i]);
}

static void
assert_tables_equal (TdTable *a,
                     TdTable *b)
{
  g_assert_cmpuint (td_table_get_n_rows (a), ==, td_table_get_n_rows (b));
  for (guint r = 0; r < td_table_get_n_rows (a); r++)
    {
      guint na, nb;

      td_table_get_row (a, r, &na);
      td_table_get_row (b, r, &nb);
      g_assert_cmpuint (td_table_get_line (a, r), ==, td_table_get_line (b, r));
      for (guint c = 0; c < MAX (na, nb); c++)
        g_assert_cmpstr (td_table_get_cell (a, r, c), ==, td_table_get_cell (b, r, c));
    }
}

static void
fill_example (Fixture *f)
{
  const TdExampleSize size = { .programmes = 8, .trainers = 20, .venues = 5, .equipment = 60,
                               .guarantees = 4, .years = 2, .results_per_year = 10, .seed = 11 };
  g_autoptr(GError) error = NULL;

  g_assert_true (td_example_fill (f->store, &size, &error));
  g_assert_no_error (error);
}

/* What td-export writes as .xlsx, td-xlsx reads back cell for cell:
 * text stays text, numbers come back without ".0". */
static void
test_xlsx_round_trip (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "equipment.xlsx", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTable) written = NULL;
  g_autoptr(TdTable) read = NULL;
  TdRecordList *l;
  guint n = 0;

  fill_example (f);
  l = list (f, "equipment");
  g_assert_true (td_export_to_file (l, NULL, path, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, g_list_model_get_n_items (G_LIST_MODEL (l)));

  written = td_export_table (l, NULL);
  read = td_xlsx_read (path, &error);
  g_assert_no_error (error);
  assert_tables_equal (written, read);
}

/* A workbook as other programs write it: shared strings, rich text,
 * missing cells, numbers, a date, a percentage, a boolean, a title row. */
static void
test_xlsx_read (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "guarantees.xlsx", NULL);
  lxw_workbook *workbook = workbook_new (path);
  lxw_worksheet *other = workbook_add_worksheet (workbook, "说明");
  lxw_worksheet *sheet = workbook_add_worksheet (workbook, "制度");
  lxw_format *date = workbook_add_format (workbook);
  lxw_format *percent = workbook_add_format (workbook);
  lxw_format *red = workbook_add_format (workbook);
  lxw_datetime adopted = { 2020, 4, 28, 0, 0, 0 };
  lxw_rich_string_tuple run1 = { NULL, "培训" };
  lxw_rich_string_tuple run2 = { red, "管理办法" };
  lxw_rich_string_tuple *runs[] = { &run1, &run2, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTable) table = NULL;
  g_autoptr(TdImport) import = NULL;
  TdRecord *record;

  format_set_num_format (date, "yyyy\"年\"m\"月\"d\"日\"");
  format_set_num_format (percent, "0.0%");
  format_set_font_color (red, LXW_COLOR_RED);

  /* The first sheet is hidden: the first visible one is read. */
  worksheet_write_string (other, 0, 0, "not this one", NULL);
  worksheet_hide (other);
  worksheet_activate (sheet);

  worksheet_write_string (sheet, 0, 0, "2024年制度清单", NULL);
  worksheet_write_string (sheet, 2, 0, "标题", NULL);
  worksheet_write_string (sheet, 2, 1, "类别", NULL);
  worksheet_write_string (sheet, 2, 2, "制定日期", NULL);
  worksheet_write_string (sheet, 2, 3, "内容", NULL);
  worksheet_write_string (sheet, 2, 5, "备注", NULL);
  worksheet_write_rich_string (sheet, 3, 0, runs, NULL);
  worksheet_write_string (sheet, 3, 1, "管理制度", NULL);
  worksheet_write_datetime (sheet, 3, 2, &adopted, date);
  worksheet_write_string (sheet, 3, 3, "第一条\n第二条", NULL);
  worksheet_write_number (sheet, 3, 5, 3, NULL);
  /* Row 5: the title only, a number, and a gap before the last cell. */
  worksheet_write_number (sheet, 4, 0, 20240101, NULL);
  worksheet_write_number (sheet, 4, 4, 0.955, percent);
  worksheet_write_boolean (sheet, 4, 5, 1, NULL);
  /* Row 7 after an empty row 6. */
  worksheet_write_string (sheet, 6, 0, "0531-8888888", NULL);
  worksheet_write_number (sheet, 6, 5, 1200.5, NULL);
  g_assert_cmpint (workbook_close (workbook), ==, LXW_NO_ERROR);

  table = td_xlsx_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (td_table_get_n_rows (table), ==, 5);
  g_assert_cmpuint (td_table_get_line (table, 0), ==, 1);
  g_assert_cmpuint (td_table_get_line (table, 1), ==, 3);
  g_assert_cmpstr (td_table_get_cell (table, 1, 3), ==, "内容");
  g_assert_cmpstr (td_table_get_cell (table, 1, 4), ==, "");
  g_assert_cmpstr (td_table_get_cell (table, 1, 5), ==, "备注");
  g_assert_cmpstr (td_table_get_cell (table, 2, 0), ==, "培训管理办法");
  g_assert_cmpstr (td_table_get_cell (table, 2, 2), ==, "2020-04-28");
  g_assert_cmpstr (td_table_get_cell (table, 2, 3), ==, "第一条\n第二条");
  g_assert_cmpstr (td_table_get_cell (table, 2, 5), ==, "3");
  g_assert_cmpuint (td_table_get_line (table, 3), ==, 5);
  g_assert_cmpstr (td_table_get_cell (table, 3, 0), ==, "20240101");
  g_assert_cmpstr (td_table_get_cell (table, 3, 1), ==, "");
  g_assert_cmpstr (td_table_get_cell (table, 3, 4), ==, "95.5%");
  g_assert_cmpstr (td_table_get_cell (table, 3, 5), ==, "TRUE");
  g_assert_cmpuint (td_table_get_line (table, 4), ==, 7);
  g_assert_cmpstr (td_table_get_cell (table, 4, 0), ==, "0531-8888888");
  g_assert_cmpstr (td_table_get_cell (table, 4, 5), ==, "1200.5");

  import = preview (f, "guarantees", path);
  assert_counts (import, 3, 0, 0, 0, 0);
  g_assert_cmpuint (td_import_get_row_line (import, 0), ==, 4);
  commit_ok (import);
  record = find (f, "guarantees", "培训管理办法");
  g_assert_cmpstr (value (record, "adopted_on"), ==, "2020-04-28");
  g_assert_cmpstr (value (record, "body"), ==, "第一条\n第二条");
}

/* Not a workbook, and not a file we import. */
static void
test_not_a_workbook (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = write_file ("fake.xlsx", "名称,类型\n", -1);
  g_autofree char *ods = write_file ("venues.ods", "", 0);
  g_autofree char *missing = g_build_filename (g_get_user_data_dir (), "missing.xlsx", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdImport) import = NULL;

  import = td_import_new (list (f, "venues"), path, &error);
  g_assert_null (import);
  g_assert_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_NOT_A_TABLE);
  g_clear_error (&error);

  import = td_import_new (list (f, "venues"), ods, &error);
  g_assert_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_FORMAT);
  g_clear_error (&error);

  import = td_import_new (list (f, "venues"), missing, &error);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  g_assert_false (td_export_to_file (list (f, "venues"), NULL, ods, NULL, &error));
  g_assert_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_FORMAT);
}

/* Which value of a row that should be unchanged is not. */
static void
explain_updates (TdRecordList *l,
                 TdImport     *import,
                 const char   *name)
{
  const TdRecordKind *kind = td_record_list_get_kind (l);

  for (guint r = 0; r < td_import_get_n_rows (import); r++)
    {
      const char * const *values = td_import_get_row_values (import, r);
      TdRecord *record;

      if (td_import_get_row_action (import, r) == TD_IMPORT_UNCHANGED ||
          td_import_get_row_action (import, r) == TD_IMPORT_REPLACED)
        continue;
      if (values == NULL)
        g_error ("%s line %u: refused", name, td_import_get_row_line (import, r));
      record = td_record_list_find_by_key (l, values);
      for (guint fi = 0; record && fi < kind->n_fields; fi++)
        if (g_strcmp0 (values[fi], td_record_get (record, fi)) != 0)
          g_error ("%s line %u, %s: “%s” in the file, “%s” in the database", name,
                   td_import_get_row_line (import, r), kind->fields[fi].column, values[fi],
                   td_record_get (record, fi));
      g_error ("%s line %u: %d", name, td_import_get_row_line (import, r), td_import_get_row_action (import, r));
    }
}

static guint
count_keys (TdRecordList *l)
{
  const TdRecordKind *kind = td_record_list_get_kind (l);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (l)); i++)
    {
      g_autoptr(TdRecord) record = g_list_model_get_item (G_LIST_MODEL (l), i);
      GString *key = g_string_new (NULL);

      for (guint f = 0; f < kind->n_fields; f++)
        if (kind->fields[f].flags & TD_FIELD_KEY)
          g_string_append_printf (key, "%s\x1f", td_record_get (record, f));
      g_hash_table_add (keys, g_string_free (key, FALSE));
    }
  return g_hash_table_size (keys);
}

/* Every kind, exported and imported again, as CSV and as xlsx: all
 * unchanged, nothing written. Records that share a key (the example
 * school has such equipment) come back as one unchanged row each and the
 * rest as duplicates of the file: still nothing written. */
static void
test_export_round_trip (Fixture       *f,
                        gconstpointer  data)
{
  guint n_kinds;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);
  const char *extensions[] = { "csv", "xlsx", "CSV" };
  gint64 audit;

  fill_example (f);
  audit = count_audit (f);

  for (guint k = 0; k < n_kinds; k++)
    for (guint e = 0; e < G_N_ELEMENTS (extensions); e++)
      {
        TdRecordList *l = list (f, kinds[k]->id);
        g_autofree char *name = g_strdup_printf ("%s.%s", kinds[k]->id, extensions[e]);
        g_autofree char *path = g_build_filename (g_get_user_data_dir (), name, NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(TdImport) import = NULL;
        guint n_records = g_list_model_get_n_items (G_LIST_MODEL (l));
        guint n_keys = count_keys (l);
        guint n = 0;

        g_assert_cmpuint (n_records, >, 0);
        g_assert_true (td_export_to_file (l, NULL, path, &n, &error));
        g_assert_no_error (error);
        g_assert_cmpuint (n, ==, n_records);

        import = preview (f, kinds[k]->id, path);
        if (td_import_get_n_problems (import) > 0)
          g_error ("%s line %u, %s: %s", name, td_import_get_problem (import, 0)->line,
                   td_import_get_problem (import, 0)->column, td_import_get_problem (import, 0)->message);
        explain_updates (l, import, name);
        assert_counts (import, 0, 0, n_keys, n_records - n_keys, 0);
        commit_ok (import);
        g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (l)), ==, n_records);
      }
  g_assert_cmpint (count_audit (f), ==, audit);
}

/* Records that share a key: a row equal to one of them is that one; a row
 * that would change one of them is refused, as nobody can tell which. */
static void
test_shared_key (Fixture       *f,
                 gconstpointer  data)
{
  const char *twice =
    "名称,型号,数量,单价,场所,购置年份,状态\n"
    "台钻,Z4116,2,1200,一号教室,2018,在用\n"
    "台钻,Z4116,1,1300,一号教室,2021,在用\n";
  const char *changed =
    "名称,型号,数量,单价,场所,购置年份,状态\n"
    "台钻,Z4116,1,1300,一号教室,2021,在用\n"
    "台钻,Z4116,5,1300,一号教室,2022,在用\n";
  const char *inputs[][7] = {
    { "台钻", "Z4116", "2", "1200", "一号教室", "2018", "在用" },
    { "台钻", "Z4116", "1", "1300", "一号教室", "2021", "在用" },
  };
  g_autofree char *twice_path = write_file ("twice.csv", twice, -1);
  g_autofree char *changed_path = write_file ("changed.csv", changed, -1);
  g_autoptr(TdImport) same = NULL;
  g_autoptr(TdImport) refused = NULL;
  g_autoptr(GError) error = NULL;
  TdRecordList *l;
  gint64 audit;

  add_venues (f);
  l = list (f, "equipment");
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_assert_nonnull (td_record_list_add (l, inputs[i], NULL, &error));
      g_assert_no_error (error);
    }
  audit = count_audit (f);

  same = preview (f, "equipment", twice_path);
  assert_counts (same, 0, 0, 1, 1, 0);
  commit_ok (same);

  refused = preview (f, "equipment", changed_path);
  assert_counts (refused, 0, 0, 1, 0, 1);
  g_assert_cmpuint (td_import_get_problem (refused, 0)->line, ==, 3);
  g_assert_cmpstr (td_import_get_problem (refused, 0)->column, ==, "名称");
  g_assert_nonnull (strstr (td_import_get_problem (refused, 0)->message, "名称、型号、场所"));
  g_assert_false (td_import_commit (refused, &error));
  g_assert_cmpint (count_audit (f), ==, audit);
}

/* The export of a filtered list: only what is shown. */
static void
test_export_some (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "some.csv", NULL);
  g_autoptr(GListStore) some = g_list_store_new (TD_TYPE_RECORD);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTable) table = NULL;
  TdRecordList *l;
  guint n = 0;

  add_venues (f);
  l = list (f, "venues");
  g_list_store_append (some, find (f, "venues", "一号教室"));
  g_assert_true (td_export_to_file (l, G_LIST_MODEL (some), path, &n, &error));
  g_assert_cmpuint (n, ==, 1);
  table = td_csv_read_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (td_table_get_n_rows (table), ==, 2);
  g_assert_cmpstr (td_table_get_cell (table, 0, 1), ==, "类型");
  g_assert_cmpstr (td_table_get_cell (table, 1, 1), ==, "教室");
}

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* What a window does: preview and commit off the main thread; cancelled,
 * nothing is written. */
static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  const char *csv =
    "名称,型号,数量,单价,场所,购置年份,状态\n"
    "数控车床,CK6140,3,85000,数控实训中心,2019,在用\n"
    "投影仪,EB-X51,1,4500,一号教室,2021,闲置\n";
  g_autofree char *path = write_file ("equipment.csv", csv, -1);
  g_autoptr(TdImport) import = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) previewed = NULL;
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(GAsyncResult) committed = NULL;
  g_autoptr(GError) error = NULL;
  gint64 audit;

  add_venues (f);
  audit = count_audit (f);
  import = open_import (f, "equipment", path);

  td_import_preview_async (import, NULL, async_done_cb, &previewed);
  g_assert_true (td_import_preview_finish (import, wait_for (&previewed), &error));
  g_assert_no_error (error);
  assert_counts (import, 2, 0, 0, 0, 0);

  g_cancellable_cancel (cancellable);
  td_import_commit_async (import, cancellable, async_done_cb, &cancelled);
  g_assert_false (td_import_commit_finish (import, wait_for (&cancelled), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM equipment"), ==, 0);
  g_assert_cmpint (count_audit (f), ==, audit);

  td_import_commit_async (import, NULL, async_done_cb, &committed);
  g_assert_true (td_import_commit_finish (import, wait_for (&committed), &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM equipment"), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list (f, "equipment"))), ==, 2);
  g_assert_cmpuint (td_import_get_count (import, TD_IMPORT_NEW), ==, 2);
}

/* The templates of docs/templates import as documented: each in the order
 * of docs/import.md, with the headers of the field tables. */
static void
test_templates (Fixture       *f,
                gconstpointer  data)
{
  const char *order[] = { "venues", "equipment", "programmes", "trainers", "guarantees", "results" };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autofree char *name = g_strconcat (order[i], ".csv", NULL);
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "templates", name, NULL);
      const TdRecordKind *kind = td_record_kind_lookup (order[i]);
      g_autoptr(TdImport) import = preview (f, order[i], path);
      g_autoptr(GError) error = NULL;
      g_autoptr(TdTable) table = td_csv_read_file (path, &error);
      g_autofree char *contents = NULL;

      g_assert_no_error (error);
      for (guint fi = 0; fi < kind->n_fields; fi++)
        g_assert_cmpstr (td_table_get_cell (table, 0, fi), ==, kind->fields[fi].header);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF"));

      if (td_import_get_n_problems (import) > 0)
        g_error ("%s line %u, %s: %s", name, td_import_get_problem (import, 0)->line,
                 td_import_get_problem (import, 0)->column, td_import_get_problem (import, 0)->message);
      assert_counts (import, 2, 0, 0, 0, 0);
      commit_ok (import);
    }
}

/* @n guarantees as a CSV, one of them (line @bad_line, when not 0) with
 * a date that is no date. */
static char *
write_guarantees (const char *name,
                  guint       n,
                  guint       bad_line)
{
  g_autoptr(GString) csv = g_string_new ("标题,类别,制定日期,内容\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "培训制度第%u号,管理制度,%s,第%u条内容\n", i,
                            i + 2 == bad_line ? "2020-13-45" : "2021-03-01", i);
  return write_file (name, csv->str, csv->len);
}

typedef struct
{
  GArray   *fractions;
  double    cancel_at;  /* td_import_cancel() once this far; > 1: never */
  gboolean  cancelled;
} Progress;

static void
progress_cb (TdImport *import,
             double    fraction,
             gpointer  user_data)
{
  Progress *progress = user_data;

  g_array_append_val (progress->fractions, fraction);
  if (!progress->cancelled && fraction >= progress->cancel_at)
    {
      progress->cancelled = TRUE;
      td_import_cancel (import);
    }
}

/* Progress only ever grows, within [0, 1], and ends at 1. */
static void
assert_progress (Progress *progress)
{
  g_assert_cmpuint (progress->fractions->len, >, 2);
  for (guint i = 0; i < progress->fractions->len; i++)
    {
      double fraction = g_array_index (progress->fractions, double, i);

      g_assert_cmpfloat (fraction, >=, 0.0);
      g_assert_cmpfloat (fraction, <=, 1.0);
      if (i > 0)
        g_assert_cmpfloat (fraction, >, g_array_index (progress->fractions, double, i - 1));
    }
  g_assert_cmpfloat (g_array_index (progress->fractions, double, progress->fractions->len - 1), ==, 1.0);
}

/* Cancelled half-way through its transaction, an import leaves the
 * store as it was: no row, no audit entry. Then it can run again. */
static void
test_cancel_halfway (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = write_guarantees ("cancel.csv", 5000, 0);
  g_autoptr(TdImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  Progress progress = { fractions, 0.5, FALSE };
  gint64 audit, rows;

  add_venues (f);
  audit = count_audit (f);
  rows = count_rows (f, "SELECT count(*) FROM guarantee");
  import = preview (f, "guarantees", path);
  assert_counts (import, 5000, 0, 0, 0, 0);

  td_import_set_progress_func (import, progress_cb, &progress);
  g_assert_false (td_import_commit (import, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (progress.cancelled);
  /* Stopped between rows, not at the end. */
  g_assert_cmpfloat (td_import_get_progress (import), <, 1.0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee"), ==, rows);
  g_assert_cmpint (count_audit (f), ==, audit);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list (f, "guarantees"))), ==, 0);

  /* Again, not cancelled: every row. */
  g_array_set_size (fractions, 0);
  progress.cancel_at = 2.0;
  commit_ok (import);
  assert_progress (&progress);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee"), ==, rows + 5000);
  g_assert_cmpint (count_audit (f), ==, audit + 5000);
}

/* Progress of a preview, and of a commit that judges the rows itself,
 * grows to 1. */
static void
test_progress (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = write_guarantees ("progress.csv", 3000, 0);
  g_autoptr(TdImport) import = open_import (f, "guarantees", path);
  g_autoptr(TdImport) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  Progress progress = { fractions, 2.0, FALSE };

  td_import_set_progress_func (import, progress_cb, &progress);
  g_assert_true (td_import_preview (import, &error));
  g_assert_no_error (error);
  assert_progress (&progress);

  /* A commit with no preview first: judging, then writing, in one run. */
  again = open_import (f, "guarantees", path);
  g_array_set_size (fractions, 0);
  td_import_set_progress_func (again, progress_cb, &progress);
  commit_ok (again);
  assert_progress (&progress);
  g_assert_cmpfloat (td_import_get_progress (again), ==, 1.0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee"), ==, 3000);
}

/* A bad row at the very end of a large file: nothing of the rows before
 * it is written, committed with or without a preview first. */
static void
test_bad_row_at_end (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = write_guarantees ("bad-end.csv", 4000, 4001);
  g_autoptr(TdImport) import = NULL;
  g_autoptr(GError) error = NULL;
  gint64 audit;

  add_venues (f);
  audit = count_audit (f);

  import = open_import (f, "guarantees", path);
  g_assert_false (td_import_commit (import, &error));
  g_assert_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_BAD_ROWS);
  g_clear_error (&error);
  assert_counts (import, 3999, 0, 0, 0, 1);
  g_assert_cmpuint (td_import_get_problem (import, 0)->line, ==, 4001);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee"), ==, 0);
  g_assert_cmpint (count_audit (f), ==, audit);

  g_clear_object (&import);
  import = preview (f, "guarantees", path);
  g_assert_false (td_import_commit (import, &error));
  g_assert_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_BAD_ROWS);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee"), ==, 0);
  g_assert_cmpint (count_audit (f), ==, audit);
}

/* A file of @n guarantees, read row by row (more than the rows an
 * import reads up front): @dup_of's title again at row @dup_at, with its
 * own text; a bad date at @bad_at (0: none). Rows count from 0. */
static char *
write_long_guarantees (const char *name,
                       guint       n,
                       guint       dup_of,
                       guint       dup_at,
                       guint       bad_at,
                       const char *prefix)
{
  g_autoptr(GString) csv = g_string_new ("标题,类别,制定日期,内容\r\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "%s制度第%u号,管理制度,%s,\"第%u条\r\n内容\"\r\n", prefix,
                            i == dup_at ? dup_of : i, i == bad_at && bad_at ? "2020-13-45" : "2021-03-01", i);
  return write_file (name, csv->str, csv->len);
}

/* New rows are written many to a statement (td-record-list-writes.c):
 * every row, once, in the file's order, each with its audit entry. */
static void
test_write_batched (Fixture       *f,
                    gconstpointer  data)
{
  /* Three statements' worth and four rows more, two lines a row. */
  g_autofree char *path = write_long_guarantees ("batched.csv", 100, 0, G_MAXUINT, 0, "");
  g_autoptr(TdImport) import = preview (f, "guarantees", path);
  sqlite3 *db = td_store_get_db (f->store);
  sqlite3_stmt *stmt = NULL;
  gint64 audit = count_audit (f);
  guint i = 0;

  assert_counts (import, 100, 0, 0, 0, 0);
  commit_ok (import);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT title, body FROM guarantee ORDER BY id", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (; sqlite3_step (stmt) == SQLITE_ROW; i++)
    {
      g_autofree char *title = g_strdup_printf ("制度第%u号", i);
      g_autofree char *content = g_strdup_printf ("第%u条\n内容", i);

      g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, title);
      g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 1), ==, content);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (i, ==, 100);
  g_assert_cmpint (count_audit (f), ==, audit + 100);
  g_assert_cmpint (count_rows (f, "SELECT count(DISTINCT row_uuid) FROM audit_log "
                                  "WHERE table_name = 'guarantee' AND action = 'insert'"), ==, 100);
}

/* A row refused while written (a trigger here), first in a statement of
 * many, in the middle of one, or among the last rows written one by one:
 * the error names its line, and nothing of the file is written. */
static void
test_write_refused_row (Fixture       *f,
                        gconstpointer  data)
{
  const guint refused[] = { 0, 50, 98 };
  g_autofree char *path = write_long_guarantees ("refused.csv", 100, 0, G_MAXUINT, 0, "");
  gint64 audit = count_audit (f);

  for (guint k = 0; k < G_N_ELEMENTS (refused); k++)
    {
      g_autoptr(TdImport) import = preview (f, "guarantees", path);
      g_autoptr(GError) error = NULL;
      g_autofree char *trigger =
        g_strdup_printf ("CREATE TEMP TRIGGER refuse BEFORE INSERT ON guarantee "
                         "WHEN NEW.title = '制度第%u号' BEGIN SELECT RAISE (ABORT, 'refused'); END", refused[k]);
      /* Row i starts on line 2 + 2 i: the header, then two lines a row. */
      g_autofree char *expected = g_strdup_printf ("Line %u: ", 2 + 2 * refused[k]);

      g_assert_true (td_store_exec (f->store, trigger, &error));
      g_assert_no_error (error);
      assert_counts (import, 100, 0, 0, 0, 0);
      g_assert_false (td_import_commit (import, &error));
      g_assert_nonnull (error);
      g_test_message ("refused row %u: %s", refused[k], error->message);
      g_assert_true (g_str_has_prefix (error->message, expected));
      g_assert_nonnull (strstr (error->message, "refused"));
      g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee"), ==, 0);
      g_assert_cmpint (count_audit (f), ==, audit);
      g_clear_error (&error);
      g_assert_true (td_store_exec (f->store, "DROP TRIGGER temp.refuse", &error));
      g_assert_no_error (error);
    }
}

/* The database full halfway through (its size capped, as a full disk
 * would stop it): the import says so, nothing of it is written, and the
 * same import goes through once there is room. */
static void
test_write_full (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = write_guarantees ("full.csv", 3000, 0);
  g_autoptr(TdImport) import = preview (f, "guarantees", path);
  g_autoptr(GError) error = NULL;
  g_autofree char *cap = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT,
                                          count_rows (f, "PRAGMA page_count") + 8);
  gint64 audit = count_audit (f);

  assert_counts (import, 3000, 0, 0, 0, 0);
  g_assert_true (td_store_exec (f->store, cap, &error));
  g_assert_no_error (error);
  g_assert_false (td_import_commit (import, &error));
  g_assert_nonnull (error);
  g_test_message ("full: %s", error->message);
  /* The disk's fault, not a row's: no line named. */
  g_assert_error (error, TD_STORE_ERROR, TD_STORE_ERROR_FULL);
  g_assert_true (g_str_has_prefix (error->message, "The disk is full"));
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee"), ==, 0);
  g_assert_cmpint (count_audit (f), ==, audit);
  g_clear_error (&error);

  g_assert_true (td_store_exec (f->store, "PRAGMA max_page_count = 1073741823", &error));
  g_assert_no_error (error);
  commit_ok (import);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee"), ==, 3000);
  g_assert_cmpint (count_audit (f), ==, audit + 3000);
}

/* The reader gives, row by row, the very rows and lines that reading the
 * file whole gives, in each encoding, across its blocks (1 MiB), with
 * quoted line breaks, doubled quotes, neutralised formulas, empty cells
 * and a last line without its end; and again after rewinding. */
static void
test_reader_same_rows (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const struct {
    const char *name;
    const char *bom;
    const char *charset;
    const char *delimiter;
  } encodings[] = {
    { "utf8-bom.csv", "\xEF\xBB\xBF", NULL, "," },
    { "utf8.csv", "", NULL, "," },
    { "gb18030.csv", "", "GB18030", "," },
    { "utf16.txt", "\xEF\xBB\xBF", "UTF-16LE", "\t" },
  };

  for (guint e = 0; e < G_N_ELEMENTS (encodings); e++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TdTable) table = NULL;
      g_autoptr(TdCsvReader) reader = NULL;
      g_autofree char *path = NULL;
      g_autofree char *bytes = NULL;
      const char *d = encodings[e].delimiter;
      gsize length = 0;

      g_string_assign (text, encodings[e].bom);
      g_string_append_printf (text, "名称%s型号%s数量\r\n", d, d);
      for (guint i = 0; text->len < 3 * 1024 * 1024; i++)
        switch (i % 5)
          {
          case 0:
            g_string_append_printf (text, "\"车床%u\r\n（第%u台）\"%s\"CK\"\"6140\"\"\"%s%u\r\n", i, i, d, d, i);
            break;
          case 1:
            g_string_append_printf (text, "'=SUM(A%u)%s%s\n", i, d, d);
            break;
          case 2:
            g_string_append_printf (text, "%s%s\r\n", d, d);
            break;
          case 3:
            g_string_append_printf (text, "万用表%u%s\"UT61E\nB\"%s%u\r", i, d, d, i);
            break;
          default:
            g_string_append_printf (text, "台钻%u%sZ4116%s%u\n", i, d, d, i);
          }
      g_string_append_printf (text, "最后一行%s没有换行%s1", d, d);

      if (encodings[e].charset)
        {
          bytes = g_convert (text->str, text->len, encodings[e].charset, "UTF-8", NULL, &length, &error);
          g_assert_no_error (error);
        }
      else
        {
          length = text->len;
          bytes = g_strndup (text->str, length);
        }
      path = write_file (encodings[e].name, bytes, length);

      table = td_csv_read_file (path, &error);
      g_assert_no_error (error);
      reader = td_csv_reader_new (path, &error);
      g_assert_no_error (error);
      for (guint pass = 0; pass < 2; pass++)
        {
          const char * const *cells;
          guint n_cells, line, r = 0;
          double fraction = 0.0;

          while (td_csv_reader_next (reader, &cells, &n_cells, &line, &error))
            {
              guint want_cells;
              const char * const *want = td_table_get_row (table, r, &want_cells);

              g_assert_cmpuint (line, ==, td_table_get_line (table, r));
              g_assert_cmpuint (n_cells, ==, want_cells);
              for (guint c = 0; c < n_cells; c++)
                g_assert_cmpstr (cells[c], ==, want[c]);
              g_assert_cmpfloat (td_csv_reader_get_fraction (reader), >=, fraction);
              fraction = td_csv_reader_get_fraction (reader);
              r++;
            }
          g_assert_no_error (error);
          g_assert_cmpuint (r, ==, td_table_get_n_rows (table));
          g_assert_cmpuint (r, >, 10000);
          g_assert_cmpfloat (td_csv_reader_get_fraction (reader), ==, 1.0);
          g_assert_true (td_csv_reader_rewind (reader, &error));
          g_assert_no_error (error);
        }
      g_assert_cmpstr (td_table_get_cell (table, td_table_get_n_rows (table) - 1, 1), ==, "没有换行");
    }
}

/* Reader and whole read agree on the fuzzing corpus and on small edge
 * cases: the same rows, lines and cells, or both refuse the file. */
static void
reader_matches_whole (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) reader_error = NULL;
  g_autoptr(TdTable) table = td_csv_read_file (path, &error);
  g_autoptr(TdCsvReader) reader = td_csv_reader_new (path, &reader_error);
  const char * const *cells;
  guint n_cells, line, r = 0;

  if (reader != NULL)
    while (td_csv_reader_next (reader, &cells, &n_cells, &line, &reader_error))
      {
        guint want_cells;
        const char * const *want;

        g_assert_nonnull (table);
        g_assert_cmpuint (r, <, td_table_get_n_rows (table));
        want = td_table_get_row (table, r, &want_cells);
        g_assert_cmpuint (line, ==, td_table_get_line (table, r));
        g_assert_cmpuint (n_cells, ==, want_cells);
        for (guint c = 0; c < n_cells; c++)
          g_assert_cmpstr (cells[c], ==, want[c]);
        r++;
      }
  if (table == NULL)
    {
      g_assert_nonnull (reader_error);
      g_assert_cmpint (reader_error->code, ==, error->code);
      return;
    }
  g_assert_no_error (reader_error);
  g_assert_cmpuint (r, ==, td_table_get_n_rows (table));
}

static void
test_reader_corpus (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "csv", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *edges[] = {
    "", "\xEF\xBB\xBF", "a", "a\r", "a\r\n", "\r\n\r\n", "a,\"b\"\"", "a,\"b\"\"\"\n",
    "\"x\ny\"z,1\n2", "\"open", "a\tb\n\"c\td\"\te", "'=1,'+2\n", "a,b\x00" "c\n", "\xFF\xFEx\x00",
    "\xFE\xFF\x00x\x00,\x00y", "\xD7\xD6,\xB7\xFB\n", "a,\"\r\n\",b\r\n",
  };
  const gsize lengths[] = { 0, 3, 1, 2, 3, 4, 6, 8, 10, 5, 11, 8, 6, 4, 8, 6, 10 };
  guint n = 0;

  G_STATIC_ASSERT (G_N_ELEMENTS (edges) == G_N_ELEMENTS (lengths));
  g_assert_nonnull (listing);
  for (const char *name; (name = g_dir_read_name (listing)); n++)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      reader_matches_whole (path);
    }
  g_assert_cmpuint (n, >=, 5);
  for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
    {
      g_autofree char *path = write_file ("edge.csv", edges[i], lengths[i]);

      g_test_message ("edge case %u", i);
      reader_matches_whole (path);
    }
}

/* Bad bytes past the first block are found while reading, with their
 * line; a quote never closed at the end of a long file too. */
static void
test_reader_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("\xEF\xBB\xBF名称,型号\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(TdCsvReader) reader = NULL;
  g_autofree char *bad_utf8 = NULL;
  g_autofree char *open_quote = NULL;
  const char * const *cells;
  guint n_cells, line, rows = 0;

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (csv, "台钻%u,Z4116\n", i);
  g_string_append (csv, "坏\xFF,Z\n");
  bad_utf8 = write_file ("bad-utf8.csv", csv->str, csv->len);
  g_string_truncate (csv, csv->len - strlen ("坏\xFF,Z\n"));
  g_string_append (csv, "\"没有结束,Z\n1,2\n");
  open_quote = write_file ("open-quote.csv", csv->str, csv->len);

  reader = td_csv_reader_new (bad_utf8, &error);
  g_assert_no_error (error);
  while (td_csv_reader_next (reader, &cells, &n_cells, &line, &error))
    rows++;
  g_assert_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "100002"));
  g_assert_cmpuint (rows, ==, 100001);
  g_clear_error (&error);
  g_clear_pointer (&reader, td_csv_reader_free);

  reader = td_csv_reader_new (open_quote, &error);
  g_assert_no_error (error);
  while (td_csv_reader_next (reader, &cells, &n_cells, &line, &error))
    ;
  g_assert_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "100002"));
}

/* A file longer than the rows read up front: checked and written in two
 * passes over it. A row whose key a later row has, 2,000 rows further,
 * is left out (named with its line and the winner's); a bad row near the
 * end refuses the file, named by its line, and nothing is written. */
static void
test_stream_duplicates (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *bad = write_long_guarantees ("stream-bad.csv", 3000, 5, 2500, 2900, "");
  g_autofree char *good = write_long_guarantees ("stream.csv", 3000, 5, 2500, 0, "");
  g_autoptr(TdImport) import = NULL;
  g_autoptr(GError) error = NULL;
  guint by = 0;
  gint64 audit = count_audit (f);

  import = preview (f, "guarantees", bad);
  assert_counts (import, 2998, 0, 0, 1, 1);
  g_assert_cmpuint (td_import_get_n_problems (import), ==, 1);
  /* Row 2900 starts at line 2 + 2 × 2900. */
  g_assert_cmpuint (td_import_get_problem (import, 0)->line, ==, 5802);
  g_assert_false (td_import_commit (import, &error));
  g_assert_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_BAD_ROWS);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee"), ==, 0);
  g_assert_cmpint (count_audit (f), ==, audit);
  g_clear_object (&import);

  import = preview (f, "guarantees", good);
  assert_counts (import, 2999, 0, 0, 1, 0);
  g_assert_cmpuint (td_import_get_n_replaced (import), ==, 1);
  g_assert_cmpuint (td_import_get_replaced (import, 0, &by), ==, 12);
  g_assert_cmpuint (by, ==, 5002);
  /* Row 5 is among the rows kept to show: it says so too. */
  g_assert_cmpuint (td_import_get_row_action (import, 5), ==, TD_IMPORT_REPLACED);
  g_assert_cmpuint (td_import_get_replaced_by (import, 5), ==, 5002);
  g_assert_cmpuint (td_import_get_n_rows (import), <, 3000);
  commit_ok (import);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee"), ==, 2999);
  g_assert_cmpint (count_audit (f), ==, audit + 2999);
  /* The later row's text won. */
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee WHERE title = '制度第5号' "
                                  "AND body = '第2500条\n内容'"), ==, 1);
  g_clear_object (&import);

  /* Again: every row is there as it is, the duplicate still left out. */
  import = preview (f, "guarantees", good);
  assert_counts (import, 0, 0, 2999, 1, 0);
  commit_ok (import);
  g_assert_cmpint (count_audit (f), ==, audit + 2999);
}

/* A file changed between its check and the commit is refused, nothing
 * written; checked again, it imports. */
static void
test_stream_changed (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = write_long_guarantees ("changed.csv", 3000, 0, 0, 0, "");
  g_autoptr(TdImport) import = preview (f, "guarantees", path);
  g_autoptr(GError) error = NULL;
  gint64 audit = count_audit (f);

  assert_counts (import, 3000, 0, 0, 0, 0);
  /* Every title changed, as many rows. */
  g_free (write_long_guarantees ("changed.csv", 3000, 0, 0, 0, "新"));
  g_assert_false (td_import_commit (import, &error));
  g_assert_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_CHANGED);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee"), ==, 0);
  g_assert_cmpint (count_audit (f), ==, audit);

  g_assert_true (td_import_preview (import, &error));
  g_assert_no_error (error);
  commit_ok (import);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee WHERE title LIKE '新%'"), ==, 3000);
}

/* Every row bad: the problems listed stop at TD_LIMIT_IMPORT_PROBLEMS,
 * the rest counted, every bad row counted. */
static void
test_problems_capped (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("标题,类别,制定日期,内容\n");
  g_autoptr(TdImport) import = NULL;
  g_autofree char *path = NULL;

  for (guint i = 0; i < 12000; i++)
    g_string_append_printf (csv, "制度%u,管理制度,2020-13-45,内容\n", i);
  path = write_file ("all-bad.csv", csv->str, csv->len);
  import = preview (f, "guarantees", path);
  assert_counts (import, 0, 0, 0, 0, 12000);
  g_assert_cmpuint (td_import_get_n_problems (import), ==, TD_LIMIT_IMPORT_PROBLEMS);
  g_assert_cmpuint (td_import_get_n_problems_left_out (import), ==, 12000 - TD_LIMIT_IMPORT_PROBLEMS);
  g_assert_cmpuint (td_import_get_problem (import, TD_LIMIT_IMPORT_PROBLEMS - 1)->line, ==,
                    TD_LIMIT_IMPORT_PROBLEMS + 1);
}

/* A CSV file of @n guarantees made into a workbook: the same rows,
 * through libxlsxwriter (its strings inline, as in constant memory). */
static char *
write_long_guarantees_xlsx (const char *name,
                            guint       n,
                            const char *prefix,
                            TdTable   **rows)
{
  g_autofree char *csv = write_long_guarantees ("for-xlsx.csv", n, 0, 0, 0, prefix);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTable) table = td_csv_read_file (csv, &error);

  g_assert_no_error (error);
  g_assert_true (td_xlsx_write (table, path, "制度", NULL, &error));
  g_assert_no_error (error);
  if (rows)
    *rows = g_steal_pointer (&table);
  return g_steal_pointer (&path);
}

/* A workbook is read row by row as a CSV file is: the rows the whole
 * read gives, twice over, the fraction growing to 1; and the import
 * streams it (not every row kept to show), reads the file again at the
 * commit (a workbook saved anew in between is refused) and writes every
 * row. */
static void
test_xlsx_stream (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TdTable) want = NULL;
  g_autofree char *path = write_long_guarantees_xlsx ("stream.xlsx", 5000, "", &want);
  g_autoptr(TdXlsxReader) reader = NULL;
  g_autoptr(TdTable) whole = NULL;
  g_autoptr(TdImport) import = NULL;
  g_autoptr(GError) error = NULL;

  whole = td_xlsx_read (path, &error);
  g_assert_no_error (error);
  /* The same cells (a sheet's rows are numbered 1, 2, 3…, not by line). */
  g_assert_cmpuint (td_table_get_n_rows (whole), ==, td_table_get_n_rows (want));
  for (guint r = 0; r < td_table_get_n_rows (want); r++)
    {
      guint n_want, n_whole;
      const char * const *w = td_table_get_row (want, r, &n_want);
      const char * const *h = td_table_get_row (whole, r, &n_whole);

      g_assert_cmpuint (td_table_get_line (whole, r), ==, r + 1);
      g_assert_cmpuint (n_whole, ==, n_want);
      for (guint c = 0; c < n_want; c++)
        g_assert_cmpstr (h[c], ==, w[c]);
    }

  reader = td_xlsx_reader_new (path, &error);
  g_assert_no_error (error);
  for (guint pass = 0; pass < 2; pass++)
    {
      const char * const *cells;
      guint n_cells, line, r = 0;
      double fraction = 0.0;

      while (td_xlsx_reader_next (reader, &cells, &n_cells, &line, &error))
        {
          guint want_cells;
          const char * const *w = td_table_get_row (whole, r, &want_cells);

          g_assert_cmpuint (line, ==, td_table_get_line (whole, r));
          g_assert_cmpuint (n_cells, ==, want_cells);
          for (guint c = 0; c < n_cells; c++)
            g_assert_cmpstr (cells[c], ==, w[c]);
          g_assert_cmpfloat (td_xlsx_reader_get_fraction (reader), >=, fraction);
          fraction = td_xlsx_reader_get_fraction (reader);
          r++;
        }
      g_assert_no_error (error);
      g_assert_cmpuint (r, ==, 5001);
      g_assert_cmpfloat (td_xlsx_reader_get_fraction (reader), ==, 1.0);
      g_assert_true (td_xlsx_reader_rewind (reader, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpstr (td_table_get_cell (whole, 5000, 0), ==, "制度第4999号");

  /* Changed between its check and the commit: refused, nothing written;
   * checked again, it imports. */
  import = preview (f, "guarantees", path);
  assert_counts (import, 5000, 0, 0, 0, 0);
  g_assert_cmpuint (td_import_get_n_rows (import), <, 5000);
  g_free (write_long_guarantees_xlsx ("stream.xlsx", 5000, "新", NULL));
  g_assert_false (td_import_commit (import, &error));
  g_assert_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_CHANGED);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee"), ==, 0);

  g_assert_true (td_import_preview (import, &error));
  g_assert_no_error (error);
  commit_ok (import);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee"), ==, 5000);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM guarantee WHERE title = '新制度第4999号' "
                                  "AND body = '第4999条\n内容'"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/import/csv/gb18030", test_gb18030);
  ADD ("/import/csv/bom-crlf", test_bom_crlf);
  ADD ("/import/csv/quotes", test_quotes);
  ADD ("/import/csv/truncated-last-line", test_truncated_last_line);
  ADD ("/import/csv/unterminated-quote", test_unterminated_quote);
  ADD ("/import/csv/bad-encoding", test_bad_encoding);
  ADD ("/import/csv/utf16", test_utf16);
  ADD ("/import/csv/50-mb", test_large_file);
  ADD ("/import/csv/write", test_csv_write);
  ADD ("/import/csv/reader-same-rows", test_reader_same_rows);
  ADD ("/import/csv/reader-errors", test_reader_errors);
  ADD ("/import/csv/reader-corpus", test_reader_corpus);
  ADD ("/import/stream/duplicates", test_stream_duplicates);
  ADD ("/import/stream/changed", test_stream_changed);
  ADD ("/import/stream/problems-capped", test_problems_capped);
  ADD ("/import/bad-row", test_bad_row);
  ADD ("/import/bad-row-at-end", test_bad_row_at_end);
  ADD ("/import/cancel-halfway", test_cancel_halfway);
  ADD ("/import/progress", test_progress);
  ADD ("/import/headers/unknown-and-missing", test_headers);
  ADD ("/import/headers/english", test_english_headers);
  ADD ("/import/headers/mapping", test_mapping);
  ADD ("/import/headers/column-samples", test_column_samples);
  ADD ("/import/twice", test_twice);
  ADD ("/import/references", test_references);
  ADD ("/import/references/create-missing", test_create_missing);
  ADD ("/import/references/create-missing-rollback", test_create_missing_rollback);
  ADD ("/import/write/batched", test_write_batched);
  ADD ("/import/write/refused-row", test_write_refused_row);
  ADD ("/import/write/full", test_write_full);
  ADD ("/import/choice-mapping", test_choice_mapping);
  ADD ("/import/xlsx/round-trip", test_xlsx_round_trip);
  ADD ("/import/xlsx/read", test_xlsx_read);
  ADD ("/import/xlsx/not-a-workbook", test_not_a_workbook);
  ADD ("/import/xlsx/stream", test_xlsx_stream);
  ADD ("/import/export/round-trip", test_export_round_trip);
  ADD ("/import/export/some", test_export_some);
  ADD ("/import/shared-key", test_shared_key);
  ADD ("/import/templates", test_templates);
  ADD ("/import/async", test_async);
#undef ADD

  return g_test_run ();
}
