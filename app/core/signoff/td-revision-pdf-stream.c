/* td-revision-pdf-stream.c: a signed revision's PDF, read as it is sent
 *
 * The PDF of a revision, read out of the database in 1 MiB pieces by
 * SQLite's incremental blob I/O, each piece hashed as it is read and
 * served from one buffer reused for the next. When the last piece has
 * been read and hashed, and before any of its bytes are served, the
 * SHA-256 is compared with the one the signature covers: on a mismatch
 * the read fails (TD_SIGNOFF_ERROR_VERIFICATION, the same message as the
 * check before sending), so whoever reads the stream never gets the whole
 * PDF of an altered revision (docs/signing.md, "Checking a revision").
 *
 * Sending 20 MiB no longer waits for the whole PDF to be read and hashed
 * first, nor allocates and zeroes 20 MiB for it (issue 17: a fifth of
 * --sync's CPU time was the kernel clearing the fresh pages).
 *
 * Pollable (always readable: a read never waits for anything but the
 * disk), so GIO's splice and libsoup read it on their own thread without
 * a worker thread of GIO's. Blocking reads, one thread at a time: the
 * connection is the reader's (td_store_open_reader()), which may be opened
 * on one thread and read on another, never on two at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-revision"

#include "config.h"

#include <nettle/sha2.h>

#include "td-ready-stream.h"
#include "td-revision-private.h"
#include "td-store-private.h"

#define TD_REVISION_PDF_STREAM_PIECE (1024 * 1024)
/* At most this much of the database mapped (SQLite caps it at its own
 * maximum, 2 GB on Debian). */
#define TD_REVISION_PDF_STREAM_MMAP 1073741824

struct _TdRevisionPdfStream
{
  GInputStream       parent_instance;

  TdStore           *reader;
  sqlite3_blob      *blob;
  gint64             size;
  gint64             read;          /* bytes read out of the blob (and hashed) */
  guint8            *piece;
  gsize              piece_length;
  gsize              piece_served;
  struct sha256_ctx  sha256;
  char              *expected_sha256;
  gint64             revision_number;
  GError            *error;         /* once failed, every read fails alike */
  gboolean           verified;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (TdRevisionPdfStream, td_revision_pdf_stream, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      td_ready_stream_pollable_init))

static void
td_revision_pdf_stream_release (TdRevisionPdfStream *self)
{
  g_clear_pointer (&self->blob, sqlite3_blob_close);
  g_clear_pointer (&self->piece, g_free);
  g_clear_object (&self->reader);
}

static void
td_revision_pdf_stream_finalize (GObject *object)
{
  TdRevisionPdfStream *self = TD_REVISION_PDF_STREAM (object);

  td_revision_pdf_stream_release (self);
  g_free (self->expected_sha256);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (td_revision_pdf_stream_parent_class)->finalize (object);
}

/* The next piece out of the blob, hashed; the check when it is the last. */
static gboolean
td_revision_pdf_stream_next_piece (TdRevisionPdfStream  *self,
                                   GError              **error)
{
  int length = (int)MIN ((gint64)TD_REVISION_PDF_STREAM_PIECE, self->size - self->read);
  int rc = sqlite3_blob_read (self->blob, self->piece, length, (int)self->read);

  if (rc != SQLITE_OK)
    {
      td_store_set_error (self->reader, rc, error);
      return FALSE;
    }
  sha256_update (&self->sha256, (size_t)length, self->piece);
  self->read += length;
  self->piece_length = (gsize)length;
  self->piece_served = 0;

  if (self->read == self->size)
    {
      g_autofree char *digest = td_revision_sha256_digest_hex (&self->sha256);

      if (g_strcmp0 (digest, self->expected_sha256) != 0)
        {
          td_revision_set_pdf_altered_error (error, self->revision_number);
          return FALSE;
        }
      self->verified = TRUE;
      /* Done with the database: its read transaction ends here. */
      g_clear_pointer (&self->blob, sqlite3_blob_close);
    }
  return TRUE;
}

static gssize
td_revision_pdf_stream_read (GInputStream  *stream,
                             void          *buffer,
                             gsize          count,
                             GCancellable  *cancellable,
                             GError       **error)
{
  TdRevisionPdfStream *self = TD_REVISION_PDF_STREAM (stream);
  gsize length;

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return -1;
    }
  if (self->piece_served == self->piece_length)
    {
      if (self->read == self->size)
        return 0;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;
      if (!td_revision_pdf_stream_next_piece (self, &self->error))
        {
          g_propagate_error (error, g_error_copy (self->error));
          return -1;
        }
    }
  length = MIN (count, self->piece_length - self->piece_served);
  memcpy (buffer, self->piece + self->piece_served, length);
  self->piece_served += length;
  return (gssize)length;
}

