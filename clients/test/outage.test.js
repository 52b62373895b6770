'use strict';

// A gateway whose Redis is down: the codes a client meets during an outage of the gateway's own stores.

const test = require('node:test');
const assert = require('node:assert/strict');
const { Actions } = require('../miniprogram');
const { startGateway, freePort } = require('./gateway-process');
const { miniProgram } = require('./support');

let gateway;

test.before(async () => {
  gateway = await startGateway({
    settings: {
      Storage__Ephemeral__Provider: 'Redis',
      Storage__Ephemeral__Redis: `127.0.0.1:${await freePort()}`,
      Storage__Ephemeral__ConnectTimeout: '00:00:01',
      Storage__Ephemeral__OperationTimeout: '00:00:01',
    },
    // Ready it never is, with its Redis down; alive it is.
    readyPath: '/healthz',
  });
});

test.after(() => gateway && gateway.stop());

// With Redis down the login's shared rate limit cannot count, and the gateway refuses the login (fails closed).
test('rate_limit_unavailable (the gateway cannot count logins): retry later, after Retry-After', async () => {
  const { wx, client } = miniProgram({ app: 'mp', user: 'xiaoming', baseUrl: gateway.url });

  const error = await client.login().then(() => assert.fail('expected a rejection'), (e) => e);

  assert.equal(error.code, 'rate_limit_unavailable');
  assert.equal(error.statusCode, 503);
  assert.equal(error.action, Actions.RETRY_LATER);
  assert.ok(error.retryAfter > 0);
  assert.equal(wx.calls.login, 1);
});

test('session_store_unavailable (the session cannot be checked): retry later, and the token is kept', async () => {
  // Shaped like a token issued before the outage (wgs1.{person}.{32 random bytes}), so the gateway must ask Redis.
  const token = 'wgs1.1.' + 'A'.repeat(43);
  const storage = new Map([['gatewaySession', { token, expiresAt: '2030-01-01T00:00:00+00:00' }]]);
  const { wx, client } = miniProgram({ app: 'mp', user: 'xiaoming', baseUrl: gateway.url, storage });

  const error = await client.request({ path: '/demo/orders/1' }).then(() => assert.fail('expected a rejection'), (e) => e);

  assert.equal(error.code, 'session_store_unavailable');
  assert.equal(error.statusCode, 503);
  assert.equal(error.action, Actions.RETRY_LATER);
  assert.equal(wx.calls.login, 0, 'an outage is no reason to log in again');
  assert.equal(client.token(), token);
});
