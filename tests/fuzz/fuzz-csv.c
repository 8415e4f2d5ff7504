/* fuzz-csv.c: libFuzzer target for the CSV reader (td-csv.c)
 *
 * Any bytes: UTF-8 with or without a BOM, UTF-16, GB18030, binary. What
 * it reads must be text a person can be shown, and what the exporter
 * would write of it must read back as the same table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-fuzz"

#include <string.h>

#include "td-csv.h"
#include "td-fuzz.h"

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
  g_autoptr(TdTable) table = td_csv_read ((const char *)data, size, &error);
  g_autoptr(GString) out = NULL;
  g_autoptr(TdTable) again = NULL;
  guint n_rows;

  if (table == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_no_error (error);

  /* Every cell is UTF-8; written back as the exporter writes, the table
   * reads again as the same rows of the same cells. A cell a spreadsheet
   * would take for a formula is left out of the comparison: exports may
   * neutralise it (issue 12). */
  out = g_string_new ("\xEF\xBB\xBF");   /* as td_csv_write() */
  n_rows = td_table_get_n_rows (table);
  for (guint r = 0; r < n_rows; r++)
    {
      guint n_cells;
      const char * const *cells = td_table_get_row (table, r, &n_cells);

      for (guint c = 0; c < n_cells; c++)
        g_assert_true (g_utf8_validate (cells[c], -1, NULL));
      td_csv_append_row (out, cells, n_cells);
    }
  g_assert_true (g_utf8_validate (out->str, (gssize)out->len, NULL));

  again = td_csv_read (out->str, out->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  g_assert_cmpuint (td_table_get_n_rows (again), ==, n_rows);
  for (guint r = 0; r < n_rows; r++)
    {
      guint n_cells, n_again;
      const char * const *cells = td_table_get_row (table, r, &n_cells);
      const char * const *cells_again = td_table_get_row (again, r, &n_again);

      g_assert_cmpuint (n_again, ==, n_cells);
      for (guint c = 0; c < n_cells; c++)
        if (cells[c][0] == '\0' || !strchr ("=+-@\t\r", cells[c][0]))
          g_assert_cmpstr (cells_again[c], ==, cells[c]);
    }
  return 0;
}
