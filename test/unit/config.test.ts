import { describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig, workflowBundleOf } from '../../runtime/config';

describe('configuration', () => {
  it('uses the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(config.API_PORT).toBe(3000);
  });

  it('refuses to start in production with the public development key as JWT_SECRET, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_JWT_SECRET })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_JWT_SECRET })).toThrow(/JWT_SECRET: the public development key/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(48) }).JWT_SECRET).toBe('x'.repeat(48));
    expect(loadConfig({ JWT_SECRET: DEVELOPMENT_JWT_SECRET }).JWT_SECRET).toBe(DEVELOPMENT_JWT_SECRET);
  });

  it('stops with the name of every wrong variable and the reason', () => {
    let thrown: unknown;
    try {
      loadConfig({ API_PORT: 'eighty', DATABASE_URL: 'mysql://x@y/z', TEMPORAL_ADDRESS: 'localhost' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const message = (thrown as ConfigError).message;
    expect(message).toMatch(/API_PORT:/);
    expect(message).toMatch(/DATABASE_URL: must start with postgres/);
    expect(message).toMatch(/TEMPORAL_ADDRESS: must be host:port/);
  });

  it('gives the worker its prebuilt workflow bundle, and names the variable when the file is missing', () => {
    // Loaded by every process, migrations and the API too: only the worker needs the file.
    const config = loadConfig({ WORKFLOW_BUNDLE_PATH: '/nowhere/workflows.js' });
    expect(workflowBundleOf(loadConfig({}))).toBeUndefined();
    expect(workflowBundleOf({ WORKFLOW_BUNDLE_PATH: import.meta.filename })).toEqual({ codePath: import.meta.filename });
    expect(() => workflowBundleOf(config)).toThrow(
      new ConfigError(['WORKFLOW_BUNDLE_PATH: /nowhere/workflows.js does not exist (build it with `npm run bundle:workflows <file>`)']),
    );
  });
});
