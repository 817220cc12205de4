import { writeFile } from 'node:fs/promises';
import { writeOnboardingWorkbook } from '../formats/onboarding-workbook';
import { onboardingContent } from '../seed/hanoi-2025';

/**
 * `npm run seed:province-workbook [file]`: the second demo province (Hanoi after
 * 1-7-2025, seed/README.md) as an onboarding workbook, to import with
 * `POST /onboarding/import` as a real province's would be.
 */
const file = process.argv[2] ?? 'hanoi-2025-onboarding.xlsx';
const content = onboardingContent();
await writeFile(file, await writeOnboardingWorkbook(content));
process.stdout.write(`${file}: ${content.organisations.length} tổ chức, ${content.units.length} đơn vị, ${content.accounts.length} tài khoản\n`);
