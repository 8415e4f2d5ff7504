/* td-window.c: the main window, a sidebar of pages over one database
 *
 * A view of a TdSession (td-session.c): the session, which the application
 * owns, holds the store, the school, the campaign and the sending; the
 * window builds the pages on it, each when first shown, and follows the
 * session's sync through a GSignalGroup. Its actions are in
 * td-window-actions.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-window"

#include "config.h"

#include <glib/gi18n.h>

#include "td-application-private.h"
#include "td-classes-page.h"
#include "td-equipment-page.h"
#include "td-extras.h"
#include "td-form-page.h"
#include "td-gui-util.h"
#include "td-outbox.h"
#include "td-outbox-page.h"
#include "td-overview-page.h"
#include "td-record-page.h"
#include "td-revisions-dialog.h"
#include "td-school-page.h"
#include "td-session.h"
#include "td-window-private.h"

typedef enum
{
  PAGE_OVERVIEW,
  PAGE_SCHOOL,
  PAGE_RECORDS,    /* the records of the kind named as the page */
  PAGE_EQUIPMENT,  /* the kinds that share it, as tabs: equipment and venues */
  PAGE_CLASSES,
  PAGE_FORM,
  PAGE_OUTBOX,
  PAGE_NOT_YET,
} PageKind;

typedef struct
{
  const char *name;
  const char *title;
  const char *icon_name;
  PageKind    kind;
  const char *not_yet;
} TdWindowPage;

/* The sidebar, in order. Pages whose work has not been built yet say so. */
static const TdWindowPage sidebar[] = {
  { "overview", N_("Overview"), "view-grid-symbolic", PAGE_OVERVIEW, NULL },
  { "school", N_("School"), "user-home-symbolic", PAGE_SCHOOL, NULL },
  /* Here the record kinds' pages, in td-record-kind.c's order. */
  { NULL, NULL, NULL, PAGE_RECORDS, NULL },
  { "classes", N_("Classes"), "x-office-calendar-symbolic", PAGE_CLASSES, NULL },
  { "form", N_("Intent Form"), "x-office-document-symbolic", PAGE_FORM, NULL },
  { "outbox", N_("Outbox"), "mail-send-symbolic", PAGE_OUTBOX, NULL },
};

/* The sidebar with the kinds' pages in it: td_window_pages_init(). */
static TdWindowPage *pages;
static guint n_pages;

/* Is @page the page of a kind other than its own (the venues', beside
 * the equipment)? Then the page shows them all, as tabs. */
static gboolean
td_window_page_is_shared (const char *page)
{
  guint n = 0;
  const TdRecordKind **kinds = td_record_kinds (&n);

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (kinds[i]->page, page) == 0)
      return TRUE;
  return FALSE;
}

static void
td_window_pages_init (void)
{
  guint n_kinds = 0;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);

  pages = g_new0 (TdWindowPage, G_N_ELEMENTS (sidebar) + n_kinds);
  for (guint i = 0; i < G_N_ELEMENTS (sidebar); i++)
    {
      if (sidebar[i].name != NULL)
        {
          pages[n_pages++] = sidebar[i];
          continue;
        }
      for (guint k = 0; k < n_kinds; k++)
        {
          const TdRecordKind *kind = kinds[k];
          gboolean shared = td_window_page_is_shared (kind->id);

          /* A kind on another's page is a tab of it. */
          if (kind->page != NULL)
            continue;
          pages[n_pages++] = (TdWindowPage) {
            kind->id,
            kind->page_title != NULL ? kind->page_title : kind->title,
            kind->icon_name,
            shared ? PAGE_EQUIPMENT : PAGE_RECORDS,
            NULL,
          };
        }
    }
}

