import type { ServerItem } from '../../functions/domain/ledgers';
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
];

const branchOf = (siteId: string) => sites.find((site) => site.id === siteId)?.branchId ?? 'br-east';

export const demoPeople: Person[] = people.map((person) => ({
  ...person,
  branchId: branchOf(person.siteId),
  email: person.email ?? `${person.id.replace(/^u-/, '')}@example.co.jp`,
}));

/** The four servers of S2 (システム管理規程 第2条). */
export const demoServers: ServerItem[] = [
  { id: 'srv-core-db', name: { ja: '基幹DBサーバ', en: 'Core database server' }, kind: 'db', hostname: 'core-db01', os: 'Oracle Linux 9', siteId: 'site-tokyo', owner: 'u-yamada' },
  { id: 'srv-core-db-backup', name: { ja: '基幹DBバックアップサーバ', en: 'Core database backup server' }, kind: 'db-backup', hostname: 'core-db02', os: 'Oracle Linux 9', siteId: 'site-tokyo', owner: 'u-yamada' },
  { id: 'srv-app', name: { ja: 'アプリケーションサーバ', en: 'Application server' }, kind: 'app', hostname: 'core-ap01', os: 'Red Hat Enterprise Linux 9', siteId: 'site-tokyo', owner: 'u-ito' },
  { id: 'srv-dev-db', name: { ja: '開発・研修用DBサーバ', en: 'Development and training database server' }, kind: 'db-dev', hostname: 'dev-db01', os: 'Oracle Linux 9', siteId: 'site-tokyo', owner: 'u-ito' },
];
