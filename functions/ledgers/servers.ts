import * as z from 'zod';
import { bilingual, col, defineLedger, id, isoDateTime, lifecycle, optionalText, placeColumns } from './common';

export const serverKinds = {
  db: { ja: '基幹DBサーバ', en: 'Core database' },
  'db-backup': { ja: '基幹DBバックアップサーバ', en: 'Core database backup' },
  app: { ja: 'アプリケーションサーバ', en: 'Application' },
  'db-dev': { ja: '開発・研修用DBサーバ', en: 'Development and training database' },
  other: { ja: 'その他', en: 'Other' },
};

export const Server = z.object({
  id,
  name: bilingual,
  kind: z.enum(Object.keys(serverKinds) as [keyof typeof serverKinds]),
  hostname: z.string().trim().min(1).max(100),
  os: z.string().trim().min(1).max(100),
  siteId: id,
  branchId: id,
  owner: z.string().trim().min(1).max(128),
  status: z.enum(['planned', 'active', 'retired']),
  configuration: optionalText(4000),
  configurationRevisedAt: isoDateTime.optional(),
  maintenanceContract: optionalText(500),
  requestId: optionalText(64),
});
export type Server = z.infer<typeof Server>;

/** サーバ台帳 (S2, S7): the servers of the core business system and their configuration. */
export const servers = defineLedger<Server>({
  name: 'servers',
  title: { ja: 'サーバ台帳', en: 'Server ledger' },
  description: { ja: '基幹業務システムを構成するサーバと構成情報（第2条・第7条）。', en: 'Servers of the core business system and their configuration (Art. 2, 7).' },
  articles: ['S2', 'S7-2', 'S7-3'],
  item: Server,
  columns: [
    col('id', 'サーバID', 'Server ID'),
    col('name.ja', '名称', 'Name (ja)'),
    col('name.en', '名称（英語）', 'Name (en)'),
    col('kind', '種別', 'Kind', 'enum', serverKinds),
    col('hostname', 'ホスト名', 'Host name'),
    col('os', 'OS', 'OS'),
    ...placeColumns,
    col('owner', '管理担当者', 'Owner'),
    col('status', '状態', 'Status', 'enum', lifecycle),
    col('configuration', '構成情報', 'Configuration'),
    col('configurationRevisedAt', '構成改訂日時', 'Configuration revised', 'datetime'),
    col('maintenanceContract', '保守契約', 'Maintenance contract'),
    col('requestId', '申請番号', 'Request'),
  ],
});
