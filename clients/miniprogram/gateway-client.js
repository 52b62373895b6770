'use strict';

const { GatewayError } = require('./gateway-error');
const { runtimeWx } = require('./runtime');
const { Actions } = require('./error-actions');

/**
 * What wx.getUserProfile gives the page; the gateway needs `encryptedData` and `iv`, and checks `signature`
 * against `rawData` when both are sent.
 * @typedef {{encryptedData: string, iv: string, rawData?: string, signature?: string}} UserProfileResult
 */

/**
 * @typedef {object} GatewayClientOptions
 * @property {string} baseUrl the gateway's address, e.g. `https://auth.example.com` (a request domain of the Mini Program)
 * @property {string} app the key of the Mini Program under the gateway's `WeChat:Apps`
 * @property {(context: {expiresIn: number}) => Promise<UserProfileResult>} [getUserProfile] called when the gateway
 *   asks for the two-step bind. wx.getUserProfile only works inside a tap handler, so this hook has to wait for the
 *   user's tap (see createUserGestureGate) and has `expiresIn` seconds before the ticket expires.
 * @property {any} [wx] the Mini Program API object; the global `wx` by default
 * @property {string} [storageKey] where the session is kept with wx.setStorageSync (default `gatewaySession`)
 * @property {number} [timeout] milliseconds for each wx.request (default 10000)
 */

/**
 * @typedef {{status: 'ok', token: string, expiresAt: string, unionId?: string, personId: number}} LoginResult
 * @typedef {{statusCode: number, data: any, header: Record<string, string>}} GatewayResponse
 * @typedef {{path: string, method?: string, data?: any, header?: Record<string, string>}} RequestOptions
 */

const DEFAULT_STORAGE_KEY = 'gatewaySession';
const DEFAULT_TIMEOUT_MS = 10000;

/**
 * A client of the gateway for one Mini Program.
 * @param {GatewayClientOptions} options
 */
