import type { CandidatesProposed, UnitFreed, UnitLet } from "@logis/contracts";
import { AppError, type Clock, civilDay, newId } from "@logis/domain";
import { z } from "zod";
import { ledgerIdOf } from "../domain/ledger.js";
import { unitIdOf } from "../domain/logement.js";
import type { Referentiel } from "../domain/referentiel.js";
import { type Vacance, vacanceIdOf } from "../domain/vacance.js";
import { canSeeLedger, landlordOf, notFound, type Reach, readerReach } from "./access.js";
import { actorOf } from "./events.js";
import { type LedgerWriter, VacancyExists, yearOf } from "./ledger-writer.js";
import type { Caller, LedgerDoc, LedgersPort, UnitsPort, VacanceDoc, VacanciesPort } from "./ports.js";

const day = (label: string) => z.iso.date({ error: `${label} attendue (AAAA-MM-JJ)` });
export const OverrideInput = z.object({
  reservataireId: z.string({ error: "réservataire requis" }).min(1, "réservataire requis"),
  motif: z.string({ error: "motif écrit requis" }).trim().min(1, "motif écrit requis").max(1000),
});
export const ReturnInput = z.object({ renduLe: day("date de restitution") });

const nothing = { events: [], vacance: undefined };

/**
 * The orientation of each freed unit and what follows it: the consumer of the service's own unit
 * events orients each UnitFreed and counts each UnitLet; landlord staff override an orientation with
 * a written reason; the reserver (or the landlord) hands a unit back.
 */
