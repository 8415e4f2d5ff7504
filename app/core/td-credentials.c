/* td-credentials.c: secrets in the keyring
 *
 * A mailbox's authorisation code and an upload endpoint's bearer token live
 * in the desktop's keyring (the Secret Service, through libsecret), never
 * in the database, the settings or a log. Each is one item of the schema
 * io.github.vocedu.TrainingDesk.Credential, found by its kind, server and
 * user.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-credentials"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "td-credentials.h"

G_DEFINE_QUARK (td-credentials-error-quark, td_credentials_error)

static const SecretSchema *
td_credentials_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.vocedu.TrainingDesk.Credential", SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/* Getting ready: the keyring's connection and session opened, and the
 * secrets of this schema that are unlocked read, ahead. */
typedef struct
{
  char        *kind;
  char        *server;
  char        *user;
  SecretValue *value;
} Prepared;

static GMutex prepare_mutex;
static GCond prepare_cond;
static gboolean preparing;
static GPtrArray *prepared;   /* Prepared, each taken by the lookup it serves */

static void
td_credentials_prepared_free (gpointer data)
{
  Prepared *entry = data;

  g_free (entry->kind);
  g_free (entry->server);
  g_free (entry->user);
  secret_value_unref (entry->value);
  g_free (entry);
}

static const SecretSchema *td_credentials_get_schema (void);

static gpointer
td_credentials_prepare_thread (gpointer data)
{
  /* libsecret keeps the default service, its session open, for the
   * lookups that follow; a failure here is met again, and said, by them. */
  g_autoptr(SecretService) service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, NULL);
  g_autoptr(GHashTable) any = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *entries = g_ptr_array_new_with_free_func (td_credentials_prepared_free);
  GList *items = NULL;

  /* Without SECRET_SEARCH_UNLOCK: nothing prompts here; a locked item is
   * looked up as before, when it is needed. */
  if (service != NULL)
    items = secret_service_search_sync (service, td_credentials_get_schema (), any,
                                        SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS, NULL, NULL);
  for (GList *l = items; l; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);
      SecretValue *value = secret_item_get_secret (l->data);
      Prepared *entry;

      if (value == NULL)
        continue;
      entry = g_new0 (Prepared, 1);
      entry->kind = g_strdup (g_hash_table_lookup (attributes, "kind"));
      entry->server = g_strdup (g_hash_table_lookup (attributes, "server"));
      entry->user = g_strdup (g_hash_table_lookup (attributes, "user"));
      entry->value = value;
      g_ptr_array_add (entries, entry);
    }
  g_list_free_full (items, g_object_unref);

  g_mutex_lock (&prepare_mutex);
  preparing = FALSE;
  g_clear_pointer (&prepared, g_ptr_array_unref);
  prepared = entries;
  g_cond_broadcast (&prepare_cond);
  g_mutex_unlock (&prepare_mutex);
  return NULL;
}

/**
 * td_credentials_prepare:
 *
 * Opens the keyring's connection and session in a thread of its own, and
 * reads the secrets of Training Desk's schema that are unlocked: --sync
 * asks it first thing, so that the secret it needs, once the database
 * says which, is at hand instead of five exchanges with the keyring away
 * (the D-Bus connection, the session and its key exchange, the search, the
 * secret: ~25 ms that the send waited for, issue 17). Nothing here can
 * prompt; a secret not read here is looked up as before.
 * td_credentials_forget_prepared() drops what was not taken.
 */
void
td_credentials_prepare (void)
{
  g_mutex_lock (&prepare_mutex);
  if (!preparing && prepared == NULL)
    {
      preparing = TRUE;
      g_thread_unref (g_thread_new ("td-keyring-prepare", td_credentials_prepare_thread, NULL));
    }
  g_mutex_unlock (&prepare_mutex);
}

/**
 * td_credentials_forget_prepared:
 *
 * Drops the secrets td_credentials_prepare() read and no lookup took
 * (libsecret overwrites them), after waiting for it to finish.
 */
void
td_credentials_forget_prepared (void)
{
  g_mutex_lock (&prepare_mutex);
  while (preparing)
    g_cond_wait (&prepare_cond, &prepare_mutex);
  g_clear_pointer (&prepared, g_ptr_array_unref);
  g_mutex_unlock (&prepare_mutex);
}

