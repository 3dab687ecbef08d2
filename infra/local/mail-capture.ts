import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';

/** One message as the local SES endpoint received it. */
export interface CapturedMail {
  /** The MessageId returned to the sender. */
  id: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  /** Plain-text body ('' when the message had none); for a raw message, its MIME source. */
  text: string;
  /** HTML body ('' when the message had none). */
  html: string;
  /** ISO 8601 time of receipt. */
  sentAt: string;
}

/** A running local SES v2 endpoint. */
export interface MailCapture {
  /** SES v2 endpoint for `new SESv2Client({ endpoint })`. */
  url: string;
  /** Every captured message, newest first. */
  messages(): CapturedMail[];
  /** A self-contained HTML page (Japanese, with English subtitles) listing the messages. */
  page(): string;
  /** Forgets every message (and empties the file, if any). */
  clear(): void;
  close(): Promise<void>;
}

/** Options of {@link startMailCapture}. */
export interface MailCaptureOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** JSON file that keeps messages across restarts; created, with its folder, if missing. */
  file?: string;
}

class BadRequest extends Error {
  constructor(
    message: string,
    readonly type: string = 'BadRequestException',
    readonly status: number = 400,
  ) {
    super(message);
  }
}

const MAX_RECIPIENTS = 50;
// Deliberately loose, like SES: one @, something either side, no spaces or angle brackets in the address.
const ADDRESS = /^(?:[^<>]*<)?([^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>?$/;

function addresses(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((a) => typeof a !== 'string')) throw new BadRequest(`${field} must be a list of strings`);
  for (const address of value as string[]) {
    if (!ADDRESS.test(address.trim())) throw new BadRequest(`Illegal address: ${address}`);
  }
  return value as string[];
}

/** Turns an SES v2 SendEmail request body into a captured message, refusing what SES would refuse. */
function toMail(body: Record<string, any>): Omit<CapturedMail, 'id' | 'sentAt'> {
  const content = body.Content;
  if (!content || typeof content !== 'object') throw new BadRequest('Content is required');
  const destination = body.Destination ?? {};
  const to = addresses(destination.ToAddresses, 'ToAddresses');
  const cc = addresses(destination.CcAddresses, 'CcAddresses');
  const bcc = addresses(destination.BccAddresses, 'BccAddresses');
  if (to.length + cc.length + bcc.length > MAX_RECIPIENTS) throw new BadRequest(`Recipient count exceeds ${MAX_RECIPIENTS}`);

  if (content.Template) {
    // Templates cannot be created against the local endpoint, so any name is unknown, as on AWS.
    throw new BadRequest(`Template ${String(content.Template.TemplateName ?? '')} does not exist`, 'NotFoundException', 404);
  }
  if (content.Raw) {
    if (typeof content.Raw.Data !== 'string') throw new BadRequest('Raw.Data is required');
    const source = Buffer.from(content.Raw.Data, 'base64').toString('utf8');
    const header = (name: string) => new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(source)?.[1]?.replace(/\r?\n[ \t]/g, ' ') ?? '';
    const split = (list: string) => list.split(',').map((a) => a.trim()).filter(Boolean);
    const from = typeof body.FromEmailAddress === 'string' ? body.FromEmailAddress : header('From');
    if (!from) throw new BadRequest('Missing From address');
    // Without a Destination, SES sends to the recipients named in the message's own headers.
    const recipients =
      to.length + cc.length + bcc.length > 0 ? { to, cc, bcc } : { to: split(header('To')), cc: split(header('Cc')), bcc: [] };
    if (recipients.to.length + recipients.cc.length === 0 && recipients.bcc.length === 0) throw new BadRequest('Missing destination');
    return { from, ...recipients, subject: header('Subject'), text: source, html: '' };
  }
  const simple = content.Simple;
  if (!simple || typeof simple !== 'object') throw new BadRequest('Content must contain Simple, Raw or Template');
  if (typeof body.FromEmailAddress !== 'string' || body.FromEmailAddress === '') throw new BadRequest('FromEmailAddress is required');
  addresses([body.FromEmailAddress], 'FromEmailAddress');
  if (to.length + cc.length + bcc.length === 0) throw new BadRequest('Destination must contain at least one address');
  if (typeof simple.Subject?.Data !== 'string') throw new BadRequest('Subject is required');
  const text = simple.Body?.Text?.Data;
  const html = simple.Body?.Html?.Data;
  if (typeof text !== 'string' && typeof html !== 'string') throw new BadRequest('Body must contain Text or Html');
  return {
    from: body.FromEmailAddress,
    to,
    cc,
    bcc,
    subject: simple.Subject.Data,
    text: typeof text === 'string' ? text : '',
    html: typeof html === 'string' ? html : '',
  };
}

/**
 * Starts a local SES v2 endpoint that accepts SendEmail from the real `SESv2Client` and keeps every
 * message instead of delivering it, optionally in a JSON file so the inbox survives restarts.
 */
export async function startMailCapture(options: MailCaptureOptions): Promise<MailCapture> {
  const { file } = options;
  let mails: CapturedMail[] = [];
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file)) {
      try {
        mails = JSON.parse(readFileSync(file, 'utf8')) as CapturedMail[];
        if (!Array.isArray(mails)) throw new Error('not a list');
      } catch (error) {
        throw new Error(`Mail capture file ${file} is not a JSON list of messages (${String(error)}); move it aside to start empty`);
      }
    } else {
      writeFileSync(file, '[]\n');
    }
  }
  const save = () => {
    if (!file) return;
    // Write-then-rename so a crash mid-write never leaves half a file behind.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(mails, null, 2)}\n`);
    renameSync(temporary, file);
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown, errorType?: string) => {
      const text = JSON.stringify(body);
      response.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': randomUUID(),
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      });
      response.end(text);
    };
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;

    if (request.method === 'GET' && (path === '/' || path === '')) {
      const html = capture.page();
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
      response.end(html);
      return;
    }
    if (request.method !== 'POST' || !path.endsWith('/v2/email/outbound-emails')) {
      reply(404, { message: `${request.method} ${path} is not supported by the local mail capture` }, 'UnknownOperationException');
      return;
    }
    try {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        throw new BadRequest('Request body is not valid JSON', 'SerializationException');
      }
      const mail: CapturedMail = {
        id: `${Date.now().toString(16).padStart(16, '0')}-${randomUUID()}-000000`,
        ...toMail(body),
        sentAt: new Date().toISOString(),
      };
      mails.push(mail);
      save();
      reply(200, { MessageId: mail.id });
    } catch (error) {
      if (error instanceof BadRequest) reply(error.status, { message: error.message }, error.type);
      else throw error;
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('mail capture: request failed', error);
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalFailure' });
        response.end(JSON.stringify({ message: 'The local mail capture failed; see its log' }));
      } else {
        response.destroy();
      }
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const capture: MailCapture = {
    url: `http://${host}:${address.port}`,
    messages: () => [...mails].reverse(),
    page: () => renderPage(capture.messages()),
    clear() {
      mails = [];
      save();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return capture;
}

// ---------------------------------------------------------------------------------------------
// Page

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Escapes plain text and makes its http(s) links clickable. */
function linkify(text: string): string {
  const url = /https?:\/\/[^\s<>"'）」】、。]+/g;
  let html = '';
  let last = 0;
  for (const match of text.matchAll(url)) {
    const href = match[0].replace(/[.,;:!?)\]]+$/, '');
    html += escapeHtml(text.slice(last, match.index));
    html += `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(href)}</a>`;
    last = (match.index ?? 0) + href.length;
  }
  return html + escapeHtml(text.slice(last));
}

