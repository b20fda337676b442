/** @module risk/resizeConfigSchema Zod fields shared by the gates that may shrink a position to fit. */
import { z } from 'zod';

export const resizeConfigFields = {
	/** Shrink the candidate to the headroom instead of rejecting it. */
	allowResize: z.boolean(),
	/** Reject instead when the shrunk position would be below this fraction of equity. */
	minPositionRatio: z.number().min(0).lt(1),
};

export const DEFAULT_RESIZE = { allowResize: true, minPositionRatio: 0.001 } as const;
