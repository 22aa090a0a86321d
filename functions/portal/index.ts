/** Lambda entry of the portal-files function (HTTP API deployments): the build is copied next to this bundle. */
import { fileURLToPath } from 'node:url';
import { BUNDLED_PORTAL_DIR, FRAME_ANCESTORS_ENV, parseFrameAncestors } from '../../portal/serving.ts';
import { createPortalFilesHandler } from './handler.ts';

export const handler = createPortalFilesHandler({
  dir: fileURLToPath(new URL(`./${BUNDLED_PORTAL_DIR}`, import.meta.url)),
  frameAncestors: parseFrameAncestors(process.env[FRAME_ANCESTORS_ENV]),
});
