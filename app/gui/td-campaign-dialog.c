/* td-campaign-dialog.c: this year's campaign, started from the current one
 *
 * A school should not be stuck on the built-in 2020 campaign, whose
 * deadline passed years ago. The office copies the campaign it has
 * (td_campaign_draft_new()), changes what this year's notice says — year,
 * number and title, deadline, each authority's mailbox, the upload address,
 * the paper copies — and saves: the campaign is built and checked exactly
 * as an imported file is (td_campaign_draft_build()), made current in one
 * transaction, and, if asked, written as a file other schools import. Each
 * field is checked as it is typed, the reason beside it; Save stays
 * insensitive until every field is right, so Enter saves only then.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-campaign-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "td-campaign-dialog.h"
#include "td-gui-util.h"
#include "td-session.h"
#include "td-limits.h"
#include "td-validate.h"

struct _TdCampaignDialog
{
  AdwWindow             parent_instance;

  TdSession            *session;
  TdStore              *store;     /* the session's */
  TdCampaign           *base;
  GPtrArray            *email_rows;     /* one per recipient of @base */
  int                   year;           /* the year the notice names now */
  gboolean              valid;
  GFile                *file;           /* where to save, chooser skipped */
  GtkFileChooserNative *chooser;
  TdCampaign           *saved;

  GtkWidget            *save_button;
  GtkSpinButton        *year_spin;
  AdwEntryRow          *notice_row;
  AdwEntryRow          *notice_title_row;
  AdwEntryRow          *deadline_row;
  GtkCalendar          *calendar;
  GtkLabel             *notice_message;
  AdwPreferencesGroup  *recipients_group;
  GtkWidget            *copies_row;
  GtkSpinButton        *copies_spin;
  GtkLabel             *recipients_message;
  AdwEntryRow          *endpoint_row;
  GtkLabel             *endpoint_message;
  GtkSwitch            *file_switch;
};

