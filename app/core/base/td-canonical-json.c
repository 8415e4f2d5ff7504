/* td-canonical-json.c: JSON in one byte form (RFC 8785), for hashes and signatures
 *
 * The JSON Canonicalization Scheme for the values Training Desk's documents
 * hold (docs/signing.md): members sorted by UTF-16 code units, minimal
 * string escapes, integers only. Anything this cannot write in exactly one
 * way — a fraction, a number beyond 2^53, a member name used twice — is
 * refused rather than written some way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-canonical-json"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "td-canonical-json.h"

G_DEFINE_QUARK (td-canonical-json-error-quark, td_canonical_json_error)

static void
td_canonical_json_names_free (GHashTable *names)
{
  if (names)
    g_hash_table_unref (names);
}

#define MAX_SAFE_INTEGER G_GINT64_CONSTANT (9007199254740992)  /* 2^53 */

/* Compares two UTF-8 names as RFC 8785 does: by UTF-16 code units. Code
 * points below U+10000 compare as themselves; above, as surrogate pairs,
 * which sort between U+D7FF and U+E000. */
static guint32
td_canonical_json_utf16_sort_key (gunichar c)
{
  if (c >= 0x10000)
    return 0xD800 + ((c - 0x10000) >> 10);    /* the high surrogate */
  return c;
}

static int
td_canonical_json_compare_names (gconstpointer a,
                                 gconstpointer b)
{
  const char *p = *(const char * const *)a;
  const char *q = *(const char * const *)b;

  while (*p && *q)
    {
      gunichar c = g_utf8_get_char (p), d = g_utf8_get_char (q);
      guint32 kc = td_canonical_json_utf16_sort_key (c), kd = td_canonical_json_utf16_sort_key (d);

      if (kc != kd)
        return kc < kd ? -1 : 1;
      if (c != d)
        {
          /* Same high surrogate: the low surrogates decide. */
          guint32 lc = c >= 0x10000 ? 0xDC00 + ((c - 0x10000) & 0x3FF) : c;
          guint32 ld = d >= 0x10000 ? 0xDC00 + ((d - 0x10000) & 0x3FF) : d;

          return lc < ld ? -1 : 1;
        }
      p = g_utf8_next_char (p);
      q = g_utf8_next_char (q);
    }
  return *p ? 1 : *q ? -1 : 0;
}

static void
td_canonical_json_append_string (GString    *out,
                                 const char *s)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\r': g_string_append (out, "\\r"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char)*p);
        }
    }
  g_string_append_c (out, '"');
}

static gboolean td_canonical_json_append_node (GString   *out,
                                               JsonNode  *node,
                                               GError   **error);

static gboolean
td_canonical_json_append_object (GString     *out,
                                 JsonObject  *object,
                                 GError     **error)
{
  g_autoptr(GList) members = json_object_get_members (object);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (GList *l = members; l; l = l->next)
    g_ptr_array_add (names, l->data);
  g_ptr_array_sort (names, td_canonical_json_compare_names);

  g_string_append_c (out, '{');
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (i > 0 && td_canonical_json_compare_names (&names->pdata[i - 1], &names->pdata[i]) == 0)
        {
          g_set_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_UNSUPPORTED,
                       _("The member “%s” appears twice."), name);
          return FALSE;
        }
      if (!g_utf8_validate (name, -1, NULL))
        {
          g_set_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID,
                       _("A member name is not valid UTF-8."));
          return FALSE;
        }
      if (i > 0)
        g_string_append_c (out, ',');
      td_canonical_json_append_string (out, name);
      g_string_append_c (out, ':');
      if (!td_canonical_json_append_node (out, json_object_get_member (object, name), error))
        return FALSE;
    }
  g_string_append_c (out, '}');
  return TRUE;
}

