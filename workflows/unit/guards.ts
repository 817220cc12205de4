import type { Actor } from '../../domain/actors';
import { ownUnitRefusal } from '../../domain/permissions';
import { UNIT_STAGE_LABEL_VI, type UnitStage } from '../../domain/units';
import { reject } from '../reject';
import type { UnitRun } from './run';

/** Refuses a step the unit must take for itself, from anyone else. */
export function requireOwnUnit(run: UnitRun, actor: Actor): void {
  const { unit } = run;
  if (actor.role !== 'unit' || actor.unitCode !== unit.code) {
    const { vi, en } = ownUnitRefusal(unit.code, unit.name_vi);
    reject('forbidden', vi, en);
  }
}

/** Refuses a step the unit's current stage does not take. */
export function requireStage(run: UnitRun, expected: UnitStage, what: string, whatEn: string): void {
  const { stage } = run.state;
  if (stage !== expected) {
    reject('wrong_stage', `Không thể ${what}: đơn vị đang ở giai đoạn ${UNIT_STAGE_LABEL_VI[stage]}`, `Cannot ${whatEn}: the unit is at ${stage.replaceAll('_', ' ')}`);
  }
}
