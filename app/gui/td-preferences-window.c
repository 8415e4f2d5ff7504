/* td-preferences-window.c: where the forms are sent, and how
 *
 * The school's mailbox (SMTP) and the upload endpoint (HTTPS): the settings
 * go into the database (td_store_set_setting() with the TD_SETTING_* keys),
 * the password and the token into the keyring (td-credentials.h), never the
 * database.
 *
 * One form, checked as a whole (issue 13): the fields are edited freely,
 * and nothing is written until Save. Save checks every field together,
 * says under each what is wrong, and writes nothing unless all are right;
 * then the settings in one transaction, the secrets into the keyring, and
 * TdSync is told once per destination that changed, so a half-typed server
 * name never sends the stopped items off again. Test Connection tries what
 * is typed (saved or not) the way sending would (td-connection-test.c) and
 * says the outcome in plain words, the technical text under an expander.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-preferences-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "td-campaign.h"
#include "td-connection-test.h"
#include "td-credentials.h"
#include "td-field-message.h"
#include "td-gui-util.h"
#include "td-mail.h"
#include "td-outbox.h"
#include "td-preferences-window.h"
#include "td-preferences-window-private.h"
#include "td-preferences-window-state.h"
#include "td-signing-key.h"
#include "td-upload.h"

typedef enum
{
  ROW_TEXT,      /* an entry */
  ROW_SECURITY,  /* SSL/TLS or STARTTLS */
  ROW_SECRET,    /* into the keyring, with a row that says what it holds */
  ROW_FILE,      /* a CA certificate, chosen */
  ROW_TIMEOUT,   /* seconds */
} RowKind;

enum { GROUP_SMTP, GROUP_HTTPS, GROUP_CONNECTION };


static const struct {
  const char      *name;
  const char      *key;
  RowKind          kind;
  guint            group;
  const char      *title;
  GtkInputPurpose  purpose;
} rows[N_FIELDS] = {
  { "smtp-host", TD_SETTING_SMTP_HOST, ROW_TEXT, GROUP_SMTP, N_("Server"), GTK_INPUT_PURPOSE_URL },
  { "smtp-port", TD_SETTING_SMTP_PORT, ROW_TEXT, GROUP_SMTP, N_("Port"), GTK_INPUT_PURPOSE_DIGITS },
  { "smtp-security", TD_SETTING_SMTP_SECURITY, ROW_SECURITY, GROUP_SMTP, N_("Security"), 0 },
  { "smtp-username", TD_SETTING_SMTP_USERNAME, ROW_TEXT, GROUP_SMTP, N_("Account (user name)"), GTK_INPUT_PURPOSE_EMAIL },
  { "smtp-from", TD_SETTING_SMTP_FROM, ROW_TEXT, GROUP_SMTP, N_("Sender address"), GTK_INPUT_PURPOSE_EMAIL },
  { "smtp-password", NULL, ROW_SECRET, GROUP_SMTP, N_("Password or authorisation code"), GTK_INPUT_PURPOSE_PASSWORD },
  { "smtp-ca", TD_SETTING_SMTP_CA_FILE, ROW_FILE, GROUP_SMTP, N_("CA certificate (optional)"), 0 },
  { "https-endpoint", TD_SETTING_HTTPS_ENDPOINT, ROW_TEXT, GROUP_HTTPS, N_("Endpoint URL"), GTK_INPUT_PURPOSE_URL },
  { "https-token", NULL, ROW_SECRET, GROUP_HTTPS, N_("Token"), GTK_INPUT_PURPOSE_PASSWORD },
  { "https-ca", TD_SETTING_HTTPS_CA_FILE, ROW_FILE, GROUP_HTTPS, N_("CA certificate (optional)"), 0 },
  { "timeout", TD_SETTING_TIMEOUT, ROW_TIMEOUT, GROUP_CONNECTION, N_("Time-out"), 0 },
};

/* SSL/TLS first: what 163.com and most providers offer. */
static const char * const security_values[] = { "tls", "starttls" };
static const char * const default_ports[] = { "465", "587", NULL };

#define DEFAULT_TIMEOUT 60

