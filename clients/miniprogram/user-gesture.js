'use strict';

const { GatewayError } = require('./gateway-error');
const { runtimeWx } = require('./runtime');

/**
 * Bridges the client's getUserProfile hook and a tap: wx.getUserProfile must be called synchronously inside a tap
 * handler, while the client learns it needs the profile in the middle of an asynchronous login.
 *
 *   const gate = createUserGestureGate({ onNeeded: () => page.setData({ showAuthorize: true }) });
 *   const client = createGatewayClient({ baseUrl, app, getUserProfile: gate.wait });
 *   // WXML: <button bindtap="onAuthorizeTap">授权登录</button>
 *   onAuthorizeTap() { gate.authorize('用于完善会员资料'); }
 *
 * @param {{onNeeded?: (context: {expiresIn: number}) => void, wx?: any}} [options]
 */
function createUserGestureGate(options) {
  const settings = options || {};
  /** @type {{resolve: (profile: import('./gateway-client').UserProfileResult) => void, reject: (error: unknown) => void} | null} */
  let waiting = null;

  function take() {
    const current = waiting;
    waiting = null;
    return current;
  }

  return {
    /**
     * The hook to give createGatewayClient: resolves once the user tapped and agreed.
     * @param {{expiresIn: number}} context
     * @returns {Promise<import('./gateway-client').UserProfileResult>}
     */
    wait(context) {
      const previous = take();
      if (previous) {
        previous.reject(new GatewayError('user_declined', '授权已过期，请重新授权。'));
      }
      const profile = new Promise((resolve, reject) => { waiting = { resolve, reject }; });
      if (settings.onNeeded) {
        settings.onNeeded(context);
      }
      return profile;
    },

    /** Whether the login is waiting for the tap (show the authorize button). */
    get pending() {
      return waiting !== null;
    },

    /**
     * Call from the button's tap handler: asks WeChat for the profile inside the gesture.
     * @param {string} desc why the profile is needed, shown by WeChat (at most 30 characters)
     */
    authorize(desc) {
      const current = take();
      if (!current) {
        return;
      }
      const wx = settings.wx || runtimeWx();
      wx.getUserProfile({
        desc,
        success: current.resolve,
        fail: (err) => current.reject(new GatewayError('user_declined', '需要您的授权才能完成登录。', { data: err })),
      });
    },

    /** The user closed the prompt: the login rejects with `user_declined`. */
    decline() {
      const current = take();
      if (current) {
        current.reject(new GatewayError('user_declined', '需要您的授权才能完成登录。'));
      }
    },
  };
}

module.exports = { createUserGestureGate };
