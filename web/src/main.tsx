/** Boot: language, configuration, the end of a Cognito sign-in round trip, then the app. */
import { render } from 'preact';
import { App } from './App';
import { completeCognitoSignIn, loadConfig, setConfig } from './auth';
import { applyDocumentLang, t } from './i18n';
import './styles.css';

async function boot(): Promise<void> {
  applyDocumentLang();
  document.title = t('app.name');
  const root = document.getElementById('app')!;
  let signInError: string | null = null;
  try {
    setConfig(await loadConfig());
    signInError = await completeCognitoSignIn();
  } catch {
    root.textContent = '';
    const message = document.createElement('p');
    message.className = 'boot boot-error';
    message.setAttribute('role', 'alert');
    message.textContent = t('app.configError');
    root.append(message);
    return;
  }
  root.textContent = '';
  render(<App signInError={signInError} />, root);
}

void boot();
