/* td-revisions-dialog.c: the revisions of the form, and what changed between two
 *
 * Lists the current campaign's revisions, newest first — each with its
 * state, who signed it and when, and whether it still matches its
 * signature (td_revision_verify(), in red words when not) — and, above
 * them, the form as it is now when it differs from the newest signed
 * revision: the draft the next sign-off would make a revision of. Two
 * drop-downs choose any two of these, the two newest at first, and their
 * differences are listed field by field (td_form_diff()). The PDF of a
 * signed revision that verifies can be saved, byte for byte as signed.
 *
 * Also here, as the sign-off dialog and the window need them: one field's
 * change as a row, and the words for revisions that fail their check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-revisions-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "td-campaign.h"
#include "td-form.h"
#include "td-gui-util.h"
#include "td-revisions-dialog.h"
#include "td-session.h"
#include "td-signing-key.h"

typedef struct
{
  TdRevision *revision;   /* NULL: the form as it is now, not signed */
  TdForm     *form;
  char       *title;      /* as the drop-downs list it */
  char       *failure;    /* why it no longer verifies, or NULL */
} Entry;

struct _TdRevisionsDialog
{
  AdwWindow             parent_instance;

  TdSession            *session;
  TdStore              *store;     /* the session's */
  TdCampaign           *campaign;
  GArray               *entries;      /* Entry, newest first */
  GPtrArray            *change_rows;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  guint                 saving;       /* the entry the chooser is for */
  guint                 n_changes;
  gboolean              loading;

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  AdwPreferencesGroup  *list_group;
  AdwPreferencesGroup  *compare_group;
  AdwPreferencesGroup  *changes_group;
  GtkDropDown          *from_drop;
  GtkDropDown          *to_drop;
};

G_DEFINE_FINAL_TYPE (TdRevisionsDialog, td_revisions_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
td_revisions_dialog_entry_clear (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->revision);
  g_clear_object (&entry->form);
  g_clear_pointer (&entry->title, g_free);
  g_clear_pointer (&entry->failure, g_free);
}

TdRevisionsDialog *
td_revisions_dialog_new (GtkWindow *parent,
                         TdSession *session)
{
  g_return_val_if_fail (TD_IS_SESSION (session), NULL);

  return g_object_new (TD_TYPE_REVISIONS_DIALOG,
                       "transient-for", parent,
                       "session", session,
                       NULL);
}

/* Shared */

static GtkWidget *
td_revisions_dialog_wrapped_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  return label;
}

static GtkWidget *
td_revisions_dialog_value_label (const char *value)
{
  GtkWidget *label = td_revisions_dialog_wrapped_label (value[0] ? value : _("(empty)"));

  if (value[0] == '\0')
    gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/**
 * td_form_change_row_new:
 *
 * One field that differs, for a boxed list: its label, and its value
 * before and after, in full.
 *
 * Returns: (transfer floating): an #AdwPreferencesRow
 */
GtkWidget *
td_form_change_row_new (const TdFormChange *change)
{
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *title = td_revisions_dialog_wrapped_label (change->label);
  GtkWidget *before = gtk_label_new (_("Before"));
  GtkWidget *after = gtk_label_new (_("After"));
  GtkWidget *captions[] = { before, after };

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), change->label);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  gtk_widget_add_css_class (title, "heading");
  for (guint i = 0; i < G_N_ELEMENTS (captions); i++)
    {
      gtk_label_set_xalign (GTK_LABEL (captions[i]), 0);
      gtk_widget_set_valign (captions[i], GTK_ALIGN_START);
      gtk_widget_add_css_class (captions[i], "dim-label");
      gtk_widget_add_css_class (captions[i], "caption");
    }

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_top (grid, 10);
  gtk_widget_set_margin_bottom (grid, 10);
  gtk_widget_set_margin_start (grid, 12);
  gtk_widget_set_margin_end (grid, 12);
  gtk_grid_attach (GTK_GRID (grid), title, 0, 0, 2, 1);
  gtk_grid_attach (GTK_GRID (grid), before, 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), td_revisions_dialog_value_label (change->old_value), 1, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), after, 0, 2, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), td_revisions_dialog_value_label (change->new_value), 1, 2, 1, 1);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), grid);
  return row;
}

