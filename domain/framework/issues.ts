import type { z } from 'zod';

/** A JSON path into the framework document, e.g. ["groups", "department", "areas", 0, "max_points"]. */
export type JsonPath = readonly (string | number)[];

export type FrameworkIssueCode =
  | 'invalid_shape'
  | 'too_many_decimals'
  | 'duplicate_code'
  | 'no_groups'
  | 'no_children'
  | 'criterion_sum_mismatch'
  | 'area_sum_mismatch'
  | 'assessed_sum_mismatch'
  | 'group_total_mismatch'
  | 'survey_sum_mismatch'
  | 'unknown_rule_kind'
  | 'tiers_not_descending'
  | 'tier_points_not_descending'
  | 'tier_above_max'
  | 'manual_max_not_multiple_of_step'
  | 'answer_weight_out_of_range'
  | 'no_weighted_answer_option'
  | 'bands_not_descending'
  | 'band_out_of_range';

export type FrameworkIssue = {
  readonly path: JsonPath;
  readonly code: FrameworkIssueCode;
  readonly message_vi: string;
  readonly message_en: string;
};

const TYPE_NAME_VI: Record<string, string> = {
  number: 'số',
  string: 'chuỗi ký tự',
  boolean: 'đúng/sai',
  array: 'danh sách',
  object: 'đối tượng',
  record: 'đối tượng',
};

/** Turns zod's shape issues into framework issues with Vietnamese and English messages. */
export function shapeIssuesFromZod(issues: readonly z.core.$ZodIssue[]): FrameworkIssue[] {
  return issues.flatMap((issue): FrameworkIssue[] => {
    const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
    switch (issue.code) {
      case 'invalid_type': {
        if (issue.input === undefined) {
          return [shape(path, 'Thiếu trường bắt buộc', 'Required field is missing')];
        }
        const expectedVi = TYPE_NAME_VI[issue.expected] ?? issue.expected;
        return [shape(path, `Sai kiểu dữ liệu: cần ${expectedVi}`, `Wrong type: expected ${issue.expected}`)];
      }
      case 'too_small':
        if (issue.origin === 'string') return [shape(path, 'Không được để trống', 'Must not be empty')];
        if (issue.origin === 'array') {
          return [shape(path, `Cần ít nhất ${issue.minimum} phần tử`, `Needs at least ${issue.minimum} item(s)`)];
        }
        return [
          shape(
            path,
            `Giá trị phải ${issue.inclusive ? '≥' : '>'} ${issue.minimum}`,
            `Value must be ${issue.inclusive ? '>=' : '>'} ${issue.minimum}`,
          ),
        ];
      case 'unrecognized_keys':
        return issue.keys.map((key) =>
          shape([...path, key], `Trường "${key}" không được hỗ trợ`, `Unknown field "${key}"`),
        );
      case 'invalid_value': {
        const allowed = issue.values.map((value) => JSON.stringify(value)).join(', ');
        return [shape(path, `Giá trị không hợp lệ, cần một trong: ${allowed}`, `Invalid value, expected one of: ${allowed}`)];
      }
      case 'custom': {
        // Refinements that carry their own wording in both languages (domain/text.ts).
        const own = issue.params as { message_vi?: unknown; message_en?: unknown } | undefined;
        if (typeof own?.message_vi === 'string' && typeof own.message_en === 'string') return [shape(path, own.message_vi, own.message_en)];
        return [shape(path, `Dữ liệu không hợp lệ (${issue.message})`, `Invalid data (${issue.message})`)];
      }
      default:
        return [shape(path, `Dữ liệu không hợp lệ (${issue.message})`, `Invalid data (${issue.message})`)];
    }
  });
}

function shape(path: JsonPath, message_vi: string, message_en: string): FrameworkIssue {
  return { path, code: 'invalid_shape', message_vi, message_en };
}

/** "groups.department.areas[0].max_points": a readable form of a path for messages and logs. */
export function formatJsonPath(path: JsonPath): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
}
