import { deciderSpec, demandForm } from "@logis/testing";
import { describe, expect, it } from "vitest";
import { loadLegalRules } from "../adapters/files/legal-rules.js";
import { type Demand, register } from "./demand.js";
import { type DemandChange, type DemandContext, demandDecider, publicEventOf } from "./demand-decider.js";

const book = loadLegalRules();
const by = { userId: "usr_1", organisationId: "org_1", name: "Agent" };
const guichet = { numGuichet: "069000123", organisationId: "org_1", nom: "Guichet test" };
const at = (iso: string): DemandContext => ({ now: new Date(iso), rules: book(new Date(iso)), by });
const registered = (): Demand =>
  register({
    id: "dem_1",
    numeroUnique: "0690326000000001AA",
    form: demandForm(),
    guichet,
    by,
    now: new Date("2026-03-15T10:00:00Z"),
    rules: book(new Date("2026-03-15T10:00:00Z")),
  });
/** Given a registered demand and the changes since: the spec starts from that state. */
const given = (...changes: DemandChange[]) => {
  const spec = deciderSpec({ ...demandDecider, initialState: registered() });
  return spec.given(...changes);
};

describe("a registered demand's changes, decided with the rules in force", () => {
  it("an update records who, when and which fields; its event leaves out which sensitive fields changed", () => {
    const form = demandForm();
    const changed = {
      ...form,
      demandeur: { ...form.demandeur, prenom: "Léa" },
      sensible: { ...form.sensible, violences: { description: "nouveau fait", ordonnanceProtection: true } },
    };
    const { events, state } = given().when(
      { type: "Update", form: changed, motif: "déclaration", expectedVersion: 1, mayEditSensitive: true },
      at("2026-04-01T09:00:00Z"),
    );
    expect(events?.map((e) => e.type)).toEqual(["Updated"]);
    expect(state.history.at(-1)).toMatchObject({ action: "update", comment: "déclaration", by });
    expect(state.history.at(-1)?.changes).toEqual(expect.arrayContaining(["demandeur.prenom"]));
    const event = publicEventOf(registered(), events?.[0] as DemandChange);
    const payload = event?.payload as { changes: string[] } | undefined;
    expect(payload?.changes).toContain("demandeur.prenom");
    expect(payload?.changes.some((c) => c.startsWith("sensible"))).toBe(false);
  });

  it("without the sensitive role the sensitive details stay as they were; no change means no event", () => {
    const form = demandForm();
    const { events } = given().when(
      {
        type: "Update",
        form: {
          ...form,
          sensible: { ...form.sensible, violences: { description: "écrasé ?", ordonnanceProtection: true } },
        },
        motif: "x",
        expectedVersion: 1,
        mayEditSensitive: false,
      },
      at("2026-04-01T09:00:00Z"),
    );
    expect(events).toEqual([]);
  });

  it("an update of a version edited meanwhile, or into another département, is refused naming why", () => {
    const form = demandForm();
    expect(
      given().when(
        { type: "Update", form, motif: "x", expectedVersion: 7, mayEditSensitive: true },
        at("2026-04-01T09:00:00Z"),
      ).error,
    ).toMatchObject({ code: "CONFLICT", reason: "STALE_VERSION" });
    expect(
      given().when(
        {
          type: "Update",
          form: { ...form, departement: "75" },
          motif: "x",
          expectedVersion: 1,
          mayEditSensitive: true,
        },
        at("2026-04-01T09:00:00Z"),
      ).error,
    ).toMatchObject({ code: "VALIDATION", field: "demande.departement" });
  });

  it("renewal opens three months before expiry and runs one more year from the renewal", () => {
    expect(given().when({ type: "Renew" }, at("2026-12-01T00:00:00Z")).error).toMatchObject({
      code: "RULE_VIOLATION",
      reason: "RENEWAL_TOO_EARLY",
    });
    const { state } = given().when({ type: "Renew" }, at("2027-02-20T09:00:00Z"));
    expect(state).toMatchObject({ validUntil: "2028-02-20T09:00:00.000Z", dateDepot: "2026-03-15T10:00:00.000Z" });
  });

  it("the scheduler: a notice a month before expiry (once), the cancellation a month after, then the purge", () => {
    expect(given().when({ type: "SendRenewalNotice" }, at("2027-02-14T00:00:00Z")).events).toEqual([]);
    const noticed = given().when({ type: "SendRenewalNotice" }, at("2027-02-15T10:00:00Z"));
    expect(noticed.state.notices).toHaveLength(1);
    expect(publicEventOf(registered(), noticed.events?.[0] as DemandChange)).toBeUndefined();
    expect(
      given(...(noticed.events ?? [])).when({ type: "SendRenewalNotice" }, at("2027-03-01T00:00:00Z")).events,
    ).toEqual([]);

    const cancelled = given().when({ type: "CancelForNonRenewal" }, at("2027-04-15T10:00:00Z"));
    expect(cancelled.state).toMatchObject({ status: "cancelled", radiation: { motif: "RADREN" } });
    const purged = given(...(cancelled.events ?? [])).when({ type: "Purge" }, at("2028-04-15T10:00:00Z"));
    expect(purged.state).toMatchObject({ status: "purged", history: [], notices: [] });
    expect(purged.state.form).toBeUndefined();
  });

  it("a radiation needs its data, and a radiated demand is no longer changed", () => {
    expect(
      given().when({ type: "Radiate", radiation: { motif: "RADATT" }, comment: "RADATT" }, at("2026-06-01T00:00:00Z"))
        .error,
    ).toMatchObject({ code: "VALIDATION", field: "attribution" });
    const radiated = given().when(
      { type: "Radiate", radiation: { motif: "RADABA" }, comment: "RADABA" },
      at("2026-06-01T00:00:00Z"),
    );
    expect(radiated.state).toMatchObject({ status: "radiated", radiation: { motif: "RADABA" } });
    expect(given(...(radiated.events ?? [])).when({ type: "Renew" }, at("2027-02-20T00:00:00Z")).error).toMatchObject({
      code: "CONFLICT",
      reason: "DEMAND_NOT_ACTIVE",
    });
  });
});
