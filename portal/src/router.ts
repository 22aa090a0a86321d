/**
 * Hash routes (`#/endpoints/ep_…`): the page is one file at /portal, so deep links and the back button
 * work without the server knowing any route, and nothing of the route reaches a server either.
 */
import { useEffect, useState } from 'preact/hooks';

export function currentRoute(): string[] {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const path = hash.split('?')[0] ?? '';
  return path.split('/').filter((p) => p !== '').map(decodeURIComponent);
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const onChange = (): void => setRoute(currentRoute());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export const href = (...parts: string[]): string => `#/${parts.map(encodeURIComponent).join('/')}`;

export function navigate(...parts: string[]): void {
  window.location.hash = href(...parts).slice(1);
}
