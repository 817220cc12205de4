import ExcelJS from 'exceljs';
import { formatJsonPath, validateFramework, type Framework, type FrameworkIssue, type JsonPath } from '../domain/framework';
import { asBoolean, asNumber, asText, readCell, type PlainCell } from './cells';
import {
  COLUMNS,
  columnLetter,
  columnNumber,
  LEVEL,
  REQUIRED_SHEETS,
  SHEET,
  type DataSheet,
  type Level,
} from './framework-layout';

/** A problem found in a workbook, at its place: sheet, row and column where they can be told. */
export type WorkbookIssue = {
  readonly sheet: string;
  readonly row: number | undefined;
  readonly column: string | undefined;
  /** The JSON path of the framework field, for problems found by the domain validation. */
  readonly path: JsonPath | undefined;
  readonly code: string;
  readonly message_vi: string;
  readonly message_en: string;
};

export type WorkbookImport =
  | { readonly ok: true; readonly framework: Framework }
  | { readonly ok: false; readonly issues: readonly WorkbookIssue[] };

/**
 * Reads a framework workbook. Every problem is reported, the workbook's own
 * (missing sheet, wrong header, row in the wrong place) and the framework's
 * (sums, tiers, rule kinds… from validateFramework), each mapped to its cell.
 * Nothing is returned unless the whole framework is valid.
 */
export async function importFrameworkWorkbook(data: ArrayBuffer | Uint8Array): Promise<WorkbookImport> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(toArrayBuffer(data));
  } catch {
    return {
      ok: false,
      issues: [
        issueAt(undefined, 'unreadable_workbook', 'Không đọc được tệp Excel (.xlsx)', 'The file is not a readable Excel (.xlsx) workbook'),
      ],
    };
  }
  const reader = new FrameworkReader(workbook);
  const raw = reader.read();
  if (reader.issues.length > 0) return { ok: false, issues: reader.issues };

  const validation = validateFramework(raw);
  if (validation.ok) return validation;
  return { ok: false, issues: validation.issues.map((issue) => reader.locate(issue)) };
}

type Place = { readonly sheet: DataSheet; readonly row: number; readonly columns: Readonly<Record<string, string>> };

type RawObject = Record<string, unknown>;

/** Builds the raw framework document from the sheets, remembering which row each JSON path came from. */
class FrameworkReader {
  readonly issues: WorkbookIssue[] = [];
  private readonly places = new Map<string, Place>();

  constructor(private readonly workbook: ExcelJS.Workbook) {}

  read(): RawObject {
    // Keyed by codes from the workbook: no prototype, so a group or meta key named "__proto__" is a key like any other.
    const framework: RawObject = { groups: Object.create(null) as RawObject };
    this.readMeta(framework);
    const groups = this.readGroups(framework);
    this.readTree(groups);
    this.readTiers(groups);
    this.readSurveyList('questions', groups, ['code', 'text_vi', 'max_points'], ['max_points']);
    this.readSurveyList('options', groups, ['code', 'label_vi', 'weight'], ['weight']);
    this.readSurveyList('respondents', groups, ['code', 'name_vi'], []);
    this.readBands(groups);
    return framework;
  }

  /** The cell a validation issue points at: the deepest known path prefix, then the column of the rest of the path. */
  locate(issue: FrameworkIssue): WorkbookIssue {
    for (let length = issue.path.length; length >= 0; length -= 1) {
      const place = this.places.get(key(issue.path.slice(0, length)));
      if (place === undefined) continue;
      const rest = issue.path.slice(length).map(String);
      let column = rest.length === 0 ? place.columns[''] : undefined;
      for (let restLength = rest.length; restLength > 0 && column === undefined; restLength -= 1) {
        column = place.columns[rest.slice(0, restLength).join('.')];
      }
      return { sheet: SHEET[place.sheet], row: place.row, column, path: issue.path, code: issue.code, message_vi: issue.message_vi, message_en: issue.message_en };
    }
    return {
      sheet: SHEET.meta,
      row: undefined,
      column: undefined,
      path: issue.path,
      code: issue.code,
      message_vi: `${issue.message_vi} (${formatJsonPath(issue.path)})`,
      message_en: `${issue.message_en} (${formatJsonPath(issue.path)})`,
    };
  }

