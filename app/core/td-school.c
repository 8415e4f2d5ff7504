/* td-school.c: the school profile
 *
 * One row of the school table. Every field is validated by the form's rules
 * before it is written, and each write is one transaction: an invalid value
 * never reaches the file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-school"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "td-divisions.h"
#include "td-school.h"
#include "td-store-private.h"
#include "td-validate.h"

typedef enum
{
  KIND_TEXT,
  KIND_PERSON,     /* text with a letter in it: not "25001" */
  KIND_SCHOOL_TYPE,
  KIND_CITY,
  KIND_COUNTY,
  KIND_POSTAL_CODE,
  KIND_PHONE,
  KIND_EMAIL,
} FieldKind;

typedef struct
{
  const char *key;
  FieldKind   kind;
  guint       max_chars;
  gboolean    required;
  /* Column names are code constants; one statement per field, so no SQL is
   * ever assembled at run time. */
  const char *update_sql;
} FieldInfo;

#define UPDATE(column) "UPDATE school SET " column " = ? WHERE id = 1"

static const FieldInfo fields[TD_SCHOOL_N_FIELDS] = {
  [TD_SCHOOL_NAME]                 = { "name", KIND_TEXT, 60, TRUE, UPDATE ("name") },
  [TD_SCHOOL_AUTHORITY]            = { "authority", KIND_TEXT, 60, TRUE, UPDATE ("authority") },
  [TD_SCHOOL_TYPE]                 = { "school-type", KIND_SCHOOL_TYPE, 0, TRUE, UPDATE ("school_type") },
  [TD_SCHOOL_LEGAL_REPRESENTATIVE] = { "legal-representative", KIND_PERSON, 20, TRUE, UPDATE ("legal_representative") },
  [TD_SCHOOL_CITY]                 = { "city", KIND_CITY, 0, TRUE, UPDATE ("city_code") },
  [TD_SCHOOL_COUNTY]               = { "county", KIND_COUNTY, 0, TRUE, UPDATE ("county_code") },
  [TD_SCHOOL_STREET]               = { "street", KIND_TEXT, 100, TRUE, UPDATE ("street") },
  [TD_SCHOOL_POSTAL_CODE]          = { "postal-code", KIND_POSTAL_CODE, 6, TRUE, UPDATE ("postal_code") },
  [TD_SCHOOL_CONTACT_NAME]         = { "contact-name", KIND_PERSON, 20, TRUE, UPDATE ("contact_name") },
  [TD_SCHOOL_PHONE]                = { "phone", KIND_PHONE, 0, TRUE, UPDATE ("phone") },
  [TD_SCHOOL_EMAIL]                = { "email", KIND_EMAIL, 0, FALSE, UPDATE ("email") },
};

static const TdSchoolType school_types[] = {
  { "higher-vocational", N_("Higher vocational college") },
  { "secondary-vocational", N_("Secondary vocational school") },
  { "technical", N_("Technical school") },
  { "undergraduate", N_("University (associate programmes)") },
};

struct _TdSchool
{
  GObject  parent_instance;

  TdStore *store;
  char    *province_code;
  char    *values[TD_SCHOOL_N_FIELDS];
};

G_DEFINE_FINAL_TYPE (TdSchool, td_school, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
td_school_finalize (GObject *object)
{
  TdSchool *self = (TdSchool *)object;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->province_code, g_free);
  for (guint i = 0; i < TD_SCHOOL_N_FIELDS; i++)
    g_clear_pointer (&self->values[i], g_free);

  G_OBJECT_CLASS (td_school_parent_class)->finalize (object);
}

