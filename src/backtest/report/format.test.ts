import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  formatAmount,
  formatAxisNumber,
  formatAxisPercent,
  formatBarCounts,
  formatDuration,
  formatMoney,
  formatNumber,
  formatParams,
  formatPercent,
  formatRatio,
  formatTimeframe,
  formatTimestamp,
} from './format.js';

describe('report formatting', () => {
  it('escapes every HTML special character', () => {
    expect(escapeHtml(`<script>alert('x' & "y")</script>`)).toBe(
      '&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;',
    );
  });

  it('formats percentages, ratios and amounts', () => {
    expect(formatPercent(0.12345)).toBe('12.35%');
    expect(formatPercent(0.12345, 2, true)).toBe('+12.35%');
    expect(formatPercent(-0.00001, 2, true)).toBe('0.00%'); // no "-0.00%"
    expect(formatPercent(12.5, 0)).toBe('1,250%');
    expect(formatRatio(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatRatio(Number.NaN)).toBe('—');
    expect(formatAmount(64_123.456)).toBe('64,123.46');
    expect(formatAmount(1.23456789)).toBe('1.2346');
    expect(formatAmount(0.00001234)).toBe('0.00001234');
    expect(formatMoney(-21.255)).toBe('-21.26');
    expect(formatMoney(0.0412)).toBe('0.0412');
  });

  it('writes a trillion and more in scientific notation, so a huge finite return does not break the table', () => {
    expect(formatPercent(1.830694202484707e20, 2, true)).toBe('+1.83e+22%');
    expect(formatPercent(-2e13)).toBe('-2.00e+15%');
    expect(formatMoney(1e12)).toBe('1.00e+12');
    expect(formatNumber(999_999_999_999.99)).toBe('999,999,999,999.99');
    expect(formatRatio(-4.2e30)).toBe('-4.20e+30');
  });

  it('formats durations, timeframes and timestamps in UTC', () => {
    expect(formatDuration((12 * 24 + 4) * 3_600_000 + 59_000)).toBe('12d 4h');
    expect(formatDuration(3 * 3_600_000 + 20 * 60_000)).toBe('3h 20m');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(0)).toBe('0s');
    expect(formatTimeframe(60_000)).toBe('1m');
    expect(formatTimeframe(4 * 3_600_000)).toBe('4h');
    expect(formatTimeframe(86_400_000)).toBe('1d');
    expect(formatTimeframe(0)).toBe('?');
    expect(formatTimestamp(Date.UTC(2024, 1, 29, 13, 5))).toBe('2024-02-29 13:05');
    expect(formatTimestamp(Date.UTC(2024, 1, 29, 13, 5, 7))).toBe('2024-02-29 13:05:07');
  });

  it('formats axis labels with units and the decimals the step needs', () => {
    expect(formatAxisNumber(150_000_000, 50_000_000)).toBe('150M');
    expect(formatAxisNumber(22_500, 2_500)).toBe('22.5k');
    expect(formatAxisNumber(0, 2_500)).toBe('0');
    expect(formatAxisNumber(101.5, 0.5)).toBe('101.5');
    expect(formatAxisNumber(0.00012, 0.00002)).toBe('0.00012');
    expect(formatAxisPercent(-0.05, 0.05)).toBe('-5%');
    expect(formatAxisPercent(-0.025, 0.005)).toBe('-2.5%');
  });

  it('lists params sorted by key', () => {
    expect(formatParams({ slow: 30, fast: 10, mode: 'long' })).toBe('fast=10 mode=long slow=30');
    expect(formatParams({})).toBe('(none)');
  });

  it('counts bars per instrument: once with the timeframe when all agree, else each instrument on its own', () => {
    const fiveMinutes = (instrument: string, bars = 5_760) => ({ instrument, timeframeMs: 300_000, bars });
    expect(formatBarCounts([fiveMinutes('FILE:ETH/BTC')])).toBe('5,760 × 5m');
    expect(formatBarCounts([fiveMinutes('FILE:ETH/BTC'), fiveMinutes('FILE:LTC/BTC')])).toBe('5,760 × 5m × 2 instruments');
    expect(formatBarCounts([fiveMinutes('FILE:ETH/BTC'), fiveMinutes('FILE:LTC/BTC', 5_000)])).toBe('FILE:ETH/BTC 5,760 × 5m, FILE:LTC/BTC 5,000 × 5m');
    expect(formatBarCounts([{ instrument: 'FILE:XRP/ETH', timeframeMs: 60_000, bars: 2_469 }, fiveMinutes('FILE:XRP5/ETH', 706)])).toBe('FILE:XRP/ETH 2,469 × 1m, FILE:XRP5/ETH 706 × 5m');
    expect(formatBarCounts([])).toBe('0');
  });
});
