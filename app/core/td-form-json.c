/* td-form-json.c: the intent form as a JSON document, and as a catalogue row
 *
 * The document (docs/form-json.md) holds the form's fields under stable
 * keys, always in the same order, so the same form always gives the same
 * bytes. Reading checks the structure only — schema version, members,
 * types, category ids — and names the member at fault; the form's own
 * rules (postal code, phone, 500 characters) are td_form_check()'s, so a
 * form with a mistake can be imported and corrected. What no form holds is
 * refused on reading (td-limits.h): a document over 256 KiB, a text over
 * 5,000 characters, a \u0000, a member twice.
 *
 * Importing a document into a database (td_form_import_json()) writes what
 * exporting it reads: the school profile's fields (1–5, 10) and the
 * office's texts for fields 6–9, in one transaction, so that the form
 * exported again is the same document. There the profile's rules apply.
 *
 * The catalogue row is what the province compiles: the form's fields in
 * printed order under the form's Chinese labels, written as CSV (UTF-8
 * with BOM) or .xlsx.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-form-json"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "td-divisions.h"
#include "td-canonical-json.h"
#include "td-form-json.h"
#include "td-limits.h"
#include "td-record-kind.h"
#include "td-school.h"
#include "td-validate.h"
#include "td-xlsx.h"

G_DEFINE_QUARK (td-form-json-error-quark, td_form_json_error)

/* The form's three td_form_json_categories, in its order, with their printed names. */
static const TdChoice *
td_form_json_categories (void)
{
  const TdRecordKind *kind = td_record_kind_lookup ("programmes");

  return kind->fields[td_record_kind_field_index (kind, "category")].choices;
}

static const TdChoice *
td_form_json_find_category (const char *id)
{
  for (const TdChoice *c = td_form_json_categories (); c->id; c++)
    if (g_str_equal (c->id, id))
      return c;
  return NULL;
}

