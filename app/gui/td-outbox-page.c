/* td-outbox-page.c: what is to be sent, and what became of it
 *
 * One row per outbox item, newest revision first: where it goes, its state,
 * the tries, when it was delivered and the receipt, or the last error, in
 * plain words (td_sync_describe_failure(), td-sync-describe.c, whose
 * sentences Preferences' Test Connection shares), the server's own words
 * under "Technical detail", and what the user can do about it. TdSync
 * sends in the background; the page follows it ("item-changed" reloads
 * that row, a change of "pending" the list, "online" the offline notice)
 * and never touches the network itself.
 *
 * The buttons of a row use the row's own actions (row.*), enabled only where
 * they apply; those pass the item's id to the page's (outbox.*), which do the
 * work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-outbox-page"

#include "config.h"

#include <glib/gi18n.h>

#include "td-campaign.h"
#include "td-gui-util.h"
#include "td-outbox-page.h"
#include "td-school.h"
#include "td-sync-describe.h"
#include "td-outbox-page-private.h"

/* One row */

#define TD_TYPE_OUTBOX_ROW (td_outbox_row_get_type ())
G_DECLARE_FINAL_TYPE (TdOutboxRow, td_outbox_row, TD, OUTBOX_ROW, GtkListBoxRow)

struct _TdOutboxRow
{
  GtkListBoxRow  parent_instance;

  gint64         id;
  gint64         revision_number;
  TdDestination  destination;
  char          *recipient;
  TdOutboxState  state;
  char          *error_code;
  guint          attempts;
  gboolean       has_message;
  gboolean       seen;          /* still in the outbox at the last reload */

  GtkStack      *icon_stack;
  GtkImage      *state_icon;
  GtkSpinner    *spinner;
  GtkLabel      *title_label;
  GtkLabel      *state_label;
  GtkLabel      *recipient_label;
  GtkLabel      *attempts_label;
  GtkLabel      *receipt_label;
  GtkLabel      *error_label;
  GtkWidget     *detail_expander;
  GtkLabel      *detail_label;
  GtkWidget     *hint_box;
  GtkLabel      *hint_label;
  GtkWidget     *preferences_button;
  GtkWidget     *save_button;
  GtkWidget     *save_icon_button;
  GtkWidget     *cancel_button;
  GtkWidget     *send_button;
};

G_DEFINE_FINAL_TYPE (TdOutboxRow, td_outbox_row, GTK_TYPE_LIST_BOX_ROW)

static void
td_outbox_page_row_forward (GtkWidget  *widget,
                            const char *page_action)
{
  TdOutboxRow *self = TD_OUTBOX_ROW (widget);

  gtk_widget_activate_action (widget, page_action, "x", self->id);
}

static void
td_outbox_page_row_send_now_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  td_outbox_page_row_forward (widget, "outbox.send-now");
}

static void
td_outbox_page_row_cancel_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  td_outbox_page_row_forward (widget, "outbox.cancel");
}

static void
td_outbox_page_row_save_message_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  td_outbox_page_row_forward (widget, "outbox.save-message");
}

static void
td_outbox_row_finalize (GObject *object)
{
  TdOutboxRow *self = TD_OUTBOX_ROW (object);

  g_free (self->recipient);
  g_free (self->error_code);

  G_OBJECT_CLASS (td_outbox_row_parent_class)->finalize (object);
}

static void
td_outbox_row_class_init (TdOutboxRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = td_outbox_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-outbox-page-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, recipient_label);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, attempts_label);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, receipt_label);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, detail_expander);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, hint_box);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, hint_label);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, preferences_button);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, save_button);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, save_icon_button);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxRow, send_button);

  gtk_widget_class_install_action (widget_class, "row.send-now", NULL, td_outbox_page_row_send_now_action);
  gtk_widget_class_install_action (widget_class, "row.cancel", NULL, td_outbox_page_row_cancel_action);
  gtk_widget_class_install_action (widget_class, "row.save-message", NULL, td_outbox_page_row_save_message_action);
}