G_DEFINE_FINAL_TYPE (TdCampaignDialog, td_campaign_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

TdCampaignDialog *
td_campaign_dialog_new (GtkWindow *parent,
                        TdSession *session)
{
  g_return_val_if_fail (TD_IS_SESSION (session), NULL);

  return g_object_new (TD_TYPE_CAMPAIGN_DIALOG,
                       "transient-for", parent,
                       "session", session,
                       NULL);
}

/* Checking, as it is typed */

static const char *
td_campaign_dialog_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
td_campaign_dialog_mark (GtkWidget *row,
                         gboolean   wrong)
{
  if (wrong)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

static void
td_campaign_dialog_show (GtkLabel *label,
                         GString  *messages)
{
  gtk_label_set_text (label, messages->str);
  gtk_widget_set_visible (GTK_WIDGET (label), messages->len > 0);
}

static void
td_campaign_dialog_add (GString    *messages,
                        const char *message)
{
  if (messages->len > 0)
    g_string_append_c (messages, '\n');
  g_string_append (messages, message);
}

/* The deadline typed, in @date; %FALSE when it is no date. */
static gboolean
td_campaign_dialog_parse_date (const char *text,
                               GDate      *date)
{
  int y, m, d;
  char end;

  g_date_clear (date, 1);
  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static gboolean
td_campaign_dialog_check_endpoint (const char *text)
{
  g_autoptr(GUri) uri = NULL;

  if (text[0] == '\0')
    return TRUE;
  if (g_utf8_strlen (text, -1) > TD_LIMIT_URL || !g_str_has_prefix (text, "https://"))
    return FALSE;
  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  return uri != NULL && g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0';
}

static void
td_campaign_dialog_check (TdCampaignDialog *self)
{
  g_autoptr(GString) notice = g_string_new (NULL);
  g_autoptr(GString) recipients = g_string_new (NULL);
  g_autoptr(GString) endpoint = g_string_new (NULL);
  const char *number = td_campaign_dialog_text (self->notice_row);
  const char *title = td_campaign_dialog_text (self->notice_title_row);
  GDate deadline;
  gboolean wrong;

  wrong = number[0] == '\0' || g_utf8_strlen (number, -1) > TD_LIMIT_CAMPAIGN_TITLE;
  if (wrong)
    td_campaign_dialog_add (notice, number[0] == '\0'
                            ? _("Enter the notice’s number, such as 鲁教职字〔2026〕5号.")
                            : _("The notice’s number is too long."));
  td_campaign_dialog_mark (GTK_WIDGET (self->notice_row), wrong);

  wrong = g_utf8_strlen (title, -1) > TD_LIMIT_CAMPAIGN_TITLE;
  if (wrong)
    td_campaign_dialog_add (notice, _("The notice’s title is too long."));
  td_campaign_dialog_mark (GTK_WIDGET (self->notice_title_row), wrong);

  wrong = !td_campaign_dialog_parse_date (td_campaign_dialog_text (self->deadline_row), &deadline);
  if (wrong)
    td_campaign_dialog_add (notice, _("Enter the deadline as a date written YYYY-MM-DD, such as 2026-06-30."));
  else if ((wrong = g_date_get_year (&deadline) < (GDateYear)self->year))
    td_campaign_dialog_add (notice, _("The deadline cannot be before the campaign’s year."));
  td_campaign_dialog_mark (GTK_WIDGET (self->deadline_row), wrong);
  td_campaign_dialog_show (self->notice_message, notice);

  for (guint i = 0; i < self->email_rows->len; i++)
    {
      AdwEntryRow *row = g_ptr_array_index (self->email_rows, i);
      g_autoptr(GError) error = NULL;

      wrong = !td_validate_email (td_campaign_dialog_text (row), TRUE, NULL, &error);
      if (wrong)
        {
          /* Translators: an authority, then what is wrong with its e-mail address */
          g_autofree char *message = g_strdup_printf (_("%s: %s"),
                                                      adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                                      error->message);

          td_campaign_dialog_add (recipients, message);
        }
      td_campaign_dialog_mark (GTK_WIDGET (row), wrong);
    }
  td_campaign_dialog_show (self->recipients_message, recipients);

  wrong = !td_campaign_dialog_check_endpoint (td_campaign_dialog_text (self->endpoint_row));
  if (wrong)
    td_campaign_dialog_add (endpoint, _("Enter an https:// address, such as https://forms.example.edu.cn/upload, or leave it empty."));
  td_campaign_dialog_mark (GTK_WIDGET (self->endpoint_row), wrong);
  td_campaign_dialog_show (self->endpoint_message, endpoint);

  self->valid = notice->len == 0 && recipients->len == 0 && endpoint->len == 0;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaign.save", self->valid);
}

static void
td_campaign_dialog_changed_cb (TdCampaignDialog *self)
{
  g_assert (TD_IS_CAMPAIGN_DIALOG (self));

  td_campaign_dialog_check (self);
}

/* Enter in any field saves, once everything is right. */
static void
td_campaign_dialog_activated_cb (TdCampaignDialog *self)
{
  g_assert (TD_IS_CAMPAIGN_DIALOG (self));

  if (self->valid)
    gtk_widget_activate_action (GTK_WIDGET (self), "campaign.save", NULL);
}

/* Another year: the notice's number and the deadline follow, where they
 * still name the year before. */
static void
td_campaign_dialog_year_changed_cb (TdCampaignDialog *self)
{
  int year = gtk_spin_button_get_value_as_int (self->year_spin);
  g_autofree char *old_year = g_strdup_printf ("%d", self->year);
  g_autofree char *new_year = g_strdup_printf ("%d", year);
  g_auto(GStrv) parts = g_strsplit (td_campaign_dialog_text (self->notice_row), old_year, -1);
  g_autofree char *notice = g_strjoinv (new_year, parts);
  const char *deadline = td_campaign_dialog_text (self->deadline_row);

  g_assert (TD_IS_CAMPAIGN_DIALOG (self));

  if (year == self->year)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->notice_row), notice);
  if (g_str_has_prefix (deadline, old_year))
    {
      g_autofree char *moved = g_strconcat (new_year, deadline + strlen (old_year), NULL);

      gtk_editable_set_text (GTK_EDITABLE (self->deadline_row), moved);
    }
  self->year = year;
  td_campaign_dialog_check (self);
}

static void
td_campaign_dialog_calendar_shown_cb (TdCampaignDialog *self)
{
  GDate date;

  g_assert (TD_IS_CAMPAIGN_DIALOG (self));

  if (td_campaign_dialog_parse_date (td_campaign_dialog_text (self->deadline_row), &date))
    {
      g_autoptr(GDateTime) shown = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                                                          g_date_get_day (&date), 0, 0, 0);

      gtk_calendar_select_day (self->calendar, shown);
    }
}

