import { yuan } from './forms';

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
