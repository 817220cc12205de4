import { createHash } from 'node:crypto';
import stableStringify from 'safe-stable-stringify';
import type { Actor } from '../../domain/actors';
import { actorLabel } from '../../domain/actors';
import { validateFramework, type Framework } from '../../domain/framework';
import type { FrameworkRepository } from '../../db/repositories/frameworks';
import { createFrameworkTemplate, exportFrameworkWorkbook, importFrameworkWorkbook } from '../../formats';
import { authorize } from '../auth/authorize';
import { NotFoundError, ValidationError } from '../errors';

export interface FrameworkServiceDeps {
  frameworks: FrameworkRepository;
}

/** The criteria framework library: import (JSON or Excel), versions, export, template. */
export function createFrameworkService({ frameworks }: FrameworkServiceDeps) {

  async function store(framework: Framework, actor: Actor) {
    // Keys sorted at every level: the same framework gives the same checksum whichever
    // order its groups arrive in (jsonb, for one, reorders object keys).
    const checksum = createHash('sha256').update(stableStringify(framework) ?? '').digest('hex');
    return frameworks.saveVersion({ framework, checksum, importedBy: actorLabel(actor) });
  }

  async function require(code: string, version?: number) {
    const found = await frameworks.find(code, version);
    if (!found) {
      const which = version === undefined ? code : `${code} v${version}`;
      throw new NotFoundError('framework_not_found', `Không tìm thấy bộ tiêu chí ${which}`, `Framework ${which} not found`);
    }
    return found;
  }

  return {
    /** Every problem is reported with its JSON path; a framework with any problem is not stored. */
    async importJson(document: unknown, actor: Actor) {
      authorize(actor, 'framework.import');
      const result = validateFramework(document);
      if (!result.ok) throw new ValidationError([...result.issues].map((found) => ({ ...found, path: ['body', ...found.path] })));
      return store(result.framework, actor);
    },

    /** Every problem is reported with its sheet, row and column; nothing is stored unless all is right. */
    async importWorkbook(bytes: Uint8Array, actor: Actor) {
      authorize(actor, 'framework.import');
      const result = await importFrameworkWorkbook(bytes);
      if (!result.ok) {
        throw new ValidationError(
          result.issues.map((found) => ({
            path: [found.sheet, ...(found.row === undefined ? [] : [found.row]), ...(found.column === undefined ? [] : [found.column])],
            code: found.code,
            message_vi: found.message_vi,
            message_en: found.message_en,
          })),
        );
      }
      return store(result.framework, actor);
    },

    list: () => frameworks.list(),
    get: require,
    async exportWorkbook(code: string, version?: number) {
      const found = await require(code, version);
      return { stored: found, bytes: await exportFrameworkWorkbook(found.document) };
    },
    template: () => createFrameworkTemplate(),
  };
}

export type FrameworkService = ReturnType<typeof createFrameworkService>;

