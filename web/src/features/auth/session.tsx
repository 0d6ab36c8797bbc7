import { createContext, type ComponentChildren } from "preact";
import { useLocation } from "preact-iso";
import { useContext, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Me } from "../../../../worker/contracts/auth.ts";
import { authApi } from "../../api/auth.ts";
import { onUnauthorized } from "../../api/http.ts";
import { Loading } from "../../ui/loading.tsx";
import { loginUrl } from "./next-url.ts";

export type SessionState = { status: "loading" } | { status: "signed-out" } | { status: "signed-in"; me: Me };

interface SessionValue {
  state: SessionState;
  setMe(me: Me | null): void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });
  const { route } = useLocation();

  useEffect(() => {
    authApi
      .me()
      .then((me) => setState(me ? { status: "signed-in", me } : { status: "signed-out" }))
      .catch(() => setState({ status: "signed-out" }));
  }, []);

  useEffect(() => {
    onUnauthorized(() => {
      setState({ status: "signed-out" });
      const here = location.pathname + location.search;
      if (!/^\/(login|signup)\b/.test(location.pathname)) route(loginUrl(here), true);
    });
  }, [route]);

  const value = useMemo<SessionValue>(
    () => ({ state, setMe: (me) => setState(me ? { status: "signed-in", me } : { status: "signed-out" }) }),
    [state],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession() needs <SessionProvider>.");
  return value;
}

/** The signed-in user; only call below <RequireAuth>. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== "signed-in") throw new Error("useMe() needs a signed-in session.");
  return state.me;
}

/** Renders children only for a signed-in user; otherwise sends them to /login?next=<here>. */
export function RequireAuth({ children }: { children: ComponentChildren }) {
  const { state } = useSession();
  const { route, url } = useLocation();
  // The URL this guard was rendered for: while the router swaps pages, `url` already names the next page.
  const [guarded] = useState(url);
  const redirected = useRef(false);
  useEffect(() => {
    if (state.status !== "signed-out" || redirected.current) return;
    redirected.current = true;
    route(loginUrl(guarded), true);
  }, [state.status, guarded, route]);
  if (state.status === "loading") return <Loading />;
  if (state.status === "signed-out") return null;
  return <>{children}</>;
}
