/* td-catalogue.c: the schools' latest forms, in memory, searched
 *
 * The catalogue is searched by any text, Chinese of one character up, over
 * the schools' names and the texts of their forms: an FTS5 trigram index
 * does not find a single character, and a LIKE over the forms' JSON reads
 * 11,000 × 3 KB. So the searched texts are kept here, case-folded, one
 * string a school, and scanned with strstr(): 11,000 schools in a few
 * milliseconds (bench/catalogue.c; bench/RESULTS.md). What is kept is
 * brought up to date when the database changed (PRAGMA data_version on
 * the catalogue's own connection), reading again only the forms of the
 * schools whose latest submission changed: submissions never change once
 * stored. The whole form is read again from the database for a school's
 * page and the exports only.
 *
 * One lock: a request holds it while it searches and writes its page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-receiver"

#include "config.h"

#include <string.h>

#include "td-catalogue.h"
#include "td-form-json.h"
#include "td-record-kind.h"

/* The excerpt of texts 8 and 9 a list shows, in characters. */
#define TD_CATALOGUE_EXCERPT 60

struct _TdCatalogue
{
  GMutex        lock;
  TdReceiverDb *db;
  char         *campaign;
  GDateTime    *deadline;
  gboolean      loaded;
  gint64        data_version;
  GPtrArray    *entries;   /* TdCatalogueEntry, by city, county, name */
  GHashTable   *by_school; /* school id → entry */
};

static void
td_catalogue_entry_free (TdCatalogueEntry *entry)
{
  td_web_school_free (entry->school);
  td_web_submission_free (entry->latest);
  g_free (entry->authority);
  g_free (entry->fields);
  g_free (entry->capacity_excerpt);
  g_free (entry->results_excerpt);
  g_free (entry->category_ids);
  g_free (entry->haystack);
  g_free (entry->fields_folded);
  g_free (entry->texts_folded);
  g_free (entry);
}

TdCatalogue *
td_catalogue_new (TdReceiverDb *db,
                  const char   *campaign,
                  GDateTime    *deadline)
{
  TdCatalogue *self = g_new0 (TdCatalogue, 1);

  g_mutex_init (&self->lock);
  self->db = db;
  self->campaign = g_strdup (campaign);
  self->deadline = deadline ? g_date_time_ref (deadline) : NULL;
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify)td_catalogue_entry_free);
  self->by_school = g_hash_table_new (g_int64_hash, g_int64_equal);
  return self;
}

void
td_catalogue_free (TdCatalogue *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->by_school);
  g_ptr_array_unref (self->entries);
  g_clear_pointer (&self->deadline, g_date_time_unref);
  g_free (self->campaign);
  td_receiver_db_close (self->db);
  g_mutex_clear (&self->lock);
  g_free (self);
}

static const TdChoice *
td_catalogue_categories (void)
{
  const TdRecordKind *kind = td_record_kind_lookup ("programmes");

  return kind->fields[td_record_kind_field_index (kind, "category")].choices;
}

const char * const *
td_catalogue_category_ids (void)
{
  static const char *ids[8];
  static gsize done;

  /* Asked from the web threads at once. */
  if (g_once_init_enter (&done))
    {
      guint n = 0;

      for (const TdChoice *c = td_catalogue_categories (); c->id && n < G_N_ELEMENTS (ids) - 1; c++)
        ids[n++] = c->id;
      g_once_init_leave (&done, 1);
    }
  return ids;
}

const char *
td_catalogue_category_name (const char *id,
                            gboolean    english)
{
  for (const TdChoice *c = td_catalogue_categories (); c->id; c++)
    if (g_strcmp0 (c->id, id) == 0)
      return english ? c->label : c->header;
  return NULL;
}

char *
td_catalogue_category_names (TdCatalogueEntry *entry,
                             gboolean          english)
{
  GString *names = g_string_new (NULL);

  for (const TdChoice *c = td_catalogue_categories (); c->id; c++)
    {
      g_autofree char *marked = g_strconcat (",", c->id, ",", NULL);

      if (entry->category_ids && strstr (entry->category_ids, marked))
        g_string_append_printf (names, "%s%s", names->len ? (english ? "; " : "、") : "",
                                english ? c->label : c->header);
    }
  return g_string_free (names, FALSE);
}

