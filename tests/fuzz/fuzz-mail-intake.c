/* fuzz-mail-intake.c: libFuzzer target for what the receiver reads of a
 * mailed submission (receiver/td-mail-intake.c, docs/mail.md)
 *
 * The input is a whole message, as --import-mail maps it. The shape
 * checks, GMime's parser, the walk over the parts and, when the three
 * parts are there, the submission's JSON and signature checks run on it.
 * Whatever comes in, the result is the three parts or a refusal with a
 * status and a message in both languages, never both, never neither.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-fuzz"

#include <string.h>

#include "td-fuzz.h"
#include "td-mail-intake.h"
#include "td-submission.h"

/* Small, so that the size refusal is reached too. */
#define MAX_SIZE (256 * 1024)

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  td_fuzz_init ();
  return 0;
}

static void
fuzz_mail_intake_check_refusal (TdAnswer *refusal)
{
  guint status;

  g_assert_nonnull (refusal);
  status = td_answer_get_status (refusal);
  g_assert_true (status == 400 || status == 413 || status == 422);
  g_assert_nonnull (td_answer_get_message (refusal));
  g_assert_nonnull (td_answer_get_message_zh (refusal));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) message = g_bytes_new (data, size);
  g_autoptr(TdSubmission) submission = NULL;
  TdMailParts parts = { 0, };
  TdAnswer *refusal = NULL;

  if (!td_mail_intake_parse (message, MAX_SIZE, &parts, &refusal))
    {
      fuzz_mail_intake_check_refusal (refusal);
      td_answer_free (refusal);
      td_mail_parts_clear (&parts);
      return 0;
    }
  g_assert_null (refusal);
  g_assert_nonnull (parts.pdf);
  g_assert_nonnull (parts.form_json);
  g_assert_nonnull (parts.signature_json);

  submission = td_submission_new_from_parts (parts.form_json, parts.pdf, parts.signature_json, &refusal);
  if (submission == NULL)
    {
      fuzz_mail_intake_check_refusal (refusal);
      td_answer_free (refusal);
    }
  else
    {
      g_assert_null (refusal);
      if (!td_submission_verify (submission, &refusal))
        {
          fuzz_mail_intake_check_refusal (refusal);
          td_answer_free (refusal);
        }
    }
  td_mail_parts_clear (&parts);
  return 0;
}
