/* td-form-page.c: the intent form, from the records to what is signed
 *
 * Shows where the form goes and by when, every rule still broken, the
 * fields taken from the school profile, and the fields the office writes:
 * the categories (6), the main fields (7) and the two texts (8, 9), drafted
 * from the records, each counted as the form counts (312/500) and never let
 * past 500. Edits are kept (td_form_save_edit) a moment after typing stops.
 * Another campaign is imported from its file (td-form-page-campaign.c),
 * and the form printed (td-form-page-print.c); the page's state is in
 * td-form-page-private.h, its school and campaign the session's.
 * Under each text, its basis (依据): the figures it states, defined, each
 * opening the records it counts; numbers no figure supports are named (a
 * warning: the sign-off window names them again). Sign Off sits in the
 * page's own bar, so the clerk finds it where the form is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-form-page"

#include "config.h"

#include <glib/gi18n.h>

#include "td-figures.h"
#include "td-form-json.h"
#include "td-form-page-private.h"
#include "td-form-render.h"
#include "td-gui-util.h"
#include "td-record-kind.h"
#include "td-revision.h"
#include "td-school.h"
#include "td-validate.h"

#define SAVE_DELAY_MS 500

G_DEFINE_FINAL_TYPE (TdFormPage, td_form_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const category_ids[] = { "enterprise-staff", "key-groups", "unemployed" };

GtkWidget *
td_form_page_new (TdSession *session)
{
  return g_object_new (TD_TYPE_FORM_PAGE, "session", session, NULL);
}

TdForm *
td_form_page_get_form (TdFormPage *self)
{
  return self->form;
}

GtkTextBuffer *
td_form_page_get_text_buffer (TdFormPage  *self,
                              TdFormField  field)
{
  return self->texts[field == TD_FORM_CAPACITY ? 0 : 1].buffer;
}

const char *
td_form_page_get_text_message (TdFormPage  *self,
                               TdFormField  field)
{
  GtkLabel *label = self->texts[field == TD_FORM_CAPACITY ? 0 : 1].message;

  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
}

TdCampaign *
td_form_page_get_campaign (TdFormPage *self)
{
  return self->campaign;
}

guint
td_form_page_get_preview_pages (TdFormPage *self)
{
  guint n = 0;

  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (self->preview_box)); w; w = gtk_widget_get_next_sibling (w))
    n++;
  return n;
}

const char *
td_form_page_get_counter (TdFormPage  *self,
                          TdFormField  field)
{
  return gtk_label_get_text (self->texts[field == TD_FORM_CAPACITY ? 0 : 1].counter);
}

static void
td_form_page_add_dynamic_row (TdFormPage          *self,
                              AdwPreferencesGroup *group,
                              GtkWidget           *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->dynamic_rows, row);
}

static void
td_form_page_clear_dynamic_rows (TdFormPage *self)
{
  for (guint i = 0; i < self->dynamic_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->dynamic_rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->dynamic_rows, 0);
}

static GtkWidget *
td_form_page_info_row (const char *title,
                       const char *value,
                       gboolean    missing)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), missing ? _("Missing") : value);
  if (missing)
    gtk_widget_add_css_class (row, "error");
  return row;
}

static void
td_form_page_fill_campaign (TdFormPage *self)
{
  TdSchool *school = td_session_get_school (self->session);
  g_autofree char *subtitle = td_campaign_describe_deadline (self->campaign, NULL);
  const TdRecipient *recipient;

  adw_preferences_group_set_title (self->campaign_group, td_campaign_get_title (self->campaign));
  adw_preferences_group_set_description (self->campaign_group, td_campaign_get_notice (self->campaign));
  adw_action_row_set_subtitle (self->deadline_row, subtitle);
  /* Past: in warning style, as everywhere the campaign shows. */
  if (td_campaign_is_past (self->campaign, NULL))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->deadline_row), "warning");
      if (self->deadline_icon == NULL)
        {
          self->deadline_icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
          adw_action_row_add_prefix (self->deadline_row, self->deadline_icon);
        }
      gtk_widget_set_visible (self->deadline_icon, TRUE);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->deadline_row), "warning");
      if (self->deadline_icon != NULL)
        gtk_widget_set_visible (self->deadline_icon, FALSE);
    }
  /* Past: the way out, where the warning is. */
  gtk_widget_set_visible (self->new_campaign_button, td_campaign_is_past (self->campaign, NULL));

  recipient = school ? td_campaign_recipient_for (self->campaign, td_school_get (school, TD_SCHOOL_TYPE)) : NULL;
  if (recipient == NULL)
    adw_action_row_set_subtitle (self->recipient_row,
                                 _("Choose the type of school in the profile to see where the form goes."));
  else
    {
      g_autofree char *text = NULL;

      if (recipient->postal_address && recipient->paper_copies > 0)
        text = g_strdup_printf (_("%s, %s; %d sealed paper copies by post to %s"), recipient->authority,
                                recipient->email, recipient->paper_copies, recipient->postal_address);
      else
        text = g_strdup_printf ("%s, %s", recipient->authority, recipient->email);
      adw_action_row_set_subtitle (self->recipient_row, text);
    }
}