static void
td_form_json_add_string (JsonBuilder *builder,
                         const char  *name,
                         const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
td_form_json_add_field (JsonBuilder *builder,
                        const char  *name,
                        TdForm      *form,
                        TdFormField  field)
{
  td_form_json_add_string (builder, name, td_form_get (form, field));
}

/**
 * td_form_to_json_node:
 *
 * The form as docs/form-json.md describes it, members in the documented
 * order.
 *
 * Returns: (transfer full): an object node
 */
JsonNode *
td_form_to_json_node (TdForm *form)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) ids = g_strsplit (td_form_get (form, TD_FORM_CATEGORIES), ",", -1);

  g_return_val_if_fail (TD_IS_FORM (form), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, TD_FORM_JSON_SCHEMA);
  td_form_json_add_string (builder, "campaign", td_form_get_campaign_id (form));
  td_form_json_add_field (builder, "name", form, TD_FORM_NAME);
  td_form_json_add_field (builder, "authority", form, TD_FORM_AUTHORITY);

  json_builder_set_member_name (builder, "address");
  json_builder_begin_object (builder);
  td_form_json_add_field (builder, "city", form, TD_FORM_CITY);
  td_form_json_add_field (builder, "county", form, TD_FORM_COUNTY);
  td_form_json_add_field (builder, "street", form, TD_FORM_STREET);
  json_builder_end_object (builder);

  td_form_json_add_field (builder, "postal_code", form, TD_FORM_POSTAL_CODE);

  json_builder_set_member_name (builder, "contact");
  json_builder_begin_object (builder);
  td_form_json_add_field (builder, "name", form, TD_FORM_CONTACT_NAME);
  td_form_json_add_field (builder, "phone", form, TD_FORM_PHONE);
  td_form_json_add_field (builder, "email", form, TD_FORM_EMAIL);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "categories");
  json_builder_begin_array (builder);
  for (guint i = 0; ids[i]; i++)
    if (ids[i][0])
      json_builder_add_string_value (builder, ids[i]);
  json_builder_end_array (builder);

  td_form_json_add_field (builder, "fields", form, TD_FORM_FIELDS);
  td_form_json_add_field (builder, "capacity", form, TD_FORM_CAPACITY);
  td_form_json_add_field (builder, "results", form, TD_FORM_RESULTS);
  td_form_json_add_field (builder, "legal_representative", form, TD_FORM_LEGAL_REPRESENTATIVE);

  /* Only once given, at sign-off: a form before it reads as it always did. */
  if (td_form_get_opinion (form))
    {
      json_builder_set_member_name (builder, "opinion");
      json_builder_begin_object (builder);
      td_form_json_add_string (builder, "text", td_form_get_opinion (form));
      td_form_json_add_string (builder, "date", td_form_get_opinion_date (form));
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "years");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "first");
  json_builder_add_int_value (builder, td_form_get_first_year (form));
  json_builder_set_member_name (builder, "last");
  json_builder_add_int_value (builder, td_form_get_last_year (form));
  json_builder_end_object (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * td_form_to_json:
 * @length: (out) (optional): the length in bytes
 *
 * Returns: (transfer full): the document, pretty-printed (two spaces), UTF-8,
 *   ending with a newline; the same form always gives the same bytes
 */
char *
td_form_to_json (TdForm *form,
                 gsize  *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = td_form_to_json_node (form);
  g_autoptr(GString) out = g_string_new (NULL);

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  json_generator_to_gstring (generator, out);
  g_string_append_c (out, '\n');
  if (length)
    *length = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Reading */

static gboolean
td_form_json_invalid (GError     **error,
                      const char  *format,
                      ...) G_GNUC_PRINTF (2, 3);

static gboolean
td_form_json_invalid (GError     **error,
                      const char  *format,
                      ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;
  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (TD_FORM_JSON_ERROR, TD_FORM_JSON_ERROR_INVALID, format, args));
  va_end (args);
  return FALSE;
}

static char *
td_form_json_member_path (const char *parent,
                          const char *name)
{
  return parent ? g_strconcat (parent, ".", name, NULL) : g_strdup (name);
}

static JsonNode *
td_form_json_get_member (JsonObject  *object,
                         const char  *parent,
                         const char  *name,
                         GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    {
      g_autofree char *path = td_form_json_member_path (parent, name);

      td_form_json_invalid (error, _("Member “%s” is missing."), path);
    }
  return node;
}

static const char *
td_form_json_get_string (JsonObject  *object,
                         const char  *parent,
                         const char  *name,
                         GError     **error)
{
  JsonNode *node = td_form_json_get_member (object, parent, name, error);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *path = td_form_json_member_path (parent, name);

      td_form_json_invalid (error, _("Member “%s” must be a string."), path);
      return NULL;
    }
  if (g_utf8_strlen (json_node_get_string (node), -1) > TD_LIMIT_FORM_TEXT)
    {
      g_autofree char *path = td_form_json_member_path (parent, name);

      td_form_json_invalid (error, _("Member “%s” is longer than %u characters: it is not a form’s text."),
                            path, TD_LIMIT_FORM_TEXT);
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
td_form_json_get_int (JsonObject  *object,
                      const char  *parent,
                      const char  *name,
                      int         *value,
                      GError     **error)
{
  JsonNode *node = td_form_json_get_member (object, parent, name, error);
  gint64 n;

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      (n = json_node_get_int (node)) < G_MININT || n > G_MAXINT)
    {
      g_autofree char *path = td_form_json_member_path (parent, name);

      return td_form_json_invalid (error, _("Member “%s” must be a whole number."), path);
    }
  *value = (int)n;
  return TRUE;
}

static JsonObject *
td_form_json_get_object (JsonObject  *object,
                         const char  *name,
                         GError     **error)
{
  JsonNode *node = td_form_json_get_member (object, NULL, name, error);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      td_form_json_invalid (error, _("Member “%s” must be an object."), name);
      return NULL;
    }
  return json_node_get_object (node);
}

/* "2026-12-05": a day that exists, four-digit year. */
static gboolean
td_form_json_is_iso_date (const char *text)
{
  int year, month, day;
  char end;

  if (strlen (text) != 10)
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if ((i == 4 || i == 7) ? text[i] != '-' : !g_ascii_isdigit (text[i]))
      return FALSE;
  if (sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &end) != 3)
    return FALSE;
  return g_date_valid_dmy (day, month, year);
}

/* The optional member `opinion`: TRUE with *text NULL when it is absent
 * (a form not signed off, or signed before it existed). */
