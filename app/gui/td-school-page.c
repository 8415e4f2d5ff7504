/* td-school-page.c: the school profile, as the intent form needs it
 *
 * Each field is judged as it is typed, with the reason shown under it, and
 * saved by itself a moment after it becomes valid: there is no Save button,
 * and an invalid value is never written. The rows are built from a table,
 * one per field of TdSchool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-school-page"

#include "config.h"

#include <glib/gi18n.h>

#include "td-divisions.h"
#include "td-field-message.h"
#include "td-school-page-private.h"

/* How long typing must pause before a valid field is written. */
#define SAVE_DELAY_MS 400

typedef enum
{
  ROW_ENTRY,
  ROW_SCHOOL_TYPE,
  ROW_CITY,
  ROW_COUNTY,
} RowKind;

static const struct {
  const char      *title;
  RowKind          kind;
  guint            group;
  GtkInputPurpose  purpose;
} rows[TD_SCHOOL_N_FIELDS] = {
  [TD_SCHOOL_NAME]                 = { N_("Full official name"), ROW_ENTRY, 0, GTK_INPUT_PURPOSE_FREE_FORM },
  [TD_SCHOOL_AUTHORITY]            = { N_("Supervising authority"), ROW_ENTRY, 0, GTK_INPUT_PURPOSE_FREE_FORM },
  [TD_SCHOOL_TYPE]                 = { N_("Type of school"), ROW_SCHOOL_TYPE, 0, 0 },
  [TD_SCHOOL_LEGAL_REPRESENTATIVE] = { N_("Legal representative"), ROW_ENTRY, 0, GTK_INPUT_PURPOSE_NAME },
  [TD_SCHOOL_CITY]                 = { N_("City"), ROW_CITY, 1, 0 },
  [TD_SCHOOL_COUNTY]               = { N_("County or district"), ROW_COUNTY, 1, 0 },
  [TD_SCHOOL_STREET]               = { N_("Street and number"), ROW_ENTRY, 1, GTK_INPUT_PURPOSE_FREE_FORM },
  [TD_SCHOOL_POSTAL_CODE]          = { N_("Postal code"), ROW_ENTRY, 1, GTK_INPUT_PURPOSE_DIGITS },
  [TD_SCHOOL_CONTACT_NAME]         = { N_("Contact person"), ROW_ENTRY, 2, GTK_INPUT_PURPOSE_NAME },
  [TD_SCHOOL_PHONE]                = { N_("Phone"), ROW_ENTRY, 2, GTK_INPUT_PURPOSE_PHONE },
  [TD_SCHOOL_EMAIL]                = { N_("E-mail (optional)"), ROW_ENTRY, 2, GTK_INPUT_PURPOSE_EMAIL },
};

typedef struct
{
  TdSchoolPage  *page;
  TdSchoolField  field;
  GtkWidget     *row;
  GtkWidget     *message_row;
  GtkLabel      *message;
  guint          save_id;
} Field;

struct _TdSchoolPage
{
  AdwBin               parent_instance;

  TdSchool            *school;

  AdwPreferencesGroup *school_group;
  AdwPreferencesGroup *address_group;
  AdwPreferencesGroup *contact_group;

  Field                fields[TD_SCHOOL_N_FIELDS];
  /* The codes behind the city and county choices; item 0 is "not chosen". */
  GPtrArray           *city_codes;
  GPtrArray           *county_codes;
  guint                updating;
  guint                advance_id;
};

