/* td-test-monitor.c: a GNetworkMonitor the test switches
 *
 * The machine's network cannot be switched off and on by a test: this
 * monitor says what the test tells it, and whether a destination can be
 * reached follows. Everything else — the servers, the sending — is real.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-test-monitor.h"

struct _TdTestMonitor
{
  GObject  parent_instance;
  gboolean available;
};

static void td_test_monitor_iface_init (GNetworkMonitorInterface *iface);
static void td_test_monitor_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TdTestMonitor, td_test_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, td_test_monitor_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, td_test_monitor_iface_init))

enum { MON_PROP_0, MON_PROP_AVAILABLE, MON_PROP_METERED, MON_PROP_CONNECTIVITY };

static void
td_test_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TdTestMonitor *self = TD_TEST_MONITOR (object);

  switch (prop_id)
    {
    case MON_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case MON_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case MON_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
td_test_monitor_can_reach (GNetworkMonitor     *monitor,
                        GSocketConnectable  *connectable,
                        GCancellable        *cancellable,
                        GError             **error)
{
  if (!TD_TEST_MONITOR (monitor)->available)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "offline (test)");
      return FALSE;
    }
  return TRUE;
}

static void
td_test_monitor_can_reach_async (GNetworkMonitor     *monitor,
                              GSocketConnectable  *connectable,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (monitor, cancellable, callback, user_data);
  GError *error = NULL;

  if (td_test_monitor_can_reach (monitor, connectable, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
td_test_monitor_can_reach_finish (GNetworkMonitor  *monitor,
                               GAsyncResult     *result,
                               GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
td_test_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = td_test_monitor_can_reach;
  iface->can_reach_async = td_test_monitor_can_reach_async;
  iface->can_reach_finish = td_test_monitor_can_reach_finish;
}

static gboolean
td_test_monitor_initable_init (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return TRUE;
}

static void
td_test_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = td_test_monitor_initable_init;
}

static void
td_test_monitor_class_init (TdTestMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = td_test_monitor_get_property;
  g_object_class_override_property (object_class, MON_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, MON_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, MON_PROP_CONNECTIVITY, "connectivity");
}

static void
td_test_monitor_init (TdTestMonitor *self)
{
}

void
td_test_monitor_set_available (TdTestMonitor *self,
                            gboolean     available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_signal_emit_by_name (self, "network-changed", available);
}

TdTestMonitor *
td_test_monitor_new (gboolean available)
{
  TdTestMonitor *self = g_object_new (TD_TYPE_TEST_MONITOR, NULL);

  self->available = available;
  return self;
}
