/* td-record.c: one record, and how each field is read and written
 *
 * A record holds each field as the text of its stored value: numbers as
 * digits, a choice by its id, a boolean as "1"/"0", a reference as the id
 * of the record it names, a choice set as a JSON array of ids, "" for none.
 * td_field_parse() turns what a person or a file wrote into that;
 * td_field_display() and td_field_export() turn it back, for the screen (in
 * the user's language) and for files (in the documented Chinese form).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-record"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "td-limits.h"
#include "td-record.h"
#include "td-validate.h"

struct _TdRecord
{
  GObject             parent_instance;

  const TdRecordKind *kind;
  gint64              id;
  char               *uuid;
  char              **values;
  guint               serial;   /* the list's number for it, for search */
};

G_DEFINE_FINAL_TYPE (TdRecord, td_record, G_TYPE_OBJECT)

static void
td_record_finalize (GObject *object)
{
  TdRecord *self = (TdRecord *)object;

  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->values, g_strfreev);

  G_OBJECT_CLASS (td_record_parent_class)->finalize (object);
}

static void
td_record_class_init (TdRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_record_finalize;
}

static void
td_record_init (TdRecord *self)
{
}

/**
 * td_record_new:
 * @values: (transfer full): one stored value per field of @kind
 */
TdRecord *
td_record_new (const TdRecordKind  *kind,
               gint64               id,
               const char          *uuid,
               char               **values)
{
  TdRecord *self = g_object_new (TD_TYPE_RECORD, NULL);

  g_return_val_if_fail (g_strv_length (values) == kind->n_fields, self);

  self->kind = kind;
  self->id = id;
  self->uuid = g_strdup (uuid);
  self->values = values;
  return self;
}

const TdRecordKind *
td_record_get_kind (TdRecord *self)
{
  return self->kind;
}

gint64
td_record_get_id (TdRecord *self)
{
  return self->id;
}

const char *
td_record_get_uuid (TdRecord *self)
{
  return self->uuid;
}

const char *
td_record_get (TdRecord *self,
               guint     field)
{
  g_return_val_if_fail (field < self->kind->n_fields, NULL);

  return self->values[field];
}

const char * const *
td_record_get_values (TdRecord *self)
{
  return (const char * const *)self->values;
}

/**
 * td_record_set_values:
 * @values: (transfer full)
 */
void
td_record_set_values (TdRecord  *self,
                      char     **values)
{
  g_return_if_fail (g_strv_length (values) == self->kind->n_fields);

  g_strfreev (self->values);
  self->values = values;
}

/* For undo only, when the old id was taken meanwhile (SQLite reuses the
 * highest id): the record keeps its UUID, its identity. */
void
td_record_set_id (TdRecord *self,
                  gint64    id)
{
  self->id = id;
  /* The list's index key is a copy of the id: make it anew. */
  g_object_set_data (G_OBJECT (self), "td-id", NULL);
}

guint
td_record_get_serial (TdRecord *self)
{
  return self->serial;
}

void
td_record_set_serial (TdRecord *self,
                      guint     serial)
{
  self->serial = serial;
}

double
td_record_get_number (TdRecord *self,
                      guint     field)
{
  return g_ascii_strtod (td_record_get (self, field), NULL);
}

static gboolean
td_record_fail (GError     **error,
                int          code,
                const char  *message)
{
  g_set_error_literal (error, TD_VALIDATE_ERROR, code, message);
  return FALSE;
}

/* "1,234", "1 234", "１２３４", "12.5元", "¥12.5": a number as people write it. */
static char *
td_record_clean_number (const char *input)
{
  g_autofree char *compact = td_normalize_compact (input);
  g_autoptr(GString) s = g_string_new (NULL);

  for (const char *p = compact; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == ',' || c == 0x00A5 /* ¥ */ || c == 0x5143 /* 元 */ || c == '%')
        continue;
      g_string_append_unichar (s, c);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
td_record_parse_number (const TdField  *field,
                        const char     *input,
                        gboolean        integer,
                        char          **stored,
                        GError        **error)
{
  g_autofree char *clean = td_record_clean_number (input);
  char *end = NULL;
  double value;

  if (clean[0] == '\0')
    {
      if (field->fallback)
        {
          *stored = g_strdup (field->fallback);
          return TRUE;
        }
      if (field->flags & TD_FIELD_REQUIRED)
        return td_record_fail (error, TD_VALIDATE_ERROR_REQUIRED, _("Required: this field cannot be left empty."));
      /* Unknown stays unknown (NULL): not a zero nobody measured. */
      *stored = g_strdup ("");
      return TRUE;
    }

  value = g_ascii_strtod (clean, &end);
  if (end == clean || *end != '\0' || !isfinite (value))
    return td_record_fail (error, TD_VALIDATE_ERROR_FORMAT,
                           integer ? _("Enter a whole number.") : _("Enter a number, such as 12 or 12.5."));
  if (integer && value != (double)(gint64)value)
    return td_record_fail (error, TD_VALIDATE_ERROR_FORMAT, _("Enter a whole number."));
  if (value < field->min || value > field->max)
    {
      g_autofree char *min = g_strdup_printf ("%.15g", field->min);
      g_autofree char *max = g_strdup_printf ("%.15g", field->max);

      g_set_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_FORMAT,
                   _("Enter a number from %s to %s."), min, max);
      return FALSE;
    }

  if (integer)
    *stored = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)value);
  else
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      /* Twelve significant digits: 0.1 + 0.2 stays 0.3. */
      *stored = g_strdup (g_ascii_formatd (buf, sizeof buf, "%.12g", value));
    }
  return TRUE;
}

