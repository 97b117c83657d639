// The known export profiles, looked up by name or recognised from a file's header.
import { normaliseHeader } from '../columns.ts';
import type { Format } from '../source.ts';
import { accessLog } from './access-log.ts';
import { onlineRetail } from './online-retail.ts';
import type { Profile } from './profile.ts';
import { rees46 } from './rees46.ts';
import { retailrocket } from './retailrocket.ts';
import { shopifyOrders } from './shopify-orders.ts';

export const profiles: Profile[] = [onlineRetail, shopifyOrders, rees46, retailrocket, accessLog];
export const profileNames = profiles.map((p) => p.name);

export function profileByName(name: string): Profile | undefined {
  return profiles.find((p) => p.name === name);
}

export function detectProfile(headers: string[], format: Format): Profile | undefined {
  const have = new Set(headers.map(normaliseHeader));
  return profiles.find((p) => (p.formats ? p.formats.includes(format) : format !== 'access-log') && p.signature.every((h) => have.has(h)));
}
