import type { DemandFormInput } from "@logis/contracts";
import { useQuery } from "@tanstack/react-query";
import { ErrorAlert, Loading, Page } from "../components";
import { query, registration } from "../lib/api";
import { NewDemand } from "./NewDemand";

/** Edits a demand: its form, prefilled, with the version the desk read (a concurrent change is refused). */
export function EditDemand({ numero }: { numero: string }) {
  const demand = useQuery({
    queryKey: ["demand", numero],
    queryFn: () => query(registration.get)({ numeroUnique: numero }),
  });
  const d = demand.data;
  const form = d && "form" in d ? d.form : undefined;
  if (d && form) return <NewDemand edit={{ numero, version: d.version, form: form as DemandFormInput }} />;
  return (
    <Page title={`Modifier la demande ${numero}`}>
      {demand.isPending ? <Loading what="du dossier" /> : null}
      {demand.error ? (
        <ErrorAlert error={demand.error} retry={() => demand.refetch()} title="Le dossier n'a pas pu être lu" />
      ) : null}
      {d && !form ? <p>Cette demande n'a plus de formulaire (supprimée) : elle ne peut pas être modifiée.</p> : null}
    </Page>
  );
}
