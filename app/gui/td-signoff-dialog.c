/* td-signoff-dialog.c: the principal reviews the form as it will be sent, and signs it off
 *
 * A screen of its own, not a button on the editing page: on the left the
 * form's pages as they will be sent — drawn by the renderer that makes the
 * PDF, with the signed cell filled in (the legal representative, the time
 * now, the first 16 digits of the form's hash) —, on the right what changed
 * since the newest signed revision, field by field, and anything that
 * stops the form being signed; under them the principal's passphrase and
 * Sign Off.
 *
 * Signing (td_signoff_sign_async()) unlocks the key and draws the PDF on a
 * worker thread; the dialog waits insensitive, with a spinner, and cannot
 * be closed half-way. A wrong passphrase, the lock that five of them start,
 * and every other refusal are said in the core's words, which are written
 * for people. Signed, the dialog closes and says so ("finished").
 *
 * With no passphrase set yet, the dialog first asks for one — twice, long
 * enough — and sets it on a worker thread (td_passphrase_store_async()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-signoff-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "td-canonical-json.h"
#include "td-form-json.h"
#include "td-form-render.h"
#include "td-gui-util.h"
#include "td-school.h"
#include "td-passphrase-dialog.h"
#include "td-revisions-dialog.h"
#include "td-signoff-dialog.h"
#include "td-session.h"
#include "td-signoff.h"

struct _TdSignoffDialog
{
  AdwWindow            parent_instance;

  TdSession           *session;
  TdStore             *store;     /* the session's */
  TdCampaign          *campaign;
  TdForm              *form;
  TdFormRender        *render;       /* the preview's pages */
  GCancellable        *cancellable;
  char                *changes_title;
  char                *next_revision;   /* "Revision 2": the one signing makes */
  guint                unlock_id;
  guint                n_changes;
  guint                n_problems;
  gboolean             busy;
  gboolean             can_sign;
  gboolean             past;         /* the campaign's deadline has passed */
  guint                n_unsupported;

  GtkWidget           *content;
  AdwWindowTitle      *window_title;
  GtkStack            *stack;
  AdwStatusPage       *setup_page;
  AdwEntryRow         *new_row;
  AdwEntryRow         *repeat_row;
  GtkLabel            *setup_message;
  GtkSpinner          *setup_spinner;
  GtkBox              *preview_box;
  AdwPreferencesGroup *problems_group;
  AdwPreferencesGroup *changes_group;
  AdwPreferencesGroup *opinion_group;
  AdwEntryRow         *opinion_row;
  GtkLabel            *opinion_counter;
  GtkLabel            *opinion_message;
  GtkLabel            *key_label;
  gboolean             opinion_too_long;
  AdwPreferencesGroup *destination_group;
  AdwPreferencesGroup *numbers_group;
  GtkCheckButton      *late_check;
  GtkLabel            *late_label;
  GtkLabel            *signer_label;
  GtkPasswordEntry    *passphrase_entry;
  GtkLabel            *message_label;
  GtkSpinner          *spinner;
};

