/* bench-frames.c: timing the frames a window draws, from its frame clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <string.h>
#include <time.h>

#include "bench-frames.h"

static gint64
bench_frames_process_cpu_ns (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64)ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 BenchFrames   *frames)
{
  frames->frame_start_us = g_get_monotonic_time ();
  frames->frame_start_cpu_ns = bench_frames_process_cpu_ns ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                BenchFrames   *frames)
{
  gint64 now = g_get_monotonic_time ();

  frames->last_end_us = now;
  frames->n_frames++;
  if (!frames->recording)
    return;
  bench_samples_add (frames->work_ms, (now - frames->frame_start_us) / 1000.0);
  bench_samples_add (frames->work_cpu_ms, (bench_frames_process_cpu_ns () - frames->frame_start_cpu_ns) / 1e6);
  if (frames->last_recorded_end_us > 0)
    bench_samples_add (frames->interval_ms, (now - frames->last_recorded_end_us) / 1000.0);
  frames->last_recorded_end_us = now;
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Once @window is realized: its frame clock exists then. */
gboolean
bench_frames_attach (BenchFrames *frames,
                     GtkWidget   *window,
                     guint        timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  guint wake = g_timeout_add (10, wake_cb, NULL);

  memset (frames, 0, sizeof *frames);
  frames->work_ms = bench_samples_new ();
  frames->work_cpu_ms = bench_samples_new ();
  frames->interval_ms = bench_samples_new ();
  while (gtk_widget_get_frame_clock (window) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  if (gtk_widget_get_frame_clock (window) == NULL)
    return FALSE;
  frames->clock = g_object_ref (gtk_widget_get_frame_clock (window));
  g_signal_connect (frames->clock, "before-paint", G_CALLBACK (before_paint_cb), frames);
  /* After GTK's own handlers: the frame is done then. */
  g_signal_connect_after (frames->clock, "after-paint", G_CALLBACK (after_paint_cb), frames);
  return TRUE;
}

void
bench_frames_record (BenchFrames *frames,
                     gboolean     recording)
{
  if (recording)
    {
      g_array_set_size (frames->work_ms, 0);
      g_array_set_size (frames->work_cpu_ms, 0);
      g_array_set_size (frames->interval_ms, 0);
      frames->last_recorded_end_us = 0;
    }
  frames->recording = recording;
}

gboolean
bench_frames_wait (BenchFrames *frames,
                   GtkWidget   *widget,
                   guint        n,
                   guint        timeout_ms)
{
  guint target = frames->n_frames + n;
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  guint wake = g_timeout_add (10, wake_cb, NULL);

  while (frames->n_frames < target && g_get_monotonic_time () < deadline)
    {
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
  return frames->n_frames >= target;
}

gint64
bench_frames_wait_after (BenchFrames *frames,
                         GtkWidget   *widget,
                         gint64       after_us,
                         guint        timeout_ms)
{
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + (gint64)timeout_ms * 1000;
  gboolean asked = FALSE;
  guint wake = g_timeout_add (10, wake_cb, NULL);

  while (frames->last_end_us <= after_us && g_get_monotonic_time () < deadline)
    {
      if (!asked && g_get_monotonic_time () - start > 100000)
        {
          /* Nothing changed on screen: a frame all the same. */
          gtk_widget_queue_draw (widget);
          asked = TRUE;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
  return frames->last_end_us > after_us ? frames->last_end_us : 0;
}

double
bench_frames_refresh_ms (BenchFrames *frames)
{
  gint64 refresh = 0, presentation = 0;

  gdk_frame_clock_get_refresh_info (frames->clock, gdk_frame_clock_get_frame_time (frames->clock),
                                    &refresh, &presentation);
  return refresh / 1000.0;
}

GtkWidget *
bench_find_widget (GtkWidget *root,
                   GType      type,
                   gboolean (*accept) (GtkWidget *widget,
                                       gpointer   data),
                   gpointer   data)
{
  if (root == NULL)
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (accept == NULL || accept (root, data)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = bench_find_widget (child, type, accept, data);

      if (found)
        return found;
    }
  return NULL;
}
