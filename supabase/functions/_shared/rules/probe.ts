// Reads a source table for the offline provider's proposals: the distributions of some columns (percentiles,
// negatives, blanks, future dates, frequent values, a sample of values) and the failing rows of candidate rules,
// which run exactly as approved rules do (compiled by compileRules, executed by executePlan). Everything runs in
// read-only transactions prepared like rule execution's (role, timeout, empty search_path).
import type postgres from "postgres";
import type { ColumnDistribution, DataProbe, TableRef } from "../llm/types.ts";
import { type ColumnInfo, typeCategory } from "./columns.ts";
import { compileRules } from "./compile.ts";
import { executePlan, loadColumns, loadStatistics, prepareTransaction } from "./execute.ts";
import { quoteIdent, quoteTable } from "./sql-text.ts";
import { transaction } from "../transaction.ts";

export interface TableProbeOptions {
  schema: string;
  table: string;
  /** The role the statements run as (rule_executor on the project database; null: the connection's own). */
  role?: string | null;
  /** The rule-execution token that lets rule_executor read an upload (sources/connect.ts). */
  executionToken?: string | null;
  statementTimeoutMs?: number;
}

const MAX_FREQUENT = 50;
const SAMPLE_VALUES = 200;

/** One table's probe. */
export interface TableProbe {
  distributions(columns: string[], today: string): Promise<Map<string, ColumnDistribution>>;
  failures(definitions: unknown[]): Promise<Array<number | null>>;
}

export function tableProbe(db: postgres.Sql, options: TableProbeOptions): TableProbe {
  const { schema, table } = options;
  const role = options.role === undefined ? "rule_executor" : options.role;
  const statementTimeoutMs = options.statementTimeoutMs ?? 60_000;
  let columns: Promise<ColumnInfo[]> | undefined;
  const tableColumns = () => (columns ??= loadColumns(db, schema, table));
  const readOnly = <T>(body: (tx: postgres.TransactionSql) => Promise<T>) =>
    transaction(
      db,
      async (tx) => {
        await prepareTransaction(tx, { role, statementTimeoutMs, executionToken: options.executionToken });
        return await body(tx);
      },
      "read only",
    );

  return {
    async distributions(names, today) {
      const known = new Map((await tableColumns()).map((c) => [c.name, c]));
      const wanted = names.flatMap((n) => known.get(n) ?? []);
      const target = quoteTable(schema, table);
      const result = new Map<string, ColumnDistribution>();
      if (wanted.length === 0) return result;
      return await readOnly(async (tx) => {
        const measures = wanted.map((c, i) => {
          const q = quoteIdent(c.name);
          const category = typeCategory(c.type);
          const parts = [
            `count(${q})`,
            "null::bigint",
            "null::bigint",
            "null::float8[]",
            "null::bigint",
            "count(distinct " + q + ")",
          ];
          if (category === "text")
            parts[1] = `count(*) filter (where btrim(${q}, ' ' || chr(9) || chr(10) || chr(13)) = '')`;
          if (category === "integer" || category === "numeric") {
            parts[2] = `count(*) filter (where ${q} < 0)`;
            parts[3] =
              `percentile_cont(array[0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]) within group (order by ${q}::float8)` +
              ` || percentile_cont(array[0.5, 0.99]) within group (order by abs(${q}::float8))`;
          }
          if (category === "date" || category === "timestamp")
            parts[4] = `count(*) filter (where ${q}::date > $1::date)`;
          return `jsonb_build_array(${parts.join(", ")}) as m${i}`;
        });
        const [row] = await tx.unsafe(
          `select count(*)::bigint as rows, $1::date as today, ${measures.join(", ")} from ${target}`,
          [today],
          {
            prepare: false,
          },
        );
        const rows = Number(row!.rows);
        for (const [i, c] of wanted.entries()) {
          const [nonNull, blanks, negatives, percentiles, future, distinct] = row![`m${i}`] as [
            number,
            number | null,
            number | null,
            number[] | null,
            number | null,
            number,
          ];
          const d: ColumnDistribution = { rows, nulls: rows - nonNull };
          if (blanks !== null) d.blanks = blanks;
          if (negatives !== null) d.negatives = negatives;
          if (percentiles && percentiles.every((p) => typeof p === "number")) {
            const [p1, p5, p25, p50, p75, p95, p99, m50, m99] = percentiles as [
              number,
              number,
              number,
              number,
              number,
              number,
              number,
              number,
              number,
            ];
            d.percentiles = { p1, p5, p25, p50, p75, p95, p99 };
            d.magnitudes = { p50: m50, p99: m99 };
          }
          if (future !== null) d.future = future;
          const q = quoteIdent(c.name);
          const category = typeCategory(c.type);
          if (distinct <= MAX_FREQUENT && category !== "other") {
            const frequent = await tx.unsafe(
              `select ${q}::text as value, count(*)::bigint as rows from ${target} where ${q} is not null
                group by ${q} order by count(*) desc, ${q}::text limit ${MAX_FREQUENT}`,
              [],
              { prepare: false },
            );
            d.frequent = frequent.map((f) => ({ value: String(f.value), rows: Number(f.rows) }));
          }
          if (category === "text") {
            const sample = await tx.unsafe(
              `select distinct left(${q}, 100) as value from (select ${q} from ${target} where ${q} is not null
                limit ${SAMPLE_VALUES * 50}) as s limit ${SAMPLE_VALUES}`,
              [],
              { prepare: false },
            );
            d.sample = sample.map((s) => String(s.value));
          }
          result.set(c.name, d);
        }
        return result;
      });
    },

    async failures(definitions) {
      const cols = await tableColumns();
      const rules = definitions.map((definition, i) => ({ id: `candidate_${i}`, definition }));
      const statistics = await loadStatistics(db, schema, table).catch(() => undefined);
      const plan = compileRules(rules, { schema, table, columns: cols, statistics, sampleSize: 0 });
      const failed = new Map<string, number | null>();
      const results = await executePlan(db, plan, { role, statementTimeoutMs, executionToken: options.executionToken });
      for (const r of results) failed.set(r.ruleId, r.status === "completed" ? (r.failed ?? 0) : null);
      return rules.map((r) => failed.get(r.id) ?? null);
    },
  };
}

/** A DataProbe over the tables of a batch: `open` gives each source table's probe (undefined: not readable). */
export function dataProbe(open: (table: TableRef) => Promise<TableProbe | undefined>): DataProbe {
  const probes = new Map<string, Promise<TableProbe | undefined>>();
  const probeOf = (ref: TableRef) => {
    const key = `${ref.dataSource}\u0000${ref.table}`;
    if (!probes.has(key)) probes.set(key, open(ref));
    return probes.get(key)!;
  };
  return {
    async distributions(ref, columns, today) {
      const probe = await probeOf(ref);
      return probe ? await probe.distributions(columns, today) : undefined;
    },
    async failures(ref, definitions) {
      const probe = await probeOf(ref);
      return probe ? await probe.failures(definitions) : undefined;
    },
  };
}
