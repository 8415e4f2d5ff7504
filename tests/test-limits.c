/* test-limits.c: hostile inputs refused, within a memory bound (issue 12)
 *
 * Each bomb is built here, in the test's own data folder: a zip whose sheet
 * expands to hundreds of MB, rows with a cell in column XFD, millions of
 * shared strings, a cell of 100 MB. Each is read in a subprocess under
 * RLIMIT_AS (setrlimit, as `prlimit --as` does), so a reader that tried to
 * hold what the file expands to dies there and the test fails; the
 * subprocess asserts the refusal and its message. Under AddressSanitizer,
 * whose shadow memory needs terabytes of address space, only the bound is
 * left out.
 *
 * Also: CSV cells a spreadsheet would run as formulas, written by the
 * export and opened by LibreOffice (soffice --headless --convert-to);
 * JSON documents with a \u0000, a member twice, too large; texts too long;
 * values quoted in messages; a header row 20 MB wide.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "td-campaign.h"
#include "td-canonical-json.h"
#include "td-csv.h"
#include "td-export.h"
#include "td-form-json.h"
#include "td-import.h"
#include "td-limits.h"
#include "td-read-file.h"
#include "td-store.h"
#include "td-test-bombs.h"
#include "td-test-pipe.h"
#include "td-xlsx.h"

#if defined(__SANITIZE_ADDRESS__)
# define TD_TEST_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define TD_TEST_ASAN 1
# endif
#endif

/* What a reading process may map: libraries, a store, a 50,000-row sheet. */
#define MEMORY_BOUND (512 * 1024 * 1024)

static void
bound_memory (void)
{
#ifndef TD_TEST_ASAN
  struct rlimit limit = { MEMORY_BOUND, MEMORY_BOUND };

  g_assert_cmpint (setrlimit (RLIMIT_AS, &limit), ==, 0);
#endif
}

/* Deflate's level: 9 as Excel writes; 1 where a bomb must stay below the
 * ratio limit to meet another. */
static int compression_level = 9;

/* A workbook in the data folder: see td_test_make_workbook(). */
static char *
make_workbook (const char *name,
               const char *prefix,
               const char *unit,
               guint64     n,
               const char *suffix,
               const char *strings_prefix,
               const char *strings_unit,
               guint64     strings_n)
{
  char *path = g_build_filename (g_get_user_data_dir (), name, NULL);

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  td_test_make_workbook (path, compression_level, prefix, unit, n, suffix, strings_prefix, strings_unit, strings_n);
  return path;
}

/* In the subprocess: the workbook of $TD_TEST_BOMB is refused, under the
 * memory bound, with a message naming @why. */
static void
read_refused (const char *why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTable) table = NULL;

  bound_memory ();
  table = td_xlsx_read (g_getenv ("TD_TEST_BOMB"), &error);
  g_assert_null (table);
  g_assert_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT);
  g_test_message ("%s", error->message);
  if (strstr (error->message, why) == NULL)
    g_error ("“%s” does not say “%s”", error->message, why);
}

static void
trap_bounded (char *path)
{
  g_autofree char *owned G_GNUC_UNUSED = path;   /* the workbook made for this trap */

  g_setenv ("TD_TEST_BOMB", path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_unlink (path);
}


/* 300 MB of zeros in one cell, declared so in the zip: refused unread. */
static void
test_bomb_declared (void)
{
  if (g_test_subprocess ())
    {
      read_refused ("expands to more than");
      return;
    }
  trap_bounded (make_workbook ("declared.xlsx", TD_TEST_SHEET_START "<row r=\"1\"><c r=\"A1\"><v>",
                               "0000000000000000000000000000000000000000000000000000000000000000",
                               300 * 1024 * 1024 / 64, "</v></c></row>" TD_TEST_SHEET_END, NULL, NULL, 0));
}

/* Rows of one empty-ish cell, 2 million of them, deflated a thousand
 * times over: refused by the ratio after 16 MB, long before the part's
 * limit. */
static void
test_bomb_ratio (void)
{
  if (g_test_subprocess ())
    {
      read_refused ("times over");
      return;
    }
#ifdef TD_TEST_ASAN
  /* The refusal comes past TD_LIMIT_XLSX_RATIO_FLOOR, 16 MiB of XML read:
   * 65 s under AddressSanitizer for a reading the fuzzer (fuzz-xlsx) and
   * the other bombs cover. The gcc build runs it. */
  g_test_skip ("16 MiB of XML to the ratio's floor: run in the build without sanitizers");
  return;
#endif
  trap_bounded (make_workbook ("ratio.xlsx", TD_TEST_SHEET_START, "<row><c><v>1</v></c></row>", 2000000, TD_TEST_SHEET_END,
                               NULL, NULL, 0));
}

/* The zip's headers lie: the sheet says it is 1,000 bytes and holds 40 MB
 * in one run of text. What is read is counted, not what is declared. */
/* Little-endian fields of a zip header, at any alignment. */
static guint16
read_le16 (const char *at)
{
  guint16 value;

  memcpy (&value, at, sizeof value);
  return GUINT16_FROM_LE (value);
}

static void
write_le32 (char    *at,
            guint32  value)
{
  value = GUINT32_TO_LE (value);
  memcpy (at, &value, sizeof value);
}

static void
patch_sizes (const char *path,
             const char *part,
             guint32     size)
{
  g_autofree char *data = NULL;
  gsize length;
  gsize name_length = strlen (part);
  guint patched = 0;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  for (gsize i = 0; i + 46 + name_length <= length; i++)
    {
      /* Local header (PK\3\4): name at 30, size at 22; central (PK\1\2):
       * name at 46, size at 24. */
      if (memcmp (data + i, "PK\003\004", 4) == 0 && i + 30 + name_length <= length &&
          read_le16 (data + i + 26) == name_length &&
          memcmp (data + i + 30, part, name_length) == 0)
        {
          write_le32 (data + i + 22, size);
          patched++;
        }
      else if (memcmp (data + i, "PK\001\002", 4) == 0 &&
               read_le16 (data + i + 28) == name_length &&
               memcmp (data + i + 46, part, name_length) == 0)
        {
          write_le32 (data + i + 24, size);
          patched++;
        }
    }
  g_assert_cmpuint (patched, ==, 2);
  g_assert_true (g_file_set_contents (path, data, length, NULL));
}

static void
test_bomb_undeclared (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TdTable) table = NULL;

      bound_memory ();
      table = td_xlsx_read (g_getenv ("TD_TEST_BOMB"), &error);
      /* libzip may stop at the declared size (the XML is then cut short)
       * or read on (the run is then too long): refused either way. */
      g_assert_null (table);
      g_assert_nonnull (error);
      g_assert_true (error->domain == TD_TABLE_ERROR);
      g_test_message ("%s", error->message);
      return;
    }
  {
    g_autofree char *path = make_workbook ("undeclared.xlsx", TD_TEST_SHEET_START "<row r=\"1\"><c r=\"A1\"><v>",
                                           "0000000000000000000000000000000000000000000000000000000000000000",
                                           40 * 1024 * 1024 / 64, "</v></c></row>" TD_TEST_SHEET_END, NULL, NULL, 0);

    patch_sizes (path, "xl/worksheets/sheet1.xml", 1000);
    trap_bounded (g_steal_pointer (&path));
  }
}

