import { assertCan, assertInDepartement } from "@logis/auth";
import type { Demand } from "../domain/demand.js";
import { csvHeader, demandToCsv } from "../interchange/csv.js";
import { demandToXml, xmlFooter, xmlHeader } from "../interchange/sne-xml.js";
import type { Caller, Deps } from "./context.js";
import type { ImportFormat } from "./import-demands.js";

/**
 * Streams the active and cancelled demands of a département as SNE XML (v02.01) or CSV, in
 * batches; every exported file counts as a read and is audited. No NIR, no sensitive details.
 */
export function exportDemands(
  deps: Deps & {
    stock: { demands(departement: string, statuses: readonly ("active" | "cancelled")[]): AsyncIterable<Demand> };
  },
) {
  return async function* (caller: Caller, format: ImportFormat, departement: string): AsyncGenerator<string> {
    assertCan(caller.principal, "demand.export");
    assertInDepartement(caller.principal, departement);
    const numGuichet = caller.principal.organisation.guichet ?? caller.principal.organisation.id;
    yield format === "sne-xml" ? xmlHeader("CRE", deps.clock.now()) : csvHeader();
    let chunk: string[] = [];
    let audited: Demand[] = [];
    const audit = async () => {
      const at = deps.clock.now();
      await Promise.all(
        audited.map((d) =>
          deps.audit.record({
            at,
            userId: caller.principal.userId,
            organisationId: caller.principal.organisation.id,
            demandId: d.id,
            numeroUnique: d.numeroUnique,
            what: "file",
            requestId: caller.requestId,
          }),
        ),
      );
      audited = [];
    };
    for await (const demand of deps.stock.demands(departement, ["active", "cancelled"])) {
      chunk.push(format === "sne-xml" ? demandToXml(demand, numGuichet) : demandToCsv(demand));
      audited.push(demand);
      if (chunk.length >= 500) {
        await audit();
        yield chunk.join("");
        chunk = [];
      }
    }
    await audit();
    yield chunk.join("") + (format === "sne-xml" ? xmlFooter : "");
  };
}
