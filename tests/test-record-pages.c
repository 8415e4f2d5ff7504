/* test-record-pages.c: the six record pages, driven through their actions
 *
 * For each kind, in a real window: the empty page, a record added through
 * the editor, found by the search, edited, refused when invalid, deleted
 * and brought back by Undo with the same UUID. Registered in English and
 * in Chinese (TD_TEST_LANGUAGE=zh_CN), like test-window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-test-ui.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "td-equipment-page.h"
#include "td-form-page-private.h"
#include "td-record-editor-private.h"
#include "td-record-page-private.h"
#include "td-record-row.h"
#include "td-window.h"

static TdStore *
open_store (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  TdStore *store;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), "records.db", NULL);
  store = td_store_open (path, &error);
  g_assert_no_error (error);
  return store;
}

static TdRecordList *
get_list (TdStore    *store,
          const char *kind_id)
{
  g_autoptr(GError) error = NULL;
  TdRecordList *list = td_record_list_get (store, kind_id, &error);

  g_assert_no_error (error);
  return list;
}

static int
field_of (TdRecordList *list,
          const char   *column)
{
  int field = td_record_kind_field_index (td_record_list_get_kind (list), column);

  g_assert_cmpint (field, >=, 0);
  return field;
}

/* Adds a record through the core: @pairs are column, input, …, NULL. */
static TdRecord *
core_add (TdStore            *store,
          const char         *kind_id,
          const char * const *pairs)
{
  TdRecordList *list = get_list (store, kind_id);
  const TdRecordKind *kind = td_record_list_get_kind (list);
  g_autofree const char **inputs = g_new0 (const char *, kind->n_fields + 1);
  g_autoptr(GError) error = NULL;
  TdRecord *record;
  int bad = -1;

  for (guint i = 0; i < kind->n_fields; i++)
    inputs[i] = "";
  for (guint i = 0; pairs[i]; i += 2)
    inputs[field_of (list, pairs[i])] = pairs[i + 1];
  record = td_record_list_add (list, inputs, &bad, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

static TdRecord *
find_by_uuid (GListModel *model,
              const char *uuid,
              guint      *position)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TdRecord) record = g_list_model_get_item (model, i);

      if (g_strcmp0 (td_record_get_uuid (record), uuid) == 0)
        {
          if (position)
            *position = i;
          return record;
        }
    }
  return NULL;
}

/* Each kind: what to type, what to search, what to change. */
typedef struct
{
  const char         *kind;
  const char         *page;           /* the sidebar's */
  const char * const *before;         /* kind, column, input, …, NULL; NULL between records */
  const char * const *add;            /* column, input pairs typed in the editor */
  const char * const *added;          /* column, exported value pairs expected */
  const char * const *others;         /* two more records through the core, NULL between */
  const char         *footer;         /* in English, with all three */
  const char         *search;         /* finds only the record added */
  const char         *edit_column;
  const char         *edit_input;
  const char         *edit_stored;
  const char         *bad_column;     /* a value refused */
  const char         *bad_input;
} KindCase;

static const char * const programme_add[] = {
  "name", "数控车床操作工培训", "category", "企业职工技能培训", "field", "机械加工",
  "target_groups", "企业职工、农民工", "mode", "线下", "hours", "64", "places", "40",
  "certificate", "车工", "certificate_level", "四级", "subsidy_eligible", "是", "fee", "1,200元", NULL
};
static const char * const programme_added[] = {
  "category", "企业职工技能培训", "target_groups", "农民工、企业职工", "subsidy_eligible", "是",
  "fee", "1200", NULL
};
static const char * const programme_others[] = {
  "name", "电工上岗培训", "category", "key-groups", "places", "30", NULL,
  "name", "家政服务员培训", "category", "unemployed", "places", "25", NULL, NULL
};

static const char * const trainer_add[] = {
  "name", "张伟", "kind", "专职", "title", "中级", "dual_qualified", "是",
  "qualifications", "高级技师证书", "fields", "数控加工", NULL
};
static const char * const trainer_added[] = {
  "kind", "专职", "title", "中级", "dual_qualified", "是", NULL
};
static const char * const trainer_others[] = {
  "name", "李娜", "kind", "兼职", NULL,
  "name", "王强", "kind", "企业专家", NULL, NULL
};

static const char * const equipment_before[] = {
  "venues", "name", "实训楼A101", "kind", "实训基地", "capacity", "40", NULL, NULL
};
static const char * const equipment_add[] = {
  "name", "数控车床", "model", "CK6140", "quantity", "4", "unit_value", "85000",
  "venue_id", "实训楼A101", "year_acquired", "2021", "state", "在用", NULL
};
static const char * const equipment_added[] = {
  "venue_id", "实训楼A101", "state", "在用", "unit_value", "85000", NULL
};
static const char * const equipment_others[] = {
  "name", "钳工台", "quantity", "10", "unit_value", "1200", NULL,
  "name", "万用表", "quantity", "20", "unit_value", "150.5", NULL, NULL
};

static const char * const venue_add[] = {
  "name", "焊接实训车间", "kind", "车间", "area", "320.5", "capacity", "40", "address", "文化西路29号", NULL
};
static const char * const venue_added[] = {
  "kind", "车间", "area", "320.5", NULL
};
static const char * const venue_others[] = {
  "name", "多媒体教室201", "kind", "教室", "area", "80", "capacity", "50", NULL,
  "name", "线上学习平台", "kind", "线上平台", "capacity", "1000", NULL, NULL
};

static const char * const guarantee_add[] = {
  "title", "实训安全管理制度", "kind", "安全", "adopted_on", "2021年3月1日",
  "body", "第一条 进入实训场所须穿戴防护用品。\n\n第二条 设备须由专人操作。", NULL
};
static const char * const guarantee_added[] = {
  "adopted_on", "2021-03-01", "body", "第一条 进入实训场所须穿戴防护用品。\n\n第二条 设备须由专人操作。", NULL
};
static const char * const guarantee_others[] = {
  "title", "兼职教师聘用办法", "kind", "师资", NULL,
  "title", "培训质量评价办法", "kind", "质量", NULL, NULL
};

