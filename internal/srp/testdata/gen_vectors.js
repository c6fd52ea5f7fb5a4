#!/usr/bin/env node
// gen_vectors.js writes vectors.json: SRP values computed by the real client
// libraries, for Cogito's Go tests to reproduce bit for bit.
//
// It is Cogito's own script. It drives the libraries' public code paths with
// fixed inputs instead of re-implementing their maths:
//
//   * amazon-cognito-identity-js: CognitoUser.authenticateUser against a fake
//     `client.request` (the wire is captured, nothing leaves the process). The
//     fake answers InitiateAuth with a PASSWORD_VERIFIER challenge built from a
//     fixed server secret b, then issues NewDeviceMetadata so the library
//     creates a device verifier (ConfirmDevice), then runs a second sign-in
//     that goes through DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER.
//   * @aws-amplify/auth (Amplify JS v6): its SRP AuthenticationHelper,
//     getSignatureString, getNowString and generateHashDevice on the same
//     inputs; the script fails unless both libraries agree on every value.
//
// Randomness is fixed by replacing crypto.getRandomValues with a scripted
// byte stream (both libraries draw a, device passwords and device salts from
// it), and the clock by replacing Date. The server half (B = k*v + g^b,
// S = (A * v^u)^b) is computed here with the libraries' own BigInteger and
// checked against the S the client library derived.
//
// Run (outside the repository; the node modules are not vendored):
//   mkdir -p /tmp/srpvec && cd /tmp/srpvec && npm init -y >/dev/null &&
//   npm install amazon-cognito-identity-js@6.3.21 @aws-amplify/auth@6.21.1 aws-amplify@6
//   node /path/to/internal/srp/testdata/gen_vectors.js > /path/to/internal/srp/testdata/vectors.json
// NODE_PATH or running from /tmp/srpvec lets require() find the modules.
'use strict';

const nodeCrypto = require('crypto');
const path = require('path');
const Module = require('module');

// Resolve modules from the working directory too (the script lives in the repo).
const requireFromCwd = Module.createRequire(path.join(process.cwd(), 'noop.js'));
const req = (name) => {
  try {
    return requireFromCwd(name);
  } catch (e) {
    return require(name);
  }
};

const cij = req('amazon-cognito-identity-js');
const cijPkg = req('amazon-cognito-identity-js/package.json');
const cijBigInteger = req('amazon-cognito-identity-js/lib/BigInteger').default;
const cijDateHelper = cij.DateHelper;

const amplifyAuthMain = requireFromCwd.resolve('@aws-amplify/auth');
const amplifyDist = path.dirname(amplifyAuthMain); // .../dist/cjs
const amplifySrpDir = path.join(amplifyDist, 'providers/cognito/utils/srp');
const amplifySrp = require(path.join(amplifySrpDir, 'index.js'));
const AmplifyHelper = require(path.join(amplifySrpDir, 'AuthenticationHelper/AuthenticationHelper.js')).default;
const AmplifyBigInteger = require(path.join(amplifySrpDir, 'BigInteger/index.js')).BigInteger;
const amplifyCalc = require(path.join(amplifySrpDir, 'calculate/index.js'));
const amplifyConstants = require(path.join(amplifySrpDir, 'constants.js'));
const amplifyPkg = require(path.join(amplifyDist, '../../package.json'));

// ---------------------------------------------------------------- fixtures

// drbg(label, n): n deterministic bytes, SHA-256 in counter mode.
function drbg(label, n) {
  const out = [];
  for (let i = 0; out.length < n; i++) {
    const h = nodeCrypto.createHash('sha256').update(label + '#' + i).digest();
    out.push(...h);
  }
  return Buffer.from(out.slice(0, n));
}

