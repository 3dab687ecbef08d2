import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { monthlyReviewFunctions, productFunctions, routes, scheduledFunctions, scheduledWorkflows, streamFunctions, workflowFunctions } from '../../functions/http/routes';
import { addComplianceChecks } from '../../infra/compliance';
import { repoRoot } from '../../infra/function';
import { KiteiFlowStack } from '../../infra/stack';
import { tables } from '../../infra/tables';
import { contentSecurityPolicy } from '../../infra/web';

/**
 * The AWS stack, synthesised once the way infra/app.ts does it (same stack, same cdk-nag checks),
 * with every function bundled by the local esbuild.
 */
type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

let app: App;
let stack: KiteiFlowStack;
let checks: AwsSolutionsChecks;
let assembly: CloudAssembly;
let template: Template;
let resources: Record<string, Resource>;

const ofType = (type: string): [string, Resource][] => Object.entries(resources).filter(([, r]) => r.Type === type);
const cdkDeploymentHandler = (logicalId: string): boolean => logicalId.startsWith('CustomCDKBucketDeployment');
const productFunctionCount = productFunctions.length;

/** Every statement of every IAM policy in the template (inline role policies and AWS::IAM::Policy). */
function policyStatements(): { owner: string; statement: Record<string, any> }[] {
  const out: { owner: string; statement: Record<string, any> }[] = [];
  for (const [id, r] of Object.entries(resources)) {
    const documents: any[] = [];
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') documents.push(r.Properties.PolicyDocument);
    if (r.Type === 'AWS::IAM::Role') for (const p of r.Properties.Policies ?? []) documents.push(p.PolicyDocument);
    for (const doc of documents) for (const statement of [doc.Statement].flat()) out.push({ owner: id, statement });
  }
  return out;
}
const list = (value: unknown): unknown[] => (value === undefined ? [] : [value].flat());

beforeAll(() => {
  // The CLI passes cdk.json's context to the app; so does the test (feature flags change templates).
  const context = JSON.parse(readFileSync(path.join(repoRoot, 'cdk.json'), 'utf8')).context ?? {};
  app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'kiteiflow-cdk-')), context });
  stack = new KiteiFlowStack(app, 'KiteiFlowStack', { env: { region: 'ap-northeast-1' } });
  checks = addComplianceChecks(app);
  // Throws, with the cdk-nag report as the message, when a finding is not acknowledged.
  assembly = app.synth();
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
}, 300_000);

describe('data', () => {
  it.each(tables.map((spec) => [spec.id, spec] as const))('%s table: keys and indexes as in infra/tables.ts, PITR, deletion protection, retained', (_id, spec) => {
    const matches = ofType('AWS::DynamoDB::Table').filter(([logicalId]) => logicalId.startsWith(`Data${spec.id}`));
    expect(matches).toHaveLength(1);
    const [, table] = matches[0];
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    const p = table.Properties;
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.DeletionProtectionEnabled).toBe(true);
    expect(p.SSESpecification).toEqual({ SSEEnabled: true });
    expect(p.TableName).toBeUndefined();
    expect(p.KeySchema).toEqual([
      { AttributeName: spec.partitionKey, KeyType: 'HASH' },
      { AttributeName: spec.sortKey, KeyType: 'RANGE' },
    ]);
    expect(p.AttributeDefinitions).toContainEqual({ AttributeName: spec.sortKey, AttributeType: spec.sortKeyType });
    expect((p.GlobalSecondaryIndexes ?? []).map((i: any) => [i.IndexName, i.KeySchema.map((k: any) => k.AttributeName)])).toEqual(
      spec.indexes.map((i) => [i.indexName, [i.partitionKey, i.sortKey]]),
    );
    if (spec.timeToLiveAttribute) expect(p.TimeToLiveSpecification).toEqual({ AttributeName: spec.timeToLiveAttribute, Enabled: true });
    else expect(p.TimeToLiveSpecification).toBeUndefined();
  });

  it('never lets a function update or delete audit entries, nor scan the records', () => {
    const [auditId] = ofType('AWS::DynamoDB::Table').find(([id]) => id.startsWith('DataAudit'))!;
    for (const { owner, statement } of policyStatements()) {
      const actions = list(statement.Action) as string[];
      expect(actions, owner).not.toContain('dynamodb:Scan');
      if (JSON.stringify(statement.Resource).includes(`"${auditId}"`)) {
        expect(actions.filter((a) => /Update|Delete|BatchWrite|\*/.test(a)), owner).toEqual([]);
      }
    }
  });
});

