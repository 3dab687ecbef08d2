import * as z from 'zod';
import type { Reservation } from '../domain/approval';
import { japanDate } from '../domain/dates';
import type { FieldIssue } from '../domain/errors';
import type { FormDefinition } from '../domain/form-definition';
import type { LedgerOp } from '../domain/ledgers';
import type { UserId } from '../ledgers/user-ids';
import { issue, lookUp, lookUpVersioned } from './checks';
import { choice, fieldMeta, formData, ledgerPick, textArea } from './fields';
import { userIdLoginClaim, userIdPersonClaim } from './user-id-issue-request';

/** F13's data. */
export const UserIdDeletionRequestData = formData({
  userIdEntry: ledgerPick({
    source: { ledger: 'user-ids', label: 'id' },
    label: { ja: '対象のユーザID', en: 'User ID' },
    help: { ja: 'ユーザID台帳にある、有効または利用停止中のIDから選びます。', en: 'Pick an active or suspended ID from the user ID ledger.' },
  }),
  action: choice({
    labels: {
      delete: { ja: '削除', en: 'Delete' },
      suspend: { ja: '利用停止（削除予定日まで）', en: 'Suspend (until the scheduled deletion)' },
    },
    label: { ja: '処理', en: 'Action' },
    help: {
      ja: '使わなくなったIDは速やかに削除します。すぐに削除できない理由があるときは、削除予定日を定めて利用停止にします（第16条第5項）。',
      en: 'An ID no longer used is deleted at once; when it cannot be, it is suspended until a scheduled deletion date (Art. 16-5).',
    },
  }),
  scheduledDeletionOn: z.iso
    .date()
    .optional()
    .meta(
      fieldMeta('date', {
        label: { ja: '削除予定日', en: 'Scheduled deletion date' },
        help: { ja: '利用停止の場合に必ず入力します（明日以降の日付）。削除の場合は入力しません。', en: 'Required for a suspension (a date after today); leave it empty for a deletion.' },
      }),
    ),
  reason: textArea({
    max: 2000,
    label: { ja: '理由', en: 'Reason' },
    help: {
      ja: 'IDが不要になった理由。利用停止の場合は、すぐに削除できない理由も書いてください（2000文字以内）。',
      en: 'Why the ID is no longer needed; for a suspension, also why it cannot be deleted at once (up to 2000 characters).',
    },
  }),
});

export type UserIdDeletionRequest = z.infer<typeof UserIdDeletionRequestData>;

/** Keeps one ID from being deleted or suspended by two requests at once; released when one is approved. */
export const userIdChangeClaim = (entryId: string) => `user-ids#change#${entryId}`;

const A16_5 = { ja: '安全管理細則 第16条第5項', en: 'Security Rules Art. 16-5' };

/** Every refusal of this form ends by citing A16-5. */
const issueUnderA16_5 = (field: string, ja: string, en: string): FieldIssue => issue(field, `${ja}（${A16_5.ja}）。`, `${en} (${A16_5.en}).`);

