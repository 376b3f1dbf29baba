import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import { type ReactNode, useEffect, useRef, useState } from "react";
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

/**
 * A failure in French: what happened and what to do; `retry` (a reading that failed) adds the button
 * that reads again, so that the user need not reload the page.
 */
export function ErrorAlert({
  error,
  title = "L'opération n'a pas abouti",
  retry,
}: {
  error: unknown;
  title?: string;
  retry?: () => unknown;
}) {
  return (
    <Alert
      severity="error"
      title={title}
      description={
        <>
          {messageOf(error)}
          {retry ? (
            <>
              {" "}
              <Button size="small" priority="secondary" className={fr.cx("fr-mt-1w")} onClick={() => retry()}>
                Réessayer
              </Button>
            </>
          ) : null}
        </>
      }
      className={fr.cx("fr-mb-3w")}
    />
  );
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

/**
 * A long list shown a page at a time (`size` rows), with the DSFR pagination under it when there is
 * more than one page; for lists read whole (the services' cursors page the others).
 */
export function usePaged<T>(rows: readonly T[], size = 20): { shown: T[]; pager: ReactNode } {
  const [page, setPage] = useState(1);
  const count = Math.max(1, Math.ceil(rows.length / size));
  const current = Math.min(page, count);
  return {
    shown: rows.slice((current - 1) * size, current * size),
    pager:
      count > 1 ? (
        <Pagination
          count={count}
          defaultPage={current}
          showFirstLast
          getPageLinkProps={(p) => ({
            href: `#page-${p}`,
            onClick: (e) => {
              e.preventDefault();
              setPage(p);
            },
          })}
        />
      ) : null,
  };
}
