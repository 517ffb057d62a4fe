import { describe, expect, it } from 'vitest';
import { checkArchive, checkLetters, checkPrefix, checkSweep, checkUpload } from './settings-form';
import { templateProblems } from './template-check';

describe('the 系统设置 forms', () => {
  it('turns the reminder days typed into the API body, and says in Chinese what is wrong', () => {
    expect(checkSweep({ reminderWorkingDays: '1、10，5', flaggedAfterDays: '12', replyWorkingDays: '5' })).toEqual({
      errors: {},
      body: { sweep: { reminderWorkingDays: [10, 5, 1], flaggedAfterDays: 12, replyWorkingDays: 5 } },
    });
    const bad = checkSweep({ reminderWorkingDays: '40, 5', flaggedAfterDays: '', replyWorkingDays: '2.5' });
    expect(bad.body).toBeUndefined();
    expect(bad.errors).toEqual({
      'sweep.reminderWorkingDays': '“40”：应在 1–30 个工作日 之间',
      'sweep.flaggedAfterDays': '必填',
      'sweep.replyWorkingDays': '请填写整数（1–30 个工作日）',
    });
    expect(checkSweep({ reminderWorkingDays: '5, 5', flaggedAfterDays: '10', replyWorkingDays: '5' }).errors['sweep.reminderWorkingDays']).toBe(
      '提醒天数不能重复',
    );
  });

  it('checks the upload limit, the archive and the letters', () => {
    expect(checkUpload({ maxUploadMb: '50' }).body).toEqual({ maxUploadBytes: 50 * 1024 * 1024 });
    expect(checkUpload({ maxUploadMb: '0' }).errors.maxUploadBytes).toBe('应在 1–2048 MB 之间');
    const archive = checkArchive({
      rules: [
        { retention: 'permanent', reason: '无条件' },
        { collective: true, retention: '30y', reason: ' ' },
      ],
      defaultRetention: '30y',
      maxLoanDays: '400',
    });
    expect(Object.keys(archive.errors).sort()).toEqual(['archive.maxLoanDays', 'archive.rules.0.reason', 'archive.rules.1.reason']);
    const letters = checkLetters(
      {
        organName: '江川市信访局',
        shortName: '',
        reviewOrgan: '江川市人民政府',
        rereviewOrgan: '东州省人民政府',
        address: '滨江路88号',
        phone: '0871-12345',
        queryUrl: 'https://xf.example',
        sealText: '江川市信访局',
        documentNumberPatterns: { receipt: '', 'acceptance-notice': '{short}信受〔{year}〕号', 'transfer-notice': '{short}〔{yr}〕{seq}号' },
      },
      { 'acceptance-notice': '受理告知书' },
    );
    expect(letters.errors).toEqual({
      'letters.shortName': '必填',
      'letters.documentNumberPatterns.acceptance-notice': '受理告知书：须含 {seq}（序号）',
      'letters.documentNumberPatterns.transfer-notice': 'transfer-notice：只能使用 {short} {year} {seq}',
    });
  });

  it('adds a case-number prefix from a later year only', () => {
    expect(checkPrefix({ fromYear: '2027', prefix: 'jx' }, [], 2026)).toEqual({ errors: {}, body: { caseNumberPrefixes: [{ fromYear: 2027, prefix: 'JX' }] } });
    expect(checkPrefix({ fromYear: '2026', prefix: 'JX' }, [], 2026).errors['caseNumberPrefixes.fromYear']).toBe('新前缀只能自以后年度起使用（2027 年或以后）');
    expect(checkPrefix({ fromYear: '2027', prefix: 'J-X' }, [], 2026).errors['caseNumberPrefixes.prefix']).toBe('1–8 位大写字母或数字，如 JX');
  });
});

describe('the letter-template editor', () => {
  it('names unknown placeholders and required ones left out, in Chinese', () => {
    expect(templateProblems('{{receivingOrgan}}办理。', ['receivingOrgan', 'caseNo'], ['receivingOrgan'])).toEqual([]);
    expect(templateProblems('{{deadline}}办理。{{', ['receivingOrgan'], ['receivingOrgan'])).toEqual([
      '未知的占位符：{{deadline}}（只能使用右侧列出的占位符）',
      '必须保留：{{receivingOrgan}}（接收机关），这是法规要求文书载明的内容',
      '占位符格式不正确：应写作 {{名称}}',
    ]);
    expect(templateProblems(' \n ', [], [])).toEqual(['模板不能为空']);
  });
});
