// Dynamic client registration (RFC 7591) with openid-client's
// dynamicClientRegistration: discovery finds the pool's
// registration_endpoint, open registration registers a code-grant client,
// and authenticated registration presents an initial access token from
// client_credentials (the system-managed aws.cognito/dcr/register scope)
// and registers a client_credentials client that then gets its own tokens.
import { before, after, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import * as client from 'openid-client';

import { startCogito, uniq } from './harness.mjs';

const CALLBACK = 'http://localhost:4321/callback';
const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
const insecure = { execute: [client.allowInsecureRequests] };

describe('dynamic client registration with openid-client', { concurrency: 1 }, () => {
  let cogito;
  let idp;
  let poolId;
  let issuer;
  let registrar;

  before(async () => {
    cogito = await startCogito();
    idp = cogito.idp();
    ({ UserPool: { Id: poolId } } = await idp.send(new CreateUserPoolCommand({ PoolName: uniq('js-dcr') })));
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: uniq('auth') }));
    await idp.send(new CreateResourceServerCommand({
      UserPoolId: poolId, Identifier: 'api', Name: 'API', Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }],
    }));
    ({ UserPoolClient: registrar } = await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'registrar', GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['aws.cognito/dcr/register'],
    })));
    issuer = new URL(`${cogito.url}/${poolId}`);
  });
  after(() => cogito?.stop());

  it('lists no registration endpoint while registration is off', async () => {
    const config = await client.discovery(issuer, 'x', undefined, client.None(), insecure);
    assert.equal(config.serverMetadata().registration_endpoint, undefined);
    await assert.rejects(client.dynamicClientRegistration(issuer, { redirect_uris: [CALLBACK] }, undefined, insecure));
  });

  it('registers a code-grant client openly', async () => {
    await idp.send(new UpdateUserPoolCommand({
      UserPoolId: poolId, UserPoolTier: 'ESSENTIALS',
      DcrConfiguration: { EnableStatus: 'Enabled', OpenDcrEnabled: true, AuthenticatedGrantTypes: ['client_credentials'], AllowedScopes: ['api/read'] },
    }));
    const config = await client.dynamicClientRegistration(issuer, {
      client_name: 'js agent', redirect_uris: [CALLBACK], scope: 'openid email', token_endpoint_auth_method: 'client_secret_basic',
    }, undefined, insecure);
    assert.equal(config.serverMetadata().registration_endpoint, `${issuer.href}/oauth2/register`);
    const md = config.clientMetadata();
    assert.ok(md.client_id && md.client_secret);
    assert.equal(md.client_secret_expires_at, 0);
    assert.deepEqual(md.redirect_uris, [CALLBACK]);
    assert.deepEqual(md.grant_types, ['authorization_code']);
    const { UserPoolClient: c } = await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: md.client_id }));
    assert.equal(c.ClientType, 'DCR');
    assert.equal(c.ClientName, 'js agent');
    assert.deepEqual(c.CallbackURLs, [CALLBACK]);
    assert.deepEqual(c.AllowedOAuthScopes, ['openid', 'email']);
    // An authorization URL for the registered client reaches the sign-in page.
    const url = client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', state: 's' });
    const page = await fetch(url, { redirect: 'manual' });
    assert.equal(page.status, 302);
    assert.match(page.headers.get('location'), /\/login\?/);
    // Open registration allows only the code grant here.
    await assert.rejects(
      client.dynamicClientRegistration(issuer, { grant_types: ['client_credentials'], scope: 'api/read' }, undefined, insecure),
      (e) => e.error === 'invalid_client_metadata' || e.cause?.error === 'invalid_client_metadata' || /invalid_client_metadata/.test(String(e?.cause?.body ?? e)),
    );
  });

  it('registers a client_credentials client with an initial access token', async () => {
    const reg = await client.discovery(issuer, registrar.ClientId, registrar.ClientSecret, undefined, insecure);
    const iat = await client.clientCredentialsGrant(reg, { scope: 'aws.cognito/dcr/register' });
    assert.equal(claims(iat.access_token).scope, 'aws.cognito/dcr/register');
    const config = await client.dynamicClientRegistration(issuer, {
      client_name: 'worker', grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_post', scope: 'api/read',
    }, undefined, { ...insecure, initialAccessToken: iat.access_token });
    const md = config.clientMetadata();
    const tok = await client.clientCredentialsGrant(config, { scope: 'api/read' });
    const c = claims(tok.access_token);
    assert.equal(c.client_id, md.client_id);
    assert.equal(c.scope, 'api/read');
    const { UserPoolClients } = await idp.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60, ClientType: 'DCR' }));
    assert.ok(UserPoolClients.some((x) => x.ClientId === md.client_id));
    assert.ok(!UserPoolClients.some((x) => x.ClientId === registrar.ClientId));
    // The registered client's own token cannot register.
    await assert.rejects(client.dynamicClientRegistration(issuer, { grant_types: ['client_credentials'], scope: 'api/read' },
      undefined, { ...insecure, initialAccessToken: tok.access_token }));
  });
});
