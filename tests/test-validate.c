/* test-validate.c: the form's rules for what a person types, case by case
 *
 * Every table row is its own test case, named by its index and a slug, so a
 * failure names the row. Expected values are the exact normalised strings
 * the app stores.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "td-validate.h"

/* The result columns of a row: accepted with this exact normalised value, or
 * refused with this error code. */
#define OK(value)   TRUE, (value), -1
#define FAIL(code)  FALSE, NULL, TD_VALIDATE_ERROR_##code

/* Printed as a TAP comment before the checks, so an aborting assertion is
 * preceded by the row it came from. */
static void
describe_row (const char *slug,
              const char *input)
{
  if (input == NULL)
    g_test_message ("row %s: input NULL", slug);
  else
    g_test_message ("row %s: input \"%s\"", slug, input);
}

/* Both sides of the value check for one validator call. */
static void
check_result (gboolean    ret,
              char       *normalized,
              GError     *error,
              gboolean    expected_ok,
              const char *expected,
              int         expected_code)
{
  if (expected_ok)
    {
      g_assert_no_error (error);
      g_assert_true (ret);
      g_assert_cmpstr (normalized, ==, expected);
    }
  else
    {
      g_assert_false (ret);
      g_assert_error (error, TD_VALIDATE_ERROR, expected_code);
      /* A message a person can act on, never an empty one. */
      g_assert_nonnull (error->message);
      g_assert_cmpuint (strlen (error->message), >, 0);
      /* A refused value is not handed back. */
      g_assert_null (normalized);
    }
}

/* td_text_length */

typedef struct
{
  const char *slug;
  const char *input;
  guint       expected;
} LengthCase;

static const LengthCase length_cases[] = {
  { "null",                   NULL,                   0 },
  { "empty",                  "",                     0 },
  { "ascii",                  "abc",                  3 },
  { "ascii-space",            "a b",                  3 },
  { "chinese",                "济南市",               3 },
  { "fullwidth-parens",       "（）",                 2 },
  { "fullwidth-digits",       "２０２０",             4 },
  { "mixed",                  "ABC济南",              5 },
  /* The length counts code points: a single emoji is one. */
  { "emoji",                  "\U0001F600",           1 },
  /* …so an emoji with a skin-tone modifier is two, */
  { "emoji-skin-tone",        "\U0001F44D\U0001F3FD", 2 },
  /* …and a ZWJ family (man, ZWJ, woman, ZWJ, girl) is five. */
  { "emoji-zwj-sequence",     "\U0001F468\u200D\U0001F469\u200D\U0001F467", 5 },
  { "precomposed-accent",     "\u00E9",               1 },
  { "combining-accent",       "e\u0301",              2 },
};

static void
test_length (gconstpointer data)
{
  const LengthCase *row = data;

  describe_row (row->slug, row->input);
  g_assert_cmpuint (td_text_length (row->input), ==, row->expected);
}

/* td_normalize_text and td_normalize_compact */

typedef struct
{
  const char *slug;
  const char *input;
  const char *expected;
} NormalizeCase;

static const NormalizeCase normalize_text_cases[] = {
  { "null",                   NULL,                               "" },
  { "empty",                  "",                                 "" },
  { "unchanged",              "济南职业学院",                     "济南职业学院" },
  { "trim-ascii",             "  济南职业学院  ",                 "济南职业学院" },
  { "trim-ideographic",       "\u3000济南职业学院\u3000",         "济南职业学院" },
  { "fold-inside",            "济南 \u3000\t职业学院",            "济南 职业学院" },
  { "control-dropped",        "济南\x01职业\x7f学院",             "济南职业学院" },
  /* Names keep their full-width forms: no NFKC here. */
  { "fullwidth-kept",         "（２０２０）",                     "（２０２０）" },
  /* Joiners hold emoji sequences together; other invisible marks go. */
  { "zwj-kept",               "\U0001F468\u200D\U0001F469",        "\U0001F468\u200D\U0001F469" },
  { "bom-dropped",            "\uFEFF济南",                       "济南" },
  /* What is already normal comes back as it is (a copy); anything else
   * goes the long way, ASCII or not. */
  { "ascii-unchanged",        "CK6140 A-2 (x)",                   "CK6140 A-2 (x)" },
  { "one-character",          "a",                                "a" },
  { "only-spaces",            " \u3000 ",                         "" },
  { "ascii-trim-end",         "CK6140 ",                          "CK6140" },
  { "ascii-trim-start",       " CK6140",                          "CK6140" },
  { "ascii-double-space",     "CK  6140",                         "CK 6140" },
  { "ascii-tab",              "CK\t6140",                         "CK 6140" },
  { "ascii-newline-end",      "CK6140\n",                         "CK6140" },
  { "ascii-delete",           "CK\x7f" "6140",                    "CK6140" },
  { "nbsp-folded",            "济南\u00A0职业",                    "济南 职业" },
  { "c1-control-dropped",     "济南\xc2\x85" "职业",               "济南职业" },
  { "zero-width-space",       "济南\u200B职业",                    "济南职业" },
  { "space-then-ideographic", "济南 \u3000",                       "济南" },
};