static void
td_form_page_fill_problems (TdFormPage *self)
{
  g_autoptr(GPtrArray) problems = td_form_check (self->form, self->campaign);

  for (guint i = 0; i < problems->len; i++)
    {
      TdFormProblem *p = g_ptr_array_index (problems, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), p->message);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      gtk_widget_add_css_class (row, "warning");
      td_form_page_add_dynamic_row (self, self->problems_group, row);
    }
  /* "Still to Do" above "Nothing is missing" said the opposite of the
   * row (issue 13): the heading follows what the group holds. */
  adw_preferences_group_set_title (self->problems_group, problems->len > 0 ? _("Still to Do") : _("Ready to Sign Off"));
  adw_preferences_group_set_description (self->problems_group,
                                         problems->len > 0 ? _("A form with any of these cannot be signed off.") : NULL);
  if (problems->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Nothing is missing: the form can be signed off."));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("emblem-ok-symbolic"));
      gtk_widget_add_css_class (row, "success");
      td_form_page_add_dynamic_row (self, self->problems_group, row);
    }
}

static void
td_form_page_fill_profile (TdFormPage *self)
{
  static const struct { TdFormField field; const char *title; } shown[] = {
    { TD_FORM_NAME, N_("1. Name of the school") },
    { TD_FORM_AUTHORITY, N_("2. Supervising authority") },
    { TD_FORM_POSTAL_CODE, N_("4. Postal code") },
    { TD_FORM_CONTACT_NAME, N_("5. Contact person") },
    { TD_FORM_PHONE, N_("5. Phone") },
    { TD_FORM_LEGAL_REPRESENTATIVE, N_("10. Legal representative (signs)") },
  };
  g_autofree char *address = g_strdup_printf ("%s %s %s", td_form_get (self->form, TD_FORM_CITY),
                                              td_form_get (self->form, TD_FORM_COUNTY),
                                              td_form_get (self->form, TD_FORM_STREET));
  gboolean address_missing = td_form_get (self->form, TD_FORM_CITY)[0] == '\0' ||
                             td_form_get (self->form, TD_FORM_COUNTY)[0] == '\0' ||
                             td_form_get (self->form, TD_FORM_STREET)[0] == '\0';

  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      const char *value = td_form_get (self->form, shown[i].field);

      td_form_page_add_dynamic_row (self, self->profile_group, td_form_page_info_row (_(shown[i].title), value, value[0] == '\0'));
      if (shown[i].field == TD_FORM_AUTHORITY)
        td_form_page_add_dynamic_row (self, self->profile_group, td_form_page_info_row (_("3. Address"), address, address_missing));
    }
}

static void
td_form_page_sync_categories (TdFormPage *self)
{
  self->updating++;
  for (guint i = 0; i < G_N_ELEMENTS (category_ids); i++)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (self->category_checks[i]),
                                 td_form_has_category (self->form, category_ids[i]));
  self->updating--;
}

static char *
td_form_page_buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Counted as the form counts: an emoji with a skin tone, a flag, is one. */
static void
td_form_page_update_counter (TextField *t)
{
  g_autofree char *current = td_form_page_buffer_text (t->buffer);
  g_autofree char *text = g_strdup_printf ("%u/%d", td_form_count_characters (current, -1), TD_FORM_TEXT_LIMIT);

  gtk_label_set_text (t->counter, text);
}

static void
td_form_page_sync_text (TextField *t)
{
  TdFormPage *self = t->page;
  g_autofree char *current = NULL;
  GtkTextIter start, end;

  gtk_widget_set_visible (t->stale, td_form_is_stale (self->form, t->field));
  if (t->save_id != 0 || gtk_widget_has_focus (GTK_WIDGET (t->view)))
    return;

  gtk_text_buffer_get_bounds (t->buffer, &start, &end);
  current = gtk_text_buffer_get_text (t->buffer, &start, &end, FALSE);
  if (g_strcmp0 (current, td_form_get (self->form, t->field)) != 0)
    {
      self->updating++;
      gtk_text_buffer_set_text (t->buffer, td_form_get (self->form, t->field), -1);
      self->updating--;
    }
  td_form_page_update_counter (t);
}

static void td_form_page_update_preview (TdFormPage *self);

/* The basis (依据) of the two texts.
 *
 * Under each text, the figures it states (td_figure_set_match()): the
 * value, what it counts (docs/figures.md) and how many records; a row
 * opens those records on their page (td_record_page_show_only()). The
 * numbers typed that no figure supports are named under the text and at
 * the top of the list: a warning, the office may know better than the
 * records; the sign-off window names them again. */

/* Opens the records @figure_id counts on their page, and nothing else
 * (the window's win.show-records). */