static gboolean
td_revision_pdf_stream_close (GInputStream  *stream,
                              GCancellable  *cancellable,
                              GError       **error)
{
  td_revision_pdf_stream_release (TD_REVISION_PDF_STREAM (stream));
  return TRUE;
}

static void
td_revision_pdf_stream_class_init (TdRevisionPdfStreamClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = td_revision_pdf_stream_finalize;
  stream_class->read_fn = td_revision_pdf_stream_read;
  stream_class->close_fn = td_revision_pdf_stream_close;
}

static void
td_revision_pdf_stream_init (TdRevisionPdfStream *self)
{
  sha256_init (&self->sha256);
}

/**
 * td_revision_pdf_stream_new:
 * @reader: a connection of the calling thread's own (td_store_open_reader())
 * @pdf_id: the PDF's row in revision_pdf
 * @expected_sha256: the SHA-256 the signature covers, in hex
 * @revision_number: for the message when it does not match
 *
 * Returns: (transfer full): the PDF as a stream, or %NULL with @error set
 *   when the row cannot be opened
 */
GInputStream *
td_revision_pdf_stream_new (TdStore     *reader,
                            gint64       pdf_id,
                            const char  *expected_sha256,
                            gint64       revision_number,
                            GError     **error)
{
  g_autoptr(TdRevisionPdfStream) self = NULL;
  sqlite3_blob *blob = NULL;
  int rc;

  g_return_val_if_fail (TD_IS_STORE (reader), NULL);

  /* The file mapped, for this connection: the PDF's 5,120 pages are then
   * copied out of the page cache without a pread() each (~10 ms of CPU a
   * 20 MiB send, issue 17). The blob holds a read transaction from here to
   * its end, so no checkpoint or vacuum can shrink the file under the
   * pages it reads. */
  sqlite3_exec (td_store_get_db (reader), "PRAGMA mmap_size = " G_STRINGIFY (TD_REVISION_PDF_STREAM_MMAP),
                NULL, NULL, NULL);
  rc = sqlite3_blob_open (td_store_get_db (reader), "main", "revision_pdf", "pdf", pdf_id, 0, &blob);
  if (rc != SQLITE_OK)
    {
      td_store_set_error (reader, rc, error);
      sqlite3_blob_close (blob);
      return NULL;
    }
  self = g_object_new (TD_TYPE_REVISION_PDF_STREAM, NULL);
  self->reader = g_object_ref (reader);
  self->blob = blob;
  self->size = sqlite3_blob_bytes (blob);
  self->piece = g_malloc (TD_REVISION_PDF_STREAM_PIECE);
  self->expected_sha256 = g_strdup (expected_sha256);
  self->revision_number = revision_number;
  /* An empty PDF is checked at once. */
  if (self->size == 0 && !td_revision_pdf_stream_next_piece (self, &self->error))
    {
      g_propagate_error (error, g_steal_pointer (&self->error));
      return NULL;
    }
  return G_INPUT_STREAM (g_steal_pointer (&self));
}

/**
 * td_revision_pdf_stream_get_size:
 *
 * Returns: the PDF's length in bytes
 */
gint64
td_revision_pdf_stream_get_size (TdRevisionPdfStream *self)
{
  g_return_val_if_fail (TD_IS_REVISION_PDF_STREAM (self), 0);
  return self->size;
}

/**
 * td_revision_pdf_stream_get_error:
 *
 * Returns: (nullable): why reading it failed (the PDF did not match, or
 *   the database could not be read), or %NULL
 */
const GError *
td_revision_pdf_stream_get_error (TdRevisionPdfStream *self)
{
  g_return_val_if_fail (TD_IS_REVISION_PDF_STREAM (self), NULL);
  return self->error;
}

/**
 * td_revision_pdf_stream_is_verified:
 *
 * Returns: %TRUE once the whole PDF was read and matched its SHA-256
 */
gboolean
td_revision_pdf_stream_is_verified (TdRevisionPdfStream *self)
{
  g_return_val_if_fail (TD_IS_REVISION_PDF_STREAM (self), FALSE);
  return self->verified;
}
