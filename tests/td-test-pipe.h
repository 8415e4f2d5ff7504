/* td-test-pipe.h: a FIFO's writer, for the tests that read one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

typedef struct
{
  const char *path;   /* a FIFO */
  const char *text;
} TdTestPipeWriter;

static inline gpointer
td_test_pipe_writer_thread (gpointer data)
{
  TdTestPipeWriter *w = data;
  int fd = open (w->path, O_WRONLY);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, w->text, strlen (w->text)), ==, (gssize)strlen (w->text));
  close (fd);
  return NULL;
}

/* Writes @w's text into its FIFO from a thread (the open waits for the
 * reader); g_thread_join() it once the reader is done. */
static inline GThread *
td_test_pipe_write (TdTestPipeWriter *w)
{
  return g_thread_new ("td-test-pipe", td_test_pipe_writer_thread, w);
}
