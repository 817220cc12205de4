/**
 * Deadline arithmetic in Asia/Ho_Chi_Minh. Vietnam has kept UTC+07:00 with no
 * daylight saving since 1975, so a fixed offset is exact and keeps this module
 * free of the host's time-zone database (it runs inside the workflow sandbox).
 */
export const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** True for 'YYYY-MM-DD' (a real calendar day) or an ISO instant with an explicit offset. */
export function isDeadlineText(text: string): boolean {
  return parseDeadline(text) !== null;
}

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

function vietnamParts(epochMs: number) {
  const shifted = new Date(epochMs + VIETNAM_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    day: pad(shifted.getUTCDate()),
    month: pad(shifted.getUTCMonth() + 1),
    year: String(shifted.getUTCFullYear()),
    hour: pad(shifted.getUTCHours()),
    minute: pad(shifted.getUTCMinutes()),
  };
}

/** dd/mm/yyyy in Vietnam time, as users read dates. */
export function formatDateVi(epochMs: number): string {
  const p = vietnamParts(epochMs);
  return `${p.day}/${p.month}/${p.year}`;
}

/** HH:mm dd/mm/yyyy in Vietnam time. */
export function formatDateTimeVi(epochMs: number): string {
  const p = vietnamParts(epochMs);
  return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}`;
}

/** ISO 8601 with the +07:00 offset, for APIs that show Vietnam local time. */
export function toVietnamIso(epochMs: number): string {
  const shifted = new Date(epochMs + VIETNAM_OFFSET_MS).toISOString();
  return `${shifted.slice(0, 19)}+07:00`;
}