static const NormalizeCase normalize_compact_cases[] = {
  { "null",                   NULL,                               "" },
  { "empty",                  "",                                 "" },
  { "fullwidth-landline",     "０５３１－８１９１６５３１",       "0531-81916531" },
  { "fullwidth-parens",       "（０５３１）８１９１６５３１",     "(0531)81916531" },
  { "spaces-removed",         " 250\u3000014 ",                   "250014" },
  { "fullwidth-email",        "ｏｆｆｉｃｅ＠ｅｘａｍｐｌｅ．ｃｎ", "office@example.cn" },
  { "em-dash",                "0531\u201481916531",               "0531-81916531" },
  { "minus-sign",             "0531\u221281916531",               "0531-81916531" },
  { "small-hyphen",           "0531\uFE6381916531",               "0531-81916531" },
  { "zero-width-space",       "0531\u200B81916531",               "053181916531" },
  { "control-dropped",        "0531\x01" "81916531",              "053181916531" },
  { "chinese-kept",           "转",                               "转" },
};

static void
test_normalize_text (gconstpointer data)
{
  const NormalizeCase *row = data;
  g_autofree char *value = NULL;

  describe_row (row->slug, row->input);
  value = td_normalize_text (row->input);
  g_assert_cmpstr (value, ==, row->expected);
}

static void
test_normalize_compact (gconstpointer data)
{
  const NormalizeCase *row = data;
  g_autofree char *value = NULL;

  describe_row (row->slug, row->input);
  value = td_normalize_compact (row->input);
  g_assert_cmpstr (value, ==, row->expected);
}

/* td_validate_phone and td_validate_postal_code */

typedef struct
{
  const char *slug;
  const char *input;
  gboolean    ok;
  const char *expected;
  int         code;
} FieldCase;

