'use strict';

// A stand-in for the WeChat client on a phone: what `wx` gives a Mini Program, backed by the sandbox's helper
// endpoints (docs/wechat-sandbox.md). It simulates WeChat only; every gateway call goes over real HTTP.

/**
 * @param {{gatewayUrl: string, appId: string, user: string, storage?: Map<string, unknown>}} options
 */
function createWx(options) {
  const sandbox = options.gatewayUrl + '/_sandbox/wechat/sandbox';
  const storage = options.storage || new Map();
  const calls = { login: 0, getUserProfile: 0, request: [] };
  /** @type {Array<(request: {url: string, data: any}, response: {statusCode: number, data: any}) => Promise<void> | void>} */
  const responseObservers = [];
  const wx = { calls, storage, user: options.user, appId: options.appId };

  async function helper(name) {
    const response = await fetch(`${sandbox}/${name}?appid=${encodeURIComponent(options.appId)}&user=${encodeURIComponent(wx.user)}`, {
      method: 'POST',
      signal: AbortSignal.timeout(10000),
    });
    const body = await response.json();
    if (!response.ok) {
      throw Object.assign(new Error(`sandbox ${name}: ${body.code}`), { errMsg: `${name}:fail ${body.code}` });
    }
    return body;
  }

  function settle(promise, success, fail) {
    promise.then((value) => success && success(value), (error) => fail && fail({ errMsg: error.errMsg || String(error) }));
  }

  wx.login = ({ success, fail } = {}) => {
    calls.login += 1;
    settle(helper('wxlogin').then(({ code }) => ({ code, errMsg: 'login:ok' })), success, fail);
  };

  wx.getUserProfile = ({ desc, success, fail } = {}) => {
    calls.getUserProfile += 1;
    if (!desc) {
      fail && fail({ errMsg: 'getUserProfile:fail desc is required' });
      return;
    }
    settle(helper('user-data').then((data) => ({ ...data, errMsg: 'getUserProfile:ok' })), success, fail);
  };

  /** The event of <button open-type="getPhoneNumber"> after the user agreed. */
  wx.tapPhoneButton = async () => ({ type: 'getphonenumber', detail: { code: (await helper('phone-code')).code, errMsg: 'getPhoneNumber:ok' } });

  wx.onResponse = (observer) => responseObservers.push(observer);

  wx.request = ({ url, method = 'GET', data, header = {}, timeout = 60000, success, fail }) => {
    let target = url;
    let body;
    const headers = { 'content-type': 'application/json', ...header };
    if (data !== undefined && method === 'GET') {
      target += (url.includes('?') ? '&' : '?') + new URLSearchParams(data).toString();
    } else if (data !== undefined) {
      body = typeof data === 'string' ? data : JSON.stringify(data);
    }
    calls.request.push({ url: target, method, header: headers });
    const answered = fetch(target, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeout) }).then(async (response) => {
      const text = await response.text();
      let parsed = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // wx.request hands non-JSON bodies over as strings.
      }
      const result = { statusCode: response.status, data: parsed, header: Object.fromEntries(response.headers), errMsg: 'request:ok' };
      for (const observer of responseObservers) {
        await observer({ url: target, data }, result);
      }
      return result;
    });
    settle(answered.catch((error) => { throw Object.assign(error, { errMsg: `request:fail ${error.message}` }); }), success, fail);
  };

  wx.getStorageSync = (key) => (storage.has(key) ? storage.get(key) : '');
  wx.setStorageSync = (key, value) => { storage.set(key, value); };
  wx.removeStorageSync = (key) => { storage.delete(key); };

  return wx;
}

module.exports = { createWx };
