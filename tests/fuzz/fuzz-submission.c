/* fuzz-submission.c: libFuzzer target for what the receiver reads of an
 * upload (receiver/td-submission.c, docs/upload-protocol.md)
 *
 * The input is a request as the receiver's handler hands it on: the
 * Idempotency-Key header, a newline, the Content-Type header, a newline,
 * the body. The multipart parsing (libsoup's, bounded by ours), both JSON
 * documents and the signature checks run on it. Whatever comes in, the
 * answer is a submission or a refusal with a status and a message, never
 * both, never neither.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-fuzz"

#include <string.h>

#include "td-fuzz.h"
#include "td-submission.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  td_fuzz_init ();
  return 0;
}

static void
fuzz_submission_check_refusal (TdAnswer *refusal)
{
  guint status;

  g_assert_nonnull (refusal);
  status = td_answer_get_status (refusal);
  g_assert_true (status == 400 || status == 422);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *p = (const char *)data, *end = p + size;
  const char *nl1 = memchr (p, '\n', size);
  const char *nl2 = nl1 ? memchr (nl1 + 1, '\n', (size_t)(end - nl1 - 1)) : NULL;
  g_autofree char *key = NULL;
  g_autofree char *content_type = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(TdSubmission) submission = NULL;
  TdAnswer *refusal = NULL;

  /* libsoup never hands on a header value holding a line break. */
  if (nl2 == NULL || memchr (p, '\r', (size_t)(nl2 - p)) != NULL)
    return 0;
  key = g_strndup (p, (gsize)(nl1 - p));
  content_type = g_strndup (nl1 + 1, (gsize)(nl2 - nl1 - 1));
  /* With a NUL after it, as soup_message_body_flatten() gives the
   * receiver: libsoup 3.2's soup_multipart_new_from_message() runs strstr()
   * on the body, and reads past a body without one. */
  {
    gsize length = (gsize)(end - nl2 - 1);
    char *copy = g_malloc (length + 1);

    memcpy (copy, nl2 + 1, length);
    copy[length] = '\0';
    body = g_bytes_new_take (copy, length);
  }

  submission = td_submission_parse (content_type, key, body, &refusal);
  if (submission == NULL)
    {
      fuzz_submission_check_refusal (refusal);
      td_answer_free (refusal);
      return 0;
    }
  g_assert_null (refusal);
  g_assert_nonnull (submission->form);
  g_assert_cmpstr (submission->revision, ==, key);

  if (!td_submission_verify (submission, &refusal))
    {
      fuzz_submission_check_refusal (refusal);
      td_answer_free (refusal);
    }
  else
    g_assert_null (refusal);
  return 0;
}
