import type { Client } from '../../functions/ledgers/clients';
import type { ClientProduct, ServerProduct } from '../../functions/ledgers/installations';
import type { Licence } from '../../functions/ledgers/licences';
import type { Product } from '../../functions/ledgers/products';
import type { Server } from '../../functions/ledgers/servers';
import type { PrivilegedId, UserId } from '../../functions/ledgers/user-ids';
import type { Person, Place, Site } from '../../functions/domain/organisation';

/**
 * The demo organisation: 2 branches, 3 sites, 5 departments, and at least one person for every role
 * of REQUIREMENTS.md. Ids are fixed so that tests and the README can name people.
 */
export const branches: Place[] = [
  { id: 'br-east', name: { ja: '東日本支社', en: 'East Japan Branch' } },
  { id: 'br-west', name: { ja: '西日本支社', en: 'West Japan Branch' } },
];

export const sites: Site[] = [
  { id: 'site-tokyo', branchId: 'br-east', name: { ja: '東京本社', en: 'Tokyo Head Office' } },
  { id: 'site-sendai', branchId: 'br-east', name: { ja: '仙台営業所', en: 'Sendai Office' } },
  { id: 'site-osaka', branchId: 'br-west', name: { ja: '大阪支店', en: 'Osaka Branch Office' } },
];

export const departments: Place[] = [
  { id: 'dep-sales', name: { ja: '営業部', en: 'Sales' } },
  { id: 'dep-accounting', name: { ja: '経理部', en: 'Accounting' } },
  { id: 'dep-it', name: { ja: '情報システム部', en: 'Information Systems' } },
  { id: 'dep-general', name: { ja: '総務部', en: 'General Affairs' } },
  { id: 'dep-production', name: { ja: '製造部', en: 'Production' } },
];

type Seed = Omit<Person, 'email' | 'branchId'> & { email?: string };

const company = (role: Person['roles'][number]['role']) => ({ role, scope: { kind: 'company' as const, id: '*' } });