static const char * const result_before[] = {
  "programmes", "name", "数控车床操作工培训", "category", "enterprise-staff", "places", "40", NULL,
  "trainers", "name", "张伟", "kind", "full-time", NULL,
  "trainers", "name", "李娜", "kind", "part-time", NULL, NULL
};
static const char * const result_add[] = {
  "year", "2023", "programme_id", "数控车床操作工培训", "category", "企业职工技能培训",
  "target_group", "企业职工", "sessions", "2", "participants", "80", "hours_per_participant", "64",
  "certificates", "70", "employed", "75", "satisfaction", "96.5", "revenue", "96000",
  "partner", "济南二机床集团", "teaching", "张伟:16；李娜:8", NULL
};
static const char * const result_added[] = {
  "programme_id", "数控车床操作工培训", "target_group", "企业职工", "teaching", "张伟:16；李娜:8", NULL
};
static const char * const result_others[] = {
  "year", "2022", "category", "key-groups", "participants", "50", "hours_per_participant", "32",
  "certificates", "40", "employed", "45", "partner", "山东重工", NULL,
  "year", "2021", "category", "unemployed", "participants", "30", "hours_per_participant", "10",
  "certificates", "0", "employed", "0", NULL, NULL
};

static const KindCase cases[] = {
  { "programmes", "programmes", NULL, programme_add, programme_added, programme_others,
    "3 programmes", "数控", "hours", "72", "72", "hours", "很多" },
  { "trainers", "trainers", NULL, trainer_add, trainer_added, trainer_others,
    "3 trainers · 1 full-time · 1 part-time · 1 enterprise expert · 1 dual-qualified",
    "张伟", "kind", "兼职", "part-time", "name", "" },
  { "equipment", "equipment", equipment_before, equipment_add, equipment_added, equipment_others,
    "3 items · total quantity 34 · total value ¥355,010", "ck6140", "quantity", "5", "5",
    "year_acquired", "1800" },
  { "venues", "equipment", NULL, venue_add, venue_added, venue_others,
    "3 venues · total area 400.50 m² · capacity 1,090", "焊接", "capacity", "４５", "45", "area", "-5" },
  { "guarantees", "guarantees", NULL, guarantee_add, guarantee_added, guarantee_others,
    "3 guarantees", "安全管理", "adopted_on", "2022/9/1", "2022-09-01", "adopted_on", "2021-02-30" },
  { "results", "results", result_before, result_add, result_added, result_others,
    /* 7,020 person-hours ÷ 1,200 = 5.85: 6 whole students (docs/figures.md),
     * at the ratio the footer names. */
    "3 results · 160 participants · 110 certificates · 120 employed · 7,020 person-hours · "
    "6 full-time students at 1,200 person-hours a student a year",
    "二机床", "participants", "90", "90", "certificates", "95" },
};

/* Adds records given as runs of (column, input) pairs, each ended by NULL,
 * the whole by another NULL; with @kind_id NULL, each run starts with its kind. */
static void
core_add_all (TdStore            *store,
              const char         *kind_id,
              const char * const *runs)
{
  for (const char * const *p = runs; p && *p; )
    {
      const char *kind = kind_id ? kind_id : *p++;
      const char * const *start = p;

      while (*p)
        p += 2;
      core_add (store, kind, start);
      p++;
    }
}

static TdRecordPage *
show_records (TdWindow   *window,
              const char *page_name,
              const char *kind_id)
{
  GtkWidget *page;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", page_name));
  page = td_window_get_page_widget (window, page_name);
  if (TD_IS_EQUIPMENT_PAGE (page))
    {
      td_equipment_page_show_kind (TD_EQUIPMENT_PAGE (page), kind_id);
      g_assert_cmpstr (td_equipment_page_get_visible_kind (TD_EQUIPMENT_PAGE (page)), ==, kind_id);
      page = td_equipment_page_get_records_page (TD_EQUIPMENT_PAGE (page), kind_id);
    }
  g_assert_true (TD_IS_RECORD_PAGE (page));
  TD_TEST_WAIT_UNTIL (gtk_widget_get_mapped (page));
  return TD_RECORD_PAGE (page);
}

static TdRecordEditor *
open_editor (TdRecordPage *page,
             const char   *action)
{
  TdRecordEditor *editor;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), action, NULL));
  editor = td_record_page_get_editor (page);
  g_assert_nonnull (editor);
  TD_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (editor)));
  return editor;
}

static void
type_all (TdRecordEditor     *editor,
          TdRecordList       *list,
          const char * const *pairs)
{
  for (guint i = 0; pairs[i]; i += 2)
    td_record_editor_set_text (editor, field_of (list, pairs[i]), pairs[i + 1]);
}

static void
save (TdRecordPage   *page,
      TdRecordEditor *editor)
{
  g_assert_true (td_record_editor_get_can_save (editor));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  /* Closed, and gone. */
  TD_TEST_WAIT_UNTIL (td_record_page_get_editor (page) == NULL);
}

static void
search (TdRecordPage *page,
        const char   *text,
        guint         expected)
{
  GListModel *shown = td_record_page_get_shown (page);

  gtk_editable_set_text (td_record_page_get_search_entry (page), text);
  /* The search entry waits for a pause in typing. */
  TD_TEST_WAIT_UNTIL (g_list_model_get_n_items (shown) == expected);
}