G_DEFINE_FINAL_TYPE (TdPreferencesWindow, td_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

TdPreferencesWindow *
td_preferences_window_new_for_session (GtkWindow *parent,
                                       TdSession *session)
{
  g_return_val_if_fail (TD_IS_SESSION (session), NULL);

  return g_object_new (TD_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "session", session,
                       NULL);
}

/* On a session of its own that sends with @sync (for tests). */
TdPreferencesWindow *
td_preferences_window_new (GtkWindow *parent,
                           TdSync    *sync)
{
  g_autoptr(TdSession) session = NULL;

  g_return_val_if_fail (TD_IS_SYNC (sync), NULL);

  session = td_session_new_for_sync (sync);
  return td_preferences_window_new_for_session (parent, session);
}

TdDestination
td_preferences_window_field_destination (FieldId id)
{
  return id < F_HTTPS_ENDPOINT ? TD_DESTINATION_SMTP : TD_DESTINATION_HTTPS;
}

void
td_preferences_window_toast (TdPreferencesWindow *self,
                             const char          *message)
{
  AdwToast *toast = adw_toast_new (message);

  if (self->toast)
    adw_toast_dismiss (self->toast);
  g_set_weak_pointer (&self->toast, toast);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

AdwToast *
td_preferences_window_get_toast (TdPreferencesWindow *self)
{
  return self->toast;
}

static char *
td_preferences_window_dup_setting (TdPreferencesWindow *self,
                                   FieldId              id)
{
  char *value = td_store_dup_setting (self->store, rows[id].key);

  return value ? value : g_strdup ("");
}

/* Items that stopped for this destination's settings are due again. */
static void
td_preferences_window_destination_changed (TdSync        *sync,
                                           TdDestination  destination)
{
  g_autoptr(GError) error = NULL;

  if (!td_sync_credentials_changed (sync, destination, &error))
    g_warning ("Could not send the stopped items again: %s", error->message);
}

static void
td_preferences_window_show_message (Field      *f,
                                    const char *message)
{
  td_field_message_show (f->row, f->message_row, f->message, message);
}

/* Checking */

static gboolean
td_preferences_window_is_host_name (const char *text)
{
  g_autofree char *ascii = NULL;
  gsize length;

  if (g_hostname_is_ip_address (text))
    return TRUE;
  ascii = g_hostname_to_ascii (text);
  if (ascii == NULL || (length = strlen (ascii)) == 0 || length > 253)
    return FALSE;
  if (ascii[0] == '.' || ascii[0] == '-' || ascii[length - 1] == '-' || strstr (ascii, "..") != NULL)
    return FALSE;
  for (const char *p = ascii; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
td_preferences_window_is_mail_address (const char *text)
{
  const char *at = strchr (text, '@');

  if (at == NULL || at == text || strchr (at + 1, '@') != NULL || strchr (at + 1, '.') == NULL)
    return FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return td_preferences_window_is_host_name (at + 1);
}

/* What is wrong with @input for @id, or %NULL with @normalized set. */
static const char *
td_preferences_window_check_input (FieldId      id,
                                   const char  *input,
                                   char       **normalized)
{
  g_autofree char *text = g_strstrip (g_strdup (input));

  *normalized = NULL;
  if (*text != '\0')
    switch (id)
      {
      case F_SMTP_HOST:
        if (!td_preferences_window_is_host_name (text))
          return _("Enter the server’s name alone, such as smtp.163.com: no “smtps://”, no port, no spaces.");
        break;
      case F_SMTP_PORT:
        {
          guint64 port = 0;

          if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &port, NULL))
            return _("The port is a number from 1 to 65535: 465 for SSL/TLS, 587 for STARTTLS.");
          g_free (text);
          text = g_strdup_printf ("%u", (guint)port);
        }
        break;
      case F_SMTP_FROM:
        {
          /* As the mail will carry it: "office@163.com。" is kept as
           * "office@163.com" (td_mail_normalize_address()). */
          g_autofree char *address = td_mail_normalize_address (text);

          if (address == NULL || !td_preferences_window_is_mail_address (address))
            return _("Enter a whole e-mail address, such as office@163.com.");
          g_free (text);
          text = g_steal_pointer (&address);
        }
        break;
      case F_HTTPS_ENDPOINT:
        /* The core's rule (td-upload.c): https://, or http:// to this machine. */
        if (!td_upload_check_endpoint (text, NULL))
          return _("Enter an https:// address, such as https://upload.example.edu.cn/api.");
        break;
      default:
        break;
      }
  *normalized = g_steal_pointer (&text);
  return NULL;
}

/* The form: what is typed and chosen, not what is saved. */

/* The value the form holds for a setting: normalized when it is right,
 * else as typed (the caller checked it when it matters). */
char *
td_preferences_window_form_value (TdPreferencesWindow *self,
                                  FieldId              id)
{
  Field *f = &self->fields[id];

  switch (rows[id].kind)
    {
    case ROW_TEXT:
      {
        char *normalized = NULL;

        if (td_preferences_window_check_input (id, gtk_editable_get_text (GTK_EDITABLE (f->row)), &normalized) == NULL)
          return normalized;
        return g_strdup (gtk_editable_get_text (GTK_EDITABLE (f->row)));
      }
    case ROW_SECURITY:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (f->row));

        return g_strdup (security_values[selected == 1 ? 1 : 0]);
      }
    case ROW_FILE:
      return g_strdup (f->path ? f->path : "");
    case ROW_TIMEOUT:
      return g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (f->spin)));
    case ROW_SECRET:
    default:
      return g_strdup (gtk_editable_get_text (GTK_EDITABLE (f->row)));
    }
}

/* The endpoint the form leads to: the one typed, else the campaign's. */
char *
td_preferences_window_form_endpoint (TdPreferencesWindow *self)
{
  g_autofree char *endpoint = td_preferences_window_form_value (self, F_HTTPS_ENDPOINT);

  if (*endpoint != '\0')
    return g_steal_pointer (&endpoint);
  if (self->campaign && td_campaign_get_upload_endpoint (self->campaign)
      && *td_campaign_get_upload_endpoint (self->campaign))
    return g_strdup (td_campaign_get_upload_endpoint (self->campaign));
  return NULL;
}

/* The keyring */

static void td_preferences_window_refresh_secret (TdPreferencesWindow *self,
                                                  FieldId              id);
static void td_preferences_window_update_form (TdPreferencesWindow *self);

/* Where the secret of @id is kept, by the form: the mailbox's server and
 * account, or the endpoint. %FALSE, with what to enter first, when the
 * form does not say yet. */
