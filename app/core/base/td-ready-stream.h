/* td-ready-stream.h: input streams over what is at hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void td_ready_stream_pollable_init (GPollableInputStreamInterface *iface);

G_END_DECLS