G_DEFINE_FINAL_TYPE (TdSignoffDialog, td_signoff_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

enum {
  FINISHED,
  SIGNED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

TdSignoffDialog *
td_signoff_dialog_new (GtkWindow *parent,
                       TdSession *session)
{
  g_return_val_if_fail (TD_IS_SESSION (session), NULL);

  return g_object_new (TD_TYPE_SIGNOFF_DIALOG,
                       "transient-for", parent,
                       "session", session,
                       NULL);
}

static void
td_signoff_dialog_set_message (GtkLabel   *label,
                               const char *message,
                               gboolean    is_error)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
}

static void
td_signoff_dialog_actions_update (TdSignoffDialog *self)
{
  const char *new_text = gtk_editable_get_text (GTK_EDITABLE (self->new_row));
  const char *repeat_text = gtk_editable_get_text (GTK_EDITABLE (self->repeat_row));
  g_autofree char *problem = td_passphrase_check_new (new_text, repeat_text);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signoff.set-passphrase", problem == NULL && !self->busy);
  /* Past the deadline, only once the principal has said so. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signoff.sign",
                                 self->can_sign && !self->busy && !self->opinion_too_long &&
                                 (!self->past || gtk_check_button_get_active (self->late_check)));
}

static void
td_signoff_dialog_late_toggled_cb (TdSignoffDialog *self)
{
  td_signoff_dialog_actions_update (self);
}

static void
td_signoff_dialog_set_busy (TdSignoffDialog *self,
                            gboolean         busy)
{
  self->busy = busy;
  /* Focus leaves first: a focused entry must not turn insensitive. */
  if (busy)
    gtk_root_set_focus (GTK_ROOT (self), NULL);
  gtk_widget_set_sensitive (self->content, !busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_spinner_set_spinning (self->setup_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->setup_spinner), busy);
  td_signoff_dialog_actions_update (self);
}

/* The preview */

static void
td_signoff_dialog_draw_page_cb (GtkDrawingArea *area,
                                cairo_t        *cr,
                                int             width,
                                int             height,
                                gpointer        user_data)
{
  TdSignoffDialog *self = g_object_get_data (G_OBJECT (area), "td-dialog");

  if (self->render != NULL)
    td_form_render_page (self->render, GPOINTER_TO_UINT (user_data), cr);
}

/* The form as it will be sent: the PDF's drawing, with the cell the
 * signature fills as signing will fill it — unless the form has errors and
 * cannot be signed: then as it is, unsigned. */
static void
td_signoff_dialog_fill_preview (TdSignoffDialog *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(JsonNode) node = td_form_to_json_node (self->form);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *short_hash = NULL;
  TdFormRenderOptions options = { 0 };
  guint n_pages;
  gsize length;

  if (self->n_problems == 0 && !(json = td_canonical_json_from_node (node, &length, &error)))
    g_warning ("The form has no canonical form: %s", error->message);
  if (json != NULL)
    {
      /* The hash is the canonical JSON's, as signing computes it. */
      hash = td_sha256_hex (json, length);
      short_hash = g_strndup (hash, 16);
      options.signer = td_form_get (self->form, TD_FORM_LEGAL_REPRESENTATIVE);
      options.signed_at = now;
      options.hash = short_hash;
    }
  options.created = now;
  self->render = td_form_render_new (self->form, self->campaign, &options);
  n_pages = td_form_render_count_pages (self->render);

  for (guint i = 0; i < n_pages; i++)
    {
      GtkWidget *area = gtk_drawing_area_new ();
      g_autofree char *label = g_strdup_printf (_("Page %u of %u"), i + 1, n_pages);

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), (int)TD_FORM_RENDER_PAGE_WIDTH);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), (int)TD_FORM_RENDER_PAGE_HEIGHT);
      g_object_set_data (G_OBJECT (area), "td-dialog", self);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), td_signoff_dialog_draw_page_cb, GUINT_TO_POINTER (i), NULL);
      gtk_widget_add_css_class (area, "card");
      gtk_widget_set_halign (area, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (area), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_box_append (self->preview_box, area);
    }
}

/* The opinion printed in the 申报单位意见 cell and signed with the form:
 * the principal confirms or edits it; its date is the day of sign-off. */
#define DEFAULT_OPINION "同意申报。"

static void td_signoff_dialog_update_state (TdSignoffDialog *self);

/* The cell holds a few lines beside the signature and the seal; 100
 * characters, counted as the form counts its texts, fill it at the
 * smallest readable size (docs/figures.md has the texts' own limits). */
static void
td_signoff_dialog_opinion_check_length (TdSignoffDialog *self,
                                        const char      *text)
{
  guint n = td_form_count_characters (text, -1);
  g_autofree char *counter = g_strdup_printf ("%u/%d", n, TD_SIGNOFF_OPINION_LIMIT);

  gtk_label_set_text (self->opinion_counter, counter);
  self->opinion_too_long = n > TD_SIGNOFF_OPINION_LIMIT;
  if (self->opinion_too_long)
    {
      g_autofree char *message =
        /* Translators: the opinion's length, then the limit */
        g_strdup_printf (_("The opinion has %u characters; the form’s cell holds %d. Shorten it to sign off."),
                         n, TD_SIGNOFF_OPINION_LIMIT);

      td_signoff_dialog_set_message (self->opinion_message, message, TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->opinion_row), "error");
    }
  else
    {
      td_signoff_dialog_set_message (self->opinion_message, NULL, FALSE);
      gtk_widget_remove_css_class (GTK_WIDGET (self->opinion_row), "error");
    }
}

