/* td-intake.c: a parsed submission checked and stored, whatever its channel
 *
 * One path for an upload (td-receiver.c) and a mailed submission
 * (td-mail-intake.c), so that both are verified alike and a revision that
 * comes by both is stored once (issue 10): a revision stored already is
 * compared, not verified again (the same bytes from the same school: 200
 * already-stored; anything else: 409 conflict); a new one is verified
 * (docs/signing.md: hashes, signature, campaign, signer, signed_at not
 * ahead of the receiver's clock), must name the school it is sent for
 * (409 wrong-school), and is stored if it is signed by the school's bound
 * key, or enrols its key when none is bound (409 key-mismatch otherwise,
 * stored nowhere, logged). The key check and the insert are one
 * transaction (td_receiver_db_store()).
 *
 * The server splits the path in two: td_intake_check() (read, verify) on a
 * worker thread with a connection of its own, and the store by the one
 * writer thread, several submissions a commit, each answered by
 * td_intake_store_answer() once that commit is durable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-receiver"

#include "config.h"

#include "td-form.h"
#include "td-intake.h"
#include "td-receiver-log.h"
#include "td-signing-key.h"

TdAnswer *
td_intake_server_error (void)
{
  return td_answer_new (SOUP_STATUS_INTERNAL_SERVER_ERROR, "server-error",
                        "The receiver could not store the submission. Try again later.",
                        "接收端无法保存提交内容，请稍后重试。");
}

TdAnswer *
td_intake_database_trouble (const GError *error)
{
  TdAnswer *answer;

  if (g_error_matches (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_BUSY))
    {
      answer = td_answer_new (SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
                              "The receiver is busy. Try again in a moment.",
                              "接收端正忙，请稍后重试。");
      td_answer_add_header (answer, "Retry-After", "5");
      return answer;
    }
  /* Logged, not a warning: tests run it with fatal warnings. */
  td_receiver_log ("database failure: %s", error->message);
  return td_intake_server_error ();
}

TdAnswer *
td_intake_stored_answer (TdStored   *stored,
                         guint       status,
                         const char *word)
{
  g_autofree char *message = NULL, *zh = NULL;
  TdAnswer *answer;

  if (g_str_equal (word, "already-stored"))
    {
      message = g_strdup_printf ("This revision was received and stored already, at %s. The receipt is %s.",
                                 stored->received_at, stored->receipt);
      zh = g_strdup_printf ("此修订已于 %s 收到并保存，回执号 %s。", stored->received_at, stored->receipt);
    }
  else
    {
      message = g_strdup_printf ("Received and stored at %s. The receipt is %s.",
                                 stored->received_at, stored->receipt);
      zh = g_strdup_printf ("已于 %s 收到并保存，回执号 %s。", stored->received_at, stored->receipt);
    }
  answer = td_answer_new (status, word, message, zh);
  td_answer_add_string (answer, "revision", stored->uuid);
  td_answer_add_string (answer, "receipt", stored->receipt);
  td_answer_add_string (answer, "received_at", stored->received_at);
  return answer;
}

/* The same revision again: the same bytes from the same school is a
 * resend; anything else is a conflict. */
static TdAnswer *
td_intake_answer_existing (TdStored     *stored,
                           gint64        school_id,
                           TdSubmission *submission)
{
  if (stored->school_id != school_id)
    return td_answer_new (SOUP_STATUS_CONFLICT, "conflict",
                          "This revision was stored already for another school.",
                          "此修订已作为另一所学校的提交保存。");
  if (!g_str_equal (stored->form_sha256, submission->form_sha256) ||
      !g_str_equal (stored->pdf_sha256, submission->pdf_sha256) ||
      !g_str_equal (stored->signature_sha256, submission->signature_sha256))
    {
      g_autofree char *zh = g_strdup_printf ("此修订（%s）已保存，但内容与这次发送的不同（回执号 %s）。"
                                             "请重新签发表单，发送新的修订。", stored->uuid, stored->receipt);

      return td_answer_new_printf (SOUP_STATUS_CONFLICT, "conflict", zh,
                                   "This revision (%s) was stored already with different content (receipt %s). "
                                   "Sign the form off again and send the new revision.",
                                   stored->uuid, stored->receipt);
    }
  return td_intake_stored_answer (stored, SOUP_STATUS_OK, "already-stored");
}

