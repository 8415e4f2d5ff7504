/* fuzz-form-json.c: libFuzzer target for the intent form as JSON
 * (td-form-json.c, docs/form-json.md)
 *
 * A form read from any bytes writes back to JSON that reads as the same
 * form, and its catalogue row (what the province's receiver exports) has
 * its ten columns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-fuzz"

#include "td-form-json.h"
#include "td-fuzz.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  td_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdForm) form = td_form_new_from_json ((const char *)data, (gssize)size, &error);
  g_autoptr(TdForm) again = NULL;
  g_autofree char *json = NULL;
  g_auto(GStrv) row = NULL;
  gsize length;

  if (form == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_no_error (error);

  json = td_form_to_json (form, &length);
  g_assert_nonnull (json);
  again = td_form_new_from_json (json, (gssize)length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  g_assert_cmpstr (td_form_get_campaign_id (again), ==, td_form_get_campaign_id (form));
  for (guint f = 0; f < TD_FORM_N_FIELDS; f++)
    g_assert_cmpstr (td_form_get (again, f), ==, td_form_get (form, f));

  row = td_form_catalogue_row (form);
  g_assert_cmpuint (g_strv_length (row), ==, TD_FORM_CATALOGUE_N_COLUMNS);
  return 0;
}