static void
td_outbox_row_init (TdOutboxRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
td_outbox_page_set_label (GtkLabel   *label,
                          const char *text)
{
  gtk_label_set_text (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static gboolean
td_outbox_page_needs_preferences (const char *code)
{
  return g_strcmp0 (code, TD_OUTBOX_CODE_AUTH) == 0 ||
         g_strcmp0 (code, TD_OUTBOX_CODE_SETTINGS) == 0 ||
         g_strcmp0 (code, TD_OUTBOX_CODE_TLS) == 0;
}

static const char *
td_outbox_page_state_icon_name (TdOutboxState  state,
                                const char    *code)
{
  switch (state)
    {
    case TD_OUTBOX_QUEUED:
      return "document-send-symbolic";
    case TD_OUTBOX_SENDING:
      return "network-transmit-symbolic";
    case TD_OUTBOX_RETRYING:
      return "appointment-soon-symbolic";
    case TD_OUTBOX_DELIVERED:
      return "emblem-ok-symbolic";
    case TD_OUTBOX_FAILED:
    default:
      return g_strcmp0 (code, TD_OUTBOX_CODE_CANCELLED) == 0 ? "process-stop-symbolic"
                                                             : "dialog-warning-symbolic";
    }
}

/* What the user can do about a failed item, beyond the error itself. */
static const char *
td_outbox_page_failure_hint (const char *code)
{
  if (td_outbox_page_needs_preferences (code))
    return _("Correct it in Preferences: the form is sent again as soon as you save.");
  if (g_strcmp0 (code, TD_OUTBOX_CODE_REFUSED) == 0)
    return _("The receiver refused this form. Read its reason; when it is dealt with, choose “Send Now”.");
  if (g_strcmp0 (code, TD_OUTBOX_CODE_VERIFICATION) == 0)
    return _("This revision no longer passes its check, so it is not sent. See Revisions in the main menu.");
  return NULL;
}

/* Delivered: when, and what the receiver answered, in words. The upload's
 * receipt is the receiver's receipt number; a mail server answers "250
 * 2.0.0 Ok: queued as 4ZkQ1x0Lw9z3", of which the queue id is what its
 * postmaster would ask for. The time is the item's last change, which
 * delivery is (nothing changes a delivered item). */
static char *
td_outbox_page_describe_delivery (TdOutboxItem *item)
{
  const char *receipt = td_outbox_item_get_receipt (item);
  GDateTime *at = td_outbox_item_get_updated_at (item);
  g_autoptr(GDateTime) local = at ? g_date_time_to_local (at) : NULL;
  /* Translators: the day a form was delivered, as g_date_time_format()
   * writes it: "5 December 2026"; in Chinese "%Y年%-m月%-d日" */
  g_autofree char *day = local ? g_date_time_format (local, C_("delivery day", "%-d %B %Y")) : NULL;
  g_autofree char *time = local ? g_date_time_format (local, "%H:%M") : NULL;
  g_autofree char *reference = NULL;

  if (local == NULL)
    return receipt ? g_strdup (receipt) : NULL;
  if (td_outbox_item_get_destination (item) == TD_DESTINATION_HTTPS)
    {
      if (receipt == NULL || *receipt == '\0')
        /* Translators: "Received by the receiver on 5 December 2026 at 14:02." */
        return g_strdup_printf (_("Received by the receiver on %s at %s."), day, time);
      /* Translators: "Received by the receiver on 5 December 2026 at 14:02. Receipt number: …" */
      return g_strdup_printf (_("Received by the receiver on %s at %s. Receipt number: %s"), day, time, receipt);
    }

  if (receipt != NULL)
    {
      const char *queued = strstr (receipt, "queued as ");

      if (queued != NULL)
        reference = g_strstrip (g_strdup (queued + strlen ("queued as ")));
    }
  if (reference != NULL && *reference != '\0')
    /* Translators: "The mail server accepted it on 5 December 2026 at 14:02. Its reference: 4ZkQ1x0Lw9z3" */
    return g_strdup_printf (_("The mail server accepted it on %s at %s. Its reference: %s"), day, time, reference);
  /* Translators: "The mail server accepted it on 5 December 2026 at 14:02." */
  return g_strdup_printf (_("The mail server accepted it on %s at %s."), day, time);
}

static const char * const state_classes[] = { "queued", "sending", "retrying", "delivered", "failed", "cancelled" };

static void
td_outbox_row_update (TdOutboxRow  *self,
                      TdOutboxItem *item,
                      TdStore      *store)
{
  TdOutboxState state = td_outbox_item_get_state (item);
  const char *code = td_outbox_item_get_error_code (item);
  gboolean cancelled = state == TD_OUTBOX_FAILED && g_strcmp0 (code, TD_OUTBOX_CODE_CANCELLED) == 0;
  gboolean mail = td_outbox_item_get_destination (item) == TD_DESTINATION_SMTP;
  guint attempts = td_outbox_item_get_attempts (item);
  GDateTime *next = td_outbox_item_get_next_attempt_at (item);
  g_autofree char *title = NULL;
  g_autofree char *recipient = NULL;
  g_autofree char *tries = NULL;
  g_autofree char *receipt = NULL;

  /* The kept message changes only with a try: read it again only then. */
  if (mail && (attempts != self->attempts || state != self->state || self->id == 0))
    {
      g_autoptr(GBytes) message = attempts > 0 ? td_outbox_dup_last_message (store, item) : NULL;

      self->has_message = message != NULL;
    }

  self->id = td_outbox_item_get_id (item);
  self->revision_number = td_outbox_item_get_revision_number (item);
  self->destination = td_outbox_item_get_destination (item);
  g_free (self->recipient);
  self->recipient = g_strdup (td_outbox_item_get_recipient (item));
  self->state = state;
  g_free (self->error_code);
  self->error_code = g_strdup (code);
  self->attempts = attempts;

  /* Translators: "Revision 3 · E-mail" */
  title = g_strdup_printf (_("Revision %d · %s"), (int)self->revision_number,
                           td_destination_label (self->destination));
  gtk_label_set_text (self->title_label, title);
  /* Translators: the destination of an outbox item, a mailbox or a URL */
  recipient = g_strdup_printf (_("To %s"), self->recipient ? self->recipient : "");
  gtk_label_set_text (self->recipient_label, recipient);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->recipient_label), self->recipient);

  gtk_label_set_text (self->state_label, cancelled ? _("Cancelled") : td_outbox_state_label (state));
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), state_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label),
                            cancelled ? "cancelled" : state_classes[state]);

  gtk_image_set_from_icon_name (self->state_icon, td_outbox_page_state_icon_name (state, code));
  gtk_stack_set_visible_child_name (self->icon_stack, state == TD_OUTBOX_SENDING ? "spinner" : "icon");
  gtk_spinner_set_spinning (self->spinner, state == TD_OUTBOX_SENDING);

  if (attempts == 0)
    tries = g_strdup (_("Not tried yet"));
  else
    tries = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u attempt", "%u attempts", attempts), attempts);
  if (state == TD_OUTBOX_RETRYING && next != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (next);
      g_autofree char *at = g_date_time_format (local, "%H:%M");
      g_autofree char *both = NULL;

      /* Translators: "2 attempts · next try at 14:05" */
      both = g_strdup_printf (_("%s · next try at %s"), tries, at);
      g_free (tries);
      tries = g_steal_pointer (&both);
    }
  td_outbox_page_set_label (self->attempts_label, tries);

  if (state == TD_OUTBOX_DELIVERED)
    receipt = td_outbox_page_describe_delivery (item);
  td_outbox_page_set_label (self->receipt_label, receipt);

  {
    const char *detail = NULL;
    const char *plain = NULL;

    if (state == TD_OUTBOX_RETRYING || state == TD_OUTBOX_FAILED)
      {
        plain = td_sync_describe_failure (item);
        detail = td_outbox_item_get_last_error (item);
      }
    else if (state == TD_OUTBOX_DELIVERED)
      detail = td_outbox_item_get_receipt (item);
    td_outbox_page_set_label (self->error_label, plain);
    /* The server's words, where they say more than the sentence. */
    td_outbox_page_set_label (self->detail_label, g_strcmp0 (detail, plain) != 0 ? detail : NULL);
    gtk_widget_set_visible (self->detail_expander, gtk_widget_get_visible (GTK_WIDGET (self->detail_label)));
  }
  if (state == TD_OUTBOX_FAILED && !cancelled)
    gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->error_label), "error");
  td_outbox_page_set_label (self->hint_label, state == TD_OUTBOX_FAILED ? td_outbox_page_failure_hint (code) : NULL);
  gtk_widget_set_visible (self->preferences_button, state == TD_OUTBOX_FAILED && td_outbox_page_needs_preferences (code));
  gtk_widget_set_visible (self->hint_box, gtk_widget_get_visible (GTK_WIDGET (self->hint_label)) ||
                                          gtk_widget_get_visible (self->preferences_button));

  /* What applies: as td_outbox_send_now() and td_outbox_cancel() allow. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.send-now",
                                 state == TD_OUTBOX_RETRYING || state == TD_OUTBOX_FAILED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.cancel",
                                 state == TD_OUTBOX_QUEUED || state == TD_OUTBOX_SENDING ||
                                 state == TD_OUTBOX_RETRYING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.save-message", self->has_message);
  gtk_widget_set_visible (self->save_button, mail);
  gtk_widget_set_visible (self->save_icon_button, mail);
}

/* The page */

