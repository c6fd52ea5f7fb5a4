// Starts a freshly built cogito binary for a test file: a free loopback port,
// a temporary data directory, --test-mode; waits for /_cogito/health and
// stops the process (and removes the directory) afterwards.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';

// The SDK warns on every process that Node 20 support ends in 2027; the
// warning is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

export const REGION = 'us-east-1';

/** Path of the cogito binary: $COGITO_BIN, else bin/cogito at the repository root (built if missing). */
export function cogitoBinary() {
  const bin = process.env.COGITO_BIN
    ? path.resolve(process.env.COGITO_BIN)
    : path.resolve(here, '../../../bin/cogito');
  if (!existsSync(bin)) {
    execFileSync('go', ['build', '-o', bin, './cmd/cogito'], { cwd: repoRoot, stdio: 'inherit' });
  }
  return bin;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function launch(bin, extraArgs) {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cogito-e2e-js-'));
  const child = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir, '--test-mode', '--log-level', 'warn', ...extraArgs], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (b) => { log += b.toString(); });
  let exited = null;
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => { exited = { code, signal }; resolve(exited); }));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline && !exited) {
    try {
      const res = await fetch(`${url}/_cogito/health`);
      if (res.ok) {
        return { url, port, dataDir, child, exit, log: () => log };
      }
    } catch { /* not listening yet */ }
    await sleep(50);
  }
  if (!exited) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  return { failed: `cogito did not become healthy on ${url} (exit ${JSON.stringify(exited)}):\n${log}` };
}

export const ACCESS_KEY = 'AKIDCOGITOE2E';
export const SECRET_KEY = 'cogito-e2e-secret-key';

/**
 * Starts cogito with extraArgs added to `serve`; retries on another port if
 * the chosen one was taken meanwhile.
 */
export async function startCogito(extraArgs = []) {
  const bin = cogitoBinary();
  let last;
  for (let attempt = 0; attempt < 3; attempt++) {
    const s = await launch(bin, extraArgs);
    if (!s.failed) {
      return {
        url: s.url,
        log: s.log,
        idp: (endpoint = s.url, credentials = { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY }) =>
          new CognitoIdentityProviderClient({ region: REGION, endpoint, credentials, maxAttempts: 1 }),
        /** Messages to a user (internal username) of a pool from GET /_cogito/messages, oldest first. */
        async outbox(userPoolId, username) {
          const q = new URLSearchParams({ userPoolId, username });
          const res = await fetch(`${s.url}/_cogito/messages?${q}`);
          if (!res.ok) throw new Error(`GET /_cogito/messages: status ${res.status}`);
          return (await res.json()).messages;
        },
        identity: () => new CognitoIdentityClient({
          region: REGION,
          endpoint: s.url,
          credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
          maxAttempts: 1,
        }),
        async stop() {
          if (s.child.exitCode === null && s.child.signalCode === null) {
            s.child.kill('SIGTERM');
            const timer = setTimeout(() => s.child.kill('SIGKILL'), 10000);
            await s.exit;
            clearTimeout(timer);
          }
          rmSync(s.dataDir, { recursive: true, force: true });
        },
      };
    }
    last = s.failed;
  }
  throw new Error(last);
}

/** A name no other test uses. */
export function uniq(prefix) {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * Operations Cogito does not serve yet; tests needing them are skipped with
 * the reason. Empty once everything these tests use is served.
 */
export const notImplemented = new Map();

/** The node:test skip option for a test using ops: false, or the reason. */
export function needs(...ops) {
  for (const op of ops) {
    if (notImplemented.has(op)) return `${op} is not implemented in Cogito yet (${notImplemented.get(op)})`;
  }
  return false;
}

/**
 * Cogito defects these tests found and reported; a test reaching one skips
 * its remaining checks with the description. Delete the entry when the fix
 * lands.
 */
export const knownBugs = new Map();

/** True (and the test marked skipped with the description) when bug is still listed. */
export function knownBug(t, bug) {
  if (!knownBugs.has(bug)) return false;
  t.skip(`skipping the remaining checks: known Cogito bug "${bug}": ${knownBugs.get(bug)}`);
  return true;
}
