import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * docker-compose.yml read as Compose reads it (merge keys resolved), for what
 * no Docker engine here can try: no engine runs on CI, and `docker compose
 * config` needs a plugin this machine lacks (deploy/README.md, "How the compose
 * file is validated").
 */
const ROOT = join(import.meta.dirname, '..', '..');

interface Service {
  image?: string;
  command?: string[];
  entrypoint?: string[];
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const service = (name: string): Service => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};
const APP_SERVICES = ['migrate', 'api', 'worker'];

describe('docker-compose.yml', () => {
  it('runs every app container in production with JWT_SECRET from .env or the shell, which has no default', () => {
    const appServices = Object.entries(compose.services)
      .filter(([, definition]) => definition.image?.startsWith('par-index:'))
      .map(([name]) => name);
    expect(appServices.sort()).toEqual([...APP_SERVICES].sort());
    for (const name of APP_SERVICES) {
      const environment = service(name).environment ?? {};
      expect(environment.NODE_ENV, name).toBe('production');
      // `${VAR:?message}`: Compose refuses to start anything without it.
      expect(environment.JWT_SECRET, name).toMatch(/^\$\{JWT_SECRET:\?[^}]+\}$/);
    }
  });

  it('keeps the evidence files of the API and the worker on the appdata volume', () => {
    for (const name of ['api', 'worker']) {
      expect(service(name).environment?.DATA_DIR).toBe('/app/data');
      expect(service(name).volumes).toContain('appdata:/app/data');
    }
  });

  it('backs up under its own profile, reading the evidence read-only and writing the backups volume', () => {
    const backup = service('backup');
    expect(backup.profiles).toEqual(['backup']);
    expect(backup.volumes).toEqual(expect.arrayContaining(['appdata:/app/data:ro', 'backups:/backups', './deploy/backup.sh:/deploy/backup.sh:ro']));
    expect(backup.entrypoint?.join(' ')).toContain('/deploy/backup.sh');
    expect(backup.environment).toMatchObject({ PGHOST: 'postgres', DATA_DIR: '/app/data' });
    expect(backup.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['pgdata', 'appdata', 'backups']));
  });

  it('restores under its own profile, reading the backups and writing the evidence volume', () => {
    const restore = service('restore');
    expect(restore.profiles).toEqual(['restore']);
    expect(restore.volumes).toEqual(expect.arrayContaining(['appdata:/app/data', 'backups:/backups:ro', './deploy/restore.sh:/deploy/restore.sh:ro']));
    expect(restore.entrypoint?.join(' ')).toContain('/deploy/restore.sh');
    // The dumps' owners: the roles the rest of the stack logs in as.
    expect(restore.environment).toMatchObject({ PAR_ROLE: '${POSTGRES_USER:-par}', TEMPORAL_ROLE: '${TEMPORAL_DB_USER:-temporal}' });
  });

  it('starts only the long-running stack and its one-shot steps on `up`', () => {
    const onUp = Object.entries(compose.services)
      .filter(([, definition]) => !definition.profiles)
      .map(([name]) => name)
      .sort();
    expect(onUp).toEqual(['api', 'migrate', 'postgres', 'temporal', 'temporal-init', 'temporal-schema', 'temporal-ui', 'worker']);
  });

  it('mounts only files that exist in the repository', () => {
    const mounted = Object.values(compose.services)
      .flatMap((definition) => definition.volumes ?? [])
      .filter((volume) => volume.startsWith('./'))
      .map((volume) => volume.split(':')[0] ?? volume);
    expect(mounted.length).toBeGreaterThan(0);
    for (const path of mounted) expect(existsSync(join(ROOT, path)), path).toBe(true);
  });
});
