import * as z from 'zod';
import { bilingual, col, defineLedger, id, isoDate, isoDateTime, placeColumns } from './common';

export const protocolLabels = {
  telnet: { ja: 'Telnet', en: 'Telnet' },
  ftp: { ja: 'FTP', en: 'FTP' },
  odbc: { ja: 'ODBC', en: 'ODBC' },
  ssh: { ja: 'SSH', en: 'SSH' },
  other: { ja: 'その他', en: 'Other' },
};

export const ServerAccessGrant = z.object({
  id,
  serverId: id,
  serverName: bilingual,
  userId: id,
  userName: bilingual,
  protocol: z.enum(Object.keys(protocolLabels) as [keyof typeof protocolLabels]),
  startDate: isoDate,
  endDate: isoDate,
  status: z.enum(['active', 'expired', 'revoked']),
  requestId: z.string().max(64),
  grantedAt: isoDateTime,
  revokedAt: isoDateTime.optional(),
  siteId: id.optional(),
  branchId: id.optional(),
});
export type ServerAccessGrant = z.infer<typeof ServerAccessGrant>;

/** サーバ接続許可台帳 (S5-3, S5-4): no connection without a permission in force. */
export const serverAccessGrants = defineLedger<ServerAccessGrant>({
  name: 'server-access-grants',
  title: { ja: 'サーバ接続許可台帳', en: 'Server access grants' },
  description: { ja: '承認されたサーバ接続（第5条）。許可のない接続はできません。', en: 'Approved server connections (Art. 5). No connection without one.' },
  articles: ['S5-3', 'S5-4', 'S5-5'],
  item: ServerAccessGrant,
  columns: [
    col('id', '許可番号', 'Grant'),
    col('serverId', 'サーバID', 'Server ID'),
    col('serverName.ja', 'サーバ', 'Server (ja)'),
    col('serverName.en', 'サーバ（英語）', 'Server (en)'),
    col('userId', '利用者ID', 'User ID'),
    col('userName.ja', '利用者', 'User (ja)'),
    col('userName.en', '利用者（英語）', 'User (en)'),
    col('protocol', '接続方式', 'Protocol', 'enum', protocolLabels),
    col('startDate', '開始日', 'Start', 'date'),
    col('endDate', '終了日', 'End', 'date'),
    col('status', '状態', 'Status', 'enum', { active: { ja: '有効', en: 'Active' }, expired: { ja: '期限切れ', en: 'Expired' }, revoked: { ja: '終了', en: 'Revoked' } }),
    col('requestId', '申請番号', 'Request'),
    col('grantedAt', '許可日時', 'Granted', 'datetime'),
    col('revokedAt', '終了日時', 'Revoked', 'datetime'),
    ...placeColumns,
  ],
  // Active grants by end date: the daily expiry reads only what has to expire.
  stateKey: (grant) => ({ partition: grant.status, sort: `${grant.endDate}#${grant.id}` }),
});
