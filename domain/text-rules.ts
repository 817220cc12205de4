import { issue, type ValidationIssue } from './issues';

/**
 * The characters no text a person types may hold, as plain functions so the
 * workflows (which must not load zod, workflows/README.md) apply exactly the
 * checks the API's schemas apply (domain/text.ts):
 *  - C0 and C1 control characters (Postgres refuses NUL in text and jsonb, so a
 *    step holding one could never be projected), except tab and line breaks in
 *    multi-line text;
 *  - Unicode bidirectional overrides, embeddings, isolates and marks, which make
 *    a name display as something else ("cv\u202Efdp.exe" shows as "cvexe.pdf");
 *  - lone surrogates (no UTF-8 form: Postgres refuses their JSON escapes) and
 *    noncharacters (U+FDD0–U+FDEF and the last two code points of every plane).
 */

export type TextFault = 'control' | 'line_break' | 'bidi' | 'surrogate' | 'noncharacter';

export interface TextFaultAt {
  fault: TextFault;
  /** Index in UTF-16 code units, as a client's string functions count. */
  index: number;
  codePoint: number;
}

const BIDI = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

function faultOf(codePoint: number, multiline: boolean): TextFault | null {
  if (codePoint === 0x09 || codePoint === 0x0a || codePoint === 0x0d) return multiline ? null : 'line_break';
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)) return 'control';
  if (!multiline && (codePoint === 0x2028 || codePoint === 0x2029)) return 'line_break';
  if (BIDI.has(codePoint)) return 'bidi';
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return 'surrogate';
  if ((codePoint >= 0xfdd0 && codePoint <= 0xfdef) || (codePoint & 0xfffe) === 0xfffe) return 'noncharacter';
  return null;
}

/** The first character of `text` that no typed text may hold (tab and line breaks allowed only when multi-line), or null. */
export function findTextFault(text: string, multiline: boolean): TextFaultAt | null {
  let index = 0;
  // for…of walks code points, and yields a lone surrogate as itself.
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    const fault = faultOf(codePoint, multiline);
    if (fault) return { fault, index, codePoint };
    index += char.length;
  }
  return null;
}

/**
 * `text` without the characters findTextFault refuses: for names the system
 * keeps rather than refuses (an uploaded file's name, chosen by the browser),
 * so a bidi override cannot make "cv\u202Efdp.exe" display as "cvexe.pdf".
 */
export function stripTextFaults(text: string, multiline = false): string {
  let kept = '';
  for (const char of text) if (!faultOf(char.codePointAt(0) ?? 0, multiline)) kept += char;
  return kept;
}

const FAULT_WORDS: Record<TextFault, { vi: string; en: string }> = {
  control: { vi: 'ký tự điều khiển', en: 'a control character' },
  line_break: { vi: 'dấu xuống dòng hoặc tab (trường chỉ nhận một dòng)', en: 'a line break or tab (single-line field)' },
  bidi: { vi: 'ký tự đảo chiều văn bản', en: 'a text direction (bidi) control character' },
  surrogate: { vi: 'ký tự Unicode không hợp lệ (surrogate lẻ)', en: 'an invalid Unicode character (lone surrogate)' },
  noncharacter: { vi: 'ký tự Unicode không dùng cho văn bản', en: 'a Unicode noncharacter' },
};

/** The code of every text-character refusal, for clients and tests. */
export const TEXT_FAULT_CODE = 'invalid_characters';

export function describeTextFault(at: TextFaultAt): { message_vi: string; message_en: string } {
  const words = FAULT_WORDS[at.fault];
  const hex = `U+${at.codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  return {
    message_vi: `Chứa ${words.vi} (${hex}) ở vị trí ${at.index + 1}; hãy xóa ký tự này`,
    message_en: `Contains ${words.en} (${hex}) at position ${at.index + 1}; remove it`,
  };
}

/**
 * Every string (and object key) in a step's payload that holds a forbidden
 * character, with its path. Workflow validators refuse such a step, so nothing
 * a workflow accepts can fail to be projected. Multi-line rules apply here:
 * the API already held single-line fields to the stricter rule.
 */
export function hostileTextIssues(value: unknown, path: (string | number)[] = []): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  const visit = (node: unknown, at: (string | number)[], depth: number): void => {
    if (depth > 64) return;
    if (typeof node === 'string') {
      const fault = findTextFault(node, true);
      if (fault) {
        const words = describeTextFault(fault);
        found.push(issue(at, TEXT_FAULT_CODE, words.message_vi, words.message_en));
      }
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, [...at, i], depth + 1));
      return;
    }
    if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) {
        visit(key, [...at, key], depth + 1);
        visit(item, [...at, key], depth + 1);
      }
    }
  };
  visit(value, path, 0);
  return found;
}