static gboolean
td_canonical_json_append_value (GString   *out,
                                JsonNode  *node,
                                GError   **error)
{
  GType type = json_node_get_value_type (node);

  if (type == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);

      if (!g_utf8_validate (s, -1, NULL))
        {
          g_set_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID,
                       _("A text is not valid UTF-8."));
          return FALSE;
        }
      td_canonical_json_append_string (out, s);
    }
  else if (type == G_TYPE_INT64)
    {
      gint64 n = json_node_get_int (node);

      if (n > MAX_SAFE_INTEGER || n < -MAX_SAFE_INTEGER)
        {
          g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, n);

          g_set_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_UNSUPPORTED,
                       _("The number %s is too large to be exact in JSON."), number);
          return FALSE;
        }
      g_string_append_printf (out, "%" G_GINT64_FORMAT, n);
    }
  else if (type == G_TYPE_BOOLEAN)
    g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
  else if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* JSON-GLib reads -0 and 1.0 as doubles: whole values are written as
       * integers, as RFC 8785 does; real fractions are refused. */
      /* The range first: casting 1e308 to an integer is undefined. */
      if (!(d <= (double)MAX_SAFE_INTEGER && d >= -(double)MAX_SAFE_INTEGER) || d != (double)(gint64)d)
        {
          g_set_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_UNSUPPORTED,
                       _("The number %g has a fraction; these documents hold whole numbers only."), d);
          return FALSE;
        }
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64)d);
    }
  else
    {
      g_set_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_UNSUPPORTED,
                   _("A value of an unsupported type."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
td_canonical_json_append_node (GString   *out,
                               JsonNode  *node,
                               GError   **error)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return td_canonical_json_append_object (out, json_node_get_object (node), error);

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            if (!td_canonical_json_append_node (out, json_array_get_element (array, i), error))
              return FALSE;
          }
        g_string_append_c (out, ']');
        return TRUE;
      }

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      return TRUE;

    case JSON_NODE_VALUE:
      return td_canonical_json_append_value (out, node, error);

    default:
      g_assert_not_reached ();
    }
}

/* The four hexadecimal digits of a \u escape, from data[at]. */
static gboolean
td_canonical_json_read_hex4 (const char *data,
                             gsize       length,
                             gsize       at,
                             gunichar   *value)
{
  gunichar v = 0;

  if (at + 4 > length)
    return FALSE;
  for (gsize k = at; k < at + 4; k++)
    {
      int digit = g_ascii_xdigit_value (data[k]);

      if (digit < 0)
        return FALSE;
      v = v * 16 + (gunichar)digit;
    }
  *value = v;
  return TRUE;
}

/* Reads the string whose opening quote is at data[*i], leaving *i on its
 * closing quote. Fails on an escaped NUL (\u0000), which JSON-GLib would
 * read as the end of the text, silently cutting it, on a \u without four
 * hexadecimal digits and on a surrogate that is not half of a pair. With
 * @decoded, the string's text is appended there: escapes decoded, so that
 * "a" and "\u0061" compare equal. */
