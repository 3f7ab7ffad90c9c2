import { formatUnixMs } from '../../core/time.js';
import type { DeskEvent } from '../../domain/events.js';

/** One readable line per event, for the terminal. */
export function describeEvent(event: DeskEvent): string {
  const head = `${formatUnixMs(event.tsEvent).replace('.000Z', 'Z')} ${event.id.padEnd(6)} ${event.type.padEnd(20)}`;
  switch (event.type) {
    case 'FundsDeposited':
    case 'FundsWithdrawn':
      return `${head} ${event.owner} ${event.amount.toPlainString()} ${event.currency}`;
    case 'ProfitSwept':
      return `${head} ${event.owner} ${event.amount.toPlainString()} ${event.currency} — ${event.reason}`;
    case 'FundsTransferred':
      return `${head} ${event.from} -> ${event.to} ${event.amount.toPlainString()} ${event.currency}`;
    case 'IntentApproved':
      return `${head} ${event.intent.agentId} ${event.intent.side} ${event.approvedQuantity.toPlainString()} ${event.intent.instrumentId}${
        event.clamps.length > 0 ? ` — clamped: ${event.clamps.join('; ')}` : ''
      }`;
    case 'IntentDenied':
      return `${head} ${event.agentId} ${event.instrumentId} [${event.code}] ${event.detail}`;
    case 'OrderSubmitted': {
      const o = event.order;
      const price = o.price ? ` @${o.price.toPlainString()}` : o.triggerPrice ? ` trigger ${o.triggerPrice.toPlainString()}` : '';
      return `${head} ${o.clientOrderId} ${o.type} ${o.side} ${o.quantity.toPlainString()} ${o.instrumentId}${price}${o.reduceOnly ? ' reduce-only' : ''}${
        o.linkage ? ` (${o.linkage.role})` : ''
      }`;
    }
    case 'OrderFilled': {
      const f = event.fill;
      return `${head} ${f.clientOrderId} ${f.side} ${f.quantity.toPlainString()} @${f.price.toPlainString()} fee ${f.fee.toPlainString()} ${f.feeCurrency} (${f.liquidity})`;
    }
    case 'OrderAccepted':
      return `${head} ${event.clientOrderId} venue id ${event.venueOrderId}`;
    case 'OrderRejected':
    case 'OrderCanceled':
    case 'OrderCancelRejected':
    case 'OrderModifyRejected':
      return `${head} ${event.clientOrderId} ${event.reason}`;
    case 'OrderPendingCancel':
    case 'OrderExpired':
    case 'OrderTriggered':
    case 'OrderPendingUpdate':
    case 'OrderUpdated':
      return `${head} ${event.clientOrderId}`;
    case 'FundingApplied':
      return `${head} ${event.owner} ${event.instrumentId} rate ${event.rate.toPlainString()} at mark ${event.markPrice.toPlainString()}: ${
        event.amount.isNegative() ? `received ${event.amount.neg().toPlainString()}` : `paid ${event.amount.toPlainString()}`
      }`;
    case 'PositionLiquidated':
      return `${head} ${event.instrumentId} ${event.side} ${event.quantity.toPlainString()} @${event.price.toPlainString()} fee ${event.fee.toPlainString()} — ${event.reason}`;
    case 'StrategyErrored':
      return `${head} ${event.agentId} ${event.instrumentId}: ${event.message}`;
    case 'MarksUpdated':
      return `${head} ${event.marks.map((m) => `${m.instrumentId}=${m.price.toPlainString()}`).join(' ')}`;
    case 'TradingStateChanged':
      return `${head} ${event.from} -> ${event.to} (${event.trigger}) ${event.reason}`;
    case 'SignalEmitted':
      return `${head} ${event.agentId} ${event.instrumentId} ${event.direction} conviction ${event.conviction} — ${event.reason}`;
    case 'DecisionMade':
      return `${head} ${event.agentId} (${event.mode}) ${event.owner} ${event.instrumentId} ${event.current.toPlainString()} -> ${event.target.toPlainString()}, order ${event.order.toPlainString()} — ${event.reason}`;
    case 'SleeveStateChanged':
      return `${head} sleeve ${event.sleeve} ${event.from} -> ${event.to} ${event.reason}`;
    case 'AgentHealthChanged':
    case 'AgentModeChanged':
      return `${head} ${event.agentId} ${event.from} -> ${event.to} ${event.reason}`;
    case 'AgentScored':
      return `${head} ${event.agentId} score ${event.score.toFixed(1)} (returns ${event.returns.toFixed(0)}, risk ${event.risk.toFixed(0)}, quality ${event.quality.toFixed(0)}, consistency ${event.consistency.toFixed(0)}) mode ${event.mode}`;
    case 'CapitalReallocated':
      return `${head} ${event.policy}: ${event.weights.map((w) => `${w.sleeve}=${w.weight.toPlainString()}`).join(' ')} — ${event.reason}`;
    case 'DeskReviewed':
      return `${head} ${event.agentId} ${event.reason}`;
    case 'GoalsReported':
      return `${head} ${event.status} return ${(event.returnSoFar * 100).toFixed(2)}% drawdown ${(event.drawdown * 100).toFixed(2)}% — ${event.reason}`;
    case 'RiskAssessed':
      return `${head} ${event.valueAtRisk === undefined ? 'VaR not measured' : `VaR ${event.valueAtRisk.toFixed(2)} CVaR ${(event.conditionalValueAtRisk ?? Number.NaN).toFixed(2)}`} stress ${event.worstStressLoss.toFixed(2)} action ${event.action} — ${event.reason}`;
    case 'ParametersProposed':
      return `${head} ${event.proposalId} ${event.agentId} ${JSON.stringify(event.proposed)} (${event.approval}) — ${event.reason}`;
    case 'ParametersApplied':
      return `${head} ${event.proposalId} ${event.agentId} ${JSON.stringify(event.parameters)} by ${event.approvedBy}`;
    case 'CycleStepTaken':
      return `${head} ${event.cycleId} ${event.agentId} ${event.instrumentId} ${event.step} — ${event.reason}`;
    case 'TakeProfitTriggered':
      return `${head} ${event.owner} ${event.instrumentId} close ${event.price.toPlainString()} reached ${event.triggerPrice.toPlainString()}: stop ${event.stopClientOrderId} canceled, ${event.intentId} at market`;
    case 'ExitsRestored':
      return `${head} ${event.owner} ${event.instrumentId} ${event.quantity.toPlainString()} stop ${event.stopLoss?.toPlainString() ?? '-'} target ${event.takeProfit?.toPlainString() ?? '-'} — ${event.reason}`;
    case 'BrainAbstained':
      return `${head} ${event.role} ${event.agentId}${event.instrumentId === undefined ? '' : ` ${event.instrumentId}`} (${event.cause}) ${event.detail}${event.recordId === undefined ? '' : ` [${event.recordId}]`}`;
    case 'ProposalReviewed':
      return `${head} ${event.agentId} ${event.verdict}${event.verdict === 'resize' ? ` x${event.scale}` : ''} ${event.signalId} — ${event.reason}${event.recordId === undefined ? '' : ` [${event.recordId}]`}`;
  }
}
