import { Duration, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routes } from '../functions/http/routes';
import type { Data } from './data';
import { logRetention, ProductFunction, type Binding } from './function';
import type { Identity } from './identity';
import type { Mail } from './mail';
import type { Workflows } from './workflows';

/** Props of {@link Api}. */
export interface ApiProps {
  readonly data: Data;
  readonly mail: Mail;
  readonly workflows: Workflows;
  readonly identity: Identity;
  /** Sets WEB_BASE_URL. */
  readonly web: Binding;
  /** @default 50 requests per second, bursts of 100 */
  readonly throttle?: apigwv2.ThrottleSettings;
}

/**
 * The HTTP API: one Lambda function per entry of `routes` (functions/http/routes.ts), behind a JWT
 * authorizer on the Cognito user pool; routes marked `public` (the OpenAPI document) have none.
 * The API functions read and write the records, append to the audit log, and start and answer the
 * approval workflow.
 */
export class Api extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  /** Functions by route name (`GetMe`, `SubmitRequest`, …). */
  readonly functions: ReadonlyMap<string, ProductFunction>;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logRetention });

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'kitei-flow API',
      // The default stage is created below with throttling and access logs.
      createDefaultStage: false,
    });
    new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            user: '$context.authorizer.claims.username',
          }),
        ),
      },
    });

    // Cognito access tokens carry `client_id` instead of `aud`; API Gateway checks it against the
    // web client. The handlers read the person id from the `username` claim.
    const authorizer = new HttpUserPoolAuthorizer('Cognito', props.identity.userPool, {
      userPoolClients: [props.identity.webClient],
    });

    const functions = new Map<string, ProductFunction>();
    for (const route of routes) {
      const fn = new ProductFunction(this, route.name, {
        entry: route.entry,
        description: `${route.method} ${route.path}`,
        timeout: Duration.seconds(10),
        serviceName: 'kitei-flow-api',
        bindings: [props.data, props.mail, props.web, props.workflows],
      });
      props.data.grantRecordsReadWrite(fn);
      props.data.grantAuditAppend(fn);
      props.workflows.grantStart(fn);
      props.workflows.grantTaskResponse(fn);

      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [apigwv2.HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.name}Integration`, fn.function),
        authorizer: route.public ? new apigwv2.HttpNoneAuthorizer() : authorizer,
      });
      if (route.public) {
        Validations.of(httpRoute.node.defaultChild!).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is marked public in functions/http/routes.ts: it serves the OpenAPI description, which holds no data and is read before a client signs in.`,
        });
      }
      functions.set(route.name, fn);
    }
    this.functions = functions;
  }
}
