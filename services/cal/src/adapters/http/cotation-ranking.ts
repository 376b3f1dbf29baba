import { AppError } from "@logis/domain";
import type { Ranking, RankingFilter, RankingPage } from "../../app/ports.js";

/**
 * Cotation's `GET /v1/epcis/:epci/classement` (decision 0011), called with the CAL's own service
 * token. An unreachable or failing cotation is UNAVAILABLE (retriable: nothing is written); an EPCI
 * without a grid in force is a rule the proposal cannot meet.
 */
export function cotationRanking(options: {
  baseUrl: string;
  token: () => Promise<string>;
  timeoutMs?: number;
}): Ranking {
  return {
    async page(epci: string, filter: RankingFilter, page: { after: number; n: number; date: string }) {
      const query = new URLSearchParams({
        commune: filter.commune,
        nonAdapte: String(filter.nonAdapte),
        after: String(page.after),
        n: String(page.n),
        date: page.date,
      });
      if (filter.typologie) query.set("typologie", filter.typologie);
      if (filter.personnesMax !== undefined) query.set("personnesMax", String(filter.personnesMax));
      if (filter.effort) {
        query.set("coutMensuel", String(filter.effort.coutMensuel));
        query.set("tauxEffortMax", String(filter.effort.tauxMax));
      }
      if (filter.plafonds) {
        query.set("plafonds", filter.plafonds.categories.join(","));
        query.set("plafondParPersonneSupplementaire", String(filter.plafonds.parPersonneSupplementaire));
      }
      let res: Response;
      try {
        res = await fetch(`${options.baseUrl}/v1/epcis/${epci}/classement?${query}`, {
          headers: { authorization: `Bearer ${await options.token()}`, accept: "application/json" },
          signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
        });
      } catch (cause) {
        throw new AppError("UNAVAILABLE", "Le service de cotation ne répond pas : réessayez plus tard", {
          reason: "COTATION_UNAVAILABLE",
          cause,
        });
      }
      if (res.status === 404)
        throw new AppError(
          "RULE_VIOLATION",
          `Aucun classement de l'EPCI ${epci} : pas de grille de cotation en vigueur`,
          {
            reason: "NO_RANKING",
            context: { epci },
          },
        );
      if (!res.ok)
        throw new AppError("UNAVAILABLE", `Le service de cotation a répondu ${res.status} : réessayez plus tard`, {
          reason: "COTATION_UNAVAILABLE",
          context: { status: res.status },
        });
      return (await res.json()) as RankingPage;
    },
  };
}
