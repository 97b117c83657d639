// The weekly snapshot mailed on `snapshot.schedule` while `aida serve` runs: at the configured weekday and
// local time (config `timezone`) it mails the ISO week before, once. Sent weeks are recorded in the
// table snapshot_mails, so a restart never mails a week twice; a slot missed while the server was down
// is sent when it starts, if that is less than a day late (an older one would no longer be news).
import { sql } from 'kysely';
import type { Db } from '../queries/db/open.ts';
import { addDays, isoWeek, localDate, zonedTime } from '../queries/shared/period.ts';
import { weekdays, type ServerConfig, type SnapshotSchedule } from './config.ts';
import type { MailMessage, Sent } from './mail.ts';

/** How late a missed slot may still be sent at start. */
export const catchUpMs = 24 * 3600_000;
/** The timer never sleeps longer than this (a suspended laptop or a clock change is noticed within it). */
const maxSleepMs = 3600_000;

export interface Slot {
  /** the instant the snapshot is due */
  at: Date;
  /** the ISO week it reports: the week before the slot's local date */
  week: string;
}

/** The latest slot at or before `now`. */
export function lastSlot(schedule: SnapshotSchedule, timezone: string, now: Date): Slot {
  const today = localDate(now, timezone);
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // 0 = Monday
  let day = addDays(today, -((weekday - weekdays.indexOf(schedule.day) + 7) % 7));
  let at = zonedTime(day, schedule.time, timezone);
  if (at.getTime() > now.getTime()) {
    day = addDays(day, -7);
    at = zonedTime(day, schedule.time, timezone);
  }
  return { at, week: isoWeek(addDays(day, -7)) };
}

/** The first slot after `now`. */
export function nextSlot(schedule: SnapshotSchedule, timezone: string, now: Date): Slot {
  const last = lastSlot(schedule, timezone, now);
  const day = addDays(localDate(last.at, timezone), 7);
  return { at: zonedTime(day, schedule.time, timezone), week: isoWeek(addDays(day, -7)) };
}

export interface ScheduleDeps {
  db: Db;
  config: ServerConfig;
  /** the snapshot mail of a week (bin/ builds it: the query, then the web's renderers) */
  compose: (week: string, schedule: SnapshotSchedule) => Promise<MailMessage>;
  send: (message: MailMessage) => Promise<Sent>;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface SnapshotSchedulePlan {
  /** checks the clock now: mails the latest slot's week if it is due and not yet sent; returns what it did */
  tick: (now?: Date) => Promise<{ sent: string } | { skipped: string; why: string } | null>;
  stop: () => void;
}

async function alreadySent(db: Db, week: string): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`select count(*)::integer as n from snapshot_mails where week = ${week}`.execute(db.kysely);
  return (rows[0]?.n ?? 0) > 0;
}

async function recordSent(db: Db, week: string, at: Date, recipients: string[]): Promise<void> {
  await sql`insert into snapshot_mails (week, sent_at, recipients) values (${week}, ${at}, ${recipients.join(', ')}) on conflict (week) do nothing`.execute(db.kysely);
}

/** Starts the schedule (a timer) when the config has one; `tick` is what the timer calls, exposed for tests. */
export function startSnapshotSchedule(deps: ScheduleDeps): SnapshotSchedulePlan | null {
  const schedule = deps.config.snapshot.schedule;
  if (!schedule) return null;
  const tz = deps.config.timezone;
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? ((line: string) => console.error(line));
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();

  const check = async (at: Date) => {
    const slot = lastSlot(schedule, tz, at);
    if (await alreadySent(deps.db, slot.week)) return null;
    const late = at.getTime() - slot.at.getTime();
    if (late >= catchUpMs) return { skipped: slot.week, why: `its slot (${slot.at.toISOString()}) passed more than a day ago while aida serve was not running` };
    try {
      const message = await deps.compose(slot.week, schedule);
      const sent = await deps.send(message);
      await recordSent(deps.db, slot.week, at, sent.accepted);
      log(`aida: mailed the weekly snapshot ${slot.week} to ${sent.accepted.join(', ')}`);
      return { sent: slot.week };
    } catch (err) {
      // not recorded: the next check (within the hour) tries again while the slot is under a day late
      log(`aida: the weekly snapshot ${slot.week} was not mailed: ${(err as Error).message}`);
      return { skipped: slot.week, why: (err as Error).message };
    }
  };
  // one check at a time: a slow SMTP server never lets two checks mail the same week
  const tick = (at = now()) => {
    const next = running.then(() => check(at));
    running = next.catch(() => undefined);
    return next;
  };
  const arm = () => {
    if (stopped) return;
    const wait = Math.min(Math.max(nextSlot(schedule, tz, now()).at.getTime() - now().getTime(), 0), maxSleepMs);
    timer = setTimeout(() => void tick().finally(arm), wait);
    timer.unref();
  };
  void tick().finally(arm);
  return {
    tick,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
