import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { scheduledFunctions, scheduledWorkflows } from '../functions/http/routes';
import { acknowledgeWildcards } from './compliance';
import type { Data } from './data';
import { ProductFunction, type Binding } from './function';
import type { Mail } from './mail';

/** Props of {@link Schedules}. */
export interface SchedulesProps {
  readonly data: Data;
  readonly mail: Mail;
  /** Providers of the remaining shared settings (WEB_BASE_URL, APPROVAL_STATE_MACHINE_ARN). */
  readonly bindings: readonly Binding[];
  /** The state machines that `scheduledWorkflows` start, by the name of their ASL file. */
  readonly stateMachines?: ReadonlyMap<string, sfn.IStateMachine>;
}

/**
 * The scheduled jobs of `scheduledFunctions` (routes.ts): one function and one EventBridge
 * Scheduler schedule each, with the same cron expression the local runtime uses, evaluated in
 * Asia/Tokyo. Each schedule has its own role, which may invoke only its function.
 */
export class Schedules extends Construct {
  /** Functions by schedule name. */
  readonly functions: ReadonlyMap<string, ProductFunction>;
  readonly schedules: ReadonlyMap<string, scheduler.Schedule>;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const functions = new Map<string, ProductFunction>();
    const schedules = new Map<string, scheduler.Schedule>();

    for (const spec of scheduledFunctions) {
      const fn = new ProductFunction(this, spec.name, {
        entry: spec.entry,
        description: spec.description.en,
        timeout: Duration.seconds(30),
        serviceName: 'kitei-flow-schedule',
        bindings: [props.data, props.mail, ...props.bindings],
      });
      props.data.grantRecordsReadWrite(fn);
      props.data.grantAuditAppend(fn);
      props.mail.grantSend(fn);

      // Only EventBridge Scheduler acting for this account may assume the role (confused deputy).
      const role = new iam.Role(this, `${spec.name}ScheduleRole`, {
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
        description: `Lets the ${spec.name} schedule invoke its function`,
      });

      const schedule = new scheduler.Schedule(this, `${spec.name}Schedule`, {
        description: `${spec.description.ja} / ${spec.description.en}`,
        schedule: scheduler.ScheduleExpression.expression(spec.cron, TimeZone.ASIA_TOKYO),
        timeWindow: scheduler.TimeWindow.off(),
        // The jobs are idempotent and run daily: retry for a few hours, then leave it to the next run.
        target: new targets.LambdaInvoke(fn.function, {
          role,
          retryAttempts: 10,
          maxEventAge: Duration.hours(6),
        }),
      });
      acknowledgeWildcards(
        role,
        (finding) => finding.startsWith('Resource::<') && finding.endsWith('.Arn>:*'),
        'Granted by the Scheduler LambdaInvoke target (lambda grantInvoke): the function ARN and `<function ARN>:*`, i.e. the versions and aliases of this one function; no other function.',
      );
      functions.set(spec.name, fn);
      schedules.set(spec.name, schedule);
    }

    // Schedules that start a state machine: the schedule's own role may start only that one.
    for (const spec of scheduledWorkflows) {
      const stateMachine = props.stateMachines?.get(spec.stateMachine);
      if (!stateMachine) throw new Error(`Schedule ${spec.name}: no state machine ${spec.stateMachine} was given`);
      const id = spec.name.replace(/(^|-)(\w)/g, (_m, _dash: string, c: string) => c.toUpperCase());
      const role = new iam.Role(this, `${id}ScheduleRole`, {
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
        description: `Lets the ${spec.name} schedule start its state machine`,
      });
      schedules.set(
        spec.name,
        new scheduler.Schedule(this, `${id}Schedule`, {
          description: `${spec.description.ja} / ${spec.description.en}`,
          schedule: scheduler.ScheduleExpression.expression(spec.cron, TimeZone.ASIA_TOKYO),
          timeWindow: scheduler.TimeWindow.off(),
          // The run is idempotent by month: a late or repeated start opens nothing twice.
          target: new targets.StepFunctionsStartExecution(stateMachine, {
            role,
            input: scheduler.ScheduleTargetInput.fromObject({}),
            retryAttempts: 10,
            maxEventAge: Duration.hours(6),
          }),
        }),
      );
    }
    this.functions = functions;
    this.schedules = schedules;
  }
}