G_DEFINE_FINAL_TYPE (TdWindow, td_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A window on @session: the application's way. */
TdWindow *
td_window_new_for_session (gpointer   application,
                           TdSession *session)
{
  g_return_val_if_fail (TD_IS_SESSION (session), NULL);

  return g_object_new (TD_TYPE_WINDOW,
                       "application", application,
                       "session", session,
                       NULL);
}

/* A window on a session of its own on @store (the tests' way). */
TdWindow *
td_window_new (gpointer  application,
               TdStore  *store)
{
  g_autoptr(TdSession) session = td_session_new (store);

  return td_window_new_for_session (application, session);
}

/* A window on a session of its own that sends with @sync (the tests'
 * way, with a network monitor of their own). */
TdWindow *
td_window_new_for_sync (gpointer  application,
                        TdSync   *sync)
{
  g_autoptr(TdSession) session = td_session_new_for_sync (sync);

  return td_window_new_for_session (application, session);
}

TdSession *
td_window_get_session (TdWindow *self)
{
  g_return_val_if_fail (TD_IS_WINDOW (self), NULL);

  return self->session;
}

TdStore *
td_window_get_store (TdWindow *self)
{
  g_return_val_if_fail (TD_IS_WINDOW (self), NULL);

  return self->store;
}

TdSync *
td_window_get_sync (TdWindow *self)
{
  g_return_val_if_fail (TD_IS_WINDOW (self), NULL);

  return self->sync;
}

const char *
td_window_get_page (TdWindow *self)
{
  g_return_val_if_fail (TD_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/* The page itself (built now if it was not yet). */
GtkWidget *
td_window_get_page_widget (TdWindow   *self,
                           const char *name)
{
  int i = td_window_page_index (name);

  g_return_val_if_fail (TD_IS_WINDOW (self), NULL);

  return i < 0 ? NULL : td_window_ensure_page (self, i);
}

void
td_window_toast (TdWindow   *self,
                 const char *message)
{
  td_gui_toast (self->toast_overlay, message, 6);
}

static GtkWidget *
td_window_create_not_yet (guint i)
{
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), pages[i].icon_name);
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _(pages[i].title));
  adw_status_page_set_description (ADW_STATUS_PAGE (status), _(pages[i].not_yet));
  return status;
}

static GtkWidget *
td_window_create_sidebar_row (guint i)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (_(pages[i].title));

  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (pages[i].icon_name));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_name (row, pages[i].name);
  /* A row is read by its page's name, not as an empty "list item". */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, _(pages[i].title), -1);
  return row;
}

/* Whether @name is the page of a record kind (for the help's topic). */
gboolean
td_window_page_shows_records (const char *name)
{
  int i = td_window_page_index (name);

  return i >= 0 && (pages[i].kind == PAGE_RECORDS || pages[i].kind == PAGE_EQUIPMENT);
}

int
td_window_page_index (const char *name)
{
  for (guint i = 0; i < n_pages; i++)
    if (g_strcmp0 (pages[i].name, name) == 0)
      return i;
  return -1;
}

void
td_window_show_page (TdWindow   *self,
                     const char *name,
                     gboolean    navigate)
{
  int i = td_window_page_index (name);

  if (i < 0)
    {
      g_warning ("No page named “%s”", name);
      return;
    }

  td_window_ensure_page (self, i);
  gtk_stack_set_visible_child_name (self->stack, name);
  adw_window_title_set_title (self->content_title, _(pages[i].title));
  gtk_list_box_select_row (self->sidebar, gtk_list_box_get_row_at_index (self->sidebar, i));
  if (navigate)
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  g_settings_set_string (self->settings, "last-page", name);
}

static void
td_window_sidebar_row_activated_cb (TdWindow      *self,
                                    GtkListBoxRow *row)
{
  td_window_show_page (self, gtk_widget_get_name (GTK_WIDGET (row)), TRUE);
}

