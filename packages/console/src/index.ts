// @switchyard/console: the admin web console's server side (mounted by the gateway at /ui) and its built assets.
export { type AdminBase, sameServerAdmin } from './server/admin-proxy.js';
export { ASSET_FILES, ASSETS_DIR, loadAssets } from './server/assets.js';
export {
  COOKIE,
  type ConsoleHandler,
  type ConsoleOptions,
  CSRF_HEADER,
  createConsoleHandler,
} from './server/console-handler.js';