function createGatewayClient(options) {
  if (!options || !options.baseUrl || !options.app) {
    throw new Error('createGatewayClient needs baseUrl and app.');
  }
  const wx = options.wx || runtimeWx();
  if (!wx) {
    throw new Error('createGatewayClient found no wx object: pass options.wx.');
  }
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const storageKey = options.storageKey || DEFAULT_STORAGE_KEY;
  const timeout = options.timeout || DEFAULT_TIMEOUT_MS;
  const miniProgramPath = '/auth/wechat/miniprogram/' + encodeURIComponent(options.app);
  /** @type {Promise<LoginResult> | null} */
  let pendingLogin = null;

  /** @returns {string | null} */
  function currentToken() {
    const saved = wx.getStorageSync(storageKey);
    return saved && saved.token ? saved.token : null;
  }

  /** @param {LoginResult} result */
  function save(result) {
    wx.setStorageSync(storageKey, { token: result.token, expiresAt: result.expiresAt });
    return result;
  }

  /**
   * One wx.request; resolves with every HTTP answer, rejects only when none came.
   * @param {RequestOptions} request
   * @param {string | null} token
   * @returns {Promise<GatewayResponse>}
   */
  function send(request, token) {
    const header = Object.assign({}, request.header);
    if (token) {
      header.Authorization = 'Bearer ' + token;
    }
    return new Promise((resolve, reject) => {
      wx.request({
        url: baseUrl + request.path,
        method: request.method || 'GET',
        data: request.data,
        header,
        timeout,
        success: (res) => resolve({ statusCode: res.statusCode, data: res.data, header: res.header || {} }),
        fail: (err) => reject(new GatewayError('network_error', '网络不给力，请稍后再试。', { data: err })),
      });
    });
  }

  /**
   * @param {GatewayResponse} response
   * @returns {GatewayError}
   */
  function errorOf(response) {
    const body = response.data;
    const code = body && typeof body.code === 'string' ? body.code : 'http_' + response.statusCode;
    const message = body && typeof body.message === 'string' ? body.message : '请求失败（HTTP ' + response.statusCode + '）。';
    return new GatewayError(code, message, { statusCode: response.statusCode, retryAfter: retryAfterOf(response.header), data: body });
  }

  /** @param {GatewayResponse} response */
  function ok(response) {
    if (response.statusCode >= 200 && response.statusCode < 300) {
      return response;
    }
    throw errorOf(response);
  }

  /** @returns {Promise<string>} */
  function wxLogin() {
    return new Promise((resolve, reject) => {
      wx.login({
        success: (res) => (res && res.code ? resolve(res.code) : reject(new GatewayError('network_error', '微信登录失败，请稍后再试。', { data: res }))),
        fail: (err) => reject(new GatewayError('network_error', '微信登录失败，请稍后再试。', { data: err })),
      });
    });
  }

  /**
   * The session held so far goes along with the login, so the gateway ends it when it issues the new one.
   * @returns {Promise<LoginResult>}
   */
  async function loginOnce() {
    const code = await wxLogin();
    const answer = ok(await send({ path: miniProgramPath + '/login', method: 'POST', data: { code } }, currentToken())).data;
    if (answer.status === 'ok') {
      return save(answer);
    }
    if (answer.status !== 'user_info_needed') {
      throw new GatewayError('wechat_error', '登录结果无法识别，请稍后再试。', { statusCode: 200, data: answer });
    }
    if (!options.getUserProfile) {
      throw new GatewayError('invalid_request', '该小程序需要用户授权资料，但未提供 getUserProfile 钩子。', { data: answer });
    }
    let profile;
    try {
      profile = await options.getUserProfile({ expiresIn: answer.expiresIn });
    } catch (declined) {
      throw declined instanceof GatewayError ? declined : new GatewayError('user_declined', '需要您的授权才能完成登录。', { data: declined });
    }
    const bind = { ticket: answer.ticket, encryptedData: profile.encryptedData, iv: profile.iv };
    if (profile.rawData && profile.signature) {
      bind.rawData = profile.rawData;
      bind.signature = profile.signature;
    }
    return save(ok(await send({ path: miniProgramPath + '/bind', method: 'POST', data: bind }, currentToken())).data);
  }

  /**
   * Signs in: wx.login, then the gateway, then (when the gateway asks) the bind through the getUserProfile hook.
   * A code, ticket or user data that went stale (`relogin`) is retried once with a fresh wx.login. Concurrent
   * calls share one login.
   * @returns {Promise<LoginResult>}
   */
  function login() {
    if (!pendingLogin) {
      pendingLogin = loginOnce()
        .catch((error) => {
          if (error instanceof GatewayError && error.action === Actions.RELOGIN) {
            return loginOnce();
          }
          throw error;
        })
        .then(
          (result) => { pendingLogin = null; return result; },
          (error) => { pendingLogin = null; throw error; });
    }
    return pendingLogin;
  }

  /**
   * A request to the gateway (or a route it proxies) with the session's bearer token. A `401 session_required`
   * (no session yet, expired, revoked) logs in once with a fresh wx.login and sends the request again.
   * Resolves with 2xx answers; rejects with a GatewayError otherwise.
   * @param {RequestOptions} request
   * @returns {Promise<GatewayResponse>}
   */
  async function request(request) {
    const sent = currentToken();
    const first = await send(request, sent);
    if (first.statusCode !== 401 || !first.data || first.data.code !== 'session_required') {
      return ok(first);
    }
    const latest = currentToken();
    if (!latest || latest === sent) {
      wx.removeStorageSync(storageKey);
      await login();
    }
    return ok(await send(request, currentToken()));
  }

  /**
   * Attaches the user's phone number: pass the event of `<button open-type="getPhoneNumber">` (or its
   * `detail.code`). Rejects with `user_declined` when the user refused.
   * @param {{detail?: {code?: string}} | string} eventOrCode
   * @returns {Promise<{status: 'ok', phoneNumber: string, purePhoneNumber: string, countryCode: string}>}
   */
  async function bindPhoneNumber(eventOrCode) {
    const code = typeof eventOrCode === 'string' ? eventOrCode : eventOrCode && eventOrCode.detail && eventOrCode.detail.code;
    if (!code) {
      throw new GatewayError('user_declined', '需要您同意授权手机号。', { data: eventOrCode });
    }
    return (await request({ path: miniProgramPath + '/phone', method: 'POST', data: { code } })).data;
  }

  /**
   * Saves the nickname and avatar the user chose. Since 2022-11 WeChat gives "微信用户" and a grey avatar instead
   * of the real profile: the nickname comes from `<input type="nickname">`, the avatar from
   * `<button open-type="chooseAvatar">` as a temporary file the app uploads to its own storage first (the gateway
   * takes https URLs on its Profile:AvatarHosts only). Either field may be left out. Rejects with
   * `invalid_profile` (show its message) when the gateway refuses a value.
   * @param {{nickname?: string, avatarUrl?: string}} profile
   * @returns {Promise<{status: 'ok', nickname?: string, avatarUrl?: string}>}
   */
  async function setProfile(profile) {
    const data = {};
    if (profile && typeof profile.nickname === 'string') {
      data.nickname = profile.nickname;
    }
    if (profile && typeof profile.avatarUrl === 'string') {
      data.avatarUrl = profile.avatarUrl;
    }
    return (await request({ path: '/auth/profile', method: 'POST', data })).data;
  }

  /** Ends the session on the gateway and forgets it here, also when the gateway cannot be reached. */
  async function logout() {
    const token = currentToken();
    wx.removeStorageSync(storageKey);
    if (token) {
      ok(await send({ path: '/auth/logout', method: 'POST' }, token));
    }
  }

  return { login, request, bindPhoneNumber, setProfile, logout, token: currentToken };
}

/**
 * @param {Record<string, string>} header
 * @returns {number | undefined}
 */
function retryAfterOf(header) {
  const name = Object.keys(header || {}).find((key) => key.toLowerCase() === 'retry-after');
  const seconds = name === undefined ? NaN : Number(header[name]);
  return Number.isFinite(seconds) ? seconds : undefined;
}

module.exports = { createGatewayClient };