static const FieldCase phone_cases[] = {
  /* Mobiles: 11 digits, 13x to 19x. */
  { "mobile-13x",                   "13812345678",              OK ("13812345678") },
  { "mobile-130",                   "13012345678",              OK ("13012345678") },
  { "mobile-14x",                   "14712345678",              OK ("14712345678") },
  { "mobile-15x",                   "15012345678",              OK ("15012345678") },
  { "mobile-16x",                   "16612345678",              OK ("16612345678") },
  { "mobile-17x",                   "17712345678",              OK ("17712345678") },
  { "mobile-18x",                   "18812345678",              OK ("18812345678") },
  { "mobile-19x",                   "19912345678",              OK ("19912345678") },
  { "mobile-fullwidth",             "１３８１２３４５６７８",   OK ("13812345678") },
  { "mobile-spaces-inside",         "138 1234 5678",            OK ("13812345678") },
  { "mobile-ideographic-spaces",    "\u3000138\u30001234\u30005678\u3000", OK ("13812345678") },
  { "mobile-spaces-around",         "  13812345678 \t",         OK ("13812345678") },
  { "mobile-plus86",                "+8613812345678",           OK ("13812345678") },
  { "mobile-plus86-spaced",         "+86 138 1234 5678",        OK ("13812345678") },
  { "mobile-plus86-hyphen",         "+86-13812345678",          OK ("13812345678") },
  { "mobile-plus86-fullwidth",      "＋８６\u3000１３８１２３４５６７８", OK ("13812345678") },
  { "mobile-0086",                  "008613812345678",          OK ("13812345678") },
  { "mobile-0086-spaced",           "0086 138 1234 5678",       OK ("13812345678") },
  { "mobile-10-digits",             "1381234567",               FAIL (FORMAT) },
  { "mobile-12-digits",             "138123456789",             FAIL (FORMAT) },
  { "mobile-12x",                   "12812345678",              FAIL (FORMAT) },
  { "mobile-11x",                   "11012345678",              FAIL (FORMAT) },
  { "mobile-10x",                   "10012345678",              FAIL (FORMAT) },
  { "mobile-plus86-10-digits",      "+861381234567",            FAIL (FORMAT) },
  { "mobile-plus86-12-digits",      "+86138123456789",          FAIL (FORMAT) },
  { "mobile-letter",                "1381234567a",              FAIL (FORMAT) },
  { "mobile-with-extension",        "13812345678-1",            FAIL (FORMAT) },

  /* Landlines: area code, subscriber number, perhaps an extension, in
   * every form people write them. */
  { "landline-hyphen",              "0531-81916531",            OK ("0531-81916531") },
  { "landline-run-together",        "053181916531",             OK ("0531-81916531") },
  { "landline-parens",              "(0531)81916531",           OK ("0531-81916531") },
  { "landline-fullwidth-parens",    "（0531）81916531",         OK ("0531-81916531") },
  { "landline-fullwidth-all",       "０５３１－８１９１６５３１", OK ("0531-81916531") },
  { "landline-fullwidth-parens-digits", "（０５３１）８１９１６５３１", OK ("0531-81916531") },
  { "landline-spaces",              "0531 8191 6531",           OK ("0531-81916531") },
  { "landline-space-after-area",    "0531 81916531",            OK ("0531-81916531") },
  { "landline-ideographic-space",   "0531\u300081916531",       OK ("0531-81916531") },
  { "landline-spaces-around",       "\u3000 0531-81916531 \u3000", OK ("0531-81916531") },
  { "landline-parens-space",        "(0531) 8191 6531",         OK ("0531-81916531") },
  { "landline-em-dash",             "0531\u201481916531",       OK ("0531-81916531") },
  { "landline-printed-contact",     "0531-86914920",            OK ("0531-86914920") },
  { "landline-3-digit-beijing",     "010-62345678",             OK ("010-62345678") },
  { "landline-3-digit-run-together", "01062345678",             OK ("010-62345678") },
  { "landline-3-digit-shanghai",    "021-62345678",             OK ("021-62345678") },
  { "landline-3-digit-parens",      "(020)83123456",            OK ("020-83123456") },
  { "landline-7-digit-number",      "0634-8123456",             OK ("0634-8123456") },
  { "landline-7-digit-run-together", "06348123456",             OK ("0634-8123456") },
  { "landline-extension",           "0531-81916531-123",        OK ("0531-81916531-123") },
  { "landline-extension-zhuan",     "0531-81916531转123",       OK ("0531-81916531-123") },
  { "landline-extension-zhuan-spaced", "0531-81916531 转 123",  OK ("0531-81916531-123") },
  { "landline-extension-6-digits",  "0531-81916531-123456",     OK ("0531-81916531-123456") },
  { "landline-extension-fullwidth", "０５３１－８１９１６５３１转１２３", OK ("0531-81916531-123") },
  { "landline-plus86-with-zero",    "+86 0531-81916531",        OK ("0531-81916531") },
  { "landline-0086-with-zero",      "0086 0531 81916531",       OK ("0531-81916531") },
  { "landline-no-area-code",        "81916531",                 FAIL (FORMAT) },
  { "landline-no-area-code-7",      "8191653",                  FAIL (FORMAT) },
  { "landline-area-too-short",      "053-81916531",             FAIL (FORMAT) },
  { "landline-area-too-short-parens", "(053)81916531",          FAIL (FORMAT) },
  { "landline-area-2-digits",       "05-81916531",              FAIL (FORMAT) },
  { "landline-area-too-long",       "05311-81916531",           FAIL (FORMAT) },
  { "landline-area-only",           "0531",                     FAIL (FORMAT) },
  { "landline-subscriber-leading-0", "0531-01916531",           FAIL (FORMAT) },
  { "landline-subscriber-leading-1", "0531-11916531",           FAIL (FORMAT) },
  { "landline-run-together-leading-1", "053111916531",          FAIL (FORMAT) },
  /* 010-12345678 looks like a 3-digit area code example, but no subscriber
   * number starts with 1 (those are service numbers), so it is refused. */
  { "landline-3-digit-leading-1",   "010-12345678",             FAIL (FORMAT) },
  { "landline-3-digit-leading-0",   "010-02345678",             FAIL (FORMAT) },
  { "landline-subscriber-6-digits", "0531-819165",              FAIL (FORMAT) },
  { "landline-subscriber-9-digits", "0531-819165312",           FAIL (FORMAT) },
  { "landline-letter-in-number",    "0531-8191653a",            FAIL (FORMAT) },
  { "landline-letter-in-area",      "05a1-81916531",            FAIL (FORMAT) },
  { "landline-fullwidth-letter",    "０５３１－８１９１６５３Ａ", FAIL (FORMAT) },
  { "landline-extension-7-digits",  "0531-81916531-1234567",    FAIL (FORMAT) },
  { "landline-extension-letter",    "0531-81916531-12a",        FAIL (FORMAT) },
  { "landline-extension-empty",     "0531-81916531-",           FAIL (FORMAT) },
  { "landline-four-parts",          "0531-81916531-123-4",      FAIL (FORMAT) },
  { "landline-double-hyphen",       "0531--81916531",           FAIL (FORMAT) },

  { "letters",                      "abc",                      FAIL (FORMAT) },
  { "empty",                        "",                         FAIL (REQUIRED) },
  { "null",                         NULL,                       FAIL (REQUIRED) },
  { "spaces-only",                  " \u3000 \t",               FAIL (REQUIRED) },
  { "prefix-only",                  "+86",                      FAIL (REQUIRED) },
};

