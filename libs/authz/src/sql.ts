import { Action, AppAbility, SubjectName } from './ability';

/** A parameterised SQL predicate built from the caller's rules. */
export interface SqlFilter {
  sql: string;
  params: unknown[];
}

type Condition = Record<string, unknown>;

/**
 * Translates the rules for (action, subject) into a WHERE clause, so a list returns only rows the
 * caller may see without fetching the rest. `columns` maps rule fields to SQL columns (an array
 * column is written `ANY:column`: equality then means "contains"; a field derived from other
 * tables maps to an SQL expression); a field the map does not know fails loudly instead of being
 * ignored. Returns null when nothing is allowed.
 */
export function sqlFilter(ability: AppAbility, action: Action, subject: SubjectName, columns: Record<string, string>, firstParam = 1): SqlFilter | null {
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${firstParam + params.length - 1}`;
  };
  const column = (field: string) => {
    const c = columns[field];
    if (!c) throw new Error(`No column for rule field "${field}" on ${subject}`);
    return c;
  };
  const toSql = (cond: Condition): string => {
    const parts = Object.entries(cond).map(([field, value]) => {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const [[op, operand]] = Object.entries(value as Record<string, unknown>);
        switch (op) {
          case '$regex': {
            const source = operand instanceof RegExp ? operand.source : String(operand);
            if (!/^\^[0-9A-Za-z_-]*$/.test(source)) throw new Error(`Only prefix patterns are supported in SQL, got ${source}`);
            return `${column(field)} LIKE ${param(source.slice(1) + '%')}`;
          }
          case '$in':
            return `${column(field)} = ANY(${param(operand)})`;
          case '$nin':
            return `NOT (${column(field)} = ANY(${param(operand)}))`;
          case '$eq':
            return `${column(field)} = ${param(operand)}`;
          default:
            throw new Error(`Operator ${op} is not supported in SQL filters`);
        }
      }
      const c = column(field);
      return c.startsWith('ANY:') ? `${param(value)} = ANY(${c.slice(4)})` : `${c} = ${param(value)}`;
    });
    return parts.length ? `(${parts.join(' AND ')})` : 'TRUE';
  };
  // A row passes when some allowing rule matches and no forbidding ("cannot") rule does.
  const rules = ability.rulesFor(action, subject);
  const allowed = rules.filter((r) => !r.inverted);
  if (allowed.length === 0) return null;
  const allow = allowed.map((r) => (r.conditions ? toSql(r.conditions as Condition) : 'TRUE'));
  const forbid = rules.filter((r) => r.inverted).map((r) => (r.conditions ? `NOT ${toSql(r.conditions as Condition)}` : 'FALSE'));
  return { sql: [`(${allow.join(' OR ')})`, ...forbid].join(' AND '), params };
}