const people: Seed[] = [
  { id: 'u-tanaka', name: { ja: '田中 太郎', en: 'Taro Tanaka' }, siteId: 'site-tokyo', departmentId: 'dep-sales', roles: [company('employee')] },
  { id: 'u-takahashi', name: { ja: '高橋 優', en: 'Yu Takahashi' }, siteId: 'site-sendai', departmentId: 'dep-sales', roles: [company('employee')] },
  { id: 'u-saito', name: { ja: '斎藤 翔', en: 'Sho Saito' }, siteId: 'site-osaka', departmentId: 'dep-production', roles: [company('employee')] },
  {
    id: 'u-sato',
    name: { ja: '佐藤 花子', en: 'Hanako Sato' },
    siteId: 'site-tokyo',
    departmentId: 'dep-general',
    roles: [company('employee'), { role: 'siteManager', scope: { kind: 'site', id: 'site-tokyo' } }],
  },
  {
    id: 'u-abe',
    name: { ja: '阿部 光', en: 'Hikaru Abe' },
    siteId: 'site-sendai',
    departmentId: 'dep-sales',
    roles: [company('employee'), { role: 'siteManager', scope: { kind: 'site', id: 'site-sendai' } }],
  },
  {
    id: 'u-shimizu',
    name: { ja: '清水 聡', en: 'Satoshi Shimizu' },
    siteId: 'site-osaka',
    departmentId: 'dep-production',
    roles: [company('employee'), { role: 'siteManager', scope: { kind: 'site', id: 'site-osaka' } }],
  },
  {
    id: 'u-kobayashi',
    name: { ja: '小林 健', en: 'Ken Kobayashi' },
    siteId: 'site-tokyo',
    departmentId: 'dep-general',
    roles: [company('employee'), { role: 'siteResponsible', scope: { kind: 'branch', id: 'br-east' } }],
  },
  {
    id: 'u-mori',
    name: { ja: '森 孝', en: 'Takashi Mori' },
    siteId: 'site-osaka',
    departmentId: 'dep-general',
    roles: [company('employee'), { role: 'siteResponsible', scope: { kind: 'branch', id: 'br-west' } }],
  },
  { id: 'u-yamada', name: { ja: '山田 次郎', en: 'Jiro Yamada' }, siteId: 'site-tokyo', departmentId: 'dep-it', roles: [company('employee'), company('itInfra')] },
  { id: 'u-ito', name: { ja: '伊藤 美咲', en: 'Misaki Ito' }, siteId: 'site-tokyo', departmentId: 'dep-it', roles: [company('employee'), company('itInfra')] },
  {
    id: 'u-watanabe',
    name: { ja: '渡辺 誠', en: 'Makoto Watanabe' },
    siteId: 'site-tokyo',
    departmentId: 'dep-sales',
    roles: [company('employee'), { role: 'deptHead', scope: { kind: 'department', id: 'dep-sales' } }],
  },
  {
    id: 'u-ogawa',
    name: { ja: '小川 直樹', en: 'Naoki Ogawa' },
    siteId: 'site-osaka',
    departmentId: 'dep-production',
    roles: [company('employee'), { role: 'deptHead', scope: { kind: 'department', id: 'dep-production' } }],
  },
  { id: 'u-nakamura', name: { ja: '中村 由美', en: 'Yumi Nakamura' }, siteId: 'site-tokyo', departmentId: 'dep-accounting', roles: [company('employee'), company('ringiApprover')] },
  { id: 'u-kato', name: { ja: '加藤 隆', en: 'Takashi Kato' }, siteId: 'site-tokyo', departmentId: 'dep-it', roles: [company('employee'), company('licenseManager')] },
  { id: 'u-yoshida', name: { ja: '吉田 修', en: 'Osamu Yoshida' }, siteId: 'site-tokyo', departmentId: 'dep-it', roles: [company('employee'), company('dba')] },
  { id: 'u-yamaguchi', name: { ja: '山口 恵', en: 'Megumi Yamaguchi' }, siteId: 'site-tokyo', departmentId: 'dep-general', roles: [company('employee'), company('securityManager')] },
  { id: 'u-matsumoto', name: { ja: '松本 大輔', en: 'Daisuke Matsumoto' }, siteId: 'site-tokyo', departmentId: 'dep-it', roles: [company('employee'), company('sysAdmin')] },
  { id: 'u-inoue', name: { ja: '井上 亮', en: 'Ryo Inoue' }, siteId: 'site-tokyo', departmentId: 'dep-it', roles: [company('employee'), company('networkAdmin')] },
  { id: 'u-kimura', name: { ja: '木村 直子', en: 'Naoko Kimura' }, siteId: 'site-tokyo', departmentId: 'dep-general', roles: [company('employee'), company('privacyManager')] },
  { id: 'u-hayashi', name: { ja: '林 和夫', en: 'Kazuo Hayashi' }, siteId: 'site-tokyo', departmentId: 'dep-general', roles: [company('employee'), company('generalAffairs')] },
  // The security manager's nominee for the Osaka logbooks (A4(3), A9: 安全管理責任者が指名したもの).
  {
    id: 'u-fujita',
    name: { ja: '藤田 沙織', en: 'Saori Fujita' },
    siteId: 'site-osaka',
    departmentId: 'dep-general',
    roles: [company('employee'), { role: 'logbookReviewer', scope: { kind: 'site', id: 'site-osaka' } }],
  },
];

const branchOf = (siteId: string) => sites.find((site) => site.id === siteId)?.branchId ?? 'br-east';

export const demoPeople: Person[] = people.map((person) => ({
  ...person,
  branchId: branchOf(person.siteId),
  email: person.email ?? `${person.id.replace(/^u-/, '')}@example.co.jp`,
}));

