/* td-passphrase-dialog.c: the principal sets or changes the passphrase
 *
 * Changing asks for the current passphrase, the new one and the new one
 * again; when none is set yet (the menu's entry before the first sign-off)
 * the same dialog sets the first one. Either way the work — Argon2id, and
 * sealing the school's key again — runs on a worker thread while the
 * dialog waits, insensitive: Argon2id is slow on purpose (it runs in a
 * worker thread; the store is written on this one).
 *
 * The worker uses the store's connection, as restoring a backup does
 * (td_store_restore_async()): SQLite serialises it, and nothing else uses
 * the store meanwhile — the dialog is modal and the window saved its
 * pending edits before opening it.
 *
 * The copies of the passphrases handed to the worker are wiped when it is
 * done; none is ever logged or kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-passphrase-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>

#include "td-gui-util.h"
#include "td-passphrase-dialog.h"

struct _TdPassphraseDialog
{
  AdwWindow            parent_instance;

  TdStore             *store;
  GCancellable        *cancellable;
  gboolean             creating;     /* no passphrase yet: set the first */
  gboolean             busy;

  GtkWidget           *content;
  AdwWindowTitle      *window_title;
  GtkButton           *apply_button;
  GtkSpinner          *spinner;
  AdwPreferencesGroup *group;
  AdwEntryRow         *old_row;
  AdwEntryRow         *new_row;
  AdwEntryRow         *repeat_row;
  GtkLabel            *message_label;
};

G_DEFINE_FINAL_TYPE (TdPassphraseDialog, td_passphrase_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Shared with the sign-off dialog */

/**
 * td_passphrase_check_new:
 *
 * Returns: (transfer full) (nullable): what is wrong with a new passphrase
 *   and its repetition, in words; %NULL when they will do
 */
char *
td_passphrase_check_new (const char *passphrase,
                         const char *repeated)
{
  if (passphrase == NULL || g_utf8_strlen (passphrase, -1) < TD_PASSPHRASE_MIN_LENGTH)
    /* The core's message, so one translation serves both. */
    return g_strdup_printf (_("The passphrase must have at least %d characters."), TD_PASSPHRASE_MIN_LENGTH);
  if (g_strcmp0 (passphrase, repeated) != 0)
    return g_strdup (_("The two passphrases are not the same. Type the new one again."));
  return NULL;
}

/* Tests set TD_TEST_KDF_MINIMUM=1 so that each Argon2id run takes
 * microseconds; only this layer reads it, the core never does. */
TdKdfStrength
td_passphrase_kdf_strength (void)
{
  return g_strcmp0 (g_getenv ("TD_TEST_KDF_MINIMUM"), "1") == 0 ? TD_KDF_MINIMUM : TD_KDF_INTERACTIVE;
}

/* After a wrong passphrase: the tries left, or the lock it started. The
 * same words as td_signoff_sign()'s. */
char *
td_passphrase_describe_wrong (TdStore *store)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  guint left;

  if (!td_signing_key_check_lock (store, now, &error))
    return g_strdup (error->message);

  left = TD_PASSPHRASE_TRIES - MIN (td_signing_key_get_failures (store), TD_PASSPHRASE_TRIES);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The passphrase is not right. %u more wrong try locks sign-off.",
                                       "The passphrase is not right. %u more wrong tries lock sign-off.",
                                       left),
                          left);
}

