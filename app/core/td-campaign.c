/* td-campaign.c: one call for intent forms — who asks, by when, to whom
 *
 * Read with json-glib and checked against the schema of docs/campaign.md:
 * a campaign file that is not right is refused with the member named. Each
 * text has a length limit (td-limits.h): a 180 MB title was once accepted,
 * and the database then took 4.5 s to open. The
 * campaign the school works on is kept in the database, as the JSON it was
 * imported from (the setting "campaign"); without one, the built-in 2020
 * Shandong campaign.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-campaign"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "td-campaign.h"
#include "td-canonical-json.h"
#include "td-divisions.h"
#include "td-limits.h"
#include "td-read-file.h"
#include "td-school.h"
#include "td-validate.h"

#define BUILTIN_PATH RESOURCE_PATH "/core/campaign-shandong-2020.json"
#define CURRENT_SETTING "campaign"

struct _TdCampaign
{
  GObject    parent_instance;

  char      *json;
  char      *id;
  char      *title;
  char      *notice;
  char      *notice_title;  /* optional: the notice's own title */
  char      *province;
  int        year;
  int        first_year;   /* the years field 9 covers */
  int        last_year;
  GDate      deadline;
  char      *footnote;
  char      *upload_endpoint;
  GPtrArray *recipients;
};

G_DEFINE_FINAL_TYPE (TdCampaign, td_campaign, G_TYPE_OBJECT)
G_DEFINE_QUARK (td-campaign-error-quark, td_campaign_error)

static void
td_campaign_recipient_free (TdRecipient *r)
{
  g_strfreev (r->school_types);
  g_free (r->authority);
  g_free (r->email);
  g_free (r->postal_address);
  g_free (r);
}

static void
td_campaign_finalize (GObject *object)
{
  TdCampaign *self = (TdCampaign *)object;

  g_free (self->json);
  g_free (self->id);
  g_free (self->title);
  g_free (self->notice);
  g_free (self->notice_title);
  g_free (self->province);
  g_free (self->footnote);
  g_free (self->upload_endpoint);
  g_clear_pointer (&self->recipients, g_ptr_array_unref);

  G_OBJECT_CLASS (td_campaign_parent_class)->finalize (object);
}

static void
td_campaign_class_init (TdCampaignClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_campaign_finalize;
}

static void
td_campaign_init (TdCampaign *self)
{
  self->recipients = g_ptr_array_new_with_free_func ((GDestroyNotify)td_campaign_recipient_free);
}

static gboolean
td_campaign_invalid (GError     **error,
                     const char  *member,
                     const char  *why)
{
  g_set_error (error, TD_CAMPAIGN_ERROR, TD_CAMPAIGN_ERROR_INVALID,
               /* Translators: the first %s is a JSON member's name */
               _("The campaign file’s “%s” %s."), member, why);
  return FALSE;
}

static gboolean
td_campaign_too_long (GError     **error,
                      const char  *member,
                      guint        max_chars)
{
  g_autofree char *why = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "is longer than %u character",
                                                       "is longer than %u characters", max_chars),
                                          max_chars);

  return td_campaign_invalid (error, member, why);
}

/* A text of at most @max_chars characters (td-limits.h). */
static char *
td_campaign_get_string (JsonObject  *object,
                        const char  *member,
                        gboolean     required,
                        guint        max_chars,
                        GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        td_campaign_invalid (error, member, _("is missing"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      json_node_get_string (node)[0] == '\0')
    {
      td_campaign_invalid (error, member, _("must be a text"));
      return NULL;
    }
  if (g_utf8_strlen (json_node_get_string (node), -1) > max_chars)
    {
      td_campaign_too_long (error, member, max_chars);
      return NULL;
    }
  return g_strdup (json_node_get_string (node));
}

static gboolean
td_campaign_get_int (JsonObject  *object,
                     const char  *member,
                     gboolean     required,
                     int         *value,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return required ? td_campaign_invalid (error, member, _("is missing")) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < G_MININT || json_node_get_int (node) > G_MAXINT)
    return td_campaign_invalid (error, member, _("must be a whole number"));
  *value = (int)json_node_get_int (node);
  return TRUE;
}

