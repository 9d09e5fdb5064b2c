// Generated datasets for the proposals benchmark: loans, transactions and customers, each as a clean table and a
// copy with defects planted on rows of their own, one set of rows per kind, so each kind is counted on its own.
// Deterministic (a seeded generator); every date of the clean data lies before `today`.

export type Value = string | number | null;
export type Row = Record<string, Value>;

export interface Dataset {
  name: string;
  /** Column name → PostgreSQL type, in table order. */
  columns: Record<string, string>;
  clean: Row[];
  dirty: Row[];
  /** Defect kind → the row numbers (index into the rows) it was planted on. */
  planted: Map<string, number[]>;
}

/** mulberry32: a small seeded generator, so every run plants the same defects on the same rows. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    normal,
    logNormal: (median: number, sigma: number) => median * Math.exp(sigma * normal()),
    pick: <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!,
    weighted: <T>(values: ReadonlyArray<readonly [T, number]>) => {
      let r = next() * values.reduce((n, [, w]) => n + w, 0);
      for (const [v, w] of values) if ((r -= w) < 0) return v;
      return values[values.length - 1]![0];
    },
  };
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const money = (n: number) => Math.round(n * 100) / 100;

/** Plants defects: each kind takes `count` rows not taken by another kind and changes them. */
function planter(rows: Row[], seed: number) {
  const random = generator(seed);
  const taken = new Set<number>();
  const planted = new Map<string, number[]>();
  const dirty = rows.map((r) => ({ ...r }));
  return {
    dirty,
    planted,
    plant(kind: string, count: number, change: (row: Row, index: number, nth: number) => void) {
      const chosen: number[] = [];
      while (chosen.length < count) {
        const i = random.int(0, rows.length - 1);
        if (taken.has(i)) continue;
        taken.add(i);
        chosen.push(i);
      }
      chosen.forEach((i, nth) => change(dirty[i]!, i, nth));
      planted.set(kind, chosen);
    },
    /** A row no defect touches (for duplicate keys: the row whose key is copied). */
    untouched() {
      for (;;) {
        const i = random.int(0, rows.length - 1);
        if (!taken.has(i)) {
          taken.add(i);
          return i;
        }
      }
    },
  };
}

