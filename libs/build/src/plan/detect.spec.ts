import { describe, expect, it } from 'vitest';
import { pkg, plan, refusal } from '../testing/plan-repo.js';

// Detection and the generated Dockerfiles, through planBuild over repositories in temp directories.

describe('planBuild: Node.js', () => {
  it('installs without dev dependencies and runs npm start', async () => {
    const p = await plan({ 'package.json': pkg({ scripts: { start: 'node server.js' } }), 'server.js': '' });
    expect(p).toMatchObject({
      programType: 'node',
      generated: true,
      source: 'generated',
      port: 8080,
      dockerfilePath: 'Dockerfile',
    });
    expect(p.reason).toBe('package.json found: Node.js (npm start)');
    expect(p.dockerfile).toContain('FROM registry.test/base/node:20\n');
    expect(p.dockerfile).toContain('COPY package.json ./\nRUN npm install --omit=dev --no-audit --no-fund\nCOPY . .\n');
    expect(p.dockerfile).toContain('ENV NODE_ENV=production PORT=8080\nEXPOSE 8080\nCMD ["npm", "start"]\n');
  });

  it('uses npm ci with a lock file, and copies .npmrc', async () => {
    const p = await plan({ 'package.json': pkg({ main: 'lib/app.js' }), 'package-lock.json': '{}', '.npmrc': '' });
    expect(p.dockerfile).toContain('COPY package.json package-lock.json .npmrc ./\nRUN npm ci --omit=dev --no-audit --no-fund\n');
    expect(p.dockerfile).toContain('CMD ["node", "lib/app.js"]');
    expect(p.reason).toBe('package.json found: Node.js (node lib/app.js)');
  });

  it('runs a build script in a build stage with dev dependencies, then prunes them', async () => {
    const p = await plan({
      'package.json': pkg({ scripts: { build: 'tsc', start: 'node dist/main.js' } }),
      'package-lock.json': '{}',
    });
    expect(p.dockerfile).toContain('FROM registry.test/base/node:20 AS build\n');
    expect(p.dockerfile).toContain('RUN npm ci --include=dev --no-audit --no-fund\nCOPY . .\n');
    expect(p.dockerfile).toContain('RUN npm run build && npm prune --omit=dev --no-audit --no-fund\n');
    expect(p.dockerfile).toMatch(/\nFROM registry\.test\/base\/node:20\nWORKDIR \/app\nCOPY --from=build \/app \/app\n/);
    expect(p.reason).toBe('package.json found: Node.js (npm run build, then npm start)');
  });

  it('falls back to server.js, then index.js', async () => {
    expect((await plan({ 'package.json': '{}', 'server.js': '', 'index.js': '' })).dockerfile).toContain(
      'CMD ["node", "server.js"]',
    );
    expect((await plan({ 'package.json': '{}', 'index.js': '' })).dockerfile).toContain('CMD ["node", "index.js"]');
  });

  it('copies the whole source before installing when install scripts or workspaces need it', async () => {
    const p = await plan({ 'package.json': pkg({ scripts: { start: 'x', postinstall: 'node setup.js' } }) });
    expect(p.dockerfile).toContain('WORKDIR /app\nCOPY . .\nRUN npm install --omit=dev');
    expect(p.dockerfile.match(/COPY \. \./g)).toHaveLength(1);
    expect((await plan({ 'package.json': pkg({ workspaces: ['a'], main: 'a.js' }) })).dockerfile).toContain('COPY . .\nRUN npm');
  });

  it('refuses a package.json that does not say how to start, or is not JSON', async () => {
    expect((await refusal({ 'package.json': '{}' })).message).toMatch(/no start script and no main/);
    expect((await refusal({ 'package.json': '{"name": ' })).message).toMatch(/package\.json is not valid JSON/);
    expect((await refusal({ 'package.json': '[]' })).message).toMatch(/not a JSON object/);
    expect((await refusal({ 'package.json': pkg({ main: '../../etc/x.js' }) })).message).toMatch(/outside the repository/);
  });
});

describe('planBuild: Python', () => {
  it('runs app.py without pip when there are no requirements', async () => {
    const p = await plan({ 'app.py': '', 'main.py': '', 'requirements.txt': '# none\n\n' });
    expect(p).toMatchObject({ programType: 'python', port: 8080, reason: 'app.py found: Python (python3 app.py)' });
    expect(p.dockerfile).toContain('FROM registry.test/base/python:3\n');
    expect(p.dockerfile).not.toContain('pip');
    expect(p.dockerfile).toContain('ENV PORT=8080 PYTHONUNBUFFERED=1');
    expect(p.dockerfile).toContain('CMD ["python3", "app.py"]');
  });

  it('installs requirements when the file lists some, and runs main.py', async () => {
    const p = await plan({ 'main.py': '', 'requirements.txt': 'flask==3.0\n' });
    expect(p.dockerfile).toContain(
      'COPY requirements.txt ./\nRUN python3 -m pip install --no-cache-dir -r requirements.txt\nCOPY . .\n',
    );
    expect(p.dockerfile).toContain('CMD ["python3", "main.py"]');
    expect(p.reason).toBe('requirements.txt found: Python (pip install -r requirements.txt, then python3 main.py)');
  });

  it('starts the Procfile web: command through sh -c, as data', async () => {
    const command = 'gunicorn app:app --bind "0.0.0.0:$PORT" && echo \'"],"x\'';
    const p = await plan({ 'pyproject.toml': '[project]\nname = "x"\n', Procfile: `worker: python w.py\nweb: ${command}\n` });
    const cmd = p.dockerfile.split('\n').find((l) => l.startsWith('CMD '));
    expect(JSON.parse(cmd?.slice(4) ?? '')).toEqual(['sh', '-c', command]);
    expect(p.dockerfile).toContain('COPY . .\nRUN python3 -m pip install --no-cache-dir .\n');
  });

  it('installs a Pipfile with pipenv', async () => {
    const p = await plan({ Pipfile: '', 'Pipfile.lock': '{}', 'app.py': '' });
    expect(p.dockerfile).toContain(
      'COPY Pipfile Pipfile.lock ./\nRUN python3 -m pip install --no-cache-dir pipenv && pipenv install --system --deploy\n',
    );
  });

  it('refuses a Python project with nothing to start', async () => {
    expect((await refusal({ 'requirements.txt': 'flask\n' })).message).toMatch(/add app\.py, main\.py or a Procfile/);
  });
});

