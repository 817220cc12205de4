/**
 * A problem found in user input, said in both languages users and operators read.
 * `path` is the JSON path into the submitted document (or sheet/row/column for files).
 */
export interface ValidationIssue {
  path: (string | number)[];
  code: string;
  message_vi: string;
  message_en: string;
}

export function issue(path: (string | number)[], code: string, message_vi: string, message_en: string): ValidationIssue {
  return { path, code, message_vi, message_en };
}