static void
td_signoff_dialog_opinion_changed_cb (TdSignoffDialog *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->opinion_row))));
  GtkWidget *child;

  td_signoff_dialog_opinion_check_length (self, text);
  td_signoff_dialog_actions_update (self);
  if (self->opinion_too_long)
    return;
  td_form_set_opinion (self->form, text[0] ? text : NULL, today);
  if (self->render == NULL)
    return;
  /* The preview shows it as it will be printed. */
  g_clear_object (&self->render);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->preview_box))))
    gtk_box_remove (self->preview_box, child);
  td_signoff_dialog_fill_preview (self);
  td_signoff_dialog_update_state (self);
}

static void
td_signoff_dialog_fill_opinion (TdSignoffDialog *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y-%m-%d");
  /* Translators: %s is today's date */
  g_autofree char *description = g_strdup_printf (_("Printed in the form’s 申报单位意见 cell and signed with it, "
                                                    "dated %s, the day of sign-off."), day);

  adw_preferences_group_set_description (self->opinion_group, description);
  gtk_editable_set_text (GTK_EDITABLE (self->opinion_row), DEFAULT_OPINION);
}

/* The side: what stops signing, and what changed */

static GtkWidget *
td_signoff_dialog_message_row_new (const char *title,
                                   const char *icon_name,
                                   const char *css_class)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (icon_name)
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon_name));
  if (css_class)
    gtk_widget_add_css_class (row, css_class);
  return row;
}

static void
td_signoff_dialog_fill_problems (TdSignoffDialog *self)
{
  g_autoptr(GPtrArray) problems = td_form_check (self->form, self->campaign);

  self->n_problems = problems->len;
  for (guint i = 0; i < problems->len; i++)
    {
      TdFormProblem *problem = g_ptr_array_index (problems, i);

      adw_preferences_group_add (self->problems_group, td_signoff_dialog_message_row_new (problem->message, "dialog-warning-symbolic", "warning"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problems_group), problems->len > 0);
}

static void
td_signoff_dialog_fill_changes (TdSignoffDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) revisions = td_revision_list (self->store, td_campaign_get_id (self->campaign), &error);
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(TdForm) signed_form = NULL;
  TdRevision *latest = NULL;

  if (revisions == NULL)
    g_warning ("The revisions could not be read: %s", error->message);
  for (guint i = 0; revisions && i < revisions->len && latest == NULL; i++)
    if (td_revision_is_signed (g_ptr_array_index (revisions, i)))
      latest = g_ptr_array_index (revisions, i);

  if (latest == NULL)
    {
      self->changes_title = g_strdup (_("First Revision"));
      adw_preferences_group_set_title (self->changes_group, self->changes_title);
      adw_preferences_group_set_description (self->changes_group,
                                             _("Nothing has been signed off yet: all of the form is new. "
                                               "Read it in full in the preview."));
      return;
    }

  /* Translators: the number of the newest signed revision, and its state (Signed, Sent…) */
  self->changes_title = g_strdup_printf (_("Changes Since Revision %lld (%s)"),
                                         (long long)td_revision_get_number (latest),
                                         td_revision_state_label (td_revision_get_state (latest)));
  adw_preferences_group_set_title (self->changes_group, self->changes_title);

  if (!(signed_form = td_revision_dup_form (latest, &error)))
    {
      adw_preferences_group_add (self->changes_group, td_signoff_dialog_message_row_new (error->message, "dialog-warning-symbolic", "warning"));
      return;
    }
  changes = td_form_diff (signed_form, self->form);
  self->n_changes = changes->len;
  for (guint i = 0; i < changes->len; i++)
    adw_preferences_group_add (self->changes_group, td_form_change_row_new (g_ptr_array_index (changes, i)));
  if (changes->len == 0)
    adw_preferences_group_add (self->changes_group, td_signoff_dialog_message_row_new (_("No field changed."), NULL, NULL));
}

static GtkWidget *
td_signoff_dialog_info_row_new (const char *title,
                                const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (row, "property");
  return row;
}

/* The campaign's deadline, in warning style once passed, and where the
 * form will go: the mailbox and post of the school's type, the upload. */
