import { describe, expect, it } from 'vitest';
import { actorLabel, actorLabelVi, actorUsername } from '../../../domain/actor-label';

describe('actor labels read back in Vietnamese for the event log', () => {
  it('names the role, the unit it speaks for and the login', () => {
    expect(actorLabelVi(actorLabel({ id: 'vp.thamdinh', role: 'contributor', unitCode: 'VP' }))).toBe('Cơ quan thẩm định VP (vp.thamdinh)');
    expect(actorLabelVi(actorLabel({ id: 'hoidong.thanhvien', role: 'council' }))).toBe('Hội đồng thẩm định (hoidong.thanhvien)');
  });

  it('reads the bare role and the system the workflows record, and leaves anything else as it is', () => {
    expect(actorLabelVi('council')).toBe('Hội đồng thẩm định');
    expect(actorLabelVi('system')).toBe('Hệ thống');
    expect(actorLabelVi('importer:SNV/batch')).toBe('importer:SNV/batch');
    expect(actorLabelVi('toString')).toBe('toString');
  });

  it('finds the account in a label, and none in the system’s or a bare role', () => {
    expect(actorUsername(actorLabel({ id: 'sxd.thamdinh', role: 'contributor', unitCode: 'SXD' }))).toBe('sxd.thamdinh');
    expect(actorUsername(actorLabel({ id: 'hoidong.thanhvien', role: 'council' }))).toBe('hoidong.thanhvien');
    expect(actorUsername('system')).toBeNull();
    expect(actorUsername('council')).toBeNull();
    expect(actorUsername('admin:SNV/')).toBeNull();
  });
});
