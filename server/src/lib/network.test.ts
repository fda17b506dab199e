import { describe, expect, it } from 'vitest';
import { isPrivateAddress, privateAddressOf } from './network.ts';

describe('private addresses', () => {
  it.each(['127.0.0.1', '127.1.2.3', '10.0.0.5', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', 'not-an-ip'])('%s is private', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });

  it('resolves hosts and literal addresses in URLs', async () => {
    expect(await privateAddressOf('http://localhost:11434/v1')).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(await privateAddressOf('http://[::1]:8080/')).toBe('::1');
    expect(await privateAddressOf('http://169.254.169.254/latest')).toBe('169.254.169.254');
    expect(await privateAddressOf('http://8.8.8.8/')).toBeUndefined();
  });
});