static void
td_passphrase_dialog_create_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (td_signing_key_create_finish (TD_STORE (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
td_passphrase_dialog_change_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (td_signing_key_change_passphrase_finish (TD_STORE (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * td_passphrase_store_async:
 * @old_passphrase: (nullable): the current one; %NULL sets the first
 *
 * Sets the principal's first passphrase (td_signing_key_create_async()) or
 * changes it (td_signing_key_change_passphrase_async()): Argon2id runs in
 * a worker thread on copies, the store is written on this thread.
 */
void
td_passphrase_store_async (TdStore             *store,
                           const char          *old_passphrase,
                           const char          *new_passphrase,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_task_set_source_tag (task, td_passphrase_store_async);
  if (old_passphrase != NULL)
    td_signing_key_change_passphrase_async (store, old_passphrase, new_passphrase, now, NULL,
                                            td_passphrase_dialog_change_cb, g_steal_pointer (&task));
  else
    td_signing_key_create_async (store, new_passphrase, td_passphrase_kdf_strength (), NULL,
                                 td_passphrase_dialog_create_cb, g_steal_pointer (&task));
}

gboolean
td_passphrase_store_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == td_passphrase_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The dialog */

TdPassphraseDialog *
td_passphrase_dialog_new (GtkWindow *parent,
                          TdStore   *store)
{
  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  return g_object_new (TD_TYPE_PASSPHRASE_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       NULL);
}

static void
td_passphrase_dialog_show_message (TdPassphraseDialog *self,
                                   const char         *message,
                                   gboolean            is_error)
{
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "dim-label");
    }
}

/* Enables Apply when the entries will do. */
static void
td_passphrase_dialog_actions_update (TdPassphraseDialog *self)
{
  const char *old_text = gtk_editable_get_text (GTK_EDITABLE (self->old_row));
  g_autofree char *problem = td_passphrase_check_new (gtk_editable_get_text (GTK_EDITABLE (self->new_row)),
                                                      gtk_editable_get_text (GTK_EDITABLE (self->repeat_row)));
  gboolean ready = problem == NULL && (self->creating || old_text[0] != '\0');

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "passphrase.apply", ready && !self->busy);
}

/* Says what the new passphrase still lacks, once there is something to say. */
static void
td_passphrase_dialog_entry_changed_cb (TdPassphraseDialog *self)
{
  const char *new_text = gtk_editable_get_text (GTK_EDITABLE (self->new_row));
  const char *repeat_text = gtk_editable_get_text (GTK_EDITABLE (self->repeat_row));
  g_autofree char *problem = td_passphrase_check_new (new_text, repeat_text);

  if (self->busy)
    return;
  if (new_text[0] == '\0')
    td_passphrase_dialog_show_message (self, NULL, FALSE);
  else if (g_utf8_strlen (new_text, -1) < TD_PASSPHRASE_MIN_LENGTH || repeat_text[0] == '\0')
    td_passphrase_dialog_show_message (self, problem, FALSE);          /* a hint while typing */
  else
    td_passphrase_dialog_show_message (self, problem, TRUE);
  td_passphrase_dialog_actions_update (self);
}

static void
td_passphrase_dialog_entry_activated_cb (TdPassphraseDialog *self,
                                         AdwEntryRow        *row)
{
  if (row == self->old_row)
    gtk_widget_grab_focus (GTK_WIDGET (self->new_row));
  else if (row == self->new_row)
    gtk_widget_grab_focus (GTK_WIDGET (self->repeat_row));
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "passphrase.apply", NULL);
}

static void
td_passphrase_dialog_set_busy (TdPassphraseDialog *self,
                               gboolean            busy)
{
  self->busy = busy;
  /* Focus leaves first: a focused entry must not turn insensitive. */
  if (busy)
    gtk_root_set_focus (GTK_ROOT (self), NULL);
  gtk_widget_set_sensitive (self->content, !busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  td_passphrase_dialog_actions_update (self);
}

static void
td_passphrase_dialog_store_done_cb (GObject      *object,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(TdPassphraseDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = td_passphrase_store_finish (result, &error);

  td_passphrase_dialog_set_busy (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (!ok)
    {
      if (g_error_matches (error, TD_SIGNOFF_ERROR, TD_SIGNOFF_ERROR_WRONG_PASSPHRASE))
        {
          g_autofree char *message = td_passphrase_describe_wrong (self->store);

          gtk_editable_set_text (GTK_EDITABLE (self->old_row), "");
          td_passphrase_dialog_show_message (self, message, TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->old_row));
        }
      else
        td_passphrase_dialog_show_message (self, error->message, TRUE);
      return;
    }

  g_signal_emit (self, signals[FINISHED], 0,
                 self->creating ? _("The principal’s passphrase is set.")
                                : _("The principal’s passphrase was changed."));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
td_passphrase_dialog_apply_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  TdPassphraseDialog *self = TD_PASSPHRASE_DIALOG (widget);

  if (self->busy)
    return;
  td_passphrase_store_async (self->store,
                             self->creating ? NULL : gtk_editable_get_text (GTK_EDITABLE (self->old_row)),
                             gtk_editable_get_text (GTK_EDITABLE (self->new_row)),
                             self->cancellable, td_passphrase_dialog_store_done_cb, g_object_ref (self));
  td_passphrase_dialog_set_busy (self, TRUE);
}

static void
td_passphrase_dialog_cancel_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* The work is short and must not be left half-way: closing waits for it. */
static gboolean
td_passphrase_dialog_close_request (GtkWindow *window)
{
  TdPassphraseDialog *self = TD_PASSPHRASE_DIALOG (window);

  if (self->busy)
    return TRUE;
  return GTK_WINDOW_CLASS (td_passphrase_dialog_parent_class)->close_request (window);
}

static void
td_passphrase_dialog_constructed (GObject *object)
{
  TdPassphraseDialog *self = TD_PASSPHRASE_DIALOG (object);
  g_autofree char *description = NULL;

  G_OBJECT_CLASS (td_passphrase_dialog_parent_class)->constructed (object);

  self->creating = !td_signing_key_exists (self->store);
  gtk_widget_set_visible (GTK_WIDGET (self->old_row), !self->creating);

  if (self->creating)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Set the Principal’s Passphrase"));
      adw_window_title_set_title (self->window_title, _("Set the Principal’s Passphrase"));
      gtk_button_set_label (self->apply_button, _("_Set"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->new_row), _("Passphrase"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->repeat_row), _("Repeat the passphrase"));
      description = g_strdup_printf (_("Only the principal should know this passphrase: it signs off the form in "
                                       "the school’s name. It cannot be recovered — if it is forgotten, nobody "
                                       "can sign off again. Use at least %d characters."),
                                     TD_PASSPHRASE_MIN_LENGTH);
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Change the Principal’s Passphrase"));
      adw_window_title_set_title (self->window_title, _("Change the Principal’s Passphrase"));
      gtk_button_set_label (self->apply_button, _("C_hange"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->new_row), _("New passphrase"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->repeat_row), _("Repeat the new passphrase"));
      description = g_strdup_printf (_("The school’s signing key stays the same, so the revisions signed off "
                                       "before stay valid. The new passphrase cannot be recovered either: "
                                       "use at least %d characters the principal will remember."),
                                     TD_PASSPHRASE_MIN_LENGTH);
    }
  adw_preferences_group_set_description (self->group, description);
  td_passphrase_dialog_actions_update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->creating ? self->new_row : self->old_row));
}

static void
td_passphrase_dialog_dispose (GObject *object)
{
  TdPassphraseDialog *self = TD_PASSPHRASE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_PASSPHRASE_DIALOG);

  G_OBJECT_CLASS (td_passphrase_dialog_parent_class)->dispose (object);
}