static gboolean
td_form_page_open_basis (TdFormPage *self,
                         const char *figure_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) uuids = NULL;
  const TdFigure *figure;

  if (self->figures == NULL || (figure = td_figure_set_lookup (self->figures, figure_id)) == NULL ||
      figure->kind == NULL)
    return FALSE;
  if (!(uuids = td_figure_record_uuids (self->store, self->figures, figure, &error)))
    {
      td_gui_show_error (GTK_WIDGET (self), _("Could not read the records behind this figure"), error);
      return FALSE;
    }
  g_ptr_array_add (uuids, NULL);
  return gtk_widget_activate_action (GTK_WIDGET (self), "win.show-records", "(ss^as)",
                                     figure->kind, figure->label, (char **)uuids->pdata);
}

static void
td_form_page_basis_activated_cb (AdwActionRow *row,
                                 TdFormPage   *self)
{
  g_assert (TD_IS_FORM_PAGE (self));

  td_form_page_open_basis (self, g_object_get_data (G_OBJECT (row), "figure-id"));
}

static void
td_form_page_add_basis_row (TextField *t,
                            GtkWidget *row)
{
  adw_expander_row_add_row (t->basis, row);
  g_ptr_array_add (t->basis_rows, row);
}

static GtkWidget *
td_form_page_figure_row (TdFormPage     *self,
                         const TdFigure *figure)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *value = gtk_label_new (figure->value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), figure->label);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), figure->definition);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_add_css_class (value, "numeric");
  gtk_widget_add_css_class (value, "heading");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), value);
  g_object_set_data_full (G_OBJECT (row), "figure-id", g_strdup (figure->id), g_free);
  if (figure->kind != NULL)
    {
      g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d record", "%d records",
                                                             figure->n_records),
                                                (int)figure->n_records);
      GtkWidget *records = gtk_label_new (count);
      g_autofree char *tooltip = g_strdup_printf (_("Show the records behind “%s”"), figure->label);

      gtk_widget_add_css_class (records, "dim-label");
      gtk_widget_add_css_class (records, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), records);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_tooltip_text (row, tooltip);
      g_signal_connect_object (row, "activated", G_CALLBACK (td_form_page_basis_activated_cb), self, 0);
    }
  return row;
}

static void
td_form_page_fill_basis_of (TdFormPage *self,
                            TextField  *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) matched = NULL;
  g_autoptr(GPtrArray) unsupported = NULL;
  g_autofree char *subtitle = NULL;

  for (guint i = 0; i < t->basis_rows->len; i++)
    adw_expander_row_remove (t->basis, g_ptr_array_index (t->basis_rows, i));
  g_ptr_array_set_size (t->basis_rows, 0);
  if (self->figures == NULL || self->form == NULL)
    return;

  unsupported = td_form_unsupported_numbers (self->store, self->form, self->figures, t->field, &error);
  if (unsupported == NULL)
    g_warning ("Could not check the numbers of the text: %s", error->message);
  for (guint i = 0; unsupported != NULL && i < unsupported->len; i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), g_ptr_array_index (unsupported, i));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Not supported by the records: no figure has this value. Check it before signing off."));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      gtk_widget_add_css_class (row, "warning");
      td_form_page_add_basis_row (t, row);
    }

  matched = td_figure_set_match (self->figures, td_form_get (self->form, t->field));
  for (guint i = 0; i < matched->len; i++)
    td_form_page_add_basis_row (t, td_form_page_figure_row (self, g_ptr_array_index (matched, i)));

  if (unsupported != NULL && unsupported->len > 0)
    {
      g_autoptr(GString) list = g_string_new (NULL);
      g_autofree char *message = NULL;

      for (guint i = 0; i < unsupported->len; i++)
        /* Translators: between the numbers of a list */
        g_string_append_printf (list, "%s%s", i ? _(", ") : "", (char *)g_ptr_array_index (unsupported, i));
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Not supported by the records: %s. The sign-off window will name it again; check it, or redraft.",
                                              "Not supported by the records: %s. The sign-off window will name them again; check them, or redraft.",
                                              unsupported->len),
                                 list->str);
      gtk_label_set_text (t->unsupported, message);
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u figures from the records; %u number not supported",
                                               "%u figures from the records; %u numbers not supported", unsupported->len),
                                  matched->len, unsupported->len);
      /* Not the whole list in warning style: only the numbers concerned. */
    }
  else
    {
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u figure from the records, each defined and counted",
                                               "%u figures from the records, each defined and counted", matched->len),
                                  matched->len);
    }
  gtk_widget_set_visible (GTK_WIDGET (t->unsupported), unsupported != NULL && unsupported->len > 0);
  adw_expander_row_set_subtitle (t->basis, subtitle);
}

static void
td_form_page_fill_basis (TdFormPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->texts); i++)
    td_form_page_fill_basis_of (self, &self->texts[i]);
}

static GtkWidget *
td_form_page_create_basis_row (TextField *t)
{
  GtkWidget *row = adw_expander_row_new ();

  t->basis = ADW_EXPANDER_ROW (row);
  t->basis_rows = g_ptr_array_new ();
  /* Translators: 依据, the figures a text states and what they count */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Basis"));
  adw_expander_row_add_prefix (t->basis, gtk_image_new_from_icon_name ("view-list-bullet-symbolic"));
  return row;
}

