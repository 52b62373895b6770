'use strict';

// Every error code the client acts on, produced by the real gateway: through the sandbox's fault injection, by
// the app's own mistakes, or by the pitfalls the README warns about.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { createUserGestureGate, Actions, ERROR_ACTIONS, GatewayError } = require('../miniprogram');
const { REPO } = require('./gateway-process');
const { gatewayUrl, APPS, miniProgram, setFaults, clearFaults, sessionOf } = require('./support');

// Two-step users that are new to the gateway (never bound) when this file runs; a successful bind spends one.
// mp-unbound/xiaoming is never bound here: the tests using it end in an error before the bind succeeds.
const NEVER_BOUND = { app: 'mp-unbound', user: 'xiaoming' };

const rejection = (promise) => promise.then(() => assert.fail('expected a rejection'), (error) => error);

async function withFaults(appId, faults, run) {
  await setFaults(appId, faults);
  try {
    await run();
  } finally {
    await clearFaults(appId);
  }
}

/** A getUserProfile hook that hands the app's profile to `change` before it reaches the client. */
const changedProfile = (change) => (wx) => () =>
  new Promise((resolve, reject) => wx.getUserProfile({ desc: '用于完善会员资料', success: resolve, fail: reject })).then(change);

test('code_invalid once: the client gets a fresh wx.login code and signs in', () =>
  withFaults(APPS.mp, { forcedErrcode: 40029, forcedErrcodeCalls: 1 }, async () => {
    const { wx, client } = miniProgram({ app: 'mp', user: 'xiaoming' });

    const result = await client.login();

    assert.equal(result.status, 'ok');
    assert.equal(wx.calls.login, 2);
  }));

test('code_invalid twice: the client retries once only and rejects with relogin', () =>
  withFaults(APPS.mp, { forcedErrcode: 40163, forcedErrcodeCalls: 2 }, async () => {
    const { wx, client } = miniProgram({ app: 'mp', user: 'xiaoming' });

    const error = await rejection(client.login());

    assert.ok(error instanceof GatewayError);
    assert.equal(error.code, 'code_invalid');
    assert.equal(error.statusCode, 400);
    assert.equal(error.action, Actions.RELOGIN);
    assert.equal(wx.calls.login, 2);
    assert.equal(client.token(), null);
  }));

test('ticket_invalid (the ticket was used by a double submission): the client starts over and asks for the tap again', async () => {
  const { wx, client } = miniProgram({ app: 'mp-twostep', user: 'xiaoming' });
  let stolen = false;
  wx.onResponse(async (request, response) => {
    if (!stolen && response.data && response.data.ticket) {
      stolen = true;
      const bind = await fetch(`${gatewayUrl}/auth/wechat/miniprogram/mp-twostep/bind`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ticket: response.data.ticket, encryptedData: 'AAAA', iv: 'AAAAAAAAAAAAAAAAAAAAAA==' }),
      });
      assert.equal(bind.status, 400);
    }
  });

  const result = await client.login();

  assert.equal(result.status, 'ok');
  assert.equal(wx.calls.login, 2);
  assert.equal(wx.calls.getUserProfile, 2);
  const binds = wx.calls.request.filter((r) => r.url.endsWith('/bind'));
  assert.equal(binds.length, 2);
});

test('decrypt_failed (a wx.login elsewhere in the app rotated the session_key): the client starts over and signs in', async () => {
  let profiles = 0;
  const { wx, client } = miniProgram({
    app: 'mp-twostep',
    user: 'snapshot',
    getUserProfile: (shim) => () => new Promise((resolve, reject) => shim.getUserProfile({ desc: '用于完善会员资料', success: resolve, fail: reject }))
      .then(async (profile) => {
        profiles += 1;
        if (profiles === 1) {
          // What the README warns about: another part of the app logs in between login and bind.
          const { code } = await new Promise((resolve, reject) => shim.login({ success: resolve, fail: reject }));
          const other = await fetch(`${gatewayUrl}/auth/wechat/miniprogram/mp-twostep/login`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }),
          });
          assert.equal(other.status, 200);
        }
        return profile;
      }),
  });

  const result = await client.login();

  assert.equal(result.status, 'ok');
  assert.equal(profiles, 2);
  assert.equal((await sessionOf(result.token)).status, 200);
  assert.equal(wx.calls.login, 3, "the client's two logins and the app's stray one");
});

