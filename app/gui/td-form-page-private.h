/* td-form-page-private.h: the page's state, shared by its files
 * (td-form-page.c, -campaign.c, -print.c), and what tests ask of it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtkunixprint.h>

#include "td-campaign-dialog.h"
#include "td-figures.h"
#include "td-form.h"
#include "td-form-page.h"
#include "td-form-render.h"
#include "td-revision.h"
#include "td-session.h"

G_BEGIN_DECLS

typedef struct
{
  TdFormPage    *page;
  TdFormField    field;
  GtkTextBuffer *buffer;
  GtkTextView   *view;
  GtkLabel      *counter;
  GtkLabel      *message;
  GtkWidget     *stale;
  GtkLabel      *unsupported;   /* numbers no figure supports */
  AdwExpanderRow *basis;        /* 依据: the figures the text states */
  GPtrArray     *basis_rows;
  guint          save_id;
} TextField;

struct _TdFormPage
{
  AdwBin               parent_instance;

  TdSession           *session;
  TdStore             *store;     /* the session's */
  TdCampaign          *campaign;
  TdForm              *form;
  TdFigureSet         *figures;       /* the form's, for the basis lists */
  GPtrArray           *dynamic_rows;
  GtkWidget           *category_checks[3];
  TextField            texts[2];
  guint                refresh_id;
  guint                updating;

  TdFormRender        *render;        /* for the preview and printing */
  double               zoom;
  gboolean             preview_stale;
  GtkFileChooserNative *chooser;
  char                *export_kind;
  GCancellable        *cancellable;   /* cancelled with the page */

  AdwToastOverlay     *toast_overlay;
  GtkStack            *view_stack;
  GtkBox              *preview_box;
  GtkButton           *zoom_label;
  GtkWidget           *zoom_box;

  AdwPreferencesGroup *campaign_group;
  AdwActionRow        *deadline_row;
  GtkWidget           *deadline_icon;
  GtkWidget           *new_campaign_button;
  AdwActionRow        *recipient_row;
  AdwPreferencesGroup *problems_group;
  AdwPreferencesGroup *profile_group;
  AdwPreferencesGroup *categories_group;
  AdwEntryRow         *fields_row;
  AdwPreferencesGroup *capacity_group;
  AdwPreferencesGroup *results_group;
  AdwEntryRow         *ratio_row;
};

/* Shared by the page's files. */
void           td_form_page_class_add_print_actions    (GtkWidgetClass *widget_class);
void           td_form_page_class_add_campaign_actions (GtkWidgetClass *widget_class);

/* For tests. */

TdForm        *td_form_page_get_form         (TdFormPage  *self);
GtkTextBuffer *td_form_page_get_text_buffer  (TdFormPage  *self,
                                              TdFormField  field);
const char    *td_form_page_get_text_message (TdFormPage  *self,
                                              TdFormField  field);
const char    *td_form_page_get_counter      (TdFormPage  *self,
                                              TdFormField  field);
guint          td_form_page_get_preview_pages (TdFormPage         *self);
void           td_form_page_export           (TdFormPage          *self,
                                              const char          *kind,
                                              const char          *path,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
void           td_form_page_import_campaign  (TdFormPage          *self,
                                              GFile               *file,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean       td_form_page_import_campaign_finish (TdFormPage    *self,
                                                    GAsyncResult  *result,
                                                    GError       **error);
TdCampaign    *td_form_page_get_campaign     (TdFormPage          *self);
TdCampaignDialog *td_form_page_new_campaign  (TdFormPage          *self);
gboolean       td_form_page_print_to_file    (TdFormPage          *self,
                                              const char          *path,
                                              GError             **error);
GtkPrintSettings *td_form_page_create_print_settings (TdFormPage  *self);
TdRevision    *td_form_page_dup_signed_revision (TdFormPage       *self);
GtkPrintJob   *td_form_page_create_print_job (TdFormPage          *self,
                                              TdRevision          *revision,
                                              GtkPrinter          *printer,
                                              GtkPrintSettings    *settings,
                                              GtkPageSetup        *setup,
                                              GError             **error);

GPtrArray     *td_form_page_get_basis_values (TdFormPage  *self,
                                              TdFormField  field);
GtkWidget     *td_form_page_get_basis_row    (TdFormPage  *self,
                                              TdFormField  field);
const char    *td_form_page_get_unsupported_message (TdFormPage  *self,
                                                     TdFormField  field);
gboolean       td_form_page_activate_basis   (TdFormPage  *self,
                                              TdFormField  field,
                                              const char  *figure_id);

G_END_DECLS