/** F13 ユーザID削除・利用停止申請 — 安全管理細則 第16条第5項. */
export const userIdDeletionRequest: FormDefinition<UserIdDeletionRequest> = {
  id: 'user-id-deletion-request',
  code: 'F13',
  version: 1,
  category: 'ids',
  title: { ja: 'ユーザID削除・利用停止申請', en: 'User ID deletion or suspension request' },
  description: {
    ja: '使わなくなったユーザIDの削除、またはすぐに削除できない場合の利用停止（削除予定日つき）を申請します。部門責任者の承認の上、システム管理者が処理します。',
    en: 'Request the deletion of a user ID no longer used, or its suspension with a scheduled deletion date when it cannot be deleted at once. The department head approves, then the system administrator acts.',
  },
  articles: [
    {
      ref: 'A16-5',
      text: {
        ja: '利用しなくなったIDが発生した場合、システム管理者は速やかにIDを削除する。何らかの理由で速やかに削除できない場合は、削除予定日をあらかじめ定め、それまでは利用停止IDとしてシステム管理者が管理する。',
        en: 'The system administrator deletes an ID no longer used at once; when that is not possible, a deletion date is set in advance and the ID is kept suspended until then.',
      },
    },
  ],
  route: [
    { role: 'deptHead', rule: 'any' },
    { role: 'sysAdmin', rule: 'any' },
  ],
  schema: UserIdDeletionRequestData,
  rules: [],
  async check(data, { ledgers, now }) {
    const issues: FieldIssue[] = [];
    const entry = await lookUp(ledgers, 'user-ids', data.userIdEntry);
    if (!entry) {
      issues.push(issueUnderA16_5('userIdEntry', '「対象のユーザID」がユーザID台帳にありません', 'The ID is not in the user ID ledger'));
    } else if (entry.status === 'deleted') {
      issues.push(issueUnderA16_5('userIdEntry', 'このユーザIDは既に削除されています', 'This ID has already been deleted'));
    } else if (entry.status === 'suspended' && data.action === 'suspend') {
      issues.push(issueUnderA16_5('userIdEntry', `このユーザIDは既に利用停止中です（削除予定日 ${entry.scheduledDeletionOn ?? '未定'}）。削除するときは「削除」を選んでください`, `This ID is already suspended (deletion scheduled for ${entry.scheduledDeletionOn ?? 'no date'}); choose "Delete" to delete it`));
    }
    if (data.action === 'suspend') {
      const today = japanDate(now);
      if (!data.scheduledDeletionOn) {
        issues.push(issueUnderA16_5('scheduledDeletionOn', '利用停止にするときは「削除予定日」を入力してください', 'A suspension needs a scheduled deletion date'));
      } else if (data.scheduledDeletionOn <= today) {
        issues.push(issueUnderA16_5('scheduledDeletionOn', `「削除予定日」は明日以降の日付にしてください。今日までに削除するなら「削除」を選んでください`, 'The scheduled deletion date must be after today; to delete by today, choose "Delete"'));
      }
    } else if (data.scheduledDeletionOn) {
      issues.push(issueUnderA16_5('scheduledDeletionOn', '削除の場合は「削除予定日」を入力しません。承認されると直ちに削除されます', 'Leave the scheduled deletion date empty for a deletion: the ID is deleted on approval'));
    }
    return issues;
  },
  async reserve(data): Promise<Reservation[]> {
    return [
      {
        kind: 'claim',
        key: userIdChangeClaim(data.userIdEntry),
        field: 'data.userIdEntry',
        message: {
          ja: `このユーザIDには審査中の削除・利用停止申請があります（${A16_5.ja}）。`,
          en: `A deletion or suspension of this ID is already in review (${A16_5.en}).`,
        },
      },
    ];
  },
  async onApproved({ requestId, data, approvedAt }, { ledgers }) {
    // The claim held while in review is kept on approval; freed here so that a suspended ID can be deleted later.
    const ops: LedgerOp[] = [{ kind: 'release', key: userIdChangeClaim(data.userIdEntry), owner: requestId }];
    const found = await lookUpVersioned(ledgers, 'user-ids', data.userIdEntry);
    if (!found || found.item.status === 'deleted') return ops;
    const entry = found.item;
    if (data.action === 'suspend') {
      if (entry.status !== 'active') return ops;
      const after: UserId = { ...entry, status: 'suspended', suspendedAt: approvedAt, scheduledDeletionOn: data.scheduledDeletionOn, requestId };
      ops.push({
        kind: 'update',
        ledger: 'user-ids',
        before: found,
        after,
        summary: {
          ja: `申請 ${requestId} の承認により利用停止にしました（削除予定日 ${data.scheduledDeletionOn}）`,
          en: `Suspended by the approval of request ${requestId} (deletion scheduled for ${data.scheduledDeletionOn})`,
        },
      });
      return ops;
    }
    const after: UserId = { ...entry, status: 'deleted', deletedAt: approvedAt, requestId };
    ops.push(
      {
        kind: 'update',
        ledger: 'user-ids',
        before: found,
        after,
        summary: { ja: `申請 ${requestId} の承認により削除しました`, en: `Deleted by the approval of request ${requestId}` },
      },
      // The person may be issued a new ID on this system (one person one ID counts live IDs only).
      { kind: 'release', key: userIdPersonClaim(entry.system, entry.personId) },
      { kind: 'release', key: userIdLoginClaim(entry.system, entry.loginId) },
    );
    return ops;
  },
};
