/** The case pages come as their own chunk, fetched on the first visit to `#/cases`. */
import { useEffect, useState } from 'preact/hooks';
import { defineMessages, t } from '../../i18n';
import type { Person } from '../../types';
import { ErrorBox, Loading } from '../../components/ui';

type CaseModule = typeof import('./index');
let pending: Promise<CaseModule> | null = null;
let loaded: CaseModule | null = null;

export function LazyCases({ path, me }: { path: string[]; me: Person }) {
  const [module, setModule] = useState<CaseModule | null>(loaded);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (module) return;
    let live = true;
    setFailed(false);
    pending ??= import('./index');
    pending.then(
      (found) => {
        loaded = found;
        if (live) setModule(found);
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
  if (module) return <module.CaseRoutes path={path} me={me} />;
  if (failed) return <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{t('app.chunkError')}</ErrorBox>;
  return <Loading />;
}

/** The navigation's name for the case pages (the rest of their words load with the chunk). */
export const caseNav = defineMessages({ ja: { link: '障害・持ち出し' }, en: { link: 'Incidents & media' } });
