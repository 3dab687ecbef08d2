/**
 * C2 ノートPC・可搬媒体持ち出し (A11(5)): laptops and portable media are kept locked by 総務; taking one
 * out is recorded with its purpose, destination and expected return, and 総務 records the return.
 * A checkout opens a duty of kind `media-return` due on the expected return date, assigned to the
 * borrower and escalating to 総務 (functions/domain/duties.ts); the return completes it in the same
 * transaction.
 */
import * as z from 'zod';
import { caseIdOf, caseRecord, isCaseId, parseCaseInput } from './cases';
import { japanDate } from './dates';
import type { Duty, DutyDraft } from './duties';
import { completeDuty, openDuty } from './duties';
import type { FieldIssue } from './errors';
import { ConditionFailedError, StaleWriteError, conflict, forbidden, notFound, validationFailed } from './errors';
import type { Page, PageRequest } from './ledgers';
import type { Person, PersonRef } from './organisation';
import { hasRole, refOf } from './organisation';
import type { Deps } from './ports';
import type { Text } from './text';
import type { RecordChange, VersionedRecord } from './versioned';
import { recordChange } from './versioned';
import { historyView } from './views';
import { addDays } from './working-days';

export const mediaKinds = {
  laptop: { ja: 'ノートPC', en: 'Laptop' },
  usb: { ja: 'USBメモリ', en: 'USB stick' },
  disk: { ja: '外付けディスク', en: 'External disk' },
  other: { ja: 'その他の可搬媒体', en: 'Other portable medium' },
} as const satisfies Record<string, Text>;

export type MediaKind = keyof typeof mediaKinds;

export type CheckoutStatus = 'out' | 'returned';

export interface MediaCheckout extends VersionedRecord {
  id: string;
  mediaKind: MediaKind;
  /** The laptop or medium: a client of the clients ledger, or named in words (a USB stick's label). */
  item: { clientId?: string; name: string };
  purpose: string;
  destination: string;
  borrower: PersonRef;
  /** The borrower's site, where the medium is kept. */
  siteId: string;
  /** Who recorded the checkout: the borrower, or 総務 for them. */
  recordedBy: PersonRef;
  checkedOutAt: string;
  /** Japan date by which it comes back. */
  expectedReturnOn: string;
  status: CheckoutStatus;
  returnedAt?: string;
  /** The 総務 person who took it back and recorded the return. */
  returnedTo?: PersonRef;
  returnNote?: string;
  /** The `media-return` duty that reminds the borrower. */
  dutyId: string;
  updatedAt: string;
}

const text = (max: number) => z.string().trim().min(1).max(max);

export const MediaCheckoutInput = z
  .object({
    mediaKind: z.enum(Object.keys(mediaKinds) as [MediaKind, ...MediaKind[]]),
    clientId: z.string().trim().min(1).max(128).optional(),
    name: z.string().trim().max(200).optional(),
    purpose: text(1000),
    destination: text(200),
    expectedReturnOn: z.iso.date(),
    borrowerId: z.string().trim().min(1).max(128).optional(),
  })
  .strict()
  .meta({ id: 'MediaCheckoutBody' });

export type MediaCheckoutInput = z.infer<typeof MediaCheckoutInput>;

export const MediaReturnInput = z
  .object({ version: z.number().int().min(1), note: z.string().trim().max(1000).optional() })
  .strict()
  .meta({ id: 'MediaReturnBody' });

export const mediaCheckoutLabels: Record<string, Text> = {
  mediaKind: { ja: '種類', en: 'Kind' },
  clientId: { ja: 'クライアント台帳の端末', en: 'Client from the ledger' },
  name: { ja: '名称・管理番号', en: 'Name or asset number' },
  purpose: { ja: '持ち出しの目的', en: 'Purpose' },
  destination: { ja: '持ち出し先', en: 'Destination' },
  expectedReturnOn: { ja: '返却予定日', en: 'Expected return' },
  borrowerId: { ja: '持ち出す人', en: 'Borrower' },
  version: { ja: '版', en: 'Version' },
  note: { ja: '返却時の確認事項', en: 'Note on return' },
};

