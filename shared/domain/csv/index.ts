export { CsvSyntaxError, parseCsv, type CsvDelimiter, type CsvRecord } from './parse-csv';
export { CsvTableError, detectDelimiter, readCsvTable, type CsvTable, type CsvTableProblem, type CsvTableRow } from './csv-table';
