/* td-form-page-private.h: for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtkunixprint.h>

#include "td-campaign-dialog.h"
#include "td-form.h"
#include "td-revision.h"
#include "td-form-page.h"

G_BEGIN_DECLS

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