static gboolean
td_record_parse_boolean (const char  *input,
                         char       **stored,
                         GError     **error)
{
  static const char * const yes[] = { "1", "是", "y", "yes", "true", "√", "✓", "✔", "有", "对", NULL };
  static const char * const no[] = { "0", "否", "n", "no", "false", "×", "✗", "无", "", NULL };
  g_autofree char *clean = td_normalize_compact (input);
  g_autofree char *lower = g_utf8_strdown (clean, -1);

  if (g_strv_contains (yes, lower) || g_strcmp0 (lower, _("yes")) == 0)
    *stored = g_strdup ("1");
  else if (g_strv_contains (no, lower) || g_strcmp0 (lower, _("no")) == 0)
    *stored = g_strdup ("0");
  else
    return td_record_fail (error, TD_VALIDATE_ERROR_FORMAT, _("Write 是 (yes) or 否 (no)."));
  return TRUE;
}

static char *
td_record_list_choices (const TdField *field)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (const TdChoice *c = field->choices; c->id; c++)
    g_string_append_printf (s, "%s%s", s->len ? "、" : "", c->header);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
td_record_parse_choice (const TdField  *field,
                        const char     *input,
                        char          **stored,
                        GError        **error)
{
  g_autofree char *clean = td_normalize_text (input);
  const TdChoice *choice;

  if (clean[0] == '\0')
    {
      if (field->fallback)
        {
          *stored = g_strdup (field->fallback);
          return TRUE;
        }
      if (field->flags & TD_FIELD_REQUIRED)
        return td_record_fail (error, TD_VALIDATE_ERROR_REQUIRED, _("Required: choose one."));
      *stored = g_strdup ("");
      return TRUE;
    }

  if (!(choice = td_field_find_choice (field, clean)))
    {
      g_autofree char *valid = td_record_list_choices (field);
      g_autofree char *excerpt = td_limit_excerpt (clean);

      g_set_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_UNKNOWN_CODE,
                   _("“%s” is not one of: %s."), excerpt, valid);
      return FALSE;
    }
  *stored = g_strdup (choice->id);
  return TRUE;
}

/* Items of a list as people separate them: 、，,；; / and new lines. */
static GStrv
td_record_split_items (const char *input)
{
  static GRegex *regex;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) items = g_strv_builder_new ();

  /* Compiled once: imports split thousands of cells. */
  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex, g_regex_new ("[、，,；;/\\n|]+", G_REGEX_OPTIMIZE, 0, NULL));
  parts = g_regex_split (regex, input ? input : "", 0);

  for (guint i = 0; parts[i]; i++)
    {
      g_autofree char *item = td_normalize_text (parts[i]);

      if (item[0] != '\0')
        g_strv_builder_add (items, item);
    }
  return g_strv_builder_end (items);
}

