import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Annotations, Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledgeWildcards } from './compliance';
import { logRetention, repoRoot, type Binding, type FunctionTarget } from './function';

/** The Content-Security-Policy of every answer: the page loads only its own code and talks only to itself and Cognito. */
export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self' https://*.amazoncognito.com; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/** Props of {@link Web}. */
export interface WebProps {
  /**
   * Folder with the built front-end (`npm run build:web`). When it does not exist the site gets a
   * placeholder page, so that the stack still synthesises (tests, CI) without a web build.
   *
   * @default `<repo>/web/dist`
   */
  readonly distDir?: string;
}

/** `config.json`, which the front-end reads at start to learn how to sign in. */
export interface WebConfig {
  readonly auth: {
    readonly mode: 'cognito';
    /** `https://<prefix>.auth.<region>.amazoncognito.com` */
    readonly domain: string;
    readonly clientId: string;
    readonly redirectUri: string;
  };
}

/**
 * The web front-end and the API behind one CloudFront origin: the static bundle from a private S3
 * bucket (origin access control) and `/api/*` forwarded to the HTTP API, so the page calls its own
 * origin and the CSP can stay `'self'`. Every answer carries the security-headers policy.
 *
 * Built in three steps because the parts depend on one another: the distribution first (its URL is
 * the sign-in callback), then `addApiOrigin` once the API exists, then `deploySite` once the
 * Cognito client exists.
 */
export class Web extends Construct implements Binding {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  /** `https://<distribution domain>`, without a trailing slash. */
  readonly url: string;
  private readonly distDir: string;

  constructor(scope: Construct, id: string, props: WebProps = {}) {
    super(scope, id);
    this.distDir = props.distDir ?? path.join(repoRoot, 'web', 'dist');
    // Deliver S3 server access logs through a bucket policy for the logging service, not the
    // legacy LogDeliveryWrite ACL (the feature flag's default is the ACL).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    // CloudFront standard logs are delivered with an ACL grant, so this bucket keeps ACLs enabled
    // (the log files still end up owned by this account) while blocking every public access.
    this.logBucket = new s3.Bucket(this, 'LogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    Validations.of(this.logBucket.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the access logs of the site bucket and of CloudFront; logging it into itself would loop, and logging it into another bucket would only move the question.',
    });

