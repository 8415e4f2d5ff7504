/* td-mail-intake.c: e-mailed submissions, read as docs/mail.md says
 *
 * The mail of a signed revision (app/core/td-mail.c) carries the same
 * three parts as an upload; a receiver finds them by type and file name,
 * never by position: application/pdf is the signed PDF, application/json
 * named signature.json is the signature, the other application/json is
 * form.json. Once found they go the upload's way (td_intake_submit()):
 * verified alike, de-duplicated by revision with uploads, the key bound
 * to the school. The school is the registered one the form names: a
 * message naming a school not registered is refused (the province adds it,
 * with its key if it has it, and imports again), for a mail's sender
 * proves nothing.
 *
 * Everything comes from outside: the size is checked before parsing, the
 * number of multiparts (which bounds GMime's recursion) and of boundary
 * lines before GMime sees the bytes, and the leaves while walking.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-receiver"

#include "config.h"

#include <gmime/gmime.h>
#include <string.h>

#include "td-form.h"
#include "td-intake.h"
#include "td-mail.h"
#include "td-mail-intake.h"
#include "td-receiver-log.h"
#include "td-revision.h"
#include "td-submission.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)

static void
td_mail_intake_ensure_gmime (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_mime_init ();
      g_once_init_leave (&done, 1);
    }
}

void
td_mail_parts_clear (TdMailParts *parts)
{
  g_clear_pointer (&parts->message_id, g_free);
  g_clear_pointer (&parts->revision, g_free);
  g_clear_pointer (&parts->pdf, g_bytes_unref);
  g_clear_pointer (&parts->form_json, g_bytes_unref);
  g_clear_pointer (&parts->signature_json, g_bytes_unref);
}

static TdAnswer *
td_mail_intake_bad (const char *word,
                    const char *message,
                    const char *message_zh)
{
  return td_answer_new (SOUP_STATUS_BAD_REQUEST, word, message, message_zh);
}

/* Whether the bytes are few enough in multiparts and boundary lines for
 * GMime: "multipart" however written, and lines that start with "--". */
static gboolean
td_mail_intake_shape_ok (const char *data,
                         gsize       length)
{
  guint multiparts = 0, boundaries = 0;

  for (gsize i = 0; i < length; i++)
    {
      if ((data[i] == 'm' || data[i] == 'M') && length - i >= 9 &&
          g_ascii_strncasecmp (data + i, "multipart", 9) == 0 &&
          ++multiparts > TD_MAIL_INTAKE_MAX_MULTIPARTS)
        return FALSE;
      if (data[i] == '-' && (i == 0 || data[i - 1] == '\n') && length - i >= 2 && data[i + 1] == '-' &&
          ++boundaries > 2 * TD_MAIL_INTAKE_MAX_PARTS)
        return FALSE;
    }
  return TRUE;
}

static GBytes *
td_mail_intake_content (GMimePart *part)
{
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  g_autoptr(GMimeStream) stream = NULL;
  GByteArray *array;

  if (content == NULL)
    return g_bytes_new (NULL, 0);
  stream = g_mime_stream_mem_new ();
  if (g_mime_data_wrapper_write_to_stream (content, stream) < 0)
    return NULL;
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  return g_bytes_new (array->data, array->len);
}

typedef struct
{
  TdMailParts *parts;
  guint        leaves;
  TdAnswer    *refusal;
} Walk;

static void
td_mail_intake_take (Walk      *walk,
                     GBytes   **slot,
                     GMimePart *part,
                     const char *what)
{
  if (*slot != NULL)
    {
      g_autofree char *message = g_strdup_printf ("The message has more than one %s.", what);
      g_autofree char *zh = g_strdup_printf ("邮件中的 %s 附件不止一个。", what);

      walk->refusal = td_mail_intake_bad ("bad-request", message, zh);
      return;
    }
  *slot = td_mail_intake_content (part);
  if (*slot == NULL)
    walk->refusal = td_mail_intake_bad ("bad-request", "An attachment of the message cannot be decoded.",
                                        "邮件中有附件无法解码。");
}

