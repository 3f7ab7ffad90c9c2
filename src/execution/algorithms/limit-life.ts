/**
 * How long a limit order that reduces a position rests when the limit algorithm sets no expiry: 4 hours. The
 * position's stop-loss was canceled for the order, so it must not rest for ever; after this its rest goes out at market.
 */
export const DEFAULT_REDUCING_LIMIT_LIFE_MS = 4 * 3_600_000;
