/* td-answer.h: what the receiver answers a request, as JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _TdAnswer TdAnswer;

TdAnswer   *td_answer_new          (guint              status,
                                    const char        *word,
                                    const char        *message,
                                    const char        *message_zh);
TdAnswer   *td_answer_new_printf   (guint              status,
                                    const char        *word,
                                    const char        *message_zh,
                                    const char        *format,
                                    ...) G_GNUC_PRINTF (4, 5);
void        td_answer_free         (TdAnswer          *self);

void        td_answer_add_string   (TdAnswer          *self,
                                    const char        *name,
                                    const char        *value);
void        td_answer_add_int      (TdAnswer          *self,
                                    const char        *name,
                                    gint64             value);
void        td_answer_add_header   (TdAnswer          *self,
                                    const char        *name,
                                    const char        *value);

guint       td_answer_get_status   (TdAnswer          *self);
const char *td_answer_get_word     (TdAnswer          *self);
const char *td_answer_get_message  (TdAnswer          *self);
const char *td_answer_get_message_zh (TdAnswer        *self);

GBytes     *td_answer_to_json      (TdAnswer          *self);
GBytes     *td_answer_to_http      (TdAnswer          *self);
void        td_answer_apply        (TdAnswer          *self,
                                    SoupServerMessage *msg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdAnswer, td_answer_free)

G_END_DECLS