static void
td_passphrase_dialog_finalize (GObject *object)
{
  TdPassphraseDialog *self = TD_PASSPHRASE_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (td_passphrase_dialog_parent_class)->finalize (object);
}

static void
td_passphrase_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TdPassphraseDialog *self = TD_PASSPHRASE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_passphrase_dialog_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TdPassphraseDialog *self = TD_PASSPHRASE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_passphrase_dialog_class_init (TdPassphraseDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = td_passphrase_dialog_constructed;
  object_class->dispose = td_passphrase_dialog_dispose;
  object_class->finalize = td_passphrase_dialog_finalize;
  object_class->get_property = td_passphrase_dialog_get_property;
  object_class->set_property = td_passphrase_dialog_set_property;
  window_class->close_request = td_passphrase_dialog_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         TD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TdPassphraseDialog::finished:
   * @message: what was done, in a sentence (for a toast)
   *
   * The passphrase was set or changed; the dialog closes itself after.
   */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-passphrase-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TdPassphraseDialog, content);
  gtk_widget_class_bind_template_child (widget_class, TdPassphraseDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TdPassphraseDialog, apply_button);
  gtk_widget_class_bind_template_child (widget_class, TdPassphraseDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, TdPassphraseDialog, group);
  gtk_widget_class_bind_template_child (widget_class, TdPassphraseDialog, old_row);
  gtk_widget_class_bind_template_child (widget_class, TdPassphraseDialog, new_row);
  gtk_widget_class_bind_template_child (widget_class, TdPassphraseDialog, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, TdPassphraseDialog, message_label);
  gtk_widget_class_bind_template_callback (widget_class, td_passphrase_dialog_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, td_passphrase_dialog_entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "passphrase.apply", NULL, td_passphrase_dialog_apply_action);
  gtk_widget_class_install_action (widget_class, "passphrase.cancel", NULL, td_passphrase_dialog_cancel_action);

  td_gui_class_close_on_escape (widget_class, "passphrase.cancel");
}

static void
td_passphrase_dialog_init (TdPassphraseDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

gboolean
td_passphrase_dialog_is_creating (TdPassphraseDialog *self)
{
  g_return_val_if_fail (TD_IS_PASSPHRASE_DIALOG (self), FALSE);

  return self->creating;
}

gboolean
td_passphrase_dialog_is_busy (TdPassphraseDialog *self)
{
  g_return_val_if_fail (TD_IS_PASSPHRASE_DIALOG (self), FALSE);

  return self->busy;
}

/* 0: the current passphrase, 1: the new one, 2: the new one again. */
GtkEditable *
td_passphrase_dialog_get_entry (TdPassphraseDialog *self,
                                guint               i)
{
  AdwEntryRow *rows[] = { self->old_row, self->new_row, self->repeat_row };

  g_return_val_if_fail (TD_IS_PASSPHRASE_DIALOG (self), NULL);
  g_return_val_if_fail (i < G_N_ELEMENTS (rows), NULL);

  return GTK_EDITABLE (rows[i]);
}

const char *
td_passphrase_dialog_get_message (TdPassphraseDialog *self)
{
  g_return_val_if_fail (TD_IS_PASSPHRASE_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->message_label))
         ? gtk_label_get_text (self->message_label) : NULL;
}
