/* peak-rss.c: runs a command and writes its peak resident set size
 *
 *   bench-peak-rss FILE COMMAND [ARG…]
 *
 * Forks COMMAND as a child of this small process, waits for it and writes
 * its wait4() ru_maxrss (KiB) to FILE; exits with the command's status (128
 * + the signal if a signal ended it).
 *
 * Why not wait4() in the benchmark itself: on Linux, execve() records the
 * peak RSS of the memory the process had before it into the new program's
 * ru_maxrss, and a child made by posix_spawn() (vfork) or fork() had its
 * parent's memory. So a benchmark that has itself been large (bench-import
 * making a million-row CSV: ~100 MiB) read that figure for every program
 * it ran, sqlite3 included. A child of this process starts from its few
 * hundred KiB instead. Libc only: nothing else mapped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  struct rusage usage;
  FILE *out;
  pid_t pid;
  int status;

  if (argc < 3)
    {
      fprintf (stderr, "usage: %s FILE COMMAND [ARG…]\n", argv[0]);
      return 2;
    }
  pid = fork ();
  if (pid < 0)
    {
      fprintf (stderr, "%s: fork: %s\n", argv[0], strerror (errno));
      return 127;
    }
  if (pid == 0)
    {
      execvp (argv[2], argv + 2);
      fprintf (stderr, "%s: %s: %s\n", argv[0], argv[2], strerror (errno));
      _exit (127);
    }
  while (wait4 (pid, &status, 0, &usage) < 0)
    if (errno != EINTR)
      {
        fprintf (stderr, "%s: wait4: %s\n", argv[0], strerror (errno));
        return 127;
      }
  out = fopen (argv[1], "w");
  if (out == NULL || fprintf (out, "%ld\n", usage.ru_maxrss) < 0 || fclose (out) != 0)
    {
      fprintf (stderr, "%s: %s: %s\n", argv[0], argv[1], strerror (errno));
      return 127;
    }
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return 128 + WTERMSIG (status);
}
