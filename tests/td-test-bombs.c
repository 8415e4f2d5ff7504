/* td-test-bombs.c: zip bombs for the tests and bench/hostile
 *
 * A part of hundreds of megabytes is generated as libzip compresses it,
 * from a unit repeated, so that making a bomb costs time, not memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <zip.h>

#include "td-test-bombs.h"

/* A part generated as it is compressed: @prefix, @unit @n times, @suffix. */
typedef struct
{
  const char *parts[3];
  gsize       lengths[3];
  guint64     n;
  guint64     pos;     /* within the current piece */
  guint       piece;   /* 0 prefix, 1 unit, 2 suffix, 3 done */
  guint64     done_units;
  zip_error_t error;
} Generator;

static zip_int64_t
generator_cb (void             *user_data,
              void             *data,
              zip_uint64_t      length,
              zip_source_cmd_t  cmd)
{
  Generator *g = user_data;
  char *out = data;
  zip_uint64_t written = 0;

  switch (cmd)
    {
    case ZIP_SOURCE_OPEN:
      g->pos = 0;
      g->piece = 0;
      g->done_units = 0;
      return 0;
    case ZIP_SOURCE_READ:
      while (written < length && g->piece < 3)
        {
          gsize left = g->lengths[g->piece] - g->pos;
          gsize take = MIN (left, length - written);

          memcpy (out + written, g->parts[g->piece] + g->pos, take);
          written += take;
          g->pos += take;
          if (g->pos == g->lengths[g->piece])
            {
              g->pos = 0;
              if (g->piece == 1 && ++g->done_units < g->n)
                continue;
              g->piece++;
              if (g->piece == 1 && g->n == 0)
                g->piece++;
            }
        }
      return written;
    case ZIP_SOURCE_CLOSE:
      return 0;
    case ZIP_SOURCE_STAT:
      zip_stat_init (data);
      return sizeof (zip_stat_t);
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data (&g->error, data, length);
    case ZIP_SOURCE_FREE:
      return 0;
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap (ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                             ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
      return -1;
    }
}

static void
add_part (zip_t        *zip,
          const char   *name,
          zip_source_t *source,
          int           level)
{
  zip_int64_t index;

  g_assert_nonnull (source);
  index = zip_file_add (zip, name, source, ZIP_FL_OVERWRITE);
  g_assert_cmpint (index, >=, 0);
  /* Deflate as Excel does (a zip bomb deflates a thousand times over). */
  g_assert_cmpint (zip_set_file_compression (zip, index, ZIP_CM_DEFLATE, level), ==, 0);
}

static void
add_text (zip_t      *zip,
          const char *name,
          const char *text)
{
  add_part (zip, name, zip_source_buffer (zip, text, strlen (text), 0), 9);
}

/**
 * td_test_make_workbook:
 * @level: deflate's level, 1 to 9
 * @strings_prefix: (nullable): the shared strings part's start, or %NULL
 *   for none
 *
 * Writes at @path a workbook whose sheet is @prefix, @unit @n times, then
 * @suffix, and whose shared strings are @strings_prefix, @strings_unit
 * @strings_n times, then "</sst>": generated as they are compressed, so
 * a part of gigabytes costs no memory.
 */
void
td_test_make_workbook (const char *path,
                       int         level,
                       const char *prefix,
                       const char *unit,
                       guint64     n,
                       const char *suffix,
                       const char *strings_prefix,
                       const char *strings_unit,
                       guint64     strings_n)
{
  Generator sheet = { { prefix, unit, suffix }, { strlen (prefix), strlen (unit), strlen (suffix) }, n };
  Generator strings = { { strings_prefix, strings_unit, "</sst>" },
                        { strings_prefix ? strlen (strings_prefix) : 0, strings_unit ? strlen (strings_unit) : 0, 6 },
                        strings_n };
  int code = 0;
  zip_t *zip;

  zip = zip_open (path, ZIP_CREATE | ZIP_TRUNCATE, &code);
  g_assert_nonnull (zip);
  zip_error_init (&sheet.error);
  zip_error_init (&strings.error);
  add_text (zip, "xl/workbook.xml",
            "<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
  add_part (zip, "xl/worksheets/sheet1.xml", zip_source_function (zip, generator_cb, &sheet), level);
  if (strings_prefix)
    add_part (zip, "xl/sharedStrings.xml", zip_source_function (zip, generator_cb, &strings), level);
  g_assert_cmpint (zip_close (zip), ==, 0);
}
