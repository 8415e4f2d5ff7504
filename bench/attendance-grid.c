/* attendance-grid.c: the attendance grid of a 60-person, 40-session class
 * (issue 15)
 *
 *   bench-attendance-grid [--trainees N] [--sessions N] [--rounds N]
 *
 * Goal: "the attendance grid of a 60-person, 40-session class scrolls
 * without a dropped frame", and marks are entered quickly with the
 * keyboard. A class of that size is written into a new database with the
 * core's own calls (every mark recorded), then shown in the real
 * TdAttendanceGrid in a 1000 × 640 scrolled window. Three parts, each
 * against a baseline of the same run: a stock GtkGrid of plain flat
 * GtkButtons with the same labels, headers and size, in the same window:
 *
 * (a) showing the class: td_attendance_grid_set_class() with the roster,
 *     sessions and marks the page reads, to the end of the next frame;
 *     the stock grid built afresh the same way;
 * (b) one mark, as the page does it: td_attendance_record() of one cell,
 *     the page's three reads (roster, sessions, marks) and
 *     td_attendance_grid_set_class(), to the end of the next frame;
 *     against the stock grid relabelling one button;
 * (c) scrolling: top to bottom then left to right, a quarter of a page
 *     per frame (a tick callback), every frame's work and the time between
 *     frames from the frame clock; a frame is dropped when it comes more
 *     than 1.5 refresh periods after the one before.
 *
 * Needs a display: run it under xvfb-run (see bench/RESULTS.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-attendance-grid"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include <adwaita.h>

#include "bench-frames.h"
#include "td-attendance-grid.h"
#include "td-class-list.h"
#include "td-classes.h"
#include "td-id-number.h"
#include "td-store.h"

static int n_trainees = 60;
static int n_sessions = 40;
static int rounds = 15;

typedef struct
{
  TdStore   *store;
  char      *class_uuid;
  GPtrArray *sessions;     /* char* uuid */
  GPtrArray *enrolments;   /* char* uuid */
} Fixture;

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("bench-attendance-grid: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

/* Person @n's ID number: 18 digits with a valid check digit. */
static void
id_number (guint n,
           char  out[19])
{
  g_snprintf (out, 19, "37010219900101%03u", n % 1000);
  out[17] = td_id_number_check_digit (out);
  out[18] = '\0';
}

static void
fixture_make (Fixture    *f,
              const char *path)
{
  g_autoptr(GError) error = NULL;
  TdClassInfo info = {
    .name = "数控车工（中级）第 1 期",
    .category = "unemployed",
    .key_group = "",
    .mode = "offline",
    .starts_on = "2025-03-03",
    .ends_on = "2025-06-30",
    .planned_hours = 3.0 * n_sessions,
    .capacity = n_trainees,
    .status = "finished",
  };
  g_autofree TdAttendance *marks = g_new (TdAttendance, n_trainees);

  f->store = td_store_open (path, &error);
  if (f->store == NULL)
    die ("opening the database", error);
  if (!td_class_insert (f->store, &info, &f->class_uuid, &error))
    die ("a class", error);
  f->sessions = g_ptr_array_new_with_free_func (g_free);
  f->enrolments = g_ptr_array_new_with_free_func (g_free);
  for (int s = 0; s < n_sessions; s++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (g_date_time_new_local (2025, 3, 3, 0, 0, 0), s * 2);
      g_autofree char *held_on = g_date_time_format (day, "%Y-%m-%d");
      char *uuid = NULL;

      if (!td_class_add_session (f->store, f->class_uuid, held_on, "08:30", "11:30", 3.0, NULL, NULL, 0,
                                 &uuid, &error))
        die ("a session", error);
      g_ptr_array_add (f->sessions, uuid);
    }
  for (int t = 0; t < n_trainees; t++)
    {
      char number[19];
      g_autofree char *name = g_strdup_printf ("学员%03d", t + 1);
      TdEnrolInfo enrol = { .name = name, .id_number = number };
      char *uuid = NULL;

      id_number (t + 1, number);
      if (!td_class_enrol (f->store, f->class_uuid, &enrol, &uuid, &error))
        die ("enrolling", error);
      g_ptr_array_add (f->enrolments, uuid);
    }
  for (int s = 0; s < n_sessions; s++)
    {
      for (int t = 0; t < n_trainees; t++)
        marks[t] = (s * 7 + t) % 20 == 0 ? TD_ATTENDANCE_ABSENT
                 : (s * 3 + t) % 33 == 0 ? TD_ATTENDANCE_EXCUSED : TD_ATTENDANCE_PRESENT;
      if (!td_attendance_record (f->store, g_ptr_array_index (f->sessions, s),
                                 (const char * const *)f->enrolments->pdata, marks, n_trainees, &error))
        die ("marking", error);
    }
}

/* What the page reads and hands to the grid. */
typedef struct
{
  GPtrArray *roster;
  GPtrArray *sessions;
  GPtrArray *marks;
} ClassRead;

static void
class_read (Fixture   *f,
            ClassRead *r)
{
  g_autoptr(GError) error = NULL;

  if (!(r->roster = td_class_roster (f->store, f->class_uuid, &error)) ||
      !(r->sessions = td_class_sessions (f->store, f->class_uuid, &error)) ||
      !(r->marks = td_class_marks (f->store, f->class_uuid, &error)))
    die ("reading the class", error);
}

static void
class_read_clear (ClassRead *r)
{
  g_clear_pointer (&r->roster, g_ptr_array_unref);
  g_clear_pointer (&r->sessions, g_ptr_array_unref);
  g_clear_pointer (&r->marks, g_ptr_array_unref);
}

/* The baseline: GTK's own grid of flat buttons, built as plainly as GTK
 * allows, with the same headers and labels. */
static void
stock_fill (GtkWidget *grid,
            ClassRead *r)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (grid)) != NULL)
    gtk_grid_remove (GTK_GRID (grid), child);
  for (guint c = 0; c < r->sessions->len; c++)
    {
      const TdSessionSummary *s = g_ptr_array_index (r->sessions, c);
      g_autofree char *day = g_strdup_printf ("%s %s", s->held_on + 5, s->starts_at);

      gtk_grid_attach (GTK_GRID (grid), gtk_label_new (day), c + 1, 0, 1, 1);
    }
  for (guint t = 0; t < r->roster->len; t++)
    {
      const TdRosterEntry *e = g_ptr_array_index (r->roster, t);

      gtk_grid_attach (GTK_GRID (grid), gtk_label_new (e->name), 0, t + 1, 1, 1);
      for (guint c = 0; c < r->sessions->len; c++)
        {
          GtkWidget *cell = gtk_button_new_with_label ("P");

          gtk_widget_add_css_class (cell, "flat");
          gtk_grid_attach (GTK_GRID (grid), cell, c + 1, t + 1, 1, 1);
        }
    }
}

