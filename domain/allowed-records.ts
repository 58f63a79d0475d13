import { normalizeRecordName } from './dns/record-name';

/** The hosted zones and record names one orchestrator may change; everything else is refused. */
export interface AllowedZone {
  readonly hostedZoneId: string;
  readonly recordNames: readonly string[];
}

const ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

/** Reads `cutover:allowedRecords` from CDK context, with errors that say what to fix in cdk.json. */
export function parseAllowedRecords(value: unknown): AllowedZone[] {
  const where = 'cdk.json context "cutover:allowedRecords"';
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error(`${where}: expected a non-empty list of { hostedZoneId, recordNames }`);
  }
  return value.map((zone: unknown, i) => {
    const { hostedZoneId, recordNames } = (zone ?? {}) as Record<string, unknown>;
    if (typeof hostedZoneId !== 'string' || !ZONE_ID.test(hostedZoneId)) {
      throw new Error(
        `${where}[${i}].hostedZoneId: expected a Route 53 hosted zone id, got ${JSON.stringify(hostedZoneId)}`,
      );
    }
    if (
      !Array.isArray(recordNames) ||
      recordNames.length === 0 ||
      !recordNames.every((n) => typeof n === 'string' && n.length > 0)
    ) {
      throw new Error(`${where}[${i}].recordNames: expected a non-empty list of record names`);
    }
    return { hostedZoneId, recordNames: recordNames.map(normalizeRecordName) };
  });
}
