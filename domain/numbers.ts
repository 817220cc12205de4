/**
 * The largest id, version or pass number the system stores: the read model
 * keeps them in 32-bit integer columns, so a schema that lets a larger number
 * through turns a client's typo into a database error.
 */
export const INT32_MAX = 2_147_483_647;