/* Other ways people write the same numbers (FORM.md field 5: "a mainland
 * mobile (11 digits, starts with 1) or a landline with area code"). */
static const FieldCase phone_written_forms[] = {
  /* The same mobile is accepted written with spaces ("138 1234 5678") but
   * refused written with hyphens: FORMAT today. */
  { "mobile-hyphens",               "138-1234-5678",            OK ("13812345678") },
  /* The same landline is accepted as "0531 8191 6531" but refused as
   * "0531-8191-6531" (read as number 8191, extension 6531): FORMAT today. */
  { "landline-number-split-by-hyphen", "0531-8191-6531",        OK ("0531-81916531") },
  /* The international form of 0531-81916531 drops the trunk 0; after +86
   * the code sees "531…" and refuses it: FORMAT today. */
  { "landline-plus86-international", "+86 531 8191 6531",       OK ("0531-81916531") },
  { "landline-plus86-international-hyphen", "+86-531-81916531", OK ("0531-81916531") },
  /* "00" starts an international call, never an area code; the code takes
   * any 4 digits starting with 0 and accepts "0001-23456789" today. */
  { "landline-area-code-00",        "0001-23456789",            FAIL (FORMAT) },
};

static const FieldCase postal_code_cases[] = {
  { "jinan",                        "250014",                   OK ("250014") },
  { "fullwidth",                    "２５００１４",             OK ("250014") },
  { "spaces-around",                "  250014\u3000",           OK ("250014") },
  { "space-inside",                 "250 014",                  OK ("250014") },
  { "ideographic-space-inside",     "250\u3000014",             OK ("250014") },
  { "5-digits",                     "25001",                    FAIL (FORMAT) },
  { "7-digits",                     "2500145",                  FAIL (FORMAT) },
  { "letter",                       "25001A",                   FAIL (FORMAT) },
  { "letters-only",                 "ABCDEF",                   FAIL (FORMAT) },
  { "fullwidth-letter",             "２５００１Ａ",             FAIL (FORMAT) },
  { "hyphen",                       "250-014",                  FAIL (FORMAT) },
  { "empty",                        "",                         FAIL (REQUIRED) },
  { "null",                         NULL,                       FAIL (REQUIRED) },
  { "spaces-only",                  " \u3000 ",                 FAIL (REQUIRED) },
};