gboolean
td_preferences_window_secret_target (TdPreferencesWindow  *self,
                                     FieldId               id,
                                     TdCredentialKind     *kind,
                                     char                **server,
                                     char                **user,
                                     const char          **missing)
{
  if (id == F_SMTP_PASSWORD)
    {
      *kind = TD_CREDENTIAL_SMTP;
      *server = td_preferences_window_form_value (self, F_SMTP_HOST);
      *user = td_preferences_window_form_value (self, F_SMTP_USERNAME);
      if (**server == '\0')
        *missing = _("Enter the server above: the password is kept for it.");
      else if (**user == '\0')
        *missing = _("Enter the account above: the password is kept for it.");
      else
        return TRUE;
    }
  else
    {
      *kind = TD_CREDENTIAL_HTTPS;
      *server = td_preferences_window_form_endpoint (self);
      *user = g_strdup ("");
      if (*server == NULL)
        *missing = _("Enter the endpoint URL above: the token is kept for it.");
      else
        return TRUE;
    }
  g_clear_pointer (server, g_free);
  g_clear_pointer (user, g_free);
  return FALSE;
}

static void
td_preferences_window_set_secret_status (Field      *f,
                                         gboolean    saved,
                                         const char *title,
                                         const char *subtitle)
{
  f->saved = saved;
  g_free (f->status);
  f->status = g_strdup (title);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->status_row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (f->status_row), subtitle ? subtitle : "");
  gtk_image_set_from_icon_name (GTK_IMAGE (f->status_icon),
                                saved ? "emblem-ok-symbolic" : "dialog-information-symbolic");
  gtk_widget_set_visible (f->forget_button, saved);
  td_preferences_window_update_form (f->self);
}


KeyringCall *
td_preferences_window_keyring_call_new (TdPreferencesWindow *self,
                                        FieldId              id,
                                        const char          *server,
                                        const char          *user)
{
  KeyringCall *call = g_new0 (KeyringCall, 1);

  g_weak_ref_init (&call->self, self);
  call->sync = g_object_ref (self->sync);
  call->id = id;
  call->server = g_strdup (server);
  call->user = g_strdup (user);
  self->busy++;
  return call;
}

/* The window, while it is open; a new reference, or NULL. */
TdPreferencesWindow *
td_preferences_window_keyring_call_dup_window (KeyringCall *call)
{
  TdPreferencesWindow *self = g_weak_ref_get (&call->self);

  if (self != NULL && g_cancellable_is_cancelled (self->cancellable))
    g_clear_object (&self);
  return self;
}

void
td_preferences_window_keyring_call_free (KeyringCall *call)
{
  TdPreferencesWindow *self = g_weak_ref_get (&call->self);

  if (self != NULL)
    {
      self->busy--;
      g_object_unref (self);
    }
  g_weak_ref_clear (&call->self);
  g_object_unref (call->sync);
  g_free (call->server);
  g_free (call->user);
  if (call->secret)
    td_credentials_secret_free (call->secret);
  g_free (call);
}


static void
td_preferences_window_lookup_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(KeyringCall) call = user_data;
  g_autoptr(TdPreferencesWindow) self = td_preferences_window_keyring_call_dup_window (call);
  g_autoptr(GError) error = NULL;
  char *secret = td_credentials_lookup_finish (result, &error);
  g_autofree char *subtitle = NULL;
  Field *f;

  /* The window may be closing: its rows are going. */
  if (self == NULL)
    {
      if (secret != NULL)
        td_credentials_secret_free (secret);
      return;
    }
  f = &self->fields[call->id];
  if (error != NULL)
    {
      td_preferences_window_set_secret_status (f, FALSE, _("The keyring cannot be reached"), error->message);
      return;
    }

  if (call->id == F_SMTP_PASSWORD)
    /* Translators: the account, then the server: "office@163.com on smtp.163.com" */
    subtitle = g_strdup_printf (_("For %s on %s"), call->user, call->server);
  else
    /* Translators: the upload endpoint's URL */
    subtitle = g_strdup_printf (_("For %s"), call->server);

  if (secret != NULL)
    td_preferences_window_set_secret_status (f, TRUE,
                                             call->id == F_SMTP_PASSWORD ? _("A password is saved in the keyring")
                                                   : _("A token is saved in the keyring"),
                                             subtitle);
  else
    td_preferences_window_set_secret_status (f, FALSE,
                                             call->id == F_SMTP_PASSWORD ? _("No password is saved yet") : _("No token is saved yet"),
                                             subtitle);
  if (secret != NULL)
    td_credentials_secret_free (secret);
}

/* Says what the keyring holds for the server and account saved. */
static void
td_preferences_window_refresh_secret (TdPreferencesWindow *self,
                                      FieldId              id)
{
  Field *f = &self->fields[id];
  TdCredentialKind kind;
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  const char *missing = NULL;

  if (!td_preferences_window_secret_target (self, id, &kind, &server, &user, &missing))
    {
      td_preferences_window_set_secret_status (f, FALSE, id == F_SMTP_PASSWORD ? _("No password is saved yet") : _("No token is saved yet"),
                                               NULL);
      return;
    }
  td_credentials_lookup_async (kind, server, user, self->cancellable, td_preferences_window_lookup_cb,
                               td_preferences_window_keyring_call_new (self, id, server, user));
}

/* The last keyring write of a Save: sending is told, once. */
static void
td_preferences_window_save_finished (TdPreferencesWindow *self,
                                     TdSync              *sync)
{
  for (guint d = 0; d < 2; d++)
    if (self->save_changed[d])
      {
        self->save_changed[d] = FALSE;
        td_preferences_window_destination_changed (sync, d);
      }
}

