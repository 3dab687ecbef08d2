import { App, AspectPriority, Aspects, CfnResource, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, rules } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * Registers the cdk-nag AwsSolutions rules on the app. cdk-nag 3 runs as a CDK policy-validation
 * plugin: any finding that is not acknowledged fails `cdk synth` / `cdk deploy` and is listed in
 * the cloud assembly's policy-validation-report.json. Acknowledgements are also written into the
 * template metadata (`cdk_nag.rules_to_suppress`) so the reasons travel with the template.
 */
export function addComplianceChecks(app: App): AwsSolutionsChecks {
  const checks = new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true });
  Validations.of(app).addPlugins(checks);
  return checks;
}

/** A finding of AwsSolutions-IAM5, as cdk-nag prints it: `Action::s3:List*` or `Resource::<Bucket.Arn>/*`. */
export type WildcardFinding = string;

/**
 * Acknowledges the AwsSolutions-IAM5 findings (wildcards in IAM policies) under `scope` that
 * `accept` selects, with `reason`. Anything it does not select stays an error.
 *
 * cdk-nag 3 acknowledges a finding only by its exact text, which contains logical ids and the
 * region (`Resource::<WebSiteBucket1E6F6F45.Arn>/*`). Rather than copy those strings, the findings
 * are computed with cdk-nag's own rule once every grant is in place (an aspect that runs before
 * validation), and each one is acknowledged separately, so the report and the template metadata
 * list exactly what was accepted.
 */
export function acknowledgeWildcards(scope: IConstruct, accept: (finding: WildcardFinding) => boolean, reason: string): void {
  Aspects.of(scope).add(
    {
      visit(node: IConstruct): void {
        if (!CfnResource.isCfnResource(node)) return;
        const findings = rules.iam.IAMNoWildcardPermissions(node);
        if (!Array.isArray(findings)) return;
        for (const finding of findings) {
          if (accept(finding)) Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
        }
      },
    },
    // Before the aspect that copies acknowledgements into the template metadata.
    { priority: AspectPriority.MUTATING },
  );
}
