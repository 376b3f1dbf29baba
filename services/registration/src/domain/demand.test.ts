import { demandForm } from "@logis/testing";
import { describe, expect, it } from "vitest";
import { loadLegalRules } from "../adapters/files/legal-rules.js";
import {
  cancelForNonRenewal,
  checkCommunes,
  type Demand,
  purgeDue,
  radiate,
  reactivate,
  register,
  renew,
  renewalNoticeDue,
  toFacts,
} from "./demand.js";
import { addMonths } from "./rules.js";

const book = loadLegalRules();

const by = { userId: "usr_1", organisationId: "org_1" };
const guichet = { numGuichet: "069000123", organisationId: "org_1", nom: "Guichet test" };
const at = (iso: string) => new Date(iso);
const fresh = (now = at("2026-03-15T10:00:00Z")): Demand =>
  register({ id: "dem_1", numeroUnique: "0690326000000001AA", form: demandForm(), guichet, by, now, rules: book(now) });

describe("a demand's life, by the legal rules in force", () => {
  it("is valid one year from deposit", () => {
    const d = fresh();
    expect(d.status).toBe("active");
    expect(d.validUntil).toBe("2027-03-15T10:00:00.000Z");
    expect(d.dateDepot).toBe("2026-03-15T10:00:00.000Z");
  });

  it("renews from three months before expiry, for one year from the renewal, keeping the deposit date", () => {
    const d = fresh();
    expect(renew(d, at("2026-12-01T00:00:00Z"), book(at("2026-12-01T00:00:00Z")))).toEqual({
      ok: false,
      error: { code: "RENEWAL_TOO_EARLY", opensAt: "2026-12-15T10:00:00.000Z" },
    });
    const r = renew(d, at("2027-02-20T09:00:00Z"), book(at("2027-02-20T09:00:00Z")));
    expect(r).toEqual({
      ok: true,
      value: { renewedAt: "2027-02-20T09:00:00.000Z", validUntil: "2028-02-20T09:00:00.000Z" },
    });
  });

  it("owes a renewal notice from one month before expiry, once per validity period", () => {
    const d = fresh();
    expect(renewalNoticeDue(d, at("2027-02-14T00:00:00Z"), book(at("2027-02-14T00:00:00Z")))).toBe(false);
    expect(renewalNoticeDue(d, at("2027-02-15T10:00:00Z"), book(at("2027-02-15T10:00:00Z")))).toBe(true);
    const noticed = {
      ...d,
      notices: [{ at: "2027-02-15T10:00:00Z", forValidUntil: d.validUntil, channel: "courrier" as const }],
    };
    expect(renewalNoticeDue(noticed, at("2027-03-01T00:00:00Z"), book(at("2027-03-01T00:00:00Z")))).toBe(false);
  });

  it("is cancelled one month after expiry, reactivable until six months after expiry, purged a year later", () => {
    const d = fresh();
    expect(cancelForNonRenewal(d, at("2027-04-14T00:00:00Z"), book(at("2027-04-14T00:00:00Z"))).ok).toBe(false);
    const c = cancelForNonRenewal(d, at("2027-04-15T10:00:00Z"), book(at("2027-04-15T10:00:00Z")));
    expect(c).toEqual({
      ok: true,
      value: {
        cancelledAt: "2027-04-15T10:00:00.000Z",
        reactivableUntil: "2027-09-15T10:00:00.000Z",
        purgeAfter: "2028-04-15T10:00:00.000Z",
      },
    });
    const cancelled: Demand = {
      ...d,
      status: "cancelled",
      reactivableUntil: "2027-09-15T10:00:00.000Z",
      purgeAfter: "2028-04-15T10:00:00.000Z",
    };
    expect(reactivate(cancelled, at("2027-09-15T10:00:00Z"), book(at("2027-09-15T10:00:00Z"))).ok).toBe(true);
    expect(reactivate(cancelled, at("2027-09-15T10:00:01Z"), book(at("2027-09-15T10:00:01Z")))).toEqual({
      ok: false,
      error: { code: "REACTIVATION_WINDOW_CLOSED", closedAt: "2027-09-15T10:00:00.000Z" },
    });
    expect(purgeDue(cancelled, at("2028-04-15T09:59:59Z"))).toBe(false);
    expect(purgeDue(cancelled, at("2028-04-15T10:00:00Z"))).toBe(true);
  });

  it("radiates with national reasons: sub-reason for inadmissibility, R441-2-9 data for an attribution", () => {
    const d = fresh();
    const now = at("2026-06-01T00:00:00Z");
    expect(radiate(d, { motif: "RADIRR" }, now, book(now))).toEqual({
      ok: false,
      error: { code: "SUB_REASON_REQUIRED" },
    });
    expect(radiate(d, { motif: "RADATT" }, now, book(now))).toEqual({
      ok: false,
      error: { code: "ATTRIBUTION_DATA_REQUIRED" },
    });
    expect(radiate(d, { motif: "RADREN" }, now, book(now))).toEqual({
      ok: false,
      error: { code: "RADREN_IS_AUTOMATIC" },
    });
    const ok = radiate(d, { motif: "RADABA", commentaire: "courrier du 28 mai" }, now, book(now));
    expect(ok.ok && ok.value.purgeAfter).toBe(addMonths(now, 12).toISOString());
    expect(radiate({ ...d, status: "radiated" }, { motif: "RADABA" }, now, book(now))).toEqual({
      ok: false,
      error: { code: "DEMAND_NOT_ACTIVE", status: "radiated" },
    });
  });

  it("refuses wished communes outside the demand's département, naming the field", () => {
    const form = demandForm({ souhaits: { typologies: ["T2"], communes: ["69383", "75056"] } });
    expect(checkCommunes(form)).toEqual({
      ok: false,
      error: { code: "DEPARTEMENT_MISMATCH", field: "souhaits.communes.1", commune: "75056" },
    });
  });

  it("gives downstream services the facts without NIR, contact or sensitive details", () => {
    const facts = toFacts(
      demandForm({ sensible: { violences: { description: "détails", ordonnanceProtection: true } } }),
    );
    const json = JSON.stringify(facts);
    expect(json).not.toContain("288047512345654");
    expect(json).not.toContain("aicha.dupont@example.org");
    expect(json).not.toContain("détails");
    expect(facts.communeResidence).toBe("69388");
  });
});