/* For tests: the values the basis list of @field shows, in order. */
GPtrArray *
td_form_page_get_basis_values (TdFormPage  *self,
                               TdFormField  field)
{
  TextField *t = &self->texts[field == TD_FORM_CAPACITY ? 0 : 1];
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < t->basis_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (t->basis_rows, i);

      if (!gtk_widget_has_css_class (row, "warning"))
        g_ptr_array_add (values, g_strdup (td_figure_set_value (self->figures,
                                                                g_object_get_data (G_OBJECT (row), "figure-id"))));
    }
  return values;
}

/* For tests: the basis list of @field, an AdwExpanderRow. */
GtkWidget *
td_form_page_get_basis_row (TdFormPage  *self,
                            TdFormField  field)
{
  return GTK_WIDGET (self->texts[field == TD_FORM_CAPACITY ? 0 : 1].basis);
}

/* For tests: the warning under @field's text, or %NULL when none. */
const char *
td_form_page_get_unsupported_message (TdFormPage  *self,
                                      TdFormField  field)
{
  GtkLabel *label = self->texts[field == TD_FORM_CAPACITY ? 0 : 1].unsupported;

  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
}

/* For tests: activates the basis row of @figure_id, as a click does. */
gboolean
td_form_page_activate_basis (TdFormPage  *self,
                             TdFormField  field,
                             const char  *figure_id)
{
  TextField *t = &self->texts[field == TD_FORM_CAPACITY ? 0 : 1];

  for (guint i = 0; i < t->basis_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (t->basis_rows, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "figure-id"), figure_id) == 0)
        {
          adw_action_row_activate (ADW_ACTION_ROW (row));
          return TRUE;
        }
    }
  return FALSE;
}

/* The full-time-student ratio, where the figure it makes is drafted. */
static void
td_form_page_ratio_apply_cb (TdFormPage  *self,
                             AdwEntryRow *row)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_assert (TD_IS_FORM_PAGE (self));

  g_strdelimit (text, ",", ' ');
  if (!td_figures_set_fte_hours (self->store, text, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      td_gui_show_error (GTK_WIDGET (self), _("The ratio was not changed"), error);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
td_form_page_sync_ratio (TdFormPage *self)
{
  g_autofree char *ratio = td_figures_format_ratio (td_figures_get_fte_hours (self->store));

  if (gtk_widget_has_focus (GTK_WIDGET (self->ratio_row)) ||
      gtk_widget_has_css_class (GTK_WIDGET (self->ratio_row), "error"))
    return;
  self->updating++;
  gtk_editable_set_text (GTK_EDITABLE (self->ratio_row), ratio);
  self->updating--;
}

static GtkWidget *
td_form_page_create_ratio_row (TdFormPage *self)
{
  GtkWidget *row = adw_entry_row_new ();

  self->ratio_row = ADW_ENTRY_ROW (row);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Person-hours per full-time student a year"));
  adw_entry_row_set_show_apply_button (self->ratio_row, TRUE);
  adw_entry_row_set_input_purpose (self->ratio_row, GTK_INPUT_PURPOSE_NUMBER);
  gtk_widget_set_tooltip_text (row, _("The ratio at which training counts as full-time students’ workload; the drafted text states it. Kept with the records."));
  g_signal_connect_object (row, "apply", G_CALLBACK (td_form_page_ratio_apply_cb), self, G_CONNECT_SWAPPED);
  return row;
}

static void
td_form_page_sync (TdFormPage *self)
{
  self->preview_stale = TRUE;
  td_form_page_update_preview (self);
  td_form_page_clear_dynamic_rows (self);
  td_form_page_fill_campaign (self);
  td_form_page_fill_problems (self);
  td_form_page_fill_profile (self);
  td_form_page_sync_categories (self);
  if (!gtk_widget_has_focus (GTK_WIDGET (self->fields_row)))
    {
      self->updating++;
      gtk_editable_set_text (GTK_EDITABLE (self->fields_row), td_form_get (self->form, TD_FORM_FIELDS));
      self->updating--;
    }
  for (guint i = 0; i < G_N_ELEMENTS (self->texts); i++)
    td_form_page_sync_text (&self->texts[i]);
  td_form_page_sync_ratio (self);
  td_form_page_fill_basis (self);
}

/* Reads the form again (the records or the profile changed). */
void
td_form_page_reload (TdFormPage *self)
{
  g_autoptr(GError) error = NULL;
  TdForm *form;

  g_clear_handle_id (&self->refresh_id, g_source_remove);

  /* The campaign may have been imported meanwhile (here or by the command
   * line). */
  {
    g_autoptr(GError) campaign_error = NULL;
    TdCampaign *campaign = td_session_load_campaign (self->session, &campaign_error);

    if (campaign != NULL)
      {
        g_set_object (&self->campaign, campaign);
        g_object_unref (campaign);
      }
    else if (self->campaign == NULL)
      {
        g_warning ("The campaign could not be read (%s): using the built-in one", campaign_error->message);
        self->campaign = td_campaign_get_builtin ();
      }
    else
      g_warning ("The campaign could not be read (%s): keeping the one shown", campaign_error->message);
  }

  if (!(form = td_form_load (self->store, self->campaign, td_campaign_get_last_year (self->campaign), &error)))
    {
      g_warning ("Could not assemble the form: %s", error->message);
      return;
    }
  g_set_object (&self->form, form);
  g_object_unref (form);
  g_clear_pointer (&self->figures, td_figure_set_free);
  if (!(self->figures = td_form_figures (self->store, self->form, &error)))
    g_warning ("Could not count the figures: %s", error->message);
  td_form_page_sync (self);
}

static gboolean
td_form_page_reload_idle_cb (gpointer user_data)
{
  TdFormPage *self = user_data;

  self->refresh_id = 0;
  td_form_page_reload (self);
  return G_SOURCE_REMOVE;
}

static void
td_form_page_store_changed_cb (TdFormPage *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (td_form_page_reload_idle_cb, self);
}

static void
td_form_page_save_edit (TdFormPage  *self,
                        TdFormField  field,
                        const char  *value)
{
  g_autoptr(GError) error = NULL;

  if (!td_form_save_edit (self->store, self->form, field, value, &error))
    g_warning ("Could not keep the edit: %s", error->message);
  self->preview_stale = TRUE;
  td_form_page_update_preview (self);
  /* The problems list follows the edit at once. */
  td_form_page_clear_dynamic_rows (self);
  td_form_page_fill_campaign (self);
  td_form_page_fill_problems (self);
  td_form_page_fill_profile (self);
  td_form_page_fill_basis (self);
}

static void
td_form_page_category_toggled_cb (GtkCheckButton *check,
                                  TdFormPage     *self)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  if (self->updating)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (category_ids); i++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->category_checks[i])))
      g_string_append_printf (ids, "%s%s", ids->len ? "," : "", category_ids[i]);
  td_form_page_save_edit (self, TD_FORM_CATEGORIES, ids->str);
}

