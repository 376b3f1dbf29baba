import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { cal, messageOf } from "../lib/api";
import type { AttributionView, OfferView } from "../lib/cal-views";
import { isoFromFr, todayInParis } from "../lib/format";

/**
 * What follows an offer, for the CAL secretary: the household's answer (a refusal passes the unit to
 * the next ranked), then the lease signed on an accepted offer. The CAL refuses what does not apply.
 */
export function OfferActions({
  attributionId,
  offer,
  bail,
  onChange,
}: {
  attributionId: string;
  offer: OfferView;
  bail: AttributionView["bail"];
  onChange: () => Promise<void>;
}) {
  const [motif, setMotif] = useState("");
  const [signeLe, setSigneLe] = useState(() => {
    const [y, m, d] = todayInParis().split("-");
    return `${d}/${m}/${y}`;
  });
  const answer = useMutation({
    mutationFn: (reponse: "acceptee" | "refusee") =>
      cal.answerOffer.mutate({
        id: attributionId,
        demandId: offer.demandId,
        reponse,
        ...(reponse === "refusee" && motif.trim() ? { motifRefus: motif.trim() } : {}),
      }),
    onSuccess: onChange,
  });
  const lease = useMutation({
    mutationFn: () =>
      cal.signLease.mutate({ id: attributionId, demandId: offer.demandId, signeLe: isoFromFr(signeLe) }),
    onSuccess: onChange,
  });
  const error = answer.error ?? lease.error;
  if (offer.statut === "en_attente")
    return (
      <div>
        <Input
          label="Motif du refus"
          hintText="si le ménage refuse"
          nativeInputProps={{ value: motif, onChange: (e) => setMotif(e.target.value) }}
        />
        <div className={fr.cx("fr-btns-group", "fr-btns-group--inline", "fr-btns-group--sm")}>
          <Button size="small" onClick={() => answer.mutate("acceptee")} disabled={answer.isPending}>
            Offre acceptée
          </Button>
          <Button
            size="small"
            priority="secondary"
            onClick={() => answer.mutate("refusee")}
            disabled={answer.isPending}
          >
            Offre refusée
          </Button>
        </div>
        {error ? <p className={fr.cx("fr-error-text")}>{messageOf(error)}</p> : null}
      </div>
    );
  if (offer.statut === "acceptee" && !bail)
    return (
      <div>
        <Input
          label="Bail signé le"
          hintText="jj/mm/aaaa"
          nativeInputProps={{ value: signeLe, onChange: (e) => setSigneLe(e.target.value) }}
        />
        <Button size="small" onClick={() => lease.mutate()} disabled={lease.isPending}>
          Enregistrer le bail
        </Button>
        {error ? <p className={fr.cx("fr-error-text")}>{messageOf(error)}</p> : null}
      </div>
    );
  if (bail && bail.demandId === offer.demandId) return <>Bail signé le {bail.signeLe.split("-").reverse().join("/")}</>;
  return <>—</>;
}