export function loans(today: string, rows = 12_000): Dataset {
  const r = generator(1);
  const end = Date.parse(today) - 30 * DAY;
  const start = Date.parse("2010-01-01");
  const clean: Row[] = [];
  for (let i = 0; i < rows; i++) {
    const term = r.pick([12, 24, 36, 60, 120, 180, 240, 300, 360]);
    const origination = start + Math.floor(r.next() * ((end - start) / DAY)) * DAY;
    const balance = money(r.logNormal(150_000, 0.9));
    clean.push({
      loan_id: `LN${String(100_000 + i)}`,
      customer_id: `CU${String(10_000 + r.int(0, 3_999))}`,
      balance,
      original_amount: money(balance * (1 + r.next() * 0.6)),
      interest_rate: Math.round((1.5 + r.next() * 6 + Math.abs(r.normal())) * 1000) / 1000,
      origination_date: isoDay(origination),
      maturity_date: isoDay(origination + Math.round(term * 30.44) * DAY),
      term_months: term,
      currency: r.weighted([
        ["USD", 60],
        ["EUR", 20],
        ["GBP", 10],
        ["CHF", 5],
        ["JPY", 3],
        ["CAD", 2],
      ] as const),
      country: r.weighted([
        ["US", 55],
        ["DE", 12],
        ["GB", 10],
        ["FR", 8],
        ["CH", 5],
        ["JP", 4],
        ["CA", 3],
        ["NL", 3],
      ] as const),
      collateral_type: r.pick(["Residential", "Commercial", "Vehicle", "Cash", "Securities"]),
      status: r.weighted([
        ["ACTIVE", 80],
        ["CLOSED", 12],
        ["DEFAULTED", 3],
        ["RESTRUCTURED", 5],
      ] as const),
    });
  }
  const p = planter(clean, 101);
  p.plant("null in a mandatory column (customer_id)", 12, (row) => (row.customer_id = null));
  p.plant("duplicate key (loan_id)", 5, (row) => (row.loan_id = clean[p.untouched()]!.loan_id ?? null));
  p.plant("negative balance", 8, (row) => (row.balance = -Math.abs(row.balance as number)));
  p.plant("interest rate of 175%", 5, (row) => (row.interest_rate = 175));
  p.plant("origination date in the future", 6, (row) => {
    row.origination_date = "2031-03-15";
    row.maturity_date = "2041-03-15";
  });
  p.plant("maturity before origination", 7, (row) => {
    row.maturity_date = isoDay(Date.parse(row.origination_date as string) - 400 * DAY);
  });
  p.plant("invalid currency code", 9, (row, _i, n) => (row.currency = ["EURO", "US$", "usd"][n % 3]!));
  p.plant("missing collateral type", 15, (row) => (row.collateral_type = null));
  p.plant("balance outlier (misplaced decimals)", 4, (row) => (row.balance = money((row.balance as number) * 1e5)));
  p.plant("status typo", 6, (row, _i, n) => (row.status = ["Actve", "ACTIVE "][n % 2]!));
  p.plant("invalid country code", 8, (row, _i, n) => (row.country = ["UK", "XX"][n % 2]!));
  return {
    name: "loans",
    columns: {
      loan_id: "text",
      customer_id: "text",
      balance: "numeric(18,2)",
      original_amount: "numeric(18,2)",
      interest_rate: "numeric(9,3)",
      origination_date: "date",
      maturity_date: "date",
      term_months: "integer",
      currency: "text",
      country: "text",
      collateral_type: "text",
      status: "text",
    },
    clean,
    dirty: p.dirty,
    planted: p.planted,
  };
}

const COUNTRIES = ["DE", "FR", "NL", "BE", "ES", "IT", "AT", "PL", "SE", "DK", "IE", "PT", "US", "GB", "CH", "CN"];

export function transactions(today: string, rows = 20_000): Dataset {
  const r = generator(2);
  const end = Date.parse(today) - 16 * DAY;
  const start = Date.parse("2025-01-01");
  const clean: Row[] = [];
  for (let i = 0; i < rows; i++) {
    const booking = start + Math.floor(r.next() * ((end - start) / DAY)) * DAY;
    const magnitude = money(r.logNormal(120, 1.2)) || 0.01;
    clean.push({
      txn_id: `TX${String(10_000_000 + i * 7)}`,
      account_id: `AC${String(r.int(1_000, 3_999))}`,
      booking_date: isoDay(booking),
      value_date: isoDay(booking + r.int(0, 3) * DAY),
      amount: r.next() < 0.45 ? -magnitude : magnitude,
      fee: r.next() < 0.7 ? 0 : money(0.5 + r.next() * 24.5),
      currency: r.weighted([
        ["EUR", 50],
        ["USD", 30],
        ["GBP", 15],
        ["CHF", 5],
      ] as const),
      counterparty_country: r.pick(COUNTRIES),
      channel: r.pick(["ATM", "CARD", "ONLINE", "BRANCH", "TRANSFER"]),
      merchant_name: `Merchant ${r.int(1, 900)}`,
    });
  }
  const p = planter(clean, 202);
  p.plant("null in a mandatory column (account_id)", 10, (row) => (row.account_id = null));
  p.plant("duplicate key (txn_id)", 6, (row) => (row.txn_id = clean[p.untouched()]!.txn_id ?? null));
  p.plant("negative fee", 7, (row, _i, n) => (row.fee = -(2.5 + n)));
  p.plant("booking date in the future", 5, (row) => {
    row.booking_date = "2027-06-01";
    row.value_date = "2027-06-02";
  });
  p.plant("invalid currency code", 8, (row, _i, n) => (row.currency = ["US$", "Euro"][n % 2]!));
  p.plant("invalid country code", 9, (row, _i, n) => (row.counterparty_country = ["ZZ", "EU", "UK"][n % 3]!));
  p.plant("channel typo", 6, (row, _i, n) => (row.channel = ["Online", "ATM "][n % 2]!));
  p.plant("amount outlier", 4, (row) => (row.amount = 9_900_000_000));
  p.plant("blank merchant name", 8, (row) => (row.merchant_name = "  "));
  return {
    name: "transactions",
    columns: {
      txn_id: "text",
      account_id: "text",
      booking_date: "date",
      value_date: "date",
      amount: "numeric(18,2)",
      fee: "numeric(12,2)",
      currency: "text",
      counterparty_country: "text",
      channel: "text",
      merchant_name: "text",
    },
    clean,
    dirty: p.dirty,
    planted: p.planted,
  };
}

