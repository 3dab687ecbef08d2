import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lazyClient } from '../../functions/adapters/lazy-client';
import { StepFunctionsWorkflow } from '../../functions/adapters/sfn-workflow';
import { remindDuties } from '../../functions/domain/duty-reminders';
import { DomainError } from '../../functions/domain/errors';
import type { LogbookId } from '../../functions/domain/logbooks';
import { anomalyKey } from '../../functions/domain/logbook-anomalies';
import type { Review } from '../../functions/domain/reviews';
import { awaitReview, completeReview, getReview, openMonthlyReviews } from '../../functions/domain/reviews';
import { isWorkingDay } from '../../functions/domain/working-days';
import { monthlyReviewFunctions } from '../../functions/http/routes';
import { localLambdaArn, startStepFunctionsEndpoint, type StepFunctionsEndpoint } from '../../infra/local/stepfunctions-endpoint';
import { loadDefinition, monthlyReviewDefinitionFile } from '../../infra/statemachines/definitions';
import type { TestDeps } from '../unit/domain/in-memory-deps';
import { DAY, inMemoryDeps, person } from '../unit/domain/in-memory-deps';
import { cleanMonth, monthWithAnomalies, putEntries } from '../unit/domain/logbook-fixtures';

/*
 * monthly-review.asl.json runs through the local Step Functions endpoint exactly as deployed: the
 * real SFNClient starts executions and the review's completion answers the task token. The two
 * functions are the domain's steps over in-memory stores, and the clock is a TestClock, so the run
 * happens "on 1 November 2026" and the reminders on the days that follow.
 */

const MONTH = '2026-10';
const FIRST_OF_NOVEMBER = '2026-11-01T00:00:00.000Z';
const LOGBOOKS: LogbookId[] = ['L1', 'L2', 'L3', 'L4', 'L5'];
/** Sites × logbooks of the demo organisation: servers (L4, L5) stand in Tokyo only. */
const REVIEWS_PER_MONTH = 11;

let endpoint: StepFunctionsEndpoint;
let sfn: SFNClient;
let stateMachineArn: string;
let t: TestDeps;

beforeAll(async () => {
  const substitutions = Object.fromEntries(Object.entries(monthlyReviewFunctions).map(([placeholder, fn]) => [placeholder, localLambdaArn(fn.name)]));
  endpoint = await startStepFunctionsEndpoint({
    port: 0,
    stateMachines: [{ name: 'monthly-review', definition: loadDefinition(monthlyReviewDefinitionFile, substitutions) }],
    invoke: async (functionArn, payload: any) => {
      switch (functionArn.split(':').at(-1)) {
        case monthlyReviewFunctions.OpenMonthlyReviewsFunctionArn.name:
          return openMonthlyReviews(t.deps, { month: payload.input?.month });
        case monthlyReviewFunctions.AwaitReviewFunctionArn.name:
          return awaitReview(t.deps, payload);
        default:
          throw new Error(`unknown function ${functionArn}`);
      }
    },
  });
  sfn = new SFNClient({ endpoint: endpoint.url, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  stateMachineArn = endpoint.stateMachineArn('monthly-review');
});

afterAll(async () => {
  sfn?.destroy();
  await endpoint?.close();
});

beforeEach(() => {
  t = inMemoryDeps({ start: FIRST_OF_NOVEMBER });
  // Completing a review answers the waiting task on the local endpoint through the product's own adapter.
  t.deps.workflow = new StepFunctionsWorkflow(lazyClient<SFNClient>(async () => ({ client: sfn, commands: await import('@aws-sdk/client-sfn') })), stateMachineArn);
});

let executions = 0;
async function start(input: Record<string, unknown> = {}): Promise<string> {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: `monthly-review-${++executions}`, input: JSON.stringify(input) }));
  return executionArn!;
}

async function eventually<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const describeExecution = (executionArn: string) => sfn.send(new DescribeExecutionCommand({ executionArn }));
const finished = (executionArn: string) => eventually(async () => ((await describeExecution(executionArn)).status !== 'RUNNING' ? describeExecution(executionArn) : null), `${executionArn} to finish`);

async function history(executionArn: string): Promise<HistoryEvent[]> {
  const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return events;
}

