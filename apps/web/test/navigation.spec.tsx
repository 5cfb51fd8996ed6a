/**
 * @jest-environment jsdom
 */
import './text-encoding';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { ComponentType, lazy } from 'react';
import { Link, MemoryRouter, Route, Routes } from 'react-router-dom';
import { PageBoundary } from '../src/PageBoundary';
import { installBrowserShims } from './jsdom-setup';

installBrowserShims();

describe('moving to a page whose code is still loading', () => {
  it('takes the previous page and its form away at once and shows the loading state', async () => {
    let arrive: (page: { default: ComponentType }) => void = () => undefined;
    const Next = lazy(() => new Promise<{ default: ComponentType }>((resolve) => (arrive = resolve)));
    render(
      <MemoryRouter initialEntries={['/ledgers']}>
        <Routes>
          <Route path="/ledgers" element={<PageBoundary><input data-testid="old-form" /><Link to="/ledgers/1">台账</Link></PageBoundary>} />
          <Route path="/ledgers/:id" element={<PageBoundary><Next /></PageBoundary>} />
        </Routes>
      </MemoryRouter>,
    );
    fireEvent.click(screen.getByText('台账'));
    // While the next page's code loads, nothing of the previous page is left to type into.
    expect(await screen.findByTestId('page-loading')).toBeTruthy();
    expect(screen.queryByTestId('old-form')).toBeNull();
    await act(async () => arrive({ default: () => <p>台账详情</p> }));
    expect(await screen.findByText('台账详情')).toBeTruthy();
    expect(screen.queryByTestId('page-loading')).toBeNull();
  });
});
