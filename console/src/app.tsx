/**
 * The shell: who is signed in, the navigation their groups allow, the language switch, and the pages. Routing uses
 * the URL hash (#/leads/…), so neither CloudFront nor the local server needs a rewrite for deep links.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Link, Redirect, Route, Router, Switch, useLocation } from 'wouter-preact';
import { useHashLocation } from 'wouter-preact/use-hash-location';
import type { ConsoleConfig, ConsoleGroup } from '../../shared/console/console-config';
import { can, type Me } from './access';
import { ApiError, apiJson, configureApi } from './api';
import { signOut, storedToken } from './auth';
import { COPY, type Lang, LangContext, rememberLang, useCopy } from './i18n';
import { CampaignsPage } from './pages/campaigns';
import { DashboardPage } from './pages/dashboard';
import { EmailsPage } from './pages/emails';
import { LeadPage } from './pages/lead';
import { LeadsPage } from './pages/leads';
import { LoginPage } from './pages/login';
import { RulesPage } from './pages/rules';
import { SequencesPage } from './pages/sequences';
import { ErrorText, Loading, PageHeading } from './ui';

type NavKey = 'dashboard' | 'leads' | 'emails' | 'sequences' | 'campaigns' | 'rules';

/** What each group may open, as the API enforces it: sales works the leads, marketing also sees reports and content. */
const PAGES: { key: NavKey; path: string; groups: ConsoleGroup[]; component: ComponentType<{ me: Me }> }[] = [
  { key: 'dashboard', path: '/dashboard', groups: ['marketing', 'admin'], component: DashboardPage },
  { key: 'leads', path: '/leads', groups: ['sales', 'marketing', 'admin'], component: LeadsPage },
  { key: 'emails', path: '/emails', groups: ['marketing', 'admin'], component: EmailsPage },
  { key: 'sequences', path: '/sequences', groups: ['marketing', 'admin'], component: SequencesPage },
  { key: 'campaigns', path: '/campaigns', groups: ['marketing', 'admin'], component: CampaignsPage },
  { key: 'rules', path: '/rules', groups: ['marketing', 'admin'], component: RulesPage },
];

export function App({ config, initialLang, loginError }: { config: ConsoleConfig; initialLang: Lang; loginError: boolean }) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [token, setToken] = useState(storedToken());
  const [me, setMe] = useState<Me | undefined>();
  const [meError, setMeError] = useState<ApiError | undefined>();

  useEffect(() => {
    configureApi({ baseUrl: config.apiBaseUrl, signedOut: () => setToken(null) });
  }, [config]);
  useEffect(() => {
    setMe(undefined);
    setMeError(undefined);
    if (!token) return;
    configureApi({ baseUrl: config.apiBaseUrl, signedOut: () => setToken(null) });
    apiJson<Me>('/me').then(setMe, (error: unknown) => setMeError(error instanceof ApiError ? error : new ApiError(0)));
  }, [token]);

  const changeLang = (next: Lang) => {
    rememberLang(next);
    setLang(next);
  };
  const copy = COPY[lang];

  let content: preact.JSX.Element;
  if (!token) {
    content = <LoginPage config={config} onSignedIn={() => setToken(storedToken())} failed={loginError} />;
  } else if (!me) {
    content = (
      <main id="main" class="narrow">
        <Loading when={!meError} />
        <ErrorText error={meError} />
      </main>
    );
  } else {
    content = <Shell me={me} />;
  }

  return (
    <LangContext.Provider value={lang}>
      <button type="button" class="skip-link" onClick={skipToMain}>
        {copy.skipToContent}
      </button>
      <header class="topbar">
        <span class="brand">{copy.appName}</span>
        <label class="lang-switch">
          <span>{copy.language}</span>
          <select value={lang} onChange={(event) => changeLang((event.currentTarget as HTMLSelectElement).value as Lang)}>
            <option value="de" lang="de">
              Deutsch
            </option>
            <option value="en" lang="en">
              English
            </option>
          </select>
        </label>
        {me && token ? (
          <span class="user">
            <span class="muted">{copy.signedInAs(me.email)}</span>
            <button
              type="button"
              class="secondary"
              onClick={() => {
                signOut(config);
                setToken(null);
              }}
            >
              {copy.signOut}
            </button>
          </span>
        ) : null}
      </header>
      <Router hook={useHashLocation}>{content}</Router>
    </LangContext.Provider>
  );
}

/** A button, not a link to #main: the hash belongs to the router. */
function skipToMain() {
  const main = document.getElementById('main');
  main?.setAttribute('tabindex', '-1');
  main?.focus();
}

function Shell({ me }: { me: Me }) {
  const copy = useCopy();
  const [location] = useLocation();
  const allowed = PAGES.filter((page) => can(me, ...page.groups));
  const home = allowed[0]?.path ?? '/leads';
  return (
    <div class="layout">
      <nav aria-label={copy.nav.label} class="sidenav">
        <ul>
          {allowed.map((page) => {
            const current = location === page.path || location.startsWith(`${page.path}/`);
            return (
              <li key={page.key}>
                <Link href={page.path} aria-current={current ? 'page' : undefined}>
                  {copy.nav[page.key]}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main">
        <Switch>
          <Route path="/">
            <Redirect to={home} replace />
          </Route>
          <Route path="/leads/:email">{(params) => <LeadPage me={me} email={decodeURIComponent(params.email)} />}</Route>
          {PAGES.map((page) => (
            <Route key={page.key} path={page.path}>
              {can(me, ...page.groups) ? <page.component me={me} /> : <Forbidden />}
            </Route>
          ))}
          <Route>
            <PageHeading>{copy.errors.notFound}</PageHeading>
          </Route>
        </Switch>
      </main>
    </div>
  );
}

function Forbidden() {
  const copy = useCopy();
  return (
    <>
      <PageHeading>{copy.errors.forbidden}</PageHeading>
      <ErrorText error={new ApiError(403)} />
    </>
  );
}
