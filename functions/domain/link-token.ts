import { createHash, randomBytes } from 'node:crypto';

/** How long an e-mailed approval link stays usable. */
export const LINK_LIFETIME_DAYS = 7;

/** A fresh link token: 32 random bytes, URL-safe. Only its hash is ever stored. */
export const newLinkToken = (): string => randomBytes(32).toString('base64url');

export const hashLinkToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Tokens are exactly 43 URL-safe characters; anything else is refused before any lookup. */
export const isWellFormedLinkToken = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);

export interface ApprovalLink {
  tokenHash: string;
  taskId: string;
  requestId: string;
  round: number;
  stage: number;
  approverId: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export function linkExpiry(now: Date): string {
  return new Date(now.getTime() + LINK_LIFETIME_DAYS * 24 * 60 * 60 * 1000).toISOString();
}
