import type { ValidationIssue } from './issues';

interface SchemaValidationItem {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/**
 * Turns a zod issue reported by fastify-type-provider-zod into a bilingual issue.
 * Domain refinements carry their own wording in params; generic zod codes get a
 * Vietnamese sentence here, with zod's English message kept as is.
 */
export function toValidationIssue(item: SchemaValidationItem, part: string): ValidationIssue {
  const path = [part, ...item.instancePath.split('/').filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s))];
  const own = item.params.params as { message_vi?: string; message_en?: string } | undefined;
  const messageEn = own?.message_en ?? item.message ?? item.keyword;
  const messageVi = own?.message_vi ?? vietnameseFor(item);
  return { path, code: item.keyword, message_vi: messageVi, message_en: messageEn };
}

function vietnameseFor(item: SchemaValidationItem): string {
  const p = item.params;
  switch (item.keyword) {
    case 'invalid_type':
      return p.input === undefined ? 'Thiếu trường bắt buộc' : `Sai kiểu dữ liệu, cần ${String(p.expected)}`;
    case 'too_small':
      return p.origin === 'string' || p.origin === 'array'
        ? `Quá ngắn, tối thiểu ${String(p.minimum)}`
        : `Giá trị quá nhỏ, tối thiểu ${String(p.minimum)}`;
    case 'too_big':
      return p.origin === 'string' || p.origin === 'array'
        ? `Quá dài, tối đa ${String(p.maximum)}`
        : `Giá trị quá lớn, tối đa ${String(p.maximum)}`;
    case 'invalid_format':
      return 'Sai định dạng';
    case 'invalid_value':
      return `Giá trị không được phép${Array.isArray(p.values) ? `; chọn một trong: ${p.values.join(', ')}` : ''}`;
    case 'unrecognized_keys':
      return `Trường không được hỗ trợ: ${Array.isArray(p.keys) ? p.keys.join(', ') : ''}`;
    case 'not_multiple_of':
      return `Phải là bội số của ${String(p.divisor)}`;
    default:
      return 'Giá trị không hợp lệ';
  }
}
