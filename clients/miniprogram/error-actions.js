'use strict';

/**
 * What a front end does about each error code. The gateway's `code` is the stable machine contract (branch on
 * it); its `message` is written for end users and is what a page shows.
 *
 * - `relogin`: the login (or the session) is no longer usable; start over with a fresh wx.login. The client does
 *   this by itself once.
 * - `reauthorize`: the user has to agree again (tap the authorize button, open the page for real).
 * - `retry_later`: a passing condition; wait `retryAfter` seconds when the gateway sent it.
 * - `show_message`: a final answer about this user; show `message` and do not retry.
 * - `configuration_error`: a bug in the front end or the gateway's setup; retrying cannot help.
 *
 * @typedef {'relogin' | 'reauthorize' | 'retry_later' | 'show_message' | 'configuration_error'} ErrorAction
 */

/** @type {Readonly<{RELOGIN: 'relogin', REAUTHORIZE: 'reauthorize', RETRY_LATER: 'retry_later', SHOW_MESSAGE: 'show_message', CONFIGURATION_ERROR: 'configuration_error'}>} */
const Actions = Object.freeze({
  RELOGIN: 'relogin',
  REAUTHORIZE: 'reauthorize',
  RETRY_LATER: 'retry_later',
  SHOW_MESSAGE: 'show_message',
  CONFIGURATION_ERROR: 'configuration_error',
});

/**
 * Every code a client can receive: the login codes (Gateway.Auth/Login/LoginErrorCodes.cs, the README's table),
 * the session and proxy codes (README, docs/sessions.md), and the two this library raises itself.
 * @type {Readonly<Record<string, ErrorAction>>}
 */
const ERROR_ACTIONS = Object.freeze({
  // Login (LoginErrorCodes.cs)
  invalid_request: Actions.CONFIGURATION_ERROR,
  unsupported_media_type: Actions.CONFIGURATION_ERROR,
  request_too_large: Actions.CONFIGURATION_ERROR,
  app_not_found: Actions.CONFIGURATION_ERROR,
  code_invalid: Actions.RELOGIN,
  ticket_invalid: Actions.RELOGIN,
  decrypt_failed: Actions.RELOGIN,
  watermark_mismatch: Actions.REAUTHORIZE,
  signature_invalid: Actions.REAUTHORIZE,
  snapshot_user: Actions.REAUTHORIZE,
  person_disabled: Actions.SHOW_MESSAGE,
  identity_conflict: Actions.SHOW_MESSAGE,
  high_risk_user: Actions.SHOW_MESSAGE,
  rate_limited: Actions.RETRY_LATER,
  wechat_unavailable: Actions.RETRY_LATER,
  wechat_misconfigured: Actions.CONFIGURATION_ERROR,
  wechat_error: Actions.RETRY_LATER,
  service_unavailable: Actions.RETRY_LATER,
  internal_error: Actions.RETRY_LATER,
  session_required: Actions.RELOGIN,
  session_app_mismatch: Actions.CONFIGURATION_ERROR,
  phone_code_not_for_user: Actions.REAUTHORIZE,
  state_missing: Actions.RELOGIN,
  state_invalid: Actions.RELOGIN,
  state_mismatch: Actions.RELOGIN,
  authorization_refused: Actions.REAUTHORIZE,
  return_url_rejected: Actions.CONFIGURATION_ERROR,
  // Sessions (docs/sessions.md)
  session_store_unavailable: Actions.RETRY_LATER,
  cross_site_request: Actions.CONFIGURATION_ERROR,
  // Proxied requests (README: routes and policies)
  forbidden: Actions.SHOW_MESSAGE,
  route_not_found: Actions.CONFIGURATION_ERROR,
  destination_unavailable: Actions.RETRY_LATER,
  destination_timeout: Actions.RETRY_LATER,
  no_destination: Actions.RETRY_LATER,
  // Raised by this library, never by the gateway
  network_error: Actions.RETRY_LATER,
  user_declined: Actions.REAUTHORIZE,
});

/**
 * The action for a code; a code the table does not know (a downstream service's own, or a newer gateway's) is
 * shown to the user rather than retried.
 * @param {string} code
 * @returns {ErrorAction}
 */
function actionFor(code) {
  return Object.prototype.hasOwnProperty.call(ERROR_ACTIONS, code) ? ERROR_ACTIONS[code] : Actions.SHOW_MESSAGE;
}

module.exports = { Actions, ERROR_ACTIONS, actionFor };
