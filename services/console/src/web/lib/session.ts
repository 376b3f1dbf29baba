import type { Principal } from "@logis/auth";
import { useSyncExternalStore } from "react";

/** The signed-in user: the token every call carries, and who it says the user is. */
export interface Session {
  token: string;
  principal: Principal;
  userKey: string;
  expiresAt: string;
}

const KEY = "logis.session";
const listeners = new Set<() => void>();

function read(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    const session = raw ? (JSON.parse(raw) as Session) : undefined;
    return session && new Date(session.expiresAt) > new Date() ? session : undefined;
  } catch {
    return undefined;
  }
}

let current = read();

export const getSession = () => current;

export function setSession(session: Session | undefined) {
  current = session;
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
  for (const l of listeners) l();
}

export function useSession(): Session | undefined {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}

/** Signs in as a demo user: the console's server signs the token (development only). */
export async function signInAs(userKey: string): Promise<Session> {
  const res = await fetch("/api/dev/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user: userKey }),
  });
  if (!res.ok) throw new Error("La connexion a échoué : vérifiez que le serveur de la console fonctionne.");
  const body = (await res.json()) as Omit<Session, "userKey">;
  const session = { ...body, userKey };
  setSession(session);
  return session;
}
