import type { FieldError, ProblemDetails } from './types';

/** A failed API call: the RFC 9457 problem details the gateway answered with. */
export class ProblemError extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail || problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): string {
    return this.problem.code;
  }
}

/** What an antd form's setFields takes: one entry per field with its messages. */
export interface FormFieldError {
  name: (string | number)[];
  errors: string[];
}

/**
 * Splits the problem's `errors[{field, messages}]` into those of fields the form shows (to put next
 * to the field) and the rest (to say above the form). A nested field such as `subject.name` or
 * `attachments.0.sha256` becomes the path ['subject', 'name'] / ['attachments', 0, 'sha256'].
 */
export function problemToFields(problem: ProblemDetails, formFields: readonly string[]): { fields: FormFieldError[]; other: string[] } {
  const fields: FormFieldError[] = [];
  const other: string[] = [];
  const errors: FieldError[] = Array.isArray(problem.errors) ? problem.errors : [];
  for (const e of errors) {
    const path = e.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    if (formFields.includes(String(path[0]))) fields.push({ name: path, errors: e.messages });
    else other.push(`${e.field}: ${e.messages.join('; ')}`);
  }
  if (!errors.length) other.push(problem.detail || problem.title);
  return { fields, other };
}
