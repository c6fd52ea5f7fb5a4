// Remembered devices as the client libraries use them: aws-amplify v6
// (signIn confirms the new device itself, rememberDevice, fetchDevices,
// forgetDevice, the next signIn proving the device by device SRP, a stale
// device dropped on "Device does not exist." and the refresh carrying the
// device key) and amazon-cognito-identity-js (authenticateUser confirming
// the device, setDeviceStatusRemembered, listDevices, getDevice,
// forgetDevice, and its own device SRP sign-in).
//
// The device steps of sign-in come from the MFA family's NextStep (with the
// devices service); were it not wired, the journeys would skip at the first
// missing NewDeviceMetadata.
//
// Amplify is a process-wide singleton: the Amplify tests run one after the
// other on one server, each with its own pool.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  AdminCreateUserCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, fetchDevices, forgetDevice, rememberDevice, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { ConsoleLogger } from 'aws-amplify/utils';

import { needs, startCogito, uniq } from './harness.mjs';

ConsoleLogger.LOG_LEVEL = 'ERROR';

// Amplify names a new device after navigator.userAgent, and gives up on the
// device (no ConfirmDevice) where there is no navigator, as in Node 20.
// A browser always has one.
const DEVICE_NAME = 'cogito-e2e (Node.js)';
if (typeof globalThis.navigator === 'undefined') {
  globalThis.navigator = { userAgent: DEVICE_NAME };
}

const DEVICE_OPS = ['ConfirmDevice', 'ListDevices', 'UpdateDeviceStatus', 'ForgetDevice', 'GetDevice', 'AdminGetDevice', 'AdminListDevices'];
const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

/** The key-value storage Amplify keeps its tokens and device in. */
class MemoryStorage {
  constructor() { this.items = new Map(); }
  async setItem(k, v) { this.items.set(k, v); }
  async getItem(k) { return this.items.has(k) ? this.items.get(k) : null; }
  async removeItem(k) { this.items.delete(k); }
  async clear() { this.items.clear(); }
  find(suffix) {
    const keys = [...this.items.keys()].filter((k) => k.endsWith(`.${suffix}`));
    return keys.length === 1 ? this.items.get(keys[0]) : undefined;
  }
  keyOf(suffix) {
    return [...this.items.keys()].find((k) => k.endsWith(`.${suffix}`));
  }
}

// The cognito-idp calls sent, as "Operation" or "Operation:ChallengeName",
// with the device key a refresh carried.
let wire = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const target = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).get('x-amz-target');
  if (target?.startsWith('AWSCognitoIdentityProviderService.')) {
    const op = target.split('.')[1];
    let body = {};
    try { body = JSON.parse(typeof init?.body === 'string' ? init.body : ''); } catch { /* not JSON */ }
    let entry = op;
    if (op === 'RespondToAuthChallenge') entry += `:${body.ChallengeName}`;
    if (op === 'RespondToAuthChallenge' && body.ChallengeName === 'PASSWORD_VERIFIER' && body.ChallengeResponses?.DEVICE_KEY) entry += ':DEVICE_KEY';
    if (op === 'GetTokensFromRefreshToken' && body.DeviceKey) entry += ':DeviceKey';
    if (op === 'InitiateAuth' && body.AuthParameters?.DEVICE_KEY) entry += ':DEVICE_KEY';
    wire.push(entry);
  }
  return realFetch(input, init);
};

async function devicePool(idp, { optIn }) {
  const { UserPool } = await idp.send(new CreateUserPoolCommand({
    PoolName: uniq('js-devices'),
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: optIn, DeviceOnlyRememberedOnUserPrompt: optIn },
  }));
  const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: UserPool.Id, ClientName: 'devices',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  const username = uniq('dev');
  await idp.send(new AdminCreateUserCommand({
    UserPoolId: UserPool.Id, Username: username, MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp0rary!',
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
  }));
  await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: UserPool.Id, Username: username, Password: 'Passw0rd!', Permanent: true }));
  return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId, username, password: 'Passw0rd!' };
}

