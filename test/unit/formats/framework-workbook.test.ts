import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { createFrameworkTemplate, exportFrameworkWorkbook, FRAMEWORK_COLUMNS, FRAMEWORK_SHEETS, importFrameworkWorkbook } from '../../../formats';
import { loadSampleFramework } from '../domain/fixtures/sample-framework';

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes.slice().buffer);
  return workbook;
}

async function save(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe('framework workbook', () => {
  it('imports from JSON, exports to xlsx and imports back to a deep-equal framework', async () => {
    const framework = loadSampleFramework();
    const imported = await importFrameworkWorkbook(await exportFrameworkWorkbook(framework));
    expect(imported.ok ? [] : imported.issues).toEqual([]);
    if (imported.ok) expect(imported.framework).toStrictEqual(framework);
  });

  it('keeps scoring settings and classification bands through the round trip', async () => {
    const framework = {
      ...loadSampleFramework(),
      scoring_settings: { rescale_assessed_when_no_survey: true, tie_break_by_assessed: false },
    };
    framework.groups.district = {
      ...framework.groups.district!,
      classification: [
        { code: 'TOT', name_vi: 'Tốt', min_percent: 80 },
        { code: 'KHA', name_vi: 'Khá', min_percent: 65.5 },
      ],
    };
    const imported = await importFrameworkWorkbook(await exportFrameworkWorkbook(framework));
    expect(imported.ok ? imported.framework : imported.issues).toStrictEqual(framework);
  });

  it('generates a template with an instructions sheet and the headers of every sheet, and no data', async () => {
    const workbook = await load(await createFrameworkTemplate());
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(Object.values(FRAMEWORK_SHEETS));
    expect(String(workbook.getWorksheet(FRAMEWORK_SHEETS.instructions)?.getCell('A1').value)).toContain('HƯỚNG DẪN');
    const tree = workbook.getWorksheet(FRAMEWORK_SHEETS.tree)!;
    expect((tree.getRow(1).values as unknown[]).slice(1)).toEqual(FRAMEWORK_COLUMNS.tree.map((column) => column.header));
    expect(tree.actualRowCount).toBe(1);
  });

  it('reports every problem of a broken workbook with its sheet, row and column', async () => {
    const workbook = await load(await exportFrameworkWorkbook(loadSampleFramework()));
    const tree = workbook.getWorksheet(FRAMEWORK_SHEETS.tree)!;
    // Row 2 is area 1 of the department group, row 3 its criterion 1.1, rows 4-5 its sub-criteria, row 6 criterion 1.2, row 7 sub-criterion 1.2.1.
    tree.getCell('F3').value = 4; // criterion 1.1: 4 instead of 3 → its sub-criteria no longer add up
    tree.getCell('G4').value = 'scale'; // 1.1.1: unknown rule kind
    tree.getCell('F5').value = 'hai'; // 1.1.2: max points is not a number
    tree.getCell('C7').value = '1.1.1'; // 1.2.1 takes the code of 1.1.1
    const tiers = workbook.getWorksheet(FRAMEWORK_SHEETS.tiers)!;
    tiers.getCell('C3').value = 120; // second tier of 1.1.2 above the first
    const options = workbook.getWorksheet(FRAMEWORK_SHEETS.options)!;
    options.getCell('D3').value = 1.5; // weight of answer B
    tree.getCell('A6').value = 'province'; // unknown group

    const result = await importFrameworkWorkbook(await save(workbook));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const places = result.issues.map((issue) => `${issue.sheet}!${issue.column ?? '?'}${issue.row ?? '?'}:${issue.code}`);
    expect(places).toEqual([`${FRAMEWORK_SHEETS.tree}!A6:unknown_group`]);
    for (const issue of result.issues) {
      expect(issue.message_vi.length).toBeGreaterThan(0);
      expect(issue.message_en.length).toBeGreaterThan(0);
    }

    // With the row fixed, the framework's own mistakes are reported cell by cell.
    tree.getCell('A6').value = 'department';
    const second = await importFrameworkWorkbook(await save(workbook));
    expect(second.ok).toBe(false);
    if (second.ok) return;
    const secondPlaces = second.issues.map((issue) => `${issue.sheet}!${issue.column ?? '?'}${issue.row ?? '?'}:${issue.code}`);
    expect(secondPlaces).toEqual(expect.arrayContaining([`${FRAMEWORK_SHEETS.tree}!F5:invalid_shape`]));

    tree.getCell('F5').value = 2;
    const third = await importFrameworkWorkbook(await save(workbook));
    expect(third.ok).toBe(false);
    if (third.ok) return;
    const thirdPlaces = third.issues.map((issue) => `${issue.sheet}!${issue.column ?? '?'}${issue.row ?? '?'}:${issue.code}`);
    expect(thirdPlaces).toEqual(
      expect.arrayContaining([
        `${FRAMEWORK_SHEETS.tree}!F3:criterion_sum_mismatch`,
        `${FRAMEWORK_SHEETS.tree}!G4:unknown_rule_kind`,
        `${FRAMEWORK_SHEETS.tree}!C7:duplicate_code`,
        `${FRAMEWORK_SHEETS.tiers}!C3:tiers_not_descending`,
        `${FRAMEWORK_SHEETS.options}!D3:answer_weight_out_of_range`,
      ]),
    );
  });

  it('reports a missing sheet and a changed header', async () => {
    const workbook = await load(await exportFrameworkWorkbook(loadSampleFramework()));
    workbook.removeWorksheet(workbook.getWorksheet(FRAMEWORK_SHEETS.groups)!.id);
    workbook.getWorksheet(FRAMEWORK_SHEETS.tree)!.getCell('D1').value = 'Tên';
    const result = await importFrameworkWorkbook(await save(workbook));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sheet: FRAMEWORK_SHEETS.groups, code: 'missing_sheet' }),
        expect.objectContaining({ sheet: FRAMEWORK_SHEETS.tree, row: 1, column: 'D', code: 'wrong_header' }),
      ]),
    );
  });

  it('refuses a file that is not a workbook', async () => {
    const result = await importFrameworkWorkbook(new TextEncoder().encode('không phải tệp Excel'));
    expect(result.ok ? [] : result.issues.map((issue) => issue.code)).toEqual(['unreadable_workbook']);
  });
});
