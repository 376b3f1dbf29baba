import { AppError, type Clock } from "@logis/domain";
import { z } from "zod";
import { balanceOf } from "../domain/balance.js";
import { ledgerIdOf } from "../domain/ledger.js";
import { unitIdOf } from "../domain/logement.js";
import type { Referentiel } from "../domain/referentiel.js";
import type { Vacance } from "../domain/vacance.js";
import { canSeeLedger, canSeeVacance, notFound, type Reach, readerReach } from "./access.js";
import { type LedgerWriter, ledgerOf, resolve } from "./ledger-writer.js";
import type { Caller, ConventionsPort, LedgerDoc, LedgersPort, UnitsPort, VacanciesPort } from "./ports.js";

const departement = z.string().regex(/^(\d{2}|2A|2B|\d{3})$/, "département attendu (57, 2A, 971…)");
const annee = z.coerce.number().int("année attendue").min(2020, "année : 2020 au plus tôt").max(2100);
export const OrientationsQuery = z.object({ departement, annee, bailleurId: z.string().min(1).optional() });
export const BalanceQuery = z.object({
  bailleurId: z.string().min(1, "bailleur requis").optional(),
  departement,
  annee,
});

/** What each may read of the orientations and balances (app/access.ts narrows it). */
export function fluxReads(deps: {
  writer: LedgerWriter;
  ledgers: LedgersPort;
  vacancies: VacanciesPort;
  units: UnitsPort;
  conventions: Pick<ConventionsPort, "list">;
  clock: Clock;
  referentiel: Referentiel;
}) {
  const { writer, ledgers, vacancies, units, conventions, clock, referentiel } = deps;

  async function visibleVacancies(reach: Reach, ledgerDocs: LedgerDoc[], filter: { rplsIds?: string[] } = {}) {
    const versions = new Map(ledgerDocs.map((l) => [l._id, l.version]));
    const docs = await vacancies.list({
      ledgerIds: [...versions.keys()],
      ...(filter.rplsIds ? { rplsIds: filter.rplsIds } : {}),
      ...(reach.kind === "reserver" ? { reservataireId: reach.reservataireId } : {}),
    });
    return docs
      .map((d) => resolve(d, versions.get(d.ledgerId) ?? 0))
      .filter((v): v is Vacance => v !== undefined && canSeeVacance(reach, v));
  }

  return {
    /** Every freeing of a unit the caller may see, oldest first: reserver, reason, returned, attributed. */
    async orientationOf(caller: Caller, rplsId: string): Promise<Vacance[]> {
      const reach = readerReach(caller, referentiel);
      const unit = await units.store.get(unitIdOf(rplsId));
      if (!unit) throw notFound(`Logement ${rplsId}`, "UNIT_NOT_FOUND");
      const docs = (
        await ledgers.list({ bailleurId: unit.bailleurId, departements: [unit.logement.departement] })
      ).filter((l) => canSeeLedger(reach, l));
      const found = (await visibleVacancies(reach, docs, { rplsIds: [rplsId] })).sort((a, b) =>
        a.libereLe.localeCompare(b.libereLe),
      );
      if (found.length === 0) throw notFound(`Orientation du logement ${rplsId}`, "UNIT_NOT_ORIENTED");
      return found;
    },

    /** The orientations of a year the caller may see (a reserver: those oriented to it). */
    async list(caller: Caller, query: z.infer<typeof OrientationsQuery>) {
      const reach = readerReach(caller, referentiel);
      const docs = (
        await ledgers.list({
          departements: [query.departement],
          annee: query.annee,
          ...(query.bailleurId ? { bailleurId: query.bailleurId } : {}),
        })
      ).filter((l) => canSeeLedger(reach, l));
      return (await visibleVacancies(reach, docs)).sort(
        (a, b) => a.libereLe.localeCompare(b.libereLe) || a.id.localeCompare(b.id),
      );
    },

    /**
     * The balance of one landlord × département × year, to date (or as closed): per reserver owed,
     * oriented, returned, attributed and carry-over, and the breakdown the decree asks for. A reserver
     * sees its own lines; EPCI staff their own line and the rows of their communes.
     */
    async balance(caller: Caller, query: z.infer<typeof BalanceQuery>) {
      const reach = readerReach(caller, referentiel);
      const bailleurId = query.bailleurId ?? (reach.kind === "landlord" ? reach.bailleurId : undefined);
      if (!bailleurId)
        throw new AppError("VALIDATION", "Indiquez le bailleur (bailleurId) dont vous demandez le bilan", {
          reason: "LANDLORD_REQUIRED",
          field: "bailleurId",
        });
      const ledgerId = ledgerIdOf(bailleurId, query.departement, query.annee);
      const doc = await ledgers.store.get(ledgerId);
      if (!doc || !canSeeLedger(reach, doc))
        throw notFound(
          `Bilan ${query.annee} du bailleur ${bailleurId} dans le ${query.departement}`,
          "LEDGER_NOT_FOUND",
        );
      const ledger = ledgerOf(doc);
      const [vacances, next, signed] = await Promise.all([
        writer.vacances(ledgerId, doc.version),
        ledgers.store.get(ledgerIdOf(bailleurId, query.departement, query.annee + 1)),
        conventions.list({ bailleurId, departements: [query.departement] }),
      ]);
      const bilan = balanceOf(ledger, vacances, {
        clotureLe: clock.now().toISOString(),
        cloturePar: caller.principal.userId,
        prevision: ledger.prevision,
      });
      const mine = (id: string) =>
        reach.kind === "landlord" ||
        reach.kind === "state" ||
        ((reach.kind === "reserver" || reach.kind === "epci") && id === reach.reservataireId);
      const lignes = bilan.lignes.filter((l) => mine(l.reservataireId));
      const shown = new Set(lignes.map((l) => l.reservataireId));
      return {
        bailleurId,
        bailleur: referentiel.bailleurs.find((b) => b.id === bailleurId)?.nom ?? bailleurId,
        departement: query.departement,
        ...bilan,
        cloture: ledger.cloture,
        lignes,
        detail: bilan.detail.filter(
          (d) => mine(d.reservataireId) || (reach.kind === "epci" && reach.communes.has(d.commune)),
        ),
        /** The reservers' names, for the lines shown. */
        noms: Object.fromEntries(
          signed.filter((c) => shown.has(c.reservataire.id)).map((c) => [c.reservataire.id, c.reservataire.nom]),
        ) as Record<string, string>,
        /** The forecast of subtracted units declared for the next year (the balance tells it to the reservers). */
        previsionAnneeSuivante: next?.prevision,
      };
    },
  };
}
export type FluxReads = ReturnType<typeof fluxReads>;
export type Balance = Awaited<ReturnType<FluxReads["balance"]>>;
