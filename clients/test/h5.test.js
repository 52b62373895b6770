'use strict';

// The H5 helper's URLs driven through the real gateway's Official Account flow, with the sandbox standing in for
// WeChat's authorization page, as a browser inside WeChat would follow them.

const test = require('node:test');
const assert = require('node:assert/strict');
const GatewayLogin = require('../h5/gateway-login');
const { actionFor, Actions } = require('../miniprogram');
const { gatewayUrl, sandbox } = require('./support');

const WECHAT_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';

/** A browser's cookie jar, enough for the gateway's two cookies. */
function browser() {
  const cookies = new Map();
  return {
    async get(url, accept = 'text/html') {
      const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      const response = await fetch(new URL(url, gatewayUrl), {
        redirect: 'manual',
        headers: { Accept: accept, 'User-Agent': WECHAT_UA, ...(cookie ? { Cookie: cookie } : {}) },
        signal: AbortSignal.timeout(10000),
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const index = pair.indexOf('=');
        cookies.set(pair.slice(0, index), pair.slice(index + 1));
      }
      return response;
    },
  };
}

/** Follows the start redirect to the (sandbox's) WeChat page and returns the state it carries. */
async function start(page, url) {
  const response = await page.get(url);
  assert.equal(response.status, 302);
  const authorize = new URL(response.headers.get('location'), gatewayUrl);
  assert.match(authorize.pathname, /\/connect\/oauth2\/authorize$/);
  return { authorize, state: authorize.searchParams.get('state'), redirectUri: authorize.searchParams.get('redirect_uri') };
}

test('inside WeChat the helper starts the Official Account flow, which lands back on the return URL signed in', async () => {
  const url = GatewayLogin.startUrl({ baseUrl: gatewayUrl, oaApp: 'oa', webApp: 'web', scope: 'snsapi_userinfo', returnUrl: '/demo/public/after?x=1&y=二', userAgent: WECHAT_UA });
  const page = browser();
  const { authorize, state, redirectUri } = await start(page, url);
  assert.equal(authorize.searchParams.get('scope'), 'snsapi_userinfo');

  const { code } = await sandbox('POST', `/authorize-code?appid=wx_sandbox_oa&user=xiaoming&scope=snsapi_userinfo`);
  const callback = await page.get(`${redirectUri}?code=${code}&state=${state}`);

  assert.equal(callback.status, 302);
  assert.equal(callback.headers.get('location'), '/demo/public/after?x=1&y=%E4%BA%8C');
  const session = await page.get('/auth/session', 'application/json');
  assert.equal(session.status, 200);
  assert.equal((await session.json()).appId, 'wx_sandbox_oa');
});

test('outside WeChat the helper picks the website QR flow', async () => {
  const url = GatewayLogin.startUrl({ baseUrl: gatewayUrl, oaApp: 'oa', webApp: 'web', returnUrl: '/x', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120' });

  const response = await browser().get(url);

  assert.equal(response.status, 302);
  assert.match(response.headers.get('location'), /\/connect\/qrconnect\?appid=wx_sandbox_web&/);
});

test('a refusal on the WeChat page ends in authorization_refused, which the table offers to try again', async () => {
  const page = browser();
  const { state, redirectUri } = await start(page, GatewayLogin.startUrl({ baseUrl: gatewayUrl, oaApp: 'oa', returnUrl: '/x', userAgent: WECHAT_UA }));

  const callback = await page.get(`${redirectUri}?state=${state}`, 'application/json');

  assert.equal(callback.status, 403);
  const { code } = await callback.json();
  assert.equal(code, 'authorization_refused');
  assert.equal(actionFor(code), Actions.REAUTHORIZE);
});

test('the callback opened in another browser ends in state_mismatch, which the table restarts', async () => {
  const { state, redirectUri } = await start(browser(), GatewayLogin.startUrl({ baseUrl: gatewayUrl, oaApp: 'oa', returnUrl: '/x', userAgent: WECHAT_UA }));
  const { code: weChatCode } = await sandbox('POST', '/authorize-code?appid=wx_sandbox_oa&user=alice&scope=snsapi_base');

  const callback = await browser().get(`${redirectUri}?code=${weChatCode}&state=${state}`, 'application/json');

  const { code } = await callback.json();
  assert.equal(code, 'state_mismatch');
  assert.equal(actionFor(code), Actions.RELOGIN);
});

test('a return URL on a foreign origin is refused with return_url_rejected, a configuration error', async () => {
  const url = GatewayLogin.startUrl({ baseUrl: gatewayUrl, oaApp: 'oa', returnUrl: 'https://evil.example/steal', userAgent: WECHAT_UA });

  const response = await browser().get(url, 'application/json');

  assert.equal(response.status, 400);
  const { code } = await response.json();
  assert.equal(code, 'return_url_rejected');
  assert.equal(actionFor(code), Actions.CONFIGURATION_ERROR);
});

test('isWeChatBrowser recognises the in-app browser by its MicroMessenger token', () => {
  assert.equal(GatewayLogin.isWeChatBrowser(WECHAT_UA), true);
  assert.equal(GatewayLogin.isWeChatBrowser('Mozilla/5.0 (iPhone) Safari/604.1'), false);
});

test('a snapshot-page visitor ends in snapshot_user, which the table sends back to authorize for real', async () => {
  const page = browser();
  const { state, redirectUri } = await start(page, GatewayLogin.startUrl({ baseUrl: gatewayUrl, oaApp: 'oa', returnUrl: '/x', userAgent: WECHAT_UA }));
  const { code: weChatCode } = await sandbox('POST', '/authorize-code?appid=wx_sandbox_oa&user=snapshot&scope=snsapi_base');

  const callback = await page.get(`${redirectUri}?code=${weChatCode}&state=${state}`, 'application/json');

  assert.equal(callback.status, 403);
  const { code } = await callback.json();
  assert.equal(code, 'snapshot_user');
  assert.equal(actionFor(code), Actions.REAUTHORIZE);
});

for (const [name, query, expected] of [['without state', 'code=x', 'state_missing'], ['with a state the gateway never issued', 'code=x&state=abc123', 'state_invalid']]) {
  test(`a callback ${name} ends in ${expected}, which the table restarts`, async () => {
    const callback = await browser().get(`/auth/wechat/oa/oa/callback?${query}`, 'application/json');

    assert.equal(callback.status, 400);
    const { code } = await callback.json();
    assert.equal(code, expected);
    assert.equal(actionFor(code), Actions.RELOGIN);
  });
}

test('loginError keeps the gateway\'s own retry link, which restarts the refused login, and drops edited ones', async () => {
  const page = browser();
  const { state, redirectUri } = await start(page, GatewayLogin.startUrl({ baseUrl: gatewayUrl, oaApp: 'oa', scope: 'snsapi_userinfo', returnUrl: '/x', userAgent: WECHAT_UA }));
  const refusal = await (await page.get(`${redirectUri}?state=${state}`)).text();
  const retryUrl = /id="retry" class="retry" href="([^"]+)"/.exec(refusal)[1].replace(/&amp;/g, '&');
  const origin = new URL(gatewayUrl).origin;
  // What a front-end error screen receives from Login:Pages:ErrorRedirectUrl.
  const search = (retry, returnUrl) => '?' + new URLSearchParams({ code: 'authorization_refused', returnUrl, retryUrl: retry });

  const error = GatewayLogin.loginError({ baseUrl: gatewayUrl, origin, search: search(retryUrl, '/x') });

  assert.deepEqual(error, { code: 'authorization_refused', returnUrl: '/x', retryUrl });
  const again = await start(page, error.retryUrl);
  assert.ok(again.state);
  for (const [edited, returnUrl] of [['https://evil.example/auth/wechat/oa/oa/start?retry=abc', '//evil.example'], [`${origin}/elsewhere`, 'https://evil.example/'], [`${retryUrl}&returnUrl=/y`, '/\\evil']]) {
    assert.deepEqual(GatewayLogin.loginError({ baseUrl: gatewayUrl, origin, search: search(edited, returnUrl) }), { code: 'authorization_refused', returnUrl: null, retryUrl: null });
  }
});
