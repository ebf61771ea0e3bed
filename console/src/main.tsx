/** Start: read config.json, finish a hosted-UI sign-in if one is coming back, then the login page or the console. */
import { render } from 'preact';
import type { ConsoleConfig } from '../../shared/console/console-config';
import { App } from './app';
import { completeHostedLogin, loadConfig } from './auth';
import { COPY, initialLang, rememberLang } from './i18n';

async function start(root: HTMLElement): Promise<void> {
  const lang = initialLang();
  rememberLang(lang);
  let config: ConsoleConfig;
  try {
    config = await loadConfig();
  } catch (error) {
    console.error(error);
    root.innerHTML = '';
    const message = document.createElement('p');
    message.className = 'error';
    message.setAttribute('role', 'alert');
    message.textContent = COPY[lang].errors.config;
    root.append(message);
    return;
  }
  let loginError = false;
  if (config.auth.kind === 'cognito') {
    try {
      await completeHostedLogin(config.auth);
    } catch (error) {
      console.error(error);
      loginError = true;
    }
  }
  render(<App config={config} initialLang={lang} loginError={loginError} />, root);
}

void start(document.getElementById('app')!);
