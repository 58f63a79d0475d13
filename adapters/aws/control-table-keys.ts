/**
 * The control table's key layout, shared by its adapters and by the stack that creates it: one home,
 * so the index the watcher queries is the index the table has.
 */
export const PENDING_INDEX = 'pending';