static void
td_window_daily_backup_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *made = td_store_daily_backup_finish (TD_STORE (object), result, &error);

  if (g_error_matches (error, TD_STORE_ERROR, TD_STORE_ERROR_DAMAGED))
    /* Serious: say it where it cannot be missed. */
    td_gui_show_error (GTK_WIDGET (user_data), _("The Database Is Damaged"), error);
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      TdWindow *self = user_data;
      g_autofree char *message = g_strdup_printf (_("Today’s backup could not be written: %s"), error->message);

      td_window_toast (self, message);
    }
  else if (made != NULL)
    g_debug ("Daily backup written to %s", made);
}

/* Edits waiting for a pause are kept now: what is signed or compared is
 * what was typed, and nothing else writes while a dialog's worker does. */
void
td_window_flush_pages (TdWindow *self)
{
  AdwBin *form_bin = ADW_BIN (gtk_stack_get_child_by_name (self->stack, "form"));

  if (self->school_page != NULL)
    td_school_page_flush (self->school_page);
  if (form_bin != NULL && TD_IS_FORM_PAGE (adw_bin_get_child (form_bin)))
    td_form_page_flush (TD_FORM_PAGE (adw_bin_get_child (form_bin)));
}

/* Every signed revision is checked on open (cheap, but after the first
 * frame) and after a restore; one that fails is said at the top until the
 * window closes. */
static void
td_window_verified_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  TdWindow *self = user_data;   /* not owned: the cancellable says when it is gone */
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) failures = td_revision_verify_all_finish (TD_STORE (source), result, &error);
  g_autofree char *text = NULL;

  if (failures == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("The signed revisions could not be checked: %s", error->message);
      return;
    }
  text = td_revisions_describe_failures (failures);
  gtk_label_set_text (self->verify_label, text ? text : "");
  gtk_info_bar_set_revealed (self->verify_bar, text != NULL);
}

/* In a worker thread, on a connection of its own: a PDF may be 20 MB. */
static gboolean
td_window_verify_idle_cb (gpointer user_data)
{
  TdWindow *self = user_data;

  self->verify_id = 0;
  td_revision_verify_all_async (self->store, self->cancellable, td_window_verified_cb, self);
  return G_SOURCE_REMOVE;
}

static void
td_window_verify_later (TdWindow *self)
{
  if (self->verify_id == 0)
    self->verify_id = g_idle_add (td_window_verify_idle_cb, self);
}

/* The daily backup copies the whole file (16 MiB for a large school): not
 * while the first pages are being looked at, nor for a window opened and
 * closed at once, which would start it and cancel it each time (issue 17). */
#define TD_WINDOW_BACKUP_DELAY_SECONDS 10

static gboolean
td_window_daily_backup_timeout_cb (gpointer user_data)
{
  TdWindow *self = user_data;   /* not owned: the source goes when the window's cancellable does */

  /* Once a day, off the main loop. */
  td_store_daily_backup_async (self->store, self->cancellable, td_window_daily_backup_cb, self);
  return G_SOURCE_REMOVE;
}

static void
td_window_source_cancelled_cb (GCancellable *cancellable,
                               GSource      *source)
{
  g_source_destroy (source);
}

/* The extras module (td-extras.c), opened in the background a second
 * after the first frame, if nothing has opened it yet: the first character
 * count or PDF on the main thread then does not wait ~25 ms for it, and a
 * module that cannot be loaded is said now, in a dialog that ends the
 * process, before any work is started. Not before the first frame: the
 * start does not wait for it. */
#define TD_WINDOW_EXTRAS_DELAY_SECONDS 1

static void
td_window_extras_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  GError *error = NULL;

  if (td_extras_preload (&error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
td_window_extras_loaded_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    td_application_say_extras_failed (error);
}

static gboolean
td_window_extras_timeout_cb (gpointer user_data)
{
  TdWindow *self = user_data;   /* not owned: the source goes when the window's cancellable does */
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, td_window_extras_loaded_cb, NULL);

  g_task_set_source_tag (task, td_window_extras_timeout_cb);
  g_task_run_in_thread (task, td_window_extras_thread);
  return G_SOURCE_REMOVE;
}