const reviews = (): Review[] => [...t.reviews.reviews.values()];
/** Every open review of the month has its task token: the execution waits on all of them. */
const allWaiting = () => eventually(() => reviews().length === REVIEWS_PER_MONTH && reviews().every((r) => r.taskToken), 'every review to be awaited');
/** AwaitReview tasks answered so far: Map iterations that ended. */
const tasksAnswered = async (executionArn: string) =>
  (await history(executionArn)).filter((e) => e.type === 'TaskSucceeded' && e.taskSucceededEventDetails?.resource === 'invoke.waitForTaskToken').length;
/** A clean month at every site but those given. */
function cleanEverywhere(except: string[] = []) {
  for (const site of ['site-tokyo', 'site-sendai', 'site-osaka'].filter((s) => !except.includes(s))) for (const book of LOGBOOKS) putEntries(t.logbooks, cleanMonth(book, MONTH, site));
}

async function complete(review: Review, by = review.reviewers[0].id) {
  return completeReview(t.deps, person(by), review.month, review.logbook, review.siteId, { conclusion: 'no-anomaly' });
}

describe('the monthly review workflow', () => {
  it('reviews a month of clean logs: every review opened, mailed, awaited, and the run ends when all are completed', async () => {
    cleanEverywhere();
    const execution = await start();
    await allWaiting();
    expect(new Set(reviews().map((r) => r.month))).toEqual(new Set([MONTH]));
    expect(t.mailer.sent.map((m) => m.to[0]).sort()).toEqual(['fujita@example.co.jp', 'matsumoto@example.co.jp', 'yamaguchi@example.co.jp']);
    for (const mail of t.mailer.sent) expect(mail.text).not.toMatch(/要確認 \d+ 件/);
    expect((await describeExecution(execution)).status).toBe('RUNNING');

    for (const review of reviews()) {
      const detail = await getReview(t.deps, person(review.reviewers[0].id), MONTH, review.logbook, review.siteId);
      expect(detail.anomalies).toEqual([]);
      await complete(review);
    }
    const done = await finished(execution);
    expect(done.status).toBe('SUCCEEDED');
    expect(await tasksAnswered(execution)).toBe(REVIEWS_PER_MONTH);
    expect(reviews().every((r) => r.status === 'completed' && r.conclusion === 'no-anomaly')).toBe(true);
  });

  it('reviews a month with each kind of anomaly: the reviewer must give every cause and action before the task completes', async () => {
    cleanEverywhere(['site-tokyo']);
    for (const book of LOGBOOKS) putEntries(t.logbooks, monthWithAnomalies(book, MONTH));
    const execution = await start({ month: MONTH });
    await allWaiting();
    const yamaguchi = t.mailer.to('yamaguchi@example.co.jp')[0];
    expect(yamaguchi.text).toContain('L1 キャビネット開施錠記録簿（東京本社） 要確認 1 件');
    expect(yamaguchi.text).toContain('L3 入退受付票（東京本社） 要確認 2 件');

    const kinds: string[] = [];
    for (const book of LOGBOOKS) {
      const reviewer = book === 'L5' ? 'u-matsumoto' : 'u-yamaguchi';
      const detail = await getReview(t.deps, person(reviewer), MONTH, book, 'site-tokyo');
      kinds.push(...detail.anomalies.map((a) => a.kind));
      const answered = await tasksAnswered(execution);
      const refused = await completeReview(t.deps, person(reviewer), MONTH, book, 'site-tokyo', { conclusion: 'anomalies-found' }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DomainError);
      expect((refused as DomainError).issues.map((i) => i.path)).toEqual(detail.anomalies.flatMap((_, i) => [`findings.${i}.cause`, `findings.${i}.action`]));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await tasksAnswered(execution)).toBe(answered);
      await completeReview(t.deps, person(reviewer), MONTH, book, 'site-tokyo', {
        conclusion: 'anomalies-found',
        findings: detail.anomalies.map((a) => ({ key: anomalyKey(a), cause: `${a.kind}: 担当者への聞き取りで確認`, action: '記入手順を周知' })),
      });
      await eventually(async () => (await tasksAnswered(execution)) === answered + 1, `the ${book} iteration to end`);
    }
    expect(kinds.sort()).toEqual(
      ['access-log-irregular', 'cabinet-not-locked', 'guest-card-not-returned', 'last-exit-check-failed', 'last-exit-missing', 'server-room-no-exit', 'visitor-unescorted'].sort(),
    );
    expect((await describeExecution(execution)).status).toBe('RUNNING');
    for (const review of reviews().filter((r) => r.status === 'open')) await complete(review);
    expect((await finished(execution)).status).toBe('SUCCEEDED');
  });

  it('opens nothing twice when the same month runs again, and the second run waits on nothing', async () => {
    cleanEverywhere();
    const first = await start();
    await allWaiting();
    const mails = t.mailer.sent.length;
    const tokens = reviews().map((r) => r.taskToken);

    const second = await start({ month: MONTH });
    const done = await finished(second);
    expect(done.status).toBe('SUCCEEDED');
    const opened = (await history(second)).find((e) => e.type === 'TaskStateExited' && e.stateExitedEventDetails?.name === 'OpenReviews');
    expect(JSON.parse(opened!.stateExitedEventDetails!.output!)).toEqual({ month: MONTH, opened: [], reviews: [] });
    expect(reviews()).toHaveLength(REVIEWS_PER_MONTH);
    expect(t.duties.duties.size).toBe(REVIEWS_PER_MONTH);
    expect(t.mailer.sent).toHaveLength(mails);
    expect(reviews().map((r) => r.taskToken)).toEqual(tokens);
    expect((await describeExecution(first)).status).toBe('RUNNING');
  });

  it('ends a review’s Map iteration when it is completed, and only that one', async () => {
    cleanEverywhere();
    const execution = await start();
    await allWaiting();
    const [one] = reviews();
    await complete(one);
    await eventually(async () => (await tasksAnswered(execution)) === 1, 'one iteration to end');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await tasksAnswered(execution)).toBe(1);
    expect((await describeExecution(execution)).status).toBe('RUNNING');
  });

  it('lets a review completed before its iteration waits end that iteration at once', async () => {
    // The reviewer is quicker than the workflow: completed between OpenReviews and AwaitReview.
    cleanEverywhere();
    const opened = await openMonthlyReviews(t.deps, { month: MONTH });
    const early = reviews().find((r) => r.id === opened.reviews[0].id)!;
    await complete(early);
    const execution = await start({ month: MONTH });
    await eventually(() => reviews().filter((r) => r.status === 'open').every((r) => r.taskToken), 'the open reviews to be awaited');
    // The run hands over the ten open reviews no execution waits on; the completed one is not among them.
    expect(await tasksAnswered(execution)).toBe(0);
    expect(reviews().filter((r) => r.taskToken)).toHaveLength(REVIEWS_PER_MONTH - 1);
    expect(early.taskToken).toBeUndefined();
  });

  it('fails the run for a month that is not over, opening nothing', async () => {
    const execution = await start({ month: '2026-11' });
    const done = await finished(execution);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('DomainError');
    expect(reviews()).toEqual([]);
  });

  it('reminds the reviewer every 3 working days and, after 10 days, escalates to the security manager’s superior, who may complete it', async () => {
    cleanEverywhere();
    const execution = await start();
    await allWaiting();
    const l1 = reviews().find((r) => r.id === '2026-10.L1.site-tokyo')!;
    // Everything but Tokyo's L1 is done on the first day.
    for (const review of reviews().filter((r) => r.id !== l1.id)) await complete(review);

    const reminded: string[] = [];
    const escalated: string[] = [];
    for (let day = 1; day <= 12; day++) {
      t.clock.set(new Date(Date.parse(FIRST_OF_NOVEMBER) + day * DAY).toISOString());
      const today = t.clock.now().toISOString().slice(0, 10);
      if (!isWorkingDay(today)) continue;
      const before = t.mailer.sent.length;
      await remindDuties(t.deps);
      for (const mail of t.mailer.sent.slice(before)) {
        if (mail.subject.includes('キャビネット開施錠記録簿') && mail.to.includes('yamaguchi@example.co.jp')) reminded.push(today);
        if (mail.subject.startsWith('【上申】') && mail.to.includes('nakamura@example.co.jp')) escalated.push(today);
      }
    }
    // Opened Sunday 1 November; 3 November is 文化の日: the 3rd working day is the 5th, then every 3 working days.
    expect(reminded).toEqual(['2026-11-05', '2026-11-10', '2026-11-11']);
    expect(escalated).toEqual(['2026-11-11']);
    expect(t.duties.duties.get('review.2026-10.L1.site-tokyo')!.escalatedTo?.map((p) => p.id)).toEqual(['u-nakamura']);

    await completeReview(t.deps, person('u-nakamura'), MONTH, 'L1', 'site-tokyo', { conclusion: 'no-anomaly', comment: '上申を受けて確認' });
    expect((await finished(execution)).status).toBe('SUCCEEDED');
    expect(t.duties.duties.get('review.2026-10.L1.site-tokyo')!.status).toBe('done');
  });
});
