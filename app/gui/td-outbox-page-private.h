/* td-outbox-page-private.h: for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-outbox-page.h"

G_BEGIN_DECLS

/* "empty" or "list" */
const char *td_outbox_page_get_view          (TdOutboxPage *self);
AdwMessageDialog *td_outbox_page_get_late_dialog (TdOutboxPage *self);
gboolean    td_outbox_page_get_offline_shown (TdOutboxPage *self);
guint       td_outbox_page_get_n_rows        (TdOutboxPage *self);
/* What the row of item @id says: @part is "title", "recipient", "state",
 * "attempts", "receipt" or "error"; %NULL when that part is not shown. */
const char *td_outbox_page_get_row_text      (TdOutboxPage *self,
                                              gint64        id,
                                              const char   *part);
/* A button of the row of item @id: "send-now", "cancel", "save-message"
 * or "preferences". */
GtkWidget  *td_outbox_page_get_row_button    (TdOutboxPage *self,
                                              gint64        id,
                                              const char   *button);
/* The offer of destinations set after signing (its button inside). */
GtkWidget  *td_outbox_page_get_new_destination_box (TdOutboxPage *self);

G_END_DECLS
