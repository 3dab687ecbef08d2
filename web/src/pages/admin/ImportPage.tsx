/**
 * 組織の CSV 取り込み: people (with their roles) or places, from the CSV the page exports. Choosing a
 * file checks it on the server without writing (`dryRun`) and shows the row-by-row report; 取り込む
 * writes it, or with rejected rows 「正しい行だけ取り込む」 after a confirmation. Approvals that move to
 * new approvers because of the import are listed afterwards.
 */
import { useRef, useState } from 'preact/hooks';
import { api, download } from '../../api';
import { loc } from '../../i18n';
import { Loading, Notice, PageTitle } from '../../components/ui';
import { ImportActions, ImportError, ImportRowsTable, importTally, issuesText, readCsv } from '../../components/import-report';
import { ta } from './messages';
import { ReassignmentList } from './PersonPage';
import { AdminArticles, Tabs } from './shared';
import type { ImportAnswer, Organisation } from './types';

type File = 'people' | 'places';

export function ImportPage({ organisation, reload }: { organisation: Organisation; reload: (blank?: boolean) => void }) {
  const [kind, setKind] = useState<File>('people');
  const [csv, setCsv] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [report, setReport] = useState<ImportAnswer | null>(null);
  const [result, setResult] = useState<ImportAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [importing, setImporting] = useState(false);
  const [confirmPartial, setConfirmPartial] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const reportRef = useRef<HTMLHeadingElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);

  const check = async (file: File, text: string) => {
    setChecking(true);
    setReport(null);
    setResult(null);
    setError(null);
    try {
      setReport(await api<ImportAnswer>('/admin/organisation/import', { method: 'POST', body: { file, csv: text, dryRun: true } }));
      window.setTimeout(() => reportRef.current?.focus(), 0);
    } catch (failure) {
      setError(failure);
    } finally {
      setChecking(false);
    }
  };

  const choose = async (event: Event) => {
    const picked = (event.currentTarget as HTMLInputElement).files?.[0];
    if (!picked) return;
    const text = await readCsv(picked);
    setCsv(text);
    await check(kind, text);
  };

  const run = async (validRowsOnly: boolean) => {
    if (!csv || importing) return;
    setImporting(true);
    setError(null);
    try {
      const done = await api<ImportAnswer>('/admin/organisation/import', { method: 'POST', body: { file: kind, csv, ...(validRowsOnly ? { validRowsOnly: true } : {}) } });
      setResult(done);
      setReport(null);
      reload();
      window.setTimeout(() => resultRef.current?.focus(), 0);
    } catch (failure) {
      setError(failure);
    } finally {
      setConfirmPartial(false);
      setImporting(false);
    }
  };

  const counts = report ? importTally(report) : null;
  const changes = counts ? counts.created + counts.updated : 0;

  return (
    <div class="admin-page">
      <PageTitle text={ta('importTitle')} sub={<AdminArticles organisation={organisation} />} />
      <Tabs current="import" />
      <div class="panel">
        <p>{ta('importLead')}</p>
        <p class="help">{ta('import.rolesRule')}</p>
        <fieldset class="admin-kind">
          <legend>{ta('import.what')}</legend>
          {(['people', 'places'] as const).map((file) => (
            <label key={file} class="check">
              <input
                type="radio"
                name="import-kind"
                value={file}
                checked={kind === file}
                onChange={() => {
                  setKind(file);
                  if (csv) void check(file, csv);
                }}
              />
              <span class="check-text">{ta(`import.${file}`)}</span>
            </label>
          ))}
        </fieldset>
        <p>
          <button type="button" class="link-button link-plain" onClick={() => download(`/admin/organisation/${kind}.csv`, `${kind}.csv`).catch((failure) => setError(failure))}>
            {ta('import.template')}
          </button>
        </p>
        <div class="field">
          <label class="field-label" for="organisation-file">
            {ta('import.file')}
          </label>
          <input ref={inputRef} id="organisation-file" type="file" accept=".csv,text/csv" disabled={checking || importing} onChange={choose} />
        </div>
      </div>
      <div aria-live="polite">{checking ? <Loading label={ta('import.checking')} /> : null}</div>
      {error ? <ImportError error={error} /> : null}
      {result ? (
        <div ref={resultRef} tabIndex={-1}>
          <Notice kind="success">
            <p class="alert-title">{ta('import.done', { imported: result.imported, unchanged: result.unchanged, rejected: result.rejected })}</p>
            {result.rerouted.length > 0 ? (
              <>
                <p>{ta('reroutedDone', { n: result.rerouted.length })}</p>
                <ReassignmentList items={result.rerouted} />
              </>
            ) : null}
          </Notice>
        </div>
      ) : null}
      {report && counts ? (
        <section class="panel admin-report" aria-labelledby="organisation-report">
          <h2 id="organisation-report" ref={reportRef} tabIndex={-1}>
            {ta('import.report')}
          </h2>
          <p>{ta('import.count', counts)}</p>
          {report.warnings.map((warning, index) => (
            <p key={index} class="admin-warning">
              {loc(warning)}
            </p>
          ))}
          {report.rerouted.length > 0 ? (
            <div class="alert alert-warning">
              <p class="alert-title">{ta('impactTitle')}</p>
              <ReassignmentList items={report.rerouted} />
            </div>
          ) : null}
          {changes === 0 && counts.rejected === 0 ? <p>{ta('import.nothing')}</p> : null}
          <ImportRowsTable
            rows={report.rows}
            labels={{ row: ta('import.row'), id: ta('import.id'), outcome: ta('import.outcome'), issues: ta('import.issues') }}
            outcome={(outcome) => ta(`import.outcome.${outcome}`)}
            issues={(row) => issuesText(row.issues)}
          />
          <ImportActions
            tally={counts}
            importing={importing}
            confirming={confirmPartial}
            setConfirming={setConfirmPartial}
            run={run}
            another={() => {
              setReport(null);
              setCsv(null);
            }}
            fileInput={inputRef}
            labels={{
              run: ta('import.run'),
              runValid: ta('import.runValid'),
              another: ta('import.another'),
              partialTitle: ta('import.partialTitle'),
              partialConfirm: ta('import.runValid'),
              partialText: ta('import.partialText', { ok: changes, rejected: counts.rejected }),
            }}
          />
        </section>
      ) : null}
    </div>
  );
}
