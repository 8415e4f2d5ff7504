/* td-attendance-grid.c: a class's attendance, trainees by sessions
 *
 * One button a trainee and session, as on the paper sheet: arrows move,
 * P, A and E mark present, absent and excused, Space cycles. Each change
 * is one transaction through td_attendance_record(); the store's
 * "changed" then makes the page read the class again (the roster's hours
 * and completion follow) and the grid comes back with the keyboard on
 * the same cell. A cell's accessible name says who, when and what, so a
 * screen reader does not have to read the headers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-attendance-grid"

#include "config.h"

#include <glib/gi18n.h>

#include "td-attendance-grid.h"
#include "td-class-list.h"
#include "td-classes.h"
#include "td-gui-util.h"

#define NOT_MARKED (-1)

struct _TdAttendanceGrid
{
  GtkWidget   parent_instance;

  TdStore    *store;
  GtkWidget  *grid;
  GPtrArray  *enrolments;   /* char*, a row each */
  GPtrArray  *names;        /* char* */
  GPtrArray  *sessions;     /* char* uuid, a column each */
  GPtrArray  *days;         /* char* */
  GArray     *marks;        /* int, row-major */
  GPtrArray  *cells;        /* GtkButton*, row-major */
  guint       focus_row;
  guint       focus_column;
};

G_DEFINE_FINAL_TYPE (TdAttendanceGrid, td_attendance_grid, GTK_TYPE_WIDGET)

static const char *
td_attendance_grid_symbol (int mark)
{
  switch (mark)
    {
    /* Translators: one letter (or character) in the attendance grid */
    case TD_ATTENDANCE_PRESENT: return C_("attendance", "P");
    case TD_ATTENDANCE_ABSENT: return C_("attendance", "A");
    case TD_ATTENDANCE_EXCUSED: return C_("attendance", "E");
    default: return "·";
    }
}

static const char *
td_attendance_grid_word (int mark)
{
  switch (mark)
    {
    case TD_ATTENDANCE_PRESENT: return _("present");
    case TD_ATTENDANCE_ABSENT: return _("absent");
    case TD_ATTENDANCE_EXCUSED: return _("excused");
    default: return _("not marked");
    }
}

static void
td_attendance_grid_update_cell (TdAttendanceGrid *self,
                                guint             row,
                                guint             column)
{
  guint n_columns = self->sessions->len;
  GtkWidget *cell = g_ptr_array_index (self->cells, row * n_columns + column);
  int mark = g_array_index (self->marks, int, row * n_columns + column);
  /* Translators: a trainee, a session's day and time, and the mark */
  g_autofree char *name = g_strdup_printf (_("%s, %s: %s"), (char *)g_ptr_array_index (self->names, row),
                                           (char *)g_ptr_array_index (self->days, column),
                                           td_attendance_grid_word (mark));

  gtk_button_set_label (GTK_BUTTON (cell), td_attendance_grid_symbol (mark));
  gtk_widget_remove_css_class (cell, "success");
  gtk_widget_remove_css_class (cell, "error");
  gtk_widget_remove_css_class (cell, "warning");
  if (mark == TD_ATTENDANCE_PRESENT)
    gtk_widget_add_css_class (cell, "success");
  else if (mark == TD_ATTENDANCE_ABSENT)
    gtk_widget_add_css_class (cell, "error");
  else if (mark == TD_ATTENDANCE_EXCUSED)
    gtk_widget_add_css_class (cell, "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* Writes @mark for the focused cell: one transaction. */
static void
td_attendance_grid_mark (TdAttendanceGrid *self,
                         int               mark)
{
  guint i = self->focus_row * self->sessions->len + self->focus_column;
  const char *enrolment[1];
  TdAttendance status = mark;
  g_autoptr(GError) error = NULL;

  if (self->cells->len == 0)
    return;
  enrolment[0] = g_ptr_array_index (self->enrolments, self->focus_row);
  if (!td_attendance_record (self->store, g_ptr_array_index (self->sessions, self->focus_column),
                             enrolment, &status, 1, &error))
    {
      td_gui_show_error (GTK_WIDGET (self), _("The Mark Could Not Be Saved"), error);
      return;
    }
  g_array_index (self->marks, int, i) = mark;
  td_attendance_grid_update_cell (self, self->focus_row, self->focus_column);
}

static void
td_attendance_grid_focus_cell (TdAttendanceGrid *self,
                               guint             row,
                               guint             column)
{
  if (self->cells->len == 0)
    return;
  self->focus_row = MIN (row, self->enrolments->len - 1);
  self->focus_column = MIN (column, self->sessions->len - 1);
  gtk_widget_grab_focus (g_ptr_array_index (self->cells, self->focus_row * self->sessions->len + self->focus_column));
}

static void
td_attendance_grid_set_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  td_attendance_grid_mark (TD_ATTENDANCE_GRID (widget), g_variant_get_int32 (parameter));
}

static void
td_attendance_grid_cycle_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  TdAttendanceGrid *self = TD_ATTENDANCE_GRID (widget);
  int mark;

  if (self->cells->len == 0)
    return;
  mark = g_array_index (self->marks, int, self->focus_row * self->sessions->len + self->focus_column);
  /* not marked → present → absent → excused → present */
  td_attendance_grid_mark (self, mark == NOT_MARKED || mark == TD_ATTENDANCE_EXCUSED ? TD_ATTENDANCE_PRESENT
                                 : mark + 1);
}

