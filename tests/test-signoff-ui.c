/* test-signoff-ui.c: signing off through the window, with real widgets
 *
 * The example school with a form that passes every check; win.sign-off
 * opens the review, whose first step sets the principal's passphrase
 * through its entries; a wrong passphrase is refused and stores nothing,
 * the right one signs (on a worker thread: the test waits for it) and the
 * revision verifies. Then win.revisions lists it, compares it with the
 * edited draft and saves its PDF; win.change-passphrase changes the
 * passphrase, and the new one signs revision 2. Last, a revision altered in
 * the file is reported at the top of a new window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-test-ui.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <sqlite3.h>

#include "td-campaign.h"
#include "td-example.h"
#include "td-form.h"
#include "td-form-page-private.h"
#include "td-outbox.h"
#include "td-overview-page.h"
#include "td-passphrase-dialog.h"
#include "td-revisions-dialog.h"
#include "td-school.h"
#include "td-signing-key.h"
#include "td-signoff.h"
#include "td-signoff-dialog.h"
#include "td-window.h"

#define PASSPHRASE "校长的口令 2026"
#define NEW_PASSPHRASE "新的口令，只有校长知道"

/* Light, then dark: both are looked at. */
static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  if (g_getenv ("TD_SCREENSHOT_DIR") == NULL)
    return;
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  td_test_save_screenshot (widget, name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  td_test_save_screenshot (widget, name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* The preview's scrolled window: the one that holds the drawn pages. */
static GtkScrolledWindow *
find_preview (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget) && td_test_find_descendant (widget, GTK_TYPE_DRAWING_AREA))
    return GTK_SCROLLED_WINDOW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = find_preview (child);

      if (found)
        return found;
    }
  return NULL;
}

static void
fill_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_assert_true (td_example_fill_finish (TD_STORE (object), result, NULL));
  *(gboolean *)user_data = TRUE;
}

static gboolean
find_file_printer_cb (GtkPrinter *printer,
                      gpointer    data)
{
  GtkPrinter **found = data;

  /* "Print to File": the one virtual printer that takes PDF. */
  if (gtk_printer_is_virtual (printer) && gtk_printer_accepts_pdf (printer))
    {
      *found = g_object_ref (printer);
      return TRUE;
    }
  return FALSE;
}

static void
print_job_done_cb (GtkPrintJob  *job,
                   gpointer      data,
                   const GError *error)
{
  g_assert_no_error (error);
  *(gboolean *)data = TRUE;
}

/* Ctrl+P on the signed form: the revision's own PDF, byte for byte, as
 * many copies as the campaign asks; after an edit, not any more. Sent to
 * GTK's "Print to File" printer, which writes what it is sent. */
static void
check_print_signed (TdWindow   *window,
                    TdRevision *revision)
{
  TdFormPage *page = TD_FORM_PAGE (td_window_get_page_widget (window, "form"));
  g_autoptr(TdRevision) signed_revision = td_form_page_dup_signed_revision (page);
  g_autoptr(GtkPrintSettings) settings = td_form_page_create_print_settings (page);
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPrinter) printer = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (signed_revision);
  g_assert_cmpstr (td_revision_get_uuid (signed_revision), ==, td_revision_get_uuid (revision));
  /* The built-in campaign: 一式两份. */
  g_assert_cmpint (gtk_print_settings_get_n_copies (settings), ==, 2);

  /* No CUPS to wait for: the file backend alone. */
  g_object_set (gtk_settings_get_default (), "gtk-print-backends", "file", NULL);
  gtk_enumerate_printers (find_file_printer_cb, &printer, NULL, TRUE);
  if (printer == NULL)
    g_test_message ("No “Print to File” printer: the signed PDF is not sent");
  else
    {
      g_autofree char *out = g_build_filename (g_get_user_data_dir (), "printed-signed.pdf", NULL);
      g_autofree char *uri = g_filename_to_uri (out, NULL, NULL);
      g_autoptr(GtkPrintJob) job = NULL;
      g_autoptr(GBytes) printed = NULL;
      g_autoptr(GFile) file = g_file_new_for_path (out);
      gboolean done = FALSE;

      gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_URI, uri);
      gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_FILE_FORMAT, "pdf");
      gtk_print_settings_set_n_copies (settings, 1);
      job = td_form_page_create_print_job (page, signed_revision, printer, settings, setup, &error);
      g_assert_no_error (error);
      gtk_print_job_send (job, print_job_done_cb, &done, NULL);
      TD_TEST_WAIT_UNTIL (done);
      printed = g_file_load_bytes (file, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (printed, td_revision_get_pdf (revision)));
    }

  /* Edited since: printed from the form again, not the signed PDF. */
  {
    GtkTextBuffer *buffer = td_form_page_get_text_buffer (page, TD_FORM_CAPACITY);
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    gtk_text_buffer_set_text (buffer, "师资力量雄厚。", -1);
    g_assert_null (td_form_page_dup_signed_revision (page));
    gtk_text_buffer_set_text (buffer, text, -1);
    g_clear_object (&signed_revision);
    signed_revision = td_form_page_dup_signed_revision (page);
    g_assert_nonnull (signed_revision);
  }
}