/** The four servers of S2 (システム管理規程 第2条). */
export const demoServers: Server[] = [
  { id: 'srv-core-db', name: { ja: '基幹DBサーバ', en: 'Core database server' }, kind: 'db', hostname: 'core-db01', os: 'Oracle Linux 9', siteId: 'site-tokyo', branchId: 'br-east', owner: 'u-yamada', status: 'active', configuration: 'CPU 32コア / メモリ 256GB / Oracle Database 19c', maintenanceContract: '保守契約 HW-2024-001（富士見システム）' },
  { id: 'srv-core-db-backup', name: { ja: '基幹DBバックアップサーバ', en: 'Core database backup server' }, kind: 'db-backup', hostname: 'core-db02', os: 'Oracle Linux 9', siteId: 'site-tokyo', branchId: 'br-east', owner: 'u-yamada', status: 'active', configuration: 'CPU 16コア / メモリ 128GB', maintenanceContract: '保守契約 HW-2024-001（富士見システム）' },
  { id: 'srv-app', name: { ja: 'アプリケーションサーバ', en: 'Application server' }, kind: 'app', hostname: 'core-ap01', os: 'Red Hat Enterprise Linux 9', siteId: 'site-tokyo', branchId: 'br-east', owner: 'u-ito', status: 'active', configuration: 'CPU 16コア / メモリ 64GB / Tomcat 10', maintenanceContract: '保守契約 HW-2024-002（富士見システム）' },
  { id: 'srv-dev-db', name: { ja: '開発・研修用DBサーバ', en: 'Development and training database server' }, kind: 'db-dev', hostname: 'dev-db01', os: 'Oracle Linux 9', siteId: 'site-tokyo', branchId: 'br-east', owner: 'u-ito', status: 'active', configuration: 'CPU 8コア / メモリ 32GB', maintenanceContract: '保守契約 HW-2024-003（富士見システム）' },
];

/** Clients per site, one of them personally owned (it may receive no managed product: S35-5, S48). */
export const demoClients: Client[] = [
  { id: 'pc-tokyo-001', label: '営業部 端末1', kind: 'terminal', ownership: 'company', siteId: 'site-tokyo', branchId: 'br-east', departmentId: 'dep-sales', userId: 'u-tanaka', model: 'ThinkPad L14', serialNumber: 'TK-0001', cpu: 'Core i5', memoryGb: 16, storageGb: 512, os: 'Windows 11', status: 'active', serverAccessApproved: true },
  { id: 'pc-tokyo-002', label: '営業部 端末2', kind: 'terminal', ownership: 'company', siteId: 'site-tokyo', branchId: 'br-east', departmentId: 'dep-sales', userId: 'u-watanabe', model: 'ThinkPad L14', serialNumber: 'TK-0002', cpu: 'Core i5', memoryGb: 16, storageGb: 512, os: 'Windows 11', status: 'active', serverAccessApproved: false },
  { id: 'pc-tokyo-101', label: '田中 私物PC', kind: 'terminal', ownership: 'personal', siteId: 'site-tokyo', branchId: 'br-east', departmentId: 'dep-sales', userId: 'u-tanaka', model: 'MacBook Air', serialNumber: 'PR-0101', os: 'macOS', status: 'active', serverAccessApproved: false },
  { id: 'prn-tokyo-01', label: '東京本社 複合機', kind: 'printer', ownership: 'company', siteId: 'site-tokyo', branchId: 'br-east', departmentId: 'dep-general', model: 'imageRUNNER C3226', serialNumber: 'PRN-01', status: 'active', serverAccessApproved: false },
  { id: 'pc-sendai-001', label: '仙台 端末1', kind: 'terminal', ownership: 'company', siteId: 'site-sendai', branchId: 'br-east', departmentId: 'dep-sales', userId: 'u-takahashi', model: 'OptiPlex 7010', serialNumber: 'SD-0001', cpu: 'Core i5', memoryGb: 16, storageGb: 256, os: 'Windows 11', status: 'active', serverAccessApproved: false },
  { id: 'pc-osaka-001', label: '大阪 端末1', kind: 'terminal', ownership: 'company', siteId: 'site-osaka', branchId: 'br-west', departmentId: 'dep-production', userId: 'u-saito', model: 'OptiPlex 7010', serialNumber: 'OS-0001', cpu: 'Core i7', memoryGb: 32, storageGb: 512, os: 'Windows 11', status: 'active', serverAccessApproved: true },
];