export function customers(today: string, rows = 10_000): Dataset {
  const r = generator(3);
  const end = Date.parse(today) - 10 * DAY;
  const clean: Row[] = [];
  const surnames = ["Smith", "Müller", "Rossi", "Martin", "Novak", "Jansen", "García", "Kowalski", "Dubois", "Berg"];
  for (let i = 0; i < rows; i++) {
    const opened = Date.parse("2005-01-01") + Math.floor(r.next() * ((end - Date.parse("2005-01-01")) / DAY)) * DAY;
    const closed = r.next() < 0.2 ? Math.min(end, opened + r.int(30, 3_000) * DAY) : null;
    clean.push({
      customer_id: `CU${String(500_000 + i)}`,
      last_name: `${r.pick(surnames)}${r.int(1, 99)}`,
      birth_date: isoDay(Date.parse("1940-01-01") + r.int(0, 60 * 365) * DAY),
      country_of_residence: r.pick(COUNTRIES),
      opened_date: isoDay(opened),
      closed_date: closed === null ? null : isoDay(closed),
      credit_limit: money(r.logNormal(5_000, 0.8)),
      utilisation_rate: Math.round(r.next() * 95 * 10) / 10,
      risk_rating: r.weighted([
        [1, 15],
        [2, 30],
        [3, 30],
        [4, 20],
        [5, 5],
      ] as const),
      segment: r.pick(["RETAIL", "SME", "CORPORATE", "PRIVATE"]),
      base_currency: r.weighted([
        ["EUR", 70],
        ["USD", 20],
        ["GBP", 10],
      ] as const),
    });
  }
  const p = planter(clean, 303);
  p.plant("duplicate key (customer_id)", 5, (row) => (row.customer_id = clean[p.untouched()]!.customer_id ?? null));
  p.plant("blank mandatory name", 6, (row) => (row.last_name = ""));
  p.plant("birth date in the future", 5, (row) => (row.birth_date = "2030-02-02"));
  p.plant("invalid country code", 7, (row, _i, n) => (row.country_of_residence = ["XX", "UK"][n % 2]!));
  p.plant("closed before opened", 6, (row) => {
    row.closed_date = isoDay(Date.parse(row.opened_date as string) - 90 * DAY);
  });
  p.plant("negative credit limit", 5, (row) => (row.credit_limit = -(row.credit_limit as number)));
  p.plant("utilisation of 250%", 5, (row) => (row.utilisation_rate = 250));
  p.plant("risk rating outside the scale", 6, (row) => (row.risk_rating = 9));
  p.plant("missing segment", 10, (row) => (row.segment = null));
  p.plant("invalid currency code", 6, (row) => (row.base_currency = "EURO"));
  return {
    name: "customers",
    columns: {
      customer_id: "text",
      last_name: "text",
      birth_date: "date",
      country_of_residence: "text",
      opened_date: "date",
      closed_date: "date",
      credit_limit: "numeric(14,2)",
      utilisation_rate: "numeric(6,1)",
      risk_rating: "integer",
      segment: "text",
      base_currency: "text",
    },
    clean,
    dirty: p.dirty,
    planted: p.planted,
  };
}
