import canonicalize from 'canonicalize';
import { genesisHash, linkHash, resultsDigest, type PublishedResult } from '../db/chain';
import { verificationCode as shortCode } from '../domain/results-decision';
import type { CampaignDefinition } from '../domain/campaign';
import { parseChangeKey, type ReadModelEffect } from '../domain/effects';
import { buildUnitSheet, computeResultRows, thawSheet, type AggregationInput, type StoredMark } from '../domain/scoring';
import { unitWorkflowId, type UnitFlag } from '../domain/units';
import type { BundleEvent, StoredScoreEntry, VerificationBundle } from './bundle';

/**
 * Checks a campaign's bundle: the chain link by link from the definition's
 * hash, then the marks and survey points re-derived from the chained events
 * against the stored ones, then every unit's scores, total, index and rank
 * recomputed with the domain's own scoring code against the published
 * results, and last the digest frozen at publication. Stops at the first
 * problem, named in both languages with its event or unit and sub-criterion.
 */

export type Problem = {
  kind:
    | 'not_published'
    | 'events_before_chain'
    | 'definition_changed'
    | 'link_missing'
    | 'link_changed'
    | 'head_mismatch'
    | 'score_entry'
    | 'survey_points'
    | 'result'
    | 'digest_mismatch';
  seq?: number;
  unit_code?: string;
  subcriterion_code?: string;
  column?: string;
  field?: string;
  expected?: unknown;
  found?: unknown;
  message_vi: string;
  message_en: string;
};

export type Verdict =
  | { ok: true; head_seq: number; head_hash: string; digest: string; short_code: string }
  | { ok: false; head_seq: number; head_hash: string; problem: Problem };

const same = (a: unknown, b: unknown) => canonicalize(a ?? null) === canonicalize(b ?? null);

const describeEvent = (event: BundleEvent) => `${event.action}${event.unit_code ? ` (${event.unit_code})` : ''}`;

/** Walks the chain; the first problem, or null when every link holds and the head is the last. */
export function checkChain(bundle: VerificationBundle): Problem | null {
  const { chain } = bundle;
  if (bundle.unchained_events > 0) {
    return {
      kind: 'events_before_chain',
      message_vi: `Đợt đánh giá có ${bundle.unchained_events} sự kiện ghi trước khi có chuỗi kiểm chứng: không thể tính lại kết quả từ nhật ký`,
      message_en: `The campaign has ${bundle.unchained_events} events recorded before its verification chain began: its results cannot be re-derived from the log`,
    };
  }
  if (genesisHash(bundle.campaign_id, bundle.definition) !== chain.genesis_hash) {
    return {
      kind: 'definition_changed',
      seq: 0,
      message_vi: 'Định nghĩa đợt đánh giá (bộ tiêu chí, đơn vị, thời hạn) đã bị sửa sau khi chuỗi bắt đầu',
      message_en: 'The campaign definition (framework, units, timeline) was changed after the chain began',
    };
  }
  let previous = chain.genesis_hash;
  let expectedSeq = 1;
  for (const event of bundle.events) {
    if (event.seq !== expectedSeq) {
      return {
        kind: 'link_missing',
        seq: expectedSeq,
        message_vi: `Chuỗi bị đứt: thiếu sự kiện số ${expectedSeq} (sự kiện tiếp theo là số ${event.seq}, ${describeEvent(event)})`,
        message_en: `Broken chain: event ${expectedSeq} is missing (the next one is ${event.seq}, ${describeEvent(event)})`,
      };
    }
    const { hash, ...content } = event;
    const recomputed = linkHash(previous, content);
    if (recomputed !== hash) {
      return {
        kind: 'link_changed',
        seq: event.seq,
        unit_code: event.unit_code ?? undefined,
        message_vi: `Chuỗi bị đứt tại sự kiện số ${event.seq} (${describeEvent(event)}): nội dung sự kiện đã bị sửa`,
        message_en: `Broken chain at event ${event.seq} (${describeEvent(event)}): the event's content was changed`,
      };
    }
    previous = hash;
    expectedSeq += 1;
  }
  const lastSeq = expectedSeq - 1;
  if (lastSeq !== chain.head_seq || previous !== chain.head_hash) {
    const missing = lastSeq < chain.head_seq;
    return {
      kind: missing ? 'link_missing' : 'head_mismatch',
      seq: lastSeq + 1,
      message_vi: missing
        ? `Chuỗi bị đứt: thiếu sự kiện từ số ${lastSeq + 1} đến số ${chain.head_seq} ở cuối nhật ký`
        : `Đầu chuỗi ghi nhận (số ${chain.head_seq}) không khớp với sự kiện cuối cùng (số ${lastSeq})`,
      message_en: missing
        ? `Broken chain: events ${lastSeq + 1} to ${chain.head_seq} at the end of the log are missing`
        : `The recorded chain head (${chain.head_seq}) does not match the last event (${lastSeq})`,
    };
  }
  return null;
}

