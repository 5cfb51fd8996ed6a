import { ProblemError } from '../src/api/problem';
import type { FieldError, ProblemDetails } from '../src/api/types';

/** The API's 400 with these field errors, as the console's client throws it. */
export const validation = (errors: FieldError[]): ProblemError =>
  new ProblemError({ type: 'https://lianban.gov.cn/problems/validation-failed', title: 'Bad Request', status: 400, detail: 'The request is not valid.', code: 'VALIDATION_FAILED', errors } as ProblemDetails);

/** The form item (label, field and its messages) that holds the field with this id. */
export function itemOf(id: string): HTMLElement {
  const field = document.getElementById(id);
  if (!field) throw new Error(`no field #${id}`);
  return field.closest('.ant-form-item') as HTMLElement;
}