/* 100,000 rows, each with one cell in column XFD: once padded to 16,384
 * cells a row (13 GB of pointers). */
static void
test_bomb_far_column (void)
{
  if (g_test_subprocess ())
    {
      read_refused ("beyond column 1024");
      return;
    }
  trap_bounded (make_workbook ("xfd.xlsx", TD_TEST_SHEET_START, "<row><c r=\"XFD1\"><v>1</v></c></row>", 100000, TD_TEST_SHEET_END,
                               NULL, NULL, 0));
}

/* A cell of column 1,025 is refused too; the cell before it is read. */
static void
test_last_column (void)
{
  g_autofree char *ok = make_workbook ("amj.xlsx", TD_TEST_SHEET_START,
                                       "<row><c r=\"A1\"><v>1</v></c><c r=\"AMJ1\"><v>2</v></c></row>", 1,
                                       TD_TEST_SHEET_END, NULL, NULL, 0);
  g_autofree char *beyond = make_workbook ("amk.xlsx", TD_TEST_SHEET_START,
                                           "<row><c r=\"A1\"><v>1</v></c><c r=\"AMK1\"><v>2</v></c></row>", 1,
                                           TD_TEST_SHEET_END, NULL, NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTable) table = td_xlsx_read (ok, &error);
  g_autoptr(TdTable) refused = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (td_table_get_cell (table, 0, TD_LIMIT_TABLE_COLUMNS - 1), ==, "2");
  refused = td_xlsx_read (beyond, &error);
  g_assert_null (refused);
  g_assert_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT);
}

/* Three million tiny shared strings (51 MB of XML). */
static void
test_bomb_shared_strings (void)
{
  if (g_test_subprocess ())
    {
      read_refused ("more than 2000000 shared strings");
      return;
    }
  compression_level = 1;
  trap_bounded (make_workbook ("strings.xlsx", TD_TEST_SHEET_START, "<row><c t=\"s\"><v>0</v></c></row>", 1, TD_TEST_SHEET_END,
                               "<sst>", "<si><t>a</t></si>", 3000000));
}

/* One cell of 100 MB: refused before GMarkup holds it whole. */
static void
test_bomb_big_cell (void)
{
  if (g_test_subprocess ())
    {
      read_refused ("longer than 1.0");
      return;
    }
  trap_bounded (make_workbook ("cell.xlsx", TD_TEST_SHEET_START "<row><c t=\"inlineStr\"><is><t>",
                               "abcdefghijklmnopqrstuvwxyz012345", 100 * 1024 * 1024 / 32,
                               "</t></is></c></row>" TD_TEST_SHEET_END, NULL, NULL, 0));
}

/* A cell of 200 KB, within the XML runs but beyond Excel's 32,767
 * characters; and a shared string as long. */
static void
test_long_cell (void)
{
  g_autofree char *inline_path = make_workbook ("long.xlsx", TD_TEST_SHEET_START "<row><c t=\"inlineStr\"><is><t>",
                                                "abc&amp;", 200 * 1024 / 4, "</t></is></c></row>" TD_TEST_SHEET_END,
                                                NULL, NULL, 0);
  g_autofree char *shared_path = make_workbook ("long-shared.xlsx", TD_TEST_SHEET_START,
                                                "<row><c t=\"s\"><v>0</v></c></row>", 1, TD_TEST_SHEET_END,
                                                "<sst><si><t>", "aaaaaaaaaaaaaaaa", 200 * 1024 / 16);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTable) table = td_xlsx_read (inline_path, &error);

  g_assert_null (table);
  g_assert_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT);
  g_assert_nonnull (strstr (error->message, "a cell in row 1 holds more than"));
  g_clear_error (&error);

  /* The shared string part here ends without </t></si>: the limit comes
   * first. */
  table = td_xlsx_read (shared_path, &error);
  g_assert_null (table);
  g_assert_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT);
  g_assert_nonnull (strstr (error->message, "a shared string holds more than"));
}

/* A shared string index that is not a number was read as 0. */
static void
test_shared_index (void)
{
  const char *indexes[] = { "abc", "1x", "-0", "" };

  for (guint i = 0; i < G_N_ELEMENTS (indexes); i++)
    {
      g_autofree char *unit = g_strdup_printf ("<row><c t=\"s\"><v>%s</v></c></row>", indexes[i]);
      g_autofree char *path = make_workbook ("index.xlsx", TD_TEST_SHEET_START, unit, 1, TD_TEST_SHEET_END,
                                             "<sst>", "<si><t>first</t></si>", 2);
      g_autoptr(GError) error = NULL;
      g_autoptr(TdTable) table = td_xlsx_read (path, &error);

      g_assert_null (table);
      g_assert_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_NOT_A_TABLE);
      g_assert_nonnull (strstr (error->message, "shared string"));
    }
}

