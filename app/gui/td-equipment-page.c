/* td-equipment-page.c: the "Equipment & Venues" page of the sidebar
 *
 * The record pages of the kinds that share a sidebar page (td-record-kind.c:
 * the venues name the equipment's, where the items stand), one shown at a
 * time and switched by the tabs above them; like them, a view of the
 * session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-equipment-page"

#include "config.h"

#include <glib/gi18n.h>

#include "td-equipment-page.h"
#include "td-record-page.h"

struct _TdEquipmentPage
{
  AdwBin        parent_instance;

  TdSession    *session;
  AdwViewStack *stack;
};

G_DEFINE_FINAL_TYPE (TdEquipmentPage, td_equipment_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
td_equipment_page_new (TdSession *session)
{
  g_return_val_if_fail (TD_IS_SESSION (session), NULL);

  return g_object_new (TD_TYPE_EQUIPMENT_PAGE, "session", session, NULL);
}

/* The page of @kind_id, one of the kinds shown. */
GtkWidget *
td_equipment_page_get_records_page (TdEquipmentPage *self,
                                    const char      *kind_id)
{
  g_return_val_if_fail (TD_IS_EQUIPMENT_PAGE (self), NULL);

  return adw_view_stack_get_child_by_name (self->stack, kind_id);
}

const char *
td_equipment_page_get_visible_kind (TdEquipmentPage *self)
{
  g_return_val_if_fail (TD_IS_EQUIPMENT_PAGE (self), NULL);

  return adw_view_stack_get_visible_child_name (self->stack);
}

void
td_equipment_page_show_kind (TdEquipmentPage *self,
                             const char      *kind_id)
{
  g_return_if_fail (TD_IS_EQUIPMENT_PAGE (self));

  adw_view_stack_set_visible_child_name (self->stack, kind_id);
}

/* The sidebar page several kinds share: the first a kind names. */
static const char *
td_equipment_page_shared_page (void)
{
  guint n = 0;
  const TdRecordKind **kinds = td_record_kinds (&n);

  for (guint i = 0; i < n; i++)
    if (kinds[i]->page != NULL)
      return kinds[i]->page;
  return NULL;
}

static void
td_equipment_page_constructed (GObject *object)
{
  TdEquipmentPage *self = TD_EQUIPMENT_PAGE (object);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = gtk_center_box_new ();
  GtkWidget *switcher = adw_view_switcher_new ();
  const char *shared = td_equipment_page_shared_page ();
  guint n_kinds = 0;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);

  G_OBJECT_CLASS (td_equipment_page_parent_class)->constructed (object);

  self->stack = ADW_VIEW_STACK (adw_view_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  for (guint i = 0; i < n_kinds; i++)
    {
      const TdRecordKind *kind = kinds[i];
      GtkWidget *page;

      if (g_strcmp0 (td_record_kind_get_page (kind), shared) != 0)
        continue;
      page = td_record_page_new (self->session, kind->id);
      adw_view_stack_add_titled_with_icon (self->stack, page, kind->id,
                                           g_dgettext (GETTEXT_PACKAGE, kind->title),
                                           kind->icon_name);
    }

  adw_view_switcher_set_stack (ADW_VIEW_SWITCHER (switcher), self->stack);
  adw_view_switcher_set_policy (ADW_VIEW_SWITCHER (switcher), ADW_VIEW_SWITCHER_POLICY_WIDE);
  gtk_center_box_set_center_widget (GTK_CENTER_BOX (bar), switcher);
  gtk_widget_add_css_class (bar, "toolbar");
  gtk_widget_add_css_class (bar, "record-switcher");
  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  adw_bin_set_child (ADW_BIN (self), box);
}

static void
td_equipment_page_finalize (GObject *object)
{
  TdEquipmentPage *self = TD_EQUIPMENT_PAGE (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (td_equipment_page_parent_class)->finalize (object);
}

static void
td_equipment_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TdEquipmentPage *self = TD_EQUIPMENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_equipment_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TdEquipmentPage *self = TD_EQUIPMENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_equipment_page_class_init (TdEquipmentPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = td_equipment_page_constructed;
  object_class->finalize = td_equipment_page_finalize;
  object_class->get_property = td_equipment_page_get_property;
  object_class->set_property = td_equipment_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
td_equipment_page_init (TdEquipmentPage *self)
{
}
