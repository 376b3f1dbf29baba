import { demoUsers, type Principal } from "@logis/auth";
import { pool, type ServiceClient } from "./client.js";
import { prefecture57 } from "./principals.js";
import type { Attribution } from "./run-year.js";

/** A collectivity's housing service, designating for its reservations (tokens signed by the simulation). */
const serviceLogement = (id: string, nom: string): [string, Principal] => [
  id,
  {
    userId: `usr_sim_${id.replace(/^org_(demo_)?/, "")}`,
    name: `Service logement — ${nom} (simulation)`,
    organisation: { id, kind: "reserver", name: nom },
    roles: ["reserver-agent"],
    territories: { departements: ["57"], epcis: [] },
  },
];

const reservataires: Record<string, Principal> = Object.fromEntries([
  ["org_demo_action_logement", demoUsers.reservataire57],
  serviceLogement("org_ville_metz", "Ville de Metz"),
  serviceLogement("org_ville_thionville", "Ville de Thionville"),
  serviceLogement("org_ville_forbach", "Ville de Forbach"),
  serviceLogement("org_demo_metz_metropole", "Metz Métropole"),
]);

/**
 * Who designates the candidates of a vacancy in the CAL: the préfet for its contingent (no deadline
 * binds it), a reserver within its designation deadline; undefined when the CAL cannot be asked
 * (the landlord's own units: it proposes from cotation's ranking, which has no grid in Moselle yet).
 * Fewer than three suitable households present: the legal exception of insufficient candidates.
 */
export function designator(
  a: Attribution,
  today: string,
  delaiJours: (reservataireId: string) => number | undefined,
): Principal | undefined {
  if (a.candidats.length === 0) return undefined;
  if (a.contingent === "prefet_prioritaires" || a.contingent === "prefet_agents") return prefecture57;
  const who = reservataires[a.reservataireId];
  const delai = delaiJours(a.reservataireId);
  if (!who || delai === undefined) return undefined;
  const deadline = new Date(Date.parse(`${a.libereLe}T00:00:00Z`) + delai * 86_400_000).toISOString().slice(0, 10);
  return deadline >= today ? who : undefined;
}

const MEMBRES = ["m1", "m2", "m3", "m4"];
/** Items on one of today's sessions, and sessions held at once per commission. */
const SEANCE_MAX = 30;
const SEANCES_EN_MEME_TEMPS = 3;
const vote = MEMBRES.map((membreId) => ({ membreId, vote: "pour" }));

/**
 * The attributions that go through the CAL: designation of the candidates, today's session (agenda,
 * attendance, a ranked decision per candidate, close: the offer goes to the first), the answers (a
 * refusal offers the unit to the next), the lease signed in the CAL, whose LeaseSigned radiates the
 * demand (registration) and lets the unit (flux). Returns those that could not go all the way, with why.
 */
