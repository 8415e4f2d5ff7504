/* test-campaign-dialog.c: this year's campaign, started from the built-in one
 *
 * The dialog is filled through its widgets on a December 2026 day with the
 * built-in 2020 campaign current: a wrong e-mail address or upload address
 * keeps Save insensitive with the reason beside the field; once right,
 * Enter saves; the store's campaign, its reporting years (the three
 * complete years before its own), the page and the file written are then
 * checked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-test-ui.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "td-campaign-dialog.h"
#include "td-example.h"
#include "td-form-page-private.h"
#include "td-window.h"

static GtkWidget *
child (TdCampaignDialog *dialog,
       const char       *name)
{
  GObject *widget = gtk_widget_get_template_child (GTK_WIDGET (dialog), TD_TYPE_CAMPAIGN_DIALOG, name);

  g_assert_nonnull (widget);
  return GTK_WIDGET (widget);
}

static void
set_text (TdCampaignDialog *dialog,
          const char       *name,
          const char       *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, name)), text);
}

static const char *
text_of (TdCampaignDialog *dialog,
         const char       *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (child (dialog, name)));
}

/* The message shown beside a group's fields, %NULL when hidden. */
static const char *
message_of (TdCampaignDialog *dialog,
            const char       *name)
{
  GtkWidget *label = child (dialog, name);

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

static void
dialog_destroyed_cb (gpointer  data,
                     GObject  *where)
{
  *(gboolean *)data = TRUE;
}

static void
test_new_campaign (void)
{
  g_autofree char *path = NULL;
  g_autofree char *file_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autoptr(GFile) file = NULL;
  TdWindow *window;
  TdFormPage *page;
  TdCampaignDialog *dialog;
  AdwEntryRow *email;
  gboolean closed = FALSE;

  g_setenv ("TRAINING_DESK_TODAY", "2026-12-05", TRUE);
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), "campaign-dialog.db", NULL);
  file_path = g_build_filename (g_get_user_data_dir (), "shandong-2026.json", NULL);
  file = g_file_new_for_path (file_path);
  store = td_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (td_example_fill (store, &td_example_school_size, &error));
  g_assert_no_error (error);

  window = td_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 900);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "form"));
  page = TD_FORM_PAGE (td_window_get_page_widget (window, "form"));
  g_assert_cmpstr (td_campaign_get_id (td_form_page_get_campaign (page)), ==, "shandong-2020");
  {
    /* Printing starts from the campaign's paper copies: 一式两份 in 2020. */
    g_autoptr(GtkPrintSettings) settings = td_form_page_create_print_settings (page);

    g_assert_cmpint (gtk_print_settings_get_n_copies (settings), ==, 2);
  }

  /* From the page's warning that 2020's deadline has passed. */
  td_test_save_screenshot (GTK_WIDGET (window), "campaign-dialog-form-page-past");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "form.new-campaign", NULL));
  dialog = NULL;
  for (GList *l = gtk_window_list_toplevels (); l; l = g_list_delete_link (l, l))
    if (TD_IS_CAMPAIGN_DIALOG (l->data))
      {
        g_assert_null (dialog);
        dialog = l->data;
      }
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_object_weak_ref (G_OBJECT (dialog), dialog_destroyed_cb, &closed);
  td_test_iterate (100);

  /* Prefilled from 2020's: this year, its notice number, a deadline this
   * year, the same mailboxes and copies. */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (child (dialog, "year_spin"))), ==, 2026);
  g_assert_cmpstr (text_of (dialog, "notice_row"), ==, "鲁教职字〔2026〕5号");
  g_assert_cmpstr (text_of (dialog, "notice_title_row"), ==, "关于职业院校全面开展职业培训促进就业创业行动计划的通知");
  g_assert_cmpstr (text_of (dialog, "deadline_row"), ==, "2026-12-31");
  g_assert_cmpuint (td_campaign_dialog_get_n_recipients (dialog), ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (td_campaign_dialog_get_email_row (dialog, 0))), ==,
                   "dxskjcxds@163.com");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (child (dialog, "copies_spin"))), ==, 2);
  g_assert_true (td_campaign_dialog_is_valid (dialog));
  td_test_save_screenshot (GTK_WIDGET (dialog), "campaign-dialog");

  /* Another year: the notice's number and the deadline follow. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (dialog, "year_spin")), 2027);
  g_assert_cmpstr (text_of (dialog, "notice_row"), ==, "鲁教职字〔2027〕5号");
  g_assert_cmpstr (text_of (dialog, "deadline_row"), ==, "2027-12-31");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (dialog, "year_spin")), 2026);
  g_assert_cmpstr (text_of (dialog, "notice_row"), ==, "鲁教职字〔2026〕5号");

  /* Typed in. */
  set_text (dialog, "notice_row", "鲁教职字〔2026〕12号");
  set_text (dialog, "notice_title_row", "关于做好2026年职业院校职业培训意向摸底工作的通知");
  set_text (dialog, "deadline_row", "2026-02-30");
  g_assert_false (td_campaign_dialog_is_valid (dialog));
  g_assert_cmpstr (message_of (dialog, "notice_message"), ==,
                   _("Enter the deadline as a date written YYYY-MM-DD, such as 2026-06-30."));
  set_text (dialog, "deadline_row", "2026-12-20");
  g_assert_null (message_of (dialog, "notice_message"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (dialog, "copies_spin")), 3);

  /* A wrong address: Save insensitive, the reason beside the field; Enter
   * and the action save nothing. */
  email = td_campaign_dialog_get_email_row (dialog, 0);
  gtk_editable_set_text (GTK_EDITABLE (email), "zhijiao@");
  g_assert_false (td_campaign_dialog_is_valid (dialog));
  g_assert_false (gtk_widget_get_sensitive (child (dialog, "save_button")));
  g_assert_nonnull (message_of (dialog, "recipients_message"));
  g_assert_true (g_str_has_prefix (message_of (dialog, "recipients_message"), "山东省教育厅"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (email), "error"));
  set_text (dialog, "endpoint_row", "http://forms.example.edu.cn/upload");
  g_assert_cmpstr (message_of (dialog, "endpoint_message"), ==,
                   _("Enter an https:// address, such as https://forms.example.edu.cn/upload, or leave it empty."));
  td_test_save_screenshot (GTK_WIDGET (dialog), "campaign-dialog-invalid");
  g_signal_emit_by_name (email, "entry-activated");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "campaign.save", NULL);
  g_assert_false (closed);
  g_assert_null (td_store_dup_setting (store, "campaign"));

  /* Put right: Enter saves. */
  gtk_editable_set_text (GTK_EDITABLE (email), "zhijiao@jyt.example.cn");
  set_text (dialog, "endpoint_row", "https://forms.example.edu.cn/upload");
  g_assert_true (td_campaign_dialog_is_valid (dialog));
  g_assert_true (gtk_widget_get_sensitive (child (dialog, "save_button")));
  g_assert_null (message_of (dialog, "recipients_message"));
  g_assert_null (message_of (dialog, "endpoint_message"));
  gtk_switch_set_active (GTK_SWITCH (child (dialog, "file_switch")), TRUE);
  td_campaign_dialog_set_file (dialog, file);
  g_signal_emit_by_name (child (dialog, "notice_row"), "entry-activated");
  td_test_iterate (100);
  g_assert_true (closed);

  /* The store's current campaign. */
  {
    g_autoptr(TdCampaign) current = td_campaign_load_current (store, &error);
    g_autofree char *deadline = NULL;
    const TdRecipient *recipient;

    g_assert_no_error (error);
    g_assert_cmpstr (td_campaign_get_id (current), ==, "shandong-2026");
    g_assert_cmpstr (td_campaign_get_notice (current), ==, "鲁教职字〔2026〕12号");
    g_assert_cmpstr (td_campaign_get_notice_title (current), ==, "关于做好2026年职业院校职业培训意向摸底工作的通知");
    g_assert_cmpint (td_campaign_get_year (current), ==, 2026);
    g_assert_cmpint (td_campaign_get_first_year (current), ==, 2023);
    g_assert_cmpint (td_campaign_get_last_year (current), ==, 2025);
    deadline = td_campaign_format_deadline (current);
    g_assert_cmpstr (deadline, ==, "2026-12-20");
    g_assert_false (td_campaign_is_past (current, NULL));
    g_assert_cmpstr (td_campaign_get_upload_endpoint (current), ==, "https://forms.example.edu.cn/upload");
    recipient = td_campaign_recipient_for (current, "secondary-vocational");
    g_assert_cmpstr (recipient->email, ==, "zhijiao@jyt.example.cn");
    g_assert_cmpint (recipient->paper_copies, ==, 3);
    recipient = td_campaign_recipient_for (current, "technical");
    g_assert_cmpstr (recipient->email, ==, "yujrst@shandong.cn");
    g_assert_cmpint (recipient->paper_copies, ==, 3);
  }
  /* The page follows, its printing too: three copies now. */
  g_assert_cmpstr (td_campaign_get_id (td_form_page_get_campaign (page)), ==, "shandong-2026");
  {
    g_autoptr(GtkPrintSettings) settings = td_form_page_create_print_settings (page);

    g_assert_cmpint (gtk_print_settings_get_n_copies (settings), ==, 3);
  }
  td_test_save_screenshot (GTK_WIDGET (window), "campaign-dialog-saved");

  /* The file: JSON anyone can import, the old notice's own members gone. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(TdCampaign) back = NULL;
    JsonObject *root;
    JsonObject *first;

    g_assert_true (json_parser_load_from_file (parser, file_path, &error));
    g_assert_no_error (error);
    root = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpint (json_object_get_int_member (root, "schema"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (root, "id"), ==, "shandong-2026");
    g_assert_cmpint (json_object_get_int_member (root, "year"), ==, 2026);
    g_assert_cmpstr (json_object_get_string_member (root, "notice"), ==, "鲁教职字〔2026〕12号");
    g_assert_cmpstr (json_object_get_string_member (root, "deadline"), ==, "2026-12-20");
    g_assert_cmpstr (json_object_get_string_member (root, "upload_endpoint"), ==, "https://forms.example.edu.cn/upload");
    g_assert_cmpstr (json_object_get_string_member (root, "province"), ==, "37");
    g_assert_false (json_object_has_member (root, "years"));
    g_assert_false (json_object_has_member (root, "contacts"));
    g_assert_false (json_object_has_member (root, "issued_on"));
    first = json_array_get_object_element (json_object_get_array_member (root, "recipients"), 0);
    g_assert_cmpstr (json_object_get_string_member (first, "email"), ==, "zhijiao@jyt.example.cn");
    g_assert_cmpint (json_object_get_int_member (first, "paper_copies"), ==, 3);

    back = td_campaign_new_from_file (file, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (td_campaign_get_json (back), ==,
                     td_campaign_get_json (td_form_page_get_campaign (page)));
  }

  /* Escape's binding closes without saving. */
  {
    TdCampaignDialog *again = td_form_page_new_campaign (page);
    gboolean again_closed = FALSE;

    g_object_weak_ref (G_OBJECT (again), dialog_destroyed_cb, &again_closed);
    /* This year's campaign is current now: it is the one prefilled. */
    g_assert_cmpstr (text_of (again, "notice_row"), ==, "鲁教职字〔2026〕12号");
    g_assert_cmpstr (text_of (again, "deadline_row"), ==, "2026-12-20");
    set_text (again, "notice_row", "鲁教职字〔2026〕99号");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (again), "window.close", NULL));
    td_test_iterate (100);
    g_assert_true (again_closed);
    g_assert_cmpstr (td_campaign_get_notice (td_form_page_get_campaign (page)), ==, "鲁教职字〔2026〕12号");
  }

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_finalize_object (window);
  g_unsetenv ("TRAINING_DESK_TODAY");
}

int
main (int   argc,
      char *argv[])
{
  td_test_ui_main_init (&argc, &argv);

  g_test_add_func ("/campaign-dialog/new", test_new_campaign);

  return g_test_run ();
}
