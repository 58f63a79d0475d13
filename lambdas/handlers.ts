/**
 * The Lambda entry points: one export per workflow step, all in one bundle. Each function the stack
 * creates points its handler at one of these (e.g. `handlers.setWeights`).
 */
import { STEPS } from '../workflow/registry';
import { awsPorts } from './aws-ports';
import { stepHandler } from './step-handler';

export const validatePlan = stepHandler(STEPS['validate-plan'], awsPorts);
export const acquireLock = stepHandler(STEPS['acquire-lock'], awsPorts);
export const preflight = stepHandler(STEPS.preflight, awsPorts);
export const startDeploy = stepHandler(STEPS['start-deploy'], awsPorts);
export const checkDeploy = stepHandler(STEPS['check-deploy'], awsPorts);
export const setWeights = stepHandler(STEPS['set-weights'], awsPorts);
export const checkInSync = stepHandler(STEPS['check-in-sync'], awsPorts);
export const startBake = stepHandler(STEPS['start-bake'], awsPorts);
export const watchBakes = stepHandler(STEPS['watch-bakes'], awsPorts);
export const awaitHuman = stepHandler(STEPS['await-human'], awsPorts);
export const checkLag = stepHandler(STEPS['check-lag'], awsPorts);
export const freezeWrites = stepHandler(STEPS['freeze-writes'], awsPorts);
export const checkCaughtUp = stepHandler(STEPS['check-caught-up'], awsPorts);
export const syncSequences = stepHandler(STEPS['sync-sequences'], awsPorts);
export const verifyData = stepHandler(STEPS['verify-data'], awsPorts);
export const switchDatabase = stepHandler(STEPS['switch-database'], awsPorts);
export const rollback = stepHandler(STEPS.rollback, awsPorts);
export const restore = stepHandler(STEPS.restore, awsPorts);
export const recordOutcome = stepHandler(STEPS['record-outcome'], awsPorts);
export const releaseLock = stepHandler(STEPS['release-lock'], awsPorts);
