#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { createLocalIssuer, demoUsers, type KeyPairJwk } from "@logis/auth";
// Seeds the CAL of the demo territory (Moselle) through the REST API, as the demo Moselle landlord:
// seed-demo <base-url> <keys.json>. Its commissions (a CAL and a CALEOL, with their members, internal
// rules and fortnightly calendar); the CAL's next sessions scheduled and the vacancies whose candidates
// are known placed on them (the planning); then the earliest session with an agenda opened (attendance)
// and a decision recorded for each candidate of its first unit, ranked. Idempotent: what exists is kept,
// a session that already has decisions is left as it is.
import { civilDay } from "@logis/domain";

const [base = "http://127.0.0.1:3004", keysPath = ".local/auth/keys.json"] = process.argv.slice(2);
const keys = JSON.parse(readFileSync(keysPath, "utf8")) as KeyPairJwk;
const landlord = demoUsers.bailleur57;
const token = await createLocalIssuer({ privateJwk: keys.privateJwk, issuer: "logis-local", audience: "logis" }).issue(
  landlord,
);
const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };

/** Calls the API; an answer in `accepted` (409: already there) is not an error. */
async function call(method: string, path: string, body?: unknown, accepted: number[] = []) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status >= 300 && !accepted.includes(res.status))
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return { status: res.status, body: json };
}

const member = (id: string, nom: string, qualite: string, voix = "deliberative") => ({ id, nom, qualite, voix });
const membres = [
  member("pdt", "Mme Claire Muller, présidente", "administrateur"),
  member("adm2", "M. Paul Schneider", "administrateur"),
  member("adm3", "Mme Lucie Roth", "administrateur"),
  member("adm4", "M. Jean Becker", "administrateur"),
  member("adm5", "Mme Sarah Weiss", "administrateur"),
  member("loc", "M. Ali Benmoussa, représentant des locataires", "representant_locataires"),
  member("maire", "Maire de Metz (ou son représentant)", "maire"),
  member("prefet", "DDETS de la Moselle", "prefet"),
  member("al", "Action Logement Services", "reservataire", "consultative"),
];
const year = new Date().getUTCFullYear();
const commission = (id: string, typeCommission: "CAL" | "CALEOL", semaine: 1 | 3) => ({
  id,
  bailleurId: landlord.organisation.id,
  departement: "57",
  epci: "200039865",
  typeCommission,
  membres,
  reglement: {
    version: `RI-${year}`,
    quorum: { fraction: 0.5, minimum: 3 },
    majorite: "exprimes",
    voixPreponderante: "pdt",
  },
  mode: "presentiel",
  recurrence:
    typeCommission === "CAL"
      ? { frequence: "bimensuelle", jour: 4, depuis: `${year}-01-08` }
      : { frequence: "mensuelle", jour: 2, semaine, depuis: `${year}-01-01` },
  capacite: 12,
});

let constituted = 0;
for (const c of [commission("com_moselis_cal", "CAL", 1), commission("com_moselis_caleol", "CALEOL", 3)]) {
  if ((await call("POST", "/v1/commissions", c, [409])).status === 201) constituted++;
}
const plan = (await call("POST", "/v1/commissions/com_moselis_cal/planification")).body as {
  seancesProgrammees: string[];
  placements: { attributionId: string; sessionId: string }[];
};

// The earliest session with an agenda and no decision yet: attendance, then one ranked decision per candidate.
const today = civilDay(new Date()); // the Paris day, as the CAL reads dates
const until = civilDay(new Date(Date.now() + 60 * 86_400_000));
const days = (await call("GET", `/v1/commissions/com_moselis_cal/jours-de-seance?du=${today}&au=${until}`)).body
  .jours as string[];
let decided = 0;
for (const day of days) {
  const found = await call("GET", `/v1/seances/ses_moselis_cal_${day}`, undefined, [404]);
  const session = found.body as {
    statut?: string;
    agenda?: { attributionId: string; candidats: { demandId: string; eligibilite: { eligible: boolean } }[] }[];
    decisions?: unknown[];
  };
  if (found.status !== 200 || !session.agenda?.length) continue;
  if ((session.decisions?.length ?? 0) > 0) break;
  const id = `ses_moselis_cal_${day}`;
  const presents = membres.filter((m) => m.voix === "deliberative").map((m) => m.id);
  if (session.statut === "programmee") await call("POST", `/v1/seances/${id}/presences`, { presents });
  const item = session.agenda[0];
  for (const [k, candidat] of (item?.candidats ?? []).entries()) {
    await call("POST", `/v1/seances/${id}/decisions`, {
      attributionId: item?.attributionId,
      demandId: candidat.demandId,
      decision: "ATTRIBUTION_RANG",
      rang: k + 1,
      bulletins: presents.map((membreId) => ({ membreId, vote: "pour" })),
    });
    decided++;
  }
  break;
}
console.error(
  `cal: ${constituted} commission(s) constituted, ${plan.seancesProgrammees.length} session(s) scheduled, ` +
    `${plan.placements.length} unit(s) placed on an agenda, ${decided} decision(s) recorded (Moselle demo landlord)` +
    (decided === 0 ? " — no agenda yet: units reach it once their candidates are designated" : ""),
);
