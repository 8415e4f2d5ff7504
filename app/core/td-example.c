/* td-example.c: a realistic, generated school
 *
 * A secondary vocational school in Jinan, Shandong, with programmes,
 * trainers, venues, equipment, guarantees and years of results, all drawn
 * from one GRand seeded by the caller: the same seed gives the same school
 * (but for the UUIDs and timestamps, which the database makes, and the
 * years of results, which end with the last year the current campaign
 * reports). Trainers' names are unique, no two results share the key the
 * import matches them by (its own exports re-import unchanged), and the
 * phone number reaches no one. For demonstrations, tests
 * and benchmarks; everything is written in one transaction through cached,
 * bound statements.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-example"

#include "config.h"

#include <string.h>

#include "td-campaign.h"
#include "td-example.h"
#include "td-example-classes.h"
#include "td-store-private.h"

/* Content ---------------------------------------------------------------- */

/* The most common surnames, those of Shandong first: picked with a bias
 * towards the head of the list. */
static const char * const surnames[] = {
  "王", "张", "李", "刘", "赵", "孙", "陈", "杨", "徐", "高",
  "马", "于", "郭", "宋", "周", "吴", "孔", "韩", "朱", "胡",
  "董", "田", "林", "曹", "崔", "邢", "颜", "程", "冯", "贾",
  "杜", "魏", "薛", "任", "姜", "丁", "侯", "郑", "谢", "许",
  "袁", "邵", "孟", "秦", "曲", "鲁", "毕", "牛", "范", "商",
};

static const char * const given_chars[] = {
  "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
  "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平", "刚",
  "华", "玉", "兰", "萍", "红", "鹏", "飞", "辉", "斌", "宁",
  "浩", "凯", "鑫", "晨", "建", "国", "志", "海", "峰", "文",
  "雪", "梅", "琳", "丹", "晓", "燕", "宇", "婷", "慧", "佳",
  "亮", "波", "东", "庆", "春", "秀", "振", "立", "新", "永",
};

typedef struct
{
  const char *name;
  const char *certificate;   /* the occupation certified */
} Course;

typedef struct
{
  const char *name;
  const char *models[3];
  guint       value_min;     /* yuan */
  guint       value_max;
  guint       quantity_min;
  guint       quantity_max;
} Item;

typedef struct
{
  const char *name;          /* 数控加工 */
  gboolean    online_friendly;
  Course      courses[4];
  Item        items[5];
} Field;

