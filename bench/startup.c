/* startup.c: time from process start to the main window's first frame
 *
 *   bench-startup --database DB [--rounds N] [--app PATH] [--baseline PATH]
 *
 * Runs `training-desk --database DB --quit-after-first-frame` and the
 * minimal libadwaita window in turn (after one uncounted warm-up of each),
 * and compares their medians. The time of a run is from just before
 * posix_spawn() to the first-frame-us the child prints (both
 * CLOCK_MONOTONIC); its memory is the child's peak RSS from wait4().
 *
 * Needs a display and a session bus: bench/startup sets them up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-startup"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>

extern char **environ;

/* The goals. */
#define GOAL_RATIO 1.3
#define GOAL_EXTRA_RSS_MIB 40.0

typedef struct
{
  const char  *label;
  char       **argv;
  GArray      *times_us;    /* of gint64 */
  GArray      *rss_kib;     /* of gint64 */
} Program;

static int timeout_s = 60;

static gboolean
parse_first_frame (const char *output,
                   gint64     *us)
{
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "first-frame-us "))
      {
        char *end = NULL;
        gint64 value = g_ascii_strtoll (lines[i] + strlen ("first-frame-us "), &end, 10);

        if (end != NULL && (*end == '\0' || *end == '\r'))
          {
            *us = value;
            return TRUE;
          }
      }
  return FALSE;
}

/* One run: start-to-first-frame in µs and peak RSS in KiB. */
static gboolean
run_once (Program  *program,
          gint64   *elapsed_us,
          gint64   *maxrss_kib,
          GError  **error)
{
  g_autoptr(GString) output = g_string_new (NULL);
  posix_spawn_file_actions_t actions;
  struct rusage usage;
  gint64 start, frame_us = 0, deadline;
  gboolean killed = FALSE;
  int fds[2];
  int status, rc;
  pid_t pid;

  if (!g_unix_open_pipe (fds, FD_CLOEXEC, error))
    return FALSE;

  posix_spawn_file_actions_init (&actions);
  /* dup2 clears close-on-exec on the child's stdout only. */
  posix_spawn_file_actions_adddup2 (&actions, fds[1], STDOUT_FILENO);

  start = g_get_monotonic_time ();
  rc = posix_spawn (&pid, program->argv[0], &actions, NULL, program->argv, environ);
  posix_spawn_file_actions_destroy (&actions);
  close (fds[1]);
  if (rc != 0)
    {
      close (fds[0]);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (rc),
                   "Could not start %s: %s", program->argv[0], g_strerror (rc));
      return FALSE;
    }

  /* Read the child's stdout until it closes it (on exit). */
  deadline = start + (gint64)timeout_s * G_USEC_PER_SEC;
  for (;;)
    {
      struct pollfd pfd = { fds[0], POLLIN, 0 };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      char buf[4096];
      ssize_t n;

      if (left_ms <= 0)
        {
          kill (pid, SIGKILL);
          killed = TRUE;
          break;
        }
      rc = poll (&pfd, 1, (int)left_ms);
      if (rc < 0 && errno == EINTR)
        continue;
      if (rc <= 0)
        continue;
      n = read (fds[0], buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_string_append_len (output, buf, n);
    }
  close (fds[0]);

  while (wait4 (pid, &status, 0, &usage) < 0)
    if (errno != EINTR)
      {
        int saved_errno = errno;

        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     "wait4: %s", g_strerror (saved_errno));
        return FALSE;
      }

  if (killed)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "%s did not finish within %d s", program->label, timeout_s);
      return FALSE;
    }
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s failed (%s %d); its output: %s", program->label,
                   WIFEXITED (status) ? "exit status" : "signal",
                   WIFEXITED (status) ? WEXITSTATUS (status) : WTERMSIG (status),
                   output->str);
      return FALSE;
    }
  if (!parse_first_frame (output->str, &frame_us))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s printed no first-frame-us line; its output: %s",
                   program->label, output->str);
      return FALSE;
    }

  *elapsed_us = frame_us - start;
  /* Linux: kilobytes. */
  *maxrss_kib = usage.ru_maxrss;
  return TRUE;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return (x > y) - (x < y);
}

/* Sorts @values. */
static double
median (GArray *values)
{
  guint n = values->len;

  g_array_sort (values, compare_int64);
  if (n == 0)
    return 0;
  if (n % 2 == 1)
    return g_array_index (values, gint64, n / 2);
  return (g_array_index (values, gint64, n / 2 - 1) + g_array_index (values, gint64, n / 2)) / 2.0;
}

/* The app's daily backup for today, as td_store_dup_daily_backup_path()
 * names it. */