/* The secret td_credentials_prepare() read for these, taken (so given out
 * once), as a password to free with secret_password_free(); waits for it
 * when it is still at work. %NULL when it read none. */
static char *
td_credentials_take_prepared (const char *kind,
                              const char *server,
                              const char *user)
{
  char *secret = NULL;

  g_mutex_lock (&prepare_mutex);
  while (preparing)
    g_cond_wait (&prepare_cond, &prepare_mutex);
  for (guint i = 0; prepared != NULL && i < prepared->len; i++)
    {
      Prepared *entry = g_ptr_array_index (prepared, i);

      if (g_strcmp0 (entry->kind, kind) == 0 && g_strcmp0 (entry->server, server) == 0 &&
          g_strcmp0 (entry->user, user) == 0)
        {
          gsize length;

          secret = secret_value_unref_to_password (secret_value_ref (entry->value), &length);
          g_ptr_array_remove_index (prepared, i);
          break;
        }
    }
  g_mutex_unlock (&prepare_mutex);
  return secret;
}

static const char *
td_credentials_kind_name (TdCredentialKind kind)
{
  switch (kind)
    {
    case TD_CREDENTIAL_SMTP:
      return "smtp";
    case TD_CREDENTIAL_HTTPS:
      return "https";
    default:
      g_return_val_if_reached ("smtp");
    }
}

static gboolean
td_credentials_check_args (const char  *server,
                           const char  *secret,
                           gboolean     storing,
                           GError     **error)
{
  if (server == NULL || *server == '\0')
    {
      g_set_error_literal (error, TD_CREDENTIALS_ERROR, TD_CREDENTIALS_ERROR_INVALID,
                           _("A password is kept for a server: enter the server first."));
      return FALSE;
    }
  if (storing && (secret == NULL || *secret == '\0'))
    {
      g_set_error_literal (error, TD_CREDENTIALS_ERROR, TD_CREDENTIALS_ERROR_INVALID,
                           _("The password or authorisation code is empty."));
      return FALSE;
    }
  return TRUE;
}

static char *
td_credentials_make_label (TdCredentialKind  kind,
                           const char       *server,
                           const char       *user)
{
  /* Shown in the keyring's manager (Passwords and Keys). */
  if (kind == TD_CREDENTIAL_SMTP)
    /* Translators: a keyring item's name; the first %s is the mailbox
     * (office@163.com), the second its server (smtp.163.com) */
    return g_strdup_printf (_("Training Desk: mailbox %s on %s"), user, server);
  if (*user != '\0')
    /* Translators: a keyring item's name; the first %s is a user name,
     * the second the upload server */
    return g_strdup_printf (_("Training Desk: upload token of %s for %s"), user, server);
  /* Translators: a keyring item's name; %s is the upload server */
  return g_strdup_printf (_("Training Desk: upload token for %s"), server);
}

/* libsecret's and D-Bus's errors as ours; a cancellation stays one. */
static GError *
td_credentials_convert_error (GError *error)
{
  GError *converted;

  if (error == NULL)
    return g_error_new_literal (TD_CREDENTIALS_ERROR, TD_CREDENTIALS_ERROR_UNAVAILABLE,
                                _("The keyring stayed locked. Unlock it to keep the password."));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  converted = g_error_new (TD_CREDENTIALS_ERROR, TD_CREDENTIALS_ERROR_UNAVAILABLE,
                           _("The keyring cannot be used (%s). Passwords are kept in the keyring of the desktop session: "
                             "sign in to a session with a keyring, such as GNOME Keyring or KWallet, and try again."),
                           error->message);
  g_error_free (error);
  return converted;
}

/**
 * td_credentials_store:
 * @user: (nullable): the user name; %NULL is ""
 * @secret: the password, authorisation code or token
 *
 * Keeps @secret in the default keyring, replacing the one stored for the
 * same kind, server and user.
 */
