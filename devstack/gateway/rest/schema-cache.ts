import type { Sql } from "postgres";

export interface Column {
  name: string;
  /** Type name without modifiers, as `format_type` spells it; used to cast bound values. */
  type: string;
  nullable: boolean;
  /** Default expression from the catalog, or null. */
  default: string | null;
}

export interface Table {
  name: string;
  columns: Map<string, Column>;
  primaryKey: string[];
  /** Column sets that are unique (primary key and unique constraints). */
  uniqueKeys: string[][];
}

export interface ForeignKey {
  name: string;
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
}

export interface RoutineParam {
  name: string;
  type: string;
  hasDefault: boolean;
}

export interface Routine {
  name: string;
  params: RoutineParam[];
  returnType: string;
  returnsSet: boolean;
  returnsVoid: boolean;
  volatility: "i" | "s" | "v";
  /** Columns of a composite result (a table row type, OUT/TABLE params); null for scalar results. */
  returnColumns: Column[] | null;
}

export interface SchemaCache {
  schema: string;
  tables: Map<string, Table>;
  foreignKeys: ForeignKey[];
  routines: Map<string, Routine[]>;
}

/** Reads the exposed schema's tables, views, keys and functions from pg_catalog, as PostgREST's schema cache does. */
export async function loadSchemaCache(sql: Sql, schema: string): Promise<SchemaCache> {
  // One snapshot for all three reads, so tables, keys and functions always describe the same moment.
  const [tableRows, constraintRows, routineRows] = await sql.begin("isolation level repeatable read read only", (sql) =>
    Promise.all([
      sql<{ name: string; columns: Column[] | null }[]>`
      select c.relname as name,
        (select json_agg(json_build_object(
            'name', a.attname,
            'type', format_type(a.atttypid, null),
            'nullable', not a.attnotnull,
            -- As PostgREST's schema cache: an identity column defaults to its sequence, a domain to its default.
            'default', case
              when a.attidentity = 'd' then format('nextval(%L)', pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname))
              when a.attgenerated = 's' then null
              when d.adbin is null and ty.typbasetype <> 0 then pg_get_expr(ty.typdefaultbin, 0)
              else pg_get_expr(d.adbin, d.adrelid)
            end) order by a.attnum)
          from pg_attribute a
          join pg_type ty on ty.oid = a.atttypid
          left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
          where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${schema} and c.relkind in ('r', 'v', 'm', 'f', 'p')`,
      sql<
        {
          name: string;
          type: string;
          table: string;
          columns: string[];
          ref_table: string | null;
          ref_schema: string | null;
          ref_columns: string[];
        }[]
      >`
      select con.conname as name, con.contype::text as type, cl.relname as table,
        to_json(array(select a.attname::text from unnest(con.conkey) with ordinality k(num, ord)
              join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.num order by k.ord)) as columns,
        fcl.relname as ref_table, fns.nspname as ref_schema,
        to_json(array(select a.attname::text from unnest(con.confkey) with ordinality k(num, ord)
              join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.num order by k.ord)) as ref_columns
      from pg_constraint con
      join pg_class cl on cl.oid = con.conrelid
      join pg_namespace n on n.oid = cl.relnamespace
      left join pg_class fcl on fcl.oid = con.confrelid
      left join pg_namespace fns on fns.oid = fcl.relnamespace
      where n.nspname = ${schema} and con.contype in ('p', 'u', 'f')
      order by con.conname`,
      sql<
        {
          name: string;
          volatility: "i" | "s" | "v";
          returns_set: boolean;
          returns_void: boolean;
          return_type: string;
          n_defaults: number;
          args: { name: string; type: string; mode: string }[] | null;
          rel_columns: Column[] | null;
        }[]
      >`
      select p.proname as name, p.provolatile::text as volatility, p.proretset as returns_set,
        p.prorettype = 'void'::regtype as returns_void,
        format_type(p.prorettype, null) as return_type,
        p.pronargdefaults as n_defaults,
        (select json_agg(json_build_object('name', coalesce(x.name, ''), 'type', format_type(x.type, null), 'mode', x.mode) order by x.ord)
           from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]),
                       coalesce(p.proargmodes::text[], array_fill('i'::text, array[p.pronargs::int])),
                       p.proargnames) with ordinality as x(type, mode, name, ord)
           where x.type is not null) as args,
        (select json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, null),
                  'nullable', true, 'default', null) order by a.attnum)
           from pg_attribute a
           where a.attrelid = t.typrelid and t.typrelid <> 0 and a.attnum > 0 and not a.attisdropped) as rel_columns
      from pg_proc p
      join pg_namespace n on n.oid = p.pronamespace
      join pg_type t on t.oid = p.prorettype
      where n.nspname = ${schema} and p.prokind = 'f'`,
    ]),
  );

  const tables = new Map<string, Table>();
  for (const row of tableRows) {
    const columns = new Map((row.columns ?? []).map((c) => [c.name, c]));
    tables.set(row.name, { name: row.name, columns, primaryKey: [], uniqueKeys: [] });
  }
  const foreignKeys: ForeignKey[] = [];
  for (const row of constraintRows) {
    const table = tables.get(row.table);
    if (!table) continue;
    if (row.type === "p") table.primaryKey = row.columns;
    if (row.type === "p" || row.type === "u") table.uniqueKeys.push(row.columns);
    if (row.type === "f" && row.ref_schema === schema && row.ref_table && tables.has(row.ref_table)) {
      foreignKeys.push({
        name: row.name,
        table: row.table,
        columns: row.columns,
        refTable: row.ref_table,
        refColumns: row.ref_columns,
      });
    }
  }

  const routines = new Map<string, Routine[]>();
  for (const row of routineRows) {
    const args = row.args ?? [];
    const inputs = args.filter((a) => a.mode === "i" || a.mode === "b" || a.mode === "v");
    const outputs = args.filter((a) => a.mode === "o" || a.mode === "b" || a.mode === "t");
    const params = inputs.map((a, i) => ({
      name: a.name,
      type: a.type,
      hasDefault: i >= inputs.length - row.n_defaults,
    }));
    let returnColumns: Column[] | null = row.rel_columns;
    if (!returnColumns && outputs.length > 0 && row.return_type === "record") {
      returnColumns = outputs.map((o) => ({ name: o.name, type: o.type, nullable: true, default: null }));
    }
    const routine: Routine = {
      name: row.name,
      params,
      returnType: row.return_type,
      returnsSet: row.returns_set,
      returnsVoid: row.returns_void,
      volatility: row.volatility,
      returnColumns,
    };
    routines.set(row.name, [...(routines.get(row.name) ?? []), routine]);
  }
  return { schema, tables, foreignKeys, routines };
}
