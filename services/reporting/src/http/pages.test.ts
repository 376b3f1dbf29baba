import { describe, expect, it } from "vitest";
import type { QuotasView } from "../app/quotas.js";
import type { StatisticsView } from "../app/statistics.js";
import { evolveDemandRow } from "../domain/demand-row.js";
import { statistics } from "../domain/statistics.js";
import { territoryOf } from "../domain/territory.js";
import { registered } from "../testing/demand-events.js";
import { barChart, quotasPage, statisticsPage } from "./pages.js";

describe("printable pages with server-side charts", () => {
  it("a bar chart: one bar per line, widths in proportion, the target line, escaped labels", () => {
    const svg = barChart(
      "Taux <test>",
      [
        { label: "A & B", value: 50 },
        { label: "C", value: 25 },
      ],
      { max: 100, target: 25, unit: " %" },
    );
    expect(svg).toContain('<svg role="img" aria-label="Taux &lt;test&gt;"');
    expect(svg).toContain(">A &amp; B</text>");
    const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(2);
    expect(widths[0]).toBeCloseTo((widths[1] ?? 0) * 2);
    expect(svg).toContain("objectif 25 %");
  });

  it("the statistics page: French, dates dd/mm/yyyy, the stock tables as charts, no script", () => {
    const territory = territoryOf({
      version: "v1",
      departements: [{ code: "69", nom: "Rhône" }],
      epcis: [{ siren: "200046977", nom: "<script>alert(1)</script>", communes: ["69383"] }],
    });
    const row = evolveDemandRow(undefined, registered({ id: "dem_1", depot: "2026-02-01T08:00:00.000Z" }));
    const s: StatisticsView = {
      filtres: { departement: "69" },
      ...statistics(row ? [row] : [], { du: "2026-01-01", au: "2026-11-29" }, territory),
    };
    const html = statisticsPage(s, new Date("2026-11-29T10:00:00Z"));
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain("Du 01/01/2026 au 29/11/2026 — département 69");
    expect(html).toContain("Demandes actives par ancienneté");
    expect(html).toContain("Demandes actives par âge du demandeur");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("@media print");
  });

  it("the quotas page: warnings as alerts, a chart per EPCI, the flux balance", () => {
    const q: QuotasView = {
      filtres: { annee: 2026 },
      periode: { du: "2026-01-01", au: "2026-07-01" },
      referentiel: "v1",
      epcis: [
        {
          epci: "200039865",
          libelle: "Metz Métropole",
          q1HorsQpv: { numerateur: 1, denominateur: 10, taux: 10, cible: 25, etat: "en-retard" },
          autresQuartilesEnQpv: { numerateur: 0, denominateur: 0, cible: 50, etat: "sans-objet" },
          prioritairesParReservataire: [],
        },
      ],
      avertissements: [
        {
          id: "alt:200039865:2026:q1HorsQpv",
          epci: "200039865",
          annee: 2026,
          indicateur: "q1HorsQpv",
          etat: "en-retard",
          taux: 10,
          cible: 25,
          numerateur: 1,
          denominateur: 10,
          attributionsRestantes: 10,
          requises: 4,
          message: "Metz Métropole — premier quartile : 10 % pour un objectif de 25 %",
        },
      ],
      bilansFlux: [],
    };
    const html = quotasPage(q, new Date("2026-07-01T10:00:00Z"));
    expect(html).toContain(
      '<p class="alerte" role="alert">Metz Métropole — premier quartile : 10 % pour un objectif de 25 %</p>',
    );
    expect(html).toContain("<h2>Metz Métropole (200039865)</h2>");
    expect(html).toContain("— en retard");
    expect(html).toContain("Année 2026, du 01/01/2026 au 01/07/2026");
  });
});
