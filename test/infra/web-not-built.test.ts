import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { addComplianceChecks } from '../../infra/compliance';
import { KiteiFlowStack } from '../../infra/stack';

/**
 * Without a web build (`web/dist`), the stack still synthesises: the site gets a placeholder page
 * next to config.json, and the synth warns. Function bundling is skipped here (the stack test
 * covers it), which keeps this synth fast.
 */
describe('stack without a web build', () => {
  it('deploys a placeholder page and config.json, warns, and still passes cdk-nag', () => {
    const app = new App({
      outdir: mkdtempSync(path.join(tmpdir(), 'kiteiflow-cdk-noweb-')),
      context: { 'aws:cdk:bundling-stacks': [] },
    });
    const stack = new KiteiFlowStack(app, 'KiteiFlowStack', {
      env: { region: 'ap-northeast-1' },
      webDistDir: path.join(tmpdir(), 'kiteiflow-no-such-web-dist'),
    });
    const checks = addComplianceChecks(app);
    const template = Template.fromStack(stack);

    const deployments = template.findResources('Custom::CDKBucketDeployment');
    expect(Object.keys(deployments)).toHaveLength(1);
    const [pages] = Object.values(deployments) as { Properties: Record<string, any> }[];
    expect(pages.Properties.SourceObjectKeys).toHaveLength(2);
    expect(pages.Properties.Prune).toBe(true);

    Annotations.fromStack(stack).hasWarning('/KiteiFlowStack/Web', Match.stringLikeRegexp('placeholder page'));
    expect(checks.validateScope(app).violations.map((v) => v.ruleName)).toEqual([]);
  }, 120_000);
});