G_DEFINE_FINAL_TYPE (TdSchoolPage, td_school_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SCHOOL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
td_school_page_new (TdSchool *school)
{
  return g_object_new (TD_TYPE_SCHOOL_PAGE, "school", school, NULL);
}

GtkWidget *
td_school_page_get_row (TdSchoolPage  *self,
                        TdSchoolField  field)
{
  g_return_val_if_fail (TD_IS_SCHOOL_PAGE (self), NULL);
  g_return_val_if_fail (field < TD_SCHOOL_N_FIELDS, NULL);

  return self->fields[field].row;
}

const char *
td_school_page_get_message (TdSchoolPage  *self,
                            TdSchoolField  field)
{
  g_return_val_if_fail (TD_IS_SCHOOL_PAGE (self), NULL);
  g_return_val_if_fail (field < TD_SCHOOL_N_FIELDS, NULL);

  if (!gtk_widget_get_visible (self->fields[field].message_row))
    return NULL;
  return gtk_label_get_text (self->fields[field].message);
}

static void
td_school_page_set_message (Field      *f,
                            const char *message)
{
  td_field_message_show (f->row, f->message_row, f->message, message);
}

static void
td_school_page_save_field (Field      *f,
                           const char *value)
{
  g_autoptr(GError) error = NULL;

  if (td_school_set (f->page->school, f->field, value, &error))
    td_school_page_set_message (f, NULL);
  else
    td_school_page_set_message (f, error->message);
}

static gboolean
td_school_page_save_timeout_cb (gpointer user_data)
{
  Field *f = user_data;

  f->save_id = 0;
  td_school_page_save_field (f, gtk_editable_get_text (GTK_EDITABLE (f->row)));
  return G_SOURCE_REMOVE;
}

static void
td_school_page_entry_changed_cb (GtkEditable *editable,
                                 Field       *f)
{
  g_autoptr(GError) error = NULL;
  const char *text;

  if (f->page->updating)
    return;

  g_clear_handle_id (&f->save_id, g_source_remove);
  text = gtk_editable_get_text (editable);
  if (!td_school_validate (f->page->school, f->field, text, NULL, &error))
    {
      td_school_page_set_message (f, error->message);
      return;
    }
  td_school_page_set_message (f, NULL);
  f->save_id = g_timeout_add (SAVE_DELAY_MS, td_school_page_save_timeout_cb, f);
}

/* Saves, now, every valid edit still waiting for its pause. */
void
td_school_page_flush (TdSchoolPage *self)
{
  g_return_if_fail (TD_IS_SCHOOL_PAGE (self));

  for (guint i = 0; i < TD_SCHOOL_N_FIELDS; i++)
    {
      Field *f = &self->fields[i];

      if (f->save_id == 0)
        continue;
      g_clear_handle_id (&f->save_id, g_source_remove);
      td_school_page_save_field (f, gtk_editable_get_text (GTK_EDITABLE (f->row)));
    }
}

static GtkStringList *
td_school_page_new_choices (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, _("Not chosen"));
  return list;
}

static guint
td_school_page_index_of_code (GPtrArray  *codes,
                              const char *code)
{
  for (guint i = 1; i < codes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (codes, i), code) == 0)
      return i;
  return 0;
}

/* Refills a division choice with the children of @parent_code. The list
 * is spliced rather than replaced: the row keeps its model. */
static void
td_school_page_fill_divisions (Field      *f,
                               GPtrArray  *codes,
                               const char *parent_code)
{
  GtkStringList *list = GTK_STRING_LIST (adw_combo_row_get_model (ADW_COMBO_ROW (f->row)));
  g_autoptr(GPtrArray) children = td_divisions_children (parent_code);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) additions = NULL;

  g_ptr_array_set_size (codes, 0);
  g_ptr_array_add (codes, (gpointer)"");
  for (guint i = 0; i < children->len; i++)
    {
      const TdDivision *division = g_ptr_array_index (children, i);

      g_strv_builder_add (names, division->name);
      g_ptr_array_add (codes, (gpointer)division->code);
    }
  additions = g_strv_builder_end (names);

  f->page->updating++;
  /* Item 0, "not chosen", stays. */
  gtk_string_list_splice (list, 1, g_list_model_get_n_items (G_LIST_MODEL (list)) - 1,
                          (const char * const *)additions);
  f->page->updating--;
}

static const char *
td_school_page_combo_value (Field *f)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (f->row));
  guint n_types;
  const TdSchoolType *types = td_school_types (&n_types);

  if (selected == GTK_INVALID_LIST_POSITION || selected == 0)
    return "";

  switch (rows[f->field].kind)
    {
    case ROW_SCHOOL_TYPE:
      return selected <= n_types ? types[selected - 1].id : "";
    case ROW_CITY:
      return selected < f->page->city_codes->len ? g_ptr_array_index (f->page->city_codes, selected) : "";
    case ROW_COUNTY:
      return selected < f->page->county_codes->len ? g_ptr_array_index (f->page->county_codes, selected) : "";
    case ROW_ENTRY:
    default:
      g_assert_not_reached ();
    }
}

/* Where the focus goes once a city or county is chosen: the next field
 * to fill. Without it the focus stayed on the city (Enter opened its list
 * again) and Tab went past the county and the street (issue 13). */
