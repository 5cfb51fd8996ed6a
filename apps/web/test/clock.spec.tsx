/**
 * @jest-environment jsdom
 */
import { render, screen } from '@testing-library/react';
import { LiveClock } from '../src/components/Clock';
import { I18nProvider } from '../src/i18n';
import { installBrowserShims } from './jsdom-setup';

installBrowserShims();

const HOUR = 3600_000;
const at = (offsetHours: number) => new Date(Date.now() + offsetHours * HOUR).toISOString();

function shown(clock: { dueAt: string; stoppedAt: string | null; status: 'running' | 'stopped' | 'overdue' }) {
  render(
    <I18nProvider initial="zh">
      <LiveClock clock={{ ...clock, label: '' }} />
    </I18nProvider>,
  );
  return screen.getByTestId('clock');
}

describe('a statutory clock on the console', () => {
  it('says a step taken after its deadline was taken late, in red: a forwarding 30 hours after the receipt', () => {
    const tag = shown({ dueAt: at(-6), stoppedAt: at(0), status: 'stopped' });
    expect(tag.textContent).toBe('逾期办理');
    expect(tag.getAttribute('data-late')).toBe('true');
    expect(tag.className).toMatch(/red/);
  });

  it('says a step taken in time stopped its clock, without alarm', () => {
    const tag = shown({ dueAt: at(12), stoppedAt: at(-1), status: 'stopped' });
    expect(tag.textContent).toBe('已停止');
    expect(tag.getAttribute('data-late')).toBe('false');
    expect(tag.className).not.toMatch(/red/);
  });

  it('shows a clock still running past its deadline as overdue', () => {
    const overdue = shown({ dueAt: at(-2), stoppedAt: null, status: 'overdue' });
    expect(overdue.textContent).toMatch(/^已超期 /);
    expect(overdue.getAttribute('data-overdue')).toBe('true');
  });
});