describe('remembered devices with aws-amplify v6', { concurrency: 1 }, () => {
  let cogito;
  let idp;
  let storage;
  before(async () => {
    cogito = await startCogito();
    idp = cogito.idp();
  });
  after(async () => {
    globalThis.fetch = realFetch;
    await cogito?.stop();
  });

  async function configure(optIn) {
    const u = await devicePool(idp, { optIn });
    Amplify.configure({ Auth: { Cognito: { userPoolId: u.poolId, userPoolClientId: u.clientId, userPoolEndpoint: cogito.url } } });
    storage = new MemoryStorage();
    cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
    wire = [];
    return u;
  }

  it('signIn confirms the device, rememberDevice, fetchDevices, refresh with the device, device SRP on the next signIn, forgetDevice',
    { skip: needs('InitiateAuth', 'RespondToAuthChallenge', 'GetTokensFromRefreshToken', 'RevokeToken', ...DEVICE_OPS) }, async (t) => {
      const u = await configure(true);
      const res = await signIn({ username: u.username, password: u.password });
      assert.deepEqual(res, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
      const deviceKey = storage.find('deviceKey');
      if (!deviceKey) {
        t.skip('sign-in does not issue NewDeviceMetadata yet (the MFA family\'s NextStep is not wired)');
        return;
      }
      assert.deepEqual(wire, ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'ConfirmDevice']);
      assert.match(deviceKey, /^us-east-1_[0-9a-f-]{36}$/);
      assert.ok(storage.find('deviceGroupKey') && storage.find('randomPasswordKey'), 'Amplify kept the device secret');
      const s1 = await fetchAuthSession();
      assert.equal(s1.tokens.accessToken.payload.device_key, deviceKey);

      // Opt-in pool: not remembered until the user says so.
      assert.deepEqual(await fetchDevices(), []);
      wire = [];
      await rememberDevice();
      assert.deepEqual(wire, ['UpdateDeviceStatus']);
      const devices = await fetchDevices();
      assert.equal(devices.length, 1);
      const [d] = devices;
      assert.equal(d.id, deviceKey);
      assert.equal(d.name, navigator.userAgent);
      assert.equal(d.attributes['dev:device_remembered_status'], 'remembered');
      assert.equal(d.attributes.device_status, 'valid');
      assert.equal(d.attributes.last_ip_used, '127.0.0.1');
      for (const k of ['createDate', 'lastModifiedDate', 'lastAuthenticatedDate']) {
        assert.ok(d[k] instanceof Date && Math.abs(Date.now() - d[k].getTime()) < 60000, `${k} = ${d[k]}`);
      }

      // The refresh carries the device key, and the new access token keeps it.
      wire = [];
      const s2 = await fetchAuthSession({ forceRefresh: true });
      assert.deepEqual(wire, ['GetTokensFromRefreshToken:DeviceKey']);
      assert.equal(s2.tokens.accessToken.payload.device_key, deviceKey);

      // Signed out, the next sign-in proves the remembered device.
      await signOut();
      assert.equal(storage.find('deviceKey'), deviceKey, 'signOut keeps the device');
      wire = [];
      const again = await signIn({ username: u.username, password: u.password });
      assert.equal(again.isSignedIn, true);
      assert.deepEqual(wire, ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER:DEVICE_KEY',
        'RespondToAuthChallenge:DEVICE_SRP_AUTH', 'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER']);
      const s3 = await fetchAuthSession();
      assert.equal(s3.tokens.accessToken.payload.device_key, deviceKey);

      // Forgotten: the device is gone for the user and the administrator.
      wire = [];
      await forgetDevice();
      assert.deepEqual(wire, ['ForgetDevice']);
      assert.equal(storage.find('deviceKey'), undefined, 'forgetDevice drops the device');
      assert.deepEqual(await fetchDevices(), []);
      const admin = await idp.send(new AdminListDevicesCommand({ UserPoolId: u.poolId, Username: u.username }));
      assert.deepEqual(admin.Devices, []);
    });

  it('a stale device: signIn drops it on "Device does not exist." and starts over with a new one',
    { skip: needs('InitiateAuth', 'RespondToAuthChallenge', 'RevokeToken', ...DEVICE_OPS) }, async (t) => {
      const u = await configure(false);
      await signIn({ username: u.username, password: u.password });
      const first = storage.find('deviceKey');
      if (!first) {
        t.skip('sign-in does not issue NewDeviceMetadata yet (the MFA family\'s NextStep is not wired)');
        return;
      }
      // Always-remembered pool: listed at once, no rememberDevice needed.
      const devices = await fetchDevices();
      assert.deepEqual(devices.map((d) => d.id), [first]);
      const saved = ['deviceKey', 'deviceGroupKey', 'randomPasswordKey'].map((s) => [storage.keyOf(s), storage.find(s)]);
      await forgetDevice();
      await signOut();
      // Another tab still holds the forgotten device. Amplify answers
      // "Device does not exist." by dropping it and sending the same
      // PASSWORD_VERIFIER answer (same SECRET_BLOCK) again without it.
      for (const [k, v] of saved) await storage.setItem(k, v);
      wire = [];
      const res = await signIn({ username: u.username, password: u.password });
      assert.equal(res.isSignedIn, true);
      assert.deepEqual(wire, ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER:DEVICE_KEY',
        'RespondToAuthChallenge:PASSWORD_VERIFIER', 'ConfirmDevice']);
      const second = storage.find('deviceKey');
      assert.ok(second && second !== first, 'a new device replaced the stale one');
      const { Device } = await idp.send(new AdminGetDeviceCommand({ UserPoolId: u.poolId, Username: u.username, DeviceKey: second }));
      assert.equal(Device.DeviceAttributes.find((a) => a.Name === 'dev:device_remembered_status').Value, 'remembered');
      await signOut();
    });
});