const tokyoTime = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function renderMail(mail: CapturedMail): string {
  const list = (addresses: string[]) => escapeHtml(addresses.join(', '));
  const sentAt = Number.isNaN(Date.parse(mail.sentAt)) ? mail.sentAt : tokyoTime.format(new Date(mail.sentAt));
  // The HTML part runs in a sandbox without scripts; <base target> lets its links open outside the frame.
  const htmlPart = mail.html
    ? `<iframe class="html" sandbox="allow-popups allow-popups-to-escape-sandbox" title="HTML本文 / HTML body" srcdoc="${escapeHtml(
        `<!doctype html><meta charset="utf-8"><base target="_blank">${mail.html}`,
      )}"></iframe>`
    : '';
  const textPart = mail.text ? `<pre class="text">${linkify(mail.text)}</pre>` : '';
  return `<article>
  <h2>${escapeHtml(mail.subject) || '(件名なし / no subject)'}</h2>
  <dl>
    <dt>宛先 <small>To</small></dt><dd>${list(mail.to)}</dd>
    ${mail.cc.length ? `<dt>CC</dt><dd>${list(mail.cc)}</dd>` : ''}
    ${mail.bcc?.length ? `<dt>BCC</dt><dd>${list(mail.bcc)}</dd>` : ''}
    <dt>差出人 <small>From</small></dt><dd>${escapeHtml(mail.from)}</dd>
    <dt>送信日時 <small>Sent</small></dt><dd><time datetime="${escapeHtml(mail.sentAt)}">${escapeHtml(sentAt)}</time></dd>
  </dl>
  ${textPart}${htmlPart}
</article>`;
}

function renderPage(mails: CapturedMail[]): string {
  const body = mails.length
    ? mails.map(renderMail).join('\n')
    : '<p class="empty">まだメールはありません。<br><small>No messages yet.</small></p>';
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self' about:">
<title>送信メール (ローカル) - Local mail capture</title>
<style>
  body { font-family: system-ui, "Hiragino Sans", "Noto Sans JP", sans-serif; margin: 0; background: #f5f6f8; color: #1f2328; }
  header { background: #fff; border-bottom: 1px solid #d0d7de; padding: 1rem 1.5rem; }
  header h1 { margin: 0; font-size: 1.3rem; }
  header p { margin: .25rem 0 0; color: #57606a; }
  main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
  article { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 1rem 1.25rem; margin-bottom: 1rem; }
  article h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 .75rem; font-size: .9rem; }
  dt { color: #57606a; } dd { margin: 0; word-break: break-all; }
  small { color: #57606a; font-weight: normal; }
  pre.text { white-space: pre-wrap; word-break: break-word; background: #f6f8fa; padding: .75rem; border-radius: 4px; font: inherit; }
  iframe.html { width: 100%; min-height: 20rem; border: 1px solid #d0d7de; border-radius: 4px; background: #fff; }
  .empty { text-align: center; color: #57606a; padding: 3rem 0; }
  a.reload { float: right; }
</style>
</head>
<body>
<header>
  <a class="reload" href="">更新 <small>Refresh</small></a>
  <h1>送信メール (ローカル)</h1>
  <p>Local mail capture: messages sent through the local SES endpoint are kept here, not delivered. ${mails.length} 件 / ${mails.length} messages, newest first.</p>
</header>
<main>
${body}
</main>
</body>
</html>
`;
}
