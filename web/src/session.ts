import { useCallback, useEffect, useState } from "preact/hooks";
import { api, type WhoAmIResponse } from "./api.js";

/** Who is signed in, refreshed after sign-in and sign-out. */
export function useSession() {
  const [session, setSession] = useState<WhoAmIResponse | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const refresh = useCallback(() => {
    api<WhoAmIResponse>("GET", "/api/v1/auth/whoami").then(
      (who) => {
        setSession(who);
        setError(undefined);
      },
      (err: Error) => {
        setSession({ authenticated: false, requireTokenForReads: true });
        setError(err.message);
      },
    );
  }, []);
  useEffect(refresh, []);
  return { session, error, refresh };
}
