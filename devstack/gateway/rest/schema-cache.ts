import type { Sql } from "postgres";

export interface Column {
  name: string;
  /** Type name without modifiers, as `format_type` spells it; used to cast bound values. */
  type: string;
  nullable: boolean;
  /** Default expression from the catalog, or null. */
  default: string | null;
  /** A computed field: the function (taking the row) that yields it, instead of a stored column. */
  computedBy?: string;
}

export interface Table {
  /** The exposed schema the table is in. */
  schema: string;
  name: string;
  columns: Map<string, Column>;
  primaryKey: string[];
  /** Column sets that are unique (primary key and unique constraints). */
  uniqueKeys: string[][];
  isView: boolean;
  /** Computed fields: functions of one row of this table returning a scalar, selectable by name. */
  computed: Map<string, Column>;
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
  schema: string;
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

/** A type name as format_type spells it, without the exposed schema's prefix or quotes. */
export function unqualifiedType(schema: string, type: string): string {
  const quoted = `"${schema.replaceAll('"', '""')}".`;
  const bare = type.startsWith(`${schema}.`)
    ? type.slice(schema.length + 1)
    : type.startsWith(quoted)
      ? type.slice(quoted.length)
      : type;
  return /^".*"$/.test(bare) ? bare.slice(1, -1).replaceAll('""', '"') : bare;
}

/** Reads the exposed schema's tables, views, keys and functions from pg_catalog, as PostgREST's schema cache does. */
export async function loadSchemaCache(sql: Sql, schema: string): Promise<SchemaCache> {
  // One snapshot for all three reads, so tables, keys and functions always describe the same moment.
  const [tableRows, constraintRows, routineRows, viewColumnRows] = await sql.begin(
    "isolation level repeatable read read only",
    (sql) =>
      Promise.all([
        sql<{ name: string; is_view: boolean; columns: Column[] | null }[]>`
      select c.relname as name, c.relkind in ('v', 'm') as is_view,
        (select json_agg(json_build_object(
            'name', a.attname,
            'type', format_type(a.atttypid, null),
            'nullable', not a.attnotnull,
            -- As PostgREST's schema cache: an identity column defaults to its sequence, a domain to its default.
            'default', case
              -- The sequence through pg_depend, not by name: a table dropped meanwhile must not fail the load.
              when a.attidentity = 'd' then (
                select format('nextval(%L)', format('%I.%I', sn.nspname, s.relname))
                from pg_depend dep
                join pg_class s on s.oid = dep.objid and s.relkind = 'S'
                join pg_namespace sn on sn.oid = s.relnamespace
                where dep.classid = 'pg_class'::regclass and dep.refobjid = c.oid and dep.refobjsubid = a.attnum
                  and dep.deptype = 'i')
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
        // Each view column that is a plain column of a table, read from the view's query tree as PostgREST does
        // (`resorigtbl`/`resorigcol` of the top-level target list, which comes last in the printed tree).
        sql<{ view: string; column: string; table: string; table_column: string }[]>`
      select v.relname as view, m[2] as column, t.relname as table, a.attname as table_column
      from pg_class v
      join pg_namespace n on n.oid = v.relnamespace
      join pg_rewrite r on r.ev_class = v.oid and r.rulename = '_RETURN'
      cross join lateral (
        select distinct on (x.m[1]) x.m
        from regexp_matches(r.ev_action::text,
          ':resno (\\d+) :resname (\\S+) :ressortgroupref \\d+ :resorigtbl (\\d+) :resorigcol (\\d+) :resjunk false', 'g')
          with ordinality as x(m, ord)
        order by x.m[1], x.ord desc) as origins(m)
      join pg_class t on t.oid = m[3]::oid
      join pg_namespace tn on tn.oid = t.relnamespace and tn.nspname = ${schema}
      join pg_attribute a on a.attrelid = t.oid and a.attnum = m[4]::int2
      where n.nspname = ${schema} and v.relkind in ('v', 'm')
        and exists (select 1 from pg_attribute va where va.attrelid = v.oid and va.attname = m[2])`,
      ]),
  );

  const tables = new Map<string, Table>();
  for (const row of tableRows) {
    const columns = new Map((row.columns ?? []).map((c) => [c.name, c]));
    tables.set(row.name, {
      schema,
      name: row.name,
      columns,
      primaryKey: [],
      uniqueKeys: [],
      isView: row.is_view,
      computed: new Map(),
    });
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

  addViewForeignKeys(foreignKeys, viewColumnRows);

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
      schema,
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
  addComputedFields(schema, tables, routines);
  return { schema, tables, foreignKeys, routines };
}

/**
 * A view that shows a foreign key's columns (or the columns it references) takes part in the relationship, as
 * in PostgREST: the view's columns are traced to their tables' columns.
 */
function addViewForeignKeys(
  foreignKeys: ForeignKey[],
  origins: { view: string; column: string; table: string; table_column: string }[],
): void {
  // For each table, the views showing it: view → (table column → view column).
  const views = new Map<string, Map<string, Map<string, string>>>();
  for (const o of origins) {
    const byView = views.get(o.table) ?? new Map<string, Map<string, string>>();
    const columns = byView.get(o.view) ?? new Map<string, string>();
    if (!columns.has(o.table_column)) columns.set(o.table_column, o.column);
    byView.set(o.view, columns);
    views.set(o.table, byView);
  }
  const through = (table: string, columns: string[]) =>
    [...(views.get(table) ?? [])]
      .filter(([, map]) => columns.every((c) => map.has(c)))
      .map(([view, map]) => ({ name: view, columns: columns.map((c) => map.get(c)!) }));
  const base = [...foreignKeys];
  for (const fk of base) {
    const sources = [{ name: fk.table, columns: fk.columns }, ...through(fk.table, fk.columns)];
    const targets = [{ name: fk.refTable, columns: fk.refColumns }, ...through(fk.refTable, fk.refColumns)];
    for (const source of sources) {
      for (const target of targets) {
        if (source.name === fk.table && target.name === fk.refTable) continue;
        foreignKeys.push({
          name: fk.name,
          table: source.name,
          columns: source.columns,
          refTable: target.name,
          refColumns: target.columns,
        });
      }
    }
  }
}

/** Functions of one table row returning one scalar are that table's computed fields (PostgREST 12). */
function addComputedFields(schema: string, tables: Map<string, Table>, routines: Map<string, Routine[]>): void {
  for (const [name, overloads] of routines) {
    for (const routine of overloads) {
      if (routine.params.length !== 1 || routine.returnColumns || routine.returnsSet || routine.returnsVoid) continue;
      const table = tables.get(unqualifiedType(schema, routine.params[0]!.type));
      if (!table || table.columns.has(name)) continue;
      table.computed.set(name, { name, type: routine.returnType, nullable: true, default: null, computedBy: name });
    }
  }
}
