import type { ApiResult } from './api';
import type { LambdaResult } from './lambda';
import type { ReviewScaleResult } from './review-scale';
import type { ScaleResult } from './scale';
import type { WebBuildResult, WebLoadResult } from './web';
import type { WorkflowResult } from './workflow';

/** The shape of .bench/results.json. */
export interface BenchResults {
  meta: {
    date: string;
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    durationSeconds: number;
    /** Seconds per section, in the order they ran. */
    sections: Record<string, number>;
    /** The machine's 1-minute load average, sampled every 2 s during the run: other work shares the cores. */
    loadAverage: { mean: number; max: number };
  };
  api?: ApiResult;
  workflow?: WorkflowResult;
  /** Scan calls the functions made during the whole run (every section that goes through the product). */
  scans?: number;
  /** Every DynamoDB call the functions made during the run, by operation. */
  functionCalls?: Record<string, number>;
  lambda?: LambdaResult;
  webBuild?: WebBuildResult;
  webLoad?: WebLoadResult;
  scale?: ScaleResult;
  /** The monthly review opened for a small and a large organisation (bench/review-scale.ts). */
  reviewScale?: ReviewScaleResult;
  /** A section that failed, with its error. */
  errors: Partial<Record<'api' | 'workflow' | 'lambda' | 'webBuild' | 'webLoad' | 'scale' | 'reviewScale' | 'runtime', string>>;
}