static void
test_kind (gconstpointer data)
{
  const KindCase *c = data;
  TdStore *store = open_store ();
  TdRecordList *list = get_list (store, c->kind);
  GListModel *model = G_LIST_MODEL (list);
  TdWindow *window;
  TdRecordPage *page;
  TdRecordEditor *editor;
  TdRecord *record;
  g_autofree char *uuid = NULL;
  g_autofree char *name = NULL;
  GListModel *shown;
  guint position;
  int edit_field = field_of (list, c->edit_column);
  int bad_field = field_of (list, c->bad_column);

  core_add_all (store, NULL, c->before);
  window = td_test_open_window (store, 1180, 720);
  page = show_records (window, c->page, c->kind);
  shown = td_record_page_get_shown (page);

  /* Empty: the page says what to do first. */
  g_assert_cmpstr (td_record_page_get_state (page), ==, "empty");
  name = g_strdup_printf ("records-%s-empty", c->kind);
  td_test_save_screenshot (GTK_WIDGET (window), name);

  /* Add, through the editor. */
  editor = open_editor (page, "records.add");
  g_assert_null (td_record_editor_get_record (editor));
  /* Every kind has a required first field: nothing to save yet. */
  g_assert_false (td_record_editor_get_can_save (editor));
  type_all (editor, list, c->add);
  for (guint i = 0; c->add[i]; i += 2)
    g_assert_null (td_record_editor_get_message (editor, field_of (list, c->add[i])));
  g_free (name);
  name = g_strdup_printf ("records-%s-editor", c->kind);
  td_test_save_screenshot (GTK_WIDGET (editor), name);
  save (page, editor);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  record = g_list_model_get_item (model, 0);
  g_object_unref (record);
  uuid = g_strdup (td_record_get_uuid (record));
  for (guint i = 0; c->added[i]; i += 2)
    {
      g_autofree char *value = td_record_list_export (list, record, field_of (list, c->added[i]));

      g_assert_cmpstr (value, ==, c->added[i + 1]);
    }
  g_assert_cmpstr (td_record_page_get_state (page), ==, "list");
  /* The new record is selected. */
  g_assert_true (gtk_selection_model_is_selected (td_record_page_get_selection (page), 0));

  /* Two more, and the footer counts and sums the three. */
  core_add_all (store, c->kind, c->others);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 3);
  /* Counted once the changes are in, before the next frame. */
  if (!td_test_in_chinese ())
    TD_TEST_WAIT_UNTIL (g_strcmp0 (td_record_page_get_footer (page), c->footer) == 0);
  else
    TD_TEST_WAIT_UNTIL (g_str_has_prefix (td_record_page_get_footer (page), "3 "));
  if (td_test_in_chinese () && g_str_equal (c->kind, "results"))
    {
      g_test_message ("footer: %s", td_record_page_get_footer (page));
      g_assert_nonnull (strstr (td_record_page_get_footer (page), "按每生每年1,200学时折算，折合全日制学生 6 人"));
    }
  g_free (name);
  name = g_strdup_printf ("records-%s-list", c->kind);
  td_test_save_screenshot (GTK_WIDGET (window), name);

  /* Found by typing; nothing found says so. */
  search (page, c->search, 1);
  g_assert_true (find_by_uuid (shown, uuid, &position) == record);
  TD_TEST_WAIT_UNTIL (g_str_has_prefix (td_record_page_get_footer (page), "1 "));
  g_free (name);
  name = g_strdup_printf ("records-%s-search", c->kind);
  td_test_save_screenshot (GTK_WIDGET (window), name);
  search (page, "没有这样的记录", 0);
  g_assert_cmpstr (td_record_page_get_state (page), ==, "no-results");
  g_free (name);
  name = g_strdup_printf ("records-%s-no-results", c->kind);
  td_test_save_screenshot (GTK_WIDGET (window), name);
  search (page, c->search, 1);
  g_assert_cmpstr (td_record_page_get_state (page), ==, "list");

  /* Edited: the selected row, through the action. */
  gtk_selection_model_select_item (td_record_page_get_selection (page), position, TRUE);
  editor = open_editor (page, "records.edit");
  g_assert_true (td_record_editor_get_record (editor) == record);
  g_assert_true (td_record_editor_get_can_save (editor));
  td_record_editor_set_text (editor, edit_field, c->edit_input);
  save (page, editor);
  g_assert_cmpstr (td_record_get (record, edit_field), ==, c->edit_stored);
  g_assert_cmpstr (td_record_get_uuid (record), ==, uuid);

  /* Refused: the reason under the field, Save disabled, nothing written. */
  editor = open_editor (page, "records.edit");
  td_record_editor_set_text (editor, bad_field, c->bad_input);
  g_assert_nonnull (td_record_editor_get_message (editor, bad_field));
  g_assert_true (gtk_widget_has_css_class (td_record_editor_get_row (editor, bad_field), "error"));
  g_assert_false (td_record_editor_get_can_save (editor));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  td_test_iterate (20);
  g_assert_true (td_record_page_get_editor (page) == editor);
  g_free (name);
  name = g_strdup_printf ("records-%s-invalid", c->kind);
  td_test_save_screenshot (GTK_WIDGET (editor), name);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.cancel", NULL));
  TD_TEST_WAIT_UNTIL (td_record_page_get_editor (page) == NULL);
  g_assert_cmpstr (td_record_get (record, edit_field), ==, c->edit_stored);

  /* Deleted, with the search cleared: the selected row only. */
  search (page, "", 3);
  g_assert_nonnull (find_by_uuid (shown, uuid, &position));
  gtk_selection_model_select_item (td_record_page_get_selection (page), position, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "records.delete", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_null (find_by_uuid (model, uuid, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);
  g_free (name);
  name = g_strdup_printf ("records-%s-deleted", c->kind);
  td_test_save_screenshot (GTK_WIDGET (window), name);

  /* Undone: back, the same record. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "records.undo", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  record = find_by_uuid (model, uuid, NULL);
  g_assert_nonnull (record);
  g_assert_cmpstr (td_record_get (record, edit_field), ==, c->edit_stored);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 3);
  /* Nothing more to undo. */
  gtk_widget_activate_action (GTK_WIDGET (page), "records.undo", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  td_test_close_window (window);
  g_assert_finalize_object (store);
}

/* A programme with results is kept: the refusal is said, nothing goes. */
static void
test_refused_delete (void)
{
  TdStore *store = open_store ();
  static const char * const programme[] = { "name", "电工上岗培训", "category", "key-groups", "places", "30", NULL };
  static const char * const result[] = {
    "year", "2023", "programme_id", "电工上岗培训", "category", "key-groups", "participants", "10",
    "certificates", "0", "employed", "0", NULL
  };
  TdWindow *window;
  TdRecordPage *page;
  GtkWidget *dialog = NULL;

  core_add (store, "programmes", programme);
  core_add (store, "results", result);
  window = td_test_open_window (store, 1180, 720);
  page = show_records (window, "programmes", "programmes");
  gtk_selection_model_select_item (td_record_page_get_selection (page), 0, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "records.delete", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (get_list (store, "programmes"))), ==, 1);

  dialog = td_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_nonnull (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)));
  TD_TEST_WAIT_UNTIL (gtk_widget_get_mapped (dialog));
  td_test_save_screenshot (dialog, "records-refused-delete");
  gtk_window_destroy (GTK_WINDOW (dialog));

  td_test_close_window (window);
  g_assert_finalize_object (store);
}

