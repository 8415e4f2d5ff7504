/* td-record-editor.c: add or edit one record, any kind
 *
 * The rows are built from the kind's field table (td-record-kind.c), one
 * per field, the widget chosen by the field's type. Each change is judged
 * at once with td_field_parse(), and the whole record with
 * td_record_list_parse() for the rules between fields; the reason shows
 * under the field, as on the school page, and Save is enabled only when
 * everything is valid. Nothing is written before Save.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-record-editor"

#include "config.h"

#include "td-field-message.h"

#include <glib/gi18n.h>
#include <string.h>

#include "td-record-editor-private.h"
#include "td-validate.h"

typedef struct
{
  TdRecordEditor *editor;
  guint           index;
  const TdField  *field;
  GtkWidget      *row;
  GtkWidget      *message_row;
  GtkLabel       *message;
  GtkTextBuffer  *buffer;    /* MULTILINE */
  GtkSwitch      *toggle;    /* BOOLEAN */
  GPtrArray      *checks;    /* CHOICE_SET: a GtkCheckButton per choice */
  GPtrArray      *values;    /* CHOICE, REFERENCE: the input each item stands for */
  gboolean        touched;   /* changed by the user: its message may show */
  gboolean        valid;
} Field;

struct _TdRecordEditor
{
  AdwWindow            parent_instance;

  TdSession           *session;
  const TdRecordKind  *kind;
  TdRecordList        *list;     /* the session's of the kind */
  TdRecord            *record;   /* NULL: a new one */

  AdwWindowTitle      *window_title;
  GtkWidget           *save_button;
  AdwPreferencesPage  *preferences_page;
  AdwPreferencesGroup *group;

  Field               *fields;
  guint                n_fields;
  /* Where a refusal not tied to one field is said. */
  Field                form;
  guint                filling;
  gboolean             can_save;
};

G_DEFINE_FINAL_TYPE (TdRecordEditor, td_record_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_KIND_ID,
  PROP_RECORD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * td_record_editor_new:
 * @session: the open database: the list of @kind_id and those its
 *   fields refer to are the session's
 * @kind_id: the kind of td_record_kinds() edited
 * @record: (nullable): the record to edit, or %NULL to add one
 */
TdRecordEditor *
td_record_editor_new (GtkWindow  *parent,
                      TdSession  *session,
                      const char *kind_id,
                      TdRecord   *record)
{
  g_return_val_if_fail (TD_IS_SESSION (session), NULL);
  g_return_val_if_fail (td_record_kind_lookup (kind_id) != NULL, NULL);

  return g_object_new (TD_TYPE_RECORD_EDITOR,
                       "transient-for", parent,
                       "session", session,
                       "kind-id", kind_id,
                       "record", record,
                       NULL);
}

TdRecordList *
td_record_editor_get_list (TdRecordEditor *self)
{
  g_return_val_if_fail (TD_IS_RECORD_EDITOR (self), NULL);

  return self->list;
}

TdRecord *
td_record_editor_get_record (TdRecordEditor *self)
{
  g_return_val_if_fail (TD_IS_RECORD_EDITOR (self), NULL);

  return self->record;
}

/* What the row holds, as td_field_parse() reads it. */
static char *
td_record_editor_field_input (Field *f)
{
  switch (f->field->type)
    {
    case TD_FIELD_MULTILINE:
      {
        GtkTextIter start, end;

        gtk_text_buffer_get_bounds (f->buffer, &start, &end);
        return gtk_text_buffer_get_text (f->buffer, &start, &end, FALSE);
      }

    case TD_FIELD_BOOLEAN:
      return g_strdup (gtk_switch_get_active (f->toggle) ? "1" : "0");

    case TD_FIELD_CHOICE:
    case TD_FIELD_REFERENCE:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (f->row));

        if (selected >= f->values->len)
          return g_strdup ("");
        return g_strdup (g_ptr_array_index (f->values, selected));
      }

    case TD_FIELD_CHOICE_SET:
      {
        g_autoptr(GString) s = g_string_new (NULL);

        for (guint i = 0; i < f->checks->len; i++)
          if (gtk_check_button_get_active (g_ptr_array_index (f->checks, i)))
            g_string_append_printf (s, "%s%s", s->len ? "," : "", f->field->choices[i].id);
        return g_string_free (g_steal_pointer (&s), FALSE);
      }

    case TD_FIELD_TEXT:
    case TD_FIELD_INTEGER:
    case TD_FIELD_NUMBER:
    case TD_FIELD_DATE:
    case TD_FIELD_TEACHING:
    default:
      return g_strdup (gtk_editable_get_text (GTK_EDITABLE (f->row)));
    }
}

