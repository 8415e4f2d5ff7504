/* td-preferences-window.c: where the forms are sent, and how
 *
 * The school's mailbox (SMTP) and the upload endpoint (HTTPS): the settings
 * go into the database (td_store_set_setting() with the TD_SETTING_* keys),
 * the password and the token into the keyring (td-credentials.h), never the
 * database. Each text is checked when applied and saved only when right,
 * with the reason under the field otherwise.
 *
 * Whatever is saved for a destination tells TdSync, so the items that
 * stopped for their credentials or settings are tried again at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "td-campaign.h"
#include "td-credentials.h"
#include "td-field-message.h"
#include "td-outbox.h"
#include "td-preferences-window.h"
#include "td-preferences-window-private.h"
#include "td-signing-key.h"
#include "td-upload.h"

typedef enum
{
  ROW_TEXT,      /* an entry, saved when applied */
  ROW_SECURITY,  /* SSL/TLS or STARTTLS */
  ROW_SECRET,    /* into the keyring, with a row that says what it holds */
  ROW_FILE,      /* a CA certificate, chosen */
  ROW_TIMEOUT,   /* seconds */
} RowKind;

enum { GROUP_SMTP, GROUP_HTTPS, GROUP_CONNECTION };

typedef enum
{
  F_SMTP_HOST,
  F_SMTP_PORT,
  F_SMTP_SECURITY,
  F_SMTP_USERNAME,
  F_SMTP_FROM,
  F_SMTP_PASSWORD,
  F_SMTP_CA,
  F_HTTPS_ENDPOINT,
  F_HTTPS_TOKEN,
  F_HTTPS_CA,
  F_TIMEOUT,
  N_FIELDS
} FieldId;

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
static const char * const default_ports[] = { "465", "587" };

#define DEFAULT_TIMEOUT 60

typedef struct
{
  TdPreferencesWindow *self;
  FieldId              id;
  GtkWidget           *row;
  GtkWidget           *message_row;
  GtkLabel            *message;
  GtkWidget           *status_row;     /* ROW_SECRET */
  GtkWidget           *status_icon;
  GtkWidget           *forget_button;
  gboolean             saved;
  char                *status;
  GtkWidget           *clear_button;   /* ROW_FILE */
  GtkWidget           *spin;           /* ROW_TIMEOUT */
} Field;

struct _TdPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  TdSync               *sync;
  TdStore              *store;
  TdCampaign           *campaign;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  FieldId               choosing;
  guint                 busy;
  gboolean              filling;

  Field                 fields[N_FIELDS];

  AdwPreferencesGroup  *smtp_group;
  AdwPreferencesGroup  *https_group;
  AdwPreferencesGroup  *connection_group;
};

G_DEFINE_FINAL_TYPE (TdPreferencesWindow, td_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SYNC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

TdPreferencesWindow *
td_preferences_window_new (GtkWindow *parent,
                           TdSync    *sync)
{
  g_return_val_if_fail (TD_IS_SYNC (sync), NULL);

  return g_object_new (TD_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "sync", sync,
                       NULL);
}

static TdDestination
field_destination (FieldId id)
{
  return id < F_HTTPS_ENDPOINT ? TD_DESTINATION_SMTP : TD_DESTINATION_HTTPS;
}

static void
toast (TdPreferencesWindow *self,
       const char          *message)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
}

static char *
dup_setting (TdPreferencesWindow *self,
             FieldId              id)
{
  char *value = td_store_dup_setting (self->store, rows[id].key);

  return value ? value : g_strdup ("");
}

/* Items that stopped for this destination's settings are due again. */
static void
destination_changed (TdPreferencesWindow *self,
                     TdDestination        destination)
{
  g_autoptr(GError) error = NULL;

  if (!td_sync_credentials_changed (self->sync, destination, &error))
    g_warning ("Could not send the stopped items again: %s", error->message);
}

