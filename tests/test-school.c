/* test-school.c: the school profile record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "td-school.h"
#include "td-store-private.h"
#include "td-validate.h"

typedef struct
{
  char     *path;
  TdStore  *store;
  TdSchool *school;
  GArray   *changes;
} Fixture;

static void
changed_cb (TdSchool *school,
            int       field,
            GArray   *changes)
{
  g_array_append_val (changes, field);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  f->path = g_build_filename (g_get_user_data_dir (), "school.db", NULL);
  f->store = td_store_open (f->path, &error);
  g_assert_no_error (error);
  f->school = td_school_new (f->store, &error);
  g_assert_no_error (error);
  f->changes = g_array_new (FALSE, FALSE, sizeof (int));
  g_signal_connect (f->school, "changed", G_CALLBACK (changed_cb), f->changes);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->school);
  g_assert_finalize_object (f->store);
  g_array_unref (f->changes);
  g_free (f->path);
}

static gint64
count_audit_updates (Fixture *f)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  sqlite3_prepare_v2 (td_store_get_db (f->store),
                      "SELECT count(*) FROM audit_log WHERE table_name = 'school' AND action = 'update'",
                      -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static char *
stored (Fixture    *f,
        const char *column_sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (td_store_get_db (f->store), column_sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  for (guint i = 0; i < TD_SCHOOL_N_FIELDS; i++)
    g_assert_cmpstr (td_school_get (f->school, i), ==, "");
  g_assert_cmpstr (td_school_get_province_code (f->school), ==, "37");
  /* Everything but the optional e-mail is missing. */
  g_assert_cmpuint (td_school_count_missing (f->school), ==, TD_SCHOOL_N_FIELDS - 1);
}

static const struct {
  TdSchoolField  field;
  const char    *input;
  const char    *stored;
  const char    *column_sql;
} valid_values[] = {
  { TD_SCHOOL_NAME, "  山东省济南第一职业中等专业学校 ", "山东省济南第一职业中等专业学校", "SELECT name FROM school" },
  { TD_SCHOOL_AUTHORITY, "济南市教育局", "济南市教育局", "SELECT authority FROM school" },
  { TD_SCHOOL_TYPE, "secondary-vocational", "secondary-vocational", "SELECT school_type FROM school" },
  { TD_SCHOOL_LEGAL_REPRESENTATIVE, "王　建国", "王 建国", "SELECT legal_representative FROM school" },
  { TD_SCHOOL_CITY, "3701", "3701", "SELECT city_code FROM school" },
  { TD_SCHOOL_COUNTY, "370102", "370102", "SELECT county_code FROM school" },
  { TD_SCHOOL_STREET, "文化西路29号", "文化西路29号", "SELECT street FROM school" },
  { TD_SCHOOL_POSTAL_CODE, "２５００１４", "250014", "SELECT postal_code FROM school" },
  { TD_SCHOOL_CONTACT_NAME, "陈璟", "陈璟", "SELECT contact_name FROM school" },
  { TD_SCHOOL_PHONE, "（０５３１）８１９１ ６５３１", "0531-81916531", "SELECT phone FROM school" },
  { TD_SCHOOL_EMAIL, "Office＠Example.edu.cn", "Office@Example.edu.cn", "SELECT email FROM school" },
};

