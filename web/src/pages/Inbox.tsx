/** The approver's inbox: pending tasks, oldest first. */
import { useEffect, useState } from 'preact/hooks';
import { api, errorText, getForms } from '../api';
import { formatDateTime } from '../format';
import { loc, t, useLang } from '../i18n';
import { href } from '../router';
import type { Form, ListPage, TaskRecord } from '../types';
import { Empty, ErrorBox, Loading, PageTitle } from '../components/ui';

export function stageLabelOf(task: TaskRecord, forms: Form[] | null): string {
  if (task.stageLabel) return loc(task.stageLabel);
  const form = forms?.find((candidate) => candidate.id === task.request.formId);
  const step = form?.route?.[task.stage];
  return step ? loc(step.label) : String(task.stage + 1);
}

export function InboxPage() {
  useLang();
  const [tasks, setTasks] = useState<TaskRecord[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>();
  const [forms, setForms] = useState<Form[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    let live = true;
    setError(null);
    api<ListPage<TaskRecord>>('/tasks').then(
      (page) => {
        if (!live) return;
        setTasks(page.items ?? []);
        setCursor(page.nextCursor);
      },
      (failure) => live && setError(errorText(failure)),
    );
    getForms().then(
      (items) => live && setForms(items),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const more = async () => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await api<ListPage<TaskRecord>>(`/tasks?cursor=${encodeURIComponent(cursor)}`);
      setTasks((current) => [...(current ?? []), ...(page.items ?? [])]);
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setLoadingMore(false);
    }
  };

  let body;
  if (error && !tasks) body = <ErrorBox onRetry={() => setAttempt((n) => n + 1)}>{error}</ErrorBox>;
  else if (!tasks) body = <Loading />;
  else if (tasks.length === 0)
    body = (
      <Empty>
        <p>{t('inbox.empty')}</p>
      </Empty>
    );
  else
    body = (
      <>
        <table class="list-table">
          <thead>
            <tr>
              <th scope="col">{t('inbox.form')}</th>
              <th scope="col">{t('inbox.requester')}</th>
              <th scope="col">{t('inbox.submittedAt')}</th>
              <th scope="col">{t('inbox.stage')}</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr key={task.id}>
                <td data-label={t('inbox.form')}>
                  <span class="code">{task.request.formCode}</span>{' '}
                  <a href={href('tasks', task.id)}>{loc(task.request.formTitle)}</a>
                  <span class="mono small block">{task.requestId}</span>
                </td>
                <td data-label={t('inbox.requester')}>{loc(task.request.requester.name)}</td>
                <td data-label={t('inbox.submittedAt')}>
                  <time dateTime={task.request.submittedAt}>{formatDateTime(task.request.submittedAt ?? task.createdAt)}</time>
                </td>
                <td data-label={t('inbox.stage')}>{stageLabelOf(task, forms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {error ? <ErrorBox>{error}</ErrorBox> : null}
        {cursor ? (
          <p class="more">
            <button type="button" class="btn" onClick={more} disabled={loadingMore}>
              {loadingMore ? t('app.loading') : t('mine.more')}
            </button>
          </p>
        ) : null}
      </>
    );

  return (
    <div>
      <PageTitle text={t('inbox.title')} />
      <p class="lead">{t('inbox.lead')}</p>
      {body}
    </div>
  );
}