  private readMeta(framework: RawObject): void {
    const metaColumn = columnLetter(columnNumber('meta', 'value'));
    for (const { row, cell } of this.rows('meta')) {
      const name = asText(cell('key'));
      if (name === undefined) continue;
      const value = cell('value');
      const [head, field] = name.split('.', 2);
      if ((head === 'rule_kinds' || head === 'scoring_settings') && field !== undefined) {
        const section = (framework[head] ??= Object.create(null) as RawObject) as RawObject;
        section[field] = head === 'scoring_settings' ? asBoolean(value) : asText(value);
        this.remember([head, field], 'meta', row, { '': metaColumn });
      } else if (name === 'code' || name === 'title_vi' || name === 'note') {
        if (value !== undefined) framework[name] = asText(value);
        this.remember([name], 'meta', row, { '': metaColumn });
      } else {
        this.cellIssue('meta', row, 'key', 'unknown_meta_key', `Mục "${name}" không được hỗ trợ`, `Unknown entry "${name}"`);
      }
    }
  }

  private readGroups(framework: RawObject): Map<string, RawObject> {
    const groups = new Map<string, RawObject>();
    const columns = this.columnLetters('groups', {
      name_vi: 'name_vi',
      max_points: 'max_points',
      assessed_max_points: 'assessed_max_points',
      'survey.max_points': 'survey_max_points',
      'survey.method': 'survey_method',
      'survey.questions': 'survey_max_points',
      'bonus_penalty.bonus_max': 'bonus_max',
      'bonus_penalty.penalty_max': 'penalty_max',
      'bonus_penalty.note': 'bonus_penalty_note',
      areas: 'assessed_max_points',
    });
    for (const { row, cell } of this.rows('groups')) {
      const groupCode = asText(cell('group_code'));
      if (groupCode === undefined) {
        this.cellIssue('groups', row, 'group_code', 'missing_group_code', 'Thiếu mã nhóm', 'Group code is missing');
        continue;
      }
      if (groups.has(groupCode)) {
        this.cellIssue('groups', row, 'group_code', 'duplicate_code', `Mã nhóm "${groupCode}" bị trùng`, `Duplicate group code "${groupCode}"`);
        continue;
      }
      const group = defined({
        name_vi: asText(cell('name_vi')),
        max_points: asNumber(cell('max_points')),
        assessed_max_points: asNumber(cell('assessed_max_points')),
        areas: [],
        survey: defined({
          max_points: asNumber(cell('survey_max_points')),
          respondent_groups: [],
          answer_options: [],
          questions: [],
          method: asText(cell('survey_method')),
        }),
        bonus_penalty: defined({
          bonus_max: asNumber(cell('bonus_max')),
          penalty_max: asNumber(cell('penalty_max')),
          note: asText(cell('bonus_penalty_note')),
        }),
      });
      groups.set(groupCode, group);
      (framework.groups as RawObject)[groupCode] = group;
      this.remember(['groups', groupCode], 'groups', row, columns);
    }
    return groups;
  }

  private readTree(groups: Map<string, RawObject>): void {
    const nodeColumns = this.columnLetters('tree', {
      code: 'code',
      name_vi: 'name_vi',
      name_en: 'name_en',
      max_points: 'max_points',
      criteria: 'max_points',
      subcriteria: 'max_points',
      rule: 'rule_kind',
      'rule.kind': 'rule_kind',
      'rule.tiers': 'rule_kind',
      'rule.input': 'rule_input',
      'rule.step': 'rule_step',
      owner: 'owner',
      evidence_required: 'evidence_required',
    });
    const last = new Map<string, { area?: RawObject; areaPath?: JsonPath; criterion?: RawObject; criterionPath?: JsonPath }>();
    for (const { row, cell } of this.rows('tree')) {
      const groupCode = asText(cell('group_code'));
      const group = this.groupOf('tree', row, groupCode, groups);
      if (group === undefined || groupCode === undefined) continue;
      const level = parseLevel(asText(cell('level')));
      if (level === undefined) {
        this.cellIssue(
          'tree',
          row,
          'level',
          'unknown_level',
          `Cấp phải là "${LEVEL.area}", "${LEVEL.criterion}" hoặc "${LEVEL.subcriterion}"`,
          `Level must be "${LEVEL.area}", "${LEVEL.criterion}" or "${LEVEL.subcriterion}"`,
        );
        continue;
      }
      const common = { code: asText(cell('code')), name_vi: asText(cell('name_vi')), max_points: asNumber(cell('max_points')) };
      const current = last.get(groupCode) ?? {};
      if (level === 'area') {
        const areas = group.areas as RawObject[];
        const area = defined({ ...common, name_en: asText(cell('name_en')), criteria: [] });
        const areaPath = ['groups', groupCode, 'areas', areas.length];
        areas.push(area);
        last.set(groupCode, { area, areaPath });
        this.remember(areaPath, 'tree', row, nodeColumns);
      } else if (level === 'criterion') {
        if (current.area === undefined || current.areaPath === undefined) {
          this.cellIssue('tree', row, 'level', 'orphan_row', 'Tiêu chí phải nằm sau một dòng lĩnh vực', 'A criterion must follow an area row');
          continue;
        }
        const criteria = current.area.criteria as RawObject[];
        const criterion = defined({ ...common, subcriteria: [] });
        const criterionPath = [...current.areaPath, 'criteria', criteria.length];
        criteria.push(criterion);
        last.set(groupCode, { ...current, criterion, criterionPath });
        this.remember(criterionPath, 'tree', row, nodeColumns);
      } else {
        if (current.criterion === undefined || current.criterionPath === undefined) {
          this.cellIssue(
            'tree',
            row,
            'level',
            'orphan_row',
            'Tiêu chí thành phần phải nằm sau một dòng tiêu chí',
            'A sub-criterion must follow a criterion row',
          );
          continue;
        }
        const subcriteria = current.criterion.subcriteria as RawObject[];
        const kind = asText(cell('rule_kind'));
        const rule = defined({
          kind,
          input: asText(cell('rule_input')),
          step: asNumber(cell('rule_step')),
          tiers: kind === 'tiers' ? [] : undefined,
        });
        const sub = defined({
          ...common,
          rule,
          owner: asText(cell('owner')),
          evidence_required: asBoolean(cell('evidence_required')),
        });
        const subPath = [...current.criterionPath, 'subcriteria', subcriteria.length];
        subcriteria.push(sub);
        this.remember(subPath, 'tree', row, nodeColumns);
      }
    }
  }

