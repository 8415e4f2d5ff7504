/* td-web-sign.c: a signed submission of the test fixture, as files
 *
 *   td-web-sign DIR NAME [CITY COUNTY]
 *
 * Signs td_test_valid_form() with the school's name (and place) changed,
 * with a new key, as the app does (docs/signing.md), and writes the three
 * parts of an upload into DIR: form.json, form.pdf, signature.json, and
 * the revision's UUID (the Idempotency-Key) in uuid. For the browser test
 * (tests/test-web-browser.py) and the catalogue's benchmark
 * (bench/catalogue.py), which are not in C.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-web-sign"

#include "config.h"

#include <locale.h>

#include "td-signoff.h"
#include "td-test-fixtures.h"

#define TD_WEB_SIGN_PASSPHRASE "校长的口令 2026"

static void
td_web_sign_write (const char *dir,
                   const char *name,
                   const void *data,
                   gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (!g_file_set_contents (path, data, (gssize)length, &error))
    g_error ("%s", error->message);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdCampaign) campaign = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autoptr(TdForm) form = NULL;
  g_autoptr(TdRevision) revision = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *store_path = NULL;
  g_autofree char *signature = NULL;
  GBytes *part;
  gsize length;

  setlocale (LC_ALL, "");
  if (argc != 3 && argc != 5)
    {
      g_printerr ("usage: td-web-sign DIR NAME [CITY COUNTY]\n");
      return 2;
    }
  campaign = td_campaign_get_builtin ();
  store_path = g_build_filename (argv[1], "school.db", NULL);
  store = td_store_open (store_path, &error);
  if (store == NULL || !td_signing_key_create (store, TD_WEB_SIGN_PASSPHRASE, TD_KDF_MINIMUM, &error))
    g_error ("%s", error->message);
  form = td_test_valid_form ();
  td_form_set (form, TD_FORM_NAME, argv[2]);
  if (argc == 5)
    {
      td_form_set (form, TD_FORM_CITY, argv[3]);
      td_form_set (form, TD_FORM_COUNTY, argv[4]);
    }
  revision = td_signoff_sign (store, form, campaign, TD_WEB_SIGN_PASSPHRASE, now, &error);
  if (revision == NULL)
    g_error ("%s", error->message);
  part = td_revision_get_form_json (revision);
  td_web_sign_write (argv[1], "form.json", g_bytes_get_data (part, NULL), g_bytes_get_size (part));
  part = td_revision_get_pdf (revision);
  td_web_sign_write (argv[1], "form.pdf", g_bytes_get_data (part, NULL), g_bytes_get_size (part));
  signature = td_revision_dup_signature_json (revision, &length);
  td_web_sign_write (argv[1], "signature.json", signature, length);
  td_web_sign_write (argv[1], "uuid", td_revision_get_uuid (revision), strlen (td_revision_get_uuid (revision)));
  return 0;
}
