export {
  defaultNurtureConfig,
  nurtureConfigSchema,
  nurtureStepSchema,
  nurtureTrackSchema,
  parseNurtureConfig,
} from './nurture-config';
export type { NurtureConfig, NurtureStep } from './nurture-config';
export { enterTrack, markSent, nextDueAt, planNurture, recycleResumeAt, skipStep } from './plan-nurture';
export type { LeadForNurture, NurturePlan, NurtureState } from './plan-nurture';
