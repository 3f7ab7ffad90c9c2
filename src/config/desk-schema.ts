/**
 * The desk configuration (DESIGN §7): the sections (desk-sections.ts), then the rules across them
 * (desk-cross-check.ts), which run once the sections themselves are well formed.
 */
import type { z } from 'zod';
import { crossCheck } from './desk-cross-check.js';
import { deskShape } from './desk-sections.js';

export type { DeskShape } from './desk-sections.js';

/** The whole desk file: sections, then the rules across them. */
export const deskSchema = deskShape.superRefine((config, ctx) => {
  // Cross-section rules need well-formed sections: they run once the sections pass.
  if (ctx.issues.length > 0) return;
  for (const issue of crossCheck(config)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

/** A validated desk: decimals are exact strings, durations are ms, dates are epoch ms. */
export type DeskConfig = z.output<typeof deskSchema>;
/** The desk as written in YAML. */
export type DeskConfigInput = z.input<typeof deskSchema>;
export type AgentConfig = DeskConfig['agents'][number];
export type AnalystConfig = Extract<AgentConfig, { role: 'analyst' }>;
export type VenueConfig = DeskConfig['venues'][number];
export type ChannelConfig = DeskConfig['notifications']['channels'][number];
export type BrainConfig = AgentConfig['brain'];