// A scripted random source: getRandomValues fills typed arrays from a queue
// of bytes, big-endian per element, so a library that builds hex from 32-bit
// words sees exactly the queued bytes in order.
let randomQueue = Buffer.alloc(0);
function feedRandom(...bufs) {
  randomQueue = Buffer.concat([randomQueue, ...bufs]);
}
function expectRandomDrained(where) {
  if (randomQueue.length !== 0) {
    throw new Error(`${where}: ${randomQueue.length} scripted random bytes were not consumed`);
  }
}
function scriptedGetRandomValues(arr) {
  const width = arr.BYTES_PER_ELEMENT;
  const need = arr.length * width;
  if (randomQueue.length < need) {
    throw new Error(`unexpected draw of ${need} random bytes (queue has ${randomQueue.length})`);
  }
  for (let i = 0; i < arr.length; i++) {
    let v = 0;
    for (let j = 0; j < width; j++) v = v * 256 + randomQueue[i * width + j];
    arr[i] = v;
  }
  randomQueue = randomQueue.subarray(need);
  return arr;
}
Object.defineProperty(globalThis.crypto, 'getRandomValues', { value: scriptedGetRandomValues, configurable: true });

// A settable clock: `new Date()` and Date.now() return fixedNow.
const RealDate = Date;
let fixedNow = RealDate.UTC(2021, 8, 7, 3, 4, 5);
class FixedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(fixedNow);
    else super(...args);
  }
  static now() {
    return fixedNow;
  }
}
globalThis.Date = FixedDate;

function memoryStorage() {
  const m = new Map();
  return {
    setItem: (k, v) => m.set(k, String(v)),
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    removeItem: (k) => m.delete(k),
    clear: () => m.clear(),
  };
}