static void
td_campaign_dialog_day_selected_cb (TdCampaignDialog *self)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (self->calendar);
  g_autofree char *text = g_date_time_format (day, "%Y-%m-%d");

  g_assert (TD_IS_CAMPAIGN_DIALOG (self));

  if (g_strcmp0 (text, td_campaign_dialog_text (self->deadline_row)) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->deadline_row), text);
}

/* Filling in, from the current campaign */

static void
td_campaign_dialog_fill (TdCampaignDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdCampaignDraft) draft = NULL;
  const TdRecipient *first;
  GDate today;
  char deadline[16];
  int year;

  self->base = td_session_load_campaign (self->session, &error);
  if (self->base == NULL)
    {
      g_warning ("The current campaign cannot be read, starting from the built-in one: %s", error->message);
      self->base = td_campaign_get_builtin ();
    }

  /* This year's, unless the current campaign is already of this year or later. */
  td_campaign_today (&today);
  year = MAX ((int)g_date_get_year (&today), td_campaign_get_year (self->base));
  draft = td_campaign_draft_new (self->base, year);
  if (year == td_campaign_get_year (self->base))
    draft->deadline = *td_campaign_get_deadline (self->base);

  self->year = year;
  gtk_spin_button_set_value (self->year_spin, year);
  gtk_editable_set_text (GTK_EDITABLE (self->notice_row), draft->notice);
  gtk_editable_set_text (GTK_EDITABLE (self->notice_title_row), draft->notice_title ? draft->notice_title : "");
  g_date_strftime (deadline, sizeof deadline, "%Y-%m-%d", &draft->deadline);
  gtk_editable_set_text (GTK_EDITABLE (self->deadline_row), deadline);
  gtk_editable_set_text (GTK_EDITABLE (self->endpoint_row), draft->upload_endpoint ? draft->upload_endpoint : "");

  for (guint i = 0; i < draft->recipients->len; i++)
    {
      TdRecipient *r = g_ptr_array_index (draft->recipients, i);
      GtkWidget *row = adw_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), r->authority);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_editable_set_text (GTK_EDITABLE (row), r->email);
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_EMAIL);
      g_signal_connect_swapped (row, "changed", G_CALLBACK (td_campaign_dialog_changed_cb), self);
      g_signal_connect_swapped (row, "entry-activated", G_CALLBACK (td_campaign_dialog_activated_cb), self);
      adw_preferences_group_add (self->recipients_group, row);
      g_ptr_array_add (self->email_rows, row);
    }
  /* The copies after the mailboxes, as the notice says them. */
  g_object_ref (self->copies_row);
  adw_preferences_group_remove (self->recipients_group, self->copies_row);
  adw_preferences_group_add (self->recipients_group, self->copies_row);
  g_object_unref (self->copies_row);
  first = draft->recipients->len ? g_ptr_array_index (draft->recipients, 0) : NULL;
  gtk_spin_button_set_value (self->copies_spin, first && first->paper_copies > 0 ? first->paper_copies : 2);
  td_campaign_dialog_check (self);
}

/* Saving */