describe('functions', () => {
  it('every product function runs nodejs22.x on arm64 with 512 MB and the shared environment', () => {
    const functions = ofType('AWS::Lambda::Function').filter(([id]) => !cdkDeploymentHandler(id));
    expect(functions).toHaveLength(productFunctionCount);
    for (const [id, fn] of functions) {
      const p = fn.Properties;
      expect(p.Runtime, id).toBe('nodejs22.x');
      expect(p.Architectures, id).toEqual(['arm64']);
      expect(p.MemorySize, id).toBe(512);
      expect(p.Handler, id).toBe('index.handler');
      expect(p.LoggingConfig?.LogGroup, id).toBeDefined();
      expect(Object.keys(p.Environment.Variables).sort(), id).toEqual(
        [
          'APPROVAL_STATE_MACHINE_ARN',
          'AUDIT_TABLE',
          'MAIL_FROM',
          'NODE_OPTIONS',
          'POWERTOOLS_LOG_LEVEL',
          'POWERTOOLS_SERVICE_NAME',
          'RECORDS_TABLE',
          'WEB_BASE_URL',
        ].sort(),
      );
      expect(p.Environment.Variables.POWERTOOLS_LOG_LEVEL).toBe('INFO');
      expect(p.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });

  it('API functions time out after 10 s, workflow and schedule functions after 30 s', () => {
    const functions = ofType('AWS::Lambda::Function').filter(([id]) => !cdkDeploymentHandler(id));
    const timeouts = functions.map(([id, fn]) => [id.startsWith('Api') ? 'api' : 'other', fn.Properties.Timeout]);
    expect(timeouts.filter(([kind]) => kind === 'api')).toHaveLength(routes.length);
    for (const [kind, timeout] of timeouts) expect(timeout).toBe(kind === 'api' ? 10 : 30);
  });

  it('the functions use their own roles, not AWSLambdaBasicExecutionRole', () => {
    for (const [id, role] of ofType('AWS::IAM::Role')) {
      expect(JSON.stringify(role.Properties.ManagedPolicyArns ?? []), id).not.toContain('AWSLambdaBasicExecutionRole');
    }
  });
});

describe('api', () => {
  it('is an HTTP API with a JWT authorizer on the Cognito user pool and the web client as audience', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: Match.stringLikeRegexp('^IdentityUserPoolWebClient') }],
        Issuer: { 'Fn::Join': ['', [Match.stringLikeRegexp('^https://cognito-idp\\.'), { Ref: Match.stringLikeRegexp('^IdentityUserPool') }]] },
      },
    });
  });

  it('has one route per entry of routes.ts, each to its own function; only public routes go without the authorizer', () => {
    const routeResources = ofType('AWS::ApiGatewayV2::Route');
    expect(routeResources).toHaveLength(routes.length);
    const [authorizerId] = ofType('AWS::ApiGatewayV2::Authorizer')[0];
    for (const spec of routes) {
      const found = routeResources.filter(([, r]) => r.Properties.RouteKey === `${spec.method} ${spec.path}`);
      expect(found, `${spec.method} ${spec.path}`).toHaveLength(1);
      const route = found[0][1].Properties;
      if (spec.public) {
        expect(route.AuthorizationType).toBe('NONE');
        expect(route.AuthorizerId).toBeUndefined();
      } else {
        expect(route.AuthorizationType).toBe('JWT');
        expect(route.AuthorizerId).toEqual({ Ref: authorizerId });
      }
      // route → integration → the function whose description names this route
      const integrationId = route.Target['Fn::Join'][1][1].Ref;
      const functionId = resources[integrationId].Properties.IntegrationUri['Fn::GetAtt'][0];
      expect(resources[functionId].Properties.Description).toBe(`${spec.method} ${spec.path}`);
    }
  });

  it('throttles and logs the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }, Format: Match.stringLikeRegexp('\\$context\\.requestId') },
    });
  });
});

