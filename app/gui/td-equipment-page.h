/* td-equipment-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"

G_BEGIN_DECLS

#define TD_TYPE_EQUIPMENT_PAGE (td_equipment_page_get_type ())
G_DECLARE_FINAL_TYPE (TdEquipmentPage, td_equipment_page, TD, EQUIPMENT_PAGE, AdwBin)

GtkWidget  *td_equipment_page_new              (TdSession       *session);
GtkWidget  *td_equipment_page_get_records_page (TdEquipmentPage *self,
                                                const char      *kind_id);
const char *td_equipment_page_get_visible_kind (TdEquipmentPage *self);
void        td_equipment_page_show_kind        (TdEquipmentPage *self,
                                                const char      *kind_id);

G_END_DECLS
