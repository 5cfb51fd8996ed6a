import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError, FieldError, ruleError } from '@lianban/contracts';

/** At most this many places are named in one refusal. */
const MAX_NAMED = 20;

/** The text of a value that no field can take, by the paths validation errors use (`items.3.claimRef`). */
function badText(value: unknown, path: string, found: FieldError[]): void {
  if (found.length >= MAX_NAMED) return;
  if (typeof value === 'string') {
    const field = path || '(body)';
    const name = path || 'the body';
    if (value.includes('\u0000')) found.push(ruleError(field, 'noNulCharacter', `${name} must not contain the NUL character (U+0000)`));
    else if (!value.isWellFormed()) found.push(ruleError(field, 'wellFormedText', `${name} must be well-formed Unicode text (it holds a lone surrogate)`));
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => badText(v, path ? `${path}.${i}` : String(i), found));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) badText(v, path ? `${path}.${k}` : k, found);
  }
}

/**
 * Refuses, before any other check, text that no field of the platform can take, naming each place
 * in a body, a query or a path parameter: the NUL character (U+0000), which PostgreSQL cannot store
 * in text, and lone surrogates (JSON's `"\ud800"`), which are no character at all and make
 * validators throw. Either reached a 500 before. Runs on every argument bound with @Body, @Query
 * or @Param, whatever its type (the batch verification's `unknown` body included).
 */
@Injectable()
export class TextPipe implements PipeTransform {
  transform(value: unknown, meta: ArgumentMetadata): unknown {
    if (meta.type === 'custom') return value;
    const found: FieldError[] = [];
    badText(value, meta.type === 'param' ? (meta.data ?? '') : '', found);
    if (found.length) throw DomainError.validation(found);
    return value;
  }
}
