import { FixRequestError } from '../core/errors.js';
import { Fixed, type Rounding } from '../core/fixed.js';
import { parseInstrumentId, type Currency, type InstrumentId } from '../core/ids.js';

export type InstrumentKind = 'spot' | 'perpetual';

/** One maintenance-margin tier: applies to position notional up to `maxNotional` (null = no upper bound). */
export interface MarginTier {
  readonly maxNotional: Fixed | null;
  readonly maintenanceRate: Fixed;
  readonly maxLeverage: Fixed;
}

export interface Instrument {
  readonly id: InstrumentId;
  readonly kind: InstrumentKind;
  readonly venue: string;
  readonly base: Currency;
  readonly quote: Currency;
  /** The currency margin, PnL and funding settle in (quote for spot and linear perpetuals). */
  readonly settle: Currency;
  readonly tickSize: Fixed;
  readonly lotSize: Fixed;
  readonly minQuantity: Fixed;
  readonly minNotional: Fixed;
  readonly pricePrecision: number;
  readonly sizePrecision: number;
  readonly makerFee: Fixed;
  readonly takerFee: Fixed;
  /** Base units per contract (1 for spot). Notional = quantity x contractSize x price. */
  readonly contractSize: Fixed;
  readonly maxLeverage: Fixed;
  readonly marginTiers: readonly MarginTier[];
}

export interface InstrumentSpec {
  id: string;
  kind?: InstrumentKind;
  tickSize: string;
  lotSize: string;
  minQuantity?: string;
  minNotional?: string;
  makerFee?: string;
  takerFee?: string;
  contractSize?: string;
  maxLeverage?: string;
  marginTiers?: { maxNotional: string | null; maintenanceRate: string; maxLeverage: string }[];
}

/** Builds an instrument from decimal strings, naming every field that is wrong. */
export function defineInstrument(spec: InstrumentSpec): Instrument {
  const problems: string[] = [];
  const field = (name: string, text: string | undefined, fallback: string, positive: boolean): Fixed => {
    try {
      const value = Fixed.parse(text ?? fallback);
      if (positive ? !value.isPositive() : value.isNegative()) {
        problems.push(`${name} must be ${positive ? 'positive' : 'zero or more'}, got ${text}`);
      }
      return value;
    } catch {
      problems.push(`${name} is not a decimal: "${text}"`);
      return Fixed.zero();
    }
  };
  let parts: ReturnType<typeof parseInstrumentId> | undefined;
  try {
    parts = parseInstrumentId(spec.id as InstrumentId);
  } catch {
    problems.push(`id "${spec.id}" is not VENUE:BASE/QUOTE or VENUE:BASE/QUOTE:SETTLE`);
  }
  const kind: InstrumentKind = spec.kind ?? (parts?.settle === undefined ? 'spot' : 'perpetual');
  if (parts !== undefined && (kind === 'perpetual') !== (parts.settle !== undefined)) {
    problems.push(`id "${spec.id}" does not fit kind ${kind} (perpetual ids carry a settle currency: BTC/USDT:USDT)`);
  }
  const tickSize = field('tickSize', spec.tickSize, '0', true);
  const lotSize = field('lotSize', spec.lotSize, '0', true);
  const minQuantity = field('minQuantity', spec.minQuantity, spec.lotSize, false);
  const minNotional = field('minNotional', spec.minNotional, '0', false);
  const makerFee = field('makerFee', spec.makerFee, '0', false);
  const takerFee = field('takerFee', spec.takerFee, '0', false);
  const contractSize = field('contractSize', spec.contractSize, '1', true);
  const maxLeverage = field('maxLeverage', spec.maxLeverage, '1', true);
  if (kind === 'spot' && !maxLeverage.eq(Fixed.fromInt(1))) problems.push('maxLeverage must be 1 for spot');
  const marginTiers: MarginTier[] = (spec.marginTiers ?? []).map((tier, i) => ({
    maxNotional: tier.maxNotional === null ? null : field(`marginTiers[${i}].maxNotional`, tier.maxNotional, '0', true),
    maintenanceRate: field(`marginTiers[${i}].maintenanceRate`, tier.maintenanceRate, '0', true),
    maxLeverage: field(`marginTiers[${i}].maxLeverage`, tier.maxLeverage, '1', true),
  }));
  for (let i = 1; i < marginTiers.length; i++) {
    const previous = marginTiers[i - 1]?.maxNotional;
    const current = marginTiers[i]?.maxNotional;
    if (previous === null || (previous !== undefined && current !== null && current !== undefined && current.lte(previous))) {
      problems.push(`marginTiers[${i}].maxNotional must be above the previous tier's`);
    }
  }
  if (!minQuantity.isZero() && !lotSize.isZero() && !minQuantity.isMultipleOf(lotSize)) {
    problems.push(`minQuantity ${spec.minQuantity} is not a multiple of lotSize ${spec.lotSize}`);
  }
  if (problems.length > 0 || parts === undefined) {
    throw new FixRequestError('invalid_instrument', `instrument ${spec.id}: ${problems.join('; ')}`);
  }
  return {
    id: spec.id as InstrumentId,
    kind,
    venue: parts.venue,
    base: parts.base as Currency,
    quote: parts.quote as Currency,
    settle: (parts.settle ?? parts.quote) as Currency,
    tickSize,
    lotSize,
    minQuantity,
    minNotional,
    pricePrecision: tickSize.scale,
    sizePrecision: lotSize.scale,
    makerFee,
    takerFee,
    contractSize,
    maxLeverage,
    marginTiers,
  };
}

/** The tier that applies to a position of `notional`; instruments without tiers have none. */
export function marginTierFor(instrument: Instrument, notional: Fixed): MarginTier | undefined {
  for (const tier of instrument.marginTiers) {
    if (tier.maxNotional === null || notional.lte(tier.maxNotional)) return tier;
  }
  return instrument.marginTiers[instrument.marginTiers.length - 1];
}

export function quantizePrice(instrument: Instrument, price: Fixed, rounding: Rounding = 'half-even'): Fixed {
  return price.quantize(instrument.tickSize, rounding);
}

export function quantizeQuantity(instrument: Instrument, quantity: Fixed, rounding: Rounding = 'down'): Fixed {
  return quantity.quantize(instrument.lotSize, rounding);
}

/** Quantity x contract size x price, exactly. */
export function notionalOf(instrument: Instrument, quantity: Fixed, price: Fixed): Fixed {
  return quantity.abs().mul(instrument.contractSize).mul(price);
}

/** Decimal places per currency in the books. Currencies not listed use `defaultScale`. */
export class CurrencyScales {
  private readonly scales = new Map<string, number>();
  constructor(
    entries: Record<string, number> = {},
    readonly defaultScale = 8,
  ) {
    for (const [code, scale] of Object.entries(entries)) this.scales.set(code, scale);
  }
  of(code: Currency): number {
    return this.scales.get(code) ?? this.defaultScale;
  }
}
