/* td-school-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-school.h"

G_BEGIN_DECLS

#define TD_TYPE_SCHOOL_PAGE (td_school_page_get_type ())
G_DECLARE_FINAL_TYPE (TdSchoolPage, td_school_page, TD, SCHOOL_PAGE, AdwBin)

GtkWidget *td_school_page_new   (TdSchool     *school);
void       td_school_page_flush (TdSchoolPage *self);

G_END_DECLS
