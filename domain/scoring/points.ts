/**
 * Points are held as integer hundredths ("centi-points"): 86,93 points is 8693.
 * Every sum, comparison and rank works on these integers, so binary floating
 * point never enters the arithmetic. Percentages use the same representation
 * (86,93 % is 8693 "centi-percent").
 *
 * WHERE ROUNDING HAPPENS — the complete list; every other step is exact:
 *  1. Ratio rule (rules.ts): max_points × input % / 100 is rounded half-up to
 *     hundredths (sample framework: "rounded to 2 decimals").
 *  2. Survey question points (survey.ts): max_points × mean weight of the valid
 *     answers is rounded half-up to hundredths per question; the unit's survey
 *     points are the exact sum of the rounded question points.
 *  3. No-survey rescale (combine.ts): assessed × group max / assessed max is
 *     rounded half-up to hundredths, only when the campaign asks for it.
 *  4. Index % (combine.ts): total / group max × 100 is rounded half-up to two
 *     decimals. With a group max of 100 it is exact.
 * Ranks (ranking.ts) are computed on the exact stored hundredths of the total,
 * never on the displayed index %, so rounding cannot change a rank silently;
 * where two units show the same rounded index % but hold different ranks, the
 * ranking flags it.
 *
 * All rounding is half-up on non-negative values (the only values rounded here).
 */

/** Integer hundredths of a point (or of a percent). */
export type Centi = number;

export const CENTI_PER_UNIT = 100;

export type DecimalParseError = {
  readonly code: 'not_a_number' | 'too_many_decimals' | 'out_of_safe_range';
  readonly input: string;
  readonly message_vi: string;
  readonly message_en: string;
};

export type Parsed<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

const DECIMAL_PATTERN = /^([+-]?)(\d+)(?:[.,](\d*))?$/;

/**
 * Parses a decimal number or string ("86,93", "86.93", 86.93, "-1,5") into
 * hundredths exactly. More than two decimals is an error, never a rounding:
 * points and percents typed by people must be taken as written.
 * Numbers are read through their shortest decimal form (what JSON holds), so
 * 0.6 is 60 and 0.1 + 0.2 (0.30000000000000004) is rejected.
 */
export function parseCenti(input: number | string): Parsed<Centi, DecimalParseError> {
  const text = typeof input === 'number' ? numberToPlainDecimal(input) : input.trim();
  const match = text === undefined ? null : DECIMAL_PATTERN.exec(text);
  if (text === undefined || match === null) {
    return fail('not_a_number', String(input), `"${String(input)}" không phải là số`, `"${String(input)}" is not a number`);
  }
  const [, sign, whole = '', fraction = ''] = match;
  const significantFraction = fraction.replace(/0+$/, '');
  if (significantFraction.length > 2) {
    return fail(
      'too_many_decimals',
      text,
      `"${text}" có quá 2 chữ số thập phân`,
      `"${text}" has more than 2 decimal places`,
    );
  }
  const magnitude = Number(whole) * CENTI_PER_UNIT + Number(significantFraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(magnitude)) {
    return fail('out_of_safe_range', text, `"${text}" quá lớn`, `"${text}" is too large`);
  }
  return { ok: true, value: sign === '-' && magnitude !== 0 ? -magnitude : magnitude };
}

/** Like parseCenti, for values already known to be valid (framework numbers after validation). */
export function toCenti(value: number): Centi {
  const known = knownCenti.get(value);
  if (known !== undefined) return known;
  const parsed = parseCenti(value);
  if (!parsed.ok) throw new RangeError(parsed.error.message_en);
  if (knownCenti.size < KNOWN_CENTI_LIMIT) knownCenti.set(value, parsed.value);
  return parsed.value;
}

/**
 * toCenti's answers for the numbers it has seen: a framework has a few dozen
 * distinct maxima, asked for on every sub-criterion of every unit an aggregation
 * rolls up (a fifth of its compute time; BENCHMARKS.md, P5). Bounded, since any
 * number can be asked for.
 */
const knownCenti = new Map<number, Centi>();
const KNOWN_CENTI_LIMIT = 1_000;

/** The decimal number a centi value stands for; for display and export only, never for arithmetic. */
export function centiToNumber(value: Centi): number {
  return value / CENTI_PER_UNIT;
}

/** "86,93": Vietnamese decimal comma, always two decimals. */
export function formatCentiVi(value: Centi): string {
  const sign = value < 0 ? '-' : '';
  const magnitude = Math.abs(value);
  const whole = Math.floor(magnitude / CENTI_PER_UNIT);
  const fraction = String(magnitude % CENTI_PER_UNIT).padStart(2, '0');
  return `${sign}${whole},${fraction}`;
}

/** "86,93%". */
export function formatPercentVi(value: Centi): string {
  return `${formatCentiVi(value)}%`;
}

/**
 * numerator / denominator rounded half-up to an integer, for non-negative
 * integers. BigInt keeps products such as max × answer-weight sums exact.
 */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): number {
  if (numerator < 0n || denominator <= 0n) {
    throw new RangeError('divideRoundHalfUp takes a non-negative numerator and a positive denominator');
  }
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  return Number(2n * remainder >= denominator ? quotient + 1n : quotient);
}

export function sumCenti(values: readonly Centi[]): Centi {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

function numberToPlainDecimal(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const text = String(value);
  // Exponent forms (1e-7, 1e21) are either too precise or too large for points.
  return /e/i.test(text) ? undefined : text;
}

function fail(
  code: DecimalParseError['code'],
  input: string,
  message_vi: string,
  message_en: string,
): Parsed<never, DecimalParseError> {
  return { ok: false, error: { code, input, message_vi, message_en } };
}
