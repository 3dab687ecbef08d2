import * as z from 'zod';
import type { Reservation } from '../domain/approval';
import type { FieldIssue } from '../domain/errors';
import type { FormDefinition, Notice } from '../domain/form-definition';
import type { LicenceRegistration } from '../ledgers/licence-registrations';
import { issue, lookUp, versionedIfStill } from './checks';
import { choice, formData, keySafeId, ledgerPick, optionalLedgerPick, textArea } from './fields';

/** F10's data. */
export const LicenceViolationReportData = formData({
  kind: choice({
    labels: {
      violation: { ja: 'ライセンス違反', en: 'Licence violation' },
      'pc-move': { ja: 'パソコンの移動', en: 'PC moved' },
    },
    label: { ja: '報告の種類', en: 'Report' },
    help: {
      ja: 'ライセンス違反（業務外使用を含む）は使用承認を取り消し（第44条第2項・第45条）、パソコンの移動は使用承認が失効します（第44条・第45条第2項）。',
      en: 'A licence violation (including use outside work) revokes the approval (Art. 44-2, 45); moving the PC makes it lapse (Art. 44, 45-2).',
    },
  }),
  registrationId: ledgerPick({
    source: { ledger: 'licence-registrations', label: 'id', filter: { status: 'active' } },
    id: keySafeId,
    label: { ja: '対象の使用登録', en: 'Registration' },
    help: { ja: 'アプリケーション使用登録台帳の有効な登録から選びます。', en: 'Pick an active registration from the application use registrations.' },
  }),
  description: textArea({
    max: 4000,
    label: { ja: '状況', en: 'What happened' },
    help: {
      ja: 'いつ、誰が、何をしたか（違反の内容、または移動の理由と日付）。4000文字以内。',
      en: 'When, who and what: the violation, or why and when the PC moved (up to 4000 characters).',
    },
  }),
  newClientId: optionalLedgerPick({
    source: { ledger: 'clients', label: 'label' },
    id: keySafeId,
    label: { ja: '移動先のパソコン', en: 'PC moved to' },
    help: {
      ja: 'パソコンの移動の場合に、移動先をクライアント台帳から選びます（第45条第2項）。移動先で使うには、改めて使用登録を申請してください。',
      en: 'For a PC move: where it moved to, from the client ledger (Art. 45-2). To use the application there, apply for a new registration.',
    },
  }),
});

export type LicenceViolationReport = z.infer<typeof LicenceViolationReportData>;

/** Held by a report in review, kept once the registration has ended: a registration ends once. */
export const registrationEndClaim = (registrationId: string) => `licence-registrations#end#${registrationId}`;

const outcomes = {
  violation: { status: 'revoked', did: '取り消しました', became: '取り消されました', en: 'revoked', article: { ja: '第44条第2項', en: 'Art. 44-2' } },
  'pc-move': { status: 'lapsed', did: '失効としました', became: '失効しました', en: 'lapsed', article: { ja: '第44条', en: 'Art. 44' } },
} as const;

