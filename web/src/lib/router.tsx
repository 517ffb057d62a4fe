/**
 * Hash routing (#/cases/XF-2026-000001): the API owns the paths of its origin locally, and S3
 * behind CloudFront serves one index.html, so the application's own paths live in the hash.
 */
import { startTransition, useEffect, useState, type AnchorHTMLAttributes, type ReactNode } from 'react';

export interface Location {
  /** '/cases/XF-2026-000001' */
  path: string;
  query: URLSearchParams;
}

function read(): Location {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const q = hash.indexOf('?');
  return { path: q === -1 ? hash : hash.slice(0, q), query: new URLSearchParams(q === -1 ? '' : hash.slice(q + 1)) };
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(read);
  useEffect(() => {
    // A transition: while the next page's chunk loads, the current page stays on screen instead
    // of a fallback (React holds back a fallback's replacement for 300 ms, which would slow
    // every first visit of a page).
    const on = (): void => startTransition(() => setLoc(read()));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return loc;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const hash = `#${to}`;
  if (options.replace) window.history.replaceState(null, '', hash);
  else window.history.pushState(null, '', hash);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** '/cases/:caseNo' against '/cases/XF-2026-000001' → { caseNo: 'XF-2026-000001' }. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length !== s.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const a = p[i] as string;
    const b = s[i] as string;
    if (a.startsWith(':')) {
      if (b === '') return undefined;
      params[a.slice(1)] = decodeURIComponent(b);
    } else if (a !== b) return undefined;
  }
  return params;
}

export function href(to: string): string {
  return `#${to}`;
}

export function Link({ to, children, ...rest }: { to: string; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return (
    <a href={href(to)} {...rest}>
      {children}
    </a>
  );
}

export function caseLink(caseNo: string): string {
  return `/cases/${encodeURIComponent(caseNo)}`;
}
