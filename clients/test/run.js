'use strict';

// Runs the client library tests (clients/test/*.test.js) with Node's test runner against one real gateway,
// started here and stopped by PID afterwards. Usage: node clients/test/run.js  (GATEWAY_DLL skips the build).

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { startGateway } = require('./gateway-process');

async function main() {
  const files = fs.readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort().map((name) => path.join(__dirname, name));
  const gateway = await startGateway();
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => gateway.stop().then(() => process.exit(130)));
  }
  let code = 1;
  try {
    // One file at a time: the tests inject faults into the one shared sandbox.
    const runner = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=tap', ...files], {
      stdio: 'inherit',
      env: { ...process.env, GATEWAY_URL: gateway.url, GATEWAY_MANAGEMENT_URL: gateway.managementUrl, GATEWAY_MANAGEMENT_KEY: gateway.managementKey },
    });
    code = await new Promise((resolve) => runner.once('exit', (exitCode) => resolve(exitCode === null ? 1 : exitCode)));
  } finally {
    await gateway.stop();
  }
  process.exitCode = code;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
