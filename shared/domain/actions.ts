/**
 * The lifecycle's actions (DESIGN §3), named once. The state machine in lifecycle.ts gives each
 * its rules; the route table derives one `POST /cases/{caseNo}/<action>` route from each.
 */
export const ACTIONS = [
  'propose', // 拟办: clerk proposes accept / decline / transfer (and a department)
  'approve-proposal', // 批办: director approves the proposal, which carries it out
  'accept', // 受理
  'decline', // 不予受理
  'transfer', // 转送
  'assign', // 交办
  'reassign', // 改派
  'request-extension', // department asks for an extension
  'extend', // 延期 (director)
  'pause-clock', // 中止计时 (hearing, waiting for the petitioner)
  'resume-clock', // 恢复计时
  'answer', // department answers (办理结果)
  'return', // director returns the answer for rework
  'approve-reply', // director approves the reply (信访处理意见书)
  'deliver', // 送达
  'request-review', // 复查申请
  'review-opinion', // 复查意见送达
  'request-rereview', // 复核申请
  'rereview-opinion', // 复核意见送达 → final
  'close', // 办结
] as const;

export type Action = (typeof ACTIONS)[number];

export const ACTION_LABELS: Record<Action, string> = {
  propose: '拟办',
  'approve-proposal': '批办',
  accept: '受理',
  decline: '不予受理',
  transfer: '转送',
  assign: '交办',
  reassign: '改派',
  'request-extension': '申请延期',
  extend: '延期',
  'pause-clock': '中止计时',
  'resume-clock': '恢复计时',
  answer: '承办答复',
  return: '退回重办',
  'approve-reply': '审批答复',
  deliver: '送达',
  'request-review': '申请复查',
  'review-opinion': '复查意见',
  'request-rereview': '申请复核',
  'rereview-opinion': '复核意见',
  close: '办结',
};
