/* td-fuzz.c: what every libFuzzer target of tests/fuzz shares
 *
 * A critical (a g_return_if_fail that fails) is a bug whatever the input,
 * so it aborts and libFuzzer keeps the input; warnings and messages are
 * dropped, as printing them would slow the fuzzer down tenfold.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "td-fuzz"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "td-fuzz.h"

static GLogWriterOutput
td_fuzz_log_writer (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  /* abort() rather than GLib's SIGTRAP, which libFuzzer does not catch:
   * the input is then kept. */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }
  return G_LOG_WRITER_HANDLED;
}

void
td_fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_log_set_writer_func (td_fuzz_log_writer, NULL, NULL);
}

/**
 * td_fuzz_split:
 *
 * Cuts @data at NUL bytes into exactly @n_fields strings, each made valid
 * UTF-8 (GLib's strings are, by contract): missing fields are "", the
 * last takes the rest.
 *
 * Returns: (transfer full): a %NULL-terminated array.
 */
char **
td_fuzz_split (const uint8_t *data,
               size_t         size,
               guint          n_fields)
{
  char **fields = g_new0 (char *, n_fields + 1);
  const char *p = (const char *)data;
  const char *end = p + size;

  for (guint i = 0; i < n_fields; i++)
    {
      const char *nul = i + 1 < n_fields && p < end ? memchr (p, '\0', (size_t)(end - p)) : NULL;
      const char *stop = nul ? nul : end;

      fields[i] = g_utf8_make_valid (p, stop - p);
      p = nul ? nul + 1 : end;
    }
  return fields;
}

/**
 * td_fuzz_memfd_path:
 * @fd: (out): the descriptor, to close after use
 *
 * For readers that take a path: @data in an anonymous file in memory,
 * which vanishes with its descriptor (even when the fuzzer crashes).
 *
 * Returns: (transfer full): "/proc/self/fd/N"
 */
char *
td_fuzz_memfd_path (const uint8_t *data,
                    size_t         size,
                    int           *fd)
{
  *fd = memfd_create ("td-fuzz", MFD_CLOEXEC);
  g_assert (*fd >= 0);
  for (size_t done = 0; done < size;)
    {
      ssize_t n = write (*fd, data + done, size - done);

      g_assert (n > 0);
      done += (size_t)n;
    }
  return g_strdup_printf ("/proc/self/fd/%d", *fd);
}
