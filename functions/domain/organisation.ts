import type { RoleId, ScopeKind } from './roles';
import { roles } from './roles';
import type { Text } from './text';

export interface Place {
  id: string;
  name: Text;
}

export interface Site extends Place {
  branchId: string;
}

export interface RoleAssignment {
  role: RoleId;
  scope: { kind: ScopeKind; id: string };
}

export interface Person {
  id: string;
  name: Text;
  email: string;
  siteId: string;
  branchId: string;
  departmentId: string;
  roles: RoleAssignment[];
}

/** A person as other records refer to them: enough to show who, without their whole profile. */
export interface PersonRef {
  id: string;
  name: Text;
  /** 代理: set when this person decides for an absent approver. */
  onBehalfOf?: { id: string; name: Text };
}

/** 代理承認: while away, an approver's new tasks go to their delegate. Dates are Japan dates, inclusive. */
export interface Absence {
  personId: string;
  from: string;
  to: string;
  delegate: { id: string; name: Text };
}

export const refOf = (person: Pick<Person, 'id' | 'name'>): PersonRef => ({ id: person.id, name: person.name });

/** The scope id a role is looked up in for a given requester (their site, branch, department, or the company). */
export function scopeIdFor(role: RoleId, person: Pick<Person, 'siteId' | 'branchId' | 'departmentId'>): string {
  switch (roles[role].scope) {
    case 'site':
      return person.siteId;
    case 'branch':
      return person.branchId;
    case 'department':
      return person.departmentId;
    case 'company':
      return '*';
  }
}

export const hasRole = (person: Pick<Person, 'roles'>, role: RoleId): boolean =>
  person.roles.some((assignment) => assignment.role === role);

/** The organisation directory as the domain needs it; the adapter answers from DynamoDB by index. */
export interface Directory {
  person(id: string): Promise<Person | null>;
  /** People holding the role in exactly this scope. */
  holders(role: RoleId, scopeId: string): Promise<PersonRef[]>;
  /** The person's absence covering this Japan date, if any. */
  absenceOn?(personId: string, date: string): Promise<Absence | null>;
  /** The absences covering this Japan date of any of these people, by person id (one read for all). */
  absencesOn?(personIds: readonly string[], date: string): Promise<ReadonlyMap<string, Absence>>;
}
