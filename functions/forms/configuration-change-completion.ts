import * as z from 'zod';
import { ledgerEntries } from '../domain/approval';
import { conflict, forbidden, notFound } from '../domain/errors';
import { getLedgerItem } from '../domain/ledger-admin';
import type { LedgerOp, Versioned } from '../domain/ledgers';
import type { Person, PersonRef } from '../domain/organisation';
import { hasRole, refOf } from '../domain/organisation';
import type { Deps } from '../domain/ports';
import { withFreshRead } from '../domain/requests';
import type { ConfigurationChange } from '../ledgers/configuration-changes';

/** Body of POST /api/configuration-changes/{id}/complete. */
export const CompleteConfigurationChangeBody = z
  .object({ note: z.string().trim().max(1000).optional() })
  .strict()
  .meta({ id: 'CompleteConfigurationChangeBody' });

export type CompleteConfigurationChangeInput = z.infer<typeof CompleteConfigurationChangeBody>;

const ledgerOfTarget = (target: ConfigurationChange['target']) => (target === 'server' ? 'servers' : 'clients');

/**
 * The rule of a completed change (S7-3, S19-4): the change is marked done and, in the same
 * commit, the server's or client's configuration becomes the approved one, so the configuration
 * ledger is never behind the changes that were made.
 */
export function completionOps(change: Versioned, target: Versioned, actor: PersonRef, at: string, note = ''): LedgerOp[] {
  const approved = change.item as ConfigurationChange;
  if (approved.status === 'done') {
    throw conflict({ ja: `構成変更 ${approved.id} は既に実施完了です。`, en: `Configuration change ${approved.id} is already done.` });
  }
  const remark = { ja: note ? `：${note}` : '', en: note ? `: ${note}` : '' };
  const done: ConfigurationChange = { ...approved, status: 'done', completedAt: at, completedBy: actor.id };
  return [
    {
      kind: 'update',
      ledger: 'configuration-changes',
      before: change,
      after: done,
      summary: { ja: `${actor.name.ja} が実施完了を登録しました${remark.ja}`, en: `${actor.name.en} recorded the change as done${remark.en}` },
    },
    {
      kind: 'update',
      ledger: ledgerOfTarget(approved.target),
      before: target,
      after: { ...target.item, configuration: approved.newConfiguration, configurationRevisedAt: at },
      summary: {
        ja: `構成変更 ${approved.id} の実施により構成情報を改訂しました${remark.ja}`,
        en: `Configuration revised by configuration change ${approved.id}${remark.en}`,
      },
    },
  ];
}

/**
 * 情報システム部インフラ担当 records that an approved configuration change was made; the change and
 * the revised configuration are written in one ledger commit, each with its audit event.
 */
export async function completeConfigurationChange(deps: Deps, actor: Person, id: string, input: CompleteConfigurationChangeInput) {
  if (!hasRole(actor, 'itInfra')) {
    throw forbidden({
      ja: '構成変更の実施完了を登録できるのは情報システム部インフラ担当だけです（第8条・第19条）。',
      en: 'Only IT infrastructure records a configuration change as done (Art. 8, 19).',
    });
  }
  const target = await withFreshRead(async () => {
    const change = await deps.ledgers.getVersioned('configuration-changes', id);
    if (!change) throw notFound({ ja: `構成変更 ${id} は見つかりません。`, en: `Configuration change ${id} was not found.` });
    const approved = change.item as ConfigurationChange;
    const ledger = ledgerOfTarget(approved.target);
    const machine = await deps.ledgers.getVersioned(ledger, approved.targetId);
    if (!machine) {
      throw conflict({
        ja: `変更対象 ${approved.targetId} が台帳にないため、構成情報を改訂できません。`,
        en: `The target ${approved.targetId} is not in its ledger, so its configuration cannot be revised.`,
      });
    }
    const at = deps.clock.now().toISOString();
    // A concurrent completion or edit makes the commit stale; the fresh read then answers 409 or retries.
    await deps.ledgers.commit(ledgerEntries(completionOps(change, machine, refOf(actor), at, input.note), approved.requestId ?? '', at, refOf(actor)));
    return { ledger, id: approved.targetId };
  });
  return {
    change: await getLedgerItem(deps, 'configuration-changes', id),
    target: { ledger: target.ledger, ...(await getLedgerItem(deps, target.ledger, target.id)) },
  };
}
