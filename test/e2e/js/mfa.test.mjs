// MFA as the client libraries drive it: aws-amplify v6 (setUpTOTP,
// verifyTOTPSetup, updateMFAPreference, fetchMFAPreference, signIn →
// confirmSignIn with a TOTP computed here with node:crypto or an email code
// read from the outbox, MFA set up inside sign-in by TOTP and by email, and
// the MFA selection), and the AWS SDK for JavaScript v3 for MFA_SETUP and
// SELECT_MFA_TYPE on the wire.
//
// Amplify is a process-wide singleton: the Amplify tests run one after the
// other on one server, each with its own pool.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';

import {
  AdminCreateUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import {
  confirmSignIn,
  fetchMFAPreference,
  setUpTOTP,
  signIn,
  signOut,
  updateMFAPreference,
  verifyTOTPSetup,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { ConsoleLogger } from 'aws-amplify/utils';

import { needs, startCogito, uniq } from './harness.mjs';

ConsoleLogger.LOG_LEVEL = 'ERROR';

const MFA_OPS = ['SetUserPoolMfaConfig', 'AssociateSoftwareToken', 'VerifySoftwareToken', 'SetUserMFAPreference', 'AdminSetUserMFAPreference'];
const PASSWORD = 'Passw0rd!';

/** Base32 (RFC 4648, no padding needed) to bytes. */
function base32(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of s.replace(/=+$/, '').toUpperCase()) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`not Base32: ${ch}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

const step = (at = Date.now()) => Math.floor(at / 30000);

/** RFC 6238 TOTP: HMAC-SHA-1, 6 digits, 30-second steps, at time step s. */
function totp(secret, s = step()) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(s));
  const h = createHmac('sha1', base32(secret)).update(msg).digest();
  const off = h[h.length - 1] & 0x0f;
  return String((h.readUInt32BE(off) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** The key-value storage Amplify keeps its tokens in. */
class MemoryStorage {
  constructor() { this.items = new Map(); }
  async setItem(k, v) { this.items.set(k, v); }
  async getItem(k) { return this.items.has(k) ? this.items.get(k) : null; }
  async removeItem(k) { this.items.delete(k); }
  async clear() { this.items.clear(); }
}

// The cognito-idp calls Amplify sends, "Operation" or
// "RespondToAuthChallenge:ChallengeName".
let wire = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const target = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).get('x-amz-target');
  if (target?.startsWith('AWSCognitoIdentityProviderService.')) {
    const op = target.split('.')[1];
    let body = {};
    try { body = JSON.parse(typeof init?.body === 'string' ? init.body : ''); } catch { /* not JSON */ }
    wire.push(op === 'RespondToAuthChallenge' ? `${op}:${body.ChallengeName}` : op);
  }
  return realFetch(input, init);
};

describe('MFA', { concurrency: 1 }, () => {
  let cogito;
  let idp;
  before(async () => {
    cogito = await startCogito();
    idp = cogito.idp();
  });
  after(async () => {
    globalThis.fetch = realFetch;
    await cogito?.stop();
  });

  /**
   * A pool sending email through SES (email MFA needs it) with a public
   * client, its MFA configured by mfa (SetUserPoolMfaConfig input), and
   * configured into Amplify.
   */
  async function pool(mfa) {
    const { UserPool } = await idp.send(new CreateUserPoolCommand({
      PoolName: uniq('js-mfa'),
      EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com' },
    }));
    const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: UserPool.Id, ClientName: 'mfa',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }));
    await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: UserPool.Id, ...mfa }));
    Amplify.configure({ Auth: { Cognito: { userPoolId: UserPool.Id, userPoolClientId: UserPoolClient.ClientId, userPoolEndpoint: cogito.url } } });
    cognitoUserPoolsTokenProvider.setKeyValueStorage(new MemoryStorage());
    wire = [];
    return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId };
  }

  async function user(poolId, attributes = {}) {
    const username = uniq('mfa');
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp0rary!',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
    return username;
  }

  /** The newest authentication code sent to a user. */
  async function code(poolId, username) {
    const m = (await cogito.outbox(poolId, username)).at(-1);
    assert.equal(m?.kind, 'AUTHENTICATION');
    assert.match(m.code, /^\d{6}$/);
    return m;
  }

  const TOTP_ON = { SoftwareTokenMfaConfiguration: { Enabled: true } };
  const EMAIL_ON = { EmailMfaConfiguration: { Subject: 'Your sign-in code', Message: 'Your code is {####}' } };

  it('Amplify: setUpTOTP, verifyTOTPSetup, updateMFAPreference, fetchMFAPreference, then signIn → confirmSignIn with a TOTP',
    { skip: needs(...MFA_OPS) }, async () => {
      const { poolId } = await pool({ MfaConfiguration: 'OPTIONAL', ...TOTP_ON, ...EMAIL_ON });
      const username = await user(poolId, { email: `${uniq('t')}@example.com` });
      assert.deepEqual(await signIn({ username, password: PASSWORD }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
      assert.deepEqual(await fetchMFAPreference(), { preferred: undefined, enabled: undefined });

      wire = [];
      const details = await setUpTOTP();
      assert.deepEqual(wire, ['AssociateSoftwareToken']);
      assert.match(details.sharedSecret, /^[A-Z2-7]{52}$/);
      assert.ok(details.getSetupUri('Cogito', username).href.includes(`secret=${details.sharedSecret}`));
      const verifiedAt = step();
      await verifyTOTPSetup({ code: totp(details.sharedSecret, verifiedAt), options: { friendlyDeviceName: 'e2e phone' } });
      await updateMFAPreference({ totp: 'PREFERRED' });
      assert.deepEqual(await fetchMFAPreference(), { preferred: 'TOTP', enabled: ['TOTP'] });
      await signOut();

      wire = [];
      const res = await signIn({ username, password: PASSWORD });
      assert.deepEqual(res, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
      assert.deepEqual(wire, ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
      // The code VerifySoftwareToken used is spent: a wrong answer keeps the
      // sign-in going, and the next step's code (±1 step) completes it.
      await assert.rejects(confirmSignIn({ challengeResponse: totp(details.sharedSecret, verifiedAt) }), (err) => err.name === 'CodeMismatchException');
      const done = await confirmSignIn({ challengeResponse: totp(details.sharedSecret, verifiedAt + 1) });
      assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
      await signOut();
    });

  it('Amplify: email MFA with the code from the outbox', { skip: needs(...MFA_OPS) }, async () => {
    const { poolId } = await pool({ MfaConfiguration: 'OPTIONAL', ...EMAIL_ON });
    const email = `${uniq('e')}@example.com`;
    const username = await user(poolId, { email, email_verified: 'true' });
    await signIn({ username, password: PASSWORD });
    await updateMFAPreference({ email: 'PREFERRED' });
    assert.deepEqual(await fetchMFAPreference(), { preferred: 'EMAIL', enabled: ['EMAIL'] });
    await signOut();

    const res = await signIn({ username, password: PASSWORD });
    assert.equal(res.isSignedIn, false);
    assert.equal(res.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal(res.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
    assert.equal(res.nextStep.codeDeliveryDetails.destination, `${email[0]}***@e***.com`);
    const m = await code(poolId, username);
    assert.equal(m.destination, email);
    assert.equal(m.subject, 'Your sign-in code');
    assert.equal(m.body, `Your code is ${m.code}`);
    assert.deepEqual(await confirmSignIn({ challengeResponse: m.code }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    await signOut();
  });

  it('Amplify: required MFA set up inside sign-in with a TOTP', { skip: needs(...MFA_OPS) }, async () => {
    const { poolId } = await pool({ MfaConfiguration: 'ON', ...TOTP_ON });
    const username = await user(poolId);
    wire = [];
    const res = await signIn({ username, password: PASSWORD });
    assert.equal(res.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    const secret = res.nextStep.totpSetupDetails.sharedSecret;
    assert.match(secret, /^[A-Z2-7]{52}$/);
    assert.deepEqual(wire, ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'AssociateSoftwareToken']);
    wire = [];
    const done = await confirmSignIn({ challengeResponse: totp(secret) });
    assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    assert.deepEqual(wire, ['VerifySoftwareToken', 'RespondToAuthChallenge:MFA_SETUP']);
    assert.deepEqual(await fetchMFAPreference(), { preferred: 'TOTP', enabled: ['TOTP'] });
    await signOut();
  });

  it('Amplify: required MFA set up inside sign-in with an email address', { skip: needs(...MFA_OPS) }, async () => {
    const { poolId } = await pool({ MfaConfiguration: 'ON', ...TOTP_ON, ...EMAIL_ON });
    const username = await user(poolId);
    const res = await signIn({ username, password: PASSWORD });
    assert.equal(res.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION');
    assert.deepEqual(res.nextStep.allowedMFATypes, ['TOTP', 'EMAIL']);
    const chosen = await confirmSignIn({ challengeResponse: 'EMAIL' });
    assert.equal(chosen.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP');
    const email = `${uniq('s')}@example.com`;
    const sent = await confirmSignIn({ challengeResponse: email });
    assert.equal(sent.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const m = await code(poolId, username);
    assert.equal(m.destination, email);
    assert.deepEqual(await confirmSignIn({ challengeResponse: m.code }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    assert.deepEqual(await fetchMFAPreference(), { preferred: 'EMAIL', enabled: ['EMAIL'] });
    await signOut();
  });

  it('Amplify: choosing among several factors (SELECT_MFA_TYPE)', { skip: needs(...MFA_OPS) }, async () => {
    const { poolId } = await pool({ MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: {}, ...EMAIL_ON });
    const username = await user(poolId, { email: `${uniq('c')}@example.com`, phone_number: '+12065550123' });
    await idp.send(new AdminSetUserMFAPreferenceCommand({
      UserPoolId: poolId, Username: username, SMSMfaSettings: { Enabled: true }, EmailMfaSettings: { Enabled: true },
    }));
    const res = await signIn({ username, password: PASSWORD });
    assert.equal(res.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION');
    assert.deepEqual(res.nextStep.allowedMFATypes, ['SMS', 'EMAIL']);
    const sms = await confirmSignIn({ challengeResponse: 'SMS' });
    assert.equal(sms.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
    assert.deepEqual(sms.nextStep.codeDeliveryDetails, { deliveryMedium: 'SMS', destination: '+*******0123' });
    const m = await code(poolId, username);
    assert.equal(m.deliveryMedium, 'SMS');
    assert.deepEqual(await confirmSignIn({ challengeResponse: m.code }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    await signOut();
  });

  it('SDK v3: MFA_SETUP with AssociateSoftwareToken and VerifySoftwareToken by Session', { skip: needs(...MFA_OPS) }, async () => {
    const { poolId, clientId } = await pool({ MfaConfiguration: 'ON', ...TOTP_ON });
    const username = await user(poolId);
    const init = await idp.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD },
    }));
    assert.equal(init.ChallengeName, 'MFA_SETUP');
    assert.deepEqual(JSON.parse(init.ChallengeParameters.MFAS_CAN_SETUP), ['SOFTWARE_TOKEN_MFA']);
    const assoc = await idp.send(new AssociateSoftwareTokenCommand({ Session: init.Session }));
    assert.ok(assoc.Session && assoc.Session !== init.Session);
    await assert.rejects(idp.send(new VerifySoftwareTokenCommand({ Session: assoc.Session, UserCode: totp(assoc.SecretCode, step() + 50) })),
      (err) => err.name === 'EnableSoftwareTokenMFAException' && err.message === 'Code mismatch and fail enable Software Token MFA');
    const ver = await idp.send(new VerifySoftwareTokenCommand({ Session: assoc.Session, UserCode: totp(assoc.SecretCode), FriendlyDeviceName: 'sdk' }));
    assert.equal(ver.Status, 'SUCCESS');
    const fin = await idp.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: 'MFA_SETUP', Session: ver.Session, ChallengeResponses: { USERNAME: username },
    }));
    assert.ok(fin.AuthenticationResult?.AccessToken);
    const me = await idp.send(new GetUserCommand({ AccessToken: fin.AuthenticationResult.AccessToken }));
    assert.equal(me.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
    assert.deepEqual(me.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
  });

  it('SDK v3: SELECT_MFA_TYPE then SOFTWARE_TOKEN_MFA, and a wrong code', { skip: needs(...MFA_OPS) }, async () => {
    const { poolId, clientId } = await pool({ MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: {}, ...TOTP_ON });
    const username = await user(poolId, { phone_number: '+12065550124' });
    // Set up TOTP by access token first.
    const t0 = await idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }));
    const access = t0.AuthenticationResult.AccessToken;
    const { SecretCode } = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken: access }));
    const verifiedAt = step();
    await idp.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: totp(SecretCode, verifiedAt) }));
    await idp.send(new AdminSetUserMFAPreferenceCommand({
      UserPoolId: poolId, Username: username, SMSMfaSettings: { Enabled: true }, SoftwareTokenMfaSettings: { Enabled: true },
    }));

    const init = await idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }));
    assert.equal(init.ChallengeName, 'SELECT_MFA_TYPE');
    assert.deepEqual(JSON.parse(init.ChallengeParameters.MFAS_CAN_CHOOSE), ['SMS_MFA', 'SOFTWARE_TOKEN_MFA']);
    const chosen = await idp.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: 'SELECT_MFA_TYPE', Session: init.Session, ChallengeResponses: { USERNAME: username, ANSWER: 'SOFTWARE_TOKEN_MFA' },
    }));
    assert.equal(chosen.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    const answer = (c) => idp.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: chosen.Session, ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: c },
    }));
    await assert.rejects(answer(totp(SecretCode, verifiedAt)),
      (err) => err.name === 'CodeMismatchException' && err.message === 'Invalid code or auth state for the user.');
    const fin = await answer(totp(SecretCode, verifiedAt + 1));
    assert.ok(fin.AuthenticationResult?.IdToken);
  });
});