static TdForm *
load_form (TdStore *store)
{
  g_autoptr(TdCampaign) campaign = td_campaign_load_current (store, NULL);
  g_autoptr(GError) error = NULL;
  TdForm *form;

  if (campaign == NULL)
    campaign = td_campaign_get_builtin ();
  form = td_form_load (store, campaign, td_campaign_get_last_year (campaign), &error);
  g_assert_no_error (error);
  return form;
}

/* The example school, with whatever its form still lacks filled in: a form
 * with errors cannot be signed. */
static TdStore *
open_valid_school (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdCampaign) campaign = td_campaign_get_builtin ();
  g_autoptr(TdForm) form = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  TdStore *store;
  gboolean done = FALSE;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), "signoff-ui.db", NULL);
  store = td_store_open (path, &error);
  g_assert_no_error (error);
  td_example_fill_async (store, &td_example_school_size, NULL, fill_done_cb, &done);
  TD_TEST_WAIT_UNTIL (done);

  form = load_form (store);
  problems = td_form_check (form, campaign);
  for (guint i = 0; i < problems->len; i++)
    {
      TdFormProblem *problem = g_ptr_array_index (problems, i);

      g_test_message ("The example form: %s", problem->message);
    }
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpstr (td_form_get (form, TD_FORM_LEGAL_REPRESENTATIVE), !=, "");
  return store;
}

/* Closes a dialog as a user would, and sees it finalized. */
static void
close_dialog (gpointer dialog)
{
  gpointer alive = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &alive);
  gtk_window_close (GTK_WINDOW (dialog));
  TD_TEST_WAIT_UNTIL (alive == NULL);
}

static TdSignoffDialog *
open_signoff (TdWindow *window)
{
  TdSignoffDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-off", NULL));
  dialog = td_test_find_toplevel (TD_TYPE_SIGNOFF_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  TD_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  return dialog;
}

static TdRevisionsDialog *
open_revisions (TdWindow *window)
{
  TdRevisionsDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.revisions", NULL));
  dialog = td_test_find_toplevel (TD_TYPE_REVISIONS_DIALOG);
  g_assert_nonnull (dialog);
  TD_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  return dialog;
}

static void
finished_cb (GtkWidget  *dialog,
             const char *message,
             char      **out)
{
  g_free (*out);
  *out = g_strdup (message);
}

/* Signs with @passphrase through the entry and Sign Off; waits for the
 * worker. Returns whether the dialog closed (signed). */
static gboolean
sign_with (TdSignoffDialog *dialog,
           const char      *passphrase,
           char           **finished)
{
  GtkEditable *entry = td_signoff_dialog_get_entry (dialog, 0);
  TdSignoffDialog *alive = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&alive);
  g_signal_connect (dialog, "finished", G_CALLBACK (finished_cb), finished);
  gtk_editable_set_text (entry, passphrase);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "signoff.sign", NULL));
  /* The passphrase leaves the entry at once; the dialog waits, insensitive. */
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "");
  g_assert_true (td_signoff_dialog_is_busy (dialog));
  g_assert_false (gtk_widget_get_sensitive (gtk_window_get_child (GTK_WINDOW (dialog))) &&
                  gtk_widget_is_sensitive (GTK_WIDGET (entry)));
  TD_TEST_WAIT_UNTIL (alive == NULL || !td_signoff_dialog_is_busy (alive));
  if (alive == NULL)
    return TRUE;
  g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *)&alive);
  g_signal_handlers_disconnect_by_func (dialog, finished_cb, finished);
  return FALSE;
}