static gboolean
td_form_json_read_opinion (JsonObject  *root,
                           const char **text,
                           const char **date,
                           GError     **error)
{
  JsonObject *opinion;

  *text = *date = NULL;
  if (!json_object_has_member (root, "opinion"))
    return TRUE;
  if (!(opinion = td_form_json_get_object (root, "opinion", error)) ||
      !(*text = td_form_json_get_string (opinion, "opinion", "text", error)) ||
      !(*date = td_form_json_get_string (opinion, "opinion", "date", error)))
    return FALSE;
  if (!td_form_json_is_iso_date (*date))
    {
      g_autofree char *excerpt = td_limit_excerpt (*date);

      return td_form_json_invalid (error, _("Member “%s” is “%s”, not a date written as 2026-12-05."), "opinion.date", excerpt);
    }
  return TRUE;
}

/* "enterprise-staff,key-groups", in the form's order. */
static char *
td_form_json_read_categories (JsonObject  *object,
                              GError     **error)
{
  JsonNode *node = td_form_json_get_member (object, NULL, "categories", error);
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      td_form_json_invalid (error, _("Member “%s” must be an array of category ids."), "categories");
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("categories[%u]", i);
      const char *id;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        {
          td_form_json_invalid (error, _("Member “%s” must be a string."), path);
          return NULL;
        }
      id = json_node_get_string (item);
      if (td_form_json_find_category (id) == NULL)
        {
          g_autofree char *excerpt = td_limit_excerpt (id);

          td_form_json_invalid (error, _("Member “%s” is “%s”, not one of the form’s categories "
                                         "(enterprise-staff, key-groups, unemployed)."), path, excerpt);
          return NULL;
        }
      if (!g_hash_table_add (seen, (gpointer)id))
        {
          td_form_json_invalid (error, _("Member “%s” names the category “%s” a second time."), path, id);
          return NULL;
        }
    }
  for (const TdChoice *c = td_form_json_categories (); c->id; c++)
    if (g_hash_table_contains (seen, c->id))
      g_string_append_printf (ids, "%s%s", ids->len ? "," : "", c->id);
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/**
 * td_form_new_from_json_node:
 *
 * Reads a form from a parsed document. Members this version does not know
 * are ignored, so a later version can add to the format; a later schema
 * is refused.
 *
 * Returns: (transfer full) (nullable): the form, or %NULL with @error
 *   naming the member at fault
 */
TdForm *
td_form_new_from_json_node (JsonNode  *node,
                            GError   **error)
{
  static const struct { const char *parent; const char *name; TdFormField field; } strings[] = {
    { NULL, "name", TD_FORM_NAME },
    { NULL, "authority", TD_FORM_AUTHORITY },
    { "address", "city", TD_FORM_CITY },
    { "address", "county", TD_FORM_COUNTY },
    { "address", "street", TD_FORM_STREET },
    { NULL, "postal_code", TD_FORM_POSTAL_CODE },
    { "contact", "name", TD_FORM_CONTACT_NAME },
    { "contact", "phone", TD_FORM_PHONE },
    { "contact", "email", TD_FORM_EMAIL },
    { NULL, "fields", TD_FORM_FIELDS },
    { NULL, "capacity", TD_FORM_CAPACITY },
    { NULL, "results", TD_FORM_RESULTS },
    { NULL, "legal_representative", TD_FORM_LEGAL_REPRESENTATIVE },
  };
  const char *values[G_N_ELEMENTS (strings)];
  const char *opinion, *opinion_date;
  g_autofree char *category_ids = NULL;
  JsonObject *root, *address, *contact, *years;
  const char *campaign;
  int schema, first, last;
  TdForm *form;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      td_form_json_invalid (error, _("Not a form: the document must be a JSON object."));
      return NULL;
    }
  root = json_node_get_object (node);

  if (!td_form_json_get_int (root, NULL, "schema", &schema, error))
    return NULL;
  if (schema > TD_FORM_JSON_SCHEMA)
    {
      g_set_error (error, TD_FORM_JSON_ERROR, TD_FORM_JSON_ERROR_TOO_NEW,
                   _("Member “schema” is %d: this form was written by a later version of "
                     "Training Desk, and this one reads schema %d. Update Training Desk to open it."),
                   schema, TD_FORM_JSON_SCHEMA);
      return NULL;
    }
  if (schema < 1)
    {
      td_form_json_invalid (error, _("Member “schema” must be %d, not %d."), TD_FORM_JSON_SCHEMA, schema);
      return NULL;
    }

  if (!(campaign = td_form_json_get_string (root, NULL, "campaign", error)) ||
      !(address = td_form_json_get_object (root, "address", error)) ||
      !(contact = td_form_json_get_object (root, "contact", error)) ||
      !(years = td_form_json_get_object (root, "years", error)))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      JsonObject *in = root;

      if (strings[i].parent)
        in = g_str_equal (strings[i].parent, "address") ? address : contact;
      if (!(values[i] = td_form_json_get_string (in, strings[i].parent, strings[i].name, error)))
        return NULL;
    }
  if (!(category_ids = td_form_json_read_categories (root, error)))
    return NULL;
  if (!td_form_json_get_int (years, "years", "first", &first, error) ||
      !td_form_json_get_int (years, "years", "last", &last, error))
    return NULL;
  if (first > last)
    {
      td_form_json_invalid (error, _("Member “years”: the first year (%d) comes after the last (%d)."), first, last);
      return NULL;
    }
  if (!td_form_json_read_opinion (root, &opinion, &opinion_date, error))
    return NULL;

  form = td_form_new (campaign, first, last);
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    td_form_set (form, strings[i].field, values[i]);
  td_form_set (form, TD_FORM_CATEGORIES, category_ids);
  td_form_set_opinion (form, opinion, opinion_date);
  return form;
}

