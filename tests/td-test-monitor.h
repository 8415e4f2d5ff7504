/* td-test-monitor.h: a GNetworkMonitor the test switches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TD_TYPE_TEST_MONITOR (td_test_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TdTestMonitor, td_test_monitor, TD, TEST_MONITOR, GObject)

TdTestMonitor *td_test_monitor_new           (gboolean       available);
void           td_test_monitor_set_available (TdTestMonitor *self,
                                              gboolean       available);

G_END_DECLS
