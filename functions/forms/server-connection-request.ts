import * as z from 'zod';
import type { FormDefinition } from '../domain/form-definition';
import type { ServerAccessGrant } from '../ledgers/server-access-grants';
import { protocolLabels } from '../ledgers/server-access-grants';
import { issue, lookUp } from './checks';
import { choice, formData, isoDate, ledgerPick, optionalTextArea, textArea } from './fields';

/** F1's data. Field metadata feeds the web form and the OpenAPI document through z.toJSONSchema. */
export const ServerConnectionRequestData = formData({
  serverId: ledgerPick({
    source: { ledger: 'servers', label: 'name' },
    id: z.string().trim().min(1).max(64),
    label: { ja: '接続先サーバ', en: 'Server' },
    help: { ja: 'サーバ台帳に登録されたサーバから選びます。', en: 'Pick a server from the server ledger.' },
  }),
  protocol: choice({
    // The kinds of connection the grant ledger records, so that every protocol asked for can be granted.
    labels: protocolLabels,
    label: { ja: '接続方式', en: 'Protocol' },
    help: { ja: '第5条に定める新たな接続の種類（Telnet、FTP、ODBC等）。', en: 'The kind of new connection (Telnet, FTP, ODBC, …) under Article 5.' },
  }),
  purpose: textArea({
    max: 2000,
    label: { ja: '利用目的', en: 'Purpose' },
    help: { ja: '業務上必要な理由を具体的に書いてください（2000文字以内）。', en: 'Say why the work needs this connection (up to 2000 characters).' },
  }),
  startDate: isoDate({ label: { ja: '利用開始日', en: 'Start date' } }),
  endDate: isoDate({
    label: { ja: '利用終了日', en: 'End date' },
    help: { ja: '接続が不要になったら終了届（第5条第5項）を提出してください。', en: 'When the connection is no longer needed, file the end-of-use notice (Art. 5-5).' },
  }),
  note: optionalTextArea({ max: 1000, label: { ja: '備考', en: 'Note' } }),
});

export type ServerConnectionRequest = z.infer<typeof ServerConnectionRequestData>;

/** F1 サーバ接続利用申請 — システム管理規程 第5条. */
export const serverConnectionRequest: FormDefinition<ServerConnectionRequest> = {
  id: 'server-connection-request',
  code: 'F1',
  version: 1,
  category: 'server',
  title: { ja: 'サーバ接続利用申請', en: 'Server connection request' },
  description: {
    ja: '基幹業務システムのサーバへ新たに接続（Telnet、FTP、ODBC等）する必要が生じたときに申請します。拠点管理者・拠点責任者の承認の上、情報システム部インフラ担当が最終承認します。',
    en: 'Apply when your work needs a new connection (Telnet, FTP, ODBC, …) to a core business server. The site manager and branch responsible approve, then IT infrastructure gives the final approval.',
  },
  articles: [
    {
      ref: 'S5',
      text: {
        ja: '利用部門はサーバの新たな接続の必要性が発生した場合、情報システム部インフラ担当に利用の申請をしなければならない。',
        en: 'A department that needs a new server connection must apply to IT infrastructure.',
      },
    },
    { ref: 'S5-2', text: { ja: '利用申請は、定められた書式によらねばならない。', en: 'Applications use the prescribed form.' } },
    {
      ref: 'S5-3',
      text: {
        ja: '利用許可は、各拠点の管理者と責任者の承認の上、最終的に情報システム部インフラ担当の承認によって決定される。',
        en: 'Permission is decided by IT infrastructure after the site manager and the branch responsible approve.',
      },
    },
    { ref: 'S5-4', text: { ja: '利用許可なく、利用者がサーバの新規接続はできない。', en: 'No new server connection without permission.' } },
  ],
  route: [
    { role: 'siteManager', rule: 'any' },
    { role: 'siteResponsible', rule: 'any' },
    { role: 'itInfra', rule: 'any' },
  ],
  // The security manager keeps the access-log review (A14): every new server connection is circulated to them.
  circulate: ['securityManager'],
  schema: ServerConnectionRequestData,
  rules: [
    {
      kind: 'dateOrder',
      start: 'startDate',
      end: 'endDate',
      path: 'endDate',
      message: { ja: '「利用終了日」は「利用開始日」以降の日付にしてください。', en: 'The end date cannot be before the start date.' },
    },
  ],
  async check(data, { ledgers }) {
    const server = await lookUp(ledgers, 'servers', data.serverId);
    return server
      ? []
      : [issue('serverId', '「接続先サーバ」がサーバ台帳にありません。台帳に登録されたサーバを選んでください（第7条）。', 'The server is not in the server ledger; pick a registered server (Art. 7).')];
  },
  async onApproved({ requestId, requester, data, approvedAt }, { ledgers }) {
    const server = await lookUp(ledgers, 'servers', data.serverId);
    const grant: ServerAccessGrant = {
      id: requestId.replace(/^R-/, 'G-'),
      serverId: data.serverId,
      serverName: server?.name ?? { ja: data.serverId, en: data.serverId },
      userId: requester.id,
      userName: requester.name,
      protocol: data.protocol,
      startDate: data.startDate,
      endDate: data.endDate,
      status: 'active',
      requestId,
      grantedAt: approvedAt,
      ...(server ? { siteId: server.siteId, branchId: server.branchId } : {}),
    };
    return [{ kind: 'create', ledger: 'server-access-grants', item: grant, summary: { ja: `申請 ${requestId} の承認によりサーバ接続を許可しました`, en: `Access granted by the approval of request ${requestId}` } }];
  },
};