static gboolean
td_record_parse_choice_set (const TdField  *field,
                            const char     *input,
                            char          **stored,
                            GError        **error)
{
  g_auto(GStrv) items = NULL;
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  g_autofree char *trimmed = td_normalize_text (input);

  /* Stored JSON comes back as it is (an export read again, say). */
  if (trimmed[0] == '[')
    {
      g_autoptr(GString) s = g_string_new (trimmed);

      g_string_replace (s, "[", "", 0);
      g_string_replace (s, "]", "", 0);
      g_string_replace (s, "\"", "", 0);
      items = td_record_split_items (s->str);
    }
  else
    items = td_record_split_items (trimmed);

  if (items[0] == NULL && (field->flags & TD_FIELD_REQUIRED))
    return td_record_fail (error, TD_VALIDATE_ERROR_REQUIRED, _("Required: choose at least one."));

  for (guint i = 0; items[i]; i++)
    {
      const TdChoice *choice = td_field_find_choice (field, items[i]);

      if (choice == NULL)
        {
          g_autofree char *valid = td_record_list_choices (field);
          g_autofree char *excerpt = td_limit_excerpt (items[i]);

          g_set_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_UNKNOWN_CODE,
                       _("“%s” is not one of: %s."), excerpt, valid);
          return FALSE;
        }
      if (g_ptr_array_find (seen, choice, NULL))
        continue;
      g_ptr_array_add (seen, (gpointer)choice);
    }

  /* In the order of the choices, so equal sets are equal text. */
  for (const TdChoice *c = field->choices; c->id; c++)
    if (g_ptr_array_find (seen, c, NULL))
      /* Choice ids are constants without quotes or backslashes. */
      g_string_append_printf (json, "%s\"%s\"", json->len > 1 ? "," : "", c->id);
  g_string_append_c (json, ']');
  *stored = g_string_free (g_steal_pointer (&json), FALSE);
  return TRUE;
}

static gboolean
td_record_parse_date (const TdField  *field,
                      const char     *input,
                      char          **stored,
                      GError        **error)
{
  static GRegex *regex;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *clean = td_normalize_compact (input);
  g_autofree char *y = NULL, *m = NULL, *d = NULL;

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex, g_regex_new ("^(\\d{4})(?:[-/.年](\\d{1,2})[-/.月](\\d{1,2})日?|(\\d{2})(\\d{2}))$",
                                            G_REGEX_OPTIMIZE, 0, NULL));

  if (clean[0] == '\0')
    {
      if (field->flags & TD_FIELD_REQUIRED)
        return td_record_fail (error, TD_VALIDATE_ERROR_REQUIRED, _("Required: enter a date."));
      *stored = g_strdup ("");
      return TRUE;
    }

  if (g_regex_match (regex, clean, 0, &match))
    {
      y = g_match_info_fetch (match, 1);
      m = g_match_info_fetch (match, 2);
      d = g_match_info_fetch (match, 3);
      if (m == NULL || m[0] == '\0')
        {
          g_free (m);
          g_free (d);
          m = g_match_info_fetch (match, 4);
          d = g_match_info_fetch (match, 5);
        }
      if (g_date_valid_dmy (atoi (d), atoi (m), atoi (y)))
        {
          *stored = g_strdup_printf ("%04d-%02d-%02d", atoi (y), atoi (m), atoi (d));
          return TRUE;
        }
    }
  return td_record_fail (error, TD_VALIDATE_ERROR_FORMAT, _("Enter a date such as 2020-04-28."));
}

static gboolean
td_record_parse_reference (const TdField  *field,
                           const char     *input,
                           TdResolveFunc   resolve,
                           gpointer        user_data,
                           char          **stored,
                           GError        **error)
{
  g_autofree char *name = td_normalize_text (input);
  gint64 id;

  if (name[0] == '\0')
    {
      if (field->flags & TD_FIELD_REQUIRED)
        return td_record_fail (error, TD_VALIDATE_ERROR_REQUIRED, _("Required: choose one."));
      *stored = g_strdup ("");
      return TRUE;
    }

  id = resolve ? resolve (field->reference, name, user_data, error) : 0;
  if (id == 0)
    return FALSE;
  if (id < 0)
    {
      g_set_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_UNKNOWN_CODE,
                   _("Several records are named “%s”: rename them so each name is unique."), name);
      return FALSE;
    }
  *stored = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  return TRUE;
}

/* Trainers and hours: "张伟:16；李娜:8" (or 张伟 16 / 张伟：16), stored as
 * "ID:HOURS;ID:HOURS". */