static void
td_signoff_dialog_fill_destination (TdSignoffDialog *self)
{
  TdSchool *school = td_session_get_school (self->session);
  g_autofree char *deadline = td_campaign_describe_deadline (self->campaign, NULL);
  g_autofree char *date = td_campaign_format_deadline (self->campaign);
  const char *type = school ? td_school_get (school, TD_SCHOOL_TYPE) : "";
  const TdRecipient *recipient = td_campaign_recipient_for (self->campaign, type);
  const char *endpoint = td_campaign_get_upload_endpoint (self->campaign);
  GtkWidget *row;

  self->past = td_campaign_is_past (self->campaign, NULL);
  row = td_signoff_dialog_info_row_new (_("Deadline"), deadline);
  if (self->past)
    {
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      gtk_widget_add_css_class (row, "warning");
    }
  adw_preferences_group_add (self->destination_group, row);

  if (recipient != NULL)
    {
      g_autofree char *mail = g_strdup_printf ("%s <%s>", recipient->authority, recipient->email);
      /* Translators: copies, then a postal address */
      g_autofree char *post = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d sealed copy to %s",
                                                            "%d sealed copies to %s", recipient->paper_copies),
                                               recipient->paper_copies, recipient->postal_address);

      adw_preferences_group_add (self->destination_group, td_signoff_dialog_info_row_new (_("By E-mail"), mail));
      if (recipient->postal_address != NULL && recipient->postal_address[0] != '\0')
        adw_preferences_group_add (self->destination_group, td_signoff_dialog_info_row_new (_("By Post"), post));
    }
  else
    adw_preferences_group_add (self->destination_group,
                               td_signoff_dialog_message_row_new (_("No department’s mailbox: choose the school’s type on the School page."),
                                                                  "dialog-warning-symbolic", "warning"));
  if (endpoint != NULL)
    adw_preferences_group_add (self->destination_group, td_signoff_dialog_info_row_new (_("Uploaded To"), endpoint));

  if (self->past)
    {
      g_autofree char *label = g_strdup_printf (_("The deadline, %s, has passed. Sign off and send the form all the same."),
                                                date);

      gtk_label_set_text (self->late_label, label);
      gtk_widget_add_css_class (GTK_WIDGET (self->late_label), "warning");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->late_check), self->past);
}

/* Numbers typed into fields 8 and 9 that no figure supports: a warning. */
static void
td_signoff_dialog_fill_numbers (TdSignoffDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdFigureSet) set = td_form_figures (self->store, self->form, &error);

  if (set == NULL)
    {
      g_warning ("The figures could not be read: %s", error->message);
      return;
    }
  for (TdFormField f = TD_FORM_CAPACITY; f <= TD_FORM_RESULTS; f++)
    {
      g_autoptr(GPtrArray) numbers = td_form_unsupported_numbers (self->store, self->form, set, f, &error);
      g_autofree char *joined = NULL;
      g_autofree char *title = NULL;

      if (numbers == NULL || numbers->len == 0)
        continue;
      self->n_unsupported += numbers->len;
      g_ptr_array_add (numbers, NULL);
      joined = g_strjoinv ("、", (char **)numbers->pdata);
      /* Translators: a field's number, then numbers */
      title = g_strdup_printf (_("Field %d: %s"), f == TD_FORM_CAPACITY ? 8 : 9, joined);
      adw_preferences_group_add (self->numbers_group, td_signoff_dialog_message_row_new (title, "dialog-warning-symbolic", "warning"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->numbers_group), self->n_unsupported > 0);
}

static void
td_signoff_dialog_fill_signer (TdSignoffDialog *self)
{
  const char *signer = td_form_get (self->form, TD_FORM_LEGAL_REPRESENTATIVE);
  g_autofree char *text = NULL;

  if (signer[0] == '\0')
    text = g_strdup (_("No legal representative is named in the school profile: nobody can sign off."));
  else
    /* Translators: %s is the legal representative's name */
    text = g_strdup_printf (_("Signed off in the name of %s, the legal representative in the school profile, "
                              "with the principal’s passphrase."),
                            signer);
  gtk_label_set_text (self->signer_label, text);
}

/* The key that will sign, as the receiver and anyone checking the
 * signature will name it (docs/signoff.md): the principal can compare it
 * with the one the office registered. */