/**
 * td_revisions_describe_failures:
 * @failures: (element-type GError): from td_revision_verify_all()
 *
 * Returns: (transfer full) (nullable): one paragraph for each revision
 *   that fails, saying which and what to do; %NULL when all verify
 */
char *
td_revisions_describe_failures (GPtrArray *failures)
{
  g_autoptr(GString) text = NULL;

  if (failures == NULL || failures->len == 0)
    return NULL;

  text = g_string_new (NULL);
  for (guint i = 0; i < failures->len; i++)
    {
      const GError *failure = g_ptr_array_index (failures, i);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, failure->message);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The list */

static char *
td_revisions_dialog_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static GtkWidget *
td_revisions_dialog_entry_row_new (TdRevisionsDialog *self,
                                   guint              index)
{
  Entry *entry = &g_array_index (self->entries, Entry, index);
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = td_revisions_dialog_wrapped_label (entry->title);
  g_autofree char *meta = NULL;
  GtkWidget *status;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), entry->title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (text), title);

  if (entry->revision == NULL)
    {
      g_autofree char *next = g_strdup_printf (_("The form as it is now. Signing it off makes it revision %lld."),
                                               (long long)td_revision_next_number (self->store,
                                                                                   td_campaign_get_id (self->campaign)));
      status = td_revisions_dialog_wrapped_label (next);
      gtk_widget_add_css_class (status, "dim-label");
      gtk_box_append (GTK_BOX (text), status);
    }
  else
    {
      TdRevision *revision = entry->revision;

      if (td_revision_is_signed (revision))
        {
          g_autofree char *when = td_revisions_dialog_format_time (td_revision_get_signed_at (revision));

          /* Translators: who signed a revision, and when */
          meta = g_strdup_printf (_("Signed off by %s on %s"), td_revision_get_signer (revision), when);
        }
      else
        {
          g_autofree char *when = td_revisions_dialog_format_time (td_revision_get_created_at (revision));

          meta = g_strdup_printf (_("Kept on %s, not signed"), when);
        }
      status = td_revisions_dialog_wrapped_label (meta);
      gtk_widget_add_css_class (status, "dim-label");
      gtk_box_append (GTK_BOX (text), status);

      if (td_revision_is_signed (revision))
        {
          status = td_revisions_dialog_wrapped_label (entry->failure ? entry->failure
                                                 : _("✓ Verified: the form and its PDF are exactly as signed."));
          gtk_widget_add_css_class (status, entry->failure ? "error" : "success");
          gtk_box_append (GTK_BOX (text), status);
        }
    }

  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), text);

  if (entry->revision != NULL && td_revision_is_signed (entry->revision))
    {
      GtkWidget *save = gtk_button_new_with_mnemonic (_("Save _PDF…"));

      gtk_widget_set_valign (save, GTK_ALIGN_CENTER);
      /* A PDF that no longer matches what was signed is not handed out. */
      if (entry->failure != NULL)
        {
          gtk_widget_set_sensitive (save, FALSE);
          gtk_widget_set_tooltip_text (save, _("This revision no longer matches its signature: its PDF cannot be saved."));
        }
      else
        {
          gtk_actionable_set_action_name (GTK_ACTIONABLE (save), "revisions.save-pdf");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (save), "u", index);
        }
      gtk_box_append (GTK_BOX (box), save);
    }

  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
td_revisions_dialog_clear_changes (TdRevisionsDialog *self)
{
  for (guint i = 0; i < self->change_rows->len; i++)
    adw_preferences_group_remove (self->changes_group, g_ptr_array_index (self->change_rows, i));
  g_ptr_array_set_size (self->change_rows, 0);
  self->n_changes = 0;
}

