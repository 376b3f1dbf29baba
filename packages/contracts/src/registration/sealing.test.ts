import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type DemandEvent, demandStream, demandStreamV1, openDemandEvent, sealDemandEvent } from "./events.js";
import { newDataKey, openFacts } from "./sealing.js";

const fixture = (name: string): DemandEvent =>
  demandStreamV1.schema.parse(
    JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url)), "utf8")),
  );

describe("the demand's facts sealed with its data key (decision 0012)", () => {
  const registered = fixture("DemandRegistered.v1.json");
  const key = newDataKey();

  it("a sealed event parses on the v2 stream, shows no personal data, and opens back to the same facts", () => {
    const sealed = demandStream.schema.parse(sealDemandEvent(registered, key));
    expect(sealed.schemaVersion).toBe(2);
    const text = JSON.stringify(sealed);
    for (const clear of ["Dupont", "Aïcha", "1988-04-12", "Aide-soignante", "69388"]) expect(text).not.toContain(clear);
    expect(text).toContain("0690326000000042KX"); // the numéro stays in clear, like in the purged stub
    expect(openDemandEvent(sealed, (kid) => (kid === registered.aggregateId ? key : undefined))).toEqual(registered);
  });

  it("two seals of the same facts differ (a fresh IV each time)", () => {
    expect(sealDemandEvent(registered, key)).not.toEqual(sealDemandEvent(registered, key));
  });

  it("an unknown key (a purged demand) opens to nothing; another key or a moved blob does not open", () => {
    const sealed = sealDemandEvent(registered, key);
    expect(openDemandEvent(sealed, () => undefined)).toBeUndefined();
    expect(() => openDemandEvent(sealed, () => newDataKey())).toThrow();
    if (sealed.type !== "DemandRegistered" || sealed.schemaVersion !== 2) throw new Error("v2 expected");
    const blob = sealed.payload.demandeScellee;
    expect(() => openFacts(key, { aggregateId: "dem_other", type: "DemandRegistered" }, blob)).toThrow();
    expect(() => openFacts(key, { aggregateId: registered.aggregateId, type: "DemandUpdated" }, blob)).toThrow();
  });

  it("events without facts travel unchanged", () => {
    const radiated = fixture("DemandRadiated.v1.json");
    expect(sealDemandEvent(radiated, key)).toEqual(radiated);
    expect(openDemandEvent(demandStream.schema.parse(radiated), () => undefined)).toEqual(radiated);
  });

  it("a data key is 256 random bits", () => {
    expect(Buffer.from(newDataKey(), "base64")).toHaveLength(32);
    expect(newDataKey()).not.toBe(newDataKey());
  });
});
