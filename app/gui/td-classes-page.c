/* td-classes-page.c: a year's training classes, and one class's detail
 *
 * A view of the classes core (docs/classes.md): the year's classes in a
 * list, read on a worker (td_store_read_async) after each burst of
 * changes — a large school ends 1,500 classes a year, and the list reads
 * their kept totals, not their enrolments. Activating a class shows its
 * detail in place (a subpage: GTK 4.8 has no navigation view): its
 * sessions, its roster with masked ID numbers and each trainee's hours
 * against the class's completion rule, and the core's warnings about
 * double-booked trainers and full venues. The core keeps no undo for a
 * class (deleting one takes its roster and marks with it), so deleting
 * asks first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-classes-page"

#include "config.h"

#include <glib/gi18n.h>

#include "td-attendance-grid.h"
#include "td-class-editor.h"
#include "td-class-figures.h"
#include "td-class-list.h"
#include "td-classes.h"
#include "td-classes-page-private.h"
#include "td-gui-util.h"
#include "td-store-read.h"


G_DEFINE_FINAL_TYPE (TdClassesPage, td_classes_page, ADW_TYPE_BIN)

static void td_classes_page_refresh (TdClassesPage *self);
static void td_classes_page_read_detail (TdClassesPage *self);

/* Reading, on the worker */

typedef struct
{
  GArray    *years;
  int        year;
  GPtrArray *classes;
} TdClassesPageList;

static void
td_classes_page_list_free (gpointer data)
{
  TdClassesPageList *list = data;

  g_clear_pointer (&list->years, g_array_unref);
  g_clear_pointer (&list->classes, g_ptr_array_unref);
  g_free (list);
}

static gpointer
td_classes_page_read_list (TdStore       *reader,
                           gpointer       data,
                           GCancellable  *cancellable,
                           GError       **error)
{
  TdClassesPageList *list = g_new0 (TdClassesPageList, 1);
  gboolean listed = FALSE;

  list->year = GPOINTER_TO_INT (data);
  if (!(list->years = td_class_list_years (reader, error)))
    {
      td_classes_page_list_free (list);
      return NULL;
    }
  if (list->year == 0 && list->years->len > 0)
    list->year = g_array_index (list->years, int, 0);
  else if (list->year == 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      list->year = g_date_time_get_year (now);
    }
  for (guint i = 0; i < list->years->len; i++)
    listed |= g_array_index (list->years, int, i) == list->year;
  if (!listed)
    {
      guint at = 0;

      while (at < list->years->len && g_array_index (list->years, int, at) > list->year)
        at++;
      g_array_insert_val (list->years, at, list->year);
    }
  if (!(list->classes = td_class_list (reader, list->year, error)))
    {
      td_classes_page_list_free (list);
      return NULL;
    }
  return list;
}

typedef struct
{
  TdClassSummary *summary;
  GPtrArray      *sessions;
  GPtrArray      *roster;
  GPtrArray      *conflicts;   /* TdConflict of this class's sessions */
  GPtrArray      *marks;
} TdClassesPageDetail;

static void
td_classes_page_detail_free (gpointer data)
{
  TdClassesPageDetail *d = data;

  g_clear_pointer (&d->summary, td_class_summary_free);
  g_clear_pointer (&d->sessions, g_ptr_array_unref);
  g_clear_pointer (&d->roster, g_ptr_array_unref);
  g_clear_pointer (&d->conflicts, g_ptr_array_unref);
  g_clear_pointer (&d->marks, g_ptr_array_unref);
  g_free (d);
}

