/* td-test-fixtures.c: data the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-test-fixtures.h"

TdForm *
td_test_valid_form (void)
{
  TdForm *form = td_form_new ("shandong-2020", 2023, 2025);

  td_form_set (form, TD_FORM_NAME, "济南第一职业中等专业学校");
  td_form_set (form, TD_FORM_AUTHORITY, "济南市教育局");
  td_form_set (form, TD_FORM_CITY, "济南市");
  td_form_set (form, TD_FORM_COUNTY, "历下区");
  td_form_set (form, TD_FORM_STREET, "文化西路29号");
  td_form_set (form, TD_FORM_POSTAL_CODE, "250014");
  td_form_set (form, TD_FORM_CONTACT_NAME, "陈璟");
  td_form_set (form, TD_FORM_PHONE, "0531-81916531");
  td_form_set (form, TD_FORM_EMAIL, "pxb@jndyzz.edu.cn");
  td_form_set (form, TD_FORM_CATEGORIES, "enterprise-staff,key-groups");
  td_form_set (form, TD_FORM_FIELDS, "养老服务、智能制造、电子商务");
  td_form_set (form, TD_FORM_CAPACITY, "学校现有培训教师4人，其中“双师型”教师2人。");
  td_form_set (form, TD_FORM_RESULTS, "2023—2025年，学校共开展职业培训4期、培训150人次。");
  td_form_set (form, TD_FORM_LEGAL_REPRESENTATIVE, "王建国");
  return form;
}
