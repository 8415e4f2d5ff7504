/* td-trainer-sheet-dialog.c: choose a trainer and a year, save their sheet
 *
 * The notice counts each trainer's training hours and results in their
 * performance review; the sheet (td-trainer-sheet.c) prints them for one
 * trainer and one year. This dialog offers the years that have classes,
 * newest first, and for the chosen year the trainers who taught at their
 * sessions, most hours first, with their figures; Save PDF… asks where
 * and writes it. Reading the trainers and writing the PDF both run on a
 * worker with a connection of its own (td_store_read_async()): the
 * dialog only shows what comes back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-trainer-sheet-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "td-class-figures.h"
#include "td-gui-util.h"
#include "td-store-read.h"
#include "td-trainer-sheet.h"
#include "td-trainer-sheet-dialog.h"

struct _TdTrainerSheetDialog
{
  AdwWindow             parent_instance;

  TdStore              *store;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  GArray               *years;        /* int, newest first */
  GPtrArray            *trainers;     /* TdTrainerYear of the chosen year */
  char                 *pending;      /* the trainer to choose once read */
  char                 *summary;
  char                 *message;      /* the last toast's */
  guint                 busy;         /* reads and writes under way */
  gboolean              filling;      /* the rows' models are being set */

  AdwToastOverlay      *toast_overlay;
  AdwPreferencesGroup  *group;
  AdwComboRow          *year_row;
  AdwComboRow          *trainer_row;
  AdwActionRow         *summary_row;
  GtkLabel             *empty_label;
};

G_DEFINE_FINAL_TYPE (TdTrainerSheetDialog, td_trainer_sheet_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

TdTrainerSheetDialog *
td_trainer_sheet_dialog_new (GtkWindow *parent,
                             TdStore   *store)
{
  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  return g_object_new (TD_TYPE_TRAINER_SHEET_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       NULL);
}

static const TdTrainerYear *
td_trainer_sheet_dialog_chosen (TdTrainerSheetDialog *self)
{
  guint i = adw_combo_row_get_selected (self->trainer_row);

  if (self->trainers == NULL || i == GTK_INVALID_LIST_POSITION || i >= self->trainers->len)
    return NULL;
  return g_ptr_array_index (self->trainers, i);
}

static void
td_trainer_sheet_dialog_update (TdTrainerSheetDialog *self)
{
  const TdTrainerYear *t = td_trainer_sheet_dialog_chosen (self);
  gboolean have_years = self->years != NULL && self->years->len > 0;

  g_clear_pointer (&self->summary, g_free);
  if (t != NULL)
    {
      g_autofree char *hours = g_strdup_printf ("%g", t->hours);

      /* Translators: a trainer's year, as the sheet totals it */
      self->summary = g_strdup_printf (_("Hours: %s · Sessions: %lld · Classes: %lld · Trainees: %lld · "
                                         "Certificates: %lld"),
                                       hours, (long long)t->sessions, (long long)t->classes,
                                       (long long)t->participants, (long long)t->certificates);
    }
  adw_action_row_set_subtitle (self->summary_row, self->summary ? self->summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->group), have_years);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), self->years != NULL && !have_years);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sheet.save", t != NULL && self->busy == 0);
}

typedef struct
{
  int        year;        /* 0: the newest */
  GArray    *years;
  GPtrArray *trainers;
} TdTrainerSheetDialogRead;

static void
td_trainer_sheet_dialog_read_free (TdTrainerSheetDialogRead *read)
{
  g_clear_pointer (&read->years, g_array_unref);
  g_clear_pointer (&read->trainers, g_ptr_array_unref);
  g_free (read);
}

static gpointer
td_trainer_sheet_dialog_read (TdStore       *reader,
                              gpointer       data,
                              GCancellable  *cancellable,
                              GError       **error)
{
  TdTrainerSheetDialogRead *read = g_new0 (TdTrainerSheetDialogRead, 1);

  read->year = GPOINTER_TO_INT (data);
  if (!(read->years = td_class_figures_years (reader, error)))
    goto failed;
  if (read->year == 0 && read->years->len > 0)
    read->year = g_array_index (read->years, int, 0);
  if (read->year != 0 && !(read->trainers = td_class_trainer_results (reader, read->year, error)))
    goto failed;
  return read;

failed:
  td_trainer_sheet_dialog_read_free (read);
  return NULL;
}