static gboolean
td_canonical_json_scan_string (const char  *data,
                               gsize        length,
                               gsize       *i,
                               GString     *decoded,
                               GError     **error)
{
  gsize p = *i + 1;

  while (p < length && data[p] != '"')
    {
      if (data[p] != '\\' || p + 1 >= length)
        {
          if (decoded)
            g_string_append_c (decoded, data[p]);
          p++;
          continue;
        }
      if (data[p + 1] == 'u')
        {
          gunichar c, low = 0;

          if (!td_canonical_json_read_hex4 (data, length, p + 2, &c))
            {
              g_set_error_literal (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID,
                                   _("A text holds “\\u” without four hexadecimal digits after it: "
                                     "the document is not valid JSON."));
              return FALSE;
            }
          if (c == 0)
            {
              g_set_error_literal (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID,
                                   _("A text holds the character U+0000 (written \\u0000), which would "
                                     "cut it short: the document is refused."));
              return FALSE;
            }
          /* A surrogate only as the first half of a pair, its second half
           * right after (I-JSON, RFC 7493 §2.1). JSON-GLib 1.6 would read a
           * lone one as bytes no UTF-8 text has, and loses the text it has
           * read so far when a pair is malformed. */
          if (c >= 0xD800 && c < 0xE000 &&
              (c >= 0xDC00 || p + 7 >= length || data[p + 6] != '\\' || data[p + 7] != 'u' ||
               !td_canonical_json_read_hex4 (data, length, p + 8, &low) ||
               low < 0xDC00 || low >= 0xE000))
            {
              g_set_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID,
                           _("A text holds half of a UTF-16 surrogate pair alone (\\u%04X): "
                             "the document is not text Training Desk reads."), c);
              return FALSE;
            }
          if (low != 0)
            {
              if (decoded)
                g_string_append_unichar (decoded, 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00));
              p += 12;
              continue;
            }
          if (decoded)
            g_string_append_unichar (decoded, c);
          p += 6;
          continue;
        }
      {
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
        const char *at = data[p + 1] ? strchr (from, data[p + 1]) : NULL;

        /* JSON-GLib would read \0 to \7 as octal and any other escaped
         * character as itself: neither is JSON. */
        if (at == NULL)
          {
            g_set_error_literal (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID,
                                 _("A text holds a backslash escape JSON does not have: "
                                   "the document is not valid JSON."));
            return FALSE;
          }
        if (decoded)
          g_string_append_c (decoded, to[at - from]);
      }
      p += 2;
    }
  *i = p;
  return TRUE;
}

/* A byte of a number or a literal, or of what JSON-GLib 1.6 reads as one
 * (0x10, $10, .5, bare words). */
static gboolean
td_json_is_token_byte (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("-+._$", c) != NULL);
}

/* A number (RFC 8259 §6: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?)
 * or one of the three literals. */
static gboolean
td_json_check_token (const char  *token,
                     gsize        length,
                     GError     **error)
{
  gsize p = 0;
  gboolean ok;

  if ((length == 4 && memcmp (token, "true", 4) == 0) || (length == 5 && memcmp (token, "false", 5) == 0) ||
      (length == 4 && memcmp (token, "null", 4) == 0))
    return TRUE;

  if (p < length && token[p] == '-')
    p++;
  if (p < length && token[p] == '0')
    p++;
  else if (p < length && token[p] >= '1' && token[p] <= '9')
    while (p < length && g_ascii_isdigit (token[p]))
      p++;
  else
    p = length + 1;
  if (p < length && token[p] == '.')
    {
      gsize digits = ++p;

      while (p < length && g_ascii_isdigit (token[p]))
        p++;
      if (p == digits)
        p = length + 1;
    }
  if (p < length && (token[p] == 'e' || token[p] == 'E'))
    {
      gsize digits;

      p++;
      if (p < length && (token[p] == '+' || token[p] == '-'))
        p++;
      digits = p;
      while (p < length && g_ascii_isdigit (token[p]))
        p++;
      if (p == digits)
        p = length + 1;
    }
  ok = p == length;
  if (!ok)
    {
      g_autofree char *text = g_strndup (token, MIN (length, 40));

      g_set_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID,
                   _("“%s%s” is neither a number as JSON writes one nor true, false or null: "
                     "the document is not valid JSON."), text, length > 40 ? "…" : "");
    }
  return ok;
}

