import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadRequestException, NotFoundException, SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMailCapture, type MailCapture } from '../../../infra/local/mail-capture';

let folder: string;
let capture: MailCapture | undefined;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'mail-capture-'));
});

afterEach(async () => {
  await capture?.close();
  capture = undefined;
  rmSync(folder, { recursive: true, force: true });
});

function sesFor(mail: MailCapture): SESv2Client {
  return new SESv2Client({ endpoint: mail.url, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

const approvalMail = (subject: string, text: string, html?: string) =>
  new SendEmailCommand({
    FromEmailAddress: 'kitei-flow@example.co.jp',
    Destination: { ToAddresses: ['approver@example.co.jp'], CcAddresses: ['manager@example.co.jp'] },
    Content: {
      Simple: {
        Subject: { Data: subject, Charset: 'UTF-8' },
        Body: { Text: { Data: text, Charset: 'UTF-8' }, ...(html ? { Html: { Data: html, Charset: 'UTF-8' } } : {}) },
      },
    },
  });

describe('the local mail capture', () => {
  it('keeps a Japanese message sent through the real SESv2Client, and still has it after a restart', async () => {
    const file = join(folder, 'nested', 'mail.json');
    capture = await startMailCapture({ port: 0, file });
    const ses = sesFor(capture);
    const { MessageId } = await ses.send(
      approvalMail('【承認依頼】サーバ接続申請 REQ-1', '山田さん、承認をお願いします。\nhttps://localhost:3000/links/abc'),
    );
    ses.destroy();

    expect(MessageId).toEqual(expect.any(String));
    const [mail] = capture.messages();
    expect(mail).toMatchObject({
      id: MessageId,
      from: 'kitei-flow@example.co.jp',
      to: ['approver@example.co.jp'],
      cc: ['manager@example.co.jp'],
      subject: '【承認依頼】サーバ接続申請 REQ-1',
      text: '山田さん、承認をお願いします。\nhttps://localhost:3000/links/abc',
      html: '',
    });
    expect(Date.parse(mail.sentAt)).not.toBeNaN();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveLength(1);

    await capture.close();
    capture = await startMailCapture({ port: 0, file });
    expect(capture.messages()).toEqual([mail]);
  });

  it('lists messages newest first', async () => {
    capture = await startMailCapture({ port: 0 });
    const ses = sesFor(capture);
    await ses.send(approvalMail('一通目', 'first'));
    await ses.send(approvalMail('二通目', 'second'));
    ses.destroy();
    expect(capture.messages().map((m) => m.subject)).toEqual(['二通目', '一通目']);
  });

  it('refuses a message without destination or content, as SES does', async () => {
    capture = await startMailCapture({ port: 0 });
    const ses = sesFor(capture);
    const noDestination = ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'kitei-flow@example.co.jp',
        Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
      }),
    );
    await expect(noDestination).rejects.toBeInstanceOf(BadRequestException);
    const noContent = ses.send(new SendEmailCommand({ FromEmailAddress: 'a@example.com', Destination: { ToAddresses: ['b@example.com'] } } as never));
    await expect(noContent).rejects.toMatchObject({ name: 'BadRequestException', message: 'Content is required' });
    const template = ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'a@example.com',
        Destination: { ToAddresses: ['b@example.com'] },
        Content: { Template: { TemplateName: 'Approval', TemplateData: '{}' } },
      }),
    );
    await expect(template).rejects.toBeInstanceOf(NotFoundException);
    ses.destroy();
    expect(capture.messages()).toEqual([]);
  });

  it('escapes message content on its page and keeps HTML bodies in a sandbox', async () => {
    capture = await startMailCapture({ port: 0 });
    const ses = sesFor(capture);
    await ses.send(approvalMail('<script>alert(1)</script> 承認', 'リンク: https://localhost:3000/links/x?a=1&b=2', '<p onclick="x()">本文</p>'));
    ses.destroy();

    const page = capture.page();
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; 承認');
    expect(page).toContain('<a href="https://localhost:3000/links/x?a=1&amp;b=2"');
    expect(page).toMatch(/<iframe class="html" sandbox="allow-popups allow-popups-to-escape-sandbox"[^>]*srcdoc="[^"]*&lt;p onclick=&quot;x\(\)&quot;&gt;/);
    expect(page).not.toMatch(/<(link|script|img)\b/);
    expect(page).toContain('<html lang="ja">');
  });

  it('forgets everything on clear', async () => {
    const file = join(folder, 'mail.json');
    capture = await startMailCapture({ port: 0, file });
    const ses = sesFor(capture);
    await ses.send(approvalMail('件名', '本文'));
    ses.destroy();
    capture.clear();
    expect(capture.messages()).toEqual([]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([]);
  });
});
