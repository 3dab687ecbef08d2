import type { StageCondition, StageTemplate } from './form-definition';
import type { LedgerReader } from './ledgers';
import type { Directory, PersonRef } from './organisation';
import { scopeIdFor } from './organisation';
import type { Requester } from './approval';
import { roles } from './roles';
import type { Text } from './text';

export interface ResolvedStage {
  approvers: PersonRef[];
  /** Set when the stage could not go to its role as written. */
  note: Text | null;
}

/** Raised when not even the fallback team has anyone who may decide; the workflow fails loudly. */
export class UnresolvableStageError extends Error {
  constructor(readonly role: string, readonly scopeId: string) {
    super(`No approver for role ${role} in scope ${scopeId}, and no IT infrastructure member to fall back to.`);
    this.name = 'Route.Unresolvable';
  }
}

/**
 * Resolves the people who decide a stage for this requester. The requester never approves their own
 * request, and a stage never passes silently: when the role has nobody (or only the requester) in the
 * requester's scope, the stage goes to 情報システム部インフラ担当 with a note saying why.
 */
export async function resolveStage(template: StageTemplate, requester: Requester, directory: Directory, today?: string): Promise<ResolvedStage> {
  const scopeId = scopeIdFor(template.role, requester);
  const holders = await withDelegates(
    (await directory.holders(template.role, scopeId)).filter((person) => person.id !== requester.id),
    requester,
    directory,
    today,
  );
  if (holders.length > 0) return { approvers: holders, note: null };

  const fallback = template.role === 'itInfra' ? [] : (await directory.holders('itInfra', '*')).filter((person) => person.id !== requester.id);
  if (fallback.length === 0) throw new UnresolvableStageError(template.role, scopeId);
  const label = roles[template.role].label;
  return {
    approvers: fallback,
    note: {
      ja: `申請者の所属に${label.ja}が見つからないため、情報システム部インフラ担当に回付しました。`,
      en: `No ${label.en} was found for the requester, so the stage went to IT infrastructure.`,
    },
  };
}

export async function resolveRoute(route: readonly StageTemplate[], requester: Requester, directory: Directory, today?: string): Promise<ResolvedStage[]> {
  return Promise.all(route.map((template) => resolveStage(template, requester, directory, today)));
}

/**
 * 代理承認: an approver away on `today` is replaced by their delegate, marked as deciding on their
 * behalf. A delegate who is the requester never receives the task (nobody decides their own request):
 * the absent approver keeps it. Someone already among the approvers is not added twice.
 */
async function withDelegates(approvers: PersonRef[], requester: Requester, directory: Directory, today?: string): Promise<PersonRef[]> {
  if (!today || !directory.absenceOn) return approvers;
  const resolved: PersonRef[] = [];
  for (const approver of approvers) {
    const absence = await directory.absenceOn(approver.id, today);
    const delegate = absence && absence.delegate.id !== requester.id ? absence.delegate : null;
    const next = delegate ? { id: delegate.id, name: delegate.name, onBehalfOf: { id: approver.id, name: approver.name } } : approver;
    if (!resolved.some((p) => p.id === next.id)) resolved.push(next);
  }
  return resolved;
}

/** Whether a stage's condition holds for this data (a field's value, or a property of the item it names). */
export async function conditionHolds(condition: StageCondition, data: Record<string, unknown>, ledgers: LedgerReader): Promise<boolean> {
  const value = data[condition.field];
  if (!condition.ledger) return value === condition.equals;
  if (typeof value !== 'string') return false;
  const item = await ledgers.get(condition.ledger, value);
  return item?.[condition.property ?? 'id'] === condition.equals;
}

/** The stages of a route that apply to this data. */
export async function applicableStages(route: readonly StageTemplate[], data: Record<string, unknown>, ledgers: LedgerReader): Promise<StageTemplate[]> {
  const applies = await Promise.all(route.map((stage) => (stage.when ? conditionHolds(stage.when, data, ledgers) : true)));
  return route.filter((_, index) => applies[index]);
}