static gpointer
td_classes_page_read_class (TdStore       *reader,
                            gpointer       data,
                            GCancellable  *cancellable,
                            GError       **error)
{
  TdClassesPageDetail *d = g_new0 (TdClassesPageDetail, 1);
  g_autoptr(GHashTable) mine = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) all = NULL;

  if (!(d->summary = td_class_summary (reader, data, error)) ||
      !(d->sessions = td_class_sessions (reader, data, error)) ||
      !(d->roster = td_class_roster (reader, data, error)) ||
      !(d->marks = td_class_marks (reader, data, error)) ||
      !(all = td_class_conflicts (reader, d->summary->starts_on, d->summary->ends_on, error)))
    {
      td_classes_page_detail_free (d);
      return NULL;
    }
  /* The core lists the whole period's: this class's are those of its sessions. */
  for (guint i = 0; i < d->sessions->len; i++)
    g_hash_table_add (mine, ((TdSessionSummary *)g_ptr_array_index (d->sessions, i))->uuid);
  d->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify)td_conflict_free);
  for (guint i = 0; i < all->len; i++)
    {
      TdConflict *c = g_ptr_array_index (all, i);

      if (g_hash_table_contains (mine, c->session_uuid) ||
          (c->other_session_uuid != NULL && g_hash_table_contains (mine, c->other_session_uuid)))
        g_ptr_array_add (d->conflicts, g_ptr_array_steal_index (all, i--));
    }
  return d;
}

/* The list */

static char *
td_classes_page_format_hours (double hours)
{
  /* 8, 7.5: as people write hours */
  g_autofree char *text = g_strdup_printf ("%.1f", hours);

  if (g_str_has_suffix (text, ".0"))
    text[strlen (text) - 2] = '\0';
  return g_steal_pointer (&text);
}

static char *
td_classes_page_dates (const TdClassSummary *c)
{
  if (g_strcmp0 (c->starts_on, c->ends_on) == 0)
    return g_strdup (c->starts_on);
  /* Translators: a class's first and last day */
  return g_strdup_printf (_("%s to %s"), c->starts_on, c->ends_on);
}

static char *
td_classes_page_class_subtitle (const TdClassSummary *c)
{
  g_autofree char *dates = td_classes_page_dates (c);
  g_autofree char *hours = td_classes_page_format_hours (c->planned_hours);
  g_autofree char *counts =
    /* Translators: a class's roster: "12 enrolled, 10 completed" */
    g_strdup_printf (_("%lld enrolled, %lld completed"), (long long)c->enrolled, (long long)c->completed);
  GString *s = g_string_new (NULL);

  if (c->programme[0] != '\0')
    g_string_append_printf (s, "%s · ", c->programme);
  /* Translators: dates · mode · status · roster · planned hours */
  g_string_append_printf (s, _("%s · %s · %s · %s · %s h"), dates,
                          td_class_choice_label (td_class_modes (), c->mode),
                          td_class_choice_label (td_class_statuses (), c->status), counts, hours);
  return g_string_free (s, FALSE);
}

static gboolean
td_classes_page_matches (const TdClassSummary *c,
                         const char           *folded)
{
  const char *fields[] = { c->name, c->programme, c->venue };

  if (folded[0] == '\0')
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *field = g_utf8_casefold (fields[i], -1);

      if (strstr (field, folded) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
td_classes_page_fill_list (TdClassesPage *self)
{
  g_autofree char *folded = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1);
  GtkWidget *child;

  g_strstrip (folded);
  /* gtk_list_box_remove_all() is GTK 4.12's. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  self->n_shown = 0;
  for (guint i = 0; self->classes != NULL && i < self->classes->len; i++)
    {
      const TdClassSummary *c = g_ptr_array_index (self->classes, i);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (!td_classes_page_matches (c, folded))
        continue;
      subtitle = td_classes_page_class_subtitle (c);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), c->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "class-uuid", g_strdup (c->uuid), g_free);
      gtk_list_box_append (self->list_box, row);
      self->n_shown++;
    }
  if (self->n_shown > 0)
    gtk_stack_set_visible_child_name (self->content_stack, "list");
  else if (self->classes != NULL && self->classes->len > 0)
    gtk_stack_set_visible_child_name (self->content_stack, "no-results");
  else
    {
      /* Translators: the empty page's title */
      g_autofree char *title = g_strdup_printf (_("No Classes Ending in %d"), self->year);

      adw_status_page_set_title (self->empty_status, title);
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
    }
}