/** The longest a checkout may be planned for; a later date is taken for a typing mistake. */
export const MAX_CHECKOUT_DAYS = 365;

const issue = (path: string, ja: string, en: string): FieldIssue => ({ path, messages: { ja, en } });

/** 総務 keeps the media (A11(5)). */
export const mayRecordReturn = (person: Pick<Person, 'roles'>) => hasRole(person, 'generalAffairs');

/** Those who list every checkout: 総務, and IT infrastructure, who keeps the clients ledger. */
export const mayListAllCheckouts = (person: Pick<Person, 'roles'>) => hasRole(person, 'generalAffairs') || hasRole(person, 'itInfra');

export function mayReadCheckout(person: Pick<Person, 'id' | 'roles'>, checkout: MediaCheckout): boolean {
  return person.id === checkout.borrower.id || person.id === checkout.recordedBy.id || mayListAllCheckouts(person);
}

export const mediaReturnDutyId = (checkoutId: string) => `media-return.${checkoutId}`;

/** The duty that waits for the return: due on the expected date, the borrower's, escalating to 総務. */
export function returnDutyDraft(checkout: Pick<MediaCheckout, 'id' | 'item' | 'borrower' | 'expectedReturnOn'>): DutyDraft {
  return {
    id: mediaReturnDutyId(checkout.id),
    kind: 'media-return',
    title: { ja: `持ち出した「${checkout.item.name}」の返却`, en: `Return of "${checkout.item.name}" taken out` },
    articles: ['A11(5)'],
    assignees: [checkout.borrower],
    role: 'generalAffairs',
    scopeId: '*',
    dueOn: checkout.expectedReturnOn,
    path: `#/cases/media/${checkout.id}`,
    subject: { checkoutId: checkout.id },
  };
}

/** A checkout recorded, with its return duty opened in the same write. */
export function newCheckout(checkout: Omit<MediaCheckout, 'version' | 'audit'>, at: string): { change: RecordChange<MediaCheckout>; duty: RecordChange<Duty> } {
  const change = recordChange<MediaCheckout>(null, checkout, caseRecord('media-checkout', checkout.id), [
    {
      at,
      actor: checkout.recordedBy,
      action: 'media.checked-out',
      summary: {
        ja: `「${checkout.item.name}」の持ち出しを記録しました（${checkout.borrower.name.ja}、返却予定 ${checkout.expectedReturnOn}）`,
        en: `Recorded "${checkout.item.name}" taken out by ${checkout.borrower.name.en}, due back ${checkout.expectedReturnOn}`,
      },
      before: null,
      after: {
        status: 'out',
        mediaKind: checkout.mediaKind,
        item: checkout.item,
        purpose: checkout.purpose,
        destination: checkout.destination,
        borrower: checkout.borrower.id,
        expectedReturnOn: checkout.expectedReturnOn,
      },
    },
  ]);
  return { change, duty: openDuty(returnDutyDraft(checkout), at, checkout.recordedBy) };
}

const returnForbidden = () =>
  forbidden({ ja: '返却を記録できるのは総務部門の責任者だけです（安全管理細則 第11条(5)）。', en: 'Only general affairs records a return (A11(5)).' });

/** The return recorded by 総務; the return duty, when still open, is completed with it. */
export function returnCheckout(checkout: MediaCheckout, duty: Duty | null, by: Person, at: string, note?: string) {
  if (!mayRecordReturn(by)) throw returnForbidden();
  if (checkout.status !== 'out') {
    throw conflict({ ja: `持ち出し ${checkout.id} はすでに返却済みです。`, en: `Checkout ${checkout.id} has already been returned.` });
  }
  const { version: _version, audit: _audit, ...current } = checkout;
  const change = recordChange<MediaCheckout>(
    checkout,
    { ...current, status: 'returned', returnedAt: at, returnedTo: refOf(by), ...(note ? { returnNote: note } : {}), updatedAt: at },
    caseRecord('media-checkout', checkout.id),
    [
      {
        at,
        actor: refOf(by),
        action: 'media.returned',
        summary: { ja: `「${checkout.item.name}」の返却を記録しました`, en: `Recorded the return of "${checkout.item.name}"` },
        before: { status: 'out' },
        after: { status: 'returned', returnedAt: at, ...(note ? { note } : {}) },
      },
    ],
  );
  const duties = duty && duty.status === 'open' ? [completeDuty(duty, by, at, note)] : [];
  return { change, duties };
}

