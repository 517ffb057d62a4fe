/**
 * The API's validation reasons are English (they are for API clients too); the office reads
 * Chinese. Known reasons are translated here, anything else is shown as sent.
 */
const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^must not be empty$/i, () => '不能为空'],
  [/^must be at most (\d+) characters$/i, (m) => `不能超过${m[1]}个字符`],
  [/^must be a date YYYY-MM-DD$/i, () => '请填写日期（年-月-日）'],
  [/^at least one petitioner$/i, () => '至少填写一名信访人'],
  [/^must be at least the number of petitioners$/i, () => '人数不能少于信访人数'],
  [/^an accusation names at least one accused unit$/i, () => '检举控告类须填写被反映单位'],
  [/^must be a category code$/i, () => '请选择问题类别'],
  [/^a case of the accusation category .*itemType must be accusation/i, () => '纪检监察（检举控告）类别的事项应为检举控告类'],
  [/^give a reason$/i, () => '请填写理由'],
  [/^state the purpose of the retrieval$/i, () => '请填写查阅目的'],
  [/^at most (\d+) days$/i, (m) => `最多 ${m[1]} 天`],
  [/^must not be in the future$/i, () => '不能晚于今天'],
  [/^unknown department /i, () => '未知的单位'],
  [/^a transfer names the receiving organ$/i, () => '转送须写明接收机关'],
  [/^a decline names the statutory route$/i, () => '不予受理须写明法定途径'],
  [/^name the law or regulation relied on, in 《》/i, () => '请写明所依据的法律法规名称（用《》标明）'],
  [/^name the statutory procedure when the route is other/i, () => '法定途径为“其他”时须写明途径名称（如行政裁决）'],
  [/^an extension is at most (\d+) days/i, (m) => `延期不得超过${m[1]}日（《信访工作条例》第三十四条）`],
  [/^The handling period was already extended once/i, () => '办理期限已延长过一次，不能再次延期（《信访工作条例》第三十四条）'],
  [/has a final or open matter .*warningsOverride/i, () => '该信访人有已终结或正在办理的信访事项：请在“重复信访核查说明”中说明本件为不同事项'],
  [/^A statutory procedure has already accepted this matter/i, () => '该事项已进入诉讼、仲裁或行政复议等法定途径：应作不予受理并告知途径'],
  [/^An accusation cannot be assigned to the accused unit/i, () => '检举控告事项不得交由被检举控告的单位办理（《信访工作条例》第三十条）'],
  [/^The query code of this case cannot be recovered/i, () => '该案件登记于文书功能启用之前，无法出具载有查询码的受理告知书'],
  [/^The case was changed by someone else/i, () => '案件已被他人更新，请重新加载后再试（已填写的内容仍保留）'],
  [/^The case is already assigned to this department$/i, () => '案件已由该单位承办'],
  [/^The (review request|re-review request) window closed on (\S+)/i, (m) => `申请期限已于${m[2]}届满`],
  [/^The (review request|re-review request) window is still open until (\S+)/i, (m) => `申请期限至${m[2]}方届满，届满前不能办结`],
  [/^Cannot (\S+) a case that is (\S+)|^Illegal transition/i, () => '案件当前状态不允许此操作，请重新加载'],
  [/^Required$|^Invalid input: expected .*, received undefined$/i, () => '必填'],
  [/^Invalid input/i, () => '格式不正确'],
  [/^Too small/i, () => '数值过小'],
  [/^Too big/i, () => '数值过大'],
  [/^Invalid (ID|identity) number/i, () => '身份证号码不正确'],
  [/give an ID number, or a name and a phone number$/i, () => '按信访人查询：请填写身份证号码，或同时填写姓名和联系电话'],
  [/^Invalid phone/i, () => '电话号码不正确'],
  [/^Not a valid resident ID number/i, () => '身份证号码不正确（18位，请核对出生日期和校验位）'],
  [/^Expected a mobile number/i, () => '电话号码格式不正确：手机号11位，固定电话请带区号（如 0871-65123456）'],
  [/^unknown category /i, () => '问题类别不存在，请重新选择'],
  [/^category \S+ is retired/i, () => '该问题类别已停用，请重新选择'],
  [/^unknown subcategory /i, () => '子类不存在，请重新选择'],
  [/^subcategory \S+ is retired/i, () => '该子类已停用，请重新选择'],
  [/^code (\S+) is taken \(codes never change or return/i, (m) => `代码 ${m[1]} 已被使用（代码一经使用不再更改或重用，停用后亦然）`],
  [/^a (sub)?category (of \S+ )?is already called (.*)$/i, (m) => `已有同名的${m[1] ? '子类' : '类别'}：${m[3]}`],
  [/^must be a category code, or category.subcategory$/i, () => '代码应为小写字母开头的字母、数字或连字符（2–31位）'],
  [/^must be at most (\d+) bytes$/i, (m) => `文件过大（上限 ${(Number(m[1]) / 1024 / 1024).toFixed(0)} MB）`],
  [/^This Idempotency-Key was used for a different request/i, () => '表单在上一次保存请求之后有改动'],
  [/^unknown placeholder (.*?); allowed:/i, (m) => `未知的占位符：${m[1]}`],
  [/^the \S+ template must contain (.*)$/i, (m) => `必须保留：${m[1]}（法规要求文书载明的内容）`],
  [/^malformed placeholder/i, () => '占位符格式不正确：应写作 {{名称}}'],
  [/^the letter font has no glyph for (.*)$/i, (m) => `文书字体无法打印：${m[1]}`],
  [/^a prefix takes effect from (\d{4}) at the earliest/i, (m) => `新前缀最早自 ${m[1]} 年起使用；本年度及以前的前缀不能更改`],
  [/^The (settings were|template was) changed by someone else/i, () => '已被他人修改：请重新加载后再试'],
  [/^Send the (rev|version) of the (settings|template) you read as If-Match/i, () => '缺少版本号：请重新加载后再试'],
];

export function translateReason(reason: string): string {
  for (const [re, to] of PATTERNS) {
    const m = re.exec(reason);
    if (m) return to(m);
  }
  return reason;
}
