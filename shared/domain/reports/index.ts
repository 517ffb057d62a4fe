/** Statistics and reports (DESIGN §8): periods, report facts, figures, the report. docs/reports.md. */
export * from './period';
export * from './settings';
export * from './facts';
export * from './figures';
export * from './report';
export * from './drill';
