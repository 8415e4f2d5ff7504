/* td-test-fixtures.h: data the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-form.h"

G_BEGIN_DECLS

/* A form of the 2020 Shandong campaign that passes every check. */
TdForm *td_test_valid_form (void);

G_END_DECLS
