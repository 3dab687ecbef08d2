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
import { ErrorBox, Loading, Notice, PageTitle } from '../../components/ui';
import { ImportActions, ImportError, ImportRowsTable, importTally, readCsv } from '../../components/import-report';
import { Breadcrumb, NotAllowed, useDefinition } from './LedgerItem';
import { columnLabel, isItInfra, ledgerTitle } from './format';

function issueText(definition: LedgerDefinition, row: ImportRow): string {
  return row.issues
    .map((issue) => {
      const message = loc(issue.messages) || issue.message || '';
      const column = (definition.columns ?? []).find((candidate) => candidate.key === issue.path || issue.path.startsWith(`${candidate.key}.`));
      return column && !message.includes(columnLabel(column)) ? `${columnLabel(column)}${t('punct.colon')}${message}` : message;
    })
    .join(' ');
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

  const tally = report ? importTally(report) : null;
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
        <ImportError error={error} onRetry={file && !(error instanceof ApiError && error.status === 400) ? () => check(file) : undefined} />
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
          <ImportRowsTable
            rows={report.rows}
            labels={{ row: t('import.row'), id: t('import.id'), outcome: t('import.outcome'), issues: t('import.issues'), caption: t('import.reportTitle') }}
            outcome={(outcome) => t(`import.outcome.${outcome}` as MessageKey)}
            issues={(row) => issueText(definition, row)}
            truncated={(shown, total) => t('import.truncated', { shown, total })}
          />
          <ImportActions
            tally={tally}
            importing={importing}
            confirming={confirmPartial}
            setConfirming={setConfirmPartial}
            run={run}
            another={() => {
              setReport(null);
              setFile(null);
            }}
            fileInput={inputRef}
            labels={{
              run: t('import.run'),
              running: t('app.sending'),
              runValid: t('import.runValid'),
              another: t('import.another'),
              partialTitle: t('import.partialTitle'),
              partialConfirm: t('import.partialConfirm'),
              partialText: t('import.partialText', { ok: changes, rejected: tally.rejected }),
            }}
          />
        </section>
      ) : null}

    </div>
  );
}