static char *
td_catalogue_excerpt (const char *text)
{
  glong length = g_utf8_strlen (text, -1);

  if (length <= TD_CATALOGUE_EXCERPT)
    return g_strdup (text);
  return g_strconcat (g_utf8_substring (text, 0, TD_CATALOGUE_EXCERPT), "…", NULL);
}

/* What the entry shows and is searched by, from its latest form. */
static void
td_catalogue_entry_read_form (TdCatalogueEntry *entry,
                              TdForm           *form)
{
  g_autoptr(GString) ids = g_string_new (",");

  for (const TdChoice *c = td_catalogue_categories (); c->id; c++)
    if (td_form_has_category (form, c->id))
      g_string_append_printf (ids, "%s,", c->id);
  entry->category_ids = g_strdup (ids->str);
  entry->authority = g_strdup (td_form_get (form, TD_FORM_AUTHORITY));
  entry->fields = g_strdup (td_form_get (form, TD_FORM_FIELDS));
  entry->capacity_excerpt = td_catalogue_excerpt (td_form_get (form, TD_FORM_CAPACITY));
  entry->results_excerpt = td_catalogue_excerpt (td_form_get (form, TD_FORM_RESULTS));
  entry->fields_folded = g_utf8_casefold (entry->fields, -1);
  {
    g_autofree char *texts = g_strconcat (td_form_get (form, TD_FORM_CAPACITY), "\n",
                                          td_form_get (form, TD_FORM_RESULTS), NULL);

    entry->texts_folded = g_utf8_casefold (texts, -1);
  }
  if (entry->school->city == NULL || entry->school->city[0] == '\0')
    {
      g_free (entry->school->city);
      entry->school->city = g_strdup (td_form_get (form, TD_FORM_CITY));
    }
  if (entry->school->county == NULL || entry->school->county[0] == '\0')
    {
      g_free (entry->school->county);
      entry->school->county = g_strdup (td_form_get (form, TD_FORM_COUNTY));
    }
}

static void
td_catalogue_entry_fold (TdCatalogueEntry *entry)
{
  g_autofree char *names = td_catalogue_category_names (entry, FALSE);
  g_autofree char *names_en = td_catalogue_category_names (entry, TRUE);
  g_autofree char *joined = NULL;

  joined = g_strjoin ("\n", entry->school->name, entry->city, entry->county,
                      entry->authority ? entry->authority : "", names, names_en,
                      entry->fields ? entry->fields : "", NULL);
  g_free (entry->haystack);
  entry->haystack = g_utf8_casefold (joined, -1);
}

static TdSchoolState
td_catalogue_state (TdCatalogue *self,
                    TdWebSchool *school)
{
  g_autoptr(GDateTime) first = NULL;

  if (school->latest_id == 0)
    return school->refused_word ? TD_SCHOOL_REFUSED : TD_SCHOOL_MISSING;
  if (self->deadline && school->first_received_at &&
      (first = g_date_time_new_from_iso8601 (school->first_received_at, NULL)) &&
      g_date_time_compare (first, self->deadline) > 0)
    return TD_SCHOOL_LATE;
  return TD_SCHOOL_SENT;
}

static int
td_catalogue_compare (gconstpointer a,
                      gconstpointer b)
{
  const TdCatalogueEntry *x = *(TdCatalogueEntry * const *)a;
  const TdCatalogueEntry *y = *(TdCatalogueEntry * const *)b;
  int c;

  if ((c = strcmp (x->city, y->city)) != 0)
    return c;
  if ((c = strcmp (x->county, y->county)) != 0)
    return c;
  return strcmp (x->school->name, y->school->name);
}

