import { ruleMessage } from '../i18n/messages';
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
 * Whether the form shows a field: `formFields` names top-level fields (everything under `subject`
 * belongs to the form's `subject`), or exact paths where `*` stands for a row's index
 * (`problems.*.reason`), for forms whose rows show some columns and not others.
 */
function shows(formFields: readonly string[], path: (string | number)[]): boolean {
  return formFields.some((f) => {
    if (!f.includes('.')) return f === String(path[0]);
    const parts = f.split('.');
    return parts.length === path.length && parts.every((p, i) => (p === '*' ? typeof path[i] === 'number' : p === String(path[i])));
  });
}

/**
 * What the console says of a field error: for each broken rule the API names in `codes` (a
 * class-validator rule, or a service's own check of the domain such as `refundAboveViolating`), the
 * console's own sentence in the officer's language, filled from `params`; the API's (English)
 * message for a rule it has no sentence for, and for an error without codes.
 */
export function fieldErrorTexts(e: FieldError, lang: 'zh' | 'en'): string[] {
  return e.messages.map((message, i) => {
    const code = e.codes?.[i];
    const rule = code && ruleMessage(lang, code, e.params?.[code]);
    if (!rule) return message;
    // A format rule with an explanation of its own (an example of the format) keeps it after the sentence.
    if (code === 'matches' && !/must match .* regular expression$/.test(message)) return lang === 'zh' ? `${rule}（${message}）` : `${rule} (${message})`;
    return rule;
  });
}

/**
 * Splits the problem's `errors[{field, messages}]` into those of fields the form shows (to put next
 * to the field) and the rest (to say above the form, so none is lost), in the officer's language
 * where the console knows the rule (fieldErrorTexts). A nested field such as
 * `subject.name` or `attachments.0.sha256` becomes the path ['subject', 'name'] / ['attachments', 0, 'sha256'].
 */
export function problemToFields(problem: ProblemDetails, formFields: readonly string[], lang: 'zh' | 'en' = 'zh'): { fields: FormFieldError[]; other: string[] } {
  const fields: FormFieldError[] = [];
  const other: string[] = [];
  const errors: FieldError[] = Array.isArray(problem.errors) ? problem.errors : [];
  for (const e of errors) {
    const path = e.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const texts = fieldErrorTexts(e, lang);
    if (shows(formFields, path)) fields.push({ name: path, errors: texts });
    else other.push(`${e.field}: ${texts.join('; ')}`);
  }
  if (!errors.length) other.push(problem.detail || problem.title);
  return { fields, other };
}