    this.bucket = new s3.Bucket(this, 'SiteBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/site/',
    });

    this.responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Security headers of the web and the API',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()', override: true },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    // No custom error responses: they would apply to /api/* too and turn the API's 403/404 JSON
    // into the page. The front-end routes with the URL fragment (`#/links/<token>`), so S3 never
    // sees a client-side path.
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'kitei-flow web and API',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Price class 200 includes the edge locations in Japan, where the users are.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    Validations.of(this.distribution.node.defaultChild!).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'No geo restriction: employees sign in from wherever they work (travel, overseas sites); access is controlled by Cognito sign-in, not by country.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason: 'No AWS WAF web ACL: a CloudFront web ACL must live in us-east-1 (a second stack) and costs per rule; the API is behind a JWT authorizer with stage throttling, and Cognito threat protection guards sign-in. Add a web ACL when the product is exposed beyond employees.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason: 'The distribution uses its default *.cloudfront.net certificate, for which CloudFront does not allow choosing a minimum viewer TLS version; a custom domain with an ACM certificate (TLSv1.2_2021) is the fix when the product gets its own domain.',
      },
    );
  }

  /** Sets WEB_BASE_URL, the base of the links in e-mail (`<WEB_BASE_URL>/#/links/<token>`). */
  bind(fn: FunctionTarget): void {
    fn.addEnvironment('WEB_BASE_URL', this.url);
  }

  /**
   * Forwards `/api/*` to the HTTP API: never cached, every viewer header (Authorization,
   * Accept-Language) except Host, which must name the API's own domain for API Gateway to answer.
   */
  addApiOrigin(api: apigwv2.IHttpApi): void {
    // apiEndpoint is `https://<id>.execute-api.<region>.<suffix>`; the origin wants the host alone.
    const apiDomain = Fn.select(2, Fn.split('/', api.apiEndpoint));
    this.distribution.addBehavior(
      '/api/*',
      new origins.HttpOrigin(apiDomain, {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      }),
      {
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
    );
  }

  /**
   * Uploads the front-end and its `config.json`. Hashed files under `assets/` are cached for a
   * year and never pruned (a page loaded before a deployment can still fetch its chunks); the
   * rest (index.html, config.json) is revalidated on every load so a deployment shows at once.
   */
  deploySite(config: WebConfig): void {
    const handlerLogs = new logs.LogGroup(this, 'DeploymentLogs', { retention: logRetention });
    // An own role instead of AWSLambdaBasicExecutionRole, so the deployment handler writes only
    // to its own log group; BucketDeployment adds the S3 grants it needs to this role.
    const role = new iam.Role(this, 'DeploymentRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the web bundle into the site bucket',
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [handlerLogs.logGroupArn] }),
    );

    const built = existsSync(path.join(this.distDir, 'index.html'));
    if (!built) {
      Annotations.of(this).addWarningV2(
        'kitei-flow:web-not-built',
        `${path.relative(repoRoot, this.distDir)} has no index.html: the site gets a placeholder page. Run \`npm run build:web\` before deploying (npm run deploy does).`,
      );
    }

    const common = { destinationBucket: this.bucket, role, logGroup: handlerLogs, memoryLimit: 512 } as const;

    // The hashed files go first: index.html must never point at chunks that are not uploaded yet.
    // They are also created first because both deployments share one handler, whose AWS CLI layer
    // belongs to the deployment created first; if that were the pages, their dependency on the
    // assets would include the layer and close a cycle (layer → assets → handler → layer).
    const assetsDir = path.join(this.distDir, 'assets');
    const assets =
      built && existsSync(assetsDir)
        ? new s3deploy.BucketDeployment(this, 'DeployAssets', {
            ...common,
            sources: [s3deploy.Source.asset(assetsDir)],
            destinationKeyPrefix: 'assets/',
            prune: false,
            cacheControl: [
              s3deploy.CacheControl.setPublic(),
              s3deploy.CacheControl.maxAge(Duration.days(365)),
              s3deploy.CacheControl.immutable(),
            ],
          })
        : undefined;

    const pages = new s3deploy.BucketDeployment(this, 'DeployPages', {
      ...common,
      sources: [
        built ? s3deploy.Source.asset(this.distDir, { exclude: ['assets'] }) : s3deploy.Source.data('index.html', placeholderPage),
        // Last, so that it replaces any config.json the build may contain.
        s3deploy.Source.jsonData('config.json', config),
      ],
      // Keeps prune away from the hashed files, which the other deployment owns.
      exclude: ['assets/*'],
      prune: true,
      cacheControl: [s3deploy.CacheControl.noCache()],
    });
    if (assets) pages.node.addDependency(assets);

    acknowledgeWildcards(
      role,
      (finding) => /^Action::s3:[A-Za-z]+\*$/.test(finding) || /^Resource::.+\/\*$/.test(finding),
      'Granted by BucketDeployment to copy the web bundle: it reads its source zip from the CDK asset bucket and syncs the site bucket, which takes the object-level action groups (s3:GetObject*, s3:GetBucket*, s3:List*, s3:DeleteObject*, s3:Abort*) on the objects (`<bucket>/*`) of those two buckets only.',
    );
    // The deployment handler is one function shared by both deployments, created by aws-cdk-lib.
    for (const child of Stack.of(this).node.children) {
      if (child.node.id.startsWith('Custom::CDKBucketDeployment')) {
        Validations.of(child.node.defaultChild ?? child).acknowledge({
          id: 'AwsSolutions-L1',
          reason: 'The BucketDeployment handler (Python, with the AWS CLI layer) is owned by aws-cdk-lib, which picks and updates its runtime; it runs only during deployments.',
        });
      }
    }
  }
}

const placeholderPage = `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>kitei-flow</title></head>
<body><p>画面がまだビルドされていません。<code>npm run deploy</code> で再デプロイしてください。</p>
<p>The web front-end was not built. Deploy again with <code>npm run deploy</code>.</p></body></html>
`;
