import { japanDate } from './dates';
import { notFound, validationFailed } from './errors';
import type { Absence, Person } from './organisation';
import type { Clock, Deps } from './ports';

/** Where a person's absence is kept; the directory adapter implements it. */
export interface AbsenceStore {
  absence(personId: string): Promise<Absence | null>;
  setAbsence(absence: Absence): Promise<void>;
  clearAbsence(personId: string): Promise<void>;
}

/**
 * 代理承認: sets the caller's absence and delegate. Tasks that arrive while they are away go to the
 * delegate; tasks already in their inbox stay there.
 */
export async function setAbsence(
  deps: Pick<Deps, 'directory'> & { clock: Clock },
  store: AbsenceStore,
  actor: Person,
  input: { from: string; to: string; delegateId: string },
) {
  const issues = [];
  if (input.to < input.from) issues.push({ path: 'to', messages: { ja: '終了日は開始日以降にしてください。', en: 'The end date cannot be before the start date.' } });
  if (input.to < japanDate(deps.clock.now())) issues.push({ path: 'to', messages: { ja: '終了日が過去です。', en: 'The end date has passed.' } });
  if (input.delegateId === actor.id) issues.push({ path: 'delegateId', messages: { ja: '自分自身を代理者にはできません。', en: 'You cannot be your own delegate.' } });
  const delegate = await deps.directory.person(input.delegateId);
  if (!delegate) issues.push({ path: 'delegateId', messages: { ja: '代理者が組織名簿にいません。', en: 'The delegate is not in the organisation directory.' } });
  if (issues.length > 0 || !delegate) throw validationFailed(issues);
  const absence: Absence = { personId: actor.id, from: input.from, to: input.to, delegate: { id: delegate.id, name: delegate.name } };
  await store.setAbsence(absence);
  return { absence };
}

export async function getAbsence(store: AbsenceStore, actor: Person) {
  return { absence: await store.absence(actor.id) };
}

export async function clearAbsence(store: AbsenceStore, actor: Person) {
  if (!(await store.absence(actor.id))) throw notFound({ ja: '不在の設定はありません。', en: 'No absence is set.' });
  await store.clearAbsence(actor.id);
  return { absence: null };
}