interface DerivedState {
  marks: Map<string, { unit: string; mark: StoredMark; evidence: unknown[] }>;
  survey: Map<string, number>;
  flags: Map<string, UnitFlag[]>;
  /** The seq of the unit workflow's change that set each unit's flags: the read model keeps the newest, whatever the chain's order. */
  flagsSeq: Map<string, number>;
}

const markKey = (unit: string, code: string, column: string) => JSON.stringify([unit, code, column]);

/** The seq of an event of the unit's own workflow (key `<unit workflow ID>#seq`), else null: the rule of the read model's unit states. */
function ownSeq(event: BundleEvent, unitCode: string): number | null {
  const key = parseChangeKey(event.idempotency_key);
  return key !== null && key.workflowId === unitWorkflowId(event.campaign_id, unitCode) ? key.seq : null;
}

function applyEffects(state: DerivedState, event: BundleEvent) {
  const effects: readonly ReadModelEffect[] = event.effects ?? [];
  for (const effect of effects) {
    if (effect.kind === 'scores') {
      for (const entry of effect.entries) {
        state.marks.set(markKey(effect.unitCode, entry.code, effect.column), {
          unit: effect.unitCode,
          mark: {
            subcriterionCode: entry.code,
            column: effect.column,
            input: entry.input,
            pointsCenti: entry.pointsCenti,
            note: entry.note,
            setBy: effect.setBy,
            setAt: new Date(effect.setAt).toISOString(),
          },
          evidence: entry.evidence,
        });
      }
    } else if (effect.kind === 'survey_points') {
      for (const point of effect.points) state.survey.set(point.unitCode, point.pointsCenti);
    } else if (effect.kind === 'unit_state') {
      const seq = ownSeq(event, effect.unitCode);
      const held = state.flagsSeq.get(effect.unitCode);
      if (seq !== null && held !== undefined && seq <= held) continue;
      state.flags.set(effect.unitCode, effect.flags);
      if (seq !== null) state.flagsSeq.set(effect.unitCode, seq);
    }
  }
}

function deriveState(events: readonly BundleEvent[]): DerivedState {
  const state: DerivedState = { marks: new Map(), survey: new Map(), flags: new Map(), flagsSeq: new Map() };
  for (const event of events) applyEffects(state, event);
  return state;
}

function scoreProblem(unit: string, code: string, column: string, field: string, expected: unknown, found: unknown): Problem {
  return {
    kind: 'score_entry',
    unit_code: unit,
    subcriterion_code: code,
    column,
    field,
    expected,
    found,
    message_vi: `Điểm của đơn vị ${unit}, tiêu chí thành phần ${code} (cột ${column}) không khớp với nhật ký: ${field} là ${JSON.stringify(found)}, nhật ký cho ${JSON.stringify(expected)}`,
    message_en: `The score of unit ${unit}, sub-criterion ${code} (column ${column}) does not match the log: ${field} is ${JSON.stringify(found)}, the log gives ${JSON.stringify(expected)}`,
  };
}

/** The stored marks against the marks the chained events wrote. */
function checkScoreEntries(state: DerivedState, stored: readonly StoredScoreEntry[]): Problem | null {
  const seen = new Set<string>();
  for (const entry of stored) {
    const key = markKey(entry.unit_code, entry.subcriterion_code, entry.column);
    seen.add(key);
    const derived = state.marks.get(key);
    if (derived === undefined) return scoreProblem(entry.unit_code, entry.subcriterion_code, entry.column, 'points_centi', null, entry.points_centi);
    const { mark } = derived;
    const pairs: [string, unknown, unknown][] = [
      ['points_centi', mark.pointsCenti, entry.points_centi],
      ['input', mark.input, entry.input],
      ['note', mark.note, entry.note],
      ['evidence', derived.evidence, entry.evidence],
      ['set_by', mark.setBy, entry.set_by],
      ['set_at', mark.setAt, new Date(entry.set_at).toISOString()],
    ];
    for (const [field, expected, found] of pairs) {
      if (!same(expected, found)) return scoreProblem(entry.unit_code, entry.subcriterion_code, entry.column, field, expected, found);
    }
  }
  for (const [key, { unit, mark }] of state.marks) {
    if (!seen.has(key)) return scoreProblem(unit, mark.subcriterionCode, mark.column, 'points_centi', mark.pointsCenti, null);
  }
  return null;
}

