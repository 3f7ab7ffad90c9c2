/**
 * Positions are kept per owner and instrument under one string key: the owner, a NUL, the instrument. The owner
 * reads back as what comes before the first NUL.
 */
import type { InstrumentId } from '../core/ids.js';

const SEPARATOR = '\u0000';

function positionKey(owner: string, instrumentId: InstrumentId): string {
  return `${owner}${SEPARATOR}${instrumentId}`;
}

export function ownerOfKey(key: string): string {
  return key.slice(0, key.indexOf(SEPARATOR));
}

export function isKeyOfOwner(key: string, owner: string): boolean {
  return key.startsWith(`${owner}${SEPARATOR}`);
}

/** Position keys by owner and instrument: built once, not concatenated (and hashed afresh) on every lookup. */
export class PositionKeys {
  private readonly keys = new Map<string, Map<InstrumentId, string>>();

  of(owner: string, instrumentId: InstrumentId): string {
    let byInstrument = this.keys.get(owner);
    if (byInstrument === undefined) {
      byInstrument = new Map();
      this.keys.set(owner, byInstrument);
    }
    let key = byInstrument.get(instrumentId);
    if (key === undefined) {
      key = positionKey(owner, instrumentId);
      byInstrument.set(instrumentId, key);
    }
    return key;
  }
}
