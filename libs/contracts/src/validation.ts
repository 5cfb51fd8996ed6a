import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { DomainError, FieldError, RuleParams } from './errors';

/** Rules whose default message names a bound ("… shorter than or equal to 200 characters"). */
const BOUNDED = new Set(['maxLength', 'minLength', 'isLength', 'min', 'max', 'arrayMaxSize', 'arrayMinSize']);
const BOUNDS = {
  min: /(?:longer than or equal to|at least|not be less than) (-?\d+(?:\.\d+)?)/,
  max: /(?:shorter than or equal to|no more than|not be greater than) (-?\d+(?:\.\d+)?)/,
} as const;

/**
 * One field's error from class-validator's constraints (`{ maxLength: 'title must be shorter than
 * or equal to 200 characters' }`): the messages, the rules' names as `codes`, and the bounds the
 * default messages name as `params`. A custom message names none, so it gives no params.
 */
export function fieldError(field: string, constraints: Record<string, string>): FieldError {
  const params: NonNullable<FieldError['params']> = {};
  for (const [code, message] of Object.entries(constraints)) {
    if (!BOUNDED.has(code)) continue;
    for (const [bound, re] of Object.entries(BOUNDS) as [keyof typeof BOUNDS, RegExp][]) {
      const m = re.exec(message);
      if (m) (params[code] ??= {})[bound] = Number(m[1]);
    }
  }
  return { field, messages: Object.values(constraints), codes: Object.keys(constraints), ...(Object.keys(params).length ? { params } : {}) };
}

/**
 * One field's error from a service's own check of the domain: the rule's stable camelCase `code`
 * (what clients key their own sentences on), the English sentence for API clients, and the values
 * the sentence names as `params` (integer fen in names ending `Fen`).
 */
export function ruleError(field: string, code: string, message: string, params?: RuleParams): FieldError {
  return { field, messages: [message], codes: [code], ...(params ? { params: { [code]: params } } : {}) };
}

/** Flattens class-validator's nested errors into `field.path: messages` (with their codes). */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own: FieldError[] = e.constraints ? [fieldError(field, e.constraints)] : [];
    return [...own, ...toFieldErrors(e.children ?? [], field)];
  });
}

/** The validation rules every entry point applies: unknown fields are refused, not dropped silently. */
export const VALIDATION_OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/** Turns a plain payload into a validated DTO instance, or throws VALIDATION_FAILED. */
export async function validateDto<T extends object>(dto: new () => T, payload: unknown): Promise<T> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw DomainError.validation([{ field: '(body)', messages: ['the body must be a JSON object'] }]);
  }
  const instance = plainToInstance(dto, payload);
  const errors = await validate(instance, VALIDATION_OPTIONS);
  if (errors.length > 0) throw DomainError.validation(toFieldErrors(errors));
  return instance;
}