function fakeJwt(claims) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'RS256', kid: 'test' })}.${enc(claims)}.c2ln`;
}

function must(cond, msg) {
  if (!cond) throw new Error('check failed: ' + msg);
}

// ---------------------------------------------------- library primitives

// A helper instance of amazon-cognito-identity-js gives us its constants and
// its padHex / hash / hexHash (the constructor draws 128 random bytes).
feedRandom(Buffer.alloc(128, 1));
const H = new cij.AuthenticationHelper('probe');
expectRandomDrained('probe helper');
const N = H.N;
const g = H.g;
const k = H.k;

function modPow(base, exp, mod) {
  let out;
  base.modPow(exp, mod, (err, r) => {
    if (err) throw err;
    out = r;
  });
  must(out !== undefined, 'modPow is synchronous');
  return out;
}
const big = (hex) => new cijBigInteger(hex, 16);

// verifierFor: v = g^x with x built from the library's own hash helpers in the
// composition its getPasswordAuthenticationKey uses (checked below: the
// client's S must equal the server's S computed from this v).
function verifierFor(poolName, userId, password, saltInt) {
  const x = big(H.hexHash(H.padHex(saltInt) + H.hash(`${poolName}${userId}:${password}`)));
  return { x, v: modPow(g, x, N) };
}

function serverB(v, b) {
  return k.multiply(v).add(modPow(g, b, N)).mod(N);
}

function serverS(A, v, u, b) {
  return modPow(A.multiply(modPow(v, u, N)), b, N);
}

function uOf(A, B) {
  return big(H.hexHash(H.padHex(A) + H.padHex(B)));
}

// ------------------------------------------------------------ user SRP

// runUserSignIn drives CognitoUser.authenticateUser. opts.deviceMetadata makes
// the fake service hand out NewDeviceMetadata after the password step;
// opts.device (salt, verifier, b, secretBlock, now) makes it demand
// DEVICE_SRP_AUTH instead.
function runUserSignIn(opts) {
  return new Promise((resolve, reject) => {
    const storage = opts.storage;
    const pool = new cij.CognitoUserPool({ UserPoolId: opts.poolId, ClientId: opts.clientId, Storage: storage });
    const wire = {};
    let userState;
    pool.client.request = (op, params, cb) => {
      try {
        if (op === 'InitiateAuth') {
          wire.initiate = params;
          const A = big(params.AuthParameters.SRP_A);
          const B = serverB(opts.v, opts.b);
          userState = { A, B };
          setImmediate(() =>
            cb(null, {
              ChallengeName: 'PASSWORD_VERIFIER',
              ChallengeParameters: {
                SALT: opts.SALT,
                SRP_B: B.toString(16),
                SECRET_BLOCK: opts.secretBlock,
                USERNAME: opts.userId,
                USER_ID_FOR_SRP: opts.userId,
              },
            }),
          );
          fixedNow = opts.now;
          return;
        }
        if (op === 'RespondToAuthChallenge' && params.ChallengeName === 'PASSWORD_VERIFIER') {
          wire.verifier = params;
          const tokens = {
            AccessToken: fakeJwt({ sub: 's', exp: 4102444800, iat: 1600000000, username: opts.userId }),
            IdToken: fakeJwt({ sub: 's', exp: 4102444800, iat: 1600000000 }),
            RefreshToken: 'refresh',
            ExpiresIn: 3600,
            TokenType: 'Bearer',
          };
          if (opts.device) {
            setImmediate(() =>
              cb(null, { ChallengeName: 'DEVICE_SRP_AUTH', Session: 'sess', ChallengeParameters: {} }),
            );
            return;
          }
          if (opts.deviceMetadata) {
            tokens.NewDeviceMetadata = opts.deviceMetadata;
            feedRandom(opts.deviceRandom);
          }
          wire.tokens = tokens;
          setImmediate(() => cb(null, { AuthenticationResult: tokens, ChallengeParameters: {} }));
          return;
        }
        if (op === 'RespondToAuthChallenge' && params.ChallengeName === 'DEVICE_SRP_AUTH') {
          wire.deviceSrp = params;
          const d = opts.device;
          const A = big(params.ChallengeResponses.SRP_A);
          const B = serverB(d.v, d.b);
          wire.deviceState = { A, B };
          fixedNow = d.now;
          setImmediate(() =>
            cb(null, {
              ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
              Session: 'sess2',
              ChallengeParameters: {
                SALT: d.SALT,
                SRP_B: B.toString(16),
                SECRET_BLOCK: d.secretBlock,
                USERNAME: opts.userId,
                DEVICE_KEY: params.ChallengeResponses.DEVICE_KEY,
              },
            }),
          );
          return;
        }
        if (op === 'RespondToAuthChallenge' && params.ChallengeName === 'DEVICE_PASSWORD_VERIFIER') {
          wire.devicePasswordVerifier = params;
          const tokens = {
            AccessToken: fakeJwt({ sub: 's', exp: 4102444800, iat: 1600000000, username: opts.userId }),
            IdToken: fakeJwt({ sub: 's', exp: 4102444800, iat: 1600000000 }),
            RefreshToken: 'refresh',
            ExpiresIn: 3600,
            TokenType: 'Bearer',
          };
          setImmediate(() => cb(null, { AuthenticationResult: tokens, ChallengeParameters: {} }));
          return;
        }
        if (op === 'ConfirmDevice') {
          wire.confirmDevice = params;
          setImmediate(() => cb(null, { UserConfirmationNecessary: false }));
          return;
        }
        throw new Error('unexpected operation ' + op);
      } catch (e) {
        reject(e);
      }
    };
    const user = new cij.CognitoUser({ Username: opts.username, Pool: pool, Storage: storage });
    // Capture what the client-side helper derived (u and S) by observing
    // calculateS's result; the library keeps u on the helper as UValue.
    const origCalculateS = cij.AuthenticationHelper.prototype.calculateS;
    const seen = [];
    cij.AuthenticationHelper.prototype.calculateS = function (xValue, serverBValue, callback) {
      const helper = this;
      return origCalculateS.call(this, xValue, serverBValue, (err, S) => {
        seen.push({ S, u: helper.UValue, x: xValue });
        callback(err, S);
      });
    };
    const origHkdf = cij.AuthenticationHelper.prototype.computehkdf;
    const keys = [];
    cij.AuthenticationHelper.prototype.computehkdf = function (ikm, salt) {
      const out = origHkdf.call(this, ikm, salt);
      keys.push(Buffer.from(out));
      return out;
    };
    const restore = () => {
      cij.AuthenticationHelper.prototype.calculateS = origCalculateS;
      cij.AuthenticationHelper.prototype.computehkdf = origHkdf;
    };
    feedRandom(opts.aBytes);
    if (opts.device) feedRandom(opts.device.aBytes);
    fixedNow = opts.now;
    user.authenticateUser(new cij.AuthenticationDetails({ Username: opts.username, Password: opts.password }), {
      onSuccess: () => {
        restore();
        resolve({ wire, seen, keys, user, userState });
      },
      onFailure: (err) => {
        restore();
        reject(err);
      },
    });
  });
}

// ------------------------------------------------------- Amplify v6 side

async function amplifyUserValues(c) {
  const a = new AmplifyBigInteger(c.aBytes.toString('hex'), 16);
  const N6 = new AmplifyBigInteger(amplifyConstants.INIT_N, 16);
  const g6 = new AmplifyBigInteger('2', 16);
  const A = await amplifyCalc.calculateA({ a, g: g6, N: N6 });
  const helper = new AmplifyHelper({ userPoolName: c.poolName, a, g: g6, A, N: N6 });
  const hkdf = await helper.getPasswordAuthenticationKey({
    username: c.userId,
    password: c.password,
    serverBValue: new AmplifyBigInteger(c.SRP_B, 16),
    salt: new AmplifyBigInteger(c.SALT, 16),
  });
  fixedNow = c.nowMs;
  const dateNow = amplifySrp.getNowString();
  const sig = amplifySrp.getSignatureString({
    userPoolName: c.poolName,
    username: c.userId,
    challengeParameters: { SECRET_BLOCK: c.SECRET_BLOCK },
    dateNow,
    hkdf,
  });
  return { SRP_A: A.toString(16), K: Buffer.from(hkdf).toString('hex'), TIMESTAMP: dateNow, sig, k: helper.k.toString(16) };
}

async function amplifyDeviceValues(deviceGroupKey, deviceKey, randomBytes) {
  const N6 = new AmplifyBigInteger(amplifyConstants.INIT_N, 16);
  const g6 = new AmplifyBigInteger('2', 16);
  const a = new AmplifyBigInteger('1', 16);
  const helper = new AmplifyHelper({ userPoolName: deviceGroupKey, a, g: g6, A: g6, N: N6 });
  feedRandom(randomBytes);
  await helper.generateHashDevice(deviceGroupKey, deviceKey);
  expectRandomDrained('amplify generateHashDevice');
  return {
    password: helper.getRandomPassword(),
    saltHex: helper.getSaltToHashDevices(),
    verifierHex: helper.getVerifierDevices(),
  };
}

// ------------------------------------------------------------------ cases

const CLIENT_ID = '1example23456789abcdefghij';

// Searches pick a fixed input whose derived value has a shape worth testing
// (odd-length hex, a high bit that padHex must escape, ...). They are
// deterministic: the first DRBG candidate that fits wins.
function searchA(label, pred) {
  for (let i = 0; i < 10000; i++) {
    const aBytes = drbg(`${label}/a/${i}`, 128);
    const A = modPow(g, big(aBytes.toString('hex')), N);
    if (pred(A)) return aBytes;
  }
  throw new Error('no a found for ' + label);
}
function searchB(label, A, v, pred) {
  for (let i = 0; i < 10000; i++) {
    const bBytes = drbg(`${label}/b/${i}`, 32);
    const b = big(bBytes.toString('hex'));
    const B = serverB(v, b);
    const u = uOf(A, B);
    const S = serverS(A, v, u, b);
    if (pred({ B, u, S })) return bBytes;
  }
  throw new Error('no b found for ' + label);
}

const userCases = [
  {
    name: 'basic',
    poolId: 'us-east-1_AbCdEfGhI',
    username: 'alice',
    userId: '5f0b8c1e-3d2a-4b6f-9e7d-1a2b3c4d5e6f',
    password: 'Passw0rd!',
    saltBytes: Buffer.from('3a1f5c7e9b2d4f6081a3c5e7092b4d6f', 'hex'),
    now: RealDate.UTC(2021, 8, 7, 3, 4, 5), // Tue Sep 7 03:04:05 UTC 2021: one-digit day
  },
  {
    name: 'salt-top-bit-set',
    poolId: 'eu-west-2_Zz9Yy8Xx7',
    username: 'bob@example.com',
    userId: 'c2d1f0e9-8b7a-4c6d-9e5f-0a1b2c3d4e5f',
    password: 'c0rrect-Horse battery staple',
    saltBytes: Buffer.from('c3b2a19f8e7d6c5b4a39281706f5e4d3', 'hex'),
    now: RealDate.UTC(2022, 11, 25, 23, 59, 59), // two-digit day
  },
  {
    name: 'salt-leading-zero-bytes',
    poolId: 'ap-southeast-2_q1W2e3R4t',
    username: 'carol',
    userId: 'carol',
    password: 'Sh0rt&Sweet',
    saltBytes: Buffer.from('00007f6e5d4c3b2a1908f7e6d5c4b3a2', 'hex'),
    now: RealDate.UTC(2024, 1, 29, 0, 0, 0), // leap day, midnight
  },
  {
    name: 'salt-leading-zero-nibble',
    poolId: 'us-west-2_Abc123',
    username: 'dave',
    userId: 'd4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70',
    password: 'Tr1cky^Pa$$',
    saltBytes: Buffer.from('0a9b8c7d6e5f40312233445566778899', 'hex'),
    now: RealDate.UTC(2025, 0, 1, 9, 8, 7),
  },
  {
    name: 'odd-length-A',
    poolId: 'us-east-2_OddA1',
    username: 'erin',
    userId: 'e1e2e3e4-0000-4000-8000-000000000001',
    password: 'OddLength1!',
    saltBytes: Buffer.from('11223344556677889900aabbccddeeff', 'hex'),
    now: RealDate.UTC(2023, 6, 4, 12, 0, 0),
    pickA: (A) => A.toString(16).length % 2 === 1,
  },
  {
    name: 'odd-length-S',
    poolId: 'us-east-2_OddS1',
    username: 'frank',
    userId: 'f1f2f3f4-0000-4000-8000-000000000002',
    password: 'OddS-Value2?',
    saltBytes: Buffer.from('2233445566778899aabbccddeeff0011', 'hex'),
    now: RealDate.UTC(2023, 9, 31, 18, 30, 0),
    pickB: ({ S }) => S.toString(16).length % 2 === 1,
  },
  {
    name: 'u-with-leading-zero-nibble',
    poolId: 'us-east-2_ShortU',
    username: 'grace',
    userId: 'a0a1a2a3-0000-4000-8000-000000000003',
    password: 'ShortU#3',
    saltBytes: Buffer.from('33445566778899aabbccddeeff001122', 'hex'),
    now: RealDate.UTC(2020, 1, 3, 4, 5, 6),
    pickB: ({ u }) => u.toString(16).length % 2 === 1,
  },
  {
    name: 'u-top-bit-set',
    poolId: 'us-east-2_HighU',
    username: 'heidi',
    userId: 'b0b1b2b3-0000-4000-8000-000000000004',
    password: 'HighU%4x',
    saltBytes: Buffer.from('445566778899aabbccddeeff00112233', 'hex'),
    now: RealDate.UTC(2026, 3, 9, 7, 7, 7),
    pickB: ({ u }) => u.toString(16).length === 64 && /^[89a-f]/.test(u.toString(16)),
  },
  {
    name: 'unicode',
    poolId: 'sa-east-1_Unic0de',
    username: 'José',
    userId: 'José-ünïcødé',
    password: 'pässwörd ✓ 1A€',
    saltBytes: Buffer.from('5566778899aabbccddeeff0011223344', 'hex'),
    now: RealDate.UTC(2021, 9, 10, 10, 10, 10),
  },
];

async function userVector(c) {
  const poolName = c.poolId.split('_')[1];
  const saltInt = big(c.saltBytes.toString('hex'));
  const SALT = H.padHex(saltInt);
  const { x, v } = verifierFor(poolName, c.userId, c.password, saltInt);
  const aBytes = c.pickA ? searchA(c.name, c.pickA) : drbg(`${c.name}/a`, 128);
  const A = modPow(g, big(aBytes.toString('hex')), N);
  const bBytes = c.pickB ? searchB(c.name, A, v, c.pickB) : drbg(`${c.name}/b`, 32);
  const b = big(bBytes.toString('hex'));
  const secretBlock = drbg(`${c.name}/secret-block`, 96).toString('base64');

  const run = await runUserSignIn({
    poolId: c.poolId,
    clientId: CLIENT_ID,
    storage: memoryStorage(),
    username: c.username,
    userId: c.userId,
    password: c.password,
    SALT,
    v,
    b,
    secretBlock,
    aBytes,
    now: c.now,
  });
  expectRandomDrained(c.name);
  const srpA = run.wire.initiate.AuthParameters.SRP_A;
  const resp = run.wire.verifier.ChallengeResponses;
  const { B } = run.userState;
  const u = uOf(A, B);
  const S = serverS(A, v, u, b);
  must(srpA === A.toString(16), `${c.name}: SRP_A is A in plain hex`);
  must(run.seen.length === 1, `${c.name}: one key derivation`);
  must(run.seen[0].S.equals(S), `${c.name}: client S equals server S`);
  must(run.seen[0].u.equals(u), `${c.name}: client u equals server u`);
  must(run.seen[0].x.equals(x), `${c.name}: client x equals the verifier's x`);
  must(resp.USERNAME === c.userId, `${c.name}: USERNAME is USER_ID_FOR_SRP`);
  must(resp.PASSWORD_CLAIM_SECRET_BLOCK === secretBlock, `${c.name}: secret block echoed`);
  const K = run.keys[0].toString('hex');

  const vec = {
    name: c.name,
    pool_id: c.poolId,
    pool_name: poolName,
    username: c.username,
    user_id_for_srp: c.userId,
    password: c.password,
    salt_bytes: c.saltBytes.toString('hex'),
    SALT,
    x: x.toString(16),
    verifier: H.padHex(v),
    a: aBytes.toString('hex'),
    b: bBytes.toString('hex'),
    SRP_A: srpA,
    SRP_B: B.toString(16),
    u: H.padHex(u),
    S: H.padHex(S),
    K,
    SECRET_BLOCK: secretBlock,
    now_unix: Math.floor(c.now / 1000),
    TIMESTAMP: resp.TIMESTAMP,
    PASSWORD_CLAIM_SIGNATURE: resp.PASSWORD_CLAIM_SIGNATURE,
  };

  // Amplify JS v6 must agree on every client-side value.
  const amp = await amplifyUserValues({
    poolName,
    userId: c.userId,
    password: c.password,
    aBytes,
    SRP_B: vec.SRP_B,
    SALT,
    SECRET_BLOCK: secretBlock,
    nowMs: c.now,
  });
  must(amp.SRP_A === vec.SRP_A, `${c.name}: Amplify A`);
  must(amp.K === vec.K, `${c.name}: Amplify K`);
  must(amp.TIMESTAMP === vec.TIMESTAMP, `${c.name}: Amplify timestamp`);
  must(amp.sig === vec.PASSWORD_CLAIM_SIGNATURE, `${c.name}: Amplify signature`);
  return vec;
}

