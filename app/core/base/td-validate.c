/* td-validate.c: the form's rules for what a person types
 *
 * Input is normalised before it is judged: surrounding spaces (ASCII and
 * the full-width U+3000) go, and in numbers and addresses full-width
 * characters, which a Chinese input method types easily, become their ASCII
 * forms (NFKC). Names keep their full-width punctuation: （） in an official
 * name is part of it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-validate"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "td-validate.h"

G_DEFINE_QUARK (td-validate-error-quark, td_validate_error)

/* Characters as the form counts them: each Chinese character, letter, digit
 * or emoji counts one. */
guint
td_text_length (const char *text)
{
  return text ? (guint)g_utf8_strlen (text, -1) : 0;
}

/* Invisible format characters are dropped, but not the joiners that hold
 * emoji sequences (and some scripts) together. */
static gboolean
td_validate_is_dropped_format (gunichar c)
{
  return g_unichar_type (c) == G_UNICODE_FORMAT && c != 0x200C && c != 0x200D;
}

static gboolean
td_validate_is_space (gunichar c)
{
  return g_unichar_isspace (c) || c == 0x3000 || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR;
}

/* Whether td_normalize_text() would give valid UTF-8 @input back as it is:
 * no space at either end, none but single ASCII ones inside, nothing
 * dropped. Most cells of a spreadsheet are; a copy is all they need. */
static gboolean
td_validate_text_is_normal (const char *input)
{
  gboolean after_space = TRUE;   /* at the start a space is one to trim */
  const char *p = input;

  while (*p)
    {
      guchar b = (guchar)*p;
      gunichar c;

      if (b == ' ')
        {
          if (after_space)
            return FALSE;
          after_space = TRUE;
          p++;
          continue;
        }
      if (b < 0x80)
        {
          /* The other ASCII spaces (tab, line feed …) and the controls. */
          if (b < 0x20 || b == 0x7f)
            return FALSE;
          after_space = FALSE;
          p++;
          continue;
        }
      c = g_utf8_get_char (p);
      if (td_validate_is_space (c) || g_unichar_iscntrl (c) || td_validate_is_dropped_format (c))
        return FALSE;
      after_space = FALSE;
      p = g_utf8_next_char (p);
    }
  return p == input || !after_space;
}

/* Trims, folds runs of white space (of any width) into one ASCII space and
 * drops control characters. */
