/* bench-util.h: what the benchmarks of issue 3 share
 *
 * Figures (medians and percentiles of samples in milliseconds), waiting in
 * the main loop, and the process's memory. GLib only; bench-frames.h has
 * what needs GTK.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Samples: a GArray of double (milliseconds, or MiB). */
GArray    *bench_samples_new        (void);
void       bench_samples_add        (GArray      *samples,
                                     double       value);
double     bench_median             (GArray      *samples);
double     bench_percentile         (GArray      *samples,
                                     double       p);
double     bench_max                (GArray      *samples);
double     bench_min                (GArray      *samples);
guint      bench_count_over         (GArray      *samples,
                                     double       limit);

/* Runs the main loop until *@flag is true or @timeout_ms pass. */
gboolean   bench_wait_for           (const gboolean *flag,
                                     guint           timeout_ms);
void       bench_wait_ms            (guint       ms);

/* Kilobytes from /proc/self/status ("VmRSS", "VmHWM"). */
gint64     bench_proc_status_kib    (const char *key);

G_END_DECLS