struct _TdOutboxPage
{
  AdwBin                parent_instance;

  TdSession            *session;
  TdSync               *sync;        /* the session's */
  TdStore              *store;       /* the session's */
  GSignalGroup         *sync_signals;
  GBindingGroup        *sync_bindings;
  GHashTable           *rows;        /* item id (gint64*) → TdOutboxRow* (the list box's) */
  GtkFileChooserNative *chooser;
  GBytes               *saving;      /* the message the chooser is for */

  GtkRevealer          *offline_revealer;
  GtkLabel             *deadline_label;
  GtkWidget            *new_destination_box;
  GtkLabel             *new_destination_label;
  char                 *deadline_date;  /* set when the deadline has passed */
  AdwMessageDialog     *late_dialog;
  GtkStack             *stack;
  GtkLabel             *summary_label;
  GtkListBox           *list_box;
};

G_DEFINE_FINAL_TYPE (TdOutboxPage, td_outbox_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
td_outbox_page_new_for_session (TdSession *session)
{
  g_return_val_if_fail (TD_IS_SESSION (session), NULL);

  return g_object_new (TD_TYPE_OUTBOX_PAGE, "session", session, NULL);
}

/* A page on a session of its own that sends with @sync (for tests). */
GtkWidget *
td_outbox_page_new (TdSync *sync)
{
  g_autoptr(TdSession) session = NULL;

  g_return_val_if_fail (TD_IS_SYNC (sync), NULL);

  session = td_session_new_for_sync (sync);
  return td_outbox_page_new_for_session (session);
}

static void
td_outbox_page_toast (TdOutboxPage *self,
                      const char   *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
  else
    g_message ("%s", message);
}

/* Newest revision first, then mail before upload, as td_outbox_list(). */
static int
td_outbox_page_sort_rows_cb (GtkListBoxRow *a,
                             GtkListBoxRow *b,
                             gpointer       user_data)
{
  TdOutboxRow *ra = TD_OUTBOX_ROW (a);
  TdOutboxRow *rb = TD_OUTBOX_ROW (b);

  if (ra->revision_number != rb->revision_number)
    return ra->revision_number > rb->revision_number ? -1 : 1;
  if (ra->destination != rb->destination)
    return ra->destination < rb->destination ? -1 : 1;
  return g_strcmp0 (ra->recipient, rb->recipient);
}

static void
td_outbox_page_update_summary (TdOutboxPage *self)
{
  GHashTableIter iter;
  TdOutboxRow *row;
  guint pending = 0, attention = 0;
  g_autofree char *needs = NULL;
  g_autofree char *waiting = NULL;
  g_autofree char *text = NULL;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&row))
    {
      if (row->state == TD_OUTBOX_FAILED && g_strcmp0 (row->error_code, TD_OUTBOX_CODE_CANCELLED) != 0)
        attention++;
      else if (row->state == TD_OUTBOX_QUEUED || row->state == TD_OUTBOX_SENDING ||
               row->state == TD_OUTBOX_RETRYING)
        pending++;
    }

  if (attention > 0)
    needs = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item needs attention", "%u items need attention",
                                          attention),
                             attention);
  if (pending > 0)
    waiting = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item waiting to be sent",
                                            "%u items waiting to be sent", pending),
                               pending);
  if (needs != NULL && waiting != NULL)
    text = g_strdup_printf ("%s · %s", needs, waiting);
  else if (needs != NULL || waiting != NULL)
    text = g_strdup (needs != NULL ? needs : waiting);
  else
    text = g_strdup (_("Nothing is waiting to be sent"));
  gtk_label_set_text (self->summary_label, text);

  gtk_stack_set_visible_child_name (self->stack, g_hash_table_size (self->rows) > 0 ? "list" : "empty");
}