static void
test_phone (gconstpointer data)
{
  const FieldCase *row = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  gboolean ret;

  describe_row (row->slug, row->input);
  ret = td_validate_phone (row->input, &normalized, &error);
  check_result (ret, normalized, error, row->ok, row->expected, row->code);

  /* Neither out argument is mandatory; the verdict does not depend on them. */
  g_assert_cmpint (td_validate_phone (row->input, NULL, NULL), ==, row->ok);
}

static void
test_postal_code (gconstpointer data)
{
  const FieldCase *row = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  gboolean ret;

  describe_row (row->slug, row->input);
  ret = td_validate_postal_code (row->input, &normalized, &error);
  check_result (ret, normalized, error, row->ok, row->expected, row->code);

  g_assert_cmpint (td_validate_postal_code (row->input, NULL, NULL), ==, row->ok);
}

/* td_validate_email */

typedef struct
{
  const char *slug;
  const char *input;
  gboolean    required;
  gboolean    ok;
  const char *expected;
  int         code;
} EmailCase;

static const EmailCase email_cases[] = {
  { "plain",                        "office@example.edu.cn",    TRUE,  OK ("office@example.edu.cn") },
  { "provincial-mailbox",           "dxskjcxds@163.com",        TRUE,  OK ("dxskjcxds@163.com") },
  { "hrss-mailbox",                 "yujrst@shandong.cn",       TRUE,  OK ("yujrst@shandong.cn") },
  { "optional-filled",              "office@example.edu.cn",    FALSE, OK ("office@example.edu.cn") },
  { "fullwidth-at",                 "office＠example.edu.cn",   TRUE,  OK ("office@example.edu.cn") },
  { "fullwidth-all",                "ｏｆｆｉｃｅ＠ｅｘａｍｐｌｅ．ｅｄｕ．ｃｎ", TRUE, OK ("office@example.edu.cn") },
  { "spaces-around",                "\u3000 office@example.edu.cn  ", TRUE, OK ("office@example.edu.cn") },
  /* A space inside is a typo to show, not to remove silently. */
  { "space-inside",                 "zhang san@example.cn",     TRUE,  FAIL (FORMAT) },
  { "plus-tag-and-dots",            "zhang.san+training@example.com", TRUE, OK ("zhang.san+training@example.com") },
  { "hyphenated-subdomain",         "zs@mail.sd-jx.edu.cn",     TRUE,  OK ("zs@mail.sd-jx.edu.cn") },
  { "case-kept",                    "Office@Example.EDU.cn",    TRUE,  OK ("Office@Example.EDU.cn") },
  { "missing-at",                   "officeexample.edu.cn",     TRUE,  FAIL (FORMAT) },
  { "missing-at-optional",          "officeexample.edu.cn",     FALSE, FAIL (FORMAT) },
  { "missing-tld",                  "office@example",           TRUE,  FAIL (FORMAT) },
  { "one-letter-tld",               "office@example.c",         TRUE,  FAIL (FORMAT) },
  { "numeric-tld",                  "office@example.123",       TRUE,  FAIL (FORMAT) },
  { "two-at",                       "office@home@example.cn",   TRUE,  FAIL (FORMAT) },
  { "empty-local-part",             "@example.cn",              TRUE,  FAIL (FORMAT) },
  { "empty-domain",                 "office@",                  TRUE,  FAIL (FORMAT) },
  { "domain-leading-hyphen",        "office@-example.cn",       TRUE,  FAIL (FORMAT) },
  { "domain-double-dot",            "office@example..cn",       TRUE,  FAIL (FORMAT) },
  { "chinese-local-part",           "招生@example.cn",          TRUE,  FAIL (FORMAT) },
  /* The ideographic full stop is not NFKC-mapped to '.'. */
  { "ideographic-full-stop",        "office@example\u3002cn",   TRUE,  FAIL (FORMAT) },
  { "empty-optional",               "",                         FALSE, OK ("") },
  { "null-optional",                NULL,                       FALSE, OK ("") },
  { "spaces-optional",              " \u3000 ",                 FALSE, OK ("") },
  { "empty-required",               "",                         TRUE,  FAIL (REQUIRED) },
  { "null-required",                NULL,                       TRUE,  FAIL (REQUIRED) },
  { "spaces-required",              "\u3000 ",                  TRUE,  FAIL (REQUIRED) },
};