static void
save_pdf_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (td_revisions_dialog_save_pdf_finish (TD_REVISIONS_DIALOG (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *)user_data = TRUE;
}

static void
test_signoff (void)
{
  g_autoptr(TdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GBytes) key = NULL;
  g_autofree char *finished = NULL;
  g_autofree char *expected = NULL;
  TdWindow *window;
  TdSignoffDialog *dialog;
  TdRevisionsDialog *revisions_dialog;
  TdPassphraseDialog *passphrase_dialog;
  TdRevision *revision;

  store = open_valid_school ();
  window = td_test_open_window (store, 1280, 900);
  td_test_iterate (100);

  /* No passphrase yet: the first step asks for one, twice. */
  dialog = open_signoff (window);
  g_assert_cmpstr (td_signoff_dialog_get_step (dialog), ==, "setup");
  g_assert_false (td_signoff_dialog_get_can_sign (dialog));
  screenshot (GTK_WIDGET (dialog), "signoff-setup");

  gtk_editable_set_text (td_signoff_dialog_get_entry (dialog, 1), "short");
  g_assert_nonnull (td_signoff_dialog_get_message (dialog));
  {
    g_autofree char *too_short = g_strdup_printf (_("The passphrase must have at least %d characters."),
                                                  TD_PASSPHRASE_MIN_LENGTH);
    g_assert_cmpstr (td_signoff_dialog_get_message (dialog), ==, too_short);
  }
  gtk_editable_set_text (td_signoff_dialog_get_entry (dialog, 1), PASSPHRASE);
  gtk_editable_set_text (td_signoff_dialog_get_entry (dialog, 2), "校长的口令 2025");
  g_assert_cmpstr (td_signoff_dialog_get_message (dialog), ==,
                   _("The two passphrases are not the same. Type the new one again."));
  screenshot (GTK_WIDGET (dialog), "signoff-setup-mismatch");
  /* Refused as it stands: nothing is set. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "signoff.set-passphrase", NULL);
  g_assert_false (td_signoff_dialog_is_busy (dialog));
  g_assert_false (td_signing_key_exists (store));

  gtk_editable_set_text (td_signoff_dialog_get_entry (dialog, 2), PASSPHRASE);
  g_assert_null (td_signoff_dialog_get_message (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "signoff.set-passphrase", NULL));
  g_assert_true (td_signoff_dialog_is_busy (dialog));
  TD_TEST_WAIT_UNTIL (!td_signoff_dialog_is_busy (dialog));
  g_assert_true (td_signing_key_exists (store));
  g_assert_cmpstr (gtk_editable_get_text (td_signoff_dialog_get_entry (dialog, 1)), ==, "");

  /* The review: the pages as they will be sent, a first revision. */
  g_assert_cmpstr (td_signoff_dialog_get_step (dialog), ==, "review");
  g_assert_true (td_signoff_dialog_get_can_sign (dialog));
  g_assert_cmpuint (td_signoff_dialog_get_n_preview_pages (dialog), >=, 1);
  g_assert_cmpuint (td_signoff_dialog_get_n_problems (dialog), ==, 0);
  g_assert_cmpstr (td_signoff_dialog_get_changes_title (dialog), ==, _("First Revision"));
  screenshot (GTK_WIDGET (dialog), "signoff-review");
  if (g_getenv ("TD_SCREENSHOT_DIR"))
    {
      /* The signed cell, at the end of the last page. */
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (find_preview (GTK_WIDGET (dialog)));

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      screenshot (GTK_WIDGET (dialog), "signoff-review-signed-cell");
      gtk_adjustment_set_value (adjustment, 0);
    }

  /* The key that will sign, by its fingerprint. */
  {
    g_autoptr(GBytes) public_key = td_signing_key_dup_public_key (store, &error);
    g_autofree char *fingerprint = td_signing_key_fingerprint (public_key);
    g_autofree char *line = g_strdup_printf (_("Signing key: %s"), fingerprint);

    g_assert_no_error (error);
    g_assert_nonnull (fingerprint);
    g_assert_cmpuint (strlen (fingerprint), ==, TD_FINGERPRINT_LENGTH);
    g_assert_cmpstr (td_signoff_dialog_get_key_text (dialog), ==, line);
  }

  /* The opinion: 100 characters fit the cell; 101 are refused with the
   * count, and Sign Off waits until it is shortened. */
  {
    GtkEditable *opinion = GTK_EDITABLE (td_signoff_dialog_get_opinion_row (dialog));
    g_autoptr(GString) text = g_string_new (NULL);
    g_autofree char *message = NULL;

    g_assert_cmpstr (gtk_editable_get_text (opinion), ==, "同意申报。");
    g_assert_null (td_signoff_dialog_get_opinion_message (dialog));
    for (guint i = 0; i < TD_SIGNOFF_OPINION_LIMIT / 5; i++)
      g_string_append (text, "同意申报。");
    gtk_editable_set_text (opinion, text->str);
    g_assert_null (td_signoff_dialog_get_opinion_message (dialog));
    g_string_append (text, "好");
    gtk_editable_set_text (opinion, text->str);
    message = g_strdup_printf (_("The opinion has %u characters; the form’s cell holds %d. Shorten it to sign off."),
                               TD_SIGNOFF_OPINION_LIMIT + 1, TD_SIGNOFF_OPINION_LIMIT);
    g_assert_cmpstr (td_signoff_dialog_get_opinion_message (dialog), ==, message);
    screenshot (GTK_WIDGET (dialog), "signoff-opinion-too-long");
    gtk_editable_set_text (td_signoff_dialog_get_entry (dialog, 0), PASSPHRASE);
    gtk_widget_activate_action (GTK_WIDGET (dialog), "signoff.sign", NULL);
    g_assert_false (td_signoff_dialog_is_busy (dialog));
    g_assert_cmpuint (td_signing_key_get_failures (store), ==, 0);
    gtk_editable_set_text (td_signoff_dialog_get_entry (dialog, 0), "");
    gtk_editable_set_text (opinion, "同意申报。");
    g_assert_null (td_signoff_dialog_get_opinion_message (dialog));
  }

  /* A wrong passphrase: said, counted, nothing stored. */
  g_assert_false (sign_with (dialog, "not the passphrase", &finished));
  {
    g_autofree char *wrong = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "The passphrase is not right. %u more wrong try locks sign-off.",
                                                           "The passphrase is not right. %u more wrong tries lock sign-off.",
                                                           TD_PASSPHRASE_TRIES - 1),
                                              TD_PASSPHRASE_TRIES - 1);

    g_assert_cmpstr (td_signoff_dialog_get_message (dialog), ==, wrong);
  }
  g_assert_true (td_signoff_dialog_get_can_sign (dialog));
  /* Ready for the next try. */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (dialog)),
                                         GTK_WIDGET (td_signoff_dialog_get_entry (dialog, 0))));
  g_assert_cmpuint (td_signing_key_get_failures (store), ==, 1);
  revisions = td_revision_list (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, ==, 0);
  g_clear_pointer (&revisions, g_ptr_array_unref);
  screenshot (GTK_WIDGET (dialog), "signoff-wrong-passphrase");

  /* The right one signs; the dialog closes and the window says so. */
  g_assert_true (sign_with (dialog, PASSPHRASE, &finished));
  expected = g_strdup_printf (_("Revision %lld signed off"), 1LL);
  g_assert_cmpstr (finished, ==, expected);
  g_assert_cmpuint (td_signing_key_get_failures (store), ==, 0);
  revisions = td_revision_list (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, ==, 1);
  revision = g_ptr_array_index (revisions, 0);
  g_assert_cmpint (td_revision_get_number (revision), ==, 1);
  g_assert_true (td_revision_is_signed (revision));
  key = td_signing_key_dup_public_key (store, &error);
  g_assert_true (td_revision_verify (revision, key, &error));
  g_assert_no_error (error);
  /* The dialog's opinion, its default confirmed, signed and dated today. */
  {
    g_autoptr(GDateTime) today = g_date_time_new_now_local ();
    g_autofree char *day = g_date_time_format (today, "%Y-%m-%d");
    g_autofree char *member = g_strdup_printf ("\"opinion\":{\"date\":\"%s\",\"text\":\"同意申报。\"}", day);
    gsize n;
    const char *json = g_bytes_get_data (td_revision_get_form_json (revision), &n);

    g_assert_nonnull (g_strstr_len (json, (gssize)n, member));
  }
  screenshot (GTK_WIDGET (window), "signoff-signed");
  check_print_signed (window, revision);

  /* Nothing changed since: it cannot be signed again, and says why. */
  dialog = open_signoff (window);
  g_assert_cmpstr (td_signoff_dialog_get_step (dialog), ==, "review");
  g_assert_false (td_signoff_dialog_get_can_sign (dialog));
  gtk_editable_set_text (td_signoff_dialog_get_entry (dialog, 0), PASSPHRASE);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "signoff.sign", NULL);
  g_assert_false (td_signoff_dialog_is_busy (dialog));
  g_assert_nonnull (td_signoff_dialog_get_message (dialog));
  g_assert_cmpuint (td_signoff_dialog_get_n_changes (dialog), ==, 0);
  screenshot (GTK_WIDGET (dialog), "signoff-unchanged");
  close_dialog (dialog);

  /* The revisions: the one signed, verified; its PDF as signed. */
  revisions_dialog = open_revisions (window);
  g_assert_cmpuint (td_revisions_dialog_get_n_entries (revisions_dialog), ==, 1);
  g_assert_cmpstr (td_revision_get_uuid (td_revisions_dialog_get_revision (revisions_dialog, 0)), ==,
                   td_revision_get_uuid (revision));
  g_assert_null (td_revisions_dialog_get_failure (revisions_dialog, 0));
  screenshot (GTK_WIDGET (revisions_dialog), "signoff-revisions");
  {
    g_autofree char *path = g_build_filename (g_get_user_data_dir (), "revision-1.pdf", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GBytes) saved = NULL;
    gboolean saved_done = FALSE;

    td_revisions_dialog_save_pdf (revisions_dialog, 0, file, save_pdf_cb, &saved_done);
    TD_TEST_WAIT_UNTIL (saved_done);
    saved = g_file_load_bytes (file, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (saved, td_revision_get_pdf (revision)));
  }
  close_dialog (revisions_dialog);

  /* An edit after sign-off: the draft differs from revision 1, field 7. */
  {
    g_autoptr(TdForm) form = load_form (store);

    g_assert_true (td_form_save_edit (store, form, TD_FORM_FIELDS, "养老服务、智能制造", &error));
    g_assert_no_error (error);
  }
  dialog = open_signoff (window);
  g_assert_true (td_signoff_dialog_get_can_sign (dialog));
  g_assert_cmpuint (td_signoff_dialog_get_n_changes (dialog), ==, 1);
  {
    g_autofree char *title = g_strdup_printf (_("Changes Since Revision %lld (%s)"), 1LL,
                                              td_revision_state_label (TD_REVISION_SIGNED));

    g_assert_cmpstr (td_signoff_dialog_get_changes_title (dialog), ==, title);
  }
  screenshot (GTK_WIDGET (dialog), "signoff-changes");
  close_dialog (dialog);

  revisions_dialog = open_revisions (window);
  g_assert_cmpuint (td_revisions_dialog_get_n_entries (revisions_dialog), ==, 2);
  g_assert_null (td_revisions_dialog_get_revision (revisions_dialog, 0));   /* the draft */
  g_assert_cmpuint (gtk_drop_down_get_selected (td_revisions_dialog_get_drop_down (revisions_dialog, 0)), ==, 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (td_revisions_dialog_get_drop_down (revisions_dialog, 1)), ==, 0);
  g_assert_cmpuint (td_revisions_dialog_get_n_changes (revisions_dialog), ==, 1);
  screenshot (GTK_WIDGET (revisions_dialog), "signoff-revisions-draft");
  gtk_drop_down_set_selected (td_revisions_dialog_get_drop_down (revisions_dialog, 0), 0);
  g_assert_cmpuint (td_revisions_dialog_get_n_changes (revisions_dialog), ==, 0);
  close_dialog (revisions_dialog);

  /* A new passphrase: a wrong current one is refused, then it changes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.change-passphrase", NULL));
  passphrase_dialog = td_test_find_toplevel (TD_TYPE_PASSPHRASE_DIALOG);
  g_assert_nonnull (passphrase_dialog);
  TD_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (passphrase_dialog)));
  g_assert_false (td_passphrase_dialog_is_creating (passphrase_dialog));
  gtk_editable_set_text (td_passphrase_dialog_get_entry (passphrase_dialog, 0), "not the passphrase");
  gtk_editable_set_text (td_passphrase_dialog_get_entry (passphrase_dialog, 1), NEW_PASSPHRASE);
  gtk_editable_set_text (td_passphrase_dialog_get_entry (passphrase_dialog, 2), NEW_PASSPHRASE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (passphrase_dialog), "passphrase.apply", NULL));
  TD_TEST_WAIT_UNTIL (!td_passphrase_dialog_is_busy (passphrase_dialog));
  g_assert_nonnull (td_passphrase_dialog_get_message (passphrase_dialog));
  g_assert_cmpuint (td_signing_key_get_failures (store), ==, 1);
  screenshot (GTK_WIDGET (passphrase_dialog), "signoff-change-passphrase");
  {
    TdPassphraseDialog *alive = passphrase_dialog;

    g_clear_pointer (&finished, g_free);
    g_signal_connect (passphrase_dialog, "finished", G_CALLBACK (finished_cb), &finished);
    g_object_add_weak_pointer (G_OBJECT (passphrase_dialog), (gpointer *)&alive);
    gtk_editable_set_text (td_passphrase_dialog_get_entry (passphrase_dialog, 0), PASSPHRASE);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (passphrase_dialog), "passphrase.apply", NULL));
    TD_TEST_WAIT_UNTIL (alive == NULL);
    g_assert_cmpstr (finished, ==, _("The principal’s passphrase was changed."));
  }

  /* The old passphrase no longer signs; the new one does: revision 2. */
  dialog = open_signoff (window);
  g_assert_false (sign_with (dialog, PASSPHRASE, &finished));
  g_assert_true (sign_with (dialog, NEW_PASSPHRASE, &finished));
  g_clear_pointer (&revisions, g_ptr_array_unref);
  revisions = td_revision_list (store, NULL, &error);
  g_assert_cmpuint (revisions->len, ==, 2);
  g_assert_cmpint (td_revision_get_number (g_ptr_array_index (revisions, 0)), ==, 2);
  g_assert_true (td_revision_verify (g_ptr_array_index (revisions, 0), key, &error));
  g_assert_no_error (error);

  /* Nothing is left open. */
  g_assert_null (td_test_find_toplevel (TD_TYPE_SIGNOFF_DIALOG));
  g_assert_null (td_test_find_toplevel (TD_TYPE_REVISIONS_DIALOG));
  g_assert_null (td_test_find_toplevel (TD_TYPE_PASSPHRASE_DIALOG));
  td_test_destroy_window (window);
}