char *
td_normalize_text (const char *input)
{
  g_autoptr(GString) out = NULL;
  gboolean pending_space = FALSE;

  if (input == NULL || !g_utf8_validate (input, -1, NULL))
    return g_strdup ("");
  if (td_validate_text_is_normal (input))
    return g_strdup (input);

  out = g_string_new (NULL);

  for (const char *p = input; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (td_validate_is_space (c))
        {
          pending_space = out->len > 0;
          continue;
        }
      if (g_unichar_iscntrl (c) || td_validate_is_dropped_format (c))
        continue;
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* NFKC (full-width digits, letters, @ and parentheses to ASCII), then every
 * space removed: for phone numbers, postal codes, e-mail addresses. */
char *
td_normalize_compact (const char *input)
{
  g_autofree char *nfkc = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  if (input == NULL || !g_utf8_validate (input, -1, NULL))
    return g_strdup ("");

  nfkc = g_utf8_normalize (input, -1, G_NORMALIZE_NFKC);
  for (const char *p = nfkc; p && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (td_validate_is_space (c) || g_unichar_iscntrl (c) || td_validate_is_dropped_format (c))
        continue;
      /* Dashes of every width a keyboard offers. */
      if (c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013 || c == 0x2014 ||
          c == 0x2015 || c == 0x2212 || c == 0xFE63)
        c = '-';
      g_string_append_unichar (out, c);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
td_validate_all_digits (const char *s,
                        gsize       len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
td_validate_finish (gboolean    ok,
                    char       *value,
                    char      **normalized)
{
  if (ok && normalized)
    *normalized = value;
  else
    g_free (value);
  return ok;
}

gboolean
td_validate_text (const char  *input,
                  guint        max_chars,
                  gboolean     required,
                  char       **normalized,
                  GError     **error)
{
  char *value = td_normalize_text (input);
  guint len = td_text_length (value);

  if (required && len == 0)
    {
      g_set_error_literal (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_REQUIRED,
                           _("Required: this field cannot be left empty."));
      return td_validate_finish (FALSE, value, normalized);
    }
  if (max_chars > 0 && len > max_chars)
    {
      g_set_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_TOO_LONG,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Too long: at most %u character, this has %u.",
                                "Too long: at most %u characters, this has %u.",
                                max_chars),
                   max_chars, len);
      return td_validate_finish (FALSE, value, normalized);
    }
  return td_validate_finish (TRUE, value, normalized);
}

/**
 * td_validate_person_name:
 *
 * A person's name (法定代表人, 联系人): text as td_validate_text() takes it,
 * with at least one letter or Chinese character. "25001" is a postal code
 * or a number typed into the wrong field, never a name (issue 13).
 */
gboolean
td_validate_person_name (const char  *input,
                         guint        max_chars,
                         gboolean     required,
                         char       **normalized,
                         GError     **error)
{
  g_autofree char *value = NULL;
  gboolean letter = FALSE;

  if (!td_validate_text (input, max_chars, required, &value, error))
    return FALSE;
  for (const char *p = value; *p && !letter; p = g_utf8_next_char (p))
    letter = g_unichar_isalpha (g_utf8_get_char (p));
  if (*value != '\0' && !letter)
    {
      g_set_error_literal (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_FORMAT,
                           _("Enter a person’s name here, such as 张伟: a name is not made of digits alone."));
      return FALSE;
    }
  if (normalized)
    *normalized = g_steal_pointer (&value);
  return TRUE;
}

/* Area codes: 010 and 02X have three digits, all others four. */
static guint
td_validate_area_code_length (const char *digits)
{
  if (g_str_has_prefix (digits, "010") || g_str_has_prefix (digits, "02"))
    return 3;
  return 4;
}

static gboolean
td_validate_valid_subscriber_number (const char *s,
                                     gsize       len)
{
  return (len == 7 || len == 8) && td_validate_all_digits (s, len) && s[0] >= '2';
}

static gboolean
td_validate_valid_subscriber_number_parts (const char *a,
                                           const char *b)
{
  g_autofree char *joined = g_strconcat (a, b, NULL);

  return td_validate_valid_subscriber_number (joined, strlen (joined));
}

gboolean
td_validate_phone (const char  *input,
                   char       **normalized,
                   GError     **error)
{
  g_autofree char *compact = td_normalize_compact (input);
  g_autoptr(GString) s = g_string_new (NULL);
  g_auto(GStrv) parts = NULL;
  const char *digits;
  guint n_parts;
  gboolean had_country_code = FALSE;

  /* "(0531)81916531" and "0531-81916531" are the same number; "转" marks
   * an extension. */
  for (const char *p = compact; *p; p++)
    {
      if (*p == '(')
        continue;
      g_string_append_c (s, *p == ')' ? '-' : *p);
    }
  g_string_replace (s, "转", "-", 0);
  if (g_str_has_prefix (s->str, "+86"))
    {
      g_string_erase (s, 0, 3);
      had_country_code = TRUE;
    }
  else if (g_str_has_prefix (s->str, "0086"))
    {
      g_string_erase (s, 0, 4);
      had_country_code = TRUE;
    }
  while (s->len > 0 && s->str[0] == '-')
    g_string_erase (s, 0, 1);

  if (s->len == 0)
    {
      g_set_error_literal (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_REQUIRED,
                           _("Required: enter a mobile number or a landline with its area code."));
      return FALSE;
    }

  for (gsize i = 0; i < s->len; i++)
    if (!g_ascii_isdigit (s->str[i]) && s->str[i] != '-')
      {
        g_set_error_literal (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_FORMAT,
                             _("A phone number has only digits and hyphens."));
        return FALSE;
      }

  /* After +86 a landline drops its trunk 0: +86 531 81916531. */
  if (had_country_code && s->str[0] >= '2' && s->str[0] <= '9')
    g_string_prepend_c (s, '0');

  parts = g_strsplit (s->str, "-", -1);
  n_parts = g_strv_length (parts);
  digits = parts[0];

  /* A mobile: 11 digits starting with 1, however grouped (138-1234-5678). */
  if (digits[0] == '1')
    {
      g_autofree char *joined = g_strjoinv (NULL, parts);

      g_free (parts[0]);
      parts[0] = g_steal_pointer (&joined);
      digits = parts[0];
    }
  if (digits[0] == '1')
    {
      gsize len = strlen (digits);

      if (len != 11)
        {
          g_set_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_FORMAT,
                       _("A mobile number has 11 digits; this one has %u."), (guint)len);
          return FALSE;
        }
      if (digits[1] < '3')
        {
          g_set_error_literal (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_FORMAT,
                               _("A mobile number starts with 13 to 19."));
          return FALSE;
        }
      return td_validate_finish (TRUE, g_strdup (digits), normalized);
    }

  /* A landline: area code, number, perhaps an extension. */
  if (digits[0] == '0')
    {
      g_autofree char *area = NULL;
      g_autofree char *number = NULL;
      const char *extension = NULL;
      gsize area_len = td_validate_area_code_length (digits);

      if (n_parts == 1)
        {
          if (strlen (digits) > area_len)
            {
              area = g_strndup (digits, area_len);
              number = g_strdup (digits + area_len);
            }
        }
      else if (n_parts == 3 && strlen (parts[1]) >= 3 && strlen (parts[1]) <= 4 &&
               td_validate_valid_subscriber_number_parts (parts[1], parts[2]))
        {
          /* 0531-8191-6531: a number written in two groups, not an
           * extension (extensions follow a whole number). */
          area = g_strdup (parts[0]);
          number = g_strconcat (parts[1], parts[2], NULL);
        }
      else if (n_parts <= 3)
        {
          area = g_strdup (parts[0]);
          number = g_strdup (parts[1]);
          extension = n_parts == 3 ? parts[2] : NULL;
        }

      /* "00" starts an international call, never an area code. */
      if (area != NULL && strlen (area) == area_len && td_validate_all_digits (area, area_len) && area[1] != '0' &&
          number != NULL && td_validate_valid_subscriber_number (number, strlen (number)) &&
          (extension == NULL || (td_validate_all_digits (extension, strlen (extension)) && strlen (extension) <= 6)))
        {
          char *value = extension
            ? g_strdup_printf ("%s-%s-%s", area, number, extension)
            : g_strdup_printf ("%s-%s", area, number);
          return td_validate_finish (TRUE, value, normalized);
        }
    }

  g_set_error_literal (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_FORMAT,
                       _("Enter a mobile number (11 digits, starting with 1) or a landline with its area code, such as 0531-81916531."));
  return FALSE;
}

gboolean
td_validate_postal_code (const char  *input,
                         char       **normalized,
                         GError     **error)
{
  char *value = td_normalize_compact (input);
  gsize len = strlen (value);

  if (len == 0)
    {
      g_set_error_literal (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_REQUIRED,
                           _("Required: enter the 6-digit postal code."));
      return td_validate_finish (FALSE, value, normalized);
    }
  if (len != 6 || !td_validate_all_digits (value, len))
    {
      g_set_error_literal (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_FORMAT,
                           _("A postal code has exactly 6 digits, such as 250014."));
      return td_validate_finish (FALSE, value, normalized);
    }
  return td_validate_finish (TRUE, value, normalized);
}

gboolean
td_validate_email (const char  *input,
                   gboolean     required,
                   char       **normalized,
                   GError     **error)
{
  static GRegex *regex;
  g_autofree char *trimmed = td_normalize_text (input);
  char *value = td_normalize_compact (trimmed);

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex,
                       g_regex_new ("^[A-Za-z0-9._%+-]+@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
                                    "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.[A-Za-z]{2,}$",
                                    G_REGEX_OPTIMIZE, 0, NULL));

  if (value[0] == '\0')
    {
      if (!required)
        return td_validate_finish (TRUE, value, normalized);
      g_set_error_literal (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_REQUIRED,
                           _("Required: enter an e-mail address."));
      return td_validate_finish (FALSE, value, normalized);
    }
  /* "zhang san@x.cn" is not quietly "zhangsan@x.cn". */
  if (strchr (trimmed, ' ') != NULL || strlen (value) > 254 || !g_regex_match (regex, value, 0, NULL))
    {
      g_set_error_literal (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_FORMAT,
                           _("Enter an e-mail address such as office@example.edu.cn."));
      return td_validate_finish (FALSE, value, normalized);
    }
  return td_validate_finish (TRUE, value, normalized);
}
