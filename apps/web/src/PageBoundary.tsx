import { ReactNode, Suspense } from 'react';
import { useLocation } from 'react-router-dom';
import { Loading } from './components/Loading';

/**
 * A page behind its own loading boundary, one per path. Every route's element sits at the same
 * place in the tree, and React Router navigates in a transition, which keeps a boundary already
 * shown on its old content until the new page's code has loaded: the previous page stayed on
 * screen, its forms still taking input that was then lost. A boundary new to each path shows
 * the loading state at once instead (and a new path starts its page afresh).
 */
export function PageBoundary({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  return (
    <Suspense key={pathname} fallback={<Loading />}>
      {children}
    </Suspense>
  );
}
