'use strict';

const { actionFor } = require('./error-actions');

/**
 * A refusal by the gateway (or a proxied service), or a failure this library detected. Branch on `code` or
 * `action`; show `message` to the user.
 *
 * Written as a constructor function rather than a class: Mini Program projects compiled to ES5 lose the prototype
 * of a transpiled `class extends Error`, and `instanceof GatewayError` would then be false.
 *
 * @constructor
 * @param {string} code the stable machine code, e.g. `code_invalid`
 * @param {string} message safe to show to the user
 * @param {{statusCode?: number, retryAfter?: number, data?: unknown}} [details]
 */
function GatewayError(code, message, details) {
  const error = new Error(message);
  Object.setPrototypeOf(error, GatewayError.prototype);
  error.name = 'GatewayError';
  /** @type {string} */
  error.code = code;
  /** @type {import('./error-actions').ErrorAction} */
  error.action = actionFor(code);
  /** @type {number | undefined} HTTP status; absent for errors raised before any answer. */
  error.statusCode = details && details.statusCode;
  /** @type {number | undefined} seconds to wait, from the Retry-After header. */
  error.retryAfter = details && details.retryAfter;
  /** @type {unknown} the response body, for codes the table does not know. */
  error.data = details && details.data;
  return error;
}

GatewayError.prototype = Object.create(Error.prototype, {
  constructor: { value: GatewayError, writable: true, configurable: true },
});

module.exports = { GatewayError };
