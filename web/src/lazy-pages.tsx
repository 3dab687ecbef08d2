/**
 * A page group that comes as its own chunk: fetched on the first visit, kept for later visits, and
 * offered again after a failed fetch (a deploy may have replaced the chunk, or the network dropped).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from './i18n';
import { ErrorBox, Loading } from './components/ui';

/**
 * Makes the shell's component for a lazily loaded page group.
 *
 * @param load - the `import()` of the group's module; called once however many pages mount, and
 *   again only after a failure.
 * @param render - draws the group from its loaded module and the props the shell passes.
 * @returns a component that shows a loading state, then the group, or a retry box on failure.
 */
export function lazyPages<Module, Props>(load: () => Promise<Module>, render: (module: Module, props: Props) => ComponentChildren) {
  // Module-level rather than per-mount, so that a second visit draws at once and two pages
  // mounting together share one fetch.
  let pending: Promise<Module> | null = null;
  let loaded: Module | null = null;
  return function LazyPages(props: Props) {
    const [module, setModule] = useState<Module | null>(loaded);
    const [failed, setFailed] = useState(false);
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (module) return;
      let live = true;
      setFailed(false);
      pending ??= load();
      pending.then(
        (done) => {
          loaded = done;
          if (live) setModule(() => done);
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
    if (module) return <>{render(module, props)}</>;
    if (failed) return <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{t('app.chunkError')}</ErrorBox>;
    return <Loading />;
  };
}
