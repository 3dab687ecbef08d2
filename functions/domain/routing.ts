import type { StageCondition, StageTemplate } from './form-definition';
import type { LedgerReader } from './ledgers';
import type { Absence, Directory, PersonRef } from './organisation';
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

/** Who may decide a stage before absences are considered: the role's holders, or the fallback team. */
interface Candidates {
  template: StageTemplate;
  people: PersonRef[];
  /** The stage went to 情報システム部インフラ担当 because nobody else holds the role for the requester. */
  fallback: boolean;
}

async function candidatesFor(template: StageTemplate, requester: Requester, directory: Directory): Promise<Candidates> {
  const scopeId = scopeIdFor(template.role, requester);
  const people = (await directory.holders(template.role, scopeId)).filter((person) => person.id !== requester.id);
  if (people.length > 0) return { template, people, fallback: false };
  const fallback = template.role === 'itInfra' ? [] : (await directory.holders('itInfra', '*')).filter((person) => person.id !== requester.id);
  if (fallback.length === 0) throw new UnresolvableStageError(template.role, scopeId);
  return { template, people: fallback, fallback: true };
}

/** The absences on `today` of these people, read at once (one batch read where the directory offers it). */
async function absencesOf(personIds: readonly string[], directory: Directory, today?: string): Promise<ReadonlyMap<string, Absence>> {
  const ids = [...new Set(personIds)];
  if (!today || ids.length === 0) return new Map();
  if (directory.absencesOn) return directory.absencesOn(ids, today);
  if (!directory.absenceOn) return new Map();
  const found = await Promise.all(ids.map((id) => directory.absenceOn!(id, today)));
  return new Map(found.flatMap((absence, i) => (absence ? [[ids[i], absence] as const] : [])));
}

function resolved(candidates: Candidates, requester: Requester, absences: ReadonlyMap<string, Absence>): ResolvedStage {
  if (!candidates.fallback) return { approvers: withDelegates(candidates.people, requester, absences), note: null };
  const label = roles[candidates.template.role].label;
  return {
    approvers: candidates.people,
    note: {
      ja: `申請者の所属に${label.ja}が見つからないため、情報システム部インフラ担当に回付しました。`,
      en: `No ${label.en} was found for the requester, so the stage went to IT infrastructure.`,
    },
  };
}

/**
 * Resolves the people who decide a stage for this requester. The requester never approves their own
 * request, and a stage never passes silently: when the role has nobody (or only the requester) in the
 * requester's scope, the stage goes to 情報システム部インフラ担当 with a note saying why.
 */
export async function resolveStage(template: StageTemplate, requester: Requester, directory: Directory, today?: string): Promise<ResolvedStage> {
  const candidates = await candidatesFor(template, requester, directory);
  const absences = candidates.fallback ? new Map<string, Absence>() : await absencesOf(candidates.people.map((p) => p.id), directory, today);
  return resolved(candidates, requester, absences);
}

/**
 * Resolves every stage of a route: the holders of all stages are read together, then the absences
 * of everyone they name in one read, so the round trips do not grow with the number of stages or
 * approvers.
 */
export async function resolveRoute(route: readonly StageTemplate[], requester: Requester, directory: Directory, today?: string): Promise<ResolvedStage[]> {
  const all = await Promise.all(route.map((template) => candidatesFor(template, requester, directory)));
  const absences = await absencesOf(all.filter((c) => !c.fallback).flatMap((c) => c.people.map((p) => p.id)), directory, today);
  return all.map((candidates) => resolved(candidates, requester, absences));
}

/**
 * 代理承認: an approver away on `today` is replaced by their delegate, marked as deciding on their
 * behalf. A delegate who is the requester never receives the task (nobody decides their own request):
 * the absent approver keeps it. Someone already among the approvers is not added twice.
 */
function withDelegates(approvers: PersonRef[], requester: Requester, absences: ReadonlyMap<string, Absence>): PersonRef[] {
  const resolvedApprovers: PersonRef[] = [];
  for (const approver of approvers) {
    const absence = absences.get(approver.id);
    const delegate = absence && absence.delegate.id !== requester.id ? absence.delegate : null;
    const next = delegate ? { id: delegate.id, name: delegate.name, onBehalfOf: { id: approver.id, name: approver.name } } : approver;
    if (!resolvedApprovers.some((p) => p.id === next.id)) resolvedApprovers.push(next);
  }
  return resolvedApprovers;
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