gboolean
td_credentials_store (TdCredentialKind   kind,
                      const char        *server,
                      const char        *user,
                      const char        *secret,
                      GCancellable      *cancellable,
                      GError           **error)
{
  g_autofree char *label = NULL;
  GError *local_error = NULL;

  if (!td_credentials_check_args (server, secret, TRUE, error))
    return FALSE;
  user = user ? user : "";
  label = td_credentials_make_label (kind, server, user);

  if (!secret_password_store_sync (td_credentials_get_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                                   cancellable, &local_error,
                                   "kind", td_credentials_kind_name (kind),
                                   "server", server,
                                   "user", user,
                                   NULL))
    {
      g_propagate_error (error, td_credentials_convert_error (local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * td_credentials_lookup:
 *
 * Returns: (transfer full) (nullable): the secret, to free with
 *   td_credentials_secret_free(); %NULL without an error when there is
 *   none.
 */
char *
td_credentials_lookup (TdCredentialKind   kind,
                       const char        *server,
                       const char        *user,
                       GCancellable      *cancellable,
                       GError           **error)
{
  GError *local_error = NULL;
  char *secret;

  if (!td_credentials_check_args (server, NULL, FALSE, error))
    return NULL;

  secret = td_credentials_take_prepared (td_credentials_kind_name (kind), server, user ? user : "");
  if (secret != NULL)
    return secret;
  secret = secret_password_lookup_nonpageable_sync (td_credentials_get_schema (), cancellable, &local_error,
                                                    "kind", td_credentials_kind_name (kind),
                                                    "server", server,
                                                    "user", user ? user : "",
                                                    NULL);
  if (local_error != NULL)
    g_propagate_error (error, td_credentials_convert_error (local_error));
  return secret;
}

/**
 * td_credentials_clear:
 *
 * Removes the secret, if there is one.
 *
 * Returns: %TRUE when there is none any more, whether there was one or not
 */
gboolean
td_credentials_clear (TdCredentialKind   kind,
                      const char        *server,
                      const char        *user,
                      GCancellable      *cancellable,
                      GError           **error)
{
  GError *local_error = NULL;

  if (!td_credentials_check_args (server, NULL, FALSE, error))
    return FALSE;

  /* FALSE without an error: there was nothing to remove. */
  if (!secret_password_clear_sync (td_credentials_get_schema (), cancellable, &local_error,
                                   "kind", td_credentials_kind_name (kind),
                                   "server", server,
                                   "user", user ? user : "",
                                   NULL)
      && local_error != NULL)
    {
      g_propagate_error (error, td_credentials_convert_error (local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * td_credentials_secret_free:
 *
 * Frees a secret from td_credentials_lookup(), overwriting it first.
 */
void
td_credentials_secret_free (char *secret)
{
  secret_password_free (secret);
}

/* Async: libsecret's own, its errors converted. */

static void
td_credentials_store_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, td_credentials_convert_error (error));
}

void
td_credentials_store_async (TdCredentialKind     kind,
                            const char          *server,
                            const char          *user,
                            const char          *secret,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *label = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, td_credentials_store_async);
  if (!td_credentials_check_args (server, secret, TRUE, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  user = user ? user : "";
  label = td_credentials_make_label (kind, server, user);

  secret_password_store (td_credentials_get_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                         cancellable, td_credentials_store_cb, g_steal_pointer (&task),
                         "kind", td_credentials_kind_name (kind),
                         "server", server,
                         "user", user,
                         NULL);
}

gboolean
td_credentials_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
td_credentials_lookup_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_nonpageable_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, td_credentials_convert_error (error));
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
}

void
td_credentials_lookup_async (TdCredentialKind     kind,
                             const char          *server,
                             const char          *user,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, td_credentials_lookup_async);
  if (!td_credentials_check_args (server, NULL, FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  secret_password_lookup (td_credentials_get_schema (), cancellable, td_credentials_lookup_cb, g_steal_pointer (&task),
                          "kind", td_credentials_kind_name (kind),
                          "server", server,
                          "user", user ? user : "",
                          NULL);
}

/**
 * td_credentials_lookup_finish:
 *
 * Returns: (transfer full) (nullable): as td_credentials_lookup()
 */
char *
td_credentials_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
td_credentials_clear_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_task_return_error (task, td_credentials_convert_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
td_credentials_clear_async (TdCredentialKind     kind,
                            const char          *server,
                            const char          *user,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, td_credentials_clear_async);
  if (!td_credentials_check_args (server, NULL, FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  secret_password_clear (td_credentials_get_schema (), cancellable, td_credentials_clear_cb, g_steal_pointer (&task),
                         "kind", td_credentials_kind_name (kind),
                         "server", server,
                         "user", user ? user : "",
                         NULL);
}

gboolean
td_credentials_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
