import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { findOnPath, goInstall, isExecutable } from './go-install';

/**
 * Finds the `temporal` CLI whose `server start-dev` is our development and test
 * server. Order: TEMPORAL_CLI → `temporal` on PATH → the cache folder → build it
 * with Go into the cache. v1.5.1 is pinned because later tags carry a `replace`
 * directive that breaks `go install pkg@version`.
 * Returns null when nothing works; callers then fall back to the SDK's own
 * download (dev-server.ts), which needs internet.
 */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

export interface ResolveOptions {
  explicitPath?: string;
  env?: Record<string, string | undefined>;
  /** Progress lines for a human; a cold Go build takes several minutes. */
  progress?: (line: string) => void;
}

export function temporalCacheDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'par-index', `temporal-cli-${TEMPORAL_CLI_VERSION}`);
}

export async function resolveTemporalCli(options: ResolveOptions = {}): Promise<string | null> {
  const env = options.env ?? process.env;
  const progress = options.progress ?? (() => {});
  if (options.explicitPath) {
    if (!isExecutable(options.explicitPath)) {
      throw new Error(`TEMPORAL_CLI=${options.explicitPath} is not an executable file`);
    }
    return options.explicitPath;
  }
  const onPath = findOnPath('temporal', env);
  if (onPath) return onPath;

  const cacheDir = temporalCacheDir(env);
  const cached = join(cacheDir, 'temporal');
  if (isExecutable(cached)) return cached;

  const go = findOnPath('go', env);
  if (!go) return null;
  mkdirSync(cacheDir, { recursive: true });
  progress(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${cacheDir} (several minutes the first time)…`);
  await goInstall(go, [GO_PACKAGE], cacheDir, env, progress);
  if (!isExecutable(cached)) throw new Error(`go install finished but ${cached} is missing`);
  progress(`Temporal CLI ready: ${cached}`);
  return cached;
}

export function temporalCliVersion(path: string): string {
  const result = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return (result.stdout || result.stderr || '').trim();
}
