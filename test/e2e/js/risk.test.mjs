// Threat protection and imported password hashes with the JS SDK v3 (and
// amazon-cognito-identity-js for SRP): Cogito started with a breached-password
// list (--breached-passwords, SHA-1 hashes in the Have I Been Pwned format);
// a pool with AdvancedSecurityMode ENFORCED refuses a breached password at
// sign-up and blocks sign-ins from a blocked IP range (the tests' requests
// come from 127.0.0.1); a user imported with a bcrypt hash signs in with the
// old password by USER_PASSWORD_AUTH, which turns the hash into an SRP
// verifier, so SRP works afterwards.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListUserAuthEventsCommand,
  AdminSetUserPasswordCommand,
  CreateUserImportJobCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserImportJobCommand,
  GetCSVHeaderCommand,
  InitiateAuthCommand,
  SetRiskConfigurationCommand,
  SignUpCommand,
  StartUserImportJobCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';

import { startCogito, uniq } from './harness.mjs';

const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const BREACHED = 'Breached-Passw0rd1!';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** amazon-cognito-identity-js authenticateUser (SRP) as a promise. */
function srpSignIn(url, poolId, clientId, username, password) {
  const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: url });
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('unexpected newPasswordRequired')),
    });
  });
}

describe('threat protection and imported passwords (JS SDK v3)', () => {
  let cogito;
  let idp;
  let dir;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cogito-breached-'));
    const file = path.join(dir, 'breached.txt');
    const sha1 = crypto.createHash('sha1').update(BREACHED).digest('hex').toUpperCase();
    writeFileSync(file, `# test list\n${sha1}:3861493\n`);
    cogito = await startCogito(['--breached-passwords', file]);
    idp = cogito.idp();
  });
  after(async () => {
    await cogito?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A Plus pool with threat protection ENFORCED and a public client. */
  async function protectedPool() {
    const { UserPool } = await idp.send(new CreateUserPoolCommand({
      PoolName: uniq('js-risk'), UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    }));
    const client = async (name) => (await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: UserPool.Id, ClientName: name, ExplicitAuthFlows: FLOWS,
    }))).UserPoolClient.ClientId;
    return { poolId: UserPool.Id, clientId: await client('web'), otherClientId: await client('blocked') };
  }

  it('refuses a breached password at sign-up', async () => {
    const { poolId, clientId } = await protectedPool();
    await idp.send(new SetRiskConfigurationCommand({
      UserPoolId: poolId,
      CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_UP', 'SIGN_IN'], Actions: { EventAction: 'BLOCK' } },
    }));
    const username = uniq('breach');
    await assert.rejects(
      idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: BREACHED, UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }] })),
      (err) => err.name === 'InvalidPasswordException' && /breach/.test(err.message),
    );
    await assert.rejects(idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })), { name: 'UserNotFoundException' });
    // Any other password is fine.
    const out = await idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: 'Fresh-Passw0rd1!', UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }] }));
    assert.equal(typeof out.UserSub, 'string');
  });

  it('refuses a sign-in from a blocked IP range and records the risk', async () => {
    const { poolId, clientId, otherClientId } = await protectedPool();
    await idp.send(new SetRiskConfigurationCommand({
      UserPoolId: poolId, ClientId: otherClientId,
      RiskExceptionConfiguration: { BlockedIPRangeList: ['127.0.0.0/8'] },
    }));
    const username = uniq('risky');
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp0rary!' }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: 'Passw0rd!', Permanent: true }));
    const signIn = (ClientId) => idp.send(new InitiateAuthCommand({
      ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: 'Passw0rd!' },
    }));
    await assert.rejects(signIn(otherClientId), (err) => err.name === 'NotAuthorizedException' && err.message === 'Unable to login because of security reasons.');
    await assert.rejects(srpSignIn(cogito.url, poolId, otherClientId, username, 'Passw0rd!'), { code: 'NotAuthorizedException' });
    // The app client without the exception lets the user in.
    const ok = await signIn(clientId);
    assert.ok(ok.AuthenticationResult?.AccessToken);
    const { AuthEvents } = await idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username }));
    assert.equal(AuthEvents.length, 3);
    assert.equal(AuthEvents[0].EventResponse, 'Pass');
    for (const ev of AuthEvents.slice(1)) {
      assert.equal(ev.EventResponse, 'Fail');
      assert.equal(ev.EventRisk.RiskDecision, 'Block');
      assert.equal(ev.EventContextData.IpAddress, '127.0.0.1');
    }
  });

  it('an imported user signs in with the old bcrypt-hashed password, then with SRP', async () => {
    const { UserPool } = await idp.send(new CreateUserPoolCommand({ PoolName: uniq('js-import'), AutoVerifiedAttributes: ['email'] }));
    const poolId = UserPool.Id;
    const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: FLOWS }));
    const clientId = UserPoolClient.ClientId;
    // bcrypt (cost 10) of "Imp0rted-Passw0rd!", as the old system kept it.
    const hash = '$2a$10$AiwswwvEXoqmz/1HqzQ5a.6JplDSwaXuXHXpMGnt4UpekUPRd1HAC';
    const username = uniq('imported');
    const { CSVHeader } = await idp.send(new GetCSVHeaderCommand({ UserPoolId: poolId }));
    const header = [...CSVHeader, 'cognito:password_hash'];
    const row = { 'cognito:username': username, email: `${username}@example.com`, email_verified: 'true', 'cognito:mfa_enabled': 'false', 'cognito:password_hash': hash };
    const csv = `${header.join(',')}\n${header.map((h) => row[h] ?? '').join(',')}\n`;
    const { UserImportJob: job } = await idp.send(new CreateUserImportJobCommand({
      UserPoolId: poolId, JobName: uniq('import'), CloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/CognitoImport',
      PasswordHashingAlgorithm: 'BCRYPT',
    }));
    const put = await fetch(job.PreSignedUrl, { method: 'PUT', body: csv, headers: { 'content-type': 'text/csv', 'x-amz-server-side-encryption': 'aws:kms' } });
    assert.equal(put.status, 200);
    await idp.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }));
    let done;
    for (let i = 0; i < 100; i++) {
      done = (await idp.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }))).UserImportJob;
      if (!['Created', 'Pending', 'InProgress'].includes(done.Status)) break;
      await sleep(100);
    }
    assert.equal(done.Status, 'Succeeded', JSON.stringify(done));
    assert.equal(done.ImportedUsers, 1);

    // Before a plaintext sign-in the user has no SRP verifier: SRP fails as a wrong password.
    await assert.rejects(srpSignIn(cogito.url, poolId, clientId, username, 'Imp0rted-Passw0rd!'),
      (err) => err.code === 'NotAuthorizedException' && err.message === 'Incorrect username or password.');
    await assert.rejects(idp.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: 'Wrong-Passw0rd!' },
    })), { name: 'NotAuthorizedException' });
    const out = await idp.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: 'Imp0rted-Passw0rd!' },
    }));
    assert.ok(out.AuthenticationResult?.IdToken, 'tokens for the old password');
    const session = await srpSignIn(cogito.url, poolId, clientId, username, 'Imp0rted-Passw0rd!');
    assert.ok(session.isValid(), 'SRP works once the hash was upgraded');
  });
});
