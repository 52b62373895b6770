'use strict';

const { createGatewayClient } = require('../miniprogram');
const { createWx } = require('./wx-shim');

const gatewayUrl = required('GATEWAY_URL');
const managementUrl = required('GATEWAY_MANAGEMENT_URL');
const managementKey = required('GATEWAY_MANAGEMENT_KEY');

/** The embedded default's Mini Program app keys and their sandbox appids. */
const APPS = Object.freeze({ mp: 'wx_sandbox_mp', 'mp-twostep': 'wx_sandbox_mp_twostep', 'mp-unbound': 'wx_sandbox_mp_unbound' });

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the tests with node clients/test/run.js`);
  }
  return value;
}

/** A hook that agrees at once, as a user tapping the authorize button would. */
function agreeingProfile(wx) {
  return () => new Promise((resolve, reject) => wx.getUserProfile({ desc: '用于完善会员资料', success: resolve, fail: reject }));
}

/**
 * A Mini Program on the phone of `user`: the wx shim and the library's client over it.
 * @param {{app: keyof typeof APPS | string, user: string, storage?: Map<string, unknown>, getUserProfile?: Function, appId?: string, baseUrl?: string}} options
 *   `baseUrl` is another gateway than the shared one (its own sandbox answers wx.login)
 */
function miniProgram(options) {
  const wx = createWx({ gatewayUrl: options.baseUrl || gatewayUrl, appId: options.appId || APPS[options.app], user: options.user, storage: options.storage });
  const client = createGatewayClient({
    baseUrl: options.baseUrl || gatewayUrl,
    app: options.app,
    wx,
    getUserProfile: options.getUserProfile ? options.getUserProfile(wx) : agreeingProfile(wx),
  });
  return { wx, client };
}

async function json(response) {
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

async function management(method, path) {
  const response = await fetch(managementUrl + '/_gateway' + path, {
    method,
    headers: { Authorization: 'Bearer ' + managementKey },
    signal: AbortSignal.timeout(10000),
  });
  if (!response.ok) {
    throw new Error(`${method} ${path}: HTTP ${response.status}`);
  }
  return json(response);
}

async function sandbox(method, path, body) {
  const response = await fetch(gatewayUrl + '/_sandbox/wechat/sandbox' + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  if (!response.ok) {
    throw new Error(`sandbox ${method} ${path}: HTTP ${response.status}`);
  }
  return json(response);
}

/** The unionid the sandbox gives `user` for `appId` (null for apps not bound to an open platform). */
async function unionIdOf(appId, user) {
  const users = await sandbox('GET', '/users');
  return users.find((u) => u.key === user).unionids[appId];
}

const setFaults = (appId, faults) => sandbox('PUT', '/faults/' + appId, faults);
const clearFaults = (appId) => sandbox('DELETE', '/faults/' + appId);

/** The current session as the gateway sees it, for a token. */
async function sessionOf(token) {
  const response = await fetch(gatewayUrl + '/auth/session', { headers: { Authorization: 'Bearer ' + token }, signal: AbortSignal.timeout(10000) });
  return { status: response.status, body: await json(response) };
}

module.exports = { gatewayUrl, APPS, miniProgram, management, sandbox, unionIdOf, setFaults, clearFaults, sessionOf, agreeingProfile };
