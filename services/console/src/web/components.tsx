import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { type ReactNode, useEffect, useRef } from "react";
import { messageOf } from "./lib/api";

/** A page: its title in the tab (RGAA 8.6), and focus on its heading when it opens. */
export function Page({ title, children, lead }: { title: string; children: ReactNode; lead?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — Logis`;
    heading.current?.focus();
  }, [title]);
  return (
    <div className={fr.cx("fr-container", "fr-py-4w")}>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {lead ? <p className={fr.cx("fr-text--lead")}>{lead}</p> : null}
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" aria-live="polite" className={fr.cx("fr-text--sm")}>
      <span className={fr.cx("fr-icon-refresh-line", "fr-mr-1w")} aria-hidden="true" />
      Chargement {what}…
    </p>
  );
}

export function ErrorAlert({ error, title = "L'opération n'a pas abouti" }: { error: unknown; title?: string }) {
  return <Alert severity="error" title={title} description={messageOf(error)} className={fr.cx("fr-mb-3w")} />;
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className={fr.cx("fr-callout", "fr-mb-3w")}>
      <p className={fr.cx("fr-callout__title")}>{title}</p>
      {children ? <div className={fr.cx("fr-callout__text")}>{children}</div> : null}
    </div>
  );
}

/** A definition list laid out in two columns. */
export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="logis-facts">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
