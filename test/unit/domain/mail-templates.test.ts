import { describe, expect, it } from 'vitest';
import type { ApprovalRequest, Stage } from '../../../functions/domain/approval';
import { fileRequest, stagesFor } from '../../../functions/domain/approval';
import { japanDate } from '../../../functions/domain/dates';
import { approvalRequestMail, japanTime, outcomeMail } from '../../../functions/domain/mail-templates';
import { serverConnectionRequest } from '../../../functions/forms/server-connection-request';
import { person } from './in-memory-deps';

const tanaka = person('u-tanaka');
const sato = person('u-sato');
const kobayashi = person('u-kobayashi');
const LINK = 'https://kitei.example.test/#/links/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd';

function requestBy(name = tanaka.name): ApprovalRequest {
  return fileRequest({
    id: 'R-20261125-AAAAAA',
    form: { id: 'server-connection-request', code: 'F1', version: 1, title: serverConnectionRequest.title },
    requester: { id: tanaka.id, name, siteId: tanaka.siteId, branchId: tanaka.branchId, departmentId: tanaka.departmentId },
    data: {},
    stages: stagesFor(serverConnectionRequest.route, [[sato], [kobayashi], []], []),
    reservations: [],
    at: '2026-11-25T01:00:00.000Z',
  }).request;
}

const mailFor = (request = requestBy(), stage: Stage = request.stages[1]) =>
  approvalRequestMail({
    request,
    stage,
    approver: { id: kobayashi.id, name: kobayashi.name, email: kobayashi.email },
    link: LINK,
    expiresAt: '2026-12-02T04:05:00.000Z',
    articles: serverConnectionRequest.articles,
  });

describe('japanTime', () => {
  it('formats an instant in Asia/Tokyo as YYYY/MM/DD HH:mm', () => {
    expect(japanTime('2026-12-02T04:05:00.000Z')).toBe('2026/12/02 13:05');
  });

  it('moves to the next Japanese day after 15:00 UTC', () => {
    expect(japanTime('2026-12-01T15:05:00.000Z')).toBe('2026/12/02 00:05');
  });

  it('writes midnight as 00, not 24', () => {
    expect(japanTime('2026-12-31T15:00:00.000Z')).toBe('2027/01/01 00:00');
  });

  it('has no daylight saving time', () => {
    expect(japanTime('2026-07-01T00:00:00.000Z')).toBe('2026/07/01 09:00');
    expect(japanTime('2026-01-01T00:00:00.000Z')).toBe('2026/01/01 09:00');
  });
});

describe('japanDate', () => {
  it('is the calendar date in Japan', () => {
    expect(japanDate(new Date('2026-11-24T15:00:00.000Z'))).toBe('2026-11-25');
    expect(japanDate(new Date('2026-11-24T14:59:59.999Z'))).toBe('2026-11-24');
  });
});

