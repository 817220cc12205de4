export { createFrameworkTemplate, exportFrameworkWorkbook } from './framework-workbook';
export { importFrameworkWorkbook } from './framework-import';
export type { WorkbookImport, WorkbookIssue } from './framework-import';
export { COLUMNS as FRAMEWORK_COLUMNS, SHEET as FRAMEWORK_SHEETS } from './framework-layout';
export { exportResultsWorkbook, resultsTableRows, RESULTS_HEADERS } from './results-workbook';
export type { ResultsGroup, ResultsTableRow } from './results-workbook';