/* Several rows deleted in one go, undone in one go. */
static void
test_delete_several (void)
{
  TdStore *store = open_store ();
  TdRecordList *list = get_list (store, "trainers");
  TdWindow *window;
  TdRecordPage *page;
  GtkSelectionModel *selection;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *trainer_name = g_strdup_printf ("教师%u", i);
      const char * const trainer[] = { "name", trainer_name, "kind", "part-time", NULL };

      core_add (store, "trainers", trainer);
    }
  window = td_test_open_window (store, 1180, 720);
  page = show_records (window, "trainers", "trainers");
  selection = td_record_page_get_selection (page);
  gtk_selection_model_select_range (selection, 1, 3, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "records.delete", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "records.undo", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 5);

  td_test_close_window (window);
  g_assert_finalize_object (store);
}

/* The shortcut controllers of @w in @phase, in order: the first with a
 * shortcut for @keyval runs it. A key controller met first (a search
 * entry's key capture on the list, say, which forwards the key to the
 * entry) would take the key: fails.
 * Key controllers cannot be run without a real event, hence the model. */
static gboolean
press_key_on (GtkWidget         *w,
              GtkPropagationPhase phase,
              guint              keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (w);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (gtk_event_controller_get_propagation_phase (controller) != phase)
        continue;
      /* The window's own (focus-visible, mnemonics) lets keys through. */
      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) && !GTK_IS_ROOT (w))
        g_error ("A key controller of %s takes the key before any shortcut", G_OBJECT_TYPE_NAME (w));
      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0 &&
              gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, w,
                                            gtk_shortcut_get_arguments (shortcut)))
            return TRUE;
        }
    }
  return FALSE;
}

/* What pressing @keyval does with the keyboard focus where it is, as GTK
 * dispatches it: the capture phase from the window down to the focus
 * widget, then the bubble phase back up. Returns the widget whose
 * shortcut ran. */
static GtkWidget *
press_key (GtkWidget *root,
           guint      keyval)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (root));
  g_autoptr(GPtrArray) path = g_ptr_array_new ();

  g_assert_nonnull (focus);
  for (GtkWidget *w = focus; w; w = gtk_widget_get_parent (w))
    g_ptr_array_insert (path, 0, w);
  for (guint i = 0; i < path->len; i++)
    if (press_key_on (g_ptr_array_index (path, i), GTK_PHASE_CAPTURE, keyval))
      return g_ptr_array_index (path, i);
  for (guint i = path->len; i-- > 0;)
    if (press_key_on (g_ptr_array_index (path, i), GTK_PHASE_BUBBLE, keyval))
      return g_ptr_array_index (path, i);
  return NULL;
}

/* Issue 13: the Delete key deletes the rows selected in the list that has
 * the keyboard focus, with the undo toast; Ctrl+Z brings them back. */
static void
test_delete_key (void)
{
  TdStore *store = open_store ();
  TdRecordList *list = get_list (store, "trainers");
  TdWindow *window;
  TdRecordPage *page;
  GtkSelectionModel *selection;
  GtkWidget *ran;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *trainer_name = g_strdup_printf ("教师%u", i);
      const char * const trainer[] = { "name", trainer_name, "kind", "part-time", NULL };

      core_add (store, "trainers", trainer);
    }
  window = td_test_open_window (store, 1180, 720);
  page = show_records (window, "trainers", "trainers");
  selection = td_record_page_get_selection (page);
  gtk_selection_model_select_item (selection, 1, TRUE);
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (td_record_page_get_list_view (page))));
  td_test_iterate (50);
  /* In the list: the list view itself, or one of its rows. */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == GTK_WIDGET (td_record_page_get_list_view (page)) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                         GTK_WIDGET (td_record_page_get_list_view (page))));
  /* Its icon buttons say what they do, to the eye and to a screen reader. */
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (page)); w; )
    {
      if (GTK_IS_BUTTON (w) && gtk_button_get_icon_name (GTK_BUTTON (w)) != NULL)
        {
          g_assert_nonnull (gtk_widget_get_tooltip_text (w));
          g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL));
        }
      /* Depth first. */
      if (gtk_widget_get_first_child (w))
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w && w != GTK_WIDGET (page) && !gtk_widget_get_next_sibling (w))
            w = gtk_widget_get_parent (w);
          w = w && w != GTK_WIDGET (page) ? gtk_widget_get_next_sibling (w) : NULL;
        }
    }
  ran = press_key (GTK_WIDGET (window), GDK_KEY_Delete);
  g_assert_true (ran == GTK_WIDGET (td_record_page_get_list_view (page)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "records.undo", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);

  td_test_close_window (window);
  g_assert_finalize_object (store);
}

/* The import dialog of @page, shown, its preview done. */
static TdImportDialog *
wait_for_preview (TdRecordPage *page)
{
  TdImportDialog *dialog = NULL;

  TD_TEST_WAIT_UNTIL ((dialog = td_record_page_get_import_dialog (page)) != NULL &&
              gtk_widget_get_mapped (GTK_WIDGET (dialog)) &&
              !td_import_dialog_is_busy (dialog) &&
              td_import_dialog_get_summary (dialog) != NULL);
  return dialog;
}

/* Chooses @field (-1: Ignore) for @column in the dialog's drop-down, as
 * a click or the keyboard does, and waits for the preview made again. */
static void
choose_field (TdImportDialog *dialog,
              guint           column,
              int             field)
{
  GtkDropDown *drop_down = td_import_dialog_get_drop_down (dialog, column);

  gtk_drop_down_set_selected (drop_down, field + 1);
  g_assert_true (td_import_dialog_is_busy (dialog));
  /* Import waits for the preview. */
  g_assert_false (td_import_dialog_get_can_import (dialog));
  TD_TEST_WAIT_UNTIL (!td_import_dialog_is_busy (dialog));
}

static int
selected_field (TdImportDialog *dialog,
                guint           column)
{
  return (int)gtk_drop_down_get_selected (td_import_dialog_get_drop_down (dialog, column)) - 1;
}