describe('approvalRequestMail', () => {
  it('goes to the approver alone', () => {
    expect(mailFor().to).toEqual([kobayashi.email]);
  });

  it('has a Japanese subject naming the form, the requester and the request id', () => {
    expect(mailFor().subject).toBe('【承認依頼】F1 サーバ接続利用申請（田中 太郎）R-20261125-AAAAAA');
  });

  it('is Japanese first, with the English after a separator', () => {
    const { text } = mailFor();
    expect(text.startsWith('小林 健 様')).toBe(true);
    const separator = text.indexOf('\n---\n');
    expect(separator).toBeGreaterThan(0);
    expect(text.indexOf('次の申請の承認をお願いします。')).toBeLessThan(separator);
    expect(text.indexOf('Approval requested:')).toBeGreaterThan(separator);
  });

  it('names the request id, form code and title, requester, stage label and articles', () => {
    const { text } = mailFor();
    expect(text).toContain('申請番号: R-20261125-AAAAAA');
    expect(text).toContain('申請書: F1 サーバ接続利用申請');
    expect(text).toContain('申請者: 田中 太郎');
    expect(text).toContain('承認段階: 拠点責任者（2/3）');
    expect(text).toContain('根拠条文: S5, S5-2, S5-3, S5-4');
    expect(text).toContain('Approval requested: F1 Server connection request by Taro Tanaka (Branch responsible, stage 2 of 3).');
  });

  it('contains the link in the text and in the HTML', () => {
    const { text, html } = mailFor();
    expect(text.split('\n')).toContain(LINK);
    expect(html).toContain(`<a href="${LINK}">${LINK}</a>`);
  });

  it('gives the expiry in Japan time, in both languages', () => {
    const { text } = mailFor();
    expect(text).toContain('2026/12/02 13:05 まで一度だけ使えます');
    expect(text).toContain('valid until 2026/12/02 13:05 JST');
  });

  it('says that opening the link decides nothing', () => {
    const { text } = mailFor();
    expect(text).toContain('リンクを開いただけでは何も決定されません。');
    expect(text).toContain('Opening it decides nothing.');
  });

  it('is an HTML document in Japanese', () => {
    const { html } = mailFor();
    expect(html.startsWith('<!doctype html><html lang="ja">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<div>申請者: 田中 太郎</div>');
  });

  it('escapes a <script> in the requester name in the HTML', () => {
    const evil = { ja: '<script>alert("x")</script>', en: `<img src=x onerror='y'> & co` };
    const { html, text } = mailFor(requestBy(evil));
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&#39;y&#39;&gt; &amp; co');
    // The plain text part is plain text: nothing to escape there.
    expect(text).toContain('申請者: <script>alert("x")</script>');
  });

  it('escapes a link that would break out of the href', () => {
    const mail = approvalRequestMail({
      request: requestBy(),
      stage: requestBy().stages[0],
      approver: { id: sato.id, name: sato.name, email: sato.email },
      link: 'https://x.test/"><script>',
      expiresAt: '2026-12-02T04:05:00.000Z',
      articles: [],
    });
    expect(mail.html).toContain('href="https://x.test/&quot;&gt;&lt;script&gt;"');
    expect(mail.html).not.toContain('<script>');
  });

  it('names the absent approver when the task went to their delegate (代理承認)', () => {
    const request = requestBy();
    const mail = approvalRequestMail({
      request,
      stage: request.stages[0],
      approver: { id: kobayashi.id, name: kobayashi.name, email: kobayashi.email, onBehalfOf: { id: sato.id, name: sato.name } },
      link: LINK,
      expiresAt: '2026-12-02T04:05:00.000Z',
      articles: [],
    });
    expect(mail.to).toEqual([kobayashi.email]);
    expect(mail.text).toContain('佐藤 花子さんが不在のため、佐藤 花子さんの代理として判断してください（代理承認）。');
    expect(mail.text).toContain('承認段階: 拠点管理者（1/3）　佐藤 花子さんの代理');
    expect(mail.text).toContain('You decide as the delegate of Hanako Sato, who is away.');
    expect(mailFor().text).not.toContain('代理');
  });
});

describe('outcomeMail', () => {
  function decided(outcome: 'approved' | 'rejected' | 'sent_back', comment = ''): ApprovalRequest {
    const request = requestBy();
    const decision = outcome === 'approved' ? 'approve' : outcome === 'rejected' ? 'reject' : 'send_back';
    return {
      ...request,
      status: outcome,
      currentStage: 1,
      stages: request.stages.map((s) =>
        s.index === 1 ? { ...s, status: outcome, decision: { by: { id: kobayashi.id, name: kobayashi.name }, decision, comment, at: '2026-11-26T00:00:00.000Z' } } : s,
      ),
    };
  }

  it.each([
    ['approved', '【承認完了】', '申請が最終承認されました。', 'Your request was approved.'],
    ['rejected', '【却下】', '申請は却下されました。', 'Your request was rejected.'],
    ['sent_back', '【差し戻し】', '申請が差し戻されました。', 'Your request was sent back.'],
  ] as const)('tells the requester the request was %s', (outcome, subject, ja, en) => {
    const mail = outcomeMail(decided(outcome), outcome, tanaka.email, 'https://kitei.example.test/#/requests/R-20261125-AAAAAA');
    expect(mail.to).toEqual([tanaka.email]);
    expect(mail.subject).toBe(`${subject}F1 サーバ接続利用申請 R-20261125-AAAAAA`);
    expect(mail.text.startsWith('田中 太郎 様')).toBe(true);
    expect(mail.text).toContain(ja);
    expect(mail.text).toContain(en);
    expect(mail.text.indexOf(ja)).toBeLessThan(mail.text.indexOf(en));
    expect(mail.text).toContain('https://kitei.example.test/#/requests/R-20261125-AAAAAA');
  });

  it('names who decided, at which stage, and their comment', () => {
    const mail = outcomeMail(decided('sent_back', '期間を短くしてください'), 'sent_back', tanaka.email, 'https://x.test');
    expect(mail.text).toContain('判断: 小林 健（拠点責任者）');
    expect(mail.text).toContain('コメント: 期間を短くしてください');
  });

  it('leaves out the comment line when there is no comment', () => {
    expect(outcomeMail(decided('approved'), 'approved', tanaka.email, 'https://x.test').text).not.toContain('コメント:');
  });

  it('escapes a comment in the HTML', () => {
    const mail = outcomeMail(decided('rejected', '<b>no</b>'), 'rejected', tanaka.email, 'https://x.test');
    expect(mail.html).toContain('コメント: &lt;b&gt;no&lt;/b&gt;');
  });
});
