/** Something an operator can trip from outside the process (a file, a signal). Polled by the core. */
export interface KillSwitchProbe {
  /** True while the switch is engaged; the text says how it was engaged. */
  engaged(): { readonly engaged: boolean; readonly detail: string };
}
