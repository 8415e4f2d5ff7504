/* td-school-page-private.h: for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-school-page.h"

G_BEGIN_DECLS

GtkWidget  *td_school_page_get_row     (TdSchoolPage  *self,
                                        TdSchoolField  field);
const char *td_school_page_get_message (TdSchoolPage  *self,
                                        TdSchoolField  field);

G_END_DECLS