static void
td_classes_page_fill_years (TdClassesPage *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint selected = 0;

  for (guint i = 0; i < self->years->len; i++)
    {
      int year = g_array_index (self->years, int, i);
      g_autofree char *text = g_strdup_printf ("%d", year);

      gtk_string_list_append (list, text);
      if (year == self->year)
        selected = i;
    }
  self->setting_years = TRUE;
  gtk_drop_down_set_model (self->year_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->year_dropdown, selected);
  self->setting_years = FALSE;
}

static void
td_classes_page_list_read_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(TdClassesPage) self = g_weak_ref_get (ref);
  g_autoptr(GError) error = NULL;
  TdClassesPageList *list = td_store_read_finish (result, &error);

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&list, td_classes_page_list_free);
      return;
    }
  self->reading = FALSE;
  if (list == NULL)
    td_gui_show_error (GTK_WIDGET (self), _("The Classes Could Not Be Read"), error);
  else
    {
      g_clear_pointer (&self->years, g_array_unref);
      g_clear_pointer (&self->classes, g_ptr_array_unref);
      self->years = g_steal_pointer (&list->years);
      self->classes = g_steal_pointer (&list->classes);
      self->year = list->year;
      td_classes_page_list_free (list);
      td_classes_page_fill_years (self);
      td_classes_page_fill_list (self);
    }
  if (self->again)
    td_classes_page_refresh (self);
}

static void
td_classes_page_refresh (TdClassesPage *self)
{
  GWeakRef *ref;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->reading)
    {
      self->again = TRUE;
      return;
    }
  self->reading = TRUE;
  self->again = FALSE;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  td_store_read_async (self->store, NULL, td_classes_page_read_list, GINT_TO_POINTER (self->year), NULL,
                       td_classes_page_list_free, self->cancellable, td_classes_page_list_read_cb, ref);
}

static gboolean
td_classes_page_idle_cb (gpointer user_data)
{
  TdClassesPage *self = user_data;

  self->refresh_id = 0;
  td_classes_page_refresh (self);
  if (self->detail_uuid != NULL)
    td_classes_page_read_detail (self);
  return G_SOURCE_REMOVE;
}

/* A roster import writes hundreds of rows: one reading after the burst. */
static void
td_classes_page_store_changed_cb (TdClassesPage *self)
{
  g_assert (TD_IS_CLASSES_PAGE (self));

  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (td_classes_page_idle_cb, self);
}

static void
td_classes_page_year_changed_cb (TdClassesPage *self)
{
  guint i = gtk_drop_down_get_selected (self->year_dropdown);

  g_assert (TD_IS_CLASSES_PAGE (self));

  if (self->setting_years || self->years == NULL || i >= self->years->len)
    return;
  self->year = g_array_index (self->years, int, i);
  td_classes_page_refresh (self);
}

static void
td_classes_page_search_changed_cb (TdClassesPage *self)
{
  g_assert (TD_IS_CLASSES_PAGE (self));

  td_classes_page_fill_list (self);
}

/* The detail */

static void
td_classes_page_clear_detail (TdClassesPage *self)
{
  for (guint i = 0; i < self->detail_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->detail_rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->detail_rows, 0);
}

static GtkWidget *
td_classes_page_add_detail_row (TdClassesPage       *self,
                                AdwPreferencesGroup *group,
                                const char          *title,
                                const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->detail_rows, row);
  return row;
}

