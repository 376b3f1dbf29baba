import type { Principal } from "./principal.js";
import type { Verifier } from "./tokens.js";

/** The expiry (ms) of a token whose signature has just been verified; undefined without `exp`. */
function expiryOf(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as { exp?: unknown };
    return typeof payload.exp === "number" ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Remembers tokens already verified, until they expire: a desk sends the same token with every
 * request, and checking its ES256 signature again costs more CPU than the rest of the
 * authentication. Only successful verifications are kept (a forged token never is); tokens
 * without expiry are not kept. At most `max` tokens, the oldest dropped first.
 */
export function cachedVerifier(verify: Verifier, { max = 10_000, now = () => Date.now() } = {}): Verifier {
  const verified = new Map<string, { principal: Principal; expiresAt: number }>();
  return async (token) => {
    const hit = verified.get(token);
    if (hit && hit.expiresAt > now()) return hit.principal;
    verified.delete(token);
    const principal = await verify(token);
    const expiresAt = expiryOf(token);
    if (expiresAt !== undefined) {
      if (verified.size >= max) verified.delete(verified.keys().next().value as string);
      verified.set(token, { principal, expiresAt });
    }
    return principal;
  };
}
