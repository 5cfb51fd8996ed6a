import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api } from './api/client';
import type { AgencyView, OfficerNameView, OfficerView, Principal, RegionView, SessionTokens } from './api/types';

interface Directory {
  agencies: Map<string, AgencyView>;
  /** The officer's own agency (the leading-group office: its region), with roles: for choosing colleagues. */
  officers: Map<string, OfficerView>;
  /** Names of the officers of every agency in the directory: for saying who signed a step. */
  officerNames: Map<string, OfficerNameView>;
  regions: Map<string, RegionView>;
}

interface Session {
  principal: Principal | null;
  directory: Directory;
  /** Puts an agency the console has just changed (its contacts) into the directory, as the API answered it. */
  agencyChanged: (agency: AgencyView) => void;
  /** Puts an officer the console has just opened or changed (name, roles, account) into the directory, as the API answered it. */
  officerChanged: (officer: OfficerView) => void;
}

const empty: Directory = { agencies: new Map(), officers: new Map(), officerNames: new Map(), regions: new Map() };
const Ctx = createContext<Session>({ principal: null, directory: empty, agencyChanged: () => undefined, officerChanged: () => undefined });

/**
 * Who is signed in, and the directory the console names people and agencies from (loaded once per
 * session: the agencies and regions the officer may see, the officers of their own agency, or of
 * their region for the leading-group office, and the names only of the officers of every agency
 * they may see, so that a step signed at another agency shows who signed it).
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionTokens | null>(api.current);
  const [directory, setDirectory] = useState<Directory>(empty);
  useEffect(() => api.subscribe(setSession), []);
  const principalId = session?.principal.id;
  const principalKind = session?.principal.kind;
  // Until a temporary password is replaced the API answers nothing else: the directory waits.
  const mustChangePassword = session?.principal.passwordChangeRequired ?? false;
  useEffect(() => {
    if (!principalId || mustChangePassword) {
      setDirectory(empty);
      return;
    }
    let live = true;
    // An institution portal account reads no directory (the API refuses it): its pages name only itself.
    const institution = principalKind === 'institution';
    Promise.all([
      institution ? [] : api.get<AgencyView[]>('/agencies').catch(() => []),
      institution ? [] : api.get<OfficerView[]>('/officers').catch(() => []),
      institution ? [] : api.get<OfficerNameView[]>('/officers/names').catch(() => []),
      institution ? [] : api.get<RegionView[]>('/regions').catch(() => []),
    ]).then(([agencies, officers, officerNames, regions]) => {
      if (!live) return;
      setDirectory({
        agencies: new Map(agencies.map((a) => [a.id, a])),
        officers: new Map(officers.map((o) => [o.id, o])),
        officerNames: new Map(officerNames.map((o) => [o.id, o])),
        regions: new Map(regions.map((r) => [r.code, r])),
      });
    });
    return () => {
      live = false;
    };
  }, [principalId, principalKind, mustChangePassword]);
  const agencyChanged = useCallback((agency: AgencyView) => setDirectory((d) => ({ ...d, agencies: new Map(d.agencies).set(agency.id, agency) })), []);
  const officerChanged = useCallback(
    (o: OfficerView) =>
      setDirectory((d) => ({
        ...d,
        officers: new Map(d.officers).set(o.id, o),
        officerNames: new Map(d.officerNames).set(o.id, { id: o.id, displayName: o.displayName, agencyId: o.agencyId }),
      })),
    [],
  );
  const value = useMemo(() => ({ principal: session?.principal ?? null, directory, agencyChanged, officerChanged }), [session, directory, agencyChanged, officerChanged]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  return useContext(Ctx);
}

/** Names from the directory; an officer or agency it does not show (outside one's jurisdiction) by the start of the id. */
export function useNames() {
  const { directory } = useSession();
  return {
    agency: (id: string | null | undefined) => (id ? (directory.agencies.get(id)?.name ?? id.slice(0, 8)) : ''),
    officer: (id: string | null | undefined) => (id ? (directory.officerNames.get(id)?.displayName ?? directory.officers.get(id)?.displayName ?? `#${id.slice(0, 8)}`) : ''),
    region: (code: string | null | undefined) => (code ? (directory.regions.get(code)?.name ?? code) : ''),
    directory,
  };
}
