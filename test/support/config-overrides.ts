import type { Config } from "../../src/config/config-schema.js";
import { defaultConfig } from "../../src/config/load-config.js";

export type ConfigOverrides = { [K in keyof Config]?: Partial<Config[K]> };

/** The default configuration with some fields of some sections replaced. */
export function configWith(overrides: ConfigOverrides): Config {
  const base = defaultConfig();
  return Object.fromEntries(
    Object.entries(base).map(([section, values]) => [
      section,
      { ...values, ...overrides[section as keyof Config] },
    ]),
  ) as Config;
}