static void
td_form_page_fields_apply_cb (TdFormPage  *self,
                              AdwEntryRow *row)
{
  g_autofree char *value = td_normalize_text (gtk_editable_get_text (GTK_EDITABLE (row)));

  td_form_page_save_edit (self, TD_FORM_FIELDS, value);
}

static gboolean
td_form_page_save_text_cb (gpointer user_data)
{
  TextField *t = user_data;
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  t->save_id = 0;
  gtk_text_buffer_get_bounds (t->buffer, &start, &end);
  text = gtk_text_buffer_get_text (t->buffer, &start, &end, FALSE);
  td_form_page_save_edit (t->page, t->field, text);
  gtk_widget_set_visible (t->stale, FALSE);
  return G_SOURCE_REMOVE;
}

/* Saves, now, every text edit waiting for its pause. */
void
td_form_page_flush (TdFormPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->texts); i++)
    if (self->texts[i].save_id != 0)
      {
        g_clear_handle_id (&self->texts[i].save_id, g_source_remove);
        td_form_page_save_text_cb (&self->texts[i]);
      }
}

static void
td_form_page_text_changed_cb (GtkTextBuffer *buffer,
                              TextField     *t)
{
  td_form_page_update_counter (t);
  if (t->page->updating)
    return;
  g_clear_handle_id (&t->save_id, g_source_remove);
  t->save_id = g_timeout_add (SAVE_DELAY_MS, td_form_page_save_text_cb, t);
}

/* More than the form allows is refused whole, with the count: never cut.
 * The text as it would be is counted, so that a skin tone or a joiner
 * added to an emoji (still one character) is let in at the limit. Typing
 * or pasting over a selection deletes it first, so the buffer is what the
 * insertion adds to. */
static void
td_form_page_text_insert_cb (GtkTextBuffer *buffer,
                             GtkTextIter   *location,
                             const char    *text,
                             int            length,
                             TextField     *t)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GString) result = NULL;
  GtkTextIter start, end;
  guint adding, kept, total;

  if (t->page->updating)
    {
      gtk_widget_set_visible (GTK_WIDGET (t->message), FALSE);
      return;
    }

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  before = gtk_text_buffer_get_text (buffer, &start, location, FALSE);
  after = gtk_text_buffer_get_text (buffer, location, &end, FALSE);
  result = g_string_new (before);
  g_string_append_len (result, text, length);
  g_string_append (result, after);
  total = td_form_count_characters (result->str, result->len);

  if (total <= TD_FORM_TEXT_LIMIT)
    {
      gtk_widget_set_visible (GTK_WIDGET (t->message), FALSE);
      return;
    }

  g_signal_stop_emission_by_name (buffer, "insert-text");
  {
    g_autofree char *kept_text = g_strconcat (before, after, NULL);
    g_autofree char *message = NULL;

    adding = td_form_count_characters (text, length);
    kept = td_form_count_characters (kept_text, -1);
    if (adding > 1)
      message = g_strdup_printf (_("Not added: that text has %ld characters, and with the %d here the field would have %ld; the form allows %d."),
                                 (long)adding, (int)kept, (long)total, TD_FORM_TEXT_LIMIT);
    else
      message = g_strdup_printf (_("The form allows %d characters here."), TD_FORM_TEXT_LIMIT);
    gtk_label_set_text (t->message, message);
    gtk_widget_set_visible (GTK_WIDGET (t->message), TRUE);
    gtk_widget_error_bell (GTK_WIDGET (t->view));
  }
}

