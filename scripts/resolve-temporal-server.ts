import { binaryVersion, resolveTemporalServer, temporalServerCacheDir } from '../runtime/temporal-server';

// Finds or builds the production Temporal server and its SQL tool; prints their
// paths on the last two lines of stdout (server, then SQL tool). Progress goes to stderr.
const binaries = await resolveTemporalServer({ progress: (line) => process.stderr.write(`${line}\n`) });
if (!binaries) {
  process.stderr.write(
    `No temporal-server/temporal-sql-tool on PATH and Go is not installed to build them into ${temporalServerCacheDir()}.\n` +
      'Install Go ≥ 1.25 (https://go.dev/dl/) or follow deploy/README.md "Temporal without Docker" step 1.\n',
  );
  process.exit(1);
}
process.stderr.write(`${binaryVersion(binaries.server)}; ${binaryVersion(binaries.sqlTool)}\n`);
process.stdout.write(`${binaries.server}\n${binaries.sqlTool}\n`);