static void
td_attendance_grid_move_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  TdAttendanceGrid *self = TD_ATTENDANCE_GRID (widget);
  int dr, dc;
  int row, column;

  g_variant_get (parameter, "(ii)", &dr, &dc);
  row = (int)self->focus_row + dr;
  column = (int)self->focus_column + dc;
  if (row < 0 || column < 0)
    return;
  td_attendance_grid_focus_cell (self, row, column);
}

static void
td_attendance_grid_cell_clicked_cb (GtkButton        *cell,
                                    TdAttendanceGrid *self)
{
  guint i;

  g_assert (TD_IS_ATTENDANCE_GRID (self));

  if (g_ptr_array_find (self->cells, cell, &i))
    {
      self->focus_row = i / self->sessions->len;
      self->focus_column = i % self->sessions->len;
      td_attendance_grid_cycle_action (GTK_WIDGET (self), NULL, NULL);
    }
}

static void
td_attendance_grid_cell_focus_cb (GtkEventControllerFocus *controller,
                                  TdAttendanceGrid        *self)
{
  GtkWidget *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  guint i;

  if (g_ptr_array_find (self->cells, cell, &i))
    {
      self->focus_row = i / self->sessions->len;
      self->focus_column = i % self->sessions->len;
    }
}

static GtkWidget *
td_attendance_grid_header (const char *text,
                           gboolean    dim)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 16);
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* Whether @roster and @sessions are the rows and columns shown, in the
 * same order: a mark or an edit elsewhere in the class then changes a few
 * cells, not the 2,400 of a 60 × 40 class (rebuilt, ~0.6 s). */
static gboolean
td_attendance_grid_same_shape (TdAttendanceGrid *self,
                               GPtrArray        *roster,
                               GPtrArray        *sessions)
{
  if (self->cells->len == 0 || roster->len != self->enrolments->len || sessions->len != self->sessions->len)
    return FALSE;
  for (guint r = 0; r < roster->len; r++)
    if (g_strcmp0 (((TdRosterEntry *)g_ptr_array_index (roster, r))->enrolment_uuid,
                   g_ptr_array_index (self->enrolments, r)) != 0)
      return FALSE;
  for (guint c = 0; c < sessions->len; c++)
    if (g_strcmp0 (((TdSessionSummary *)g_ptr_array_index (sessions, c))->uuid,
                   g_ptr_array_index (self->sessions, c)) != 0)
      return FALSE;
  return TRUE;
}

/* Replaces the text of the header at @column, @row and its copy in @texts
 * when it changed; says whether it did. */
static gboolean
td_attendance_grid_retitle (TdAttendanceGrid *self,
                            GPtrArray        *texts,
                            guint             i,
                            const char       *text,
                            const char       *shown,
                            int               column,
                            int               row)
{
  if (g_strcmp0 (g_ptr_array_index (texts, i), text) == 0)
    return FALSE;
  g_free (g_ptr_array_index (texts, i));
  g_ptr_array_index (texts, i) = g_strdup (text);
  gtk_label_set_text (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (self->grid), column, row)), shown);
  return TRUE;
}