/* An entry's text, set without showing its apply button. */
static void
set_text_quietly (AdwEntryRow *row,
                  const char  *text)
{
  gboolean apply = adw_entry_row_get_show_apply_button (row);

  adw_entry_row_set_show_apply_button (row, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  adw_entry_row_set_show_apply_button (row, apply);
}

static void
show_message (Field      *f,
              const char *message)
{
  td_field_message_show (f->row, f->message_row, f->message, message);
}

/* Checking */

static gboolean
is_host_name (const char *text)
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
is_mail_address (const char *text)
{
  const char *at = strchr (text, '@');

  if (at == NULL || at == text || strchr (at + 1, '@') != NULL || strchr (at + 1, '.') == NULL)
    return FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return is_host_name (at + 1);
}

/* The core's rule (td-upload.c): https://, or http:// to this machine. */
static gboolean
is_endpoint (const char *text)
{
  return td_upload_check_endpoint (text, NULL);
}

/* What is wrong with @input for @id, or %NULL with @normalized set. */
static const char *
check_input (FieldId      id,
             const char  *input,
             char       **normalized)
{
  g_autofree char *text = g_strstrip (g_strdup (input));

  *normalized = NULL;
  if (*text != '\0')
    switch (id)
      {
      case F_SMTP_HOST:
        if (!is_host_name (text))
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
        if (!is_mail_address (text))
          return _("Enter a whole e-mail address, such as office@163.com.");
        break;
      case F_HTTPS_ENDPOINT:
        if (!is_endpoint (text))
          return _("Enter an https:// address, such as https://upload.example.edu.cn/api.");
        break;
      default:
        break;
      }
  *normalized = g_steal_pointer (&text);
  return NULL;
}

/* The keyring */

static void refresh_secret (TdPreferencesWindow *self,
                            FieldId              id);

/* Where the secret of @id is kept: the mailbox's server and account, or
 * the endpoint. %FALSE, with what to enter first, when not set yet. */
static gboolean
secret_target (TdPreferencesWindow  *self,
               FieldId               id,
               TdCredentialKind     *kind,
               char                **server,
               char                **user,
               const char          **missing)
{
  if (id == F_SMTP_PASSWORD)
    {
      *kind = TD_CREDENTIAL_SMTP;
      *server = dup_setting (self, F_SMTP_HOST);
      *user = dup_setting (self, F_SMTP_USERNAME);
      if (**server == '\0')
        *missing = _("Enter and apply the server first: the password is kept for it.");
      else if (**user == '\0')
        *missing = _("Enter and apply the account first: the password is kept for it.");
      else
        return TRUE;
    }
  else
    {
      *kind = TD_CREDENTIAL_HTTPS;
      *server = td_outbox_dup_upload_endpoint (self->store, self->campaign);
      *user = g_strdup ("");
      if (*server == NULL)
        *missing = _("Enter and apply the endpoint URL first: the token is kept for it.");
      else
        return TRUE;
    }
  g_clear_pointer (server, g_free);
  g_clear_pointer (user, g_free);
  return FALSE;
}

static void
set_secret_status (Field      *f,
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
}

/* A keyring call holds the window weakly: a call that ends after the
 * window closed must not be what finalizes it (its transient parent may be
 * gone by then: seen as a crash in test-outbox-page), and the sync it may
 * have to wake is held on its own. */
typedef struct
{
  GWeakRef  self;
  TdSync   *sync;
  FieldId   id;
  char     *server;
  char     *user;
} KeyringCall;

static KeyringCall *
keyring_call_new (TdPreferencesWindow *self,
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
static TdPreferencesWindow *
keyring_call_dup_window (KeyringCall *call)
{
  TdPreferencesWindow *self = g_weak_ref_get (&call->self);

  if (self != NULL && g_cancellable_is_cancelled (self->cancellable))
    g_clear_object (&self);
  return self;
}

static void
keyring_call_free (KeyringCall *call)
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
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KeyringCall, keyring_call_free)

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KeyringCall) call = user_data;
  g_autoptr(TdPreferencesWindow) self = keyring_call_dup_window (call);
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
      set_secret_status (f, FALSE, _("The keyring cannot be reached"), error->message);
      return;
    }

  if (call->id == F_SMTP_PASSWORD)
    /* Translators: the account, then the server: "office@163.com on smtp.163.com" */
    subtitle = g_strdup_printf (_("For %s on %s"), call->user, call->server);
  else
    /* Translators: the upload endpoint's URL */
    subtitle = g_strdup_printf (_("For %s"), call->server);

  if (secret != NULL)
    set_secret_status (f, TRUE,
                       call->id == F_SMTP_PASSWORD ? _("A password is saved in the keyring")
                                                   : _("A token is saved in the keyring"),
                       subtitle);
  else
    set_secret_status (f, FALSE,
                       call->id == F_SMTP_PASSWORD ? _("No password is saved yet") : _("No token is saved yet"),
                       subtitle);
  if (secret != NULL)
    td_credentials_secret_free (secret);
}