  private readTiers(groups: Map<string, RawObject>): void {
    const columns = this.columnLetters('tiers', { min: 'min', points: 'points' });
    const subPlaces = new Map<string, { rule: RawObject; path: JsonPath }>();
    for (const [groupCode, group] of groups) {
      (group.areas as RawObject[]).forEach((area, areaIndex) =>
        (area.criteria as RawObject[]).forEach((criterion, criterionIndex) =>
          (criterion.subcriteria as RawObject[]).forEach((sub, subIndex) =>
            subPlaces.set(key([groupCode, String(sub.code)]), {
              rule: sub.rule as RawObject,
              path: ['groups', groupCode, 'areas', areaIndex, 'criteria', criterionIndex, 'subcriteria', subIndex, 'rule', 'tiers'],
            }),
          ),
        ),
      );
    }
    for (const { row, cell } of this.rows('tiers')) {
      const groupCode = asText(cell('group_code'));
      if (this.groupOf('tiers', row, groupCode, groups) === undefined) continue;
      const subCode = asText(cell('subcriterion_code'));
      const target = subPlaces.get(key([groupCode ?? '', subCode ?? '']));
      if (target === undefined || target.rule.kind !== 'tiers') {
        this.cellIssue(
          'tiers',
          row,
          'subcriterion_code',
          'unknown_subcriterion',
          `Không có tiêu chí thành phần "${subCode ?? ''}" với quy tắc tiers trong nhóm ${groupCode ?? ''}`,
          `No sub-criterion "${subCode ?? ''}" with a tiers rule in group ${groupCode ?? ''}`,
        );
        continue;
      }
      const tiers = target.rule.tiers as RawObject[];
      this.remember([...target.path, tiers.length], 'tiers', row, columns);
      tiers.push(defined({ min: asNumber(cell('min')), points: asNumber(cell('points')) }));
    }
  }

  private readSurveyList(
    sheet: 'questions' | 'options' | 'respondents',
    groups: Map<string, RawObject>,
    fields: readonly string[],
    numericFields: readonly string[],
  ): void {
    const listName = { questions: 'questions', options: 'answer_options', respondents: 'respondent_groups' }[sheet];
    const columns = this.columnLetters(sheet, Object.fromEntries(fields.map((field) => [field, field])));
    for (const { row, cell } of this.rows(sheet)) {
      const groupCode = asText(cell('group_code'));
      const group = this.groupOf(sheet, row, groupCode, groups);
      if (group === undefined || groupCode === undefined) continue;
      const list = (group.survey as RawObject)[listName] as RawObject[];
      const item: RawObject = {};
      for (const field of fields) {
        const value = cell(field);
        item[field] = numericFields.includes(field) ? asNumber(value) : asText(value);
      }
      // A blank weight marks an option such as "no opinion" that does not count.
      if (sheet === 'options' && item.weight === undefined) item.weight = null;
      this.remember(['groups', groupCode, 'survey', listName, list.length], sheet, row, columns);
      list.push(defined(item));
    }
  }