/* 507, to be retried later: the province may raise the quota. */
TdAnswer *
td_intake_over_quota (gint64 quota,
                      gint64 used)
{
  g_autofree char *zh = g_strdup_printf ("本校在接收端已保存 %" G_GINT64_FORMAT " 字节，配额为 %" G_GINT64_FORMAT
                                         " 字节，这次上传会超出配额。请联系省里提高本校的配额。",
                                         used, quota);
  TdAnswer *answer = td_answer_new_printf (SOUP_STATUS_INSUFFICIENT_STORAGE, "over-quota", zh,
                                           "This school has stored %" G_GINT64_FORMAT " bytes at the receiver, "
                                           "and its quota is %" G_GINT64_FORMAT " bytes: this upload would pass it. "
                                           "Ask the province to raise the school’s quota.",
                                           used, quota);

  td_answer_add_int (answer, "quota", quota);
  td_answer_add_int (answer, "used", used);
  td_answer_add_header (answer, "Retry-After", "3600");
  return answer;
}

static TdAnswer *
td_intake_wrong_school (const char *school,
                        const char *named)
{
  g_autofree char *zh = g_strdup_printf ("意向表的单位名称“%s”与接收端登记的学校“%s”不一致，未保存。"
                                         "请核对单位名称，或向省里确认登记的名称。", named, school);

  return td_answer_new_printf (SOUP_STATUS_CONFLICT, "wrong-school", zh,
                               "The form names the school “%s”, but it was sent for “%s” as registered at the "
                               "receiver: not stored. Check the school’s name, or ask the province which name "
                               "it registered.", named, school);
}

static TdAnswer *
td_intake_key_mismatch (const char   *school,
                        TdSubmission *submission,
                        const char   *bound)
{
  g_autofree char *fingerprint = td_signing_key_fingerprint (submission->public_key_bytes);
  g_autofree char *zh = g_strdup_printf ("此修订由指纹为 %s 的密钥签署，但接收端为“%s”登记的密钥指纹是 %s，未保存。"
                                         "如果本校重装了软件、换了密钥，请联系省里重置本校的密钥（--reset-key）。",
                                         fingerprint, school, bound);
  TdAnswer *answer = td_answer_new_printf (SOUP_STATUS_CONFLICT, "key-mismatch", zh,
                                           "This revision was signed by the key %s, but the key registered for "
                                           "“%s” at the receiver is %s: not stored. If the school reinstalled "
                                           "Training Desk and has a new key, ask the province to reset the "
                                           "school’s key (--reset-key).",
                                           fingerprint, school, bound);

  td_answer_add_string (answer, "fingerprint", fingerprint);
  td_answer_add_string (answer, "registered_fingerprint", bound);
  return answer;
}

/**
 * td_intake_check:
 * @db: a connection to read from (any: only a look-up)
 * @school_id: the school it is sent for: the token's, or the one the
 *   mailed form names
 * @school: that school's registered name
 * @channel: %TD_INTAKE_UPLOAD or %TD_INTAKE_MAIL
 *
 * Everything before the store, and nothing written: a revision stored
 * already is compared (not verified again); a new one is verified and
 * must name @school. The store (td_receiver_db_store(), or
 * td_receiver_db_store_batch() with others) checks the revision again, in
 * its transaction.
 *
 * Returns: (transfer full) (nullable): the answer when it is known
 *   without storing; %NULL: the submission is to be stored
 */
