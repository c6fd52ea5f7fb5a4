// Managed login in a real browser: headless Chromium (Debian's chromium
// package) driven by playwright-core against Cogito serving HTTPS with its
// self-signed certificate (--listen-tls, --tls-self-signed; Chromium runs
// with --ignore-certificate-errors). The hosted pages are used as a person
// would: sign up, confirm with the code from the outbox, sign in with an
// authenticator app (TOTP MFA set up on the pages, then asked), sign out;
// and aws-amplify v6 signInWithRedirect / signOut from a small app page
// served by the test. Screenshots of the sign-in, sign-up, confirmation,
// MFA and error pages are kept in test/e2e/browser/artifacts/.
//
//   cd test/e2e/browser && npm ci && node --test oauth.test.mjs
//
// (test/e2e/js must have its node_modules: Amplify and the SDK come from
// there.) Without a Chromium ($CHROMIUM, else /usr/bin/chromium) the test
// is skipped with a message saying so.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';

import { startCogito, uniq } from '../js/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  SetUICustomizationCommand,
  SetUserPoolMfaConfigCommand,
} = createRequire(path.join(here, '../js/package.json'))('@aws-sdk/client-cognito-identity-provider');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const skip = existsSync(chromiumPath) ? false : `no Chromium at ${chromiumPath} (apt-get install chromium, or set $CHROMIUM)`;
const artifacts = path.join(here, 'artifacts');
const PASSWORD = 'Passw0rd!browser';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits) of a base32 secret at step. */
function totp(secret, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.alloc(Math.floor(bits.length / 8));
  for (let i = 0; i < key.length; i++) key[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', key).update(msg).digest();
  const o = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}
const nowStep = () => Math.floor(Date.now() / 30000);

/** Bundles oauth-app.mjs and serves it, and every other path, on http://localhost:PORT/. */
async function serveApp() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cogito-oauth-browser-'));
  await esbuild.build({
    entryPoints: [path.join(here, 'oauth-app.mjs')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    nodePaths: [path.join(here, '../js/node_modules')],
    outfile: path.join(dir, 'app.js'),
    logLevel: 'error',
  });
  const index = '<!doctype html><html lang="en"><meta charset="utf-8"><title>cogito oauth app</title><h1 id="app">App</h1><script src="/app.js"></script></html>';
  const server = http.createServer((req, res) => {
    const p = new URL(req.url, 'http://x').pathname;
    if (p === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(path.join(dir, 'app.js')));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(index);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${server.address().port}/`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('managed login in Chromium', { skip, concurrency: 1 }, () => {
  let cogito;
  let idp;
  let https;
  let app;
  let context;
  let profile;
  let page;
  let pool;
  let client;
  let mfaPool;
  let mfaClient;

  /** The authorize URL of a client (code flow) returning to the app page. */
  const authorizeURL = (poolId, clientId, extra = {}) => `${https}/${poolId}/oauth2/authorize?${new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: app.url, scope: 'openid email', state: uniq('st'), ...extra,
  })}`;
  const shot = (name) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  /** Waits for the browser to be back on the app page with a code. */
  async function backWithCode() {
    await page.waitForURL((u) => u.href.startsWith(app.url) && u.searchParams.has('code'), { timeout: 15000 });
    return new URL(page.url()).searchParams;
  }

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    const tlsPort = await freePort();
    cogito = await startCogito(['--listen-tls', `127.0.0.1:${tlsPort}`, '--tls-self-signed']);
    https = `https://localhost:${tlsPort}`;
    idp = cogito.idp();
    app = await serveApp();

    const mk = async (name) => {
      const { UserPool } = await idp.send(new CreateUserPoolCommand({
        PoolName: uniq(name), AutoVerifiedAttributes: ['email'],
        Schema: [{ Name: 'email', Required: true, Mutable: true, AttributeDataType: 'String' }],
      }));
      await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: UserPool.Id, Domain: uniq(name) }));
      const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({
        UserPoolId: UserPool.Id, ClientName: 'Cogito Test App', AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
        CallbackURLs: [app.url], LogoutURLs: [app.url], SupportedIdentityProviders: ['COGNITO'],
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }));
      return [UserPool.Id, UserPoolClient.ClientId];
    };
    [pool, client] = await mk('browser');
    [mfaPool, mfaClient] = await mk('browser-mfa');
    await idp.send(new SetUICustomizationCommand({
      UserPoolId: pool, ClientId: client,
      CSS: '.submitButton-customizable { background-color: #1d6b3a; } .banner-customizable { background-color: #eef6f0; }',
    }));
    await idp.send(new SetUserPoolMfaConfigCommand({
      UserPoolId: mfaPool, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true },
    }));

    profile = mkdtempSync(path.join(os.tmpdir(), 'cogito-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      ignoreHTTPSErrors: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--ignore-certificate-errors'],
    });
    page = context.pages()[0] ?? await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
  });

  after(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await app?.close();
    await cogito?.stop();
  });

  it('shows an error page, not a redirect, for an unregistered redirect_uri', async () => {
    const res = await page.goto(`${https}/${pool}/oauth2/authorize?${new URLSearchParams({
      response_type: 'code', client_id: client, redirect_uri: 'https://evil.example.com/cb',
    })}`);
    assert.equal(res.status(), 400);
    assert.ok(page.url().startsWith(https), page.url());
    await page.getByRole('heading', { name: 'Something went wrong' }).waitFor();
    assert.match(await page.textContent('main'), /return address it has not registered/);
    await shot('error-page');
  });

  it('signs up, confirms with the emailed code and lands in the app signed in', async () => {
    await page.goto(authorizeURL(pool, client));
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // Every field has a label, the first one has the focus.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'username');
    await shot('login-page');
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Sign up' }).waitFor();
    const username = uniq('grace');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Email address').fill(`${username}@example.com`);
    await page.getByLabel('Password').fill(PASSWORD);
    await shot('signup-page');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Confirm your account' }).waitFor();
    await shot('confirm-page');
    const [msg] = await cogito.outbox(pool, username);
    assert.ok(msg?.code, JSON.stringify(msg));
    await page.getByLabel('Verification code').fill(msg.code);
    await page.getByRole('button', { name: 'Confirm account' }).click();
    const q = await backWithCode();
    assert.ok(q.get('code'));
  });

  it('sets up an authenticator app on the pages, then signs in with its code, and signs out', async () => {
    const username = uniq('mfa');
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: mfaPool, Username: username, MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
    }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: mfaPool, Username: username, Password: PASSWORD, Permanent: true }));

    await page.goto(authorizeURL(mfaPool, mfaClient));
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Set up a second sign-in step' }).waitFor();
    const secret = (await page.textContent('#secret')).replaceAll(' ', '');
    assert.match(secret, /^[A-Z2-7]+=*$/);
    await shot('mfa-setup-page');
    const step = nowStep();
    await page.getByLabel('Code from your authenticator app').fill(totp(secret, step));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await backWithCode();

    // Sign out (ends the hosted session), then sign in again: the code is asked.
    await page.goto(`${https}/${mfaPool}/logout?${new URLSearchParams({ client_id: mfaClient, logout_uri: app.url })}`);
    await page.waitForURL(app.url);
    await page.goto(authorizeURL(mfaPool, mfaClient));
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: "Verify it's you" }).waitFor();
    await page.getByLabel('Code from your authenticator app').fill('000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await shot('mfa-code-page');
    await page.getByLabel('Code from your authenticator app').fill(totp(secret, step + 1));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await backWithCode();
  });

  it('signs in and out with aws-amplify v6 signInWithRedirect and signOut', async () => {
    const username = uniq('amplify');
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: pool, Username: username, MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
    }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: username, Password: PASSWORD, Permanent: true }));
    // A fresh session: sign out of the hosted pages first.
    await page.goto(`${https}/${pool}/logout?${new URLSearchParams({ client_id: client, logout_uri: app.url })}`);
    await page.waitForURL(app.url);
    await page.waitForFunction(() => window.amplifyReady === true);
    await page.evaluate((cfg) => window.amplify.configure(cfg), {
      userPoolId: pool, userPoolClientId: client, userPoolEndpoint: cogito.url,
      domain: `localhost:${new URL(https).port}/${pool}`,
      scopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'], redirect: app.url,
    });
    await Promise.all([
      page.waitForURL((u) => u.href.startsWith(`${https}/${pool}/login`)),
      page.evaluate(() => window.amplify.signInWithRedirect()),
    ]);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.href.startsWith(app.url));
    await page.waitForFunction(() => window.authEvents?.some((e) => e.event === 'signInWithRedirect' || e.event === 'signInWithRedirect_failure'), null, { timeout: 15000 });
    const events = await page.evaluate(() => window.authEvents);
    assert.ok(events.some((e) => e.event === 'signInWithRedirect'), JSON.stringify(events));
    const me = await page.evaluate(() => window.amplify.getCurrentUser());
    assert.equal(me.username, username);
    const id = await page.evaluate(() => window.amplify.idTokenClaims());
    assert.equal(id.email, `${username}@example.com`);
    assert.equal(id['cognito:username'], username);

    // signOut goes through the hosted /logout back to the app, signed out.
    await Promise.all([
      page.waitForURL((u) => u.href.startsWith(app.url) && u.href !== page.url(), { timeout: 15000 }).catch(() => {}),
      page.evaluate(() => window.amplify.signOut()),
    ]);
    await page.waitForURL((u) => u.href.startsWith(app.url));
    await page.waitForFunction(() => window.amplifyReady === true);
    const after = await page.evaluate(async () => {
      try { await window.amplify.getCurrentUser(); return 'signed in'; } catch (e) { return e.name; }
    });
    assert.equal(after, 'UserUnAuthenticatedException');
    // The hosted session is gone: authorize shows the sign-in form.
    await page.goto(authorizeURL(pool, client));
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });
});
