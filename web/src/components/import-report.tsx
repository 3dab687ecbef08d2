/**
 * What the two CSV imports (台帳 and 組織) share: reading the chosen file, counting the dry run's
 * outcomes, the row-by-row report and the buttons that act on it. Each page keeps its own words.
 */
import type { RefObject } from 'preact';
import { ApiError, errorText } from '../api';
import { loc, type Bilingual } from '../i18n';
import { ConfirmDialog, ErrorBox } from './ui';

/** The outcome of one CSV row in a dry run or an import. */
type Outcome = 'created' | 'updated' | 'unchanged' | 'rejected';

interface ReportRow {
  row: number;
  id: string | null;
  outcome: Outcome;
}

/** The file's text: UTF-8 (a BOM is dropped), else Shift_JIS, which Excel in Japan writes. */
export async function readCsv(file: Blob): Promise<string> {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('shift_jis').decode(bytes);
  }
}

/** How many rows came out each way. */
export function importTally(report: { rows: { outcome: Outcome }[] }): Record<Outcome, number> {
  const of = (outcome: Outcome) => report.rows.filter((row) => row.outcome === outcome).length;
  return { created: of('created'), updated: of('updated'), unchanged: of('unchanged'), rejected: of('rejected') };
}

/** Issues (of a row, or of a refused request) as one line in the reader's language. */
export function issuesText(issues: { message?: string; messages?: Bilingual }[]): string {
  return issues.map((issue) => loc(issue.messages) || issue.message || '').join(' ');
}

/** A failed check or import: the server's message, then what it found wrong with the file. */
export function ImportError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <ErrorBox onRetry={onRetry}>
      {errorText(error)}
      {error instanceof ApiError && error.issues.length > 0 ? ` ${issuesText(error.issues)}` : null}
    </ErrorBox>
  );
}

/** The rows the report table shows at the most; the rest are counted below it. */
const SHOWN_ROWS = 300;

export interface ImportRowsTableProps<Row extends ReportRow> {
  rows: Row[];
  /** The column headings, and the table's name for screen readers when given. */
  labels: { row: string; id: string; outcome: string; issues: string; caption?: string };
  outcome: (outcome: Outcome) => string;
  issues: (row: Row) => string;
  /** The note under a cut table; without it the cut is silent. */
  truncated?: (shown: number, total: number) => string;
}

/** The dry run's rows, rejected ones first since they are what the user has to act on. */
export function ImportRowsTable<Row extends ReportRow>({ rows, labels, outcome, issues, truncated }: ImportRowsTableProps<Row>) {
  const sorted = [...rows].sort((a, b) => Number(b.outcome === 'rejected') - Number(a.outcome === 'rejected') || a.row - b.row);
  const shown = sorted.slice(0, SHOWN_ROWS);
  return (
    <>
      <div class="table-scroll">
        <table class="ledger-table import-table">
          {labels.caption ? <caption class="visually-hidden">{labels.caption}</caption> : null}
          <thead>
            <tr>
              <th scope="col">{labels.row}</th>
              <th scope="col">{labels.id}</th>
              <th scope="col">{labels.outcome}</th>
              <th scope="col">{labels.issues}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.row} class={`import-${row.outcome}`}>
                <td data-label={labels.row}>{row.row}</td>
                <td data-label={labels.id} class="mono">
                  {row.id ?? ''}
                </td>
                <td data-label={labels.outcome}>
                  <span class={`badge badge-import-${row.outcome}`}>{outcome(row.outcome)}</span>
                </td>
                <td data-label={labels.issues} class="wrap">
                  {issues(row)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {truncated && sorted.length > shown.length ? <p class="muted small">{truncated(shown.length, sorted.length)}</p> : null}
    </>
  );
}

export interface ImportActionsProps {
  tally: Record<Outcome, number>;
  importing: boolean;
  /** Whether the 「正しい行だけ取り込む」 confirmation is open. */
  confirming: boolean;
  setConfirming: (open: boolean) => void;
  run: (validRowsOnly: boolean) => void;
  /** Back to choosing a file: the page forgets the report and the file; the input is emptied and focused here. */
  another: () => void;
  fileInput: RefObject<HTMLInputElement | null>;
  labels: { run: string; running?: string; runValid: string; another: string; partialTitle: string; partialConfirm: string; partialText: string };
}

/**
 * 取り込む when nothing was rejected; 「正しい行だけ取り込む」 behind a confirmation when some rows
 * were; 別のファイル always. A file that changes nothing offers no import.
 */
export function ImportActions({ tally, importing, confirming, setConfirming, run, another, fileInput, labels }: ImportActionsProps) {
  const changes = tally.created + tally.updated;
  return (
    <>
      <div class="actions">
        {tally.rejected === 0 && changes > 0 ? (
          <button type="button" class="btn btn-primary" disabled={importing} aria-busy={importing && labels.running ? 'true' : undefined} onClick={() => run(false)}>
            {importing && labels.running ? labels.running : labels.run}
          </button>
        ) : null}
        {tally.rejected > 0 && changes > 0 ? (
          <button type="button" class="btn btn-warning" disabled={importing} onClick={() => setConfirming(true)}>
            {labels.runValid}
          </button>
        ) : null}
        <button
          type="button"
          class="btn"
          disabled={importing}
          onClick={() => {
            another();
            if (fileInput.current) fileInput.current.value = '';
            fileInput.current?.focus();
          }}
        >
          {labels.another}
        </button>
      </div>
      <ConfirmDialog open={confirming} title={labels.partialTitle} confirmLabel={labels.partialConfirm} tone="warning" busy={importing} onConfirm={() => run(true)} onCancel={() => setConfirming(false)}>
        <p>{labels.partialText}</p>
      </ConfirmDialog>
    </>
  );
}
