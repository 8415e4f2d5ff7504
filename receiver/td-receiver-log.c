/* td-receiver-log.c: the receiver's log lines, with what a client sent escaped
 *
 * A log line holds values a school chose: its signer, a path, a header,
 * messages quoting them. A newline or an escape sequence in one of them
 * would forge a line of its own (issue 12: a signer with "\n" did), so
 * every line goes through td_receiver_log(), which escapes the whole
 * formatted line once: nothing a call site forgets can get through.
 * Control characters (C0, DEL, C1), the backslash itself and bytes that
 * are not UTF-8 are written as \n, \r, \t, \\ or \xNN; other text is kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-receiver"

#include "config.h"

#include <string.h>

#include "td-receiver-log.h"

/**
 * td_receiver_escape:
 * @text: (nullable): any bytes, NUL-terminated
 *
 * Returns: (transfer full): @text on one line, printable: control
 * characters, backslashes and invalid UTF-8 escaped.
 */
char *
td_receiver_escape (const char *text)
{
  GString *out;
  const char *p;

  if (text == NULL)
    return g_strdup ("(null)");

  out = g_string_sized_new (strlen (text));
  for (p = text; *p; )
    {
      guchar c = (guchar)*p;
      gunichar u;
      const char *next;

      if (c < 0x80)
        {
          if (c == '\n')
            g_string_append (out, "\\n");
          else if (c == '\r')
            g_string_append (out, "\\r");
          else if (c == '\t')
            g_string_append (out, "\\t");
          else if (c == '\\')
            g_string_append (out, "\\\\");
          else if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\x%02x", c);
          else
            g_string_append_c (out, (char)c);
          p++;
          continue;
        }

      u = g_utf8_get_char_validated (p, -1);
      if (u == (gunichar)-1 || u == (gunichar)-2)
        {
          g_string_append_printf (out, "\\x%02x", c);
          p++;
          continue;
        }
      next = g_utf8_next_char (p);
      /* C1 controls (U+0080–U+009F: CSI among them), and the line and
       * paragraph separators some viewers break lines at. */
      if ((u >= 0x80 && u <= 0x9f) || u == 0x2028 || u == 0x2029)
        for (; p < next; p++)
          g_string_append_printf (out, "\\x%02x", (guchar)*p);
      else
        g_string_append_len (out, p, next - p);
      p = next;
    }
  return g_string_free (out, FALSE);
}

/**
 * td_receiver_log:
 *
 * Logs one line (g_message()), escaped by td_receiver_escape(): the one
 * way the receiver writes to its log.
 */
void
td_receiver_log (const char *format,
                 ...)
{
  g_autofree char *line = NULL;
  g_autofree char *escaped = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  escaped = td_receiver_escape (line);
  g_message ("%s", escaped);
}
