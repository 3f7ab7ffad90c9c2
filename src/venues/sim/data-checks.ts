import { barProblem, type BookLevel, type MarketData } from '../../domain/market-data.js';

/**
 * Why a piece of market data cannot be used, or undefined. Checked before the venue changes anything, so bad data
 * never reaches the book, the orders or the account.
 */
export function marketDataProblem(data: MarketData): string | undefined {
  switch (data.type) {
    case 'bar':
      return barProblem(data);
    case 'quote':
      if (!positive(data.bidPrice) || !positive(data.askPrice)) return 'a quote price is not a positive number';
      if (!nonNegative(data.bidSize) || !nonNegative(data.askSize)) return 'a quote size is negative or not a number';
      if (data.bidPrice > data.askPrice) return `crossed quote: bid ${data.bidPrice} above ask ${data.askPrice}`;
      return undefined;
    case 'trade':
      if (!positive(data.price)) return `trade price ${data.price} is not a positive number`;
      if (!positive(data.size)) return `trade size ${data.size} is not a positive number`;
      return undefined;
    case 'book-snapshot': {
      const problem = levelsProblem(data.bids, 'bid') ?? levelsProblem(data.asks, 'ask');
      if (problem !== undefined) return problem;
      const bestBid = best(data.bids, Math.max);
      const bestAsk = best(data.asks, Math.min);
      if (bestBid !== undefined && bestAsk !== undefined && bestBid >= bestAsk) return `crossed snapshot: best bid ${bestBid} >= best ask ${bestAsk}`;
      return undefined;
    }
    case 'book-delta':
      return levelsProblem(data.bids, 'bid') ?? levelsProblem(data.asks, 'ask');
    case 'mark-price':
      return markProblem(data.price, data.high, data.low, data.open);
    case 'funding-rate':
      return Number.isFinite(data.rate) && Math.abs(data.rate) < 1 ? undefined : `funding rate ${data.rate} is not a plausible rate`;
  }
}

function markProblem(price: number, high: number | undefined, low: number | undefined, open: number | undefined): string | undefined {
  if (!positive(price)) return `mark price ${price} is not a positive number`;
  if ((high === undefined) !== (low === undefined)) return 'a mark candle needs both its high and its low';
  if (high === undefined || low === undefined) return open === undefined || positive(open) ? undefined : `mark open ${open} is not a positive number`;
  if (!positive(high) || !positive(low)) return `mark high ${high} or low ${low} is not a positive number`;
  for (const [name, value] of [['close', price], ['open', open]] as const) {
    if (value !== undefined && !(low <= value && value <= high)) return `mark ${name} ${value} is outside the candle's range ${low}..${high}`;
  }
  return undefined;
}

function positive(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}

function nonNegative(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

function levelsProblem(levels: readonly BookLevel[], side: string): string | undefined {
  for (const [price, size] of levels) {
    if (!positive(price)) return `${side} price ${price} is not a positive number`;
    if (!nonNegative(size)) return `${side} size ${size} at ${price} is negative or not a number`;
  }
  return undefined;
}

function best(levels: readonly BookLevel[], pick: (a: number, b: number) => number): number | undefined {
  let result: number | undefined;
  for (const [price, size] of levels) if (size > 0) result = result === undefined ? price : pick(result, price);
  return result;
}