/** The products IT infrastructure manages (S24, S33); a product outside this list cannot be requested. */
export const demoProducts: Product[] = [
  { id: 'prd-oracle-db', name: { ja: 'Oracle Database', en: 'Oracle Database' }, vendor: 'Oracle', category: 'database', target: 'server', latestVersion: '19c', status: 'managed', maintenanceContract: 'SW-2024-010' },
  { id: 'prd-zabbix', name: { ja: 'Zabbix', en: 'Zabbix' }, vendor: 'Zabbix', category: 'monitoring', target: 'server', latestVersion: '7.0', status: 'managed' },
  { id: 'prd-tomcat', name: { ja: 'Apache Tomcat', en: 'Apache Tomcat' }, vendor: 'Apache', category: 'package', target: 'server', latestVersion: '10.1', status: 'managed' },
  { id: 'prd-excel', name: { ja: 'Microsoft Excel', en: 'Microsoft Excel' }, vendor: 'Microsoft', category: 'tool', target: 'client', latestVersion: '2024', licenceId: 'lic-excel', status: 'managed', maintenanceContract: 'SW-2024-020' },
  { id: 'prd-erp-client', name: { ja: '基幹ERPクライアント', en: 'Core ERP client' }, vendor: '富士見システム', category: 'package', target: 'client', latestVersion: '5.2', licenceId: 'lic-erp', status: 'managed', maintenanceContract: 'SW-2024-021' },
  { id: 'prd-odbc-driver', name: { ja: 'Oracle ODBCドライバ', en: 'Oracle ODBC driver' }, vendor: 'Oracle', category: 'communication', target: 'client', latestVersion: '19.3', status: 'managed' },
  { id: 'prd-old-viewer', name: { ja: '旧帳票ビューア', en: 'Old report viewer' }, vendor: '社内', category: 'custom', target: 'client', latestVersion: '1.0', status: 'retired' },
];

/** Licences; ERP has few seats left, so the seat rule shows. seatsUsed + seatsHeld + seatsFree = seatsBought. */
export const demoLicences: Licence[] = [
  { id: 'lic-excel', productId: 'prd-excel', name: { ja: 'Excel ボリュームライセンス', en: 'Excel volume licence' }, seatsBought: 50, seatsUsed: 3, seatsHeld: 0, seatsFree: 47, contractRef: 'MS-EA-2024', expiresOn: '2027-03-31', status: 'active' },
  { id: 'lic-erp', productId: 'prd-erp-client', name: { ja: '基幹ERP クライアントライセンス', en: 'Core ERP client licence' }, seatsBought: 5, seatsUsed: 3, seatsHeld: 0, seatsFree: 2, contractRef: 'FJM-2024-ERP', expiresOn: '2027-03-31', status: 'active' },
];

export const demoServerProducts: ServerProduct[] = [
  { id: 'sp-core-db-oracle', serverId: 'srv-core-db', productId: 'prd-oracle-db', version: '19.21', status: 'installed', installedAt: '2024-04-01T00:00:00.000Z', siteId: 'site-tokyo', branchId: 'br-east' },
  { id: 'sp-app-tomcat', serverId: 'srv-app', productId: 'prd-tomcat', version: '10.1.20', status: 'installed', installedAt: '2024-04-01T00:00:00.000Z', siteId: 'site-tokyo', branchId: 'br-east' },
];

export const demoClientProducts: ClientProduct[] = [
  { id: 'cp-tokyo-001-excel', clientId: 'pc-tokyo-001', productId: 'prd-excel', version: '2024', licenceId: 'lic-excel', userId: 'u-tanaka', status: 'installed', installedAt: '2024-04-01T00:00:00.000Z', siteId: 'site-tokyo', branchId: 'br-east' },
  { id: 'cp-tokyo-002-excel', clientId: 'pc-tokyo-002', productId: 'prd-excel', version: '2024', licenceId: 'lic-excel', userId: 'u-watanabe', status: 'installed', installedAt: '2024-04-01T00:00:00.000Z', siteId: 'site-tokyo', branchId: 'br-east' },
  { id: 'cp-osaka-001-excel', clientId: 'pc-osaka-001', productId: 'prd-excel', version: '2024', licenceId: 'lic-excel', userId: 'u-saito', status: 'installed', installedAt: '2024-04-01T00:00:00.000Z', siteId: 'site-osaka', branchId: 'br-west' },
  { id: 'cp-tokyo-001-erp', clientId: 'pc-tokyo-001', productId: 'prd-erp-client', version: '5.2', licenceId: 'lic-erp', userId: 'u-tanaka', status: 'installed', installedAt: '2024-04-01T00:00:00.000Z', siteId: 'site-tokyo', branchId: 'br-east' },
  { id: 'cp-osaka-001-erp', clientId: 'pc-osaka-001', productId: 'prd-erp-client', version: '5.2', licenceId: 'lic-erp', userId: 'u-saito', status: 'installed', installedAt: '2024-04-01T00:00:00.000Z', siteId: 'site-osaka', branchId: 'br-west' },
  { id: 'cp-sendai-001-erp', clientId: 'pc-sendai-001', productId: 'prd-erp-client', version: '5.2', licenceId: 'lic-erp', userId: 'u-takahashi', status: 'installed', installedAt: '2024-04-01T00:00:00.000Z', siteId: 'site-sendai', branchId: 'br-east' },
];

