import { assertCan } from "@logis/auth";
import { createEvent, Departement, QuotaBackOnTrack, QuotaOffTrack } from "@logis/contracts";
import { AppError, civilDay, newId } from "@logis/domain";
import type { Caller } from "@logis/http";
import type { Aggregates } from "@logis/outbox";
import { z } from "zod";
import type { LedgerRow } from "../domain/ledger-row.js";
import {
  type Avertissement,
  alertId,
  avertissements,
  type QuotaAlertCommand,
  type QuotaAlertState,
  quotaAlert,
} from "../domain/quota-alert.js";
import { type Quotas, quotas } from "../domain/quotas.js";
import type { Periode } from "../domain/statistics.js";
import { type AttributionDeps, leasesIn } from "./attributions.js";
import { type ReadScope, readScope } from "./statistics.js";

/** Filters of the quotas: a département, an EPCI, a year (by default this year, to date). */
export const QuotasQuery = z.object({
  departement: Departement.optional(),
  epci: z
    .string()
    .regex(/^\d{9}$/, "SIREN d'EPCI attendu (9 chiffres)")
    .optional(),
  annee: z.coerce
    .number({ error: "année attendue (AAAA)" })
    .int("année attendue (AAAA)")
    .min(2017, "année à partir de 2017 (loi Égalité et citoyenneté)")
    .max(2100, "année attendue (AAAA)")
    .optional(),
});
export type QuotasQuery = z.infer<typeof QuotasQuery>;

/** The flux balance of one landlord × département × year, per reserver, with how far each is behind. */
export interface BilanFlux {
  bailleurId: string;
  departement: string;
  annee: number;
  fluxBrut: number;
  soustraits: Record<string, number>;
  cloture: boolean;
  lignes: (LedgerRow["lignes"][number] & { ecart: number })[];
}

export interface QuotasView {
  filtres: ReadScope["filtres"] & { annee: number };
  periode: Periode;
  /** The rates and targets in force (their reference data version). */
  referentiel: string;
  epcis: (Quotas & { libelle: string })[];
  /** Every rate going off track, in French: shown on the pages and sent as alerts. */
  avertissements: Avertissement[];
  bilansFlux: BilanFlux[];
}

type AlertDoc = { _id: string } & QuotaAlertState & { epci: string; annee: number; indicateur: string };

const bilanOf = (l: LedgerRow): BilanFlux => ({
  bailleurId: l.bailleurId,
  departement: l.departement,
  annee: l.annee,
  fluxBrut: l.fluxBrut,
  soustraits: l.soustraits,
  cloture: l.cloture,
  lignes: l.lignes.map((x) => ({ ...x, ecart: Math.round((x.du + x.report - x.orientes) * 100) / 100 })),
});

export function quotaUseCases(deps: AttributionDeps & { alerts: Aggregates<AlertDoc> }) {
  const periodOf = (annee: number | undefined): Periode => {
    const today = civilDay(deps.clock.now());
    const year = annee ?? Number(today.slice(0, 4));
    const end = `${year}-12-31`;
    return { du: `${year}-01-01`, au: today < end ? today : end };
  };

  async function compute(scope: ReadScope, periode: Periode, onlyEpci?: string) {
    const leases = (await leasesIn(deps, scope)).map((l) => l.fact);
    const epcis = [...new Set(leases.map((f) => f.epci))].filter((e) => !onlyEpci || e === onlyEpci).sort();
    const list = epcis.map((epci) => ({
      ...quotas(leases, epci, periode, deps.reference.quotaParameters(epci, periode.au)),
      libelle: deps.territory.epciName(epci) ?? epci,
    }));
    return { list, warnings: list.flatMap((q) => avertissements(q, periode, q.libelle)) };
  }

  async function announce(command: QuotaAlertCommand & { id: string }) {
    await deps.alerts.update(command.id, (current) => {
      const state = current ? { etat: current.etat, taux: current.taux, version: current.version } : undefined;
      const decided = quotaAlert.decide(state, command, { now: deps.clock.now() });
      if (!decided.ok || decided.value.length === 0) return undefined;
      const next = decided.value.reduce(quotaAlert.evolve, state) as QuotaAlertState;
      const correlationId = newId("correlation");
      const events = decided.value.map((e, i) => {
        const base = {
          aggregateId: command.id,
          aggregateVersion: (state?.version ?? 0) + i + 1,
          correlationId,
          occurredAt: deps.clock.now(),
        };
        if (e.type === "QuotaOffTrack") {
          const { type: _t, id: _id, ...payload } = e;
          return createEvent(QuotaOffTrack, { ...base, payload });
        }
        const { type: _t, id: _id, ...payload } = e;
        return createEvent(QuotaBackOnTrack, { ...base, payload });
      });
      const key = "avertissement" in command ? command.avertissement : command.atteint;
      return {
        state: { ...next, epci: key.epci, annee: key.annee, indicateur: key.indicateur },
        events,
      };
    });
  }

  return {
    /** The legal quotas of the year in the caller's territory, their warnings and the flux balances (`stats.read`). */
    async quotaView(caller: Caller, query: QuotasQuery): Promise<QuotasView> {
      assertCan(caller.principal, "stats.read");
      const scope = readScope(caller.principal, deps.territory, query);
      const periode = periodOf(query.annee);
      const { list, warnings } = await compute(scope, periode, query.epci);
      const annee = Number(periode.au.slice(0, 4));
      const ledgers = await deps.ledgers.list({
        annee: [annee],
        ...(scope.departements ? { departement: scope.departements } : {}),
      });
      return {
        filtres: { ...scope.filtres, annee },
        periode,
        referentiel: deps.reference.version,
        epcis: list,
        avertissements: warnings,
        bilansFlux: (scope.communes ? [] : ledgers).sort((a, b) => a.id.localeCompare(b.id)).map(bilanOf),
      };
    },

    /**
     * The scheduled check: every EPCI's quotas of this year to date; a rate going off track (or
     * worse) raises QuotaOffTrack through the outbox, a rate met again QuotaBackOnTrack. Returns the warnings.
     */
    async checkAlerts(): Promise<Avertissement[]> {
      const periode = periodOf(undefined);
      if (periode.au < periode.du) throw new AppError("INTERNAL", "période vide");
      const { list, warnings } = await compute({ filtres: {} }, periode);
      const annee = Number(periode.au.slice(0, 4));
      for (const a of warnings) await announce({ type: "Check", id: a.id, avertissement: a });
      const warned = new Set(warnings.map((w) => w.id));
      for (const q of list) {
        const met = [
          { indicateur: "q1HorsQpv" as const, s: q.q1HorsQpv, reservataireId: undefined },
          { indicateur: "autresQuartilesEnQpv" as const, s: q.autresQuartilesEnQpv, reservataireId: undefined },
          ...q.prioritairesParReservataire.map((r) => ({
            indicateur: "prioritaires" as const,
            s: r,
            reservataireId: r.reservataireId,
          })),
        ];
        for (const { indicateur, s, reservataireId } of met) {
          const id = alertId(q.epci, annee, indicateur, reservataireId);
          if (s.etat !== "atteint" || s.taux === undefined || warned.has(id)) continue;
          await announce({
            type: "Check",
            id,
            atteint: {
              id,
              epci: q.epci,
              annee,
              indicateur,
              ...(reservataireId ? { reservataireId } : {}),
              taux: s.taux,
              cible: s.cible,
            },
          });
        }
      }
      return warnings;
    },
  };
}
export type QuotaUseCases = ReturnType<typeof quotaUseCases>;