static void
td_trainer_sheet_dialog_toast (TdTrainerSheetDialog *self,
                               const char           *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
  td_gui_toast (self->toast_overlay, message, 6);
}

static void
td_trainer_sheet_dialog_fill (TdTrainerSheetDialog     *self,
                              TdTrainerSheetDialogRead *read)
{
  g_autoptr(GtkStringList) years = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) trainers = gtk_string_list_new (NULL);
  guint chosen_year = 0, chosen_trainer = 0;

  g_clear_pointer (&self->years, g_array_unref);
  g_clear_pointer (&self->trainers, g_ptr_array_unref);
  self->years = g_steal_pointer (&read->years);
  self->trainers = read->trainers ? g_steal_pointer (&read->trainers)
                                  : g_ptr_array_new_with_free_func ((GDestroyNotify)td_trainer_year_free);
  for (guint i = 0; i < self->years->len; i++)
    {
      g_autofree char *year = g_strdup_printf ("%d", g_array_index (self->years, int, i));

      gtk_string_list_append (years, year);
      if (g_array_index (self->years, int, i) == read->year)
        chosen_year = i;
    }
  for (guint i = 0; i < self->trainers->len; i++)
    {
      const TdTrainerYear *t = g_ptr_array_index (self->trainers, i);

      gtk_string_list_append (trainers, t->name);
      if (g_strcmp0 (t->trainer_uuid, self->pending) == 0)
        chosen_trainer = i;
    }
  g_clear_pointer (&self->pending, g_free);

  self->filling = TRUE;
  adw_combo_row_set_model (self->year_row, G_LIST_MODEL (years));
  adw_combo_row_set_selected (self->year_row, chosen_year);
  adw_combo_row_set_model (self->trainer_row, G_LIST_MODEL (trainers));
  adw_combo_row_set_selected (self->trainer_row, chosen_trainer);
  self->filling = FALSE;
}

static void
td_trainer_sheet_dialog_read_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  TdTrainerSheetDialog *self = TD_TRAINER_SHEET_DIALOG (object);
  g_autoptr(GError) error = NULL;
  TdTrainerSheetDialogRead *read = td_store_read_finish (result, &error);

  self->busy--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (read == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The trainers could not be read: %s"), error->message);

      td_trainer_sheet_dialog_toast (self, message);
    }
  else
    {
      td_trainer_sheet_dialog_fill (self, read);
      td_trainer_sheet_dialog_read_free (read);
    }
  td_trainer_sheet_dialog_update (self);
}

/* Reads the years and @year's trainers (0: the newest year's). */
static void
td_trainer_sheet_dialog_load (TdTrainerSheetDialog *self,
                              int                   year)
{
  self->busy++;
  td_trainer_sheet_dialog_update (self);
  td_store_read_async (self->store, self, td_trainer_sheet_dialog_read, GINT_TO_POINTER (year), NULL,
                       (GDestroyNotify)td_trainer_sheet_dialog_read_free, self->cancellable,
                       td_trainer_sheet_dialog_read_cb, NULL);
}

static void
td_trainer_sheet_dialog_year_changed_cb (TdTrainerSheetDialog *self)
{
  guint i;

  g_assert (TD_IS_TRAINER_SHEET_DIALOG (self));

  i = adw_combo_row_get_selected (self->year_row);
  if (self->filling || self->years == NULL || i >= self->years->len)
    return;
  td_trainer_sheet_dialog_load (self, g_array_index (self->years, int, i));
}

static void
td_trainer_sheet_dialog_trainer_changed_cb (TdTrainerSheetDialog *self)
{
  g_assert (TD_IS_TRAINER_SHEET_DIALOG (self));

  if (!self->filling)
    td_trainer_sheet_dialog_update (self);
}

/* Saving */

typedef struct
{
  char *trainer_uuid;
  int   year;
  char *path;
} TdTrainerSheetDialogSave;

static void
td_trainer_sheet_dialog_save_free (TdTrainerSheetDialogSave *save)
{
  g_free (save->trainer_uuid);
  g_free (save->path);
  g_free (save);
}

