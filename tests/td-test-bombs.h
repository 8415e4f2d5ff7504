/* td-test-bombs.h: zip bombs for the tests and bench/hostile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TD_TEST_SHEET_START "<worksheet><sheetData>"
#define TD_TEST_SHEET_END   "</sheetData></worksheet>"

void td_test_make_workbook (const char *path,
                            int         level,
                            const char *prefix,
                            const char *unit,
                            guint64     n,
                            const char *suffix,
                            const char *strings_prefix,
                            const char *strings_unit,
                            guint64     strings_n);

G_END_DECLS
