/**
 * Cases with phases (REQUIREMENTS.md "Cases with phases"): C1 障害報告 (incidents.ts) and C2 ノートPC・
 * 可搬媒体持ち出し (media-checkouts.ts). What both share lives here: the store port, case ids, the
 * articles each case shows, and how their inputs are checked.
 */
import type { z } from 'zod';
import type { AuditEvent } from './audit';
import type { Duty } from './duties';
import { validationFailed } from './errors';
import type { Incident } from './incidents';
import type { Page, PageRequest } from './ledgers';
import type { MediaCheckout } from './media-checkouts';
import type { Place, PersonRef } from './organisation';
import type { Ids } from './ports';
import type { Text } from './text';
import { describeIssue } from './validation';
import type { RecordChange } from './versioned';

export type CaseKind = 'incident' | 'media-checkout';

/** A member of a department, as the notices of an incident need them. */
export interface DepartmentMember extends PersonRef {
  departmentId: string;
}

/**
 * Incidents and media checkouts, each a versioned record with its own audit chain, and the parts of
 * the organisation the case pages offer (sites, departments and who works in them).
 */
export interface CaseStore {
  incident(id: string): Promise<Incident | null>;
  /** Writes the incident and its audit events; StaleWriteError when its version moved on (or it exists, for a creation). */
  commitIncident(change: RecordChange<Incident>): Promise<void>;
  /** Incidents a person reported, newest first. */
  incidentsReportedBy(personId: string, page: PageRequest): Promise<Page<Incident>>;
  /** Every incident, newest first. */
  incidents(page: PageRequest): Promise<Page<Incident>>;

  checkout(id: string): Promise<MediaCheckout | null>;
  /** Writes the checkout, its audit events and the duty changes in one transaction (all or nothing). */
  commitCheckout(change: RecordChange<MediaCheckout>, duties: readonly RecordChange<Duty>[]): Promise<void>;
  /** A borrower's checkouts, newest first. */
  checkoutsOf(personId: string, page: PageRequest): Promise<Page<MediaCheckout>>;
  /** Every checkout, newest first. */
  checkouts(page: PageRequest): Promise<Page<MediaCheckout>>;
  /** Checkouts not yet returned, the earliest expected return first (so the overdue ones lead). */
  outstandingCheckouts(page: PageRequest): Promise<Page<MediaCheckout>>;

  /** The audit chain of a case (`incident#<id>`, `media-checkout#<id>`), oldest first. */
  history(record: string): Promise<AuditEvent[]>;
  /** Sites or departments of the organisation, by id. */
  places(kind: 'site' | 'department'): Promise<Place[]>;
  /** Everyone who works in one of these departments. */
  departmentMembers(departmentIds: readonly string[]): Promise<DepartmentMember[]>;
}

/** The audit chain of a case. */
export const caseRecord = (kind: CaseKind, id: string) => `${kind}#${id}`;

const prefixes: Record<CaseKind, string> = { incident: 'INC', 'media-checkout': 'MC' };

/**
 * A case id like INC-20261125-7KQ2MX: the request id generator's date and random part under the
 * case's own prefix, so ids read the same way everywhere and never collide with requests.
 */
export const caseIdOf = (ids: Ids, kind: CaseKind, now: Date) => ids.requestId(now).replace(/^[A-Z]+-/, `${prefixes[kind]}-`);

/** Ids of cases as the routes accept them (anything else is simply not found). */
export const isCaseId = (kind: CaseKind, id: string) => new RegExp(`^${prefixes[kind]}-\\d{8}-[0-9A-Z]{6}$`).test(id);

export interface CaseArticle {
  ref: string;
  text: Text;
}

/** What each case is and the articles it implements, shown on every case page and form. */
export interface CaseDefinition {
  kind: CaseKind;
  code: 'C1' | 'C2';
  title: Text;
  description: Text;
  articles: CaseArticle[];
}