export function orientationUseCases(deps: {
  writer: LedgerWriter;
  ledgers: LedgersPort;
  units: UnitsPort;
  vacancies: Pick<VacanciesPort, "designationsDue">;
  clock: Clock;
  referentiel: Referentiel;
}) {
  const { writer, ledgers, units, vacancies, clock, referentiel } = deps;

  /** The unit's current vacancy for a caller acting on it (`who` says whether it may), 404 otherwise. */
  async function currentFor(caller: Caller, rplsId: string, who: (reach: Reach, v: Vacance, l: LedgerDoc) => boolean) {
    const unit = await units.store.get(unitIdOf(rplsId));
    const unknown = notFound(`Logement ${rplsId} libéré`, "UNIT_NOT_ORIENTED");
    if (!unit?.vacance) throw unknown;
    const ledgerId = ledgerIdOf(unit.bailleurId, unit.logement.departement, yearOf(unit.vacance.libereLe));
    const ledger = await ledgers.store.get(ledgerId);
    const vacance = ledger && (await writer.vacance(vacanceIdOf(rplsId, unit.vacance.libereLe), ledger.version));
    const reach = readerReach(caller, referentiel);
    if (!ledger || !vacance || !canSeeLedger(reach, ledger) || !who(reach, vacance, ledger)) throw unknown;
    return { unit, ledgerId, vacanceId: vacance.id, libereLe: vacance.libereLe };
  }

  const meta = (caller: Caller) => ({
    correlationId: caller.correlationId,
    actor: actorOf(caller.principal),
    now: clock.now(),
  });

  /** ExpireDesignation on each listed vacancy, decided again under its ledger's lock; how many expired. */
  async function expireEach(due: readonly VacanceDoc[], meta: { correlationId: string; now: Date }) {
    let expired = 0;
    for (const doc of due) {
      try {
        const { events } = await writer.change(doc.ledgerId, meta, async (_ledger, version) => {
          const vacance = await writer.vacance(doc.id, version);
          return {
            commands: [{ type: "ExpireDesignation", rplsId: doc.rplsId, vacance }],
            context: writer.context([], "flux"),
            vacance,
          };
        });
        expired += events.length;
      } catch (error) {
        // Decided otherwise meanwhile (designated, returned, let, expired by another pass).
        const settled = [
          "ALREADY_DESIGNATED",
          "DESIGNATION_ALREADY_EXPIRED",
          "NO_DESIGNATION_DUE",
          "DESIGNATION_NOT_DUE",
          "UNIT_NOT_ORIENTED",
          "LEDGER_CLOSED",
        ];
        if (!(error instanceof AppError && settled.includes(error.reason ?? ""))) throw error;
      }
    }
    return expired;
  }

  return {
    /** Orients a freed unit (its UnitFreed event); a redelivered event finds its vacancy and does nothing. */
    async orientFreed(event: UnitFreed) {
      const { bailleurId, logement, libereLe, motif, soustraction, horsFlux } = event.payload;
      if (horsFlux) return nothing; // managed in stock: outside the flux
      const { departement } = logement;
      const annee = yearOf(libereLe);
      const ledgerId = ledgerIdOf(bailleurId, departement, annee);
      const causedBy = { correlationId: event.correlationId, causationId: event.eventId, now: clock.now() };
      // Most freeings are new: the first attempt inserts the vacancy without reading it; one that
      // exists (a redelivery, or a write ahead of a ledger write that never happened) is read and decided again.
      const attempt = (assumedNew: boolean) =>
        writer.change(ledgerId, causedBy, async (ledger, version) => {
          const vacance = assumedNew
            ? undefined
            : await writer.vacance(vacanceIdOf(logement.rplsId, libereLe), version);
          return {
            commands: [
              ...(await writer.opening(ledger, { bailleurId, departement, annee })),
              { type: "OrientUnit", logement, libereLe, motifLiberation: motif, soustraction, existante: vacance },
            ],
            context: writer.context(await writer.conventionsOn(bailleurId, departement, libereLe), "flux"),
            vacance,
            assumedNew,
          };
        });
      try {
        return await attempt(true).catch((error: unknown) => {
          if (error instanceof VacancyExists) return attempt(false);
          throw error;
        });
      } catch (error) {
        if (error instanceof AppError && error.reason === "UNIT_ALREADY_ORIENTED") return nothing;
        throw error;
      }
    },

    /** Counts the attribution of a let unit (its UnitLet event) on the reserver it was oriented to. */
    async recordLease(event: UnitLet) {
      const { bailleurId, rplsId, libereLe, bailSigneLe } = event.payload;
      const unit = await units.store.get(unitIdOf(rplsId));
      if (!unit || !libereLe) return nothing;
      const ledgerId = ledgerIdOf(bailleurId, unit.logement.departement, yearOf(libereLe));
      const causedBy = { correlationId: event.correlationId, causationId: event.eventId, now: clock.now() };
      try {
        return await writer.change(ledgerId, causedBy, async (_ledger, version) => {
          const vacance = await writer.vacance(vacanceIdOf(rplsId, libereLe), version);
          return {
            commands: [{ type: "RecordAttribution", rplsId, vacance, bailSigneLe }],
            context: writer.context([], "flux"),
            vacance,
          };
        });
      } catch (error) {
        // Already counted (a redelivery), or never oriented (subtracted, or managed in stock).
        const skipped = ["ALREADY_ATTRIBUTED", "UNIT_NOT_ORIENTED", "LEDGER_NOT_OPEN"];
        if (error instanceof AppError && skipped.includes(error.reason ?? "")) return nothing;
        throw error;
      }
    },

    /**
     * Records the reserver's designation from the CAL's CandidatesProposed (the reserver's own
     * candidates, or the préfet's DALO household): the unit then never expires. One after the deadline
     * or after the expiry is recorded late (decision 0016). The landlord's own candidates designate
     * nothing. Idempotent: the first designation counts, a redelivery changes nothing.
     */
    async recordDesignation(event: CandidatesProposed): Promise<"recorded" | "unchanged" | "ignored"> {
      const { logement, libereLe, source, proposeLe } = event.payload;
      if (source === "bailleur") return "ignored";
      const ledgerId = ledgerIdOf(logement.bailleurId, logement.departement, yearOf(libereLe));
      try {
        const recorded = await writer.designate(ledgerId, vacanceIdOf(logement.rplsId, libereLe), {
          le: civilDay(new Date(proposeLe)),
          source,
        });
        return recorded ? "recorded" : "unchanged";
      } catch (error) {
        // Not oriented to a reserver here (the landlord's own part, subtracted), handed back or let.
        if (error instanceof AppError && error.reason === "NO_DESIGNATION_DUE") return "ignored";
        throw error;
      }
    },

    /**
     * The daily pass: each unit whose reserver designated nobody by its deadline (`designationAvant`,
     * inclusive, Paris day) is found expired (UnitDesignationExpired), once; the landlord then presents
     * its own candidates. Each is decided again under its ledger's lock, so two passes at once, or a
     * designation arriving meanwhile, leave one event at most. Returns how many expired.
     */
    async expireDue(page = 500): Promise<number> {
      const now = clock.now();
      const meta = { correlationId: newId("correlation"), now };
      let expired = 0;
      // Page after page: units that stay listed (a ledger closed meanwhile) never hide the others.
      let after: string | undefined;
      for (;;) {
        const due = await vacancies.designationsDue(civilDay(now), page, after);
        expired += await expireEach(due, meta);
        if (due.length < page) break;
        after = due.at(-1)?._id;
      }
      return expired;
    },

    /** Landlord staff orient a unit to another reserver, with a written reason (audited in the event). */
    async override(caller: Caller, rplsId: string, input: z.infer<typeof OverrideInput>) {
      const bailleurId = landlordOf(caller, "flux.orient");
      const { unit, ledgerId, vacanceId, libereLe } = await currentFor(
        caller,
        rplsId,
        (_r, _v, l) => l.bailleurId === bailleurId,
      );
      const conventions = await writer.conventionsOn(bailleurId, unit.logement.departement, libereLe);
      let current: Vacance | undefined;
      const { vacance } = await writer.change(ledgerId, meta(caller), async (_ledger, version) => {
        current = await writer.vacance(vacanceId, version);
        return {
          commands: [{ type: "OverrideOrientation", rplsId, vacance: current, ...input }],
          context: writer.context(conventions, caller.principal.userId),
          vacance: current,
        };
      });
      return vacance ?? current; // the same reserver again: nothing changed
    },

    /** The reserver (or the landlord for it) hands an oriented unit back; how it counts follows the convention. */
    async returnUnit(caller: Caller, rplsId: string, input: z.infer<typeof ReturnInput>) {
      const { unit, ledgerId, vacanceId, libereLe } = await currentFor(caller, rplsId, (reach, v, l) =>
        reach.kind === "landlord"
          ? l.bailleurId === reach.bailleurId
          : reach.kind === "reserver" && v.cible?.reservataireId === reach.reservataireId,
      );
      const conventions = await writer.conventionsOn(unit.bailleurId, unit.logement.departement, libereLe);
      const { vacance } = await writer.change(ledgerId, meta(caller), async (_ledger, version) => {
        const current = await writer.vacance(vacanceId, version);
        return {
          commands: [{ type: "ReturnUnit", rplsId, vacance: current, renduLe: input.renduLe }],
          context: writer.context(conventions, caller.principal.userId),
          vacance: current,
        };
      });
      return vacance;
    },
  };
}
export type OrientationUseCases = ReturnType<typeof orientationUseCases>;
