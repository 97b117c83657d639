// The known export profiles, looked up by name or recognised from a file's header.
import { isLogFormat, type Format } from '../source.ts';
import { accessLog } from './access-log.ts';
import { baiduAds } from './baidu-ads.ts';
import { ga4 } from './ga4.ts';
import { googleAds } from './google-ads.ts';
import { linkedinAds } from './linkedin-ads.ts';
import { metaAds } from './meta-ads.ts';
import { microsoftAds } from './microsoft-ads.ts';
import { onlineRetail } from './online-retail.ts';
import { headerFor, type Profile } from './profile.ts';
import { rees46 } from './rees46.ts';
import { retailrocket } from './retailrocket.ts';
import { rudderstack, segment } from './segment.ts';
import { shopifyOrders } from './shopify-orders.ts';
import { tiktokAds } from './tiktok-ads.ts';
import { woocommerceOrders } from './woocommerce-orders.ts';

export const profiles: Profile[] = [
  onlineRetail, shopifyOrders, woocommerceOrders, rees46, retailrocket, accessLog,
  googleAds, microsoftAds, metaAds, tiktokAds, linkedinAds, baiduAds,
  // event streams; RudderStack's signature is Segment's plus rudderId, so it goes first
  ga4, rudderstack, segment,
];
export const profileNames = profiles.map((p) => p.name);

export function profileByName(name: string): Profile | undefined {
  return profiles.find((p) => p.name === name);
}

export function detectProfile(headers: string[], format: Format): Profile | undefined {
  return profiles.find((p) => (p.formats ? p.formats.includes(format) : !isLogFormat(format)) && missingSignature(p, headers).length === 0);
}

/** The profile's signature headers the file lacks, worded as in an error message. */
export function missingSignature(profile: Profile, headers: string[]): string[] {
  return profile.signature.filter((spec) => !headerFor(headers, spec)).map((spec) => (typeof spec === 'string' ? spec : spec.source));
}

/** canonical column → the file's header, for the profile's columns the file has. */
export function profileColumns(profile: Profile, headers: string[]): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(profile.columns).map(([canonical, spec]) => [canonical, headerFor(headers, spec)]));
}
