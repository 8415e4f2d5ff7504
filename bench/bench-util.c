/* bench-util.c: what the benchmarks of issue 3 share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"

GArray *
bench_samples_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (double));
}

void
bench_samples_add (GArray *samples,
                   double  value)
{
  g_array_append_val (samples, value);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static GArray *
sorted_copy (GArray *samples)
{
  GArray *copy = g_array_sized_new (FALSE, FALSE, sizeof (double), samples->len);

  if (samples->len > 0)
    g_array_append_vals (copy, samples->data, samples->len);
  g_array_sort (copy, compare_double);
  return copy;
}

double
bench_median (GArray *samples)
{
  g_autoptr(GArray) sorted = NULL;
  guint n = samples->len;

  if (n == 0)
    return NAN;
  sorted = sorted_copy (samples);
  if (n % 2 == 1)
    return g_array_index (sorted, double, n / 2);
  return (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2.0;
}

/* Nearest rank: the smallest sample with at least @p % of them at or
 * below it. */
double
bench_percentile (GArray *samples,
                  double  p)
{
  g_autoptr(GArray) sorted = NULL;
  guint n = samples->len;
  guint rank;

  if (n == 0)
    return NAN;
  sorted = sorted_copy (samples);
  rank = (guint)ceil (p / 100.0 * n);
  rank = CLAMP (rank, 1, n);
  return g_array_index (sorted, double, rank - 1);
}

double
bench_max (GArray *samples)
{
  double m = -INFINITY;

  if (samples->len == 0)
    return NAN;
  for (guint i = 0; i < samples->len; i++)
    m = MAX (m, g_array_index (samples, double, i));
  return m;
}

double
bench_min (GArray *samples)
{
  double m = INFINITY;

  if (samples->len == 0)
    return NAN;
  for (guint i = 0; i < samples->len; i++)
    m = MIN (m, g_array_index (samples, double, i));
  return m;
}

guint
bench_count_over (GArray *samples,
                  double  limit)
{
  guint n = 0;

  for (guint i = 0; i < samples->len; i++)
    if (g_array_index (samples, double, i) > limit)
      n++;
  return n;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
bench_wait_for (const gboolean *flag,
                guint           timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *flag;
}

void
bench_wait_ms (guint ms)
{
  gboolean never = FALSE;

  bench_wait_for (&never, ms);
}

gint64
bench_proc_status_kib (const char *key)
{
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;
  gsize key_len = strlen (key);

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (strncmp (lines[i], key, key_len) == 0 && lines[i][key_len] == ':')
      return g_ascii_strtoll (lines[i] + key_len + 1, NULL, 10);
  return -1;
}
