import { assertCan, assertInDepartement } from "@logis/auth";
import type { DemandStatus } from "@logis/contracts";
import type { Demand } from "../domain/demand.js";
import { csvHeader, demandToCsv } from "../interchange/csv.js";
import { demandToXml, xmlFooter, xmlHeader } from "../interchange/sne-xml.js";
import type { Caller, Deps } from "./context.js";
import type { ImportFormat } from "./import-demands.js";

/** The demands an export carries: those a desk still manages (active, or cancelled and reactivable). */
export const EXPORTED_STATUSES: readonly DemandStatus[] = ["active", "cancelled"];

/** Demands per part of a file: each part is audited, then handed on (a stream's write, a stored chunk). */
const PART = 500;

export interface DemandWalk {
  demands(departement: string, statuses: readonly DemandStatus[]): AsyncIterable<Demand>;
}

/** Who reads the file, as the read audit records it: a job re-run after a restart reads on their behalf. */
export interface Reader {
  userId: string;
  organisationId: string;
  /** The desk's number written in the SNE file. */
  numGuichet: string;
  requestId?: string | undefined;
}

export const readerOf = (caller: Caller): Reader => ({
  userId: caller.principal.userId,
  organisationId: caller.principal.organisation.id,
  numGuichet: caller.principal.organisation.guichet ?? caller.principal.organisation.id,
  requestId: caller.requestId,
});

/**
 * The file of a département's active and cancelled demands as SNE XML (v02.01) or CSV, in parts of
 * 500 demands (the header first, the footer with the last part); every demand in it counts as a read
 * and is audited before its part is handed on. No NIR, no sensitive details.
 */
export async function* exportParts(
  deps: Pick<Deps, "audit" | "clock"> & { stock: DemandWalk },
  reader: Reader,
  format: ImportFormat,
  departement: string,
): AsyncGenerator<{ text: string; demands: number }> {
  let chunk: string[] = [];
  let audited: Demand[] = [];
  const audit = async () => {
    const at = deps.clock.now();
    const entries = audited.map((d) => ({
      at,
      userId: reader.userId,
      organisationId: reader.organisationId,
      demandId: d.id,
      numeroUnique: d.numeroUnique,
      what: "file" as const,
      requestId: reader.requestId,
    }));
    audited = [];
    // A part's reads in one write (insertMany) where the store allows it.
    if (deps.audit.recordMany) await deps.audit.recordMany(entries);
    else await Promise.all(entries.map((e) => deps.audit.record(e)));
  };
  yield { text: format === "sne-xml" ? xmlHeader("CRE", deps.clock.now()) : csvHeader(), demands: 0 };
  for await (const demand of deps.stock.demands(departement, EXPORTED_STATUSES)) {
    chunk.push(format === "sne-xml" ? demandToXml(demand, reader.numGuichet) : demandToCsv(demand));
    audited.push(demand);
    if (chunk.length >= PART) {
      await audit();
      yield { text: chunk.join(""), demands: chunk.length };
      chunk = [];
    }
  }
  await audit();
  yield { text: chunk.join("") + (format === "sne-xml" ? xmlFooter : ""), demands: chunk.length };
}

/**
 * Streams the file to the caller as it is read (the `GET /v1/exports` of outside systems, kept
 * beside the export jobs).
 */
export function exportDemands(deps: Deps & { stock: DemandWalk }) {
  return async function* (caller: Caller, format: ImportFormat, departement: string): AsyncGenerator<string> {
    assertCan(caller.principal, "demand.export");
    assertInDepartement(caller.principal, departement);
    for await (const part of exportParts(deps, readerOf(caller), format, departement)) yield part.text;
  };
}
