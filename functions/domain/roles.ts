import type { Text } from './text';

/** Where a role holds: at one site, one branch, one department, or the whole company. */
export type ScopeKind = 'site' | 'branch' | 'department' | 'company';

export interface RoleInfo {
  label: Text;
  scope: ScopeKind;
}

/** The roles of REQUIREMENTS.md, each with the scope the regulations give it. */
export const roles = {
  employee: { label: { ja: '利用者', en: 'Employee' }, scope: 'company' },
  deptHead: { label: { ja: '部門責任者', en: 'Department head' }, scope: 'department' },
  siteManager: { label: { ja: '拠点管理者', en: 'Site manager' }, scope: 'site' },
  siteResponsible: { label: { ja: '拠点責任者', en: 'Branch responsible' }, scope: 'branch' },
  itInfra: { label: { ja: '情報システム部インフラ担当', en: 'IT infrastructure' }, scope: 'company' },
  ringiApprover: { label: { ja: '管理者（社内稟議）', en: 'Ringi approver' }, scope: 'company' },
  licenseManager: { label: { ja: 'ライセンス管理者', en: 'Licence manager' }, scope: 'company' },
  dba: { label: { ja: 'データベース管理者', en: 'Database administrator' }, scope: 'company' },
  securityManager: { label: { ja: '安全管理責任者', en: 'Security manager' }, scope: 'company' },
  sysAdmin: { label: { ja: 'システム管理者', en: 'System administrator' }, scope: 'company' },
  networkAdmin: { label: { ja: 'ネットワーク管理者', en: 'Network administrator' }, scope: 'company' },
  privacyManager: { label: { ja: '個人情報保護管理者', en: 'Privacy manager' }, scope: 'company' },
  generalAffairs: { label: { ja: '総務部門の責任者', en: 'General affairs head' }, scope: 'company' },
  /** 安全管理責任者が指名したもの (A4(3), A9): reviews a site's L1–L3 logbooks in the security manager's place. */
  logbookReviewer: { label: { ja: '記録簿点検者', en: 'Logbook reviewer' }, scope: 'site' },
} as const satisfies Record<string, RoleInfo>;

export type RoleId = keyof typeof roles;

/**
 * Whom an overdue stage is escalated to: the role above in the regulations' organisation
 * (拠点管理者 → 拠点責任者 → 情報システム部インフラ担当; the specialist roles report to IT
 * infrastructure or the security manager; everyone else to the ringi approver).
 */
export const superiorOf: Partial<Record<RoleId, RoleId>> = {
  siteManager: 'siteResponsible',
  siteResponsible: 'itInfra',
  deptHead: 'ringiApprover',
  itInfra: 'ringiApprover',
  licenseManager: 'itInfra',
  dba: 'itInfra',
  networkAdmin: 'itInfra',
  sysAdmin: 'securityManager',
  securityManager: 'ringiApprover',
  privacyManager: 'securityManager',
  generalAffairs: 'ringiApprover',
  logbookReviewer: 'securityManager',
};

export const roleIds = Object.keys(roles) as RoleId[];

export const isRoleId = (value: string): value is RoleId => Object.hasOwn(roles, value);