static void
td_school_class_init (TdSchoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = td_school_finalize;

  /**
   * TdSchool::changed:
   * @field: the field that changed, or -1 when all may have (a reload)
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
td_school_init (TdSchool *self)
{
}

const char *
td_school_field_key (TdSchoolField field)
{
  g_return_val_if_fail (field < TD_SCHOOL_N_FIELDS, NULL);

  return fields[field].key;
}

gboolean
td_school_field_from_key (const char    *key,
                          TdSchoolField *field)
{
  for (guint i = 0; i < TD_SCHOOL_N_FIELDS; i++)
    if (g_strcmp0 (key, fields[i].key) == 0)
      {
        *field = i;
        return TRUE;
      }
  return FALSE;
}

const TdSchoolType *
td_school_types (guint *n_types)
{
  *n_types = G_N_ELEMENTS (school_types);
  return school_types;
}

gboolean
td_school_reload (TdSchool  *self,
                  GError   **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TD_IS_SCHOOL (self), FALSE);

  stmt = td_store_prepare (self->store,
                           "SELECT name, authority, school_type, legal_representative, city_code, "
                           "       county_code, street, postal_code, contact_name, phone, email, "
                           "       province_code "
                           "FROM school WHERE id = 1",
                           error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error_literal (error, TD_STORE_ERROR, TD_STORE_ERROR_DAMAGED,
                             _("The school profile is missing from the database. Restore it from a backup."));
      else
        td_store_set_error (self->store, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }

  for (guint i = 0; i < TD_SCHOOL_N_FIELDS; i++)
    {
      g_free (self->values[i]);
      self->values[i] = g_strdup ((const char *)sqlite3_column_text (stmt, i));
    }
  g_free (self->province_code);
  self->province_code = g_strdup ((const char *)sqlite3_column_text (stmt, TD_SCHOOL_N_FIELDS));
  sqlite3_reset (stmt);

  g_signal_emit (self, signals[CHANGED], 0, -1);
  return TRUE;
}

static void
td_school_store_restored_cb (TdSchool *self,
                             TdStore  *store)
{
  g_autoptr(GError) error = NULL;

  if (!td_school_reload (self, &error))
    g_warning ("Could not reload the school profile after a restore: %s", error->message);
}

/**
 * td_school_new:
 *
 * Returns: (transfer full): the school profile of @store, loaded.
 */
TdSchool *
td_school_new (TdStore  *store,
               GError  **error)
{
  g_autoptr(TdSchool) self = NULL;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  self = g_object_new (TD_TYPE_SCHOOL, NULL);
  self->store = g_object_ref (store);
  if (!td_school_reload (self, error))
    return NULL;

  g_signal_connect_object (store, "restored", G_CALLBACK (td_school_store_restored_cb), self,
                           G_CONNECT_SWAPPED);
  return g_steal_pointer (&self);
}

TdStore *
td_school_get_store (TdSchool *self)
{
  g_return_val_if_fail (TD_IS_SCHOOL (self), NULL);

  return self->store;
}

const char *
td_school_get (TdSchool      *self,
               TdSchoolField  field)
{
  g_return_val_if_fail (TD_IS_SCHOOL (self), NULL);
  g_return_val_if_fail (field < TD_SCHOOL_N_FIELDS, NULL);

  return self->values[field];
}

const char *
td_school_get_province_code (TdSchool *self)
{
  g_return_val_if_fail (TD_IS_SCHOOL (self), NULL);

  return self->province_code;
}

static gboolean
td_school_validate_code (const char  *input,
                         const char  *parent,
                         gboolean     is_county,
                         char       **normalized,
                         GError     **error)
{
  g_autofree char *code = td_normalize_compact (input);

  if (code[0] == '\0')
    {
      g_set_error_literal (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_REQUIRED,
                           is_county ? _("Required: choose the county or district.")
                                     : _("Required: choose the city."));
      return FALSE;
    }
  if (!td_divisions_is_child (parent, code))
    {
      const TdDivision *parent_division = td_divisions_lookup (parent);

      if (parent_division == NULL)
        g_set_error_literal (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_UNKNOWN_CODE,
                             is_county ? _("Choose the city first, then its county or district.")
                                       : _("The campaign’s province is unknown: choose the campaign first."));
      else if (is_county)
        g_set_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_UNKNOWN_CODE,
                     _("Choose a county or district of %s."), parent_division->name);
      else
        g_set_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_UNKNOWN_CODE,
                     _("Choose a city of %s, the campaign’s province."), parent_division->name);
      return FALSE;
    }
  if (normalized)
    *normalized = g_steal_pointer (&code);
  return TRUE;
}

