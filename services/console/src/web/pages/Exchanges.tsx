import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorAlert, Facts, Loading, Page } from "../components";
import { download, query, registration, rest } from "../lib/api";
import { frDateTime, frNumber } from "../lib/format";
import { useSession } from "../lib/session";

type Format = "csv" | "sne-xml";
const formats: Record<Format, string> = { csv: "CSV (point-virgule, UTF-8)", "sne-xml": "SNE XML v02.01" };
const statusText: Record<string, string> = {
  running: "en cours",
  done: "terminé",
  failed: "échoué",
  interrupted: "interrompu",
};

/** A long job's progress bar, with the service's own sentence (percentage, counts, estimated end in Paris time). */
function Progress({
  id,
  what,
  status,
  avancement,
}: {
  id: string;
  what: string;
  status: string;
  avancement: { pourcentage?: number | undefined; libelle: string };
}) {
  return (
    <>
      <label htmlFor={id} className={fr.cx("fr-label")}>
        {`Avancement de ${what} (${statusText[status] ?? status})`}
      </label>
      <progress
        id={id}
        style={{ width: "100%", height: "1rem" }}
        max={100}
        value={avancement.pourcentage ?? 0}
        aria-valuetext={avancement.libelle}
      />
      <p aria-live="polite" className={fr.cx("fr-text--sm", "fr-mb-2w")}>
        {avancement.libelle}
      </p>
    </>
  );
}