static void
td_classes_page_fill_conflicts (TdClassesPage *self,
                                GPtrArray     *conflicts)
{
  for (guint i = 0; i < conflicts->len; i++)
    {
      const TdConflict *c = g_ptr_array_index (conflicts, i);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row, *icon;

      if (c->kind == TD_CONFLICT_TRAINER_DOUBLE_BOOKED)
        {
          /* Translators: a trainer's name */
          title = g_strdup_printf (_("%s is booked twice"), c->name);
          /* Translators: a day and a time */
          subtitle = g_strdup_printf (_("Two sessions overlap on %s at %s."), c->held_on, c->starts_at);
        }
      else
        {
          /* Translators: a venue's name */
          title = g_strdup_printf (_("%s is over capacity"), c->name);
          subtitle = g_strdup_printf (_("On %s at %s the rosters there hold %lld people for %lld places."),
                                      c->held_on, c->starts_at, (long long)c->people, (long long)c->capacity);
        }
      row = td_classes_page_add_detail_row (self, self->conflicts_group, title, subtitle);
      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_group), conflicts->len > 0);
}

/* What became of a trainee, in a line: the result, the certificate,
 * the employment; NULL when nothing is known yet. */
static char *
td_classes_page_outcome (const TdRosterEntry *e)
{
  GString *line = g_string_new (NULL);

  if (e->result[0] != '\0')
    g_string_append (line, td_class_choice_label (td_class_results (), e->result));
  if (e->certificate_kind[0] != '\0')
    {
      g_string_append_printf (line, "%s%s", line->len ? " · " : "",
                              td_class_choice_label (td_class_certificates (), e->certificate_kind));
      if (e->certificate_level[0] != '\0')
        g_string_append_printf (line, " %s", e->certificate_level);
    }
  if (e->employed_on[0] != '\0')
    {
      g_autofree char *employed = e->self_employed
                                  /* Translators: a date */
                                  ? g_strdup_printf (_("self-employed since %s"), e->employed_on)
                                  /* Translators: a date */
                                  : g_strdup_printf (_("employed since %s"), e->employed_on);

      g_string_append_printf (line, "%s%s", line->len ? " · " : "", employed);
    }
  if (line->len == 0)
    {
      g_string_free (line, TRUE);
      return NULL;
    }
  return g_string_free (line, FALSE);
}

