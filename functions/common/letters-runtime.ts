/**
 * The runtime of the functions that issue letters (cases-write): the plain runtime plus the
 * letter issuer, with the renderer and fonts loaded on the first letter (in AWS from the font
 * layer at XF_FONT_DIR) and then kept. The admin function's runtime (admin-runtime.ts) uses the
 * same fonts to check a template's wording.
 */
import { CaseLetterIssuer } from '../../shared/app/letters';
import { cacheClock, runtimeClock } from './clock';
import { config, once } from './runtime-support';
import { buildRuntime, type LetterIssuerFactory, type Runtime } from './runtime';

/** The letter fonts (and fontkit with them) are loaded with the first letter, then kept. */
export const letterFonts = () => import('../../shared/letters/fonts').then((m) => m.loadLetterFonts(config().fontDir));

export const caseLetters: LetterIssuerFactory = ({ repo, storage, settings }) =>
  new CaseLetterIssuer({
    repo,
    templates: repo,
    storage,
    office: settings.letters,
    clock: runtimeClock,
    cacheClock,
    fonts: letterFonts,
    templateCacheMs: settings.templateCacheSeconds * 1000,
    vocabulary: () => ({ categories: settings.categories, departments: settings.departments, localities: settings.localities }),
  });

/** The runtime with the case letters' issuer. */
export const getLetterRuntime: () => Promise<Runtime> = once(() => buildRuntime(caseLetters));