describe('workflows', () => {
  it('is one Standard state machine with logging (ALL) and tracing', () => {
    // Two in the stack: the approval workflow and the monthly reviews (below).
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }] },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('deploys approval.asl.json with every placeholder substituted by a workflow function ARN', () => {
    const [, machine] = ofType('AWS::StepFunctions::StateMachine').find(([id]) => id.startsWith('WorkflowsApproval'))!;
    const substitutions: Record<string, any> = machine.Properties.DefinitionSubstitutions;
    expect(Object.keys(substitutions).sort()).toEqual(Object.keys(workflowFunctions).sort());

    // The definition is an asset: the deployed file must be approval.asl.json itself.
    const key: string = machine.Properties.DefinitionS3Location.Key;
    const deployed = readFileSync(path.join(assembly.directory, `asset.${key}`), 'utf8');
    expect(deployed).toBe(readFileSync(path.join(repoRoot, 'infra/statemachines/approval.asl.json'), 'utf8'));

    // What CloudFormation does with DefinitionSubstitutions; nothing may be left over.
    let definition = deployed;
    for (const [name, value] of Object.entries(substitutions)) {
      expect(value).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
      definition = definition.split(`\${${name}}`).join(`<${value['Fn::GetAtt'][0]}.Arn>`);
    }
    expect(definition).not.toContain('${');
    const states = Object.values(JSON.parse(definition).States) as any[];
    const invoked = states.filter((s) => s.Type === 'Task').map((s) => s.Parameters.FunctionName);
    const workflowFunctionIds = Object.values(workflowFunctions).map(({ name }) => {
      const [id] = ofType('AWS::Lambda::Function').find(([logicalId]) => logicalId.startsWith(`Workflows${name}Function`))!;
      return `<${id}.Arn>`;
    });
    expect(new Set(invoked)).toEqual(new Set(workflowFunctionIds));
  });

  it('lets the state machine invoke exactly the three workflow functions', () => {
    const invokes = policyStatements().filter(({ owner, statement }) => owner.startsWith('WorkflowsApprovalRole') && list(statement.Action).includes('lambda:InvokeFunction'));
    expect(invokes).toHaveLength(1);
    expect(list(invokes[0].statement.Resource)).toHaveLength(Object.keys(workflowFunctions).length);
  });

  it('gives the API functions start and task-response rights on the state machine', () => {
    const apiStatements = policyStatements().filter(({ owner }) => owner.startsWith('ApiSubmitRequestRole'));
    const actions = apiStatements.flatMap(({ statement }) => list(statement.Action));
    expect(actions).toEqual(expect.arrayContaining(['states:StartExecution', 'states:SendTaskSuccess', 'states:SendTaskFailure', 'states:DescribeExecution']));
  });
});

describe('the records stream', () => {
  it('feeds request changes to HandOverRequests: filtered to request items, failed records delivered again', () => {
    const [, table] = ofType('AWS::DynamoDB::Table').find(([id]) => id.startsWith('DataRecords'))!;
    expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const mappings = ofType('AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(streamFunctions.length);
    const [, mapping] = mappings[0];
    expect(mapping.Properties.EventSourceArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DataRecords/), 'StreamArn'] });
    expect(mapping.Properties.FunctionName).toEqual({ Ref: expect.stringMatching(/^WorkflowsHandOverRequestsFunction/) });
    expect(mapping.Properties).toMatchObject({
      StartingPosition: 'LATEST',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: streamFunctions[0].retryAttempts,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(streamFunctions[0].filter) }] },
    });
  });

  it('lets HandOverRequests start and answer approval executions, and read the records only through the stream', () => {
    const statements = policyStatements().filter(({ owner }) => owner.startsWith('WorkflowsHandOverRequestsRole'));
    const actions = statements.flatMap(({ statement }) => list(statement.Action));
    expect(actions).toEqual(expect.arrayContaining(['states:StartExecution', 'states:SendTaskSuccess', 'states:SendTaskFailure', 'dynamodb:GetRecords']));
    expect(actions).not.toContain('dynamodb:GetItem');
    expect(actions).not.toContain('dynamodb:PutItem');
  });
});

