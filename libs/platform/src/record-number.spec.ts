import { recordNumber } from './record-number';

describe('record numbers', () => {
  it('carry the year in Shanghai, where a new year begins eight hours before it does in UTC', () => {
    expect(recordNumber('AJ', '620702', 42, new Date('2026-12-31T15:59:59Z'))).toBe('AJ620702-2026-000042');
    expect(recordNumber('AJ', '620702', 42, new Date('2026-12-31T16:00:00Z'))).toBe('AJ620702-2027-000042');
    expect(recordNumber('XS', '620723', '1234567', new Date('2027-06-01T00:00:00Z'))).toBe('XS620723-2027-1234567');
  });
});
