'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { createUserGestureGate } = require('../miniprogram');
const { APPS, miniProgram, unionIdOf, sessionOf } = require('./support');

test('first login with a unionid from code2session stores the token and needs no profile', async () => {
  let hookCalls = 0;
  const { wx, client } = miniProgram({ app: 'mp', user: 'xiaoming', getUserProfile: () => async () => { hookCalls += 1; } });

  const result = await client.login();

  assert.equal(result.status, 'ok');
  assert.equal(result.unionId, await unionIdOf(APPS.mp, 'xiaoming'));
  assert.deepEqual(wx.getStorageSync('gatewaySession'), { token: result.token, expiresAt: result.expiresAt });
  assert.equal(wx.calls.login, 1);
  assert.equal(hookCalls, 0);
  const session = await sessionOf(result.token);
  assert.equal(session.status, 200);
  assert.equal(session.body.personId, result.personId);
});

test('request() sends the bearer and the proxied service receives the signed identity', async () => {
  const { client } = miniProgram({ app: 'mp', user: 'xiaoming' });
  const { unionId } = await client.login();

  const response = await client.request({ path: '/demo/orders/7?x=1' });

  assert.equal(response.statusCode, 200);
  assert.match(JSON.stringify(response.data), new RegExp(unionId));
  assert.ok(!JSON.stringify(response.data).includes(client.token()), 'the token is not forwarded downstream');
});

test('the two-step login waits for the tap, then binds and gets the unionid from the encrypted data', async () => {
  /** @type {ReturnType<typeof createUserGestureGate>} */
  let gate;
  let neededContext;
  const { wx, client } = miniProgram({
    app: 'mp-twostep',
    user: 'alice',
    getUserProfile: (shim) => {
      gate = createUserGestureGate({ wx: shim, onNeeded: (context) => { neededContext = context; } });
      return gate.wait;
    },
  });

  const login = client.login();
  while (!gate.pending) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(wx.calls.getUserProfile, 0, 'nothing is asked of WeChat before the tap');
  gate.authorize('用于完善会员资料');
  const result = await login;

  assert.equal(result.status, 'ok');
  assert.ok(neededContext.expiresIn > 0);
  assert.equal(result.unionId, await unionIdOf(APPS['mp-twostep'], 'alice'));
  assert.equal(wx.calls.login, 1, 'no wx.login between login and bind: it would rotate the session_key');
  assert.equal(wx.calls.getUserProfile, 1);
  assert.equal((await sessionOf(result.token)).status, 200);
});

test('a returning two-step user signs in without being asked for the profile again', async () => {
  const storage = new Map();
  const first = await miniProgram({ app: 'mp-twostep', user: 'xiaohong', storage }).client.login();

  let hookCalls = 0;
  const again = miniProgram({ app: 'mp-twostep', user: 'xiaohong', storage, getUserProfile: () => async () => { hookCalls += 1; } });
  const second = await again.client.login();

  assert.equal(hookCalls, 0);
  assert.equal(second.personId, first.personId);
  assert.notEqual(second.token, first.token);
  assert.equal(again.client.token(), second.token);
  assert.equal((await sessionOf(first.token)).status, 401, 'the login carried the previous session, which the gateway ended');
});

test('a Mini Program without an open platform still signs in, without a unionid', async () => {
  const { client } = miniProgram({ app: 'mp-unbound', user: 'alice' });

  const result = await client.login();

  assert.equal(result.status, 'ok');
  assert.equal(result.unionId, undefined);
  assert.equal((await sessionOf(result.token)).status, 200);
});

test('concurrent logins share one wx.login and one gateway login', async () => {
  const { wx, client } = miniProgram({ app: 'mp', user: 'alice' });

  const [a, b] = await Promise.all([client.login(), client.login()]);

  assert.equal(a.token, b.token);
  assert.equal(wx.calls.login, 1);
});

test('logout ends the session on the gateway and forgets the token', async () => {
  const { wx, client } = miniProgram({ app: 'mp', user: 'alice' });
  const { token } = await client.login();

  await client.logout();

  assert.equal(wx.getStorageSync('gatewaySession'), '');
  assert.equal((await sessionOf(token)).status, 401);
});
