// The session store as the HTTP auth plugin (http/auth/plugin.ts) sees it: the plugin is
// handed the repository by the composition root, and names its type through this layer.
import type { SessionRepository as DbSessionRepository, TokenSession as DbTokenSession } from '../db/repositories/sessions';

export type SessionRepository = DbSessionRepository;
export type TokenSession = DbTokenSession;