static void
td_record_editor_set_message (Field      *f,
                              const char *message)
{
  td_field_message_show (f->row, f->message_row, f->message, message);
}

static gint64
td_record_editor_resolve_cb (const char  *kind_id,
                             const char  *name,
                             gpointer     user_data,
                             GError     **error)
{
  TdRecordEditor *self = user_data;
  TdRecordList *other = td_session_get_records (self->session, kind_id, error);
  gint64 id;

  if (other == NULL)
    return 0;
  id = td_record_list_id_of (other, name);
  if (id == 0)
    g_set_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_UNKNOWN_CODE,
                 /* Translators: “%s” is a name; then the kind, e.g. "Venues" */
                 _("There is no “%s” among the %s. Add it there first."),
                 name, g_dgettext (GETTEXT_PACKAGE, td_record_list_get_kind (other)->title));
  return id;
}

static char **
td_record_editor_collect_inputs (TdRecordEditor *self)
{
  char **inputs = g_new0 (char *, self->n_fields + 1);

  for (guint i = 0; i < self->n_fields; i++)
    inputs[i] = td_record_editor_field_input (&self->fields[i]);
  return inputs;
}

static void
td_record_editor_actions_update (TdRecordEditor *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->can_save);
}

/* Judges every field, then the record as a whole; shows the reasons of
 * the fields the user has touched. */
static void
td_record_editor_validate (TdRecordEditor *self)
{
  g_auto(GStrv) inputs = td_record_editor_collect_inputs (self);
  gboolean all_valid = TRUE;

  for (guint i = 0; i < self->n_fields; i++)
    {
      Field *f = &self->fields[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *stored = NULL;

      f->valid = td_field_parse (f->field, inputs[i], td_record_editor_resolve_cb, self, &stored, &error);
      all_valid &= f->valid;
      td_record_editor_set_message (f, !f->valid && f->touched ? error->message : NULL);
    }

  if (all_valid)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) stored = NULL;
      int bad = -1;

      stored = td_record_list_parse (self->list, (const char * const *)inputs, &bad, &error);
      if (stored == NULL)
        {
          all_valid = FALSE;
          /* A rule between fields (more certificates than participants):
           * said under the field it names, touched or not. */
          if (bad >= 0 && (guint)bad < self->n_fields)
            td_record_editor_set_message (&self->fields[bad], error->message);
          else
            td_record_editor_set_message (&self->form, error->message);
        }
    }

  self->can_save = all_valid;
  td_record_editor_actions_update (self);
}

static void
td_record_editor_field_changed (Field *f)
{
  TdRecordEditor *self = f->editor;

  if (self->filling)
    return;
  f->touched = TRUE;
  td_record_editor_set_message (&self->form, NULL);
  td_record_editor_validate (self);
}

static void
td_record_editor_entry_changed_cb (GtkEditable *editable,
                                   Field       *f)
{
  td_record_editor_field_changed (f);
}

static void
td_record_editor_buffer_changed_cb (GtkTextBuffer *buffer,
                                    Field         *f)
{
  td_record_editor_field_changed (f);
}

static void
td_record_editor_notify_changed_cb (GObject    *object,
                                    GParamSpec *pspec,
                                    Field      *f)
{
  td_record_editor_field_changed (f);
}

static void
td_record_editor_update_choice_set_subtitle (Field *f)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < f->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (f->checks, i)))
      /* Translators: between the chosen items of a list */
      g_string_append_printf (s, "%s%s", s->len ? _(", ") : "",
                              g_dgettext (GETTEXT_PACKAGE, f->field->choices[i].label));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (f->row), s->len ? s->str : _("None chosen"));
}

static void
td_record_editor_check_toggled_cb (GtkCheckButton *check,
                                   Field          *f)
{
  td_record_editor_update_choice_set_subtitle (f);
  td_record_editor_field_changed (f);
}

