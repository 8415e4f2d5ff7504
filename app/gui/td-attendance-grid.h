/* td-attendance-grid.h: a class's attendance, trainees by sessions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-store.h"

G_BEGIN_DECLS

#define TD_TYPE_ATTENDANCE_GRID (td_attendance_grid_get_type ())
G_DECLARE_FINAL_TYPE (TdAttendanceGrid, td_attendance_grid, TD, ATTENDANCE_GRID, GtkWidget)

GtkWidget *td_attendance_grid_new        (TdStore          *store);
void       td_attendance_grid_set_class  (TdAttendanceGrid *self,
                                          GPtrArray        *roster,
                                          GPtrArray        *sessions,
                                          GPtrArray        *marks);
GtkWidget *td_attendance_grid_get_cell   (TdAttendanceGrid *self,
                                          guint             row,
                                          guint             column);
gboolean   td_attendance_grid_get_focus  (TdAttendanceGrid *self,
                                          guint            *row,
                                          guint            *column);

G_END_DECLS