export const caseDefinitions: Record<CaseKind, CaseDefinition> = {
  incident: {
    kind: 'incident',
    code: 'C1',
    title: { ja: '障害報告', en: 'Incident report' },
    description: {
      ja: 'サーバ・クライアント・ネットワークの障害を報告します。情報システム部インフラ担当が影響部署への発生連絡、復旧連絡、経緯報告、原因と再発防止策までを記録します。',
      en: 'Report a server, client or network incident. IT infrastructure records the notice to the affected departments, the recovery notice, the timeline report, and the cause and prevention.',
    },
    articles: [
      { ref: 'S10-1', text: { ja: 'サーバの障害対応は、情報システム部インフラ担当が中心になって行なう。', en: 'Server incidents are handled by IT infrastructure.' } },
      { ref: 'S10-4', text: { ja: '障害が発生した場合、影響部署へ障害発生の連絡をしなければならない。', en: 'When an incident occurs, the affected departments must be told.' } },
      { ref: 'S10-5', text: { ja: '障害対応が完了した時、影響部署へ速やかに復旧の連絡をしなければならない。', en: 'When it is resolved, the affected departments must be told of the recovery at once.' } },
      { ref: 'S10-6', text: { ja: '障害発生から障害対応が完了するまでの一連の経緯を、影響部署へ報告または説明しなければならない。', en: 'The affected departments must receive an account of everything from occurrence to completion.' } },
      { ref: 'S20', text: { ja: 'クライアントの障害対応は、情報システム部インフラ担当が中心になって各拠点管理者と連携をとって実施する。', en: 'Client incidents are handled by IT infrastructure together with the site managers.' } },
      {
        ref: 'A18-1',
        text: {
          ja: 'システム管理者は、ネットワークシステム及びサーバに異常が発生した（可能性がある）との報告を受けた場合、関係者と協議して速やかに必要な対策を講じる。',
          en: 'The system administrator, told of a (possible) failure of the network or a server, agrees the measures with those concerned and takes them at once.',
        },
      },
      { ref: 'A18-4', text: { ja: '個人情報に関するリスクが発生した場合には、個人情報保護管理者に連絡しその指示に従う。', en: 'A personal-information risk is reported to the privacy manager, whose instructions are followed.' } },
      { ref: 'A18-6', text: { ja: 'リスク発生の原因を調査分析し、再発防止策を講じる。', en: 'The cause is investigated and measures against recurrence are taken.' } },
    ],
  },
  'media-checkout': {
    kind: 'media-checkout',
    code: 'C2',
    title: { ja: 'ノートPC・可搬媒体持ち出し記録', en: 'Laptop and portable media checkout' },
    description: {
      ja: '総務で施錠管理しているノートPC・USBメモリ等を持ち出すときに記録します。返却は総務が記録し、返却予定日を過ぎると督促されます。',
      en: 'Record taking out a laptop or portable medium kept locked by general affairs. General affairs records the return; a late return is reminded.',
    },
    articles: [
      {
        ref: 'A11(5)',
        text: {
          ja: 'ノートPCやUSBメモリ等の可搬媒体は、総務で施錠された書庫にて管理し、持ち出し時には「ノートPC、可搬媒体持ち出し記録」により記録をとる。',
          en: 'Laptops and portable media such as USB sticks are kept in a locked cabinet by general affairs; taking one out is recorded in the laptop and portable media checkout record.',
        },
      },
    ],
  },
};

/**
 * Checks an input against a case's schema and answers 400 with every field's problem, named by the
 * case's labels, in Japanese and English.
 */
export function parseCaseInput<T>(schema: z.ZodType<T>, labels: Record<string, Text>, input: unknown): T {
  const result = schema.safeParse(input ?? {}, { reportInput: true });
  if (!result.success) throw validationFailed(result.error.issues.map((issue) => describeIssue(issue, labels, '')));
  return result.data;
}
