import type { ClientOrderId } from '../../src/core/ids.js';
import type { Desk } from '../../src/engine/desk/desk.js';

/**
 * Makes the desk's simulated venue refuse its first `times` requests to cancel an order `which` picks (every order by
 * default), as a venue whose cancel request times out; later ones go through.
 */
export function refuseCancels(desk: Desk, times: number, which: (clientOrderId: ClientOrderId) => boolean = () => true): void {
  const venue = desk.venue;
  const cancel = venue.cancel.bind(venue);
  let refusals = 0;
  venue.cancel = (id) => {
    if (refusals < times && which(id)) {
      refusals += 1;
      throw new Error('cancel request timed out');
    }
    cancel(id);
  };
}