static TdOutboxRow *
td_outbox_page_lookup_row (TdOutboxPage *self,
                           gint64        id)
{
  return g_hash_table_lookup (self->rows, &id);
}

static void
td_outbox_page_update_row (TdOutboxPage *self,
                           TdOutboxItem *item)
{
  gint64 id = td_outbox_item_get_id (item);
  TdOutboxRow *row = td_outbox_page_lookup_row (self, id);
  gboolean added = row == NULL;
  gint64 old_number = 0;

  if (added)
    {
      gint64 *key = g_new (gint64, 1);

      *key = id;
      row = g_object_new (TD_TYPE_OUTBOX_ROW, NULL);
      g_hash_table_insert (self->rows, key, row);
    }
  else
    old_number = row->revision_number;

  td_outbox_row_update (row, item, self->store);
  row->seen = TRUE;
  if (added)
    gtk_list_box_append (self->list_box, GTK_WIDGET (row));
  else if (old_number != row->revision_number)
    gtk_list_box_row_changed (GTK_LIST_BOX_ROW (row));
}

/* The campaign's deadline over the list; past, in warning style. */
/* The school's type, which decides the department's mailbox. */
static char *
td_outbox_page_dup_school_type (TdOutboxPage *self)
{
  TdSchool *school = td_session_get_school (self->session);

  return g_strdup (school ? td_school_get (school, TD_SCHOOL_TYPE) : NULL);
}

