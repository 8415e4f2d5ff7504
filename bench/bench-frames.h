/* bench-frames.h: timing the frames a window draws, from its frame clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "bench-util.h"

G_BEGIN_DECLS

/* The frames of one window, from its frame clock: each frame's work
 * (::before-paint to the end of ::after-paint), the CPU time the whole
 * process used meanwhile (every thread: software GL renders in threads of
 * its own; on a loaded machine this moves less than the wall time), and
 * the time between the ends of two frames. */
typedef struct
{
  GdkFrameClock *clock;
  gint64         frame_start_us;
  gint64         frame_start_cpu_ns;
  GArray        *work_cpu_ms;
  gint64         last_end_us;
  guint          n_frames;
  gboolean       recording;
  gint64         last_recorded_end_us;
  GArray        *work_ms;
  GArray        *interval_ms;
} BenchFrames;

gboolean   bench_frames_attach      (BenchFrames *frames,
                                     GtkWidget   *window,
                                     guint        timeout_ms);
void       bench_frames_record      (BenchFrames *frames,
                                     gboolean     recording);
/* Waits for @n frames drawn from now, asking for them. */
gboolean   bench_frames_wait        (BenchFrames *frames,
                                     GtkWidget   *widget,
                                     guint        n,
                                     guint        timeout_ms);
/* Waits for the first frame to end after @after_us; asks for one if none
 * comes within 100 ms. Returns its end, or 0. */
gint64     bench_frames_wait_after  (BenchFrames *frames,
                                     GtkWidget   *widget,
                                     gint64       after_us,
                                     guint        timeout_ms);
double     bench_frames_refresh_ms  (BenchFrames *frames);

/* The first widget under @root (itself included) of @type for which
 * @accept (may be NULL) says yes. */
GtkWidget *bench_find_widget        (GtkWidget   *root,
                                     GType        type,
                                     gboolean   (*accept) (GtkWidget *widget,
                                                           gpointer   data),
                                     gpointer     data);

G_END_DECLS
