/* test-form-page.c: the intent form page with real widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-test-ui.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "td-example.h"
#include "td-form-json.h"
#include "td-form-render.h"
#include "td-form-page-private.h"
#include "td-record-page-private.h"
#include "td-school-page-private.h"
#include "td-window.h"

static void
iterate_until (gboolean (*done) (gpointer),
               gpointer   data)
{
  gint64 give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

typedef struct
{
  TdStore    *store;
  TdFormPage *page;
} Ctx;

/* The preferences group under @widget titled @title, or NULL. */
static AdwPreferencesGroup *
find_group (GtkWidget  *widget,
            const char *title)
{
  if (ADW_IS_PREFERENCES_GROUP (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)), title) == 0)
    return ADW_PREFERENCES_GROUP (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      AdwPreferencesGroup *found = find_group (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
still_to_do_shown (gpointer data)
{
  return find_group (data, _("Still to Do")) != NULL;
}

static void
fill_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (td_example_fill_finish (TD_STORE (object), result, NULL));
  *done = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *)data;
}

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_task_propagate_boolean (G_TASK (result), &error));
  g_assert_no_error (error);
  *(gboolean *)user_data = TRUE;
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} ImportResult;

static void
import_campaign_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ImportResult *r = user_data;

  r->ok = td_form_page_import_campaign_finish (TD_FORM_PAGE (object), result, &r->error);
  r->done = TRUE;
}

static gboolean
import_done (gpointer data)
{
  return ((ImportResult *)data)->done;
}

static char *
run_tool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

/* Text without white space: pdftotext breaks lines anywhere in Chinese. */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)) && g_utf8_get_char (p) != 0x3000)
      g_string_append_unichar (out, g_utf8_get_char (p));
  return g_string_free (out, FALSE);
}

static char *
squeeze_owned (char *text)
{
  g_autofree char *owned = text;

  return squeeze (owned);
}

static gboolean
capacity_saved (gpointer data)
{
  Ctx *ctx = data;
  g_autoptr(TdCampaign) campaign = td_campaign_get_builtin ();
  g_autoptr(TdForm) form = td_form_load (ctx->store, campaign,
                                         g_date_time_get_year (g_date_time_new_now_local ()) - 1, NULL);

  return td_form_is_edited (form, TD_FORM_CAPACITY);
}