static void
td_signoff_dialog_fill_key (TdSignoffDialog *self)
{
  g_autoptr(GBytes) public_key = td_signing_key_dup_public_key (self->store, NULL);
  g_autofree char *fingerprint = td_signing_key_fingerprint (public_key);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->key_label), fingerprint != NULL);
  if (fingerprint == NULL)
    return;
  /* Translators: %s is the signing key's fingerprint, "3A7F 09C2 …" */
  text = g_strdup_printf (_("Signing key: %s"), fingerprint);
  gtk_label_set_text (self->key_label, text);
}

/* Which step, and whether signing can go on */

static void td_signoff_dialog_update_state (TdSignoffDialog *self);

static gboolean
td_signoff_dialog_unlock_cb (gpointer user_data)
{
  TdSignoffDialog *self = user_data;

  self->unlock_id = 0;
  td_signoff_dialog_update_state (self);
  return G_SOURCE_REMOVE;
}

/* Shows the first step while no passphrase is set; otherwise the review,
 * with Sign Off enabled only when td_signoff_can_sign() agrees, and its
 * reason said when not. A lock is looked at again until it lifts. */
static void
td_signoff_dialog_update_state (TdSignoffDialog *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->unlock_id, g_source_remove);

  self->can_sign = td_signoff_can_sign (self->store, self->form, self->campaign, now, &error);
  if (g_error_matches (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_NO_KEY))
    {
      gtk_stack_set_visible_child_name (self->stack, "setup");
      td_signoff_dialog_actions_update (self);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "review");
  td_signoff_dialog_fill_key (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->passphrase_entry), self->can_sign);
  /* No revision would be made: no number to promise. */
  adw_window_title_set_subtitle (self->window_title,
                                 g_error_matches (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_UNCHANGED)
                                 ? NULL : self->next_revision);
  if (self->can_sign)
    td_signoff_dialog_set_message (self->message_label, NULL, FALSE);
  else
    td_signoff_dialog_set_message (self->message_label, error->message,
                                   !g_error_matches (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_UNCHANGED));

  if (g_error_matches (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_LOCKED))
    {
      g_autoptr(GDateTime) until = td_signing_key_dup_locked_until (self->store, now);
      GTimeSpan wait = until ? g_date_time_difference (until, now) : 0;

      /* Each second while the count is in seconds; then each half minute. */
      self->unlock_id = g_timeout_add_seconds (wait < 120 * G_TIME_SPAN_SECOND ? 1 : 30, td_signoff_dialog_unlock_cb, self);
    }
  td_signoff_dialog_actions_update (self);
}

/* Signing */

static void
td_signoff_dialog_sign_done_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(TdSignoffDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdRevision) revision = td_signoff_sign_finish (TD_STORE (object), result, &error);
  g_autofree char *message = NULL;

  /* Closed with its window meanwhile: nothing left to show it in. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  td_signoff_dialog_set_busy (self, FALSE);
  if (revision == NULL)
    {
      td_signoff_dialog_update_state (self);
      /* Locked now: td_signoff_dialog_update_state() said so; anything else, in its words. */
      if (self->can_sign || !g_error_matches (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_LOCKED))
        td_signoff_dialog_set_message (self->message_label, error->message, TRUE);
      if (self->can_sign)
        gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_entry));
      return;
    }

  message = g_strdup_printf (_("Revision %lld signed off"), (long long)td_revision_get_number (revision));
  g_signal_emit (self, signals[FINISHED], 0, message);
  /* Signed is meant to be sent: into the outbox, at once (the window
   * does, told by "signed"). */
  g_signal_emit (self, signals[SIGNED], 0, revision);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
td_signoff_dialog_sign_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  TdSignoffDialog *self = TD_SIGNOFF_DIALOG (widget);
  GtkEditable *entry = GTK_EDITABLE (self->passphrase_entry);
  g_autoptr(GDateTime) now = NULL;

  if (self->busy || !self->can_sign || (self->past && !gtk_check_button_get_active (self->late_check)))
    return;
  if (gtk_editable_get_text (entry)[0] == '\0')
    {
      td_signoff_dialog_set_message (self->message_label, _("Enter the principal’s passphrase to sign off."), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (entry));
      return;
    }

  now = g_date_time_new_now_local ();
  td_signoff_sign_async (self->store, self->form, self->campaign, gtk_editable_get_text (entry), now,
                         self->cancellable, td_signoff_dialog_sign_done_cb, g_object_ref (self));
  /* The core holds its own copy now, wiped when it is done. */
  gtk_editable_set_text (entry, "");
  td_signoff_dialog_set_message (self->message_label, NULL, FALSE);
  td_signoff_dialog_set_busy (self, TRUE);
}

