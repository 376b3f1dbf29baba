import type { BalanceClosed } from "@logis/contracts";
import type { z } from "zod";
import type { Ledger } from "./ledger.js";
import type { Cible } from "./orientation.js";
import { fromBp, WHOLE } from "./shares.js";
import type { Vacance } from "./vacance.js";

export type ParMotif = {
  readonly mutation_interne: number;
  readonly renouvellement_urbain: number;
  readonly copropriete_degradee: number;
  readonly demolition: number;
};

type Balance = z.infer<typeof BalanceClosed.payload>;

/** The construction periods, oldest first (what `periodeConstruction` answers). */
export const periodesConstruction = ["avant 1949", "1949-1974", "1975-1989", "1990-2004", "2005 et après"] as const;

/**
 * Construction periods of the yearly balance. An assumption until the reservers' expected
 * breakdown is known: the usual cut-offs of housing statistics (1949, 1975, 1990, 2005).
 */
export const periodeConstruction = (annee: number): string =>
  annee < 1949
    ? "avant 1949"
    : annee < 1975
      ? "1949-1974"
      : annee < 1990
        ? "1975-1989"
        : annee < 2005
          ? "1990-2004"
          : "2005 et après";

const sortById = <T extends { reservataireId: string }>(a: T, b: T) =>
  a.reservataireId < b.reservataireId ? -1 : a.reservataireId > b.reservataireId ? 1 : 0;

type Row = { -readonly [F in keyof Balance["detail"][number]]: Balance["detail"][number][F] };
/** The order of the balance's detail rows. */
const keyOf = (r: Row) =>
  `${r.reservataireId}|${r.typologie}|${r.financement}|${r.qpv}|${r.commune}|${r.periodeConstruction}`;

type Level = Map<string | boolean, unknown>;
/** The map under `key`, created empty when missing. */
function under(parent: Level, key: string | boolean): Level {
  let m = parent.get(key) as Level | undefined;
  if (!m) {
    m = new Map();
    parent.set(key, m);
  }
  return m;
}

/**
 * The yearly balance of a ledger and its vacancies: every figure follows from their events, in a
 * stable order whatever the order of `vacances`.
 */
export function balanceOf(
  ledger: Ledger,
  vacances: readonly Vacance[],
  closing: { clotureLe: string; cloturePar: string; prevision: ParMotif | undefined },
): Balance {
  const soustraits = Object.values(ledger.soustraits).reduce((a, b) => a + b, 0);
  const lignes = Object.values(ledger.reservataires)
    .map(({ cible, compteurs: k, rendus, attribues }) => ({
      ...(cible satisfies Cible),
      reportPrecedent: fromBp(k.reportBp),
      du: fromBp(k.duBp),
      orientes: k.orientes,
      rendus,
      attribues,
      report: fromBp(k.duBp + k.reportBp - k.orientes * WHOLE),
    }))
    .sort(sortById);
  // Counted in place, in nested maps (no key text built per vacancy): one row per reserver ×
  // typology × financing × QPV × commune × period.
  const detail: Level = new Map();
  const rows: Row[] = [];
  for (const { categorie: l, cible, attribue } of vacances) {
    if (cible === undefined) continue; // subtracted from the flux: in the gross flux only
    const periode = periodeConstruction(l.anneeConstruction);
    const byPeriode = under(
      under(under(under(under(detail, cible.reservataireId), l.typologie), l.financement), l.qpv),
      l.commune,
    );
    let row = byPeriode.get(periode) as Row | undefined;
    if (!row) {
      row = {
        reservataireId: cible.reservataireId,
        typologie: l.typologie,
        financement: l.financement,
        qpv: l.qpv,
        commune: l.commune,
        periodeConstruction: periode,
        proposes: 0,
        attribues: 0,
      };
      byPeriode.set(periode, row);
      rows.push(row);
    }
    row.proposes++;
    if (attribue) row.attribues++;
  }
  return {
    annee: ledger.annee,
    clotureLe: closing.clotureLe,
    cloturePar: closing.cloturePar,
    fluxBrut: ledger.fluxBrut,
    soustraits: ledger.soustraits,
    fluxNet: ledger.fluxBrut - soustraits,
    lignes,
    detail: rows
      .map((row) => [keyOf(row), row] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, v]) => v),
    ...(closing.prevision ? { previsionSoustraits: closing.prevision } : {}),
  };
}

/** The carry-over of a closed balance, as the next year's opening reports. */
export const reportsFrom = (balance: Pick<Balance, "lignes">) =>
  balance.lignes.map(({ reservataireId, conventionId, type, codeSne, report }) => ({
    reservataireId,
    conventionId,
    type,
    codeSne,
    report,
  }));