/**
 * td_form_new_from_json:
 * @length: the length of @json in bytes, or -1 when it ends with a nul
 *
 * Returns: (transfer full) (nullable): the form, or %NULL with @error
 *   naming the member at fault
 */
TdForm *
td_form_new_from_json (const char  *json,
                       gssize       length,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;

  if (json && !td_json_check_limits (json, length < 0 ? strlen (json) : (gsize)length,
                                     TD_LIMIT_FORM_FILE, &local_error))
    {
      td_form_json_invalid (error, _("Not a form: %s"), local_error->message);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      /* JSON-GLib quotes the bad token, bytes that need not be UTF-8. */
      g_autofree char *reason = g_utf8_make_valid (local_error->message, -1);

      td_form_json_invalid (error, _("Not a form: %s"), reason);
      return NULL;
    }
  return td_form_new_from_json_node (json_parser_get_root (parser), error);
}

/* Importing into a database */

/* The school profile's fields, with the members that hold them. */
static const struct
{
  TdFormField    form;
  TdSchoolField  school;
  const char    *member;
} profile_fields[] = {
  { TD_FORM_NAME, TD_SCHOOL_NAME, "name" },
  { TD_FORM_AUTHORITY, TD_SCHOOL_AUTHORITY, "authority" },
  { TD_FORM_CITY, TD_SCHOOL_CITY, "address.city" },
  { TD_FORM_COUNTY, TD_SCHOOL_COUNTY, "address.county" },
  { TD_FORM_STREET, TD_SCHOOL_STREET, "address.street" },
  { TD_FORM_POSTAL_CODE, TD_SCHOOL_POSTAL_CODE, "postal_code" },
  { TD_FORM_CONTACT_NAME, TD_SCHOOL_CONTACT_NAME, "contact.name" },
  { TD_FORM_PHONE, TD_SCHOOL_PHONE, "contact.phone" },
  { TD_FORM_EMAIL, TD_SCHOOL_EMAIL, "contact.email" },
  { TD_FORM_LEGAL_REPRESENTATIVE, TD_SCHOOL_LEGAL_REPRESENTATIVE, "legal_representative" },
};

/* The office's texts, as td_form_save_edit() keeps them. */
static const struct
{
  TdFormField  field;
  const char  *member;
} edited_fields[] = {
  { TD_FORM_CATEGORIES, "categories" },
  { TD_FORM_FIELDS, "fields" },
  { TD_FORM_CAPACITY, "capacity" },
  { TD_FORM_RESULTS, "results" },
};

typedef struct
{
  TdCampaign *campaign;
  TdForm     *form;
} ImportData;

static gboolean
td_form_json_refuse (GError     **error,
                     const char  *format,
                     ...) G_GNUC_PRINTF (2, 3);

static gboolean
td_form_json_refuse (GError     **error,
                     const char  *format,
                     ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;
  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (TD_FORM_JSON_ERROR, TD_FORM_JSON_ERROR_REFUSED, format, args));
  va_end (args);
  return FALSE;
}

