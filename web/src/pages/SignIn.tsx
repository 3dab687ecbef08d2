/** Sign-in: the demo users in local mode, the Cognito hosted UI otherwise. */
import { useEffect, useState } from 'preact/hooks';
import { getConfig, localLogin, startCognitoSignIn } from '../auth';
import { loc, roleLabels, t, useLang } from '../i18n';
import type { Person } from '../types';
import { ErrorBox, Loading, PageTitle } from '../components/ui';

export function SignInPage({ returning, initialError }: { returning: boolean; initialError: string | null }) {
  useLang();
  const mode = getConfig().auth.mode;
  return (
    <div class="signin">
      <PageTitle text={mode === 'local' ? t('signin.localTitle') : t('signin.title')} />
      {initialError ? <ErrorBox>{t('signin.callbackError', { reason: initialError })}</ErrorBox> : null}
      {returning ? <p class="muted">{t('signin.returnNote')}</p> : null}
      {mode === 'local' ? <LocalUsers /> : <CognitoSignIn />}
    </div>
  );
}

function CognitoSignIn() {
  const [busy, setBusy] = useState(false);
  return (
    <div class="panel signin-panel">
      <p>{t('signin.cognitoLead')}</p>
      <button
        type="button"
        class="btn btn-primary"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          startCognitoSignIn().catch(() => setBusy(false));
        }}
      >
        {t('signin.cognitoButton')}
      </button>
    </div>
  );
}

function LocalUsers() {
  const [users, setUsers] = useState<Person[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setError(null);
    fetch('/_local/users', { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json() as Promise<{ items?: Person[] }>;
      })
      .then(
        (body) => live && setUsers(body.items ?? []),
        () => live && setError(t('app.networkError')),
      );
    return () => {
      live = false;
    };
  }, [attempt]);

  const choose = async (userId: string) => {
    if (busy) return;
    setBusy(userId);
    setError(null);
    try {
      await localLogin(userId);
    } catch {
      setError(t('signin.failed'));
      setBusy(null);
    }
  };

  if (error && !users) return <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{error}</ErrorBox>;
  if (!users) return <Loading />;
  return (
    <>
      <p>{t('signin.localLead')}</p>
      {error ? <ErrorBox>{error}</ErrorBox> : null}
      {users.length === 0 ? <p class="empty">{t('signin.noUsers')}</p> : null}
      <ul class="user-list">
        {users.map((user) => {
          const roles = roleLabels(user.roles ?? []);
          const where = [loc(user.department?.name), loc(user.site?.name), loc(user.branch?.name)].filter(Boolean);
          return (
            <li key={user.id}>
              <button
                type="button"
                class="user-card"
                data-user-id={user.id}
                disabled={busy !== null}
                aria-busy={busy === user.id ? 'true' : undefined}
                onClick={() => choose(user.id)}
              >
                <span class="user-card-name">{loc(user.name)}</span>
                <span class="user-card-where">{where.join(' / ')}</span>
                <span class="user-card-roles">
                  <span class="visually-hidden">{t('signin.roles')}: </span>
                  {roles.map((label) => (
                    <span class="role-chip" key={label}>
                      {label}
                    </span>
                  ))}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );
}
