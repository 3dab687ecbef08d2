import '../../infra/local/polyfills';
import type { TestProject } from 'vitest/node';
import { startLocalRuntime } from '../../infra/local/runtime';

declare module 'vitest' {
  export interface ProvidedContext {
    runtime: { url: string; dynamoEndpoint: string; tables: { records: string; audit: string } };
  }
}

/** One local product for all integration tests: DynamoDB Local in memory, seeded with the demo organisation. */
export default async function setup(project: TestProject) {
  const runtime = await startLocalRuntime({ port: 0 });
  project.provide('runtime', { url: runtime.url, dynamoEndpoint: runtime.dynamoEndpoint, tables: runtime.tables });
  return async () => {
    await runtime.stop();
  };
}