static TdCampaign *
td_campaign_dialog_build (TdCampaignDialog  *self,
                          GError           **error)
{
  g_autoptr(TdCampaignDraft) draft = td_campaign_draft_new (self->base, self->year);
  int copies = gtk_spin_button_get_value_as_int (self->copies_spin);

  g_free (draft->notice);
  draft->notice = g_strstrip (g_strdup (td_campaign_dialog_text (self->notice_row)));
  g_free (draft->notice_title);
  draft->notice_title = g_strstrip (g_strdup (td_campaign_dialog_text (self->notice_title_row)));
  td_campaign_dialog_parse_date (td_campaign_dialog_text (self->deadline_row), &draft->deadline);
  g_free (draft->upload_endpoint);
  draft->upload_endpoint = g_strstrip (g_strdup (td_campaign_dialog_text (self->endpoint_row)));
  for (guint i = 0; i < draft->recipients->len; i++)
    {
      TdRecipient *r = g_ptr_array_index (draft->recipients, i);

      g_free (r->email);
      r->email = g_strstrip (g_strdup (td_campaign_dialog_text (g_ptr_array_index (self->email_rows, i))));
      r->paper_copies = copies;
    }
  return td_campaign_draft_build (draft, error);
}

static void
td_campaign_dialog_write (TdCampaignDialog *self,
                          GFile            *file)
{
  g_autoptr(GError) error = NULL;

  /* A few kilobytes to a local file: written at once. */
  if (!td_campaign_save (self->saved, file, NULL, &error))
    {
      td_gui_show_error (GTK_WIDGET (self), _("The Campaign File Was Not Saved"), error);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
td_campaign_dialog_file_chosen_cb (gpointer  owner,
                                   GFile    *file)
{
  TdCampaignDialog *self = owner;

  /* The campaign is current already: without a file, the dialog is done. */
  if (file == NULL)
    gtk_window_close (GTK_WINDOW (self));
  else
    td_campaign_dialog_write (self, file);
}

static void
td_campaign_dialog_choose_file (TdCampaignDialog *self)
{
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();
  g_autofree char *name = g_strdup_printf ("%s.json", td_campaign_get_id (self->saved));
  GtkFileChooserNative *chooser;

  gtk_file_filter_set_name (json, _("Campaign Files (JSON)"));
  gtk_file_filter_add_suffix (json, "json");
  chooser = td_gui_file_chooser_new (GTK_WIDGET (self), _("Save the Campaign File"),
                                     GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), json);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  td_gui_file_chooser_show (chooser, &self->chooser, self, td_campaign_dialog_file_chosen_cb);
}

static void
td_campaign_dialog_save_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  TdCampaignDialog *self = TD_CAMPAIGN_DIALOG (widget);
  g_autoptr(TdCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;

  td_campaign_dialog_check (self);
  if (!self->valid || self->chooser != NULL)
    return;
  if (!(campaign = td_campaign_dialog_build (self, &error)) ||
      !td_session_make_campaign_current (self->session, campaign, &error))
    {
      td_gui_show_error (GTK_WIDGET (self), _("The Campaign Was Not Saved"), error);
      return;
    }
  g_set_object (&self->saved, campaign);
  g_signal_emit (self, signals[SAVED], 0, campaign);

  if (!gtk_switch_get_active (self->file_switch))
    gtk_window_close (GTK_WINDOW (self));
  else if (self->file != NULL)
    td_campaign_dialog_write (self, self->file);
  else
    td_campaign_dialog_choose_file (self);
}

/* For tests */

AdwEntryRow *
td_campaign_dialog_get_email_row (TdCampaignDialog *self,
                                  guint             i)
{
  g_return_val_if_fail (TD_IS_CAMPAIGN_DIALOG (self), NULL);
  g_return_val_if_fail (i < self->email_rows->len, NULL);

  return g_ptr_array_index (self->email_rows, i);
}

guint
td_campaign_dialog_get_n_recipients (TdCampaignDialog *self)
{
  g_return_val_if_fail (TD_IS_CAMPAIGN_DIALOG (self), 0);

  return self->email_rows->len;
}

gboolean
td_campaign_dialog_is_valid (TdCampaignDialog *self)
{
  g_return_val_if_fail (TD_IS_CAMPAIGN_DIALOG (self), FALSE);

  return self->valid;
}

/* Saves the file to @file without asking where (the switch still decides
 * whether a file is saved at all). */
void
td_campaign_dialog_set_file (TdCampaignDialog *self,
                             GFile            *file)
{
  g_return_if_fail (TD_IS_CAMPAIGN_DIALOG (self));

  g_set_object (&self->file, file);
}

/* The object */

static void
td_campaign_dialog_constructed (GObject *object)
{
  TdCampaignDialog *self = TD_CAMPAIGN_DIALOG (object);

  G_OBJECT_CLASS (td_campaign_dialog_parent_class)->constructed (object);

  td_campaign_dialog_fill (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->notice_row));
}