static void
test_email (gconstpointer data)
{
  const EmailCase *row = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  gboolean ret;

  describe_row (row->slug, row->input);
  ret = td_validate_email (row->input, row->required, &normalized, &error);
  check_result (ret, normalized, error, row->ok, row->expected, row->code);

  g_assert_cmpint (td_validate_email (row->input, row->required, NULL, NULL), ==, row->ok);
}

/* td_validate_text */

typedef struct
{
  const char *slug;
  const char *input;
  guint       repeat;     /* > 0: input and expected are repeated this many times */
  guint       max_chars;  /* 0: no limit */
  gboolean    required;
  gboolean    ok;
  const char *expected;
  int         code;
} TextCase;

static const TextCase text_cases[] = {
  { "plain",                        "济南职业学院",                   0, 100, TRUE,  OK ("济南职业学院") },
  { "trim-ascii",                   "  济南职业学院  ",               0, 100, TRUE,  OK ("济南职业学院") },
  { "trim-ideographic",             "\u3000济南职业学院\u3000\u3000", 0, 100, TRUE,  OK ("济南职业学院") },
  { "trim-mixed",                   " \u3000\t济南职业学院\n\u3000 ", 0, 100, TRUE,  OK ("济南职业学院") },
  { "fold-ascii",                   "济南   职业学院",                0, 100, TRUE,  OK ("济南 职业学院") },
  { "fold-ideographic",             "济南\u3000\u3000职业学院",       0, 100, TRUE,  OK ("济南 职业学院") },
  { "fold-mixed",                   "济南 \u3000\t\n职业学院",        0, 100, TRUE,  OK ("济南 职业学院") },
  { "fold-nbsp",                    "济南\u00A0职业学院",             0, 100, TRUE,  OK ("济南 职业学院") },
  { "fold-newlines-and-tabs",       "智能制造\n电子商务\t护理",       0, 100, TRUE,  OK ("智能制造 电子商务 护理") },
  { "control-dropped",              "济南\x01职业\x7f学院",           0, 100, TRUE,  OK ("济南职业学院") },
  { "c1-control-dropped",           "济南\xC2\x85" "职业学院",       0, 100, TRUE,  OK ("济南职业学院") },
  { "zero-width-space-dropped",     "济南\u200B职业学院",             0, 100, TRUE,  OK ("济南职业学院") },
  { "bom-dropped",                  "\uFEFF济南职业学院",             0, 100, TRUE,  OK ("济南职业学院") },
  { "fullwidth-parens-kept",        "山东劳动职业技术学院（山东省劳动技工学校）", 0, 100, TRUE,
    OK ("山东劳动职业技术学院（山东省劳动技工学校）") },
  { "fullwidth-digits-kept",        "２０２０年",                     0, 100, TRUE,  OK ("２０２０年") },

  { "required-empty",               "",                               0, 100, TRUE,  FAIL (REQUIRED) },
  { "required-null",                NULL,                             0, 100, TRUE,  FAIL (REQUIRED) },
  { "required-spaces",              "  \u3000 \t",                    0, 100, TRUE,  FAIL (REQUIRED) },
  { "required-controls-only",       "\x01\x02",                       0, 100, TRUE,  FAIL (REQUIRED) },
  { "optional-empty",               "",                               0, 100, FALSE, OK ("") },
  { "optional-null",                NULL,                             0, 100, FALSE, OK ("") },
  { "optional-spaces",              "\u3000 ",                        0, 100, FALSE, OK ("") },

  /* Limits count characters after normalisation, a Chinese character as 1. */
  { "at-limit",                     "济南职业学",                     0, 5,   TRUE,  OK ("济南职业学") },
  { "over-limit",                   "济南职业学院",                   0, 5,   TRUE,  FAIL (TOO_LONG) },
  { "over-limit-optional",          "济南职业学院",                   0, 5,   FALSE, FAIL (TOO_LONG) },
  { "at-limit-after-trim",          "\u3000 济南职业学 \u3000",       0, 5,   TRUE,  OK ("济南职业学") },
  { "at-limit-after-fold",          "济南\u3000\u3000职业",           0, 5,   TRUE,  OK ("济南 职业") },
  { "over-limit-after-fold",        "济南\u3000\u3000职业学",         0, 5,   TRUE,  FAIL (TOO_LONG) },
  { "at-limit-mixed-scripts",       "ABC济南",                        0, 5,   TRUE,  OK ("ABC济南") },
  { "at-limit-controls-not-counted", "济南\x01职业学",                0, 5,   TRUE,  OK ("济南职业学") },
  /* An emoji is one code point and so counts 1. */
  { "at-limit-emoji",               "\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600", 0, 5, TRUE,
    OK ("\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600") },
  { "over-limit-emoji",             "\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600", 0, 5, TRUE,
    FAIL (TOO_LONG) },
  /* The form's 500-character fields (培训能力简述, 近三年来主要培训业绩). */
  { "500-chinese",                  "字",                           500, 500, TRUE,  OK ("字") },
  { "501-chinese",                  "字",                           501, 500, TRUE,  FAIL (TOO_LONG) },
  { "500-ascii",                    "a",                            500, 500, TRUE,  OK ("a") },
  { "501-ascii",                    "a",                            501, 500, TRUE,  FAIL (TOO_LONG) },
  { "500-emoji",                    "\U0001F44D",                   500, 500, TRUE,  OK ("\U0001F44D") },
  { "501-emoji",                    "\U0001F44D",                   501, 500, TRUE,  FAIL (TOO_LONG) },
  { "no-limit",                     "字",                          2000, 0,   TRUE,  OK ("字") },
};