static gboolean
td_campaign_parse_date (const char *text,
                        GDate      *date)
{
  int y, m, d;

  if (text == NULL || sscanf (text, "%4d-%2d-%2d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static gboolean
td_campaign_school_type_known (const char *id)
{
  guint n;
  const TdSchoolType *types = td_school_types (&n);

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (types[i].id, id) == 0)
      return TRUE;
  return FALSE;
}

/* An optional text: %NULL when absent, %FALSE with @error when wrong. */
static gboolean
td_campaign_get_optional_string (JsonObject  *object,
                                 const char  *member,
                                 guint        max_chars,
                                 char       **value,
                                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  *value = td_campaign_get_string (object, member, FALSE, max_chars, &local_error);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
td_campaign_check_email (const char  *member,
                         const char  *value,
                         GError     **error)
{
  if (!td_validate_email (value, TRUE, NULL, NULL))
    return td_campaign_invalid (error, member, _("must be an e-mail address such as office@example.edu.cn"));
  return TRUE;
}

/* contacts: optional; people to call, each with a name and a phone. */
static gboolean
td_campaign_check_contacts (JsonObject  *root,
                            GError     **error)
{
  JsonNode *node = json_object_get_member (root, "contacts");
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return td_campaign_invalid (error, "contacts", _("must list people, each with a name and a phone"));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autofree char *name = NULL;
      g_autofree char *phone = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        return td_campaign_invalid (error, "contacts", _("must list people, each with a name and a phone"));
      if (!(name = td_campaign_get_string (json_node_get_object (item), "name", TRUE, TD_LIMIT_CAMPAIGN_NAME, error)) ||
          !(phone = td_campaign_get_string (json_node_get_object (item), "phone", TRUE, TD_LIMIT_CAMPAIGN_NAME, error)))
        return FALSE;
    }
  return TRUE;
}

/* Every text of the file, members this version does not read among them
 * (issued_by): none longer than TD_LIMIT_CAMPAIGN_TEXT. */
static gboolean
td_campaign_check_texts (JsonNode    *node,
                         const char  *member,
                         GError     **error)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *child;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &child))
        if (!td_campaign_check_texts (child, name, error))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!td_campaign_check_texts (json_array_get_element (array, i), member, error))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
           g_utf8_strlen (json_node_get_string (node), -1) > TD_LIMIT_CAMPAIGN_TEXT)
    return td_campaign_too_long (error, member, TD_LIMIT_CAMPAIGN_TEXT);
  return TRUE;
}

