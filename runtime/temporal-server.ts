import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type Env, findOnPath, goInstall, isExecutable } from './go-install';

/**
 * The production Temporal server and its SQL schema tool, the binaries
 * deploy/README.md ("Temporal without Docker") installs: `temporal-server` and
 * `temporal-sql-tool` on PATH, or else built with Go from the module proxy into
 * a cache outside the repository, named as the guide names them.
 * Returns null when neither is found and Go is not installed.
 */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const PACKAGES = [`go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`, `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`];
/** go install names a binary after its package directory; the guide renames them. */
const INSTALLED_AS = { 'temporal-server': 'server', 'temporal-sql-tool': 'sql' } as const;

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
}

export function temporalServerCacheDir(env: Env = process.env): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'par-index', `temporal-server-${TEMPORAL_SERVER_VERSION}`);
}

export async function resolveTemporalServer(options: { env?: Env; progress?: (line: string) => void } = {}): Promise<TemporalServerBinaries | null> {
  const env = options.env ?? process.env;
  const progress = options.progress ?? (() => {});
  const server = findOnPath('temporal-server', env);
  const sqlTool = findOnPath('temporal-sql-tool', env);
  if (server && sqlTool) return { server, sqlTool };

  const cacheDir = temporalServerCacheDir(env);
  const cached = { server: join(cacheDir, 'temporal-server'), sqlTool: join(cacheDir, 'temporal-sql-tool') };
  renameInstalled(cacheDir);
  if (isExecutable(cached.server) && isExecutable(cached.sqlTool)) return cached;

  const go = findOnPath('go', env);
  if (!go) return null;
  mkdirSync(cacheDir, { recursive: true });
  progress(`Building Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool with Go into ${cacheDir} (about 4 minutes on two cores, more with a cold module cache)…`);
  await goInstall(go, PACKAGES, cacheDir, env, progress);
  renameInstalled(cacheDir);
  if (!isExecutable(cached.server) || !isExecutable(cached.sqlTool)) throw new Error(`go install finished but ${cacheDir} lacks temporal-server or temporal-sql-tool`);
  progress(`Temporal server ready: ${cached.server}`);
  return cached;
}

function renameInstalled(cacheDir: string) {
  for (const [name, installed] of Object.entries(INSTALLED_AS)) {
    const from = join(cacheDir, installed);
    if (existsSync(from)) renameSync(from, join(cacheDir, name));
  }
}

/** `temporal-server --version` prints e.g. "temporal version 1.29.1". */
export function binaryVersion(path: string): string {
  const result = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return (result.stdout || result.stderr || '').trim();
}
