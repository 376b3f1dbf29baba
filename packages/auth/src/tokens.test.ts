import { importJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { demoUsers } from "./demo-users.js";
import { assertCan, assertInDepartement, can } from "./permissions.js";
import { createLocalIssuer, createVerifier, generateIssuerKeys } from "./tokens.js";

describe("tokens", () => {
  it("a token from the local issuer verifies and yields the principal", async () => {
    const keys = await generateIssuerKeys();
    const token = await createLocalIssuer({
      privateJwk: keys.privateJwk,
      issuer: "logis-local",
      audience: "logis",
    }).issue(demoUsers.guichet);
    const verify = createVerifier({ issuer: "logis-local", audience: "logis", publicJwk: keys.publicJwk });
    expect(await verify(token)).toEqual(demoUsers.guichet);
  });

  it("refuses a token signed by another key, for another audience, or tampered with", async () => {
    const keys = await generateIssuerKeys();
    const other = await generateIssuerKeys();
    const verify = createVerifier({ issuer: "logis-local", audience: "logis", publicJwk: keys.publicJwk });
    const forged = await createLocalIssuer({
      privateJwk: other.privateJwk,
      issuer: "logis-local",
      audience: "logis",
    }).issue(demoUsers.guichet);
    await expect(verify(forged)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    const wrongAudience = await createLocalIssuer({
      privateJwk: keys.privateJwk,
      issuer: "logis-local",
      audience: "x",
    }).issue(demoUsers.guichet);
    await expect(verify(wrongAudience)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    const good = await createLocalIssuer({
      privateJwk: keys.privateJwk,
      issuer: "logis-local",
      audience: "logis",
    }).issue(demoUsers.guichet);
    const [h, p, s] = good.split(".");
    const claims = JSON.parse(Buffer.from(p ?? "", "base64url").toString());
    claims.roles = ["platform-admin"];
    const tampered = `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`;
    await expect(verify(tampered)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});

describe("token lifetime", () => {
  const now = new Date("2026-11-22T10:00:00.000Z");
  const epoch = now.getTime() / 1000;
  async function setup() {
    const keys = await generateIssuerKeys();
    const key = await importJWK(keys.privateJwk, "ES256");
    const { userId, ...claims } = demoUsers.guichet;
    const sign = (times: { iat?: number; exp?: number }) =>
      new SignJWT({ ...claims, ...times })
        .setProtectedHeader({ alg: "ES256", kid: keys.privateJwk.kid as string })
        .setSubject(userId)
        .setIssuer("logis-local")
        .setAudience("logis")
        .sign(key);
    const verify = createVerifier({
      issuer: "logis-local",
      audience: "logis",
      publicJwk: keys.publicJwk,
      clockSkewSeconds: 60,
      now: () => now,
    });
    return { sign, verify };
  }

  it("refuses a token without expiry", async () => {
    const { sign, verify } = await setup();
    await expect(verify(await sign({ iat: epoch }))).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "INVALID_TOKEN",
    });
  });

  it("refuses a token issued in the future beyond the clock skew, accepts one within it", async () => {
    const { sign, verify } = await setup();
    await expect(verify(await sign({ iat: epoch + 3600, exp: epoch + 7200 }))).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "INVALID_TOKEN",
    });
    await expect(verify(await sign({ iat: epoch + 30, exp: epoch + 3600 }))).resolves.toEqual(demoUsers.guichet);
    await expect(verify(await sign({ exp: epoch + 3600 }))).resolves.toEqual(demoUsers.guichet);
  });

  it("refuses an expired token, tolerating the clock skew", async () => {
    const { sign, verify } = await setup();
    await expect(verify(await sign({ iat: epoch - 7200, exp: epoch - 120 }))).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
    });
    await expect(verify(await sign({ iat: epoch - 7200, exp: epoch - 30 }))).resolves.toEqual(demoUsers.guichet);
  });
});

describe("permissions (deny by default)", () => {
  it("grants only what a role holds", () => {
    expect(can(demoUsers.guichet, "demand.register")).toBe(true);
    expect(can(demoUsers.guichet, "demand.read-sensitive")).toBe(false);
    expect(can(demoUsers.sensible, "demand.read-sensitive")).toBe(true);
    expect(can(demoUsers.bailleur, "demand.read")).toBe(false);
    expect(can(demoUsers.reservataire, "demand.read")).toBe(false);
    expect(can(undefined, "demand.read")).toBe(false);
    // The préfecture reads cotations (DALO, priority publics); which ones, the service decides.
    expect(can(demoUsers.prefecture, "score.read")).toBe(true);
    expect(can(demoUsers.reservataire, "score.read")).toBe(false);
  });

  it("throws UNAUTHENTICATED without a caller, FORBIDDEN without the right or the territory", () => {
    expect(() => assertCan(undefined, "demand.read")).toThrow(expect.objectContaining({ code: "UNAUTHENTICATED" }));
    expect(() => assertCan(demoUsers.reservataire, "demand.read")).toThrow(
      expect.objectContaining({ code: "FORBIDDEN" }),
    );
    expect(() => assertInDepartement(demoUsers.guichet, "75")).toThrow(
      expect.objectContaining({ reason: "OUT_OF_TERRITORY" }),
    );
    expect(() => assertInDepartement(demoUsers.guichet, "69")).not.toThrow();
  });
});