static const Field fields[] = {
  { "智能制造", FALSE,
    { { "工业机器人操作与运维", "工业机器人系统操作员" },
      { "智能制造生产线安装调试", "智能制造工程技术人员" },
      { "PLC编程与应用", "可编程控制系统设计师" },
      { "工业视觉系统运维", "工业视觉系统运维员" } },
    { { "六轴工业机器人", { "ABB IRB 120", "FANUC LR Mate 200iD", "埃斯顿 ER3-600" }, 80000, 200000, 1, 4 },
      { "PLC实训台", { "西门子 S7-1200", "三菱 FX5U", "汇川 H5U" }, 12000, 30000, 4, 20 },
      { "智能制造生产线实训系统", { "亚龙 YL-569", "天煌 THMSRX-3", "博诺 BNRT-IMTS" }, 300000, 900000, 1, 1 },
      { "工业视觉实训台", { "海康 MV-VS", "基恩士 CV-X", "欧姆龙 FH-L" }, 20000, 60000, 2, 8 },
      { "伺服运动控制实训装置", { "汇川 IS620", "台达 ASDA-B3", "松下 A6" }, 8000, 20000, 4, 12 } } },
  { "数控加工", FALSE,
    { { "数控车床操作", "数控车工" },
      { "数控铣床操作", "数控铣工" },
      { "加工中心操作", "加工中心操作工" },
      { "普通车床操作", "车工" } },
    { { "数控车床", { "沈阳机床 CAK6150", "大连机床 CKA6150", "宝鸡机床 CK7516" }, 90000, 180000, 1, 6 },
      { "立式加工中心", { "VMC850", "VMC1060", "济南二机床 XH715" }, 250000, 450000, 1, 3 },
      { "数控铣床", { "XK7132", "XK714", "XKA5032" }, 80000, 160000, 1, 4 },
      { "普通车床", { "CA6140", "C6132", "CDE6140A" }, 30000, 60000, 2, 10 },
      { "游标卡尺", { "三丰 530-312", "哈量 0-150mm", "桂量 0-200mm" }, 200, 800, 20, 60 } } },
  { "电工", FALSE,
    { { "低压电工作业", "低压电工特种作业" },
      { "维修电工", "电工" },
      { "高压电工作业", "高压电工特种作业" },
      { "电气设备安装", "电气设备安装工" } },
    { { "电工技能实训考核装置", { "天煌 THWD-1", "亚龙 YL-156A", "求是 QSDG-2" }, 15000, 40000, 4, 20 },
      { "数字万用表", { "优利德 UT61E", "福禄克 F17B+", "胜利 VC890C+" }, 200, 1500, 20, 60 },
      { "兆欧表", { "优利德 UT501A", "胜利 VC60B+", "华谊 MS5203" }, 400, 1200, 6, 20 },
      { "电力拖动实训台", { "天煌 THPDT-1", "亚龙 YL-103", "求是 QSTD-1" }, 10000, 25000, 4, 12 },
      { "光伏发电实训系统", { "亚龙 YL-156B", "天煌 THNPV-1", "英威腾 XG-PV" }, 60000, 150000, 1, 2 } } },
  { "汽车维修", FALSE,
    { { "汽车机电维修", "汽车维修工" },
      { "新能源汽车维修", "汽车维修工" },
      { "汽车钣金与涂装", "汽车维修工" },
      { "汽车美容与装潢", "汽车美容装潢工" } },
    { { "汽车举升机", { "元征 TLT235SB", "巨力 QJY3.5", "奔腾 BT-4000" }, 8000, 20000, 2, 8 },
      { "四轮定位仪", { "元征 X-631+", "百斯巴特 3D", "亨特 HawkEye" }, 60000, 150000, 1, 2 },
      { "新能源汽车整车实训平台", { "比亚迪 秦EV 教学版", "北汽 EU5 实训车", "吉利 帝豪EV 实训车" }, 150000, 300000, 1, 3 },
      { "发动机拆装实训台", { "大众 EA211", "丰田 1ZR", "本田 L15" }, 15000, 40000, 2, 8 },
      { "汽车故障诊断仪", { "元征 X-431 PRO", "道通 MS908", "金奔腾 彩圣" }, 5000, 20000, 2, 10 } } },
  { "电子商务", TRUE,
    { { "网店运营推广", "电子商务师" },
      { "直播电商", "互联网营销师" },
      { "电商视觉设计", "电子商务师" },
      { "农村电商", "电子商务师" } },
    { { "直播间设备套装", { "A型（摄像机、声卡、补光灯）", "B型（手机直播）", "C型（绿幕虚拟直播）" }, 5000, 25000, 2, 8 },
      { "台式计算机", { "联想 启天M437", "华为 擎云B730", "浪潮 CP300L" }, 4000, 6500, 20, 60 },
      { "电子商务实训软件", { "博导 前程电子商务沙盘 V5", "中教畅享 ITMC", "南京奥派 电商实训平台" }, 30000, 80000, 1, 1 },
      { "单反相机", { "佳能 EOS 90D", "尼康 D7500", "索尼 A7M3" }, 7000, 15000, 2, 6 },
      { "摄影棚灯具套装", { "金贝 DPX-600", "神牛 SK400II", "永诺 YN600" }, 2000, 6000, 2, 6 } } },
  { "跨境电商", TRUE,
    { { "跨境电商运营", "跨境电子商务师" },
      { "跨境电商B2B数据运营", "跨境电商B2B数据运营" },
      { "外贸单证操作", "外贸业务员" },
      { "跨境电商视觉营销", "跨境电子商务师" } },
    { { "跨境电商实训平台", { "阿里巴巴国际站实训版", "速卖通实训系统", "亚马逊运营模拟系统" }, 30000, 120000, 1, 1 },
      { "台式计算机", { "联想 启天M437", "华为 擎云B730", "浪潮 CP300L" }, 4000, 6500, 20, 60 },
      { "交互式智能平板", { "希沃 C86EB", "鸿合 HD-I8680", "MAXHUB V6" }, 10000, 22000, 1, 2 },
      { "外贸单证实训软件", { "浙科 外贸单证", "南京世格 SimTrade", "福步 单证通" }, 20000, 50000, 1, 1 },
      { "网络交换机", { "华为 S5735", "H3C S5130", "锐捷 RG-S5750" }, 3000, 12000, 1, 4 } } },
  { "护理", FALSE,
    { { "医疗护理员", "医疗护理员" },
      { "母婴护理", "育婴员" },
      { "社区康复护理", "康复辅助技术咨询师" },
      { "急救与心肺复苏", "医疗护理员" } },
    { { "高级护理模拟人", { "康人 KAR/H110", "医模 GD/H110", "天堰 TY-HN1" }, 20000, 80000, 1, 4 },
      { "多功能护理床", { "ABS三摇护理床", "电动护理床 DH-03", "八度 A1" }, 2000, 8000, 6, 20 },
      { "心肺复苏模拟人", { "康人 KAR/CPR290", "医模 CPR480", "天堰 TY-CPR" }, 3000, 12000, 2, 10 },
      { "静脉输液手臂模型", { "康人 KAR/S5", "医模 GD/HS4", "天堰 TY-IV" }, 800, 2500, 6, 20 },
      { "医用治疗车", { "不锈钢三层 ZLC-3", "ABS ZLC-A", "钢制 ZLC-G" }, 600, 1500, 4, 12 } } },
  { "养老服务", FALSE,
    { { "养老护理员", "养老护理员" },
      { "失智老年人照护", "失智老年人照护" },
      { "老年人能力评估", "老年人能力评估师" },
      { "老年康复照护", "养老护理员" } },
    { { "智能养老护理实训系统", { "康人 KAR/YL1", "天堰 TY-YL", "医模 GD/LN2" }, 40000, 120000, 1, 2 },
      { "电动护理床", { "鱼跃 DB-1", "八度 A5", "互邦 HB-3" }, 3000, 9000, 4, 12 },
      { "轮椅", { "鱼跃 H050", "互邦 HBL35", "凯洋 KY809" }, 800, 3000, 6, 20 },
      { "助浴设备", { "移动助浴机 ZY-1", "卧式洗浴床 XY-2", "坐式助浴椅 ZYY-3" }, 8000, 30000, 1, 3 },
      { "老年人体验服", { "适老化体验装置 LN-01", "老年模拟服 SMS-1", "老化体验套装 LT-2" }, 3000, 9000, 2, 6 } } },
  { "家政服务", FALSE,
    { { "家政服务员", "家政服务员" },
      { "育婴员", "育婴员" },
      { "整理收纳", "整理收纳师" },
      { "家庭保洁", "家政服务员" } },
    { { "婴儿护理模型", { "康人 KAR/F200", "医模 GD/F20", "天堰 TY-BB" }, 800, 3000, 6, 20 },
      { "蒸汽清洁机", { "卡赫 SC4", "德尔玛 ZQ610", "美的 MD-QX" }, 1000, 3000, 4, 10 },
      { "家政实训厨房设备", { "整体橱柜 A型", "整体橱柜 B型", "整体橱柜 C型" }, 15000, 40000, 1, 2 },
      { "洗衣机", { "海尔 EG100", "小天鹅 TG100", "美的 MG100" }, 2000, 4000, 2, 6 },
      { "收纳实训衣柜", { "组合衣柜 SN-1", "开放式衣帽柜 SN-2", "步入式衣帽间 SN-3" }, 3000, 8000, 2, 6 } } },
  { "烹饪", FALSE,
    { { "中式烹调", "中式烹调师" },
      { "中式面点", "中式面点师" },
      { "西式面点", "西式面点师" },
      { "鲁菜制作", "中式烹调师" } },
    { { "燃气炒灶", { "双头大锅灶 SCZ-2", "单头炒灶 DC-1", "鲁菜灶 LCZ-1" }, 6000, 15000, 6, 20 },
      { "万能蒸烤箱", { "Rational iCombi Pro 6-1/1", "好运来 HK-10", "电蒸箱 ZX-24" }, 8000, 120000, 1, 4 },
      { "烤箱", { "新麦 SM-703S", "三麦 SEC-2Y", "北方 BF-3" }, 8000, 20000, 2, 6 },
      { "和面机", { "HWT-25", "SM-25", "HS-20" }, 3000, 8000, 2, 6 },
      { "冷藏冷冻柜", { "海尔 SL-1020C2D4W", "星星 BCD-1000", "澳柯玛 VF-1000" }, 5000, 9000, 2, 6 } } },
  { "焊接", FALSE,
    { { "熔化焊接与热切割作业", "焊工特种作业" },
      { "二氧化碳气体保护焊", "焊工" },
      { "钨极氩弧焊", "焊工" },
      { "焊条电弧焊", "焊工" } },
    { { "逆变直流电焊机", { "时代 ZX7-400", "奥太 ZX7-400STG", "瑞凌 ZX7-400GT" }, 3000, 8000, 10, 30 },
      { "二氧化碳气体保护焊机", { "松下 YD-350KR2", "奥太 NBC-350", "时代 NB-350" }, 8000, 15000, 6, 20 },
      { "氩弧焊机", { "时代 WS-400", "凯尔达 WSM-400", "瑞凌 WSM-315" }, 5000, 12000, 6, 20 },
      { "焊接烟尘净化器", { "移动式 JH-1.5", "单臂式 HY-2", "中央式 ZY-10" }, 3000, 6000, 4, 12 },
      { "虚拟焊接训练系统", { "林肯 VRTEX 360", "伊萨 Soldamatic", "瑞凌 VR-1" }, 200000, 400000, 1, 1 } } },
  { "信息技术", TRUE,
    { { "人工智能训练师", "人工智能训练师" },
      { "网络与信息安全管理", "网络与信息安全管理员" },
      { "计算机程序设计", "计算机程序设计员" },
      { "数字化办公应用", "计算机操作员" } },
    { { "台式计算机", { "联想 启天M437", "华为 擎云B730", "浪潮 CP300L" }, 4000, 6500, 30, 60 },
      { "服务器", { "浪潮 NF5280M6", "华为 2288H V5", "联想 SR650" }, 40000, 90000, 1, 3 },
      { "网络交换机", { "华为 S5735", "H3C S5130", "锐捷 RG-S5750" }, 3000, 12000, 2, 6 },
      { "网络综合布线实训装置", { "西元 KYZNH-01", "唯康 WK-BX", "天煌 THWL-1" }, 20000, 50000, 2, 6 },
      { "人工智能实训平台", { "百度 EasyDL 教学版", "华为 Atlas 200 DK", "科大讯飞 AI 实训箱" }, 10000, 60000, 2, 10 } } },
};

