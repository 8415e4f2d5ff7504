/* map-watch.c: how long a program takes to map its first window (issue 17)
 *
 * Starts each program and times, on CLOCK_MONOTONIC, from just before the
 * fork to the X server's MapNotify of the program's first toplevel: a
 * window made a child of the root window (SubstructureNotify on the root),
 * not override-redirect (no menus, tooltips or drag icons). That is what
 * every program shows its user, whatever its toolkit and however it quits,
 * so `training-desk` can be held against GNOME Text Editor. The program is
 * then sent SIGTERM (its whole process group) and reaped, or with --wait
 * left to exit by itself (`training-desk --quit-after-first-frame`);
 * either way the time to its exit is printed too.
 *
 *   bench-map-watch [--rounds N] [--wait] LABEL='COMMAND …' [LABEL='COMMAND …' …]
 *   bench-map-watch [--wait] -- COMMAND [ARG …]
 *
 * With labels: one uncounted warm-up round, then N rounds (default 11) of
 * every program in turn; each figure's median (min–max), and the first
 * program's map time over each other's, pair by pair (the median of the
 * rounds' ratios). With `--`: one run, one `map-us` line, for a
 * whole-process timer run in pairs from outside. Run it on the display
 * (DISPLAY) and session bus the programs are to use; only one program
 * maps windows on that display at a time, so the first toplevel mapped is
 * the program's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-map-watch"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <X11/Xlib.h>

#include "bench-util.h"

/* A program that maps nothing in this long is reported as failed. */
#define MAP_TIMEOUT_MS  30000
/* And one that, with --wait, has not exited this long after mapping. */
#define EXIT_TIMEOUT_MS 30000

typedef struct
{
  char   *label;
  char  **argv;
  GArray *map_ms;     /* start → first toplevel mapped */
  GArray *exit_ms;    /* first toplevel mapped → reaped */
  GArray *ratio;      /* map_ms over the first program's, round by round */
} Program;

static double
map_watch_ms_since (gint64 start_us)
{
  return (g_get_monotonic_time () - start_us) / 1000.0;
}

/* Waits for @pid for at most @timeout_ms (polling: no SIGCHLD handler to
 * disturb the programs' own); then kills its group and reaps it. */
static gboolean
map_watch_reap (pid_t pid,
                guint timeout_ms)
{
  gint64 until = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  int status;

  for (;;)
    {
      pid_t r = waitpid (pid, &status, WNOHANG);

      if (r == pid)
        return TRUE;
      if (r < 0 && errno != EINTR)
        return FALSE;
      if (g_get_monotonic_time () > until)
        {
          kill (-pid, SIGKILL);
          waitpid (pid, &status, 0);
          return FALSE;
        }
      g_usleep (500);
    }
}

/* One run of @argv: the milliseconds to its first toplevel's MapNotify in
 * *@map_ms and from then to its exit in *@exit_ms. */
static gboolean
map_watch_run (Display  *dpy,
               char    **argv,
               gboolean  wait_exit,
               double   *map_ms,
               double   *exit_ms)
{
  Window root = DefaultRootWindow (dpy);
  struct pollfd pfd = { .fd = ConnectionNumber (dpy), .events = POLLIN };
  gboolean mapped = FALSE;
  gint64 start_us, mapped_us;
  pid_t pid;

  /* Anything queued from the previous program is not this one's. */
  XSync (dpy, True);

  start_us = g_get_monotonic_time ();
  pid = fork ();
  if (pid < 0)
    {
      g_printerr ("fork: %s\n", g_strerror (errno));
      return FALSE;
    }
  if (pid == 0)
    {
      /* A group of its own: SIGTERM reaches its helpers too. */
      setpgid (0, 0);
      close (ConnectionNumber (dpy));
      execvp (argv[0], argv);
      fprintf (stderr, "%s: %s\n", argv[0], strerror (errno));
      _exit (127);
    }
  setpgid (pid, pid);

  while (!mapped)
    {
      double left = MAP_TIMEOUT_MS - map_watch_ms_since (start_us);

      while (!mapped && XPending (dpy) > 0)
        {
          XEvent ev;

          XNextEvent (dpy, &ev);
          if (ev.type == MapNotify && ev.xmap.event == root && !ev.xmap.override_redirect)
            mapped = TRUE;
        }
      if (mapped)
        break;
      if (left <= 0 || waitpid (pid, NULL, WNOHANG) == pid)
        {
          g_printerr ("%s: no window mapped (%s)\n", argv[0], left <= 0 ? "timed out" : "exited");
          kill (-pid, SIGKILL);
          waitpid (pid, NULL, 0);
          return FALSE;
        }
      poll (&pfd, 1, MIN ((int)left, 50));
    }
  mapped_us = g_get_monotonic_time ();
  *map_ms = (mapped_us - start_us) / 1000.0;

  if (!wait_exit)
    kill (-pid, SIGTERM);
  if (!map_watch_reap (pid, EXIT_TIMEOUT_MS))
    {
      g_printerr ("%s: did not exit\n", argv[0]);
      return FALSE;
    }
  /* Its helpers (a D-Bus-activated service is not in the group) are the
   * session's business; the group's stragglers are not left behind. */
  kill (-pid, SIGKILL);
  *exit_ms = map_watch_ms_since (mapped_us);
  return TRUE;
}