static void
td_preferences_window_store_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(KeyringCall) call = user_data;
  g_autoptr(TdPreferencesWindow) self = td_preferences_window_keyring_call_dup_window (call);
  g_autoptr(GError) error = NULL;
  gboolean stored = td_credentials_store_finish (result, &error);
  Field *f;

  if (self == NULL)
    {
      /* Saved, even if the window closed meanwhile. */
      if (stored)
        td_preferences_window_destination_changed (call->sync, td_preferences_window_field_destination (call->id));
      return;
    }
  f = &self->fields[call->id];
  self->saving--;
  if (!stored)
    td_preferences_window_show_message (f, error->message);
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (f->row), "");
      td_preferences_window_refresh_secret (self, call->id);
    }
  if (self->saving == 0)
    {
      td_preferences_window_save_finished (self, call->sync);
      td_preferences_window_update_form (self);
    }
}

static void
td_preferences_window_forget_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(KeyringCall) call = user_data;
  g_autoptr(TdPreferencesWindow) self = td_preferences_window_keyring_call_dup_window (call);
  g_autoptr(GError) error = NULL;

  if (!td_credentials_clear_finish (result, &error) || self == NULL)
    {
      if (error != NULL && self != NULL)
        td_preferences_window_show_message (&self->fields[call->id], error->message);
      return;
    }
  td_preferences_window_refresh_secret (self, call->id);
}

static void
td_preferences_window_forget_clicked_cb (GtkButton *button,
                                         Field     *f)
{
  TdCredentialKind kind;
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  const char *missing = NULL;

  if (td_preferences_window_secret_target (f->self, f->id, &kind, &server, &user, &missing))
    td_credentials_clear_async (kind, server, user, f->self->cancellable, td_preferences_window_forget_cb,
                                td_preferences_window_keyring_call_new (f->self, f->id, server, user));
}

/* The form as a whole */

static void
td_preferences_window_update_https_description (TdPreferencesWindow *self)
{
  const char *campaign_endpoint = self->campaign ? td_campaign_get_upload_endpoint (self->campaign) : NULL;
  g_autofree char *text = NULL;

  if (campaign_endpoint != NULL && *campaign_endpoint != '\0')
    text = g_strdup_printf (_("Leave the URL empty to use the campaign’s: %s. The token is the one the province "
                              "gave the school."),
                            campaign_endpoint);
  else
    text = g_strdup (_("The campaign names no upload endpoint: unless one is entered here, the form is sent by "
                       "e-mail only. The token is the one the province gave the school."));
  adw_preferences_group_set_description (self->https_group, text);
}

/* Save only with something to save; the note about the keyring's own
 * question only before a first secret goes there. */
static void
td_preferences_window_update_form (TdPreferencesWindow *self)
{
  gboolean first_secret = FALSE;

  if (self->save_button == NULL)
    return;
  for (guint i = 0; i < N_FIELDS; i++)
    if (rows[i].kind == ROW_SECRET)
      first_secret |= *gtk_editable_get_text (GTK_EDITABLE (self->fields[i].row)) != '\0';
  first_secret &= !self->fields[F_SMTP_PASSWORD].saved && !self->fields[F_HTTPS_TOKEN].saved;
  gtk_widget_set_visible (self->keyring_note, first_secret);
  gtk_widget_set_sensitive (self->save_button, self->dirty && self->saving == 0);
}

static void
td_preferences_window_form_changed (TdPreferencesWindow *self)
{
  if (self->filling)
    return;
  self->dirty = TRUE;
  td_preferences_window_update_form (self);
}

static void
td_preferences_window_entry_changed_cb (GtkEditable *editable,
                                        Field       *f)
{
  /* A message stays until the next Save, but not over a fixed value. */
  if (!f->self->filling && gtk_widget_get_visible (f->message_row))
    {
      g_autofree char *normalized = NULL;

      if (rows[f->id].kind == ROW_TEXT && td_preferences_window_check_input (f->id, gtk_editable_get_text (editable), &normalized) == NULL)
        td_preferences_window_show_message (f, NULL);
    }
  td_preferences_window_form_changed (f->self);
}

static void
td_preferences_window_security_selected_cb (AdwComboRow *row,
                                            GParamSpec  *pspec,
                                            Field       *f)
{
  TdPreferencesWindow *self = f->self;
  Field *port = &self->fields[F_SMTP_PORT];
  guint selected = adw_combo_row_get_selected (row);
  const char *old_port = gtk_editable_get_text (GTK_EDITABLE (port->row));

  if (self->filling || selected >= G_N_ELEMENTS (security_values))
    return;

  /* The usual port goes with it, unless the provider gave another. */
  if ((*old_port == '\0' || g_strv_contains (default_ports, old_port)) &&
      !g_str_equal (old_port, default_ports[selected]))
    gtk_editable_set_text (GTK_EDITABLE (port->row), default_ports[selected]);
  td_preferences_window_form_changed (self);
}

static void
td_preferences_window_timeout_changed_cb (GtkSpinButton *spin,
                                          Field         *f)
{
  td_preferences_window_form_changed (f->self);
}

static void
td_preferences_window_update_file_row (Field *f)
{
  g_autofree char *display = f->path && *f->path ? g_filename_display_name (f->path) : NULL;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (f->row),
                               display ? display
                                       : _("None: needed only for a server with a certificate authority of its "
                                           "own, as on a provincial intranet"));
  gtk_widget_set_visible (f->clear_button, display != NULL);
}

