import { z } from 'zod';
import { describeTextFault, findTextFault, TEXT_FAULT_CODE } from './text-rules';

/**
 * The one text type for every string a person types (step notes, names,
 * reasons, file names, imported files' cells, login names): the characters of
 * domain/text-rules.ts refused with a bilingual message naming the character,
 * Unicode NFC (the same Vietnamese word typed on two keyboards compares and
 * sorts as one), CRLF and CR turned into LF in multi-line text, trimmed, and
 * bounded. Codes and identifiers take `codeText`, a strict pattern.
 *
 * A refused character is a zod issue with message_vi/message_en in its params,
 * which domain/validation-messages.ts turns into the 400's issue for that field;
 * lengths and patterns use zod's own checks (and codes), so the OpenAPI
 * document shows them.
 */

interface TextOptions {
  /** Longest accepted length, in UTF-16 code units after normalisation. */
  max: number;
  min?: number;
  /** Tab and line breaks allowed (notes, reasons, summaries); refused otherwise. */
  multiline?: boolean;
  /** Keep leading and trailing white space (passwords); trimmed by default. */
  keepSpaces?: boolean;
}

function checkCharacters(multiline: boolean) {
  return (text: string, ctx: z.RefinementCtx) => {
    const fault = findTextFault(text, multiline);
    if (!fault) return;
    const words = describeTextFault(fault);
    ctx.addIssue({ code: 'custom', message: words.message_en, params: { ...words, reason: TEXT_FAULT_CODE } });
  };
}

/** Free text a person types. */
export function plainText({ max, min = 0, multiline = false, keepSpaces = false }: TextOptions) {
  const base = keepSpaces ? z.string() : z.string().trim();
  return base
    .overwrite((text) => {
      const composed = text.normalize('NFC');
      return multiline ? composed.replace(/\r\n?/g, '\n') : composed;
    })
    .superRefine(checkCharacters(multiline))
    .min(min)
    .max(max);
}

/** A note, reason or summary: several lines, up to 5,000 characters. */
export const noteText = (options: Partial<TextOptions> = {}) => plainText({ max: 5000, multiline: true, ...options });

/** A person's or document's name: one line, up to 300 characters. */
export const nameText = (options: Partial<TextOptions> = {}) => plainText({ max: 300, min: 1, ...options });

/**
 * A code or identifier (framework, area, sub-criterion, group, question,
 * answer option): ASCII letters and digits, then also `.`, `_` and `-`.
 * Codes end up in URLs, file names, CSV headers and HTTP headers, so nothing
 * outside this set is ever accepted.
 */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function codeText(pattern: RegExp = CODE_PATTERN, example = '1.2.3') {
  return z
    .string()
    .superRefine(checkCharacters(false))
    .regex(pattern, `a code such as ${example}`);
}

/** A unit's code as in the campaign definition, e.g. STP or QUAN_BA_DINH. */
export const UNIT_CODE_PATTERN = /^[A-Z0-9_]{1,40}$/;
export const unitCodeText = () => codeText(UNIT_CODE_PATTERN, 'STP');

/** A campaign's business ID, par-<year>-<slug> (domain/units.ts campaignIdOf makes it): the workflow ID and every route's :campaignId. */
export const CAMPAIGN_ID_PATTERN = /^par-\d{4}-[a-z0-9-]{1,32}$/;
export const campaignIdText = () => codeText(CAMPAIGN_ID_PATTERN, 'par-2019-hn');

/** A login name: lowercase letters, digits, `.`, `_`, `-`; given in any case, stored lowercase. */
export const usernameText = () =>
  z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'a username of 2–63 letters, digits, ".", "_" or "-", e.g. nguyen.van.a');

/** An e-mail address, stored lowercase. */
export const emailText = () => z.email().max(254).toLowerCase();