/* What the page shows goes to a file, and comes back from it. */
static void
test_export_import (void)
{
  TdStore *store = open_store ();
  TdRecordList *list = get_list (store, "trainers");
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "师资.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(TdDeletion) deletion = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  TdWindow *window;
  TdRecordPage *page;
  TdImportDialog *dialog;

  core_add_all (store, "trainers", trainer_others);
  core_add (store, "trainers", (const char * const[]) { "name", "张伟", "kind", "专职", "dual_qualified", "是", NULL });
  window = td_test_open_window (store, 1180, 720);
  page = show_records (window, "trainers", "trainers");

  td_record_page_export_to (page, path);
  /* Written off the main loop. */
  TD_TEST_WAIT_UNTIL (!td_record_page_is_exporting (page));
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "姓名,类别"));
  g_assert_nonnull (strstr (text, "张伟,专职"));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    g_ptr_array_add (records, g_list_model_get_item (G_LIST_MODEL (list), i));
  deletion = td_record_list_delete (list, (TdRecord **)records->pdata, records->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  /* Previewed first: nothing is written before the user says so. */
  td_record_page_import_from (page, path);
  dialog = wait_for_preview (page);
  g_assert_nonnull (strstr (td_import_dialog_get_summary (dialog), "3"));
  g_assert_true (td_import_dialog_get_can_import (dialog));
  g_assert_cmpuint (td_import_dialog_get_n_problems_shown (dialog), ==, 0);
  /* Every column has its field. */
  for (guint c = 0; c < td_import_get_n_columns (td_import_dialog_get_import (dialog)); c++)
    g_assert_cmpint (selected_field (dialog, c), >=, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  td_test_save_screenshot (GTK_WIDGET (dialog), "records-import-preview");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.commit", NULL));
  TD_TEST_WAIT_UNTIL (td_record_page_get_import_dialog (page) == NULL);
  TD_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (list)) == 3);
  TD_TEST_WAIT_UNTIL (g_list_model_get_n_items (td_record_page_get_shown (page)) == 3);

  td_test_close_window (window);
  g_assert_finalize_object (store);
}

/* A file whose headers are not the documented ones: the user says which
 * column fills which field, sees the preview change, and imports. */