describe('schedules', () => {
  it.each(scheduledFunctions.map((s) => [s.name, s] as const))('%s runs on its cron in Asia/Tokyo, invoking only its function', (name, spec) => {
    const schedules = ofType('AWS::Scheduler::Schedule').filter(([id]) => id.startsWith(`Schedules${name}Schedule`));
    expect(schedules).toHaveLength(1);
    const p = schedules[0][1].Properties;
    expect(p.ScheduleExpression).toBe(spec.cron);
    expect(p.ScheduleExpressionTimezone).toBe('Asia/Tokyo');
    expect(p.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
    const functionId = p.Target.Arn['Fn::GetAtt'][0];
    const roleId = p.Target.RoleArn['Fn::GetAtt'][0];
    const statements = policyStatements().filter(({ owner }) => resources[owner].Type === 'AWS::IAM::Policy' && JSON.stringify(resources[owner].Properties.Roles).includes(`"${roleId}"`));
    expect(statements.flatMap(({ statement }) => list(statement.Action))).toEqual(['lambda:InvokeFunction']);
    for (const resource of statements.flatMap(({ statement }) => list(statement.Resource))) {
      expect(JSON.stringify(resource)).toContain(`"${functionId}"`);
    }
  });
});

describe('monthly reviews', () => {
  const machineEntry = () => ofType('AWS::StepFunctions::StateMachine').find(([id]) => id.startsWith('MonthlyReviewStateMachine'))!;

  it('is a second Standard state machine, deployed from monthly-review.asl.json, with logging (ALL) and tracing', () => {
    const [, machine] = machineEntry();
    expect(machine.Properties.StateMachineType).toBe('STANDARD');
    expect(machine.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
    const deployed = readFileSync(path.join(assembly.directory, `asset.${machine.Properties.DefinitionS3Location.Key}`), 'utf8');
    expect(deployed).toBe(readFileSync(path.join(repoRoot, 'infra/statemachines/monthly-review.asl.json'), 'utf8'));
    const substitutions: Record<string, any> = machine.Properties.DefinitionSubstitutions;
    expect(Object.keys(substitutions).sort()).toEqual(Object.keys(monthlyReviewFunctions).sort());
    for (const [key, spec] of Object.entries(monthlyReviewFunctions)) {
      const [functionId] = ofType('AWS::Lambda::Function').find(([id]) => id.startsWith(`MonthlyReview${spec.name}Function`))!;
      expect(substitutions[key]).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
    }
  });

  it('lets the state machine invoke exactly its two functions', () => {
    const invokes = policyStatements().filter(({ owner, statement }) => owner.startsWith('MonthlyReviewStateMachineRole') && list(statement.Action).includes('lambda:InvokeFunction'));
    expect(invokes).toHaveLength(1);
    expect(list(invokes[0].statement.Resource)).toHaveLength(Object.keys(monthlyReviewFunctions).length);
  });

  it.each(scheduledWorkflows.map((s) => [s.name, s] as const))('%s starts the state machine at 09:00 Asia/Tokyo on the 1st, with a role that may start only it', (_name, spec) => {
    const schedules = ofType('AWS::Scheduler::Schedule').filter(([, r]) => r.Properties.ScheduleExpression === spec.cron);
    expect(schedules).toHaveLength(1);
    const p = schedules[0][1].Properties;
    expect(spec.cron).toBe('cron(0 9 1 * ? *)');
    expect(p.ScheduleExpressionTimezone).toBe('Asia/Tokyo');
    expect(p.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
    const [machineId] = machineEntry();
    expect(p.Target.Arn).toEqual({ Ref: machineId });
    expect(JSON.parse(p.Target.Input)).toEqual({});
    const roleId = p.Target.RoleArn['Fn::GetAtt'][0];
    const statements = policyStatements().filter(({ owner }) => resources[owner].Type === 'AWS::IAM::Policy' && JSON.stringify(resources[owner].Properties.Roles).includes(`"${roleId}"`));
    expect(statements.flatMap(({ statement }) => list(statement.Action))).toEqual(['states:StartExecution']);
    expect(statements.flatMap(({ statement }) => list(statement.Resource))).toEqual([{ Ref: machineId }]);
  });

  it('lets the function that completes a review answer the waiting task', () => {
    const actions = policyStatements()
      .filter(({ owner }) => owner.startsWith('ApiCompleteReviewRole'))
      .filter(({ statement }) => JSON.stringify(statement.Resource).includes('-MonthlyReview'))
      .flatMap(({ statement }) => list(statement.Action));
    expect(actions).toEqual(expect.arrayContaining(['states:SendTaskSuccess', 'states:SendTaskFailure']));
  });
});

describe('web', () => {
  it('serves the private bucket through CloudFront with origin access control', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Origins: Match.arrayWith([Match.objectLike({ OriginAccessControlId: { 'Fn::GetAtt': [Match.anyValue(), 'Id'] } })]),
      }),
    });
    for (const [id, bucket] of ofType('AWS::S3::Bucket')) {
      expect(bucket.Properties.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('sends the security headers, CSP included, on every answer', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: contentSecurityPolicy, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: Match.anyValue(), Override: true }),
        },
      }),
    });
    expect(contentSecurityPolicy).toContain("connect-src 'self' https://*.amazoncognito.com");
    const [, distribution] = ofType('AWS::CloudFront::Distribution')[0];
    const config = distribution.Properties.DistributionConfig;
    const [policyId] = ofType('AWS::CloudFront::ResponseHeadersPolicy')[0];
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    }
  });

  it('forwards /api/* to the HTTP API uncached, with every viewer header but Host', () => {
    const [, distribution] = ofType('AWS::CloudFront::Distribution')[0];
    const config = distribution.Properties.DistributionConfig;
    const api = config.CacheBehaviors.find((b: any) => b.PathPattern === '/api/*');
    expect(api).toBeDefined();
    expect(api.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // Managed-CachingDisabled
    expect(api.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac'); // Managed-AllViewerExceptHostHeader
    expect(api.AllowedMethods).toHaveLength(7);
    const origin = config.Origins.find((o: any) => o.Id === api.TargetOriginId);
    expect(JSON.stringify(origin.DomainName)).toContain('ApiEndpoint');
    expect(origin.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    // Custom error pages would turn the API's 403/404 JSON into the page.
    expect(config.CustomErrorResponses).toBeUndefined();
  });

  it('publishes config.json naming the Cognito domain, the web client and the CloudFront URL', () => {
    const deployments = ofType('Custom::CDKBucketDeployment');
    const pages = deployments.find(([id]) => id.startsWith('WebDeployPages'));
    expect(pages).toBeDefined();
    const markers = JSON.stringify(pages![1].Properties.SourceMarkers);
    expect(markers).toMatch(/"Ref":"IdentityUserPoolDomain/);
    expect(markers).toMatch(/"Ref":"IdentityUserPoolWebClient/);
    expect(markers).toMatch(/"WebDistribution[0-9A-F]+","DomainName"/);
    expect(deployments).toHaveLength(existsSync(path.join(repoRoot, 'web/dist/assets')) && existsSync(path.join(repoRoot, 'web/dist/index.html')) ? 2 : 1);
  });
});

describe('identity', () => {
  it('is an admin-managed user pool with a strong password policy, optional MFA and threat protection', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      MfaConfiguration: 'OPTIONAL',
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true }) },
    });
  });

  it('has a public web client (code grant, no secret) that returns to the CloudFront URL', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebDistribution'), 'DomainName'] }, '/']] }],
    });
  });
});

