/**
 * The CJK fonts the letters are set in, as a Lambda layer: fonts/ in the layer is /opt/fonts in
 * the function, where shared/letters/fonts.ts finds them by XF_FONT_DIR. They stay out of the
 * function bundles (two ~15 MB files); a function that renders letters gets them with `bindFonts`.
 *
 * The layer's asset directory is staged by a local bundling step that copies just the two font
 * files out of node_modules; its hash is the hash of those files, so the layer changes only when
 * the fonts do. Nothing here runs Docker: the local step always succeeds.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AssetHashType, DockerImage, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { LETTER_FONT_FILES } from '../../shared/letters/fonts';
import { FONT_PACKAGE_DIR } from '../paths';

const LAYER_FONT_SUBDIR = 'fonts';

/** The files the letters load (named in shared/letters/fonts.ts), in the installed package. */
function fontPaths(): string[] {
  return Object.values(LETTER_FONT_FILES).map(({ folder, file }) => path.join(FONT_PACKAGE_DIR, folder, file));
}

function hashFonts(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(path.basename(file));
    hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex');
}

export class FontLayer extends Construct {
  readonly layer: lambda.LayerVersion;
  /** Where the fonts are inside a function that has the layer (XF_FONT_DIR). */
  readonly fontDir = `/opt/${LAYER_FONT_SUBDIR}`;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const files = fontPaths();
    for (const file of files) {
      if (!fs.existsSync(file)) {
        throw new Error(`Font file ${file} is missing: run npm install (package @expo-google-fonts/noto-serif-sc).`);
      }
    }
    this.layer = new lambda.LayerVersion(this, 'Layer', {
      description: 'Xinfang registry: Noto Serif SC (Regular, Bold) for letters, under /opt/fonts',
      compatibleArchitectures: [lambda.Architecture.ARM_64],
      compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
      license: 'OFL-1.1',
      removalPolicy: RemovalPolicy.DESTROY,
      code: lambda.Code.fromAsset(FONT_PACKAGE_DIR, {
        assetHashType: AssetHashType.CUSTOM,
        assetHash: hashFonts(files),
        bundling: {
          // Required by the type, never used: the local step below always bundles.
          image: DockerImage.fromRegistry('public.ecr.aws/docker/library/busybox'),
          local: {
            tryBundle(outputDir: string): boolean {
              const target = path.join(outputDir, LAYER_FONT_SUBDIR);
              fs.mkdirSync(target, { recursive: true });
              for (const file of files) fs.copyFileSync(file, path.join(target, path.basename(file)));
              return true;
            },
          },
        },
      }),
    });
  }
}
