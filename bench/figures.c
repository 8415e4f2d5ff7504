/* figures.c: the sets of figures the Overview reads a refresh (issue 17)
 *
 * td_figure_set_compute() as the Overview's worker calls it: once over the
 * newest three years (the form's, through td_form_load()) and once for
 * each of those years (the charts), ROUNDS times after a warm-up; the
 * median in ms. It also checks that every figure's record count agrees
 * with the records listed for it (td_figure_record_uuids(), one statement
 * a figure), so a cheaper count is the same count.
 *
 *   bench-figures DATABASE [ROUNDS]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-figures"

#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "bench-util.h"
#include "td-figures.h"
#include "td-store.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autoptr(GArray) samples = bench_samples_new ();
  guint rounds = argc > 2 ? (guint)MAX (1, atoi (argv[2])) : 21;
  guint disagree = 0, checked = 0;
  int last = 0;

  setlocale (LC_ALL, "");
  if (argc < 2)
    {
      g_printerr ("Usage: %s DATABASE [ROUNDS]\n", argv[0]);
      return 2;
    }
  if (!(store = td_store_open (argv[1], &error)) || !td_figures_latest_year (store, &last, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (guint r = 0; r <= rounds; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(TdFigureSet) range = td_figure_set_compute (store, last - 2, last, &error);

      if (range == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      for (int y = last - 2; y <= last; y++)
        {
          g_autoptr(TdFigureSet) year = td_figure_set_compute (store, y, y, &error);

          if (year == NULL)
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
        }
      if (r > 0)
        bench_samples_add (samples, (g_get_monotonic_time () - start) / 1000.0);
      if (r == 0)
        for (guint i = 0; i < range->figures->len; i++)
          {
            const TdFigure *figure = g_ptr_array_index (range->figures, i);
            g_autoptr(GPtrArray) uuids = NULL;

            if (figure->kind == NULL)
              continue;
            if (!(uuids = td_figure_record_uuids (store, range, figure, &error)))
              {
                g_printerr ("%s\n", error->message);
                return 1;
              }
            checked++;
            if ((gint64)uuids->len != figure->n_records)
              {
                g_printerr ("%s: %" G_GINT64_FORMAT " counted, %u listed\n", figure->id, figure->n_records, uuids->len);
                disagree++;
              }
          }
    }
  g_print ("years %d–%d, %u rounds after a warm-up\n", last - 2, last, rounds);
  g_print ("four figure sets (the range, each year): median %.2f ms (%.2f–%.2f)\n",
           bench_median (samples), bench_min (samples), bench_max (samples));
  g_print ("record counts checked against the records listed: %u figures, %u disagree\n", checked, disagree);
  return disagree == 0 ? 0 : 1;
}
