// API rate limits, log delivery and terms as the AWS SDK for JavaScript v3
// sees them, against a server started with --enforce-rate-limits: a lowered
// limit answers TooManyRequestsException, which the SDK retries (visible in
// $metadata.attempts and in a middleware counting attempts); the logs a
// SetLogDeliveryConfiguration asks for arrive at the HTTP endpoint the
// destination ARNs are mapped to.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateTermsCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetLogDeliveryConfigurationCommand,
  GetProvisionedLimitCommand,
  ListTermsCommand,
  SetLogDeliveryConfigurationCommand,
  TooManyRequestsException,
  UpdateProvisionedLimitCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { ACCESS_KEY, REGION, SECRET_KEY, needs, startCogito, uniq } from './harness.mjs';

const LOG_GROUP = 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/vendedlogs/js-notifications';
const STREAM = 'arn:aws:firehose:us-east-1:000000000000:deliverystream/js-activity';

/** A local HTTP server answering every request with status and keeping the bodies. */
function listen(status) {
  const bodies = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { bodies.push(body); res.writeHead(status).end(); });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`,
    bodies,
    close: () => new Promise((r) => server.close(r)),
  })));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Waits until just after the start of a second (the limits count whole seconds). */
async function startOfSecond() {
  await sleep(1000 - (Date.now() % 1000) + 20);
}

describe('rate limits, log delivery and terms', () => {
  let cogito;
  let idp;
  let sink;
  let failingSMS;

  before(async () => {
    sink = await listen(200);
    failingSMS = await listen(503);
    cogito = await startCogito([
      '--enforce-rate-limits',
      '--sms-webhook-url', failingSMS.url,
      '--log-destinations', `${LOG_GROUP}=${sink.url}/notifications,${STREAM}=${sink.url}/activity`,
    ]);
    idp = cogito.idp();
  });
  after(async () => {
    await cogito?.stop();
    await sink?.close();
    await failingSMS?.close();
  });

  it('throttles beyond a lowered limit with TooManyRequestsException, and the SDK retries',
    { skip: needs('GetProvisionedLimit', 'UpdateProvisionedLimit', 'DescribeUserPool') }, async () => {
      const def = { LimitClass: 'API_CATEGORY', Attributes: { Category: 'UserPoolRead' } };
      const got = await idp.send(new GetProvisionedLimitCommand({ LimitDefinition: def }));
      assert.equal(got.Limit.FreeLimitValue, 15);
      assert.equal(got.Limit.ProvisionedLimitValue, 15);
      const { UserPool } = await idp.send(new CreateUserPoolCommand({ PoolName: uniq('js-limits') }));
      const lowered = await idp.send(new UpdateProvisionedLimitCommand({ LimitDefinition: def, RequestedLimitValue: 1 }));
      assert.equal(lowered.Limit.ProvisionedLimitValue, 1);
      assert.equal(lowered.Limit.FreeLimitValue, 15);

      // Without retries: the second request of a second is refused.
      await startOfSecond();
      await idp.send(new DescribeUserPoolCommand({ UserPoolId: UserPool.Id }));
      const err = await idp.send(new DescribeUserPoolCommand({ UserPoolId: UserPool.Id })).then(() => null, (e) => e);
      assert.ok(err instanceof TooManyRequestsException, `want TooManyRequestsException, got ${err}`);
      assert.equal(err.name, 'TooManyRequestsException');
      assert.equal(err.message, 'Rate exceeded');
      assert.equal(err.$metadata.httpStatusCode, 400);
      assert.equal(err.$metadata.attempts, 1);

      // With the SDK's standard retries: the throttled first attempt is
      // retried; whether a retry lands in the next second (success) or not
      // (TooManyRequestsException after 3 attempts), more than one attempt
      // is made.
      const statuses = [];
      const retrying = new CognitoIdentityProviderClient({
        region: REGION, endpoint: cogito.url, maxAttempts: 3,
        credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
      });
      retrying.middlewareStack.add((next) => async (args) => {
        try {
          const out = await next(args);
          statuses.push(out.response.statusCode);
          return out;
        } catch (e) {
          statuses.push(e.$response?.statusCode ?? e.$metadata?.httpStatusCode);
          throw e;
        }
      }, { step: 'deserialize', name: 'countAttempts' });
      await startOfSecond();
      await idp.send(new DescribeUserPoolCommand({ UserPoolId: UserPool.Id }));
      const res = await retrying.send(new DescribeUserPoolCommand({ UserPoolId: UserPool.Id })).then((out) => out, (e) => e);
      const meta = res.$metadata;
      assert.ok(meta.attempts >= 2, `the SDK made ${meta.attempts} attempt(s)`);
      assert.equal(statuses.length, meta.attempts);
      assert.equal(statuses[0], 400, 'the first attempt was throttled');
      if (res instanceof Error) {
        assert.ok(res instanceof TooManyRequestsException, `${res}`);
        assert.equal(meta.attempts, 3);
      } else {
        assert.equal(res.UserPool.Id, UserPool.Id);
        assert.equal(statuses.at(-1), 200);
      }

      // Raised again, the pool can be read freely.
      await idp.send(new UpdateProvisionedLimitCommand({ LimitDefinition: def, RequestedLimitValue: 15 }));
      await startOfSecond();
      for (let i = 0; i < 5; i++) await idp.send(new DescribeUserPoolCommand({ UserPoolId: UserPool.Id }));
    });

  it('delivers message-delivery errors and sign-in activity to the mapped HTTP sink',
    { skip: needs('SetLogDeliveryConfiguration', 'GetLogDeliveryConfiguration', 'AdminCreateUser', 'AdminInitiateAuth') }, async () => {
      const { UserPool } = await idp.send(new CreateUserPoolCommand({
        PoolName: uniq('js-logs'), UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' },
      }));
      const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({
        UserPoolId: UserPool.Id, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }));
      const LogConfigurations = [
        { EventSource: 'userNotification', LogLevel: 'ERROR', CloudWatchLogsConfiguration: { LogGroupArn: LOG_GROUP } },
        { EventSource: 'userAuthEvents', LogLevel: 'INFO', FirehoseConfiguration: { StreamArn: STREAM } },
      ];
      await idp.send(new SetLogDeliveryConfigurationCommand({ UserPoolId: UserPool.Id, LogConfigurations }));
      const got = await idp.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: UserPool.Id }));
      assert.deepEqual(got.LogDeliveryConfiguration, { UserPoolId: UserPool.Id, LogConfigurations });

      // An SMS invitation the (failing) SMS webhook cannot deliver.
      await idp.send(new AdminCreateUserCommand({
        UserPoolId: UserPool.Id, Username: uniq('sms'),
        UserAttributes: [{ Name: 'phone_number', Value: '+15555550123' }], DesiredDeliveryMediums: ['SMS'],
      })).catch(() => {});
      // A sign-in, recorded by threat protection.
      const username = uniq('ada');
      await idp.send(new AdminCreateUserCommand({ UserPoolId: UserPool.Id, Username: username, MessageAction: 'SUPPRESS' }));
      await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: UserPool.Id, Username: username, Password: 'Passw0rd!', Permanent: true }));
      await idp.send(new AdminInitiateAuthCommand({
        UserPoolId: UserPool.Id, ClientId: UserPoolClient.ClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: 'Passw0rd!' },
      }));

      const lines = sink.bodies.map((b) => JSON.parse(b)).filter((l) => l.logSourceId?.userPoolId === UserPool.Id);
      const notification = lines.find((l) => l.eventSource === 'USER_NOTIFICATION');
      assert.ok(notification, `no USER_NOTIFICATION line among ${JSON.stringify(lines)}`);
      assert.equal(notification.logLevel, 'ERROR');
      assert.match(notification.eventTimestamp, /^\d{13}$/);
      assert.match(notification.message.details, /SMS message to/);
      assert.ok(!notification.message.details.includes('5550123'), 'the phone number is masked');
      const activity = lines.find((l) => l.eventSource === 'USER_ACTIVITY' && l.message.userName === username);
      assert.ok(activity, `no USER_ACTIVITY line among ${JSON.stringify(lines)}`);
      assert.equal(activity.logLevel, 'INFO');
      assert.equal(activity.message.eventType, 'SignIn');
      assert.equal(activity.message.eventResponse, 'Pass');
      assert.equal(activity.message.userPoolId, UserPool.Id);
      assert.equal(activity.message.ipAddress, '127.0.0.1');
    });

  it('keeps terms documents of an app client',
    { skip: needs('CreateTerms', 'ListTerms') }, async () => {
      const { UserPool } = await idp.send(new CreateUserPoolCommand({ PoolName: uniq('js-terms') }));
      const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: UserPool.Id, ClientName: 'web' }));
      for (const name of ['terms-of-use', 'privacy-policy']) {
        const { Terms } = await idp.send(new CreateTermsCommand({
          UserPoolId: UserPool.Id, ClientId: UserPoolClient.ClientId, TermsName: name, TermsSource: 'LINK', Enforcement: 'NONE',
          Links: { 'cognito:default': `https://example.com/${name}` },
        }));
        assert.ok(Terms.CreationDate instanceof Date);
        assert.equal(Terms.Links['cognito:default'], `https://example.com/${name}`);
      }
      const { Terms } = await idp.send(new ListTermsCommand({ UserPoolId: UserPool.Id }));
      assert.deepEqual(Terms.map((t) => t.TermsName).sort(), ['privacy-policy', 'terms-of-use']);
    });
});