static void
td_preferences_window_file_chosen_cb (gpointer  owner,
                                      GFile    *file)
{
  TdPreferencesWindow *self = owner;
  g_autofree char *path = NULL;
  Field *f = &self->fields[self->choosing];

  if (file == NULL || !(path = g_file_get_path (file)))
    return;

  g_free (f->path);
  f->path = g_steal_pointer (&path);
  td_preferences_window_update_file_row (f);
  td_preferences_window_form_changed (self);
}

static void
td_preferences_window_choose_clicked_cb (GtkButton *button,
                                         Field     *f)
{
  TdPreferencesWindow *self = f->self;
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;

  self->choosing = f->id;
  chooser = td_gui_file_chooser_new (GTK_WIDGET (self), _("Choose a CA Certificate"),
                                     GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"));
  td_gui_file_chooser_add_filter (chooser, _("Certificates (PEM)"), "*.pem", "*.crt", "*.cer", NULL);
  td_gui_file_chooser_show (chooser, &self->chooser, self, td_preferences_window_file_chosen_cb);
}

static void
td_preferences_window_clear_file_clicked_cb (GtkButton *button,
                                             Field     *f)
{
  g_clear_pointer (&f->path, g_free);
  td_preferences_window_update_file_row (f);
  td_preferences_window_form_changed (f->self);
}

/* Checks the whole form: a message under each field that is wrong, the
 * first of them focused. %TRUE when all are right. With @for_secrets, the
 * secrets typed must also have somewhere to be kept. */
gboolean
td_preferences_window_check_form (TdPreferencesWindow *self,
                                  gboolean             for_secrets)
{
  Field *first = NULL;

  for (guint i = 0; i < N_FIELDS; i++)
    {
      Field *f = &self->fields[i];
      g_autofree char *normalized = NULL;
      const char *problem = NULL;

      if (rows[i].kind == ROW_TEXT)
        problem = td_preferences_window_check_input (i, gtk_editable_get_text (GTK_EDITABLE (f->row)), &normalized);
      else if (rows[i].kind == ROW_SECRET && for_secrets &&
               *gtk_editable_get_text (GTK_EDITABLE (f->row)) != '\0')
        {
          TdCredentialKind kind;
          g_autofree char *server = NULL;
          g_autofree char *user = NULL;

          td_preferences_window_secret_target (self, i, &kind, &server, &user, &problem);
          if (server != NULL)
            problem = NULL;
        }
      else if (rows[i].kind == ROW_SECRET || rows[i].kind == ROW_FILE)
        td_preferences_window_show_message (f, NULL);
      if (rows[i].kind == ROW_TEXT || (rows[i].kind == ROW_SECRET && for_secrets))
        td_preferences_window_show_message (f, problem);
      if (problem != NULL && first == NULL)
        first = f;
    }
  if (first != NULL)
    gtk_widget_grab_focus (first->row);
  return first == NULL;
}

typedef struct
{
  TdPreferencesWindow *self;
  char                *values[N_FIELDS];
} SaveData;

static gboolean
td_preferences_window_save_settings_in_transaction (TdStore  *store,
                                                    gpointer  user_data,
                                                    GError  **error)
{
  SaveData *data = user_data;

  for (guint i = 0; i < N_FIELDS; i++)
    if (data->values[i] != NULL && !td_store_set_setting (store, rows[i].key, data->values[i], error))
      return FALSE;
  return TRUE;
}

/* Save: all or nothing. The settings in one transaction, then the secrets;
 * sending is told once each is done (td_preferences_window_save_finished()). */
static void
td_preferences_window_save_form (TdPreferencesWindow *self)
{
  SaveData data = { self, { NULL, } };
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->saving > 0)
    return;
  if (!td_preferences_window_check_form (self, TRUE))
    {
      td_preferences_window_toast (self, _("Nothing was saved: correct the fields marked, then save again."));
      return;
    }

  for (guint i = 0; i < N_FIELDS; i++)
    if (rows[i].key != NULL)
      {
        g_autofree char *saved = td_preferences_window_dup_setting (self, i);
        char *value = td_preferences_window_form_value (self, i);

        if (g_str_equal (saved, value))
          g_free (value);
        else
          {
            data.values[i] = value;
            self->save_changed[td_preferences_window_field_destination (i)] = TRUE;
          }
      }
  ok = td_store_transaction (self->store, td_preferences_window_save_settings_in_transaction, &data, &error);
  for (guint i = 0; i < N_FIELDS; i++)
    g_free (data.values[i]);
  if (!ok)
    {
      self->save_changed[0] = self->save_changed[1] = FALSE;
      /* Translators: the database's reason */
      {
        g_autofree char *message = g_strdup_printf (_("Nothing was saved: %s"), error->message);

        td_preferences_window_toast (self, message);
      }
      return;
    }

  /* The entries show what was saved: trimmed, the port as a number. */
  self->filling = TRUE;
  for (guint i = 0; i < N_FIELDS; i++)
    if (rows[i].kind == ROW_TEXT)
      {
        g_autofree char *value = td_preferences_window_form_value (self, i);

        if (!g_str_equal (value, gtk_editable_get_text (GTK_EDITABLE (self->fields[i].row))))
          gtk_editable_set_text (GTK_EDITABLE (self->fields[i].row), value);
      }
  self->filling = FALSE;

  for (guint i = 0; i < N_FIELDS; i++)
    {
      Field *f = &self->fields[i];
      const char *secret;
      TdCredentialKind kind;
      g_autofree char *server = NULL;
      g_autofree char *user = NULL;
      const char *missing = NULL;

      if (rows[i].kind != ROW_SECRET)
        continue;
      secret = gtk_editable_get_text (GTK_EDITABLE (f->row));
      if (*secret == '\0' || !td_preferences_window_secret_target (self, i, &kind, &server, &user, &missing))
        {
          /* Another server or account: another secret, or none yet. */
          td_preferences_window_refresh_secret (self, i);
          continue;
        }
      self->saving++;
      self->save_changed[td_preferences_window_field_destination (i)] = TRUE;
      td_credentials_store_async (kind, server, user, secret, self->cancellable, td_preferences_window_store_cb,
                                  td_preferences_window_keyring_call_new (self, i, server, user));
    }

  self->dirty = FALSE;
  td_preferences_window_toast (self, _("Saved"));
  if (self->saving == 0)
    td_preferences_window_save_finished (self, self->sync);
  td_preferences_window_update_form (self);
}