static gboolean
td_school_page_advance_focus_cb (gpointer user_data)
{
  Field *f = user_data;
  TdSchoolPage *self = f->page;
  GtkRoot *root = gtk_widget_get_root (f->row);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  TdSchoolField next = f->field == TD_SCHOOL_CITY ? TD_SCHOOL_COUNTY : TD_SCHOOL_STREET;

  self->advance_id = 0;
  /* Only from the row just chosen in, or its list: never from elsewhere. */
  if (focus != NULL && focus != f->row && !gtk_widget_is_ancestor (focus, f->row))
    return G_SOURCE_REMOVE;
  if (next == TD_SCHOOL_COUNTY && !gtk_widget_get_sensitive (self->fields[next].row))
    next = TD_SCHOOL_STREET;
  gtk_widget_grab_focus (self->fields[next].row);
  return G_SOURCE_REMOVE;
}

static void
td_school_page_combo_selected_cb (AdwComboRow *row,
                                  GParamSpec  *pspec,
                                  Field       *f)
{
  if (f->page->updating)
    return;
  td_school_page_save_field (f, td_school_page_combo_value (f));
  /* After the list closed, which gives the focus back to the row. */
  if ((rows[f->field].kind == ROW_CITY || rows[f->field].kind == ROW_COUNTY) && *td_school_page_combo_value (f) != '\0')
    {
      g_clear_handle_id (&f->page->advance_id, g_source_remove);
      f->page->advance_id = g_idle_add (td_school_page_advance_focus_cb, f);
    }
}

/* Shows what the school holds for @f's field. */
static void
td_school_page_sync_field (Field *f)
{
  TdSchoolPage *self = f->page;
  const char *value = td_school_get (self->school, f->field);
  guint selected = 0;

  self->updating++;
  switch (rows[f->field].kind)
    {
    case ROW_ENTRY:
      if (f->save_id == 0 && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (f->row)), value) != 0)
        gtk_editable_set_text (GTK_EDITABLE (f->row), value);
      break;

    case ROW_SCHOOL_TYPE:
      {
        guint n_types;
        const TdSchoolType *types = td_school_types (&n_types);

        for (guint i = 0; i < n_types; i++)
          if (g_strcmp0 (types[i].id, value) == 0)
            selected = i + 1;
        adw_combo_row_set_selected (ADW_COMBO_ROW (f->row), selected);
      }
      break;

    case ROW_CITY:
      adw_combo_row_set_selected (ADW_COMBO_ROW (f->row), td_school_page_index_of_code (self->city_codes, value));
      break;

    case ROW_COUNTY:
      td_school_page_fill_divisions (f, self->county_codes, td_school_get (self->school, TD_SCHOOL_CITY));
      adw_combo_row_set_selected (ADW_COMBO_ROW (f->row), td_school_page_index_of_code (self->county_codes, value));
      gtk_widget_set_sensitive (f->row, self->county_codes->len > 1);
      break;

    default:
      g_assert_not_reached ();
    }
  self->updating--;
}

static void
td_school_page_school_changed_cb (TdSchoolPage *self,
                                  int           field,
                                  TdSchool     *school)
{
  if (field < 0)
    {
      /* A reload (a restore, another campaign): everything shown is stale,
       * the province's cities too. */
      td_school_page_fill_divisions (&self->fields[TD_SCHOOL_CITY], self->city_codes,
                                     td_school_get_province_code (self->school));
      for (guint i = 0; i < TD_SCHOOL_N_FIELDS; i++)
        {
          g_clear_handle_id (&self->fields[i].save_id, g_source_remove);
          td_school_page_sync_field (&self->fields[i]);
          td_school_page_set_message (&self->fields[i], NULL);
        }
      return;
    }

  td_school_page_sync_field (&self->fields[field]);
  /* Another city: other counties to choose from. */
  if (field == TD_SCHOOL_CITY)
    td_school_page_sync_field (&self->fields[TD_SCHOOL_COUNTY]);
}