/* A real roster of 50,000 rows, as libxlsxwriter writes it (shared
 * strings), is read whole within the same bound (REAL_ROSTER_ROWS). */
/* A roster as a school's office has them; under AddressSanitizer a tenth
 * (memory is bounded only in the gcc build: bound_memory()). */
#ifdef TD_TEST_ASAN
# define REAL_ROSTER_ROWS 5000
#else
# define REAL_ROSTER_ROWS 50000
#endif

static void
test_real_roster (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "roster.xlsx", NULL);

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TdTable) table = NULL;
      g_autofree char *last_name = g_strdup_printf ("学员%u", REAL_ROSTER_ROWS - 1);
      g_autofree char *last_note = g_strdup_printf ("备注：第%u行", REAL_ROSTER_ROWS - 1);

      bound_memory ();
      table = td_xlsx_read (path, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (td_table_get_n_rows (table), ==, REAL_ROSTER_ROWS + 1);
      g_assert_cmpstr (td_table_get_cell (table, REAL_ROSTER_ROWS, 0), ==, last_name);
      g_assert_cmpstr (td_table_get_cell (table, REAL_ROSTER_ROWS, 11), ==, last_note);
      return;
    }

  {
    lxw_workbook *workbook;
    lxw_worksheet *sheet;

    g_mkdir_with_parents (g_get_user_data_dir (), 0700);
    workbook = workbook_new (path);
    sheet = workbook_add_worksheet (workbook, NULL);
    for (guint c = 0; c < 12; c++)
      {
        g_autofree char *header = g_strdup_printf ("列%u", c);

        worksheet_write_string (sheet, 0, c, header, NULL);
      }
    for (guint r = 0; r < REAL_ROSTER_ROWS; r++)
      {
        g_autofree char *name = g_strdup_printf ("学员%u", r);
        g_autofree char *id = g_strdup_printf ("37010219900101%04u", r % 10000);
        g_autofree char *phone = g_strdup_printf ("138%08u", r * 7);
        g_autofree char *note = g_strdup_printf ("备注：第%u行", r);

        worksheet_write_string (sheet, r + 1, 0, name, NULL);
        worksheet_write_string (sheet, r + 1, 1, id, NULL);
        worksheet_write_string (sheet, r + 1, 2, phone, NULL);
        worksheet_write_string (sheet, r + 1, 3, r % 2 ? "男" : "女", NULL);
        worksheet_write_string (sheet, r + 1, 4, "数控车工", NULL);
        worksheet_write_number (sheet, r + 1, 5, 2020 + r % 5, NULL);
        worksheet_write_number (sheet, r + 1, 6, r % 100 + 0.5, NULL);
        worksheet_write_string (sheet, r + 1, 7, "济南市历下区文化西路29号", NULL);
        worksheet_write_string (sheet, r + 1, 8, r % 3 ? "在读" : "结业", NULL);
        worksheet_write_number (sheet, r + 1, 9, r, NULL);
        worksheet_write_string (sheet, r + 1, 10, "职业技能等级证书（四级）", NULL);
        worksheet_write_string (sheet, r + 1, 11, note, NULL);
      }
    g_assert_cmpint (workbook_close (workbook), ==, LXW_NO_ERROR);
  }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* CSV limits */

static char *
write_file (const char *name,
            const char *data,
            gssize      length)
{
  char *path = g_build_filename (g_get_user_data_dir (), name, NULL);

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  g_assert_true (g_file_set_contents (path, data, length, NULL));
  return path;
}

/* A file over the limit is refused by its size, unread (sparse here). */
static void
test_csv_file_size (void)
{
  g_autofree char *path = write_file ("huge.csv", "名称\n", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTable) table = NULL;

  g_assert_cmpint (truncate (path, (off_t)TD_LIMIT_CSV_FILE + 1), ==, 0);
  table = td_csv_read_file (path, &error);
  g_assert_null (table);
  g_assert_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT);
  g_assert_nonnull (strstr (error->message, "larger than"));
}

/* A header row 20 MB wide (two million columns) took 39 s to match: now
 * refused at once when a value lies beyond column 1,024; empty columns
 * beyond are dropped, and the header is matched. */
static void
test_csv_wide (void)
{
  g_autoptr(GString) csv = g_string_new ("名称,类型,面积,容纳人数,地址");
  g_autoptr(GString) empty = NULL;
  g_autofree char *commas = g_strnfill (10 * 1024 * 1024, ',');
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTable) table = NULL;
  g_autofree char *path = NULL;
  g_autofree char *db = g_build_filename (g_get_user_data_dir (), "wide.db", NULL);
  g_autoptr(TdStore) store = NULL;
  g_autoptr(TdImport) import = NULL;

  while (csv->len < 20 * 1024 * 1024)
    g_string_append (csv, ",xxxxxxxx");
  g_string_append (csv, "\n一号教室,教室,80,50,主楼101\n");
  table = td_csv_read (csv->str, csv->len, &error);
  g_assert_null (table);
  g_assert_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT);
  g_assert_nonnull (strstr (error->message, "Line 1 has a value in column 1025"));
  g_clear_error (&error);

  /* Ten million columns, empty beyond the data: imported. */
  empty = g_string_new ("名称,类型,面积,容纳人数,地址");
  g_string_append (empty, commas);
  g_string_append (empty, "\n一号教室,教室,80,50,主楼101\n");
  path = write_file ("wide.csv", empty->str, empty->len);
  store = td_store_open (db, &error);
  g_assert_no_error (error);
  import = td_import_new (td_record_list_get (store, "venues", NULL), path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (td_import_get_n_columns (import), ==, 5);
  g_assert_cmpint (td_import_get_field_column (import, 0), ==, 0);
  g_assert_true (td_import_preview (import, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (td_import_get_count (import, TD_IMPORT_NEW), ==, 1);
}

static void
test_csv_long_cell (void)
{
  g_autoptr(GString) csv = g_string_new ("名称,地址\n\"");
  g_autofree char *text = g_strnfill (TD_LIMIT_CELL_TEXT + 1, 'x');
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTable) table = NULL;

  g_string_append (csv, text);
  g_string_append (csv, "\",y\n");
  table = td_csv_read (csv->str, csv->len, &error);
  g_assert_null (table);
  g_assert_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT);
  g_assert_nonnull (strstr (error->message, "Line 2: a cell holds more than"));
}

