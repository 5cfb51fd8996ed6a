import { contentDisposition } from './download';

describe('Content-Disposition for Chinese file names (RFC 6266 / RFC 5987)', () => {
  it.each([
    ['附件4_定点医药机构自查自纠汇总情况表_张掖市.xlsx', '4.xlsx'],
    ['附件3_定点医药机构自查自纠问题台账_H62070200001_张掖市人民医院.csv', '3_H62070200001.csv'],
    ['report.csv', 'report.csv'],
    ['台账.xlsx', 'download.xlsx'],
    ['台账', 'download'],
  ])('%s gets the ASCII fallback %s and its exact name in filename*', (name, fallback) => {
    const header = contentDisposition(name);
    const match = /^attachment; filename="([^"]*)"; filename\*=UTF-8''([A-Za-z0-9%._~!$&+^`|#-]+)$/.exec(header);
    expect(match).not.toBeNull();
    expect(match![1]).toBe(fallback);
    expect(decodeURIComponent(match![2])).toBe(name);
  });

  it('percent-encodes the characters RFC 5987 does not allow bare', () => {
    expect(contentDisposition("台账(修订)'*.csv")).toContain("filename*=UTF-8''%E5%8F%B0%E8%B4%A6%28%E4%BF%AE%E8%AE%A2%29%27%2A.csv");
  });
});