export async function throughCal(
  client: ServiceClient,
  refuses: (a: Attribution, c: Attribution["candidats"][number]) => boolean,
  /** The households housed this year (one lease each), shared by the landlords' commissions. */
  taken: Set<string>,
  commissionId: string,
  /** The landlord's agent (its CAL secretariat). */
  bailleur: Principal,
  sessionPrefix: string,
  today: string,
  list: { a: Attribution; who: Principal }[],
  tick: () => void,
): Promise<{ done: Attribution[]; failed: { a: Attribution; why: string }[] }> {
  const failed: { a: Attribution; why: string }[] = [];
  const attId = (a: Attribution) => `att_${a.logement.rplsId}_${a.libereLe}`;
  const designated: { a: Attribution; demandIds: Map<string, string> }[] = [];
  // The CAL opens a vacancy from flux's orientation event and learns the demands from registration's:
  // a designation it cannot take yet (404, or a demand it has not read) is tried again while it catches up.
  let pending = list.map((item) => ({ ...item, why: "" }));
  let lastProgress = Date.now();
  while (pending.length > 0 && Date.now() - lastProgress < 60_000) {
    const again: typeof pending = [];
    await pool(pending, 4, async ({ a, who }) => {
      const r = await client.call(who, "cal", "POST", `/v1/attributions/${attId(a)}/designation`, {
        numerosUniques: a.candidats.map((c) => c.numero),
        ...(a.candidats.length < 3
          ? {
              exception: {
                code: "INSUFFISANCE_CANDIDATS",
                justification: `${a.candidats.length} demande(s) adaptée(s) seulement parmi les ménages présents (R441-3)`,
              },
            }
          : {}),
      });
      const why = `désignation ${r.status} ${r.body?.error?.reason ?? ""} ${r.body?.error?.message ?? ""}`;
      if (r.status === 201) {
        lastProgress = Date.now();
        const ids = ((r.body.candidats ?? []) as { numeroUnique: string; demandId: string }[]).map(
          (c) => [c.numeroUnique, c.demandId] as const,
        );
        designated.push({ a, demandIds: new Map(ids) });
      } else if (r.status === 404 || r.body?.error?.reason === "DEMAND_NOT_ACTIVE") again.push({ a, who, why });
      else {
        failed.push({ a, why });
        tick();
      }
    });
    pending = again;
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 2_000));
  }
  for (const { a, why } of pending) {
    failed.push({ a, why: `${why} (après 60 s d'attente)` });
    tick();
  }

  // Today's sessions of at most SEANCE_MAX items each (a CAL examines a few dozen files a sitting;
  // a session of 150 made each agenda item and decision cost seconds: the CAL rewrites the whole
  // session at each change), a few at once.
  const done: Attribution[] = [];
  const batches = Array.from({ length: Math.ceil(designated.length / SEANCE_MAX) }, (_, i) =>
    designated.slice(i * SEANCE_MAX, (i + 1) * SEANCE_MAX),
  );
  await pool(batches, SEANCES_EN_MEME_TEMPS, async (batch, i) => {
    const n = i + 1;
    const sessionId = `${sessionPrefix}_${today}_${n}`;
    const s = await client.call(bailleur, "cal", "POST", "/v1/seances", {
      id: sessionId,
      commissionId,
      date: today,
      mode: "presentiel",
    });
    if (s.status !== 201) {
      for (const d of batch) failed.push({ a: d.a, why: `séance ${s.status} ${s.body?.error?.reason ?? ""}` });
      return;
    }
    const planned: typeof batch = [];
    for (const d of batch) {
      const r = await client.call(bailleur, "cal", "POST", `/v1/seances/${sessionId}/ordre-du-jour`, {
        attributionId: attId(d.a),
      });
      if (r.status === 200) planned.push(d);
      else failed.push({ a: d.a, why: `ordre du jour ${r.status} ${r.body?.error?.reason ?? ""}` });
    }
    await client.must(bailleur, "cal", "POST", `/v1/seances/${sessionId}/presences`, { presents: MEMBRES });
    // A ranked attribution per candidate; one the CAL finds ineligible at the session gets a motivated
    // non-attribution instead (each examined candidate receives a decision).
    const decided: ((typeof batch)[number] & { ranked: Attribution["candidats"] })[] = [];
    for (const d of planned) {
      const ranked: Attribution["candidats"] = [];
      let broken = "";
      for (const c of d.a.candidats) {
        const base = { attributionId: attId(d.a), demandId: d.demandIds.get(c.numero) ?? "", bulletins: vote };
        let r = await client.call(bailleur, "cal", "POST", `/v1/seances/${sessionId}/decisions`, {
          ...base,
          decision: "ATTRIBUTION_RANG",
          rang: ranked.length + 1,
        });
        if (r.status === 201) {
          ranked.push(c);
          continue;
        }
        const precision = String(r.body?.error?.message ?? "inéligible").slice(0, 480);
        r = await client.call(bailleur, "cal", "POST", `/v1/seances/${sessionId}/decisions`, {
          ...base,
          decision: "NON_ATTRIBUTION",
          motifs: [{ code: "AUTRE", precision }],
        });
        if (r.status !== 201)
          broken = `décision ${r.status} ${r.body?.error?.reason ?? ""} ${r.body?.error?.message ?? ""}`;
      }
      if (broken || ranked.length === 0) failed.push({ a: d.a, why: broken || "aucun candidat éligible en séance" });
      else decided.push({ ...d, ranked });
    }
    const closed = await client.call(bailleur, "cal", "POST", `/v1/seances/${sessionId}/cloture`);
    if (closed.status !== 200) {
      for (const d of decided)
        failed.push({
          a: d.a,
          why: `clôture ${closed.status} ${closed.body?.error?.reason ?? ""} ${closed.body?.error?.message ?? ""}`,
        });
      return;
    }
    await pool(decided, 4, async (d) => {
      // The cascade over the ranked candidates: each refusal offers the unit to the next. The household
      // that accepts is the simulation's own choice when the commission ranked it, else the first ranked
      // household housed nowhere else this year (none: the vacancy goes the direct way).
      const elsewhere = (c: Attribution["candidats"][number]) => c.numero !== d.a.numero && taken.has(c.numero);
      const taker =
        d.ranked.find((c) => c.numero === d.a.numero) ??
        d.ranked.find((c) => !elsewhere(c) && !refuses(d.a, c)) ??
        d.ranked.find((c) => !elsewhere(c));
      if (!taker) {
        failed.push({ a: d.a, why: "les candidats classés sont logés ailleurs cette année" });
        tick();
        return;
      }
      d.a.demande = taker.demande;
      d.a.numero = taker.numero;
      d.a.refus = d.ranked.indexOf(taker);
      taken.add(taker.numero);
      for (const c of d.ranked) {
        const accepted = c.numero === taker.numero;
        const r = await client.call(bailleur, "cal", "POST", `/v1/attributions/${attId(d.a)}/reponse`, {
          demandId: d.demandIds.get(c.numero) ?? "",
          reponse: accepted ? "acceptee" : "refusee",
          ...(accepted ? {} : { motifRefus: "Logement ne convenant pas au ménage (simulation)" }),
        });
        if (r.status !== 200) {
          failed.push({
            a: d.a,
            why: `réponse ${r.status} ${r.body?.error?.reason ?? ""} ${r.body?.error?.message ?? ""}`,
          });
          tick();
          return;
        }
        if (accepted) break;
      }
      const lease = await client.call(bailleur, "cal", "POST", `/v1/attributions/${attId(d.a)}/bail`, {
        demandId: d.demandIds.get(d.a.numero) ?? "",
        signeLe: today,
      });
      if (lease.status !== 201)
        failed.push({
          a: d.a,
          why: `bail ${lease.status} ${lease.body?.error?.reason ?? ""} ${lease.body?.error?.message ?? ""}`,
        });
      else done.push(d.a);
      tick();
    });
  });
  return { done, failed };
}