/* A bad value of 100 KB is quoted in its message cut to 40 characters. */
static void
test_quoted_value (void)
{
  g_autofree char *db = g_build_filename (g_get_user_data_dir (), "quote.db", NULL);
  g_autoptr(GString) csv = g_string_new ("名称,类型\n一号教室,");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autoptr(TdImport) import = NULL;
  const TdImportProblem *problem;
  g_autofree char *value = g_strnfill (100 * 1024, 'z');

  g_string_append (csv, value);
  g_string_append (csv, "\n");
  path = write_file ("quote.csv", csv->str, csv->len);
  store = td_store_open (db, &error);
  g_assert_no_error (error);
  import = td_import_new (td_record_list_get (store, "venues", NULL), path, &error);
  g_assert_no_error (error);
  g_assert_true (td_import_preview (import, &error));
  g_assert_cmpuint (td_import_get_n_problems (import), >=, 1);
  problem = td_import_get_problem (import, 0);
  g_test_message ("%s", problem->message);
  g_assert_cmpuint (strlen (problem->message), <, 400);
  g_assert_nonnull (strstr (problem->message, "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz…"));
}

/* Formulas in CSV exports */

static const char *formulas[] = {
  "=HYPERLINK(\"http://x\",\"y\")",
  "=cmd|' /C calc'!A0",
  "+1+1",
  "-1+1",
  "@SUM(1)",
  "=1+1",
  "'=already quoted",
};

