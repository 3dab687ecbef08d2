/**
 * What the shell needs of the organisation administration pages without loading them: the chunk
 * loader, the nav label, and who sees the nav entry (情報システム部インフラ担当).
 */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n';
import type { Person } from '../../types';
import { ErrorBox, Loading } from '../../components/ui';

export { ta as adminText } from './messages';

/** Only IT infrastructure administers the organisation; the server refuses anyone else too. */
export const isAdministrator = (me: Person | null) => Boolean(me?.roles.some((role) => role.role === 'itInfra'));

type AdminModule = typeof import('./index');
let pending: Promise<AdminModule> | null = null;
let loaded: AdminModule | null = null;

export function LazyAdmin({ path, me }: { path: string[]; me: Person }) {
  const [module, setModule] = useState<AdminModule | null>(loaded);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (module) return;
    let live = true;
    setFailed(false);
    pending ??= import('./index');
    pending.then(
      (done) => {
        loaded = done;
        if (live) setModule(done);
      },
      () => {
        pending = null;
        if (live) setFailed(true);
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  if (module) return <module.AdminRoutes path={path} me={me} />;
  if (failed) return <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{t('app.chunkError')}</ErrorBox>;
  return <Loading />;
}
