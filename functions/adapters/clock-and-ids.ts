import { randomBytes } from 'node:crypto';
import { japanDate } from '../domain/dates';
import type { Clock, Ids } from '../domain/ports';

export const systemClock: Clock = { now: () => new Date() };

// Crockford-style alphabet without look-alikes (no I, L, O, U), so ids read well over the phone.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Request ids like R-20261125-7KQ2MX: the filing date in Japan, then 30 random bits. */
export const randomIds: Ids = {
  requestId(now: Date) {
    const day = japanDate(now).replaceAll('-', '');
    const suffix = Array.from(randomBytes(6), (byte) => ALPHABET[byte % 32]).join('');
    return `R-${day}-${suffix}`;
  },
};
