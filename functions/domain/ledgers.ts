import type { Text } from './text';

/** A ledger (台帳) the regulations require, as shown and exported. */
export interface LedgerDefinition {
  name: string;
  title: Text;
  articles: string[];
  columns: { key: string; label: Text }[];
}

export const ledgerDefinitions = {
  servers: {
    name: 'servers',
    title: { ja: 'サーバ台帳', en: 'Server ledger' },
    articles: ['S2', 'S7'],
    columns: [
      { key: 'id', label: { ja: 'サーバID', en: 'Server ID' } },
      { key: 'name', label: { ja: '名称', en: 'Name' } },
      { key: 'kind', label: { ja: '種別', en: 'Kind' } },
      { key: 'hostname', label: { ja: 'ホスト名', en: 'Host name' } },
      { key: 'os', label: { ja: 'OS', en: 'OS' } },
      { key: 'siteId', label: { ja: '設置拠点', en: 'Site' } },
    ],
  },
  'server-access-grants': {
    name: 'server-access-grants',
    title: { ja: 'サーバ接続許可台帳', en: 'Server access grants' },
    articles: ['S5-3', 'S5-4'],
    columns: [
      { key: 'id', label: { ja: '許可番号', en: 'Grant' } },
      { key: 'serverName', label: { ja: 'サーバ', en: 'Server' } },
      { key: 'userName', label: { ja: '利用者', en: 'User' } },
      { key: 'protocol', label: { ja: '接続方式', en: 'Protocol' } },
      { key: 'startDate', label: { ja: '開始日', en: 'Start' } },
      { key: 'endDate', label: { ja: '終了日', en: 'End' } },
      { key: 'status', label: { ja: '状態', en: 'Status' } },
      { key: 'requestId', label: { ja: '申請番号', en: 'Request' } },
    ],
  },
} as const satisfies Record<string, LedgerDefinition>;

export type LedgerName = keyof typeof ledgerDefinitions;

export const isLedgerName = (value: string): value is LedgerName => Object.hasOwn(ledgerDefinitions, value);

export interface ServerItem {
  id: string;
  name: Text;
  kind: string;
  hostname: string;
  os: string;
  siteId: string;
  owner: string;
}

export type GrantStatus = 'active' | 'expired';

export interface ServerAccessGrant {
  id: string;
  serverId: string;
  serverName: Text;
  userId: string;
  userName: Text;
  protocol: string;
  startDate: string;
  endDate: string;
  status: GrantStatus;
  requestId: string;
  grantedAt: string;
}

export interface LedgerItems {
  servers: ServerItem;
  'server-access-grants': ServerAccessGrant;
}

/** A new ledger item written by an approved request (one transaction with the request's outcome). */
export interface LedgerWrite<N extends LedgerName = LedgerName> {
  ledger: N;
  item: LedgerItems[N];
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** Reads ledgers by key or by index; the adapter answers from DynamoDB. */
export interface LedgerReader {
  get<N extends LedgerName>(ledger: N, id: string): Promise<LedgerItems[N] | null>;
  list<N extends LedgerName>(ledger: N, page: PageRequest): Promise<Page<LedgerItems[N]>>;
}
