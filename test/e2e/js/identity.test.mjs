// Identity pools with the JavaScript clients: @aws-sdk/client-cognito-identity
// through every operation, fromCognitoIdentityPool from
// @aws-sdk/credential-providers with a Cogito user-pool ID token, and aws-amplify
// v6 fetchAuthSession (identityPoolEndpoint) for a guest and then for the same
// browser signed in, checking the wire calls Amplify makes.
//
// Amplify is a process-wide singleton; node --test runs this file in its own
// process.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateIdentityPoolCommand,
  DeleteIdentitiesCommand,
  DeleteIdentityPoolCommand,
  DescribeIdentityCommand,
  DescribeIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetIdentityPoolRolesCommand,
  GetOpenIdTokenCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
  GetPrincipalTagAttributeMapCommand,
  ListIdentitiesCommand,
  ListIdentityPoolsCommand,
  ListTagsForResourceCommand,
  LookupDeveloperIdentityCommand,
  MergeDeveloperIdentitiesCommand,
  SetIdentityPoolRolesCommand,
  SetPrincipalTagAttributeMapCommand,
  TagResourceCommand,
  UnlinkDeveloperIdentityCommand,
  UnlinkIdentityCommand,
  UntagResourceCommand,
  UpdateIdentityPoolCommand,
} from '@aws-sdk/client-cognito-identity';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { ConsoleLogger } from 'aws-amplify/utils';

import { startCogito, uniq } from './harness.mjs';

ConsoleLogger.LOG_LEVEL = 'ERROR';

const AUTH_ROLE = 'arn:aws:iam::000000000000:role/CognitoAuth';
const UNAUTH_ROLE = 'arn:aws:iam::000000000000:role/CognitoUnauth';
const DEV_PROVIDER = 'login.example.dev';

// The cognito-identity operations sent through fetch (Amplify's client), in order.
let wire = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const target = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).get('x-amz-target');
  if (target?.startsWith('AWSCognitoIdentityService.')) wire.push(target.split('.')[1]);
  return realFetch(input, init);
};

const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

class MemoryStorage {
  constructor() { this.items = new Map(); }
  async setItem(k, v) { this.items.set(k, v); }
  async getItem(k) { return this.items.has(k) ? this.items.get(k) : null; }
  async removeItem(k) { this.items.delete(k); }
  async clear() { this.items.clear(); }
}

