import { describe, expect, it } from 'vitest';
import { findSyntaxDirective } from './dockerfile-directives.js';

describe('findSyntaxDirective', () => {
  it('finds a syntax directive in the leading comments, in any case and spacing', () => {
    expect(findSyntaxDirective('# syntax=docker/dockerfile:1\nFROM x')).toBe('docker/dockerfile:1');
    expect(findSyntaxDirective('\uFEFF#  SYNTAX = docker/dockerfile:1.4 \nFROM x')).toBe('docker/dockerfile:1.4');
    expect(findSyntaxDirective('# escape=`\n\n# syntax=a/b\r\nFROM x')).toBe('a/b');
  });

  it('ignores the same text after the first instruction and other directives', () => {
    expect(findSyntaxDirective('FROM x\n# syntax=docker/dockerfile:1')).toBeUndefined();
    expect(findSyntaxDirective('# escape=`\nFROM x')).toBeUndefined();
    expect(findSyntaxDirective('# a comment: syntax=foo is mentioned\nFROM x')).toBeUndefined();
  });
});
