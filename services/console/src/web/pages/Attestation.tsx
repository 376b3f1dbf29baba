import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { ErrorAlert, Loading, Page } from "../components";
import { download, rest } from "../lib/api";

/**
 * The registration attestation (R441-2-4) as registration renders it, to print for the applicant. It
 * sits in a shadow root: its own styles stay its own, and no script of it runs.
 */
export function Attestation({ numero }: { numero: string }) {
  const host = useRef<HTMLDivElement>(null);
  const html = useQuery({
    queryKey: ["attestation", numero],
    queryFn: async () =>
      (await rest("registration", `/v1/demandes/${numero}/attestation`, { headers: { accept: "text/html" } })).text(),
  });
  const [pdf, setPdf] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  // The PDF comes with the desk agent's own token (a plain link could not carry it).
  const downloadPdf = async () => {
    setPdf({ busy: true });
    try {
      await download("registration", `/v1/demandes/${numero}/attestation?format=pdf`, `attestation-${numero}.pdf`);
      setPdf({ busy: false });
    } catch (error) {
      setPdf({ busy: false, error });
    }
  };
  useEffect(() => {
    const el = host.current;
    if (!el || html.data === undefined) return;
    const root = el.shadowRoot ?? el.attachShadow({ mode: "open" });
    root.innerHTML = html.data;
  }, [html.data]);
  return (
    <Page title={`Attestation d'enregistrement — ${numero}`}>
      <div
        className={`${fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--icon-left")} logis-no-print`}
      >
        <Button iconId="fr-icon-printer-line" disabled={!html.data} onClick={() => window.print()}>
          Imprimer l'attestation
        </Button>
        <Button
          iconId="fr-icon-download-line"
          priority="secondary"
          disabled={pdf.busy}
          onClick={() => void downloadPdf()}
        >
          Télécharger le PDF
        </Button>
        <Button iconId="fr-icon-arrow-left-line" priority="tertiary" linkProps={{ href: `/demandes/${numero}` }}>
          Retour au dossier
        </Button>
      </div>
      {pdf.error ? <ErrorAlert error={pdf.error} title="Le PDF n'a pas pu être téléchargé : réessayez" /> : null}
      {html.isPending ? <Loading what="de l'attestation" /> : null}
      {html.error ? (
        <ErrorAlert error={html.error} retry={() => html.refetch()} title="L'attestation n'a pas pu être produite" />
      ) : null}
      <section aria-label={`Attestation de la demande ${numero}`} className="logis-attestation" ref={host} />
    </Page>
  );
}
