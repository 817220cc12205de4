import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFramework } from '../../domain/framework';
import { FRAMEWORK_SHEETS } from '../../formats';
import { bearerAs, SNV_ADMIN, startStack, type TestStack } from './helpers/stack';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const sample = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'seed', 'framework-2019-sample.json'), 'utf8'));

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function versions(code: string): Promise<number[]> {
  const list = (await stack.app.inject({ method: 'GET', url: '/frameworks', headers: SNV_ADMIN })).json() as { code: string; version: number }[];
  return list.filter((entry) => entry.code === code).map((entry) => entry.version);
}

/** The sample under its own code, so this file's versions never mix with another test's. */
function sampleAs(code: string) {
  return { ...structuredClone(sample), code };
}

async function workbookOf(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

describe('the framework library', () => {
  it('imports the sample from JSON, exports it to Excel, and the Excel imports back as the very same framework', async () => {
    const code = 'HN-2019-ROUNDTRIP';
    const created = await stack.app.inject({ method: 'POST', url: '/frameworks', headers: SNV_ADMIN, payload: sampleAs(code) });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code, version: 1, created: true });

    const exported = await stack.app.inject({ method: 'GET', url: `/frameworks/${code}/export.xlsx`, headers: SNV_ADMIN });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe(XLSX);

    // Same content → same checksum → no new version: the round trip changed nothing.
    const reimported = await stack.app.inject({ method: 'POST', url: '/frameworks', headers: { ...SNV_ADMIN, 'content-type': XLSX }, payload: exported.rawPayload });
    expect(reimported.statusCode).toBe(200);
    expect(reimported.json()).toMatchObject({ code, version: 1, created: false, checksum: created.json().checksum });

    const stored = (await stack.app.inject({ method: 'GET', url: `/frameworks/${code}`, headers: SNV_ADMIN })).json();
    const expected = validateFramework(sampleAs(code));
    expect(expected.ok).toBe(true);
    expect(stored.document).toEqual(expected.ok ? JSON.parse(JSON.stringify(expected.framework)) : null);
  });

  it('keeps versions: a changed framework becomes version 2 and version 1 stays readable', async () => {
    const code = 'HN-2019-VERSIONS';
    await stack.app.inject({ method: 'POST', url: '/frameworks', headers: SNV_ADMIN, payload: sampleAs(code) });
    const changed = sampleAs(code);
    changed.title_vi = 'Bộ chỉ số CCHC năm 2020';
    const second = await stack.app.inject({ method: 'POST', url: '/frameworks', headers: SNV_ADMIN, payload: changed });
    expect(second.json()).toMatchObject({ version: 2, created: true });
    expect((await stack.app.inject({ method: 'GET', url: `/frameworks/${code}?version=1`, headers: SNV_ADMIN })).json().title_vi).toBe(sample.title_vi);
    expect((await stack.app.inject({ method: 'GET', url: `/frameworks/${code}`, headers: SNV_ADMIN })).json().title_vi).toBe('Bộ chỉ số CCHC năm 2020');
  });

  it('reports every mistake of a JSON framework with its path, in both languages, and stores nothing', async () => {
    const code = 'HN-2019-BROKEN-JSON';
    const broken = sampleAs(code);
    const department = broken.groups.department;
    department.areas[0].criteria[0].subcriteria[0].max_points = 5; // children no longer sum to the criterion
    department.areas[1].criteria[0].subcriteria[0].rule = { kind: 'lottery' }; // unknown rule kind
    department.areas[0].criteria[1].code = department.areas[0].criteria[0].code; // duplicate code
    const response = await stack.app.inject({ method: 'POST', url: '/frameworks', headers: SNV_ADMIN, payload: broken });
    expect(response.statusCode).toBe(400);
    const issues = response.json().issues as { path: (string | number)[]; code: string; message_vi: string; message_en: string }[];
    const paths = issues.map((found) => found.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.groups.department.areas.0.criteria.0.max_points',
        'body.groups.department.areas.1.criteria.0.subcriteria.0.rule.kind',
        'body.groups.department.areas.0.criteria.1.code',
      ]),
    );
    for (const found of issues) expect(found.message_vi && found.message_en).toBeTruthy();
    expect(await versions(code)).toEqual([]);
  });

  it('reports a mistake in a workbook with its sheet, row and column, and stores nothing', async () => {
    const code = 'HN-2019-BROKEN-XLSX';
    await stack.app.inject({ method: 'POST', url: '/frameworks', headers: SNV_ADMIN, payload: sampleAs(code) });
    const exported = await stack.app.inject({ method: 'GET', url: `/frameworks/${code}/export.xlsx`, headers: SNV_ADMIN });
    const workbook = await workbookOf(exported.rawPayload);
    const meta = workbook.getWorksheet(FRAMEWORK_SHEETS.meta)!;
    meta.eachRow((row) => {
      if (row.getCell(1).value === 'code') row.getCell(2).value = 'HN-2019-BROKEN-XLSX-2';
    });
    const tree = workbook.getWorksheet(FRAMEWORK_SHEETS.tree)!;
    tree.getRow(3).getCell(6).value = 'nhiều'; // max_points of the first data rows is not a number
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const response = await stack.app.inject({ method: 'POST', url: '/frameworks', headers: { ...SNV_ADMIN, 'content-type': XLSX }, payload: bytes });
    expect(response.statusCode).toBe(400);
    const [first] = response.json().issues as { path: (string | number)[] }[];
    expect(first!.path).toEqual([FRAMEWORK_SHEETS.tree, 3, 'F']);
    expect(await versions('HN-2019-BROKEN-XLSX-2')).toEqual([]);
  });

  it('serves an Excel template with Vietnamese instructions, and only Sở Nội vụ may import', async () => {
    const template = await stack.app.inject({ method: 'GET', url: '/frameworks/template.xlsx', headers: SNV_ADMIN });
    expect(template.statusCode).toBe(200);
    const workbook = await workbookOf(template.rawPayload);
    expect(workbook.getWorksheet(FRAMEWORK_SHEETS.instructions)).toBeDefined();
    expect(workbook.getWorksheet(FRAMEWORK_SHEETS.tree)!.getRow(1).getCell(1).value).toBe('Mã nhóm (group_code)');

    const byUnit = await stack.app.inject({
      method: 'POST',
      url: '/frameworks',
      headers: await bearerAs('unit', 'STP'),
      payload: sampleAs('HN-2019-NOT-ADMIN'),
    });
    expect(byUnit.statusCode).toBe(403);
    expect(await versions('HN-2019-NOT-ADMIN')).toEqual([]);
  });
});
