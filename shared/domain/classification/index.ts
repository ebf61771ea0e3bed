export {
  classifyLead,
  diffClassification,
  type ClassificationDiff,
  type ClassifyLeadInput,
  type LeadForClassification,
  type StageChange,
} from './classify-lead';
export { defaultScoringConfig, parseScoringConfig, scoringConfigSchema, type ScoringConfig } from './scoring-config';
export { nextDecayAt } from './next-decay';
