/* td-receiver-db-imap.h: what --fetch-imap took, in the receiver's database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-receiver-db.h"

G_BEGIN_DECLS

gboolean td_receiver_db_imap_taken  (TdReceiverDb  *self,
                                     const char    *mailbox,
                                     gint64         uidvalidity,
                                     gint64         uid,
                                     gboolean      *taken,
                                     GError       **error);
gboolean td_receiver_db_imap_newest (TdReceiverDb  *self,
                                     const char    *mailbox,
                                     gint64         uidvalidity,
                                     gint64        *uid,
                                     GError       **error);
gboolean td_receiver_db_imap_begin  (TdReceiverDb  *self,
                                     const char    *mailbox,
                                     gint64         uidvalidity,
                                     gint64         uid,
                                     GError       **error);
void     td_receiver_db_imap_end    (TdReceiverDb  *self);
gboolean td_receiver_db_imap_record (TdReceiverDb  *self,
                                     const char    *mailbox,
                                     gint64         uidvalidity,
                                     gint64         uid,
                                     const char    *outcome,
                                     GError       **error);

G_END_DECLS
