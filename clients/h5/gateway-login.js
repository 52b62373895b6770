/**
 * Official Account (H5) and website login through the gateway, for pages served on (or allowed by) the gateway's
 * site. A plain script: load it with <script src="gateway-login.js"> (global `GatewayLogin`) or require() it.
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) {
    module.exports = factory();
  } else {
    root.GatewayLogin = factory();
  }
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  /**
   * The start endpoint to navigate to. Inside WeChat the Official Account flow (`oa`) applies, elsewhere the
   * website QR flow (`web`); `oaApp` and `webApp` are the keys under the gateway's `WeChat:Apps`.
   * @param {{baseUrl?: string, oaApp?: string, webApp?: string, scope?: 'snsapi_base' | 'snsapi_userinfo',
   *   returnUrl: string, userAgent?: string}} options
   * @returns {string}
   */
  function startUrl(options) {
    var inWeChat = isWeChatBrowser(options.userAgent !== undefined ? options.userAgent : (typeof navigator === 'object' ? navigator.userAgent : ''));
    var base = (options.baseUrl || '').replace(/\/+$/, '');
    // The gateway redirects to the return URL as given, and an HTTP Location header must be ASCII: percent-encode
    // what a browser would (a literal '/orders?城市=北京' typed into code, rather than one read from location).
    var returnUrl = options.returnUrl.replace(/[^\x21-\x7e]+/g, encodeURIComponent);
    if (inWeChat && options.oaApp) {
      return base + '/auth/wechat/oa/' + encodeURIComponent(options.oaApp) + '/start?scope=' +
        encodeURIComponent(options.scope || 'snsapi_base') + '&returnUrl=' + encodeURIComponent(returnUrl);
    }
    if (options.webApp) {
      return base + '/auth/wechat/web/' + encodeURIComponent(options.webApp) + '/start?returnUrl=' + encodeURIComponent(returnUrl);
    }
    throw new Error(inWeChat ? 'GatewayLogin needs oaApp inside WeChat.' : 'GatewayLogin needs webApp outside WeChat.');
  }

  /** @param {string} userAgent */
  function isWeChatBrowser(userAgent) {
    return /MicroMessenger/i.test(userAgent || '');
  }

  /**
   * Sends the browser to the login (a top-level navigation: the gateway sets its cookie on the way back), returning
   * to the current page by default.
   * @param {{baseUrl?: string, oaApp?: string, webApp?: string, scope?: 'snsapi_base' | 'snsapi_userinfo', returnUrl?: string}} options
   */
  function login(options) {
    var returnUrl = options.returnUrl || location.pathname + location.search + location.hash;
    location.assign(startUrl(Object.assign({}, options, { returnUrl: returnUrl })));
  }

  /**
   * The current session, or null when signed out (the cookie is HttpOnly, so pages ask the gateway).
   * @param {string} [baseUrl]
   * @returns {Promise<{unionId?: string, personId: number, appId: string, channel: string, expiresAt: string} | null>}
   */
  function currentSession(baseUrl) {
    return fetch((baseUrl || '').replace(/\/+$/, '') + '/auth/session', { credentials: 'include', headers: { Accept: 'application/json' } })
      .then(function (response) { return response.status === 200 ? response.json() : null; });
  }

  /**
   * On the front end's own error screen (the gateway's `Login:Pages:ErrorRedirectUrl`): the failed login's `code`,
   * the page it was for, and the gateway's "try again" link. The query is anyone's to edit, so `retryUrl` is kept
   * only when it is a start endpoint of the gateway at `baseUrl`, and `returnUrl` only when it is a path here.
   * @param {{baseUrl?: string, search?: string, origin?: string}} [options]
   * @returns {{code: string, returnUrl: string | null, retryUrl: string | null} | null}
   */
  function loginError(options) {
    options = options || {};
    var origin = options.origin || (typeof location === 'object' ? location.origin : '');
    var query = new URLSearchParams(options.search !== undefined ? options.search : location.search);
    var code = query.get('code');
    if (!code || !/^[a-z_]+$/.test(code)) {
      return null;
    }
    var gateway = new URL((options.baseUrl || '').replace(/\/+$/, '') + '/', origin);
    var retryUrl = query.get('retryUrl');
    var retry = null;
    try {
      retry = retryUrl ? new URL(retryUrl) : null;
    } catch (e) {
      retry = null;
    }
    var isStart = retry !== null && retry.origin === gateway.origin &&
      retry.pathname.indexOf(gateway.pathname + 'auth/wechat/') === 0 && /\/start$/.test(retry.pathname) && /^\?retry=[A-Za-z0-9]+$/.test(retry.search);
    var returnUrl = query.get('returnUrl');
    return {
      code: code,
      returnUrl: returnUrl && /^\/(?![\/\\])/.test(returnUrl) ? returnUrl : null,
      retryUrl: isStart ? retry.href : null,
    };
  }

  return { startUrl: startUrl, isWeChatBrowser: isWeChatBrowser, login: login, currentSession: currentSession, loginError: loginError };
});
