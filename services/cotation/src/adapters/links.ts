import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { ExplanationLinks } from "../app/ports.js";

const b64 = (b: Buffer | string) => Buffer.from(b).toString("base64url");

/**
 * Links as `<claims>.<HMAC-SHA256 of the claims>` (base64url): nothing stored, the signature is the
 * authorisation, the expiry is inside. Without a configured secret a random one is drawn: links then
 * hold only for this process (fine for tests and a single instance, not for replicas).
 */
export function hmacExplanationLinks(secret: string = randomBytes(32).toString("hex")): ExplanationLinks {
  const mac = (data: string) => createHmac("sha256", secret).update(data).digest();
  return {
    sign(claims) {
      const body = b64(JSON.stringify({ n: claims.numeroUnique, x: claims.expiresAt }));
      return `${body}.${b64(mac(body))}`;
    },
    verify(token, now) {
      const [body, sig, ...rest] = token.split(".");
      if (!body || !sig || rest.length > 0) return undefined;
      const expected = mac(body);
      const given = Buffer.from(sig, "base64url");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const { n, x } = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as { n?: unknown; x?: unknown };
        if (typeof n !== "string" || typeof x !== "string" || !(now < new Date(x))) return undefined;
        return { numeroUnique: n, expiresAt: x };
      } catch {
        return undefined;
      }
    },
  };
}
