/**
 * @module storage/backtestRuns
 * Recorded backtests, the evidence the LIVE gate reads: a strategy may trade a symbol
 * for real only if its latest recorded backtest passes the seed's KPI gates (≥ 500 trades, ≥ 2
 * years, win rate ≥ 55 %, profit factor ≥ 1.4, max drawdown < 15 %, Sharpe > 1.0 for seed 1).
 * Each row keeps the parameters, the metrics and both seed profiles' gates with their numbers;
 * `gatesPassed` is the verdict of `gatesProfile` (seed1 unless the recorder chose another).
 *
 * Names are canonical so the pipeline and the backtester meet: strategies snake_case
 * ('vwap-mean-reversion' → 'vwap_mean_reversion'), symbols 'BASE/QUOTE' (normalizeSymbol:
 * 'BINANCE:BTCUSDT' → 'BTC/USDT'). "Latest" is the newest `createdAt` (then the highest id).
 */
import type { Kysely } from 'kysely';
import { normalizeSymbol } from '../core/intake/normalizeSymbol.js';
import type { KpiProfile } from '../core/gates/kpiGates.js';
import type { BacktestJson, GatesJson } from '../report/backtestJson.js';
import { insertedId } from './insertOnce.js';
import type { BacktestRunRow, Database } from './schema.js';

/** The strategy the backtester implements (the seed's VWAP mean reversion). */
export const BACKTEST_STRATEGY = 'vwap_mean_reversion';

/** 'VWAP-Mean-Reversion ' → 'vwap_mean_reversion'. */
export function canonicalStrategy(strategy: string): string {
	return strategy.trim().toLowerCase().replace(/[-\s]+/g, '_');
}

/** 'BINANCE:BTCUSDT' → 'BTC/USDT'; a label normalizeSymbol does not recognise is kept, upper-cased. */
export function canonicalSymbol(symbol: string): string {
	try {
		return normalizeSymbol(symbol).symbol;
	} catch {
		return symbol.trim().toUpperCase();
	}
}

export interface BacktestRunInput {
	strategy: string;
	exchange: string | null;
	symbol: string;
	timeframe: string;
	fromTime: number;
	toTime: number;
	params: unknown;
	metrics: unknown;
	/** Both profiles' gates as the backtest JSON holds them. */
	gates: Partial<Record<KpiProfile, GatesJson>>;
	gatesProfile: KpiProfile;
	gatesPassed: boolean;
	createdAt: number;
}

/** A stored run with its JSON parsed. */
export interface BacktestRun {
	id: number;
	strategy: string;
	exchange: string | null;
	symbol: string;
	timeframe: string;
	fromTime: number;
	toTime: number;
	params: Record<string, unknown>;
	metrics: Record<string, number | null>;
	gates: Partial<Record<KpiProfile, GatesJson>>;
	gatesProfile: KpiProfile;
	gatesPassed: boolean;
	createdAt: number;
}

export interface LatestRunQuery {
	strategy: string;
	symbol: string;
	/** Any timeframe when omitted. */
	timeframe?: string;
}

function parse(row: BacktestRunRow): BacktestRun {
	return {
		id: row.id,
		strategy: row.strategy,
		exchange: row.exchange,
		symbol: row.symbol,
		timeframe: row.timeframe,
		fromTime: Number(row.fromTime),
		toTime: Number(row.toTime),
		params: JSON.parse(row.paramsJson) as Record<string, unknown>,
		metrics: JSON.parse(row.metricsJson) as Record<string, number | null>,
		gates: JSON.parse(row.gatesJson) as Partial<Record<KpiProfile, GatesJson>>,
		gatesProfile: row.gatesProfile as KpiProfile,
		gatesPassed: Number(row.gatesPassed) === 1,
		createdAt: Number(row.createdAt),
	};
}

/** The run to record for a backtest JSON (report/backtestJson), judged by `profile` (default seed1). */
export function backtestRunInputOf(json: BacktestJson, o: { fromTime: number; toTime: number; createdAt: number; profile?: KpiProfile; strategy?: string }): BacktestRunInput {
	const profile = o.profile ?? 'seed1';
	return {
		strategy: o.strategy ?? BACKTEST_STRATEGY,
		exchange: json.data.exchange,
		symbol: json.data.symbol,
		timeframe: json.data.timeframe,
		fromTime: o.fromTime,
		toTime: o.toTime,
		params: { ...json.params, broker: json.broker },
		metrics: json.metrics,
		gates: json.gates,
		gatesProfile: profile,
		gatesPassed: json.gates[profile].passed,
		createdAt: o.createdAt,
	};
}

export function backtestRunsRepository(db: Kysely<Database>) {
	return {
		/** Records a run (strategy and symbol canonicalised) and returns it with its id. */
		async insert(input: BacktestRunInput): Promise<BacktestRun> {
			const result = await db
				.insertInto('backtestRuns')
				.values({
					strategy: canonicalStrategy(input.strategy),
					exchange: input.exchange,
					symbol: canonicalSymbol(input.symbol),
					timeframe: input.timeframe,
					fromTime: input.fromTime,
					toTime: input.toTime,
					paramsJson: JSON.stringify(input.params),
					metricsJson: JSON.stringify(input.metrics),
					gatesJson: JSON.stringify(input.gates),
					gatesProfile: input.gatesProfile,
					gatesPassed: input.gatesPassed ? 1 : 0,
					createdAt: input.createdAt,
				})
				.executeTakeFirstOrThrow();
			const row = await db.selectFrom('backtestRuns').selectAll().where('id', '=', insertedId(result)).executeTakeFirstOrThrow();
			return parse(row);
		},

		async getById(id: number): Promise<BacktestRun | null> {
			const row = await db.selectFrom('backtestRuns').selectAll().where('id', '=', id).executeTakeFirst();
			return row ? parse(row) : null;
		},

		/** The newest run of a strategy and symbol (optionally of one timeframe); null when none. */
		async latestFor(query: LatestRunQuery): Promise<BacktestRun | null> {
			const row = await db
				.selectFrom('backtestRuns')
				.selectAll()
				.where('strategy', '=', canonicalStrategy(query.strategy))
				.where('symbol', '=', canonicalSymbol(query.symbol))
				.$if(query.timeframe !== undefined, (q) => q.where('timeframe', '=', query.timeframe!))
				.orderBy('createdAt', 'desc')
				.orderBy('id', 'desc')
				.limit(1)
				.executeTakeFirst();
			return row ? parse(row) : null;
		},
	};
}

export type BacktestRunsRepository = ReturnType<typeof backtestRunsRepository>;