describe('planBuild: Go, Java and static sites', () => {
  it('builds Go in a build stage into a busybox runtime stage', async () => {
    const p = await plan({ 'go.mod': 'module x\n', 'go.sum': '', 'main.go': 'package main\n' });
    expect(p).toMatchObject({ programType: 'go', port: 8080, reason: 'go.mod found: Go (go build .)' });
    expect(p.dockerfile).toContain('FROM registry.test/base/go:1.22 AS build\n');
    expect(p.dockerfile).toContain('COPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n');
    expect(p.dockerfile).toContain('RUN ["go", "build", "-trimpath", "-ldflags=-s -w", "-o", "/out/app", "."]');
    expect(p.dockerfile).toContain('FROM registry.test/base/static:1\nWORKDIR /app\nCOPY --from=build /out/app /app/app\n');
    expect(p.dockerfile).toContain('CMD ["/app/app"]');
  });

  it('builds the one command under cmd/, and refuses to guess among several', async () => {
    const p = await plan({ 'go.mod': '', 'cmd/api/main.go': '' });
    expect(p.dockerfile).toContain('"./cmd/api"]');
    expect((await refusal({ 'go.mod': '', 'cmd/api/main.go': '', 'cmd/cli/main.go': '' })).message).toMatch(/several commands/);
  });

  it('builds Maven projects (with the wrapper when there is one) and runs the jar', async () => {
    const p = await plan({ 'pom.xml': '<project/>', mvnw: '' });
    expect(p).toMatchObject({ programType: 'java', reason: 'pom.xml found: Java (Maven build, then java -jar)' });
    expect(p.dockerfile).toContain('FROM registry.test/base/java:17 AS build\n');
    expect(p.dockerfile).toContain('RUN sh ./mvnw -B -q -DskipTests package\n');
    expect(p.dockerfile).toContain("find target -maxdepth 1 -name '*.jar'");
    expect(p.dockerfile).toContain('COPY --from=build /out/app.jar /app/app.jar\n');
    expect(p.dockerfile).toContain('CMD ["java", "-jar", "/app/app.jar"]');
  });

  it('builds Gradle projects', async () => {
    const p = await plan({ 'build.gradle.kts': '' });
    expect(p.dockerfile).toContain('RUN gradle --no-daemon -q -x test build\n');
    expect(p.dockerfile).toContain('find build/libs');
  });

  it('serves index.html with busybox httpd, from the root or a site directory', async () => {
    const root = await plan({ 'index.html': '', 'style.css': '' });
    expect(root).toMatchObject({ programType: 'static', port: 8080, reason: 'index.html found: static site (busybox httpd)' });
    expect(root.dockerfile).toContain(
      'FROM registry.test/base/static:1\nCOPY . /www/\nEXPOSE 8080\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n',
    );
    const dist = await plan({ 'dist/index.html': '', 'site/index.html': '' });
    expect(dist.dockerfile).toContain('COPY dist/ /www/\n');
    expect(dist.reason).toBe('dist/index.html found: static site (busybox httpd)');
  });

  it('detects in order: Node.js before Python before Go before Java before static', async () => {
    const order = [
      ['package.json', pkg({ main: 'a.js' }), 'node'],
      ['app.py', '', 'python'],
      ['go.mod', '', 'go'],
      ['pom.xml', '', 'java'],
      ['index.html', '', 'static'],
    ] as const;
    for (const [i, [, , type]] of order.entries()) {
      const entries = Object.fromEntries(order.slice(i).map(([name, text]) => [name, text]));
      expect((await plan(entries)).programType).toBe(type);
    }
  });

  it('says what it looked for when it recognises nothing', async () => {
    const error = await refusal({ 'README.md': '' });
    expect(error.field).toBe('repository');
    expect(error.message).toMatch(/^no Dockerfile and no recognised program: looked for Dockerfile \(Dockerfile\) and, in \., /);
    expect(error.message).toContain('package.json (Node.js)');
    expect(error.message).toContain('index.html in ., public/, dist/, build/ or site/');
  });

  it('no generated Dockerfile has a syntax line', async () => {
    const markers: [string, string][] = [
      ['package.json', pkg({ main: 'a.js' })],
      ['app.py', ''],
      ['go.mod', ''],
      ['pom.xml', ''],
      ['index.html', ''],
    ];
    for (const [name, text] of markers) {
      expect((await plan({ [name]: text })).dockerfile).not.toMatch(/^#\s*syntax/im);
    }
  });
});
