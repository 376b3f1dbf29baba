import type { Reservataire, Typologie } from "@logis/contracts";
import { prng } from "@logis/testing";
import { describe, expect, it } from "vitest";
import { balanceOf } from "./balance.js";
import { BAILLEUR, enVigueur, unLogement } from "./fixtures.js";
import { type Ledger, type LedgerContext, type LedgerEvent, ledgerDecider, ledgerIdOf } from "./ledger.js";
import type { ConventionEnVigueur } from "./shares.js";
import { replayVacances, type Vacance } from "./vacance.js";

// Properties over seeded random years (the seeded generator of @logis/testing; the same seeds every
// run): random conventions within the caps, random freed units; at year end every reserver is within
// one unit of its share, and replaying the events gives the same ledger and vacancies, byte for byte.

const typologies: Typologie[] = ["T1", "T2", "T3", "T4", "T5", "T6P"];
const kinds: [Reservataire, number, string?][] = [
  [{ id: "org_prefet", nom: "Préfet", type: "prefet_prioritaires" }, 25],
  [{ id: "org_agents", nom: "Agents", type: "prefet_agents" }, 5],
  [{ id: "org_al", nom: "Action Logement", type: "action_logement" }, 30],
  [{ id: "org_epci", nom: "EPCI", type: "epci" }, 10],
  [{ id: "org_metz", nom: "Metz", type: "commune" }, 10, "57463"],
];

function year(seed: number) {
  const rng = prng(seed);
  const conventions: ConventionEnVigueur[] = kinds
    .filter(() => rng.chance(0.7))
    .map(([r, max, commune]) => enVigueur(`cnv_${r.id}`, r, { pourcentage: rng.int(1, max) }, commune));
  const context: LedgerContext = {
    now: new Date("2027-01-10T10:00:00Z"),
    auteur: "usr_test",
    conventions,
    toleranceEquilibre: 0.5,
  };
  const n = rng.int(50, 400);
  const opened: LedgerEvent = {
    type: "FluxYearOpened",
    payload: {
      bailleurId: BAILLEUR,
      departement: "57",
      annee: 2026,
      ouvertLe: "2026-01-01T00:00:00.000Z",
      reports: [],
    },
  };
  const events: LedgerEvent[] = [opened];
  let state = ledgerDecider.evolve(undefined, opened);
  for (let i = 0; i < n; i++) {
    const metz = rng.chance(0.6);
    const logement = unLogement({
      rplsId: `57${String(i).padStart(8, "0")}`,
      nbPieces: typologies.indexOf(rng.pick(typologies)) + 1,
      qpv: rng.chance(0.3),
      commune: metz ? "57463" : "57672",
      codePostal: metz ? "57000" : "57100",
    });
    const libereLe = new Date(Date.UTC(2026, 0, 1) + Math.floor((i * 364) / n) * 86_400_000).toISOString().slice(0, 10);
    const decided = ledgerDecider.decide(
      state,
      { type: "OrientUnit", logement, libereLe, motifLiberation: "depart" },
      context,
    );
    if (!decided.ok) throw decided.error;
    for (const e of decided.value) state = ledgerDecider.evolve(state, e);
    events.push(...decided.value);
  }
  return { events, state: state as Ledger, n };
}

describe("any year of freed units", () => {
  const seeds = Array.from({ length: 60 }, (_, i) => 1_000 + i);

  it.each(seeds)("seed %i: every reserver ends within one unit of its share", (seed) => {
    const { events, state } = year(seed);
    const vacances: Vacance[] = [
      ...replayVacances(events, { ledgerId: ledgerIdOf(BAILLEUR, "57", 2026), bailleurId: BAILLEUR }).values(),
    ];
    const bilan = balanceOf(state, vacances, {
      clotureLe: "2027-01-10T10:00:00.000Z",
      cloturePar: "usr_test",
      prevision: undefined,
    });
    for (const line of bilan.lignes) expect(Math.abs(line.report), line.reservataireId).toBeLessThanOrEqual(1);
    expect(bilan.detail.reduce((sum, d) => sum + d.proposes, 0)).toBe(bilan.fluxBrut);
  });

  it("replays to the same ledger and vacancies, byte for byte, and decides the same again", () => {
    for (const seed of seeds.slice(0, 10)) {
      const first = year(seed);
      const again = year(seed);
      expect(JSON.stringify(again.events)).toBe(JSON.stringify(first.events));
      const replayed = first.events.reduce(ledgerDecider.evolve, ledgerDecider.initialState);
      expect(JSON.stringify(replayed)).toBe(JSON.stringify(first.state));
    }
  });
});
