/* td-overview-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-school.h"
#include "td-session.h"

G_BEGIN_DECLS

/* The job, in order, as the overview shows it (docs/overview.md). */
typedef enum
{
  TD_OVERVIEW_STEP_PROFILE,
  TD_OVERVIEW_STEP_RECORDS,
  TD_OVERVIEW_STEP_FORM,
  TD_OVERVIEW_STEP_SIGN_OFF,
  TD_OVERVIEW_STEP_SEND,
  TD_OVERVIEW_STEP_POST,
  TD_OVERVIEW_N_STEPS
} TdOverviewStep;

#define TD_TYPE_OVERVIEW_PAGE (td_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (TdOverviewPage, td_overview_page, TD, OVERVIEW_PAGE, AdwBin)

GtkWidget *td_overview_page_new     (TdSession      *session);
void       td_overview_page_refresh (TdOverviewPage *self);
gboolean   td_overview_page_is_busy (TdOverviewPage *self);
GtkWidget *td_overview_page_get_step     (TdOverviewPage  *self,
                                          TdOverviewStep   step);
gboolean   td_overview_page_step_is_done (TdOverviewPage  *self,
                                          TdOverviewStep   step);
GtkWidget *td_overview_page_get_charts   (TdOverviewPage  *self);

G_END_DECLS