/* The same rows and columns: only what changed is touched. */
static void
td_attendance_grid_update (TdAttendanceGrid *self,
                           GPtrArray        *roster,
                           GPtrArray        *sessions,
                           GPtrArray        *marks)
{
  guint n_columns = sessions->len;
  g_autoptr(GArray) now = g_array_sized_new (FALSE, FALSE, sizeof (int), self->marks->len);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree gboolean *renamed_row = g_new0 (gboolean, roster->len);
  g_autofree gboolean *renamed_column = g_new0 (gboolean, n_columns);

  for (guint c = 0; c < n_columns; c++)
    {
      const TdSessionSummary *s = g_ptr_array_index (sessions, c);
      g_autofree char *day = g_strdup_printf ("%s %s", s->held_on, s->starts_at);

      renamed_column[c] = td_attendance_grid_retitle (self, self->days, c, day, day + 5, c + 1, 0);
      g_hash_table_insert (index, g_ptr_array_index (self->sessions, c), GUINT_TO_POINTER (c + 1));
    }
  for (guint r = 0; r < roster->len; r++)
    {
      const TdRosterEntry *e = g_ptr_array_index (roster, r);

      renamed_row[r] = td_attendance_grid_retitle (self, self->names, r, e->name, e->name, 0, r + 1);
      g_hash_table_insert (index, g_ptr_array_index (self->enrolments, r), GUINT_TO_POINTER (r + 1));
    }
  g_array_set_size (now, self->marks->len);
  for (guint i = 0; i < now->len; i++)
    g_array_index (now, int, i) = NOT_MARKED;
  for (guint i = 0; i < marks->len; i++)
    {
      const TdMark *m = g_ptr_array_index (marks, i);
      guint r = GPOINTER_TO_UINT (g_hash_table_lookup (index, m->enrolment_uuid));
      guint c = GPOINTER_TO_UINT (g_hash_table_lookup (index, m->session_uuid));

      if (r > 0 && c > 0)
        g_array_index (now, int, (r - 1) * n_columns + (c - 1)) = m->status;
    }
  for (guint r = 0; r < roster->len; r++)
    for (guint c = 0; c < n_columns; c++)
      {
        guint i = r * n_columns + c;

        if (g_array_index (now, int, i) == g_array_index (self->marks, int, i) && !renamed_row[r] &&
            !renamed_column[c])
          continue;
        g_array_index (self->marks, int, i) = g_array_index (now, int, i);
        td_attendance_grid_update_cell (self, r, c);
      }
}

/**
 * td_attendance_grid_set_class:
 * @roster: (element-type TdRosterEntry)
 * @sessions: (element-type TdSessionSummary)
 * @marks: (element-type TdMark)
 *
 * Builds the grid afresh, or, when the trainees and sessions are those
 * shown, changes the cells and headers that differ; the keyboard stays on
 * the same cell if it was in the grid.
 */
void
td_attendance_grid_set_class (TdAttendanceGrid *self,
                              GPtrArray        *roster,
                              GPtrArray        *sessions,
                              GPtrArray        *marks)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gboolean had_focus = focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self));
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkWidget *child;

  g_return_if_fail (TD_IS_ATTENDANCE_GRID (self));

  if (td_attendance_grid_same_shape (self, roster, sessions))
    {
      td_attendance_grid_update (self, roster, sessions, marks);
      return;
    }
  while ((child = gtk_widget_get_first_child (self->grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->grid), child);
  g_ptr_array_set_size (self->enrolments, 0);
  g_ptr_array_set_size (self->names, 0);
  g_ptr_array_set_size (self->sessions, 0);
  g_ptr_array_set_size (self->days, 0);
  g_ptr_array_set_size (self->cells, 0);
  g_array_set_size (self->marks, 0);

  for (guint c = 0; c < sessions->len; c++)
    {
      const TdSessionSummary *s = g_ptr_array_index (sessions, c);
      g_autofree char *day = g_strdup_printf ("%s %s", s->held_on + 5, s->starts_at);

      g_ptr_array_add (self->sessions, g_strdup (s->uuid));
      g_ptr_array_add (self->days, g_strdup_printf ("%s %s", s->held_on, s->starts_at));
      gtk_grid_attach (GTK_GRID (self->grid), td_attendance_grid_header (day, TRUE), c + 1, 0, 1, 1);
    }
  for (guint r = 0; r < roster->len; r++)
    {
      const TdRosterEntry *e = g_ptr_array_index (roster, r);

      g_ptr_array_add (self->enrolments, g_strdup (e->enrolment_uuid));
      g_ptr_array_add (self->names, g_strdup (e->name));
      gtk_grid_attach (GTK_GRID (self->grid), td_attendance_grid_header (e->name, FALSE), 0, r + 1, 1, 1);
    }
  g_array_set_size (self->marks, roster->len * sessions->len);
  for (guint i = 0; i < self->marks->len; i++)
    g_array_index (self->marks, int, i) = NOT_MARKED;
  for (guint i = 0; i < self->enrolments->len; i++)
    g_hash_table_insert (index, g_strdup (g_ptr_array_index (self->enrolments, i)), GUINT_TO_POINTER (i + 1));
  for (guint i = 0; i < self->sessions->len; i++)
    g_hash_table_insert (index, g_strdup (g_ptr_array_index (self->sessions, i)), GUINT_TO_POINTER (i + 1));
  for (guint i = 0; i < marks->len; i++)
    {
      const TdMark *m = g_ptr_array_index (marks, i);
      guint r = GPOINTER_TO_UINT (g_hash_table_lookup (index, m->enrolment_uuid));
      guint c = GPOINTER_TO_UINT (g_hash_table_lookup (index, m->session_uuid));

      if (r > 0 && c > 0)
        g_array_index (self->marks, int, (r - 1) * sessions->len + (c - 1)) = m->status;
    }
  for (guint r = 0; r < roster->len; r++)
    for (guint c = 0; c < sessions->len; c++)
      {
        GtkWidget *cell = gtk_button_new ();
        GtkEventController *focus_controller = gtk_event_controller_focus_new ();

        gtk_widget_add_css_class (cell, "flat");
        gtk_widget_add_css_class (cell, "attendance-cell");
        g_signal_connect_object (cell, "clicked", G_CALLBACK (td_attendance_grid_cell_clicked_cb), self, 0);
        g_signal_connect_object (focus_controller, "enter", G_CALLBACK (td_attendance_grid_cell_focus_cb), self, 0);
        gtk_widget_add_controller (cell, focus_controller);
        gtk_grid_attach (GTK_GRID (self->grid), cell, c + 1, r + 1, 1, 1);
        g_ptr_array_add (self->cells, cell);
        td_attendance_grid_update_cell (self, r, c);
      }
  if (had_focus)
    td_attendance_grid_focus_cell (self, self->focus_row, self->focus_column);
  else
    self->focus_row = self->focus_column = 0;
}