static guint
td_record_editor_index_of_value (Field      *f,
                                 const char *value)
{
  for (guint i = 0; i < f->values->len; i++)
    if (g_strcmp0 (g_ptr_array_index (f->values, i), value) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

/* Shows @text in the row of @f, written as a person or a file would: a
 * choice by its id, label or Chinese name, a reference by its name. */
static void
td_record_editor_fill_field (Field      *f,
                             const char *text)
{
  if (text == NULL)
    text = "";

  switch (f->field->type)
    {
    case TD_FIELD_MULTILINE:
      gtk_text_buffer_set_text (f->buffer, text, -1);
      break;

    case TD_FIELD_BOOLEAN:
      {
        g_autofree char *stored = NULL;

        gtk_switch_set_active (f->toggle, td_field_parse (f->field, text, NULL, NULL, &stored, NULL) &&
                                          g_strcmp0 (stored, "1") == 0);
      }
      break;

    case TD_FIELD_CHOICE:
      {
        const TdChoice *choice = td_field_find_choice (f->field, text);
        guint position = td_record_editor_index_of_value (f, choice ? choice->id : "");

        if (position == GTK_INVALID_LIST_POSITION)
          position = 0;
        adw_combo_row_set_selected (ADW_COMBO_ROW (f->row), position);
      }
      break;

    case TD_FIELD_REFERENCE:
      {
        guint position = td_record_editor_index_of_value (f, text);

        adw_combo_row_set_selected (ADW_COMBO_ROW (f->row),
                                    position == GTK_INVALID_LIST_POSITION ? 0 : position);
      }
      break;

    case TD_FIELD_CHOICE_SET:
      {
        /* The field's own reading: ids, labels, Chinese names, JSON. */
        g_autofree char *stored = NULL;

        if (!td_field_parse (f->field, text, NULL, NULL, &stored, NULL))
          stored = g_strdup ("[]");
        for (guint i = 0; i < f->checks->len; i++)
          {
            g_autofree char *quoted = g_strdup_printf ("\"%s\"", f->field->choices[i].id);

            gtk_check_button_set_active (g_ptr_array_index (f->checks, i), strstr (stored, quoted) != NULL);
          }
        td_record_editor_update_choice_set_subtitle (f);
      }
      break;

    case TD_FIELD_TEXT:
    case TD_FIELD_INTEGER:
    case TD_FIELD_NUMBER:
    case TD_FIELD_DATE:
    case TD_FIELD_TEACHING:
    default:
      gtk_editable_set_text (GTK_EDITABLE (f->row), text);
      break;
    }
}

static char *
td_record_editor_field_title (const TdField *field)
{
  if (field->unit != NULL)
    /* Translators: a field and its unit, e.g. "Unit value (yuan)" */
    return g_strdup_printf (_("%s (%s)"), g_dgettext (GETTEXT_PACKAGE, field->label),
                            g_dgettext (GETTEXT_PACKAGE, field->unit));
  return g_strdup (g_dgettext (GETTEXT_PACKAGE, field->label));
}

static GtkWidget *
td_record_editor_new_hint (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

static GtkWidget *
td_record_editor_create_entry_row (Field *f)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), TRUE);
  switch (f->field->type)
    {
    case TD_FIELD_INTEGER:
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_DIGITS);
      break;
    case TD_FIELD_NUMBER:
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_NUMBER);
      break;
    case TD_FIELD_DATE:
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), td_record_editor_new_hint (_("YYYY-MM-DD")));
      break;
    case TD_FIELD_TEACHING:
      /* Translators: how the trainers of a result and their hours are written */
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), td_record_editor_new_hint (_("name:hours; name:hours")));
      break;
    case TD_FIELD_TEXT:
    case TD_FIELD_MULTILINE:
    case TD_FIELD_BOOLEAN:
    case TD_FIELD_CHOICE:
    case TD_FIELD_CHOICE_SET:
    case TD_FIELD_REFERENCE:
    default:
      break;
    }
  g_signal_connect (row, "changed", G_CALLBACK (td_record_editor_entry_changed_cb), f);
  return row;
}