typedef struct
{
  const char  *label;
  GtkWidget   *window;
  GtkWidget   *scrolled;
  GtkWidget   *child;      /* the grid shown */
  BenchFrames  frames;
  GArray      *show_ms;    /* (a) */
  GArray      *mark_ms;    /* (b) */
  GArray      *work_ms;    /* (c) */
  GArray      *interval_ms;
  double       refresh_ms;
} Target;

static void
target_init (Target     *t,
             const char *label,
             GtkWidget  *child)
{
  t->label = label;
  t->child = child;
  t->window = gtk_window_new ();
  t->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (t->scrolled), child);
  gtk_window_set_child (GTK_WINDOW (t->window), t->scrolled);
  gtk_window_set_default_size (GTK_WINDOW (t->window), 1000, 640);
  gtk_window_present (GTK_WINDOW (t->window));
  if (!bench_frames_attach (&t->frames, t->window, 10000))
    die ("no frame clock (is there a display?)", NULL);
  t->show_ms = bench_samples_new ();
  t->mark_ms = bench_samples_new ();
}

typedef struct
{
  GtkAdjustment *adjustment;
  guint          at_end;
  gboolean       done;
} Scroll;

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  Scroll *scroll = data;
  double value = gtk_adjustment_get_value (scroll->adjustment);
  double end = gtk_adjustment_get_upper (scroll->adjustment) - gtk_adjustment_get_page_size (scroll->adjustment);

  if (value >= end - 0.5)
    {
      scroll->done = ++scroll->at_end >= 3;
      return scroll->done ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
    }
  gtk_adjustment_set_value (scroll->adjustment,
                            MIN (value + gtk_adjustment_get_page_size (scroll->adjustment) / 4, end));
  return G_SOURCE_CONTINUE;
}

