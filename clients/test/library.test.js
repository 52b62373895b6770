'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const LIBRARY = path.join(__dirname, '..', 'miniprogram');

test('the Mini Program library needs nothing but its own files and wx: no Node module or Node global', () => {
  for (const file of fs.readdirSync(LIBRARY).filter((name) => name.endsWith('.js'))) {
    const source = fs.readFileSync(path.join(LIBRARY, file), 'utf8');
    const required = [...source.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
    assert.deepEqual(required.filter((name) => !name.startsWith('./')), [], `${file} requires only its own files`);
    for (const name of required) {
      assert.ok(fs.existsSync(path.join(LIBRARY, name + '.js')), `${file}: ${name}.js exists`);
    }
    assert.doesNotMatch(source, /\b(process|Buffer|__dirname|__filename|setImmediate|fetch)\b/, `${file} uses no Node-only API`);
  }
});
