/* td-classes-page.h: a year's training classes, and one class's detail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"

G_BEGIN_DECLS

#define TD_TYPE_CLASSES_PAGE (td_classes_page_get_type ())
G_DECLARE_FINAL_TYPE (TdClassesPage, td_classes_page, TD, CLASSES_PAGE, AdwBin)

GtkWidget  *td_classes_page_new            (TdSession     *session);
gboolean    td_classes_page_is_busy        (TdClassesPage *self);
guint       td_classes_page_get_n_shown    (TdClassesPage *self);
GtkWidget  *td_classes_page_get_row        (TdClassesPage *self,
                                            guint          index);
const char *td_classes_page_get_view       (TdClassesPage *self);
int         td_classes_page_get_year       (TdClassesPage *self);
gboolean    td_classes_page_show_class     (TdClassesPage *self,
                                            const char    *class_uuid);
GtkWidget  *td_classes_page_get_group      (TdClassesPage *self,
                                            const char    *name);
void        td_classes_page_import_roster_from     (TdClassesPage *self,
                                                    const char    *path);
void        td_classes_page_import_attendance_from (TdClassesPage *self,
                                                    const char    *path);
gboolean    td_classes_page_export_roster_to       (TdClassesPage *self,
                                                    const char    *path);

G_END_DECLS
