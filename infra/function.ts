import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Repository root: entries in functions/http/routes.ts are relative to it. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** How long the product keeps function, API and workflow logs. */
export const logRetention = logs.RetentionDays.ONE_YEAR;

/**
 * Something a function can be bound to: it sets the environment variables through which the
 * function code finds it (a table name, a state machine ARN, the sender address).
 */
export interface Binding {
  bind(fn: FunctionTarget): void;
}

/** What grants and bindings need from a function: a principal and a way to set environment variables. */
export interface FunctionTarget extends iam.IGrantable {
  addEnvironment(key: string, value: string): unknown;
}

/** Props of {@link ProductFunction}. */
export interface ProductFunctionProps {
  /** Handler module relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /** Shown in the console; helps an operator find the function of a route or a schedule. */
  readonly description?: string;
  /** API handlers answer a person waiting in a browser; workflow and schedule handlers may work longer. */
  readonly timeout: Duration;
  /** Service name that Powertools writes into every log line. */
  readonly serviceName: string;
  /** Providers whose environment variables the function needs. */
  readonly bindings?: readonly Binding[];
}

/**
 * One product Lambda function with the settings every handler shares: Node.js 22 on ARM64,
 * 512 MB, an esbuild bundle (ESM, minified, source maps, AWS SDK v3 left to the runtime), a log
 * group kept for a year, and its own role that may write only to that log group. Everything else
 * the function may do is granted by the construct that owns the resource.
 */
export class ProductFunction extends Construct implements FunctionTarget {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: ProductFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logRetention });

    // An own role instead of AWSLambdaBasicExecutionRole: that managed policy lets the function
    // create any log group and write to all of them; this one may write to its own group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.entry}`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.grantPrincipal = this.role;

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(repoRoot, props.entry),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      bundling: {
        // The code is ES modules with top-level configuration; ESM keeps `import.meta` and
        // top-level await working. The banner gives CommonJS dependencies the `require` they expect.
        format: nodejs.OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Japanese labels as UTF-8 (3 bytes a character) rather than \uXXXX escapes (6): the form
        // catalogue is mostly Japanese text, and this takes about 40 KB off every bundle that has it.
        charset: nodejs.Charset.UTF8,
        externalModules: ['@aws-sdk/*'],
        forceDockerBundling: false,
      },
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      },
    });

    Validations.of(this.function.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The product runs on nodejs22.x (the runtime of the design, tested locally on the same major version); moving to a newer Node.js runtime is a deliberate upgrade, not a side effect of a CDK release.',
    });

    for (const binding of props.bindings ?? []) binding.bind(this);
  }

  addEnvironment(key: string, value: string): this {
    this.function.addEnvironment(key, value);
    return this;
  }
}
