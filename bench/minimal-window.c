/* minimal-window.c: the startup benchmark's baseline
 *
 * The least a libadwaita app can show: an AdwApplicationWindow with a header
 * bar, at the main window's default size. Like `training-desk
 * --quit-after-first-frame` it prints when its first frame was painted
 * (CLOCK_MONOTONIC, as g_get_monotonic_time()), through the same hook as
 * td_window_quit_after_first_frame(), and quits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-minimal-window"

#include "config.h"

#include <adwaita.h>

static void
after_first_paint_cb (GdkFrameClock *clock,
                      GtkWidget     *window)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (window)));

  g_signal_handlers_disconnect_by_func (clock, after_first_paint_cb, window);
  g_print ("first-frame-us %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  if (app != NULL)
    g_application_quit (app);
}

static void
first_frame_map_cb (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_handlers_disconnect_by_func (widget, first_frame_map_cb, NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_first_paint_cb), widget);
}

static void
activate_cb (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_window_set_title (GTK_WINDOW (window), "Minimal");
  /* The main window's default size (the window-width/-height settings). */
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  g_signal_connect (window, "map", G_CALLBACK (first_frame_map_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  app = adw_application_new ("io.github.vocedu.TrainingDesk.BenchMinimal",
                             G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
