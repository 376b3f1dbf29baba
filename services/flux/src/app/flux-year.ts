import type { Clock } from "@logis/domain";
import { z } from "zod";
import { ledgerIdOf } from "../domain/ledger.js";
import { landlordOf } from "./access.js";
import { actorOf } from "./events.js";
import type { LedgerWriter } from "./ledger-writer.js";
import type { Caller } from "./ports.js";

const departement = z.string().regex(/^(\d{2}|2A|2B|\d{3})$/, "département attendu (57, 2A, 971…)");
const annee = z
  .number({ error: "année attendue" })
  .int("année attendue")
  .min(2020, "année : 2020 au plus tôt")
  .max(2100);
const count = z.number({ error: "nombre de logements attendu" }).int("nombre entier de logements").min(0, "au moins 0");
export const ParMotifInput = z.object({
  mutation_interne: count,
  renouvellement_urbain: count,
  copropriete_degradee: count,
  demolition: count,
});
export const ForecastInput = z.object({ departement, annee, prevision: ParMotifInput });
export const CloseYearInput = z.object({
  departement,
  annee,
  /** The forecast of subtracted units for the next year, told to the reservers with the balance. */
  previsionSoustraits: ParMotifInput.optional(),
});

/** The landlord's yearly acts on its ledger: the forecast of subtracted units, and the closing balance. */
export function fluxYearUseCases({ writer, clock }: { writer: LedgerWriter; clock: Clock }) {
  const meta = (caller: Caller) => ({
    correlationId: caller.correlationId,
    actor: actorOf(caller.principal),
    now: clock.now(),
  });
  return {
    /** The forecast of units to subtract from a year's flux (told to the reservers before 28 February). */
    async declareForecast(caller: Caller, input: z.infer<typeof ForecastInput>) {
      const bailleurId = landlordOf(caller, "flux.orient", input.departement);
      const ledgerId = ledgerIdOf(bailleurId, input.departement, input.annee);
      const { events } = await writer.change(ledgerId, meta(caller), async (ledger) => ({
        commands: [
          ...(await writer.opening(ledger, { bailleurId, departement: input.departement, annee: input.annee })),
          { type: "DeclareSubtractionForecast", prevision: input.prevision },
        ],
        context: writer.context([], caller.principal.userId),
        vacance: undefined,
      }));
      return { events: events.map((e) => e.type) };
    },

    /**
     * Closes a year once it is over: BalanceClosed carries the balance, with the next year's forecast of
     * subtracted units (given here, or else the one already declared for that year); the ledger takes
     * nothing more.
     */
    async closeYear(caller: Caller, input: z.infer<typeof CloseYearInput>) {
      const bailleurId = landlordOf(caller, "flux.orient", input.departement);
      const ledgerId = ledgerIdOf(bailleurId, input.departement, input.annee);
      const previsionSoustraits =
        input.previsionSoustraits ??
        (await writer.previsionOf(ledgerIdOf(bailleurId, input.departement, input.annee + 1)));
      const { events } = await writer.change(ledgerId, meta(caller), async (_ledger, version) => ({
        commands: [
          {
            type: "CloseYear",
            previsionSoustraits,
            vacances: await writer.vacances(ledgerId, version),
          },
        ],
        context: writer.context([], caller.principal.userId),
        vacance: undefined,
      }));
      return events[0]?.payload;
    },
  };
}
export type FluxYearUseCases = ReturnType<typeof fluxYearUseCases>;