static void
td_preferences_window_save_clicked_cb (TdPreferencesWindow *self)
{
  td_preferences_window_save_form (self);
}

/* The rows */

static GtkWidget *
td_preferences_window_suffix_button (const char *label,
                                     const char *icon_name,
                                     const char *tooltip)
{
  GtkWidget *button = label ? gtk_button_new_with_mnemonic (label) : gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (tooltip)
    {
      gtk_widget_set_tooltip_text (button, tooltip);
      if (label == NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
    }
  if (icon_name)
    gtk_widget_add_css_class (button, "flat");
  return button;
}

static void
td_preferences_window_create_test_rows (TdPreferencesWindow *self)
{
  for (guint d = 0; d < 2; d++)
    {
      TestRow *t = &self->tests[d];
      GtkWidget *detail_row = adw_action_row_new ();

      t->row = adw_expander_row_new ();
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (t->row),
                                     d == TD_DESTINATION_SMTP ? _("School mailbox (SMTP)")
                                                              : _("Upload endpoint (HTTPS)"));
      t->icon = gtk_image_new ();
      t->spinner = gtk_spinner_new ();
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (t->row), t->icon);
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (t->row), t->spinner);
      t->detail = gtk_label_new (NULL);
      gtk_label_set_wrap (GTK_LABEL (t->detail), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (t->detail), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (t->detail), TRUE);
      gtk_label_set_xalign (GTK_LABEL (t->detail), 0);
      gtk_widget_set_margin_top (t->detail, 6);
      gtk_widget_set_margin_bottom (t->detail, 6);
      gtk_widget_add_css_class (t->detail, "monospace");
      gtk_widget_add_css_class (t->detail, "dim-label");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (detail_row), _("Technical details"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (detail_row), t->detail);
      gtk_widget_set_hexpand (t->detail, TRUE);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (t->row), detail_row);
      gtk_widget_set_visible (t->row, FALSE);
      adw_preferences_group_add (self->test_group, t->row);
    }
}

static void
td_preferences_window_create_rows (TdPreferencesWindow *self)
{
  AdwPreferencesGroup *groups[] = { self->smtp_group, self->https_group, self->connection_group };

  for (guint i = 0; i < N_FIELDS; i++)
    {
      Field *f = &self->fields[i];
      AdwPreferencesGroup *group = groups[rows[i].group];

      f->self = self;
      f->id = i;
      switch (rows[i].kind)
        {
        case ROW_TEXT:
        case ROW_SECRET:
          /* No ✓ button: Tab goes to the next field, Save writes. */
          f->row = rows[i].kind == ROW_SECRET ? adw_password_entry_row_new () : adw_entry_row_new ();
          adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (f->row), rows[i].purpose);
          g_signal_connect (f->row, "changed", G_CALLBACK (td_preferences_window_entry_changed_cb), f);
          /* Enter in a field saves the form, as a dialog's default. */
          g_signal_connect_swapped (f->row, "entry-activated", G_CALLBACK (td_preferences_window_save_clicked_cb), self);
          break;
        case ROW_SECURITY:
          {
            g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

            gtk_string_list_append (list, _("SSL/TLS (port 465)"));
            gtk_string_list_append (list, _("STARTTLS (port 587)"));
            f->row = adw_combo_row_new ();
            adw_combo_row_set_model (ADW_COMBO_ROW (f->row), G_LIST_MODEL (list));
            g_signal_connect (f->row, "notify::selected", G_CALLBACK (td_preferences_window_security_selected_cb), f);
          }
          break;
        case ROW_FILE:
          {
            GtkWidget *choose = td_preferences_window_suffix_button (_("C_hoose…"), NULL, NULL);

            f->row = adw_action_row_new ();
            f->clear_button = td_preferences_window_suffix_button (NULL, "edit-clear-symbolic", _("Trust No Extra Certificate"));
            adw_action_row_add_suffix (ADW_ACTION_ROW (f->row), f->clear_button);
            adw_action_row_add_suffix (ADW_ACTION_ROW (f->row), choose);
            g_signal_connect (choose, "clicked", G_CALLBACK (td_preferences_window_choose_clicked_cb), f);
            g_signal_connect (f->clear_button, "clicked", G_CALLBACK (td_preferences_window_clear_file_clicked_cb), f);
          }
          break;
        case ROW_TIMEOUT:
          f->row = adw_action_row_new ();
          adw_action_row_set_subtitle (ADW_ACTION_ROW (f->row),
                                       _("Seconds to wait for the server before trying again later"));
          f->spin = gtk_spin_button_new_with_range (5, 600, 5);
          gtk_widget_set_valign (f->spin, GTK_ALIGN_CENTER);
          gtk_accessible_update_property (GTK_ACCESSIBLE (f->spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _(rows[i].title), -1);
          adw_action_row_add_suffix (ADW_ACTION_ROW (f->row), f->spin);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (f->row), f->spin);
          g_signal_connect (f->spin, "value-changed", G_CALLBACK (td_preferences_window_timeout_changed_cb), f);
          break;
        default:
          g_assert_not_reached ();
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->row), _(rows[i].title));
      adw_preferences_group_add (group, f->row);

      f->message_row = td_field_message_new (&f->message);
      adw_preferences_group_add (group, f->message_row);

      if (rows[i].kind == ROW_SECRET)
        {
          f->status_row = adw_action_row_new ();
          f->status_icon = gtk_image_new ();
          adw_action_row_add_prefix (ADW_ACTION_ROW (f->status_row), f->status_icon);
          f->forget_button = td_preferences_window_suffix_button (_("_Remove"), NULL, _("Remove it from the keyring"));
          adw_action_row_add_suffix (ADW_ACTION_ROW (f->status_row), f->forget_button);
          g_signal_connect (f->forget_button, "clicked", G_CALLBACK (td_preferences_window_forget_clicked_cb), f);
          adw_preferences_group_add (group, f->status_row);
        }
    }
  td_preferences_window_create_test_rows (self);
}

