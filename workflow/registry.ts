import { awaitHumanStep } from './steps/await-human';
import { startBakeStep, watchBakesStep } from './steps/bake';
import {
  checkCaughtUpStep,
  checkLagStep,
  freezeWritesStep,
  switchDatabaseStep,
  syncSequencesStep,
} from './steps/database';
import { checkDeployStep, startDeployStep } from './steps/deploy';
import { finalizeStep } from './steps/finalize';
import { acquireLockStep, releaseLockStep } from './steps/lock';
import { preflightStep } from './steps/preflight';
import { recordOutcomeStep } from './steps/record-outcome';
import { restoreStep, rollbackStep } from './steps/rollback';
import { checkInSyncStep, setWeightsStep } from './steps/shift';
import { validatePlanStep } from './steps/validate-plan';
import { recheckDataStep, verifyDataStep } from './steps/verify-data';

/** Every step, by the name its Lambda function carries (CUTOVER_STEP) and the local runner routes on. */
export const STEPS = {
  'validate-plan': validatePlanStep,
  'acquire-lock': acquireLockStep,
  preflight: preflightStep,
  'start-deploy': startDeployStep,
  'check-deploy': checkDeployStep,
  'set-weights': setWeightsStep,
  'check-in-sync': checkInSyncStep,
  'start-bake': startBakeStep,
  'watch-bakes': watchBakesStep,
  'await-human': awaitHumanStep,
  'check-lag': checkLagStep,
  'verify-data': verifyDataStep,
  'freeze-writes': freezeWritesStep,
  'check-caught-up': checkCaughtUpStep,
  'sync-sequences': syncSequencesStep,
  'recheck-data': recheckDataStep,
  'switch-database': switchDatabaseStep,
  rollback: rollbackStep,
  restore: restoreStep,
  'record-outcome': recordOutcomeStep,
  'release-lock': releaseLockStep,
  finalize: finalizeStep,
} as const;

export type StepName = keyof typeof STEPS;
export const STEP_NAMES = Object.keys(STEPS) as StepName[];