static void
td_classes_page_fill_detail (TdClassesPage       *self,
                             TdClassesPageDetail *d)
{
  const TdClassSummary *c = d->summary;
  g_autofree char *dates = td_classes_page_dates (c);
  g_autofree char *hours = td_classes_page_format_hours (c->planned_hours);
  g_autofree char *percent = td_classes_page_format_hours (c->completion_percent);
  g_autofree char *rule = NULL;
  GString *about = g_string_new (NULL);

  td_classes_page_clear_detail (self);
  gtk_label_set_text (self->detail_title, c->name);
  if (c->programme[0] != '\0')
    g_string_append_printf (about, "%s · ", c->programme);
  g_string_append_printf (about, "%s · %s · %s", td_class_choice_label (td_class_categories (), c->category),
                          td_class_choice_label (td_class_modes (), c->mode),
                          td_class_choice_label (td_class_statuses (), c->status));
  if (c->venue[0] != '\0')
    g_string_append_printf (about, " · %s", c->venue);
  adw_preferences_group_set_title (self->summary_group, dates);
  adw_preferences_group_set_description (self->summary_group, about->str);
  g_string_free (about, TRUE);

  td_classes_page_fill_conflicts (self, d->conflicts);

  for (guint i = 0; i < d->sessions->len; i++)
    {
      const TdSessionSummary *s = g_ptr_array_index (d->sessions, i);
      g_autofree char *when = g_strdup_printf ("%s %s–%s", s->held_on, s->starts_at, s->ends_at);
      g_autofree char *h = td_classes_page_format_hours (s->hours);
      GString *sub = g_string_new (NULL);
      GtkWidget *row, *delete;

      /* Translators: a session's hours */
      g_string_append_printf (sub, _("%s h"), h);
      if (s->venue[0] != '\0')
        g_string_append_printf (sub, " · %s", s->venue);
      if (s->trainers[0] != '\0')
        g_string_append_printf (sub, " · %s", s->trainers);
      row = td_classes_page_add_detail_row (self, self->sessions_group, when, sub->str);
      g_string_free (sub, TRUE);
      /* Enter edits it; its button deletes it (asked first, then Undo). */
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", s->uuid);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "classes.edit-session");
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      delete = gtk_button_new_from_icon_name ("user-trash-symbolic");
      gtk_widget_set_valign (delete, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (delete, "flat");
      gtk_widget_set_tooltip_text (delete, _("Delete This Session"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (delete), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Delete This Session"), -1);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (delete), "s", s->uuid);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (delete), "classes.delete-session");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), delete);
    }
  adw_preferences_group_set_description (self->sessions_group,
                                         d->sessions->len == 0 ? _("No sessions yet.") : NULL);

  /* Translators: the class's completion rule: "80", "8" */
  rule = g_strdup_printf (_("A trainee completes the class who attends at least %s %% of its %s planned hours."),
                          percent, hours);
  adw_preferences_group_set_description (self->roster_group, rule);
  for (guint i = 0; i < d->roster->len; i++)
    {
      const TdRosterEntry *e = g_ptr_array_index (d->roster, i);
      g_autofree char *attended = td_classes_page_format_hours (e->attended_hours);
      g_autofree char *subtitle = NULL;
      g_autofree char *outcome = NULL;
      GString *who = g_string_new (NULL);
      GtkWidget *row, *state;

      /* Translators: a masked ID number */
      g_string_append_printf (who, _("ID %s"), e->id_number[0] ? e->id_number : _("removed on request"));
      if (e->phone[0] != '\0')
        g_string_append_printf (who, " · %s", e->phone);
      /* Translators: ID and phone, then hours attended of planned */
      subtitle = g_strdup_printf (_("%s · %s of %s h attended"), who->str, attended, hours);
      g_string_free (who, TRUE);
      outcome = td_classes_page_outcome (e);
      if (outcome != NULL)
        {
          g_autofree char *with = g_strdup_printf ("%s\n%s", subtitle, outcome);

          g_free (subtitle);
          subtitle = g_steal_pointer (&with);
        }
      row = td_classes_page_add_detail_row (self, self->roster_group, e->name[0] ? e->name : _("Removed on request"),
                                            subtitle);
      /* Enter opens the trainee's assessment and follow-up. */
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", e->enrolment_uuid);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "classes.edit-outcome");
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      state = gtk_label_new (e->completed ? _("Completed") : _("Not completed"));
      gtk_widget_set_name (state, "completion");
      gtk_widget_add_css_class (state, e->completed ? "success" : "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
    }
  td_attendance_grid_set_class (TD_ATTENDANCE_GRID (self->attendance), d->roster, d->sessions, d->marks);
  gtk_widget_set_visible (GTK_WIDGET (self->attendance_group), d->roster->len > 0 && d->sessions->len > 0);
  if (d->roster->len == 0)
    {
      g_autofree char *none = g_strdup_printf ("%s %s", rule, _("No trainees on the roster yet."));

      adw_preferences_group_set_description (self->roster_group, none);
    }
}

static void
td_classes_page_detail_read_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(TdClassesPage) self = g_weak_ref_get (ref);
  g_autoptr(GError) error = NULL;
  TdClassesPageDetail *d = td_store_read_finish (result, &error);

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&d, td_classes_page_detail_free);
      return;
    }
  self->detail_reading = FALSE;
  if (d == NULL)
    {
      /* Deleted meanwhile: back to the list. */
      g_clear_pointer (&self->detail_uuid, g_free);
      gtk_stack_set_visible_child_name (self->view_stack, "list");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "classes.back", FALSE);
      td_classes_page_actions_update (self);
      if (!g_error_matches (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_NOT_FOUND))
        td_gui_show_error (GTK_WIDGET (self), _("The Class Could Not Be Read"), error);
      return;
    }
  if (self->detail_uuid != NULL && g_str_equal (self->detail_uuid, d->summary->uuid))
    td_classes_page_fill_detail (self, d);
  td_classes_page_detail_free (d);
}