// --------------------------------------------------------------- devices

const deviceCases = [
  {
    name: 'device-basic',
    poolId: 'us-east-1_AbCdEfGhI',
    username: 'alice',
    userId: '5f0b8c1e-3d2a-4b6f-9e7d-1a2b3c4d5e6f',
    password: 'Passw0rd!',
    saltBytes: Buffer.from('3a1f5c7e9b2d4f6081a3c5e7092b4d6f', 'hex'),
    deviceKey: 'us-east-1_0b8e7c6d-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
    deviceGroupKey: '-ab3XyZ12',
    deviceSalt: Buffer.from('6d5c4b3a29180f7e6d5c4b3a29180f7e', 'hex'),
    signInAt: RealDate.UTC(2021, 8, 7, 3, 4, 5),
    deviceAt: RealDate.UTC(2021, 8, 7, 3, 4, 6),
  },
  {
    name: 'device-salt-top-bit-set',
    poolId: 'eu-central-1_DevTop1',
    username: 'bob',
    userId: 'bob',
    password: 'Another1!Pass',
    saltBytes: Buffer.from('0123456789abcdef0123456789abcdef', 'hex'),
    deviceKey: 'eu-central-1_ffeeddcc-bbaa-4099-8877-665544332211',
    deviceGroupKey: 'GrOuP_kEy9',
    deviceSalt: Buffer.from('f0e1d2c3b4a5968778695a4b3c2d1e0f', 'hex'),
    signInAt: RealDate.UTC(2023, 2, 14, 15, 9, 26),
    deviceAt: RealDate.UTC(2023, 2, 14, 15, 9, 27),
  },
  {
    name: 'device-salt-leading-zero-byte',
    poolId: 'us-west-1_DevZero',
    username: 'carol',
    userId: '0c0c0c0c-1d1d-4e2e-8f3f-404040404040',
    password: 'Zer0-Lead!',
    saltBytes: Buffer.from('7766554433221100ffeeddccbbaa9988', 'hex'),
    deviceKey: 'us-west-1_12345678-90ab-4cde-8f01-234567890abc',
    deviceGroupKey: 'Zx',
    deviceSalt: Buffer.from('003c4b5a69788796a5b4c3d2e1f00112', 'hex'),
    signInAt: RealDate.UTC(2024, 10, 5, 1, 2, 3),
    deviceAt: RealDate.UTC(2024, 10, 5, 1, 2, 4),
  },
];