/* Each formula a text of a record, exported as CSV and .xlsx. */
static TdStore *
export_formulas (const char *csv_path,
                 const char *xlsx_path)
{
  g_autofree char *db = g_build_filename (g_get_user_data_dir (), "formulas.db", NULL);
  g_autoptr(GString) csv = g_string_new ("标题,类别,制定日期,内容\n");
  g_autofree char *in = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdImport) import = NULL;
  TdStore *store;
  TdRecordList *list;

  for (guint i = 0; i < G_N_ELEMENTS (formulas); i++)
    {
      g_auto(GStrv) parts = g_strsplit (formulas[i], "\"", -1);
      g_autofree char *escaped = g_strjoinv ("\"\"", parts);

      /* Raw, but for the one that starts with a quote: importing takes
       * one off such a cell (as it does from an export). */
      g_string_append_printf (csv, "制度%u,管理制度,2020-01-01,\"%s%s\"\n", i,
                              formulas[i][0] == '\'' ? "'" : "", escaped);
    }
  /* Imported from a file that holds them raw, as a person's might. */
  in = write_file ("formulas-in.csv", csv->str, csv->len);
  store = td_store_open (db, &error);
  g_assert_no_error (error);
  list = td_record_list_get (store, "guarantees", &error);
  import = td_import_new (list, in, &error);
  g_assert_no_error (error);
  g_assert_true (td_import_commit (import, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, G_N_ELEMENTS (formulas));

  g_assert_true (td_export_to_file (list, NULL, csv_path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (td_export_to_file (list, NULL, xlsx_path, NULL, &error));
  g_assert_no_error (error);
  return store;
}

/* The body of record @i in a table with the export's columns. */
static const char *
body_of (TdTable *table,
         guint    i)
{
  g_autofree char *title = g_strdup_printf ("制度%u", i);

  for (guint r = 0; r < td_table_get_n_rows (table); r++)
    if (g_str_equal (td_table_get_cell (table, r, 0), title))
      return td_table_get_cell (table, r, 3);
  g_error ("no row %s", title);
}

/* The CSV holds each formula-like text behind a quote; the app reads its
 * own export back unchanged; the .xlsx holds them as strings. */
static void
test_formulas_neutralised (void)
{
  g_autofree char *csv_path = g_build_filename (g_get_user_data_dir (), "export.csv", NULL);
  g_autofree char *xlsx_path = g_build_filename (g_get_user_data_dir (), "export-xlsx.xlsx", NULL);
  g_autoptr(TdStore) store = export_formulas (csv_path, xlsx_path);
  g_autofree char *raw = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTable) back = NULL;
  g_autoptr(TdTable) from_xlsx = NULL;
  g_autoptr(TdImport) import = NULL;
  TdRecordList *list = td_record_list_get (store, "guarantees", NULL);

  g_assert_true (g_file_get_contents (csv_path, &raw, NULL, NULL));
  g_assert_nonnull (strstr (raw, ",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""));
  g_assert_nonnull (strstr (raw, ",'=cmd|' /C calc'!A0\r\n"));
  g_assert_nonnull (strstr (raw, ",'+1+1\r\n"));
  g_assert_nonnull (strstr (raw, ",'-1+1\r\n"));
  g_assert_nonnull (strstr (raw, ",'@SUM(1)\r\n"));
  g_assert_nonnull (strstr (raw, ",''=already quoted\r\n"));
  /* A date and a plain text are left alone. */
  g_assert_nonnull (strstr (raw, ",2020-01-01,"));

  back = td_csv_read_file (csv_path, &error);
  g_assert_no_error (error);
  from_xlsx = td_xlsx_read (xlsx_path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (formulas); i++)
    {
      g_assert_cmpstr (body_of (back, i), ==, formulas[i]);
      g_assert_cmpstr (body_of (from_xlsx, i), ==, formulas[i]);
    }

  /* Imported again: nothing changes. */
  import = td_import_new (list, csv_path, &error);
  g_assert_no_error (error);
  g_assert_true (td_import_preview (import, &error));
  g_assert_cmpuint (td_import_get_count (import, TD_IMPORT_UNCHANGED), ==, G_N_ELEMENTS (formulas));
  g_assert_cmpuint (td_import_get_count (import, TD_IMPORT_UPDATE), ==, 0);

  /* The .xlsx: strings, no formula element. */
  {
    int code = 0;
    zip_t *zip = zip_open (xlsx_path, ZIP_RDONLY, &code);
    zip_stat_t st;
    zip_file_t *file;
    g_autofree char *xml = NULL;

    g_assert_nonnull (zip);
    g_assert_cmpint (zip_stat (zip, "xl/worksheets/sheet1.xml", 0, &st), ==, 0);
    xml = g_malloc0 (st.size + 1);
    file = zip_fopen (zip, "xl/worksheets/sheet1.xml", 0);
    g_assert_cmpint (zip_fread (file, xml, st.size), ==, (zip_int64_t)st.size);
    zip_fclose (file);
    zip_discard (zip);
    g_assert_null (strstr (xml, "<f>"));
    /* An inline string (constant-memory mode), the text as it is. */
    g_assert_nonnull (strstr (xml, "t=\"inlineStr\"><is><t>=HYPERLINK(\"http://x\",\"y\")</t>"));
  }
}

/* Numbers in a numeric column stay numbers, -5 too; the same text in a
 * text column is neutralised. */
static void
test_numeric_columns (void)
{
  const char *header[] = { "text", "number" };
  const char *row[] = { "-5", "-5" };
  const char *odd[] = { "\tTAB", "=1+1" };
  const gboolean numeric[] = { FALSE, TRUE };
  g_autoptr(TdTable) table = td_table_new ();
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "numeric.csv", NULL);
  g_autofree char *raw = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  td_table_add_cells (table, 1, header, 2);
  td_table_add_cells (table, 2, row, 2);
  td_table_add_cells (table, 3, odd, 2);
  g_assert_true (td_csv_write_full (table, path, numeric, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &raw, NULL, NULL));
  g_assert_cmpstr (raw, ==, "\xEF\xBB\xBFtext,number\r\n'-5,-5\r\n\"'\tTAB\",'=1+1\r\n");
}

/* @text as one CSV field, as LibreOffice writes it. */
static char *
csv_field (const char *text)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *inner = NULL;

  if (strpbrk (text, ",\"") == NULL)
    return g_strdup (text);
  parts = g_strsplit (text, "\"", -1);
  inner = g_strjoinv ("\"\"", parts);
  return g_strdup_printf ("\"%s\"", inner);
}

/* The catalogue row (--export-row, and the receiver's --export-catalogue,
 * which writes the same table with td_csv_write()): every cell is text. */
static void
test_catalogue_neutralised (void)
{
  g_autoptr(TdForm) form = td_form_new ("shandong-2020", 2021, 2023);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "row.csv", NULL);
  g_autofree char *raw = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdTable) back = NULL;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  td_form_set (form, TD_FORM_NAME, "=HYPERLINK(\"http://x\",\"y\")");
  td_form_set (form, TD_FORM_PHONE, "+86 531 8888888");
  td_form_set (form, TD_FORM_RESULTS, "-1+1");
  g_assert_true (td_form_write_catalogue (form, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &raw, NULL, NULL));
  g_assert_nonnull (strstr (raw, "\r\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","));
  g_assert_nonnull (strstr (raw, ",'+86 531 8888888,"));
  g_assert_nonnull (strstr (raw, ",'-1+1\r\n"));

  back = td_csv_read_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (td_table_get_cell (back, 1, 0), ==, "=HYPERLINK(\"http://x\",\"y\")");
  g_assert_cmpstr (td_table_get_cell (back, 1, 9), ==, "-1+1");
}

static char *
find_soffice (void)
{
  char *soffice = g_find_program_in_path ("soffice");

  return soffice ? soffice : g_find_program_in_path ("libreoffice");
}

/* LibreOffice opens both exports: every cell is the text, not a result
 * (=1+1 would be 2, the HYPERLINK y). One soffice run for both files. */
static void
test_formulas_in_libreoffice (void)
{
  g_autofree char *soffice = find_soffice ();
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "office", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "export.csv", NULL);
  g_autofree char *xlsx_path = g_build_filename (dir, "export-xlsx.xlsx", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *profile = NULL;
  g_autofree char *profile_uri = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *std_out = NULL;
  g_autofree char *std_err = NULL;
  int status;
  const char *inputs[] = { "export.csv", "export-xlsx.csv" };

  if (soffice == NULL)
    {
      g_test_skip ("LibreOffice (libreoffice-calc-nogui) is not installed");
      return;
    }
  g_mkdir_with_parents (dir, 0700);
  store = export_formulas (csv_path, xlsx_path);
  profile = g_build_filename (dir, "profile", NULL);
  profile_uri = g_filename_to_uri (profile, NULL, NULL);

  {
    g_autofree char *env_arg = g_strconcat ("-env:UserInstallation=", profile_uri, NULL);
    const char *argv[] = { soffice, env_arg, "--headless", "--norestore", "--infilter=CSV:44,34,76",
                           "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", out,
                           csv_path, xlsx_path, NULL };
    /* A clean environment: not the tests' G_DEBUG=fatal-warnings (soffice
     * warns about dconf), MALLOC_CHECK_, display or session bus. */
    g_autofree char *path_env = g_strconcat ("PATH=", g_getenv ("PATH"), NULL);
    g_autofree char *home_env = g_strconcat ("HOME=", dir, NULL);
    const char *envp[] = { path_env, home_env, "LANG=C.UTF-8", "SAL_USE_VCLPLUGIN=svp", NULL };

    g_assert_true (g_spawn_sync (dir, (char **)argv, (char **)envp, G_SPAWN_DEFAULT, NULL, NULL,
                                 &std_out, &std_err, &status, &error));
    g_assert_no_error (error);
    g_test_message ("soffice: %s %s", std_out, std_err);
    g_assert_true (g_spawn_check_wait_status (status, &error));
    g_assert_no_error (error);
  }

  for (guint f = 0; f < G_N_ELEMENTS (inputs); f++)
    {
      g_autofree char *path = g_build_filename (out, inputs[f], NULL);
      g_autofree char *raw = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &raw, &length, &error));
      g_assert_no_error (error);
      g_test_message ("%s:\n%s", inputs[f], raw);
      /* No result of a formula anywhere. */
      g_assert_null (strstr (raw, ",y\n"));
      g_assert_null (strstr (raw, ",2\n"));
      g_assert_null (strstr (raw, "#NAME"));
      g_assert_null (strstr (raw, "Err:"));
      for (guint i = 0; i < G_N_ELEMENTS (formulas); i++)
        {
          g_autofree char *title = g_strdup_printf ("\n制度%u,", i);
          const char *line = strstr (raw, title);
          g_autofree char *row = NULL;
          /* LibreOffice shows the CSV's neutralised text with its quote,
           * the literal text it is; the .xlsx's string as it is. */
          g_autofree char *shown = g_strconcat (f == 0 ? "'" : "", formulas[i], NULL);
          g_autofree char *field = csv_field (shown);
          g_autofree char *expected = g_strconcat (",", field, NULL);

          g_assert_nonnull (line);
          row = g_strndup (line + 1, strcspn (line + 1, "\r\n"));
          if (!g_str_has_suffix (row, expected))
            g_error ("%s: “%s” does not end with “%s”", inputs[f], row, expected);
        }
    }
}

