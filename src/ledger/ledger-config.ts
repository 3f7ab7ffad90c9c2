/**
 * What the books are configured with (instruments, currency scales, leverage) and the readings every part of the
 * ledger takes from it: amounts in a currency's units, an instrument's leverage, what an order must hold back.
 */
import { InvariantViolation } from '../core/errors.js';
import { Fixed } from '../core/fixed.js';
import type { Currency, InstrumentId } from '../core/ids.js';
import { fundsRequired, type FundsRequirement } from '../domain/funds.js';
import type { CurrencyScales, Instrument } from '../domain/instrument.js';
import type { OrderSide } from '../domain/order.js';

export interface LedgerConfig {
  readonly instruments: ReadonlyMap<InstrumentId, Instrument>;
  readonly scales: CurrencyScales;
  /** Leverage per perpetual (default 1). */
  readonly leverage?: ReadonlyMap<InstrumentId, Fixed>;
}

const ONE = Fixed.fromInt(1);

export function leverageFor(config: LedgerConfig, instrument: Instrument): Fixed {
  return config.leverage?.get(instrument.id) ?? ONE;
}

export function requirementFor(
  config: LedgerConfig,
  instrument: Instrument,
  side: OrderSide,
  quantity: Fixed,
  price: Fixed,
  reduceOnly: boolean,
): FundsRequirement {
  return fundsRequired(instrument, side, quantity, price, leverageFor(config, instrument), reduceOnly, config.scales);
}

/** An instrument validation has already accepted: a missing one is a bug, not a bad event. */
export function knownInstrument(config: LedgerConfig, id: InstrumentId): Instrument {
  const instrument = config.instruments.get(id);
  if (instrument === undefined) throw new InvariantViolation(`unknown instrument ${id} reached the ledger`);
  return instrument;
}

export function toUnits(scales: CurrencyScales, currency: Currency, amount: Fixed): bigint {
  return amount.rescale(scales.of(currency), 'half-even').units;
}

export function formatUnits(scales: CurrencyScales, currency: Currency, units: bigint): string {
  return Fixed.fromUnits(units, scales.of(currency)).toPlainString();
}
