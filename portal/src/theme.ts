/**
 * Svix's App Portal theming parameters, read from the query string (svix-react's <AppPortal> adds them):
 * `primaryColor`, `darkMode=true|auto`, `icon`, `fontFamily`. Each is validated before it reaches CSS or
 * an <img>, since anyone can craft the URL. Applied through the CSSOM (custom properties), which the
 * CSP allows, rather than an inline style sheet, which it does not.
 */
export interface Theme {
  primaryColor?: string;
  darkMode: 'light' | 'dark' | 'auto';
  icon?: string;
  fontFamily?: string;
}

const COLOR = /^#?([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const FONT = /^[\w\s,'"-]{1,100}$/;

export function readTheme(search: string): Theme {
  const q = new URLSearchParams(search);
  const theme: Theme = { darkMode: 'light' };
  const color = q.get('primaryColor');
  if (color !== null && COLOR.test(color)) theme.primaryColor = color.startsWith('#') ? color : `#${color}`;
  const dark = q.get('darkMode');
  if (dark === 'true') theme.darkMode = 'dark';
  else if (dark === 'auto') theme.darkMode = 'auto';
  const icon = q.get('icon');
  if (icon !== null) {
    try {
      const url = new URL(icon);
      if (url.protocol === 'https:' || url.protocol === 'http:') theme.icon = url.href;
    } catch {
      // not a URL: no icon
    }
  }
  const font = q.get('fontFamily');
  if (font !== null && FONT.test(font)) theme.fontFamily = font;
  return theme;
}

export function applyTheme(theme: Theme, root: HTMLElement): void {
  if (theme.primaryColor !== undefined) root.style.setProperty('--primary', theme.primaryColor);
  if (theme.fontFamily !== undefined) root.style.setProperty('--font', `${theme.fontFamily}, system-ui, sans-serif`);
  const dark = theme.darkMode === 'dark' || (theme.darkMode === 'auto' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  root.classList.toggle('dark', dark);
}
