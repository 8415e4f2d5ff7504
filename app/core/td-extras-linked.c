/* td-extras-linked.c: td_extras_preload() where the extras are linked in
 *
 * libtd_core links the mail, the drawing and the spreadsheets whole (the
 * tests, the receiver, the benchmarks): there is no module to open. The
 * executable has td-extras.c's instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-extras.h"

gboolean
td_extras_preload (GError **error)
{
  return TRUE;
}

void
td_extras_set_failed_func (TdExtrasFailedFunc func)
{
}
