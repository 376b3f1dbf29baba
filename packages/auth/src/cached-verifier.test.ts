import { describe, expect, it } from "vitest";
import { cachedVerifier } from "./cached-verifier.js";
import { demoUsers } from "./demo-users.js";
import { createLocalIssuer, createVerifier, generateIssuerKeys, type Verifier } from "./tokens.js";

const setup = async () => {
  const keys = await generateIssuerKeys();
  const issuer = createLocalIssuer({ privateJwk: keys.privateJwk, issuer: "logis-local", audience: "logis" });
  const real = createVerifier({ issuer: "logis-local", audience: "logis", publicJwk: keys.publicJwk });
  let calls = 0;
  const counted: Verifier = (token) => {
    calls++;
    return real(token);
  };
  return { issuer, counted, calls: () => calls };
};

describe("cached token verification", () => {
  it("verifies a token once, then answers from memory until it expires", async () => {
    const { issuer, counted, calls } = await setup();
    let now = Date.now();
    const verify = cachedVerifier(counted, { now: () => now });
    const token = await issuer.issue(demoUsers.guichet, 60);
    expect(await verify(token)).toEqual(demoUsers.guichet);
    expect(await verify(token)).toEqual(demoUsers.guichet);
    expect(calls()).toBe(1);
    now += 61_000; // past `exp`: verified again, by the real verifier
    await verify(token).catch(() => undefined);
    expect(calls()).toBe(2);
  });

  it("never remembers a refused token, and a tampered copy of a good one is checked on its own", async () => {
    const { issuer, counted, calls } = await setup();
    const verify = cachedVerifier(counted);
    const good = await issuer.issue(demoUsers.guichet);
    await verify(good);
    const [h, p, s] = good.split(".");
    const claims = JSON.parse(Buffer.from(p ?? "", "base64url").toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, roles: ["platform-admin"] })).toString("base64url")}.${s}`;
    await expect(verify(tampered)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(verify(tampered)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(calls()).toBe(3);
  });
});