/** Import a file of demands with its progress and per-record error report; export the stock. */
export function Exchanges() {
  const session = useSession();
  const departements = session?.principal.territories.departements ?? [];
  const [departement, setDepartement] = useState(departements[0] ?? "");
  const [exportFormat, setExportFormat] = useState<Format>("csv");
  const [importFormat, setImportFormat] = useState<Format>("csv");
  const [file, setFile] = useState<File>();
  const [missingFile, setMissingFile] = useState(false);
  const [jobId, setJobId] = useState<string>();

  // An export is a job of the service: started, followed (progress bar), then its file downloaded.
  const [exportId, setExportId] = useState<string>();
  const startExport = useMutation({
    mutationFn: () => registration.startExport.mutate({ format: exportFormat, departement }),
    onSuccess: (r) => setExportId(r.id),
  });
  const exportJob = useQuery({
    queryKey: ["export", exportId],
    queryFn: () => query(registration.getExport)({ id: exportId ?? "" }),
    enabled: exportId !== undefined,
    refetchInterval: (q) => (q.state.data?.status === "running" ? 1_000 : false),
  });
  const fichier = exportJob.data?.fichier;
  // The file comes with the agent's own token (a plain link could not carry it).
  const saveFile = useMutation({
    mutationFn: () => download("registration", fichier?.adresse ?? "", fichier?.nom ?? "export"),
  });
  const upload = useMutation({
    mutationFn: async (f: File) => {
      const res = await rest("registration", `/v1/imports?format=${importFormat}&departement=${departement}`, {
        method: "POST",
        headers: { "content-type": importFormat === "csv" ? "text/csv" : "application/xml" },
        body: f,
      });
      return (await res.json()) as { id: string };
    },
    onSuccess: (r) => setJobId(r.id),
  });
  const job = useQuery({
    queryKey: ["import", jobId],
    queryFn: () => query(registration.getImport)({ id: jobId ?? "" }),
    enabled: jobId !== undefined,
    refetchInterval: (q) => (q.state.data?.status === "running" ? 1_000 : false),
  });

  return (
    <Page title="Imports et exports" lead="Échanges de fichiers de demandes avec les systèmes des bailleurs et du SNE.">
      <div className={fr.cx("fr-col-12", "fr-col-md-4", "fr-mb-3w")}>
        <Select
          label="Département"
          nativeSelectProps={{ value: departement, onChange: (e) => setDepartement(e.target.value) }}
        >
          {departements.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </Select>
      </div>
      <section aria-labelledby="export-title" className={fr.cx("fr-mb-6w")}>
        <h2 id="export-title" className={fr.cx("fr-h4")}>
          Exporter les demandes
        </h2>
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <Select
              label="Format d'export"
              nativeSelectProps={{ value: exportFormat, onChange: (e) => setExportFormat(e.target.value as Format) }}
            >
              {Object.entries(formats).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </Select>
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <Button
              iconId="fr-icon-play-line"
              onClick={() => {
                saveFile.reset();
                startExport.mutate();
              }}
              disabled={startExport.isPending || exportJob.data?.status === "running"}
            >
              Lancer l'export
            </Button>
          </div>
        </div>
        {startExport.error ? <ErrorAlert error={startExport.error} title="L'export a été refusé" /> : null}
        {exportJob.error ? <ErrorAlert error={exportJob.error} title="L'avancement n'a pas pu être lu" /> : null}
        {exportJob.data ? (
          <div className={fr.cx("fr-mt-3w")}>
            <Progress
              id="export-progress"
              what="l'export"
              status={exportJob.data.status}
              avancement={exportJob.data.avancement}
            />
            <Facts
              items={[
                ["Export", exportJob.data.id],
                ["Lancé le", frDateTime(new Date(exportJob.data.startedAt).toISOString())],
                ["Demandes écrites", frNumber(exportJob.data.avancement.faites)],
                [
                  "À écrire",
                  exportJob.data.avancement.total === undefined ? "—" : frNumber(exportJob.data.avancement.total),
                ],
              ]}
            />
            {exportJob.data.error ? <Alert severity="error" small description={exportJob.data.error} /> : null}
            {fichier ? (
              <Button
                priority="secondary"
                iconId="fr-icon-download-line"
                onClick={() => saveFile.mutate()}
                disabled={saveFile.isPending}
              >
                {`Télécharger ${fichier.nom} (${frNumber(fichier.octets)} octets)`}
              </Button>
            ) : null}
          </div>
        ) : null}
        {saveFile.isSuccess ? (
          <Alert
            severity="success"
            small
            description={`Fichier téléchargé (${frNumber(saveFile.data.size)} octets).`}
          />
        ) : null}
        {saveFile.error ? <ErrorAlert error={saveFile.error} title="Le téléchargement n'a pas abouti" /> : null}
      </section>
      <section aria-labelledby="import-title">
        <h2 id="import-title" className={fr.cx("fr-h4")}>
          Importer un fichier de demandes
        </h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!file) return setMissingFile(true);
            setMissingFile(false);
            upload.mutate(file);
          }}
        >
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <Select
                label="Format du fichier"
                nativeSelectProps={{ value: importFormat, onChange: (e) => setImportFormat(e.target.value as Format) }}
              >
                {Object.entries(formats).map(([k, v]) => (
                  <option key={k} value={k}>
                    {v}
                  </option>
                ))}
              </Select>
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-8")}>
              <Upload
                label="Fichier"
                hint="CSV ou XML, taille limitée par le service"
                state={missingFile ? "error" : "default"}
                stateRelatedMessage={missingFile ? "choisissez un fichier" : undefined}
                nativeInputProps={{
                  accept: ".csv,.xml,text/csv,application/xml",
                  onChange: (e) => setFile(e.target.files?.[0]),
                }}
              />
            </div>
          </div>
          <Button type="submit" iconId="fr-icon-upload-line" className={fr.cx("fr-mt-2w")} disabled={upload.isPending}>
            Importer
          </Button>
        </form>
        {upload.error ? <ErrorAlert error={upload.error} title="L'import a été refusé" /> : null}
        {job.isPending && jobId ? <Loading what="de l'avancement" /> : null}
        {job.error ? <ErrorAlert error={job.error} title="L'avancement n'a pas pu être lu" /> : null}
        {job.data ? (
          <div className={fr.cx("fr-mt-3w")} aria-live="polite">
            {job.data.avancement ? (
              <Progress
                id="import-progress"
                what="l'import"
                status={job.data.status}
                avancement={job.data.avancement}
              />
            ) : null}
            <Facts
              items={[
                ["Import", job.data.id],
                ["État", statusText[job.data.status] ?? job.data.status],
                ["Enregistrements lus", frNumber(job.data.progress.read)],
                ["Demandes créées", frNumber(job.data.progress.created)],
                ["Déjà présentes", frNumber(job.data.progress.alreadyPresent)],
                ["En erreur", frNumber(job.data.progress.failed)],
              ]}
            />
            {job.data.error ? <Alert severity="error" small description={job.data.error} /> : null}
            {job.data.errors.length > 0 ? (
              <Table
                caption="Rapport d'erreurs par enregistrement"
                fixed={false}
                headers={["Enregistrement", "Numéro unique", "Champ", "Message"]}
                data={job.data.errors.map((e) => [
                  e.record >= 0 ? frNumber(e.record) : "—",
                  e.numUnique ?? "—",
                  e.field ?? "—",
                  e.message,
                ])}
              />
            ) : null}
          </div>
        ) : null}
      </section>
    </Page>
  );
}
