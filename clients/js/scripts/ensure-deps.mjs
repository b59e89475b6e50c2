// Runs `npm ci` only when node_modules does not match package-lock.json (as ui-schemas/web does):
// local offline Maven builds run often, and a clean install costs seconds and the network. The
// stamp holds the lock file's hash as of the last successful `npm ci`.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';

const stamp = 'node_modules/.hearth-lock.sha256';
const lockHash = createHash('sha256').update(readFileSync('package-lock.json')).digest('hex');

if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === lockHash) {
  console.log('client: node_modules matches package-lock.json, npm ci skipped');
} else {
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
  writeFileSync(stamp, lockHash + '\n');
}