static GtkWidget *
td_record_editor_create_multiline_row (Field      *f,
                                       const char *title)
{
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *view = gtk_text_view_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_widget_set_size_request (view, -1, 160);
  gtk_widget_add_css_class (view, "record-text");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), view);
  gtk_widget_add_css_class (box, "record-text-box");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (view),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                  -1);

  f->buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  g_signal_connect (f->buffer, "changed", G_CALLBACK (td_record_editor_buffer_changed_cb), f);
  return row;
}

static GtkWidget *
td_record_editor_create_boolean_row (Field *f)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  f->toggle = GTK_SWITCH (toggle);
  g_signal_connect (toggle, "notify::active", G_CALLBACK (td_record_editor_notify_changed_cb), f);
  return row;
}

static GtkWidget *
td_record_editor_create_choice_row (Field *f)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) items = gtk_string_list_new (NULL);
  gboolean long_labels = FALSE;

  f->values = g_ptr_array_new_with_free_func (g_free);
  /* Left empty, a field with a fallback takes it: nothing to "not choose". */
  if (!(f->field->flags & TD_FIELD_REQUIRED) && f->field->fallback == NULL)
    {
      gtk_string_list_append (items, _("Not chosen"));
      g_ptr_array_add (f->values, g_strdup (""));
    }
  for (const TdChoice *c = f->field->choices; c->id; c++)
    {
      const char *label = g_dgettext (GETTEXT_PACKAGE, c->label);

      gtk_string_list_append (items, label);
      g_ptr_array_add (f->values, g_strdup (c->id));
      long_labels |= g_utf8_strlen (label, -1) > 16;
    }
  /* Long names (the form's categories) are shown whole under the title. */
  adw_combo_row_set_use_subtitle (ADW_COMBO_ROW (row), long_labels);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (items));
  if (f->field->fallback != NULL)
    adw_combo_row_set_selected (ADW_COMBO_ROW (row), td_record_editor_index_of_value (f, f->field->fallback));
  g_signal_connect (row, "notify::selected", G_CALLBACK (td_record_editor_notify_changed_cb), f);
  return row;
}

static int
td_record_editor_compare_names (gconstpointer a,
                                gconstpointer b)
{
  return g_utf8_collate (*(const char * const *)a, *(const char * const *)b);
}

static GtkWidget *
td_record_editor_create_reference_row (Field *f)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) items = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  TdRecordList *other = td_session_get_records (f->editor->session, f->field->reference, &error);
  const TdRecordKind *kind = td_record_kind_lookup (f->field->reference);
  int name = td_record_kind_field_index (kind, kind->name_column);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (other == NULL)
    g_warning ("Could not read the %s: %s", f->field->reference, error->message);

  for (guint i = 0; other && i < g_list_model_get_n_items (G_LIST_MODEL (other)); i++)
    {
      g_autoptr(TdRecord) record = g_list_model_get_item (G_LIST_MODEL (other), i);
      const char *text = td_record_get (record, name);

      /* Records that share a name are one choice; saving says to rename them. */
      if (g_hash_table_add (seen, (gpointer)text))
        g_ptr_array_add (names, (gpointer)text);
    }
  g_ptr_array_sort (names, td_record_editor_compare_names);

  f->values = g_ptr_array_new_with_free_func (g_free);
  gtk_string_list_append (items, _("None"));
  g_ptr_array_add (f->values, g_strdup (""));
  for (guint i = 0; i < names->len; i++)
    {
      gtk_string_list_append (items, g_ptr_array_index (names, i));
      g_ptr_array_add (f->values, g_strdup (g_ptr_array_index (names, i)));
    }
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (items));
  g_signal_connect (row, "notify::selected", G_CALLBACK (td_record_editor_notify_changed_cb), f);
  return row;
}

static GtkWidget *
td_record_editor_create_choice_set_row (Field *f)
{
  GtkWidget *row = adw_expander_row_new ();

  f->checks = g_ptr_array_new ();
  for (const TdChoice *c = f->field->choices; c->id; c++)
    {
      GtkWidget *item = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (item), g_dgettext (GETTEXT_PACKAGE, c->label));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (item), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (item), check);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), item);
      g_ptr_array_add (f->checks, check);
      g_signal_connect (check, "toggled", G_CALLBACK (td_record_editor_check_toggled_cb), f);
    }
  f->row = row;
  td_record_editor_update_choice_set_subtitle (f);
  return row;
}

static GtkWidget *
td_record_editor_create_message_row (Field *f)
{
  f->message_row = td_field_message_new (&f->message);
  return f->message_row;
}

