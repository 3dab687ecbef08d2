/**
 * The e-mails of the cases: the occurrence report to those who handle it, the privacy manager's
 * notice (A18-4), and the notices to the affected departments (S10-4, S10-5, S10-6).
 */
import type { Incident, IncidentStatus } from './incidents';
import { incidentKinds, incidentTimeline, phaseLabels } from './incidents';
import { japanTime, render } from './mail-templates';
import type { OutgoingMail } from './ports';

/** SES takes at most 50 recipients per message. */
const MAX_RECIPIENTS = 50;

/** The addresses of one notice, each once, in messages of at most 50 recipients. */
export function caseMailTo(emails: readonly string[]): string[][] {
  const unique = [...new Set(emails.map((email) => email.trim()).filter(Boolean))];
  const batches: string[][] = [];
  for (let start = 0; start < unique.length; start += MAX_RECIPIENTS) batches.push(unique.slice(start, start + MAX_RECIPIENTS));
  return batches;
}

const systemsText = (incident: Incident, lang: 'ja' | 'en') =>
  incident.systems.map((system) => ('id' in system ? (lang === 'ja' ? `${system.name}（${system.id}）` : `${system.name} (${system.id})`) : system.name)).join(lang === 'ja' ? '、' : ', ');

const departmentsText = (incident: Incident, lang: 'ja' | 'en') => incident.affectedDepartments.map((d) => d.name[lang]).join(lang === 'ja' ? '、' : ', ');

/** The facts every incident mail carries, in Japanese. */
function factsJa(incident: Incident): string[] {
  return [
    `障害番号: ${incident.id}`,
    `種類: ${incidentKinds[incident.kind].ja}`,
    `件名: ${incident.title}`,
    `発生日時: ${japanTime(incident.startedAt)}`,
    `発生拠点: ${incident.siteName.ja}`,
    `影響を受けるシステム: ${systemsText(incident, 'ja')}`,
    `影響部署: ${departmentsText(incident, 'ja')}`,
  ];
}

function factsEn(incident: Incident): string {
  return `${incidentKinds[incident.kind].en} ${incident.id} "${incident.title}" began ${japanTime(incident.startedAt)} JST at ${incident.siteName.en}; systems: ${systemsText(incident, 'en')}; departments: ${departmentsText(incident, 'en')}.`;
}

/** Who reported it and what they saw, and where to act on it: the close of the mails to those who handle the report. */
function reportLines(incident: Incident, link: string): (string | { link: string })[] {
  return [
    `報告者: ${incident.reporter.name.ja}（${japanTime(incident.reportedAt)}）`,
    '',
    '状況:',
    ...incident.description.split('\n'),
    '',
    '障害報告の画面（サインインが必要です）:',
    { link },
    '',
    '---',
  ];
}

/** 発生報告: to IT infrastructure (and the system administrator or the site manager), who handle it. */
export function incidentReceivedMail(incident: Incident, to: string[], link: string): OutgoingMail {
  const { text, html } = render([
    '障害対応ご担当の皆様',
    '',
    '次の障害が報告されました。対応をお願いします（システム管理規程 第10条・第20条、安全管理細則 第18条）。',
    '影響部署への発生連絡（第10条第4項）は、障害報告の画面から行ってください。',
    '',
    ...factsJa(incident),
    `個人情報に関するリスク: ${incident.personalInfoRisk ? 'あり（個人情報保護管理者にも連絡済み）' : 'なし'}`,
    ...reportLines(incident, link),
    `Incident reported by ${incident.reporter.name.en}: ${factsEn(incident)} Please handle it and send the notice to the affected departments from the incident page.`,
  ]);
  return { to, subject: `【障害発生報告】${incidentKinds[incident.kind].ja} ${incident.title}（${incident.id}）`, text, html };
}

