// k6 load scenario: desks registering demands through the REST API of a running platform.
// Loopback only; bounded in iterations and time. Run with: bash infra/load/run.sh registration-register
import { check } from "k6";
import http from "k6/http";

const BASE = __ENV.BASE_URL || "http://127.0.0.1:3001";
const TOKEN = __ENV.TOKEN;

export const options = {
  scenarios: {
    desks: { executor: "shared-iterations", vus: 8, iterations: Number(__ENV.ITERATIONS || 400), maxDuration: "2m" },
  },
  thresholds: {
    http_req_failed: ["rate<0.01"],
    "http_req_duration{name:register}": ["p(95)<1500"],
  },
};

const noms = ["Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Garnier", "Benali", "Nguyen", "Diallo"];
const prenoms = ["Camille", "Léa", "Inès", "Lucas", "Hugo", "Karim", "Aïcha", "Marc", "Linh", "Omar"];
const communes = ["69381", "69383", "69388", "69266", "69259", "69029"];
const pick = (a) => a[Math.floor(Math.random() * a.length)];
const pad = (n) => String(n).padStart(2, "0");

function demande() {
  const commune = pick(communes);
  return {
    departement: "69",
    demandeur: {
      nom: pick(noms),
      prenom: pick(prenoms),
      dateNaissance: `${1950 + Math.floor(Math.random() * 55)}-${pad(1 + Math.floor(Math.random() * 12))}-${pad(1 + Math.floor(Math.random() * 28))}`,
      situationFamiliale: "C",
      situationProfessionnelle: { typeContrat: "CDI" },
      ressources: { mensuelles: [{ type: "SAL", montant: 900 + Math.floor(Math.random() * 1500) }] },
    },
    contact: { adresse: { voie: "rue de la République", codePostal: "69002", commune: "69382" } },
    logementActuel: { modele: "LP", nombreOccupants: 2 },
    motifs: [{ code: "09" }],
    souhaits: { typologies: ["T2"], communes: [commune] },
  };
}

export default function () {
  const params = {
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    tags: { name: "register" },
  };
  // The identity document is required at registration (issue 16): a single adult hands it over.
  const body = { demande: demande(), pieces: { recues: [{ piece: "PIECE_IDENTITE", personne: "demandeur" }] } };
  let res = http.post(`${BASE}/v1/demandes`, JSON.stringify(body), params);
  if (res.status === 409) {
    // A synthetic household that looks like an earlier one: the desk declares it distinct.
    const examines = res.json("error.details.candidats").map((c) => c.numeroUnique);
    res = http.post(
      `${BASE}/v1/demandes`,
      JSON.stringify({ ...body, doublons: { decision: "distinct", examines } }),
      params,
    );
  }
  check(res, { "registered (201)": (r) => r.status === 201 });
}
