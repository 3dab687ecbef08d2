import * as path from 'node:path';
import { ArnFormat, Aws, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { monthlyReviewFunctions } from '../functions/http/routes';
import { acknowledgeWildcards } from './compliance';
import type { Data } from './data';
import { logRetention, ProductFunction, repoRoot, type Binding } from './function';
import type { Mail } from './mail';

/** The placeholders of monthly-review.asl.json, one per function. */
export type MonthlyReviewFunctionKey = keyof typeof monthlyReviewFunctions;

/** Props of {@link MonthlyReviewWorkflow}. */
export interface MonthlyReviewWorkflowProps {
  readonly data: Data;
  readonly mail: Mail;
  /** Providers of the remaining shared settings (WEB_BASE_URL for the links, APPROVAL_STATE_MACHINE_ARN). */
  readonly bindings: readonly Binding[];
}

/**
 * The monthly logbook reviews (月次点検): the Standard state machine defined by
 * `infra/statemachines/monthly-review.asl.json` (the file the local runtime executes too) and the
 * functions it invokes, one per placeholder in `monthlyReviewFunctions` of routes.ts. The schedule
 * that starts it lives in {@link Schedules}; the API function that completes a review answers the
 * waiting task through {@link grantTaskResponse}.
 */
export class MonthlyReviewWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly functions: Readonly<Record<MonthlyReviewFunctionKey, ProductFunction>>;
  /**
   * Built from the name rather than read from the resource: AwaitReview answers tokens of this
   * state machine, and a reference to the resource would make it depend on the state machine that
   * depends on it.
   */
  readonly stateMachineArn: string;

  constructor(scope: Construct, id: string, props: MonthlyReviewWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const stateMachineName = `${stack.stackName}-MonthlyReview`;
    this.stateMachineArn = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

    const functions = {} as Record<MonthlyReviewFunctionKey, ProductFunction>;
    for (const key of Object.keys(monthlyReviewFunctions) as MonthlyReviewFunctionKey[]) {
      const spec = monthlyReviewFunctions[key];
      const fn = new ProductFunction(this, spec.name, {
        entry: spec.entry,
        description: `Monthly review workflow: ${spec.name}`,
        timeout: Duration.seconds(30),
        serviceName: 'kitei-flow-workflow',
        bindings: [props.data, props.mail, ...props.bindings],
      });
      props.data.grantRecordsReadWrite(fn);
      props.data.grantAuditAppend(fn);
      props.mail.grantSend(fn);
      this.grantTaskResponse(fn);
      functions[key] = fn;
    }
    this.functions = functions;

    const logGroup = new logs.LogGroup(this, 'Logs', {
      // As for the approval workflow: under /aws/vendedlogs/ no log resource policy per group is
      // needed, and the stack id's GUID keeps the name free when a retained group outlives a stack.
      logGroupName: Fn.join('', ['/aws/vendedlogs/states/', stateMachineName, '-', Fn.select(2, Fn.split('/', Aws.STACK_ID))]),
      retention: logRetention,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(path.join(repoRoot, 'infra', 'statemachines', 'monthly-review.asl.json')),
      definitionSubstitutions: Object.fromEntries((Object.keys(functions) as MonthlyReviewFunctionKey[]).map((key) => [key, functions[key].function.functionArn])),
      tracingEnabled: true,
      // Execution data is a month, review ids and task tokens: enough to find a review that waits.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });

    // The ASL invokes the unqualified function ARNs, so exactly those are allowed (no `:*`).
    this.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: Object.values(functions).map((fn) => fn.function.functionArn) }));

    acknowledgeWildcards(
      this.stateMachine.role,
      (finding) => finding === 'Resource::*',
      'Added by CDK for execution logging and X-Ray tracing: the CloudWatch Logs delivery actions (logs:CreateLogDelivery, logs:PutResourcePolicy, ...) and the X-Ray actions (xray:PutTraceSegments, xray:GetSamplingRules, ...) support no resource-level permissions, so IAM needs Resource "*" for them.',
    );
  }

  /** Complete the AwaitReview task with its token (Step Functions authorises it against the issuing state machine). */
  grantTaskResponse(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resourceArns: [this.stateMachineArn] });
  }
}