/**
 * td_school_validate:
 * @normalized: (out) (optional): the value as it would be stored
 *
 * Judges @input for @field by the form's rules, as td_school_set() would,
 * without writing anything.
 */
gboolean
td_school_validate (TdSchool       *self,
                    TdSchoolField   field,
                    const char     *input,
                    char          **normalized,
                    GError        **error)
{
  const FieldInfo *info;

  g_return_val_if_fail (TD_IS_SCHOOL (self), FALSE);
  g_return_val_if_fail (field < TD_SCHOOL_N_FIELDS, FALSE);

  info = &fields[field];
  switch (info->kind)
    {
    case KIND_TEXT:
      return td_validate_text (input, info->max_chars, info->required, normalized, error);

    case KIND_PERSON:
      return td_validate_person_name (input, info->max_chars, info->required, normalized, error);

    case KIND_SCHOOL_TYPE:
      for (guint i = 0; i < G_N_ELEMENTS (school_types); i++)
        if (g_strcmp0 (input, school_types[i].id) == 0)
          {
            if (normalized)
              *normalized = g_strdup (input);
            return TRUE;
          }
      g_set_error_literal (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_REQUIRED,
                           _("Required: choose the type of school."));
      return FALSE;

    case KIND_CITY:
      return td_school_validate_code (input, self->province_code, FALSE, normalized, error);

    case KIND_COUNTY:
      return td_school_validate_code (input, self->values[TD_SCHOOL_CITY], TRUE, normalized, error);

    case KIND_POSTAL_CODE:
      return td_validate_postal_code (input, normalized, error);

    case KIND_PHONE:
      return td_validate_phone (input, normalized, error);

    case KIND_EMAIL:
      return td_validate_email (input, info->required, normalized, error);

    default:
      g_assert_not_reached ();
    }
}

typedef struct
{
  TdSchool      *school;
  TdSchoolField  field;
  const char    *value;
  gboolean       clear_county;
} SetData;