const person = (id: string) => demoPeople.find((p) => p.id === id) as Person;

export const demoUserIds: UserId[] = ['u-tanaka', 'u-sato', 'u-yamada', 'u-saito'].map((id) => ({
  id: `core-business:${id.replace(/^u-/, '')}`,
  system: 'core-business' as const,
  loginId: id.replace(/^u-/, ''),
  personId: id,
  personName: person(id).name,
  accessRights: id === 'u-yamada' ? '全業務（参照・更新）' : '販売管理（参照・更新）、在庫照会（参照）',
  status: 'active' as const,
  issuedAt: '2024-04-01T00:00:00.000Z',
  passwordChangedAt: '2026-06-01T00:00:00.000Z',
  siteId: person(id).siteId,
  branchId: person(id).branchId,
}));

/**
 * IDs whose recurring duties show on a fresh calendar (A17-2, A16-5): 加藤's password is overdue,
 * 伊藤's is due within the 14 days of its reminder, and 吉田's development-database ID is suspended
 * until its scheduled deletion date.
 */
export const demoDutyUserIds: UserId[] = [
  { id: 'mail:kato', system: 'mail', loginId: 'kato', personId: 'u-kato', personName: person('u-kato').name, accessRights: 'メール（送受信）', status: 'active', issuedAt: '2025-05-12T00:00:00.000Z', passwordChangedAt: '2026-05-11T00:00:00.000Z', siteId: 'site-tokyo', branchId: 'br-east' },
  { id: 'network:ito', system: 'network', loginId: 'ito', personId: 'u-ito', personName: person('u-ito').name, accessRights: '社内ネットワーク（VPN接続）', status: 'active', issuedAt: '2025-06-04T00:00:00.000Z', passwordChangedAt: '2026-06-04T00:00:00.000Z', siteId: 'site-tokyo', branchId: 'br-east' },
  { id: 'dev-db:yoshida', system: 'dev-db', loginId: 'yoshida', personId: 'u-yoshida', personName: person('u-yoshida').name, accessRights: '研修用スキーマ（参照・更新）', status: 'suspended', issuedAt: '2025-04-01T00:00:00.000Z', passwordChangedAt: '2026-04-01T00:00:00.000Z', suspendedAt: '2026-11-02T01:00:00.000Z', scheduledDeletionOn: '2026-11-30', siteId: 'site-tokyo', branchId: 'br-east' },
];

export const demoPrivilegedIds: PrivilegedId[] = [
  { id: 'core-db:sysdba_yamada', system: 'core-db', loginId: 'sysdba_yamada', personId: 'u-yamada', personName: person('u-yamada').name, privilege: 'SYSDBA', reason: '基幹DBの保守作業', status: 'active', grantedAt: '2024-04-01T00:00:00.000Z' },
  { id: 'core-business:sysadm_matsumoto', system: 'core-business', loginId: 'sysadm_matsumoto', personId: 'u-matsumoto', personName: person('u-matsumoto').name, privilege: 'システム管理者権限', reason: '利用者IDの管理', status: 'active', grantedAt: '2024-04-01T00:00:00.000Z' },
];

/** Every seeded ledger, in the order it is written. */
export const demoLedgers: [string, { id: string }[]][] = [
  ['servers', demoServers],
  ['clients', demoClients],
  ['products', demoProducts],
  ['licences', demoLicences],
  ['server-products', demoServerProducts],
  ['client-products', demoClientProducts],
  ['user-ids', [...demoUserIds, ...demoDutyUserIds]],
  ['privileged-ids', demoPrivilegedIds],
];