function checkSurveyPoints(state: DerivedState, stored: VerificationBundle['survey_points']): Problem | null {
  const storedByUnit = new Map(stored.map((row) => [row.unit_code, row.points_centi]));
  for (const unit of new Set([...state.survey.keys(), ...storedByUnit.keys()])) {
    const expected = state.survey.get(unit) ?? null;
    const found = storedByUnit.get(unit) ?? null;
    if (expected !== found) {
      return {
        kind: 'survey_points',
        unit_code: unit,
        field: 'points_centi',
        expected,
        found,
        message_vi: `Điểm điều tra xã hội học của đơn vị ${unit} là ${JSON.stringify(found)}, nhật ký cho ${JSON.stringify(expected)}`,
        message_en: `The survey points of unit ${unit} are ${JSON.stringify(found)}, the log gives ${JSON.stringify(expected)}`,
      };
    }
  }
  return null;
}

function resultProblem(unit: string, field: string, expected: unknown, found: unknown, subcriterion?: { code: string; column: string }): Problem {
  const where = subcriterion ? `, tiêu chí thành phần ${subcriterion.code} (cột ${subcriterion.column})` : '';
  const whereEn = subcriterion ? `, sub-criterion ${subcriterion.code} (column ${subcriterion.column})` : '';
  return {
    kind: 'result',
    unit_code: unit,
    ...(subcriterion ? { subcriterion_code: subcriterion.code, column: subcriterion.column } : {}),
    field,
    expected,
    found,
    message_vi: `Kết quả công bố của đơn vị ${unit}${where} khác với kết quả tính lại: ${field} là ${JSON.stringify(found)}, tính lại được ${JSON.stringify(expected)}`,
    message_en: `The published result of unit ${unit}${whereEn} differs from the recomputed one: ${field} is ${JSON.stringify(found)}, recomputed ${JSON.stringify(expected)}`,
  };
}

/** A published row's frozen sheet against the marks the unit had when the pass was computed. */
function checkSheet(row: PublishedResult, marks: readonly StoredMark[]): Problem | null {
  if (row.sheet === null) return null;
  const stored = new Map<string, StoredMark>();
  for (const score of thawSheet(row.sheet)) {
    for (const column of ['self', 'round1', 'round2'] as const) {
      const mark = score[column];
      if (mark !== undefined) {
        stored.set(`${score.subcriterionCode}|${column}`, { subcriterionCode: score.subcriterionCode, column, input: mark.input, pointsCenti: mark.pointsCenti, note: mark.note ?? '', setBy: mark.setBy, setAt: mark.setAt });
      }
    }
  }
  const derived = new Map(marks.map((mark) => [`${mark.subcriterionCode}|${mark.column}`, mark]));
  for (const key of new Set([...derived.keys(), ...stored.keys()])) {
    const expected = derived.get(key);
    const found = stored.get(key);
    const [code, column] = key.split('|') as [string, string];
    if (expected === undefined || found === undefined) return resultProblem(row.unit_code, 'points_centi', expected?.pointsCenti ?? null, found?.pointsCenti ?? null, { code, column });
    for (const field of ['pointsCenti', 'input', 'note', 'setBy', 'setAt'] as const) {
      if (!same(expected[field], found[field])) return resultProblem(row.unit_code, field, expected[field], found[field], { code, column });
    }
  }
  return null;
}

const FIGURES = [
  ['assessed_centi', 'assessedCenti'],
  ['survey_centi', 'surveyCenti'],
  ['bonus_centi', 'bonusCenti'],
  ['penalty_centi', 'penaltyCenti'],
  ['total_centi', 'totalCenti'],
  ['index_centi', 'indexCenti'],
  ['rank', 'rank'],
  ['classification', 'classification'],
  ['group_code', 'groupCode'],
] as const;