/* Destinations set after the newest revision was signed: offered. */
static void
td_outbox_page_update_new_destinations (TdOutboxPage *self,
                                        TdCampaign   *campaign)
{
  g_autofree char *type = campaign ? td_outbox_page_dup_school_type (self) : NULL;
  gint64 number = 0;
  guint n = campaign ? td_outbox_count_new_destinations (self->store, campaign, type, &number) : 0;

  if (n > 0)
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "Revision %d, signed already, can also go to a destination set since.",
                                      "Revision %d, signed already, can also go to %u destinations set since.",
                                      n),
                         (int)number, n);

      gtk_label_set_text (self->new_destination_label, text);
    }
  gtk_widget_set_visible (self->new_destination_box, n > 0);
}

static void
td_outbox_page_send_new_destinations_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter)
{
  TdOutboxPage *self = TD_OUTBOX_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdCampaign) campaign = td_session_load_campaign (self->session, &error);
  g_autofree char *type = NULL;

  g_assert (TD_IS_OUTBOX_PAGE (self));

  if (campaign == NULL)
    return;
  type = td_outbox_page_dup_school_type (self);
  td_outbox_queue_new_destinations (self->store, campaign, type, &error);
  if (error != NULL)
    g_warning ("Could not queue the new destinations: %s", error->message);
  td_sync_kick (self->sync);
  td_outbox_page_reload (self);
}

static void
td_outbox_page_update_deadline (TdOutboxPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdCampaign) campaign = td_session_load_campaign (self->session, &error);
  g_autofree char *deadline = NULL;
  g_autofree char *text = NULL;

  g_clear_pointer (&self->deadline_date, g_free);
  td_outbox_page_update_new_destinations (self, campaign);
  if (campaign == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->deadline_label), FALSE);
      return;
    }
  deadline = td_campaign_describe_deadline (campaign, NULL);
  /* Translators: a campaign's form title, its notice, then "2020-05-15: passed 3 days ago" */
  text = g_strdup_printf (_("%s (%s), deadline %s"), td_campaign_get_title (campaign),
                          td_campaign_get_notice (campaign), deadline);
  gtk_label_set_text (self->deadline_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->deadline_label), TRUE);
  if (td_campaign_is_past (campaign, NULL))
    {
      self->deadline_date = td_campaign_format_deadline (campaign);
      gtk_widget_add_css_class (GTK_WIDGET (self->deadline_label), "warning");
      gtk_widget_remove_css_class (GTK_WIDGET (self->deadline_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->deadline_label), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->deadline_label), "dim-label");
    }
}

/**
 * td_outbox_page_reload:
 *
 * Reads the whole outbox again: rows are updated in place, new items
 * added, gone ones removed.
 */
void
td_outbox_page_reload (TdOutboxPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GHashTableIter iter;
  TdOutboxRow *row;

  g_return_if_fail (TD_IS_OUTBOX_PAGE (self));

  items = td_outbox_list (self->store, &error);
  if (items == NULL)
    {
      g_warning ("Could not read the outbox: %s", error->message);
      return;
    }

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&row))
    row->seen = FALSE;
  for (guint i = 0; i < items->len; i++)
    td_outbox_page_update_row (self, g_ptr_array_index (items, i));
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&row))
    if (!row->seen)
      {
        gtk_list_box_remove (self->list_box, GTK_WIDGET (row));
        g_hash_table_iter_remove (&iter);
      }

  td_outbox_page_update_summary (self);
  td_outbox_page_update_deadline (self);
}

static void
td_outbox_page_reload_item (TdOutboxPage *self,
                            gint64        id)
{
  g_autoptr(TdOutboxItem) item = td_outbox_load (self->store, id, NULL);

  /* New, or gone: the whole list. */
  if (item == NULL || td_outbox_page_lookup_row (self, id) == NULL)
    {
      td_outbox_page_reload (self);
      return;
    }
  td_outbox_page_update_row (self, item);
  td_outbox_page_update_summary (self);
}

static void
td_outbox_page_item_changed_cb (TdOutboxPage *self,
                                gint64        id)
{
  td_outbox_page_reload_item (self, id);
}

static TdOutboxItem *
td_outbox_page_load_item (TdOutboxPage *self,
                          GVariant     *parameter)
{
  g_autoptr(GError) error = NULL;
  TdOutboxItem *item = td_outbox_load (self->store, g_variant_get_int64 (parameter), &error);

  if (item == NULL)
    td_outbox_page_toast (self, error->message);
  return item;
}