/* Says what the keyring holds for the current server and account. */
static void
refresh_secret (TdPreferencesWindow *self,
                FieldId              id)
{
  Field *f = &self->fields[id];
  TdCredentialKind kind;
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  const char *missing = NULL;

  if (!secret_target (self, id, &kind, &server, &user, &missing))
    {
      set_secret_status (f, FALSE, id == F_SMTP_PASSWORD ? _("No password is saved yet") : _("No token is saved yet"),
                         missing);
      return;
    }
  td_credentials_lookup_async (kind, server, user, self->cancellable, lookup_cb,
                               keyring_call_new (self, id, server, user));
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(KeyringCall) call = user_data;
  g_autoptr(TdPreferencesWindow) self = keyring_call_dup_window (call);
  g_autoptr(GError) error = NULL;
  Field *f;

  if (!td_credentials_store_finish (result, &error))
    {
      if (self != NULL)
        show_message (&self->fields[call->id], error->message);
      return;
    }

  /* Saved, even if the window closed meanwhile. */
  if (!td_sync_credentials_changed (call->sync, field_destination (call->id), &error))
    g_warning ("Could not send the stopped items again: %s", error->message);
  if (self == NULL)
    return;
  f = &self->fields[call->id];
  set_text_quietly (ADW_ENTRY_ROW (f->row), "");
  toast (self, call->id == F_SMTP_PASSWORD ? _("The password is saved in the keyring")
                                           : _("The token is saved in the keyring"));
  refresh_secret (self, call->id);
}

static void
apply_secret (Field *f)
{
  TdPreferencesWindow *self = f->self;
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (f->row));
  TdCredentialKind kind;
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  const char *missing = NULL;

  if (!secret_target (self, f->id, &kind, &server, &user, &missing))
    {
      show_message (f, missing);
      return;
    }
  if (*secret == '\0')
    {
      show_message (f, f->id == F_SMTP_PASSWORD ? _("Enter the password or authorisation code.")
                                                : _("Enter the token."));
      return;
    }
  show_message (f, NULL);
  td_credentials_store_async (kind, server, user, secret, self->cancellable, store_cb,
                              keyring_call_new (self, f->id, server, user));
}

static void
forget_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KeyringCall) call = user_data;
  g_autoptr(TdPreferencesWindow) self = keyring_call_dup_window (call);
  g_autoptr(GError) error = NULL;

  if (!td_credentials_clear_finish (result, &error) || self == NULL)
    {
      if (error != NULL && self != NULL)
        show_message (&self->fields[call->id], error->message);
      return;
    }
  refresh_secret (self, call->id);
}

static void
forget_clicked_cb (GtkButton *button,
                   Field     *f)
{
  TdCredentialKind kind;
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  const char *missing = NULL;

  if (secret_target (f->self, f->id, &kind, &server, &user, &missing))
    td_credentials_clear_async (kind, server, user, f->self->cancellable, forget_cb,
                                keyring_call_new (f->self, f->id, server, user));
}

/* Settings */

static gboolean
save_setting (Field      *f,
              const char *value)
{
  g_autoptr(GError) error = NULL;

  if (!td_store_set_setting (f->self->store, rows[f->id].key, value, &error))
    {
      show_message (f, error->message);
      return FALSE;
    }
  return TRUE;
}

static void
update_https_description (TdPreferencesWindow *self)
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

static void
apply_text (Field *f)
{
  TdPreferencesWindow *self = f->self;
  g_autofree char *normalized = NULL;
  const char *problem = check_input (f->id, gtk_editable_get_text (GTK_EDITABLE (f->row)), &normalized);

  show_message (f, problem);
  if (problem != NULL || !save_setting (f, normalized))
    return;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (f->row)), normalized) != 0)
    set_text_quietly (ADW_ENTRY_ROW (f->row), normalized);

  destination_changed (self, field_destination (f->id));
  /* The secret is kept for the server and account, or the endpoint. */
  if (f->id == F_SMTP_HOST || f->id == F_SMTP_USERNAME)
    refresh_secret (self, F_SMTP_PASSWORD);
  else if (f->id == F_HTTPS_ENDPOINT)
    refresh_secret (self, F_HTTPS_TOKEN);
}

