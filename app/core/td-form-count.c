/* td-form-count.c: characters counted as on the paper form
 *
 * Apart from td-form.c because it asks Pango for grapheme clusters, and
 * Pango (with HarfBuzz, FriBidi, libthai, FreeType) is not loaded by
 * `training-desk --sync`: this file is built into the extras module with
 * the form's drawing (td-extras.c, issue 17).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-form"

#include "config.h"

#include <pango/pango.h>
#include <string.h>

#include "td-form.h"

/**
 * td_form_count_characters:
 * @text: (nullable): UTF-8 text
 * @length: its length in bytes, or -1 when it ends with a nul
 *
 * Counts as a person counts on the paper form: every character one —
 * a Chinese character, a letter, a digit, a punctuation mark, a line
 * break, and an emoji however it is encoded: with a skin tone, a family
 * joined by ZWJ, a flag, a keycap. These are Unicode's extended grapheme
 * clusters (UAX #29), as Pango finds them for the cursor.
 *
 * Returns: the number of characters
 */
guint
td_form_count_characters (const char *text,
                          gssize      length)
{
  g_autofree PangoLogAttr *attrs = NULL;
  g_autofree char *valid = NULL;
  glong n_chars;
  guint count = 0;

  if (text == NULL)
    return 0;
  if (length < 0)
    length = strlen (text);
  /* Never seen from the store or a text view; counted all the same. */
  if (!g_utf8_validate_len (text, length, NULL))
    {
      valid = g_utf8_make_valid (text, length);
      text = valid;
      length = strlen (valid);
    }
  n_chars = g_utf8_strlen (text, length);
  if (n_chars == 0)
    return 0;

  attrs = g_new (PangoLogAttr, n_chars + 1);
  pango_get_log_attrs (text, length, -1, pango_language_from_string ("zh-cn"), attrs, n_chars + 1);
  /* A cluster ends at every cursor position after the first. */
  for (glong i = 1; i <= n_chars; i++)
    count += attrs[i].is_cursor_position;
  return count;
}
