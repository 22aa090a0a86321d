/**
 * The SecretCipher adapters. KMS has no emulator here, so the KMS adapter runs against a stand-in
 * `send` that implements GenerateDataKey/Decrypt with a local master key (wrapping data keys with
 * AES-GCM under the encryption context, as KMS binds them); the test counts the calls, which is what
 * the adapter's design is about (one GenerateDataKey per container, one Decrypt per data key).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { createLocalSecretCipher, randomLocalSecretsKey } from '../../functions/adapters/crypto/local-cipher.ts';
import { KMS_ENCRYPTION_CONTEXT, createKmsSecretCipher } from '../../functions/adapters/kms/kms-cipher.ts';

function fakeKms() {
  const master = randomBytes(32);
  const calls = { generate: 0, decrypt: 0, contexts: [] as unknown[] };
  const wrap = (key: Buffer, context: string): Buffer => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', master, iv).setAAD(Buffer.from(context));
    const body = Buffer.concat([c.update(key), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  };
  const unwrap = (blob: Uint8Array, context: string): Buffer => {
    const b = Buffer.from(blob);
    const d = createDecipheriv('aes-256-gcm', master, b.subarray(0, 12)).setAAD(Buffer.from(context));
    d.setAuthTag(b.subarray(12, 28));
    return Buffer.concat([d.update(b.subarray(28)), d.final()]);
  };
  const send = async (command: unknown): Promise<unknown> => {
    if (command instanceof GenerateDataKeyCommand) {
      calls.generate++;
      calls.contexts.push(command.input.EncryptionContext);
      const key = randomBytes(32);
      return { Plaintext: new Uint8Array(key), CiphertextBlob: new Uint8Array(wrap(key, JSON.stringify(command.input.EncryptionContext))) };
    }
    if (command instanceof DecryptCommand) {
      calls.decrypt++;
      calls.contexts.push(command.input.EncryptionContext);
      return { Plaintext: new Uint8Array(unwrap(command.input.CiphertextBlob!, JSON.stringify(command.input.EncryptionContext))) };
    }
    throw new Error('unexpected command');
  };
  return { kms: { send } as never, calls };
}

describe('KMS envelope cipher', () => {
  test('round-trips; one GenerateDataKey for many secrets; the fixed encryption context', async () => {
    const { kms, calls } = fakeKms();
    const cipher = createKmsSecretCipher(kms, 'arn:aws:kms:eu-west-1:111122223333:key/k');
    const sealed = await Promise.all(Array.from({ length: 20 }, (_, i) => cipher.encrypt(`whsec_secret${i}`, `endpoint:app/ep${i}`)));
    expect(calls.generate).toBe(1);
    for (const [i, s] of sealed.entries()) {
      expect(s).toMatch(/^sluice1\.kms\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(s).not.toContain('whsec_');
      expect(await cipher.decrypt(s, `endpoint:app/ep${i}`)).toBe(`whsec_secret${i}`);
    }
    expect(calls.decrypt).toBe(0); // its own data key is known unwrapped
    expect(calls.contexts.every((c) => JSON.stringify(c) === JSON.stringify(KMS_ENCRYPTION_CONTEXT))).toBe(true);
  });

  test('another container: one Decrypt per data key, then cached', async () => {
    const { kms, calls } = fakeKms();
    const writer = createKmsSecretCipher(kms, 'k');
    const sealed = await Promise.all([1, 2, 3].map((i) => writer.encrypt(`s${i}`, `c${i}`)));
    const reader = createKmsSecretCipher(kms, 'k');
    for (let round = 0; round < 3; round++) {
      for (const [i, s] of sealed.entries()) expect(await reader.decrypt(s, `c${i + 1}`)).toBe(`s${i + 1}`);
    }
    expect(calls.decrypt).toBe(1);
  });

  test('bound to its context and tamper-evident', async () => {
    const { kms } = fakeKms();
    const cipher = createKmsSecretCipher(kms, 'k');
    const sealed = await cipher.encrypt('whsec_x', 'endpoint:a/1');
    await expect(cipher.decrypt(sealed, 'endpoint:a/2')).rejects.toThrow();
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    await expect(cipher.decrypt(parts.join('.'), 'endpoint:a/1')).rejects.toThrow();
    await expect(cipher.decrypt('sluice1.local.a.b.c', 'endpoint:a/1')).rejects.toThrow(/KMS cipher/);
  });

  test('the data key is renewed hourly', async () => {
    const { kms, calls } = fakeKms();
    let now = 0;
    const cipher = createKmsSecretCipher(kms, 'k', { now: () => now });
    await cipher.encrypt('a', 'c');
    now = 3_599_000;
    await cipher.encrypt('b', 'c');
    now = 3_600_001;
    await cipher.encrypt('c', 'c');
    expect(calls.generate).toBe(2);
  });
});

describe('local AES-256-GCM cipher (the stand-in for KMS)', () => {
  test('round-trips, bound to the context, and needs the same key', async () => {
    const key = randomLocalSecretsKey();
    const cipher = createLocalSecretCipher(key);
    const sealed = await cipher.encrypt('whsec_abc', 'endpoint:a/1');
    expect(sealed).toMatch(/^sluice1\.local\./);
    expect(await cipher.decrypt(sealed, 'endpoint:a/1')).toBe('whsec_abc');
    await expect(cipher.decrypt(sealed, 'endpoint:a/2')).rejects.toThrow();
    await expect(createLocalSecretCipher(randomLocalSecretsKey()).decrypt(sealed, 'endpoint:a/1')).rejects.toThrow();
    expect(() => createLocalSecretCipher(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});
