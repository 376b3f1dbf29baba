import { AppError } from "@logis/domain";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTVerifyGetKey,
  jwtVerify,
  SignJWT,
} from "jose";
import { Principal } from "./principal.js";

const ALG = "ES256";

export interface KeyPairJwk {
  privateJwk: JWK;
  publicJwk: JWK;
}

/** A new ES256 key pair for the local issuer (written by infra/local at first start). */
export async function generateIssuerKeys(kid = "logis-local-1"): Promise<KeyPairJwk> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ALG, use: "sig" };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: "sig" };
  return { privateJwk, publicJwk };
}

export interface IssuerOptions {
  privateJwk: JWK;
  issuer: string;
  audience: string;
}

/** The development issuer: signs tokens for demo users. Production uses the real identity provider. */
export function createLocalIssuer({ privateJwk, issuer, audience }: IssuerOptions) {
  const keyPromise = importJWK(privateJwk, ALG);
  return {
    async issue(principal: Principal, ttlSeconds = 8 * 3600): Promise<string> {
      const { userId, ...claims } = Principal.parse(principal);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: ALG, ...(privateJwk.kid ? { kid: privateJwk.kid } : {}) })
        .setSubject(userId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(await keyPromise);
    },
  };
}

export interface VerifierOptions {
  issuer: string;
  audience: string;
  jwksUrl?: string | undefined;
  publicJwk?: JWK | Record<string, unknown> | undefined;
  /** Clock difference tolerated between the issuer and this service (expiry, not-before, issued-at). */
  clockSkewSeconds?: number;
  /** The current time (tests). */
  now?: () => Date;
}

export type Verifier = (token: string) => Promise<Principal>;

/**
 * Verifies a bearer token (signature, issuer, audience, expiry) and returns the caller. A token must
 * say when it expires (`exp`), and may not have been issued (`iat`) or become valid (`nbf`) later than
 * now, give or take `clockSkewSeconds`: a token without expiry or from the future is refused.
 */
export function createVerifier({
  issuer,
  audience,
  jwksUrl,
  publicJwk,
  clockSkewSeconds = 60,
  now = () => new Date(),
}: VerifierOptions): Verifier {
  let keys: JWTVerifyGetKey;
  if (jwksUrl) keys = createRemoteJWKSet(new URL(jwksUrl));
  else if (publicJwk) keys = createLocalJWKSet({ keys: [publicJwk as JWK] });
  else throw new Error("createVerifier needs jwksUrl or publicJwk");
  return async (token) => {
    let payload: Record<string, unknown>;
    try {
      const currentDate = now();
      ({ payload } = await jwtVerify(token, keys, {
        issuer,
        audience,
        algorithms: [ALG, "RS256"],
        requiredClaims: ["exp"],
        clockTolerance: clockSkewSeconds,
        currentDate,
      }));
      const iat = payload.iat;
      if (iat !== undefined && (typeof iat !== "number" || iat > currentDate.getTime() / 1000 + clockSkewSeconds))
        throw new Error("token issued in the future");
    } catch (error) {
      throw new AppError("UNAUTHENTICATED", "Jeton invalide ou expiré", { reason: "INVALID_TOKEN", cause: error });
    }
    const parsed = Principal.safeParse({ ...payload, userId: payload.sub });
    if (!parsed.success) {
      throw new AppError("UNAUTHENTICATED", "Jeton sans identité exploitable", {
        reason: "INVALID_CLAIMS",
        cause: parsed.error,
      });
    }
    return parsed.data;
  };
}