static void
td_outbox_page_send_now (TdOutboxPage *self,
                         GVariant     *parameter)
{
  g_autoptr(TdOutboxItem) item = td_outbox_page_load_item (self, parameter);
  g_autoptr(GError) error = NULL;

  if (item == NULL)
    return;
  if (!td_sync_send_now (self->sync, item, &error))
    td_outbox_page_toast (self, error->message);
  td_outbox_page_reload_item (self, td_outbox_item_get_id (item));
}

static void
td_outbox_page_late_response_cb (AdwMessageDialog *dialog,
                                 const char       *response,
                                 TdOutboxPage     *self)
{
  GVariant *parameter = g_object_get_data (G_OBJECT (dialog), "item");

  if (g_str_equal (response, "send"))
    td_outbox_page_send_now (self, parameter);
  self->late_dialog = NULL;
}

/* Past the deadline, sending waits for a confirmation that names it. */
static void
td_outbox_page_send_now_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  TdOutboxPage *self = TD_OUTBOX_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *body = NULL;

  td_outbox_page_update_deadline (self);
  if (self->deadline_date == NULL)
    {
      td_outbox_page_send_now (self, parameter);
      return;
    }
  body = g_strdup_printf (_("The campaign’s deadline, %s, has passed: the department may no longer accept the form. "
                            "Send it all the same?"),
                          self->deadline_date);
  self->late_dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                  _("Send After the Deadline?"), body));
  adw_message_dialog_add_responses (self->late_dialog, "cancel", _("_Cancel"), "send", _("_Send Anyway"), NULL);
  adw_message_dialog_set_response_appearance (self->late_dialog, "send", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (self->late_dialog, "cancel");
  adw_message_dialog_set_close_response (self->late_dialog, "cancel");
  g_object_set_data_full (G_OBJECT (self->late_dialog), "item", g_variant_ref_sink (g_variant_ref (parameter)),
                          (GDestroyNotify)g_variant_unref);
  g_signal_connect_object (self->late_dialog, "response", G_CALLBACK (td_outbox_page_late_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (self->late_dialog));
}

/* For tests: the confirmation asked for, or %NULL. */
AdwMessageDialog *
td_outbox_page_get_late_dialog (TdOutboxPage *self)
{
  return self->late_dialog;
}

static void
td_outbox_page_cancel_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  TdOutboxPage *self = TD_OUTBOX_PAGE (widget);
  g_autoptr(TdOutboxItem) item = td_outbox_page_load_item (self, parameter);
  g_autoptr(GError) error = NULL;

  if (item == NULL)
    return;
  if (!td_sync_cancel (self->sync, item, &error))
    td_outbox_page_toast (self, error->message);
  td_outbox_page_reload_item (self, td_outbox_item_get_id (item));
}

static void
td_outbox_page_message_saved_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(TdOutboxPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          message = g_strdup_printf (_("The message could not be saved: %s"), error->message);
          td_outbox_page_toast (self, message);
        }
      return;
    }
  display = g_file_get_parse_name (G_FILE (object));
  message = g_strdup_printf (_("Saved to “%s”"), display);
  td_outbox_page_toast (self, message);
}

static void
td_outbox_page_save_chosen_cb (gpointer  owner,
                               GFile    *file)
{
  TdOutboxPage *self = owner;
  g_autoptr(GBytes) bytes = g_steal_pointer (&self->saving);

  if (file == NULL || bytes == NULL)
    return;

  /* Written off the main loop; the bytes are kept until it is done. */
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                       td_outbox_page_message_saved_cb, g_object_ref (self));
}