static void
test_import_mapping (void)
{
  TdStore *store = open_store ();
  TdRecordList *list = get_list (store, "trainers");
  const TdRecordKind *kind = td_record_list_get_kind (list);
  int name_field = field_of (list, "name");
  int kind_field = field_of (list, "kind");
  int title_field = field_of (list, "title");
  int qualifications = field_of (list, "qualifications");
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "teachers.csv", NULL);
  g_autoptr(GError) error = NULL;
  TdWindow *window;
  TdRecordPage *page;
  TdImportDialog *dialog;
  GtkWidget *import_button;
  TdRecord *zhang = NULL;

  /* "Teacher" and "Remarks" name no field; 类别 and 职称 are documented. */
  g_assert_true (g_file_set_contents (path,
                                      "Teacher,类别,职称,Remarks\r\n"
                                      "张伟,专职,中级,高级技师\r\n"
                                      "李娜,兼职,初级,\r\n"
                                      "王强,企业专家,,外聘\r\n",
                                      -1, &error));
  g_assert_no_error (error);

  window = td_test_open_window (store, 1180, 720);
  page = show_records (window, "trainers", "trainers");

  /* The name has no column: said, and nothing to import. */
  td_record_page_import_from (page, path);
  dialog = wait_for_preview (page);
  g_assert_cmpint (selected_field (dialog, 0), ==, -1);
  g_assert_cmpint (selected_field (dialog, 1), ==, kind_field);
  g_assert_cmpint (selected_field (dialog, 2), ==, title_field);
  g_assert_cmpint (selected_field (dialog, 3), ==, -1);
  g_assert_nonnull (strstr (td_import_dialog_get_summary (dialog), kind->fields[name_field].header));
  g_assert_false (td_import_dialog_get_can_import (dialog));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "import.commit", NULL);
  td_test_iterate (20);
  g_assert_true (td_record_page_get_import_dialog (page) == dialog);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  td_test_save_screenshot (GTK_WIDGET (dialog), "records-import-mapping-missing");

  /* "Teacher" is the name: three new trainers. */
  choose_field (dialog, 0, name_field);
  g_assert_true (td_import_dialog_get_can_import (dialog));
  g_assert_nonnull (strstr (td_import_dialog_get_summary (dialog), "3"));
  g_assert_cmpuint (td_import_get_count (td_import_dialog_get_import (dialog), TD_IMPORT_NEW), ==, 3);

  /* 职称 taken for the kind: 类别 is ignored now, and every row is refused,
   * each with its line. */
  choose_field (dialog, 2, kind_field);
  g_assert_cmpint (selected_field (dialog, 1), ==, -1);
  g_assert_false (td_import_dialog_get_can_import (dialog));
  g_assert_cmpuint (td_import_dialog_get_n_problems_shown (dialog), ==, 3);
  {
    const TdImportProblem *problem = td_import_get_problem (td_import_dialog_get_import (dialog), 0);

    g_assert_cmpuint (problem->line, ==, 2);
    g_assert_cmpstr (problem->column, ==, "职称");
  }
  td_test_save_screenshot (GTK_WIDGET (dialog), "records-import-mapping-problems");

  /* Put right, and Remarks as the qualifications. */
  choose_field (dialog, 2, title_field);
  choose_field (dialog, 1, kind_field);
  choose_field (dialog, 3, qualifications);
  g_assert_true (td_import_dialog_get_can_import (dialog));
  g_assert_cmpuint (td_import_dialog_get_n_problems_shown (dialog), ==, 0);
  /* The default button is Import, enabled. */
  import_button = gtk_window_get_default_widget (GTK_WINDOW (dialog));
  g_assert_nonnull (import_button);
  g_assert_true (gtk_widget_is_sensitive (import_button));
  td_test_save_screenshot (GTK_WIDGET (dialog), "records-import-mapping");

  /* Nothing written yet; then all of it. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.commit", NULL));
  TD_TEST_WAIT_UNTIL (td_record_page_get_import_dialog (page) == NULL);
  TD_TEST_WAIT_UNTIL (g_list_model_get_n_items (td_record_page_get_shown (page)) == 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(TdRecord) record = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (g_str_equal (td_record_get (record, name_field), "张伟"))
        zhang = record;
    }
  g_assert_nonnull (zhang);
  g_assert_cmpstr (td_record_get (zhang, kind_field), ==, "full-time");
  g_assert_cmpstr (td_record_get (zhang, title_field), ==, "intermediate");
  g_assert_cmpstr (td_record_get (zhang, qualifications), ==, "高级技师");
  search (page, "外聘", 1);
  search (page, "", 3);

  /* The same file again: every row already there, nothing to import;
   * cancelled (Escape), nothing changes. */
  td_record_page_import_from (page, path);
  dialog = wait_for_preview (page);
  choose_field (dialog, 0, name_field);
  choose_field (dialog, 3, qualifications);
  g_assert_cmpuint (td_import_get_count (td_import_dialog_get_import (dialog), TD_IMPORT_UNCHANGED), ==, 3);
  g_assert_false (td_import_dialog_get_can_import (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.cancel", NULL));
  TD_TEST_WAIT_UNTIL (td_record_page_get_import_dialog (page) == NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);

  td_test_close_window (window);
  g_assert_finalize_object (store);
}

/* Updates @column of @record to @input through the core, as an edit does. */
static void
core_update (TdStore    *store,
             const char *kind_id,
             TdRecord   *record,
             const char *column,
             const char *input)
{
  TdRecordList *list = get_list (store, kind_id);
  const TdRecordKind *kind = td_record_list_get_kind (list);
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  for (guint f = 0; f < kind->n_fields; f++)
    g_ptr_array_add (inputs, (int)f == field_of (list, column) ? g_strdup (input)
                                                              : td_record_list_export (list, record, f));
  g_ptr_array_add (inputs, NULL);
  g_assert_true (td_record_list_update (list, record, (const char * const *)inputs->pdata, NULL, &error));
  g_assert_no_error (error);
}

static TdRecord *
first_shown (TdRecordPage *page)
{
  g_autoptr(TdRecord) record = g_list_model_get_item (td_record_page_get_shown (page), 0);

  return record;
}

static gboolean
hours_are (TdRecordPage *page,
           TdRecord     *record,
           const char   *expected)
{
  g_autofree char *text = td_record_page_dup_hours_text (page, record);

  return g_strcmp0 (text, expected) == 0;
}

static void
assert_hours (TdRecordPage *page,
              TdRecord     *record,
              const char   *expected)
{
  g_autofree char *text = td_record_page_dup_hours_text (page, record);

  g_assert_cmpstr (text, ==, expected);
}

/* Issue 13: an equipment sheet before its venues, with a state the app
 * does not know ("使用中"). Through the dialog: the missing venue is
 * created with the rows, the state mapped to 在用; the next import of the
 * same sheet asks nothing. */
static void
test_import_fixes (void)
{
  TdStore *store = open_store ();
  TdRecordList *equipment = get_list (store, "equipment");
  TdRecordList *venues = get_list (store, "venues");
  int state_field = field_of (equipment, "state");
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "equipment-office.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdRecord) item = NULL;
  TdWindow *window;
  TdRecordPage *page;
  TdImportDialog *dialog;
  AdwComboRow *row;

  g_assert_true (g_file_set_contents (path,
                                      "名称,型号,数量,单价,场所,购置年份,状态\r\n"
                                      "数控车床,CK6140,3,85000,数控实训中心,2019,使用中\r\n"
                                      "台钻,Z4116,2,3000,数控实训中心,2021,闲置\r\n",
                                      -1, &error));
  g_assert_no_error (error);
  window = td_test_open_window (store, 1180, 720);
  page = show_records (window, "equipment", "equipment");

  td_record_page_import_from (page, path);
  dialog = wait_for_preview (page);
  g_assert_false (td_import_dialog_get_can_import (dialog));
  g_assert_nonnull (td_import_dialog_get_create_switch (dialog));
  g_assert_false (gtk_switch_get_active (td_import_dialog_get_create_switch (dialog)));
  g_assert_nonnull (td_import_dialog_get_choice_row (dialog, 0));
  g_assert_null (td_import_dialog_get_choice_row (dialog, 1));
  td_test_save_screenshot (GTK_WIDGET (dialog), "records-import-fixes");

  gtk_switch_set_active (td_import_dialog_get_create_switch (dialog), TRUE);
  TD_TEST_WAIT_UNTIL (!td_import_dialog_is_busy (dialog));
  g_assert_true (gtk_switch_get_active (td_import_dialog_get_create_switch (dialog)));
  g_assert_false (td_import_dialog_get_can_import (dialog));
  /* 在用 is the first of the states: after "Not mapped". */
  row = td_import_dialog_get_choice_row (dialog, 0);
  adw_combo_row_set_selected (row, 1);
  TD_TEST_WAIT_UNTIL (!td_import_dialog_is_busy (dialog));
  g_assert_true (td_import_dialog_get_can_import (dialog));
  td_test_save_screenshot (GTK_WIDGET (dialog), "records-import-fixes-chosen");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.commit", NULL));
  TD_TEST_WAIT_UNTIL (td_record_page_get_import_dialog (page) == NULL);
  TD_TEST_WAIT_UNTIL (g_list_model_get_n_items (td_record_page_get_shown (page)) == 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (venues)), ==, 1);
  for (guint i = 0; i < 2 && item == NULL; i++)
    {
      g_autoptr(TdRecord) r = g_list_model_get_item (G_LIST_MODEL (equipment), i);

      if (g_str_equal (td_record_get (r, field_of (equipment, "name")), "数控车床"))
        item = g_steal_pointer (&r);
    }
  g_assert_nonnull (item);
  g_assert_cmpstr (td_record_get (item, state_field), ==, "in-use");
  g_clear_object (&item);

  /* Again: nothing to ask, nothing to import. */
  td_record_page_import_from (page, path);
  dialog = wait_for_preview (page);
  g_assert_null (td_import_dialog_get_create_switch (dialog));
  g_assert_cmpuint (td_import_get_count (td_import_dialog_get_import (dialog), TD_IMPORT_UNCHANGED), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.cancel", NULL));
  TD_TEST_WAIT_UNTIL (td_record_page_get_import_dialog (page) == NULL);

  td_test_close_window (window);
  g_assert_finalize_object (store);
}

/* Issue 13: a figure in a cell reads as the footer writes it (grouped as
 * the locale groups digits, money with ¥); a year is no figure. */
static void
test_cell_format (void)
{
  TdStore *store = open_store ();
  TdRecordList *equipment = get_list (store, "equipment");
  const char * const item[] = { "name", "数控车床", "model", "CK6140", "quantity", "12000",
                                "unit_value", "128000", "year_acquired", "2019", NULL };
  /* Grouped in every language, in C too: zh_CN groups by "," as well. */
  const char *money = "¥128,000";
  const char *quantity = "12,000";
  g_autoptr(TdRecord) record = NULL;
  g_autofree char *value_text = NULL;
  g_autofree char *quantity_text = NULL;
  g_autofree char *year_text = NULL;
  g_autofree char *row_label = NULL;
  g_autofree char *name_title = NULL;
  TdRecordRow *row;
  TdWindow *window;
  TdRecordPage *page;

  core_add (store, "equipment", item);
  window = td_test_open_window (store, 1180, 720);
  page = show_records (window, "equipment", "equipment");
  record = g_list_model_get_item (G_LIST_MODEL (equipment), 0);
  value_text = td_record_page_dup_cell_text (page, record, field_of (equipment, "unit_value"));
  quantity_text = td_record_page_dup_cell_text (page, record, field_of (equipment, "quantity"));
  year_text = td_record_page_dup_cell_text (page, record, field_of (equipment, "year_acquired"));
  g_assert_cmpstr (value_text, ==, money);
  g_assert_cmpstr (quantity_text, ==, quantity);
  g_assert_cmpstr (year_text, ==, "2019");
  /* The footer's total, written the same way. */
  g_assert_nonnull (strstr (td_record_page_get_footer (page), quantity));
  g_clear_object (&record);

  /* A screen reader reads the row (one widget, TdRecordRow) as its
   * columns, each after its title, in the window's language. */
  td_test_iterate (5);
  /* The page's one record, so its first row. */
  row = (TdRecordRow *) td_test_find_descendant (GTK_WIDGET (page), TD_TYPE_RECORD_ROW);
  g_assert_nonnull (row);
  g_assert_cmpstr (td_record_row_get_text (row, 0), ==, "数控车床");
  row_label = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, "");
  g_assert_nonnull (row_label);
  g_test_message ("row read as: %s", row_label);
  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_ROLE_ROW));
  name_title = g_strdup_printf (td_test_in_chinese () ? "名称：%s" : "Name: %s", "数控车床");
  g_assert_nonnull (strstr (row_label, name_title));
  g_assert_nonnull (strstr (row_label, money));
  g_assert_nonnull (strstr (row_label, td_test_in_chinese () ? "，" : ", "));

  td_test_close_window (window);
  g_assert_finalize_object (store);
}

