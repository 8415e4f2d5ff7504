/* td-receiver-log.h: the receiver's log lines, with what a client sent escaped
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *td_receiver_escape (const char *text);
void  td_receiver_log    (const char *format,
                          ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
