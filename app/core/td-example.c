/* td-example.c: a realistic, generated school (to be written)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-example"

#include "config.h"

#include "td-example.h"
#include "td-store-private.h"

gboolean
td_example_fill (TdStore              *store,
                 const TdExampleSize  *size,
                 GError              **error)
{
  g_set_error_literal (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED, "not written yet");
  return FALSE;
}
