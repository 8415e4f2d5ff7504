/* td-gui-util.c: file choosers, toasts and errors, one way everywhere
 *
 * Nine file choosers in seven files were built and answered by hand, each
 * with its own idea of modality, of what Cancel does and of when the
 * chooser is let go; errors were shown by four copies of the same message
 * dialog. Here once: a chooser is modal over its owner's window, kept in
 * the owner's slot while shown (so a second click does not open a second
 * one), let go before the owner hears the answer, and destroyed with the
 * owner (td_gui_file_chooser_clear() in its dispose).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-gui-util"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "td-gui-util.h"

typedef struct
{
  GtkFileChooserNative **slot;      /* the owner's, or NULL: then the chooser holds itself */
  gpointer               owner;
  TdGuiFileCallback      callback;
} TdGuiChoice;

static GtkWindow *
td_gui_window_of (GtkWidget *widget)
{
  GtkRoot *root = widget ? gtk_widget_get_root (widget) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/**
 * td_gui_file_chooser_new:
 * @owner: the widget the chooser is for: modal over its window
 *
 * Returns: (transfer full): a modal native chooser, with Cancel
 */
GtkFileChooserNative *
td_gui_file_chooser_new (GtkWidget            *owner,
                         const char           *title,
                         GtkFileChooserAction  action,
                         const char           *accept)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, td_gui_window_of (owner), action, accept, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  return chooser;
}

/**
 * td_gui_file_chooser_add_filter:
 * @name: what the user reads
 * @pattern: a glob ("*.db"), then more, %NULL-terminated; one with a '/'
 *   is a MIME type ("application/pdf")
 */
void
td_gui_file_chooser_add_filter (GtkFileChooserNative *chooser,
                                const char           *name,
                                const char           *pattern,
                                ...)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  va_list args;

  g_return_if_fail (GTK_IS_FILE_CHOOSER_NATIVE (chooser));

  gtk_file_filter_set_name (filter, name);
  va_start (args, pattern);
  for (const char *p = pattern; p != NULL; p = va_arg (args, const char *))
    {
      if (strchr (p, '/') != NULL)
        gtk_file_filter_add_mime_type (filter, p);
      else
        gtk_file_filter_add_pattern (filter, p);
    }
  va_end (args);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
}

static void
td_gui_choice_free (gpointer  data,
                    GClosure *closure)
{
  g_free (data);
}

static void
td_gui_choice_response_cb (GtkFileChooserNative *chooser,
                           int                   response,
                           TdGuiChoice          *choice)
{
  g_autoptr(GFile) file = NULL;
  gpointer owner = choice->owner;
  TdGuiFileCallback callback = choice->callback;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  /* Let go first: the owner may open another at once. This frees
   * @choice, and may @chooser. */
  if (choice->slot != NULL)
    td_gui_file_chooser_clear (choice->slot);
  else
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
      g_object_unref (chooser);
    }
  callback (owner, file);
}

/**
 * td_gui_file_chooser_show:
 * @chooser: (transfer full): from td_gui_file_chooser_new()
 * @slot: (nullable): where @owner keeps it while it is shown; %NULL for
 *   none (it then lives until answered)
 * @callback: called once, with the file chosen or %NULL
 */
void
td_gui_file_chooser_show (GtkFileChooserNative  *chooser,
                          GtkFileChooserNative **slot,
                          gpointer               owner,
                          TdGuiFileCallback      callback)
{
  TdGuiChoice *choice;

  g_return_if_fail (GTK_IS_FILE_CHOOSER_NATIVE (chooser));
  g_return_if_fail (slot == NULL || *slot == NULL);
  g_return_if_fail (callback != NULL);

  choice = g_new0 (TdGuiChoice, 1);
  choice->slot = slot;
  choice->owner = owner;
  choice->callback = callback;
  if (slot != NULL)
    *slot = chooser;
  g_signal_connect_data (chooser, "response", G_CALLBACK (td_gui_choice_response_cb), choice,
                         td_gui_choice_free, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Destroys the chooser in @slot, if any, unanswered: for an owner's
 * dispose. */
void
td_gui_file_chooser_clear (GtkFileChooserNative **slot)
{
  g_autoptr(GtkFileChooserNative) chooser = g_steal_pointer (slot);

  if (chooser == NULL)
    return;
  g_signal_handlers_disconnect_matched (chooser, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        td_gui_choice_response_cb, NULL);
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
}

/* An error a person must read: a message dialog over @widget's window,
 * the error's message as its body. */
void
td_gui_show_error (GtkWidget    *widget,
                   const char   *heading,
                   const GError *error)
{
  GtkWidget *dialog = adw_message_dialog_new (td_gui_window_of (widget), heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* @timeout: seconds, or 0 for libadwaita's default */
void
td_gui_toast (AdwToastOverlay *overlay,
              const char      *message,
              guint            timeout)
{
  AdwToast *toast = adw_toast_new (message);

  if (timeout > 0)
    adw_toast_set_timeout (toast, timeout);
  adw_toast_overlay_add_toast (overlay, toast);
}

/* Escape activates @action_name: a dialog closes as a dialog does. */
void
td_gui_class_close_on_escape (GtkWidgetClass *widget_class,
                              const char     *action_name)
{
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, action_name, NULL);
}
