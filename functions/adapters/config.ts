import * as z from 'zod';

/**
 * The functions' configuration, read and validated once per process. On AWS the CDK stack sets
 * these; the local runtime sets the same names (and the SDK's own AWS_ENDPOINT_URL_<SERVICE>
 * variables, which point the real clients at local endpoints).
 */
const Environment = z.object({
  RECORDS_TABLE: z.string().min(1),
  AUDIT_TABLE: z.string().min(1),
  APPROVAL_STATE_MACHINE_ARN: z.string().min(1),
  MAIL_FROM: z.string().min(3),
  WEB_BASE_URL: z.url().transform((url) => url.replace(/\/+$/, '')),
  POWERTOOLS_SERVICE_NAME: z.string().default('kitei-flow'),
});

export type Config = z.infer<typeof Environment>;

function load(): Config {
  const parsed = Environment.safeParse(process.env);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`Configuration is incomplete or invalid: ${missing}`);
  }
  return parsed.data;
}

export const config: Config = load();