/* Reads the schools again, and the forms of those whose latest changed. */
static gboolean
td_catalogue_refresh (TdCatalogue  *self,
                      GError      **error)
{
  g_autoptr(GPtrArray) schools = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)td_catalogue_entry_free);

  if (!td_receiver_db_web_begin (self->db, error))
    return FALSE;
  schools = td_receiver_db_web_schools (self->db, self->campaign, error);
  if (schools == NULL)
    {
      td_receiver_db_web_end (self->db);
      return FALSE;
    }
  for (guint i = 0; i < schools->len; i++)
    {
      /* Taken by its entry; on failure, those not taken yet are freed. */
      TdWebSchool *school = g_steal_pointer (&schools->pdata[i]);
      TdCatalogueEntry *entry = g_new0 (TdCatalogueEntry, 1);
      TdCatalogueEntry *old = g_hash_table_lookup (self->by_school, &school->school_id);
      gboolean reused = FALSE;

      entry->school = school;
      g_ptr_array_add (entries, entry);
      if (school->latest_id == 0)
        reused = old && old->latest == NULL;
      else if (old && old->latest && old->latest->id == school->latest_id)
        {
          reused = TRUE;
          /* Unchanged: what was read of it is taken over. */
          entry->latest = g_steal_pointer (&old->latest);
          entry->authority = g_steal_pointer (&old->authority);
          entry->fields = g_steal_pointer (&old->fields);
          entry->capacity_excerpt = g_steal_pointer (&old->capacity_excerpt);
          entry->results_excerpt = g_steal_pointer (&old->results_excerpt);
          entry->category_ids = g_steal_pointer (&old->category_ids);
          entry->fields_folded = g_steal_pointer (&old->fields_folded);
          entry->texts_folded = g_steal_pointer (&old->texts_folded);
          if (school->city == NULL || school->city[0] == '\0')
            {
              g_free (school->city);
              school->city = g_strdup (old->city);
            }
          if (school->county == NULL || school->county[0] == '\0')
            {
              g_free (school->county);
              school->county = g_strdup (old->county);
            }
        }
      else
        {
          g_autoptr(GError) local = NULL;
          g_autoptr(TdForm) form = NULL;
          gsize length;
          const char *json;

          entry->latest = td_receiver_db_web_submission (self->db, school->latest_id, &local);
          if (entry->latest == NULL)
            {
              td_receiver_db_web_end (self->db);
              if (local)
                g_propagate_error (error, g_steal_pointer (&local));
              else
                g_set_error (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_FAILED,
                             "The submission %" G_GINT64_FORMAT " is gone", school->latest_id);
              return FALSE;
            }
          json = g_bytes_get_data (entry->latest->form_json, &length);
          form = td_form_new_from_json (json ? json : "", (gssize)length, &local);
          g_clear_pointer (&entry->latest->form_json, g_bytes_unref);
          /* Stored only once read and verified: cannot fail. */
          if (form == NULL)
            g_warning ("The stored form of “%s” cannot be read: %s", school->name, local->message);
          else
            td_catalogue_entry_read_form (entry, form);
        }
      entry->city = school->city ? school->city : "";
      entry->county = school->county ? school->county : "";
      entry->state = td_catalogue_state (self, school);
      /* Folded again only when what is folded changed: after a change,
       * reading 11,000 schools again took 600 ms with every one folded. */
      if (old && old->haystack && reused && g_str_equal (old->school->name, school->name) &&
          g_str_equal (old->city, entry->city) && g_str_equal (old->county, entry->county))
        entry->haystack = g_steal_pointer (&old->haystack);
      else
        td_catalogue_entry_fold (entry);
    }
  td_receiver_db_web_end (self->db);

  g_ptr_array_sort (entries, td_catalogue_compare);
  g_hash_table_remove_all (self->by_school);
  for (guint i = 0; i < entries->len; i++)
    {
      TdCatalogueEntry *entry = entries->pdata[i];

      g_hash_table_insert (self->by_school, &entry->school->school_id, entry);
    }
  g_ptr_array_unref (self->entries);
  self->entries = g_steal_pointer (&entries);
  return TRUE;
}

/* Takes the lock, with the catalogue up to date; td_catalogue_unlock()
 * after. On failure, the lock is not held. */
gboolean
td_catalogue_lock (TdCatalogue  *self,
                   GError      **error)
{
  gint64 version;

  g_mutex_lock (&self->lock);
  version = td_receiver_db_web_data_version (self->db, error);
  if (version < 0)
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  if (!self->loaded || version != self->data_version)
    {
      if (!td_catalogue_refresh (self, error))
        {
          g_mutex_unlock (&self->lock);
          return FALSE;
        }
      self->loaded = TRUE;
      self->data_version = version;
    }
  return TRUE;
}

void
td_catalogue_unlock (TdCatalogue *self)
{
  g_mutex_unlock (&self->lock);
}