describe('identity pools', { concurrency: 1 }, () => {
  let cogito;
  let idp;
  let identity;
  before(async () => {
    cogito = await startCogito();
    idp = cogito.idp();
    identity = cogito.identity();
  });
  after(async () => {
    globalThis.fetch = realFetch;
    await cogito?.stop();
  });

  /** What Cogito recorded of minted credentials. */
  async function minted(accessKeyId) {
    const res = await realFetch(`${cogito.url}/_cogito/credentials/${accessKeyId}`);
    assert.equal(res.status, 200);
    return res.json();
  }

  /** A user pool with a public client and a confirmed user signed in; the identity pool trusting the client. */
  async function fixture({ guests = true } = {}) {
    const { UserPool } = await idp.send(new CreateUserPoolCommand({ PoolName: uniq('js-identity') }));
    const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: UserPool.Id, ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }));
    const username = uniq('idu');
    await idp.send(new AdminCreateUserCommand({ UserPoolId: UserPool.Id, Username: username, MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp0rary!' }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: UserPool.Id, Username: username, Password: 'Passw0rd!', Permanent: true }));
    const auth = await idp.send(new InitiateAuthCommand({
      ClientId: UserPoolClient.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: 'Passw0rd!' },
    }));
    const provider = `cognito-idp.us-east-1.amazonaws.com/${UserPool.Id}`;
    const pool = await identity.send(new CreateIdentityPoolCommand({
      IdentityPoolName: uniq('js-ids'), AllowUnauthenticatedIdentities: guests, AllowClassicFlow: true,
      CognitoIdentityProviders: [{ ProviderName: provider, ClientId: UserPoolClient.ClientId, ServerSideTokenCheck: false }],
      DeveloperProviderName: DEV_PROVIDER,
    }));
    await identity.send(new SetIdentityPoolRolesCommand({
      IdentityPoolId: pool.IdentityPoolId, Roles: { authenticated: AUTH_ROLE, unauthenticated: UNAUTH_ROLE },
    }));
    return {
      userPoolId: UserPool.Id, clientId: UserPoolClient.ClientId, username, provider,
      // What Amplify and the credential provider send: the iss without its scheme.
      issuerProvider: claims(auth.AuthenticationResult.IdToken).iss.replace(/^https?:\/\//, ''),
      idToken: auth.AuthenticationResult.IdToken, accessToken: auth.AuthenticationResult.AccessToken,
      identityPoolId: pool.IdentityPoolId,
    };
  }

  it('@aws-sdk/client-cognito-identity: every operation', async () => {
    const f = await fixture();
    const poolId = f.identityPoolId;

    // Pool management.
    const described = await identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: poolId }));
    assert.equal(described.DeveloperProviderName, DEV_PROVIDER);
    const updated = await identity.send(new UpdateIdentityPoolCommand({
      IdentityPoolId: poolId, IdentityPoolName: 'renamed', AllowUnauthenticatedIdentities: true, AllowClassicFlow: true,
      CognitoIdentityProviders: described.CognitoIdentityProviders, DeveloperProviderName: DEV_PROVIDER,
    }));
    assert.equal(updated.IdentityPoolName, 'renamed');
    const pools = await identity.send(new ListIdentityPoolsCommand({ MaxResults: 60 }));
    assert.ok(pools.IdentityPools.some((p) => p.IdentityPoolId === poolId));
    const roles = await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: poolId }));
    assert.deepEqual(roles.Roles, { authenticated: AUTH_ROLE, unauthenticated: UNAUTH_ROLE });
    await identity.send(new SetPrincipalTagAttributeMapCommand({ IdentityPoolId: poolId, IdentityProviderName: f.provider, UseDefaults: true }));
    const tagMap = await identity.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: poolId, IdentityProviderName: f.provider }));
    assert.deepEqual(tagMap.PrincipalTags, { client: 'aud', username: 'sub' });
    const arn = `arn:aws:cognito-identity:us-east-1:000000000000:identitypool/${poolId}`;
    await identity.send(new TagResourceCommand({ ResourceArn: arn, Tags: { team: 'web' } }));
    assert.deepEqual((await identity.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, { team: 'web' });
    await identity.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team'] }));

    // Identities.
    const logins = { [f.issuerProvider]: f.idToken };
    const { IdentityId: id } = await identity.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins }));
    assert.match(id, /^us-east-1:[0-9a-f-]{36}$/);
    const { IdentityId: same } = await identity.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [f.provider]: f.idToken } }));
    assert.equal(same, id);
    const creds = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId: id, Logins: logins }));
    assert.equal(creds.IdentityId, id);
    assert.match(creds.Credentials.AccessKeyId, /^ASIA[A-Z0-9]{16}$/);
    assert.ok(creds.Credentials.Expiration instanceof Date && creds.Credentials.Expiration > new Date());
    const rec = await minted(creds.Credentials.AccessKeyId);
    assert.equal(rec.RoleArn, AUTH_ROLE);
    assert.equal(rec.SecretAccessKey, creds.Credentials.SecretKey);
    assert.deepEqual(rec.PrincipalTags, { client: f.clientId, username: claims(f.idToken).sub });

    const { Token } = await identity.send(new GetOpenIdTokenCommand({ IdentityId: id, Logins: logins }));
    const tok = claims(Token);
    assert.equal(tok.sub, id);
    assert.equal(tok.aud, poolId);
    assert.deepEqual(tok.amr.slice(0, 2), ['authenticated', f.provider]);
    assert.equal(tok.exp - tok.iat, 600);

    const desc = await identity.send(new DescribeIdentityCommand({ IdentityId: id }));
    assert.deepEqual(desc.Logins, [f.provider]);
    assert.ok(desc.CreationDate instanceof Date);

    const guest = (await identity.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: {} }))).IdentityId;
    const guestCreds = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId: guest }));
    assert.equal((await minted(guestCreds.Credentials.AccessKeyId)).RoleArn, UNAUTH_ROLE);

    // Developer identities.
    const dev = await identity.send(new GetOpenIdTokenForDeveloperIdentityCommand({
      IdentityPoolId: poolId, Logins: { [DEV_PROVIDER]: 'dev-1' }, TokenDuration: 1200, PrincipalTags: { tenant: 'acme' },
    }));
    assert.equal(claims(dev.Token).exp - claims(dev.Token).iat, 1200);
    const devCreds = await identity.send(new GetCredentialsForIdentityCommand({
      IdentityId: dev.IdentityId, Logins: { 'cognito-identity.amazonaws.com': dev.Token },
    }));
    assert.equal((await minted(devCreds.Credentials.AccessKeyId)).PrincipalTags.tenant, 'acme');
    const dev2 = await identity.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: poolId, Logins: { [DEV_PROVIDER]: 'dev-2' } }));
    const lookup = await identity.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: poolId, DeveloperUserIdentifier: 'dev-1' }));
    assert.equal(lookup.IdentityId, dev.IdentityId);
    assert.deepEqual(lookup.DeveloperUserIdentifierList, ['dev-1']);
    const merged = await identity.send(new MergeDeveloperIdentitiesCommand({
      IdentityPoolId: poolId, DeveloperProviderName: DEV_PROVIDER, SourceUserIdentifier: 'dev-2', DestinationUserIdentifier: 'dev-1',
    }));
    assert.equal(merged.IdentityId, dev.IdentityId);
    await identity.send(new UnlinkDeveloperIdentityCommand({
      IdentityPoolId: poolId, IdentityId: dev.IdentityId, DeveloperProviderName: DEV_PROVIDER, DeveloperUserIdentifier: 'dev-2',
    }));
    await assert.rejects(
      identity.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: poolId, DeveloperUserIdentifier: 'dev-2' })),
      { name: 'ResourceNotFoundException' });

    // Listing, unlinking, deleting.
    const list = await identity.send(new ListIdentitiesCommand({ IdentityPoolId: poolId, MaxResults: 60 }));
    const listed = list.Identities.map((i) => i.IdentityId);
    for (const want of [id, guest, dev.IdentityId, dev2.IdentityId]) assert.ok(listed.includes(want), `${want} listed`);
    const visible = await identity.send(new ListIdentitiesCommand({ IdentityPoolId: poolId, MaxResults: 60, HideDisabled: true }));
    assert.ok(!visible.Identities.some((i) => i.IdentityId === dev2.IdentityId), 'the merged identity is disabled');
    await identity.send(new UnlinkIdentityCommand({ IdentityId: id, Logins: logins, LoginsToRemove: [f.provider] }));
    await assert.rejects(identity.send(new GetCredentialsForIdentityCommand({ IdentityId: id, Logins: logins })),
      { name: 'NotAuthorizedException', message: `Access to Identity '${id}' is forbidden.` });
    const del = await identity.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [guest] }));
    assert.deepEqual(del.UnprocessedIdentityIds, []);
    await assert.rejects(identity.send(new DescribeIdentityCommand({ IdentityId: guest })),
      { name: 'ResourceNotFoundException', message: `Identity '${guest}' not found.` });

    // Refusals with Cognito's messages.
    await assert.rejects(identity.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [f.provider]: f.accessToken } })),
      { name: 'NotAuthorizedException', message: 'Invalid login token. Missing a required claim: aud' });
    await identity.send(new DeleteIdentityPoolCommand({ IdentityPoolId: poolId }));
    await assert.rejects(identity.send(new GetIdCommand({ IdentityPoolId: poolId })),
      { name: 'ResourceNotFoundException', message: `IdentityPool '${poolId}' not found.` });
  });

  it('@aws-sdk/credential-providers fromCognitoIdentityPool with a Cogito ID token', async () => {
    const f = await fixture({ guests: false });
    const provider = fromCognitoIdentityPool({
      identityPoolId: f.identityPoolId,
      logins: { [f.issuerProvider]: f.idToken },
      clientConfig: { region: 'us-east-1', endpoint: cogito.url },
    });
    const creds = await provider();
    assert.match(creds.accessKeyId, /^ASIA/);
    assert.ok(creds.secretAccessKey && creds.sessionToken);
    assert.ok(creds.expiration > new Date());
    assert.match(creds.identityId, /^us-east-1:/);
    const rec = await minted(creds.accessKeyId);
    assert.equal(rec.IdentityId, creds.identityId);
    assert.equal(rec.RoleArn, AUTH_ROLE);
    assert.equal(rec.Authenticated, true);
    // The identity is the one GetId finds for the user.
    const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId: f.identityPoolId, Logins: { [f.provider]: f.idToken } }));
    assert.equal(IdentityId, creds.identityId);
  });

  it('aws-amplify fetchAuthSession: a guest, then the same browser signed in', async () => {
    const f = await fixture({ guests: true });
    Amplify.configure({
      Auth: {
        Cognito: {
          userPoolId: f.userPoolId, userPoolClientId: f.clientId, userPoolEndpoint: cogito.url,
          identityPoolId: f.identityPoolId, identityPoolEndpoint: cogito.url, allowGuestAccess: true,
        },
      },
    });
    cognitoUserPoolsTokenProvider.setKeyValueStorage(new MemoryStorage());

    wire = [];
    const guest = await fetchAuthSession();
    assert.equal(guest.tokens, undefined);
    assert.match(guest.identityId, /^us-east-1:/);
    assert.ok(guest.credentials?.accessKeyId && guest.credentials.secretAccessKey && guest.credentials.sessionToken);
    assert.deepEqual(wire, ['GetId', 'GetCredentialsForIdentity']);
    assert.equal((await minted(guest.credentials.accessKeyId)).RoleArn, UNAUTH_ROLE);

    await signIn({ username: f.username, password: 'Passw0rd!' });
    wire = [];
    const session = await fetchAuthSession();
    assert.ok(session.tokens?.idToken);
    // Amplify keeps the guest's identity id and sends the ID token: Cogito upgrades the guest.
    assert.deepEqual(wire, ['GetCredentialsForIdentity']);
    assert.equal(session.identityId, guest.identityId);
    const rec = await minted(session.credentials.accessKeyId);
    assert.equal(rec.RoleArn, AUTH_ROLE);
    assert.equal(rec.IdentityId, guest.identityId);
    assert.equal(rec.Authenticated, true);
    const desc = await identity.send(new DescribeIdentityCommand({ IdentityId: session.identityId }));
    assert.deepEqual(desc.Logins, [f.provider]);

    // Signed out and in again on a fresh browser: GetId finds the same identity by the login.
    await signOut();
    cognitoUserPoolsTokenProvider.setKeyValueStorage(new MemoryStorage());
    Amplify.configure(Amplify.getConfig());
    await signIn({ username: f.username, password: 'Passw0rd!' });
    const again = await fetchAuthSession({ forceRefresh: true });
    assert.equal(again.identityId, guest.identityId);
  });
});