static void
td_signoff_dialog_passphrase_activate_cb (TdSignoffDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "signoff.sign", NULL);
}

/* The first step: setting the passphrase */

static void
td_signoff_dialog_setup_changed_cb (TdSignoffDialog *self)
{
  const char *new_text = gtk_editable_get_text (GTK_EDITABLE (self->new_row));
  const char *repeat_text = gtk_editable_get_text (GTK_EDITABLE (self->repeat_row));
  g_autofree char *problem = td_passphrase_check_new (new_text, repeat_text);

  if (self->busy)
    return;
  if (new_text[0] == '\0')
    td_signoff_dialog_set_message (self->setup_message, NULL, FALSE);
  else if (g_utf8_strlen (new_text, -1) < TD_PASSPHRASE_MIN_LENGTH || repeat_text[0] == '\0')
    td_signoff_dialog_set_message (self->setup_message, problem, FALSE);     /* a hint while typing */
  else
    td_signoff_dialog_set_message (self->setup_message, problem, TRUE);
  td_signoff_dialog_actions_update (self);
}

static void
td_signoff_dialog_setup_activated_cb (TdSignoffDialog *self,
                                      AdwEntryRow     *row)
{
  if (row == self->new_row)
    gtk_widget_grab_focus (GTK_WIDGET (self->repeat_row));
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "signoff.set-passphrase", NULL);
}

static void
td_signoff_dialog_setup_done_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(TdSignoffDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = td_passphrase_store_finish (result, &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  td_signoff_dialog_set_busy (self, FALSE);
  if (!ok)
    {
      td_signoff_dialog_set_message (self->setup_message, error->message, TRUE);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->new_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_row), "");
  td_signoff_dialog_update_state (self);
  if (self->can_sign)
    {
      td_signoff_dialog_set_message (self->message_label, _("The passphrase is set. Enter it once more to sign off."), FALSE);
      gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_entry));
    }
}

static void
td_signoff_dialog_set_passphrase_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *parameter)
{
  TdSignoffDialog *self = TD_SIGNOFF_DIALOG (widget);
  const char *new_text = gtk_editable_get_text (GTK_EDITABLE (self->new_row));
  g_autofree char *problem = td_passphrase_check_new (new_text, gtk_editable_get_text (GTK_EDITABLE (self->repeat_row)));

  if (self->busy)
    return;
  if (problem != NULL)
    {
      td_signoff_dialog_set_message (self->setup_message, problem, TRUE);
      return;
    }
  td_passphrase_store_async (self->store, NULL, new_text, self->cancellable, td_signoff_dialog_setup_done_cb, g_object_ref (self));
  td_signoff_dialog_set_busy (self, TRUE);
}

/* Elsewhere */

static void
td_signoff_dialog_edit_form_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (widget));

  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-page", "s", "form");
  gtk_window_close (GTK_WINDOW (widget));
}

static void
td_signoff_dialog_close_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* Signing is short and must not be left half-way: closing waits for it. */
static gboolean
td_signoff_dialog_close_request (GtkWindow *window)
{
  TdSignoffDialog *self = TD_SIGNOFF_DIALOG (window);

  if (self->busy)
    return TRUE;
  return GTK_WINDOW_CLASS (td_signoff_dialog_parent_class)->close_request (window);
}

