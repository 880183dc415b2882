/**
 * A JSON value: what `JSON.parse` returns and what loader and scaler states are made of.
 *
 * @example
 * const saved: JsonValue = JSON.parse(JSON.stringify(loader.state()));
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A JSON object.
 *
 * @example
 * const state: JsonObject = { epoch: 3, position: 128 };
 */
export type JsonObject = { [key: string]: JsonValue };
