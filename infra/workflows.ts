import * as path from 'node:path';
import { ArnFormat, Aws, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { streamFunctions, workflowFunctions } from '../functions/http/routes';
import { acknowledgeWildcards } from './compliance';
import type { Data } from './data';
import { logRetention, ProductFunction, repoRoot, type Binding, type FunctionTarget } from './function';
import type { Mail } from './mail';

/** The placeholders of approval.asl.json, one per workflow function. */
export type WorkflowFunctionKey = keyof typeof workflowFunctions;

/** Props of {@link Workflows}. */
export interface WorkflowsProps {
  readonly data: Data;
  readonly mail: Mail;
  /** Sets WEB_BASE_URL (the links in approval e-mail). */
  readonly web: Binding;
}

/**
 * The approval workflow: the Standard state machine defined by `infra/statemachines/approval.asl.json`
 * (the same file the local runtime executes) and the Lambda functions it invokes, one per
 * placeholder in `workflowFunctions` of routes.ts.
 *
 * The workflow functions read and write the records, append to the audit log, send mail and answer
 * their own task token (NotifyApprovers releases the execution at once when the stage was decided
 * before the token arrived). The API functions start executions and complete the waiting task
 * through `grantStart` and `grantTaskResponse`, and find the state machine through `bind`
 * (APPROVAL_STATE_MACHINE_ARN).
 */
export class Workflows extends Construct implements Binding {
  readonly stateMachine: sfn.StateMachine;
  readonly functions: Readonly<Record<WorkflowFunctionKey, ProductFunction>>;
  /**
   * The state machine's ARN, built from its name rather than read from the resource: the workflow
   * functions need it too (in their environment and their grants), and a reference to the resource
   * would make them depend on the state machine that depends on them.
   */
  readonly stateMachineArn: string;
  /** Every execution of the state machine: `arn:…:execution:<name>:*`. */
  private readonly executionsArn: string;
  private readonly stateMachineName: string;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.stateMachineName = `${stack.stackName}-Approval`;
    this.stateMachineArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: this.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.executionsArn = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const functions = {} as Record<WorkflowFunctionKey, ProductFunction>;
    for (const key of Object.keys(workflowFunctions) as WorkflowFunctionKey[]) {
      const spec = workflowFunctions[key];
      const fn = new ProductFunction(this, spec.name, {
        entry: spec.entry,
        description: `Approval workflow: ${spec.name}`,
        timeout: Duration.seconds(30),
        serviceName: 'kitei-flow-workflow',
        bindings: [props.data, props.mail, props.web, this],
      });
      props.data.grantRecordsReadWrite(fn);
      props.data.grantAuditAppend(fn);
      props.mail.grantSend(fn);
      this.grantTaskResponse(fn);
      functions[key] = fn;
    }
    this.functions = functions;

    const logGroup = new logs.LogGroup(this, 'Logs', {
      // Under /aws/vendedlogs/ Step Functions needs no log resource policy per group (the account's
      // policy size is limited). The stack id's GUID keeps the name free after the stack is deleted
      // and deployed again, since the retained group keeps its name.
      logGroupName: Fn.join('', ['/aws/vendedlogs/states/', this.stateMachineName, '-', Fn.select(2, Fn.split('/', Aws.STACK_ID))]),
      retention: logRetention,
    });

    // The substitutions come from the same table as the placeholders, so a function added to
    // workflowFunctions is wired here without another edit.
    const definitionSubstitutions = Object.fromEntries(
      (Object.keys(functions) as WorkflowFunctionKey[]).map((key) => [key, functions[key].function.functionArn]),
    );

    this.stateMachine = new sfn.StateMachine(this, 'Approval', {
      stateMachineName: this.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(path.join(repoRoot, 'infra', 'statemachines', 'approval.asl.json')),
      definitionSubstitutions,
      tracingEnabled: true,
      // Execution data is ids only (request id, round, stage, task token); it is what makes a
      // stuck approval traceable from the request id.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });

    // The ASL invokes the unqualified function ARNs, so exactly those are allowed (no `:*`).
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: Object.values(functions).map((fn) => fn.function.functionArn),
      }),
    );

    for (const spec of streamFunctions) this.streamFunction(spec, props);

    acknowledgeWildcards(
      this.stateMachine.role,
      (finding) => finding === 'Resource::*',
      'Added by CDK for execution logging and X-Ray tracing: the CloudWatch Logs delivery actions (logs:CreateLogDelivery, logs:PutResourcePolicy, ...) and the X-Ray actions (xray:PutTraceSegments, xray:GetSamplingRules, ...) support no resource-level permissions, so IAM needs Resource "*" for them.',
    );
  }

  /**
   * A function fed by the stream of one of the tables: it starts, wakes and stops executions (and
   * reads nothing else). A batch it cannot hand over is delivered again from the first record that
   * failed, with backoff; after `retryAttempts` reconciliation is left to set the request going.
   */
  private streamFunction(spec: (typeof streamFunctions)[number], props: WorkflowsProps): void {
    const fn = new ProductFunction(this, spec.name, {
      entry: spec.entry,
      description: spec.description.en,
      timeout: Duration.seconds(30),
      serviceName: 'kitei-flow-workflow',
      bindings: [props.data, props.mail, props.web, this],
    });
    const table = props.data.tables.get(spec.table);
    if (!table) throw new Error(`${spec.name}: no table ${spec.table}`);
    fn.function.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: spec.batchSize,
        filters: [lambda.FilterCriteria.filter(spec.filter)],
        reportBatchItemFailures: true,
        retryAttempts: spec.retryAttempts,
        maxRecordAge: Duration.hours(1),
      }),
    );
    this.grantStart(fn);
    this.grantTaskResponse(fn);
    acknowledgeWildcards(
      fn.role,
      (finding) => finding === 'Resource::*',
      'dynamodb:ListStreams, granted by the event source mapping for reading the table stream, supports no resource-level permissions, so IAM needs Resource "*" for it; the stream itself is read only through its own ARN.',
    );
  }

  /** Sets APPROVAL_STATE_MACHINE_ARN. */
  bind(fn: FunctionTarget): void {
    fn.addEnvironment('APPROVAL_STATE_MACHINE_ARN', this.stateMachineArn);
  }

  /** Start an approval execution and look at executions of this state machine. */
  grantStart(fn: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee: fn, actions: ['states:StartExecution'], resourceArns: [this.stateMachineArn] });
    iam.Grant.addToPrincipal({ grantee: fn, actions: ['states:DescribeExecution'], resourceArns: [this.executionsArn] });
    const principal = fn.grantPrincipal;
    if (principal instanceof Construct) {
      acknowledgeWildcards(
        principal,
        (finding) => finding.startsWith('Resource::arn:') && finding.endsWith(`:execution:${this.stateMachineName}:*`),
        'DescribeExecution is granted on the executions of the approval state machine only (`execution:<state machine name>:*`): execution names are made per request when it starts, so they cannot be listed in advance.',
      );
    }
  }

  /**
   * Complete or fail the AwaitDecision task with its task token. Step Functions authorises
   * SendTaskSuccess/SendTaskFailure against the state machine that issued the token.
   */
  grantTaskResponse(fn: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee: fn,
      actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
      resourceArns: [this.stateMachineArn],
    });
  }
}