static char *
dup_todays_backup_path (const char *db_path)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *dir = g_path_get_dirname (db_path);
  g_autofree char *base = g_path_get_basename (db_path);
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = NULL;

  if (g_str_has_suffix (base, ".db"))
    base[strlen (base) - 3] = '\0';
  name = g_strdup_printf ("%s-backup-%s.db", base, date);
  return g_build_filename (dir, name, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *app_path = g_strdup (BENCH_APP_PATH);
  g_autofree char *baseline_path = g_strdup (BENCH_BASELINE_PATH);
  g_autofree char *database = NULL;
  g_autofree char *backup_path = NULL;
  int rounds = 15;
  const GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, "The database the app opens", "DB" },
    { "rounds", 'n', 0, G_OPTION_ARG_INT, &rounds, "Counted rounds (15)", "N" },
    { "app", 0, 0, G_OPTION_ARG_FILENAME, &app_path, "training-desk to run", "PATH" },
    { "baseline", 0, 0, G_OPTION_ARG_FILENAME, &baseline_path, "The minimal window to run", "PATH" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, "Seconds a run may take (60)", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Program programs[2];
  double med_time[2], med_rss[2], ratio, extra_mib;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "Times training-desk from process start to its first frame against a minimal\n"
                                "libadwaita window. Needs a display and a session bus (see bench/startup).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (database == NULL || rounds < 1)
    {
      g_printerr ("Usage: %s --database DB [--rounds N]\n", g_get_prgname ());
      return 2;
    }

  programs[0] = (Program) {
    "training-desk",
    (char *[]) { app_path, "--database", database, "--quit-after-first-frame", NULL },
    g_array_new (FALSE, FALSE, sizeof (gint64)),
    g_array_new (FALSE, FALSE, sizeof (gint64)),
  };
  programs[1] = (Program) {
    "minimal window",
    (char *[]) { baseline_path, NULL },
    g_array_new (FALSE, FALSE, sizeof (gint64)),
    g_array_new (FALSE, FALSE, sizeof (gint64)),
  };

  /* Warm-up, not counted: page cache, fontconfig and icon caches, the
   * accessibility bus, and the app's daily backup next to the database. */
  for (guint p = 0; p < G_N_ELEMENTS (programs); p++)
    {
      gint64 us, kib;

      if (!run_once (&programs[p], &us, &kib, &error))
        {
          g_printerr ("Warm-up: %s\n", error->message);
          return 1;
        }
      g_print ("warm-up %-16s %8.1f ms %8.1f MiB\n", programs[p].label, us / 1000.0, kib / 1024.0);
    }

  backup_path = dup_todays_backup_path (database);
  if (!g_file_test (backup_path, G_FILE_TEST_EXISTS))
    g_print ("NOTE: today's backup %s is missing after the warm-up: the app quit before its daily\n"
             "      backup finished, so every counted run starts it again.\n", backup_path);

  g_print ("\n%-6s %-16s %12s %12s\n", "round", "program", "first frame", "peak RSS");
  for (int r = 0; r < rounds; r++)
    /* Alternate which goes first, so neither always follows the other. */
    for (guint k = 0; k < G_N_ELEMENTS (programs); k++)
      {
        Program *program = &programs[(k + r) % G_N_ELEMENTS (programs)];
        gint64 us, kib;

        if (!run_once (program, &us, &kib, &error))
          {
            g_printerr ("Round %d: %s\n", r + 1, error->message);
            return 1;
          }
        g_array_append_val (program->times_us, us);
        g_array_append_val (program->rss_kib, kib);
        g_print ("%-6d %-16s %9.1f ms %8.1f MiB\n", r + 1, program->label, us / 1000.0, kib / 1024.0);
      }

  g_print ("\n%d rounds | median ms | min ms | max ms | median peak RSS MiB\n", rounds);
  for (guint p = 0; p < G_N_ELEMENTS (programs); p++)
    {
      GArray *times = programs[p].times_us;

      med_time[p] = median (times) / 1000.0;
      med_rss[p] = median (programs[p].rss_kib) / 1024.0;
      g_print ("%-14s | %9.1f | %6.1f | %6.1f | %8.1f\n", programs[p].label, med_time[p],
               g_array_index (times, gint64, 0) / 1000.0,
               g_array_index (times, gint64, times->len - 1) / 1000.0,
               med_rss[p]);
    }

  ratio = med_time[0] / med_time[1];
  extra_mib = med_rss[0] - med_rss[1];
  g_print ("\nratio of medians (app / minimal): %.2f (goal <= %.1f): %s\n",
           ratio, GOAL_RATIO, ratio <= GOAL_RATIO ? "met" : "MISSED");
  g_print ("peak RSS, app - minimal: %+.1f MiB (goal <= %+.0f MiB): %s\n",
           extra_mib, GOAL_EXTRA_RSS_MIB, extra_mib <= GOAL_EXTRA_RSS_MIB ? "met" : "MISSED");

  for (guint p = 0; p < G_N_ELEMENTS (programs); p++)
    {
      g_array_unref (programs[p].times_us);
      g_array_unref (programs[p].rss_kib);
    }
  return 0;
}