/* A form with errors cannot be signed, and says so; five wrong
 * passphrases lock sign-off, and the dialog says until when. */
static void
test_problems_and_lock (void)
{
  g_autoptr(TdStore) store = open_valid_school ();
  g_autoptr(GError) error = NULL;
  g_autofree char *finished = NULL;
  g_autofree char *fields = NULL;
  TdWindow *window;
  TdSignoffDialog *dialog;

  g_assert_true (td_signing_key_create (store, PASSPHRASE, TD_KDF_MINIMUM, &error));
  g_assert_no_error (error);
  {
    g_autoptr(TdForm) form = load_form (store);

    fields = g_strdup (td_form_get (form, TD_FORM_FIELDS));
    g_assert_true (td_form_save_edit (store, form, TD_FORM_FIELDS, "", &error));
  }
  window = td_test_open_window (store, 1280, 900);

  dialog = open_signoff (window);
  g_assert_cmpstr (td_signoff_dialog_get_step (dialog), ==, "review");
  g_assert_cmpuint (td_signoff_dialog_get_n_problems (dialog), >=, 1);
  g_assert_false (td_signoff_dialog_get_can_sign (dialog));
  g_assert_nonnull (td_signoff_dialog_get_message (dialog));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (td_signoff_dialog_get_entry (dialog, 0))));
  screenshot (GTK_WIDGET (dialog), "signoff-problems");
  /* Edit Form: back to the form page, the dialog gone. */
  {
    gpointer alive = dialog;

    g_object_add_weak_pointer (G_OBJECT (dialog), &alive);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "signoff.edit-form", NULL));
    TD_TEST_WAIT_UNTIL (alive == NULL);
    g_assert_cmpstr (td_window_get_page (window), ==, "form");
  }

  {
    g_autoptr(TdForm) form = load_form (store);

    g_assert_true (td_form_save_edit (store, form, TD_FORM_FIELDS, fields, &error));
  }
  dialog = open_signoff (window);
  g_assert_true (td_signoff_dialog_get_can_sign (dialog));
  for (guint i = 0; i < TD_PASSPHRASE_TRIES; i++)
    g_assert_false (sign_with (dialog, "not the passphrase", &finished));
  g_assert_false (td_signoff_dialog_get_can_sign (dialog));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (td_signoff_dialog_get_entry (dialog, 0))));
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GError) lock = NULL;

    g_assert_false (td_signing_key_check_lock (store, now, &lock));
    /* The lock's own words, with its time (the seconds may have ticked). */
    g_assert_nonnull (td_signoff_dialog_get_message (dialog));
    g_assert_nonnull (strstr (td_signoff_dialog_get_message (dialog), strrchr (lock->message, ' ') + 1));
  }
  screenshot (GTK_WIDGET (dialog), "signoff-locked");
  close_dialog (dialog);
  td_test_destroy_window (window);
}