/* JSON */

static char *
replace (const char *json,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (json, from, 2);

  g_assert_nonnull (parts[1]);
  return g_strjoin (to, parts[0], parts[1], NULL);
}

static void
campaign_refused (const char *json,
                  const char *why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdCampaign) campaign = td_campaign_new_from_data (json, -1, &error);

  g_assert_null (campaign);
  g_assert_error (error, TD_CAMPAIGN_ERROR, TD_CAMPAIGN_ERROR_INVALID);
  g_test_message ("%s", error->message);
  if (strstr (error->message, why) == NULL)
    g_error ("“%s” does not say “%s”", error->message, why);
}

static void
test_campaign_limits (void)
{
  g_autoptr(TdCampaign) builtin = td_campaign_get_builtin ();
  const char *json = td_campaign_get_json (builtin);
  g_autofree char *long_title = g_strnfill (TD_LIMIT_CAMPAIGN_TITLE + 1, 'T');
  g_autofree char *title_member = g_strdup_printf ("\"title\": \"%s\"", long_title);
  g_autofree char *too_long = replace (json, "\"title\": \"可承担和开展的职业培训意向表\"", title_member);
  g_autofree char *huge_text = g_strnfill (TD_LIMIT_CAMPAIGN_TEXT + 1, 'x');
  g_autofree char *issued_member = g_strdup_printf ("\"issued_by\": \"%s\"", huge_text);
  g_autofree char *unknown_long = replace (json, "\"issued_by\": \"山东省教育厅等8部门\"", issued_member);
  g_autofree char *padding = g_strnfill (TD_LIMIT_CAMPAIGN_FILE, ' ');
  g_autofree char *large = g_strconcat (json, padding, NULL);
  g_autofree char *nul = replace (json, "可承担和开展", "可承担\\u0000和开展");
  g_autofree char *twice = replace (json, "\"title\":", "\"title\": \"假的\", \"title\":");
  g_autofree char *twice_escaped = replace (json, "\"title\":", "\"\\u0074itle\": \"假的\", \"title\":");
  g_autofree char *twice_nested = replace (json, "\"paper_copies\": 2", "\"paper_copies\": 2, \"email\": \"x@y.cn\"");
  g_autofree char *escaped_backslash = replace (json, "可承担和开展", "可承担\\\\u0000和开展");
  g_autoptr(GError) error = NULL;
  g_autoptr(TdCampaign) fine = NULL;

  campaign_refused (too_long, "“title” is longer than 200 characters");
  campaign_refused (unknown_long, "“issued_by” is longer than 2000 characters");
  campaign_refused (large, "larger than");
  campaign_refused (nul, "U+0000");
  campaign_refused (twice, "“title” appears twice");
  campaign_refused (twice_escaped, "“title” appears twice");
  campaign_refused (twice_nested, "“email” appears twice");

  /* A backslash then "u0000" is text, not a NUL. */
  fine = td_campaign_new_from_data (escaped_backslash, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (td_campaign_get_title (fine), "\\u0000"));
}

static void
form_refused (const char *json,
              const char *why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdForm) form = td_form_new_from_json (json, -1, &error);

  g_assert_null (form);
  g_assert_error (error, TD_FORM_JSON_ERROR, TD_FORM_JSON_ERROR_INVALID);
  g_test_message ("%s", error->message);
  if (strstr (error->message, why) == NULL)
    g_error ("“%s” does not say “%s”", error->message, why);
}

static void
test_form_limits (void)
{
  g_autoptr(TdForm) form = td_form_new ("shandong-2020", 2021, 2023);
  g_autofree char *json = NULL;
  g_autofree char *long_text = g_strnfill (TD_LIMIT_FORM_TEXT + 1, 'x');
  g_autofree char *long_member = NULL;
  g_autofree char *too_long = NULL;
  g_autofree char *padding = g_strnfill (TD_LIMIT_FORM_FILE, ' ');
  g_autofree char *large = NULL;
  g_autofree char *nul = NULL;
  g_autofree char *twice = NULL;
  g_autoptr(TdForm) back = NULL;
  g_autoptr(GError) error = NULL;

  td_form_set (form, TD_FORM_NAME, "山东职业学院");
  td_form_set (form, TD_FORM_FIELDS, "数控加工");
  json = td_form_to_json (form, NULL);
  back = td_form_new_from_json (json, -1, &error);
  g_assert_no_error (error);

  long_member = g_strdup_printf ("\"fields\" : \"%s\"", long_text);
  too_long = replace (json, "\"fields\" : \"数控加工\"", long_member);
  form_refused (too_long, "“fields” is longer than 5000 characters");
  large = g_strconcat (json, padding, NULL);
  form_refused (large, "larger than");
  nul = replace (json, "山东职业学院", "山东\\u0000职业学院");
  form_refused (nul, "U+0000");
  twice = replace (json, "\"name\" :", "\"name\" : \"假的\", \"name\" :");
  form_refused (twice, "“name” appears twice");
}

