// Passkeys in a real browser: headless Chromium (Debian's chromium package)
// driven by playwright-core, with a CDP virtual authenticator (CTAP2,
// internal transport, resident keys, user verification). The page, served
// from http://localhost:PORT (a secure context), runs aws-amplify v6 against
// Cogito: associateWebAuthnCredential (StartWebAuthnRegistration →
// navigator.credentials.create → CompleteWebAuthnRegistration),
// listWebAuthnCredentials, signIn with USER_AUTH and WEB_AUTHN (preferred,
// and chosen with confirmSignIn from the first-factor selection) and
// deleteWebAuthnCredential. Cogito runs with its defaults: relying party
// "localhost", extra origin http://localhost:*.
//
//   cd test/e2e/browser && npm ci && node --test
//
// (test/e2e/js must have its node_modules: Amplify and the SDK come from
// there.) Without a Chromium ($CHROMIUM, else /usr/bin/chromium) the test is
// skipped with a message saying so.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';

import { startCogito, uniq } from '../js/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// The SDK comes from test/e2e/js's node_modules, as the harness does.
const {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} = createRequire(path.join(here, '../js/package.json'))('@aws-sdk/client-cognito-identity-provider');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const skip = existsSync(chromiumPath) ? false : `no Chromium at ${chromiumPath} (apt-get install chromium, or set $CHROMIUM)`;

/** Bundles app.mjs for the browser and serves it with a page on localhost. */
async function servePage() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cogito-browser-'));
  await esbuild.build({
    entryPoints: [path.join(here, 'app.mjs')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    nodePaths: [path.join(here, '../js/node_modules')],
    outfile: path.join(dir, 'app.js'),
    logLevel: 'error',
  });
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>cogito passkeys</title><script src="/app.js"></script>');
  const files = { '/': ['index.html', 'text/html'], '/app.js': ['app.js', 'text/javascript'] };
  const server = http.createServer((req, res) => {
    const f = files[new URL(req.url, 'http://x').pathname];
    if (!f) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': f[1] }).end(readFileSync(path.join(dir, f[0])));
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

describe('passkeys in Chromium with aws-amplify v6', { skip, concurrency: 1 }, () => {
  let cogito;
  let page;
  let browser;
  let served;
  let cdp;
  let authenticatorId;
  let pool;
  let client;
  const username = uniq('passkey-user');

  before(async () => {
    cogito = await startCogito();
    const idp = cogito.idp();
    const p = await idp.send(new CreateUserPoolCommand({
      PoolName: uniq('passkeys'),
      UserPoolTier: 'ESSENTIALS',
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
    }));
    pool = p.UserPool.Id;
    const c = await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: pool,
      ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }));
    client = c.UserPoolClient.ClientId;
    await idp.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: username, MessageAction: 'SUPPRESS' }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: username, Password: 'Passw0rd!', Permanent: true }));

    served = await servePage();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    });
    page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
    await page.goto(served.url);
    await page.waitForFunction(() => window.amplify !== undefined);
    cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    }));
    await page.evaluate(([p, c, e]) => window.amplify.configure(p, c, e), [pool, client, cogito.url]);
  });

  after(async () => {
    await browser?.close();
    await served?.close();
    await cogito?.stop();
  });

  it('is a secure context with WebAuthn', async () => {
    assert.equal(await page.evaluate(() => window.isSecureContext && typeof window.PublicKeyCredential), 'function');
  });

  it('registers a passkey with associateWebAuthnCredential after a password sign-in', async () => {
    const out = await page.evaluate((u) => window.amplify.signIn({ username: u, password: 'Passw0rd!' }), username);
    assert.equal(out.isSignedIn, true, JSON.stringify(out));
    await page.evaluate(() => window.amplify.associateWebAuthnCredential());

    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0].rpId, 'localhost');
    assert.equal(credentials[0].isResidentCredential, true);

    const list = await page.evaluate(() => window.amplify.listWebAuthnCredentials());
    assert.equal(list.credentials.length, 1, JSON.stringify(list));
    const c = list.credentials[0];
    // The CDP credential id is standard base64; Cognito shows base64url.
    assert.equal(c.credentialId, Buffer.from(credentials[0].credentialId, 'base64').toString('base64url'));
    assert.equal(c.relyingPartyId, 'localhost');
    assert.equal(c.authenticatorAttachment, 'platform');
    assert.deepEqual(c.authenticatorTransports, ['internal']);
    assert.ok(c.friendlyCredentialName);
    assert.ok(c.createdAt instanceof Date || typeof c.createdAt === 'string');
  });

  it('signs in with the passkey (USER_AUTH, preferred WEB_AUTHN)', async () => {
    await page.evaluate(() => window.amplify.signOut());
    const before = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials[0].signCount;
    const out = await page.evaluate((u) => window.amplify.signIn({
      username: u,
      options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' },
    }), username);
    assert.equal(out.isSignedIn, true, JSON.stringify(out));
    assert.equal(out.nextStep.signInStep, 'DONE');
    const me = await page.evaluate(() => window.amplify.getCurrentUser());
    assert.equal(me.username, username);
    const after = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials[0].signCount;
    assert.ok(after > before, `signCount ${before} -> ${after}`);
  });

  it('signs in with the passkey chosen from the first-factor selection', async () => {
    await page.evaluate(() => window.amplify.signOut());
    const first = await page.evaluate((u) => window.amplify.signIn({ username: u, options: { authFlowType: 'USER_AUTH' } }), username);
    assert.equal(first.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', JSON.stringify(first));
    assert.ok(first.nextStep.availableChallenges.includes('WEB_AUTHN'), JSON.stringify(first.nextStep));
    const out = await page.evaluate(() => window.amplify.confirmSignIn({ challengeResponse: 'WEB_AUTHN' }));
    assert.equal(out.isSignedIn, true, JSON.stringify(out));
  });

  it('cannot sign in with WEB_AUTHN once the authenticator lost the passkey', async () => {
    await page.evaluate(() => window.amplify.signOut());
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: credentials[0].credentialId });
    const err = await page.evaluate(async (u) => {
      try {
        await window.amplify.signIn({ username: u, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } });
        return null;
      } catch (e) {
        return e.name;
      }
    }, username);
    assert.ok(err, 'signing in without the passkey succeeded');
    assert.match(err, /Passkey|NotAllowed/, err);
    await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: credentials[0] });
  });

  it('deletes the passkey with deleteWebAuthnCredential', async () => {
    const out = await page.evaluate((u) => window.amplify.signIn({ username: u, password: 'Passw0rd!', options: { authFlowType: 'USER_SRP_AUTH' } }), username);
    assert.equal(out.isSignedIn, true, JSON.stringify(out));
    const list = await page.evaluate(() => window.amplify.listWebAuthnCredentials());
    await page.evaluate((id) => window.amplify.deleteWebAuthnCredential({ credentialId: id }), list.credentials[0].credentialId);
    const after = await page.evaluate(() => window.amplify.listWebAuthnCredentials());
    assert.equal(after.credentials.length, 0);
  });
});
