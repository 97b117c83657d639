// RetailRocket events.csv: epoch-millisecond timestamps, view/addtocart/transaction events.
import type { Profile } from './profile.ts';

export const retailrocket: Profile = {
  name: 'retailrocket',
  kind: 'web',
  signature: ['timestamp', 'visitorid', 'event', 'itemid'],
  columns: { ts: 'timestamp', visitor_id: 'visitorid', event: 'event', order_id: 'transactionid' },
};