static void
td_form_page_redraft_clicked_cb (GtkButton *button,
                                 TextField *t)
{
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&t->save_id, g_source_remove);
  if (!td_form_redraft (t->page->store, t->page->form, t->field, &error))
    {
      g_warning ("Could not redraft: %s", error->message);
      return;
    }
  t->page->updating++;
  gtk_text_buffer_set_text (t->buffer, td_form_get (t->page->form, t->field), -1);
  t->page->updating--;
  gtk_widget_set_visible (t->stale, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (t->message), FALSE);
  td_form_page_update_counter (t);
  td_form_page_sync (t->page);
}

static GtkWidget *
td_form_page_create_text_row (TdFormPage  *self,
                              TextField   *t,
                              TdFormField  field)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *redraft = gtk_button_new_with_mnemonic (_("_Redraft from Records"));
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *message = gtk_label_new (NULL);
  GtkWidget *stale = gtk_label_new (_("The records changed after this text was edited: its figures may be out of date. Redraft it, or check it."));
  GtkWidget *counter = gtk_label_new (NULL);
  GtkWidget *unsupported = gtk_label_new (NULL);

  t->page = self;
  t->field = field;
  t->view = GTK_TEXT_VIEW (view);
  t->buffer = gtk_text_view_get_buffer (t->view);
  t->counter = GTK_LABEL (counter);
  t->message = GTK_LABEL (message);
  t->stale = stale;
  t->unsupported = GTK_LABEL (unsupported);

  gtk_text_view_set_wrap_mode (t->view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (t->view, 12);
  gtk_text_view_set_bottom_margin (t->view, 12);
  gtk_text_view_set_left_margin (t->view, 12);
  gtk_text_view_set_right_margin (t->view, 12);
  gtk_widget_set_size_request (view, -1, 160);
  gtk_widget_add_css_class (view, "form-text");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  field == TD_FORM_CAPACITY ? _("Training capacity") : _("Main training results"), -1);

  gtk_label_set_wrap (GTK_LABEL (stale), TRUE);
  gtk_label_set_xalign (GTK_LABEL (stale), 0);
  gtk_widget_add_css_class (stale, "warning");
  gtk_widget_set_visible (stale, FALSE);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_widget_add_css_class (message, "error");
  gtk_widget_set_visible (message, FALSE);
  gtk_label_set_wrap (GTK_LABEL (unsupported), TRUE);
  gtk_label_set_xalign (GTK_LABEL (unsupported), 0);
  gtk_widget_add_css_class (unsupported, "warning");
  gtk_widget_set_visible (unsupported, FALSE);
  gtk_widget_add_css_class (counter, "numeric");
  gtk_widget_add_css_class (counter, "dim-label");
  gtk_widget_set_hexpand (counter, TRUE);
  gtk_label_set_xalign (GTK_LABEL (counter), 0);

  gtk_box_append (GTK_BOX (bar), counter);
  gtk_box_append (GTK_BOX (bar), redraft);
  gtk_box_append (GTK_BOX (box), stale);
  gtk_box_append (GTK_BOX (box), view);
  gtk_box_append (GTK_BOX (box), message);
  gtk_box_append (GTK_BOX (box), unsupported);
  gtk_box_append (GTK_BOX (box), bar);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  g_signal_connect (t->buffer, "insert-text", G_CALLBACK (td_form_page_text_insert_cb), t);
  g_signal_connect (t->buffer, "changed", G_CALLBACK (td_form_page_text_changed_cb), t);
  g_signal_connect (redraft, "clicked", G_CALLBACK (td_form_page_redraft_clicked_cb), t);
  return row;
}

#define ZOOM_MIN 0.5
#define ZOOM_MAX 3.0

static void
td_form_page_draw_page_cb (GtkDrawingArea *area,
                           cairo_t        *cr,
                           int             width,
                           int             height,
                           gpointer        user_data)
{
  TdFormPage *self = g_object_get_data (G_OBJECT (area), "td-page");
  guint page = GPOINTER_TO_UINT (user_data);

  if (self->render == NULL)
    return;
  cairo_scale (cr, self->zoom, self->zoom);
  td_form_render_page (self->render, page, cr);
}

/* The preview draws the form with the renderer that makes the PDF: what is
 * seen is what is printed and sent. Rebuilt only while it is shown. */
