import { render } from './mail-templates';
import type { PersonRef } from './organisation';
import type { OutgoingMail } from './ports';
import { monthLabel } from './months';
import type { Review } from './reviews';

export interface ReviewLine {
  review: Review;
  /** Records flagged for a look when the review opened. */
  anomalies: number;
  link: string;
}

/**
 * The request to review, one message per reviewer listing each of their reviews with its link
 * (the page needs sign-in; the link carries no token, so opening it decides nothing).
 */
export function reviewRequestMail(reviewer: PersonRef & { email: string }, lines: readonly ReviewLine[]): OutgoingMail {
  const months = [...new Set(lines.map((line) => line.review.month))].sort();
  const label = months.map((m) => monthLabel(m).ja).join('・');
  const labelEn = months.map((m) => monthLabel(m).en).join(', ');
  const articles = [...new Set(lines.flatMap((line) => line.review.articles))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).join(', ');
  const dueOn = lines.map((line) => line.review.dueOn).sort()[0] ?? '';
  const { text, html } = render([
    `${reviewer.name.ja} 様`,
    '',
    `${label}分の記録簿の月次点検をお願いします（${articles}）。`,
    '記録を確認し、「異常なし」または異常ごとの原因と対処を記録して、点検を完了してください（A9: 異常が発見された場合その原因を速やかに追求する）。',
    `期限: ${dueOn}`,
    '',
    ...lines.flatMap(({ review, anomalies, link }) => [
      `■ ${review.logbook} ${review.title.ja}（${review.siteName.ja}）${anomalies > 0 ? ` 要確認 ${anomalies} 件` : ' 要確認なし'}`,
      { link },
    ]),
    '',
    '点検を完了すると、その月の記録簿は締められ、以後の追加・訂正はできなくなります。',
    'リンクを開くにはサインインが必要です。リンクを開いただけでは何も記録されません。',
    '',
    '---',
    `Please review the logbooks of ${labelEn} (${articles}), due ${dueOn}: record "no anomaly", or each anomaly with its cause and action, and complete each review.`,
    ...lines.map(({ review, anomalies }) => `- ${review.logbook} ${review.title.en}, ${review.siteName.en}: ${anomalies} flagged`),
    'Completing a review closes that month of the logbook. The links need sign-in; opening one records nothing.',
  ]);
  return { to: [reviewer.email], subject: `【月次点検依頼】${label}分 記録簿の点検（${lines.length}件）`, text, html };
}