/* What every classroom has. */
static const Item classroom_items[] = {
  { "交互式智能平板", { "希沃 C86EB", "鸿合 HD-I8680", "MAXHUB V6" }, 10000, 22000, 1, 1 },
  { "课桌椅", { "双人课桌椅 KZ-02", "单人课桌椅 KZ-01", "培训桌 PX-1" }, 300, 600, 20, 30 },
  { "空调", { "格力 KFR-72LW", "美的 KFR-72LW", "海尔 KFR-72LW" }, 6000, 9000, 1, 2 },
  { "投影仪", { "爱普生 CB-X06", "明基 MX560", "索尼 VPL-EX570" }, 3000, 6000, 1, 1 },
};

static const char * const categories[] = {
  "enterprise-staff", "key-groups", "unemployed",
};

/* The form's labels for whom a programme is for. */
enum {
  GROUP_GRADUATES,
  GROUP_VETERANS,
  GROUP_MIGRANTS,
  GROUP_REDEPLOYED,
  GROUP_POOR,
  GROUP_DISABLED,
  GROUP_UNEMPLOYED,
  GROUP_STAFF,
  N_GROUPS
};

static const char * const groups[N_GROUPS] = {
  "高校毕业生", "退役军人", "农民工", "去产能分流职工",
  "建档立卡贫困劳动力", "残疾人", "失业人员", "企业职工",
};

/* As a group is named in a programme's title. */
static const char * const group_prefixes[N_GROUPS] = {
  "高校毕业生", "退役军人", "农民工", "分流职工",
  "脱贫劳动力", "残疾人", "失业人员", "企业职工",
};

static const char * const levels[] = {
  "五级/初级工", "四级/中级工", "三级/高级工", "二级/技师", "一级/高级技师",
};

static const char * const companies[] = {
  "济南二机床集团有限公司", "中国重汽集团济南商用车有限公司", "浪潮集团有限公司",
  "山东高速集团有限公司", "济南公共交通集团有限公司", "山东鲁商集团有限公司",
  "银座集团股份有限公司", "济南轨道交通集团有限公司", "山东钢铁集团有限公司",
  "济南圣泉集团股份有限公司", "山东鲁能泰山电力设备有限公司", "济南市中心医院",
  "济南市养老服务指导中心", "山东舜和酒店集团有限公司", "济南华联商厦集团股份有限公司",
};

static const char * const key_group_partners[] = {
  "济南市退役军人事务局", "济南市残疾人联合会", "历下区人力资源和社会保障局",
  "历城区人力资源和社会保障局", "章丘区乡村振兴局", "济南市就业创业服务中心",
  "山东大学就业指导中心", "济南市农民工服务中心",
};

static const char * const unemployed_partners[] = {
  "济南市公共就业和人才服务中心", "历下区公共就业服务中心", "市中区公共就业服务中心",
  "天桥区公共就业服务中心", "泉城路街道办事处", "大明湖街道办事处",
};

typedef struct
{
  const char *title;
  const char *kind;
  const char *purpose;      /* 为……，  */
  const char *articles[3];
} Guarantee;

static const Guarantee guarantees[] = {
  { "职业培训管理办法", "管理制度", "规范学校职业培训工作，提高培训质量和效益",
    { "学校成立职业培训工作领导小组，校长任组长，培训处负责日常管理，各专业部按专业承担培训任务。",
      "培训项目实行立项审批制度。专业部提出培训方案，经培训处审核、领导小组批准后方可招生开班。",
      "每期培训结束后十个工作日内，承办专业部向培训处提交总结、学员名册、考勤及考核结果。" } },
  { "培训质量监控制度", "质量保障", "保证职业培训教学质量，建立全过程质量监控机制",
    { "培训处对每期培训实行开班检查、期中抽查和结业评估，检查结果记入承办专业部考核。",
      "每期培训结束前组织学员满意度测评，满意度低于80%的项目须提交整改报告。",
      "培训质量监控结果每学期汇总分析一次，作为调整培训项目和选聘教师的依据。" } },
  { "培训教师绩效考核办法", "师资管理", "调动培训教师积极性，客观评价培训教师工作实绩",
    { "考核内容包括培训课时、教学效果、学员满意度、取证率和教研成果五个方面。",
      "考核每年度进行一次，结果分为优秀、合格、基本合格、不合格四个等次。",
      "考核结果与绩效工资分配、评优评先、职称评聘挂钩。连续两年不合格者不再承担培训任务。" } },
  { "兼职教师和企业专家聘用管理办法", "师资管理", "加强兼职教师和企业专家队伍建设，优化培训师资结构",
    { "兼职教师和企业专家应具有相应专业技术职务或技师以上职业技能等级，并有三年以上一线工作经历。",
      "聘用实行一年一聘，由专业部推荐、培训处审核，学校颁发聘书并签订聘用协议。",
      "兼职教师和企业专家纳入学校培训教师绩效考核，考核不合格者予以解聘。" } },
  { "培训学员管理规定", "学员管理", "加强培训学员管理，维护正常培训秩序",
    { "学员报到时须如实登记身份信息和培训意向，重点群体学员须提供相应身份证明材料。",
      "学员应按时参加培训，出勤率低于90%者不得参加结业考核，不予享受培训补贴。",
      "学员在实训中须遵守安全操作规程，服从实训指导教师管理。" } },
  { "培训经费使用管理办法", "经费管理", "规范培训经费管理，提高资金使用效益",
    { "培训经费实行预算管理，专款专用，任何部门和个人不得截留、挤占和挪用。",
      "培训经费主要用于教师课酬、教材资料、实训耗材、场地设备维护和学员考核鉴定等支出。",
      "培训经费使用情况每年接受学校审计，并向主管部门报告。" } },
  { "职业技能培训补贴资金管理办法", "经费管理", "加强职业技能培训补贴资金管理，确保补贴资金安全规范使用",
    { "补贴资金申请须提供学员花名册、身份证明、考勤记录、考核结果和证书复印件等材料。",
      "培训处负责补贴材料初审，财务处负责复核，确保补贴对象真实、标准准确。",
      "严禁虚报培训人数、虚假取证等骗取补贴资金的行为，一经发现严肃追究责任。" } },
  { "实训场所安全管理制度", "安全管理", "加强实训场所安全管理，保障师生和学员人身财产安全",
    { "各实训场所实行安全责任人制度，责任人负责场所日常安全检查和隐患整改。",
      "学员首次进入实训场所前须接受安全教育，考核合格后方可参加实训操作。",
      "实训场所须配备消防器材和急救用品，安全通道保持畅通，每学期至少组织一次应急演练。" } },
  { "实训设备使用与维护管理制度", "设备管理", "规范实训设备使用与维护，延长设备使用寿命，提高设备使用率",
    { "实训设备实行建账建卡管理，做到账、卡、物相符，每年清查盘点一次。",
      "设备使用须填写使用记录，发现故障及时报修，严禁带病运行。",
      "设备报废须经技术鉴定，由资产管理部门按规定程序审批处置。" } },
  { "培训档案管理制度", "档案管理", "规范培训档案管理，确保培训资料真实、完整、可查",
    { "培训档案包括培训方案、学员名册、考勤记录、教学日志、考核结果、满意度测评和经费使用材料。",
      "培训档案由承办专业部整理，培训结束后一个月内移交培训处集中保管。",
      "培训档案保管期限不少于五年，涉及补贴资金的档案按财务档案要求保管。" } },
  { "校企合作培训管理办法", "校企合作", "深化校企合作，推动培训内容与企业岗位需求对接",
    { "学校与合作企业签订培训合作协议，明确双方权利义务、培训内容和经费分担方式。",
      "合作企业提供实训岗位和企业专家，学校提供场地、设备和专职教师。",
      "校企合作培训项目每年评估一次，评估结果作为续签合作协议的依据。" } },
  { "线上培训管理办法", "管理制度", "规范线上职业技能培训，保证线上培训质量",
    { "线上培训须使用经人力资源社会保障部门备案的培训平台，课程资源须经培训处审核。",
      "线上培训实行实名认证和过程监控，学员学习时长以平台记录为准。",
      "线上培训与线下实操相结合的项目，线下实操课时不得少于总课时的30%。" } },
  { "培训满意度调查制度", "质量保障", "了解学员对培训工作的评价，持续改进培训质量",
    { "满意度调查采用无记名问卷，内容包括培训内容、教学方法、实训条件、组织管理和就业帮扶。",
      "每期培训结业前由培训处组织调查，参与率不低于学员总数的80%。",
      "调查结果在学校内部通报，并反馈承办专业部和授课教师。" } },
  { "职业技能等级认定考务管理办法", "认定管理", "规范职业技能等级认定考务工作，确保认定结果公平公正",
    { "考务工作实行考评分离，考评人员须持有相应职业（工种）考评员资格。",
      "理论考试和技能操作考核全程录像，考核记录和影像资料保存不少于三年。",
      "考生成绩经质量督导员审核后公示五个工作日，无异议后报送证书核发。" } },
  { "突发事件应急处置预案", "安全管理", "有效预防和及时处置培训期间的突发事件，保障学员生命财产安全",
    { "学校成立应急处置领导小组，培训期间实行值班制度，值班电话保持畅通。",
      "发生人身伤害、火灾、设备事故等突发事件，现场教师须立即组织疏散救护并报告值班领导。",
      "突发事件处置结束后，培训处会同有关部门查明原因，形成书面报告并落实整改措施。" } },
};