async function deviceVector(c) {
  const poolName = c.poolId.split('_')[1];
  const saltInt = big(c.saltBytes.toString('hex'));
  const SALT = H.padHex(saltInt);
  const { v } = verifierFor(poolName, c.userId, c.password, saltInt);
  const storage = memoryStorage();
  const devicePasswordBytes = drbg(`${c.name}/device-password`, 40);
  const deviceRandom = Buffer.concat([devicePasswordBytes, c.deviceSalt]);

  // 1. Sign in; the fake service issues NewDeviceMetadata and the library
  //    answers with ConfirmDevice{DeviceSecretVerifierConfig}.
  const first = await runUserSignIn({
    poolId: c.poolId,
    clientId: CLIENT_ID,
    storage,
    username: c.username,
    userId: c.userId,
    password: c.password,
    SALT,
    v,
    b: big(drbg(`${c.name}/b1`, 32).toString('hex')),
    secretBlock: drbg(`${c.name}/sb1`, 48).toString('base64'),
    aBytes: drbg(`${c.name}/a1`, 128),
    now: c.signInAt,
    deviceMetadata: { DeviceKey: c.deviceKey, DeviceGroupKey: c.deviceGroupKey },
    deviceRandom,
  });
  expectRandomDrained(c.name + ' confirm');
  const cfg = first.wire.confirmDevice.DeviceSecretVerifierConfig;
  must(first.wire.confirmDevice.DeviceKey === c.deviceKey, 'ConfirmDevice DeviceKey');
  const devicePassword = devicePasswordBytes.toString('base64');
  const storedSalt = Buffer.from(cfg.Salt, 'base64');
  const storedVerifier = Buffer.from(cfg.PasswordVerifier, 'base64');

  // The same generation in Amplify JS v6.
  const amp = await amplifyDeviceValues(c.deviceGroupKey, c.deviceKey, deviceRandom);
  must(amp.password === devicePassword, `${c.name}: Amplify device password`);
  must(Buffer.from(amp.saltHex, 'hex').equals(storedSalt), `${c.name}: Amplify device salt`);
  must(Buffer.from(amp.verifierHex, 'hex').equals(storedVerifier), `${c.name}: Amplify device verifier`);

  // 2. Sign in again with the remembered device: the service asks for
  //    DEVICE_SRP_AUTH and the library proves the device secret.
  const vDev = big(storedVerifier.toString('hex'));
  const deviceSALT = storedSalt.toString('hex');
  const aBytes = drbg(`${c.name}/a-device`, 128);
  const bBytes = drbg(`${c.name}/b-device`, 32);
  const b = big(bBytes.toString('hex'));
  const secretBlock = drbg(`${c.name}/sb-device`, 64).toString('base64');
  const second = await runUserSignIn({
    poolId: c.poolId,
    clientId: CLIENT_ID,
    storage,
    username: c.username,
    userId: c.userId,
    password: c.password,
    SALT,
    v,
    b: big(drbg(`${c.name}/b2`, 32).toString('hex')),
    secretBlock: drbg(`${c.name}/sb2`, 48).toString('base64'),
    aBytes: drbg(`${c.name}/a2`, 128),
    now: c.signInAt,
    device: { v: vDev, b, SALT: deviceSALT, secretBlock, now: c.deviceAt, aBytes },
  });
  expectRandomDrained(c.name + ' device sign-in');
  const srpA = second.wire.deviceSrp.ChallengeResponses.SRP_A;
  must(second.wire.deviceSrp.ChallengeResponses.DEVICE_KEY === c.deviceKey, 'DEVICE_SRP_AUTH carries DEVICE_KEY');
  const A = big(srpA);
  must(A.equals(modPow(g, big(aBytes.toString('hex')), N)), 'device A from scripted a');
  const { B } = second.wire.deviceState;
  const u = uOf(A, B);
  const S = serverS(A, vDev, u, b);
  must(second.seen.length === 2 && second.seen[1].S.equals(S), `${c.name}: device client S equals server S`);
  const resp = second.wire.devicePasswordVerifier.ChallengeResponses;
  must(resp.DEVICE_KEY === c.deviceKey, 'DEVICE_PASSWORD_VERIFIER carries DEVICE_KEY');

  // Amplify v6's signature for the same device step.
  const ampSig = await amplifyUserValues({
    poolName: c.deviceGroupKey,
    userId: c.deviceKey,
    password: devicePassword,
    aBytes,
    SRP_B: B.toString(16),
    SALT: deviceSALT,
    SECRET_BLOCK: secretBlock,
    nowMs: c.deviceAt,
  });
  must(ampSig.sig === resp.PASSWORD_CLAIM_SIGNATURE, `${c.name}: Amplify device signature`);

  return {
    name: c.name,
    device_group_key: c.deviceGroupKey,
    device_key: c.deviceKey,
    device_password: devicePassword,
    device_salt_random: c.deviceSalt.toString('hex'),
    confirm_device_salt: cfg.Salt,
    confirm_device_password_verifier: cfg.PasswordVerifier,
    SALT: deviceSALT,
    a: aBytes.toString('hex'),
    b: bBytes.toString('hex'),
    SRP_A: srpA,
    SRP_B: B.toString(16),
    u: H.padHex(u),
    S: H.padHex(S),
    K: second.keys[1].toString('hex'),
    SECRET_BLOCK: secretBlock,
    now_unix: Math.floor(c.deviceAt / 1000),
    TIMESTAMP: resp.TIMESTAMP,
    PASSWORD_CLAIM_SIGNATURE: resp.PASSWORD_CLAIM_SIGNATURE,
  };
}

