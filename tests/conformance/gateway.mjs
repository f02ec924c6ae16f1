// Starts `rest-gateway serve --temp-postgres` (a throwaway PostgreSQL with schema/ applied, and
// the /rest/v1 stand-in in front of it) and hands back the JSON line it prints:
// {url, anon_key, service_role_key, secret_key, publishable_key, conninfo, ...}.
// Closing its stdin stops it; it then tears the cluster down.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const STARTUP_TIMEOUT_MS = 20000;
const SHUTDOWN_TIMEOUT_MS = 10000;

export function gatewayBinary() {
  const binaryDir = process.env.JOBSYNC_BINARY_DIR ?? path.resolve(here, '../../build');
  return path.join(binaryDir, 'rest-gateway');
}

export async function startGateway() {
  const binary = gatewayBinary();
  if (!existsSync(binary)) {
    throw new Error(`${binary} does not exist: build the rest-gateway target, or point ` +
                    'JOBSYNC_BINARY_DIR at the build directory that has it');
  }
  const child = spawn(binary, ['serve', '--temp-postgres'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';  // method and path per request only: no keys
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const line = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(
      `rest-gateway printed nothing within ${STARTUP_TIMEOUT_MS} ms; stderr:\n${stderr}`)),
      STARTUP_TIMEOUT_MS);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const end = stdout.indexOf('\n');
      if (end >= 0) {
        clearTimeout(timer);
        resolve(stdout.slice(0, end));
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`rest-gateway exited (${code ?? signal}) before it was ready; stderr:\n${stderr}`));
    });
  }).catch((error) => {
    child.kill('SIGKILL');
    throw error;
  });

  const info = JSON.parse(line);
  for (const key of ['url', 'anon_key', 'service_role_key', 'secret_key', 'publishable_key']) {
    if (typeof info[key] !== 'string' || info[key] === '') {
      child.kill('SIGKILL');
      throw new Error(`rest-gateway's ready line has no '${key}'`);
    }
  }

  async function stop() {
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
  return { info, stop };
}
