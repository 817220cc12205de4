import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { listSubcriteria } from '../../../domain/framework';
import { computeUnitResult, explainUnit, rankUnitResults, toCenti, type SubcriterionScore } from '../../../domain/scoring';
import { exportResultsWorkbook, RESULTS_HEADERS, resultsTableRows } from '../../../formats';
import { loadSampleFramework } from '../domain/fixtures/sample-framework';

const framework = loadSampleFramework();
const department = framework.groups.department!;

function allYes(column: 'round1' | 'round2' = 'round2'): SubcriterionScore[] {
  return listSubcriteria(department)
    .filter(({ subcriterion }) => subcriterion.rule.kind === 'boolean')
    .map(({ subcriterion }) => ({
      subcriterionCode: subcriterion.code,
      [column]: { input: { kind: 'boolean', value: true }, pointsCenti: toCenti(subcriterion.max_points), setBy: 'to-cong-tac', setAt: '2020-03-06T10:00:00+07:00', note: 'Đủ tài liệu' },
    }));
}

describe('results workbook', () => {
  it('lays out each group like the annex of a results decision and adds a per-unit explanation sheet', async () => {
    const units = [
      { code: 'SNV', name_vi: 'Sở Nội vụ', survey: 2_600 },
      { code: 'STP', name_vi: 'Sở Tư pháp', survey: 2_650 },
      { code: 'SYT', name_vi: 'Sở Y tế', survey: 2_600 },
    ];
    // Sở Y tế was never sent to round 2: its marks are round 1 only.
    const results = units.map((unit) => {
      const scores = allYes(unit.code === 'SYT' ? 'round1' : 'round2');
      const result = computeUnitResult({ framework, groupCode: 'department', unit, scores, survey: { kind: 'points', pointsCenti: unit.survey } });
      if (!result.ok) throw new Error(result.error.map((error) => error.message_en).join('; '));
      return result.value;
    });
    const ranking = rankUnitResults(framework, department, results);
    const bytes = await exportResultsWorkbook({
      title_vi: 'Chỉ số CCHC năm 2019 (thử nghiệm)',
      groups: [{ code: 'department', name_vi: department.name_vi, rows: resultsTableRows(ranking) }],
      // Handed over in unit-code order; the workbook puts them in rank order.
      explanations: [...ranking].sort((a, b) => a.unitCode.localeCompare(b.unitCode)).map((entry) => explainUnit(framework, entry.result, entry)),
    });

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes.slice().buffer);
    // The ranking sheet carries the group's Vietnamese name; explanation sheets follow the ranking.
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([department.name_vi, 'Giải trình STP', 'Giải trình SNV', 'Giải trình SYT']);
    const table = workbook.getWorksheet(department.name_vi)!;
    expect((table.getRow(3).values as unknown[]).slice(1)).toEqual([...RESULTS_HEADERS]);
    const assessed = results[0]!.totals.assessedCenti / 100;
    expect((table.getRow(4).values as unknown[]).slice(1)).toEqual([1, 'Sở Tư pháp', assessed, 26.5, 0, assessed + 26.5, assessed + 26.5, 1]);
    expect((table.getRow(5).values as unknown[]).slice(1, 3)).toEqual([2, 'Sở Nội vụ']);
    expect((table.getRow(6).values as unknown[]).slice(1, 3)).toEqual([3, 'Sở Y tế']);
    expect(table.getRow(6).getCell(8).value).toBe(2);
    expect(table.getColumn(6).numFmt).toBe('0.00');
    // Under the table, the group average index: the mean of the three indexes, rounded half-up.
    const indexes = results.map((result) => result.totals.indexPercentCenti);
    const mean = Math.round(indexes.reduce((sum, index) => sum + index, 0) / indexes.length) / 100;
    expect((table.getRow(7).values as unknown[]).slice(1)).toEqual(['', 'Chỉ số trung bình của nhóm', '', '', '', '', mean]);
    expect(table.rowCount).toBe(7);

    const explanation = workbook.getWorksheet('Giải trình STP')!;
    const texts: string[] = [];
    explanation.eachRow((row) => texts.push((row.values as unknown[]).join('|')));
    expect(texts.some((text) => text.includes('1.1.1') && text.includes('Có: 1,00 điểm'))).toBe(true);
    expect(texts.some((text) => text.includes('Tổng điểm'))).toBe(true);
    expect(texts.some((text) => text.includes('Xếp hạng: 1'))).toBe(true);

    // A unit with no round 2: the round-2 cells of area, criterion and total rows are blank, not 0.
    const noRound2 = workbook.getWorksheet('Giải trình SYT')!;
    const rowsNamed = (sheet: ExcelJS.Worksheet, prefix: string) => {
      const found: ExcelJS.Row[] = [];
      sheet.eachRow((row) => {
        if (String(row.getCell(2).value ?? '').startsWith(prefix)) found.push(row);
      });
      return found;
    };
    const sumRows = [...rowsNamed(noRound2, 'Lĩnh vực'), ...rowsNamed(noRound2, 'Tiêu chí'), ...rowsNamed(noRound2, 'Điểm thẩm định')];
    expect(sumRows.length).toBeGreaterThan(3);
    for (const row of sumRows) {
      expect(row.getCell(7).value ?? '', `round 2 of ${String(row.getCell(2).value)}`).toBe('');
    }
    expect(typeof rowsNamed(noRound2, 'Điểm thẩm định')[0]!.getCell(6).value).toBe('number');
    // A unit marked in round 2 keeps its round-2 sum as a number.
    expect(rowsNamed(workbook.getWorksheet('Giải trình STP')!, 'Điểm thẩm định')[0]!.getCell(7).value).toBe(assessed);
  });
});