static void
test_set_valid (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (valid_values); i++)
    {
      g_autofree char *value = NULL;

      g_assert_true (td_school_set (f->school, valid_values[i].field, valid_values[i].input, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (td_school_get (f->school, valid_values[i].field), ==, valid_values[i].stored);
      value = stored (f, valid_values[i].column_sql);
      g_assert_cmpstr (value, ==, valid_values[i].stored);
      g_assert_cmpint (g_array_index (f->changes, int, f->changes->len - 1), ==, valid_values[i].field);
    }
  g_assert_cmpint (count_audit_updates (f), ==, G_N_ELEMENTS (valid_values));
  g_assert_cmpuint (td_school_count_missing (f->school), ==, 0);

  /* The same value again writes nothing. */
  g_assert_true (td_school_set (f->school, TD_SCHOOL_PHONE, "0531-81916531", &error));
  g_assert_cmpint (count_audit_updates (f), ==, G_N_ELEMENTS (valid_values));

  /* And all of it is there after reopening. */
  g_clear_object (&f->school);
  g_clear_object (&f->store);
  f->store = td_store_open (f->path, &error);
  g_assert_no_error (error);
  f->school = td_school_new (f->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (valid_values); i++)
    g_assert_cmpstr (td_school_get (f->school, valid_values[i].field), ==, valid_values[i].stored);
}

static const struct {
  TdSchoolField  field;
  const char    *input;
  int            code;
} invalid_values[] = {
  { TD_SCHOOL_NAME, "", TD_VALIDATE_ERROR_REQUIRED },
  { TD_SCHOOL_NAME, "　 ", TD_VALIDATE_ERROR_REQUIRED },
  { TD_SCHOOL_NAME, /* 61 characters, the limit is 60 */
    "职业职业职业职业职业职业职业职业职业职业职业职业职业职业职业职业职业职业职业职业职业职业职业职业职业职业职业职业职业职业校", TD_VALIDATE_ERROR_TOO_LONG },
  { TD_SCHOOL_TYPE, "university", TD_VALIDATE_ERROR_REQUIRED },
  { TD_SCHOOL_TYPE, "", TD_VALIDATE_ERROR_REQUIRED },
  { TD_SCHOOL_CITY, "1101", TD_VALIDATE_ERROR_UNKNOWN_CODE },       /* Beijing: not the campaign's province */
  { TD_SCHOOL_CITY, "3799", TD_VALIDATE_ERROR_UNKNOWN_CODE },
  { TD_SCHOOL_CITY, "", TD_VALIDATE_ERROR_REQUIRED },
  { TD_SCHOOL_COUNTY, "370102", TD_VALIDATE_ERROR_UNKNOWN_CODE },   /* no city chosen yet */
  { TD_SCHOOL_POSTAL_CODE, "25001", TD_VALIDATE_ERROR_FORMAT },
  { TD_SCHOOL_POSTAL_CODE, "2500140", TD_VALIDATE_ERROR_FORMAT },
  { TD_SCHOOL_POSTAL_CODE, "", TD_VALIDATE_ERROR_REQUIRED },
  { TD_SCHOOL_PHONE, "81916531", TD_VALIDATE_ERROR_FORMAT },
  { TD_SCHOOL_PHONE, "1381234567", TD_VALIDATE_ERROR_FORMAT },
  { TD_SCHOOL_PHONE, "phone me", TD_VALIDATE_ERROR_FORMAT },
  { TD_SCHOOL_EMAIL, "office@", TD_VALIDATE_ERROR_FORMAT },
  { TD_SCHOOL_CONTACT_NAME, "", TD_VALIDATE_ERROR_REQUIRED },
  /* A postal code typed into the name (issue 13): digits are no name. */
  { TD_SCHOOL_CONTACT_NAME, "25001", TD_VALIDATE_ERROR_FORMAT },
  { TD_SCHOOL_LEGAL_REPRESENTATIVE, " 0531-8191 ", TD_VALIDATE_ERROR_FORMAT },
  { TD_SCHOOL_STREET, "", TD_VALIDATE_ERROR_REQUIRED },
};

static void
test_set_invalid (Fixture       *f,
                  gconstpointer  data)
{
  gint64 audit_before = count_audit_updates (f);

  for (guint i = 0; i < G_N_ELEMENTS (invalid_values); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u: %s = “%s”", i, td_school_field_key (invalid_values[i].field),
                      invalid_values[i].input);
      g_assert_false (td_school_set (f->school, invalid_values[i].field, invalid_values[i].input, &error));
      g_assert_error (error, TD_VALIDATE_ERROR, invalid_values[i].code);
      g_assert_cmpuint (strlen (error->message), >, 5);
      g_assert_cmpstr (td_school_get (f->school, invalid_values[i].field), ==, "");
    }

  /* Nothing invalid was written, and nobody was told of a change. */
  g_assert_cmpint (count_audit_updates (f), ==, audit_before);
  g_assert_cmpuint (f->changes->len, ==, 0);
}

