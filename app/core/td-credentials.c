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
