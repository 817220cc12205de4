import { DefaultLogger, Runtime } from '@temporalio/worker';

// Keep the SDK's per-activity INFO lines out of test output; warnings still show.
Runtime.install({ logger: new DefaultLogger('WARN') });