// ------------------------------------------------------------- timestamps

function timestampVectors() {
  const instants = [
    RealDate.UTC(2021, 8, 7, 3, 4, 5),
    RealDate.UTC(2021, 8, 17, 13, 14, 15),
    RealDate.UTC(1999, 11, 31, 23, 59, 59),
    RealDate.UTC(2000, 0, 1, 0, 0, 0),
    RealDate.UTC(2024, 1, 29, 12, 0, 9),
    RealDate.UTC(2030, 4, 5, 6, 7, 8),
  ];
  const dh = new cijDateHelper();
  return instants.map((ms) => {
    fixedNow = ms;
    const s = dh.getNowString();
    must(s === amplifySrp.getNowString(), 'both libraries format the same timestamp');
    return { unix: Math.floor(ms / 1000), TIMESTAMP: s };
  });
}

// ------------------------------------------------------------------- main

async function main() {
  const user = [];
  for (const c of userCases) user.push(await userVector(c));
  const device = [];
  for (const c of deviceCases) device.push(await deviceVector(c));
  const amplifyK = await amplifyUserValues({
    poolName: 'probe',
    userId: 'u',
    password: 'p',
    aBytes: Buffer.alloc(128, 2),
    SRP_B: '2',
    SALT: '01',
    SECRET_BLOCK: '',
    nowMs: RealDate.UTC(2021, 0, 1),
  });
  must(amplifyK.k === k.toString(16), 'both libraries derive the same k');
  const out = {
    comment:
      'Generated by gen_vectors.js from amazon-cognito-identity-js (full CognitoUser flows against a fake service) ' +
      'and cross-checked against @aws-amplify/auth (Amplify JS v6). Hex values are lowercase; SRP_A/SRP_B are sent ' +
      'as plain hex, u/S/verifier are padHex form, K is the 16-byte HKDF output.',
    libraries: {
      'amazon-cognito-identity-js': cijPkg.version,
      '@aws-amplify/auth': amplifyPkg.version,
      node: process.version,
    },
    N: H.padHex(N),
    g: g.toString(16),
    k: k.toString(16),
    user,
    device,
    timestamps: timestampVectors(),
  };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