static gboolean
td_record_parse_teaching (const char     *input,
                          TdResolveFunc   resolve,
                          gpointer        user_data,
                          char          **stored,
                          GError        **error)
{
  static GRegex *regex;
  g_auto(GStrv) items = td_record_split_items (input);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) hours_of = g_array_new (FALSE, FALSE, sizeof (double));

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex, g_regex_new ("^(.+?)\\s*[:：\\s]\\s*([0-9０-９.．]+)$", G_REGEX_OPTIMIZE, 0, NULL));

  for (guint i = 0; items[i]; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *name = NULL;
      g_autofree char *hours_text = NULL;
      g_autofree char *hours = NULL;
      g_autoptr(GError) local_error = NULL;
      static const TdField hours_field = { "hours", NULL, NULL, TD_FIELD_NUMBER, TD_FIELD_REQUIRED, 0, 0, 10000 };
      gint64 id;

      if (!g_regex_match (regex, items[i], 0, &match))
        {
          g_autofree char *excerpt = td_limit_excerpt (items[i]);

          g_set_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_FORMAT,
                       _("“%s”: write each trainer as name:hours, such as 张伟:16."), excerpt);
          return FALSE;
        }
      name = g_match_info_fetch (match, 1);
      hours_text = g_match_info_fetch (match, 2);

      id = resolve ? resolve ("trainers", name, user_data, &local_error) : 0;
      if (id <= 0)
        {
          if (local_error)
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_UNKNOWN_CODE,
                         _("Several trainers are named “%s”: rename them so each name is unique."), name);
          return FALSE;
        }
      if (!td_record_parse_number (&hours_field, hours_text, FALSE, &hours, error))
        return FALSE;

      /* The same trainer twice: one entry with the hours added, as the
       * database keeps it. */
      {
        guint k;

        for (k = 0; k < ids->len && g_array_index (ids, gint64, k) != id; k++)
          ;
        if (k < ids->len)
          g_array_index (hours_of, double, k) += g_ascii_strtod (hours, NULL);
        else
          {
            double h = g_ascii_strtod (hours, NULL);

            g_array_append_val (ids, id);
            g_array_append_val (hours_of, h);
          }
      }
    }

  for (guint k = 0; k < ids->len; k++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (out, "%s%" G_GINT64_FORMAT ":%s", out->len ? ";" : "", g_array_index (ids, gint64, k),
                              g_ascii_formatd (buf, sizeof buf, "%.12g", g_array_index (hours_of, double, k)));
    }

  *stored = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}

/**
 * td_field_parse:
 * @resolve: (nullable): finds referenced records by name
 * @stored: (out): the value as a record holds it
 *
 * Judges what a person or a file wrote for @field, by the field's rules.
 */
gboolean
td_field_parse (const TdField  *field,
                const char     *input,
                TdResolveFunc   resolve,
                gpointer        user_data,
                char          **stored,
                GError        **error)
{
  g_autofree char *value = NULL;
  gboolean ok;

  switch (field->type)
    {
    case TD_FIELD_TEXT:
      ok = td_validate_text (input, field->max_chars, field->flags & TD_FIELD_REQUIRED, &value, error);
      break;

    case TD_FIELD_MULTILINE:
      {
        /* Line by line: paragraphs, indents and the full-width space of
         * "第一条　为……" stay; control characters and trailing blanks go. */
        g_auto(GStrv) lines = NULL;
        g_autoptr(GString) text = g_string_new (NULL);

        if (input != NULL && !g_utf8_validate (input, -1, NULL))
          input = "";
        lines = g_strsplit (input ? input : "", "\n", -1);
        for (guint i = 0; lines[i]; i++)
          {
            g_autoptr(GString) line = g_string_new (NULL);

            for (const char *p = lines[i]; *p; p = g_utf8_next_char (p))
              {
                gunichar c = g_utf8_get_char (p);

                if (c == '\t' || !g_unichar_iscntrl (c))
                  g_string_append_unichar (line, c);
              }
            while (line->len > 0)
              {
                const char *last = g_utf8_find_prev_char (line->str, line->str + line->len);

                if (!g_unichar_isspace (g_utf8_get_char (last)) && g_utf8_get_char (last) != 0x3000)
                  break;
                g_string_truncate (line, last - line->str);
              }
            g_string_append_printf (text, "%s%s", i ? "\n" : "", line->str);
          }
        while (text->len && text->str[text->len - 1] == '\n')
          g_string_truncate (text, text->len - 1);
        while (text->len && text->str[0] == '\n')
          g_string_erase (text, 0, 1);
        ok = td_validate_text (text->str, field->max_chars, field->flags & TD_FIELD_REQUIRED, NULL, error);
        if (ok)
          value = g_string_free (g_steal_pointer (&text), FALSE);
      }
      break;

    case TD_FIELD_INTEGER:
      ok = td_record_parse_number (field, input, TRUE, &value, error);
      break;

    case TD_FIELD_NUMBER:
      ok = td_record_parse_number (field, input, FALSE, &value, error);
      break;

    case TD_FIELD_BOOLEAN:
      ok = td_record_parse_boolean (input, &value, error);
      break;

    case TD_FIELD_CHOICE:
      ok = td_record_parse_choice (field, input, &value, error);
      break;

    case TD_FIELD_CHOICE_SET:
      ok = td_record_parse_choice_set (field, input, &value, error);
      break;

    case TD_FIELD_DATE:
      ok = td_record_parse_date (field, input, &value, error);
      break;

    case TD_FIELD_REFERENCE:
      ok = td_record_parse_reference (field, input, resolve, user_data, &value, error);
      break;

    case TD_FIELD_TEACHING:
      ok = td_record_parse_teaching (input, resolve, user_data, &value, error);
      break;

    default:
      g_assert_not_reached ();
    }

  if (ok)
    *stored = g_steal_pointer (&value);
  return ok;
}

