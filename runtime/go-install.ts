import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Helpers for the Temporal binaries the project builds from the Go module proxy into a cache outside the repository. */

export type Env = Record<string, string | undefined>;

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findOnPath(command: string, env: Env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, command))) return join(dir, command);
  }
  return null;
}

/**
 * `go install` of the given `pkg@version`s into `gobin`, under `nice`: the
 * machines that build it are shared, and a cold build takes minutes on two cores.
 */
export function goInstall(go: string, packages: string[], gobin: string, env: Env, progress: (line: string) => void): Promise<void> {
  const niceBinary = findOnPath('nice', env);
  const [command, args] = niceBinary ? [niceBinary, [go, 'install', ...packages]] : [go, ['install', ...packages]];
  return new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, args, {
      env: { ...env, GOBIN: gobin, GOFLAGS: env.GOFLAGS ?? '-trimpath' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const remember = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', remember);
    child.stderr.on('data', remember);
    const heartbeat = setInterval(() => {
      progress(`  still building ${packages.join(', ')}… ${Math.round((Date.now() - started) / 1000)} s`);
    }, 30_000);
    child.on('error', (error) => {
      clearInterval(heartbeat);
      reject(error);
    });
    child.on('exit', (code) => {
      clearInterval(heartbeat);
      if (code === 0) resolve();
      else reject(new Error(`go install ${packages.join(' ')} failed with exit code ${code}:\n${tail}`));
    });
  });
}
