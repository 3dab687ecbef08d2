import * as z from 'zod';
import type { Reservation } from '../domain/approval';
import type { FieldIssue } from '../domain/errors';
import type { FormContext, FormDefinition } from '../domain/form-definition';
import type { Person } from '../domain/organisation';
import type { Text } from '../domain/text';
import type { SystemId, UserId } from '../ledgers/user-ids';
import { systems } from '../ledgers/user-ids';
import { issue, lookUp, stateItems } from './checks';
import { choice, fieldMeta, formData, keySafeId, textArea } from './fields';

/**
 * Words that name a group or nobody rather than one person (A16-2: 「guest」など不特定多数が利用する ID).
 * `sa` is the classic shared database administrator login.
 */
export const forbiddenLoginWords = [
  'guest',
  'test',
  'admin',
  'administrator',
  'shared',
  'common',
  'user',
  'temp',
  'tmp',
  'anonymous',
  'anon',
  'nobody',
  'everyone',
  'demo',
  'root',
  'sa',
] as const;

const forbidden = new Set<string>(forbiddenLoginWords);

/** Whether a run of letters is nothing but forbidden words (`testuser`, `guestadmin`), plural or not. */
function madeOfForbiddenWords(letters: string): boolean {
  return composed(letters) || (letters.endsWith('s') && composed(letters.slice(0, -1)));
}

function composed(letters: string): boolean {
  if (letters === '') return false;
  const reachable = [true, ...Array<boolean>(letters.length).fill(false)];
  for (let end = 1; end <= letters.length; end++) {
    for (let start = 0; start < end && !reachable[end]; start++) {
      reachable[end] = reachable[start] && forbidden.has(letters.slice(start, end));
    }
  }
  return reachable[letters.length];
}

/**
 * Whether a login id is a shared or anonymous one (A16-2): a forbidden word on its own, or with
 * digits or separators around it (`guest01`, `test_user`, `shared-sales`), in any case.
 */
export function isSharedOrAnonymousLogin(loginId: string): boolean {
  return loginId
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean)
    .some(madeOfForbiddenWords);
}

/** The field error for a shared or anonymous login id (A16-2). */
export const sharedLoginIssue: FieldIssue = issue(
  'loginId',
  '「guest」「test」「admin」など不特定多数が利用するID（共用・匿名ID）は使えません。利用者本人を識別できるIDにしてください（安全管理細則 第16条第2項）。',
  'Shared or anonymous IDs such as "guest", "test" or "admin" may not be used; choose an ID that identifies one person (Security Rules Art. 16-2).',
);

/** A person id as the directory knows it (it goes into claim keys, so no spaces and no `#`). */
export const personIdField = (help: Text) => keySafeId.meta(fieldMeta('text', { label: { ja: '利用者（社員ID）', en: 'Person (employee ID)' }, help }));

export const systemField = (help: Text) => choice({ labels: systems, label: { ja: 'システム', en: 'System' }, help });

/** A login id: stored in lower case, so that `Tanaka` and `tanaka` are the same name. */
export const loginIdField = (label: Text, help: Text) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .min(3)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
    .meta(fieldMeta('text', { label, help }));

/** The directory's person, or the field error that says they are unknown. */
export async function personOrIssue(personId: string, { directory }: Pick<FormContext, 'directory'>, article: Text): Promise<Person | FieldIssue> {
  const person = await directory.person(personId);
  return person ?? issue('personId', `「利用者（社員ID）」が組織の名簿にありません。社員IDを確認してください（${article.ja}）。`, `The person is not in the organisation directory; check the employee ID (${article.en}).`);
}

const A16_3: Text = { ja: '安全管理細則 第16条第3項', en: 'Security Rules Art. 16-3' };

/** Claim keys of one person one ID per system and one login per system (A16-3); the seed uses the same. */
export const userIdPersonClaim = (system: string, personId: string) => `user-ids#${system}#person#${personId}`;
export const userIdLoginClaim = (system: string, loginId: string) => `user-ids#${system}#login#${loginId.toLowerCase()}`;

