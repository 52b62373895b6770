'use strict';

const { createGatewayClient } = require('./gateway-client');
const { createUserGestureGate } = require('./user-gesture');
const { GatewayError } = require('./gateway-error');
const { Actions, ERROR_ACTIONS, actionFor } = require('./error-actions');

module.exports = { createGatewayClient, createUserGestureGate, GatewayError, Actions, ERROR_ACTIONS, actionFor };
