/* fuzz-canonical-json.c: libFuzzer target for canonical JSON (RFC 8785,
 * td-canonical-json.c), what signatures and the receiver rest on
 *
 * Canonical form is a fixed point: what td_canonical_json_from_string()
 * writes passes td_canonical_json_check() and writes as itself again. A
 * document the check accepts is its own canonical form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-fuzz"

#include <string.h>

#include "td-canonical-json.h"
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
  const char *json = (const char *)data;
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *again = NULL;
  gsize length, again_length;
  gboolean checked;

  checked = td_canonical_json_check (json, size, NULL);
  canonical = td_canonical_json_from_string (json, (gssize)size, &length, &error);
  if (canonical == NULL)
    {
      g_assert_nonnull (error);
      g_assert_false (checked);
      return 0;
    }
  g_assert_no_error (error);

  g_assert_true (g_utf8_validate (canonical, (gssize)length, NULL));
  g_assert_cmpuint (strlen (canonical), ==, length);
  if (checked)
    g_assert_true (length == size && memcmp (canonical, json, size) == 0);

  g_assert_true (td_canonical_json_check (canonical, length, &error));
  g_assert_no_error (error);
  again = td_canonical_json_from_string (canonical, (gssize)length, &again_length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again_length, ==, length);
  g_assert_true (memcmp (again, canonical, length) == 0);
  return 0;
}