static const char * const chinese_numerals[] = {
  "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
};

/* Generation ------------------------------------------------------------- */

typedef struct
{
  gint64 id;
  guint  field;
  guint  category;
  guint  groups;     /* bit set of GROUP_* */
  double hours;
  double fee;
  guint  places;
} Programme;

typedef struct
{
  const TdExampleSize *size;
  GRand               *rand;
  int                  this_year;

  GArray              *programmes;        /* of Programme */
  GArray              *trainers;          /* of gint64 */
  GPtrArray           *trainers_by_field; /* of GArray of gint64 */
  GPtrArray           *venues_by_field;   /* of GArray of gint64 */
  GArray              *classrooms;        /* of gint64 */
} Fill;

static int
td_example_rand_int (GRand *rand,
                     int    lo,
                     int    hi)
{
  return g_rand_int_range (rand, lo, hi + 1);
}

static gboolean
td_example_chance (GRand  *rand,
                   double  p)
{
  return g_rand_double (rand) < p;
}

/* Picks an index by weights (that need not sum to anything). */
static guint
td_example_pick_weighted (GRand        *rand,
                          const guint  *weights,
                          guint         n)
{
  guint total = 0, r;

  for (guint i = 0; i < n; i++)
    total += weights[i];
  r = g_rand_int_range (rand, 0, total);
  for (guint i = 0; i < n; i++)
    {
      if (r < weights[i])
        return i;
      r -= weights[i];
    }
  return n - 1;
}

#define PICK(rand, array) ((array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

static gint64
td_example_pick_id (GRand  *rand,
                    GArray *ids)
{
  return g_array_index (ids, gint64, g_rand_int_range (rand, 0, ids->len));
}

static void
td_example_append_name (GRand   *rand,
                        GString *out)
{
  /* Square the draw: the common surnames come up far more often. */
  double d = g_rand_double (rand);

  g_string_append (out, surnames[(guint)(d * d * G_N_ELEMENTS (surnames))]);
  g_string_append (out, PICK (rand, given_chars));
  if (td_example_chance (rand, 0.7))
    g_string_append (out, PICK (rand, given_chars));
}

static char *
td_example_new_name (GRand *rand)
{
  GString *out = g_string_new (NULL);

  td_example_append_name (rand, out);
  return g_string_free (out, FALSE);
}

static gboolean
td_example_step (TdStore       *store,
                 sqlite3_stmt  *stmt,
                 gint64        *id,
                 GError       **error)
{
  if (!td_store_step_done (store, stmt, error))
    return FALSE;
  /* The row's own id: inserts made by the audit triggers are undone from
   * last_insert_rowid once the trigger ends. */
  if (id)
    *id = sqlite3_last_insert_rowid (td_store_get_db (store));
  return TRUE;
}

static gboolean
td_example_fill_school (TdStore  *store,
                        Fill     *fill,
                        GError  **error)
{
  g_autofree char *head = td_example_new_name (fill->rand);
  g_autofree char *contact = td_example_new_name (fill->rand);
  sqlite3_stmt *stmt;

  stmt = td_store_prepare (store,
                           "UPDATE school SET name = ?, authority = ?, school_type = ?, "
                           "province_code = ?, city_code = ?, county_code = ?, street = ?, "
                           "postal_code = ?, contact_name = ?, phone = ?, email = ?, "
                           "legal_representative = ? WHERE id = 1",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, "济南市泉城职业中等专业学校", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, "济南市教育局", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, "secondary-vocational", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, "37", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, "3701", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, "370102", -1, SQLITE_STATIC);
  /* The street alone: city and county are fields of their own. */
  sqlite3_bind_text (stmt, 7, "文化东路66号", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, "250014", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, contact, -1, SQLITE_TRANSIENT);
  /* Not a real office's number (the notice's contacts are real people):
   * Jinan's local numbers have had 8 digits since the 1990s, so this
   * 7-digit one reaches no one. */
  sqlite3_bind_text (stmt, 10, "0531-5550123", -1, SQLITE_STATIC);
  /* A reserved-looking address: a generated school must never mail anyone. */
  sqlite3_bind_text (stmt, 11, "peixun@example.edu.cn", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, head, -1, SQLITE_TRANSIENT);
  return td_example_step (store, stmt, NULL, error);
}

static void
td_example_append_target_groups (GString *json,
                                 guint    set)
{
  gboolean first = TRUE;

  g_string_append_c (json, '[');
  for (guint i = 0; i < N_GROUPS; i++)
    if (set & (1u << i))
      {
        /* The labels need no escaping. */
        g_string_append_printf (json, "%s\"%s\"", first ? "" : ",", groups[i]);
        first = FALSE;
      }
  g_string_append_c (json, ']');
}