static char *
td_record_format_choice_set (const TdField *field,
                             const char    *stored,
                             gboolean       for_file)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const TdChoice *c = field->choices; c->id; c++)
    {
      g_autofree char *quoted = g_strdup_printf ("\"%s\"", c->id);

      if (stored && strstr (stored, quoted))
        g_string_append_printf (out, "%s%s",
                                /* Translators: between the items of a list, such as target groups */
                                out->len ? (for_file ? "、" : g_dpgettext2 (GETTEXT_PACKAGE, "list separator", ", ")) : "",
                                for_file ? c->header : g_dgettext (GETTEXT_PACKAGE, c->label));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
td_record_format_teaching (const char *stored,
                           TdNameFunc  name_of,
                           gpointer    user_data,
                           const char *separator)
{
  g_auto(GStrv) items = g_strsplit (stored ? stored : "", ";", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; items[i]; i++)
    {
      const char *colon = strchr (items[i], ':');
      const char *name;

      if (colon == NULL)
        continue;
      name = name_of ? name_of ("trainers", g_ascii_strtoll (items[i], NULL, 10), user_data) : NULL;
      g_string_append_printf (out, "%s%s:%s", out->len ? separator : "", name ? name : "?", colon + 1);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
td_record_format_reference (const TdField *field,
                            const char    *stored,
                            TdNameFunc     name_of,
                            gpointer       user_data)
{
  const char *name;

  if (stored == NULL || stored[0] == '\0' || name_of == NULL)
    return g_strdup ("");
  name = name_of (field->reference, g_ascii_strtoll (stored, NULL, 10), user_data);
  return g_strdup (name ? name : "");
}

/**
 * td_field_display:
 *
 * Returns: (transfer full): @stored as the interface shows it, in the
 *   user's language.
 */
char *
td_field_display (const TdField *field,
                  const char    *stored,
                  TdNameFunc     name_of,
                  gpointer       user_data)
{
  switch (field->type)
    {
    case TD_FIELD_BOOLEAN:
      return g_strdup (g_strcmp0 (stored, "1") == 0 ? _("Yes") : _("No"));
    case TD_FIELD_CHOICE:
      return g_strdup (stored && stored[0] ? td_field_choice_label (field, stored) : "");
    case TD_FIELD_CHOICE_SET:
      return td_record_format_choice_set (field, stored, FALSE);
    case TD_FIELD_REFERENCE:
      return td_record_format_reference (field, stored, name_of, user_data);
    case TD_FIELD_TEACHING:
      return td_record_format_teaching (stored, name_of, user_data, "; ");
    case TD_FIELD_TEXT:
    case TD_FIELD_MULTILINE:
    case TD_FIELD_INTEGER:
    case TD_FIELD_NUMBER:
    case TD_FIELD_DATE:
    default:
      return g_strdup (stored ? stored : "");
    }
}

/**
 * td_field_export:
 *
 * Returns: (transfer full): @stored as files hold it: the Chinese choice
 *   names, 是/否, names for references. td_field_parse() reads it back.
 */
char *
td_field_export (const TdField *field,
                 const char    *stored,
                 TdNameFunc     name_of,
                 gpointer       user_data)
{
  switch (field->type)
    {
    case TD_FIELD_BOOLEAN:
      return g_strdup (g_strcmp0 (stored, "1") == 0 ? "是" : "否");
    case TD_FIELD_CHOICE:
      return g_strdup (stored && stored[0] ? td_field_choice_header (field, stored) : "");
    case TD_FIELD_CHOICE_SET:
      return td_record_format_choice_set (field, stored, TRUE);
    case TD_FIELD_REFERENCE:
      return td_record_format_reference (field, stored, name_of, user_data);
    case TD_FIELD_TEACHING:
      return td_record_format_teaching (stored, name_of, user_data, "；");
    case TD_FIELD_TEXT:
    case TD_FIELD_MULTILINE:
    case TD_FIELD_INTEGER:
    case TD_FIELD_NUMBER:
    case TD_FIELD_DATE:
    default:
      return g_strdup (stored ? stored : "");
    }
}
