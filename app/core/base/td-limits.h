/* td-limits.h: every hard limit on what Training Desk reads, in one place
 *
 * A file, a peer or a server can send anything; these bounds make what it
 * costs to read known in advance (memory, time, database size), and are
 * each far above what a school's real data needs: a 50,000-row roster
 * (about 35 MB of sheet XML), a 50 MB CSV, a campaign file of 1–2 KB, a
 * form of 5 KB. docs/limits.md lists each with what a person sees when it
 * is hit; keep the two together.
 *
 * Sizes are in bytes unless the name says characters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Tables (CSV and xlsx alike: TdTable) */

/* Excel's own sheet limit. */
#define TD_LIMIT_TABLE_ROWS         1048576
/* LibreOffice's old limit (AMJ); a value beyond it is refused, never
 * padded up to (Excel's XFD would be 16,384 cells a row). */
#define TD_LIMIT_TABLE_COLUMNS      1024
/* Cells a table may hold: 80 MB of pointers at most. A 50,000-row roster
 * of 50 columns has 2.5 million. */
#define TD_LIMIT_TABLE_CELLS        10000000
/* Text copied into a table (xlsx cells; a CSV's cells point into its own
 * buffer instead, bounded by TD_LIMIT_CSV_FILE). */
#define TD_LIMIT_TABLE_TEXT         (256 * 1024 * 1024)
/* One cell: Excel holds at most 32,767 characters, 98,301 bytes of UTF-8. */
#define TD_LIMIT_CELL_TEXT          (128 * 1024)
/* A header cell longer than this names no field (nobody's header is 256
 * bytes), so matching the header rows costs at most 10 rows x 1024
 * columns x 256 bytes. */
#define TD_LIMIT_HEADER_TEXT        256

/* Problems an import lists (each bad cell of each bad row, in order);
 * the others are counted. The window shows 50; a file of a million bad
 * rows would otherwise hold a message for each of its cells. */
#define TD_LIMIT_IMPORT_PROBLEMS    10000

/* CSV */

/* The whole file is read at once (and converted once from GB18030). */
#define TD_LIMIT_CSV_FILE           (256 * 1024 * 1024)
/* One row, quoted line breaks included. */
#define TD_LIMIT_CSV_LINE           (16 * 1024 * 1024)

/* xlsx (a zip of XML parts, streamed) */

/* What all the parts read expand to, counted as they are read. */
#define TD_LIMIT_XLSX_UNCOMPRESSED  (512 * 1024 * 1024)
/* One part, declared in the zip or counted while reading. */
#define TD_LIMIT_XLSX_ENTRY         (256 * 1024 * 1024)
/* Expansion of one part beyond TD_LIMIT_XLSX_RATIO_FLOOR: real sheets
 * deflate 5 to 30 times; a zip bomb a thousand. */
#define TD_LIMIT_XLSX_RATIO         200
#define TD_LIMIT_XLSX_RATIO_FLOOR   (16 * 1024 * 1024)
/* Text or tag between two of < and >: what GMarkup buffers at once. */
#define TD_LIMIT_XML_RUN            (1024 * 1024)
/* Shared strings: their number, and their text all told. */
#define TD_LIMIT_SHARED_STRINGS     2000000
#define TD_LIMIT_SHARED_TEXT        (128 * 1024 * 1024)
/* Cell styles, number formats and relationships (Excel: 64,000 styles). */
#define TD_LIMIT_XLSX_STYLES        65536

/* JSON documents (campaign, form, canonical JSON, answers) */

/* JSON-GLib parses recursively: deeper than this, a document is refused
 * before parsing (a body of nothing but "[" would exhaust the stack). No
 * Training Desk document nests deeper than 4. */
#define TD_LIMIT_JSON_DEPTH         32
/* Any JSON document Training Desk reads whole. */
#define TD_LIMIT_JSON_DOCUMENT      (1024 * 1024)

/* A campaign file (the built-in one is 1.2 KB), and its members. */
#define TD_LIMIT_CAMPAIGN_FILE      (64 * 1024)
#define TD_LIMIT_CAMPAIGN_ID        64      /* characters */
#define TD_LIMIT_CAMPAIGN_TITLE     200     /* characters: title, notice */
#define TD_LIMIT_CAMPAIGN_NAME      100     /* characters: authority, contact name, phone */
#define TD_LIMIT_CAMPAIGN_ADDRESS   200     /* characters: postal address, e-mail */
#define TD_LIMIT_CAMPAIGN_TEXT      2000    /* characters: footnote, any other text */
#define TD_LIMIT_URL                2048    /* characters */

/* A form document (docs/form-json.md; about 5 KB) and each of its texts.
 * Fields 6–9 have their own rule of 500 characters (td_form_check()), which
 * a form may break and still be imported to be corrected: ten times that
 * is refused on reading. */
#define TD_LIMIT_FORM_FILE          (256 * 1024)
#define TD_LIMIT_FORM_TEXT          5000    /* characters */

/* The network (app/core/sync, receiver/) */

/* An upload endpoint's answer: a receipt or a message of a few hundred
 * bytes. Read no further than this. */
#define TD_LIMIT_ANSWER_BODY        (1024 * 1024)
/* An answer's headers, all told. */
#define TD_LIMIT_ANSWER_HEADERS     (64 * 1024)
/* A CA certificate file chosen in the settings (PEM; the system's whole
 * bundle is ~200 KB). */
#define TD_LIMIT_CA_FILE            (4 * 1024 * 1024)
/* A server's message shown to a person. */
#define TD_LIMIT_SERVER_MESSAGE     500     /* characters */

/* Messages */

/* A value from a file quoted in a message: longer ones are cut with "…"
 * (a 50 MB value once went whole to stderr). */
#define TD_LIMIT_QUOTE              40      /* characters */

/**
 * td_limit_excerpt:
 * @text: (nullable): a value to quote in a message
 *
 * Returns: (transfer full): @text, or its first %TD_LIMIT_QUOTE characters
 *   and "…" when it is longer (cut at a character, never inside one)
 */
static inline char *
td_limit_excerpt (const char *text)
{
  g_autofree char *valid = NULL;
  const char *end;

  if (text == NULL)
    return g_strdup ("");
  /* What is quoted came from outside: made valid UTF-8 first, so a message
   * never carries broken text (found by fuzz-campaign). */
  valid = g_utf8_make_valid (text, -1);
  end = valid;
  for (guint n = 0; n < TD_LIMIT_QUOTE; n++)
    {
      if (*end == '\0')
        return g_steal_pointer (&valid);
      end = g_utf8_next_char (end);
    }
  if (*end == '\0')
    return g_steal_pointer (&valid);
  return g_string_free (g_string_append (g_string_new_len (valid, end - valid), "…"), FALSE);
}

/* The slowest a transfer may go on average, in bytes a second: one
 * exchange (connect, send, answer) must end within the time-out plus what
 * was sent at this rate — 20 MB at 32 KiB/s is ten minutes — so a server
 * dripping a byte a second fails at the time-out. */
#define TD_LIMIT_MIN_TRANSFER_RATE  (32 * 1024)

G_END_DECLS