/**
 * td_json_check_limits:
 * @max_length: the largest document the caller reads, at most
 *   %TD_LIMIT_JSON_DOCUMENT
 *
 * What JSON-GLib reads without a word, refused before it reads it: a
 * document longer than @max_length, nesting deeper than
 * %TD_LIMIT_JSON_DEPTH, a text holding \u0000 (JSON-GLib cuts the text
 * there), a member name used twice in one object (JSON-GLib keeps the
 * last value); and what it reads wrongly or loses memory on: an escape
 * JSON does not have, a surrogate not in a pair, a second value after
 * the first, and outside texts what JSON-GLib 1.6 reads but JSON does not
 * have (comments, 'single quotes', 0x10, $10, 01, .5, bare words); and a
 * document of blanks only, which JSON-GLib reads as one without a root.
 * One pass over the bytes, strings read as the parser would; the order
 * of signs is left to the parser.
 *
 * Returns: %FALSE with @error (%TD_CANONICAL_JSON_ERROR_INVALID, or
 *   %TD_CANONICAL_JSON_ERROR_UNSUPPORTED for a name twice) saying which
 */
gboolean
td_json_check_limits (const char  *data,
                      gsize        length,
                      gsize        max_length,
                      GError     **error)
{
  /* Per open object, its names so far; NULL for an array. */
  g_autoptr(GPtrArray) levels = g_ptr_array_new_with_free_func ((GDestroyNotify)td_canonical_json_names_free);
  g_autoptr(GString) name = g_string_new (NULL);
  gboolean expect_name = FALSE;
  enum { TD_JSON_TOP_NONE, TD_JSON_TOP_SCALAR, TD_JSON_TOP_DONE } top = TD_JSON_TOP_NONE;

  if (length > max_length)
    {
      g_autofree char *size = g_format_size (max_length);

      g_set_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID,
                   _("The document is larger than %s: it is not one Training Desk reads."), size);
      return FALSE;
    }

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];
      GHashTable *names = levels->len ? g_ptr_array_index (levels, levels->len - 1) : NULL;

      /* One value at the top level: JSON-GLib 1.6 refuses a second, but
       * loses the tree it has read for it (a leak a hostile sender could
       * repeat). Outside any array or object, blanks end a number or a
       * literal; anything after a whole value is a second one. */
      if (levels->len == 0)
        {
          if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            {
              if (top == TD_JSON_TOP_SCALAR)
                top = TD_JSON_TOP_DONE;
              continue;
            }
          if (top == TD_JSON_TOP_DONE ||
              (top == TD_JSON_TOP_SCALAR && (c == '"' || c == '{' || c == '[')))
            {
              g_set_error_literal (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID,
                                   _("The document holds more than one value: it is not valid JSON."));
              return FALSE;
            }
          /* A sign out of place: left to the parser, which says where. */
          if (c == ',' || c == ':' || c == '}' || c == ']')
            top = TD_JSON_TOP_SCALAR;
        }

      /* A number or a literal, whole: JSON-GLib 1.6 also reads 0x10,
       * $10, 01, .5 and bare words, none of them JSON. */
      if (td_json_is_token_byte (c))
        {
          gsize end = i;

          while (end < length && td_json_is_token_byte (data[end]))
            end++;
          if (!td_json_check_token (data + i, end - i, error))
            return FALSE;
          i = end - 1;
          if (levels->len == 0)
            top = TD_JSON_TOP_SCALAR;
          continue;
        }
      /* Outside texts, JSON has blanks and its six signs only. JSON-GLib
       * 1.6 also reads "/…/" and "/ * … * /" as comments, which would hide
       * from this pass what it then reads, and 'texts' in single quotes. */
      if (c == '\0' || (c != '"' && !strchr (" \t\n\r{}[]:,", c)))
        {
          char shown[8];

          if (g_ascii_isgraph (c))
            g_snprintf (shown, sizeof shown, "%c", c);
          else
            g_snprintf (shown, sizeof shown, "\\x%02X", (guchar)c);
          g_set_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID,
                       _("The document holds “%s” outside a text, which JSON does not have: "
                         "it is not valid JSON."), shown);
          return FALSE;
        }

      if (c == '"')
        {
          gboolean is_name = names && expect_name;

          g_string_truncate (name, 0);
          if (!td_canonical_json_scan_string (data, length, &i, is_name ? name : NULL, error))
            return FALSE;
          if (is_name && !g_hash_table_add (names, g_strndup (name->str, name->len)))
            {
              g_autofree char *excerpt = td_limit_excerpt (name->str);

              g_set_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_UNSUPPORTED,
                           _("The member “%s” appears twice in one object: the document is refused "
                             "rather than one of its values silently dropped."), excerpt);
              return FALSE;
            }
          expect_name = FALSE;
          if (levels->len == 0)
            top = TD_JSON_TOP_DONE;
        }
      else if (c == '{' || c == '[')
        {
          if (levels->len >= TD_LIMIT_JSON_DEPTH)
            {
              g_set_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID,
                           _("The document nests deeper than %d levels: it is not one Training Desk reads."),
                           TD_LIMIT_JSON_DEPTH);
              return FALSE;
            }
          g_ptr_array_add (levels, c == '{' ? g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) : NULL);
          expect_name = c == '{';
        }
      else if ((c == '}' || c == ']') && levels->len > 0)
        {
          g_ptr_array_set_size (levels, levels->len - 1);
          expect_name = FALSE;
          if (levels->len == 0)
            top = TD_JSON_TOP_DONE;
        }
      else if (c == ',')
        expect_name = names != NULL;
    }
  /* Nothing but blanks: JSON-GLib reads that as a document without a
   * root, which its callers would pass on as a NULL node. */
  if (top == TD_JSON_TOP_NONE && levels->len == 0)
    {
      g_set_error_literal (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID,
                           _("The document is empty: it is not JSON."));
      return FALSE;
    }
  return TRUE;
}