static GtkWidget *
td_record_editor_create_row (Field *f)
{
  g_autofree char *title = td_record_editor_field_title (f->field);
  GtkWidget *row;

  switch (f->field->type)
    {
    case TD_FIELD_MULTILINE:
      row = td_record_editor_create_multiline_row (f, title);
      break;
    case TD_FIELD_BOOLEAN:
      row = td_record_editor_create_boolean_row (f);
      break;
    case TD_FIELD_CHOICE:
      row = td_record_editor_create_choice_row (f);
      break;
    case TD_FIELD_CHOICE_SET:
      row = td_record_editor_create_choice_set_row (f);
      break;
    case TD_FIELD_REFERENCE:
      row = td_record_editor_create_reference_row (f);
      break;
    case TD_FIELD_TEXT:
    case TD_FIELD_INTEGER:
    case TD_FIELD_NUMBER:
    case TD_FIELD_DATE:
    case TD_FIELD_TEACHING:
    default:
      row = td_record_editor_create_entry_row (f);
      break;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  return row;
}

static const char *
td_record_editor_kind_title (const TdRecordKind *kind,
                             gboolean            editing)
{
  const char *title = editing ? kind->edit_title : kind->new_title;

  return g_dgettext (GETTEXT_PACKAGE, title != NULL ? title : kind->singular);
}

static void
td_record_editor_save_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  TdRecordEditor *self = TD_RECORD_EDITOR (widget);
  g_auto(GStrv) inputs = td_record_editor_collect_inputs (self);
  g_autoptr(GError) error = NULL;
  TdRecord *record = self->record;
  int bad = -1;
  gboolean saved;

  if (!self->can_save)
    return;

  if (record != NULL)
    saved = td_record_list_update (self->list, record, (const char * const *)inputs, &bad, &error);
  else
    saved = (record = td_record_list_add (self->list, (const char * const *)inputs, &bad, &error)) != NULL;

  if (!saved)
    {
      /* Refused: said where it belongs, and the dialog stays. */
      if (bad >= 0 && (guint)bad < self->n_fields)
        {
          self->fields[bad].touched = TRUE;
          td_record_editor_set_message (&self->fields[bad], error->message);
          gtk_widget_grab_focus (self->fields[bad].row);
        }
      else
        td_record_editor_set_message (&self->form, error->message);
      self->can_save = FALSE;
      td_record_editor_actions_update (self);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, record);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
td_record_editor_cancel_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
td_record_editor_constructed (GObject *object)
{
  TdRecordEditor *self = TD_RECORD_EDITOR (object);
  const TdRecordKind *kind;
  const char *title;

  G_OBJECT_CLASS (td_record_editor_parent_class)->constructed (object);

  g_return_if_fail (TD_IS_SESSION (self->session));
  g_return_if_fail (self->kind != NULL);

  /* The page that opens the editor has read the list already. */
  if ((self->list = td_session_get_records (self->session, self->kind->id, NULL)) != NULL)
    g_object_ref (self->list);
  g_return_if_fail (TD_IS_RECORD_LIST (self->list));

  kind = self->kind;
  title = td_record_editor_kind_title (kind, self->record != NULL);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  if (self->record != NULL)
    {
      int name = td_record_kind_field_index (kind, kind->name_column);
      g_autofree char *shown = td_record_list_display (self->list, self->record, name);

      adw_window_title_set_subtitle (self->window_title, shown);
    }

  /* Refusals of the whole record (a database rule) go first. */
  adw_preferences_group_add (self->group, td_record_editor_create_message_row (&self->form));

  self->n_fields = kind->n_fields;
  self->fields = g_new0 (Field, kind->n_fields);
  self->filling++;
  for (guint i = 0; i < kind->n_fields; i++)
    {
      Field *f = &self->fields[i];

      f->editor = self;
      f->index = i;
      f->field = &kind->fields[i];
      f->row = td_record_editor_create_row (f);
      adw_preferences_group_add (self->group, f->row);
      adw_preferences_group_add (self->group, td_record_editor_create_message_row (f));
      if (self->record != NULL)
        {
          /* As files hold it: names for references and trainers, which
           * read back as the same values. */
          g_autofree char *text = td_record_list_export (self->list, self->record, i);

          td_record_editor_fill_field (f, text);
        }
    }
  self->filling--;

  gtk_window_set_default_widget (GTK_WINDOW (self), self->save_button);
  td_record_editor_validate (self);
  if (self->n_fields > 0)
    gtk_widget_grab_focus (self->fields[0].row);
}

static void
td_record_editor_dispose (GObject *object)
{
  TdRecordEditor *self = TD_RECORD_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_RECORD_EDITOR);

  G_OBJECT_CLASS (td_record_editor_parent_class)->dispose (object);
}