static gpointer
td_trainer_sheet_dialog_write (TdStore       *reader,
                               gpointer       data,
                               GCancellable  *cancellable,
                               GError       **error)
{
  TdTrainerSheetDialogSave *save = data;
  g_autoptr(TdTrainerSheet) sheet = td_trainer_sheet_read (reader, save->trainer_uuid, save->year, error);

  if (sheet == NULL || !td_trainer_sheet_save_pdf (sheet, save->path, error))
    return NULL;
  return g_path_get_basename (save->path);
}

static void
td_trainer_sheet_dialog_write_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  TdTrainerSheetDialog *self = TD_TRAINER_SHEET_DIALOG (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = td_store_read_finish (result, &error);
  g_autofree char *message = NULL;

  self->busy--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (name == NULL)
    message = g_strdup_printf (_("The sheet could not be saved: %s"), error->message);
  else
    {
      g_autofree char *display = g_filename_display_name (name);

      message = g_strdup_printf (_("Saved “%s”"), display);
    }
  td_trainer_sheet_dialog_toast (self, message);
  td_trainer_sheet_dialog_update (self);
}

/**
 * td_trainer_sheet_dialog_save:
 * @file: a local file
 *
 * Writes the chosen trainer's sheet for the chosen year to @file, on a
 * worker; a toast says when it is done.
 */
