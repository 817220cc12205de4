import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../prod-twin/processes';

/**
 * A Postgres cluster of its own in a temporary folder, from the machine's
 * Postgres binaries (`pg_config --bindir`, else the newest
 * /usr/lib/postgresql/N/bin), that the fault suite can stop the hard way
 * (`pg_ctl stop -m immediate`: every backend killed, crash recovery at the next
 * start) and start again on the same port and data. Postgres refuses to run as
 * root, so as root the cluster belongs to the `postgres` system user.
 */
export interface PostgresCluster {
  /** Superuser URL of the `postgres` database (trust authentication, loopback only). */
  adminUrl: string;
  port: number;
  stopImmediate(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

function binDir(): string {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(join(dir, 'pg_ctl'))) return dir;
  } catch {
    // no pg_config on PATH: look where Debian puts the server
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'pg_ctl'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('no Postgres server binaries (pg_ctl): install postgresql');
  return join(root, newest, 'bin');
}

export async function startPostgresCluster(port: number): Promise<PostgresCluster> {
  const bin = binDir();
  const folder = mkdtempSync(join(tmpdir(), 'par-faults-pg-'));
  const data = join(folder, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(folder, uid, gid);
  }
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { cwd: folder, env }) : run(join(bin, tool), args, { cwd: folder, env });
  // fsync off: a crash of the server process is what is injected, never of the machine, so nothing is lost by it.
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = () => pg('pg_ctl', ['-D', data, '-o', options, '-l', join(folder, 'postgres.log'), '-w', '-t', '120', 'start']).then(() => undefined);
  // pg_ctl starts the server detached from us: nothing but this stops it, whatever ended the suite.
  const destroy = async () => {
    if (existsSync(join(data, 'postmaster.pid'))) await pg('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
    await start();
  } catch (error) {
    await destroy();
    throw error;
  }
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    async stopImmediate() {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    },
    destroy,
  };
}
