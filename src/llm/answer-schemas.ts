import type { AnswerSpec, JsonSchema } from './provider.js';

/**
 * The JSON Schemas the providers are given for each role's answer. They guide the model; they are not trusted:
 * every answer is still checked by the zod schema and the meaning checks of its role.
 */

const level: JsonSchema = {
  type: 'object',
  description: 'either an absolute price or a percentage of the current mark price',
  properties: { price: { type: 'number', exclusiveMinimum: 0 }, percentOfMark: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 100 } },
  additionalProperties: false,
};

export const ANALYST_ANSWER: AnswerSpec = {
  name: 'submit_view',
  description: 'Give your view on the instrument: long, short or flat with conviction, horizon and thesis, or abstain with a reason.',
  schema: {
    type: 'object',
    properties: {
      action: { type: 'string', enum: ['long', 'short', 'flat', 'abstain'] },
      instrument: { type: 'string', description: 'an instrument id from the universe' },
      conviction: { type: 'number', minimum: -1, maximum: 1, description: 'above 0 for long, below 0 for short; the size says how sure' },
      horizonBars: { type: 'integer', minimum: 1, description: 'how many bars the view should hold' },
      thesis: { type: 'string', description: 'why, in a few sentences' },
      stop: level,
      target: level,
      reason: { type: 'string', description: 'only with action abstain: why no view' },
    },
    required: ['action'],
    additionalProperties: false,
  },
};

export const MANAGER_ANSWER: AnswerSpec = {
  name: 'submit_review',
  description: 'Review each proposed view: approve it, resize it down (scale 0..1), or veto it; or abstain with a reason.',
  schema: {
    type: 'object',
    properties: {
      action: { type: 'string', enum: ['review', 'abstain'] },
      reviews: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            proposal: { type: 'string', description: 'the proposal id as given' },
            verdict: { type: 'string', enum: ['approve', 'resize', 'veto'] },
            scale: { type: 'number', exclusiveMinimum: 0, maximum: 1, description: 'only with resize' },
            reason: { type: 'string' },
          },
          required: ['proposal', 'verdict', 'reason'],
          additionalProperties: false,
        },
      },
      reason: { type: 'string', description: 'only with action abstain' },
    },
    required: ['action'],
    additionalProperties: false,
  },
};

export const JUDGE_ANSWER: AnswerSpec = {
  name: 'submit_grades',
  description: 'Set each analyst mode (conservative, standard or aggressive) from the computed scorecards, with a reason; or abstain.',
  schema: {
    type: 'object',
    properties: {
      action: { type: 'string', enum: ['grade', 'abstain'] },
      modes: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            agent: { type: 'string' },
            mode: { type: 'string', enum: ['conservative', 'standard', 'aggressive'] },
            reason: { type: 'string' },
          },
          required: ['agent', 'mode', 'reason'],
          additionalProperties: false,
        },
      },
      reason: { type: 'string', description: 'only with action abstain' },
    },
    required: ['action'],
    additionalProperties: false,
  },
};
