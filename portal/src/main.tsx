/**
 * The Sluice app portal and operator console. Reads its credentials from the URL fragment (never sent
 * to a server), applies Svix's theming parameters, reports its height to a hosting iframe, and routes
 * on the hash.
 */
import { render } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import './styles.css';
import { svixClient } from './api.ts';
import { reportHeightToParent } from './resize.ts';
import { useRoute } from './router.ts';
import { clearAppSession, loadAppSession, permissionsOf, takeFragmentCredentials } from './session.ts';
import { applyTheme, readTheme } from './theme.ts';
import { AuthContext } from './ui/context.ts';
import { AppView } from './views/app-view.tsx';
import { Console } from './views/console.tsx';
import { Expired, Landing } from './views/expired.tsx';

function Portal() {
  const route = useRoute();
  const [expired, setExpired] = useState(false);
  const session = useMemo(loadAppSession, []);
  const svix = useMemo(() => (session === undefined ? undefined : svixClient(session.token)), [session]);
  const auth = useMemo(
    () => ({
      onUnauthorized: () => {
        if (route[0] !== 'console') clearAppSession();
        setExpired(true);
      },
    }),
    [route[0]],
  );
  const theme = useMemo(() => readTheme(window.location.search), []);
  let body;
  if (route[0] === 'console') {
    body = expired ? <Expired operator /> : <Console rest={route.slice(1)} />;
  } else if (expired) {
    body = <Expired />;
  } else if (session === undefined || svix === undefined || session.appId === '') {
    body = <Landing />;
  } else {
    body = <AppView scope={{ svix, token: session.token, appId: session.appId, permissions: permissionsOf(session.capabilities), base: [] }} rest={route} />;
  }
  return (
    <AuthContext.Provider value={auth}>
      <div class="shell">
        {theme.icon === undefined ? null : <img class="logo" src={theme.icon} alt="" />}
        {body}
      </div>
    </AuthContext.Provider>
  );
}

const root = document.getElementById('root')!;
let mounts = 0;
// A fresh mount re-reads the session: used when a new link is pasted into an open tab.
const mount = (): void => render(<Portal key={++mounts} />, root);

takeFragmentCredentials(window.location, window.history);
applyTheme(readTheme(window.location.search), document.documentElement);
mount();
window.addEventListener('hashchange', () => {
  if (takeFragmentCredentials(window.location, window.history) !== undefined) mount();
});
reportHeightToParent(window);