static void
map_watch_print (const char *what,
                 GArray     *samples,
                 const char *unit)
{
  g_print ("  %-28s %8.2f%s (%.2f–%.2f)\n", what, bench_median (samples), unit,
           bench_min (samples), bench_max (samples));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) programs = g_ptr_array_new ();
  gboolean wait_exit = FALSE;
  guint rounds = 11;
  Display *dpy;
  int i;

  setlocale (LC_ALL, "");
  for (i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--wait") == 0)
        wait_exit = TRUE;
      else if (strcmp (argv[i], "--rounds") == 0 && i + 1 < argc)
        {
          int n = atoi (argv[++i]);

          rounds = (guint)MAX (1, n);
        }
      else
        break;
    }

  if (!(dpy = XOpenDisplay (NULL)))
    {
      g_printerr ("Cannot open the display (DISPLAY=%s)\n", g_getenv ("DISPLAY") ?: "");
      return 1;
    }
  XSelectInput (dpy, DefaultRootWindow (dpy), SubstructureNotifyMask);

  /* One run, for a timer outside. */
  if (i < argc && strcmp (argv[i], "--") == 0)
    {
      double map_ms, exit_ms;

      if (i + 1 >= argc)
        {
          g_printerr ("No command after --\n");
          return 2;
        }
      if (!map_watch_run (dpy, argv + i + 1, wait_exit, &map_ms, &exit_ms))
        return 1;
      g_print ("map-us %.0f\nexit-us %.0f\n", map_ms * 1000, exit_ms * 1000);
      return 0;
    }

  for (; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *eq = strchr (argv[i], '=');
      Program *p;

      if (eq == NULL)
        {
          g_printerr ("Usage: %s [--rounds N] [--wait] LABEL='COMMAND …' …\n"
                      "       %s [--wait] -- COMMAND [ARG …]\n", argv[0], argv[0]);
          return 2;
        }
      p = g_new0 (Program, 1);
      p->label = g_strndup (argv[i], eq - argv[i]);
      if (!g_shell_parse_argv (eq + 1, NULL, &p->argv, &error))
        {
          g_printerr ("%s: %s\n", p->label, error->message);
          return 2;
        }
      p->map_ms = bench_samples_new ();
      p->exit_ms = bench_samples_new ();
      p->ratio = bench_samples_new ();
      g_ptr_array_add (programs, p);
    }
  if (programs->len == 0)
    {
      g_printerr ("No program given\n");
      return 2;
    }

  for (guint r = 0; r <= rounds; r++)
    {
      double first_map = 0;

      for (guint k = 0; k < programs->len; k++)
        {
          Program *p = g_ptr_array_index (programs, k);
          double map_ms, exit_ms;

          if (!map_watch_run (dpy, p->argv, wait_exit, &map_ms, &exit_ms))
            return 1;
          /* Round 0 warms the caches up: not counted. */
          if (r == 0)
            continue;
          bench_samples_add (p->map_ms, map_ms);
          bench_samples_add (p->exit_ms, exit_ms);
          if (k == 0)
            first_map = map_ms;
          else
            bench_samples_add (p->ratio, first_map / map_ms);
        }
    }

  g_print ("%u rounds after a warm-up, programs in turn; medians (min–max); %s after the map\n",
           rounds, wait_exit ? "each left to exit" : "SIGTERM");
  for (guint k = 0; k < programs->len; k++)
    {
      Program *p = g_ptr_array_index (programs, k);
      Program *first = g_ptr_array_index (programs, 0);
      g_autofree char *what = NULL;

      g_print ("%s\n", p->label);
      map_watch_print ("start → window mapped", p->map_ms, " ms");
      map_watch_print ("mapped → exit", p->exit_ms, " ms");
      if (k > 0)
        {
          what = g_strdup_printf ("%s over %s, mapped", first->label, p->label);
          map_watch_print (what, p->ratio, "×");
        }
    }
  XCloseDisplay (dpy);
  return 0;
}
