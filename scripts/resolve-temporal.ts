import { loadConfig } from '../runtime/config';
import { resolveTemporalCli, temporalCacheDir, temporalCliVersion } from '../runtime/temporal-cli';

// Finds or builds the Temporal CLI and prints its path on the last line of stdout
// (.ci/run and humans use it). Progress goes to stderr.
const config = loadConfig();
const path = await resolveTemporalCli({
  explicitPath: config.TEMPORAL_CLI,
  progress: (line) => process.stderr.write(`${line}\n`),
});
if (!path) {
  process.stderr.write(
    [
      'No Temporal CLI found and Go is not installed to build one.',
      'Install one of:',
      '  - Go ≥ 1.25 (https://go.dev/dl/); the next run builds the CLI into ' + temporalCacheDir(),
      '  - the Temporal CLI (https://docs.temporal.io/cli) on PATH, or set TEMPORAL_CLI=/path/to/temporal',
      '`npm start` can also use the Temporal SDK download when this machine has internet access.',
      '',
    ].join('\n'),
  );
  process.exit(1);
}
process.stderr.write(`${temporalCliVersion(path)}\n`);
process.stdout.write(`${path}\n`);