/**
 * td_canonical_json_from_node:
 * @length: (out) (optional): the length in bytes, without the final NUL
 *
 * Returns: (transfer full): the canonical form of @node, or %NULL with
 *   @error set when @node holds what it cannot represent exactly.
 */
char *
td_canonical_json_from_node (JsonNode  *node,
                             gsize     *length,
                             GError   **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);

  if (!td_canonical_json_append_node (out, node, error))
    return NULL;
  if (length)
    *length = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * td_canonical_json_from_string:
 * @length: the length of @json, or -1 when NUL-terminated
 *
 * Parses @json and writes it in canonical form. A document beyond the
 * limits of td_json_check_limits() is refused: larger than
 * %TD_LIMIT_JSON_DOCUMENT, too deep, a \\u0000 in a text, a member name
 * used twice.
 */
char *
td_canonical_json_from_string (const char  *json,
                               gssize       length,
                               gsize       *out_length,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;

  if (length < 0)
    length = strlen (json);
  if (!g_utf8_validate (json, length, NULL))
    {
      g_set_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID,
                   _("The document is not valid UTF-8."));
      return NULL;
    }
  if (!td_json_check_limits (json, (gsize)length, TD_LIMIT_JSON_DOCUMENT, error))
    return NULL;
  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      g_set_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID,
                   _("The document is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  /* JSON-GLib reads "" and blanks as a document without a root. */
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_INVALID,
                           _("The document is empty: it is not JSON."));
      return NULL;
    }
  return td_canonical_json_from_node (json_parser_get_root (parser), out_length, error);
}

/**
 * td_canonical_json_check:
 *
 * Returns: whether @json is valid JSON already in its canonical form.
 */
gboolean
td_canonical_json_check (const char  *json,
                         gsize        length,
                         GError     **error)
{
  g_autofree char *canonical = NULL;
  gsize canonical_length;

  canonical = td_canonical_json_from_string (json, length, &canonical_length, error);
  if (canonical == NULL)
    return FALSE;
  if (canonical_length != length || memcmp (canonical, json, length) != 0)
    {
      g_set_error (error, TD_CANONICAL_JSON_ERROR, TD_CANONICAL_JSON_ERROR_NOT_CANONICAL,
                   _("The document is not in canonical form."));
      return FALSE;
    }
  return TRUE;
}