/* The code of the division of @parent_code named @name. */
static const char *
td_form_json_division_code (const char *parent_code,
                            const char *name)
{
  g_autoptr(GPtrArray) children = td_divisions_children (parent_code);

  for (guint i = 0; i < children->len; i++)
    {
      const TdDivision *division = g_ptr_array_index (children, i);

      if (g_str_equal (division->name, name))
        return division->code;
    }
  return NULL;
}

static gboolean
td_form_json_import_in_transaction (TdStore  *store,
                                    gpointer  user_data,
                                    GError  **error)
{
  ImportData *data = user_data;
  const char *province = td_campaign_get_province (data->campaign);
  const char *city = td_form_get (data->form, TD_FORM_CITY);
  const char *county = td_form_get (data->form, TD_FORM_COUNTY);
  const char *values[TD_SCHOOL_N_FIELDS] = { NULL };
  g_autoptr(TdSchool) school = NULL;
  g_autoptr(GError) local_error = NULL;
  TdSchoolField failed = TD_SCHOOL_N_FIELDS;

  for (guint i = 0; i < G_N_ELEMENTS (profile_fields); i++)
    values[profile_fields[i].school] = td_form_get (data->form, profile_fields[i].form);

  /* The address's names, as the divisions' codes the profile keeps. */
  if (city[0] && !(values[TD_SCHOOL_CITY] = td_form_json_division_code (province, city)))
    {
      const TdDivision *p = td_divisions_lookup (province);
      g_autofree char *excerpt = td_limit_excerpt (city);

      return td_form_json_refuse (error, _("Member “%s”: “%s” is not a city of %s, the campaign’s province."),
                                  "address.city", excerpt, p ? p->name : province);
    }
  if (county[0] && !city[0])
    return td_form_json_refuse (error, _("Member “%s”: a county or district needs its city in “%s”."),
                                "address.county", "address.city");
  if (county[0] && !(values[TD_SCHOOL_COUNTY] = td_form_json_division_code (values[TD_SCHOOL_CITY], county)))
    {
      g_autofree char *excerpt = td_limit_excerpt (county);

      return td_form_json_refuse (error, _("Member “%s”: “%s” is not a county or district of %s."),
                                  "address.county", excerpt, city);
    }

  if (!(school = td_school_new (store, error)))
    return FALSE;
  if (!td_school_update_in_transaction (school, province, values, &failed, &local_error))
    {
      for (guint i = 0; i < G_N_ELEMENTS (profile_fields); i++)
        if (profile_fields[i].school == failed && local_error->domain == TD_VALIDATE_ERROR)
          return td_form_json_refuse (error, _("Member “%s”: %s"), profile_fields[i].member, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* After the profile: the texts are not older than the records. */
  for (guint i = 0; i < G_N_ELEMENTS (edited_fields); i++)
    if (!td_form_save_edit (store, data->form, edited_fields[i].field,
                            td_form_get (data->form, edited_fields[i].field), &local_error))
      {
        if (local_error->domain == TD_VALIDATE_ERROR)
          return td_form_json_refuse (error, _("Member “%s”: %s"), edited_fields[i].member, local_error->message);
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
  return TRUE;
}

/**
 * td_form_import_json:
 * @campaign: the campaign @store works on (td_campaign_load_current())
 * @length: the length of @json in bytes, or -1 when it ends with a nul
 *
 * Writes the form of a document into @store, in one transaction: the
 * school profile's fields as the document has them (an empty one cleared)
 * and its fields 6–9 as the office's texts, so that the form read from
 * @store (td_form_load(), for the same years) gives the same document.
 * The document must answer @campaign, its address be in the campaign's
 * province, and every value pass the school profile's rules and the
 * form's limit; otherwise nothing is written.
 *
 * Returns: (transfer full) (nullable): the form imported, or %NULL with
 *   @error naming the member at fault
 */
TdForm *
td_form_import_json (TdStore     *store,
                     TdCampaign  *campaign,
                     const char  *json,
                     gssize       length,
                     GError     **error)
{
  g_autoptr(TdForm) form = NULL;
  ImportData data;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);
  g_return_val_if_fail (TD_IS_CAMPAIGN (campaign), NULL);

  if (!(form = td_form_new_from_json (json, length, error)))
    return NULL;
  if (!g_str_equal (td_form_get_campaign_id (form), td_campaign_get_id (campaign)))
    {
      g_autofree char *excerpt = td_limit_excerpt (td_form_get_campaign_id (form));

      g_set_error (error, TD_FORM_JSON_ERROR, TD_FORM_JSON_ERROR_OTHER_CAMPAIGN,
                   _("This form answers the campaign “%s”, and the database works on “%s”. "
                     "Import that campaign first."),
                   excerpt, td_campaign_get_id (campaign));
      return NULL;
    }

  data.campaign = campaign;
  data.form = form;
  if (!td_store_transaction (store, td_form_json_import_in_transaction, &data, error))
    return NULL;
  return g_steal_pointer (&form);
}

/* The catalogue */

/**
 * td_form_catalogue_headers:
 *
 * Returns: (transfer none) (array zero-terminated=1): the catalogue's
 *   column headers, the form's labels in printed order
 */
const char * const *
td_form_catalogue_headers (void)
{
  static const char * const headers[TD_FORM_CATALOGUE_N_COLUMNS + 1] = {
    "单位名称", "主管部门", "单位地址", "邮政编码", "联系人", "联系方式",
    "拟承担培训项目类别", "主要培训领域", "培训能力简述", "近三年来主要培训业绩", NULL,
  };

  return headers;
}

/**
 * td_form_catalogue_row:
 *
 * The form as one row of the province's catalogue: the address written
 * whole (济南市历下区文化西路29号), phone and e-mail joined by "；", the
 * td_form_json_categories by name joined by "、".
 *
 * Returns: (transfer full): %TD_FORM_CATALOGUE_N_COLUMNS cells
 */
char **
td_form_catalogue_row (TdForm *form)
{
  g_autoptr(GStrvBuilder) row = g_strv_builder_new ();
  g_autoptr(GString) names = g_string_new (NULL);
  const char *phone = td_form_get (form, TD_FORM_PHONE);
  const char *email = td_form_get (form, TD_FORM_EMAIL);
  g_autofree char *address = g_strconcat (td_form_get (form, TD_FORM_CITY), td_form_get (form, TD_FORM_COUNTY),
                                          td_form_get (form, TD_FORM_STREET), NULL);
  g_autofree char *ways = g_strjoin (phone[0] && email[0] ? "；" : "", phone, email, NULL);

  for (const TdChoice *c = td_form_json_categories (); c->id; c++)
    if (td_form_has_category (form, c->id))
      g_string_append_printf (names, "%s%s", names->len ? "、" : "", c->header);

  g_strv_builder_add (row, td_form_get (form, TD_FORM_NAME));
  g_strv_builder_add (row, td_form_get (form, TD_FORM_AUTHORITY));
  g_strv_builder_add (row, address);
  g_strv_builder_add (row, td_form_get (form, TD_FORM_POSTAL_CODE));
  g_strv_builder_add (row, td_form_get (form, TD_FORM_CONTACT_NAME));
  g_strv_builder_add (row, ways);
  g_strv_builder_add (row, names->str);
  g_strv_builder_add (row, td_form_get (form, TD_FORM_FIELDS));
  g_strv_builder_add (row, td_form_get (form, TD_FORM_CAPACITY));
  g_strv_builder_add (row, td_form_get (form, TD_FORM_RESULTS));
  return g_strv_builder_end (row);
}

/**
 * td_form_catalogue_table:
 *
 * Returns: (transfer full): the headers and the form's row
 */
TdTable *
td_form_catalogue_table (TdForm *form)
{
  TdTable *table = td_table_new ();
  g_auto(GStrv) row = td_form_catalogue_row (form);

  td_table_add_cells (table, 1, td_form_catalogue_headers (), TD_FORM_CATALOGUE_N_COLUMNS);
  td_table_add_cells (table, 2, (const char * const *)row, TD_FORM_CATALOGUE_N_COLUMNS);
  return table;
}

/**
 * td_form_write_catalogue:
 * @path: ending in .xlsx for a workbook; anything else is CSV (UTF-8 with
 *   a byte order mark, as Excel opens it)
 *
 * Writes the catalogue's headers and the form's row.
 */
gboolean
td_form_write_catalogue (TdForm      *form,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(TdTable) table = td_form_catalogue_table (form);
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".xlsx"))
    return td_xlsx_write (table, path, "意向表", NULL, error);
  return td_csv_write (table, path, error);
}
