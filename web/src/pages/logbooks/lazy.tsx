/** The logbook pages come as their own chunk, fetched on the first visit to 記録簿. */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n';
import type { Person } from '../../types';
import { ErrorBox, Loading } from '../../components/ui';
import type { LogbookRoute } from './index';

type LogbookModule = typeof import('./index');
let pending: Promise<LogbookModule> | null = null;
let loaded: LogbookModule | null = null;

export function LazyLogbooks({ route, me }: { route: LogbookRoute; me: Person }) {
  const [module, setModule] = useState<LogbookModule | null>(loaded);
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
  if (module) return <module.LogbookRoutes route={route} me={me} />;
  if (failed) return <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{t('app.chunkError')}</ErrorBox>;
  return <Loading />;
}
