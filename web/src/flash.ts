/** A one-time message carried to the next page (e.g. "申請しました" after submitting). */
import type { MessageKey } from './i18n';

let pending: { hash: string; key: MessageKey } | null = null;

export function setFlash(hash: string, key: MessageKey): void {
  pending = { hash, key };
}

export function takeFlash(hash: string): MessageKey | null {
  if (!pending || pending.hash !== hash) return null;
  const key = pending.key;
  pending = null;
  return key;
}
