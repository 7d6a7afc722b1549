export { type Config, ConfigSchema } from "./config-schema.js";
export { envFields, envName } from "./env-variables.js";
export { ConfigInvalidError } from "./errors.js";
export {
  type ConfigProblem,
  defaultConfig,
  inspectConfig,
  type LoadedConfig,
  loadConfig,
} from "./load-config.js";