TdAnswer *
td_intake_check (TdReceiverDb *db,
                 gint64        school_id,
                 const char   *school,
                 TdSubmission *submission,
                 const char   *channel)
{
  g_autoptr(TdStored) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *named = NULL, *named_key = NULL, *school_key = NULL;
  TdAnswer *refusal = NULL;

  /* Seen already: compared, not verified again. */
  stored = td_receiver_db_lookup (db, submission->revision, &error);
  if (error)
    return td_intake_database_trouble (error);
  if (stored)
    return td_intake_answer_existing (stored, school_id, submission);

  if (!td_submission_verify (submission, &refusal))
    return refusal;

  named = g_strdup (td_form_get (submission->form, TD_FORM_NAME));
  named_key = td_receiver_school_key (named);
  school_key = td_receiver_school_key (school);
  if (named_key == NULL || g_strcmp0 (named_key, school_key) != 0)
    {
      td_receiver_log ("school %" G_GINT64_FORMAT ": %s %s names another school, “%s”: refused (wrong-school)",
                       school_id, channel, submission->revision, named ? named : "");
      return td_intake_wrong_school (school, named ? named : "");
    }
  return NULL;
}

/**
 * td_intake_store_answer:
 * @db: the connection that stored @item (for a 507's figures when
 *   @item has none)
 * @item: stored by td_receiver_db_store_batch() (committed)
 * @school: the school's registered name
 *
 * Returns: (transfer full): the answer to a stored item: 201 stored, 200
 *   already stored, or why not
 */
TdAnswer *
td_intake_store_answer (TdReceiverDb *db,
                        TdStoreItem  *item,
                        const char   *school)
{
  TdSubmission *submission = item->submission;
  const GError *error = item->error;

  if (g_error_matches (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_KEY_MISMATCH))
    {
      g_autofree char *fingerprint = td_signing_key_fingerprint (submission->public_key_bytes);

      td_receiver_log ("school %" G_GINT64_FORMAT ": %s %s signed by key %s, bound key %s: refused (key-mismatch)",
                       item->school_id, item->channel, submission->revision, fingerprint, error->message);
      return td_intake_key_mismatch (school, submission, error->message);
    }
  if (g_error_matches (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_QUOTA))
    {
      gint64 used = item->used;
      g_autoptr(GError) local_error = NULL;

      td_receiver_log ("school %" G_GINT64_FORMAT ": %s", item->school_id, error->message);
      if (used == 0 && !td_receiver_db_school_bytes (db, item->school_id, &used, &local_error))
        return td_intake_database_trouble (local_error);
      return td_intake_over_quota (item->quota, used);
    }
  if (item->stored == NULL)
    return td_intake_database_trouble (error);
  if (!item->inserted)
    return td_intake_answer_existing (item->stored, item->school_id, submission);
  return td_intake_stored_answer (item->stored, SOUP_STATUS_CREATED, "stored");
}

/**
 * td_intake_submit:
 * @school_id: the school it is sent for: the token's, or the one the
 *   mailed form names
 * @school: that school's registered name
 * @channel: %TD_INTAKE_UPLOAD or %TD_INTAKE_MAIL
 * @quota: bytes the school may store; 0: no limit
 *
 * td_intake_check(), then the store in a transaction of its own.
 *
 * Returns: (transfer full): the answer: 201 stored, 200 already stored,
 *   or why not
 */
TdAnswer *
td_intake_submit (TdReceiverDb *db,
                  gint64        school_id,
                  const char   *school,
                  TdSubmission *submission,
                  const char   *channel,
                  gint64        quota)
{
  TdStoreItem item = { 0, };
  TdAnswer *answer;

  answer = td_intake_check (db, school_id, school, submission, channel);
  if (answer)
    return answer;

  item.school_id = school_id;
  item.submission = submission;
  item.channel = channel;
  item.quota = quota;
  item.stored = td_receiver_db_store (db, school_id, submission, channel, quota, &item.inserted, &item.error);
  answer = td_intake_store_answer (db, &item, school);
  td_store_item_clear (&item);
  return answer;
}