static void
td_signoff_dialog_constructed (GObject *object)
{
  TdSignoffDialog *self = TD_SIGNOFF_DIALOG (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  G_OBJECT_CLASS (td_signoff_dialog_parent_class)->constructed (object);

  if (!(self->campaign = td_session_load_campaign (self->session, &error)))
    {
      g_warning ("The campaign could not be read (%s): using the built-in one", error->message);
      g_clear_error (&error);
      self->campaign = td_campaign_get_builtin ();
    }
  /* The form as the Intent Form page shows it (td-form-page.c). */
  if (!(self->form = td_form_load (self->store, self->campaign, td_campaign_get_last_year (self->campaign), &error)))
    {
      g_warning ("Could not assemble the form: %s", error->message);
      g_clear_error (&error);
      self->form = td_form_new (td_campaign_get_id (self->campaign), td_campaign_get_first_year (self->campaign),
                                td_campaign_get_last_year (self->campaign));
    }

  /* Translators: the number the revision signed here will have */
  self->next_revision = g_strdup_printf (_("Revision %lld"),
                                         (long long)td_revision_next_number (self->store,
                                                                             td_campaign_get_id (self->campaign)));
  adw_window_title_set_subtitle (self->window_title, self->next_revision);
  description = g_strdup_printf (_("The principal signs off the form with a passphrase only the principal knows. "
                                   "Nobody can recover it, not even the training office: if it is forgotten, "
                                   "nobody can sign off again. Use at least %d characters."),
                                 TD_PASSPHRASE_MIN_LENGTH);
  adw_status_page_set_description (self->setup_page, description);

  td_signoff_dialog_fill_opinion (self);
  td_signoff_dialog_fill_problems (self);
  td_signoff_dialog_fill_destination (self);
  td_signoff_dialog_fill_numbers (self);
  td_signoff_dialog_fill_preview (self);
  td_signoff_dialog_fill_changes (self);
  td_signoff_dialog_fill_signer (self);
  td_signoff_dialog_update_state (self);
  gtk_widget_grab_focus (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "setup")
                         ? GTK_WIDGET (self->new_row) : GTK_WIDGET (self->passphrase_entry));
}

static void
td_signoff_dialog_dispose (GObject *object)
{
  TdSignoffDialog *self = TD_SIGNOFF_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->unlock_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_SIGNOFF_DIALOG);

  G_OBJECT_CLASS (td_signoff_dialog_parent_class)->dispose (object);
}

static void
td_signoff_dialog_finalize (GObject *object)
{
  TdSignoffDialog *self = TD_SIGNOFF_DIALOG (object);

  g_clear_pointer (&self->changes_title, g_free);
  g_clear_pointer (&self->next_revision, g_free);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->render);
  g_clear_object (&self->form);
  g_clear_object (&self->campaign);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (td_signoff_dialog_parent_class)->finalize (object);
}

