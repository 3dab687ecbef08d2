/**
 * CSV import (情報システム部インフラ担当): choose a file, read it as text (UTF-8, or Shift_JIS as
 * Excel saves it), check it on the server without writing (`dryRun`), read the row-by-row report,
 * then 取り込む. A file with a rejected row imports nothing; 「正しい行だけ取り込む」 (after a
 * confirmation) imports the rows that passed.
 */
import { useRef, useState } from 'preact/hooks';
import { ApiError, api, download, errorText, forgetLedgerItems, seg } from '../../api';
import { loc, t, useLang, type MessageKey } from '../../i18n';
import { href } from '../../router';
import type { ImportReport, ImportRow, LedgerDefinition, Person } from '../../types';
import { ConfirmDialog, ErrorBox, Loading, Notice, PageTitle } from '../../components/ui';
import { Breadcrumb, NotAllowed, useDefinition } from './LedgerItem';
import { columnLabel, isItInfra, ledgerTitle } from './format';

const SHOWN_ROWS = 300;

/** The file's text: UTF-8 (a BOM is dropped), else Shift_JIS, which Excel in Japan writes. */
async function readCsv(file: File): Promise<string> {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('shift_jis').decode(bytes);
  }
}

function issueText(definition: LedgerDefinition, row: ImportRow): string {
  return row.issues
    .map((issue) => {
      const message = loc(issue.messages) || issue.message || '';
      const column = (definition.columns ?? []).find((candidate) => candidate.key === issue.path || issue.path.startsWith(`${candidate.key}.`));
      return column && !message.includes(columnLabel(column)) ? `${columnLabel(column)}${t('punct.colon')}${message}` : message;
    })
    .join(' ');
}

