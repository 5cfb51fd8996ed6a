import type { FormInstance } from 'antd';
import { useState } from 'react';
import { ProblemError, problemToFields } from '../api/problem';
import type { ProblemDetails } from '../api/types';
import { useI18n } from '../i18n';

/** A form's sentences for refusals by code: fixed, or made from the problem (e.g. when to try again). */
export type KnownRefusals = Record<string, string | ((problem: ProblemDetails) => string)>;

/**
 * Runs a form's submit and, when the API refuses it, puts each of the problem's field errors next
 * to its field (antd's setFields) and everything else above the form, in the officer's language:
 * a refusal whose code the form knows (`known`: code → the console's sentence) in its words.
 */
export function useProblemForm<V>(form: FormInstance<V>, fields: readonly string[], known: KnownRefusals = {}) {
  const { lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (submit: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await submit();
      return true;
    } catch (e) {
      if (e instanceof ProblemError && Object.hasOwn(known, e.code)) {
        const said = known[e.code];
        setError(typeof said === 'function' ? said(e.problem) : said);
      } else if (e instanceof ProblemError) {
        const mapped = problemToFields(e.problem, fields, lang);
        form.setFields(mapped.fields as never);
        setError(mapped.other.length ? mapped.other.join(' ') : null);
      } else {
        setError(String(e));
      }
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
