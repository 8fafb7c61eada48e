import { describe, expect, it } from 'vitest';
import { parsePostmasterPid, postgresUrl, postmasterOptions, shellQuote, socketDirFor } from './postgres.mjs';

describe('postgresUrl', () => {
  it('builds a URL for the modelyard user and database on loopback, encoding the password', () => {
    expect(postgresUrl({ password: 'p@ss/word', port: 54329 })).toBe(
      'postgres://modelyard:p%40ss%2Fword@127.0.0.1:54329/modelyard',
    );
    expect(new URL(postgresUrl({ password: 'x', port: 1, database: 'modelyard_e2e' })).pathname).toBe('/modelyard_e2e');
  });
});

describe('postmasterOptions', () => {
  it('listens on 127.0.0.1 only, on the given port, with fsync on', () => {
    const options = postmasterOptions({ port: 54329, socketDir: '/data/postgres' });
    expect(options).toContain('-p 54329');
    expect(options).toContain('-h 127.0.0.1');
    expect(options).toContain("-k '/data/postgres'");
    expect(options).toContain('-c fsync=on');
  });

  it('passes an empty socket directory (sockets off) as an explicit empty argument', () => {
    expect(postmasterOptions({ port: 1, socketDir: '' })).toContain("-k ''");
  });
});

describe('shellQuote', () => {
  it('survives single quotes and spaces in paths', () => {
    expect(shellQuote("/srv/bob's data")).toBe("'/srv/bob'\\''s data'");
  });
});

describe('socketDirFor', () => {
  it('puts the socket in the data directory when the path fits the kernel limit', () => {
    expect(socketDirFor('/var/lib/modelyard/postgres', 54329)).toBe('/var/lib/modelyard/postgres');
  });

  it('disables the Unix socket when its path would be too long', () => {
    expect(socketDirFor(`/tmp/${'x'.repeat(100)}/postgres`, 54329)).toBe('');
  });
});

describe('parsePostmasterPid', () => {
  it('reads the pid, port and status lines', () => {
    const text = '4242\n/data/postgres\n1700000000\n54329\n/data/postgres\n127.0.0.1\n  1234   5678\nready   \n';
    expect(parsePostmasterPid(text)).toMatchObject({
      pid: 4242,
      dataDir: '/data/postgres',
      port: 54329,
      listenAddress: '127.0.0.1',
      status: 'ready',
    });
  });
});
