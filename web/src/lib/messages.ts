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
  [/^give a reason$/i, () => '请填写理由'],
  [/^Required$|^Invalid input: expected .*, received undefined$/i, () => '必填'],
  [/^Invalid input/i, () => '格式不正确'],
  [/^Too small/i, () => '数值过小'],
  [/^Too big/i, () => '数值过大'],
  [/^Invalid (ID|identity) number/i, () => '身份证号码不正确'],
  [/^Invalid phone/i, () => '电话号码不正确'],
];

export function translateReason(reason: string): string {
  for (const [re, to] of PATTERNS) {
    const m = re.exec(reason);
    if (m) return to(m);
  }
  return reason;
}