/* @func in @seconds, unless the window goes first (its cancellable). */
static void
td_window_run_later (TdWindow    *self,
                     guint        seconds,
                     GSourceFunc  func)
{
  g_autoptr(GSource) source = g_timeout_source_new_seconds (seconds);

  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, NULL);
  g_cancellable_connect (self->cancellable, G_CALLBACK (td_window_source_cancelled_cb),
                         g_source_ref (source), (GDestroyNotify)g_source_unref);
}

static void
td_window_verify_after_paint_cb (GdkFrameClock *clock,
                                 TdWindow      *self)
{
  g_signal_handlers_disconnect_by_func (clock, td_window_verify_after_paint_cb, self);
  td_window_run_later (self, TD_WINDOW_BACKUP_DELAY_SECONDS, td_window_daily_backup_timeout_cb);
  td_window_run_later (self, TD_WINDOW_EXTRAS_DELAY_SECONDS, td_window_extras_timeout_cb);
  td_window_verify_later (self);
}

static void
td_window_verify_map_cb (TdWindow *self)
{
  g_signal_handlers_disconnect_by_func (self, td_window_verify_map_cb, NULL);
  /* The outbox: at map, so that an open window always sends (its first
   * look at the outbox is one small query). */
  td_sync_start (self->sync);
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (td_window_verify_after_paint_cb), self, 0);
}

static gboolean
td_window_close_request (GtkWindow *window)
{
  TdWindow *self = TD_WINDOW (window);
  int width, height;

  if (self->school_page != NULL)
    td_school_page_flush (self->school_page);

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (td_window_parent_class)->close_request (window);
}

static gboolean
td_window_close_idle_cb (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

static void
td_window_after_first_paint_cb (GdkFrameClock *clock,
                                TdWindow      *self)
{
  g_signal_handlers_disconnect_by_func (clock, td_window_after_first_paint_cb, self);
  /* CLOCK_MONOTONIC, as the benchmark's own clock. */
  g_print ("first-frame-us %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  /* Closed as a user closes it, so the database is closed cleanly too. */
  g_idle_add_full (G_PRIORITY_DEFAULT, td_window_close_idle_cb, g_object_ref (self), g_object_unref);
}

static void
td_window_first_frame_map_cb (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_handlers_disconnect_by_func (widget, td_window_first_frame_map_cb, NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (td_window_after_first_paint_cb), widget);
}

void
td_window_quit_after_first_frame (TdWindow *self)
{
  g_return_if_fail (TD_IS_WINDOW (self));

  g_signal_connect (self, "map", G_CALLBACK (td_window_first_frame_map_cb), NULL);
}

/* Sending (issue 6) */

static void
td_window_add_show_outbox (TdWindow *self,
                           AdwToast *t)
{
  if (g_strcmp0 (td_window_get_page (self), "outbox") == 0)
    return;
  adw_toast_set_button_label (t, _("_Show"));
  adw_toast_set_action_name (t, "win.show-page");
  adw_toast_set_action_target_value (t, g_variant_new_string ("outbox"));
}

/* Each outcome: a toast while this window has the focus, else a
 * notification. Once the window is closed, the application tells them. */
static void
td_window_item_finished_cb (TdWindow     *self,
                            TdOutboxItem *item)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (gtk_window_is_active (GTK_WINDOW (self)))
    {
      g_autofree char *text = td_outbox_describe_outcome (item);
      AdwToast *t;

      if (text == NULL)
        return;
      t = adw_toast_new (text);
      adw_toast_set_timeout (t, 6);
      td_window_add_show_outbox (self, t);
      adw_toast_overlay_add_toast (self->toast_overlay, t);
    }
  else if (app != NULL)
    {
      g_autofree char *id = NULL;
      g_autoptr(GNotification) notification = td_outbox_new_notification (item, &id);

      if (notification != NULL)
        g_application_send_notification (G_APPLICATION (app), id, notification);
    }
}

/**
 * td_window_send_revision:
 * @revision: a signed revision
 *
 * Puts @revision in the outbox for the destinations of the current
 * campaign — the department's mailbox for the school's type, the upload
 * endpoint — and sends it in the background.
 */
void
td_window_send_revision (TdWindow   *self,
                         TdRevision *revision)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdCampaign) campaign = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *message = NULL;
  const char *type = NULL;
  AdwToast *t;
  guint added;

  g_return_if_fail (TD_IS_WINDOW (self));
  g_return_if_fail (TD_IS_REVISION (revision));

  campaign = td_session_load_campaign (self->session, &error);
  if (campaign == NULL)
    {
      td_gui_show_error (GTK_WIDGET (self), _("The Form Could Not Be Sent"), error);
      return;
    }
  if (self->school != NULL)
    type = td_school_get (self->school, TD_SCHOOL_TYPE);
  if (type == NULL)
    type = "";
  endpoint = td_outbox_dup_upload_endpoint (self->store, campaign);
  if (td_campaign_recipient_for (campaign, type) == NULL && endpoint == NULL)
    {
      g_set_error_literal (&error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED,
                           _("The school’s type decides which department’s mailbox receives the form, and none is "
                             "chosen. Choose it on the School page, then send the revision from the Revisions "
                             "dialog."));
      td_gui_show_error (GTK_WIDGET (self), _("The Form Could Not Be Sent"), error);
      return;
    }

  added = td_outbox_queue_revision (self->store, revision, campaign, type, &error);
  if (error != NULL)
    {
      td_gui_show_error (GTK_WIDGET (self), _("The Form Could Not Be Sent"), error);
      return;
    }
  td_sync_kick (self->sync);

  if (added > 0)
    message = g_strdup_printf (_("Revision %d queued for sending"), (int)td_revision_get_number (revision));
  else
    message = g_strdup_printf (_("Revision %d is in the outbox already"), (int)td_revision_get_number (revision));
  t = adw_toast_new (message);
  adw_toast_set_timeout (t, 6);
  td_window_add_show_outbox (self, t);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static GtkWidget *
