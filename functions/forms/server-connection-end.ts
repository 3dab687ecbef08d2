import * as z from 'zod';
import type { Reservation } from '../domain/approval';
import { validationFailed } from '../domain/errors';
import type { FormDefinition } from '../domain/form-definition';
import type { ServerAccessGrant } from '../ledgers/server-access-grants';
import { issue, lookUp, versionedIfStill } from './checks';
import { formData, isoDate, ledgerPick, textArea } from './fields';

/** F2's data. */
export const ServerConnectionEndData = formData({
  grantId: ledgerPick({
    // The page cannot filter by "the requester's own" grants; the server checks ownership.
    source: { ledger: 'server-access-grants', label: 'serverName', filter: { status: 'active' } },
    label: { ja: '終了する接続許可', en: 'Access grant to end' },
    help: { ja: 'サーバ接続許可台帳にある、あなたの有効な接続許可から選びます。', en: 'Pick one of your active grants in the server access grant ledger.' },
  }),
  endDate: isoDate({
    label: { ja: '利用終了日', en: 'End date' },
    help: {
      ja: '接続が不要になった（なる）日。許可の終了日より後にはできません。届が承認された時点で接続許可は終了します。',
      en: 'The day the connection is (or was) no longer needed, not after the grant ends. The grant ends when this notice is approved.',
    },
  }),
  reason: textArea({
    max: 2000,
    label: { ja: '終了理由', en: 'Reason' },
    help: { ja: '接続が業務上不要になった理由（2000文字以内）。', en: 'Why the work no longer needs the connection (up to 2000 characters).' },
  }),
});

export type ServerConnectionEnd = z.infer<typeof ServerConnectionEndData>;

/** The claim that keeps one grant from being ended by two notices at once (and kept once it is ended). */
export const grantEndClaim = (grantId: string) => `server-access-grants#end#${grantId}`;

/** F2 サーバ接続利用終了届 — システム管理規程 第5条第5項. */
export const serverConnectionEnd: FormDefinition<ServerConnectionEnd> = {
  id: 'server-connection-end',
  code: 'F2',
  version: 1,
  category: 'server',
  title: { ja: 'サーバ接続利用終了届', en: 'Server connection end notice' },
  description: {
    ja: '業務上サーバ接続が不要になったときに、速やかに提出します。情報システム部インフラ担当が確認し、承認されると接続許可は終了します。',
    en: 'File this as soon as your work no longer needs a server connection. IT infrastructure confirms it, and the approval ends the access grant.',
  },
  articles: [
    {
      ref: 'S5-5',
      text: {
        ja: '利用部門は業務上、サーバ接続の必要性がなくなった場合、速やかに情報システム部インフラ担当に連絡し、別途定められた手順に従って、手続きを行わなければならない。',
        en: 'When a department no longer needs a server connection, it must promptly tell IT infrastructure and follow the prescribed procedure.',
      },
    },
    { ref: 'S5-4', text: { ja: '利用許可なく、利用者がサーバの新規接続はできない。', en: 'No new server connection without permission.' } },
  ],
  route: [{ role: 'itInfra', rule: 'any' }],
  schema: ServerConnectionEndData,
  rules: [],
  async check(data, { ledgers }) {
    const grant = await lookUp(ledgers, 'server-access-grants', data.grantId);
    if (!grant) {
      return [issue('grantId', '「終了する接続許可」がサーバ接続許可台帳にありません（第5条第5項）。', 'The grant is not in the server access grant ledger (Art. 5-5).')];
    }
    if (grant.status !== 'active') {
      return [issue('grantId', 'この接続許可は既に終了または期限切れです。終了届は有効な接続許可についてのみ提出できます（第5条第5項）。', 'This grant has already ended or expired; an end notice is only for an active grant (Art. 5-5).')];
    }
    if (data.endDate > grant.endDate) {
      return [issue('endDate', `「利用終了日」は接続許可の終了日（${grant.endDate}）以前にしてください（第5条第5項）。`, `The end date cannot be after the grant's end date (${grant.endDate}) (Art. 5-5).`)];
    }
    return [];
  },
  /**
   * The grant must be the requester's own (the form context does not know the requester, so this is
   * checked here, where it does); the claim keeps a second notice for the same grant out.
   */
  async reserve(data, requester, { ledgers }): Promise<Reservation[]> {
    const grant = await lookUp(ledgers, 'server-access-grants', data.grantId);
    if (grant && grant.userId !== requester.id) {
      throw validationFailed([
        issue('grantId', '他の利用者の接続許可は終了できません。本人が終了届を提出してください（第5条第5項）。', "You cannot end another person's grant; its holder files the notice (Art. 5-5)."),
      ]);
    }
    return [
      {
        kind: 'claim',
        key: grantEndClaim(data.grantId),
        field: 'data.grantId',
        message: {
          ja: 'この接続許可には既に終了届が提出されています（第5条第5項）。',
          en: 'An end notice for this grant has already been filed (Art. 5-5).',
        },
      },
    ];
  },
  async onApproved({ requestId, data, approvedAt }, { ledgers }) {
    // Expired or ended meanwhile: there is no permission left to end.
    const found = await versionedIfStill(ledgers, 'server-access-grants', data.grantId, 'active');
    if (!found) return [];
    const grant = found.item;
    const after: ServerAccessGrant = {
      ...grant,
      status: 'revoked',
      revokedAt: approvedAt,
      endDate: data.endDate < grant.endDate ? data.endDate : grant.endDate,
    };
    return [
      {
        kind: 'update',
        ledger: 'server-access-grants',
        before: found,
        after,
        summary: { ja: `終了届 ${requestId} の承認により接続許可を終了しました`, en: `Grant ended by the approval of end notice ${requestId}` },
      },
    ];
  },
};