static void
entry_apply_cb (AdwEntryRow *row,
                Field       *f)
{
  if (rows[f->id].kind == ROW_SECRET)
    apply_secret (f);
  else
    apply_text (f);
}

static void
security_selected_cb (AdwComboRow *row,
                      GParamSpec  *pspec,
                      Field       *f)
{
  TdPreferencesWindow *self = f->self;
  Field *port = &self->fields[F_SMTP_PORT];
  guint selected = adw_combo_row_get_selected (row);
  g_autofree char *old_port = NULL;

  if (self->filling || selected >= G_N_ELEMENTS (security_values) || !save_setting (f, security_values[selected]))
    return;

  /* The usual port goes with it, unless the provider gave another. */
  old_port = dup_setting (self, F_SMTP_PORT);
  if (g_strv_contains (default_ports, old_port) && !g_str_equal (old_port, default_ports[selected]) &&
      save_setting (port, default_ports[selected]))
    {
      set_text_quietly (ADW_ENTRY_ROW (port->row), default_ports[selected]);
      show_message (port, NULL);
    }
  destination_changed (self, TD_DESTINATION_SMTP);
}

static void
timeout_changed_cb (GtkSpinButton *spin,
                    Field         *f)
{
  g_autofree char *value = NULL;

  if (f->self->filling)
    return;
  value = g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (spin));
  save_setting (f, value);
}

static void
update_file_row (Field *f)
{
  g_autofree char *path = dup_setting (f->self, f->id);
  g_autofree char *display = *path ? g_filename_display_name (path) : NULL;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (f->row),
                               display ? display
                                       : _("None: needed only for a server with a certificate authority of its "
                                           "own, as on a provincial intranet"));
  gtk_widget_set_visible (f->clear_button, display != NULL);
}

static void
file_response_cb (TdPreferencesWindow  *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  Field *f = &self->fields[self->choosing];

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL || !(path = g_file_get_path (file)))
    return;

  if (save_setting (f, path))
    {
      update_file_row (f);
      destination_changed (self, field_destination (f->id));
    }
}

static void
choose_clicked_cb (GtkButton *button,
                   Field     *f)
{
  TdPreferencesWindow *self = f->self;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->choosing = f->id;
  self->chooser = gtk_file_chooser_native_new (_("Choose a CA Certificate"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_filter_add_pattern (filter, "*.cer");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (file_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
clear_file_clicked_cb (GtkButton *button,
                       Field     *f)
{
  if (save_setting (f, ""))
    {
      update_file_row (f);
      destination_changed (f->self, field_destination (f->id));
    }
}

/* The rows */

static GtkWidget *
suffix_button (const char *label,
               const char *icon_name,
               const char *tooltip)
{
  GtkWidget *button = label ? gtk_button_new_with_mnemonic (label) : gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (tooltip)
    gtk_widget_set_tooltip_text (button, tooltip);
  if (icon_name)
    gtk_widget_add_css_class (button, "flat");
  return button;
}

static void
create_rows (TdPreferencesWindow *self)
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
          f->row = rows[i].kind == ROW_SECRET ? adw_password_entry_row_new () : adw_entry_row_new ();
          adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (f->row), rows[i].purpose);
          adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (f->row), TRUE);
          g_signal_connect (f->row, "apply", G_CALLBACK (entry_apply_cb), f);
          break;
        case ROW_SECURITY:
          {
            g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

            gtk_string_list_append (list, _("SSL/TLS (port 465)"));
            gtk_string_list_append (list, _("STARTTLS (port 587)"));
            f->row = adw_combo_row_new ();
            adw_combo_row_set_model (ADW_COMBO_ROW (f->row), G_LIST_MODEL (list));
            g_signal_connect (f->row, "notify::selected", G_CALLBACK (security_selected_cb), f);
          }
          break;
        case ROW_FILE:
          {
            GtkWidget *choose = suffix_button (_("C_hoose…"), NULL, NULL);

            f->row = adw_action_row_new ();
            f->clear_button = suffix_button (NULL, "edit-clear-symbolic", _("Trust No Extra Certificate"));
            adw_action_row_add_suffix (ADW_ACTION_ROW (f->row), f->clear_button);
            adw_action_row_add_suffix (ADW_ACTION_ROW (f->row), choose);
            g_signal_connect (choose, "clicked", G_CALLBACK (choose_clicked_cb), f);
            g_signal_connect (f->clear_button, "clicked", G_CALLBACK (clear_file_clicked_cb), f);
          }
          break;
        case ROW_TIMEOUT:
          f->row = adw_action_row_new ();
          adw_action_row_set_subtitle (ADW_ACTION_ROW (f->row),
                                       _("Seconds to wait for the server before trying again later"));
          f->spin = gtk_spin_button_new_with_range (5, 600, 5);
          gtk_widget_set_valign (f->spin, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (f->row), f->spin);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (f->row), f->spin);
          g_signal_connect (f->spin, "value-changed", G_CALLBACK (timeout_changed_cb), f);
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
          f->forget_button = suffix_button (_("_Remove"), NULL, _("Remove it from the keyring"));
          adw_action_row_add_suffix (ADW_ACTION_ROW (f->status_row), f->forget_button);
          g_signal_connect (f->forget_button, "clicked", G_CALLBACK (forget_clicked_cb), f);
          adw_preferences_group_add (group, f->status_row);
        }
    }
}

