/* td-class-rows.h: what the classes' dialogs do with their rows alike
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-record-kind.h"

G_BEGIN_DECLS

void        td_class_rows_fill_choices (AdwComboRow    *row,
                                        const TdChoice *choices);
void        td_class_rows_select       (AdwComboRow    *row,
                                        const TdChoice *choices,
                                        const char     *id);
const char *td_class_rows_choice_id    (AdwComboRow    *row,
                                        const TdChoice *choices);
char       *td_class_rows_text         (AdwEntryRow    *row);
void        td_class_rows_set_number   (AdwEntryRow    *row,
                                        double          value);
gboolean    td_class_rows_number       (GtkLabel       *error_label,
                                        AdwEntryRow    *row,
                                        double          blank,
                                        double         *value);
void        td_class_rows_refuse       (GtkLabel       *error_label,
                                        AdwEntryRow    *row,
                                        const char     *message);
void        td_class_rows_refuse_choice (GtkLabel      *error_label,
                                        AdwComboRow    *row,
                                        const char     *message);
void        td_class_rows_clear        (GtkLabel       *error_label,
                                        GtkWidget      *container);
const char *td_class_rows_get_error    (GtkLabel       *error_label);

G_END_DECLS