/* A revision altered in the file is said at the top of the window, and in
 * the revisions, in red. */
static void
test_tampered (void)
{
  g_autoptr(TdStore) store = open_valid_school ();
  g_autofree char *path = g_strdup (td_store_get_path (store));
  g_autoptr(GError) error = NULL;
  g_autoptr(TdCampaign) campaign = td_campaign_get_builtin ();
  g_autoptr(TdForm) form = load_form (store);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(TdRevision) revision = NULL;
  TdWindow *window;
  TdRevisionsDialog *revisions_dialog;
  GtkWidget *bar;
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_true (td_signing_key_create (store, PASSPHRASE, TD_KDF_MINIMUM, &error));
  revision = td_signoff_sign (store, form, campaign, PASSPHRASE, now, &error);
  g_assert_no_error (error);

  /* All verify: nothing shown. */
  window = td_test_open_window (store, 1280, 900);
  bar = td_test_find_descendant (GTK_WIDGET (window), GTK_TYPE_INFO_BAR);
  g_assert_nonnull (bar);
  td_test_iterate (300);
  g_assert_false (gtk_info_bar_get_revealed (GTK_INFO_BAR (bar)));
  td_test_destroy_window (window);
  /* The window's check of the revisions may still hold the store in its
   * worker (a GTask's source object) a moment after the window is gone. */
  TD_TEST_WAIT_UNTIL (G_OBJECT (store)->ref_count == 1);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* Changed in the file, the triggers dropped, as someone would. The
   * window's check of the revisions reads on a connection of its own
   * (td_store_read_async()), which may be closing yet: wait for it as
   * the sqlite3 shell would. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 30000);
  if (sqlite3_exec (db, "DROP TRIGGER revision_pdf_frozen; "
                        "UPDATE revision_pdf SET pdf = CAST (x'20' || substr (pdf, 2) AS BLOB)",
                    NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s", message);
  sqlite3_close (db);

  store = td_store_open (path, &error);
  g_assert_no_error (error);
  window = td_test_open_window (store, 1280, 900);
  bar = td_test_find_descendant (GTK_WIDGET (window), GTK_TYPE_INFO_BAR);
  TD_TEST_WAIT_UNTIL (gtk_info_bar_get_revealed (GTK_INFO_BAR (bar)));
  screenshot (GTK_WIDGET (window), "signoff-tampered");

  revisions_dialog = open_revisions (window);
  g_assert_nonnull (td_revisions_dialog_get_failure (revisions_dialog, 0));
  screenshot (GTK_WIDGET (revisions_dialog), "signoff-revisions-tampered");
  close_dialog (revisions_dialog);
  td_test_destroy_window (window);
}

/* The shown, sensitive widget under @widget that activates @action. */
static GtkWidget *
find_action_widget (GtkWidget  *widget,
                    const char *action)
{
  if (!gtk_widget_get_visible (widget))
    return NULL;
  if (GTK_IS_ACTIONABLE (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_widget (child, action);

      if (found)
        return found;
    }
  return NULL;
}

static gboolean
outbox_has_revision (TdStore *store,
                     gint64   number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = td_outbox_list (store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    if (td_outbox_item_get_revision_number (g_ptr_array_index (items, i)) == number)
      return TRUE;
  return FALSE;
}

/* Issue 13: the whole job, from an empty database to an item in the
 * Outbox, by the window's own buttons and rows, as a clerk finds them:
 * the welcome's example school, the Overview's path to the Intent Form
 * page, its Sign Off button, the passphrase, and the path's last steps.
 * No main menu; the only action the test activates itself is the
 * sidebar's, to start on the Overview. */
static void
test_whole_path (void)
{
  g_autofree char *path = NULL;
  g_autofree char *finished = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  TdWindow *window;
  TdOverviewPage *overview;
  TdSignoffDialog *dialog;
  GtkWidget *button;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), "whole-path.db", NULL);
  store = td_store_open (path, &error);
  g_assert_no_error (error);
  window = td_test_open_window (store, 1280, 900);
  /* The page the last window showed comes back (the other tests leave the
   * Intent Form page): the Overview, as its sidebar row shows it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "overview"));
  overview = TD_OVERVIEW_PAGE (td_window_get_page_widget (window, "overview"));
  TD_TEST_WAIT_UNTIL (!td_overview_page_is_busy (overview));
  g_assert_false (td_overview_page_step_is_done (overview, TD_OVERVIEW_STEP_RECORDS));

  /* The welcome offers the example school. */
  button = find_action_widget (GTK_WIDGET (overview), "overview.load-example");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_activate (button));
  TD_TEST_WAIT_UNTIL (td_overview_page_step_is_done (overview, TD_OVERVIEW_STEP_FORM));
  g_assert_true (td_overview_page_step_is_done (overview, TD_OVERVIEW_STEP_PROFILE));
  g_assert_true (td_overview_page_step_is_done (overview, TD_OVERVIEW_STEP_RECORDS));
  g_assert_false (td_overview_page_step_is_done (overview, TD_OVERVIEW_STEP_SIGN_OFF));
  g_assert_false (td_overview_page_step_is_done (overview, TD_OVERVIEW_STEP_SEND));

  /* The path's form step leads to the page, which has Sign Off itself. */
  g_assert_true (gtk_widget_activate (td_overview_page_get_step (overview, TD_OVERVIEW_STEP_FORM)));
  TD_TEST_WAIT_UNTIL (g_strcmp0 (td_window_get_page (window), "form") == 0);
  button = find_action_widget (td_window_get_page_widget (window, "form"), "win.sign-off");
  g_assert_nonnull (button);
  TD_TEST_WAIT_UNTIL (gtk_widget_get_mapped (button) && gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
  TD_TEST_WAIT_UNTIL ((dialog = td_test_find_toplevel (TD_TYPE_SIGNOFF_DIALOG)) != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog)));

  /* The principal's passphrase, set, then signing with it. */
  g_assert_cmpstr (td_signoff_dialog_get_step (dialog), ==, "setup");
  gtk_editable_set_text (td_signoff_dialog_get_entry (dialog, 1), PASSPHRASE);
  gtk_editable_set_text (td_signoff_dialog_get_entry (dialog, 2), PASSPHRASE);
  button = find_action_widget (GTK_WIDGET (dialog), "signoff.set-passphrase");
  g_assert_nonnull (button);
  /* A button's activation is a press and its release, a moment later. */
  g_assert_true (gtk_widget_activate (button));
  TD_TEST_WAIT_UNTIL (g_str_equal (td_signoff_dialog_get_step (dialog), "review") && !td_signoff_dialog_is_busy (dialog));
  g_assert_true (td_signing_key_exists (store));
  g_assert_true (sign_with (dialog, PASSPHRASE, &finished));

  /* In the Outbox, and the path says so. */
  TD_TEST_WAIT_UNTIL (outbox_has_revision (store, 1));
  TD_TEST_WAIT_UNTIL (td_overview_page_step_is_done (overview, TD_OVERVIEW_STEP_SIGN_OFF));
  g_assert_true (gtk_widget_activate (td_overview_page_get_step (overview, TD_OVERVIEW_STEP_SEND)));
  TD_TEST_WAIT_UNTIL (g_strcmp0 (td_window_get_page (window), "outbox") == 0);
  screenshot (GTK_WIDGET (window), "whole-path-outbox");

  td_test_destroy_window (window);
}