/* What is saved now, into the rows. */
static void
fill_rows (TdPreferencesWindow *self)
{
  self->filling = TRUE;
  for (guint i = 0; i < N_FIELDS; i++)
    {
      Field *f = &self->fields[i];
      g_autofree char *value = rows[i].key ? dup_setting (self, i) : NULL;

      switch (rows[i].kind)
        {
        case ROW_TEXT:
          set_text_quietly (ADW_ENTRY_ROW (f->row), value);
          break;
        case ROW_SECURITY:
          adw_combo_row_set_selected (ADW_COMBO_ROW (f->row), g_str_equal (value, "starttls") ? 1 : 0);
          break;
        case ROW_FILE:
          update_file_row (f);
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
          refresh_secret (self, i);
          break;
        default:
          break;
        }
    }
  self->filling = FALSE;
}

/* For tests */

static Field *
field_by_name (TdPreferencesWindow *self,
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
  Field *f = field_by_name (self, name);

  return f ? f->row : NULL;
}

const char *
td_preferences_window_get_message (TdPreferencesWindow *self,
                                   const char          *name)
{
  Field *f = field_by_name (self, name);

  if (f == NULL || !gtk_widget_get_visible (f->message_row))
    return NULL;
  return gtk_label_get_text (f->message);
}

const char *
td_preferences_window_get_secret_status (TdPreferencesWindow *self,
                                         const char          *name,
                                         gboolean            *saved)
{
  Field *f = field_by_name (self, name);

  g_return_val_if_fail (f != NULL && rows[f->id].kind == ROW_SECRET, NULL);

  if (saved)
    *saved = f->saved;
  return f->status;
}

gboolean
td_preferences_window_is_busy (TdPreferencesWindow *self)
{
  return self->busy > 0;
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

  g_return_if_fail (TD_IS_SYNC (self->sync));

  g_object_get (self->sync, "store", &self->store, NULL);
  self->campaign = td_campaign_load_current (self->store, &error);
  if (self->campaign == NULL)
    {
      g_warning ("Could not read the campaign: %s", error->message);
      self->campaign = td_campaign_get_builtin ();
    }

  create_rows (self);
  update_https_description (self);
  fill_rows (self);
  td_preferences_window_add_key_group (self);
}

static void
td_preferences_window_dispose (GObject *object)
{
  TdPreferencesWindow *self = TD_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (td_preferences_window_parent_class)->dispose (object);
}

static void
td_preferences_window_finalize (GObject *object)
{
  TdPreferencesWindow *self = TD_PREFERENCES_WINDOW (object);

  for (guint i = 0; i < N_FIELDS; i++)
    g_free (self->fields[i].status);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->campaign);
  g_clear_object (&self->store);
  g_clear_object (&self->sync);

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
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
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
    case PROP_SYNC:
      self->sync = g_value_dup_object (value);
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

  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, TD_TYPE_SYNC,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TdPreferencesWindow, smtp_group);
  gtk_widget_class_bind_template_child (widget_class, TdPreferencesWindow, https_group);
  gtk_widget_class_bind_template_child (widget_class, TdPreferencesWindow, connection_group);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
td_preferences_window_init (TdPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
}
