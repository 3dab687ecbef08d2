import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SignJWT, jwtVerify } from 'jose';

/**
 * Local sign-in: issues tokens with the claims a Cognito access token carries (`username` is the
 * person id) and verifies them the way API Gateway's JWT authorizer does, so the handlers see the
 * same `requestContext.authorizer.jwt.claims` locally and on AWS.
 */
export interface LocalAuth {
  issue(userId: string): Promise<string>;
  /** The verified claims, or null for a missing, expired or forged token. */
  verify(authorization: string | undefined): Promise<Record<string, string> | null>;
}

const CLIENT_ID = 'local-web';
const LIFETIME_SECONDS = 12 * 60 * 60;

/** The signing secret lives beside the data, so sessions survive a restart of `npm start`. */
function secretFor(file: string | undefined): Uint8Array {
  if (!file) return randomBytes(32);
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString('base64'), { mode: 0o600 });
  return secret;
}

export function createLocalAuth(options: { issuer: string; secretFile?: string }): LocalAuth {
  const secret = secretFor(options.secretFile);
  return {
    async issue(userId) {
      return new SignJWT({ username: userId, client_id: CLIENT_ID, token_use: 'access', scope: 'openid email profile' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(options.issuer)
        .setIssuedAt()
        .setJti(randomUUID())
        .setExpirationTime(`${LIFETIME_SECONDS}s`)
        .sign(secret);
    },
    async verify(authorization) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      if (!token) return null;
      try {
        const { payload } = await jwtVerify(token, secret, { issuer: options.issuer, algorithms: ['HS256'] });
        if (payload.client_id !== CLIENT_ID || payload.token_use !== 'access') return null;
        // API Gateway passes claims as strings.
        return Object.fromEntries(Object.entries(payload).map(([key, value]) => [key, String(value)]));
      } catch {
        return null;
      }
    },
  };
}
