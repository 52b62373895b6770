'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { GatewayError, Actions } = require('../miniprogram');
const { miniProgram, sessionOf } = require('./support');

test('a new user on WeChat 2026 has no nickname until setProfile() saves the one they chose', async () => {
  // mp-unbound takes the two-step path, and WeChat 2026 encrypts only "微信用户" and the grey avatar.
  const { client } = miniProgram({ app: 'mp-unbound', user: 'alice' });
  const { token } = await client.login();
  assert.equal((await sessionOf(token)).body.profile.nickname, null);

  const saved = await client.setProfile({ nickname: '爱丽丝🌸', avatarUrl: 'https://avatars.example.com/u/alice.png' });

  assert.equal(saved.status, 'ok');
  const { body } = await sessionOf(client.token());
  assert.deepEqual(body.profile, { nickname: '爱丽丝🌸', avatarUrl: 'https://avatars.example.com/u/alice.png' });
});

test('setProfile() rejects with invalid_profile and the message to show when the gateway refuses a value', async () => {
  const { client } = miniProgram({ app: 'mp', user: 'xiaohong' });
  await client.login();

  const error = await client.setProfile({ avatarUrl: 'wxfile://tmp_chosen_avatar.png' }).then(() => null, (e) => e);

  assert.ok(error instanceof GatewayError);
  assert.equal(error.code, 'invalid_profile');
  assert.equal(error.statusCode, 400);
  assert.equal(error.action, Actions.SHOW_MESSAGE);
  assert.ok(error.message.length > 0);
});