/** A user-ids ledger entry's id: one login per system, so the login names it. */
export const userIdEntryId = (system: string, loginId: string) => `${system}:${loginId}`;

/** F12's data. */
export const UserIdIssueRequestData = formData({
  personId: personIdField({
    ja: 'IDを使う本人の社員ID（例: u-tanaka）。申請者と同じ部門の人に限ります。',
    en: 'The employee ID of the person who will use the ID (e.g. u-tanaka), of your own department.',
  }),
  system: systemField({ ja: 'IDを発行するサーバ・クラウドシステム。', en: 'The server or cloud system the ID is for.' }),
  loginId: loginIdField(
    { ja: 'ユーザID', en: 'Login ID' },
    {
      ja: '3〜64文字の英数字と「. _ -」。本人を識別できるID（例: tanaka.taro）にします。guest・test・admin など共用・匿名のIDは発行できません（第16条第2項）。',
      en: '3–64 letters, digits and ". _ -", identifying the person (e.g. tanaka.taro). Shared or anonymous IDs such as guest, test or admin are not issued (Art. 16-2).',
    },
  ),
  accessRights: textArea({
    max: 2000,
    label: { ja: 'アクセス権限', en: 'Access rights' },
    help: {
      ja: 'このIDに設定する権限（業務・画面・参照/更新など）を具体的に。アクセスできる範囲は必要最小限にします（第16条・第16条第4項）。',
      en: 'The rights this ID gets (functions, screens, read/update …). Keep them to the minimum (Art. 16, 16-4).',
    },
  }),
  reason: textArea({
    max: 2000,
    label: { ja: '申請理由', en: 'Reason' },
    help: { ja: 'IDが業務上必要な理由（2000文字以内）。', en: 'Why the work needs this ID (up to 2000 characters).' },
  }),
});

export type UserIdIssueRequest = z.infer<typeof UserIdIssueRequestData>;

const systemName = (system: SystemId) => systems[system];