static gboolean
td_example_fill_programmes (TdStore  *store,
                            Fill     *fill,
                            GError  **error)
{
  static const guint category_weights[] = { 45, 35, 20 };
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) json = g_string_new (NULL);
  GRand *rand = fill->rand;
  sqlite3_stmt *stmt;

  stmt = td_store_prepare (store,
                           "INSERT INTO programme (name, category, field, target_groups, mode, hours, "
                           "places, certificate, certificate_level, subsidy_eligible, fee) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < fill->size->programmes; i++)
    {
      Programme p = { 0 };
      const Field *field;
      const Course *course;
      const char *mode;
      const char *level = "";
      gboolean special;
      guint subsidy;

      p.field = g_rand_int_range (rand, 0, G_N_ELEMENTS (fields));
      field = &fields[p.field];
      course = &field->courses[g_rand_int_range (rand, 0, G_N_ELEMENTS (field->courses))];
      p.category = td_example_pick_weighted (rand, category_weights, G_N_ELEMENTS (category_weights));
      special = g_str_has_suffix (course->certificate, "特种作业");

      g_string_truncate (name, 0);
      switch (p.category)
        {
        case 0: /* enterprise-staff */
          p.groups = 1u << GROUP_STAFF;
          if (td_example_chance (rand, 0.3))
            p.groups |= 1u << GROUP_MIGRANTS;
          if (td_example_chance (rand, 0.25))
            g_string_append_printf (name, "%s企业新型学徒制培训", course->name);
          else
            g_string_append_printf (name, "%s岗位技能提升培训", course->name);
          break;

        case 1: /* key-groups: one group the programme is named for, perhaps others */
          {
            guint group = g_rand_int_range (rand, GROUP_GRADUATES, GROUP_DISABLED + 1);

            p.groups = 1u << group;
            for (guint extra = td_example_rand_int (rand, 0, 2); extra > 0; extra--)
              p.groups |= 1u << g_rand_int_range (rand, GROUP_GRADUATES, GROUP_DISABLED + 1);
            g_string_append_printf (name, "%s%s就业技能培训", group_prefixes[group], course->name);
          }
          break;

        case 2: /* unemployed */
        default:
          p.groups = 1u << GROUP_UNEMPLOYED;
          if (td_example_chance (rand, 0.3))
            p.groups |= 1u << GROUP_REDEPLOYED;
          if (field->online_friendly && td_example_chance (rand, 0.4))
            g_string_append_printf (name, "失业人员%s创业培训", field->name);
          else
            g_string_append_printf (name, "%s再就业培训", course->name);
          break;
        }

      if (!special)
        {
          guint l = td_example_pick_weighted (rand, (const guint[]) { 30, 40, 20, 8, 2 }, G_N_ELEMENTS (levels));

          level = levels[l];
        }
      /* The same programme at another level, or another intake. */
      if (g_hash_table_contains (names, name->str) && !special)
        {
          /* "四级/中级工" → "（中级工）" */
          g_string_append_printf (name, "（%s）", strchr (level, '/') + 1);
        }
      for (guint n = 2; g_hash_table_contains (names, name->str); n++)
        {
          char *bracket = strstr (name->str, "（第");

          if (bracket != NULL)
            g_string_truncate (name, bracket - name->str);
          g_string_append_printf (name, "（第%u期）", n);
        }
      g_hash_table_add (names, g_strdup (name->str));

      if (field->online_friendly)
        mode = (const char *[]) { "offline", "blended", "online" }
                 [td_example_pick_weighted (rand, (const guint[]) { 30, 40, 30 }, 3)];
      else
        mode = (const char *[]) { "offline", "blended", "online" }
                 [td_example_pick_weighted (rand, (const guint[]) { 75, 20, 5 }, 3)];

      /* Five-day weeks of eight hours; the key groups' courses run longer. */
      p.hours = 8 * td_example_rand_int (rand, p.category == 0 ? 3 : 8, p.category == 0 ? 15 : 25);
      p.places = 10 * td_example_rand_int (rand, 3, 6);
      subsidy = p.category != 0 || td_example_chance (rand, 0.6);
      if (!subsidy)
        p.fee = 100 * td_example_rand_int (rand, 6, 30);

      td_example_append_target_groups (json, p.groups);

      sqlite3_bind_text (stmt, 1, name->str, name->len, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, categories[p.category], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, field->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, json->str, json->len, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, mode, -1, SQLITE_STATIC);
      sqlite3_bind_double (stmt, 6, p.hours);
      sqlite3_bind_int (stmt, 7, p.places);
      sqlite3_bind_text (stmt, 8, course->certificate, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 9, level, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 10, subsidy);
      sqlite3_bind_double (stmt, 11, p.fee);
      g_string_truncate (json, 0);

      if (!td_example_step (store, stmt, &p.id, error))
        return FALSE;
      g_array_append_val (fill->programmes, p);
    }

  return TRUE;
}

static gboolean
td_example_fill_trainers (TdStore  *store,
                          Fill     *fill,
                          GError  **error)
{
  static const char * const kinds[] = { "full-time", "part-time", "enterprise-expert" };
  static const char * const titles[] = { "senior", "associate-senior", "intermediate", "junior", "none" };
  static const guint kind_weights[] = { 55, 20, 25 };
  static const guint title_weights[][5] = {
    { 10, 30, 35, 20, 5 },   /* full-time */
    { 10, 25, 35, 15, 15 },  /* part-time */
    { 25, 5, 25, 0, 45 },    /* enterprise experts: engineers' titles, or none */
  };
  static const double dual_chance[] = { 0.65, 0.35, 0.2 };
  g_autoptr(GString) name = g_string_new (NULL);
  /* Names are unique: an import tells trainers apart by name. */
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) qualifications = g_string_new (NULL);
  g_autoptr(GString) field_names = g_string_new (NULL);
  GRand *rand = fill->rand;
  sqlite3_stmt *stmt;

  stmt = td_store_prepare (store,
                           "INSERT INTO trainer (name, kind, title, dual_qualified, qualifications, fields) "
                           "VALUES (?, ?, ?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < fill->size->trainers; i++)
    {
      guint kind = td_example_pick_weighted (rand, kind_weights, G_N_ELEMENTS (kind_weights));
      guint title = td_example_pick_weighted (rand, title_weights[kind], G_N_ELEMENTS (titles));
      gboolean dual = td_example_chance (rand, dual_chance[kind]);
      guint field = g_rand_int_range (rand, 0, G_N_ELEMENTS (fields));
      const Course *course = &fields[field].courses[g_rand_int_range (rand, 0, G_N_ELEMENTS (fields[field].courses))];
      gint64 id;

      do
        {
          g_string_truncate (name, 0);
          td_example_append_name (rand, name);
        }
      while (!g_hash_table_add (names, g_strdup (name->str)));

      g_string_assign (field_names, fields[field].name);
      if (td_example_chance (rand, 0.25))
        {
          guint other = g_rand_int_range (rand, 0, G_N_ELEMENTS (fields));

          if (other != field)
            g_string_append_printf (field_names, "、%s", fields[other].name);
        }

      g_string_truncate (qualifications, 0);
      if (kind == 2)
        g_string_append_printf (qualifications, "%s（%s）；%d年企业一线工作经历",
                                course->certificate, levels[td_example_rand_int (rand, 2, 4)],
                                td_example_rand_int (rand, 5, 25));
      else
        {
          g_string_append (qualifications,
                           kind == 1 && td_example_chance (rand, 0.4) ? "高等学校教师资格证" : "中等职业学校教师资格证");
          if (dual)
            g_string_append_printf (qualifications, "；%s（%s）",
                                    course->certificate, levels[td_example_rand_int (rand, 2, 4)]);
        }

      sqlite3_bind_text (stmt, 1, name->str, name->len, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, kinds[kind], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, titles[title], -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 4, dual);
      sqlite3_bind_text (stmt, 5, qualifications->str, qualifications->len, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, field_names->str, field_names->len, SQLITE_TRANSIENT);
      if (!td_example_step (store, stmt, &id, error))
        return FALSE;

      g_array_append_val (fill->trainers, id);
      g_array_append_val (g_ptr_array_index (fill->trainers_by_field, field), id);
    }

  return TRUE;
}