static GtkWidget *
td_school_page_create_row (TdSchoolPage  *self,
                           TdSchoolField  field)
{
  GtkWidget *row;

  if (rows[field].kind == ROW_ENTRY)
    {
      row = adw_entry_row_new ();
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), rows[field].purpose);
      g_signal_connect (row, "changed", G_CALLBACK (td_school_page_entry_changed_cb), &self->fields[field]);
    }
  else
    {
      g_autoptr(GtkStringList) list = td_school_page_new_choices ();

      row = adw_combo_row_new ();
      if (rows[field].kind == ROW_SCHOOL_TYPE)
        {
          guint n_types;
          const TdSchoolType *types = td_school_types (&n_types);

          /* The names are long: shown whole under the title. */
          adw_combo_row_set_use_subtitle (ADW_COMBO_ROW (row), TRUE);

          for (guint i = 0; i < n_types; i++)
            gtk_string_list_append (list, _(types[i].label));
        }
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
      g_signal_connect (row, "notify::selected", G_CALLBACK (td_school_page_combo_selected_cb), &self->fields[field]);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(rows[field].title));
  return row;
}

static GtkWidget *
td_school_page_create_message_row (Field *f)
{
  return td_field_message_new (&f->message);
}

static void
td_school_page_constructed (GObject *object)
{
  TdSchoolPage *self = TD_SCHOOL_PAGE (object);
  AdwPreferencesGroup *groups[] = { self->school_group, self->address_group, self->contact_group };

  G_OBJECT_CLASS (td_school_page_parent_class)->constructed (object);

  g_return_if_fail (TD_IS_SCHOOL (self->school));

  for (guint i = 0; i < TD_SCHOOL_N_FIELDS; i++)
    {
      Field *f = &self->fields[i];

      f->page = self;
      f->field = i;
      f->row = td_school_page_create_row (self, i);
      f->message_row = td_school_page_create_message_row (f);
      adw_preferences_group_add (groups[rows[i].group], f->row);
      adw_preferences_group_add (groups[rows[i].group], f->message_row);
    }

  td_school_page_fill_divisions (&self->fields[TD_SCHOOL_CITY], self->city_codes,
                                 td_school_get_province_code (self->school));
  for (guint i = 0; i < TD_SCHOOL_N_FIELDS; i++)
    td_school_page_sync_field (&self->fields[i]);

  g_signal_connect_object (self->school, "changed", G_CALLBACK (td_school_page_school_changed_cb), self,
                           G_CONNECT_SWAPPED);
  /* Leaving the page saves what is pending. */
  g_signal_connect (self, "unmap", G_CALLBACK (td_school_page_flush), NULL);
}

static void
td_school_page_dispose (GObject *object)
{
  TdSchoolPage *self = TD_SCHOOL_PAGE (object);

  for (guint i = 0; i < TD_SCHOOL_N_FIELDS; i++)
    g_clear_handle_id (&self->fields[i].save_id, g_source_remove);
  g_clear_handle_id (&self->advance_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_SCHOOL_PAGE);

  G_OBJECT_CLASS (td_school_page_parent_class)->dispose (object);
}

static void
td_school_page_finalize (GObject *object)
{
  TdSchoolPage *self = TD_SCHOOL_PAGE (object);

  g_clear_object (&self->school);
  g_clear_pointer (&self->city_codes, g_ptr_array_unref);
  g_clear_pointer (&self->county_codes, g_ptr_array_unref);

  G_OBJECT_CLASS (td_school_page_parent_class)->finalize (object);
}

static void
td_school_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TdSchoolPage *self = TD_SCHOOL_PAGE (object);

  switch (prop_id)
    {
    case PROP_SCHOOL:
      g_value_set_object (value, self->school);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_school_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TdSchoolPage *self = TD_SCHOOL_PAGE (object);

  switch (prop_id)
    {
    case PROP_SCHOOL:
      self->school = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_school_page_class_init (TdSchoolPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = td_school_page_constructed;
  object_class->dispose = td_school_page_dispose;
  object_class->finalize = td_school_page_finalize;
  object_class->get_property = td_school_page_get_property;
  object_class->set_property = td_school_page_set_property;

  properties[PROP_SCHOOL] =
    g_param_spec_object ("school", NULL, NULL,
                         TD_TYPE_SCHOOL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-school-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TdSchoolPage, school_group);
  gtk_widget_class_bind_template_child (widget_class, TdSchoolPage, address_group);
  gtk_widget_class_bind_template_child (widget_class, TdSchoolPage, contact_group);
}

static void
td_school_page_init (TdSchoolPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->city_codes = g_ptr_array_new ();
  self->county_codes = g_ptr_array_new ();
}