static char *
repeat_string (const char *unit,
               guint       times)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

static void
test_text (gconstpointer data)
{
  const TextCase *row = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *input = NULL;
  g_autofree char *expected = NULL;
  gboolean ret;

  if (row->repeat > 0)
    {
      input = repeat_string (row->input, row->repeat);
      expected = row->expected ? repeat_string (row->expected, row->repeat) : NULL;
    }
  else
    {
      input = g_strdup (row->input);
      expected = g_strdup (row->expected);
    }

  describe_row (row->slug, input);
  ret = td_validate_text (input, row->max_chars, row->required, &normalized, &error);
  check_result (ret, normalized, error, row->ok, expected, row->code);

  if (row->ok)
    g_assert_cmpuint (td_text_length (normalized), <=, row->max_chars ? row->max_chars : G_MAXUINT);
  if (!row->ok && row->code == TD_VALIDATE_ERROR_TOO_LONG)
    {
      /* The message says what the limit is. */
      g_autofree char *limit = g_strdup_printf ("%u", row->max_chars);

      g_assert_nonnull (strstr (error->message, limit));
    }

  g_assert_cmpint (td_validate_text (input, row->max_chars, row->required, NULL, NULL), ==, row->ok);
}

static void
test_error_quark (void)
{
  g_assert_cmpstr (g_quark_to_string (TD_VALIDATE_ERROR), ==, "td-validate-error-quark");
}

/* Registration: one test case per row, "/validate/<table>/<index>-<slug>". */

#define ADD_ROWS(prefix, table, func)                                         \
  G_STMT_START {                                                              \
    for (guint i_ = 0; i_ < G_N_ELEMENTS (table); i_++)                       \
      {                                                                       \
        g_autofree char *path_ = g_strdup_printf ("%s/%03u-%s", prefix, i_,   \
                                                  (table)[i_].slug);          \
        g_test_add_data_func (path_, &(table)[i_], func);                     \
      }                                                                       \
  } G_STMT_END

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/validate/error-quark", test_error_quark);
  ADD_ROWS ("/validate/length", length_cases, test_length);
  ADD_ROWS ("/validate/normalize-text", normalize_text_cases, test_normalize_text);
  ADD_ROWS ("/validate/normalize-compact", normalize_compact_cases, test_normalize_compact);
  ADD_ROWS ("/validate/text", text_cases, test_text);
  ADD_ROWS ("/validate/phone", phone_cases, test_phone);
  ADD_ROWS ("/validate/postal-code", postal_code_cases, test_postal_code);
  ADD_ROWS ("/validate/email", email_cases, test_email);

  ADD_ROWS ("/validate/phone-written-forms", phone_written_forms, test_phone);

  return g_test_run ();
}