/** Whether a checkout is late on a Japan date, and by how many days. */
export function overdueOf(checkout: Pick<MediaCheckout, 'status' | 'expectedReturnOn'>, today: string): { overdue: boolean; daysOverdue: number } {
  if (checkout.status !== 'out' || today <= checkout.expectedReturnOn) return { overdue: false, daysOverdue: 0 };
  const days = (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${checkout.expectedReturnOn}T00:00:00Z`)) / 86_400_000;
  return { overdue: true, daysOverdue: Math.round(days) };
}

export function checkoutView(checkout: MediaCheckout, today: string) {
  const { audit: _audit, ...rest } = checkout;
  return { ...rest, ...overdueOf(checkout, today) };
}

// ---- use cases ----------------------------------------------------------------------------------

type CaseDeps = Pick<Deps, 'cases' | 'duties' | 'directory' | 'ledgers' | 'clock' | 'ids'>;

const checkoutNotFound = (id: string) => notFound({ ja: `持ち出し記録 ${id} は見つかりません。`, en: `Checkout ${id} was not found.` });

async function loadCheckout(deps: Pick<Deps, 'cases'>, id: string): Promise<MediaCheckout> {
  const checkout = isCaseId('media-checkout', id) ? await deps.cases.checkout(id) : null;
  if (!checkout) throw checkoutNotFound(id);
  return checkout;
}

/**
 * 持ち出し: the borrower records taking out a laptop or medium (or 総務 records it for them). A
 * client from the ledger that is already out is refused: one device is in one place.
 */
export async function checkOutMedia(deps: CaseDeps, actor: Person, input: unknown) {
  const data = parseCaseInput(MediaCheckoutInput, mediaCheckoutLabels, input);
  const now = deps.clock.now();
  const today = japanDate(now);
  const issues: FieldIssue[] = [];

  let borrower: Person | null = actor;
  if (data.borrowerId && data.borrowerId !== actor.id) {
    if (!mayRecordReturn(actor)) {
      throw forbidden({ ja: '他の人の持ち出しを記録できるのは総務部門の責任者だけです。', en: 'Only general affairs records a checkout for someone else.' });
    }
    borrower = await deps.directory.person(data.borrowerId);
    if (!borrower) issues.push(issue('borrowerId', `「${data.borrowerId}」は組織名簿にいません。`, `"${data.borrowerId}" is not in the directory.`));
  }

  let name = data.name ?? '';
  if (data.clientId) {
    const client = await deps.ledgers.get('clients', data.clientId);
    if (!client) issues.push(issue('clientId', `クライアント台帳に「${data.clientId}」はありません。`, `The client ledger has no "${data.clientId}".`));
    else if (client.status === 'retired') issues.push(issue('clientId', `「${data.clientId}」は利用終了済みです。`, `"${data.clientId}" is retired.`));
    else name ||= `${String(client.label ?? data.clientId)}（${data.clientId}）`;
  } else if (!name) {
    issues.push(issue('name', '持ち出す機器の名称・管理番号を入力するか、クライアント台帳から選んでください。', 'Name the device (or its asset number), or choose it from the client ledger.'));
  }

  if (data.expectedReturnOn < today) {
    issues.push(issue('expectedReturnOn', '返却予定日は今日以降にしてください。', 'The expected return cannot be in the past.'));
  } else if (data.expectedReturnOn > addDays(today, MAX_CHECKOUT_DAYS)) {
    issues.push(issue('expectedReturnOn', `返却予定日は${MAX_CHECKOUT_DAYS}日以内にしてください。`, `The expected return must be within ${MAX_CHECKOUT_DAYS} days.`));
  }
  if (issues.length > 0 || !borrower) throw validationFailed(issues);

  const at = now.toISOString();
  const id = caseIdOf(deps.ids, 'media-checkout', now);
  const { change, duty } = newCheckout(
    {
      id,
      mediaKind: data.mediaKind,
      item: { ...(data.clientId ? { clientId: data.clientId } : {}), name },
      purpose: data.purpose,
      destination: data.destination,
      borrower: refOf(borrower),
      siteId: borrower.siteId,
      recordedBy: refOf(actor),
      checkedOutAt: at,
      expectedReturnOn: data.expectedReturnOn,
      status: 'out',
      dutyId: mediaReturnDutyId(id),
      updatedAt: at,
    },
    at,
  );
  try {
    await deps.cases.commitCheckout(change, [duty]);
  } catch (error) {
    if (error instanceof ConditionFailedError && error.target === 'claim') {
      throw conflict({
        ja: `「${name}」は持ち出し中です。返却が記録されてから持ち出してください。`,
        en: `"${name}" is out already; it can be taken out again once its return is recorded.`,
      });
    }
    throw error;
  }
  return checkoutView(change.next, today);
}

/** 返却: 総務 records the return; the return duty is completed in the same transaction. */
export async function returnMedia(deps: CaseDeps, actor: Person, id: string, input: unknown) {
  const data = parseCaseInput(MediaReturnInput, mediaCheckoutLabels, input);
  const checkout = await loadCheckout(deps, id);
  if (!mayRecordReturn(actor)) throw returnForbidden();
  if (checkout.status === 'out' && data.version !== checkout.version) {
    throw conflict({ ja: `持ち出し ${id} は他の人が更新しました。画面を更新してください。`, en: `Checkout ${id} changed meanwhile; reload it.` });
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  const duty = await deps.duties.get(checkout.dutyId);
  const { change, duties } = returnCheckout(checkout, duty, actor, at, data.note);
  try {
    await deps.cases.commitCheckout(change, duties);
  } catch (error) {
    if (error instanceof StaleWriteError) {
      throw conflict({ ja: `持ち出し ${id} は他の人が更新しました。画面を更新してください。`, en: `Checkout ${id} changed meanwhile; reload it.` });
    }
    throw error;
  }
  return checkoutView(change.next, japanDate(now));
}

/** A checkout with its history and where its return duty stands. */
export async function getCheckout(deps: Pick<Deps, 'cases' | 'duties' | 'clock'>, actor: Person, id: string) {
  const checkout = await loadCheckout(deps, id);
  if (!mayReadCheckout(actor, checkout)) {
    throw forbidden({ ja: 'この持ち出し記録を閲覧する権限がありません。', en: 'You may not see this checkout.' });
  }
  const [history, duty] = await Promise.all([deps.cases.history(caseRecord('media-checkout', id)), deps.duties.get(checkout.dutyId)]);
  return {
    ...checkoutView(checkout, japanDate(deps.clock.now())),
    history: history.map(historyView),
    duty: duty ? { id: duty.id, status: duty.status, dueOn: duty.dueOn, remindCount: duty.remindCount, escalatedAt: duty.escalatedAt ?? null } : null,
    mayRecordReturn: mayRecordReturn(actor),
  };
}

export type CheckoutScope = 'mine' | 'all' | 'out';

/** A person's own checkouts; every checkout, or those still out (the overdue first), for 総務 and IT infrastructure. */
export async function listCheckouts(deps: Pick<Deps, 'cases' | 'clock'>, actor: Person, scope: CheckoutScope, page: PageRequest): Promise<Page<ReturnType<typeof checkoutView>>> {
  if (scope !== 'mine' && !mayListAllCheckouts(actor)) {
    throw forbidden({ ja: 'すべての持ち出し記録を一覧できるのは総務と情報システム部インフラ担当だけです。', en: 'Only general affairs and IT infrastructure may list every checkout.' });
  }
  const found =
    scope === 'mine' ? await deps.cases.checkoutsOf(actor.id, page) : scope === 'all' ? await deps.cases.checkouts(page) : await deps.cases.outstandingCheckouts(page);
  const today = japanDate(deps.clock.now());
  return { items: found.items.map((checkout) => checkoutView(checkout, today)), ...(found.nextCursor ? { nextCursor: found.nextCursor } : {}) };
}
