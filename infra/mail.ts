import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { Binding, FunctionTarget } from './function';

/** Props of {@link Mail}. */
export interface MailProps {
  /** The sender address (`From:`) of every mail the product sends. */
  readonly mailFrom: string;
  /**
   * Verify the whole domain of `mailFrom` (DKIM records to publish in DNS) instead of the single
   * address (a confirmation mail to click). A domain identity is what production mail needs.
   *
   * @default false
   */
  readonly verifyDomain?: boolean;
}

/**
 * Outgoing e-mail through SES v2: the sender identity, and a configuration set applied by default
 * to everything sent from it (TLS required, reputation metrics, bounces and complaints suppressed).
 * Functions get `MAIL_FROM` through `bind` and may send only as this identity (`grantSend`).
 */
export class Mail extends Construct implements Binding {
  readonly mailFrom: string;
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.mailFrom = props.mailFrom;

    const domain = props.mailFrom.split('@')[1];
    if (!domain) throw new Error(`mailFrom must be an e-mail address, got "${props.mailFrom}"`);

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });

    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: props.verifyDomain ? ses.Identity.domain(domain) : ses.Identity.email(props.mailFrom),
      configurationSet: this.configurationSet,
    });
  }

  /** Sets MAIL_FROM. */
  bind(fn: FunctionTarget): void {
    fn.addEnvironment('MAIL_FROM', this.mailFrom);
  }

  /**
   * `ses:SendEmail` as this identity only. SES authorises a send against the sending identity and
   * the configuration set in use (here the identity's default set), so both are listed.
   */
  grantSend(fn: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this);
    return iam.Grant.addToPrincipal({
      grantee: fn,
      actions: ['ses:SendEmail'],
      resourceArns: [
        this.identity.emailIdentityArn,
        stack.formatArn({
          service: 'ses',
          resource: 'configuration-set',
          resourceName: this.configurationSet.configurationSetName,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
    });
  }
}