static void
td_classes_page_read_detail (TdClassesPage *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  self->detail_reading = TRUE;
  g_weak_ref_init (ref, self);
  td_store_read_async (self->store, NULL, td_classes_page_read_class, g_strdup (self->detail_uuid), g_free,
                       td_classes_page_detail_free, self->cancellable, td_classes_page_detail_read_cb, ref);
}

/**
 * td_classes_page_show_class:
 *
 * Shows the class's detail, read on a worker.
 */
gboolean
td_classes_page_show_class (TdClassesPage *self,
                            const char    *class_uuid)
{
  g_return_val_if_fail (TD_IS_CLASSES_PAGE (self), FALSE);
  g_return_val_if_fail (class_uuid != NULL, FALSE);

  g_free (self->detail_uuid);
  self->detail_uuid = g_strdup (class_uuid);
  td_classes_page_clear_detail (self);
  gtk_label_set_text (self->detail_title, "");
  gtk_stack_set_visible_child_name (self->view_stack, "detail");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "classes.back", TRUE);
  td_classes_page_actions_update (self);
  td_classes_page_read_detail (self);
  return TRUE;
}

static void
td_classes_page_row_activated_cb (TdClassesPage *self,
                                  GtkListBoxRow *row)
{
  g_assert (TD_IS_CLASSES_PAGE (self));

  td_classes_page_show_class (self, g_object_get_data (G_OBJECT (row), "class-uuid"));
  gtk_widget_grab_focus (GTK_WIDGET (self->detail_page));
}

/* Actions */

static void
td_classes_page_saved_cb (TdClassesPage *self,
                          const char    *uuid,
                          const char    *ends_on)
{
  g_assert (TD_IS_CLASSES_PAGE (self));

  /* The year the new class counts in. */
  self->year = (int)g_ascii_strtoll (ends_on, NULL, 10);
  td_classes_page_refresh (self);
  td_gui_toast (self->toast_overlay, _("Class added"), 4);
}

static void
td_classes_page_add_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  TdClassesPage *self = TD_CLASSES_PAGE (widget);
  TdClassEditor *editor = td_class_editor_new (self->store, GTK_WINDOW (gtk_widget_get_root (widget)));

  g_signal_connect_object (editor, "saved", G_CALLBACK (td_classes_page_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
td_classes_page_search_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  TdClassesPage *self = TD_CLASSES_PAGE (widget);

  gtk_stack_set_visible_child_name (self->view_stack, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
td_classes_page_back_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  TdClassesPage *self = TD_CLASSES_PAGE (widget);

  g_clear_pointer (&self->detail_uuid, g_free);
  gtk_stack_set_visible_child_name (self->view_stack, "list");
  /* Alt+← is the window's (back to the sidebar) on the list. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "classes.back", FALSE);
  td_classes_page_actions_update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_box));
}

typedef struct
{
  GWeakRef  page;
  char     *uuid;
} TdClassesPageDelete;

static void
td_classes_page_delete_response_cb (AdwMessageDialog *dialog,
                                    const char       *response,
                                    gpointer          user_data)
{
  TdClassesPageDelete *del = user_data;
  g_autoptr(TdClassesPage) self = g_weak_ref_get (&del->page);
  g_autoptr(GError) error = NULL;

  if (self != NULL && g_strcmp0 (response, "delete") == 0)
    {
      if (!td_class_delete (self->store, del->uuid, &error))
        td_gui_show_error (GTK_WIDGET (self), _("The Class Could Not Be Deleted"), error);
      else
        {
          if (g_strcmp0 (self->detail_uuid, del->uuid) == 0)
            td_classes_page_back_action (GTK_WIDGET (self), NULL, NULL);
          td_gui_toast (self->toast_overlay, _("Class deleted"), 4);
        }
    }
  g_weak_ref_clear (&del->page);
  g_free (del->uuid);
  g_free (del);
}

/* The class shown, or the list's focused row's. */
const char *
td_classes_page_current_uuid (TdClassesPage *self)
{
  GtkWidget *focus;

  if (self->detail_uuid != NULL)
    return self->detail_uuid;
  focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));
  if (focus != NULL && !GTK_IS_LIST_BOX_ROW (focus))
    focus = gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW);
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_box)))
    return g_object_get_data (G_OBJECT (focus), "class-uuid");
  return NULL;
}

