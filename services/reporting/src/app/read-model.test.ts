import { describe, expect, it } from "vitest";
import { evolveAttributionRow } from "../domain/attribution-row.js";
import { evolveLedgerRow } from "../domain/ledger-row.js";
import { evolveSessionRow } from "../domain/session-row.js";
import { evolveUnitRow } from "../domain/unit-row.js";
import {
  answered,
  assigned,
  attributed,
  decided,
  leaseSigned,
  proposed,
  returned,
  sessionScheduled,
  unitDeclared,
  unitFreed,
  unitLet,
} from "../testing/flux-cal-events.js";
import { foldProjection, memoryRows, rebuildFold } from "./read-model.js";

const prefet = { reservataireId: "org_prefet_57", codeSne: "PPRIOR", type: "prefet_prioritaires" };
const al = { reservataireId: "org_al", codeSne: "COLACT", type: "action_logement" };
const ledger = "flux:org_demo_bailleur_57:57:2026";

describe("read models of flux and the CAL", () => {
  it("a unit: its facts, its vacancy while free, once per event even when redelivered", async () => {
    const rows = memoryRows<ReturnType<typeof evolveUnitRow> & {}>();
    const fold = foldProjection(rows, evolveUnitRow);
    const u = { rplsId: "5700000001", commune: "57463", qpv: true };
    const freed = unitFreed(u, 2, "2026-03-01");
    for (const e of [unitDeclared(u), freed, freed]) await fold.apply(e);
    expect(rows.rows.get("uni_5700000001")).toMatchObject({
      version: 2,
      qpv: true,
      liberations: 1,
      libereLe: "2026-03-01",
    });
    expect(await fold.apply(freed)).toBe("already-applied");
    await fold.apply(unitLet(u, 3, "2026-04-01"));
    const let_ = rows.rows.get("uni_5700000001");
    expect(let_).toMatchObject({ version: 3, liberations: 1, locations: 1 });
    expect(let_?.libereLe).toBeUndefined();
    // An event of a unit never declared (its declaration lost to retention, say) makes no row.
    expect(await fold.apply(unitLet({ rplsId: "5700000099" }, 4, "2026-04-01"))).toBe("ignored");
  });

  it("a ledger: gross flux, per reserver owed (last position), oriented, handed back, attributed", async () => {
    const rows = memoryRows<ReturnType<typeof evolveLedgerRow>>();
    const fold = foldProjection(rows, evolveLedgerRow);
    const events = [
      assigned(ledger, 1, { rplsId: "5700000001" }, prefet, [
        { ...prefet, du: 1.5 },
        { ...al, du: 0.25 },
      ]),
      assigned(ledger, 2, { rplsId: "5700000002" }, al, [
        { ...prefet, du: 1.75 },
        { ...al, du: 1.5 },
      ]),
      returned(ledger, 3, "5700000002", al, true),
      attributed(ledger, 4, "5700000001", prefet, "2026-04-02"),
    ];
    for (const e of [...events, events[3], events[0]]) await fold.apply(e as (typeof events)[number]);
    const row = rows.rows.get(ledger);
    expect(row).toMatchObject({ bailleurId: "org_demo_bailleur_57", departement: "57", annee: 2026, fluxBrut: 2 });
    expect(row?.lignes).toEqual([
      { ...prefet, report: 0, du: 1.75, orientes: 1, rendus: 0, rendusComptes: 0, designationsEchues: 0, attribues: 1 },
      { ...al, report: 0, du: 1.5, orientes: 1, rendus: 1, rendusComptes: 1, designationsEchues: 0, attribues: 0 },
    ]);
  });

  it("an attribution: the unit, its candidates' income, the offers and the lease", async () => {
    const rows = memoryRows<ReturnType<typeof evolveAttributionRow>>();
    const fold = foldProjection(rows, evolveAttributionRow);
    const att = "att_5700000001_2026-03-01";
    const unit = { rplsId: "5700000001", commune: "57463", libereLe: "2026-03-01" };
    const events = [
      proposed(att, 1, unit, prefet, [
        { demandId: "dem_a", revenu: 9000, personnes: 2 },
        { demandId: "dem_b", dalo: true, personnes: 1 },
      ]),
      answered(att, 2, "5700000001", "dem_a", "refusee"),
      answered(att, 3, "5700000001", "dem_b", "acceptee"),
      leaseSigned(att, 4, {
        rplsId: "5700000001",
        demandId: "dem_b",
        libereLe: "2026-03-01",
        bailSigneLe: "2026-04-02",
        reservataireId: "org_prefet_57",
        contingent: "PPRIOR",
        dalo: true,
      }),
    ];
    for (const e of [...events, events[1]]) await fold.apply(e as (typeof events)[number]);
    expect(rows.rows.get(att)).toMatchObject({
      commune: "57463",
      contingent: "PPRIOR",
      candidats: [
        { demandId: "dem_a", dalo: false, revenu: 9000, personnes: 2 },
        { demandId: "dem_b", dalo: true, personnes: 1 },
      ],
      offres: { faites: 0, acceptees: 1, refusees: 1, echues: 0 },
      bail: { demandId: "dem_b", signeLe: "2026-04-02", reservataireId: "org_prefet_57", dalo: true },
    });
  });

  it("a session: its day and its decisions by type", async () => {
    const rows = memoryRows<ReturnType<typeof evolveSessionRow>>();
    const fold = foldProjection(rows, evolveSessionRow);
    const events = [
      sessionScheduled("ses_1", 1, "2026-11-19"),
      decided("ses_1", 2, "ATTRIBUTION", "dem_a"),
      decided("ses_1", 3, "NON_ATTRIBUTION", "dem_b"),
      decided("ses_1", 4, "ATTRIBUTION_RANG", "dem_c"),
    ];
    for (const e of [...events, events[2]]) await fold.apply(e as (typeof events)[number]);
    expect(rows.rows.get("ses_1")).toMatchObject({
      date: "2026-11-19",
      departement: "57",
      decisions: { ATTRIBUTION: 1, NON_ATTRIBUTION: 1, ATTRIBUTION_RANG: 1 },
    });
  });

  it("a batch fold (rebuild) gives the rows of the event-by-event fold", async () => {
    const one = memoryRows<ReturnType<typeof evolveLedgerRow>>();
    const batch = memoryRows<ReturnType<typeof evolveLedgerRow>>();
    const events = [1, 2, 3, 4, 5, 6].map((v) =>
      v % 3 === 0
        ? returned(ledger, v, "5700000001", al, v === 3)
        : assigned(ledger, v, { rplsId: `57000000${v}0` }, v % 2 ? prefet : al, [{ ...prefet, du: v }]),
    );
    for (const e of events) await foldProjection(one, evolveLedgerRow).apply(e);
    const fold = foldProjection(batch, evolveLedgerRow);
    await fold.applyBatch(events.slice(0, 4));
    await fold.applyBatch(events.slice(2)); // overlapping: a replay after a crash
    expect(batch.rows).toEqual(one.rows);
  });
});