static void
test_canonical_limits (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strnfill (TD_LIMIT_JSON_DOCUMENT, 'x');
  g_autofree char *large = g_strdup_printf ("[\"%s\"]", text);
  g_autofree char *fine = NULL;

  g_assert_null (td_canonical_json_from_string ("{\"a\":1,\"a\":2}", -1, NULL, &error));
  g_assert_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "twice"));
  g_clear_error (&error);
  /* Equal once decoded: a surrogate pair and the character itself. */
  g_assert_null (td_canonical_json_from_string ("{\"\\ud83d\\ude00\":1,\"\xf0\x9f\x98\x80\":2}", -1, NULL, &error));
  g_assert_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  /* The same name in two objects is no duplicate; nor a name as a value. */
  fine = td_canonical_json_from_string ("[{\"a\":\"a\"},{\"a\":{\"a\":[\"a\",\"a\"]}}]", -1, NULL, &error);
  g_assert_nonnull (fine);
  g_assert_no_error (error);
  g_assert_null (td_canonical_json_from_string ("[\"a\\u0000b\"]", -1, NULL, &error));
  g_assert_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (td_canonical_json_from_string (large, -1, NULL, &error));
  g_assert_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID);
  g_clear_error (&error);

  /* Escapes JSON does not have, and surrogates that are not a pair, are
   * refused before JSON-GLib reads them: it would read them otherwise (\7
   * as octal, a lone surrogate as bytes no UTF-8 text has) and, for a
   * malformed pair, lose the text read so far (a leak a hostile sender
   * could repeat; the fuzzers found it). */
  {
    const struct { const char *json, *words; } bad[] = {
      { "[\"a\\ud83d\\u[de\"]", "surrogate pair alone (\\uD83D)" },
      { "[\"a\\ud83d\\u0041\"]", "surrogate pair alone (\\uD83D)" },
      { "[\"a\\ud83d\"]", "surrogate pair alone (\\uD83D)" },
      { "[\"a\\ud83dx\"]", "surrogate pair alone (\\uD83D)" },
      { "[\"a\\ude00\"]", "surrogate pair alone (\\uDE00)" },
      { "{\"\\udbff\\n\":1}", "surrogate pair alone (\\uDBFF)" },
      { "[\"a\\u12\"]", "without four hexadecimal digits" },
      { "[\"a\\u12g4\"]", "without four hexadecimal digits" },
      { "[\"a\\7\"]", "escape JSON does not have" },
      { "[\"a\\x41\"]", "escape JSON does not have" },
      { "\"value\" {\"a\":[1,2]}", "more than one value" },
      { "{\"a\":1} {\"b\":2}", "more than one value" },
      { "1 2", "more than one value" },
      { "true\"x\"", "more than one value" },
      { "[1]\n[2]", "more than one value" },
      /* What JSON-GLib 1.6 reads and JSON does not have. Its comments run
       * from a slash to the next: "/\"/" hid the second "a" from this
       * pass, and JSON-GLib kept the last value. */
      { "{\"a\":1,/\"/\"a\":2}", "“/” outside a text" },
      { "[1/x/]", "“/” outside a text" },
      { "[1,/*x*/2]", "“/” outside a text" },
      { "['a']", "“'” outside a text" },
      { "[1,#2]", "“#” outside a text" },
      { "[1,\x01 2]", "“\\x01” outside a text" },
      { "[\xc3\xa9]", "“\\xC3” outside a text" },
      { "[0x10]", "“0x10” is neither a number" },
      { "[$10]", "“$10” is neither a number" },
      { "[01]", "“01” is neither a number" },
      { "[.5]", "“.5” is neither a number" },
      { "[1.]", "“1.” is neither a number" },
      { "[1e]", "“1e” is neither a number" },
      { "[+1]", "“+1” is neither a number" },
      { "[-]", "“-” is neither a number" },
      { "[1-2]", "“1-2” is neither a number" },
      { "[True]", "“True” is neither a number" },
      { "[nul]", "“nul” is neither a number" },
      { "{\"a\":x}", "“x” is neither a number" },
      { "0b101", "“0b101” is neither a number" },
      /* JSON-GLib reads these as a document without a root: a NULL node
       * for every caller to trip on (a critical in the receiver, for a
       * blank signature.json). */
      { "", "is empty" },
      { " \t\r\n ", "is empty" },
    };

    for (gsize k = 0; k < G_N_ELEMENTS (bad); k++)
      {
        g_test_message ("%s", bad[k].json);
        g_assert_null (td_canonical_json_from_string (bad[k].json, -1, NULL, &error));
        g_assert_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID);
        g_assert_nonnull (strstr (error->message, bad[k].words));
        g_clear_error (&error);
        g_assert_false (td_json_check_limits (bad[k].json, strlen (bad[k].json), TD_LIMIT_JSON_DOCUMENT, NULL));
      }
  }
  /* A sign out of place alone is no empty document: JSON-GLib says where. */
  g_assert_null (td_canonical_json_from_string (" ,", -1, NULL, &error));
  g_assert_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID);
  g_assert_null (strstr (error->message, "empty"));
  g_assert_nonnull (strstr (error->message, "not valid JSON"));
  g_clear_error (&error);
  g_clear_pointer (&fine, g_free);
  fine = td_canonical_json_from_string ("[\"\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"]", -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fine, ==, "[\"\xf0\x9f\x98\x80\\\"\\\\/\\b\\f\\n\\r\\t\xc3\xa9\"]");
  /* Blanks around the one value are no second one; every way JSON
   * writes a number, and its three words, are read. */
  for (gsize k = 0; k < 6; k++)
    {
      const char *one[] = {
        " \t\n{\"a\":[1, 2]} \r\n", " 12 ", "\"x\"\n",
        "[0,-0,1.5,-12.25e+3,1E-2,9007199254740991,true,false,null]", "-0.5", "{\"a/b\":\"/*'#$\"}",
      };

      g_assert_true (td_json_check_limits (one[k], strlen (one[k]), TD_LIMIT_JSON_DOCUMENT, &error));
      g_assert_no_error (error);
    }
}