static void
test_invalid_keeps_previous (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  g_assert_true (td_school_set (f->school, TD_SCHOOL_PHONE, "13912345678", &error));
  g_assert_false (td_school_set (f->school, TD_SCHOOL_PHONE, "139123456", &error));
  g_assert_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_FORMAT);
  value = stored (f, "SELECT phone FROM school");
  g_assert_cmpstr (value, ==, "13912345678");
  g_assert_cmpstr (td_school_get (f->school, TD_SCHOOL_PHONE), ==, "13912345678");
}

static void
test_city_and_county (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *county = NULL;
  gint64 audit;

  g_assert_true (td_school_set (f->school, TD_SCHOOL_CITY, "3701", &error));
  g_assert_true (td_school_set (f->school, TD_SCHOOL_COUNTY, "370102", &error));
  g_assert_no_error (error);

  /* A county of another city is refused, and says which city. */
  g_assert_false (td_school_set (f->school, TD_SCHOOL_COUNTY, "370202", &error));
  g_assert_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_UNKNOWN_CODE);
  g_assert_nonnull (strstr (error->message, "济南市"));
  g_clear_error (&error);

  /* Another city takes the county with it, in the same transaction. */
  audit = count_audit_updates (f);
  g_array_set_size (f->changes, 0);
  g_assert_true (td_school_set (f->school, TD_SCHOOL_CITY, "3702", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (td_school_get (f->school, TD_SCHOOL_COUNTY), ==, "");
  county = stored (f, "SELECT county_code FROM school");
  g_assert_cmpstr (county, ==, "");
  g_assert_cmpint (count_audit_updates (f), ==, audit + 2);
  g_assert_cmpuint (f->changes->len, ==, 2);
  g_assert_cmpint (g_array_index (f->changes, int, 0), ==, TD_SCHOOL_CITY);
  g_assert_cmpint (g_array_index (f->changes, int, 1), ==, TD_SCHOOL_COUNTY);

  g_assert_true (td_school_set (f->school, TD_SCHOOL_COUNTY, "370202", &error));
  g_assert_no_error (error);
}

static void
test_field_keys (Fixture       *f,
                 gconstpointer  data)
{
  guint n_types;
  const TdSchoolType *types = td_school_types (&n_types);

  for (guint i = 0; i < TD_SCHOOL_N_FIELDS; i++)
    {
      TdSchoolField field;

      g_assert_true (td_school_field_from_key (td_school_field_key (i), &field));
      g_assert_cmpuint (field, ==, i);
    }
  g_assert_false (td_school_field_from_key ("nonsense", &(TdSchoolField){0}));

  /* The four kinds of school the notice addresses. */
  g_assert_cmpuint (n_types, ==, 4);
  for (guint i = 0; i < n_types; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (td_school_set (f->school, TD_SCHOOL_TYPE, types[i].id, &error));
      g_assert_no_error (error);
    }
}

static void
test_reload_on_restore (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (g_get_user_data_dir (), "before.db", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (td_school_set (f->school, TD_SCHOOL_NAME, "旧名称学校", &error));
  g_assert_true (td_store_backup_to (f->store, backup, &error));
  g_assert_true (td_school_set (f->school, TD_SCHOOL_NAME, "新名称学校", &error));
  g_assert_no_error (error);

  g_array_set_size (f->changes, 0);
  g_assert_true (td_store_restore_from (f->store, backup, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (td_school_get (f->school, TD_SCHOOL_NAME), ==, "旧名称学校");
  g_assert_cmpuint (f->changes->len, ==, 1);
  g_assert_cmpint (g_array_index (f->changes, int, 0), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/school/empty", test_empty);
  ADD ("/school/set-valid", test_set_valid);
  ADD ("/school/set-invalid", test_set_invalid);
  ADD ("/school/invalid-keeps-previous", test_invalid_keeps_previous);
  ADD ("/school/city-and-county", test_city_and_county);
  ADD ("/school/field-keys", test_field_keys);
  ADD ("/school/reload-on-restore", test_reload_on_restore);

#undef ADD

  return g_test_run ();
}
