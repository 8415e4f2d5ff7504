/* td-overview-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-school.h"

G_BEGIN_DECLS

#define TD_TYPE_OVERVIEW_PAGE (td_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (TdOverviewPage, td_overview_page, TD, OVERVIEW_PAGE, AdwBin)

GtkWidget *td_overview_page_new     (TdSchool       *school);
void       td_overview_page_refresh (TdOverviewPage *self);
gboolean   td_overview_page_is_busy (TdOverviewPage *self);

G_END_DECLS