static const TdClassSummary *
td_classes_page_find (TdClassesPage *self,
                      const char    *uuid)
{
  for (guint i = 0; self->classes != NULL && i < self->classes->len; i++)
    if (g_str_equal (((TdClassSummary *)g_ptr_array_index (self->classes, i))->uuid, uuid))
      return g_ptr_array_index (self->classes, i);
  return NULL;
}

static void
td_classes_page_delete_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  TdClassesPage *self = TD_CLASSES_PAGE (widget);
  const char *uuid = td_classes_page_current_uuid (self);
  const TdClassSummary *c;
  TdClassesPageDelete *del;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  /* Delete on a session's row deletes the session, not its class. */
  if (focus != NULL && !GTK_IS_LIST_BOX_ROW (focus))
    focus = gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW);
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->sessions_group)) &&
      gtk_actionable_get_action_target_value (GTK_ACTIONABLE (focus)) != NULL)
    {
      gtk_widget_activate_action_variant (widget, "classes.delete-session",
                                          gtk_actionable_get_action_target_value (GTK_ACTIONABLE (focus)));
      return;
    }
  if (uuid == NULL)
    return;
  c = td_classes_page_find (self, uuid);
  /* Translators: a class's name */
  heading = g_strdup_printf (_("Delete “%s”?"), c != NULL ? c->name : gtk_label_get_text (self->detail_title));
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Its sessions, its roster of %lld trainee and their attendance go with it. "
                                       "This cannot be undone.",
                                       "Its sessions, its roster of %lld trainees and their attendance go with it. "
                                       "This cannot be undone.",
                                       c != NULL ? c->enrolled : 0),
                          (long long)(c != NULL ? c->enrolled : 0));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  del = g_new0 (TdClassesPageDelete, 1);
  g_weak_ref_init (&del->page, self);
  del->uuid = g_strdup (uuid);
  g_signal_connect (dialog, "response", G_CALLBACK (td_classes_page_delete_response_cb), del);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The object */

static void
td_classes_page_dispose (GObject *object)
{
  TdClassesPage *self = TD_CLASSES_PAGE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  td_classes_page_actions_dispose (self);
  /* No gtk_widget_dispose_template (): AdwBin unparents its child. */

  G_OBJECT_CLASS (td_classes_page_parent_class)->dispose (object);
}

static void
td_classes_page_finalize (GObject *object)
{
  TdClassesPage *self = TD_CLASSES_PAGE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->years, g_array_unref);
  g_clear_pointer (&self->classes, g_ptr_array_unref);
  g_clear_pointer (&self->detail_rows, g_ptr_array_unref);
  g_free (self->detail_uuid);

  G_OBJECT_CLASS (td_classes_page_parent_class)->finalize (object);
}

