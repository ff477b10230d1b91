import { describe, expect, it } from 'vitest';
import { dockerfileInstructions, dockerfileStages, exposedPort } from './dockerfile-text.js';

describe('dockerfileInstructions', () => {
  it('joins continued lines and skips comments and blank lines', () => {
    const text = '# a comment\nFROM x\n\nRUN a \\\n  # inside\n  && b\nCMD ["c"]\n';
    expect(dockerfileInstructions(text)).toEqual(['FROM x', 'RUN a  && b', 'CMD ["c"]']);
  });

  it('honours the escape directive', () => {
    expect(dockerfileInstructions('# escape=`\nFROM x\nRUN a `\n b\nCOPY c:\\ d\n')).toEqual([
      'FROM x',
      'RUN a  b',
      'COPY c:\\ d',
    ]);
  });
});

describe('dockerfileStages', () => {
  it('names stages (lower-cased) and leaves out global ARGs', () => {
    const text = `ARG BASE=x\nFROM --platform=linux/amd64 \${BASE} AS Build\nRUN make\nFROM scratch\nCOPY --from=build /a /a\n`;
    expect(dockerfileStages(text)).toEqual([
      { name: 'build', instructions: ['RUN make'] },
      { instructions: ['COPY --from=build /a /a'] },
    ]);
  });

  it('finds the stages of the multistage sample form (FROM split over lines)', () => {
    expect(dockerfileStages('FROM \\\n  node AS site\nFROM static').map((s) => s.name)).toEqual(['site', undefined]);
  });
});

describe('exposedPort', () => {
  it.each([
    ['EXPOSE 3000', 3000],
    ['EXPOSE 8080/tcp 9090', 8080],
    ['EXPOSE 53/udp 80', 80],
    ['EXPOSE $PORT', undefined],
    ['EXPOSE 70000', undefined],
    ['RUN true', undefined],
  ])('%s → %s', (instruction, port) => {
    expect(exposedPort({ instructions: [instruction] })).toBe(port);
  });
});
