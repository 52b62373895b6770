'use strict';

/* global wx */

/**
 * The Mini Program's global `wx`. The base library defines it in every module's scope, not always on globalThis.
 * @returns {any}
 */
function runtimeWx() {
  return typeof wx === 'undefined' ? undefined : wx;
}

module.exports = { runtimeWx };