/** A18-4: a personal-information risk is reported to the privacy manager at once, for their instructions. */
export function privacyRiskMail(incident: Incident, to: string[], link: string): OutgoingMail {
  const { text, html } = render([
    '個人情報保護管理者 様',
    '',
    '個人情報に関するリスクがある障害が報告されました。ご確認のうえ、対応のご指示をお願いします（安全管理細則 第18条第4項）。',
    '',
    ...factsJa(incident),
    `個人情報リスクの内容: ${incident.personalInfoNote ?? '（記載なし）'}`,
    ...reportLines(incident, link),
    `Personal-information risk (A18-4): ${factsEn(incident)} Please review it and give your instructions.`,
  ]);
  return { to, subject: `【個人情報リスク】${incident.title}（${incident.id}）`, text, html };
}

type NoticePhase = Extract<IncidentStatus, 'notified' | 'recovery-notified' | 'timeline-reported'>;

const noticeTags: Record<NoticePhase, { ja: string; en: string; article: string }> = {
  notified: { ja: '障害発生のお知らせ', en: 'Incident notice', article: 'システム管理規程 第10条第4項' },
  'recovery-notified': { ja: '復旧のお知らせ', en: 'Recovery notice', article: 'システム管理規程 第10条第5項' },
  'timeline-reported': { ja: '障害経緯のご報告', en: 'Incident report', article: 'システム管理規程 第10条第6項' },
};

/** The words IT infrastructure added to this phase's notice, if any. */
const messageOf = (incident: Incident, phase: NoticePhase) => [...incident.phases].reverse().find((p) => p.phase === phase)?.message;

/** The notices to the affected departments: of the occurrence (S10-4), the recovery (S10-5) and the course of events (S10-6). */
export function incidentNoticeMail(incident: Incident, phase: NoticePhase, to: string[], link: string): OutgoingMail {
  const tag = noticeTags[phase];
  const message = messageOf(incident, phase);
  const lead =
    phase === 'notified'
      ? '次の障害が発生しています。業務への影響にご注意ください。復旧しましたら改めてお知らせします。'
      : phase === 'recovery-notified'
        ? '次の障害は復旧しました。ご不便をおかけしました。'
        : '次の障害について、発生から対応完了までの経緯をご報告します。';
  const body: (string | { link: string })[] = [
    '影響部署の皆様',
    '',
    `${lead}（${tag.article}）`,
    '',
    ...factsJa(incident),
  ];
  if (phase !== 'notified' && incident.recovery) {
    body.push(`復旧日時: ${japanTime(incident.recovery.recoveredAt)}`, '', '復旧のために行ったこと:', ...incident.recovery.action.split('\n'));
  }
  if (phase === 'timeline-reported' && incident.timeline) {
    body.push('', '概要:', ...incident.timeline.summary.split('\n'), '', '経緯:');
    for (const entry of incidentTimeline(incident)) {
      body.push(`${japanTime(entry.at)}  ${entry.label.ja}${entry.detail ? ` — ${entry.detail}` : ''}${entry.by ? `（${entry.by.name.ja}）` : ''}`);
    }
  }
  if (message) body.push('', '情報システム部インフラ担当より:', ...message.split('\n'));
  body.push(
    '',
    phase === 'timeline-reported' ? '経緯報告（印刷できます。サインインが必要です）:' : '障害報告の画面（サインインが必要です）:',
    { link },
    '',
    '---',
    phase === 'notified'
      ? `${tag.en}: ${factsEn(incident)} You will be told when it is resolved.`
      : phase === 'recovery-notified'
        ? `${tag.en}: the incident ${incident.id} "${incident.title}" was resolved${incident.recovery ? ` at ${japanTime(incident.recovery.recoveredAt)} JST` : ''}.`
        : `${tag.en}: the course of incident ${incident.id} "${incident.title}" from occurrence to completion (${phaseLabels['timeline-reported'].en}).`,
  );
  const { text, html } = render(body);
  return { to, subject: `【${tag.ja}】${incident.title}（${incident.id}）`, text, html };
}
