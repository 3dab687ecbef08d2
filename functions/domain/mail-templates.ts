import type { ApprovalRequest, Stage } from './approval';
import type { Article, Notice } from './form-definition';
import type { PersonRef } from './organisation';
import type { OutgoingMail } from './ports';
import type { Text } from './text';

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const JAPAN_MINUTE = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** Japan time, as approvers read it: 2026/12/02 13:05. */
export function japanTime(iso: string): string {
  const parts = JAPAN_MINUTE.formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}/${get('month')}/${get('day')} ${get('hour')}:${get('minute')}`;
}

/** Plain text and HTML of the same lines; a `{link}` line becomes a link. */
export function render(lines: (string | { link: string })[]): { text: string; html: string } {
  const text = lines.map((line) => (typeof line === 'string' ? line : line.link)).join('\n');
  const body = lines
    .map((line) => (typeof line === 'string' ? (line === '' ? '<br>' : `<div>${escapeHtml(line)}</div>`) : `<div><a href="${escapeHtml(line.link)}">${escapeHtml(line.link)}</a></div>`))
    .join('\n');
  const html = `<!doctype html><html lang="ja"><head><meta charset="utf-8"></head><body style="font-family: sans-serif; line-height: 1.6">${body}</body></html>`;
  return { text, html };
}

const articleRefs = (articles: readonly Article[]) => articles.map((a) => a.ref).join(', ');

export interface ApprovalMailInput {
  request: ApprovalRequest;
  stage: Stage;
  /** The task's approver; `onBehalfOf` is set when the task went to them as a delegate (代理承認). */
  approver: PersonRef & { email: string };
  link: string;
  expiresAt: string;
  articles: readonly Article[];
}

/** The e-mail that asks an approver to decide, with their single-use link. */
export function approvalRequestMail({ request, stage, approver, link, expiresAt, articles }: ApprovalMailInput): OutgoingMail {
  const total = request.stages.length;
  // 代理承認: the task came to a delegate; the mail says whose place they take.
  const delegateFor = approver.onBehalfOf;
  const subject = `【承認依頼】${request.formCode} ${request.formTitle.ja}（${request.requester.name.ja}）${request.id}`;
  const { text, html } = render([
    `${approver.name.ja} 様`,
    '',
    '次の申請の承認をお願いします。',
    ...(delegateFor ? [`${delegateFor.name.ja}さんが不在のため、${delegateFor.name.ja}さんの代理として判断してください（代理承認）。`] : []),
    '',
    `申請番号: ${request.id}`,
    `申請書: ${request.formCode} ${request.formTitle.ja}`,
    `申請者: ${request.requester.name.ja}`,
    `承認段階: ${stage.label.ja}（${stage.index + 1}/${total}）${delegateFor ? `　${delegateFor.name.ja}さんの代理` : ''}`,
    `根拠条文: ${articleRefs(articles)}`,
    '',
    '内容を確認し、承認・却下・差し戻しを選んでください:',
    { link },
    '',
    `このリンクはあなた専用で、${japanTime(expiresAt)} まで一度だけ使えます。リンクを開いただけでは何も決定されません。`,
    '',
    '---',
    `Approval requested: ${request.formCode} ${request.formTitle.en} by ${request.requester.name.en} (${stage.label.en}, stage ${stage.index + 1} of ${total}).`,
    ...(delegateFor ? [`You decide as the delegate of ${delegateFor.name.en}, who is away.`] : []),
    `Open the link to review and decide. It is yours alone, single-use, and valid until ${japanTime(expiresAt)} JST. Opening it decides nothing.`,
  ]);
  return { to: [approver.email], subject, text, html };
}

const outcomeWords = {
  approved: { ja: '承認完了', en: 'approved', body: '申請が最終承認されました。', bodyEn: 'Your request was approved.' },
  rejected: { ja: '却下', en: 'rejected', body: '申請は却下されました。', bodyEn: 'Your request was rejected.' },
  sent_back: {
    ja: '差し戻し',
    en: 'sent back',
    body: '申請が差し戻されました。内容を修正して再申請するか、引戻してください。',
    bodyEn: 'Your request was sent back. Edit and resubmit it, or withdraw it.',
  },
} as const;

/** The e-mail that tells the requester how their request ended (or that it came back to them). */
export function outcomeMail(request: ApprovalRequest, outcome: keyof typeof outcomeWords, email: string, link: string): OutgoingMail {
  const words = outcomeWords[outcome];
  const stage = request.stages[request.currentStage];
  const decision = stage?.decision;
  const subject = `【${words.ja}】${request.formCode} ${request.formTitle.ja} ${request.id}`;
  const { text, html } = render([
    `${request.requester.name.ja} 様`,
    '',
    words.body,
    '',
    `申請番号: ${request.id}`,
    `申請書: ${request.formCode} ${request.formTitle.ja}`,
    ...(decision ? [`判断: ${decision.by.name.ja}（${stage.label.ja}）`, ...(decision.comment ? [`コメント: ${decision.comment}`] : [])] : []),
    '',
    '申請の内容と経緯:',
    { link },
    '',
    '---',
    `${words.bodyEn} (${request.formCode} ${request.formTitle.en}, ${request.id})`,
  ]);
  return { to: [email], subject, text, html };
}

/** A notice to people outside the route (e.g. the advance notice of a configuration change, S8-2). */
export function noticeMail(request: ApprovalRequest, notice: Notice, to: string[]): OutgoingMail {
  const { text, html } = render([
    ...notice.body.ja.split('\n'),
    '',
    `申請番号: ${request.id}（${request.formCode} ${request.formTitle.ja}、申請者: ${request.requester.name.ja}）`,
    '',
    '---',
    ...notice.body.en.split('\n'),
  ]);
  return { to, subject: `【お知らせ】${notice.subject.ja} / ${notice.subject.en}`, text, html };
}

/** 督促: the approver is reminded of a task that has waited, with a link to it in their inbox. */
export function reminderMail(request: ApprovalRequest, stage: Stage, approver: PersonRef & { email: string }, taskUrl: string, count: number, waitedWorkingDays: number): OutgoingMail {
  const subject = `【督促】${request.formCode} ${request.formTitle.ja}（${request.requester.name.ja}）${request.id}`;
  const { text, html } = render([
    `${approver.name.ja} 様`,
    '',
    `次の申請が ${waitedWorkingDays} 営業日、あなたの承認を待っています（${count}回目のお知らせ）。`,
    '',
    `申請番号: ${request.id}`,
    `申請書: ${request.formCode} ${request.formTitle.ja}`,
    `申請者: ${request.requester.name.ja}`,
    `承認段階: ${stage.label.ja}`,
    '',
    '承認待ちの画面（サインインが必要です）:',
    { link: taskUrl },
    '',
    '---',
    `Reminder: ${request.formCode} ${request.formTitle.en} by ${request.requester.name.en} has waited ${waitedWorkingDays} working days for your decision (${stage.label.en}).`,
  ]);
  return { to: [approver.email], subject, text, html };
}

/** 回覧: a read-only notice of an approved request. */
export function circulationMail(request: ApprovalRequest, to: PersonRef & { email: string }, link: string): OutgoingMail {
  const { text, html } = render([
    `${to.name.ja} 様`,
    '',
    '次の申請が承認されましたので回覧します（閲覧のみ）。内容を確認したら「確認しました」を押してください。',
    '',
    `申請番号: ${request.id}`,
    `申請書: ${request.formCode} ${request.formTitle.ja}`,
    `申請者: ${request.requester.name.ja}`,
    '',
    { link },
    '',
    '---',
    `For your information: ${request.formCode} ${request.formTitle.en} by ${request.requester.name.en} was approved. Open it and mark it read.`,
  ]);
  return { to: [to.email], subject: `【回覧】${request.formCode} ${request.formTitle.ja} ${request.id}`, text, html };
}

/**
 * A change of the organisation took an open task away from its approver: the link they were sent no
 * longer works, and the mail says who decides instead.
 */
export function reassignmentMail(request: ApprovalRequest, stage: Stage, to: PersonRef & { email: string }, successors: readonly PersonRef[], link: string): OutgoingMail {
  const { text, html } = render([
    `${to.name.ja} 様`,
    '',
    '組織の変更（役割の割当ての変更）により、次の申請の承認はあなたの担当ではなくなりました。お送りした承認用リンクは使えません。',
    '',
    `申請番号: ${request.id}`,
    `申請書: ${request.formCode} ${request.formTitle.ja}`,
    `申請者: ${request.requester.name.ja}`,
    `承認段階: ${stage.label.ja}`,
    successors.length > 0 ? `新しい担当: ${successors.map((p) => p.name.ja).join('、')}` : '新しい担当: なし（残りの承認者が判断します）',
    '',
    '申請の内容と経緯:',
    { link },
    '',
    '---',
    `After a change of the organisation, ${request.formCode} ${request.formTitle.en} (${request.id}, ${stage.label.en}) is no longer yours to decide; the link you were sent no longer works.` +
      (successors.length > 0 ? ` Now with: ${successors.map((p) => p.name.en).join(', ')}.` : ''),
  ]);
  return { to: [to.email], subject: `【担当変更】${request.formCode} ${request.formTitle.ja} ${request.id}`, text, html };
}

/** Tells a person that an administrator changed the roles they hold. */
export function roleChangeMail(to: PersonRef & { email: string }, added: readonly Text[], removed: readonly Text[], by: PersonRef, link: string): OutgoingMail {
  const { text, html } = render([
    `${to.name.ja} 様`,
    '',
    `${by.name.ja} があなたの役割を変更しました。`,
    '',
    ...(added.length > 0 ? [`追加された役割: ${added.map((r) => r.ja).join('、')}`] : []),
    ...(removed.length > 0 ? [`外れた役割: ${removed.map((r) => r.ja).join('、')}`] : []),
    '',
    '承認待ちの一覧:',
    { link },
    '',
    '---',
    `${by.name.en} changed your roles.` +
      (added.length > 0 ? ` Added: ${added.map((r) => r.en).join(', ')}.` : '') +
      (removed.length > 0 ? ` Removed: ${removed.map((r) => r.en).join(', ')}.` : ''),
  ]);
  return { to: [to.email], subject: '【役割の変更】組織の設定が変更されました', text, html };
}
