/* memory.c: memory with 100,000 equipment items listed (issue 3)
 *
 *   bench-memory --database DB --empty EMPTY [--rounds N] [--window PATH]
 *
 * Goal: "Memory with 100,000 rows listed: ≤ 150 MiB over the empty window."
 *
 * Runs bench-memory-window (the app's main window, its equipment page shown
 * and scrolled, then searched) on DB, with 100,000 equipment items, and on
 * EMPTY, a new database, in turn (after one uncounted run of each, the
 * order swapped each round), and compares their peak RSS: VmHWM when the
 * list has been shown and scrolled ("listed"), VmHWM after a search
 * ("searched"), and ru_maxrss from wait4() for the whole run.
 *
 * Before the runs, it makes EMPTY if missing and today's backup of both, so
 * that the window's daily backup copies nothing while it is measured.
 *
 * Needs a display and a session bus: bench/memory sets them up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-memory"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>

#include "bench-util.h"
#include "td-store.h"

extern char **environ;

#define GOAL_EXTRA_MIB 150.0

static const char * const stages[] = { "window", "listed", "searched" };
#define N_STAGES G_N_ELEMENTS (stages)

typedef struct
{
  const char *label;
  char       *database;
  GArray     *rss[N_STAGES];     /* MiB */
  GArray     *hwm[N_STAGES];
  GArray     *maxrss;
} Subject;

static gboolean
parse_stages (const char *output,
              double     *rss,
              double     *hwm)
{
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);
  guint found = 0;

  for (guint i = 0; lines[i]; i++)
    for (guint s = 0; s < N_STAGES; s++)
      {
        g_autofree char *prefix = g_strdup_printf ("stage %s ", stages[s]);
        gint64 r, h;

        if (g_str_has_prefix (lines[i], prefix) &&
            sscanf (lines[i] + strlen (prefix), "rss-kib %" G_GINT64_FORMAT " hwm-kib %" G_GINT64_FORMAT, &r, &h) == 2)
          {
            rss[s] = r / 1024.0;
            hwm[s] = h / 1024.0;
            found |= 1u << s;
          }
      }
  return found == (1u << N_STAGES) - 1;
}

static gboolean
run_once (const char  *window_path,
          Subject     *subject,
          double      *rss,
          double      *hwm,
          double      *maxrss,
          GError     **error)
{
  char *argv[] = { (char *)window_path, "--database", subject->database, NULL };
  g_autoptr(GString) output = g_string_new (NULL);
  posix_spawn_file_actions_t actions;
  struct rusage usage;
  int fds[2], status, rc;
  pid_t pid;

  if (!g_unix_open_pipe (fds, FD_CLOEXEC, error))
    return FALSE;
  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_adddup2 (&actions, fds[1], STDOUT_FILENO);
  rc = posix_spawn (&pid, argv[0], &actions, NULL, argv, environ);
  posix_spawn_file_actions_destroy (&actions);
  close (fds[1]);
  if (rc != 0)
    {
      close (fds[0]);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (rc), "Could not start %s: %s", argv[0], g_strerror (rc));
      return FALSE;
    }
  for (;;)
    {
      char buf[4096];
      ssize_t n = read (fds[0], buf, sizeof buf);

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
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "wait4: %s", g_strerror (errno));
        return FALSE;
      }
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed (status %d); its output: %s",
                   subject->label, status, output->str);
      return FALSE;
    }
  if (!parse_stages (output->str, rss, hwm))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: no stages in its output: %s",
                   subject->label, output->str);
      return FALSE;
    }
  *maxrss = usage.ru_maxrss / 1024.0;
  return TRUE;
}

