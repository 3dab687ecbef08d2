import { Aws, Duration, Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** Props of {@link Identity}. */
export interface IdentityProps {
  /**
   * Prefix of the Cognito domain (`<prefix>.auth.<region>.amazoncognito.com`). It must be unique in
   * the region across all AWS accounts, so the default derives it from this stack's id.
   *
   * @default `kiteiflow-<the GUID part of the CloudFormation stack id>`
   */
  readonly domainPrefix?: string;
  /** The web's URL (`https://<cloudfront domain>`); sign-in returns to `<webUrl>/`. */
  readonly webUrl: string;
}

/**
 * Who may sign in. Employees are created by an administrator (no self sign-up); the Cognito
 * username is the product's person id (`u-tanaka`), which the API reads from the access token's
 * `username` claim. The web signs in through the Cognito domain with the authorization code grant
 * and PKCE, as a public client (no secret).
 */
export class Identity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly domain: cognito.UserPoolDomain;
  readonly webClient: cognito.UserPoolClient;
  /** `https://<prefix>.auth.<region>.amazoncognito.com` */
  readonly domainUrl: string;
  /** Where Cognito sends the browser back after sign-in and sign-out. */
  readonly redirectUri: string;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      userInvitation: {
        emailSubject: 'kitei-flow: アカウントのご案内 / Your account',
        emailBody:
          'ユーザー名 / Username: {username}<br>仮パスワード / Temporary password: {####}<br>' +
          '初回サインイン時にパスワードを変更してください。 / Change the password when you first sign in.',
      },
      // Username sign-in keeps the username equal to the person id; e-mail is an alias so people
      // can also sign in with their address.
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      // MFA is offered (TOTP apps) but not forced; see the COG2 suppression in docs/deploy.md.
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      // Plus tier with threat protection enforced: blocks sign-ins Cognito judges risky and
      // compromised credentials (cdk-nag COG3, Plus tier).
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The stack id's GUID is unique per deployment and stable for the stack's lifetime, which is
    // what a region-wide unique domain prefix needs; hex digits and hyphens are valid in a prefix.
    Validations.of(this.userPool.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP offered to everyone) rather than required: every employee would otherwise need an authenticator app before first use. Plus-tier threat protection (enforced) blocks risky sign-ins; make MFA required once the organisation has rolled out authenticators.',
    });

    const domainPrefix = props.domainPrefix ?? Fn.join('-', ['kiteiflow', Fn.select(2, Fn.split('/', Aws.STACK_ID))]);
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix } });
    this.domainUrl = this.domain.baseUrl();

    this.redirectUri = `${props.webUrl}/`;
    this.webClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [this.redirectUri],
        logoutUrls: [this.redirectUri],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
  }
}
