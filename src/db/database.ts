import type { AuthTables } from "../auth/auth.tables.js";

/** Every table nines stores, composed from the domains' own table types. */
export interface Database extends AuthTables {}
