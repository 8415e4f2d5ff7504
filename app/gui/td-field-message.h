/* td-field-message.h: the row under a field that says what is wrong with it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkWidget *td_field_message_new  (GtkLabel   **label);
void       td_field_message_show (GtkWidget   *field_row,
                                  GtkWidget   *message_row,
                                  GtkLabel    *label,
                                  const char  *message);

G_END_DECLS
