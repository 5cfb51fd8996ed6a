import { lazy, ReactNode, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { Loading } from './components/Loading';
import { Shell } from './components/Shell';
import { PageBoundary } from './PageBoundary';
import { I18nProvider } from './i18n';
import { SessionProvider, useSession } from './session';

// Each page is its own chunk: the first screen loads only what it shows.
const LoginPage = lazy(() => import('./pages/LoginPage'));
const PasswordPage = lazy(() => import('./pages/PasswordPage'));
const WorkbenchPage = lazy(() => import('./pages/WorkbenchPage'));
const TransfersPage = lazy(() => import('./pages/TransfersPage'));
const TransferDetailPage = lazy(() => import('./pages/TransferDetailPage'));
const NewTransferPage = lazy(() => import('./pages/NewTransferPage'));
const CluesPage = lazy(() => import('./pages/CluesPage'));
const ClueDetailPage = lazy(() => import('./pages/ClueDetailPage'));
const NewCluePage = lazy(() => import('./pages/NewCluePage'));
const CasesPage = lazy(() => import('./pages/CasesPage'));
const CaseDetailPage = lazy(() => import('./pages/CaseDetailPage'));
const LedgersPage = lazy(() => import('./pages/LedgersPage'));
const LedgerDetailPage = lazy(() => import('./pages/LedgerDetailPage'));
const SupervisionsPage = lazy(() => import('./pages/SupervisionsPage'));
const SupervisionDetailPage = lazy(() => import('./pages/SupervisionDetailPage'));
const InvoicesPage = lazy(() => import('./pages/InvoicesPage'));
const OfficersPage = lazy(() => import('./pages/OfficersPage'));
const AuditPage = lazy(() => import('./pages/AuditPage'));
const InstitutionsPage = lazy(() => import('./pages/InstitutionsPage'));
const DirectoryPage = lazy(() => import('./pages/DirectoryPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

function Private({ children }: { children: ReactNode }) {
  const { principal } = useSession();
  if (!principal) return <Navigate to="/login" replace />;
  // Signed in with a temporary password: nothing else until the officer has chosen their own.
  if (principal.passwordChangeRequired) return <Navigate to="/password" replace />;
  return (
    <Shell>
      <PageBoundary>{children}</PageBoundary>
    </Shell>
  );
}

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <BrowserRouter>
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/password" element={<PasswordPage />} />
              <Route path="/" element={<Private><WorkbenchPage /></Private>} />
              <Route path="/transfers" element={<Private><TransfersPage /></Private>} />
              <Route path="/transfers/new" element={<Private><NewTransferPage /></Private>} />
              <Route path="/transfers/:id" element={<Private><TransferDetailPage /></Private>} />
              <Route path="/clues" element={<Private><CluesPage /></Private>} />
              <Route path="/clues/new" element={<Private><NewCluePage /></Private>} />
              <Route path="/clues/:id" element={<Private><ClueDetailPage /></Private>} />
              <Route path="/cases" element={<Private><CasesPage /></Private>} />
              <Route path="/cases/:id" element={<Private><CaseDetailPage /></Private>} />
              <Route path="/ledgers" element={<Private><LedgersPage /></Private>} />
              <Route path="/ledgers/:id" element={<Private><LedgerDetailPage /></Private>} />
              <Route path="/supervisions" element={<Private><SupervisionsPage /></Private>} />
              <Route path="/supervisions/:id" element={<Private><SupervisionDetailPage /></Private>} />
              <Route path="/invoices" element={<Private><InvoicesPage /></Private>} />
              <Route path="/institutions" element={<Private><InstitutionsPage /></Private>} />
              <Route path="/directory" element={<Private><DirectoryPage /></Private>} />
              <Route path="/officers" element={<Private><OfficersPage /></Private>} />
              <Route path="/audit" element={<Private><AuditPage /></Private>} />
              <Route path="*" element={<Private><NotFoundPage /></Private>} />
            </Routes>
          </Suspense>
        </BrowserRouter>
      </SessionProvider>
    </I18nProvider>
  );
}