static gboolean
td_example_fill_venues (TdStore  *store,
                        Fill     *fill,
                        GError  **error)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) address = g_string_new (NULL);
  GRand *rand = fill->rand;
  const guint n_fields = G_N_ELEMENTS (fields);
  sqlite3_stmt *stmt;

  stmt = td_store_prepare (store,
                           "INSERT INTO venue (name, kind, area, capacity, address) "
                           "VALUES (?, ?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < fill->size->venues; i++)
    {
      const char *kind;
      double area;
      int capacity;
      int field = -1;
      gint64 id;

      g_string_truncate (name, 0);
      g_string_truncate (address, 0);

      if (i == 0)
        {
          /* Every school trains online too. */
          kind = "online-platform";
          g_string_assign (name, "学校职业技能线上培训平台");
          g_string_assign (address, "https://peixun.example.edu.cn/");
          area = 0;
          capacity = 100 * td_example_rand_int (rand, 10, 50);
        }
      else
        {
          guint j = i - 1;
          guint round = j / n_fields;

          field = j % n_fields;
          if (round == 0)
            {
              kind = "training-base";
              g_string_printf (name, "%s实训基地", fields[field].name);
              g_string_printf (address, "主校区实训楼%c座%d层",
                               'A' + field % 4, 1 + field / 4);
              area = 10 * td_example_rand_int (rand, 30, 200);
              capacity = 10 * td_example_rand_int (rand, 5, 20);
            }
          else if (round == 1)
            {
              kind = "workshop";
              g_string_printf (name, "%s实训车间", fields[field].name);
              g_string_printf (address, "东校区%u号实训车间", field + 1);
              area = 10 * td_example_rand_int (rand, 20, 120);
              capacity = 10 * td_example_rand_int (rand, 3, 8);
            }
          else
            {
              guint k = j - 2 * n_fields;

              kind = "classroom";
              g_string_printf (name, "教学楼%c座%u%02u教室",
                               'A' + (k / 50) % 4, 1 + (k / 10) % 5, 1 + k % 10);
              g_string_printf (address, "主校区教学楼%c座%u层", 'A' + (k / 50) % 4, 1 + (k / 10) % 5);
              area = 10 * td_example_rand_int (rand, 6, 12);
              capacity = 10 * td_example_rand_int (rand, 4, 6);
              field = -1;
            }
        }

      sqlite3_bind_text (stmt, 1, name->str, name->len, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
      sqlite3_bind_double (stmt, 3, area);
      sqlite3_bind_int (stmt, 4, capacity);
      sqlite3_bind_text (stmt, 5, address->str, address->len, SQLITE_TRANSIENT);
      if (!td_example_step (store, stmt, &id, error))
        return FALSE;

      if (field >= 0)
        g_array_append_val (g_ptr_array_index (fill->venues_by_field, field), id);
      else if (i > 0)
        g_array_append_val (fill->classrooms, id);
    }

  return TRUE;
}

static gboolean
td_example_fill_equipment (TdStore  *store,
                           Fill     *fill,
                           GError  **error)
{
  static const char * const states[] = { "in-use", "idle", "repair", "retired" };
  GRand *rand = fill->rand;
  sqlite3_stmt *stmt;

  stmt = td_store_prepare (store,
                           "INSERT INTO equipment (name, model, quantity, unit_value, venue_id, "
                           "year_acquired, state) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < fill->size->equipment; i++)
    {
      const Item *item;
      GArray *venues;
      int year = fill->this_year - td_example_rand_int (rand, 1, 15);
      int age = fill->this_year - year;
      guint state;
      double value;

      if (fill->classrooms->len > 0 && td_example_chance (rand, 0.15))
        {
          item = &PICK (rand, classroom_items);
          venues = fill->classrooms;
        }
      else
        {
          guint field = g_rand_int_range (rand, 0, G_N_ELEMENTS (fields));

          item = &fields[field].items[g_rand_int_range (rand, 0, G_N_ELEMENTS (fields[field].items))];
          venues = g_ptr_array_index (fill->venues_by_field, field);
        }

      /* Old equipment is more often idle, broken or written off. */
      state = td_example_pick_weighted (rand, (const guint[]) { 90 - 2 * age, 4 + age / 2, 2 + age / 4, 1 + age }, 4);
      /* Whole yuan, as bought. */
      value = td_example_rand_int (rand, item->value_min, item->value_max);

      sqlite3_bind_text (stmt, 1, item->name, -1, SQLITE_STATIC);
      /* One line per purchase batch, as an inventory keeps it: the batch
       * makes (name, model, venue), the natural key, unique. */
      sqlite3_bind_text (stmt, 2,
                         g_strdup_printf ("%s（%d-%05u）",
                                          item->models[g_rand_int_range (rand, 0, G_N_ELEMENTS (item->models))],
                                          year, i + 1),
                         -1, g_free);
      sqlite3_bind_int (stmt, 3, td_example_rand_int (rand, item->quantity_min, item->quantity_max));
      sqlite3_bind_double (stmt, 4, value);
      /* Some stands in a store room, in no venue. */
      if (venues->len > 0 && !td_example_chance (rand, 0.05))
        sqlite3_bind_int64 (stmt, 5, td_example_pick_id (rand, venues));
      else
        sqlite3_bind_null (stmt, 5);
      sqlite3_bind_int (stmt, 6, year);
      sqlite3_bind_text (stmt, 7, states[state], -1, SQLITE_STATIC);
      if (!td_example_step (store, stmt, NULL, error))
        return FALSE;
    }

  return TRUE;
}

static const char *
td_example_document_word (const char *title)
{
  static const char * const words[] = { "办法", "制度", "规定", "预案" };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_str_has_suffix (title, words[i]))
      return words[i];
  return "制度";
}

static gboolean
td_example_fill_guarantees (TdStore  *store,
                            Fill     *fill,
                            GError  **error)
{
  g_autoptr(GString) title = g_string_new (NULL);
  g_autoptr(GString) body = g_string_new (NULL);
  GRand *rand = fill->rand;
  sqlite3_stmt *stmt;

  stmt = td_store_prepare (store,
                           "INSERT INTO guarantee (title, kind, adopted_on, body) VALUES (?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < fill->size->guarantees; i++)
    {
      const Guarantee *g = &guarantees[i % G_N_ELEMENTS (guarantees)];
      guint revision = i / G_N_ELEMENTS (guarantees);
      const char *word = td_example_document_word (g->title);
      char adopted_on[16];
      int year;
      guint n = 0;

      /* Adopted over the last ten years; later passes through the list
       * are recent revisions. */
      if (revision == 0)
        year = fill->this_year - td_example_rand_int (rand, 3, 10);
      else
        year = fill->this_year - td_example_rand_int (rand, 1, 3);
      g_snprintf (adopted_on, sizeof adopted_on, "%04d-%02d-%02d",
                  year, td_example_rand_int (rand, 1, 12), td_example_rand_int (rand, 1, 28));

      g_string_assign (title, g->title);
      if (revision > 0)
        g_string_append_printf (title, "（%d年修订）", year);

      g_string_printf (body, "第%s条　为%s，根据《中华人民共和国职业教育法》"
                       "《山东省职业技能提升行动实施方案》等有关规定，结合学校实际，制定本%s。\n",
                       chinese_numerals[n++], g->purpose, word);
      for (guint a = 0; a < G_N_ELEMENTS (g->articles); a++)
        g_string_append_printf (body, "第%s条　%s\n", chinese_numerals[n++], g->articles[a]);
      g_string_append_printf (body, "第%s条　本%s由学校培训处负责解释，自印发之日起施行。",
                              chinese_numerals[n++], word);

      sqlite3_bind_text (stmt, 1, title->str, title->len, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, g->kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, adopted_on, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, body->str, body->len, SQLITE_TRANSIENT);
      if (!td_example_step (store, stmt, NULL, error))
        return FALSE;
    }

  return TRUE;
}

static guint
td_example_pick_group (GRand *rand,
                       guint  set)
{
  guint n = 0, k;

  for (guint i = 0; i < N_GROUPS; i++)
    n += (set >> i) & 1;
  k = g_rand_int_range (rand, 0, n);
  for (guint i = 0; i < N_GROUPS; i++)
    if (((set >> i) & 1) && k-- == 0)
      return i;
  g_assert_not_reached ();
}

/* The list @partner comes from, and its length. */
static const char * const *
td_example_partner_list (const char *partner,
                         guint      *n)
{
  static const struct { const char * const *list; guint n; } lists[] = {
    { companies, G_N_ELEMENTS (companies) },
    { key_group_partners, G_N_ELEMENTS (key_group_partners) },
    { unemployed_partners, G_N_ELEMENTS (unemployed_partners) },
  };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l].n; i++)
      if (lists[l].list[i] == partner)
        {
          *n = lists[l].n;
          return lists[l].list;
        }
  g_assert_not_reached ();
}

