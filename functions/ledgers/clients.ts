import * as z from 'zod';
import { col, defineLedger, id, isoDateTime, lifecycle, optionalText, placeColumns } from './common';

export const clientKinds = {
  terminal: { ja: '入力用端末', en: 'Terminal' },
  printer: { ja: 'ネットワークプリンタ', en: 'Network printer' },
  network: { ja: 'ネットワーク接続機器', en: 'Network device' },
};

export const ownerships = {
  company: { ja: '会社所有', en: 'Company-owned' },
  personal: { ja: '個人所有', en: 'Personal' },
};

export const Client = z.object({
  id,
  label: z.string().trim().min(1).max(200),
  kind: z.enum(Object.keys(clientKinds) as [keyof typeof clientKinds]),
  ownership: z.enum(['company', 'personal']),
  siteId: id,
  branchId: id,
  departmentId: id,
  userId: optionalText(128),
  model: z.string().trim().min(1).max(200),
  serialNumber: z.string().trim().min(1).max(100),
  cpu: optionalText(100),
  memoryGb: z.number().min(0).max(4096).optional(),
  storageGb: z.number().min(0).max(1_000_000).optional(),
  os: optionalText(100),
  status: z.enum(['planned', 'active', 'retired']),
  serverAccessApproved: z.boolean(),
  serverAccessApprovedAt: isoDateTime.optional(),
  configuration: optionalText(4000),
  configurationRevisedAt: isoDateTime.optional(),
  requestId: optionalText(64),
});
export type Client = z.infer<typeof Client>;

/** クライアント台帳 (S14-2, S14-3, S18): every client with its hardware configuration. */
export const clients = defineLedger<Client>({
  name: 'clients',
  title: { ja: 'クライアント台帳', en: 'Client ledger' },
  description: { ja: '基幹業務システムのクライアントの台数とハード構成（第14条・第18条）。', en: 'Clients of the core business system and their hardware configuration (Art. 14, 18).' },
  articles: ['S14-2', 'S14-3', 'S18-2', 'S18-3'],
  item: Client,
  columns: [
    col('id', 'クライアントID', 'Client ID'),
    col('label', '名称', 'Name'),
    col('kind', '種別', 'Kind', 'enum', clientKinds),
    col('ownership', '所有区分', 'Ownership', 'enum', ownerships),
    ...placeColumns,
    col('departmentId', '部署', 'Department'),
    col('userId', '利用者', 'User'),
    col('model', '機種', 'Model'),
    col('serialNumber', '製造番号', 'Serial number'),
    col('cpu', 'CPU', 'CPU'),
    col('memoryGb', 'メモリ(GB)', 'Memory (GB)', 'number'),
    col('storageGb', 'ストレージ(GB)', 'Storage (GB)', 'number'),
    col('os', 'OS', 'OS'),
    col('status', '状態', 'Status', 'enum', lifecycle),
    col('serverAccessApproved', 'サーバ接続承認', 'Server access approved', 'boolean'),
    col('serverAccessApprovedAt', '接続承認日時', 'Approved at', 'datetime'),
    col('configuration', '構成情報', 'Configuration'),
    col('configurationRevisedAt', '構成改訂日時', 'Configuration revised', 'datetime'),
    col('requestId', '申請番号', 'Request'),
  ],
});
