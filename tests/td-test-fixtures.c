/* td-test-fixtures.c: data the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-credentials.h"
#include "td-outbox.h"
#include "td-test-fixtures.h"

TdForm *
td_test_valid_form (void)
{
  TdForm *form = td_form_new ("shandong-2020", 2023, 2025);

  td_form_set (form, TD_FORM_NAME, "济南第一职业中等专业学校");
  td_form_set (form, TD_FORM_AUTHORITY, "济南市教育局");
  td_form_set (form, TD_FORM_CITY, "济南市");
  td_form_set (form, TD_FORM_COUNTY, "历下区");
  td_form_set (form, TD_FORM_STREET, "文化西路29号");
  td_form_set (form, TD_FORM_POSTAL_CODE, "250014");
  td_form_set (form, TD_FORM_CONTACT_NAME, "陈璟");
  td_form_set (form, TD_FORM_PHONE, "0531-81916531");
  td_form_set (form, TD_FORM_EMAIL, "pxb@jndyzz.edu.cn");
  td_form_set (form, TD_FORM_CATEGORIES, "enterprise-staff,key-groups");
  td_form_set (form, TD_FORM_FIELDS, "养老服务、智能制造、电子商务");
  td_form_set (form, TD_FORM_CAPACITY, "学校现有培训教师4人，其中“双师型”教师2人。");
  td_form_set (form, TD_FORM_RESULTS, "2023—2025年，学校共开展职业培训4期、培训150人次。");
  td_form_set (form, TD_FORM_LEGAL_REPRESENTATIVE, "王建国");
  return form;
}

static void
set (TdStore    *store,
     const char *key,
     const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (td_store_set_setting (store, key, value, &error));
  g_assert_no_error (error);
}

void
td_test_use_smtp (TdStore    *store,
                  guint16     port,
                  const char *ca_file,
                  const char *user,
                  const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = g_strdup_printf ("%u", port);

  set (store, TD_SETTING_SMTP_HOST, "127.0.0.1");
  set (store, TD_SETTING_SMTP_PORT, port_text);
  set (store, TD_SETTING_SMTP_SECURITY, "starttls");
  set (store, TD_SETTING_SMTP_USERNAME, user);
  set (store, TD_SETTING_SMTP_CA_FILE, ca_file);
  /* AddressSanitizer slows the client's TLS several times over: the
   * cases that test the time-out set their own. */
  set (store, TD_SETTING_TIMEOUT, TD_TEST_HAS_ASAN ? "30" : "5");
  g_assert_true (td_credentials_store (TD_CREDENTIAL_SMTP, "127.0.0.1", user, password, NULL, &error));
  g_assert_no_error (error);
}

static void
run_due_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  TdSyncSummary *summary = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (td_sync_run_due_finish (TD_SYNC (source), result, summary, &error));
  g_assert_no_error (error);
  summary->delivered += 1000;   /* done */
}

TdSyncSummary
td_test_sync_run_due (TdSync *sync)
{
  TdSyncSummary summary = { 0 };

  td_sync_run_due_async (sync, NULL, run_due_cb, &summary);
  while (summary.delivered < 1000)
    g_main_context_iteration (NULL, TRUE);
  summary.delivered -= 1000;
  return summary;
}