GtkWidget *
td_attendance_grid_get_cell (TdAttendanceGrid *self,
                             guint             row,
                             guint             column)
{
  g_return_val_if_fail (TD_IS_ATTENDANCE_GRID (self), NULL);
  g_return_val_if_fail (row < self->enrolments->len && column < self->sessions->len, NULL);

  return g_ptr_array_index (self->cells, row * self->sessions->len + column);
}

gboolean
td_attendance_grid_get_focus (TdAttendanceGrid *self,
                              guint            *row,
                              guint            *column)
{
  g_return_val_if_fail (TD_IS_ATTENDANCE_GRID (self), FALSE);

  *row = self->focus_row;
  *column = self->focus_column;
  return self->cells->len > 0;
}

static void
td_attendance_grid_dispose (GObject *object)
{
  TdAttendanceGrid *self = TD_ATTENDANCE_GRID (object);

  g_clear_pointer (&self->grid, gtk_widget_unparent);

  G_OBJECT_CLASS (td_attendance_grid_parent_class)->dispose (object);
}

static void
td_attendance_grid_finalize (GObject *object)
{
  TdAttendanceGrid *self = TD_ATTENDANCE_GRID (object);

  g_clear_object (&self->store);
  g_ptr_array_unref (self->enrolments);
  g_ptr_array_unref (self->names);
  g_ptr_array_unref (self->sessions);
  g_ptr_array_unref (self->days);
  g_ptr_array_unref (self->cells);
  g_array_unref (self->marks);

  G_OBJECT_CLASS (td_attendance_grid_parent_class)->finalize (object);
}

static void
td_attendance_grid_class_init (TdAttendanceGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const struct { guint key; int dr, dc; } moves[] = {
    { GDK_KEY_Left, 0, -1 }, { GDK_KEY_Right, 0, 1 }, { GDK_KEY_Up, -1, 0 }, { GDK_KEY_Down, 1, 0 },
  };

  object_class->dispose = td_attendance_grid_dispose;
  object_class->finalize = td_attendance_grid_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "attendance-grid");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_install_action (widget_class, "grid.set", "i", td_attendance_grid_set_action);
  gtk_widget_class_install_action (widget_class, "grid.cycle", NULL, td_attendance_grid_cycle_action);
  gtk_widget_class_install_action (widget_class, "grid.move", "(ii)", td_attendance_grid_move_action);
  for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
    gtk_widget_class_add_binding_action (widget_class, moves[i].key, 0, "grid.move", "(ii)", moves[i].dr, moves[i].dc);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, 0, "grid.set", "i", TD_ATTENDANCE_PRESENT);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, 0, "grid.set", "i", TD_ATTENDANCE_ABSENT);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, 0, "grid.set", "i", TD_ATTENDANCE_EXCUSED);
}

static void
td_attendance_grid_init (TdAttendanceGrid *self)
{
  self->grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 6);
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 2);
  gtk_widget_set_parent (self->grid, GTK_WIDGET (self));
  self->enrolments = g_ptr_array_new_with_free_func (g_free);
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->sessions = g_ptr_array_new_with_free_func (g_free);
  self->days = g_ptr_array_new_with_free_func (g_free);
  self->cells = g_ptr_array_new ();
  self->marks = g_array_new (FALSE, TRUE, sizeof (int));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Attendance: arrows move, P present, A absent, E excused, Space changes"), -1);
}

GtkWidget *
td_attendance_grid_new (TdStore *store)
{
  TdAttendanceGrid *self;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  self = g_object_new (TD_TYPE_ATTENDANCE_GRID, NULL);
  self->store = g_object_ref (store);
  return GTK_WIDGET (self);
}
