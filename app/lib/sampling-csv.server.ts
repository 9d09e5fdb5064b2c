import { csvField } from "./profiling-csv.server";
import { lineageOf, type Reperformance, type Sample, type Selection } from "./sampling.server";

const header = [
  "sample_key",
  "draw_position",
  "stratum",
  "recommendation_source",
  "recommended_by",
  "lineage",
  "carried_from_version",
  "carried_from_decision_id",
  "selection_reason",
  "replaced_by",
  "replacement_reason",
  "status",
  "tester_decision",
  "tester_notes",
  "tester_decided_by",
  "tester_decided_at",
  "owner_decision",
  "owner_notes",
  "owner_decided_by",
  "owner_decided_at",
  "values",
];

/**
 * A version's samples as CSV (RFC 4180, CRLF line ends), one line per sample with its lineage and decisions,
 * after comment lines (#) recording how they were drawn and the latest re-performance, so the file stands on its
 * own as the record an examiner re-performs from.
 */
export function samplesCsv(
  versionNumber: number,
  selection: Selection | null,
  samples: Sample[],
  reperformance: Reperformance | null,
): string {
  const about = [
    `# version ${versionNumber}`,
    ...(selection
      ? [
          `# population ${selection.populationTable} key ${selection.keyColumn} filter ${JSON.stringify(selection.filter)}`,
          `# snapshot rows ${selection.rowCount} amount_sum ${selection.amountSum ?? ""} key_hash ${selection.keyHash} version ${selection.snapshotVersion ?? "regtest-snapshot/1 counted in the draw"}${selection.snapshotComputedAt ? ` counted ${selection.snapshotComputedAt}` : ""}`,
          `# method ${selection.method} parameters ${JSON.stringify(selection.parameters)} size ${selection.sampleSize} (${selection.sizeBasis} ${JSON.stringify(selection.sizeInputs)})`,
          `# seed ${selection.seed} generator ${selection.generatorVersion} run ${selection.run.at ?? ""} by ${selection.run.by ?? ""}`,
        ]
      : ["# no recorded selection"]),
    reperformance
      ? `# re-performed ${reperformance.at ?? ""} by ${reperformance.by ?? ""}: ${reperformance.result.verdict}`
      : "# not re-performed",
  ].map((line) => csvField(line.replace(/[\r\n]/g, " ")));
  const lines = samples.map((s) =>
    [
      s.key,
      s.order,
      s.stratum,
      s.source,
      s.recommendedBy,
      lineageOf(s),
      s.carriedFromVersion,
      s.carriedFromDecisionId,
      s.reason,
      s.replacedByKey,
      s.replacementReason,
      s.status,
      s.testerDecision,
      s.testerNotes,
      s.tester.by,
      s.tester.at,
      s.ownerDecision,
      s.ownerNotes,
      s.owner.by,
      s.owner.at,
      JSON.stringify(s.data),
    ]
      .map(csvField)
      .join(","),
  );
  return [...about, header.join(","), ...lines].join("\r\n") + "\r\n";
}