static void
td_outbox_page_save_message_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  TdOutboxPage *self = TD_OUTBOX_PAGE (widget);
  g_autoptr(TdOutboxItem) item = NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL || !(item = td_outbox_page_load_item (self, parameter)))
    return;

  g_clear_pointer (&self->saving, g_bytes_unref);
  self->saving = td_outbox_dup_last_message (self->store, item);
  if (self->saving == NULL)
    {
      td_outbox_page_toast (self, _("No message was kept for this item: it was never built."));
      return;
    }

  chooser = td_gui_file_chooser_new (widget, _("Save the Message"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"));
  td_gui_file_chooser_add_filter (chooser, _("E-mail messages (.eml)"), "*.eml", "message/rfc822", NULL);
  /* Translators: the file name proposed for a sent e-mail; keep “.eml” */
  name = g_strdup_printf (_("intent-form-revision-%d.eml"), (int)td_outbox_item_get_revision_number (item));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  td_gui_file_chooser_show (chooser, &self->chooser, self, td_outbox_page_save_chosen_cb);
}

/* Outcomes, in words */

static char *
td_outbox_page_outcome_body (TdOutboxItem *item)
{
  int number = (int)td_outbox_item_get_revision_number (item);
  const char *recipient = td_outbox_item_get_recipient (item);
  gboolean mail = td_outbox_item_get_destination (item) == TD_DESTINATION_SMTP;
  g_autofree char *what = NULL;
  const char *detail;

  if (td_outbox_item_get_state (item) == TD_OUTBOX_DELIVERED)
    {
      what = mail ? g_strdup_printf (_("Revision %d was delivered by e-mail to %s."), number, recipient)
                  : g_strdup_printf (_("Revision %d was uploaded to %s."), number, recipient);
      {
        g_autofree char *receipt = td_outbox_page_describe_delivery (item);

        if (receipt != NULL && *receipt != '\0')
          return g_strconcat (what, "\n", receipt, NULL);
      }
      return g_steal_pointer (&what);
    }

  what = mail ? g_strdup_printf (_("Revision %d could not be sent by e-mail to %s."), number, recipient)
              : g_strdup_printf (_("Revision %d could not be uploaded to %s."), number, recipient);
  detail = td_sync_describe_failure (item);
  return detail != NULL && *detail != '\0' ? g_strconcat (what, "\n", detail, NULL) : g_steal_pointer (&what);
}

static gboolean
td_outbox_page_worth_telling (TdOutboxItem *item)
{
  TdOutboxState state = td_outbox_item_get_state (item);

  if (state == TD_OUTBOX_DELIVERED)
    return TRUE;
  return state == TD_OUTBOX_FAILED &&
         g_strcmp0 (td_outbox_item_get_error_code (item), TD_OUTBOX_CODE_CANCELLED) != 0;
}

/**
 * td_outbox_new_notification:
 * @id: (out): the notification's id: a later outcome of the same item replaces it
 *
 * Returns: (transfer full) (nullable): the notification
 */
GNotification *
td_outbox_new_notification (TdOutboxItem  *item,
                            char         **id)
{
  gboolean delivered;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (TD_IS_OUTBOX_ITEM (item), NULL);

  if (!td_outbox_page_worth_telling (item))
    return NULL;

  delivered = td_outbox_item_get_state (item) == TD_OUTBOX_DELIVERED;
  notification = g_notification_new (delivered ? _("Form delivered") : _("Form not sent"));
  body = td_outbox_page_outcome_body (item);
  g_notification_set_body (notification, body);
  if (!delivered)
    g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  if (id != NULL)
    *id = g_strdup_printf ("outbox-%" G_GINT64_FORMAT, td_outbox_item_get_id (item));
  return g_steal_pointer (&notification);
}

/**
 * td_outbox_describe_outcome:
 *
 * Returns: (transfer full) (nullable): one line for a td_outbox_page_toast
 */
char *
td_outbox_describe_outcome (TdOutboxItem *item)
{
  int number;
  gboolean mail;

  g_return_val_if_fail (TD_IS_OUTBOX_ITEM (item), NULL);

  if (!td_outbox_page_worth_telling (item))
    return NULL;

  number = (int)td_outbox_item_get_revision_number (item);
  mail = td_outbox_item_get_destination (item) == TD_DESTINATION_SMTP;
  if (td_outbox_item_get_state (item) == TD_OUTBOX_DELIVERED)
    return mail ? g_strdup_printf (_("Revision %d was delivered by e-mail"), number)
                : g_strdup_printf (_("Revision %d was uploaded"), number);
  return mail ? g_strdup_printf (_("Revision %d could not be sent by e-mail"), number)
              : g_strdup_printf (_("Revision %d could not be uploaded"), number);
}

/* For tests */

const char *
td_outbox_page_get_view (TdOutboxPage *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
td_outbox_page_get_offline_shown (TdOutboxPage *self)
{
  return gtk_revealer_get_reveal_child (self->offline_revealer);
}

guint
td_outbox_page_get_n_rows (TdOutboxPage *self)
{
  return g_hash_table_size (self->rows);
}

const char *
td_outbox_page_get_row_text (TdOutboxPage *self,
                             gint64        id,
                             const char   *part)
{
  TdOutboxRow *row = td_outbox_page_lookup_row (self, id);
  GtkLabel *label = NULL;

  g_return_val_if_fail (row != NULL, NULL);

  if (g_str_equal (part, "title"))
    label = row->title_label;
  else if (g_str_equal (part, "recipient"))
    label = row->recipient_label;
  else if (g_str_equal (part, "state"))
    label = row->state_label;
  else if (g_str_equal (part, "attempts"))
    label = row->attempts_label;
  else if (g_str_equal (part, "receipt"))
    label = row->receipt_label;
  else if (g_str_equal (part, "error"))
    label = row->error_label;
  else if (g_str_equal (part, "detail"))
    label = row->detail_label;
  else
    g_return_val_if_reached (NULL);

  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
}

GtkWidget *
td_outbox_page_get_new_destination_box (TdOutboxPage *self)
{
  return self->new_destination_box;
}

GtkWidget *
td_outbox_page_get_row_button (TdOutboxPage *self,
                               gint64        id,
                               const char   *button)
{
  TdOutboxRow *row = td_outbox_page_lookup_row (self, id);

  g_return_val_if_fail (row != NULL, NULL);

  if (g_str_equal (button, "send-now"))
    return row->send_button;
  if (g_str_equal (button, "cancel"))
    return row->cancel_button;
  if (g_str_equal (button, "save-message"))
    return row->save_button;
  if (g_str_equal (button, "preferences"))
    return row->preferences_button;
  g_return_val_if_reached (NULL);
}

/* GObject */

static void
td_outbox_page_constructed (GObject *object)
{
  TdOutboxPage *self = TD_OUTBOX_PAGE (object);

  G_OBJECT_CLASS (td_outbox_page_parent_class)->constructed (object);

  g_return_if_fail (TD_IS_SESSION (self->session));

  self->store = td_session_get_store (self->session);
  self->sync = td_session_get_sync (self->session);
  self->sync_signals = g_signal_group_new (TD_TYPE_SYNC);
  g_signal_group_connect_object (self->sync_signals, "item-changed", G_CALLBACK (td_outbox_page_item_changed_cb), self,
                                 G_CONNECT_SWAPPED);
  /* Queued elsewhere (a sign-off), or no longer pending. */
  g_signal_group_connect_object (self->sync_signals, "notify::pending", G_CALLBACK (td_outbox_page_reload), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_set_target (self->sync_signals, self->sync);
  /* Offline: said over the list. */
  self->sync_bindings = g_binding_group_new ();
  g_binding_group_bind (self->sync_bindings, "online", self->offline_revealer, "reveal-child",
                        G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_binding_group_set_source (self->sync_bindings, self->sync);
  g_signal_connect_object (self->store, "restored", G_CALLBACK (td_outbox_page_reload), self, G_CONNECT_SWAPPED);

  /* Preferences or the School page may have changed the destinations
   * meanwhile: looked at again whenever the page is shown. */
  g_signal_connect (self, "map", G_CALLBACK (td_outbox_page_reload), NULL);

  td_outbox_page_reload (self);
}

static void
td_outbox_page_dispose (GObject *object)
{
  TdOutboxPage *self = TD_OUTBOX_PAGE (object);

  td_gui_file_chooser_clear (&self->chooser);
  g_clear_pointer (&self->saving, g_bytes_unref);
  g_hash_table_remove_all (self->rows);
  if (self->sync_signals != NULL)
    g_signal_group_set_target (self->sync_signals, NULL);
  if (self->sync_bindings != NULL)
    g_binding_group_set_source (self->sync_bindings, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_OUTBOX_PAGE);

  G_OBJECT_CLASS (td_outbox_page_parent_class)->dispose (object);
}

static void
td_outbox_page_finalize (GObject *object)
{
  TdOutboxPage *self = TD_OUTBOX_PAGE (object);

  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->deadline_date, g_free);
  g_clear_object (&self->sync_signals);
  g_clear_object (&self->sync_bindings);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (td_outbox_page_parent_class)->finalize (object);
}

static void
td_outbox_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TdOutboxPage *self = TD_OUTBOX_PAGE (object);

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
td_outbox_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TdOutboxPage *self = TD_OUTBOX_PAGE (object);

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
td_outbox_page_class_init (TdOutboxPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = td_outbox_page_constructed;
  object_class->dispose = td_outbox_page_dispose;
  object_class->finalize = td_outbox_page_finalize;
  object_class->get_property = td_outbox_page_get_property;
  object_class->set_property = td_outbox_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-outbox-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TdOutboxPage, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxPage, deadline_label);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxPage, new_destination_box);
  gtk_widget_class_bind_template_child (widget_class, TdOutboxPage, new_destination_label);

  /* The item's id. */
  gtk_widget_class_install_action (widget_class, "outbox.send-now", "x", td_outbox_page_send_now_action);
  gtk_widget_class_install_action (widget_class, "outbox.cancel", "x", td_outbox_page_cancel_action);
  gtk_widget_class_install_action (widget_class, "outbox.save-message", "x", td_outbox_page_save_message_action);
  gtk_widget_class_install_action (widget_class, "outbox.send-new-destinations", NULL, td_outbox_page_send_new_destinations_action);
}

static void
td_outbox_page_init (TdOutboxPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gtk_list_box_set_sort_func (self->list_box, td_outbox_page_sort_rows_cb, NULL, NULL);
}