static gboolean
td_school_set_in_transaction (TdStore   *store,
                              gpointer   user_data,
                              GError   **error)
{
  SetData *data = user_data;
  sqlite3_stmt *stmt;

  if (!(stmt = td_store_prepare (store, fields[data->field].update_sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, data->value, -1, SQLITE_TRANSIENT);
  if (!td_store_step_done (store, stmt, error))
    return FALSE;

  if (data->clear_county)
    {
      if (!(stmt = td_store_prepare (store, fields[TD_SCHOOL_COUNTY].update_sql, error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, "", -1, SQLITE_STATIC);
      if (!td_store_step_done (store, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * td_school_set:
 *
 * Validates @input and, when it is valid and differs from what is stored,
 * writes it in one transaction. Choosing another city clears a county that
 * is not in it, in the same transaction.
 *
 * Returns: %FALSE with @error set (a #TD_VALIDATE_ERROR or a
 *   #TD_STORE_ERROR) when nothing was written.
 */
gboolean
td_school_set (TdSchool       *self,
               TdSchoolField   field,
               const char     *input,
               GError        **error)
{
  g_autofree char *value = NULL;
  SetData data = { self, field, NULL, FALSE };

  g_return_val_if_fail (TD_IS_SCHOOL (self), FALSE);
  g_return_val_if_fail (field < TD_SCHOOL_N_FIELDS, FALSE);

  if (!td_school_validate (self, field, input, &value, error))
    return FALSE;

  if (g_strcmp0 (value, self->values[field]) == 0)
    return TRUE;

  data.value = value;
  data.clear_county = field == TD_SCHOOL_CITY &&
                      self->values[TD_SCHOOL_COUNTY][0] != '\0' &&
                      !td_divisions_is_child (value, self->values[TD_SCHOOL_COUNTY]);

  if (!td_store_transaction (self->store, td_school_set_in_transaction, &data, error))
    return FALSE;

  g_free (self->values[field]);
  self->values[field] = g_steal_pointer (&value);
  g_signal_emit (self, signals[CHANGED], 0, (int)field);

  if (data.clear_county)
    {
      g_free (self->values[TD_SCHOOL_COUNTY]);
      self->values[TD_SCHOOL_COUNTY] = g_strdup ("");
      g_signal_emit (self, signals[CHANGED], 0, (int)TD_SCHOOL_COUNTY);
    }

  return TRUE;
}

static gboolean
td_school_write_field (TdSchool       *self,
                       TdSchoolField   field,
                       char          **value,
                       GError        **error)
{
  SetData data = { self, field, *value, FALSE };

  data.clear_county = field == TD_SCHOOL_CITY && self->values[TD_SCHOOL_COUNTY][0] != '\0' &&
                      !td_divisions_is_child (*value, self->values[TD_SCHOOL_COUNTY]);
  if (!td_school_set_in_transaction (self->store, &data, error))
    return FALSE;
  g_free (self->values[field]);
  self->values[field] = g_steal_pointer (value);
  if (data.clear_county)
    {
      g_free (self->values[TD_SCHOOL_COUNTY]);
      self->values[TD_SCHOOL_COUNTY] = g_strdup ("");
    }
  return TRUE;
}

/**
 * td_school_update_in_transaction:
 * @province_code: (nullable): the campaign's province, or %NULL to keep
 *   the profile's; a city (and its county) not in it is cleared
 * @values: (array fixed-size=TD_SCHOOL_N_FIELDS) (nullable): a value for
 *   each field, in the field's order; %NULL keeps a field as it is, and ""
 *   clears it
 * @failed_field: (out) (optional): the field refused, when one is
 *
 * For an import that writes more than the profile in one transaction: runs
 * inside the caller's td_store_transaction(). Every value is judged as
 * td_school_set() judges it, a county against the city given with it.
 * After a failed transaction, td_school_reload() the profile.
 *
 * Returns: %FALSE with @error (a #TD_VALIDATE_ERROR or a #TD_STORE_ERROR)
 *   when a value is refused or cannot be written
 */
gboolean
td_school_update_in_transaction (TdSchool            *self,
                                 const char          *province_code,
                                 const char * const  *values,
                                 TdSchoolField       *failed_field,
                                 GError             **error)
{
  g_return_val_if_fail (TD_IS_SCHOOL (self), FALSE);

  if (province_code != NULL && g_strcmp0 (province_code, self->province_code) != 0)
    {
      sqlite3_stmt *stmt = td_store_prepare (self->store, "UPDATE school SET province_code = ? WHERE id = 1", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, province_code, -1, SQLITE_TRANSIENT);
      if (!td_store_step_done (self->store, stmt, error))
        return FALSE;
      g_free (self->province_code);
      self->province_code = g_strdup (province_code);
      if (self->values[TD_SCHOOL_CITY][0] != '\0' &&
          !td_divisions_is_child (province_code, self->values[TD_SCHOOL_CITY]))
        {
          char *none = g_strdup ("");

          if (!td_school_write_field (self, TD_SCHOOL_CITY, &none, error))
            {
              g_free (none);
              return FALSE;
            }
        }
    }

  for (TdSchoolField field = 0; values != NULL && field < TD_SCHOOL_N_FIELDS; field++)
    {
      g_autofree char *value = NULL;

      if (values[field] == NULL)
        continue;
      if (values[field][0] == '\0')
        value = g_strdup ("");
      else if (!td_school_validate (self, field, values[field], &value, error))
        {
          if (failed_field)
            *failed_field = field;
          return FALSE;
        }
      if (g_strcmp0 (value, self->values[field]) != 0 && !td_school_write_field (self, field, &value, error))
        {
          if (failed_field)
            *failed_field = field;
          return FALSE;
        }
    }

  g_signal_emit (self, signals[CHANGED], 0, -1);
  return TRUE;
}

/* How many of the profile's fields the form still needs. */
guint
td_school_count_missing (TdSchool *self)
{
  guint missing = 0;

  g_return_val_if_fail (TD_IS_SCHOOL (self), 0);

  for (guint i = 0; i < TD_SCHOOL_N_FIELDS; i++)
    if (!td_school_validate (self, i, self->values[i], NULL, NULL))
      missing++;
  return missing;
}
