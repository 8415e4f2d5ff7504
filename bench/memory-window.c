/* memory-window.c: the app's main window showing the equipment page, for
 * bench-memory
 *
 *   bench-memory-window --database DB
 *
 * Runs TdApplication on DB as training-desk does, then, in its window:
 * shows the Equipment & Venues page (win.show-page('equipment')), scrolls
 * the list down ten pages, one a frame, searches for "数控" and empties the
 * search again, and closes the window. After each step it prints the
 * process's memory from /proc/self/status:
 *
 *   stage NAME rss-kib N hwm-kib N
 *
 * NAME: "window" (the first page, the overview, drawn), "listed" (the
 * equipment page shown and scrolled), "searched" (after a search, which
 * builds the list's search text). Needs a display and a session bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-memory-window"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include <adwaita.h>

#include "bench-frames.h"
#include "td-application.h"
#include "td-record-page-private.h"
#include "td-window.h"

typedef struct
{
  GtkApplication *app;
  GtkWidget      *window;
  BenchFrames     frames;
  gboolean        started;
  int             status;
} Harness;

static void
print_stage (const char *name)
{
  g_print ("stage %s rss-kib %" G_GINT64_FORMAT " hwm-kib %" G_GINT64_FORMAT "\n", name,
           bench_proc_status_kib ("VmRSS"), bench_proc_status_kib ("VmHWM"));
}

static gboolean
is_equipment_page (GtkWidget *widget,
                   gpointer   data)
{
  TdRecordList *list = td_record_page_get_list (TD_RECORD_PAGE (widget));

  return g_str_equal (td_record_list_get_kind (list)->id, "equipment");
}

/* Settled: a few frames drawn and idle time for what comes after them. */
static void
settle (Harness *h)
{
  bench_frames_wait (&h->frames, h->window, 3, 5000);
  bench_wait_ms (500);
}

static gboolean
run (Harness *h)
{
  TdRecordPage *page;
  GtkWidget *scrolled = NULL;
  GtkEditable *entry;
  int position = 0;

  if (!bench_frames_attach (&h->frames, h->window, 10000) ||
      !bench_frames_wait (&h->frames, h->window, 2, 10000))
    {
      g_printerr ("The main window drew no frame.\n");
      return FALSE;
    }
  settle (h);
  print_stage ("window");

  gtk_widget_activate_action (h->window, "win.show-page", "s", "equipment");
  settle (h);
  page = TD_RECORD_PAGE (bench_find_widget (h->window, TD_TYPE_RECORD_PAGE, is_equipment_page, NULL));
  if (page == NULL)
    {
      g_printerr ("No equipment page in the window.\n");
      return FALSE;
    }

  /* Ten pages down, one a frame; an empty page has no list to scroll, and
   * waits as long. */
  if (g_list_model_get_n_items (td_record_page_get_shown (page)) > 0)
    scrolled = gtk_widget_get_ancestor (GTK_WIDGET (td_record_page_get_list_view (page)), GTK_TYPE_SCROLLED_WINDOW);
  for (int i = 0; i < 10; i++)
    {
      if (scrolled != NULL)
        {
          GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

          gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) +
                                                gtk_adjustment_get_page_size (adjustment));
        }
      bench_frames_wait (&h->frames, h->window, 1, 5000);
    }
  settle (h);
  print_stage ("listed");

  /* A search, as typed, then emptied: the list's search text is built. */
  entry = td_record_page_get_search_entry (page);
  if (gtk_widget_get_sensitive (GTK_WIDGET (entry)))
    {
      gtk_editable_insert_text (entry, "数", -1, &position);
      settle (h);
      gtk_editable_insert_text (entry, "控", -1, &position);
      settle (h);
      gtk_editable_delete_text (entry, 0, -1);
    }
  settle (h);
  print_stage ("searched");
  return TRUE;
}

static gboolean
start_cb (gpointer data)
{
  Harness *h = data;

  h->status = run (h) ? 0 : 1;
  gtk_window_close (GTK_WINDOW (h->window));
  g_application_quit (G_APPLICATION (h->app));
  return G_SOURCE_REMOVE;
}

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window,
                 Harness        *h)
{
  if (!TD_IS_WINDOW (window) || h->started)
    return;
  h->started = TRUE;
  h->window = GTK_WIDGET (window);
  g_idle_add (start_cb, h);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *database = NULL;
  const GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, "The database to open", "DB" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *localedir = g_getenv ("TD_LOCALEDIR");
  Harness h = { 0 };
  int rc;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || database == NULL)
    {
      g_printerr ("Usage: %s --database DB\n", g_get_prgname ());
      return 2;
    }

  {
    char *app_argv[] = { argv[0], "--database", database, NULL };

    h.app = GTK_APPLICATION (td_application_new ());
    h.status = 1;
    g_signal_connect (h.app, "window-added", G_CALLBACK (window_added_cb), &h);
    rc = g_application_run (G_APPLICATION (h.app), 3, app_argv);
    g_object_unref (h.app);
  }
  return rc != 0 ? rc : h.status;
}
