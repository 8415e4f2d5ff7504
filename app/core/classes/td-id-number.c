/* td-id-number.c: resident identity numbers (GB 11643) and masking
 *
 * A trainee is one person across classes and years because their ID
 * number keys them (issue 15), so a number with a wrong check digit would
 * make one person two: every number is checked here before it is stored.
 * The 15-digit numbers issued before 1999 carry no check digit and were
 * all replaced by 2013; they are refused with a message that says so,
 * rather than widened with a guessed century.
 *
 * Masking keeps the first four digits (province and city: where a class
 * recruits, which offices ask about) and the last four (how a clerk tells
 * two people apart on the phone): 3701**********1234.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-id-number"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "td-id-number.h"

G_DEFINE_QUARK (td-id-number-error-quark, td_id_number_error)

/* GB 11643-1999 §8.2: weights 2^(18-i) mod 11, check = (12 - Σ mod 11) mod 11. */
static const int td_id_number_weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };

char
td_id_number_check_digit (const char *first17)
{
  int sum = 0;

  g_return_val_if_fail (first17 != NULL, '\0');

  for (guint i = 0; i < 17; i++)
    {
      if (!g_ascii_isdigit (first17[i]))
        return '\0';
      sum += (first17[i] - '0') * td_id_number_weights[i];
    }
  return "10X98765432"[sum % 11];
}

/**
 * td_id_number_parse:
 * @text: a number as typed or read (spaces around it are ignored; a
 *   lowercase x is read as X)
 * @id: (out) (optional): the number, normalised, and what it says
 *
 * Returns: whether @text is a valid 18-character resident identity number.
 */
gboolean
td_id_number_parse (const char  *text,
                    TdIdNumber  *id,
                    GError     **error)
{
  g_autofree char *number = NULL;
  TdIdNumber parsed = { 0 };
  gsize len;
  int year, month, day;
  char check;

  g_return_val_if_fail (text != NULL, FALSE);

  number = g_strstrip (g_strdup (text));
  len = strlen (number);
  if (len == 15 && strspn (number, "0123456789") == 15)
    {
      g_set_error (error, TD_ID_NUMBER_ERROR, TD_ID_NUMBER_ERROR_LEGACY,
                   _("“%s” is an old 15-digit ID number. Only 18-character numbers are accepted: "
                     "ask the trainee for the number on their current card."), number);
      return FALSE;
    }
  if (len != 18)
    {
      g_set_error (error, TD_ID_NUMBER_ERROR, TD_ID_NUMBER_ERROR_LENGTH,
                   _("“%s” is not an ID number: it must have 18 characters, not %u."),
                   number, (guint)g_utf8_strlen (number, -1));
      return FALSE;
    }
  if (number[17] == 'x')
    number[17] = 'X';
  if (strspn (number, "0123456789") < 17 ||
      !(g_ascii_isdigit (number[17]) || number[17] == 'X'))
    {
      g_set_error (error, TD_ID_NUMBER_ERROR, TD_ID_NUMBER_ERROR_CHARACTERS,
                   _("“%s” is not an ID number: it must be 17 digits followed by a digit or X."),
                   number);
      return FALSE;
    }

  year = (number[6] - '0') * 1000 + (number[7] - '0') * 100 + (number[8] - '0') * 10 + (number[9] - '0');
  month = (number[10] - '0') * 10 + (number[11] - '0');
  day = (number[12] - '0') * 10 + (number[13] - '0');
  if (year < 1900 || !g_date_valid_dmy (day, month, year))
    {
      g_set_error (error, TD_ID_NUMBER_ERROR, TD_ID_NUMBER_ERROR_BIRTH_DATE,
                   _("“%s” is not an ID number: its digits 7 to 14 are not a birth date."),
                   number);
      return FALSE;
    }

  check = td_id_number_check_digit (number);
  if (check != number[17])
    {
      g_set_error (error, TD_ID_NUMBER_ERROR, TD_ID_NUMBER_ERROR_CHECK_DIGIT,
                   _("“%s” is not a valid ID number: its check digit is wrong. "
                     "Check the number for a mistyped digit."), number);
      return FALSE;
    }

  memcpy (parsed.number, number, 18);
  memcpy (parsed.region, number, 6);
  g_snprintf (parsed.birth_date, sizeof parsed.birth_date, "%04d-%02d-%02d", year, month, day);
  parsed.gender = (number[16] - '0') % 2 == 1 ? TD_GENDER_MALE : TD_GENDER_FEMALE;
  if (id != NULL)
    *id = parsed;
  return TRUE;
}

static char *
td_id_number_mask_middle (const char *text,
                          guint       keep_head,
                          guint       keep_tail)
{
  gsize len;
  GString *masked;

  if (text == NULL)
    return g_strdup ("");
  len = strlen (text);
  /* Too short to keep anything and still hide something: hide it all. */
  if (len <= keep_head + keep_tail)
    return g_strnfill (len, '*');
  masked = g_string_new_len (text, keep_head);
  for (gsize i = keep_head; i < len - keep_tail; i++)
    g_string_append_c (masked, '*');
  g_string_append (masked, text + len - keep_tail);
  return g_string_free (masked, FALSE);
}

/**
 * td_id_number_mask:
 *
 * Returns: (transfer full): "3701**********1234": what lists, exports
 *   (unless asked for in full) and messages show of an ID number.
 */
char *
td_id_number_mask (const char *number)
{
  return td_id_number_mask_middle (number, 4, 4);
}

/**
 * td_phone_mask:
 *
 * Returns: (transfer full): "138****5678" for a mobile number.
 */
char *
td_phone_mask (const char *phone)
{
  return td_id_number_mask_middle (phone, 3, 4);
}