describe('remembered devices with amazon-cognito-identity-js', () => {
  let cogito;
  let idp;
  before(async () => {
    cogito = await startCogito();
    idp = cogito.idp();
  });
  after(async () => { await cogito?.stop(); });

  /** authenticateUser as a promise: {session, userConfirmationNecessary}. */
  const authenticate = (user, u) => new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: u.username, Password: u.password }), {
      onSuccess: (session, userConfirmationNecessary) => resolve({ session, userConfirmationNecessary }),
      onFailure: reject,
      mfaRequired: () => reject(new Error('unexpected mfaRequired')),
      totpRequired: () => reject(new Error('unexpected totpRequired')),
      newPasswordRequired: () => reject(new Error('unexpected newPasswordRequired')),
    });
  });
  const callbacks = (resolve, reject) => ({ onSuccess: resolve, onFailure: reject });

  it('authenticateUser confirms the device; setDeviceStatusRemembered, listDevices, getDevice, device SRP, forgetDevice',
    { skip: needs('InitiateAuth', 'RespondToAuthChallenge', ...DEVICE_OPS) }, async (t) => {
      const u = await devicePool(idp, { optIn: true });
      const pool = new CognitoUserPool({ UserPoolId: u.poolId, ClientId: u.clientId, endpoint: cogito.url });
      const user = new CognitoUser({ Username: u.username, Pool: pool });
      const { session, userConfirmationNecessary } = await authenticate(user, u);
      const deviceKey = claims(session.getAccessToken().getJwtToken()).device_key;
      if (!deviceKey) {
        t.skip('sign-in does not issue NewDeviceMetadata yet (the MFA family\'s NextStep is not wired)');
        return;
      }
      assert.equal(userConfirmationNecessary, true, 'opt-in pool: the library is told to ask the user');
      assert.equal(user.deviceKey, deviceKey);

      const listed = await new Promise((resolve, reject) => user.listDevices(60, null, callbacks(resolve, reject)));
      assert.deepEqual(listed.Devices, []);
      await new Promise((resolve, reject) => user.setDeviceStatusRemembered(callbacks(resolve, reject)));
      const after = await new Promise((resolve, reject) => user.listDevices(60, null, callbacks(resolve, reject)));
      assert.deepEqual(after.Devices.map((d) => d.DeviceKey), [deviceKey]);
      const got = await new Promise((resolve, reject) => user.getDevice(callbacks(resolve, reject)));
      assert.equal(got.Device.DeviceKey, deviceKey);
      const attrs = Object.fromEntries(got.Device.DeviceAttributes.map((a) => [a.Name, a.Value]));
      assert.equal(attrs.device_name, 'nodejs');
      assert.equal(attrs['dev:device_remembered_status'], 'remembered');

      // A new CognitoUser on the same storage signs in with the device.
      const again = new CognitoUser({ Username: u.username, Pool: pool });
      const second = await authenticate(again, u);
      assert.equal(claims(second.session.getAccessToken().getJwtToken()).device_key, deviceKey);
      // A refresh carries the device key.
      const refreshed = await new Promise((resolve, reject) => again.refreshSession(second.session.getRefreshToken(), (err, s) => (err ? reject(err) : resolve(s))));
      assert.equal(claims(refreshed.getAccessToken().getJwtToken()).device_key, deviceKey);

      await new Promise((resolve, reject) => again.forgetDevice(callbacks(resolve, reject)));
      await assert.rejects(idp.send(new AdminGetDeviceCommand({ UserPoolId: u.poolId, Username: u.username, DeviceKey: deviceKey })),
        (err) => err.name === 'ResourceNotFoundException' && err.message === 'Device does not exist.');
    });
});
