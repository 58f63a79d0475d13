/**
 * Time allowances, in seconds, for the parts of a cutover the plan does not state. `earliest` is a
 * smooth run; `worst` is the bound the state machine enforces with its timeouts.
 */
export const Timing = {
  preflight: { earliest: 10, worst: 60 },
  verifyDeployed: { earliest: 5, worst: 60 },
  deployStackEarliest: 120,
  /** Route 53 reports INSYNC within 60 s (AWS's stated propagation bound). */
  route53InSync: { earliest: 10, worst: 60 },
  /** The plan bounds the worst case with `database.catchUpTimeout`. */
  replicationCatchUpEarliest: 2,
  dataVerification: { earliest: 5, worst: 120 },
  rdsSwitchoverEarliest: 30,
  finalize: { earliest: 5, worst: 30 },
  /** After the switch, how long the workflow waits for an operator to choose roll-forward or restore. */
  operatorDecision: 24 * 3600,
  /** A bake whose watcher falls silent times out this long after its worst-case end, and rolls back. */
  bakeGrace: 300,
  /** The rollback path: weights back to blue, INSYNC, audit, notify, unlock. */
  rollbackWorst: 60 + 30,
} as const;