static void
td_form_page_update_preview (TdFormPage *self)
{
  GtkWidget *child;
  guint n_pages;
  g_autofree char *percent = g_strdup_printf ("%.0f%%", self->zoom * 100);

  gtk_button_set_label (self->zoom_label, percent);
  if (!self->preview_stale || self->form == NULL ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "preview") != 0)
    return;
  self->preview_stale = FALSE;

  g_clear_object (&self->render);
  self->render = td_form_render_new (self->form, self->campaign, NULL);
  n_pages = td_form_render_count_pages (self->render);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->preview_box))))
    gtk_box_remove (self->preview_box, child);
  for (guint i = 0; i < n_pages; i++)
    {
      GtkWidget *area = gtk_drawing_area_new ();
      g_autofree char *label = g_strdup_printf (_("Page %u of %u"), i + 1, n_pages);

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), TD_FORM_RENDER_PAGE_WIDTH * self->zoom);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), TD_FORM_RENDER_PAGE_HEIGHT * self->zoom);
      g_object_set_data (G_OBJECT (area), "td-page", self);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), td_form_page_draw_page_cb, GUINT_TO_POINTER (i), NULL);
      gtk_widget_add_css_class (area, "card");
      gtk_widget_set_halign (area, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (area), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_box_append (self->preview_box, area);
    }
}

static void
td_form_page_view_changed_cb (TdFormPage *self)
{
  gboolean preview = g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "preview") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.zoom-in", preview);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.zoom-out", preview);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.zoom-reset", preview);
  /* Room for the Sign Off button on a narrow window. */
  gtk_widget_set_visible (self->zoom_box, preview);
  if (preview)
    {
      td_form_page_flush (self);
      td_form_page_update_preview (self);
    }
}

static void
td_form_page_set_zoom (TdFormPage *self,
                       double      zoom)
{
  self->zoom = CLAMP (zoom, ZOOM_MIN, ZOOM_MAX);
  self->preview_stale = TRUE;
  td_form_page_update_preview (self);
}

static void
td_form_page_zoom_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  TdFormPage *self = TD_FORM_PAGE (widget);

  if (g_str_equal (action_name, "form.zoom-in"))
    td_form_page_set_zoom (self, self->zoom * 1.25);
  else if (g_str_equal (action_name, "form.zoom-out"))
    td_form_page_set_zoom (self, self->zoom / 1.25);
  else
    td_form_page_set_zoom (self, 1.0);
}

static void
td_form_page_preview_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  TdFormPage *self = TD_FORM_PAGE (widget);

  gtk_stack_set_visible_child_name (self->view_stack,
                                    g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "preview") == 0
                                    ? "edit" : "preview");
}

typedef struct
{
  TdForm     *form;        /* a copy of its own: the page may change its form */
  TdCampaign *campaign;
  char       *kind;
  char       *path;
} ExportJob;

static void
td_form_page_export_job_free (ExportJob *job)
{
  g_clear_object (&job->form);
  g_clear_object (&job->campaign);
  g_free (job->kind);
  g_free (job->path);
  g_free (job);
}

static void
td_form_page_export_thread (GTask        *task,
                            gpointer      source_object,
                            gpointer      task_data,
                            GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;
  gboolean ok;

  if (g_str_equal (job->kind, "pdf"))
    ok = td_form_render_pdf (job->form, job->campaign, NULL, job->path, &error);
  else if (g_str_equal (job->kind, "json"))
    {
      gsize length;
      g_autofree char *json = td_form_to_json (job->form, &length);

      ok = g_file_set_contents (job->path, json, length, &error);
    }
  else
    ok = td_form_write_catalogue (job->form, job->path, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
td_form_page_export_done_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    td_gui_show_error (GTK_WIDGET (object), _("Export Failed"), error);
}

/* Writes the form as @kind (pdf, json, csv, xlsx) to @path, off the main
 * loop; errors are shown to the user, then @callback runs. */
void
td_form_page_export (TdFormPage          *self,
                     const char          *kind,
                     const char          *path,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  ExportJob *job;
  gsize length;

  job = g_new0 (ExportJob, 1);
  json = td_form_to_json (self->form, &length);
  job->form = td_form_new_from_json (json, length, &error);
  g_assert (job->form != NULL);
  job->campaign = g_object_ref (self->campaign);
  job->kind = g_strdup (kind);
  job->path = g_strdup (path);

  /* Off the main loop: fonts are loaded and laid out in the worker. */
  task = g_task_new (self, NULL, callback ? callback : td_form_page_export_done_cb, user_data);
  g_task_set_task_data (task, job, (GDestroyNotify)td_form_page_export_job_free);
  g_task_run_in_thread (task, td_form_page_export_thread);
}

static void
td_form_page_export_chosen_cb (gpointer  owner,
                               GFile    *file)
{
  TdFormPage *self = owner;
  g_autofree char *path = NULL;

  if (file == NULL || !(path = g_file_get_path (file)))
    return;
  td_form_page_export (self, self->export_kind, path, NULL, NULL);
}

static void
td_form_page_export_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  TdFormPage *self = TD_FORM_PAGE (widget);
  const char *kind = g_variant_get_string (parameter, NULL);
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;
  td_form_page_flush (self);
  g_free (self->export_kind);
  self->export_kind = g_strdup (kind);

  /* 意向表-学校名称.pdf: the name a school would give it. */
  name = g_strdup_printf ("%s%s%s.%s", g_str_equal (kind, "pdf") || g_str_equal (kind, "json") ? "意向表" : "意向表目录",
                          td_form_get (self->form, TD_FORM_NAME)[0] ? "-" : "",
                          td_form_get (self->form, TD_FORM_NAME), kind);
  chooser = td_gui_file_chooser_new (widget, _("Export the Intent Form"),
                                     GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  td_gui_file_chooser_show (chooser, &self->chooser, self, td_form_page_export_chosen_cb);
}

static void
td_form_page_constructed (GObject *object)
{
  TdFormPage *self = TD_FORM_PAGE (object);

  G_OBJECT_CLASS (td_form_page_parent_class)->constructed (object);

  for (guint i = 0; i < G_N_ELEMENTS (category_ids); i++)
    {
      const TdRecordKind *programmes = td_record_kind_lookup (TD_RECORD_KIND_PROGRAMMES);
      const TdField *category = &programmes->fields[td_record_kind_field_index (programmes, "category")];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), td_field_choice_label (category, category_ids[i]));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_signal_connect (check, "toggled", G_CALLBACK (td_form_page_category_toggled_cb), self);
      self->category_checks[i] = check;
      adw_preferences_group_add (self->categories_group, row);
    }

  adw_preferences_group_add (self->capacity_group, td_form_page_create_text_row (self, &self->texts[0], TD_FORM_CAPACITY));
  adw_preferences_group_add (self->capacity_group, td_form_page_create_basis_row (&self->texts[0]));
  adw_preferences_group_add (self->results_group, td_form_page_create_text_row (self, &self->texts[1], TD_FORM_RESULTS));
  adw_preferences_group_add (self->results_group, td_form_page_create_basis_row (&self->texts[1]));
  adw_preferences_group_add (self->results_group, td_form_page_create_ratio_row (self));

  g_signal_connect_object (self->store, "changed", G_CALLBACK (td_form_page_store_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "unmap", G_CALLBACK (td_form_page_flush), NULL);
  td_form_page_reload (self);
}