/** F12 ユーザID発行申請 — 安全管理細則 第16条. */
export const userIdIssueRequest: FormDefinition<UserIdIssueRequest> = {
  id: 'user-id-issue-request',
  code: 'F12',
  version: 1,
  category: 'ids',
  title: { ja: 'ユーザID発行申請', en: 'User ID issue request' },
  description: {
    ja: 'サーバ・クラウドシステムのユーザIDの発行を申請します。部門責任者が要請し、ネットワーク管理者が発行します。1ユーザ1IDで、共用・匿名のIDは発行しません。',
    en: 'Request a user ID for a server or cloud system. The department head requests it and the network administrator issues it. One person, one ID; no shared or anonymous IDs.',
  },
  articles: [
    {
      ref: 'A16',
      text: {
        ja: 'ネットワークを利用してサーバ・クラウドシステムにアクセスできるユーザIDは、必要最小限にする。また、アクセスできるユーザがアクセスできる範囲も必要最小限にする。',
        en: 'User IDs that can reach servers and cloud systems over the network are kept to the minimum, and so is what each user can reach.',
      },
    },
    {
      ref: 'A16-2',
      text: { ja: 'サーバ・クラウドシステムには「guest」など不特定多数が利用するIDを使用しない。', en: 'No IDs used by many unspecified people, such as "guest", on servers and cloud systems.' },
    },
    {
      ref: 'A16-3',
      text: {
        ja: '新規ユーザIDの作成は、要求部門の責任者がネットワーク管理者に要請することにより発行する。また、原則として1ユーザ1IDとする。',
        en: 'A new user ID is issued by the network administrator at the request of the requesting department\'s head; as a rule, one person one ID.',
      },
    },
    { ref: 'A16-4', text: { ja: 'ユーザIDのアクセス権は、ユーザごとに設定し登録する。', en: 'Access rights are set and registered per user ID.' } },
  ],
  route: [
    { role: 'deptHead', rule: 'any' },
    { role: 'networkAdmin', rule: 'any' },
  ],
  schema: UserIdIssueRequestData,
  rules: [],
  async check(data, context) {
    const issues: FieldIssue[] = [];
    const person = await personOrIssue(data.personId, context, A16_3);
    if ('path' in person) issues.push(person);
    // The ID is for someone of the requester's own department, whose head requests it (A16-3).
    else if (context.requester && person.departmentId !== context.requester.departmentId) {
      issues.push(issue('personId', `ユーザIDの発行は、利用者の所属部門から申請してください。要求部門の責任者が要請します（${A16_3.ja}）。`, `Request a user ID from the person's own department, whose head requests it (${A16_3.en}).`));
    }
    if (isSharedOrAnonymousLogin(data.loginId)) issues.push(sharedLoginIssue);

    const system = systemName(data.system);
    // The claims refuse a second ID at submission; the ledger is read too so that the message is the
    // right one, and because a deleted ID keeps its login (an entry's id is made of it).
    if (await lookUp(context.ledgers, 'user-ids', userIdEntryId(data.system, data.loginId))) {
      issues.push(issue('loginId', `このユーザIDは${system.ja}で既に使われています（削除されたIDも再利用しません）。別のIDにしてください（${A16_3.ja}）。`, `This login is already used on ${system.en} (deleted IDs are not reused); choose another (${A16_3.en}).`));
    }
    // One message per field: a person who may not be requested for needs no word about their IDs.
    if (!issues.some((found) => found.path === 'data.personId') && (await hasLiveId(context, data.personId, data.system))) {
      issues.push(issue('personId', `この利用者は${system.ja}のユーザIDを既に持っています。原則として1ユーザ1IDです（${A16_3.ja}）。`, `This person already has a user ID on ${system.en}; one person, one ID (${A16_3.en}).`));
    }
    return issues;
  },
  /** The claims make one person one ID and one login per system hold even for concurrent requests (A16-3). */
  async reserve(data): Promise<Reservation[]> {
    const system = systemName(data.system);
    return [
      {
        kind: 'claim',
        key: userIdPersonClaim(data.system, data.personId),
        field: 'data.personId',
        message: {
          ja: `この利用者には${system.ja}のユーザIDが既にあるか、発行申請が審査中です。原則として1ユーザ1IDです（${A16_3.ja}）。`,
          en: `This person already has, or has a request in review for, a user ID on ${system.en}; one person, one ID (${A16_3.en}).`,
        },
      },
      {
        kind: 'claim',
        key: userIdLoginClaim(data.system, data.loginId),
        field: 'data.loginId',
        message: {
          ja: `このユーザIDは${system.ja}で既に使われているか、申請中です。別のIDにしてください（${A16_3.ja}）。`,
          en: `This login is already used, or requested, on ${system.en}; choose another (${A16_3.en}).`,
        },
      },
    ];
  },
  async onApproved({ requestId, requester, data, approvedAt }, { directory }) {
    // The person was checked at submission; should they have left the directory since, the ID still
    // records who it was for, placed where the requester is (the same department, so the same place).
    const person = await directory.person(data.personId);
    const entry: UserId = {
      id: userIdEntryId(data.system, data.loginId),
      system: data.system,
      loginId: data.loginId,
      personId: data.personId,
      personName: person?.name ?? { ja: data.personId, en: data.personId },
      accessRights: data.accessRights,
      status: 'active',
      issuedAt: approvedAt,
      // The six-month password cycle (A17-2) starts when the ID is issued.
      passwordChangedAt: approvedAt,
      siteId: person?.siteId ?? requester.siteId,
      branchId: person?.branchId ?? requester.branchId,
      requestId,
    };
    return [
      {
        kind: 'create',
        ledger: 'user-ids',
        item: entry,
        summary: { ja: `申請 ${requestId} の承認によりユーザIDを発行しました`, en: `User ID issued by the approval of request ${requestId}` },
      },
    ];
  },
};

/** Whether the person holds an ID on the system that is not deleted (active or suspended). */
async function hasLiveId({ ledgers }: Pick<FormContext, 'ledgers'>, personId: string, system: SystemId): Promise<boolean> {
  for await (const item of stateItems(ledgers, 'user-ids', `person#${personId}`)) if (item.system === system && item.status !== 'deleted') return true;
  return false;
}
