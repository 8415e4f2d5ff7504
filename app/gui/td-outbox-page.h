/* td-outbox-page.h: what is to be sent, and what became of it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-session.h"
#include "td-sync.h"

G_BEGIN_DECLS

#define TD_TYPE_OUTBOX_PAGE (td_outbox_page_get_type ())
G_DECLARE_FINAL_TYPE (TdOutboxPage, td_outbox_page, TD, OUTBOX_PAGE, AdwBin)

GtkWidget     *td_outbox_page_new              (TdSync       *sync);
GtkWidget     *td_outbox_page_new_for_session  (TdSession    *session);
void           td_outbox_page_reload           (TdOutboxPage *self);

/* What became of an item (TdSync::item-finished), in words: for a
 * notification, or %NULL when there is nothing to say (a cancel is the
 * user's own doing). */
GNotification *td_outbox_new_notification      (TdOutboxItem *item,
                                                char        **id);
/* The same, short, for a toast; %NULL as above. */
char          *td_outbox_describe_outcome      (TdOutboxItem *item);

G_END_DECLS