static void
td_campaign_dialog_dispose (GObject *object)
{
  TdCampaignDialog *self = TD_CAMPAIGN_DIALOG (object);

  td_gui_file_chooser_clear (&self->chooser);

  G_OBJECT_CLASS (td_campaign_dialog_parent_class)->dispose (object);
}

static void
td_campaign_dialog_finalize (GObject *object)
{
  TdCampaignDialog *self = TD_CAMPAIGN_DIALOG (object);

  g_clear_pointer (&self->email_rows, g_ptr_array_unref);
  g_clear_object (&self->file);
  g_clear_object (&self->saved);
  g_clear_object (&self->base);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (td_campaign_dialog_parent_class)->finalize (object);
}

static void
td_campaign_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TdCampaignDialog *self = TD_CAMPAIGN_DIALOG (object);

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
td_campaign_dialog_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TdCampaignDialog *self = TD_CAMPAIGN_DIALOG (object);

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
td_campaign_dialog_class_init (TdCampaignDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = td_campaign_dialog_constructed;
  object_class->dispose = td_campaign_dialog_dispose;
  object_class->finalize = td_campaign_dialog_finalize;
  object_class->get_property = td_campaign_dialog_get_property;
  object_class->set_property = td_campaign_dialog_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TdCampaignDialog::saved:
   * @campaign: the campaign now current
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, TD_TYPE_CAMPAIGN);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-campaign-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TdCampaignDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, TdCampaignDialog, year_spin);
  gtk_widget_class_bind_template_child (widget_class, TdCampaignDialog, notice_row);
  gtk_widget_class_bind_template_child (widget_class, TdCampaignDialog, notice_title_row);
  gtk_widget_class_bind_template_child (widget_class, TdCampaignDialog, deadline_row);
  gtk_widget_class_bind_template_child (widget_class, TdCampaignDialog, calendar);
  gtk_widget_class_bind_template_child (widget_class, TdCampaignDialog, notice_message);
  gtk_widget_class_bind_template_child (widget_class, TdCampaignDialog, recipients_group);
  gtk_widget_class_bind_template_child (widget_class, TdCampaignDialog, copies_row);
  gtk_widget_class_bind_template_child (widget_class, TdCampaignDialog, copies_spin);
  gtk_widget_class_bind_template_child (widget_class, TdCampaignDialog, recipients_message);
  gtk_widget_class_bind_template_child (widget_class, TdCampaignDialog, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, TdCampaignDialog, endpoint_message);
  gtk_widget_class_bind_template_child (widget_class, TdCampaignDialog, file_switch);
  gtk_widget_class_bind_template_callback (widget_class, td_campaign_dialog_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, td_campaign_dialog_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, td_campaign_dialog_year_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, td_campaign_dialog_calendar_shown_cb);
  gtk_widget_class_bind_template_callback (widget_class, td_campaign_dialog_day_selected_cb);

  gtk_widget_class_install_action (widget_class, "campaign.save", NULL, td_campaign_dialog_save_action);
  td_gui_class_close_on_escape (widget_class, "window.close");
}

static void
td_campaign_dialog_init (TdCampaignDialog *self)
{
  self->email_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
