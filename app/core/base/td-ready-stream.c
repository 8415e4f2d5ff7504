/* td-ready-stream.c: input streams over what is at hand
 *
 * A stream whose reads never wait for anything but memory or a local
 * file (an upload's body, a revision's PDF out of the database) is
 * pollable and always readable, as GMemoryInputStream is: GIO's splice
 * and libsoup then read it on their own thread, never through a worker of
 * GIO's. td_ready_stream_pollable_init() makes a GInputStream subclass so,
 * its non-blocking read being its blocking one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-ready-stream.h"

static gboolean
td_ready_stream_is_readable (GPollableInputStream *stream)
{
  return TRUE;
}

static GSource *
td_ready_stream_create_source (GPollableInputStream *stream,
                               GCancellable         *cancellable)
{
  g_autoptr(GSource) ready = g_timeout_source_new (0);

  return g_pollable_source_new_full (stream, ready, cancellable);
}

static gssize
td_ready_stream_read_nonblocking (GPollableInputStream  *stream,
                                  void                  *buffer,
                                  gsize                  count,
                                  GError               **error)
{
  return G_INPUT_STREAM_GET_CLASS (stream)->read_fn (G_INPUT_STREAM (stream), buffer, count, NULL, error);
}

/**
 * td_ready_stream_pollable_init:
 *
 * For G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM, …) in a
 * GInputStream subclass whose read_fn never waits on the network.
 */
void
td_ready_stream_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->is_readable = td_ready_stream_is_readable;
  iface->create_source = td_ready_stream_create_source;
  iface->read_nonblocking = td_ready_stream_read_nonblocking;
}