/* The built-in 2020 campaign on a 2026 day: the dialog shows the deadline
 * in warning style and where the form goes, and Sign Off waits for the
 * confirmation that names the date; then it signs. Numbers typed into a
 * text that no figure supports are listed, without stopping it. */
static void
test_deadline_passed (void)
{
  g_autoptr(TdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *finished = NULL;
  g_autofree char *label = NULL;
  TdWindow *window;
  TdSignoffDialog *dialog;
  GtkCheckButton *check;

  g_setenv ("TRAINING_DESK_TODAY", "2026-12-05", TRUE);
  store = open_valid_school ();
  g_assert_true (td_signing_key_create (store, PASSPHRASE, TD_KDF_MINIMUM, &error));
  {
    g_autoptr(TdForm) form = load_form (store);
    /* In place of the drafted text's last sentence (its partners): a
     * drafted text may fill all 500 characters. */
    const char *drafted = td_form_get (form, TD_FORM_RESULTS);
    const char *last = g_utf8_strrchr (drafted, strlen (drafted) - strlen ("。"), 0x3002);
    g_autofree char *text = g_strdup_printf ("%.*s%s", (int)(last + strlen ("。") - drafted), drafted,
                                             "另培训外省学员9876人次。");

    g_assert_true (td_form_save_edit (store, form, TD_FORM_RESULTS, text, &error));
    g_assert_no_error (error);
  }
  window = td_test_open_window (store, 1280, 900);
  dialog = open_signoff (window);
  g_assert_cmpstr (td_signoff_dialog_get_step (dialog), ==, "review");
  g_assert_true (td_signoff_dialog_get_can_sign (dialog));
  g_assert_true (td_signoff_dialog_is_past (dialog));
  g_assert_cmpuint (td_signoff_dialog_get_n_unsupported (dialog), ==, 1);

  check = td_signoff_dialog_get_late_check (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (check)));
  label = g_strdup_printf (_("The deadline, %s, has passed. Sign off and send the form all the same."), "2020-05-15");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_check_button_get_child (check))), ==, label);
  /* Not confirmed: Sign Off is disabled and does nothing. */
  gtk_editable_set_text (td_signoff_dialog_get_entry (dialog, 0), PASSPHRASE);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (dialog), "signoff.sign", NULL) &&
                  td_signoff_dialog_is_busy (dialog));
  g_assert_false (td_signoff_dialog_is_busy (dialog));
  screenshot (GTK_WIDGET (dialog), "signoff-deadline-passed");

  gtk_check_button_set_active (check, TRUE);
  g_assert_true (sign_with (dialog, PASSPHRASE, &finished));
  g_assert_nonnull (finished);
  td_test_destroy_window (window);
  g_setenv ("TRAINING_DESK_TODAY", "2020-05-01", TRUE);
}

int
main (int   argc,
      char *argv[])
{
  /* Argon2id at its least, read by the GUI layer only: fast tests. */
  g_setenv ("TD_TEST_KDF_MINIMUM", "1", TRUE);
  /* Before the built-in campaign's deadline, but where a test says. */
  g_setenv ("TRAINING_DESK_TODAY", "2020-05-01", TRUE);

  td_test_ui_main_init (&argc, &argv);
  td_test_ui_load_style ();

  g_test_add_func ("/signoff-ui/sign-off", test_signoff);
  g_test_add_func ("/signoff-ui/problems-and-lock", test_problems_and_lock);
  g_test_add_func ("/signoff-ui/tampered", test_tampered);
  g_test_add_func ("/signoff-ui/deadline-passed", test_deadline_passed);
  g_test_add_func ("/signoff-ui/whole-path", test_whole_path);

  return g_test_run ();
}