static void
scroll_along (Target        *t,
              GtkAdjustment *adjustment)
{
  Scroll scroll = { adjustment, 0, FALSE };

  gtk_adjustment_set_value (adjustment, 0);
  bench_frames_wait (&t->frames, t->window, 3, 5000);
  bench_frames_record (&t->frames, TRUE);
  gtk_widget_add_tick_callback (t->scrolled, scroll_tick_cb, &scroll, NULL);
  if (!bench_wait_for (&scroll.done, 600 * 1000))
    die ("scrolling did not end", NULL);
  bench_frames_record (&t->frames, FALSE);
  for (guint i = 0; i < t->frames.work_ms->len; i++)
    bench_samples_add (t->work_ms, g_array_index (t->frames.work_ms, double, i));
  for (guint i = 0; i < t->frames.interval_ms->len; i++)
    bench_samples_add (t->interval_ms, g_array_index (t->frames.interval_ms, double, i));
  gtk_adjustment_set_value (adjustment, 0);
}

static void
scroll_through (Target *t)
{
  GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (t->scrolled);

  t->work_ms = bench_samples_new ();
  t->interval_ms = bench_samples_new ();
  bench_wait_ms (200);
  t->refresh_ms = bench_frames_refresh_ms (&t->frames);
  for (int r = 0; r < 3; r++)
    {
      scroll_along (t, gtk_scrolled_window_get_vadjustment (scrolled));
      scroll_along (t, gtk_scrolled_window_get_hadjustment (scrolled));
    }
}

/* Time from @start to the end of the next frame of @t. */
static double
until_drawn (Target *t,
             gint64  start)
{
  gint64 end = bench_frames_wait_after (&t->frames, t->window, g_get_monotonic_time (), 10000);

  if (end == 0)
    die ("no frame drawn", NULL);
  return (end - start) / 1000.0;
}

static void
print_row (const char *what,
           GArray     *app,
           GArray     *stock)
{
  g_print ("%-34s %9.2f %9.2f %9.2f %9.2f %7.1f×\n", what, bench_median (app), bench_max (app),
           bench_median (stock), bench_max (stock), bench_median (app) / MAX (bench_median (stock), 0.001));
}

static void
print_scroll (Target *t)
{
  double dropped = 1.5 * t->refresh_ms;

  g_print ("%-14s %6u | %6.2f %6.2f %6.2f %5u | %6.2f %6.2f %6.2f %7u\n", t->label, t->work_ms->len,
           bench_median (t->work_ms), bench_percentile (t->work_ms, 95), bench_max (t->work_ms),
           bench_count_over (t->work_ms, 16.0), bench_median (t->interval_ms),
           bench_percentile (t->interval_ms, 95), bench_max (t->interval_ms),
           bench_count_over (t->interval_ms, dropped));
}