describe('mail', () => {
  it('has an SES identity with a default configuration set, and sends are scoped to them', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'no-reply@example.co.jp',
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: Match.anyValue() } },
    });
    const sends = policyStatements().filter(({ statement }) => list(statement.Action).includes('ses:SendEmail'));
    expect(sends.length).toBe(Object.keys(workflowFunctions).length + scheduledFunctions.length + Object.keys(monthlyReviewFunctions).length);
    for (const { statement } of sends) {
      for (const resource of list(statement.Resource)) expect(JSON.stringify(resource)).toMatch(/:identity\/|:configuration-set\//);
    }
  });
});

describe('IAM', () => {
  it('has no statement with Action "*", nor a wildcard service action on Resource "*"', () => {
    for (const { owner, statement } of policyStatements()) {
      const actions = list(statement.Action ?? statement.NotAction) as string[];
      expect(statement.NotAction, owner).toBeUndefined();
      expect(actions, owner).not.toContain('*');
      if (list(statement.Resource).includes('*')) {
        expect(actions.filter((action) => action.endsWith(':*')), owner).toEqual([]);
      }
    }
  });

  it('writes no literal ARN into the template', () => {
    expect(JSON.stringify(template.toJSON())).not.toMatch(/"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}/);
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('reports no finding that is not acknowledged', () => {
    const { violations } = checks.validateScope(app);
    const lines = violations.map(
      (v) => `${String(v.severity).toUpperCase()} ${v.ruleName}: ${v.description}\n  ${v.violatingResources.map((r) => r.constructPath).join('\n  ')}`,
    );
    if (lines.length > 0) console.error(`cdk-nag findings:\n${lines.join('\n')}`);
    expect(violations.filter((v) => v.severity === 'error').map((v) => v.ruleName)).toEqual([]);
    expect(violations.filter((v) => v.severity === 'warning').map((v) => v.ruleName)).toEqual([]);
  });

  it('gives every acknowledgement in the template a reason, and acknowledges only the documented rules', () => {
    const acknowledged = new Set<string>();
    for (const [id, r] of Object.entries(resources)) {
      for (const rule of r.Metadata?.cdk_nag?.rules_to_suppress ?? []) {
        expect(rule.id, id).toMatch(/^AwsSolutions-/);
        expect(typeof rule.reason, `${id} ${rule.id}`).toBe('string');
        expect(rule.reason.trim().length, `${id} ${rule.id}`).toBeGreaterThan(40);
        acknowledged.add(rule.id.replace(/\[.*$/, ''));
      }
    }
    // Each of these is explained in docs/deploy.md.
    expect([...acknowledged].sort()).toEqual(
      ['AwsSolutions-APIG4', 'AwsSolutions-CFR1', 'AwsSolutions-CFR2', 'AwsSolutions-CFR4', 'AwsSolutions-COG2', 'AwsSolutions-IAM5', 'AwsSolutions-L1', 'AwsSolutions-S1'].sort(),
    );
    const docs = readFileSync(path.join(repoRoot, 'docs/deploy.md'), 'utf8');
    for (const rule of acknowledged) expect(docs, `docs/deploy.md explains ${rule}`).toContain(rule);
  });

  // CloudFormation refuses a stack of more than 500 resources at deploy time; this says so at test time.
  it('stays within the 500 resources CloudFormation allows in one stack', () => {
    expect(Object.keys(resources).length).toBeLessThanOrEqual(500);
  });

  it('leaves no CloudFormation validation finding', () => {
    const reportPath = path.join(assembly.directory, 'validation-report.json');
    if (!existsSync(reportPath)) return;
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    const open = (report.pluginReports ?? []).flatMap((p: any) => (p.violations ?? []).map((v: any) => `${p.pluginName} ${v.ruleName}: ${v.description}`));
    expect(open).toEqual([]);
  });
});