/** Recomputes the published pass from the state the chain held when it was aggregated, with the domain's scoring. */
function checkResults(bundle: VerificationBundle, definition: CampaignDefinition): Problem | null {
  const publishedSeq = bundle.chain.published_seq ?? bundle.chain.head_seq;
  const upToPublication = bundle.events.filter((event) => event.seq <= publishedSeq);
  // The pass was computed just before its results_aggregated event; nothing later before publication changes marks.
  let aggregated = upToPublication.length;
  for (let i = 0; i < upToPublication.length; i += 1) if (upToPublication[i]!.action === 'results_aggregated') aggregated = i + 1;
  const state = deriveState(upToPublication.slice(0, aggregated));
  const marksOf = new Map<string, StoredMark[]>();
  for (const { unit, mark } of state.marks.values()) marksOf.set(unit, [...(marksOf.get(unit) ?? []), mark]);

  const units: AggregationInput['units'] = definition.units.map((unit) => {
    const group = definition.framework.groups[unit.group];
    const built = group === undefined ? null : buildUnitSheet(group, marksOf.get(unit.code) ?? []);
    return { code: unit.code, nameVi: unit.name_vi, groupCode: unit.group, flags: state.flags.get(unit.code) ?? [], assessed: built?.assessed ?? null, sheetVersion: built ? 1 : null };
  });
  const pass = bundle.results[0]?.pass ?? 1;
  const computed = computeResultRows(
    { definition, units, surveyPoints: [...state.survey].map(([unitCode, pointsCenti]) => ({ unitCode, pointsCenti })) },
    bundle.campaign_id,
    pass,
    new Date(0),
  );
  if (!computed.ok) {
    const first = computed.errors[0]!;
    return resultProblem(first.unitCode, 'scores', first.message_en, null);
  }
  const published = new Map(bundle.results.map((row) => [row.unit_code, row]));
  for (const row of computed.value) {
    const stored = published.get(row.unitCode);
    if (stored === undefined) return resultProblem(row.unitCode, 'unit', row.unitCode, null);
    const sheetProblem = checkSheet(stored, marksOf.get(row.unitCode) ?? []);
    if (sheetProblem !== null) return sheetProblem;
    for (const [field, key] of FIGURES) {
      if (!same(row[key], stored[field])) return resultProblem(row.unitCode, field, row[key], stored[field]);
    }
    if (!same([...row.flags].sort(), [...stored.flags].sort())) return resultProblem(row.unitCode, 'flags', row.flags, stored.flags);
    if (stored.pass !== pass) return resultProblem(row.unitCode, 'pass', pass, stored.pass);
    published.delete(row.unitCode);
  }
  for (const unit of published.keys()) return resultProblem(unit, 'unit', null, unit);
  return null;
}

/** The whole verification of a published campaign. */
export function verifyBundle(bundle: VerificationBundle): Verdict {
  const { chain } = bundle;
  const failed = (problem: Problem): Verdict => ({ ok: false, head_seq: chain.head_seq, head_hash: chain.head_hash, problem });
  if (chain.published_digest === null || chain.published_seq === null || bundle.results.length === 0) {
    return failed({ kind: 'not_published', message_vi: 'Kết quả của đợt đánh giá này chưa được công bố', message_en: 'The results of this campaign are not published' });
  }
  const problem =
    checkChain(bundle) ??
    (() => {
      const state = deriveState(bundle.events);
      return checkScoreEntries(state, bundle.score_entries) ?? checkSurveyPoints(state, bundle.survey_points);
    })() ??
    // The definition's hash held (checkChain), so it is the definition the campaign started with, validated then.
    checkResults(bundle, bundle.definition as CampaignDefinition);
  if (problem !== null) return failed(problem);

  const link = bundle.events.find((event) => event.seq === chain.published_seq);
  const digest = resultsDigest({ genesis_hash: chain.genesis_hash, seq: chain.published_seq, link_hash: link?.hash ?? '', results: bundle.results });
  if (digest !== chain.published_digest) {
    return failed({
      kind: 'digest_mismatch',
      expected: digest,
      found: chain.published_digest,
      message_vi: `Mã kiểm chứng đã lưu (${shortCode(chain.published_digest)}) không khớp với mã tính lại (${shortCode(digest)})`,
      message_en: `The stored verification code (${shortCode(chain.published_digest)}) does not match the recomputed one (${shortCode(digest)})`,
    });
  }
  return { ok: true, head_seq: chain.head_seq, head_hash: chain.head_hash, digest, short_code: shortCode(digest) };
}