void
td_trainer_sheet_dialog_save (TdTrainerSheetDialog *self,
                              GFile                *file)
{
  const TdTrainerYear *t;
  TdTrainerSheetDialogSave *save;

  g_return_if_fail (TD_IS_TRAINER_SHEET_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  t = td_trainer_sheet_dialog_chosen (self);
  if (t == NULL)
    return;
  save = g_new0 (TdTrainerSheetDialogSave, 1);
  save->trainer_uuid = g_strdup (t->trainer_uuid);
  save->year = t->year;
  save->path = g_file_get_path (file);
  if (save->path == NULL)
    {
      td_trainer_sheet_dialog_save_free (save);
      td_trainer_sheet_dialog_toast (self, _("The sheet can only be saved to a local folder."));
      return;
    }
  self->busy++;
  td_trainer_sheet_dialog_update (self);
  td_store_read_async (self->store, self, td_trainer_sheet_dialog_write, save,
                       (GDestroyNotify)td_trainer_sheet_dialog_save_free, g_free, self->cancellable,
                       td_trainer_sheet_dialog_write_cb, NULL);
}

static void
td_trainer_sheet_dialog_file_chosen_cb (gpointer  owner,
                                        GFile    *file)
{
  if (file != NULL)
    td_trainer_sheet_dialog_save (TD_TRAINER_SHEET_DIALOG (owner), file);
}

static void
td_trainer_sheet_dialog_save_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  TdTrainerSheetDialog *self = TD_TRAINER_SHEET_DIALOG (widget);
  const TdTrainerYear *t = td_trainer_sheet_dialog_chosen (self);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (t == NULL || self->chooser != NULL)
    return;
  /* Translators: the PDF's file name: the trainer, the year */
  name = g_strdup_printf (_("Trainer’s sheet %s %d.pdf"), t->name, t->year);
  chooser = td_gui_file_chooser_new (GTK_WIDGET (self), _("Save the Trainer’s Sheet"),
                                     GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"));
  td_gui_file_chooser_add_filter (chooser, _("PDF documents"), "application/pdf", NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  td_gui_file_chooser_show (chooser, &self->chooser, self, td_trainer_sheet_dialog_file_chosen_cb);
}

static void
td_trainer_sheet_dialog_close_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* For tests */

gboolean
td_trainer_sheet_dialog_is_busy (TdTrainerSheetDialog *self)
{
  g_return_val_if_fail (TD_IS_TRAINER_SHEET_DIALOG (self), FALSE);

  return self->busy > 0;
}

int
td_trainer_sheet_dialog_get_year (TdTrainerSheetDialog *self)
{
  guint i;

  g_return_val_if_fail (TD_IS_TRAINER_SHEET_DIALOG (self), 0);

  i = adw_combo_row_get_selected (self->year_row);
  return self->years && i < self->years->len ? g_array_index (self->years, int, i) : 0;
}

/* The chosen trainer's UUID, or NULL. */
const char *
td_trainer_sheet_dialog_get_trainer (TdTrainerSheetDialog *self)
{
  const TdTrainerYear *t;

  g_return_val_if_fail (TD_IS_TRAINER_SHEET_DIALOG (self), NULL);

  t = td_trainer_sheet_dialog_chosen (self);
  return t ? t->trainer_uuid : NULL;
}

const char *
td_trainer_sheet_dialog_get_summary (TdTrainerSheetDialog *self)
{
  g_return_val_if_fail (TD_IS_TRAINER_SHEET_DIALOG (self), NULL);

  return self->summary;
}

const char *
td_trainer_sheet_dialog_get_message (TdTrainerSheetDialog *self)
{
  g_return_val_if_fail (TD_IS_TRAINER_SHEET_DIALOG (self), NULL);

  return self->message;
}

/**
 * td_trainer_sheet_dialog_select:
 *
 * Chooses @year, and @trainer_uuid among its trainers once they are read.
 *
 * Returns: whether @year has classes
 */
gboolean
td_trainer_sheet_dialog_select (TdTrainerSheetDialog *self,
                                int                   year,
                                const char           *trainer_uuid)
{
  g_return_val_if_fail (TD_IS_TRAINER_SHEET_DIALOG (self), FALSE);

  if (self->years == NULL)
    return FALSE;
  for (guint i = 0; i < self->years->len; i++)
    if (g_array_index (self->years, int, i) == year)
      {
        g_free (self->pending);
        self->pending = g_strdup (trainer_uuid);
        td_trainer_sheet_dialog_load (self, year);
        return TRUE;
      }
  return FALSE;
}

/* GObject */

static void
td_trainer_sheet_dialog_constructed (GObject *object)
{
  TdTrainerSheetDialog *self = TD_TRAINER_SHEET_DIALOG (object);

  G_OBJECT_CLASS (td_trainer_sheet_dialog_parent_class)->constructed (object);

  td_trainer_sheet_dialog_load (self, 0);
}

static void
td_trainer_sheet_dialog_dispose (GObject *object)
{
  TdTrainerSheetDialog *self = TD_TRAINER_SHEET_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  td_gui_file_chooser_clear (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_TRAINER_SHEET_DIALOG);

  G_OBJECT_CLASS (td_trainer_sheet_dialog_parent_class)->dispose (object);
}

static void
td_trainer_sheet_dialog_finalize (GObject *object)
{
  TdTrainerSheetDialog *self = TD_TRAINER_SHEET_DIALOG (object);

  g_clear_pointer (&self->years, g_array_unref);
  g_clear_pointer (&self->trainers, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_free (self->pending);
  g_free (self->summary);
  g_free (self->message);

  G_OBJECT_CLASS (td_trainer_sheet_dialog_parent_class)->finalize (object);
}

static void
td_trainer_sheet_dialog_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  TdTrainerSheetDialog *self = TD_TRAINER_SHEET_DIALOG (object);

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
td_trainer_sheet_dialog_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  TdTrainerSheetDialog *self = TD_TRAINER_SHEET_DIALOG (object);

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
td_trainer_sheet_dialog_class_init (TdTrainerSheetDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = td_trainer_sheet_dialog_constructed;
  object_class->dispose = td_trainer_sheet_dialog_dispose;
  object_class->finalize = td_trainer_sheet_dialog_finalize;
  object_class->get_property = td_trainer_sheet_dialog_get_property;
  object_class->set_property = td_trainer_sheet_dialog_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         TD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-trainer-sheet-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TdTrainerSheetDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdTrainerSheetDialog, group);
  gtk_widget_class_bind_template_child (widget_class, TdTrainerSheetDialog, year_row);
  gtk_widget_class_bind_template_child (widget_class, TdTrainerSheetDialog, trainer_row);
  gtk_widget_class_bind_template_child (widget_class, TdTrainerSheetDialog, summary_row);
  gtk_widget_class_bind_template_child (widget_class, TdTrainerSheetDialog, empty_label);
  gtk_widget_class_bind_template_callback (widget_class, td_trainer_sheet_dialog_year_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, td_trainer_sheet_dialog_trainer_changed_cb);

  gtk_widget_class_install_action (widget_class, "sheet.save", NULL, td_trainer_sheet_dialog_save_action);
  gtk_widget_class_install_action (widget_class, "sheet.close", NULL, td_trainer_sheet_dialog_close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "sheet.save", NULL);

  td_gui_class_close_on_escape (widget_class, "sheet.close");
}

static void
td_trainer_sheet_dialog_init (TdTrainerSheetDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