static void
td_revisions_dialog_add_change_row (TdRevisionsDialog *self,
                                    GtkWidget         *row)
{
  adw_preferences_group_add (self->changes_group, row);
  g_ptr_array_add (self->change_rows, row);
}

static void
td_revisions_dialog_compare_changed_cb (TdRevisionsDialog *self)
{
  guint from = gtk_drop_down_get_selected (self->from_drop);
  guint to = gtk_drop_down_get_selected (self->to_drop);
  g_autoptr(GPtrArray) changes = NULL;
  Entry *a, *b;

  if (self->loading || self->entries == NULL ||
      from >= self->entries->len || to >= self->entries->len)
    return;

  td_revisions_dialog_clear_changes (self);
  a = &g_array_index (self->entries, Entry, from);
  b = &g_array_index (self->entries, Entry, to);
  changes = td_form_diff (a->form, b->form);
  self->n_changes = changes->len;

  if (from == to || changes->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     from == to ? _("The same revision is chosen twice.")
                                                : _("No field differs."));
      td_revisions_dialog_add_change_row (self, row);
      return;
    }
  for (guint i = 0; i < changes->len; i++)
    td_revisions_dialog_add_change_row (self, td_form_change_row_new (g_ptr_array_index (changes, i)));
}

static void
td_revisions_dialog_load (TdRevisionsDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GBytes) key = NULL;
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  g_autoptr(TdForm) draft = NULL;
  TdForm *latest_signed = NULL;
  gboolean show_draft;

  if (!(self->campaign = td_session_load_campaign (self->session, &error)))
    {
      g_warning ("The campaign could not be read (%s): using the built-in one", error->message);
      g_clear_error (&error);
      self->campaign = td_campaign_get_builtin ();
    }
  adw_window_title_set_subtitle (self->window_title, td_campaign_get_title (self->campaign));

  revisions = td_revision_list (self->store, td_campaign_get_id (self->campaign), &error);
  if (revisions == NULL)
    {
      g_warning ("The revisions could not be read: %s", error->message);
      g_clear_error (&error);
      revisions = g_ptr_array_new_with_free_func (g_object_unref);
    }
  if (td_signing_key_exists (self->store))
    key = td_signing_key_dup_public_key (self->store, NULL);

  for (guint i = 0; i < revisions->len; i++)
    {
      TdRevision *revision = g_ptr_array_index (revisions, i);
      Entry entry = { 0 };

      entry.revision = g_object_ref (revision);
      if (!(entry.form = td_revision_dup_form (revision, &error)))
        {
          /* Unreadable: compared as an empty form; the check says why. */
          g_clear_error (&error);
          entry.form = td_form_new (td_campaign_get_id (self->campaign), 0, 0);
        }
      if (td_revision_is_signed (revision) && !td_revision_verify (revision, key, &error))
        {
          entry.failure = g_strdup (error->message);
          g_clear_error (&error);
        }
      /* Translators: a revision's number and state (Signed, Sent…) */
      entry.title = g_strdup_printf (_("Revision %lld — %s"), (long long)td_revision_get_number (revision),
                                     td_revision_state_label (td_revision_get_state (revision)));
      if (latest_signed == NULL && td_revision_is_signed (revision))
        latest_signed = entry.form;
      g_array_append_val (self->entries, entry);
    }

  /* The form now, when it is not simply the newest signed revision. */
  draft = td_form_load (self->store, self->campaign, td_campaign_get_last_year (self->campaign), &error);
  if (draft == NULL)
    g_warning ("Could not assemble the form: %s", error->message);
  show_draft = draft != NULL;
  if (draft != NULL && latest_signed != NULL)
    {
      g_autoptr(GPtrArray) changes = td_form_diff (latest_signed, draft);

      show_draft = changes->len > 0;
    }
  if (show_draft)
    {
      Entry entry = { 0 };

      entry.form = g_steal_pointer (&draft);
      entry.title = g_strdup (_("Draft — not signed"));
      g_array_prepend_val (self->entries, entry);
    }

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      gtk_string_list_append (titles, entry->title);
      adw_preferences_group_add (self->list_group, td_revisions_dialog_entry_row_new (self, i));
    }

  /* The two newest, the older first. */
  self->loading = TRUE;
  gtk_drop_down_set_model (self->from_drop, G_LIST_MODEL (titles));
  gtk_drop_down_set_model (self->to_drop, G_LIST_MODEL (titles));
  gtk_drop_down_set_selected (self->from_drop, MIN (1, self->entries->len - 1));
  gtk_drop_down_set_selected (self->to_drop, 0);
  self->loading = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->compare_group), self->entries->len > 1);
  gtk_widget_set_visible (GTK_WIDGET (self->changes_group), self->entries->len > 1);
  td_revisions_dialog_compare_changed_cb (self);
}

