/**
 * What the shell needs of the 予定・期限 pages without loading them: the chunk loader, the nav label
 * and the overdue count for its badge.
 */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n';
import type { Person } from '../../types';
import { ErrorBox, Loading } from '../../components/ui';
import type { DutyRoute } from './index';

export { td as dutyText } from './messages';
export { useOverdueDuties } from './overdue-count';

type DutyModule = typeof import('./index');
let pending: Promise<DutyModule> | null = null;
let loaded: DutyModule | null = null;

export function LazyDuties({ route, me }: { route: DutyRoute; me: Person }) {
  const [module, setModule] = useState<DutyModule | null>(loaded);
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
  if (module) return <module.DutyRoutes route={route} me={me} />;
  if (failed) return <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{t('app.chunkError')}</ErrorBox>;
  return <Loading />;
}