/* An empty database if there is none; today's backup of @path. */
static gboolean
prepare (const char  *path,
         GError     **error)
{
  g_autoptr(TdStore) store = td_store_open (path, error);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return store != NULL && td_store_daily_backup (store, now, NULL, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *window_path = g_strdup (BENCH_WINDOW_PATH);
  g_autofree char *database = NULL;
  g_autofree char *empty = NULL;
  int rounds = 5;
  const GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, "The database with 100,000 equipment items", "DB" },
    { "empty", 0, 0, G_OPTION_ARG_FILENAME, &empty, "An empty database (made if missing)", "DB" },
    { "rounds", 'n', 0, G_OPTION_ARG_INT, &rounds, "Counted rounds (5)", "N" },
    { "window", 0, 0, G_OPTION_ARG_FILENAME, &window_path, "bench-memory-window to run", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Subject subjects[2];
  double extra_listed, extra_searched, extra_maxrss;

  setlocale (LC_ALL, "");
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "Compares the peak memory of the main window listing 100,000 equipment items with\n"
                                "that of the window on an empty database. Needs a display and a session bus\n"
                                "(see bench/memory).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (database == NULL || empty == NULL || rounds < 1)
    {
      g_printerr ("Usage: %s --database DB --empty EMPTY [--rounds N]\n", g_get_prgname ());
      return 2;
    }
  if (!prepare (database, &error) || !prepare (empty, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  subjects[0] = (Subject) { "100,000 items", database };
  subjects[1] = (Subject) { "empty database", empty };
  for (guint p = 0; p < 2; p++)
    {
      for (guint s = 0; s < N_STAGES; s++)
        {
          subjects[p].rss[s] = bench_samples_new ();
          subjects[p].hwm[s] = bench_samples_new ();
        }
      subjects[p].maxrss = bench_samples_new ();
    }

  g_print ("%-6s %-15s | %-20s | %-20s | %-20s | %s\n", "round", "database",
           "window: RSS / peak", "listed: RSS / peak", "searched: RSS / peak", "ru_maxrss (MiB)");
  for (int r = -1; r < rounds; r++)
    for (guint k = 0; k < 2; k++)
      {
        Subject *subject = &subjects[(k + (guint)MAX (r, 0)) % 2];
        double rss[N_STAGES], hwm[N_STAGES], maxrss;

        if (!run_once (window_path, subject, rss, hwm, &maxrss, &error))
          {
            g_printerr ("%s\n", error->message);
            return 1;
          }
        g_print ("%-6s %-15s | %8.1f / %8.1f | %8.1f / %8.1f | %8.1f / %8.1f | %8.1f\n",
                 r < 0 ? "warm" : "", subject->label, rss[0], hwm[0], rss[1], hwm[1], rss[2], hwm[2], maxrss);
        if (r < 0)
          continue;
        for (guint s = 0; s < N_STAGES; s++)
          {
            bench_samples_add (subject->rss[s], rss[s]);
            bench_samples_add (subject->hwm[s], hwm[s]);
          }
        bench_samples_add (subject->maxrss, maxrss);
      }

  g_print ("\nmedians of %d rounds, MiB | window RSS | listed RSS | listed peak | searched RSS | searched peak | ru_maxrss\n",
           rounds);
  for (guint p = 0; p < 2; p++)
    g_print ("%-15s | %8.1f | %8.1f | %8.1f | %8.1f | %8.1f | %8.1f\n", subjects[p].label,
             bench_median (subjects[p].rss[0]), bench_median (subjects[p].rss[1]), bench_median (subjects[p].hwm[1]),
             bench_median (subjects[p].rss[2]), bench_median (subjects[p].hwm[2]), bench_median (subjects[p].maxrss));

  extra_listed = bench_median (subjects[0].hwm[1]) - bench_median (subjects[1].hwm[1]);
  extra_searched = bench_median (subjects[0].hwm[2]) - bench_median (subjects[1].hwm[2]);
  extra_maxrss = bench_median (subjects[0].maxrss) - bench_median (subjects[1].maxrss);
  g_print ("\npeak RSS with 100,000 items listed, over the empty window: %+.1f MiB (goal <= %+.0f MiB): %s\n",
           extra_listed, GOAL_EXTRA_MIB, extra_listed <= GOAL_EXTRA_MIB ? "met" : "MISSED");
  g_print ("... after a search too (the search text built): %+.1f MiB: %s\n",
           extra_searched, extra_searched <= GOAL_EXTRA_MIB ? "met" : "MISSED");
  g_print ("... ru_maxrss of the whole run: %+.1f MiB\n", extra_maxrss);
  return 0;
}
