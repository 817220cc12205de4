import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { listSubcriteria } from '../../../domain/framework';
import { computeUnitResult, explainUnit, rankUnitResults, toCenti, type SubcriterionScore } from '../../../domain/scoring';
import { exportResultsWorkbook, RESULTS_HEADERS, resultsTableRows } from '../../../formats';
import { loadSampleFramework } from '../domain/fixtures/sample-framework';

const framework = loadSampleFramework();
const department = framework.groups.department!;

function allYes(): SubcriterionScore[] {
  return listSubcriteria(department)
    .filter(({ subcriterion }) => subcriterion.rule.kind === 'boolean')
    .map(({ subcriterion }) => ({
      subcriterionCode: subcriterion.code,
      round2: { input: { kind: 'boolean', value: true }, pointsCenti: toCenti(subcriterion.max_points), setBy: 'to-cong-tac', setAt: '2020-03-06T10:00:00+07:00', note: 'Đủ tài liệu' },
    }));
}

describe('results workbook', () => {
  it('lays out each group like the annex of a results decision and adds a per-unit explanation sheet', async () => {
    const units = [
      { code: 'SNV', name_vi: 'Sở Nội vụ', survey: 2_600 },
      { code: 'STP', name_vi: 'Sở Tư pháp', survey: 2_650 },
      { code: 'SYT', name_vi: 'Sở Y tế', survey: 2_600 },
    ];
    const results = units.map((unit) => {
      const result = computeUnitResult({ framework, groupCode: 'department', unit, scores: allYes(), survey: { kind: 'points', pointsCenti: unit.survey } });
      if (!result.ok) throw new Error(result.error.map((error) => error.message_en).join('; '));
      return result.value;
    });
    const ranking = rankUnitResults(framework, department, results);
    const bytes = await exportResultsWorkbook({
      title_vi: 'Chỉ số CCHC năm 2019 (thử nghiệm)',
      groups: [{ code: 'department', name_vi: department.name_vi, rows: resultsTableRows(ranking) }],
      explanations: [explainUnit(framework, ranking[0]!.result, ranking[0])],
    });

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes.slice().buffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Xếp hạng department', 'Giải trình STP']);
    const table = workbook.getWorksheet('Xếp hạng department')!;
    expect((table.getRow(3).values as unknown[]).slice(1)).toEqual([...RESULTS_HEADERS]);
    const assessed = results[0]!.totals.assessedCenti / 100;
    expect((table.getRow(4).values as unknown[]).slice(1)).toEqual([1, 'Sở Tư pháp', assessed, 26.5, 0, assessed + 26.5, assessed + 26.5, 1]);
    expect((table.getRow(5).values as unknown[]).slice(1, 3)).toEqual([2, 'Sở Nội vụ']);
    expect((table.getRow(6).values as unknown[]).slice(1, 3)).toEqual([3, 'Sở Y tế']);
    expect(table.getRow(6).getCell(8).value).toBe(2);
    expect(table.getColumn(6).numFmt).toBe('0.00');

    const explanation = workbook.getWorksheet('Giải trình STP')!;
    const texts: string[] = [];
    explanation.eachRow((row) => texts.push((row.values as unknown[]).join('|')));
    expect(texts.some((text) => text.includes('1.1.1') && text.includes('Có: 1,00 điểm'))).toBe(true);
    expect(texts.some((text) => text.includes('Tổng điểm'))).toBe(true);
    expect(texts.some((text) => text.includes('Xếp hạng: 1'))).toBe(true);
  });
});
