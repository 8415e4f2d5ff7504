/* td-session.c: one open database and what is made of it
 *
 * Whatever stands for the database in memory has one owner here: the
 * store, the school profile, the campaign answered, the record lists and
 * the outbox's sending. The application keeps a session per open file;
 * windows and pages are views of it, so two pages never hold two copies of
 * the school that drift apart, and closing the last window leaves the
 * session, still sending, with the application (issue 14).
 *
 * No GTK: the command line and the tests use it headless. What costs a
 * query (the school, the sync) is made when first asked for: the command
 * line's --export-pdf reads the campaign and nothing else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-session"

#include "config.h"

#include "td-session.h"

struct _TdSession
{
  GObject     parent_instance;

  TdStore    *store;
  TdSync     *sync;       /* made on first use, or given */
  TdSchool   *school;     /* made on first use */
  TdCampaign *campaign;   /* as last read: td_session_load_campaign() */
  guint       pending;
};

G_DEFINE_FINAL_TYPE (TdSession, td_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SYNC,
  PROP_CAMPAIGN,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * td_session_new:
 * @store: an open database
 *
 * Returns: (transfer full): a session on @store
 */
TdSession *
td_session_new (TdStore *store)
{
  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  return g_object_new (TD_TYPE_SESSION, "store", store, NULL);
}

/**
 * td_session_new_for_sync:
 * @sync: the sync of an open database
 *
 * A session whose sending is @sync (made with a network monitor of its
 * own, say, as the tests do).
 *
 * Returns: (transfer full): a session on @sync's store
 */
TdSession *
td_session_new_for_sync (TdSync *sync)
{
  g_return_val_if_fail (TD_IS_SYNC (sync), NULL);

  return g_object_new (TD_TYPE_SESSION, "sync", sync, NULL);
}

TdStore *
td_session_get_store (TdSession *self)
{
  g_return_val_if_fail (TD_IS_SESSION (self), NULL);

  return self->store;
}

const char *
td_session_get_path (TdSession *self)
{
  g_return_val_if_fail (TD_IS_SESSION (self), NULL);

  return td_store_get_path (self->store);
}

static void
td_session_set_pending (TdSession *self,
                        guint      pending)
{
  if (self->pending == pending)
    return;
  self->pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static void
td_session_sync_pending_cb (TdSession *self)
{
  td_session_set_pending (self, td_sync_get_pending (self->sync));
}

static void
td_session_take_sync (TdSession *self,
                      TdSync    *sync)
{
  self->sync = sync;
  g_signal_connect_object (sync, "notify::pending", G_CALLBACK (td_session_sync_pending_cb), self,
                           G_CONNECT_SWAPPED);
  td_session_set_pending (self, td_sync_get_pending (sync));
}

/**
 * td_session_get_sync:
 *
 * Returns: (transfer none): the outbox's sending, made on the first call
 *   (not started: td_sync_start())
 */
TdSync *
td_session_get_sync (TdSession *self)
{
  g_return_val_if_fail (TD_IS_SESSION (self), NULL);

  if (self->sync == NULL)
    td_session_take_sync (self, td_sync_new (self->store, NULL));
  return self->sync;
}

/**
 * td_session_get_pending:
 *
 * Returns: the outbox items still to be sent (0 before the sync is made):
 *   while there are some, the session is needed even without a window.
 */
guint
td_session_get_pending (TdSession *self)
{
  g_return_val_if_fail (TD_IS_SESSION (self), 0);

  return self->pending;
}

/**
 * td_session_get_school:
 *
 * Returns: (transfer none) (nullable): the school profile, the one every
 *   view of this database shows and edits; %NULL if it cannot be read
 */
TdSchool *
td_session_get_school (TdSession *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (TD_IS_SESSION (self), NULL);

  if (self->school == NULL && !(self->school = td_school_new (self->store, &error)))
    g_critical ("Could not read the school profile: %s", error->message);
  return self->school;
}

/* Reads the school profile again (another campaign may have moved it to
 * another province): its "changed" tells every page. */
gboolean
td_session_reload_school (TdSession  *self,
                          GError    **error)
{
  g_return_val_if_fail (TD_IS_SESSION (self), FALSE);

  if (self->school == NULL)
    return td_session_get_school (self) != NULL;
  return td_school_reload (self->school, error);
}

/**
 * td_session_get_campaign:
 *
 * Returns: (transfer none) (nullable): the campaign as last read by
 *   td_session_load_campaign()
 */
TdCampaign *
td_session_get_campaign (TdSession *self)
{
  g_return_val_if_fail (TD_IS_SESSION (self), NULL);

  return self->campaign;
}

/**
 * td_session_load_campaign:
 *
 * Reads the campaign answered from the database: each time, since the
 * command line may import another while a window is open. Notifies
 * #TdSession:campaign when it is another than last time.
 *
 * Returns: (transfer full): the current campaign, or %NULL with @error
 */
TdCampaign *
td_session_load_campaign (TdSession  *self,
                          GError    **error)
{
  TdCampaign *campaign;

  g_return_val_if_fail (TD_IS_SESSION (self), NULL);

  if (!(campaign = td_campaign_load_current (self->store, error)))
    return NULL;
  if (self->campaign == NULL ||
      g_strcmp0 (td_campaign_get_json (self->campaign), td_campaign_get_json (campaign)) != 0)
    {
      g_set_object (&self->campaign, campaign);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMPAIGN]);
    }
  return campaign;
}