/* What is read whole (a campaign, a form document, a CSV roster) is read
 * from a regular file or a pipe only, and never more than a byte past its
 * limit: /dev/zero took 4 GiB before. */
static void
test_read_file_limited (void)
{
  g_autofree char *dir = g_dir_make_tmp ("td-test-read-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "pipe.json", NULL);
  g_autofree char *small = g_build_filename (dir, "small.json", NULL);
  g_autofree char *large = g_build_filename (dir, "large.csv", NULL);
  g_autofree char *text = g_strnfill (100000, 'a');
  const char *specials[] = { "/dev/zero", "/dev/null", dir };
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (g_file_set_contents (small, "{\"a\":1}", -1, NULL));
  g_assert_true (g_file_set_contents (large, text, -1, NULL));

  for (gsize i = 0; i < G_N_ELEMENTS (specials); i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (specials[i]);

      g_test_message ("%s", specials[i]);
      g_assert_false (td_read_file_limited (file, 1024, &contents, &length, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
      g_assert_nonnull (strstr (error->message, "not a file"));
      g_clear_error (&error);
    }

  /* A small file whole, with a NUL after it; a large one to a byte past
   * the limit, for the caller's own check to refuse. */
  {
    g_autoptr(GFile) file = g_file_new_for_path (small);

    g_assert_true (td_read_file_limited (file, 1024, &contents, &length, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (length, ==, 7);
    g_assert_cmpstr (contents, ==, "{\"a\":1}");
    g_clear_pointer (&contents, g_free);
  }
  {
    g_autoptr(GFile) file = g_file_new_for_path (large);

    g_assert_true (td_read_file_limited (file, 5000, &contents, &length, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (length, ==, 5001);
    g_assert_cmpint (contents[5001], ==, '\0');
    g_clear_pointer (&contents, g_free);
    g_assert_true (td_read_file_limited (file, 100000, &contents, &length, NULL, &error));
    g_assert_cmpuint (length, ==, 100000);
    g_assert_cmpmem (contents, length, text, 100000);
    g_clear_pointer (&contents, g_free);
  }

  /* A pipe is read as it comes, within the limit too. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (fifo);
      TdTestPipeWriter w = { fifo, text };
      GThread *writer = td_test_pipe_write (&w);
      gsize limit = i == 0 ? 200000 : 70000;

      g_assert_true (td_read_file_limited (file, limit, &contents, &length, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (length, ==, MIN (100000, limit + 1));
      g_assert_cmpmem (contents, length, text, length);
      g_clear_pointer (&contents, g_free);
      g_thread_join (writer);
    }

  /* Its readers: a campaign, a CSV table. */
  {
    g_autoptr(GFile) zero = g_file_new_for_path ("/dev/zero");
    g_autoptr(TdCampaign) from_zero = td_campaign_new_from_file (zero, NULL, &error);

    g_assert_null (from_zero);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
    g_clear_error (&error);
    g_assert_null (td_csv_read_file ("/dev/zero", &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
    g_clear_error (&error);
    /* The import's own reader (row by row) alike: it read 256 MiB of
     * /dev/zero before its size was refused. */
    g_assert_null (td_csv_reader_new ("/dev/zero", &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
    g_clear_error (&error);
    g_assert_null (td_csv_reader_new (dir, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
    g_clear_error (&error);
  }

  g_unlink (fifo);
  g_unlink (small);
  g_unlink (large);
  g_rmdir (dir);
}

static void
test_excerpt (void)
{
  g_autofree char *short_text = td_limit_excerpt ("短");
  g_autofree char *exact = td_limit_excerpt ("0123456789012345678901234567890123456789");
  g_autofree char *cut = td_limit_excerpt ("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十多");

  g_assert_cmpstr (short_text, ==, "短");
  g_assert_cmpstr (exact, ==, "0123456789012345678901234567890123456789");
  g_assert_cmpstr (cut, ==, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十…");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/limits/xlsx/bomb/declared", test_bomb_declared);
  g_test_add_func ("/limits/xlsx/bomb/ratio", test_bomb_ratio);
  g_test_add_func ("/limits/xlsx/bomb/undeclared", test_bomb_undeclared);
  g_test_add_func ("/limits/xlsx/bomb/far-column", test_bomb_far_column);
  g_test_add_func ("/limits/xlsx/bomb/shared-strings", test_bomb_shared_strings);
  g_test_add_func ("/limits/xlsx/bomb/big-cell", test_bomb_big_cell);
  g_test_add_func ("/limits/xlsx/last-column", test_last_column);
  g_test_add_func ("/limits/xlsx/long-cell", test_long_cell);
  g_test_add_func ("/limits/xlsx/shared-index", test_shared_index);
  g_test_add_func ("/limits/xlsx/real-roster", test_real_roster);
  g_test_add_func ("/limits/csv/file-size", test_csv_file_size);
  g_test_add_func ("/limits/csv/wide", test_csv_wide);
  g_test_add_func ("/limits/csv/long-cell", test_csv_long_cell);
  g_test_add_func ("/limits/csv/quoted-value", test_quoted_value);
  g_test_add_func ("/limits/csv/formulas", test_formulas_neutralised);
  g_test_add_func ("/limits/csv/numeric-columns", test_numeric_columns);
  g_test_add_func ("/limits/csv/formulas-libreoffice", test_formulas_in_libreoffice);
  g_test_add_func ("/limits/csv/catalogue", test_catalogue_neutralised);
  g_test_add_func ("/limits/json/campaign", test_campaign_limits);
  g_test_add_func ("/limits/json/form", test_form_limits);
  g_test_add_func ("/limits/json/canonical", test_canonical_limits);
  g_test_add_func ("/limits/read-file", test_read_file_limited);
  g_test_add_func ("/limits/excerpt", test_excerpt);

  return g_test_run ();
}