static void
td_mail_intake_walk (GMimeObject *object,
                     guint        depth,
                     Walk        *walk)
{
  GMimeContentType *type;

  if (walk->refusal != NULL)
    return;
  if (depth > TD_MAIL_INTAKE_MAX_MULTIPARTS || ++walk->leaves > TD_MAIL_INTAKE_MAX_PARTS)
    {
      walk->refusal = td_mail_intake_bad ("bad-request", "The message has too many parts.", "邮件的部分太多。");
      return;
    }
  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);

      for (int i = 0; i < g_mime_multipart_get_count (multipart); i++)
        td_mail_intake_walk (g_mime_multipart_get_part (multipart, i), depth + 1, walk);
      return;
    }
  if (!GMIME_IS_PART (object))
    return;   /* message/rfc822 and the like: not ours, left alone */
  type = g_mime_object_get_content_type (object);
  if (type == NULL)
    return;
  if (g_mime_content_type_is_type (type, "application", "pdf"))
    td_mail_intake_take (walk, &walk->parts->pdf, GMIME_PART (object), "PDF");
  else if (g_mime_content_type_is_type (type, "application", "json"))
    {
      const char *name = g_mime_part_get_filename (GMIME_PART (object));

      if (g_strcmp0 (name, TD_MAIL_SIGNATURE_NAME) == 0)
        td_mail_intake_take (walk, &walk->parts->signature_json, GMIME_PART (object), TD_MAIL_SIGNATURE_NAME);
      else
        td_mail_intake_take (walk, &walk->parts->form_json, GMIME_PART (object), "form JSON");
    }
}

/**
 * td_mail_intake_parse:
 * @max_size: the largest message taken, in bytes
 * @parts: (out caller-allocates): zeroed; cleared by the caller with
 *   td_mail_parts_clear() whatever the result
 * @refusal: (out): why the message is not a submission
 *
 * Finds the three parts of docs/mail.md, decoded. Nothing is verified.
 */
gboolean
td_mail_intake_parse (GBytes      *message,
                      gint64       max_size,
                      TdMailParts *parts,
                      TdAnswer   **refusal)
{
  gsize length;
  const char *data = g_bytes_get_data (message, &length);
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  g_autoptr(GMimeMessage) parsed = NULL;
  const char *header;
  Walk walk = { parts, 0, NULL };

  if ((gint64)length > max_size)
    {
      g_autofree char *zh = g_strdup_printf ("邮件超过了接收端的大小上限（%" G_GINT64_FORMAT " 字节）。", max_size);

      *refusal = td_answer_new_printf (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", zh,
                                       "The message is larger than this receiver takes (%" G_GINT64_FORMAT " bytes).",
                                       max_size);
      return FALSE;
    }
  if (data == NULL || length == 0 || !td_mail_intake_shape_ok (data, length))
    {
      *refusal = td_mail_intake_bad ("bad-request", "The message is empty, or nested or divided too deeply.",
                                     "邮件为空，或嵌套、分段过多。");
      return FALSE;
    }

  td_mail_intake_ensure_gmime ();
  stream = g_mime_stream_mem_new_with_buffer (data, length);
  parser = g_mime_parser_new_with_stream (stream);
  parsed = g_mime_parser_construct_message (parser, NULL);
  if (parsed == NULL || g_mime_message_get_mime_part (parsed) == NULL)
    {
      *refusal = td_mail_intake_bad ("bad-request", "The file is not an e-mail message.", "文件不是电子邮件。");
      return FALSE;
    }
  if (g_mime_message_get_message_id (parsed) != NULL &&
      g_utf8_validate (g_mime_message_get_message_id (parsed), -1, NULL))
    parts->message_id = g_strdup (g_mime_message_get_message_id (parsed));
  header = g_mime_object_get_header (GMIME_OBJECT (parsed), TD_MAIL_REVISION_HEADER);
  if (header != NULL)
    parts->revision = g_strstrip (g_strdup (header));

  td_mail_intake_walk (g_mime_message_get_mime_part (parsed), 0, &walk);
  if (walk.refusal != NULL)
    {
      *refusal = walk.refusal;
      return FALSE;
    }
  if (parts->pdf == NULL || parts->form_json == NULL || parts->signature_json == NULL)
    {
      *refusal = td_mail_intake_bad ("bad-request",
                                     "The message is not a submission: it needs a PDF (application/pdf), the form "
                                     "(application/json) and signature.json (application/json) attached "
                                     "(docs/mail.md).",
                                     "邮件不是意向表报送：应附有 PDF（application/pdf）、意向表数据（application/json）"
                                     "和 signature.json（application/json）三个附件。");
      return FALSE;
    }
  return TRUE;
}

