import ExcelJS from 'exceljs';
import type { Framework } from '../domain/framework';
import { COLUMNS, INSTRUCTIONS_VI, LEVEL, NO, SHEET, YES, type DataSheet } from './framework-layout';
import { neutralizeWorkbook } from './formula-guard';
import { addInstructionsSheet, addTableSheet } from './table-sheet';

type RowValues = Record<string, string | number | boolean | undefined>;

/** The template Sở Nội vụ downloads: instructions and every sheet with its headers, no data. */
export async function createFrameworkTemplate(): Promise<Uint8Array> {
  return toBytes(buildWorkbook(undefined));
}

/** A framework as a workbook in the layout of formats/README.md; importFrameworkWorkbook reads it back unchanged. */
export async function exportFrameworkWorkbook(framework: Framework): Promise<Uint8Array> {
  return toBytes(buildWorkbook(framework));
}

function buildWorkbook(framework: Framework | undefined): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  addInstructionsSheet(workbook, SHEET.instructions, INSTRUCTIONS_VI);
  const rows: Record<DataSheet, RowValues[]> = framework === undefined ? emptyRows() : frameworkRows(framework);
  for (const sheet of Object.keys(COLUMNS) as DataSheet[]) addTableSheet(workbook, SHEET[sheet], COLUMNS[sheet], rows[sheet]);
  return workbook;
}

function emptyRows(): Record<DataSheet, RowValues[]> {
  return { meta: [], groups: [], tree: [], tiers: [], questions: [], options: [], respondents: [], bands: [] };
}

function frameworkRows(framework: Framework): Record<DataSheet, RowValues[]> {
  const rows = emptyRows();
  rows.meta.push({ key: 'code', value: framework.code }, { key: 'title_vi', value: framework.title_vi });
  if (framework.note !== undefined) rows.meta.push({ key: 'note', value: framework.note });
  for (const [kind, text] of Object.entries(framework.rule_kinds ?? {})) rows.meta.push({ key: `rule_kinds.${kind}`, value: text });
  for (const [setting, value] of Object.entries(framework.scoring_settings ?? {})) {
    if (value !== undefined) rows.meta.push({ key: `scoring_settings.${setting}`, value: yesNo(value) });
  }

  for (const [groupCode, group] of Object.entries(framework.groups)) {
    rows.groups.push({
      group_code: groupCode,
      name_vi: group.name_vi,
      max_points: group.max_points,
      assessed_max_points: group.assessed_max_points,
      survey_max_points: group.survey.max_points,
      survey_method: group.survey.method,
      bonus_max: group.bonus_penalty.bonus_max,
      penalty_max: group.bonus_penalty.penalty_max,
      bonus_penalty_note: group.bonus_penalty.note,
    });
    for (const area of group.areas) {
      rows.tree.push({
        group_code: groupCode,
        level: LEVEL.area,
        code: area.code,
        name_vi: area.name_vi,
        name_en: area.name_en,
        max_points: area.max_points,
      });
      for (const criterion of area.criteria) {
        rows.tree.push({
          group_code: groupCode,
          level: LEVEL.criterion,
          code: criterion.code,
          name_vi: criterion.name_vi,
          max_points: criterion.max_points,
        });
        for (const sub of criterion.subcriteria) {
          const rule = sub.rule;
          rows.tree.push({
            group_code: groupCode,
            level: LEVEL.subcriterion,
            code: sub.code,
            name_vi: sub.name_vi,
            max_points: sub.max_points,
            rule_kind: rule.kind,
            rule_input: rule.kind === 'tiers' || rule.kind === 'ratio' ? rule.input : undefined,
            rule_step: rule.kind === 'manual' ? rule.step : undefined,
            owner: sub.owner,
            evidence_required: yesNo(sub.evidence_required),
          });
          if (rule.kind === 'tiers') {
            for (const tier of rule.tiers) {
              rows.tiers.push({ group_code: groupCode, subcriterion_code: sub.code, min: tier.min, points: tier.points });
            }
          }
        }
      }
    }
    for (const question of group.survey.questions) rows.questions.push({ group_code: groupCode, ...question });
    for (const option of group.survey.answer_options) {
      rows.options.push({ group_code: groupCode, code: option.code, label_vi: option.label_vi, weight: option.weight ?? undefined });
    }
    for (const respondent of group.survey.respondent_groups) rows.respondents.push({ group_code: groupCode, ...respondent });
    for (const band of group.classification ?? []) rows.bands.push({ group_code: groupCode, ...band });
  }
  return rows;
}

function yesNo(value: boolean): string {
  return value ? YES : NO;
}

/** Every workbook this folder writes leaves through here, its text cells neutralised (./formula-guard.ts). */
export async function toBytes(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  neutralizeWorkbook(workbook);
  // exceljs resolves a Node Buffer, typed as its own ArrayBuffer-like interface.
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