static void
td_record_editor_finalize (GObject *object)
{
  TdRecordEditor *self = TD_RECORD_EDITOR (object);

  for (guint i = 0; i < self->n_fields; i++)
    {
      g_clear_pointer (&self->fields[i].checks, g_ptr_array_unref);
      g_clear_pointer (&self->fields[i].values, g_ptr_array_unref);
    }
  g_clear_pointer (&self->fields, g_free);
  g_clear_object (&self->record);
  g_clear_object (&self->list);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (td_record_editor_parent_class)->finalize (object);
}

static void
td_record_editor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TdRecordEditor *self = TD_RECORD_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_KIND_ID:
      g_value_set_string (value, self->kind != NULL ? self->kind->id : NULL);
      break;
    case PROP_RECORD:
      g_value_set_object (value, self->record);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_record_editor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TdRecordEditor *self = TD_RECORD_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_KIND_ID:
      /* The kinds are a static table: an entry, not a copy of its id. */
      self->kind = td_record_kind_lookup (g_value_get_string (value));
      break;
    case PROP_RECORD:
      self->record = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_record_editor_class_init (TdRecordEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = td_record_editor_constructed;
  object_class->dispose = td_record_editor_dispose;
  object_class->finalize = td_record_editor_finalize;
  object_class->get_property = td_record_editor_get_property;
  object_class->set_property = td_record_editor_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND_ID] =
    g_param_spec_string ("kind-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORD] =
    g_param_spec_object ("record", NULL, NULL,
                         TD_TYPE_RECORD,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TdRecordEditor::saved:
   * @record: the record added or changed
   *
   * Emitted once the record is written, just before the dialog closes.
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TD_TYPE_RECORD);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-record-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TdRecordEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, TdRecordEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, TdRecordEditor, preferences_page);
  gtk_widget_class_bind_template_child (widget_class, TdRecordEditor, group);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, td_record_editor_save_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, td_record_editor_cancel_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
td_record_editor_init (TdRecordEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->form.editor = self;
}

/* For tests: type @text into the row of @field, as a person would. */
void
td_record_editor_set_text (TdRecordEditor *self,
                           guint           field,
                           const char     *text)
{
  g_return_if_fail (TD_IS_RECORD_EDITOR (self));
  g_return_if_fail (field < self->n_fields);

  td_record_editor_fill_field (&self->fields[field], text);
  /* Widgets that did not change emit nothing: judged all the same. */
  td_record_editor_field_changed (&self->fields[field]);
}

char *
td_record_editor_get_input (TdRecordEditor *self,
                            guint           field)
{
  g_return_val_if_fail (TD_IS_RECORD_EDITOR (self), NULL);
  g_return_val_if_fail (field < self->n_fields, NULL);

  return td_record_editor_field_input (&self->fields[field]);
}

GtkWidget *
td_record_editor_get_row (TdRecordEditor *self,
                          guint           field)
{
  g_return_val_if_fail (TD_IS_RECORD_EDITOR (self), NULL);
  g_return_val_if_fail (field < self->n_fields, NULL);

  return self->fields[field].row;
}

const char *
td_record_editor_get_message (TdRecordEditor *self,
                              guint           field)
{
  g_return_val_if_fail (TD_IS_RECORD_EDITOR (self), NULL);
  g_return_val_if_fail (field < self->n_fields, NULL);

  if (!gtk_widget_get_visible (self->fields[field].message_row))
    return NULL;
  return gtk_label_get_text (self->fields[field].message);
}

gboolean
td_record_editor_get_can_save (TdRecordEditor *self)
{
  g_return_val_if_fail (TD_IS_RECORD_EDITOR (self), FALSE);

  return self->can_save && gtk_widget_get_sensitive (self->save_button);
}
