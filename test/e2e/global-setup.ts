import '../../infra/local/polyfills';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** Starts the local product (seeded demo data, DynamoDB in memory) unless E2E_BASE_URL names one. */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const external = process.env.E2E_BASE_URL;
  if (external) {
    project.provide('baseUrl', external.replace(/\/+$/, ''));
    return;
  }
  const { startLocalRuntime } = await import('../../infra/local/runtime');
  const runtime = await startLocalRuntime({ port: 0, seed: true });
  project.provide('baseUrl', runtime.url);
  return async () => {
    await runtime.stop();
  };
}
