export interface PlacedLabel {
  readonly name: string;
  /** Where the phase starts. */
  readonly anchorX: number;
  /** Where its label starts: the anchor, or further right when the lanes are crowded there. */
  readonly x: number;
  /** 0 is the lane nearest the plot. */
  readonly lane: number;
}

/**
 * Places each phase's label at the start of its band, in the first lane where it does not run into the
 * previous label. When every lane is taken there (several short phases in a row), the label moves right
 * to the lane that frees up first, and the caller draws a leader from the band to it.
 */
export function placeLabels(
  labels: readonly { readonly name: string; readonly x: number; readonly width: number }[],
  lanes: number,
  gap = 6,
): PlacedLabel[] {
  const laneEnds: number[] = Array.from({ length: lanes }, () => -Infinity);
  return labels.map((label) => {
    const free = laneEnds.findIndex((end) => end + gap <= label.x);
    const lane = free === -1 ? laneEnds.indexOf(Math.min(...laneEnds)) : free;
    const x = Math.max(label.x, (laneEnds[lane] ?? -Infinity) + gap);
    laneEnds[lane] = x + label.width;
    return { name: label.name, anchorX: label.x, x, lane };
  });
}
