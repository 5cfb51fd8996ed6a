import 'reflect-metadata';
import { checkVerifyItem, DomainError, validateDto, VerifyInvoiceDto } from '@lianban/contracts';

/** What class-validator says about an item, as a single verification request would get it. */
async function viaClassValidator(item: unknown): Promise<{ item?: object; errors?: unknown }> {
  try {
    return { item: { ...(await validateDto(VerifyInvoiceDto, item)) } };
  } catch (e) {
    return { errors: (e as DomainError).toProblem().errors };
  }
}

const ok = { code: '62060126', number: '0000000001', checkCode: '1a9c3f' };

describe('the batch path’s item check gives the same answer as VerifyInvoiceDto', () => {
  it.each([
    ['a minimal item', ok],
    ['every optional field', { ...ok, checkCode: '1A9C3F', issuedOn: '2026-03-02', amountFen: 128_350, claimRef: 'SETL-1' }],
    ['a date with a time', { ...ok, issuedOn: '2026-03-02T10:00:00Z' }],
    ['an impossible date', { ...ok, issuedOn: '2026-02-30' }],
    ['a date as a number', { ...ok, issuedOn: 20260302 }],
    ['a date in the basic ISO form', { ...ok, issuedOn: '20260302' }],
    ['a month only', { ...ok, issuedOn: '2026-03' }],
    ['a date with a zone', { ...ok, issuedOn: '2026-03-02T00:00:00+08:00' }],
    ['a fractional negative amount', { ...ok, amountFen: -1.5 }],
    ['an amount as a string', { ...ok, amountFen: '12' }],
    ['an amount too large', { ...ok, amountFen: 1e13 }],
    ['the largest amount', { ...ok, amountFen: 1e12 }],
    ['an empty claim', { ...ok, claimRef: '' }],
    ['a claim as a number', { ...ok, claimRef: 5 }],
    ['a claim as false', { ...ok, claimRef: false }],
    ['a claim too long', { ...ok, claimRef: 'x'.repeat(101) }],
    ['a claim of 100 characters', { ...ok, claimRef: 'x'.repeat(100) }],
    ['a claim of emoji', { ...ok, claimRef: '😀'.repeat(60) }],
    ['everything wrong at once, with unknown fields', { code: 'x', number: 1, checkCode: null, issuedOn: '2026-13-01', amountFen: -1.5, claimRef: '', zz: 1, aa: 2 }],
    ['codes of the wrong shape', { code: '62070126', number: '000000001', checkCode: '1a9c3g' }],
    ['a code as a number', { ...ok, code: 62060126 }],
    ['nothing', {}],
    ['an array', []],
    ['null', null],
    ['a string', '62060126'],
  ])('%s', async (_, item) => {
    const fast = checkVerifyItem(item);
    const slow = await viaClassValidator(item);
    if (slow.errors) expect(fast.errors).toEqual(slow.errors);
    else expect(fast.item).toEqual(slow.item);
  });

  it('treats an optional field sent as null as absent (an amount of null is no amount, not a mismatch)', () => {
    expect(checkVerifyItem({ ...ok, issuedOn: null, amountFen: null, claimRef: null })).toEqual({ item: ok });
  });
});
