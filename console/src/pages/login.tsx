/** Locally: email and roles, posted to the stack's /_dev/login. On AWS: one button to the hosted UI (PKCE). */
import { useState } from 'preact/hooks';
import { CONSOLE_GROUPS, type ConsoleConfig, type ConsoleGroup } from '../../../shared/console/console-config';
import { localLogin, startHostedLogin, storeToken } from '../auth';
import { useCopy } from '../i18n';
import { ErrorText, PageHeading } from '../ui';

export function LoginPage({ config, onSignedIn, failed }: { config: ConsoleConfig; onSignedIn: () => void; failed: boolean }) {
  const copy = useCopy();
  const [email, setEmail] = useState('marketing@example.com');
  const [groups, setGroups] = useState<ConsoleGroup[]>(['marketing']);
  const [error, setError] = useState<string | null>(failed ? copy.login.failed : null);
  const [busy, setBusy] = useState(false);
  const auth = config.auth;

  if (auth.kind === 'cognito') {
    return (
      <main id="main" class="narrow">
        <PageHeading>{copy.login.title}</PageHeading>
        <p>{copy.login.hostedIntro}</p>
        <ErrorText error={error} />
        <button type="button" onClick={() => void startHostedLogin(auth)}>
          {copy.login.hosted}
        </button>
      </main>
    );
  }

  const submit = async (event: Event) => {
    event.preventDefault();
    if (groups.length === 0) return setError(copy.login.chooseRole);
    setBusy(true);
    setError(null);
    try {
      storeToken(await localLogin(auth.loginUrl, email.trim(), groups));
      onSignedIn();
    } catch (caught) {
      console.error(caught);
      setError(copy.login.failed);
      setBusy(false);
    }
  };
  const toggle = (group: ConsoleGroup, on: boolean) =>
    setGroups((current) => (on ? [...current, group] : current.filter((g) => g !== group)));

  return (
    <main id="main" class="narrow">
      <PageHeading>{copy.login.title}</PageHeading>
      <p>{copy.login.intro}</p>
      <form class="card stack" onSubmit={submit}>
        <label class="field">
          <span>{copy.login.email}</span>
          <input
            id="login-email"
            type="email"
            name="email"
            required
            autocomplete="username"
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <fieldset>
          <legend>{copy.login.roles}</legend>
          {CONSOLE_GROUPS.map((group) => (
            <label key={group} class="check">
              <input
                type="checkbox"
                name="groups"
                value={group}
                checked={groups.includes(group)}
                onChange={(e) => toggle(group, e.currentTarget.checked)}
              />
              {copy.roles[group]}
            </label>
          ))}
        </fieldset>
        <ErrorText error={error} />
        <button type="submit" disabled={busy}>
          {copy.login.submit}
        </button>
      </form>
    </main>
  );
}
