/**
 * CDK app entry (`cdk.json` runs it with tsx). Synthesises offline: no credentials, no network,
 * no Docker (functions are bundled with the local esbuild).
 */
import { App } from 'aws-cdk-lib';
import { addComplianceChecks } from './compliance';
import { KiteiFlowStack, kiteiFlowPropsFromContext } from './stack';

const app = new App();
new KiteiFlowStack(app, 'KiteiFlowStack', kiteiFlowPropsFromContext(app));
// cdk-nag AwsSolutions: any finding without an acknowledgement (and its reason) fails the synth.
addComplianceChecks(app);