/* A sheet of 1,234 programmes: the dialog's summary and the toast after
 * it group the count by thousands, in English (the C locale groups
 * nothing) as in Chinese. */
static void
test_import_counts_grouped (void)
{
  TdStore *store = open_store ();
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "programmes.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("名称,类别,培训人数\r\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *new_line = g_strdup_printf (_("New: %s"), "1,234");
  TdWindow *window;
  TdRecordPage *page;
  TdImportDialog *dialog;

  for (guint i = 0; i < 1234; i++)
    g_string_append_printf (csv, "培训项目%u,企业职工技能培训,40\r\n", i);
  g_assert_true (g_file_set_contents (path, csv->str, -1, &error));
  g_assert_no_error (error);
  window = td_test_open_window (store, 1180, 720);
  page = show_records (window, "programmes", "programmes");

  td_record_page_import_from (page, path);
  dialog = wait_for_preview (page);
  g_test_message ("summary: %s", td_import_dialog_get_summary (dialog));
  g_assert_nonnull (strstr (td_import_dialog_get_summary (dialog), new_line));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.commit", NULL));
  TD_TEST_WAIT_UNTIL (td_record_page_get_import_dialog (page) == NULL);
  TD_TEST_WAIT_UNTIL (g_list_model_get_n_items (td_record_page_get_shown (page)) == 1234);
  TD_TEST_WAIT_UNTIL (g_str_has_prefix (td_record_page_get_footer (page), "1,234 "));
  g_test_message ("footer: %s", td_record_page_get_footer (page));

  td_test_close_window (window);
  /* Released, though not at once: a worker that read the 1,234 rows for
   * the charts or the Overview lets go of it when it ends. */
  {
    gpointer weak = store;

    g_object_add_weak_pointer (G_OBJECT (store), &weak);
    g_object_unref (store);
    TD_TEST_WAIT_UNTIL (weak == NULL);
  }
}

/* The first AdwEntryRow under @widget titled @title. */
static AdwEntryRow *
find_entry_row (GtkWidget  *widget,
                const char *title)
{
  if (ADW_IS_ENTRY_ROW (widget) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return ADW_ENTRY_ROW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      AdwEntryRow *found = find_entry_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Types @text into @row and applies it, as its ✓ button does. */
static void
apply_ratio (AdwEntryRow *row,
             const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "apply");
}

static gboolean
footer_has (TdRecordPage *page,
            const char   *expected)
{
  return td_record_page_get_footer (page) != NULL && strstr (td_record_page_get_footer (page), expected) != NULL;
}

/* The Results page's footer states the full-time-student basis; the ratio
 * is set on the Overview and on the Intent Form page, and the footer
 * follows either at once, the Results page shown or not (it followed
 * only a reload before). */
static void
test_ratio_follows (void)
{
  TdStore *store = open_store ();
  TdWindow *window;
  TdRecordPage *page;
  AdwEntryRow *overview_row, *form_row;
  g_autofree char *at_1200 = g_strdup_printf (_("%s full-time students at %s person-hours a student a year"),
                                              "6", "1,200");
  g_autofree char *at_600 = g_strdup_printf (_("%s full-time students at %s person-hours a student a year"),
                                             "12", "600");
  g_autofree char *at_7000 = g_strdup_printf (_("%s full-time students at %s person-hours a student a year"),
                                              "1", "7,000");
  g_autofree char *unchanged = NULL;

  core_add_all (store, NULL, result_before);
  core_add_all (store, "results", result_others);
  /* 2019: in the built-in campaign's years, so that the draft counts it. */
  core_add (store, "results", (const char * const[]) { "year", "2019", "category", "enterprise-staff",
                                                       "participants", "80", "hours_per_participant", "64",
                                                       "certificates", "70", "employed", "75", NULL });
  window = td_test_open_window (store, 1180, 720);
  page = show_records (window, "results", "results");
  /* 7,020 person-hours ÷ 1,200: 6. */
  TD_TEST_WAIT_UNTIL (footer_has (page, at_1200));

  overview_row = find_entry_row (td_window_get_page_widget (window, "overview"),
                                 _("Person-hours per full-time student"));
  form_row = find_entry_row (td_window_get_page_widget (window, "form"),
                             _("Person-hours per full-time student a year"));
  g_assert_nonnull (overview_row);
  g_assert_nonnull (form_row);

  /* On the Overview, the Results page still shown: 7,020 ÷ 600 = 11.7. */
  apply_ratio (overview_row, "600");
  TD_TEST_WAIT_UNTIL (footer_has (page, at_600));
  g_assert_null (strstr (td_record_page_get_footer (page), at_1200));

  /* On the Intent Form page, that page shown; typed with a separator. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "form"));
  apply_ratio (form_row, "7,000");
  TD_TEST_WAIT_UNTIL (footer_has (page, at_7000));
  /* The drafted text states it, and its basis lists it. */
  {
    TdFormPage *form_page = TD_FORM_PAGE (td_window_get_page_widget (window, "form"));

    g_autoptr(GPtrArray) basis = NULL;

    TD_TEST_WAIT_UNTIL (strstr (td_form_get (td_form_page_get_form (form_page), TD_FORM_RESULTS), "按每生每年7000学时折算") != NULL);
    basis = td_form_page_get_basis_values (form_page, TD_FORM_RESULTS);
    g_assert_true (g_ptr_array_find_with_equal_func (basis, "7000", g_str_equal, NULL));
  }
  /* And the Overview's own row says it too, once shown (a page not yet
   * painted keeps its figures until it is). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "overview"));
  TD_TEST_WAIT_UNTIL (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (overview_row)), "7,000") == 0);

  /* A ratio refused changes nothing. */
  unchanged = g_strdup (td_record_page_get_footer (page));
  apply_ratio (overview_row, "0");
  td_test_iterate (50);
  g_assert_cmpstr (td_record_page_get_footer (page), ==, unchanged);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (overview_row), "error"));

  td_test_close_window (window);
  g_assert_finalize_object (store);
}

