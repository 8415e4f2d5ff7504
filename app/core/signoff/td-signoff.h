/* td-signoff.h: the principal signs off a revision of the intent form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "td-campaign.h"
#include "td-form.h"
#include "td-revision.h"
#include "td-signing-key.h"
#include "td-store.h"

G_BEGIN_DECLS

gboolean    td_signoff_can_sign    (TdStore              *store,
                                    TdForm               *form,
                                    TdCampaign           *campaign,
                                    GDateTime            *now,
                                    GError              **error);
TdRevision *td_signoff_sign        (TdStore              *store,
                                    TdForm               *form,
                                    TdCampaign           *campaign,
                                    const char           *passphrase,
                                    GDateTime            *now,
                                    GError              **error);
void        td_signoff_sign_async  (TdStore              *store,
                                    TdForm               *form,
                                    TdCampaign           *campaign,
                                    const char           *passphrase,
                                    GDateTime            *now,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
TdRevision *td_signoff_sign_finish (TdStore              *store,
                                    GAsyncResult         *result,
                                    GError              **error);

G_END_DECLS