td_window_create_page (TdWindow *self,
                       guint     i)
{
  GtkWidget *page;

  switch (pages[i].kind)
    {
    case PAGE_OVERVIEW:
      page = td_overview_page_new (self->session);
      break;
    case PAGE_SCHOOL:
      page = td_school_page_new (self->school);
      self->school_page = TD_SCHOOL_PAGE (page);
      break;
    case PAGE_RECORDS:
      page = td_record_page_new (self->session, pages[i].name);
      break;
    case PAGE_EQUIPMENT:
      page = td_equipment_page_new (self->session);
      break;
    case PAGE_CLASSES:
      page = td_classes_page_new (self->session);
      break;
    case PAGE_FORM:
      page = td_form_page_new (self->session);
      break;
    case PAGE_OUTBOX:
      page = td_outbox_page_new_for_session (self->session);
      break;
    case PAGE_NOT_YET:
    default:
      page = td_window_create_not_yet (i);
      break;
    }
  return page;
}

GtkWidget *
td_window_ensure_page (TdWindow *self,
                       guint     i)
{
  AdwBin *bin = ADW_BIN (gtk_stack_get_child_by_name (self->stack, pages[i].name));

  if (adw_bin_get_child (bin) == NULL)
    adw_bin_set_child (bin, td_window_create_page (self, i));
  return adw_bin_get_child (bin);
}

/* The main menu's tooltip on one line: GTK 4.8's tooltip label wraps a
 * short Chinese text ("主菜单") one character a line by the button's
 * width (issue 13). */
static gboolean
td_window_menu_tooltip_cb (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard,
                           GtkTooltip *tooltip,
                           gpointer    user_data)
{
  GtkWidget *label = gtk_label_new (_("Main Menu"));

  gtk_label_set_wrap (GTK_LABEL (label), FALSE);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_tooltip_set_custom (tooltip, label);
  return TRUE;
}