static void
test_form_page (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  TdWindow *window;
  TdFormPage *page;
  GtkTextBuffer *capacity;
  g_autofree char *before = NULL;
  g_autofree char *too_long = NULL;
  gboolean done = FALSE;
  GtkTextIter start, end;
  Ctx ctx;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), "form-page.db", NULL);
  store = td_store_open (path, &error);
  g_assert_no_error (error);
  td_example_fill_async (store, &td_example_school_size, NULL, fill_done_cb, &done);
  iterate_until (is_true, &done);

  window = td_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 1400);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "form"));
  page = TD_FORM_PAGE (td_window_get_page_widget (window, "form"));
  ctx.store = store;
  ctx.page = page;

  /* Drafted from the records, counted as the form counts. */
  capacity = td_form_page_get_text_buffer (page, TD_FORM_CAPACITY);
  gtk_text_buffer_get_bounds (capacity, &start, &end);
  before = gtk_text_buffer_get_text (capacity, &start, &end, FALSE);
  g_assert_true (g_str_has_prefix (before, "师资方面"));
  {
    g_autofree char *counter = g_strdup_printf ("%ld/500", g_utf8_strlen (before, -1));
    g_assert_cmpstr (td_form_page_get_counter (page, TD_FORM_CAPACITY), ==, counter);
  }
  td_test_save_screenshot (GTK_WIDGET (window), "form-page");

  /* Nothing missing: the heading says so, not "Still to Do" above a row
   * saying the opposite (issue 13). A text emptied: to do again. */
  g_assert_nonnull (find_group (GTK_WIDGET (page), _("Ready to Sign Off")));
  g_assert_null (find_group (GTK_WIDGET (page), _("Still to Do")));
  gtk_text_buffer_set_text (td_form_page_get_text_buffer (page, TD_FORM_RESULTS), "", -1);
  iterate_until (still_to_do_shown, page);
  g_assert_null (find_group (GTK_WIDGET (page), _("Ready to Sign Off")));

  /* Pasting more than the form allows: refused whole, with the count. */
  too_long = g_strnfill (450, 'x');
  gtk_text_buffer_get_end_iter (capacity, &end);
  gtk_text_buffer_insert (capacity, &end, too_long, -1);
  g_assert_nonnull (td_form_page_get_text_message (page, TD_FORM_CAPACITY));
  g_assert_nonnull (strstr (td_form_page_get_text_message (page, TD_FORM_CAPACITY), "450"));
  {
    g_autofree char *after = NULL;

    gtk_text_buffer_get_bounds (capacity, &start, &end);
    after = gtk_text_buffer_get_text (capacity, &start, &end, FALSE);
    g_assert_cmpstr (after, ==, before);
  }
  td_test_save_screenshot (GTK_WIDGET (window), "form-page-refused");

  /* Field 9 counts as the form counts: an emoji with a skin tone, a family
   * joined by ZWJ, a flag, each one character. */
  {
    GtkTextBuffer *results = td_form_page_get_text_buffer (page, TD_FORM_RESULTS);
    g_autoptr(GString) text = g_string_new (NULL);
    g_autofree char *kept = NULL;

    gtk_text_buffer_set_text (results, "培训👍🏽👨‍👩‍👧🇨🇳 OK", -1);
    g_assert_cmpstr (td_form_page_get_counter (page, TD_FORM_RESULTS), ==, "8/500");

    /* 499: 249 Chinese, 125 ASCII, 124 emoji of several kinds, and a thumbs
     * up without its skin tone (685 code points). */
    for (guint i = 0; i < 83; i++)
      g_string_append (text, "培训班");
    for (guint i = 0; i < 25; i++)
      g_string_append (text, "ISO-9");
    for (guint i = 0; i < 31; i++)
      g_string_append (text, "👍🏽👨‍👩‍👧🇨🇳😀");
    g_string_append (text, "👍");
    g_assert_cmpuint (g_utf8_strlen (text->str, -1), ==, 685);
    gtk_text_buffer_set_text (results, text->str, -1);
    g_assert_cmpstr (td_form_page_get_counter (page, TD_FORM_RESULTS), ==, "499/500");
    g_assert_null (td_form_page_get_text_message (page, TD_FORM_RESULTS));

    /* A skin tone joins the thumbs up: still 499, let in. */
    gtk_text_buffer_get_end_iter (results, &end);
    gtk_text_buffer_insert (results, &end, "🏽", -1);
    g_assert_cmpstr (td_form_page_get_counter (page, TD_FORM_RESULTS), ==, "499/500");

    /* Two more is one too many: refused whole, with the counts. */
    gtk_text_buffer_get_end_iter (results, &end);
    gtk_text_buffer_insert (results, &end, "🇨🇳a", -1);
    g_assert_cmpstr (td_form_page_get_counter (page, TD_FORM_RESULTS), ==, "499/500");
    g_assert_nonnull (td_form_page_get_text_message (page, TD_FORM_RESULTS));
    g_assert_nonnull (strstr (td_form_page_get_text_message (page, TD_FORM_RESULTS), "501"));
    g_assert_nonnull (strstr (td_form_page_get_text_message (page, TD_FORM_RESULTS), "499"));

    /* One family of five code points is one character: it fits. */
    gtk_text_buffer_get_end_iter (results, &end);
    gtk_text_buffer_insert (results, &end, "👨‍👩‍👧", -1);
    g_assert_cmpstr (td_form_page_get_counter (page, TD_FORM_RESULTS), ==, "500/500");
    g_assert_null (td_form_page_get_text_message (page, TD_FORM_RESULTS));
    gtk_text_buffer_get_bounds (results, &start, &end);
    kept = gtk_text_buffer_get_text (results, &start, &end, FALSE);
    g_assert_cmpuint (td_form_count_characters (kept, -1), ==, 500);
    g_assert_true (g_str_has_suffix (kept, "👍🏽👨‍👩‍👧"));

    /* At the limit, a letter typed is refused. */
    gtk_text_buffer_get_end_iter (results, &end);
    gtk_text_buffer_insert (results, &end, "x", -1);
    g_assert_cmpstr (td_form_page_get_counter (page, TD_FORM_RESULTS), ==, "500/500");
    g_assert_nonnull (td_form_page_get_text_message (page, TD_FORM_RESULTS));
  }

  /* The preview: the renderer's pages, at the zoom asked for. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "form.preview", NULL));
  {
    g_autoptr(TdCampaign) campaign = td_campaign_get_builtin ();
    g_autoptr(TdFormRender) render = td_form_render_new (td_form_page_get_form (page), campaign, NULL);

    /* One drawn page for each of the PDF's. */
    g_assert_cmpuint (td_form_page_get_preview_pages (page), ==, td_form_render_count_pages (render));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "form.zoom-in", NULL));
    g_assert_cmpuint (td_form_page_get_preview_pages (page), ==, td_form_render_count_pages (render));
    td_test_save_screenshot (GTK_WIDGET (window), "form-preview");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "form.preview", NULL));
  }

  /* Printing (Ctrl+P): the print operation itself, exported to a file
   * instead of sent to a printer: A4, one page a page of the form, the
   * form's text. */
  {
    g_autoptr(TdCampaign) campaign = td_campaign_get_builtin ();
    g_autoptr(TdFormRender) render = td_form_render_new (td_form_page_get_form (page), campaign, NULL);
    g_autofree char *printed = g_build_filename (g_get_user_data_dir (), "printed.pdf", NULL);
    g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");

    g_assert_true (td_form_page_print_to_file (page, printed, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_test (printed, G_FILE_TEST_IS_REGULAR));
    if (pdftotext == NULL)
      g_test_message ("poppler-utils is not installed: the printed PDF is not read back");
    else
      {
        const char *info_argv[] = { "pdfinfo", printed, NULL };
        const char *text_argv[] = { "pdftotext", "-enc", "UTF-8", printed, "-", NULL };
        g_autofree char *info = run_tool (info_argv);
        g_autofree char *text = squeeze_owned (run_tool (text_argv));
        g_autofree char *pages = g_strdup_printf ("^Pages:\\s+%u$", td_form_render_count_pages (render));
        g_autofree char *name = squeeze (td_form_get (td_form_page_get_form (page), TD_FORM_NAME));

        g_test_message ("%s", info);
        g_assert_true (g_regex_match_simple (pages, info, G_REGEX_MULTILINE, 0));
        g_assert_true (g_regex_match_simple ("^Page size:\\s+595\\.\\d+ x 841\\.\\d+ pts \\(A4\\)", info,
                                             G_REGEX_MULTILINE, 0));
        g_assert_nonnull (strstr (text, "可承担和开展的职业培训意向表"));
        g_assert_nonnull (strstr (text, name));
        g_assert_nonnull (strstr (text, "备注：请认真填写"));
        g_assert_nonnull (strstr (text, "师资方面"));
      }
  }

  /* Exports, written off the main loop: a PDF, the JSON, the catalogue. */
  {
    const char *kinds[] = { "pdf", "json", "csv", "xlsx" };

    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
      {
        g_autofree char *name = g_strdup_printf ("form.%s", kinds[i]);
        g_autofree char *out = g_build_filename (g_get_user_data_dir (), name, NULL);
        gboolean exported = FALSE;
        g_autofree char *contents = NULL;
        gsize length = 0;

        td_form_page_export (page, kinds[i], out, export_cb, &exported);
        iterate_until (is_true, &exported);
        g_assert_true (g_file_get_contents (out, &contents, &length, NULL));
        g_assert_cmpuint (length, >, 100);
        if (g_str_equal (kinds[i], "pdf"))
          g_assert_true (g_str_has_prefix (contents, "%PDF-"));
        else if (g_str_equal (kinds[i], "json"))
          {
            g_autoptr(TdForm) back = td_form_new_from_json (contents, length, NULL);

            g_assert_nonnull (back);
            g_assert_cmpstr (td_form_get (back, TD_FORM_NAME), ==, td_form_get (td_form_page_get_form (page), TD_FORM_NAME));
          }
        else if (g_str_equal (kinds[i], "csv"))
          g_assert_nonnull (strstr (contents, "单位名称"));
        else
          g_assert_true (g_str_has_prefix (contents, "PK"));
      }
  }

  /* An edit is kept by itself after a pause. */
  gtk_text_buffer_set_text (capacity, "学校师资力量雄厚。", -1);
  g_assert_cmpstr (td_form_page_get_counter (page, TD_FORM_CAPACITY), ==, "9/500");
  iterate_until (capacity_saved, &ctx);

  /* Import Campaign…: a bad file is refused with what is wrong in it and
   * changes nothing; a good one becomes the campaign, stored, and the page
   * follows it. */
  {
    const char *recipients =
      "\"recipients\": [{\"school_types\": [\"higher-vocational\", \"secondary-vocational\", \"undergraduate\"],"
      " \"authority\": \"江苏省教育厅\", \"email\": \"zcc@jsjyt.example.cn\", \"paper_copies\": 2},"
      " {\"school_types\": [\"technical\"], \"authority\": \"江苏省人社厅\", \"email\": \"jn@jsrst.example.cn\"}]";
    g_autofree char *good = g_strdup_printf ("{\"schema\": 1, \"id\": \"jiangsu-2021\", \"title\": \"职业培训意向表\", "
                                             "\"notice\": \"苏教职〔2021〕3号\", \"province\": \"32\", \"year\": 2021, "
                                             "\"deadline\": \"%s\", %s}", "2021-06-30", recipients);
    g_autofree char *bad = g_strdup_printf ("{\"schema\": 1, \"id\": \"jiangsu-2021\", \"title\": \"职业培训意向表\", "
                                            "\"notice\": \"苏教职〔2021〕3号\", \"province\": \"32\", \"year\": 2021, "
                                            "\"deadline\": \"%s\", %s}", "2021-06-31", recipients);
    g_autofree char *good_path = g_build_filename (g_get_user_data_dir (), "jiangsu.json", NULL);
    g_autofree char *bad_path = g_build_filename (g_get_user_data_dir (), "jiangsu-bad.json", NULL);
    g_autoptr(GFile) good_file = g_file_new_for_path (good_path);
    g_autoptr(GFile) bad_file = g_file_new_for_path (bad_path);
    g_autoptr(TdCampaign) current = NULL;
    ImportResult r = { FALSE };

    g_assert_true (g_file_set_contents (good_path, good, -1, NULL));
    g_assert_true (g_file_set_contents (bad_path, bad, -1, NULL));

    /* The School page exists before the import, showing Shandong's cities. */
    g_assert_true (TD_IS_SCHOOL_PAGE (td_window_get_page_widget (window, "school")));
    td_form_page_import_campaign (page, bad_file, import_campaign_cb, &r);
    iterate_until (import_done, &r);
    g_assert_false (r.ok);
    g_assert_error (r.error, TD_CAMPAIGN_ERROR, TD_CAMPAIGN_ERROR_INVALID);
    g_assert_nonnull (strstr (r.error->message, "jiangsu-bad.json"));
    g_assert_nonnull (strstr (r.error->message, "deadline"));
    g_clear_error (&r.error);
    g_assert_cmpstr (td_campaign_get_id (td_form_page_get_campaign (page)), ==, "shandong-2020");
    g_assert_null (td_store_dup_setting (store, "campaign"));

    /* A device chosen (/dev/zero, read without bound before): said at once,
     * in the dialog the import shows without a callback. */
    {
      g_autoptr(GFile) zero = g_file_new_for_path ("/dev/zero");
      AdwMessageDialog *dialog;

      td_form_page_import_campaign (page, zero, NULL, NULL);
      dialog = td_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
      g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                                td_test_in_chinese () ? "这不是文件" : "not a file but a folder or a device"));
      td_test_save_screenshot (GTK_WIDGET (dialog), "campaign-not-a-file");
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
      td_test_save_screenshot (GTK_WIDGET (dialog), "campaign-not-a-file");
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
      gtk_window_close (GTK_WINDOW (dialog));
      TD_TEST_WAIT_UNTIL (td_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL);
      g_assert_cmpstr (td_campaign_get_id (td_form_page_get_campaign (page)), ==, "shandong-2020");
    }

    memset (&r, 0, sizeof r);
    td_form_page_import_campaign (page, good_file, import_campaign_cb, &r);
    iterate_until (import_done, &r);
    g_assert_no_error (r.error);
    g_assert_true (r.ok);
    g_assert_cmpstr (td_campaign_get_id (td_form_page_get_campaign (page)), ==, "jiangsu-2021");
    current = td_campaign_load_current (store, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (td_campaign_get_id (current), ==, "jiangsu-2021");
    /* The form's city must now be one of Jiangsu's: 济南市 is no more. */
    g_assert_cmpstr (td_form_get (td_form_page_get_form (page), TD_FORM_CITY), ==, "");
    td_test_save_screenshot (GTK_WIDGET (window), "form-page-campaign");

    /* The School page offers Jiangsu's cities now, without reopening. */
    {
      TdSchoolPage *school_page = TD_SCHOOL_PAGE (td_window_get_page_widget (window, "school"));
      GtkWidget *city = td_school_page_get_row (school_page, TD_SCHOOL_CITY);
      GListModel *cities = adw_combo_row_get_model (ADW_COMBO_ROW (city));
      gboolean nanjing = FALSE, jinan = FALSE;

      for (guint i = 0; i < g_list_model_get_n_items (cities); i++)
        {
          const char *name = gtk_string_list_get_string (GTK_STRING_LIST (cities), i);

          nanjing |= g_strcmp0 (name, "南京市") == 0;
          jinan |= g_strcmp0 (name, "济南市") == 0;
        }
      g_assert_true (nanjing);
      g_assert_false (jinan);
    }
  }

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_finalize_object (window);
}

