/* test-roundtrip.c: the example school's own exports re-import unchanged
 *
 * Issue 11: the example school must be consistent with the import's rules.
 * Every record kind is exported, as CSV and as XLSX, and imported back:
 * no row new, none updated, none replaced, none refused — every one
 * unchanged. A duplicate trainer name, a value the export writes one way
 * and the import reads another, would show here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-example.h"
#include "td-export.h"
#include "td-import.h"
#include "td-record-list.h"

static const char * const kinds[] = { "programmes", "trainers", "venues", "equipment", "guarantees", "results" };

static void
test_roundtrip (gconstpointer data)
{
  const char *ext = data;
  g_autofree char *db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  db = g_build_filename (g_get_user_data_dir (), "roundtrip.db", NULL);
  store = td_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (td_example_fill (store, &td_example_school_size, &error));
  g_assert_no_error (error);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      TdRecordList *list = td_record_list_get (store, kinds[k], &error);
      g_autofree char *name = g_strdup_printf ("%s.%s", kinds[k], ext);
      g_autofree char *path = g_build_filename (g_get_user_data_dir (), name, NULL);
      g_autoptr(TdImport) import = NULL;
      guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
      guint exported = 0;

      g_assert_no_error (error);
      g_assert_cmpuint (n, >, 0);
      g_assert_true (td_export_to_file (list, G_LIST_MODEL (list), path, &exported, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (exported, ==, n);

      import = td_import_new (list, path, &error);
      g_assert_no_error (error);
      g_assert_true (td_import_preview (import, &error));
      g_assert_no_error (error);
      g_test_message ("%s: %u rows", name, td_import_get_n_rows (import));
      g_assert_cmpuint (td_import_get_count (import, TD_IMPORT_NEW), ==, 0);
      g_assert_cmpuint (td_import_get_count (import, TD_IMPORT_UPDATE), ==, 0);
      g_assert_cmpuint (td_import_get_count (import, TD_IMPORT_REPLACED), ==, 0);
      g_assert_cmpuint (td_import_get_count (import, TD_IMPORT_BAD), ==, 0);
      g_assert_cmpuint (td_import_get_count (import, TD_IMPORT_UNCHANGED), ==, n);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_data_func ("/roundtrip/example-school/csv", "csv", test_roundtrip);
  g_test_add_data_func ("/roundtrip/example-school/xlsx", "xlsx", test_roundtrip);

  return g_test_run ();
}
