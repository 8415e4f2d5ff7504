/* td-preferences-window-state.h: what the Preferences window's files share
 *
 * td-preferences-window.c (the form, the keyring, saving) and
 * td-preferences-window-test.c (Test Connection) share the instance
 * struct and these.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-campaign.h"
#include "td-credentials.h"
#include "td-outbox.h"
#include "td-preferences-window.h"
#include "td-session.h"
#include "td-sync.h"

G_BEGIN_DECLS

typedef enum
{
  F_SMTP_HOST,
  F_SMTP_PORT,
  F_SMTP_SECURITY,
  F_SMTP_USERNAME,
  F_SMTP_FROM,
  F_SMTP_PASSWORD,
  F_SMTP_CA,
  F_HTTPS_ENDPOINT,
  F_HTTPS_TOKEN,
  F_HTTPS_CA,
  F_TIMEOUT,
  N_FIELDS
} FieldId;

typedef struct
{
  TdPreferencesWindow *self;
  FieldId              id;
  GtkWidget           *row;
  GtkWidget           *message_row;
  GtkLabel            *message;
  GtkWidget           *status_row;     /* ROW_SECRET */
  GtkWidget           *status_icon;
  GtkWidget           *forget_button;
  gboolean             saved;
  char                *status;
  GtkWidget           *clear_button;   /* ROW_FILE */
  char                *path;           /* ROW_FILE: chosen, not yet saved */
  GtkWidget           *spin;           /* ROW_TIMEOUT */
} Field;

/* One destination's test: the row that says how it went. */
typedef struct
{
  GtkWidget *row;      /* AdwExpanderRow: the outcome in plain words */
  GtkWidget *icon;
  GtkWidget *spinner;
  GtkWidget *detail;   /* the technical text, in the expander */
  gboolean   running;
  gboolean   passed;
} TestRow;

struct _TdPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  TdSession            *session;
  TdSync               *sync;         /* the session's */
  TdStore              *store;        /* the session's */
  TdCampaign           *campaign;
  GCancellable         *cancellable;
  GCancellable         *test_cancellable;
  GtkFileChooserNative *chooser;
  FieldId               choosing;
  guint                 busy;
  guint                 saving;          /* keyring writes of the Save under way */
  gboolean              save_changed[2]; /* by TdDestination: tell TdSync when saved */
  AdwToast             *toast;           /* the one shown last (weak): a new one replaces it */
  gboolean              filling;
  gboolean              dirty;

  Field                 fields[N_FIELDS];
  TestRow               tests[2];        /* by TdDestination */

  AdwPreferencesGroup  *smtp_group;
  AdwPreferencesGroup  *https_group;
  AdwPreferencesGroup  *connection_group;
  AdwPreferencesGroup  *actions_group;
  AdwPreferencesGroup  *test_group;
  GtkWidget            *keyring_note;
  GtkWidget            *save_button;
  GtkWidget            *test_button;
  GtkWidget            *test_spinner;
};

/* A keyring call holds the window weakly: a call that ends after the
 * window closed must not be what finalizes it (its transient parent may be
 * gone by then: seen as a crash in test-outbox-page), and the sync it may
 * have to wake is held on its own. */
typedef struct
{
  GWeakRef  self;
  TdSync   *sync;
  FieldId   id;
  char     *server;
  char     *user;
  char     *secret;   /* for a test: looked up, then the test runs */
} KeyringCall;

char                *td_preferences_window_form_value        (TdPreferencesWindow  *self,
                                                             FieldId               id);
char                *td_preferences_window_form_endpoint     (TdPreferencesWindow  *self);
void                 td_preferences_window_toast             (TdPreferencesWindow  *self,
                                                             const char           *message);
TdDestination        td_preferences_window_field_destination (FieldId               id);
gboolean             td_preferences_window_check_form        (TdPreferencesWindow  *self,
                                                             gboolean              for_secrets);
gboolean             td_preferences_window_secret_target     (TdPreferencesWindow  *self,
                                                             FieldId               id,
                                                             TdCredentialKind     *kind,
                                                             char                **server,
                                                             char                **user,
                                                             const char          **missing);
KeyringCall         *td_preferences_window_keyring_call_new  (TdPreferencesWindow  *self,
                                                             FieldId               id,
                                                             const char           *server,
                                                             const char           *user);
TdPreferencesWindow *td_preferences_window_keyring_call_dup_window (KeyringCall   *call);
void                 td_preferences_window_keyring_call_free (KeyringCall          *call);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KeyringCall, td_preferences_window_keyring_call_free)

/* td-preferences-window-test.c: the Test Connection button. */
void                 td_preferences_window_test_clicked_cb   (TdPreferencesWindow  *self);

G_END_DECLS
