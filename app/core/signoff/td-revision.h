/* td-revision.h: revisions of the intent form, signed ones frozen and verifiable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "td-form.h"
#include "td-store.h"

G_BEGIN_DECLS

typedef enum
{
  TD_REVISION_DRAFT,
  TD_REVISION_SIGNED,
  TD_REVISION_SENT,
  TD_REVISION_DELIVERED,
} TdRevisionState;

/* What the Ed25519 signature is computed over (docs/signing.md). */
#define TD_SIGNOFF_STATEMENT_TYPE "io.github.vocedu.TrainingDesk.sign-off"
#define TD_SIGNOFF_STATEMENT_VERSION 1

/* One field that differs between two revisions. */
typedef struct
{
  TdFormField  field;
  const char  *label;       /* translated: "School name (1)" */
  char        *old_value;   /* as printed: categories by their names */
  char        *new_value;
} TdFormChange;

/* A signed revision's PDF as it is read to be sent (td_revision_open_pdf()). */
#define TD_TYPE_REVISION_PDF_STREAM (td_revision_pdf_stream_get_type ())
G_DECLARE_FINAL_TYPE (TdRevisionPdfStream, td_revision_pdf_stream, TD, REVISION_PDF_STREAM, GInputStream)

gint64          td_revision_pdf_stream_get_size     (TdRevisionPdfStream *self);
const GError   *td_revision_pdf_stream_get_error    (TdRevisionPdfStream *self);
gboolean        td_revision_pdf_stream_is_verified  (TdRevisionPdfStream *self);

#define TD_TYPE_REVISION (td_revision_get_type ())
G_DECLARE_FINAL_TYPE (TdRevision, td_revision, TD, REVISION, GObject)

TdRevision     *td_revision_load              (TdStore         *store,
                                               gint64           id,
                                               GError         **error);
TdRevision     *td_revision_load_for_sending  (TdStore         *reader,
                                               gint64           id,
                                               GError         **error);
GInputStream   *td_revision_open_pdf          (TdRevision      *self,
                                               TdStore         *reader,
                                               GError         **error);
TdRevision     *td_revision_load_by_uuid      (TdStore         *store,
                                               const char      *uuid,
                                               GError         **error);
GPtrArray      *td_revision_list              (TdStore         *store,
                                               const char      *campaign,
                                               GError         **error);
TdRevision     *td_revision_load_latest       (TdStore         *store,
                                               const char      *campaign,
                                               GError         **error);
gint64          td_revision_next_number       (TdStore         *store,
                                               const char      *campaign);

gint64          td_revision_get_id            (TdRevision      *self);
const char     *td_revision_get_uuid          (TdRevision      *self);
const char     *td_revision_get_campaign      (TdRevision      *self);
gint64          td_revision_get_number        (TdRevision      *self);
TdRevisionState td_revision_get_state         (TdRevision      *self);
GBytes         *td_revision_get_form_json     (TdRevision      *self);
GBytes         *td_revision_get_pdf           (TdRevision      *self);
const char     *td_revision_get_form_sha256   (TdRevision      *self);
const char     *td_revision_get_pdf_sha256    (TdRevision      *self);
const char     *td_revision_get_signer        (TdRevision      *self);
GDateTime      *td_revision_get_signed_at     (TdRevision      *self);
GBytes         *td_revision_get_signature     (TdRevision      *self);
GBytes         *td_revision_get_public_key    (TdRevision      *self);
GDateTime      *td_revision_get_created_at    (TdRevision      *self);
gboolean        td_revision_is_signed         (TdRevision      *self);

TdForm         *td_revision_dup_form          (TdRevision      *self,
                                               GError         **error);
char           *td_revision_dup_statement     (TdRevision      *self,
                                               gsize           *length);
char           *td_revision_dup_signature_json (TdRevision     *self,
                                               gsize           *length);
gboolean        td_revision_verify            (TdRevision      *self,
                                               GBytes          *school_public_key,
                                               GError         **error);
GPtrArray      *td_revision_verify_all        (TdStore         *store,
                                               GError         **error);
void            td_revision_verify_all_async  (TdStore         *store,
                                               GCancellable    *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer         user_data);
GPtrArray      *td_revision_verify_all_finish (TdStore         *store,
                                               GAsyncResult    *result,
                                               GError         **error);
gboolean        td_revision_set_state         (TdStore         *store,
                                               TdRevision      *self,
                                               TdRevisionState  state,
                                               GError         **error);

const char     *td_revision_state_to_string   (TdRevisionState  state);
const char     *td_revision_state_label       (TdRevisionState  state);

/* The SHA-256 of @data, in lower-case hexadecimal. */
char           *td_sha256_hex                 (const void      *data,
                                               gsize            length);
char           *td_signoff_statement          (const char      *revision_uuid,
                                               gint64           number,
                                               const char      *campaign,
                                               const char      *signer,
                                               GDateTime       *signed_at,
                                               const char      *form_sha256,
                                               const char      *pdf_sha256,
                                               gsize           *length);
char           *td_signoff_format_time        (GDateTime       *time);
gboolean        td_signoff_verify_statement   (const char      *statement,
                                               gsize            length,
                                               GBytes          *signature,
                                               GBytes          *public_key,
                                               GError         **error);

const char     *td_form_field_label           (TdFormField      field);
GPtrArray      *td_form_diff                  (TdForm          *old_form,
                                               TdForm          *new_form);
void            td_form_change_free           (TdFormChange    *change);

G_END_DECLS
