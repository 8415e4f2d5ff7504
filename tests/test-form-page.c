/* test-form-page.c: the intent form page with real widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-test-ui.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "td-example.h"
#include "td-form-json.h"
#include "td-form-render.h"
#include "td-form-page-private.h"
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
  const char *localedir = g_getenv ("TD_LOCALEDIR");

  if (g_strcmp0 (g_getenv ("TD_TEST_LANGUAGE"), "zh_CN") == 0 && setlocale (LC_ALL, "") == NULL)
    g_error ("The zh_CN.UTF-8 locale is not installed (locale-gen zh_CN.UTF-8).");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/form-page/edit", test_form_page);

  return g_test_run ();
}
