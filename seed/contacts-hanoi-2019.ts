import type { ContactInput } from '../domain/reminders';
import hanoi from './hanoi-2019.json';

/**
 * Demo contacts for the Hanoi 2019 units: a head and a staff contact
 * per unit, and two Sở Nội vụ coordinators. The names are invented and every
 * address is under example.gov.vn (reserved-style, never delivered): point
 * SMTP_HOST at a local sink to watch the reminders arrive.
 */
export function hanoi2019Contacts(): (ContactInput & { unitCode: string })[] {
  const contacts: (ContactInput & { unitCode: string })[] = [];
  for (const unit of hanoi.units) {
    const mailbox = unit.code.toLowerCase().replace(/_/g, '-');
    contacts.push(
      { unitCode: unit.code, role: 'head', name: `Thủ trưởng ${unit.name_vi}`, email: `thutruong.${mailbox}@example.gov.vn` },
      { unitCode: unit.code, role: 'staff', name: `Cán bộ đầu mối CCHC ${unit.name_vi}`, email: `cchc.${mailbox}@example.gov.vn` },
    );
  }
  contacts.push(
    { unitCode: 'SNV', role: 'coordinator', name: 'Phòng Cải cách hành chính, Sở Nội vụ', email: 'phong.cchc.snv@example.gov.vn' },
    { unitCode: 'SNV', role: 'coordinator', name: 'Chuyên viên theo dõi Chỉ số CCHC', email: 'chiso.cchc.snv@example.gov.vn' },
  );
  return contacts;
}
