'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { createGatewayClient, GatewayError, Actions } = require('../miniprogram');
const { freePort } = require('./gateway-process');
const { miniProgram, management, sessionOf } = require('./support');

test('request() without any session logs in on the 401 and sends the request again', async () => {
  const { wx, client } = miniProgram({ app: 'mp', user: 'xiaohong' });

  const response = await client.request({ path: '/demo/orders/1' });

  assert.equal(response.statusCode, 200);
  assert.equal(wx.calls.login, 1);
  assert.deepEqual(wx.calls.request.map((r) => new URL(r.url).pathname), ['/demo/orders/1', '/auth/wechat/miniprogram/mp/login', '/demo/orders/1']);
});

test('a revoked session is replaced once with a fresh wx.login, and the request succeeds', async () => {
  const { wx, client } = miniProgram({ app: 'mp', user: 'xiaoming' });
  const { token, personId } = await client.login();
  await management('POST', `/persons/${personId}/sessions/revoke`);
  assert.equal((await sessionOf(token)).status, 401);

  const response = await client.request({ path: '/demo/orders/2' });

  assert.equal(response.statusCode, 200);
  assert.equal(wx.calls.login, 2);
  assert.notEqual(client.token(), token);
});

test('a token the gateway does not know (ended elsewhere, or left from another install) is replaced the same way', async () => {
  const storage = new Map([['gatewaySession', { token: 'wgs1.not-a-session', expiresAt: '2030-01-01T00:00:00+00:00' }]]);
  const { wx, client } = miniProgram({ app: 'mp', user: 'xiaoming', storage });

  const response = await client.request({ path: '/demo/orders/3' });

  assert.equal(response.statusCode, 200);
  assert.equal(wx.calls.login, 1);
});

test('the retry happens once: a login that fails surfaces its own error, and the request is not sent again', async () => {
  const { wx, client } = miniProgram({ app: 'mp-unbound', user: 'xiaohong' });
  const { personId } = await client.login();
  await management('POST', `/persons/${personId}/disable`);
  try {
    const error = await client.request({ path: '/demo/orders/4' }).then(() => null, (e) => e);

    assert.ok(error instanceof GatewayError);
    assert.equal(error.code, 'person_disabled');
    assert.equal(error.statusCode, 403);
    assert.equal(error.action, Actions.SHOW_MESSAGE);
    assert.equal(wx.calls.login, 2, 'one login, and one more after the 401; person_disabled is not retried');
    assert.equal(wx.calls.request.filter((r) => r.url.endsWith('/demo/orders/4')).length, 1);
    assert.equal(client.token(), null, 'the refused session is forgotten');
  } finally {
    await management('POST', `/persons/${personId}/enable`);
  }
});

test('concurrent requests that meet a 401 share one new login', async () => {
  const { wx, client } = miniProgram({ app: 'mp', user: 'alice' });

  const responses = await Promise.all([1, 2, 3].map((n) => client.request({ path: `/demo/orders/${n}` })));

  assert.deepEqual(responses.map((r) => r.statusCode), [200, 200, 200]);
  assert.equal(wx.calls.login, 1);
});

test('a non-2xx answer of a route rejects with its code, the action and the user message', async () => {
  const { client } = miniProgram({ app: 'mp', user: 'alice' });

  const error = await client.request({ path: '/no-such-route' }).then(() => null, (e) => e);

  assert.equal(error.code, 'route_not_found');
  assert.equal(error.statusCode, 404);
  assert.equal(error.action, Actions.CONFIGURATION_ERROR);
  assert.ok(error.message.length > 0);
});

test('the phone button code is exchanged with the bearer and the number comes back', async () => {
  const { wx, client } = miniProgram({ app: 'mp', user: 'xiaoming' });
  await client.login();

  const result = await client.bindPhoneNumber(await wx.tapPhoneButton());

  assert.equal(result.status, 'ok');
  assert.equal(result.purePhoneNumber, '13800138000');
  assert.equal(result.countryCode, '86');
});

test('the phone number with a revoked session logs in again and uses the same, still unused, code', async () => {
  const { wx, client } = miniProgram({ app: 'mp', user: 'alice' });
  const { personId } = await client.login();
  await management('POST', `/persons/${personId}/sessions/revoke`);

  const result = await client.bindPhoneNumber(await wx.tapPhoneButton());

  assert.equal(result.purePhoneNumber, '2025550143');
  assert.equal(wx.calls.login, 2);
});

test('a refused phone button rejects with user_declined and calls nothing', async () => {
  const { wx, client } = miniProgram({ app: 'mp', user: 'xiaoming' });

  const error = await client.bindPhoneNumber({ detail: { errMsg: 'getPhoneNumber:fail user deny' } }).then(() => null, (e) => e);

  assert.equal(error.code, 'user_declined');
  assert.equal(error.action, Actions.REAUTHORIZE);
  assert.equal(wx.calls.request.length, 0);
});

test('a session of another Mini Program is refused with session_app_mismatch, a configuration error', async () => {
  const storage = new Map();
  await miniProgram({ app: 'mp', user: 'xiaoming', storage }).client.login();
  const other = miniProgram({ app: 'mp-unbound', user: 'xiaoming', storage });

  const error = await other.client.bindPhoneNumber(await other.wx.tapPhoneButton()).then(() => null, (e) => e);

  assert.equal(error.code, 'session_app_mismatch');
  assert.equal(error.statusCode, 403);
  assert.equal(error.action, Actions.CONFIGURATION_ERROR);
});

test('the gateway unreachable rejects with network_error, to retry later', async () => {
  const { wx } = miniProgram({ app: 'mp', user: 'xiaoming' });
  const unreachable = createGatewayClient({ baseUrl: 'http://127.0.0.1:' + (await freePort()), app: 'mp', wx });

  const error = await unreachable.request({ path: '/demo/public/x' }).then(() => null, (e) => e);

  assert.equal(error.code, 'network_error');
  assert.equal(error.action, Actions.RETRY_LATER);
});