/* Saving a signed revision's PDF */

static void
td_revisions_dialog_replace_done_cb (GObject      *object,
                                     GAsyncResult *result,
                                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Writes the stored PDF of entry @i, as it was signed, to @file. */
void
td_revisions_dialog_save_pdf (TdRevisionsDialog   *self,
                              guint                i,
                              GFile               *file,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, callback, user_data);
  Entry *entry;

  g_return_if_fail (TD_IS_REVISIONS_DIALOG (self));
  g_return_if_fail (i < self->entries->len);

  g_task_set_source_tag (task, td_revisions_dialog_save_pdf);
  entry = &g_array_index (self->entries, Entry, i);
  if (entry->revision == NULL || td_revision_get_pdf (entry->revision) == NULL)
    {
      g_task_return_new_error (task, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_FAILED,
                               _("Only a signed revision has a PDF to save."));
      return;
    }
  if (entry->failure != NULL)
    {
      g_task_return_new_error (task, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_VERIFICATION, "%s", entry->failure);
      return;
    }
  g_file_replace_contents_bytes_async (file, td_revision_get_pdf (entry->revision), NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, self->cancellable,
                                       td_revisions_dialog_replace_done_cb, g_steal_pointer (&task));
}

gboolean
td_revisions_dialog_save_pdf_finish (TdRevisionsDialog  *self,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
td_revisions_dialog_save_done_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  TdRevisionsDialog *self = TD_REVISIONS_DIALOG (object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  AdwToast *toast;

  if (!td_revisions_dialog_save_pdf_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("The PDF could not be saved: %s"), error->message);
    }
  else
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *display = g_filename_display_name (name);

      message = g_strdup_printf (_("Saved “%s”"), display);
    }
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
td_revisions_dialog_file_chosen_cb (gpointer  owner,
                                    GFile    *file)
{
  TdRevisionsDialog *self = owner;

  if (file == NULL)
    return;
  td_revisions_dialog_save_pdf (self, self->saving, file, td_revisions_dialog_save_done_cb, g_object_ref (file));
}

static void
td_revisions_dialog_save_pdf_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  TdRevisionsDialog *self = TD_REVISIONS_DIALOG (widget);
  guint i = g_variant_get_uint32 (parameter);
  g_autofree char *name = NULL;
  Entry *entry;
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL || i >= self->entries->len)
    return;
  entry = &g_array_index (self->entries, Entry, i);
  if (entry->revision == NULL)
    return;

  /* 意向表-学校名称-修订版2.pdf: the name the form page gives its PDF, and the revision. */
  name = g_strdup_printf ("意向表%s%s-修订版%lld.pdf",
                          td_form_get (entry->form, TD_FORM_NAME)[0] ? "-" : "",
                          td_form_get (entry->form, TD_FORM_NAME),
                          (long long)td_revision_get_number (entry->revision));
  self->saving = i;
  chooser = td_gui_file_chooser_new (GTK_WIDGET (self), _("Save the Signed PDF"),
                                     GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"));
  td_gui_file_chooser_add_filter (chooser, _("PDF documents"), "application/pdf", NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  td_gui_file_chooser_show (chooser, &self->chooser, self, td_revisions_dialog_file_chosen_cb);
}

static void
td_revisions_dialog_close_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
td_revisions_dialog_constructed (GObject *object)
{
  TdRevisionsDialog *self = TD_REVISIONS_DIALOG (object);

  G_OBJECT_CLASS (td_revisions_dialog_parent_class)->constructed (object);

  td_revisions_dialog_load (self);
}

static void
td_revisions_dialog_dispose (GObject *object)
{
  TdRevisionsDialog *self = TD_REVISIONS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  td_gui_file_chooser_clear (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_REVISIONS_DIALOG);

  G_OBJECT_CLASS (td_revisions_dialog_parent_class)->dispose (object);
}

static void
td_revisions_dialog_finalize (GObject *object)
{
  TdRevisionsDialog *self = TD_REVISIONS_DIALOG (object);

  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->change_rows, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->campaign);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (td_revisions_dialog_parent_class)->finalize (object);
}

