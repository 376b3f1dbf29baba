#!/usr/bin/env node
// Seeds the flux demo territory (Moselle) through the REST API, as the demo Moselle landlord:
// seed-demo <base-url> <keys.json>. Its conventions with the State (priority publics and State
// agents), Action Logement and the city of Metz; a few units in Metz and Thionville; four of them
// freed this year, which the service orients. Idempotent: what exists already is left as it is.
import { readFileSync } from "node:fs";
import { createLocalIssuer, demoUsers, type KeyPairJwk } from "@logis/auth";

const [base = "http://127.0.0.1:3003", keysPath = ".local/auth/keys.json"] = process.argv.slice(2);
const keys = JSON.parse(readFileSync(keysPath, "utf8")) as KeyPairJwk;
const token = await createLocalIssuer({ privateJwk: keys.privateJwk, issuer: "logis-local", audience: "logis" }).issue(
  demoUsers.bailleur57,
);
const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };

/** Calls the API; an answer in `accepted` (409: already there) is not an error. */
async function call(method: string, path: string, body: unknown, accepted: number[] = []) {
  const res = await fetch(`${base}${path}`, { method, headers, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300 && !accepted.includes(res.status))
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return res.status;
}

const today = new Date();
const year = today.getUTCFullYear();
const daysAgo = (n: number) => new Date(today.getTime() - n * 86_400_000).toISOString().slice(0, 10);
const conditions = (pourcentage: number, over: Record<string, unknown> = {}) => ({
  pourcentage,
  fondement: "contingent_legal",
  ventilation: [],
  delaiDesignationJours: 30,
  logementRendu: "compte",
  validFrom: `${year}-01-01`,
  ...over,
});
const conventions = [
  {
    reservataire: {
      id: "org_demo_ddets_57",
      nom: "Préfet de la Moselle (publics prioritaires)",
      type: "prefet_prioritaires",
    },
    conditions: conditions(25),
  },
  {
    reservataire: {
      id: "org_demo_ddets_57_agents",
      nom: "Préfet de la Moselle (agents de l'État)",
      type: "prefet_agents",
    },
    conditions: conditions(5, { delaiDesignationJours: 15 }),
  },
  {
    reservataire: { id: "org_demo_action_logement", nom: "Action Logement Services", type: "action_logement" },
    conditions: conditions(20, { fondement: "financement", logementRendu: "ne_compte_pas" }),
  },
  {
    reservataire: { id: "org_ville_metz", nom: "Ville de Metz", type: "commune" },
    commune: "57463",
    conditions: conditions(10, { fondement: "garantie_emprunt" }),
  },
];
let signed = 0;
for (const c of conventions) {
  const status = await call(
    "POST",
    "/v1/conventions",
    { ...c, departement: "57", signeLe: `${year - 1}-12-15` },
    [409],
  );
  if (status === 201) signed++;
}

const streets = ["rue Serpenoise", "rue des Allemands", "avenue Foch", "rue de la Paix", "boulevard Paixhans"];
const units = Array.from({ length: 8 }, (_, i) => {
  const thionville = i % 4 === 3;
  return {
    rplsId: `57DEMO${String(i + 1).padStart(4, "0")}`,
    idBailleur: `MOS-${String(i + 1).padStart(3, "0")}`,
    commune: thionville ? "57672" : "57463",
    adresse: `${i + 2} ${streets[i % streets.length]}`,
    codePostal: thionville ? "57100" : "57000",
    qpv: i % 3 === 0,
    nbPieces: 1 + (i % 5),
    surface: 28 + (i % 5) * 17,
    etage: i % 5,
    ascenseur: i % 2 === 0,
    accessibilite: i % 4 === 0 ? "adapte" : "accessible",
    anneeConstruction: 1958 + i * 7,
    financement: (["PLAI", "PLUS", "PLUS", "PLS"] as const)[i % 4],
    loyer: 290 + i * 35.5,
    // A PLAI adapté unit, freed below: the CAL may examine fewer than three candidates for it.
    ...(i === 0 ? { plaiAdapte: true } : {}),
  };
});
for (const u of units) await call("POST", "/v1/logements", u);
let freed = 0;
for (const [i, u] of units.slice(0, 4).entries()) {
  const status = await call(
    "POST",
    `/v1/logements/${u.rplsId}/liberation`,
    { libereLe: daysAgo(20 - i * 4), motif: i === 3 ? "premiere_mise_en_location" : "depart" },
    [409],
  );
  if (status === 202) freed++;
}
console.error(
  `flux: ${signed} convention(s) signed, ${units.length} units declared, ${freed} freed (Moselle demo landlord)`,
);