int
main (int   argc,
      char *argv[])
{
  GOptionEntry entries[] = {
    { "trainees", 0, 0, G_OPTION_ARG_INT, &n_trainees, "Trainees in the class (60)", "N" },
    { "sessions", 0, 0, G_OPTION_ARG_INT, &n_sessions, "Sessions of the class (40)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Repeats of (a) and (b) (15)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the attendance grid of one class");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  Fixture f = { 0 };
  ClassRead r = { 0 };
  Target app = { 0 }, stock = { 0 };
  TdAttendanceGrid *grid;
  g_autoptr(GPtrArray) empty = NULL;
  gint64 start;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("options", error);
  dir = g_dir_make_tmp ("bench-attendance-XXXXXX", &error);
  if (dir == NULL)
    die ("a temporary folder", error);
  path = g_build_filename (dir, "school.db", NULL);
  start = g_get_monotonic_time ();
  fixture_make (&f, path);
  g_print ("A class of %d trainees and %d sessions, %d marks, written in %.0f ms.\n", n_trainees, n_sessions,
           n_trainees * n_sessions, (g_get_monotonic_time () - start) / 1000.0);

  adw_init ();
  target_init (&app, "attendance grid", td_attendance_grid_new (f.store));
  target_init (&stock, "stock GtkGrid", gtk_grid_new ());
  grid = TD_ATTENDANCE_GRID (app.child);

  /* (a) showing the class. */
  class_read (&f, &r);
  empty = g_ptr_array_new ();
  for (int i = 0; i < rounds; i++)
    {
      /* From an empty grid: a class opened, not the same one shown again. */
      td_attendance_grid_set_class (grid, empty, empty, empty);
      until_drawn (&app, g_get_monotonic_time ());
      start = g_get_monotonic_time ();
      td_attendance_grid_set_class (grid, r.roster, r.sessions, r.marks);
      bench_samples_add (app.show_ms, until_drawn (&app, start));
      start = g_get_monotonic_time ();
      stock_fill (stock.child, &r);
      bench_samples_add (stock.show_ms, until_drawn (&stock, start));
    }
  class_read_clear (&r);

  /* (b) one mark, the keyboard on a cell. */
  gtk_widget_grab_focus (td_attendance_grid_get_cell (grid, n_trainees / 2, n_sessions / 2));
  for (int i = 0; i < rounds; i++)
    {
      const char *enrolment = g_ptr_array_index (f.enrolments, n_trainees / 2);
      TdAttendance mark = i % 2 ? TD_ATTENDANCE_PRESENT : TD_ATTENDANCE_ABSENT;
      GtkWidget *button = gtk_grid_get_child_at (GTK_GRID (stock.child), n_sessions / 2 + 1, n_trainees / 2 + 1);

      start = g_get_monotonic_time ();
      if (!td_attendance_record (f.store, g_ptr_array_index (f.sessions, n_sessions / 2), &enrolment, &mark, 1,
                                 &error))
        die ("marking", error);
      class_read (&f, &r);
      td_attendance_grid_set_class (grid, r.roster, r.sessions, r.marks);
      class_read_clear (&r);
      bench_samples_add (app.mark_ms, until_drawn (&app, start));
      start = g_get_monotonic_time ();
      gtk_button_set_label (GTK_BUTTON (button), i % 2 ? "P" : "A");
      bench_samples_add (stock.mark_ms, until_drawn (&stock, start));
    }

  g_print ("\nms to the end of the next frame     app median  app max  stock median  stock max  ratio\n");
  print_row ("(a) show the class", app.show_ms, stock.show_ms);
  print_row ("(b) one mark (write, read, show)", app.mark_ms, stock.mark_ms);

  /* (c) scrolling, after the other window is hidden. */
  gtk_widget_set_visible (stock.window, FALSE);
  scroll_through (&app);
  gtk_widget_set_visible (stock.window, TRUE);
  gtk_widget_set_visible (app.window, FALSE);
  scroll_through (&stock);
  g_print ("\n(c) scrolling, refresh %.1f ms; frame work (ms)            | between frames (ms)\n", app.refresh_ms);
  g_print ("%-14s %6s | %6s %6s %6s %5s | %6s %6s %6s %7s\n", "", "frames", "median", "p95", "max", ">16",
           "median", "p95", "max", "dropped");
  print_scroll (&app);
  print_scroll (&stock);
  g_print ("RESULT scrolling: frame work median ratio %.2f, dropped frames %u (stock %u)\n",
           bench_median (app.work_ms) / MAX (bench_median (stock.work_ms), 0.001),
           bench_count_over (app.interval_ms, 1.5 * app.refresh_ms),
           bench_count_over (stock.interval_ms, 1.5 * stock.refresh_ms));

  gtk_window_destroy (GTK_WINDOW (app.window));
  gtk_window_destroy (GTK_WINDOW (stock.window));
  g_clear_object (&f.store);
  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
  return 0;
}