static void
td_revisions_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TdRevisionsDialog *self = TD_REVISIONS_DIALOG (object);

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
td_revisions_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TdRevisionsDialog *self = TD_REVISIONS_DIALOG (object);

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
td_revisions_dialog_class_init (TdRevisionsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = td_revisions_dialog_constructed;
  object_class->dispose = td_revisions_dialog_dispose;
  object_class->finalize = td_revisions_dialog_finalize;
  object_class->get_property = td_revisions_dialog_get_property;
  object_class->set_property = td_revisions_dialog_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-revisions-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TdRevisionsDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdRevisionsDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TdRevisionsDialog, list_group);
  gtk_widget_class_bind_template_child (widget_class, TdRevisionsDialog, compare_group);
  gtk_widget_class_bind_template_child (widget_class, TdRevisionsDialog, changes_group);
  gtk_widget_class_bind_template_child (widget_class, TdRevisionsDialog, from_drop);
  gtk_widget_class_bind_template_child (widget_class, TdRevisionsDialog, to_drop);
  gtk_widget_class_bind_template_callback (widget_class, td_revisions_dialog_compare_changed_cb);

  gtk_widget_class_install_action (widget_class, "revisions.save-pdf", "u", td_revisions_dialog_save_pdf_action);
  gtk_widget_class_install_action (widget_class, "revisions.close", NULL, td_revisions_dialog_close_action);

  td_gui_class_close_on_escape (widget_class, "revisions.close");
}

static void
td_revisions_dialog_init (TdRevisionsDialog *self)
{
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, td_revisions_dialog_entry_clear);
  self->change_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;   /* until td_revisions_dialog_load(): the drop-downs have no model yet */
  gtk_widget_init_template (GTK_WIDGET (self));
}

guint
td_revisions_dialog_get_n_entries (TdRevisionsDialog *self)
{
  g_return_val_if_fail (TD_IS_REVISIONS_DIALOG (self), 0);

  return self->entries->len;
}

/* The revision of entry @i, newest first; %NULL for the draft. */
TdRevision *
td_revisions_dialog_get_revision (TdRevisionsDialog *self,
                                  guint              i)
{
  g_return_val_if_fail (TD_IS_REVISIONS_DIALOG (self), NULL);
  g_return_val_if_fail (i < self->entries->len, NULL);

  return g_array_index (self->entries, Entry, i).revision;
}

const char *
td_revisions_dialog_get_failure (TdRevisionsDialog *self,
                                 guint              i)
{
  g_return_val_if_fail (TD_IS_REVISIONS_DIALOG (self), NULL);
  g_return_val_if_fail (i < self->entries->len, NULL);

  return g_array_index (self->entries, Entry, i).failure;
}

/* 0: the earlier, 1: the later. */
GtkDropDown *
td_revisions_dialog_get_drop_down (TdRevisionsDialog *self,
                                   guint              i)
{
  g_return_val_if_fail (TD_IS_REVISIONS_DIALOG (self), NULL);

  return i == 0 ? self->from_drop : self->to_drop;
}

guint
td_revisions_dialog_get_n_changes (TdRevisionsDialog *self)
{
  g_return_val_if_fail (TD_IS_REVISIONS_DIALOG (self), 0);

  return self->n_changes;
}
