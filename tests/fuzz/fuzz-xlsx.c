/* fuzz-xlsx.c: libFuzzer target for the workbook reader (td-xlsx.c)
 *
 * Two kinds of input. One starting "PK" is a whole .xlsx, as a school
 * sends it: libzip's reading is fuzzed with ours. Any other is the
 * workbook's XML parts cut at NUL bytes (workbook, its relationships,
 * styles, shared strings, the sheet), zipped here without compression,
 * so that mutations reach the XML instead of breaking the zip's checksums.
 * An empty part is left out of the zip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-fuzz"

#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "td-fuzz.h"
#include "td-xlsx.h"

static const char * const part_names[] = {
  "xl/workbook.xml",
  "xl/_rels/workbook.xml.rels",
  "xl/styles.xml",
  "xl/sharedStrings.xml",
  "xl/worksheets/sheet1.xml",
};

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  td_fuzz_init ();
  return 0;
}

/* The parts, zipped in memory. */
static GBytes *
fuzz_xlsx_zip_parts (const uint8_t *data,
                     size_t         size)
{
  const uint8_t *p = data, *end = data + size;
  zip_error_t ze;
  zip_source_t *out;
  zip_t *za;
  zip_int64_t length;
  guint8 *bytes;
  guint n_added = 0;

  zip_error_init (&ze);
  out = zip_source_buffer_create (NULL, 0, 0, &ze);
  g_assert_nonnull (out);
  zip_source_keep (out);
  za = zip_open_from_source (out, ZIP_TRUNCATE, &ze);
  g_assert_nonnull (za);

  for (guint i = 0; i < G_N_ELEMENTS (part_names); i++)
    {
      const uint8_t *nul = i + 1 < G_N_ELEMENTS (part_names) && p < end ? memchr (p, '\0', (size_t)(end - p)) : NULL;
      const uint8_t *stop = nul ? nul : end;
      zip_source_t *source;
      zip_int64_t index;

      if (stop > p)
        {
          source = zip_source_buffer (za, p, (zip_uint64_t)(stop - p), 0);
          g_assert_nonnull (source);
          index = zip_file_add (za, part_names[i], source, ZIP_FL_OVERWRITE);
          g_assert_cmpint (index, >=, 0);
          zip_set_file_compression (za, (zip_uint64_t)index, ZIP_CM_STORE, 0);
          n_added++;
        }
      p = nul ? nul + 1 : end;
    }
  g_assert_cmpint (zip_close (za), ==, 0);
  /* libzip writes no file for an empty archive. */
  if (n_added == 0)
    {
      zip_source_free (out);
      zip_error_fini (&ze);
      return g_bytes_new (NULL, 0);
    }

  g_assert_cmpint (zip_source_open (out), ==, 0);
  zip_source_seek (out, 0, SEEK_END);
  length = zip_source_tell (out);
  zip_source_seek (out, 0, SEEK_SET);
  bytes = g_malloc (length > 0 ? (gsize)length : 1);
  g_assert_cmpint (zip_source_read (out, bytes, (zip_uint64_t)length), ==, length);
  zip_source_close (out);
  zip_source_free (out);
  zip_error_fini (&ze);
  return g_bytes_new_take (bytes, (gsize)length);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) zipped = NULL;
  g_autoptr(TdTable) table = NULL;
  g_autofree char *path = NULL;
  const uint8_t *file = data;
  gsize file_size = size;
  int fd;

  if (size < 2 || memcmp (data, "PK", 2) != 0)
    {
      zipped = fuzz_xlsx_zip_parts (data, size);
      file = g_bytes_get_data (zipped, &file_size);
    }

  path = td_fuzz_memfd_path (file, file_size, &fd);
  table = td_xlsx_read (path, &error);

  if (table == NULL)
    {
      close (fd);
      g_assert_nonnull (error);
      if (!g_utf8_validate (error->message, -1, NULL))
        g_error ("message not UTF-8: %s", g_strescape (error->message, NULL));
      return 0;
    }
  g_assert_no_error (error);
  for (guint r = 0; r < td_table_get_n_rows (table); r++)
    {
      guint n_cells;
      const char * const *cells = td_table_get_row (table, r, &n_cells);

      for (guint c = 0; c < n_cells; c++)
        g_assert_true (g_utf8_validate (cells[c], -1, NULL));
    }

  /* Row by row, after a rewind from halfway: the very rows again. */
  {
    g_autoptr(TdXlsxReader) reader = td_xlsx_reader_new (path, &error);
    const char * const *cells;
    guint n_cells, line, r = 0;

    g_assert_no_error (error);
    for (guint i = 0; i < td_table_get_n_rows (table) / 2; i++)
      g_assert_true (td_xlsx_reader_next (reader, &cells, &n_cells, &line, &error));
    g_assert_true (td_xlsx_reader_rewind (reader, &error));
    while (td_xlsx_reader_next (reader, &cells, &n_cells, &line, &error))
      {
        guint want_cells;
        const char * const *want = td_table_get_row (table, r, &want_cells);

        g_assert_cmpuint (line, ==, td_table_get_line (table, r));
        g_assert_cmpuint (n_cells, ==, want_cells);
        for (guint c = 0; c < n_cells; c++)
          g_assert_cmpstr (cells[c], ==, want[c]);
        r++;
      }
    g_assert_no_error (error);
    g_assert_cmpuint (r, ==, td_table_get_n_rows (table));
  }
  close (fd);
  return 0;
}