function ReportTable({ definition, report }: { definition: LedgerDefinition; report: ImportReport }) {
  // Rejected rows first: they are what the user has to act on.
  const rows = [...report.rows].sort((a, b) => Number(b.outcome === 'rejected') - Number(a.outcome === 'rejected') || a.row - b.row);
  const shown = rows.slice(0, SHOWN_ROWS);
  return (
    <>
      <div class="table-scroll">
        <table class="ledger-table import-table">
          <caption class="visually-hidden">{t('import.reportTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('import.row')}</th>
              <th scope="col">{t('import.id')}</th>
              <th scope="col">{t('import.outcome')}</th>
              <th scope="col">{t('import.issues')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.row} class={`import-${row.outcome}`}>
                <td data-label={t('import.row')}>{row.row}</td>
                <td data-label={t('import.id')} class="mono">
                  {row.id ?? ''}
                </td>
                <td data-label={t('import.outcome')}>
                  <span class={`badge badge-import-${row.outcome}`}>{t(`import.outcome.${row.outcome}` as MessageKey)}</span>
                </td>
                <td data-label={t('import.issues')} class="wrap">
                  {issueText(definition, row)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > shown.length ? <p class="muted small">{t('import.truncated', { shown: shown.length, total: rows.length })}</p> : null}
    </>
  );
}

function counts(report: ImportReport) {
  const of = (outcome: ImportRow['outcome']) => report.rows.filter((row) => row.outcome === outcome).length;
  return { created: of('created'), updated: of('updated'), unchanged: of('unchanged'), rejected: of('rejected') };
}

export function LedgerImportPage({ name, me }: { name: string; me: Person }) {
  useLang();
  const { definition, missing, error: definitionError, retry } = useDefinition(name);
  const [file, setFile] = useState<{ name: string; size: number; csv: string } | null>(null);
  const [checking, setChecking] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [importing, setImporting] = useState(false);
  const [result, setResult] = useState<ImportReport | null>(null);
  const [confirmPartial, setConfirmPartial] = useState(false);
  const [templateError, setTemplateError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const reportRef = useRef<HTMLHeadingElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);

  if (!isItInfra(me)) return <NotAllowed name={name} definition={definition} />;
  if (missing) return <PageTitle text={t('ledger.notFound')} />;
  if (definitionError && !definition) return <ErrorBox onRetry={retry}>{definitionError}</ErrorBox>;
  if (!definition) return <Loading />;

  const check = async (chosen: { name: string; size: number; csv: string }) => {
    setChecking(true);
    setReport(null);
    setResult(null);
    setError(null);
    try {
      const dry = await api<ImportReport>(`/ledgers/${seg(name)}/import`, { method: 'POST', body: { csv: chosen.csv, dryRun: true } });
      setReport(dry);
      window.setTimeout(() => reportRef.current?.focus(), 0);
    } catch (failure) {
      setError(failure);
    } finally {
      setChecking(false);
    }
  };

  const choose = async (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const picked = input.files?.[0];
    setReport(null);
    setResult(null);
    setError(null);
    if (!picked) {
      setFile(null);
      return;
    }
    const csv = await readCsv(picked);
    const chosen = { name: picked.name, size: picked.size, csv };
    setFile(chosen);
    await check(chosen);
  };

  const run = async (validRowsOnly: boolean) => {
    if (!file || importing) return;
    setImporting(true);
    setError(null);
    try {
      const done = await api<ImportReport>(`/ledgers/${seg(name)}/import`, {
        method: 'POST',
        body: validRowsOnly ? { csv: file.csv, validRowsOnly: true } : { csv: file.csv },
      });
      setConfirmPartial(false);
      setResult(done);
      setReport(null);
      forgetLedgerItems(name);
      window.setTimeout(() => resultRef.current?.focus(), 0);
    } catch (failure) {
      setConfirmPartial(false);
      setError(failure);
    } finally {
      setImporting(false);
    }
  };

  const template = async () => {
    setTemplateError(null);
    try {
      await download(`/ledgers/${seg(name)}.csv`, `${name}.csv`);
    } catch (failure) {
      setTemplateError(errorText(failure));
    }
  };

  const tally = report ? counts(report) : null;
  const changes = tally ? tally.created + tally.updated : 0;
  const title = t('import.title', { ledger: ledgerTitle(definition, name) });

  return (
    <div class="ledger-import">
      <Breadcrumb name={name} definition={definition} />
      <PageTitle text={title} />
      <div class="panel import-intro">
        <p>{t('import.lead')}</p>
        <ul class="import-rules">
          <li>{t('import.rule.header')}</li>
          <li>{t('import.rule.id')}</li>
          <li>{t('import.rule.lists')}</li>
          <li>{t('import.rule.all')}</li>
          {(definition.counters ?? []).length > 0 ? (
            <li>
              {t('import.rule.counters', {
                columns: (definition.counters ?? [])
                  .map((key) => (definition.columns ?? []).find((column) => column.key === key))
                  .filter((column) => column !== undefined)
                  .map((column) => columnLabel(column!))
                  .join(t('punct.list')),
              })}
            </li>
          ) : null}
        </ul>
        <p>
          <button type="button" class="link-button link-plain" onClick={template}>
            {t('import.template')}
          </button>
        </p>
        {templateError ? <ErrorBox>{templateError}</ErrorBox> : null}
        <div class="field">
          <label class="field-label" for="import-file">
            {t('import.file')}
          </label>
          <p class="help" id="import-file-help">
            {t('import.fileHelp')}
          </p>
          <input
            ref={inputRef}
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby="import-file-help"
            disabled={checking || importing}
            onChange={choose}
          />
          {file ? (
            <p class="muted small">
              {t('import.chosen', { file: file.name, kb: Math.max(1, Math.round(file.size / 1024)) })}
            </p>
          ) : null}
        </div>
      </div>

      <div aria-live="polite">{checking ? <Loading label={t('import.checking')} /> : null}</div>
      {error ? (
        <ErrorBox onRetry={file && !(error instanceof ApiError && error.status === 400) ? () => check(file) : undefined}>
          {errorText(error)}
          {error instanceof ApiError && error.issues.length > 0 ? (
            <>
              {' '}
              {error.issues.map((issue) => loc(issue.messages) || issue.message).join(' ')}
            </>
          ) : null}
        </ErrorBox>
      ) : null}

      {result ? (
        <div ref={resultRef} tabIndex={-1} class="flash-focus">
          <Notice kind="success">
            <p class="alert-title">{t('import.doneTitle')}</p>
            <p>{t('import.done', { imported: result.imported, unchanged: result.unchanged, rejected: result.rejected })}</p>
            <p>
              <a href={href('ledgers', name)}>{t('import.toLedger')}</a>
            </p>
          </Notice>
        </div>
      ) : null}

      {report && tally ? (
        <section class="panel import-report" aria-labelledby="report-title">
          <h2 id="report-title" ref={reportRef} tabIndex={-1}>
            {t('import.reportTitle')}
          </h2>
          <p class="import-tally">
            <span class="badge badge-import-created">{t('import.count.created', { n: tally.created })}</span>
            <span class="badge badge-import-updated">{t('import.count.updated', { n: tally.updated })}</span>
            <span class="badge badge-import-unchanged">{t('import.count.unchanged', { n: tally.unchanged })}</span>
            <span class="badge badge-import-rejected">{t('import.count.rejected', { n: tally.rejected })}</span>
          </p>
          {tally.rejected > 0 ? (
            <div class="alert alert-warning">
              <p class="alert-title">{t('import.rejectedTitle', { n: tally.rejected })}</p>
              <p>{t('import.rejectedText')}</p>
            </div>
          ) : changes === 0 ? (
            <p>{t('import.nothing')}</p>
          ) : (
            <p>{t('import.ready', { n: changes })}</p>
          )}
          <ReportTable definition={definition} report={report} />
          <div class="actions">
            {tally.rejected === 0 && changes > 0 ? (
              <button type="button" class="btn btn-primary" disabled={importing} aria-busy={importing ? 'true' : undefined} onClick={() => run(false)}>
                {importing ? t('app.sending') : t('import.run')}
              </button>
            ) : null}
            {tally.rejected > 0 && changes > 0 ? (
              <button type="button" class="btn btn-warning" disabled={importing} onClick={() => setConfirmPartial(true)}>
                {t('import.runValid')}
              </button>
            ) : null}
            <button
              type="button"
              class="btn"
              disabled={importing}
              onClick={() => {
                setReport(null);
                setFile(null);
                if (inputRef.current) inputRef.current.value = '';
                inputRef.current?.focus();
              }}
            >
              {t('import.another')}
            </button>
          </div>
        </section>
      ) : null}

      <ConfirmDialog
        open={confirmPartial}
        title={t('import.partialTitle')}
        confirmLabel={t('import.partialConfirm')}
        tone="warning"
        busy={importing}
        onConfirm={() => run(true)}
        onCancel={() => setConfirmPartial(false)}
      >
        <p>{t('import.partialText', { ok: changes, rejected: tally?.rejected ?? 0 })}</p>
      </ConfirmDialog>
    </div>
  );
}
