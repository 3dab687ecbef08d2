import { Cron } from 'croner';

/** A schedule as EventBridge Scheduler defines it, with the function it invokes. */
export interface LocalSchedule {
  name: string;
  /** EventBridge cron syntax, e.g. `cron(5 0 * * ? *)`. */
  expression: string;
  /** IANA time zone the expression is evaluated in, e.g. `Asia/Tokyo`. */
  timezone: string;
  /** Invokes the scheduled function; `input` is only given when the schedule is fired by hand with options. */
  run: (input?: Record<string, unknown>) => Promise<void>;
}

/** Running schedules, see {@link startSchedules}. */
export interface LocalSchedules {
  /** Stops every timer; runs already in progress finish. */
  stop(): void;
  /**
   * Runs a schedule now, as if its time had come, and settles when the run does (rejecting with its
   * error). `input` is passed to `run`, for one-off runs such as a month's review being redone.
   * @throws if no schedule has this name (the message lists the known names).
   */
  fire(name: string, input?: Record<string, unknown>): Promise<void>;
  /** When the schedule runs next (after `from`, default now), or null if it never will. */
  nextRun(name: string, from?: Date): Date | null;
  names(): string[];
}

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const RANGES = { minutes: [0, 59], hours: [0, 23], dayOfMonth: [1, 31], month: [1, 12] } as const;

/** `a/step` means "from a to the end" in EventBridge; croner only accepts `*` or a range before a step. */
function openStep(item: string, max: number): string {
  const step = /^(\w+)\/(\d+)$/.exec(item);
  return step ? `${step[1]}-${max}/${step[2]}` : item;
}

function convertField(field: string, [, max]: readonly [number, number]): string {
  return field
    .split(',')
    .map((item) => openStep(item, max))
    .join(',');
}

/** EventBridge numbers days 1=SUN..7=SAT; croner uses 0=SUN..6=SAT. Names are the same in both. */
function croneDay(day: string): string {
  const upper = day.toUpperCase();
  if (DAYS.includes(upper)) return upper;
  if (/^[1-7]$/.test(day)) return String(Number(day) - 1);
  throw new Error(`day-of-week '${day}' is not 1-7 or SUN-SAT`);
}

function convertDayOfWeek(field: string): string {
  return field
    .split(',')
    .map((item) => {
      if (item === '*') return item;
      if (item === 'L') return '6'; // L alone is the last day of the week: Saturday
      let m: RegExpExecArray | null;
      if ((m = /^\*\/(\d+)$/.exec(item))) return item;
      if ((m = /^(\w+)#([1-5])$/.exec(item))) return `${croneDay(m[1])}#${m[2]}`;
      if ((m = /^(\w+?)L$/.exec(item))) return `${croneDay(m[1])}#L`;
      if ((m = /^(\w+)-(\w+)(?:\/(\d+))?$/.exec(item))) return `${croneDay(m[1])}-${croneDay(m[2])}${m[3] ? `/${m[3]}` : ''}`;
      if ((m = /^(\w+)\/(\d+)$/.exec(item))) return `${croneDay(m[1])}-6/${m[2]}`;
      return croneDay(item);
    })
    .join(',');
}

/**
 * Converts an EventBridge Scheduler expression `cron(minutes hours day-of-month month day-of-week year)`
 * into the five-field croner pattern with the same meaning: `?` becomes `*`, day-of-week numbers move
 * from 1=SUN..7=SAT to 0=SUN..6=SAT, `nL` becomes `n#L`, `a/step` becomes `a-max/step`. `L`, `W`, `#`,
 * lists, ranges and names carry over.
 *
 * @throws for anything EventBridge would refuse (both or neither day field `?`, wrong field count) and
 *   for a year other than `*`, which the local scheduler does not support.
 */
export function toCronerPattern(expression: string): string {
  const body = /^cron\((.*)\)$/.exec(expression.trim())?.[1];
  if (body === undefined) {
    throw new Error(`'${expression}' is not an EventBridge cron expression: expected cron(minutes hours day-of-month month day-of-week year)`);
  }
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`'${expression}' must have 6 fields (minutes hours day-of-month month day-of-week year)`);
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new Error(`'${expression}': exactly one of day-of-month and day-of-week must be '?'`);
  }
  if (year !== '*') throw new Error(`'${expression}': the local scheduler only supports '*' as the year`);

  const pattern = [
    convertField(minutes, RANGES.minutes),
    convertField(hours, RANGES.hours),
    dayOfMonth === '?' ? '*' : convertField(dayOfMonth, RANGES.dayOfMonth),
    convertField(month, RANGES.month),
    dayOfWeek === '?' ? '*' : convertDayOfWeek(dayOfWeek),
  ].join(' ');
  try {
    new Cron(pattern, cronOptions('UTC', true)).stop();
  } catch (error) {
    throw new Error(`'${expression}' is not a valid cron expression: ${error instanceof Error ? error.message : String(error)}`);
  }
  return pattern;
}

// One day field is always '*', so AND is what EventBridge means; OR would make '*' match every day.
const cronOptions = (timezone: string, paused = false) => ({ timezone, paused, domAndDow: true, mode: '5-part' as const });

/**
 * Starts in-process timers for EventBridge Scheduler schedules. A run that throws is logged and never
 * takes the process down; a run is skipped (and logged) while the previous one is still going.
 */
export function startSchedules(
  schedules: LocalSchedule[],
  options: { log?: (message: string, detail?: Record<string, unknown>) => void } = {},
): LocalSchedules {
  const log = options.log ?? (() => {});
  const byName = new Map<string, { schedule: LocalSchedule; job: Cron }>();

  const runLogged = async (schedule: LocalSchedule, input?: Record<string, unknown>) => {
    const started = Date.now();
    log('schedule: run started', { name: schedule.name, input });
    try {
      await schedule.run(input);
      log('schedule: run finished', { name: schedule.name, ms: Date.now() - started });
    } catch (error) {
      log('schedule: run failed', { name: schedule.name, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      throw error;
    }
  };

  for (const schedule of schedules) {
    if (byName.has(schedule.name)) throw new Error(`Two schedules are named ${schedule.name}`);
    const pattern = toCronerPattern(schedule.expression);
    const job = new Cron(
      pattern,
      {
        ...cronOptions(schedule.timezone),
        protect: () => log('schedule: previous run still going, skipped', { name: schedule.name }),
        catch: true,
      },
      () => runLogged(schedule).catch(() => {}),
    );
    byName.set(schedule.name, { schedule, job });
    log('schedule: started', { name: schedule.name, expression: schedule.expression, timezone: schedule.timezone, nextRun: job.nextRun()?.toISOString() });
  }

  const get = (name: string) => {
    const entry = byName.get(name);
    if (!entry) throw new Error(`No schedule named '${name}'; known schedules: ${[...byName.keys()].join(', ') || '(none)'}`);
    return entry;
  };

  return {
    stop() {
      for (const { job } of byName.values()) job.stop();
    },
    fire: async (name, input) => runLogged(get(name).schedule, input),
    nextRun: (name, from) => get(name).job.nextRun(from),
    names: () => [...byName.keys()],
  };
}