static gboolean
td_catalogue_matches (TdCatalogueEntry        *entry,
                      const TdCatalogueQuery  *query,
                      char                   **words)
{
  if (query->sent_only && entry->latest == NULL)
    return FALSE;
  if (query->state >= 0 && (int)entry->state != query->state)
    return FALSE;
  if (query->city && query->city[0] && !g_str_equal (entry->city, query->city))
    return FALSE;
  if (query->county && query->county[0] && !g_str_equal (entry->county, query->county))
    return FALSE;
  if (query->category && query->category[0])
    {
      g_autofree char *marked = g_strconcat (",", query->category, ",", NULL);

      if (entry->category_ids == NULL || strstr (entry->category_ids, marked) == NULL)
        return FALSE;
    }
  for (guint i = 0; words && words[i]; i++)
    if (i == 0 && query->field && query->field[0])
      {
        if (entry->fields_folded == NULL || strstr (entry->fields_folded, words[0]) == NULL)
          return FALSE;
      }
    else if (strstr (entry->haystack, words[i]) == NULL &&
             (entry->texts_folded == NULL || strstr (entry->texts_folded, words[i]) == NULL))
      return FALSE;
  return TRUE;
}

/**
 * td_catalogue_search:
 *
 * Returns: (transfer container) (element-type TdCatalogueEntry): the
 *   entries that match, valid while the lock is held
 */
GPtrArray *
td_catalogue_search (TdCatalogue            *self,
                     const TdCatalogueQuery *query)
{
  GPtrArray *found = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) words = NULL;

  /* The field first (searched in the fields only), then the words. */
  if (query->field && query->field[0])
    {
      g_autofree char *field = g_utf8_casefold (query->field, -1);

      g_strv_builder_add (builder, field);
    }
  if (query->text)
    {
      g_autofree char *folded = g_utf8_casefold (query->text, -1);
      g_auto(GStrv) split = g_strsplit_set (folded, " \t\n\r　", 16);

      for (guint i = 0; split[i]; i++)
        if (split[i][0])
          g_strv_builder_add (builder, split[i]);
    }
  words = g_strv_builder_end (builder);

  for (guint i = 0; i < self->entries->len; i++)
    if (td_catalogue_matches (self->entries->pdata[i], query, words))
      g_ptr_array_add (found, self->entries->pdata[i]);
  return found;
}

TdCatalogueEntry *
td_catalogue_find (TdCatalogue *self,
                   gint64       school_id)
{
  return g_hash_table_lookup (self->by_school, &school_id);
}

static GPtrArray *
td_catalogue_distinct (TdCatalogue *self,
                       const char  *city)
{
  GPtrArray *values = g_ptr_array_new ();
  const char *last = NULL;

  /* The entries are in order of city, then county. */
  for (guint i = 0; i < self->entries->len; i++)
    {
      TdCatalogueEntry *entry = self->entries->pdata[i];
      const char *value = city ? entry->county : entry->city;

      if (city && !g_str_equal (entry->city, city))
        continue;
      if (value[0] && (last == NULL || !g_str_equal (last, value)))
        g_ptr_array_add (values, (gpointer)(last = value));
    }
  return values;
}

/* Returns: (transfer container): the cities, valid while locked */
GPtrArray *
td_catalogue_cities (TdCatalogue *self)
{
  return td_catalogue_distinct (self, NULL);
}

GPtrArray *
td_catalogue_counties (TdCatalogue *self,
                       const char  *city)
{
  return td_catalogue_distinct (self, city);
}

/* The entry's latest form, whole, read again (locked). */
TdForm *
td_catalogue_load_form (TdCatalogue       *self,
                        TdCatalogueEntry  *entry,
                        GError           **error)
{
  g_autoptr(TdWebSubmission) submission = NULL;
  gsize length;
  const char *json;

  if (entry->latest == NULL)
    return NULL;
  submission = td_receiver_db_web_submission (self->db, entry->latest->id, error);
  if (submission == NULL)
    return NULL;
  json = g_bytes_get_data (submission->form_json, &length);
  return td_form_new_from_json (json ? json : "", (gssize)length, error);
}

GBytes *
td_catalogue_pdf (TdCatalogue  *self,
                  gint64        submission_id,
                  GError      **error)
{
  return td_receiver_db_web_pdf (self->db, submission_id, error);
}

GDateTime *
td_catalogue_get_deadline (TdCatalogue *self)
{
  return self->deadline;
}

const char *
td_catalogue_get_campaign (TdCatalogue *self)
{
  return self->campaign;
}
