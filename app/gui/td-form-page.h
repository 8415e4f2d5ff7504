/* td-form-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"
#include "td-store.h"

G_BEGIN_DECLS

#define TD_TYPE_FORM_PAGE (td_form_page_get_type ())
G_DECLARE_FINAL_TYPE (TdFormPage, td_form_page, TD, FORM_PAGE, AdwBin)

GtkWidget *td_form_page_new    (TdSession  *session);
void       td_form_page_reload (TdFormPage *self);
void       td_form_page_flush  (TdFormPage *self);

G_END_DECLS
