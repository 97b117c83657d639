// GET/POST/DELETE /api/views, /api/pins and /api/annotations (queries/kept.ts): anyone who may read the
// dashboards (viewer) lists them; creating, reordering and deleting needs the analyst role. Bodies and
// ids are validated by the same zod schemas as everywhere (a 400 names the field).
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  KeptError, annotationInput, annotationRange, createAnnotation, createPin, createView, deleteAnnotation, deletePin, deleteView, keptId,
  listAnnotations, listPins, listViews, orderPins, pinInput, pinOrderInput, savedViewInput,
} from '../../queries/kept.ts';
import { requireRole } from '../auth.ts';
import { whileWritable, type AppDeps } from '../deps.ts';
import { ApiProblem, invalidParameters, validationHook } from '../problems.ts';

const idParam = z.strictObject({ id: keptId });

/** A missing id is a 404; a list that does not match what is kept, a 400 naming the field. */
async function kept<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof KeptError) {
      if (err.missing) throw new ApiProblem('not-found', err.message);
      throw invalidParameters([{ parameter: err.parameter, message: err.message }]);
    }
    throw err;
  }
}

export function keptRoutes(deps: AppDeps) {
  const { db, config } = deps;
  const viewer = requireRole(config, 'viewer');
  const analyst = requireRole(config, 'analyst');
  const canWrite = whileWritable(deps);
  const noQuery = zValidator('query', z.strictObject({}), validationHook);
  const json = <S extends z.ZodType>(schema: S) => zValidator('json', schema, validationHook);
  const id = zValidator('param', idParam, validationHook);
  return new Hono()
    .get('/views', viewer, noQuery, async (c) => c.json({ views: await listViews(db) }))
    .post('/views', analyst, canWrite, json(savedViewInput), async (c) => c.json(await createView(db, c.req.valid('json')), 201))
    .delete('/views/:id', analyst, canWrite, id, async (c) => (await kept(() => deleteView(db, c.req.valid('param').id)), c.body(null, 204)))
    .get('/pins', viewer, noQuery, async (c) => c.json({ pins: await listPins(db) }))
    .post('/pins', analyst, canWrite, json(pinInput), async (c) => c.json(await createPin(db, c.req.valid('json')), 201))
    .post('/pins/order', analyst, canWrite, json(pinOrderInput), async (c) => c.json({ pins: await kept(() => orderPins(db, c.req.valid('json').ids)) }))
    .delete('/pins/:id', analyst, canWrite, id, async (c) => (await kept(() => deletePin(db, c.req.valid('param').id)), c.body(null, 204)))
    .get('/annotations', viewer, zValidator('query', annotationRange, validationHook), async (c) => c.json({ annotations: await listAnnotations(db, c.req.valid('query')) }))
    .post('/annotations', analyst, canWrite, json(annotationInput), async (c) => c.json(await createAnnotation(db, c.req.valid('json')), 201))
    .delete('/annotations/:id', analyst, canWrite, id, async (c) => (await kept(() => deleteAnnotation(db, c.req.valid('param').id)), c.body(null, 204)));
}
