import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { DomainError, FieldError } from './errors';

/** Flattens class-validator's nested errors into `field.path: messages`. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own: FieldError[] = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
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
