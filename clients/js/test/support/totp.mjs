// A TOTP code as an authenticator app makes it, for the tests that turn TOTP on: the client's own
// (test/node/session.test.mjs) and the web shell's browser tasks (ui-schemas/web/e2e/tasks-personal).
import { createHmac } from 'node:crypto';

/** RFC 6238 with SHA-1, 6 digits and 30 s steps (what the node checks) of a base32 secret at time step `step`. */
export function totp(base32, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of base32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** The time step of now. */
export const stepNow = () => Math.floor(Date.now() / 1000 / 30);