describe("a rebuild's fold writes its coldest rows out while it goes on", () => {
  it("gives the rows of the incremental fold, each row written few times, reading back the rows it wrote", async () => {
    const units = Array.from({ length: 12 }, (_, i) => ({ rplsId: `57000001${String(i).padStart(2, "0")}` }));
    // Units declared in two waves, each freed then let; the first wave touched again at the end.
    const wave = (list: typeof units, from: number) => [
      ...list.map((u) => unitDeclared(u, from)),
      ...list.map((u) => unitFreed(u, from + 1, "2026-03-01")),
      ...list.map((u) => unitLet(u, from + 2, "2026-04-01")),
    ];
    const events = [
      ...wave(units.slice(0, 6), 1),
      ...wave(units.slice(6), 1),
      ...units.slice(0, 6).map((u) => unitFreed(u, 4, "2026-09-01")),
    ];
    const expected = memoryRows<ReturnType<typeof evolveUnitRow> & {}>();
    const incremental = foldProjection(expected, evolveUnitRow);
    for (const e of events) await incremental.apply(e);

    // A store whose writes take a while: events arrive while a write is in flight.
    const store = memoryRows<ReturnType<typeof evolveUnitRow> & {}>();
    let reads = 0;
    const slow = {
      ...store,
      get: async (id: string) => {
        reads++;
        return store.get(id);
      },
      overwriteMany: async (list: Parameters<typeof store.overwriteMany>[0], created: ReadonlySet<string>) => {
        await new Promise((r) => setTimeout(r, 5));
        await store.overwriteMany(list, created);
      },
    };
    const fold = rebuildFold(slow, evolveUnitRow, 8);
    for (const e of events) await fold.push(e);
    await fold.flush();
    expect(fold.held).toBe(0);
    expect([...store.rows.values()].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [...expected.rows.values()].sort((a, b) => a.id.localeCompare(b.id)),
    );
    // 42 events, 12 rows: written a few times each, not once per event; the first wave read back.
    expect(fold.writes).toBeLessThan(30);
    expect(reads).toBeGreaterThan(0);
    expect(reads).toBeLessThanOrEqual(6);
  });
});

describe("a live fold a batch at a time", () => {
  it("inserts a batch of new aggregates without reading; redelivered, or with later events, folds on the stored rows", async () => {
    const store = memoryRows<ReturnType<typeof evolveUnitRow> & {}>();
    let reads = 0;
    const counted = {
      ...store,
      getMany: async (ids: readonly string[]) => {
        reads += ids.length;
        return store.getMany(ids);
      },
    };
    const fold = foldProjection(counted, evolveUnitRow);
    const a = { rplsId: "5700000201" };
    const b = { rplsId: "5700000202" };
    expect(await fold.applyBatch([unitDeclared(a), unitDeclared(b)])).toBe(2);
    expect(reads).toBe(0);
    expect(store.rows.size).toBe(2);
    // Redelivered with a's next event: its declaration finds the row there, both are folded on it.
    const freed = unitFreed(a, 2, "2026-03-01");
    await fold.applyBatch([unitDeclared(a), freed]);
    expect(store.rows.get("uni_5700000201")).toMatchObject({ version: 2, liberations: 1 });
    await fold.applyBatch([unitDeclared(a), freed]);
    expect(store.rows.get("uni_5700000201")).toMatchObject({ version: 2, liberations: 1 });
    // A batch starting later in the aggregate's life reads its row.
    reads = 0;
    await fold.applyBatch([unitLet(a, 3, "2026-04-01")]);
    expect(reads).toBe(1);
    expect(store.rows.get("uni_5700000201")).toMatchObject({ version: 3, locations: 1, liberations: 1 });
  });
});