static void
td_signoff_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TdSignoffDialog *self = TD_SIGNOFF_DIALOG (object);

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
td_signoff_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TdSignoffDialog *self = TD_SIGNOFF_DIALOG (object);

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
td_signoff_dialog_class_init (TdSignoffDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = td_signoff_dialog_constructed;
  object_class->dispose = td_signoff_dialog_dispose;
  object_class->finalize = td_signoff_dialog_finalize;
  object_class->get_property = td_signoff_dialog_get_property;
  object_class->set_property = td_signoff_dialog_set_property;
  window_class->close_request = td_signoff_dialog_close_request;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TdSignoffDialog::finished:
   * @message: what was done, in a sentence (for a toast)
   *
   * A revision was signed off; the dialog closes itself after.
   */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TdSignoffDialog::signed:
   * @revision: the revision signed off
   *
   * Emitted after #TdSignoffDialog::finished: signed is meant to be sent.
   */
  signals[SIGNED] =
    g_signal_new ("signed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TD_TYPE_REVISION);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-signoff-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, content);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, setup_page);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, new_row);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, setup_message);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, setup_spinner);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, preview_box);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, problems_group);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, changes_group);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, opinion_group);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, opinion_row);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, opinion_counter);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, opinion_message);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, key_label);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, destination_group);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, numbers_group);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, late_check);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, late_label);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, signer_label);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, passphrase_entry);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, TdSignoffDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, td_signoff_dialog_setup_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, td_signoff_dialog_setup_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, td_signoff_dialog_passphrase_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, td_signoff_dialog_late_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, td_signoff_dialog_opinion_changed_cb);

  gtk_widget_class_install_action (widget_class, "signoff.sign", NULL, td_signoff_dialog_sign_action);
  gtk_widget_class_install_action (widget_class, "signoff.set-passphrase", NULL, td_signoff_dialog_set_passphrase_action);
  gtk_widget_class_install_action (widget_class, "signoff.edit-form", NULL, td_signoff_dialog_edit_form_action);
  gtk_widget_class_install_action (widget_class, "signoff.close", NULL, td_signoff_dialog_close_action);

  td_gui_class_close_on_escape (widget_class, "signoff.close");
}

static void
td_signoff_dialog_init (TdSignoffDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* Whether signing waits for the late confirmation; its check button. */
gboolean
td_signoff_dialog_is_past (TdSignoffDialog *self)
{
  return self->past;
}

GtkCheckButton *
td_signoff_dialog_get_late_check (TdSignoffDialog *self)
{
  return self->late_check;
}

guint
td_signoff_dialog_get_n_unsupported (TdSignoffDialog *self)
{
  return self->n_unsupported;
}

/* "setup" (no passphrase yet) or "review". */
const char *
td_signoff_dialog_get_step (TdSignoffDialog *self)
{
  g_return_val_if_fail (TD_IS_SIGNOFF_DIALOG (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
td_signoff_dialog_is_busy (TdSignoffDialog *self)
{
  g_return_val_if_fail (TD_IS_SIGNOFF_DIALOG (self), FALSE);

  return self->busy;
}

gboolean
td_signoff_dialog_get_can_sign (TdSignoffDialog *self)
{
  g_return_val_if_fail (TD_IS_SIGNOFF_DIALOG (self), FALSE);

  return self->can_sign;
}

/* 0: the passphrase that signs; 1 and 2: the first step's new one, twice. */
GtkEditable *
td_signoff_dialog_get_entry (TdSignoffDialog *self,
                             guint            i)
{
  g_return_val_if_fail (TD_IS_SIGNOFF_DIALOG (self), NULL);

  switch (i)
    {
    case 0: return GTK_EDITABLE (self->passphrase_entry);
    case 1: return GTK_EDITABLE (self->new_row);
    case 2: return GTK_EDITABLE (self->repeat_row);
    default: g_return_val_if_reached (NULL);
    }
}

/* What the step shown says under its entries, or %NULL. */
/* The fingerprint line, %NULL while hidden; the opinion's message, %NULL
 * while it fits. For tests. */
const char *
td_signoff_dialog_get_key_text (TdSignoffDialog *self)
{
  g_return_val_if_fail (TD_IS_SIGNOFF_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->key_label)) ? gtk_label_get_text (self->key_label) : NULL;
}

const char *
td_signoff_dialog_get_opinion_message (TdSignoffDialog *self)
{
  g_return_val_if_fail (TD_IS_SIGNOFF_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->opinion_message)) ? gtk_label_get_text (self->opinion_message) : NULL;
}

AdwEntryRow *
td_signoff_dialog_get_opinion_row (TdSignoffDialog *self)
{
  g_return_val_if_fail (TD_IS_SIGNOFF_DIALOG (self), NULL);

  return self->opinion_row;
}

const char *
td_signoff_dialog_get_message (TdSignoffDialog *self)
{
  GtkLabel *label;

  g_return_val_if_fail (TD_IS_SIGNOFF_DIALOG (self), NULL);

  label = g_str_equal (td_signoff_dialog_get_step (self), "setup") ? self->setup_message : self->message_label;
  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
}

guint
td_signoff_dialog_get_n_preview_pages (TdSignoffDialog *self)
{
  guint n = 0;

  g_return_val_if_fail (TD_IS_SIGNOFF_DIALOG (self), 0);

  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (self->preview_box)); w; w = gtk_widget_get_next_sibling (w))
    n++;
  return n;
}

const char *
td_signoff_dialog_get_changes_title (TdSignoffDialog *self)
{
  g_return_val_if_fail (TD_IS_SIGNOFF_DIALOG (self), NULL);

  return self->changes_title;
}

guint
td_signoff_dialog_get_n_changes (TdSignoffDialog *self)
{
  g_return_val_if_fail (TD_IS_SIGNOFF_DIALOG (self), 0);

  return self->n_changes;
}

guint
td_signoff_dialog_get_n_problems (TdSignoffDialog *self)
{
  g_return_val_if_fail (TD_IS_SIGNOFF_DIALOG (self), 0);

  return self->n_problems;
}
