import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { approvalDefinitionFile, loadDefinition, substitute } from '../../infra/statemachines/definitions';

// asl-validator ships without type declarations.
const aslValidator = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };

const folder = dirname(approvalDefinitionFile);
const files = readdirSync(folder).filter((name) => name.endsWith('.asl.json'));

/** A dummy Lambda ARN for every placeholder the file uses, as CDK would supply real ones. */
function dummySubstitutions(text: string): Record<string, string> {
  const names = [...text.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]);
  return Object.fromEntries(names.map((name) => [name, `arn:aws:lambda:ap-northeast-1:123456789012:function:${name.replace(/Arn$/, '')}`]));
}

describe('state machine definitions', () => {
  it('include the approval workflow', () => {
    expect(files).toContain('approval.asl.json');
  });

  describe.each(files)('%s', (file) => {
    const path = join(folder, file);
    const text = readFileSync(path, 'utf8');

    it('is valid Amazon States Language once substituted', () => {
      const { isValid, errorsText } = aslValidator(JSON.parse(loadDefinition(path, dummySubstitutions(text))), {
        checkPaths: true,
        checkArn: true,
      });
      expect(isValid, errorsText('\n')).toBe(true);
    });

    it('leaves no placeholder behind', () => {
      expect(loadDefinition(path, dummySubstitutions(text))).not.toContain('${');
    });
  });

  it('are checked by a validator that does catch mistakes', () => {
    const broken = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Missing' } } };
    expect(aslValidator(broken, { checkPaths: true, checkArn: true }).isValid).toBe(false);
  });

  it('names the approval functions by the placeholders in workflowFunctions', async () => {
    const { workflowFunctions } = await import('../../functions/http/routes');
    const placeholders = Object.keys(dummySubstitutions(readFileSync(approvalDefinitionFile, 'utf8'))).sort();
    expect(placeholders).toEqual(Object.keys(workflowFunctions).sort());
  });
});

describe('substitute', () => {
  it('replaces every occurrence of a placeholder', () => {
    expect(substitute('{"a":"${X}","b":"${X}-${Y}"}', { X: '1', Y: '2' })).toBe('{"a":"1","b":"1-2"}');
  });

  it('throws when a placeholder has no value', () => {
    expect(() => substitute('{"FunctionName":"${AdvanceFunctonArn}"}', { AdvanceFunctionArn: 'arn' })).toThrow(/\$\{AdvanceFunctonArn\}/);
  });
});