static void
td_form_page_dispose (GObject *object)
{
  TdFormPage *self = TD_FORM_PAGE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (self->texts); i++)
    g_clear_handle_id (&self->texts[i].save_id, g_source_remove);
  td_gui_file_chooser_clear (&self->chooser);

  G_OBJECT_CLASS (td_form_page_parent_class)->dispose (object);
}

static void
td_form_page_finalize (GObject *object)
{
  TdFormPage *self = TD_FORM_PAGE (object);

  g_clear_object (&self->form);
  g_clear_pointer (&self->figures, td_figure_set_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->texts); i++)
    g_clear_pointer (&self->texts[i].basis_rows, g_ptr_array_unref);
  g_clear_object (&self->render);
  g_clear_pointer (&self->export_kind, g_free);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->campaign);
  g_clear_object (&self->session);
  g_clear_pointer (&self->dynamic_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (td_form_page_parent_class)->finalize (object);
}

static void
td_form_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TdFormPage *self = TD_FORM_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_form_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TdFormPage *self = TD_FORM_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      self->store = td_session_get_store (self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_form_page_class_init (TdFormPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = td_form_page_constructed;
  object_class->dispose = td_form_page_dispose;
  object_class->finalize = td_form_page_finalize;
  object_class->get_property = td_form_page_get_property;
  object_class->set_property = td_form_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-form-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TdFormPage, campaign_group);
  gtk_widget_class_bind_template_child (widget_class, TdFormPage, deadline_row);
  gtk_widget_class_bind_template_child (widget_class, TdFormPage, recipient_row);
  gtk_widget_class_bind_template_child (widget_class, TdFormPage, new_campaign_button);
  gtk_widget_class_bind_template_child (widget_class, TdFormPage, problems_group);
  gtk_widget_class_bind_template_child (widget_class, TdFormPage, profile_group);
  gtk_widget_class_bind_template_child (widget_class, TdFormPage, categories_group);
  gtk_widget_class_bind_template_child (widget_class, TdFormPage, fields_row);
  gtk_widget_class_bind_template_child (widget_class, TdFormPage, capacity_group);
  gtk_widget_class_bind_template_child (widget_class, TdFormPage, results_group);
  gtk_widget_class_bind_template_child (widget_class, TdFormPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdFormPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TdFormPage, preview_box);
  gtk_widget_class_bind_template_child (widget_class, TdFormPage, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, TdFormPage, zoom_box);
  gtk_widget_class_bind_template_callback (widget_class, td_form_page_fields_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, td_form_page_view_changed_cb);

  gtk_widget_class_install_action (widget_class, "form.zoom-in", NULL, td_form_page_zoom_action);
  gtk_widget_class_install_action (widget_class, "form.zoom-out", NULL, td_form_page_zoom_action);
  gtk_widget_class_install_action (widget_class, "form.zoom-reset", NULL, td_form_page_zoom_action);
  gtk_widget_class_install_action (widget_class, "form.preview", NULL, td_form_page_preview_action);
  gtk_widget_class_install_action (widget_class, "form.export", "s", td_form_page_export_action);
  td_form_page_class_add_print_actions (widget_class);
  td_form_page_class_add_campaign_actions (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "form.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "form.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "form.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "form.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "form.preview", NULL);
}

static void
td_form_page_init (TdFormPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->dynamic_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  self->zoom = 1.0;
  td_form_page_view_changed_cb (self);
}
