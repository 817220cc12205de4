/**
 * A long-layout survey answer file of `rows` rows for a campaign, as the
 * institute would upload it (bench/survey-import.ts writes it to disk, P5 of
 * bench/run.ts streams it to the importer). Each respondent, of one
 * respondent group, rates a few units on every question of the unit's group;
 * the answers are seeded, so a file is the same every time. Not part of the app.
 */
import type { CampaignDefinition } from '../domain/campaign';

const UNITS_PER_RESPONDENT = 5;
/** Mostly A–C, some D, some "no opinion" (X, no weight). */
const ANSWERS = 'AABBBCCDX';
const CHUNK_CHARS = 64 * 1024;

export async function* surveyAnswerCsv(definition: CampaignDefinition, rows: number): AsyncGenerator<string> {
  const questionsOf = new Map(Object.entries(definition.framework.groups).map(([code, group]) => [code, group.survey.questions.map((question) => question.code)]));
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let written = 0;
  let chunk = 'respondent_id,respondent_group,unit_code,question_code,answer\n';
  for (let respondent = 1; written < rows; respondent++) {
    // Both of Hanoi's groups ask these two respondent groups.
    const group = respondent % 3 === 0 ? 'DNDN' : 'HDND';
    for (let k = 0; k < UNITS_PER_RESPONDENT && written < rows; k++) {
      const unit = definition.units[(respondent * 7 + k * 11) % definition.units.length]!;
      for (const question of questionsOf.get(unit.group) ?? []) {
        if (written >= rows) break;
        chunk += `P${respondent},${group},${unit.code},${question},${ANSWERS[Math.floor(next() * ANSWERS.length)]}\n`;
        written++;
      }
    }
    if (chunk.length > CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}
