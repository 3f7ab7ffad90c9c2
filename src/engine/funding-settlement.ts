import { Fixed } from '../core/fixed.js';
import type { InstrumentId } from '../core/ids.js';
import { err, ok, type Result } from '../core/result.js';
import type { UnixMs } from '../core/time.js';
import type { DeskEvent, FundingSettled } from '../domain/events.js';
import type { CurrencyScales, Instrument } from '../domain/instrument.js';
import type { Ledger } from '../ledger/ledger.js';
import { fundingShares } from './funding-split.js';
import type { NewEvent } from './trading-core-types.js';

/** What funding settlement reads (instruments, positions, scales) and how it journals each owner's share. */
interface FundingSettlementParts {
  readonly instruments: ReadonlyMap<InstrumentId, Instrument>;
  readonly ledger: Ledger;
  readonly scales: CurrencyScales;
  readonly record: (event: NewEvent, tsEvent?: UnixMs) => DeskEvent;
}

/** A funding settlement as the venue reports it, or as the desk takes it when the venue settled nothing. */
type Settled = Omit<FundingSettled, 'type'> & { readonly tsEvent: UnixMs };

/**
 * The funding of perpetuals the owners (sleeves) hold in one venue account: the venue settles on their netted
 * position, and each owner is charged or paid what its own position owes (`fundingShares`), one `FundingApplied` each.
 */
export class FundingSettlement {
  constructor(private readonly parts: FundingSettlementParts) {}

  /** Splits what the venue settled across the owners by their positions; refused for an instrument not a perpetual. */
  settled(report: Settled): Result<readonly DeskEvent[], string> {
    const instrument = this.parts.instruments.get(report.instrumentId);
    if (instrument === undefined || instrument.kind !== 'perpetual') {
      return err(`funding settled for ${report.instrumentId}, which is not a perpetual this desk knows`);
    }
    return ok(this.applyShares(instrument, this.holders(report.instrumentId), report));
  }

  /**
   * Funding at a funding time of an instrument whose owners' positions net to zero in the venue account: the venue
   * settled nothing, and the owners pay and receive what their own positions owe, which adds up to nothing (see
   * `fundingShares`). Nothing happens when they do not net to zero (the venue's `FundingSettled` is split instead).
   */
  nettedAway(instrumentId: InstrumentId, rate: Fixed, markPrice: Fixed, tsEvent: UnixMs): readonly DeskEvent[] {
    const instrument = this.parts.instruments.get(instrumentId);
    const held = this.holders(instrumentId);
    if (instrument?.kind !== 'perpetual' || held.length === 0 || !held.reduce((net, p) => net.add(p.quantity), Fixed.zero()).isZero()) return [];
    return this.applyShares(instrument, held, { instrumentId, rate, markPrice, amount: Fixed.zero(), tsEvent });
  }

  private holders(instrumentId: InstrumentId): { owner: string; quantity: Fixed }[] {
    const held: { owner: string; quantity: Fixed }[] = [];
    for (const { owner, position } of this.parts.ledger.allPositions()) if (position.instrumentId === instrumentId && !position.quantity.isZero()) held.push({ owner, quantity: position.quantity });
    return held;
  }

  private applyShares(instrument: Instrument, held: readonly { owner: string; quantity: Fixed }[], settled: Settled): DeskEvent[] {
    const { instrumentId, rate, markPrice } = settled;
    return fundingShares(instrument, held, settled, this.parts.scales.of(instrument.settle)).map(({ owner, amount }) =>
      this.parts.record({ type: 'FundingApplied', owner, instrumentId, rate, markPrice, amount }, settled.tsEvent),
    );
  }
}