test('signature_invalid (rawData changed on the way): rejected with reauthorize, not retried', async () => {
  const { wx, client } = miniProgram({
    ...NEVER_BOUND,
    getUserProfile: changedProfile((profile) => ({ ...profile, rawData: profile.rawData.replace(/"nickName":"[^"]*"/, '"nickName":"冒名"') })),
  });

  const error = await rejection(client.login());

  assert.equal(error.code, 'signature_invalid');
  assert.equal(error.action, Actions.REAUTHORIZE);
  assert.equal(wx.calls.login, 1);
});

test('invalid_request (the profile lacks iv): a configuration error, not retried', async () => {
  const { wx, client } = miniProgram({ ...NEVER_BOUND, getUserProfile: changedProfile((profile) => ({ encryptedData: profile.encryptedData })) });

  const error = await rejection(client.login());

  assert.equal(error.code, 'invalid_request');
  assert.equal(error.statusCode, 400);
  assert.equal(error.action, Actions.CONFIGURATION_ERROR);
  assert.equal(wx.calls.login, 1);
});

test('request_too_large (user data beyond Login:MaxRequestBodyBytes): a configuration error', async () => {
  const { client } = miniProgram({ ...NEVER_BOUND, getUserProfile: changedProfile((profile) => ({ ...profile, rawData: 'x'.repeat(20000) })) });

  const error = await rejection(client.login());

  assert.equal(error.code, 'request_too_large');
  assert.equal(error.statusCode, 413);
  assert.equal(error.action, Actions.CONFIGURATION_ERROR);
});

test('user_declined: the user closed the authorize prompt, and no bind is sent', async () => {
  const { wx, client } = miniProgram({
    ...NEVER_BOUND,
    getUserProfile: (shim) => {
      const gate = createUserGestureGate({ wx: shim, onNeeded: () => setImmediate(() => gate.decline()) });
      return gate.wait;
    },
  });

  const error = await rejection(client.login());

  assert.equal(error.code, 'user_declined');
  assert.equal(error.action, Actions.REAUTHORIZE);
  assert.equal(wx.calls.request.filter((r) => r.url.endsWith('/bind')).length, 0);
});

test('app_not_found (a wrong app key): a configuration error', async () => {
  const { client } = miniProgram({ app: 'no-such-app', appId: APPS.mp, user: 'xiaoming' });

  const error = await rejection(client.login());

  assert.equal(error.code, 'app_not_found');
  assert.equal(error.statusCode, 404);
  assert.equal(error.action, Actions.CONFIGURATION_ERROR);
});

test('high_risk_user (WeChat 40226): shown to the user, not retried', () =>
  withFaults(APPS.mp, { highRiskUsers: ['xiaohong'] }, async () => {
    const { wx, client } = miniProgram({ app: 'mp', user: 'xiaohong' });

    const error = await rejection(client.login());

    assert.equal(error.code, 'high_risk_user');
    assert.equal(error.statusCode, 403);
    assert.equal(error.action, Actions.SHOW_MESSAGE);
    assert.equal(wx.calls.login, 1);
  }));

for (const [name, faults, code, status, retryAfter] of [
  ['WeChat 45011', { forcedErrcode: 45011, forcedErrcodeCalls: 1 }, 'rate_limited', 429, 60],
  ['WeChat busy through every retry', { systemBusyCalls: 3 }, 'wechat_unavailable', 503, 5],
  ['an errcode the gateway does not know', { forcedErrcode: 40099, forcedErrcodeCalls: 1 }, 'wechat_error', 502, undefined],
]) {
  test(`${code} (${name}): retry later, with Retry-After when the gateway sends it`, () =>
    withFaults(APPS.mp, faults, async () => {
      const { wx, client } = miniProgram({ app: 'mp', user: 'alice' });

      const error = await rejection(client.login());

      assert.equal(error.code, code);
      assert.equal(error.statusCode, status);
      assert.equal(error.action, Actions.RETRY_LATER);
      assert.equal(error.retryAfter, retryAfter);
      assert.equal(wx.calls.login, 1, 'the client does not retry by itself');
    }));
}

test('wechat_misconfigured (WeChat 40125, a wrong AppSecret): a configuration error', () =>
  withFaults(APPS.mp, { forcedErrcode: 40125, forcedErrcodeCalls: 1 }, async () => {
    const { client } = miniProgram({ app: 'mp', user: 'alice' });

    const error = await rejection(client.login());

    assert.equal(error.code, 'wechat_misconfigured');
    assert.equal(error.statusCode, 502);
    assert.equal(error.action, Actions.CONFIGURATION_ERROR);
  }));

for (const [route, code, status] of [['/down/x', 'destination_unavailable', 502], ['/empty/x', 'no_destination', 503], ['/silent/x', 'destination_timeout', 504]]) {
  test(`${code} from a proxied route: retry later`, async () => {
    const { client } = miniProgram({ app: 'mp', user: 'alice' });

    const error = await rejection(client.request({ path: route }));

    assert.equal(error.code, code);
    assert.equal(error.statusCode, status);
    assert.equal(error.action, Actions.RETRY_LATER);
  });
}

test('the action table covers every code the gateway documents, and documents nothing the gateway lacks', () => {
  const loginCodes = [...fs.readFileSync(path.join(REPO, 'Gateway.Auth/Login/LoginErrorCodes.cs'), 'utf8').matchAll(/const string \w+ = "([a-z_]+)"/g)].map((m) => m[1]);
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const tableCodes = [...readme.matchAll(/^\| `([a-z_]+)` \| \d{3} \|/gm)].map((m) => m[1]).filter((code) => code !== 'user_info_needed');
  const documented = new Set([...loginCodes, ...tableCodes]);
  assert.ok(loginCodes.length >= 20 && tableCodes.length >= 20, 'both sources were read');

  const missing = [...documented].filter((code) => !(code in ERROR_ACTIONS));
  assert.deepEqual(missing, []);

  const docs = [readme, ...fs.readdirSync(path.join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => fs.readFileSync(path.join(REPO, 'docs', f), 'utf8'))].join('\n');
  const ownCodes = new Set(['network_error', 'user_declined']);
  const unknown = Object.keys(ERROR_ACTIONS).filter((code) => !ownCodes.has(code) && !docs.includes(code));
  assert.deepEqual(unknown, []);
});