/* @partner, or the first after it in its list whose result key (year,
 * programme, group, partner; the category is the programme's) is free;
 * the key is then taken. Each list has more partners than a year has
 * results of one programme and group. */
static const char *
td_example_unique_partner (GHashTable      *keys,
                           int              year,
                           const Programme *p,
                           guint            group,
                           const char      *partner)
{
  guint n, start = 0;
  const char * const *list = td_example_partner_list (partner, &n);

  while (list[start] != partner)
    start++;
  for (guint i = 0; i < n; i++)
    {
      const char *candidate = list[(start + i) % n];
      char *key = g_strdup_printf ("%d\x1f%" G_GINT64_FORMAT "\x1f%u\x1f%s", year, p->id, group, candidate);

      if (g_hash_table_add (keys, key))
        return candidate;
    }
  g_assert_not_reached ();
}

static gboolean
td_example_fill_results (TdStore  *store,
                         Fill     *fill,
                         GError  **error)
{
  GRand *rand = fill->rand;
  sqlite3_stmt *result_stmt;
  sqlite3_stmt *trainer_stmt;
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* A school that also has classes has its typed years drawn to their
   * measure, so that its years read as one school's: the charts show no
   * collapse from thousands of trainees of a hundred hours each to a
   * few hundred of a day's worth. */
  gboolean like_classes = fill->size->class_years > 0 && fill->size->classes_per_year > 0 &&
                          fill->size->trainees_per_class > 0;

  if (fill->size->years == 0 || fill->size->results_per_year == 0)
    return TRUE;

  if (fill->programmes->len == 0)
    {
      /* A caller's mistake, not a user's: not translated. */
      g_set_error_literal (error, TD_STORE_ERROR, TD_STORE_ERROR_FAILED,
                           "Results need programmes: ask for at least one programme.");
      return FALSE;
    }

  result_stmt = td_store_prepare (store,
                                  "INSERT INTO result (year, programme_id, category, target_group, "
                                  "sessions, participants, hours_per_participant, certificates, "
                                  "employed, satisfaction, revenue, partner) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                  error);
  if (result_stmt == NULL)
    return FALSE;
  trainer_stmt = td_store_prepare (store,
                                   "INSERT INTO result_trainer (result_id, trainer_id, hours) "
                                   "VALUES (?, ?, ?)",
                                   error);
  if (trainer_stmt == NULL)
    return FALSE;

  /* Years that have classes take their results from them: none typed. */
  for (int year = fill->this_year - (int)fill->size->years;
       year < fill->this_year - (int)MIN (fill->size->class_years, fill->size->years); year++)
    for (guint i = 0; i < fill->size->results_per_year; i++)
      {
        const Programme *p = &g_array_index (fill->programmes, Programme,
                                             g_rand_int_range (rand, 0, fill->programmes->len));
        int sessions;
        int participants = 0;
        double hours, hours_taught;
        int certificates, employed;
        double satisfaction, revenue;
        const char *partner;
        gint64 trainers_used[3];
        guint n_trainers;
        gint64 result_id;
        guint group;

        if (like_classes)
          {
            /* One intake of about a class's trainees, its sessions of
             * three hours taught, a few of them missed. */
            guint trainees = fill->size->trainees_per_class;

            sessions = 1;
            participants = td_example_rand_int (rand, MAX (1, trainees - trainees / 5), trainees + trainees / 5);
            hours_taught = 3.0 * MAX (fill->size->sessions_per_class, 1);
            hours = MAX (1, (int)(hours_taught * g_rand_double_range (rand, 0.88, 0.96) + 0.5));
          }
        else
          {
            sessions = td_example_pick_weighted (rand, (const guint[]) { 0, 40, 30, 15, 10, 5 }, 6);
            for (int s = 0; s < sessions; s++)
              participants += td_example_rand_int (rand, MIN (15, p->places), p->places);
            hours = hours_taught = p->hours;
          }
        certificates = participants * g_rand_double_range (rand, 0.75, 1.0);

        switch (p->category)
          {
          case 0: /* already employed: they keep their jobs */
            employed = participants;
            partner = PICK (rand, companies);
            break;
          case 1:
            employed = participants * g_rand_double_range (rand, 0.6, 0.95);
            partner = PICK (rand, key_group_partners);
            break;
          case 2:
          default:
            employed = participants * g_rand_double_range (rand, 0.5, 0.9);
            partner = td_example_chance (rand, 0.3) ? PICK (rand, companies) : PICK (rand, unemployed_partners);
            break;
          }

        /* Tenths, as the survey reports it. */
        satisfaction = td_example_rand_int (rand, 800, 1000) / 10.0;
        /* Fees where charged, otherwise the subsidy: some yuan per hour taught. */
        if (p->fee > 0)
          revenue = p->fee * participants;
        else
          revenue = participants * hours * td_example_rand_int (rand, 8, 15);

        /* The import tells results apart by (year, programme, category,
         * group, partner): a draw that repeats one takes the next partner
         * of its list instead, without drawing again, so that the rest of
         * the school stays as the seed made it. */
        group = td_example_pick_group (rand, p->groups);
        partner = td_example_unique_partner (keys, year, p, group, partner);

        sqlite3_bind_int (result_stmt, 1, year);
        sqlite3_bind_int64 (result_stmt, 2, p->id);
        sqlite3_bind_text (result_stmt, 3, categories[p->category], -1, SQLITE_STATIC);
        sqlite3_bind_text (result_stmt, 4, groups[group], -1, SQLITE_STATIC);
        sqlite3_bind_int (result_stmt, 5, sessions);
        sqlite3_bind_int (result_stmt, 6, participants);
        sqlite3_bind_double (result_stmt, 7, hours);
        sqlite3_bind_int (result_stmt, 8, certificates);
        sqlite3_bind_int (result_stmt, 9, employed);
        sqlite3_bind_double (result_stmt, 10, satisfaction);
        sqlite3_bind_double (result_stmt, 11, revenue);
        sqlite3_bind_text (result_stmt, 12, partner, -1, SQLITE_STATIC);
        if (!td_example_step (store, result_stmt, &result_id, error))
          return FALSE;

        if (fill->trainers->len == 0)
          continue;

        /* One to three trainers, mostly of the programme's field, sharing
         * the hours taught. */
        n_trainers = 1 + td_example_pick_weighted (rand, (const guint[]) { 30, 45, 25 }, 3);
        n_trainers = MIN (n_trainers, fill->trainers->len);
        for (guint t = 0; t < n_trainers; t++)
          {
            GArray *pool = g_ptr_array_index (fill->trainers_by_field, p->field);
            gint64 trainer_id;
            gboolean again;
            double taught = hours_taught * sessions / n_trainers;

            do
              {
                if (pool->len > t && td_example_chance (rand, 0.8))
                  trainer_id = td_example_pick_id (rand, pool);
                else
                  trainer_id = td_example_pick_id (rand, fill->trainers);
                again = FALSE;
                for (guint u = 0; u < t; u++)
                  again |= trainers_used[u] == trainer_id;
              }
            while (again);
            trainers_used[t] = trainer_id;

            /* Whole hours, give or take a day's teaching between them. */
            if (n_trainers > 1)
              taught = MAX (4, (int)(taught + td_example_rand_int (rand, -8, 8)));

            sqlite3_bind_int64 (trainer_stmt, 1, result_id);
            sqlite3_bind_int64 (trainer_stmt, 2, trainer_id);
            sqlite3_bind_double (trainer_stmt, 3, taught);
            if (!td_example_step (store, trainer_stmt, NULL, error))
              return FALSE;
          }
      }

  return TRUE;
}

/* The last years' classes, drawn by td-example-classes.c over the
 * programmes, trainers and venues above, in the same transaction. */
static gboolean
td_example_fill_classes (TdStore  *store,
                         Fill     *fill,
                         GError  **error)
{
  const TdExampleClasses classes = {
    .years = fill->size->class_years,
    .last_year = fill->this_year - 1,
    .classes_per_year = fill->size->classes_per_year,
    .trainees_per_class = fill->size->trainees_per_class,
    .sessions_per_class = fill->size->sessions_per_class,
    .returning = 0.1,
    .seed = fill->size->seed + 15,
  };

  if (fill->size->class_years == 0 || fill->size->classes_per_year == 0)
    return TRUE;
  return td_example_classes_fill_in_transaction (store, &classes, error);
}

static gboolean
td_example_fill_in_transaction (TdStore   *store,
                                gpointer   user_data,
                                GError   **error)
{
  Fill *fill = user_data;

  return td_example_fill_school (store, fill, error) &&
         td_example_fill_programmes (store, fill, error) &&
         td_example_fill_trainers (store, fill, error) &&
         td_example_fill_venues (store, fill, error) &&
         td_example_fill_equipment (store, fill, error) &&
         td_example_fill_guarantees (store, fill, error) &&
         td_example_fill_results (store, fill, error) &&
         td_example_fill_classes (store, fill, error);
}

static GPtrArray *
td_example_new_id_arrays (guint n)
{
  GPtrArray *arrays = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (arrays, g_array_new (FALSE, FALSE, sizeof (gint64)));
  return arrays;
}

static int
td_example_cache_size (TdStore *store)
{
  sqlite3_stmt *stmt = td_store_prepare (store, "PRAGMA cache_size", NULL);
  int size = 0;

  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    size = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return size;
}

/**
 * td_example_fill:
 * @size: how much of everything, and the seed
 *
 * Adds a generated school to @store: fills in the school profile and adds
 * @size's numbers of programmes, trainers, venues, equipment, guarantees,
 * and results for the @size->years years up to last year, the last
 * @size->class_years of them as classes (td-example-classes.c). All or nothing:
 * on error nothing was written.
 */
gboolean
td_example_fill (TdStore              *store,
                 const TdExampleSize  *size,
                 GError              **error)
{
  g_autoptr(TdCampaign) campaign = NULL;
  Fill fill = { 0 };
  gboolean ret;

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);
  g_return_val_if_fail (size != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  fill.size = size;
  fill.rand = g_rand_new_with_seed (size->seed);
  /* The results end with the last year the school's campaign asks for,
   * so that the example's form reports them. */
  campaign = td_campaign_load_current (store, NULL);
  fill.this_year = campaign ? td_campaign_get_last_year (campaign) + 1 : 2026;
  fill.programmes = g_array_sized_new (FALSE, FALSE, sizeof (Programme), size->programmes);
  fill.trainers = g_array_sized_new (FALSE, FALSE, sizeof (gint64), size->trainers);
  fill.trainers_by_field = td_example_new_id_arrays (G_N_ELEMENTS (fields));
  fill.venues_by_field = td_example_new_id_arrays (G_N_ELEMENTS (fields));
  fill.classrooms = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* A large school outgrows SQLite's default page cache (2 MiB) and would
   * spill pages into the log mid-transaction, some of them many times:
   * with room for all of it, the fill takes about half as long. Only when
   * the cache is at the default, so that putting it back needs no SQL
   * assembled at run time. */
  if (td_example_cache_size (store) == -2000)
    {
      td_store_exec (store, "PRAGMA cache_size = -65536", NULL);
      ret = td_store_transaction (store, td_example_fill_in_transaction, &fill, error);
      td_store_exec (store, "PRAGMA cache_size = -2000", NULL);
    }
  else
    ret = td_store_transaction (store, td_example_fill_in_transaction, &fill, error);

  g_rand_free (fill.rand);
  g_array_unref (fill.programmes);
  g_array_unref (fill.trainers);
  g_ptr_array_unref (fill.trainers_by_field);
  g_ptr_array_unref (fill.venues_by_field);
  g_array_unref (fill.classrooms);
  return ret;
}

const TdExampleSize td_example_school_size = {
  .programmes = 40,
  .trainers = 300,
  .venues = 30,
  .equipment = 600,
  .guarantees = 12,
  .years = 3,
  /* The first year typed in, as eleven intakes about the size of a class
   * (about 300 trainees, 22 hours each); the next two as 12 classes a
   * year, a few more trainees each year. 24 classes of 28 trainees and 8
   * sessions: 5,376 attendance marks. */
  .results_per_year = 11,
  .class_years = 2,
  .classes_per_year = 12,
  .trainees_per_class = 28,
  .sessions_per_class = 8,
  .seed = 2020,
};

static void
td_example_fill_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;

  /* The store's connection is serialised by SQLite: safe from here while
   * the main thread waits for the result. */
  if (td_example_fill (source_object, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* td_example_fill() off the main loop. */
void
td_example_fill_async (TdStore             *store,
                       const TdExampleSize *size,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_set_source_tag (task, td_example_fill_async);
  g_task_set_task_data (task, g_memdup2 (size, sizeof *size), g_free);
  g_task_run_in_thread (task, td_example_fill_thread);
}

gboolean
td_example_fill_finish (TdStore       *store,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