/* Two windows on two databases are told apart by the file's name:
 * "school.db — Training Desk", in the window list and the sidebar. */
static void
td_window_set_file_title (TdWindow *self)
{
  g_autofree char *base = g_path_get_basename (td_store_get_path (self->store));
  g_autofree char *display = g_filename_display_name (base);
  /* Translators: the database's file name, then the application's name */
  g_autofree char *title = g_strdup_printf (_("%s — %s"), display, _("Training Desk"));

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_subtitle (self->sidebar_title, display);
}

static void
td_window_constructed (GObject *object)
{
  TdWindow *self = TD_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *last_page = NULL;

  G_OBJECT_CLASS (td_window_parent_class)->constructed (object);

  g_return_if_fail (TD_IS_SESSION (self->session));
  self->store = td_session_get_store (self->session);

  td_window_set_file_title (self);
  g_signal_connect (self->menu_button, "query-tooltip", G_CALLBACK (td_window_menu_tooltip_cb), NULL);

  /* The outbox goes out while the window is open (started when it is
   * mapped: td_window_verify_map_cb); the application keeps the session, and so its
   * sending, after (td-application.c). */
  self->sync = td_session_get_sync (self->session);
  g_signal_group_set_target (self->sync_signals, self->sync);
  self->school = td_session_get_school (self->session);

  /* Only the page shown is built now; the others when first shown. */
  for (guint i = 0; i < n_pages; i++)
    {
      gtk_stack_add_named (self->stack, adw_bin_new (), pages[i].name);
      gtk_list_box_append (self->sidebar, td_window_create_sidebar_row (i));
    }

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  last_page = g_settings_get_string (self->settings, "last-page");
  td_window_show_page (self, td_window_page_index (last_page) >= 0 ? last_page : "overview", FALSE);

  /* Nothing but the first page before the first frame: the check of the
   * signed revisions starts after it, the daily backup 10 s after it. */
  g_signal_connect (self, "map", G_CALLBACK (td_window_verify_map_cb), NULL);
  g_signal_connect_object (self->store, "restored", G_CALLBACK (td_window_verify_later), self, G_CONNECT_SWAPPED);
}

static void
td_window_dispose (GObject *object)
{
  TdWindow *self = TD_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->verify_id, g_source_remove);
  td_gui_file_chooser_clear (&self->chooser);
  if (self->preferences != NULL)
    gtk_window_destroy (self->preferences);
  g_clear_weak_pointer (&self->preferences);
  g_signal_group_set_target (self->sync_signals, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_WINDOW);

  G_OBJECT_CLASS (td_window_parent_class)->dispose (object);
}

static void
td_window_finalize (GObject *object)
{
  TdWindow *self = TD_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->sync_signals);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->backup_path, g_free);

  G_OBJECT_CLASS (td_window_parent_class)->finalize (object);
}

static void
td_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TdWindow *self = TD_WINDOW (object);

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
td_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TdWindow *self = TD_WINDOW (object);

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
td_window_class_init (TdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  td_window_pages_init ();

  object_class->constructed = td_window_constructed;
  object_class->dispose = td_window_dispose;
  object_class->finalize = td_window_finalize;
  object_class->get_property = td_window_get_property;
  object_class->set_property = td_window_set_property;
  window_class->close_request = td_window_close_request;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, verify_bar);
  gtk_widget_class_bind_template_child (widget_class, TdWindow, verify_label);
  gtk_widget_class_bind_template_callback (widget_class, td_window_sidebar_row_activated_cb);

  td_window_class_add_actions (widget_class);
}

static void
td_window_init (TdWindow *self)
{
  g_type_ensure (TD_TYPE_SCHOOL_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
  self->sync_signals = g_signal_group_new (TD_TYPE_SYNC);
  g_signal_group_connect_object (self->sync_signals, "item-finished", G_CALLBACK (td_window_item_finished_cb), self,
                                 G_CONNECT_SWAPPED);
  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