static void
td_classes_page_class_init (TdClassesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_classes_page_dispose;
  object_class->finalize = td_classes_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-classes-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TdClassesPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdClassesPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TdClassesPage, year_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdClassesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TdClassesPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TdClassesPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, TdClassesPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, TdClassesPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, TdClassesPage, detail_page);
  gtk_widget_class_bind_template_child (widget_class, TdClassesPage, summary_group);
  gtk_widget_class_bind_template_child (widget_class, TdClassesPage, conflicts_group);
  gtk_widget_class_bind_template_child (widget_class, TdClassesPage, sessions_group);
  gtk_widget_class_bind_template_child (widget_class, TdClassesPage, roster_group);
  gtk_widget_class_bind_template_child (widget_class, TdClassesPage, attendance_group);
  gtk_widget_class_bind_template_child (widget_class, TdClassesPage, attendance_scroller);
  gtk_widget_class_bind_template_callback (widget_class, td_classes_page_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, td_classes_page_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "classes.add", NULL, td_classes_page_add_action);
  gtk_widget_class_install_action (widget_class, "classes.search", NULL, td_classes_page_search_action);
  gtk_widget_class_install_action (widget_class, "classes.back", NULL, td_classes_page_back_action);
  gtk_widget_class_install_action (widget_class, "classes.delete", NULL, td_classes_page_delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "classes.add", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "classes.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "classes.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "classes.delete", NULL);
  td_classes_page_actions_class_init (widget_class);
}

static void
td_classes_page_init (TdClassesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->detail_rows = g_ptr_array_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "classes.back", FALSE);
  td_classes_page_actions_update (self);
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_group), FALSE);
  g_signal_connect_object (self->year_dropdown, "notify::selected", G_CALLBACK (td_classes_page_year_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

/**
 * td_classes_page_new:
 *
 * A view of @session's classes: it reads and writes through the
 * session's store.
 */
GtkWidget *
td_classes_page_new (TdSession *session)
{
  TdClassesPage *self;
  TdStore *store;

  g_return_val_if_fail (TD_IS_SESSION (session), NULL);

  self = g_object_new (TD_TYPE_CLASSES_PAGE, NULL);
  self->session = g_object_ref (session);
  store = td_session_get_store (session);
  self->store = g_object_ref (store);
  self->attendance = td_attendance_grid_new (store);
  gtk_scrolled_window_set_child (self->attendance_scroller, self->attendance);
  g_signal_connect_object (store, "changed", G_CALLBACK (td_classes_page_store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  td_classes_page_refresh (self);
  return GTK_WIDGET (self);
}

/* For the tests */

gboolean
td_classes_page_is_busy (TdClassesPage *self)
{
  g_return_val_if_fail (TD_IS_CLASSES_PAGE (self), FALSE);

  return self->reading || self->detail_reading || self->refresh_id != 0 || self->importing;
}

guint
td_classes_page_get_n_shown (TdClassesPage *self)
{
  g_return_val_if_fail (TD_IS_CLASSES_PAGE (self), 0);

  return self->n_shown;
}

GtkWidget *
td_classes_page_get_row (TdClassesPage *self,
                         guint          index)
{
  g_return_val_if_fail (TD_IS_CLASSES_PAGE (self), NULL);

  return GTK_WIDGET (gtk_list_box_get_row_at_index (self->list_box, index));
}

/* "list", "empty", "no-results" or "detail" */
const char *
td_classes_page_get_view (TdClassesPage *self)
{
  g_return_val_if_fail (TD_IS_CLASSES_PAGE (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "detail") == 0)
    return "detail";
  return gtk_stack_get_visible_child_name (self->content_stack);
}

int
td_classes_page_get_year (TdClassesPage *self)
{
  g_return_val_if_fail (TD_IS_CLASSES_PAGE (self), 0);

  return self->year;
}

/* The detail's "summary", "conflicts", "sessions" or "roster" group, or
 * its "attendance" grid. */
GtkWidget *
td_classes_page_get_group (TdClassesPage *self,
                           const char    *name)
{
  g_return_val_if_fail (TD_IS_CLASSES_PAGE (self), NULL);

  if (g_str_equal (name, "summary"))
    return GTK_WIDGET (self->summary_group);
  if (g_str_equal (name, "conflicts"))
    return GTK_WIDGET (self->conflicts_group);
  if (g_str_equal (name, "sessions"))
    return GTK_WIDGET (self->sessions_group);
  if (g_str_equal (name, "attendance"))
    return self->attendance;
  return GTK_WIDGET (self->roster_group);
}
