/**
 * Corrections of the recognition model's known, systematic misreadings (docs/ocr.md, "Engine"),
 * measured on printed pages: PP-OCRv4's mobile recogniser reads 门 as printed in the Source Han /
 * Noto CJK faces (Song and Hei) as 內 or 内 — 部门 comes out 部內 or 部内 — while it reads those
 * faces' real 内 as 内. So, on a page in simplified Chinese only (a page with traditional forms is
 * left as read):
 * - 內 (the traditional form, never written in a simplified letter) becomes 门;
 * - 部内 becomes 部门, except in 全部内…, 部内容 and 部内部 (全部内容, 外交部内部): a trade, as a
 *   language model makes one — 部门 is everywhere in a letter, 部内 rare.
 */

/** Common traditional-only forms: one of them on a page means the page is not simplified Chinese. */
const TRADITIONAL = /[們說這個為國會來對時與於後從開關問題們發還進過現實當經區縣鄉鎮處辦單請訪號電話給讓見書]/u;

export function correctKnownConfusions(text: string): string {
  if (TRADITIONAL.test(text)) return text;
  return text.replace(/內/gu, '门').replace(/(?<!全)部内(?![容部])/gu, '部门');
}