/**
 * td_session_make_campaign_current:
 *
 * Makes @campaign the one answered, in one transaction with the school's
 * province, then reads both again: every view follows through
 * #TdSession:campaign and the school's "changed".
 */
gboolean
td_session_make_campaign_current (TdSession   *self,
                                  TdCampaign  *campaign,
                                  GError     **error)
{
  g_autoptr(TdCampaign) current = NULL;

  g_return_val_if_fail (TD_IS_SESSION (self), FALSE);
  g_return_val_if_fail (TD_IS_CAMPAIGN (campaign), FALSE);

  return td_campaign_make_current (self->store, campaign, error) &&
         (current = td_session_load_campaign (self, error)) != NULL &&
         td_session_reload_school (self, error);
}

/**
 * td_session_get_records:
 *
 * The lists are the store's (a typed table of it, td-store-private.h):
 * the import and the command line, which have no session, find the same
 * ones, and a list finds the lists it refers to through it.
 *
 * Returns: (transfer none): the records of @kind_id, loaded on the first
 *   call; the same list each time, as long as the session.
 */
TdRecordList *
td_session_get_records (TdSession   *self,
                        const char  *kind_id,
                        GError     **error)
{
  g_return_val_if_fail (TD_IS_SESSION (self), NULL);
  g_return_val_if_fail (kind_id != NULL, NULL);

  return td_record_list_get (self->store, kind_id, error);
}

static void
td_session_constructed (GObject *object)
{
  TdSession *self = TD_SESSION (object);

  G_OBJECT_CLASS (td_session_parent_class)->constructed (object);

  if (self->store == NULL && self->sync != NULL)
    g_object_get (self->sync, "store", &self->store, NULL);
  g_return_if_fail (TD_IS_STORE (self->store));
}

static void
td_session_dispose (GObject *object)
{
  TdSession *self = TD_SESSION (object);

  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);

  G_OBJECT_CLASS (td_session_parent_class)->dispose (object);
}

static void
td_session_finalize (GObject *object)
{
  TdSession *self = TD_SESSION (object);

  g_clear_object (&self->campaign);
  g_clear_object (&self->school);
  g_clear_object (&self->sync);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (td_session_parent_class)->finalize (object);
}

static void
td_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TdSession *self = TD_SESSION (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SYNC:
      g_value_set_object (value, td_session_get_sync (self));
      break;
    case PROP_CAMPAIGN:
      g_value_set_object (value, self->campaign);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TdSession *self = TD_SESSION (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SYNC:
      if (g_value_get_object (value) != NULL)
        td_session_take_sync (self, g_value_dup_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_session_class_init (TdSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = td_session_constructed;
  object_class->dispose = td_session_dispose;
  object_class->finalize = td_session_finalize;
  object_class->get_property = td_session_get_property;
  object_class->set_property = td_session_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         TD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Given, or made on first use. */
  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL,
                         TD_TYPE_SYNC,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAMPAIGN] =
    g_param_spec_object ("campaign", NULL, NULL,
                         TD_TYPE_CAMPAIGN,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
td_session_init (TdSession *self)
{
}
