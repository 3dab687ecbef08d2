/** What the organisation administration API answers (docs/api.md, 組織管理). */
import type { Bilingual } from '../../i18n';
import type { Article, Issue } from '../../types';

export type PlaceKind = 'branch' | 'site' | 'department';
export type ScopeKind = 'site' | 'branch' | 'department' | 'company';

export interface RoleAssignment {
  role: string;
  scope: { kind: ScopeKind; id: string };
  label?: Bilingual;
}

export interface AdminPerson {
  id: string;
  name: Bilingual;
  email: string;
  siteId: string;
  branchId: string;
  departmentId: string;
  roles: RoleAssignment[];
  version: number;
}

export interface AdminPlace {
  kind: PlaceKind;
  id: string;
  name: Bilingual;
  branchId?: string;
  version: number;
}

export interface RoleInfo {
  id: string;
  label: Bilingual;
  scope: ScopeKind;
}

export interface Organisation {
  articles: Article[];
  roles: RoleInfo[];
  people: AdminPerson[];
  branches: AdminPlace[];
  sites: AdminPlace[];
  departments: AdminPlace[];
}

export interface Reassignment {
  requestId: string;
  formCode: string;
  formTitle: Bilingual;
  stage: number;
  stageLabel: Bilingual;
  from: { id: string; name: Bilingual }[];
  to: { id: string; name: Bilingual }[];
  completed: boolean;
  note: Bilingual;
}

export interface SavePersonAnswer {
  person: AdminPerson;
  applied: boolean;
  unchanged: boolean;
  rerouted: Reassignment[];
  warnings: Bilingual[];
}

export interface HistoryEvent {
  seq: number;
  at: string;
  actor: { id: string; name: Bilingual } | null;
  action: string;
  summary: Bilingual;
}

export interface ImportRow {
  row: number;
  id: string | null;
  outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
  issues: Issue[];
}

export interface ImportAnswer {
  imported: number;
  rejected: number;
  unchanged: number;
  applied: boolean;
  rows: ImportRow[];
  rerouted: Reassignment[];
  warnings: Bilingual[];
}