/* What is saved now, into the rows. */
static void
td_preferences_window_fill_rows (TdPreferencesWindow *self)
{
  self->filling = TRUE;
  for (guint i = 0; i < N_FIELDS; i++)
    {
      Field *f = &self->fields[i];
      g_autofree char *value = rows[i].key ? td_preferences_window_dup_setting (self, i) : NULL;

      switch (rows[i].kind)
        {
        case ROW_TEXT:
          gtk_editable_set_text (GTK_EDITABLE (f->row), value);
          break;
        case ROW_SECURITY:
          adw_combo_row_set_selected (ADW_COMBO_ROW (f->row), g_str_equal (value, "starttls") ? 1 : 0);
          break;
        case ROW_FILE:
          g_free (f->path);
          f->path = g_steal_pointer (&value);
          td_preferences_window_update_file_row (f);
          break;
        case ROW_TIMEOUT:
          {
            guint64 seconds = 0;

            if (!g_ascii_string_to_unsigned (value, 10, 1, 3600, &seconds, NULL))
              seconds = DEFAULT_TIMEOUT;
            gtk_spin_button_set_value (GTK_SPIN_BUTTON (f->spin), (double)seconds);
          }
          break;
        case ROW_SECRET:
        default:
          break;
        }
    }
  self->filling = FALSE;
  /* Once the form holds the saved server and endpoint. */
  td_preferences_window_refresh_secret (self, F_SMTP_PASSWORD);
  td_preferences_window_refresh_secret (self, F_HTTPS_TOKEN);
  self->dirty = FALSE;
  td_preferences_window_update_form (self);
}

/* For tests */

static Field *
td_preferences_window_field_by_name (TdPreferencesWindow *self,
                                     const char          *name)
{
  for (guint i = 0; i < N_FIELDS; i++)
    if (g_str_equal (rows[i].name, name))
      return &self->fields[i];
  g_return_val_if_reached (NULL);
}

GtkWidget *
td_preferences_window_get_row (TdPreferencesWindow *self,
                               const char          *name)
{
  Field *f = td_preferences_window_field_by_name (self, name);

  return f ? f->row : NULL;
}

const char *
td_preferences_window_get_message (TdPreferencesWindow *self,
                                   const char          *name)
{
  Field *f = td_preferences_window_field_by_name (self, name);

  if (f == NULL || !gtk_widget_get_visible (f->message_row))
    return NULL;
  return gtk_label_get_text (f->message);
}

const char *
td_preferences_window_get_secret_status (TdPreferencesWindow *self,
                                         const char          *name,
                                         gboolean            *saved)
{
  Field *f = td_preferences_window_field_by_name (self, name);

  g_return_val_if_fail (f != NULL && rows[f->id].kind == ROW_SECRET, NULL);

  if (saved)
    *saved = f->saved;
  return f->status;
}

gboolean
td_preferences_window_is_busy (TdPreferencesWindow *self)
{
  return self->busy > 0 || self->saving > 0;
}

void
td_preferences_window_save (TdPreferencesWindow *self)
{
  td_preferences_window_save_form (self);
}

void
td_preferences_window_test (TdPreferencesWindow *self)
{
  g_signal_emit_by_name (self->test_button, "clicked");
}

const char *
td_preferences_window_get_test_result (TdPreferencesWindow *self,
                                       TdDestination        destination,
                                       gboolean            *passed,
                                       const char         **detail)
{
  TestRow *t = &self->tests[destination];

  if (!gtk_widget_get_visible (t->row) || t->running)
    return NULL;
  if (passed)
    *passed = t->passed;
  if (detail)
    *detail = gtk_label_get_text (GTK_LABEL (t->detail));
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (t->row));
}

