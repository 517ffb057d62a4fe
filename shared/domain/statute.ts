/**
 * Limits of the 信访工作条例 (2022) that several parts of the registry check: the lifecycle (the
 * action's input), the clock policy (an office may lower it, never raise it), the letters (the
 * extension notice) and the web's forms. Browser-safe: no imports (.dependency-cruiser.cjs).
 */

/** An extension of the handling period is at most 30 days, once (Art. 34). */
export const MAX_EXTENSION_DAYS = 30;