static gboolean
td_campaign_parse_recipients (TdCampaign  *self,
                              JsonObject  *root,
                              GError     **error)
{
  JsonNode *node = json_object_get_member (root, "recipients");
  g_autoptr(GHashTable) covered = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;
  guint n_types;
  const TdSchoolType *types = td_school_types (&n_types);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (array = json_node_get_array (node)) == 0)
    return td_campaign_invalid (error, "recipients", _("must list at least one recipient"));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *types_node;
      g_autoptr(GStrvBuilder) school_types = g_strv_builder_new ();
      TdRecipient *r;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        return td_campaign_invalid (error, "recipients", _("must hold objects"));
      object = json_node_get_object (item);

      types_node = json_object_get_member (object, "school_types");
      if (types_node == NULL || !JSON_NODE_HOLDS_ARRAY (types_node))
        return td_campaign_invalid (error, "school_types", _("must list school types"));
      for (guint t = 0; t < json_array_get_length (json_node_get_array (types_node)); t++)
        {
          const char *type = json_array_get_string_element (json_node_get_array (types_node), t);

          if (type == NULL || !td_campaign_school_type_known (type))
            return td_campaign_invalid (error, "school_types",
                                        _("must hold only higher-vocational, secondary-vocational, technical or undergraduate"));
          if (!g_hash_table_add (covered, (gpointer)type))
            return td_campaign_invalid (error, "school_types", _("names a school type twice"));
          g_strv_builder_add (school_types, type);
        }

      r = g_new0 (TdRecipient, 1);
      r->school_types = g_strv_builder_end (school_types);
      g_ptr_array_add (self->recipients, r);
      if (!(r->authority = td_campaign_get_string (object, "authority", TRUE, TD_LIMIT_CAMPAIGN_NAME, error)) ||
          !(r->email = td_campaign_get_string (object, "email", TRUE, TD_LIMIT_CAMPAIGN_ADDRESS, error)) ||
          !td_campaign_check_email ("email", r->email, error) ||
          !td_campaign_get_optional_string (object, "postal_address", TD_LIMIT_CAMPAIGN_ADDRESS, &r->postal_address, error) ||
          !td_campaign_get_int (object, "paper_copies", FALSE, &r->paper_copies, error))
        return FALSE;
      /* 一式N份: absent when nothing goes by post. */
      if (json_object_has_member (object, "paper_copies") && (r->paper_copies < 1 || r->paper_copies > 20))
        return td_campaign_invalid (error, "paper_copies", _("must be a number of copies from 1 to 20"));
    }

  for (guint i = 0; i < n_types; i++)
    if (!g_hash_table_contains (covered, types[i].id))
      return td_campaign_invalid (error, "recipients", _("must say where every type of school sends its form"));
  return TRUE;
}

/**
 * td_campaign_new_from_data:
 *
 * Returns: (transfer full): the campaign, or %NULL with @error naming what
 *   is wrong in the file.
 */
