import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/connect';
import { createCampaignRepository } from '../../db/repositories/campaigns';
import { createNotificationRepository } from '../../db/repositories/notifications';
import { reminderPolicySchema, resolveReminderPolicy } from '../../domain/reminders';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';
import { createTestDatabase } from './helpers/database';

const pgliteDir = mkdtempSync(join(tmpdir(), 'par-policy-'));
const opened: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  for (const handle of opened) await handle.close();
  rmSync(pgliteDir, { recursive: true, force: true });
});

const databases: Array<[string, () => Promise<DatabaseHandle>]> = [
  ['Postgres', async () => {
    const database = await createTestDatabase();
    opened.push({ close: () => database.destroy() });
    return database;
  }],
  ['PGlite', async () => {
    const database = openDatabase({ dataDir: pgliteDir });
    await database.migrate();
    opened.push(database);
    return database;
  }],
];

describe.each(databases)('the reminder policy a unit reads (%s)', (_name, open) => {
  it('is the definition’s until Sở Nội vụ changes it, then the change, and nothing for an unknown campaign', async () => {
    const { db } = await open();
    const campaigns = createCampaignRepository(db);
    const notifications = createNotificationRepository(db);
    const slug = `rp${randomBytes(4).toString('hex')}`;
    const base = hanoi2019Campaign({ slug, unitsPerGroup: 2 });
    const reminders = reminderPolicySchema.parse({ before: ['P5D'], time_of_day: '07:30' });
    const definition = { ...base, settings: { ...base.settings, reminders } };
    const campaignId = `par-2019-${slug}`;
    await campaigns.insertCampaign({ campaignId, definition, stage: 'guidance', at: new Date('2019-11-26T01:00:00Z') });

    const fromDefinition = await notifications.reminderPolicy(campaignId);
    expect(fromDefinition).toEqual({ override: null, fromDefinition: reminders });
    expect(resolveReminderPolicy(fromDefinition!.override ?? fromDefinition!.fromDefinition)).toEqual(reminders);

    await notifications.saveReminderPolicy(campaignId, { before: ['P2D'], escalation: { enabled: false } }, 'admin:SNV/snv');
    const changed = await notifications.reminderPolicy(campaignId);
    expect(changed?.override).toEqual({ before: ['P2D'], escalation: { enabled: false } });
    expect(resolveReminderPolicy(changed!.override ?? changed!.fromDefinition)).toMatchObject({ before: ['P2D'], time_of_day: '08:00', escalation: { enabled: false } });

    // A campaign whose definition sets no policy (the seed's): the defaults apply.
    const plainId = `par-2019-${slug}x`;
    const plain = hanoi2019Campaign({ slug: `${slug}x`, unitsPerGroup: 1 });
    expect(plain.settings.reminders).toBeUndefined();
    await campaigns.insertCampaign({ campaignId: plainId, definition: plain, stage: 'guidance', at: new Date('2019-11-26T01:00:00Z') });
    expect(await notifications.reminderPolicy(plainId)).toEqual({ override: null, fromDefinition: null });

    expect(await notifications.reminderPolicy('par-2019-none')).toBeNull();
  });
});
