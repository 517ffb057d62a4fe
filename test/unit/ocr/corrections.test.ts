import { describe, expect, it } from 'vitest';
import { correctKnownConfusions } from '../../../shared/adapters/ocr/corrections';

describe("corrections of the recogniser's known misreadings", () => {
  it('reads 部內 and 部内 as 部门, and 內 as 门, on a simplified page', () => {
    expect(correctKnownConfusions('恳请有关部內依法调查，已向环保部内投诉三次，在內口等候')).toBe('恳请有关部门依法调查，已向环保部门投诉三次，在门口等候');
  });

  it('leaves 全部内容, 部内容, 部内部 and 内部 alone', () => {
    expect(correctKnownConfusions('以上全部内容属实，内部文件的部内容，干部内部通报')).toBe('以上全部内容属实，内部文件的部内容，干部内部通报');
  });

  it('leaves a page with traditional characters as read', () => {
    expect(correctKnownConfusions('我們向有關部門反映，國內情況')).toBe('我們向有關部門反映，國內情況');
  });
});
