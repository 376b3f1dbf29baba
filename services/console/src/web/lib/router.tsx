import { type AnchorHTMLAttributes, forwardRef, type MouseEvent, useSyncExternalStore } from "react";

// A small client-side router: the history API and one event; pages match paths with regexes.

const listeners = new Set<() => void>();
const location = () => window.location.pathname + window.location.search;
window.addEventListener("popstate", () => {
  for (const l of listeners) l();
});

export function navigate(to: string, options: { replace?: boolean } = {}) {
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  window.scrollTo(0, 0);
  for (const l of listeners) l();
}

export function useLocation(): { pathname: string; search: URLSearchParams; href: string } {
  const href = useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, location);
  const url = new URL(href, window.location.origin);
  return { pathname: url.pathname, search: url.searchParams, href };
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string };

/** An anchor that changes page without reloading (also given to react-dsfr for its links). */
export const Link = forwardRef<HTMLAnchorElement, LinkProps>(function Link({ href, onClick, ...rest }, ref) {
  const internal = href.startsWith("/") && !href.startsWith("/svc/") && !rest.target && !rest.download;
  return (
    <a
      ref={ref}
      href={href}
      {...rest}
      onClick={(e: MouseEvent<HTMLAnchorElement>) => {
        onClick?.(e);
        if (!internal || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
        e.preventDefault();
        navigate(href);
      }}
    />
  );
});
