// REES46 e-commerce behaviour events (Kaggle "eCommerce behavior data from multi category store").
import type { Profile } from './profile.ts';

export const rees46: Profile = {
  name: 'rees46',
  kind: 'web',
  signature: ['event_time', 'event_type', 'user_id', 'user_session'],
  columns: { ts: 'event_time', event: 'event_type', visitor_id: 'user_id', session_id: 'user_session', value: 'price' },
};
