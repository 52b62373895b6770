'use strict';

// A gateway whose sessions last three seconds: a token that really expired, not one revoked.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startGateway } = require('./gateway-process');
const { miniProgram } = require('./support');

let gateway;

test.before(async () => {
  gateway = await startGateway({ settings: { Sessions__AbsoluteLifetime: '00:00:03', Sessions__IdleTimeout: '00:00:03' } });
});

test.after(() => gateway && gateway.stop());

async function expired(token) {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const response = await fetch(gateway.url + '/auth/session', { headers: { Authorization: 'Bearer ' + token } });
    if (response.status === 401) {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

test('an expired token is replaced once with a fresh wx.login, and the request succeeds', async () => {
  const { wx, client } = miniProgram({ app: 'mp', user: 'xiaoming', baseUrl: gateway.url });
  const { token } = await client.login();
  assert.ok(await expired(token), 'the session expired');

  const response = await client.request({ path: '/demo/orders/5' });

  assert.equal(response.statusCode, 200);
  assert.equal(wx.calls.login, 2);
  assert.notEqual(client.token(), token);
});