static TdAnswer *
td_mail_intake_unknown_school (const char *named)
{
  g_autofree char *zh = g_strdup_printf ("接收端没有登记名为“%s”的学校，未保存。核实后可用 --add-school 登记"
                                         "（有密钥时加 --key），再重新导入这封邮件。", named);

  return td_answer_new_printf (SOUP_STATUS_UNPROCESSABLE_ENTITY, "unknown-school", zh,
                               "No school named “%s” is registered at this receiver: not stored. Once checked, "
                               "register it with --add-school (with --key when its key is known) and import the "
                               "message again.", named);
}

/**
 * td_mail_intake:
 * @source: where the message was: a file, or a mailbox and UID
 * @answer: (out) (transfer full): what became of it
 *
 * Reads, verifies and stores one message; a refused one is recorded with
 * its reason (td_receiver_db_refuse()).
 */
TdMailIntakeResult
td_mail_intake (TdReceiverDb  *db,
                GBytes        *message,
                const char    *source,
                gint64         max_size,
                gint64         quota,
                TdAnswer     **answer)
{
  TdMailParts parts = { 0, };
  g_autoptr(TdSubmission) submission = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL, *named = NULL, *registered = NULL;
  TdAnswer *result = NULL;
  gint64 school_id;
  guint status;
  gsize length;
  const char *data = g_bytes_get_data (message, &length);

  if (!td_mail_intake_parse (message, max_size, &parts, &result))
    goto refused;
  submission = td_submission_new_from_parts (parts.form_json, parts.pdf, parts.signature_json, &result);
  if (submission == NULL)
    goto refused;
  if (parts.revision != NULL && g_strcmp0 (parts.revision, submission->revision) != 0)
    {
      result = td_mail_intake_bad ("bad-request",
                                   "The message’s X-Training-Desk-Revision is not the revision of its signature.json.",
                                   "邮件头 X-Training-Desk-Revision 与 signature.json 中的修订不一致。");
      goto refused;
    }
  named = g_strdup (td_form_get (submission->form, TD_FORM_NAME));
  if (!td_receiver_db_find_school_by_name (db, named ? named : "", &school_id, &registered, &error))
    {
      if (error != NULL)
        {
          result = td_intake_database_trouble (error);
          goto failed;
        }
      result = td_mail_intake_unknown_school (named ? named : "");
      goto refused;
    }
  result = td_intake_submit (db, school_id, registered, submission, TD_INTAKE_MAIL, quota);
  status = td_answer_get_status (result);
  *answer = result;
  td_mail_parts_clear (&parts);
  if (status == SOUP_STATUS_CREATED)
    return TD_MAIL_INTAKE_STORED;
  if (status == SOUP_STATUS_OK)
    return TD_MAIL_INTAKE_ALREADY_STORED;
  if (status >= 500)
    return TD_MAIL_INTAKE_FAILED;
  goto record;

failed:
  td_mail_parts_clear (&parts);
  *answer = result;
  return TD_MAIL_INTAKE_FAILED;

refused:
  *answer = result;
record:
  {
    TdRefused refused = {
      .source = (char *)source,
      .message_id = parts.message_id,
      .revision = submission ? submission->revision : parts.revision,
      .school = named,
      .word = (char *)td_answer_get_word (result),
      .reason = (char *)td_answer_get_message (result),
      .reason_zh = (char *)td_answer_get_message_zh (result),
    };
    gboolean recorded;

    sha256 = td_sha256_hex (data ? data : "", length);
    refused.sha256 = sha256;
    td_receiver_log ("%s: refused (%s): %s", source, refused.word, refused.reason);
    recorded = td_receiver_db_refuse (db, &refused, &error);
    td_mail_parts_clear (&parts);
    if (!recorded)
      {
        td_receiver_log ("%s: the refusal could not be recorded: %s", source, error->message);
        return TD_MAIL_INTAKE_FAILED;
      }
  }
  return TD_MAIL_INTAKE_REFUSED;
}