/* As the Choose button with @path chosen. */
void
td_preferences_window_set_ca_file (TdPreferencesWindow *self,
                                   const char          *name,
                                   const char          *path)
{
  Field *f = td_preferences_window_field_by_name (self, name);

  g_return_if_fail (f != NULL && rows[f->id].kind == ROW_FILE);

  g_free (f->path);
  f->path = g_strdup (path);
  td_preferences_window_update_file_row (f);
  td_preferences_window_form_changed (self);
}

gboolean
td_preferences_window_get_keyring_note_shown (TdPreferencesWindow *self)
{
  return gtk_widget_get_visible (self->keyring_note);
}

/* GObject */

/* The signing key group (issue 10), self-contained: the school's key's
 * fingerprint, to read out on the phone to the province, which compares
 * it with the one its receiver bound to the school. */
static void
td_preferences_window_copy_fingerprint_cb (GtkButton *button,
                                           GtkLabel  *label)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), gtk_label_get_text (label));
}

static void
td_preferences_window_add_key_group (TdPreferencesWindow *self)
{
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (self->connection_group), ADW_TYPE_PREFERENCES_PAGE);
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  g_autoptr(GBytes) key = NULL;
  g_autofree char *fingerprint = NULL;
  GtkWidget *row, *label, *copy;

  if (page == NULL)
    return;
  if (td_signing_key_exists (self->store))
    key = td_signing_key_dup_public_key (self->store, NULL);
  fingerprint = key ? td_signing_key_fingerprint (key) : NULL;

  adw_preferences_group_set_title (group, _("Signing Key"));
  adw_preferences_group_set_description (group,
                                         _("The province can compare this fingerprint with the one it holds for the "
                                           "school, read out on the phone: the same digits mean the same key."));
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Fingerprint"));
  label = gtk_label_new (fingerprint ? fingerprint : _("No signing key yet: it is made at the first sign-off."));
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_set_name (label, "signing-key-fingerprint");
  if (fingerprint)
    gtk_widget_add_css_class (label, "monospace");
  else
    gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  if (fingerprint)
    {
      copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
      gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (copy, "flat");
      gtk_widget_set_tooltip_text (copy, _("Copy the fingerprint"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Copy the fingerprint"), -1);
      g_signal_connect (copy, "clicked", G_CALLBACK (td_preferences_window_copy_fingerprint_cb), label);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy);
    }
  adw_preferences_group_add (group, row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);
}

static void
td_preferences_window_constructed (GObject *object)
{
  TdPreferencesWindow *self = TD_PREFERENCES_WINDOW (object);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (td_preferences_window_parent_class)->constructed (object);

  g_return_if_fail (TD_IS_SESSION (self->session));

  self->store = td_session_get_store (self->session);
  self->sync = td_session_get_sync (self->session);
  self->campaign = td_session_load_campaign (self->session, &error);
  if (self->campaign == NULL)
    {
      g_warning ("Could not read the campaign: %s", error->message);
      self->campaign = td_campaign_get_builtin ();
    }

  td_preferences_window_create_rows (self);
  td_preferences_window_update_https_description (self);
  td_preferences_window_fill_rows (self);
  td_preferences_window_add_key_group (self);
}

static void
td_preferences_window_dispose (GObject *object)
{
  TdPreferencesWindow *self = TD_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->test_cancellable);
  td_gui_file_chooser_clear (&self->chooser);
  g_clear_weak_pointer (&self->toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (td_preferences_window_parent_class)->dispose (object);
}

static void
td_preferences_window_finalize (GObject *object)
{
  TdPreferencesWindow *self = TD_PREFERENCES_WINDOW (object);

  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_free (self->fields[i].status);
      g_free (self->fields[i].path);
    }
  g_clear_object (&self->cancellable);
  g_clear_object (&self->test_cancellable);
  g_clear_object (&self->campaign);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (td_preferences_window_parent_class)->finalize (object);
}

static void
td_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TdPreferencesWindow *self = TD_PREFERENCES_WINDOW (object);

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
td_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TdPreferencesWindow *self = TD_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_preferences_window_class_init (TdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = td_preferences_window_constructed;
  object_class->dispose = td_preferences_window_dispose;
  object_class->finalize = td_preferences_window_finalize;
  object_class->get_property = td_preferences_window_get_property;
  object_class->set_property = td_preferences_window_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TdPreferencesWindow, smtp_group);
  gtk_widget_class_bind_template_child (widget_class, TdPreferencesWindow, https_group);
  gtk_widget_class_bind_template_child (widget_class, TdPreferencesWindow, connection_group);
  gtk_widget_class_bind_template_child (widget_class, TdPreferencesWindow, actions_group);
  gtk_widget_class_bind_template_child (widget_class, TdPreferencesWindow, test_group);
  gtk_widget_class_bind_template_child (widget_class, TdPreferencesWindow, keyring_note);
  gtk_widget_class_bind_template_child (widget_class, TdPreferencesWindow, save_button);
  gtk_widget_class_bind_template_child (widget_class, TdPreferencesWindow, test_button);
  gtk_widget_class_bind_template_child (widget_class, TdPreferencesWindow, test_spinner);
  gtk_widget_class_bind_template_callback (widget_class, td_preferences_window_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, td_preferences_window_test_clicked_cb);

  td_gui_class_close_on_escape (widget_class, "window.close");
}

static void
td_preferences_window_init (TdPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->test_cancellable = g_cancellable_new ();
}
