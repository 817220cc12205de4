/**
 * Deadline arithmetic in Asia/Ho_Chi_Minh. Vietnam has kept UTC+07:00 with no
 * daylight saving since 1975, so a fixed offset is exact and keeps this module
 * free of the host's time-zone database (it runs inside the workflow sandbox).
 */
export const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * 'YYYY-MM-DD' means the end of that day, 23:59:59 in Vietnam; a full ISO
 * timestamp with an offset means exactly that instant. Returns epoch ms, or null.
 */
export function parseDeadline(text: string): number | null {
  const day = DATE_ONLY.exec(text);
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const utcMidnight = Date.UTC(year, month - 1, date);
    const check = new Date(utcMidnight);
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) return null;
    return utcMidnight + (23 * 3600 + 59 * 60 + 59) * 1000 - VIETNAM_OFFSET_MS;
  }
  if (INSTANT_WITH_OFFSET.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

const SECONDS_PER_DAY = 86_400;
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * The proleptic Gregorian date of a day counted from 1970-01-01 (day 0), by
 * 400-year eras of 146,097 days with years starting in March, so the leap day
 * falls at the end of a year.
 */
function civilDate(days: number): { year: number; month: number; day: number } {
  const shifted = days + 719_468; // days from 0000-03-01
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day: dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1 };
}

/** The calendar day and wall-clock time in Vietnam of an instant, to the second. */
function vietnamClock(epochMs: number) {
  const seconds = Math.floor((epochMs + VIETNAM_OFFSET_MS) / 1000);
  const days = Math.floor(seconds / SECONDS_PER_DAY);
  const second = seconds - days * SECONDS_PER_DAY;
  const { year, month, day } = civilDate(days);
  // Fields spelt out: on Node 20 an object spread with more fields after it took 4–5 µs a call, against 0.3 µs.
  return { year, month, day, hour: Math.floor(second / 3600), minute: Math.floor(second / 60) % 60, second: second % 60 };
}

/**
 * ISO 8601 with the +07:00 offset, for APIs that show Vietnam local time (years
 * 0–9999). Built from integers: Date#toISOString took 1.5 µs a call, 2 ms of
 * every 500-row progress page (BENCHMARKS.md, P4).
 */
export function toVietnamIso(epochMs: number): string {
  const t = vietnamClock(epochMs);
  return `${String(t.year).padStart(4, '0')}-${pad2(t.month)}-${pad2(t.day)}T${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}+07:00`;
}

/** dd/mm/yyyy in Vietnam time, as users read dates. */
export function formatDateVi(epochMs: number): string {
  const t = vietnamClock(epochMs);
  return `${pad2(t.day)}/${pad2(t.month)}/${t.year}`;
}

/** HH:mm dd/mm/yyyy in Vietnam time. */
export function formatDateTimeVi(epochMs: number): string {
  const t = vietnamClock(epochMs);
  return `${pad2(t.hour)}:${pad2(t.minute)} ${pad2(t.day)}/${pad2(t.month)}/${t.year}`;
}