  private readBands(groups: Map<string, RawObject>): void {
    const columns = this.columnLetters('bands', { code: 'code', name_vi: 'name_vi', min_percent: 'min_percent' });
    for (const { row, cell } of this.rows('bands')) {
      const groupCode = asText(cell('group_code'));
      const group = this.groupOf('bands', row, groupCode, groups);
      if (group === undefined || groupCode === undefined) continue;
      const bands = (group.classification ??= []) as RawObject[];
      this.remember(['groups', groupCode, 'classification', bands.length], 'bands', row, columns);
      bands.push(defined({ code: asText(cell('code')), name_vi: asText(cell('name_vi')), min_percent: asNumber(cell('min_percent')) }));
    }
  }

  /** The data rows of a sheet (row 1 is the header, checked here), skipping blank rows. */
  private rows(sheet: DataSheet): { row: number; cell: (key: string) => PlainCell }[] {
    const worksheet = this.workbook.getWorksheet(SHEET[sheet]);
    if (worksheet === undefined) {
      if (REQUIRED_SHEETS.includes(sheet)) {
        this.issues.push(
          issueAt(SHEET[sheet], 'missing_sheet', `Thiếu trang tính "${SHEET[sheet]}"`, `Sheet "${SHEET[sheet]}" is missing`),
        );
      }
      return [];
    }
    const header = worksheet.getRow(1);
    COLUMNS[sheet].forEach((column, index) => {
      const found = readCell(header, index + 1);
      if (found !== column.header) {
        this.cellIssue(
          sheet,
          1,
          column.key,
          'wrong_header',
          `Tiêu đề cột phải là "${column.header}" (đang là "${found ?? ''}")`,
          `Column header must be "${column.header}" (found "${found ?? ''}")`,
        );
      }
    });
    const rows: { row: number; cell: (key: string) => PlainCell }[] = [];
    for (let rowNumber = 2; rowNumber <= worksheet.rowCount; rowNumber += 1) {
      const row = worksheet.getRow(rowNumber);
      const cell = (columnKey: string) => readCell(row, columnNumber(sheet, columnKey));
      if (COLUMNS[sheet].every((column) => cell(column.key) === undefined)) continue;
      rows.push({ row: rowNumber, cell });
    }
    return rows;
  }

  private groupOf(sheet: DataSheet, row: number, groupCode: string | undefined, groups: Map<string, RawObject>): RawObject | undefined {
    const group = groupCode === undefined ? undefined : groups.get(groupCode);
    if (group === undefined) {
      this.cellIssue(
        sheet,
        row,
        'group_code',
        'unknown_group',
        `Mã nhóm "${groupCode ?? ''}" không có trong trang "${SHEET.groups}"`,
        `Group code "${groupCode ?? ''}" is not in sheet "${SHEET.groups}"`,
      );
    }
    return group;
  }

  private columnLetters(sheet: DataSheet, fieldToColumnKey: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(fieldToColumnKey).map(([field, columnKey]) => [field, columnLetter(columnNumber(sheet, columnKey))]),
    );
  }

  private remember(path: JsonPath, sheet: DataSheet, row: number, columns: Readonly<Record<string, string>>): void {
    this.places.set(key(path), { sheet, row, columns });
  }

  private cellIssue(sheet: DataSheet, row: number, columnKey: string, code: string, message_vi: string, message_en: string): void {
    this.issues.push({
      sheet: SHEET[sheet],
      row,
      column: columnLetter(columnNumber(sheet, columnKey)),
      path: undefined,
      code,
      message_vi,
      message_en,
    });
  }
}

function parseLevel(text: string | undefined): Level | undefined {
  const normalized = text?.trim().toLowerCase();
  for (const [level, label] of Object.entries(LEVEL) as [Level, string][]) {
    if (normalized === label.toLowerCase() || normalized === level) return level;
  }
  return undefined;
}

/** Drops undefined fields, so a blank optional cell leaves its key out as the JSON would. */
function defined(object: RawObject): RawObject {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

function key(path: JsonPath): string {
  return JSON.stringify(path);
}

function issueAt(sheet: string | undefined, code: string, message_vi: string, message_en: string): WorkbookIssue {
  return { sheet: sheet ?? '', row: undefined, column: undefined, path: undefined, code, message_vi, message_en };
}

function toArrayBuffer(data: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return copy.buffer;
}
