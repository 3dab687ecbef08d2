import { CfnOutput, Stack, type App, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Api } from './api';
import { Data } from './data';
import { Identity } from './identity';
import { Mail } from './mail';
import { MonthlyReviewWorkflow } from './monthly-review-workflow';
import { Schedules } from './schedules';
import { Web } from './web';
import { Workflows } from './workflows';

/** Props of {@link KiteiFlowStack}. */
export interface KiteiFlowStackProps extends StackProps {
  /** Sender address of every mail. @default no-reply@example.co.jp */
  readonly mailFrom?: string;
  /** Verify the sender's whole domain in SES instead of the single address. @default false */
  readonly mailVerifyDomain?: boolean;
  /** Prefix of the Cognito domain. @default derived from the stack id (see {@link IdentityProps.domainPrefix}) */
  readonly cognitoDomainPrefix?: string;
  /** Built front-end. @default web/dist */
  readonly webDistDir?: string;
}

/** The settings `cdk deploy -c name=value` (or cdk.json "context") can change. */
export function kiteiFlowPropsFromContext(scope: Construct): KiteiFlowStackProps {
  const context = (name: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(name);
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  return {
    env: { region: context('region') ?? 'ap-northeast-1' },
    mailFrom: context('mailFrom'),
    mailVerifyDomain: context('mailVerifyDomain') === 'true',
    cognitoDomainPrefix: context('cognitoDomainPrefix'),
  };
}

/**
 * The whole product on AWS: records (DynamoDB), sign-in (Cognito), the HTTP API, the approval
 * workflow (Step Functions), mail (SES), schedules (EventBridge Scheduler) and the web
 * (S3 + CloudFront, which also fronts the API under /api/*).
 *
 * The order below follows the dependencies: the CloudFront URL is the sign-in callback, the
 * Cognito client is the API's token audience, and the web's config.json names the client.
 */
export class KiteiFlowStack extends Stack {
  constructor(scope: App | Construct, id: string, props: KiteiFlowStackProps = {}) {
    super(scope, id, { description: 'kitei-flow: forms and approvals', ...props });

    const data = new Data(this, 'Data');
    const mail = new Mail(this, 'Mail', {
      mailFrom: props.mailFrom ?? 'no-reply@example.co.jp',
      verifyDomain: props.mailVerifyDomain,
    });
    const web = new Web(this, 'Web', { distDir: props.webDistDir });
    const identity = new Identity(this, 'Identity', { domainPrefix: props.cognitoDomainPrefix, webUrl: web.url });
    const workflows = new Workflows(this, 'Workflows', { data, mail, web });
    const api = new Api(this, 'Api', { data, mail, workflows, identity, web });
    const monthlyReview = new MonthlyReviewWorkflow(this, 'MonthlyReview', { data, mail, bindings: [web, workflows] });
    // Completing a review answers the AwaitReview task of the monthly review state machine.
    const completeReview = api.functions.get('CompleteReview');
    if (completeReview) monthlyReview.grantTaskResponse(completeReview);
    const schedules = new Schedules(this, 'Schedules', { data, mail, bindings: [web, workflows], stateMachines: new Map([['monthly-review', monthlyReview.stateMachine]]) });
    // Reconciliation starts approval executions again and wakes those whose stage was decided.
    const reconcile = schedules.functions.get('ReconcileWorkflows');
    if (reconcile) {
      workflows.grantStart(reconcile);
      workflows.grantTaskResponse(reconcile);
    }

    web.addApiOrigin(api.httpApi);
    web.deploySite({
      auth: {
        mode: 'cognito',
        domain: identity.domainUrl,
        clientId: identity.webClient.userPoolClientId,
        redirectUri: identity.redirectUri,
      },
    });

    new CfnOutput(this, 'WebUrl', { value: web.url, description: 'Open this in a browser' });
    new CfnOutput(this, 'ApiEndpoint', { value: api.httpApi.apiEndpoint, description: 'The HTTP API without CloudFront (the web uses <WebUrl>/api)' });
    new CfnOutput(this, 'UserPoolId', { value: identity.userPool.userPoolId, description: 'Create users here; the username is the person id' });
    new CfnOutput(this, 'UserPoolClientId', { value: identity.webClient.userPoolClientId });
    new CfnOutput(this, 'CognitoDomain', { value: identity.domainUrl });
    new CfnOutput(this, 'StateMachineArn', { value: workflows.stateMachine.stateMachineArn });
    new CfnOutput(this, 'MonthlyReviewStateMachineArn', { value: monthlyReview.stateMachine.stateMachineArn, description: 'Start it with {"month":"YYYY-MM"} to review any month now' });
    new CfnOutput(this, 'RecordsTableName', { value: data.records.tableName, description: 'Seed the organisation here' });
    new CfnOutput(this, 'AuditTableName', { value: data.audit.tableName });
    new CfnOutput(this, 'MailIdentity', { value: mail.identity.emailIdentityName, description: 'Verify this identity in SES' });
  }
}