static gboolean
results_saved_with (gpointer data)
{
  Ctx *ctx = data;

  return strstr (td_form_get (td_form_page_get_form (ctx->page), TD_FORM_RESULTS), "98765") != NULL;
}

static gboolean
is_full_stop (gunichar c,
              gpointer data)
{
  return c == 0x3002;
}

static TdRecordPage *
find_record_page (GtkWidget  *widget,
                  const char *kind)
{
  if (TD_IS_RECORD_PAGE (widget) &&
      g_str_equal (td_record_list_get_kind (td_record_page_get_list (TD_RECORD_PAGE (widget)))->id, kind))
    return TD_RECORD_PAGE (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      TdRecordPage *found = find_record_page (child, kind);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The basis (依据): every figure each text states, the records behind one
 * opened on their page and nothing else, a number typed by hand flagged. */
static void
test_basis (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autoptr(TdFigureSet) set = NULL;
  TdWindow *window;
  TdFormPage *page;
  gboolean done = FALSE;
  Ctx ctx;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), "form-basis.db", NULL);
  store = td_store_open (path, &error);
  g_assert_no_error (error);
  td_example_fill_async (store, &td_example_school_size, NULL, fill_done_cb, &done);
  iterate_until (is_true, &done);

  window = td_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 1400);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "form"));
  page = TD_FORM_PAGE (td_window_get_page_widget (window, "form"));
  ctx.store = store;
  ctx.page = page;
  set = td_form_figures (store, td_form_page_get_form (page), &error);
  g_assert_no_error (error);

  /* Each text's basis lists the figures it states, the ratio and the
   * full-time students among them. */
  for (TdFormField field = TD_FORM_CAPACITY; field <= TD_FORM_RESULTS; field++)
    {
      const char *text = td_form_get (td_form_page_get_form (page), field);
      g_autoptr(GPtrArray) shown = td_form_page_get_basis_values (page, field);
      g_autoptr(GPtrArray) matched = td_figure_set_match (set, text);

      g_assert_cmpuint (shown->len, >, 5);
      g_assert_cmpuint (shown->len, ==, matched->len);
      for (guint i = 0; i < shown->len; i++)
        {
          g_assert_cmpstr (g_ptr_array_index (shown, i), ==, ((TdFigure *)g_ptr_array_index (matched, i))->value);
          g_assert_nonnull (strstr (text, g_ptr_array_index (shown, i)));
        }
      g_assert_null (td_form_page_get_unsupported_message (page, field));
    }
  {
    g_autoptr(GPtrArray) shown = td_form_page_get_basis_values (page, TD_FORM_RESULTS);
    g_autofree char *sentence = g_strdup_printf ("按每生每年1200学时折算，约合%s名全日制学生",
                                                 td_figure_set_value (set, "results.fte"));

    g_assert_true (g_ptr_array_find_with_equal_func (shown, "1200", g_str_equal, NULL));
    g_assert_nonnull (strstr (td_form_get (td_form_page_get_form (page), TD_FORM_RESULTS), sentence));
  }
  td_test_save_screenshot (GTK_WIDGET (window), "form-page-narrow");

  /* The units of equipment open the equipment page on exactly the items
   * in use or idle, with the bar that says so. */
  {
    const TdFigure *units = td_figure_set_lookup (set, "equipment.units");
    TdRecordPage *equipment = NULL;
    GtkWidget *holder = td_window_get_page_widget (window, "equipment");

    g_assert_true (td_form_page_activate_basis (page, TD_FORM_CAPACITY, "equipment.units"));
    g_assert_cmpstr (td_window_get_page (window), ==, "equipment");
    equipment = find_record_page (holder, "equipment");
    g_assert_nonnull (equipment);
    g_assert_cmpstr (td_record_list_get_kind (td_record_page_get_list (equipment))->id, ==, "equipment");
    g_assert_true (td_record_page_is_showing_only (equipment));
    g_assert_cmpuint (g_list_model_get_n_items (td_record_page_get_shown (equipment)), ==, units->n_records);
    g_assert_cmpuint (units->n_records, <, g_list_model_get_n_items (G_LIST_MODEL (td_record_page_get_list (equipment))));
    td_test_save_screenshot (GTK_WIDGET (window), "record-page-show-only");
    td_record_page_show_only (equipment, NULL, NULL);
    g_assert_false (td_record_page_is_showing_only (equipment));
    g_assert_cmpuint (g_list_model_get_n_items (td_record_page_get_shown (equipment)), ==,
                      g_list_model_get_n_items (G_LIST_MODEL (td_record_page_get_list (equipment))));
  }

  /* A number typed that no figure supports: flagged under the text. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "form"));
  {
    GtkTextBuffer *results = td_form_page_get_text_buffer (page, TD_FORM_RESULTS);
    GtkTextIter start, end;

    /* In place of the drafted text's last sentence (its partners): a
     * drafted text may fill all 500 characters. */
    gtk_text_buffer_get_end_iter (results, &end);
    start = end;
    gtk_text_iter_backward_char (&start);
    g_assert_true (gtk_text_iter_backward_find_char (&start, (GtkTextCharPredicate)is_full_stop, NULL, NULL));
    gtk_text_iter_forward_char (&start);
    gtk_text_buffer_delete (results, &start, &end);
    gtk_text_buffer_insert (results, &end, "另有98765人次。", -1);
    td_form_page_flush (page);
    iterate_until (results_saved_with, &ctx);
    td_test_iterate (100);
    g_assert_nonnull (td_form_page_get_unsupported_message (page, TD_FORM_RESULTS));
    g_assert_nonnull (strstr (td_form_page_get_unsupported_message (page, TD_FORM_RESULTS), "98765"));
    g_assert_null (td_form_page_get_unsupported_message (page, TD_FORM_CAPACITY));
    td_test_save_screenshot (GTK_WIDGET (window), "form-page-unsupported");
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (td_form_page_get_basis_row (page, TD_FORM_RESULTS)), TRUE);
    td_test_iterate (100);
    td_test_save_screenshot (gtk_widget_get_parent (td_form_page_get_basis_row (page, TD_FORM_RESULTS)),
                             "form-page-basis");
  }

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_finalize_object (window);
}

int
main (int   argc,
      char *argv[])
{
  td_test_ui_main_init (&argc, &argv);

  g_test_add_func ("/form-page/edit", test_form_page);
  g_test_add_func ("/form-page/basis", test_basis);

  return g_test_run ();
}
