import { describe, expect, it } from 'vitest';
import { blockedAddressReason, checkedLookup, isPrivateAddress, privateAddressOf } from './network.ts';

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

describe('blocked address kinds', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'], ['::ffff:7f00:1', 'a loopback address'], ['0:0:0:0:0:ffff:127.0.0.1', 'a loopback address'],
    ['169.254.169.254', 'a cloud metadata address'], ['fd00:ec2::254', 'a cloud metadata address'], ['::ffff:a9fe:a9fe', 'a cloud metadata address'],
    ['169.254.1.1', 'a link-local address'], ['fe80::1%eth0', 'a link-local address'], ['100.64.0.1', 'a carrier-grade NAT address'],
    ['10.1.1.1', 'a private address'], ['fd12::1', 'a private address'], ['0.0.0.0', 'an unspecified address'], ['::', 'an unspecified address'],
    ['2002:7f00:1::', 'a reserved address'], ['64:ff9b::7f00:1', 'a reserved address'], ['::127.0.0.1', 'a reserved address'], ['224.0.0.1', 'a multicast address'],
    ['example.com', 'not an IP address'],
  ])('%s is %s', (address, kind) => {
    expect(blockedAddressReason(address)).toBe(kind);
  });

  it('leaves public addresses alone, mapped ones included', () => {
    for (const address of ['8.8.8.8', '::ffff:8.8.8.8', '2606:4700:4700::1111']) expect(blockedAddressReason(address)).toBeUndefined();
  });

  it('checks every answer inside the lookup the connection uses', async () => {
    const lookup = checkedLookup((host) => host === 'allowed.test', (hostname, _options, callback) => callback(null, [{ address: '93.184.215.14', family: 4 }, { address: '10.0.0.7', family: 4 }]));
    const run = (host: string, all: boolean) => new Promise((resolve) => lookup(host, { all }, (error, address) => resolve(error ? error.message : address)));
    expect(await run('blocked.test', false)).toBe('blocked.test resolves to 10.0.0.7, a private address, which is not allowed');
    expect(await run('allowed.test', false)).toBe('93.184.215.14');
    expect(await run('allowed.test', true)).toEqual([{ address: '93.184.215.14', family: 4 }, { address: '10.0.0.7', family: 4 }]);
  });
});
