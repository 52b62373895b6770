'use strict';

// Starts the real gateway on its embedded default (SQLite, in-memory ephemeral store, the WeChat sandbox under
// /_sandbox/wechat, the demo downstream), isolated from any other run on this machine: free 127.0.0.1 ports,
// state in a temporary folder, its own yarp.json.

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const MANAGEMENT_KEY = 'embedded-default-management-key';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function gatewayDll() {
  if (process.env.GATEWAY_DLL) {
    return path.resolve(process.env.GATEWAY_DLL);
  }
  const build = spawnSync('dotnet', ['build', path.join(REPO, 'Gateway', 'Gateway.csproj'), '--nologo', '-v', 'q'], { stdio: 'inherit' });
  if (build.status !== 0) {
    throw new Error('dotnet build of the gateway failed');
  }
  return path.join(REPO, 'Gateway', 'bin', 'Debug', 'net10.0', 'Gateway.dll');
}

/** Routes for the tests: the demo downstream behind each policy, and three clusters that cannot answer. */
function proxyConfig(demoPort, closedPort, silentPort) {
  const demo = { Destinations: { 'demo-1': { Address: `http://127.0.0.1:${demoPort}/` } } };
  return {
    ReverseProxy: {
      Routes: {
        'demo-public': { ClusterId: 'demo', Match: { Path: '/demo/public/{**rest}' }, Metadata: { AuthPolicy: 'anonymous' } },
        'demo-orders': { ClusterId: 'demo', Match: { Path: '/demo/orders/{**rest}' }, Metadata: { AuthPolicy: 'required' } },
        down: { ClusterId: 'down', Match: { Path: '/down/{**rest}' }, Metadata: { AuthPolicy: 'optional' } },
        empty: { ClusterId: 'empty', Match: { Path: '/empty/{**rest}' }, Metadata: { AuthPolicy: 'optional' } },
        silent: { ClusterId: 'silent', Match: { Path: '/silent/{**rest}' }, Metadata: { AuthPolicy: 'optional' } },
      },
      Clusters: {
        demo,
        down: { Destinations: { 'down-1': { Address: `http://127.0.0.1:${closedPort}/` } } },
        empty: { Destinations: {} },
        silent: { Destinations: { 'silent-1': { Address: `http://127.0.0.1:${silentPort}/` } }, HttpRequest: { ActivityTimeout: '00:00:01' } },
      },
    },
  };
}

async function waitReady(url, child, log, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the gateway exited with ${child.exitCode}:\n${fs.readFileSync(log, 'utf8')}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the gateway was not ready within ${seconds} s:\n${fs.readFileSync(log, 'utf8')}`);
}

/** A destination that accepts connections and never answers. */
async function silentDestination() {
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    close: () => new Promise((resolve) => {
      sockets.forEach((socket) => socket.destroy());
      server.close(resolve);
    }),
  };
}

/**
 * @param {{settings?: Record<string, string>, readyPath?: string}} [options] configuration overrides (environment
 *   variable names), and the endpoint that tells the gateway is up (`/readyz` unless a test breaks a dependency)
 * @returns {Promise<{url: string, managementUrl: string, managementKey: string, stop: () => Promise<void>}>}
 */
async function startGateway(options = {}) {
  const dll = gatewayDll();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-client-tests-'));
  const [publicPort, managementPort, demoPort, closedPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const silent = await silentDestination();
  const url = `http://127.0.0.1:${publicPort}`;
  fs.writeFileSync(path.join(dir, 'yarp.json'), JSON.stringify(proxyConfig(demoPort, closedPort, silent.port), null, 2));
  const env = {
    ...process.env,
    ASPNETCORE_ENVIRONMENT: 'Development',
    Kestrel__Endpoints__Public__Url: url,
    Kestrel__Endpoints__Management__Url: `http://127.0.0.1:${managementPort}`,
    Gateway__Proxy__ConfigFile: path.join(dir, 'yarp.json'),
    Storage__Relational__ConnectionString: `Data Source=${path.join(dir, 'gateway.db')}`,
    Signing__DevelopmentKeysFile: path.join(dir, 'signing-keys.json'),
    DemoDownstream__Url: `http://127.0.0.1:${demoPort}`,
    // The sandbox OpenID Provider's fixed port would collide between the gateways these tests run side by side.
    OpenIdSandbox__Enabled: 'false',
    Login__PublicBaseUrl: url,
    // Every test comes from 127.0.0.1 and reuses the same few sandbox users; the limits are the gateway's own
    // business, and rate_limited is produced through the sandbox's 45011 instead.
    Login__RateLimit__PerClientPermits: '100000',
    Login__RateLimit__PerOpenIdPermits: '100000',
    // A revoked session is refused at once rather than after the half-second in-process trust.
    Sessions__LocalCacheDuration: '00:00:00',
    // Where the test Mini Program "uploads" the avatars its users choose.
    Profile__AvatarHosts__0: 'avatars.example.com',
    ...options.settings,
  };
  const log = path.join(dir, 'gateway.log');
  const out = fs.openSync(log, 'a');
  const child = spawn('dotnet', [dll], { cwd: dir, env, stdio: ['ignore', out, out] });
  fs.closeSync(out);

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 10000);
      await exited;
      clearTimeout(timer);
    }
    await silent.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  try {
    await waitReady(url + (options.readyPath || '/readyz'), child, log, 90);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, managementUrl: `http://127.0.0.1:${managementPort}`, managementKey: MANAGEMENT_KEY, stop };
}

module.exports = { startGateway, freePort, REPO };
