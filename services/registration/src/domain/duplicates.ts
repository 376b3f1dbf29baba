import type { DemandForm } from "@logis/contracts";
import { normalizeName } from "./normalize.js";

type Person = {
  nom: string;
  nomNaissance?: string | undefined;
  prenom: string;
  dateNaissance: string;
  nir?: string | undefined;
};

const adults = (f: DemandForm): Person[] => [f.demandeur, ...(f.cotitulaire ? [f.cotitulaire] : [])];

/** Letters of a name that a near-name key keeps: a typo further on still shares the key. */
const PREFIX = 3;

/**
 * Keys indexed on each demand, for each adult (names compare without accents, case, spaces or
 * hyphens):
 * - `np:` exact (name, first name, birth date), with the birth name too;
 * - `nb:` / `pb:` near-name blocks: the first letters of the name (or birth name), or of the first
 *   name, with the birth date. A typo in a name leaves the other block shared, so a desk sees
 *   "Benalli" when "Benali" born the same day is already registered; `scorePair` then decides;
 * - `nir:` the social-security number when given;
 * - `dn:` the birth date alone (the stock scan's blocks; not stored as keys).
 */
export function searchKeys(form: DemandForm): string[] {
  const keys = new Set<string>();
  for (const p of adults(form)) {
    const prenom = normalizeName(p.prenom);
    for (const nom of [p.nom, p.nomNaissance]) {
      if (!nom) continue;
      const n = normalizeName(nom);
      keys.add(`np:${n}|${prenom}|${p.dateNaissance}`);
      if (n) keys.add(`nb:${n.slice(0, PREFIX)}|${p.dateNaissance}`);
    }
    if (prenom) keys.add(`pb:${prenom.slice(0, PREFIX)}|${p.dateNaissance}`);
    keys.add(`dn:${p.dateNaissance}`);
    if (p.nir) keys.add(`nir:${p.nir}`);
  }
  return [...keys];
}

/** Keys used to look for candidates (birth dates block the fuzzy comparison). */
export const candidateKeys = (form: DemandForm) => searchKeys(form);

/** Jaro-Winkler similarity in [0, 1]. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length ? 1 : 0;
  const range = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatch = new Array<boolean>(a.length).fill(false);
  const bMatch = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - range); j < Math.min(b.length, i + range + 1); j++) {
      if (bMatch[j] || a[i] !== b[j]) continue;
      aMatch[i] = bMatch[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let t = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatch[i]) continue;
    while (!bMatch[k]) k++;
    if (a[i] !== b[k]) t++;
    k++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - t / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

export interface DuplicateScore {
  score: number;
  reasons: string[];
}

/** How likely two demands are to be the same household; 0 when no adult matches. */
export function scorePair(a: DemandForm, b: DemandForm): DuplicateScore {
  let best: DuplicateScore = { score: 0, reasons: [] };
  for (const [i, p] of adults(a).entries()) {
    for (const [j, q] of adults(b).entries()) {
      const who = `${i === 0 ? "demandeur" : "cotitulaire"} / ${j === 0 ? "demandeur" : "cotitulaire"}`;
      let s: DuplicateScore = { score: 0, reasons: [] };
      if (p.nir && q.nir && p.nir === q.nir) s = { score: 1, reasons: [`même NIR (${who})`] };
      else if (p.dateNaissance === q.dateNaissance) {
        const prenom = jaroWinkler(normalizeName(p.prenom), normalizeName(q.prenom));
        const noms = [p.nom, p.nomNaissance].filter(Boolean) as string[];
        const nomsQ = [q.nom, q.nomNaissance].filter(Boolean) as string[];
        const nom = Math.max(...noms.flatMap((x) => nomsQ.map((y) => jaroWinkler(normalizeName(x), normalizeName(y)))));
        if (nom === 1 && prenom === 1) s = { score: 0.9, reasons: [`mêmes nom, prénom et date de naissance (${who})`] };
        else if (nom >= 0.9 && prenom >= 0.9) {
          s = { score: 0.75, reasons: [`nom et prénom proches, même date de naissance (${who})`] };
        }
      }
      if (s.score > best.score) best = s;
    }
  }
  return best;
}
