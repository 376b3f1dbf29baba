import { describe, expect, it } from "vitest";
import { convient } from "./plan.js";
import { DEFAULT_TARGETS, firstQuartiles, quotas } from "./quotas.js";
import { loadPlafonds, loadReferentiel, loadRegles } from "./reference.js";
import type { Attribution } from "./run-year.js";
import { generateTerritory } from "./territory.js";

const referentiel = loadReferentiel();
const t = generateTerritory({
  referentiel,
  plafonds: loadPlafonds("2026-01-01"),
  graine: 9,
  taille: "petite",
  debut: "2025-12-01",
  fin: "2026-12-01",
});
const epciOf = (insee: string) => referentiel.communes.find((c) => c.insee === insee)?.epci;

describe("the legal quotas of the year", () => {
  const quartiles = firstQuartiles(t.demandes, epciOf);
  const lease = (
    i: number,
    qpv: boolean,
    premierQuartile: boolean,
    contingent: Attribution["contingent"],
    prioritaire = false,
  ): Attribution => {
    const demande = t.demandes[i] as Attribution["demande"];
    const logement = { ...(t.logements[i] as Attribution["logement"]), commune: "57463", qpv };
    const seuil = quartiles.get("200039865") as number;
    return {
      demande: {
        ...demande,
        revenuParUc: premierQuartile ? seuil - 1 : seuil + 1,
        ...(prioritaire ? { priorite: "dalo" as const } : {}),
      },
      numero: "x",
      logement,
      libereLe: "2026-03-01",
      bailSigneLe: "2026-04-01",
      contingent,
      reservataireId: contingent === "bailleur" ? "org_demo_bailleur_57" : "org_demo_action_logement",
      refus: 0,
      candidats: [],
      voie: "directe",
    };
  };

  it("takes the first quartile per EPCI from the demands, and counts each target over its own leases", () => {
    expect(quartiles.get("200039865")).toBeGreaterThan(0);
    const lines = quotas(
      [
        lease(0, false, true, "bailleur", true),
        lease(1, false, false, "bailleur"),
        lease(2, false, false, "action_logement"),
        lease(3, false, false, "action_logement"),
        lease(4, true, true, "action_logement"),
        lease(5, true, false, "prefet_prioritaires"),
      ],
      quartiles,
      epciOf,
      (id) => id,
    );
    const [horsQpv, qpv, ...reservers] = lines;
    expect(horsQpv).toMatchObject({
      numerateur: 1,
      denominateur: 4,
      part: 25,
      atteint: true,
      cible: DEFAULT_TARGETS.horsQpvPremierQuartile,
    });
    expect(qpv).toMatchObject({ numerateur: 1, denominateur: 2, part: 50, atteint: true });
    // The préfet's priority contingent is not held to the 25 % of priority households.
    expect(reservers.map((r) => [r.libelle, r.numerateur, r.denominateur, r.atteint])).toEqual([
      ["org_demo_action_logement : ménages DALO ou prioritaires", 0, 3, false],
      ["org_demo_bailleur_57 : ménages DALO ou prioritaires", 1, 2, true],
    ]);
  });
});

describe("the households the simulation designates", () => {
  it("pass the CAL's affordability rules: rent and charges within the rent burden, enough left to live on", () => {
    const regles = loadRegles("2026-11-30");
    let checked = 0;
    for (const l of t.logements.slice(0, 200)) {
      for (const d of t.demandes) {
        if (!convient(d, l, epciOf, regles)) continue;
        const cout = l.loyer + regles.chargesMensuellesParPiece * l.nbPieces;
        expect(cout).toBeLessThanOrEqual(regles.tauxEffortMax * d.ressourcesMensuelles);
        expect((d.ressourcesMensuelles - cout) / d.uc / 30).toBeGreaterThanOrEqual(regles.resteAVivreMinParUCJour);
        expect(d.form.souhaits.typologies).toContain(`T${Math.min(l.nbPieces, 5)}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});
