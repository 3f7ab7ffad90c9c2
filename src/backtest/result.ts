/**
 * The backtest result, as written by `conclave backtest --json` (schema "conclave.backtest/1"). Numbers are JSON
 * numbers: prices and quantities converted from the exact books, metrics computed in float64.
 */
export interface BacktestFill {
  /** Open time of the bar the fill happened on, as given in the data (epoch ms). */
  readonly ts: number;
  readonly instrument: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly price: number;
  readonly fee: number;
}

/** A round trip: from flat (or a flip) to flat (or the next flip). */
export interface BacktestTrade {
  readonly instrument: string;
  readonly direction: 'long' | 'short';
  readonly entryTs: number;
  readonly exitTs: number;
  readonly qty: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** Net of fees and funding. */
  readonly pnl: number;
  readonly fees: number;
  /** pnl / entry notional. */
  readonly returnPct: number;
  readonly bars: number;
  /**
   * Present (true) on a position still held when the run ended: what was still held exits at the last close, at the
   * last bar's time, with no fill and no exit fee (the exit price averages it with any part sold before). It counts
   * among the trades and their metrics, as a position closed there would.
   */
  readonly open?: true;
}

export interface BacktestMetrics {
  readonly totalReturn: number;
  readonly annualisedReturn: number;
  readonly volatility: number;
  readonly sharpe: number;
  readonly sortino: number;
  readonly calmar: number;
  /** As a positive fraction of the peak. */
  readonly maxDrawdown: number;
  readonly maxDrawdownDurationMs: number;
  readonly winRate: number;
  readonly profitFactor: number;
  readonly expectancy: number;
  readonly averageWin: number;
  readonly averageLoss: number;
  /** Share of the equity points with a position open (in any instrument). */
  readonly exposure: number;
  /** Traded notional / average equity. */
  readonly turnover: number;
  readonly feesPaid: number;
  readonly fundingPaid: number;
  readonly trades: number;
  readonly buyAndHoldReturn: number;
  /** Bootstrap confidence interval of the (annualised) Sharpe ratio; null when no bootstrap was drawn (optimizer trials). */
  readonly sharpeConfidence: { readonly low: number; readonly high: number; readonly level: number } | null;
  /** Probability that the true Sharpe is above zero given the number of trials (Bailey & López de Prado). */
  readonly deflatedSharpe: number;
  readonly trials: number;
}

export interface Refusals {
  readonly total: number;
  readonly reasons: readonly { readonly code: string; readonly count: number; readonly example: string }[];
}

/** The bars a run processed of one instrument. */
export interface BarCount {
  readonly instrument: string;
  readonly timeframeMs: number;
  readonly bars: number;
}

export interface BacktestResult {
  readonly schema: 'conclave.backtest/1';
  readonly strategy: string;
  readonly params: Readonly<Record<string, number | string>>;
  readonly instruments: readonly string[];
  readonly timeframeMs: number;
  readonly startTs: number;
  readonly endTs: number;
  /** Bars processed, every instrument together. */
  readonly bars: number;
  /** Bars processed of each instrument, with its timeframe, in the order of `instruments`. */
  readonly barsByInstrument: readonly BarCount[];
  readonly initialCash: number;
  readonly finalCash: number;
  /** Cash plus positions marked at the last close. */
  readonly finalEquity: number;
  readonly fills: readonly BacktestFill[];
  readonly trades: readonly BacktestTrade[];
  readonly metrics: BacktestMetrics;
  /** SHA-256 of the ordered fill list (ts, instrument, side, qty, price, fee), hex. */
  readonly fingerprint: string;
  readonly timing: { readonly loadMs: number; readonly engineMs: number };
  /** Intents the risk gate or the books refused, by reason code (most frequent first, with the first detail). */
  readonly denials: Refusals;
  /** Approved orders the venue rejected, by reason (its text up to the first colon), with the first full reason. */
  readonly rejections: Refusals;
  /**
   * What a reader of the result must not miss: how it was made (e.g. a --tick coarser than the prices), and reports
   * from the venue the books could not apply (their count and the first problem), after which the books and the
   * venue may disagree. Empty when there are none.
   */
  readonly warnings: readonly string[];
  /**
   * Equity at each close time (with one series at each bar's close), sampled to at most 5,000 of its `points` for
   * long runs.
   */
  readonly equityCurve: { readonly ts: readonly number[]; readonly equity: readonly number[]; readonly points: number };
}