/* Each trainer's training hours in the latest year: a column of the
 * trainers' list, sortable, following the results. */
static void
test_trainer_hours (void)
{
  TdStore *store = open_store ();
  static const char * const programme[] = { "name", "数控车床操作工培训", "category", "enterprise-staff", "places", "40", NULL };
  static const char * const r2022[] = {
    "year", "2022", "programme_id", "数控车床操作工培训", "category", "enterprise-staff", "participants", "20",
    "certificates", "0", "employed", "0", "teaching", "张伟:40；王强:6", NULL
  };
  static const char * const r2023[] = {
    "year", "2023", "programme_id", "数控车床操作工培训", "category", "enterprise-staff", "participants", "40",
    "certificates", "0", "employed", "0", "teaching", "张伟:16；李娜:8", NULL
  };
  static const char * const r2023b[] = {
    "year", "2023", "category", "key-groups", "participants", "10",
    "certificates", "0", "employed", "0", "teaching", "李娜:4.5", NULL
  };
  static const char * const r2024[] = {
    "year", "2024", "category", "unemployed", "participants", "10",
    "certificates", "0", "employed", "0", "teaching", "王强:6", NULL
  };
  TdRecord *zhang, *li, *wang, *result;
  GtkColumnViewColumn *column;
  GtkColumnView *column_view;
  TdWindow *window;
  TdRecordPage *page;

  zhang = core_add (store, "trainers", (const char * const[]) { "name", "张伟", "kind", "full-time", NULL });
  li = core_add (store, "trainers", (const char * const[]) { "name", "李娜", "kind", "part-time", NULL });
  wang = core_add (store, "trainers", (const char * const[]) { "name", "王强", "kind", "enterprise-expert", NULL });
  core_add (store, "programmes", programme);
  core_add (store, "results", r2022);
  result = core_add (store, "results", r2023);
  core_add (store, "results", r2023b);

  window = td_test_open_window (store, 1180, 720);
  page = show_records (window, "trainers", "trainers");
  column = td_record_page_get_hours_column (page);
  column_view = td_record_page_get_column_view (page);
  g_assert_nonnull (column);

  /* 2023, the latest year: 16, 8 + 4.5, and none. */
  TD_TEST_WAIT_UNTIL (gtk_column_view_column_get_visible (column));
  g_assert_nonnull (strstr (gtk_column_view_column_get_title (column), "2023"));
  if (!td_test_in_chinese ())
    g_assert_cmpstr (gtk_column_view_column_get_title (column), ==, "Training hours (2023)");
  assert_hours (page, zhang, "16");
  assert_hours (page, li, "12.50");
  assert_hours (page, wang, "0");

  /* Sorted by it, most first, then fewest first. */
  gtk_column_view_sort_by_column (column_view, column, GTK_SORT_DESCENDING);
  g_assert_true (first_shown (page) == zhang);
  gtk_column_view_sort_by_column (column_view, column, GTK_SORT_ASCENDING);
  g_assert_true (first_shown (page) == wang);
  gtk_column_view_sort_by_column (column_view, column, GTK_SORT_DESCENDING);
  td_test_save_screenshot (GTK_WIDGET (window), "records-trainers-hours");

  /* A result edited: the hours follow, and the order with them. */
  core_update (store, "results", result, "teaching", "李娜:20");
  TD_TEST_WAIT_UNTIL (hours_are (page, li, "24.50"));
  assert_hours (page, zhang, "0");
  g_assert_true (first_shown (page) == li);

  /* A new year: the column is about it. */
  core_add (store, "results", r2024);
  TD_TEST_WAIT_UNTIL (strstr (gtk_column_view_column_get_title (column), "2024") != NULL);
  assert_hours (page, wang, "6");
  assert_hours (page, li, "0");
  g_assert_true (first_shown (page) == wang);

  td_test_close_window (window);
  g_assert_finalize_object (store);
}

int
main (int   argc,
      char *argv[])
{
  td_test_ui_main_init (&argc, &argv);
  td_test_ui_load_style ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/record-pages/%s", cases[i].kind);

      g_test_add_data_func (path, &cases[i], test_kind);
    }
  g_test_add_func ("/record-pages/refused-delete", test_refused_delete);
  g_test_add_func ("/record-pages/delete-several", test_delete_several);
  g_test_add_func ("/record-pages/delete-key", test_delete_key);
  g_test_add_func ("/record-pages/cell-format", test_cell_format);
  g_test_add_func ("/record-pages/ratio-follows", test_ratio_follows);
  g_test_add_func ("/record-pages/import-counts-grouped", test_import_counts_grouped);
  g_test_add_func ("/record-pages/export-import", test_export_import);
  g_test_add_func ("/record-pages/import-mapping", test_import_mapping);
  g_test_add_func ("/record-pages/import-fixes", test_import_fixes);
  g_test_add_func ("/record-pages/trainer-hours", test_trainer_hours);

  return g_test_run ();
}
