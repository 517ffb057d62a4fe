/**
 * AWS Control Tower's proactive controls, checked on the synthesized templates with cfn-guard:
 * the rules and the cfn-guard 3 binary ship in `@cdklabs/cdk-validator-cfnguard` (no download).
 *
 * That package's plugin fails on every finding and has no per-resource suppression, so this
 * wrapper runs it and then drops each finding whose resource suppresses the rule in its template
 * metadata (`suppressGuard`, infra/constructs/guard.ts: `Metadata.cfn_guard.rules_to_suppress`,
 * always with a reason). Any other finding fails `cdk synth` (registered in infra/checks.ts) and
 * the CDK tests (test/cdk/guard.test.ts).
 *
 * Only the rule files about resource types that occur in a template are run (a rule about a type
 * that is absent skips anyway): this keeps the check at seconds instead of minutes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1, PolicyViolationBeta1 } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { GUARD_METADATA_KEY, type GuardSuppression } from './constructs/guard';

const require = createRequire(import.meta.url);
const PACKAGE_DIR = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
/** The Control Tower rules as shipped, one `.guard` file per control. */
export const CONTROL_TOWER_RULES = path.join(PACKAGE_DIR, 'rules', 'control-tower', 'cfn-guard');

export interface GuardFinding {
  /** cfn-guard's rule name, e.g. `s3_bucket_logging_enabled_check` (what a suppression names). */
  rule: string;
  /** The resource's logical id in the template. */
  resource: string;
  template: string;
  /** `[CT.S3.PR.2]: Require an Amazon S3 bucket to have server access logging configured` */
  description: string;
  fix: string;
}

export interface SuppressedFinding extends GuardFinding {
  reason: string;
}

export interface GuardResult {
  /** Findings no suppression covers: each one fails the check. */
  unsuppressed: GuardFinding[];
  suppressed: SuppressedFinding[];
  /** Suppressions whose rule ran and found nothing on their resource, or names no rule (stale: remove them). */
  unused: { template: string; resource: string; rule: string }[];
  /** How many rule files ran. */
  rulesRun: number;
}

type Template = { Resources?: Record<string, { Type?: string; Metadata?: Record<string, unknown> }> };

function guardFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return guardFiles(file);
    return name.endsWith('.guard') ? [file] : [];
  });
}

/** The resource types a rule file is about (its `"AWS::…"` constants); none found: always run it. */
function typesOf(ruleFile: string): string[] {
  return [...new Set([...readFileSync(ruleFile, 'utf8').matchAll(/"(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)"/g)].map((m) => m[1] as string))];
}

/** The rule names a rule file defines (`rule <name> when …`), which findings and suppressions name. */
function ruleNamesOf(ruleFile: string): string[] {
  return [...new Set([...readFileSync(ruleFile, 'utf8').matchAll(/^rule\s+([a-z0-9_]+)\s+when\b/gm)].map((m) => m[1] as string))];
}

let ruleFiles: Map<string, { types: string[]; rules: string[] }> | undefined;
function rulesWithTypes(): Map<string, { types: string[]; rules: string[] }> {
  ruleFiles ??= new Map(guardFiles(CONTROL_TOWER_RULES).map((f) => [f, { types: typesOf(f), rules: ruleNamesOf(f) }]));
  return ruleFiles;
}

function suppressionsOf(template: Template, resource: string): GuardSuppression[] {
  const meta = template.Resources?.[resource]?.Metadata?.[GUARD_METADATA_KEY] as { rules_to_suppress?: GuardSuppression[] } | undefined;
  return meta?.rules_to_suppress ?? [];
}

export interface CheckOptions {
  /** Only the rules of these services (folders of the rule set: `cloudfront`, `s3`, …); default all. */
  services?: string[];
}

/** Runs the Control Tower rules on the templates and sorts the findings by their suppressions. */
export function checkTemplates(templatePaths: string[], options: CheckOptions = {}): GuardResult {
  const result: GuardResult = { unsuppressed: [], suppressed: [], unused: [], rulesRun: 0 };
  for (const templatePath of templatePaths) {
    const template = JSON.parse(readFileSync(templatePath, 'utf8')) as Template;
    const present = new Set(Object.values(template.Resources ?? {}).map((r) => r.Type));
    const disabledRules: string[] = [];
    const ran = new Set<string>();
    const known = new Set<string>();
    for (const [file, { types, rules }] of rulesWithTypes()) {
      rules.forEach((r) => known.add(r));
      const service = path.basename(path.dirname(file));
      const relevant = types.length === 0 || types.some((t) => present.has(t));
      if (!relevant || (options.services && !options.services.includes(service))) disabledRules.push(path.parse(file).name);
      else rules.forEach((r) => ran.add(r));
    }
    result.rulesRun += rulesWithTypes().size - disabledRules.length;
    const report = new CfnGuardValidator({ disabledRules }).validate({ templatePaths: [templatePath] } as IPolicyValidationContextBeta1);

    const found = new Set<string>();
    for (const violation of report.violations) {
      for (const r of violation.violatingResources) {
        const key = `${r.resourceLogicalId}\u0000${violation.ruleName}`;
        if (found.has(key)) continue;
        found.add(key);
        const finding: GuardFinding = {
          rule: violation.ruleName,
          resource: r.resourceLogicalId,
          template: templatePath,
          description: violation.description,
          fix: violation.fix ?? '',
        };
        const suppression = suppressionsOf(template, r.resourceLogicalId).find((s) => s.id === violation.ruleName);
        if (suppression) result.suppressed.push({ ...finding, reason: suppression.reason });
        else result.unsuppressed.push(finding);
      }
    }
    for (const [resource] of Object.entries(template.Resources ?? {})) {
      for (const s of suppressionsOf(template, resource)) {
        // Stale: its rule ran and found nothing here, or no rule of that name exists.
        const stale = !found.has(`${resource}\u0000${s.id}`) && (ran.has(s.id) || !known.has(s.id));
        if (stale) result.unused.push({ template: templatePath, resource, rule: s.id });
      }
    }
  }
  return result;
}

/**
 * The CDK policy-validation plugin (`Validations.of(app).addPlugins(new ControlTowerChecks())`):
 * fails the synth on any unsuppressed finding, listing each with its resource and fix.
 */
export class ControlTowerChecks implements IPolicyValidationPluginBeta1 {
  readonly name = 'control-tower-cfn-guard';
  /** What the last validation found (the CDK tests read it after a synth). */
  lastResult: GuardResult | undefined;

  validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const result = checkTemplates(context.templatePaths);
    this.lastResult = result;
    const byRule = new Map<string, GuardFinding[]>();
    for (const f of result.unsuppressed) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
    const violations: PolicyViolationBeta1[] = [...byRule].map(([rule, findings]) => ({
      ruleName: rule,
      description: (findings[0] as GuardFinding).description,
      fix: `${(findings[0] as GuardFinding).fix} Or, where the control does not apply, suppressGuard(resource, '${rule}', '<why>') (infra/constructs/guard.ts).`,
      severity: 'error',
      violatingResources: findings.map((f) => ({ resourceLogicalId: f.resource, templatePath: f.template, locations: [`Resources/${f.resource}`] })),
    }));
    return { success: violations.length === 0, violations };
  }
}