/** F10 ライセンス違反・PC移動報告 — システム管理規程 第44条・第45条. */
export const licenceViolationReport: FormDefinition<LicenceViolationReport> = {
  id: 'licence-violation-report',
  code: 'F10',
  version: 1,
  category: 'licences',
  title: { ja: 'ライセンス違反・PC移動報告', en: 'Licence violation or PC move report' },
  description: {
    ja: 'ライセンス違反（業務外使用を含む）やパソコンの移動を、拠点管理者を通じてライセンス管理者に報告します。承認されると、違反の場合は使用登録が取り消され、移動の場合は失効し、ライセンスは返却されます。',
    en: 'Report a licence violation (including use outside work) or a PC move to the licence manager through the site manager. On approval the registration is revoked (violation) or lapses (move), and its licence seat is returned.',
  },
  articles: [
    {
      ref: 'S44',
      text: {
        ja: 'アプリケーションを使用するパソコンが使用承認基準を欠いた場合、承認は自動的に消滅するが、この場合は遅滞なくライセンス管理者に届け出ること。',
        en: 'When the PC no longer meets the approval criteria, the approval ends by itself; report it to the licence manager without delay.',
      },
    },
    {
      ref: 'S44-2',
      text: { ja: '使用禁止事項、（４２条禁止事項）に違反してライセンス違反を起こした場合は直ちに承認を取り消す。', en: 'A licence violation of the prohibitions (Art. 42) revokes the approval at once.' },
    },
    {
      ref: 'S45',
      text: {
        ja: 'プロダクト利用者が業務外使用、及び業務中にライセンス違反を起こした場合は、直ちに拠点管理者はライセンス管理者に報告し、指示に従うこと。',
        en: 'When a user uses a product outside work or violates a licence at work, the site manager reports it to the licence manager at once and follows their instructions.',
      },
    },
    {
      ref: 'S45-2',
      text: {
        ja: 'パソコンの移動に伴なう取得ライセンス数の変更が生じた場合は、速やかにパソコンの移動先を報告しなければならない（パソコン管理規程記載）。',
        en: 'When moving a PC changes the licences held, report where the PC moved to promptly.',
      },
    },
  ],
  route: [
    { role: 'siteManager', rule: 'any' },
    { role: 'licenseManager', rule: 'any' },
  ],
  schema: LicenceViolationReportData,
  rules: [],
  async check(data, { ledgers }) {
    const issues: FieldIssue[] = [];
    const registration = await lookUp(ledgers, 'licence-registrations', data.registrationId);
    if (!registration || registration.status !== 'active') {
      issues.push(issue('registrationId', '「対象の使用登録」がアプリケーション使用登録台帳の有効な登録にありません（既に失効・取消された登録は報告の対象になりません。第44条）。', 'The registration is not an active one in the application use registrations (one that lapsed or was revoked already cannot be reported; Art. 44).'));
    }
    if (data.kind === 'violation') {
      if (data.newClientId) {
        issues.push(issue('newClientId', 'ライセンス違反の報告では「移動先のパソコン」は入力しません（第45条）。', 'A violation report takes no destination PC (Art. 45).'));
      }
      return issues;
    }
    if (!data.newClientId) {
      issues.push(issue('newClientId', 'パソコンの移動を報告するときは「移動先のパソコン」を選んでください（第45条第2項）。', 'A PC move report needs the PC it moved to (Art. 45-2).'));
      return issues;
    }
    const destination = await lookUp(ledgers, 'clients', data.newClientId);
    if (!destination) {
      issues.push(issue('newClientId', '「移動先のパソコン」がクライアント台帳にありません（第45条第2項）。', 'The destination PC is not in the client ledger (Art. 45-2).'));
    } else if (registration && destination.id === registration.clientId) {
      issues.push(issue('newClientId', '「移動先のパソコン」が登録中のパソコンと同じです。移動先を選んでください（第45条第2項）。', 'The destination is the PC already registered; pick where it moved to (Art. 45-2).'));
    }
    return issues;
  },
  async reserve(data): Promise<Reservation[]> {
    return [
      {
        kind: 'claim',
        key: registrationEndClaim(data.registrationId),
        field: 'data.registrationId',
        message: { ja: 'この使用登録には既に報告が提出されています（第44条）。', en: 'A report on this registration has already been filed (Art. 44).' },
      },
    ];
  },
  async onApproved({ requestId, data, approvedAt }, { ledgers }) {
    // Ended meanwhile: its seat has been given back already.
    const found = await versionedIfStill(ledgers, 'licence-registrations', data.registrationId, 'active');
    if (!found) return [];
    const registration = found.item;
    const outcome = outcomes[data.kind];
    const after: LicenceRegistration = { ...registration, status: outcome.status, endedAt: approvedAt, requestId };
    return [
      {
        kind: 'update',
        ledger: 'licence-registrations',
        before: found,
        after,
        summary: {
          ja: `報告 ${requestId} の承認により使用登録を${outcome.did}（${outcome.article.ja}）`,
          en: `Registration ${outcome.en} by the approval of report ${requestId} (${outcome.article.en})`,
        },
      },
      // The seat the registration used is free again.
      { kind: 'seats', licenceId: registration.licenceId, held: 0, used: -1 },
    ];
  },
  /** The registration's user learns that they may no longer use the application on that PC. */
  async notices({ requestId, requester, data }, { ledgers, directory }): Promise<Notice[]> {
    const registration = await lookUp(ledgers, 'licence-registrations', data.registrationId);
    if (!registration || registration.userId === requester.id) return [];
    const user = await directory.person(registration.userId);
    if (!user) return [];
    const outcome = outcomes[data.kind];
    return [
      {
        to: [{ id: user.id, name: user.name }],
        subject: { ja: `アプリケーション使用登録 ${registration.id} が${outcome.became}`, en: `Application use registration ${registration.id} ${outcome.en}` },
        body: {
          ja: `報告 ${requestId} の承認により、パソコン ${registration.clientId} でのアプリケーション ${registration.productId} の使用登録が${outcome.became}（${outcome.article.ja}）。引き続き使用するには、改めて使用登録を申請してください。`,
          en: `By the approval of report ${requestId}, the registration of application ${registration.productId} on PC ${registration.clientId} ${outcome.en} (${outcome.article.en}). To keep using it, apply for a new registration.`,
        },
      },
    ];
  },
};