TdCampaign *
td_campaign_new_from_data (const char  *json,
                           gssize       length,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(TdCampaign) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *deadline = NULL;
  JsonObject *root;
  int schema = 0;

  if (json && !td_json_check_limits (json, length < 0 ? strlen (json) : (gsize)length,
                                     TD_LIMIT_CAMPAIGN_FILE, &local_error))
    {
      g_set_error (error, TD_CAMPAIGN_ERROR, TD_CAMPAIGN_ERROR_INVALID,
                   _("This is not a campaign file Training Desk reads: %s"), local_error->message);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      /* JSON-GLib quotes the bad token, bytes that need not be UTF-8. */
      g_autofree char *reason = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, TD_CAMPAIGN_ERROR, TD_CAMPAIGN_ERROR_INVALID,
                   _("The campaign file is not valid JSON: %s"), reason);
      return NULL;
    }
  /* An empty or blank file parses to no root at all. */
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      td_campaign_invalid (error, "(root)", _("must be an object"));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  if (!td_campaign_check_texts (json_parser_get_root (parser), "(root)", error))
    return NULL;

  if (!td_campaign_get_int (root, "schema", TRUE, &schema, error))
    return NULL;
  if (schema > TD_CAMPAIGN_SCHEMA)
    {
      g_set_error (error, TD_CAMPAIGN_ERROR, TD_CAMPAIGN_ERROR_TOO_NEW,
                   _("The campaign file is of a newer kind (schema %d) than this version of Training Desk reads (%d). Update Training Desk."),
                   schema, TD_CAMPAIGN_SCHEMA);
      return NULL;
    }

  self = g_object_new (TD_TYPE_CAMPAIGN, NULL);
  self->json = length < 0 ? g_strdup (json) : g_strndup (json, length);
  if (!(self->id = td_campaign_get_string (root, "id", TRUE, TD_LIMIT_CAMPAIGN_ID, error)) ||
      !(self->title = td_campaign_get_string (root, "title", TRUE, TD_LIMIT_CAMPAIGN_TITLE, error)) ||
      !(self->notice = td_campaign_get_string (root, "notice", TRUE, TD_LIMIT_CAMPAIGN_TITLE, error)) ||
      !(self->province = td_campaign_get_string (root, "province", TRUE, TD_LIMIT_CAMPAIGN_ID, error)) ||
      !td_campaign_get_int (root, "year", TRUE, &self->year, error) ||
      !(deadline = td_campaign_get_string (root, "deadline", TRUE, TD_LIMIT_CAMPAIGN_ID, error)))
    return NULL;

  if (!g_regex_match_simple ("^[a-z0-9-]+$", self->id, 0, 0))
    {
      td_campaign_invalid (error, "id", _("may hold only lowercase letters, digits and “-”"));
      return NULL;
    }
  if (strlen (self->province) != 2 || td_divisions_lookup (self->province) == NULL)
    {
      td_campaign_invalid (error, "province", _("must be a province’s 2-digit code, such as 37"));
      return NULL;
    }
  if (!td_campaign_parse_date (deadline, &self->deadline))
    {
      td_campaign_invalid (error, "deadline", _("must be a date written YYYY-MM-DD"));
      return NULL;
    }

  if (self->year < 2000 || self->year > 2100)
    {
      td_campaign_invalid (error, "year", _("must be a year such as 2021"));
      return NULL;
    }

  /* The years reported: the campaign's own, or the three complete years
   * before its year (docs/campaign.md). Never the clock's. */
  self->first_year = self->year - 3;
  self->last_year = self->year - 1;
  if (json_object_has_member (root, "years"))
    {
      JsonNode *node = json_object_get_member (root, "years");
      JsonObject *years = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (years == NULL)
        return td_campaign_invalid (error, "years", _("must be an object with “first” and “last”")), NULL;
      if (!td_campaign_get_int (years, "first", TRUE, &self->first_year, error) ||
          !td_campaign_get_int (years, "last", TRUE, &self->last_year, error))
        return NULL;
      if (self->first_year < 1990 || self->last_year > self->year || self->first_year > self->last_year)
        {
          td_campaign_invalid (error, "years", _("must be years before the campaign’s, “first” not after “last”"));
          return NULL;
        }
    }

  if (!td_campaign_get_optional_string (root, "footnote", TD_LIMIT_CAMPAIGN_TEXT, &self->footnote, error) ||
      !td_campaign_get_optional_string (root, "notice_title", TD_LIMIT_CAMPAIGN_TITLE, &self->notice_title, error) ||
      !td_campaign_get_optional_string (root, "upload_endpoint", TD_LIMIT_URL, &self->upload_endpoint, error))
    return NULL;
  if (self->upload_endpoint && !g_str_has_prefix (self->upload_endpoint, "https://"))
    {
      td_campaign_invalid (error, "upload_endpoint", _("must be an https:// address"));
      return NULL;
    }
  if (!td_campaign_parse_recipients (self, root, error) || !td_campaign_check_contacts (root, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * td_campaign_new_from_file:
 *
 * Reads and checks a campaign file. Blocking (a small file).
 *
 * Returns: (transfer full): the campaign, or %NULL with @error saying
 *   which file and what is wrong in it
 */
TdCampaign *
td_campaign_new_from_file (GFile         *file,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *display = g_filename_display_name (basename);
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  TdCampaign *campaign;
  gsize length;

  /* A byte more than a campaign may hold, for its check to refuse. */
  if (!td_read_file_limited (file, TD_LIMIT_CAMPAIGN_FILE, &contents, &length, cancellable, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not read “%s”: %s"), display, local_error->message);
      return NULL;
    }
  if (!(campaign = td_campaign_new_from_data (contents, length, &local_error)))
    {
      /* Translators: a file, then what is wrong in it */
      g_set_error (error, local_error->domain, local_error->code,
                   _("“%s”: %s"), display, local_error->message);
      return NULL;
    }
  return campaign;
}

/**
 * td_campaign_get_builtin:
 *
 * Returns: (transfer full): the 2020 Shandong campaign.
 */
TdCampaign *
td_campaign_get_builtin (void)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (BUILTIN_PATH, 0, NULL);
  g_autoptr(GError) error = NULL;
  TdCampaign *campaign;

  g_assert (bytes != NULL);
  campaign = td_campaign_new_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  if (campaign == NULL)
    g_error ("The built-in campaign is invalid: %s", error->message);
  return campaign;
}

/**
 * td_campaign_load_current:
 *
 * Returns: (transfer full): the campaign the school works on: one imported
 *   into @store, or else the built-in one.
 */
TdCampaign *
td_campaign_load_current (TdStore  *store,
                          GError  **error)
{
  g_autofree char *json = td_store_dup_setting (store, CURRENT_SETTING);

  if (json == NULL)
    return td_campaign_get_builtin ();
  return td_campaign_new_from_data (json, -1, error);
}

static gboolean
td_campaign_make_current_in_transaction (TdStore   *store,
                                         gpointer   user_data,
                                         GError   **error)
{
  TdCampaign *campaign = user_data;
  g_autoptr(TdSchool) school = td_school_new (store, error);

  return school != NULL &&
         td_store_set_setting (store, CURRENT_SETTING, campaign->json, error) &&
         td_school_update_in_transaction (school, campaign->province, NULL, NULL, error);
}

/**
 * td_campaign_make_current:
 *
 * Keeps @campaign in @store, in one transaction, as the campaign the
 * school's form answers from now on (td_campaign_load_current()). The
 * school profile takes the campaign's province, whose cities the form
 * wants: a city of another province is cleared, with its county.
 */
gboolean
td_campaign_make_current (TdStore     *store,
                          TdCampaign  *campaign,
                          GError     **error)
{
  g_return_val_if_fail (TD_IS_STORE (store), FALSE);
  g_return_val_if_fail (TD_IS_CAMPAIGN (campaign), FALSE);

  return td_store_transaction (store, td_campaign_make_current_in_transaction, campaign, error);
}

const char *td_campaign_get_id (TdCampaign *self) { return self->id; }
const char *td_campaign_get_title (TdCampaign *self) { return self->title; }
const char *td_campaign_get_notice (TdCampaign *self) { return self->notice; }
const char *td_campaign_get_notice_title (TdCampaign *self) { return self->notice_title; }
const char *td_campaign_get_province (TdCampaign *self) { return self->province; }
int td_campaign_get_year (TdCampaign *self) { return self->year; }
int td_campaign_get_first_year (TdCampaign *self) { return self->first_year; }
int td_campaign_get_last_year (TdCampaign *self) { return self->last_year; }
GDate *td_campaign_get_deadline (TdCampaign *self) { return &self->deadline; }
const char *td_campaign_get_footnote (TdCampaign *self) { return self->footnote; }
const char *td_campaign_get_upload_endpoint (TdCampaign *self) { return self->upload_endpoint; }
const char *td_campaign_get_json (TdCampaign *self) { return self->json; }

/* Negative once the deadline has passed. */
int
td_campaign_days_left (TdCampaign *self,
                       GDate      *today)
{
  return g_date_days_between (today, &self->deadline);
}

const TdRecipient *
td_campaign_recipient_for (TdCampaign *self,
                           const char *school_type)
{
  for (guint i = 0; i < self->recipients->len; i++)
    {
      TdRecipient *r = g_ptr_array_index (self->recipients, i);

      if (g_strv_contains ((const char * const *)r->school_types, school_type))
        return r;
    }
  return NULL;
}

/**
 * td_campaign_today:
 * @today: (out caller-allocates): today's date
 *
 * Today by the local clock. The tests set TRAINING_DESK_TODAY (YYYY-MM-DD)
 * to stand on another day; nothing else reads it.
 */
void
td_campaign_today (GDate *today)
{
  const char *fixed = g_getenv ("TRAINING_DESK_TODAY");
  g_autoptr(GDateTime) clock = NULL;

  g_date_clear (today, 1);
  if (fixed != NULL && td_campaign_parse_date (fixed, today))
    return;
  clock = g_date_time_new_now_local ();
  g_date_clear (today, 1);
  g_date_set_dmy (today, g_date_time_get_day_of_month (clock), g_date_time_get_month (clock),
                  g_date_time_get_year (clock));
}

/* Whether the deadline is behind @today (%NULL: td_campaign_today()). */
gboolean
td_campaign_is_past (TdCampaign *self,
                     GDate      *today)
{
  GDate now;

  if (today == NULL)
    {
      td_campaign_today (&now);
      today = &now;
    }
  return td_campaign_days_left (self, today) < 0;
}

/* "2020-05-15" */
char *
td_campaign_format_deadline (TdCampaign *self)
{
  char date[32];

  g_date_strftime (date, sizeof date, "%Y-%m-%d", &self->deadline);
  return g_strdup (date);
}

/**
 * td_campaign_describe_deadline:
 * @today: (nullable): today, or %NULL for the clock's
 *
 * Returns: (transfer full): "2020-05-15: 3 days left", "…: passed 2 days ago".
 */
char *
td_campaign_describe_deadline (TdCampaign *self,
                               GDate      *today)
{
  GDate now;
  char date[32];
  int left;

  if (today == NULL)
    {
      td_campaign_today (&now);
      today = &now;
    }
  left = td_campaign_days_left (self, today);
  g_date_strftime (date, sizeof date, "%Y-%m-%d", &self->deadline);
  if (left > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %d day left", "%s: %d days left", left), date, left);
  if (left == 0)
    return g_strdup_printf (_("%s: today"), date);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: passed %d day ago", "%s: passed %d days ago", -left),
                          date, -left);
}

/* Starting this year's campaign from another.
 *
 * A school should not be stuck on the built-in 2020 campaign: the office
 * copies the campaign it has, changes what the new notice says (number,
 * year, deadline, mailboxes, receiver, paper copies) and keeps the result
 * both as its current campaign and as a file others can import. The file
 * is written from the old campaign's JSON with those members replaced, and
 * read back through td_campaign_new_from_data(), so that what is saved is
 * exactly what an import would accept. The reporting years follow the new
 * year: the old `years` member is dropped, and so are the old notice's
 * date and contacts, which belong to it. */

TdCampaignDraft *
td_campaign_draft_new (TdCampaign *base,
                       int         year)
{
  TdCampaignDraft *draft = g_new0 (TdCampaignDraft, 1);
  g_autofree char *old_year = g_strdup_printf ("%d", base->year);
  g_autofree char *new_year = g_strdup_printf ("%d", year);
  g_auto(GStrv) parts = g_strsplit (base->notice, old_year, -1);

  g_return_val_if_fail (TD_IS_CAMPAIGN (base), NULL);

  draft->base = g_object_ref (base);
  draft->year = year;
  draft->notice = g_strjoinv (new_year, parts);
  draft->notice_title = g_strdup (base->notice_title);
  /* A month from today, if the notice has not said. */
  td_campaign_today (&draft->deadline);
  g_date_add_days (&draft->deadline, 30);
  if (g_date_get_year (&draft->deadline) != (GDateYear)year)
    g_date_set_dmy (&draft->deadline, 31, G_DATE_DECEMBER, year);
  draft->upload_endpoint = g_strdup (base->upload_endpoint);
  draft->recipients = g_ptr_array_new_with_free_func ((GDestroyNotify)td_campaign_recipient_free);
  for (guint i = 0; i < base->recipients->len; i++)
    {
      TdRecipient *r = g_ptr_array_index (base->recipients, i);
      TdRecipient *copy = g_new0 (TdRecipient, 1);

      copy->school_types = g_strdupv (r->school_types);
      copy->authority = g_strdup (r->authority);
      copy->email = g_strdup (r->email);
      copy->postal_address = g_strdup (r->postal_address);
      copy->paper_copies = r->paper_copies;
      g_ptr_array_add (draft->recipients, copy);
    }
  return draft;
}

void
td_campaign_draft_free (TdCampaignDraft *draft)
{
  if (draft == NULL)
    return;
  g_clear_object (&draft->base);
  g_free (draft->notice);
  g_free (draft->notice_title);
  g_free (draft->upload_endpoint);
  g_clear_pointer (&draft->recipients, g_ptr_array_unref);
  g_free (draft);
}

/* "shandong-2020" → "shandong-2026"; an id without its year gains it. */
static char *
td_campaign_draft_id (TdCampaignDraft *draft)
{
  g_autofree char *suffix = g_strdup_printf ("-%d", draft->base->year);
  const char *id = draft->base->id;
  gsize stem = strlen (id);

  if (g_str_has_suffix (id, suffix))
    stem -= strlen (suffix);
  return g_strdup_printf ("%.*s-%d", (int)stem, id, draft->year);
}

/**
 * td_campaign_draft_build:
 *
 * The campaign @draft describes, checked as an imported file is.
 *
 * Returns: (transfer full) (nullable)
 */
TdCampaign *
td_campaign_draft_build (TdCampaignDraft  *draft,
                         GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonArray) recipients = json_array_new ();
  g_autofree char *id = NULL;
  g_autofree char *json = NULL;
  char deadline[16];
  JsonObject *object;

  g_return_val_if_fail (draft != NULL, NULL);

  if (!json_parser_load_from_data (parser, draft->base->json, -1, error))
    return NULL;
  object = json_node_get_object (json_parser_get_root (parser));
  id = td_campaign_draft_id (draft);
  g_date_strftime (deadline, sizeof deadline, "%Y-%m-%d", &draft->deadline);

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "notice", draft->notice ? draft->notice : "");
  json_object_set_int_member (object, "year", draft->year);
  if (draft->notice_title != NULL && draft->notice_title[0] != '\0')
    json_object_set_string_member (object, "notice_title", draft->notice_title);
  else
    json_object_remove_member (object, "notice_title");
  json_object_set_string_member (object, "deadline", deadline);
  if (draft->upload_endpoint != NULL && draft->upload_endpoint[0] != '\0')
    json_object_set_string_member (object, "upload_endpoint", draft->upload_endpoint);
  else
    json_object_set_null_member (object, "upload_endpoint");
  for (guint i = 0; i < draft->recipients->len; i++)
    {
      TdRecipient *r = g_ptr_array_index (draft->recipients, i);
      JsonObject *o = json_object_new ();
      JsonArray *types = json_array_new ();

      for (guint j = 0; r->school_types[j] != NULL; j++)
        json_array_add_string_element (types, r->school_types[j]);
      json_object_set_array_member (o, "school_types", types);
      json_object_set_string_member (o, "authority", r->authority ? r->authority : "");
      json_object_set_string_member (o, "email", r->email ? r->email : "");
      if (r->postal_address != NULL && r->postal_address[0] != '\0')
        json_object_set_string_member (o, "postal_address", r->postal_address);
      if (r->paper_copies > 0)
        json_object_set_int_member (o, "paper_copies", r->paper_copies);
      json_array_add_object_element (recipients, o);
    }
  json_object_set_array_member (object, "recipients", json_array_ref (recipients));
  /* The old notice's own: its years, its date, its people. */
  json_object_remove_member (object, "years");
  json_object_remove_member (object, "issued_on");
  json_object_remove_member (object, "contacts");

  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_set_pretty (generator, TRUE);
  json = json_generator_to_data (generator, NULL);
  return td_campaign_new_from_data (json, -1, error);
}

/**
 * td_campaign_save:
 *
 * Writes @self as a campaign file anyone can import (docs/campaign.md).
 */
gboolean
td_campaign_save (TdCampaign    *self,
                  GFile         *file,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_return_val_if_fail (TD_IS_CAMPAIGN (self), FALSE);

  return g_file_replace_contents (file, self->json, strlen (self->json), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, error);
}
