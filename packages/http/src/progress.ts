import { progressOf } from "@logis/domain";
import { z } from "zod";

// How far a long job got (imports, exports, scans, rebuilds), as every service's API shows it: one
// shape, so that a console or a partner's tool reads every job's progress the same way (issue 15).

/** A long job's progress: what is done of the total, the percentage, the end expected, and a French sentence. */
export const Avancement = z
  .object({
    faites: z.number().int().min(0).describe("Unités traitées jusqu'ici"),
    total: z.number().int().min(0).optional().describe("Unités à traiter (absent tant qu'il n'est pas connu)"),
    unite: z.string().describe("Ce que comptent faites et total : demandes, octets, événements…"),
    pourcentage: z.number().int().min(0).max(100).optional(),
    finEstimee: z.iso.datetime().optional().describe("Fin estimée au rythme atteint (tâche en cours seulement)"),
    libelle: z.string().describe("L'avancement en une phrase, fin estimée en jj/mm/aaaa HH:mm (heure de Paris)"),
  })
  .meta({
    examples: [
      {
        faites: 1200,
        total: 2850,
        unite: "demandes",
        pourcentage: 42,
        finEstimee: "2026-11-30T05:12:00.000Z",
        libelle: "42 % : 1 200 demandes sur 2 850, fin estimée le 30/11/2026 à 06:12",
      },
    ],
  });
export type Avancement = z.infer<typeof Avancement>;

const dayTime = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** An instant as `dd/mm/yyyy à HH:mm`, Paris time. */
export function frenchDayTime(at: Date | string): string {
  const parts = Object.fromEntries(dayTime.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} à ${parts.hour}:${parts.minute}`;
}

// French digit groups are separated by a (narrow) no-break space; a plain space reads the same everywhere.
const count = (n: number) => new Intl.NumberFormat("fr-FR").format(n).replace(/\s/g, " ");

/**
 * The progress of a job document (`startedAt`, `finishedAt`, `status`): `done` of `total` `unite`,
 * the estimated end only while it runs (at the pace so far).
 */
export function avancementOf(
  job: { status: string; startedAt: Date; finishedAt?: Date | undefined },
  done: number,
  total: number | undefined,
  unite: string,
  now: Date,
): Avancement {
  const p = progressOf(job, done, total, now);
  const running = job.status === "running";
  const finEstimee = running ? p.estimatedEnd : undefined;
  const what = p.total === undefined ? `${count(done)} ${unite}` : `${count(done)} ${unite} sur ${count(p.total)}`;
  const libelle = [
    p.percent === undefined ? what : `${p.percent} % : ${what}`,
    finEstimee ? `, fin estimée le ${frenchDayTime(finEstimee)}` : "",
  ].join("");
  return {
    faites: done,
    ...(p.total === undefined ? {} : { total: p.total }),
    unite,
    ...(p.percent === undefined ? {} : { pourcentage: p.percent }),
    ...(finEstimee ? { finEstimee } : {}),
    libelle,
  };
}
