import { readFileSync } from "node:fs";
import type { Principal } from "@logis/auth";
import { civilDay } from "@logis/domain";
import { z } from "zod";
import { pool, type ServiceClient } from "./client.js";
import type { Territoire } from "./territory.js";

// The Moselle cotation grid (config/grille-moselle.json), one per EPCI, published through cotation's
// API as each EPCI's own grid editor and publisher would.

const GrilleMoselle = z.object({
  version: z.string(),
  nom: z.string(),
  kind: z.literal("unique"),
  emploiSurEpciTendu: z.number().int().positive(),
  rules: z.object({
    rubriques: z.array(
      z.looseObject({
        code: z.string(),
        criteres: z.array(z.looseObject({ code: z.string(), points: z.looseObject({ kind: z.string() }) })),
      }),
    ),
    plancher: z.number(),
  }),
});
export type GrilleMoselle = z.infer<typeof GrilleMoselle>;

export const loadGrilleMoselle = (): GrilleMoselle =>
  GrilleMoselle.parse(JSON.parse(readFileSync(new URL("../config/grille-moselle.json", import.meta.url), "utf8")));

/** The grid of one EPCI: its name, and in a tense EPCI a heavier weight for working there. */
export function grilleOf(g: GrilleMoselle, epci: { siren: string; nom: string }, tendu: boolean) {
  const rules = structuredClone(g.rules);
  if (tendu)
    for (const r of rules.rubriques)
      for (const c of r.criteres)
        if (c.code === "EMPLOI_SUR_EPCI") c.points = { kind: "fixed", points: g.emploiSurEpciTendu };
  return { epci: epci.siren, kind: g.kind, nom: `${g.nom} — ${epci.nom}`, rules };
}

/** The EPCI's agent who edits and publishes its grid (tokens signed by the simulation, as the demo seeds do). */
export const epciAgent = (epci: { siren: string; nom: string }): Principal => ({
  userId: `usr_sim_grille_${epci.siren}`,
  name: `Chargée de mission habitat — ${epci.nom} (simulation)`,
  organisation: { id: `org_sim_epci_${epci.siren}`, kind: "epci", name: epci.nom },
  roles: ["epci-grid-editor", "epci-publisher"],
  territories: { departements: ["57"], epcis: [epci.siren] },
});

/**
 * Publishes each EPCI's grid, effective today (cotation takes no earlier date: the simulated year's
 * demands are scored on it as they reach cotation). An EPCI whose grid of that name is already
 * published keeps it; a draft of that name left by an interrupted run is simulated and published.
 * Returns the grids published now and those already in force.
 */
export async function publishGrids(
  client: ServiceClient,
  t: Territoire,
  tick: () => void,
  notes: string[],
): Promise<{ publiees: number; deja: number }> {
  const g = loadGrilleMoselle();
  const today = civilDay(new Date());
  let publiees = 0;
  let deja = 0;
  // All EPCIs at once: a publication waits on cotation's side (its event, the registry reloaded).
  await pool(t.referentiel.epcis, t.referentiel.epcis.length, async (epci) => {
    const who = epciAgent(epci);
    const tendu = t.referentiel.communes.some((c) => c.epci === epci.siren && c.tendu);
    const grid = grilleOf(g, epci, tendu);
    const versions = (await client.must(who, "cotation", "GET", `/v1/grilles?epci=${epci.siren}`)).body as {
      id: string;
      status: string;
      nom: string;
    }[];
    if (versions.some((v) => v.status === "published" && v.nom === grid.nom)) {
      deja++;
      tick();
      return;
    }
    let id = versions.find((v) => v.status === "draft" && v.nom === grid.nom)?.id;
    if (!id) {
      const created = await client.call(who, "cotation", "POST", "/v1/grilles", grid);
      if (created.status !== 201 && created.status !== 200) {
        notes.push(`grille de ${epci.nom} refusée : ${created.status} ${JSON.stringify(created.body).slice(0, 300)}`);
        tick();
        return;
      }
      id = created.body.id as string;
    }
    // A publication follows a simulation of the draft's last state (cotation's rule).
    await client.must(who, "cotation", "POST", `/v1/grilles/${id}/simulation`, { topN: 5 });
    const published = await client.call(who, "cotation", "POST", `/v1/grilles/${id}/publication`, {
      effectiveFrom: today,
    });
    if (published.status >= 300)
      notes.push(
        `grille de ${epci.nom} non publiée : ${published.status} ${JSON.stringify(published.body).slice(0, 300)}`,
      );
    else publiees++;
    tick();
  });
  return { publiees, deja };
}
